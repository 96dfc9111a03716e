//! Interface phrases in Project Fluent: one `.ftl` file per language in `locales/`,
//! compiled into the binary and read once, at first use.
//!
//! - The fields of [`Ui`] and [`Decide`] are messages without arguments: a field's
//!   message id is its name with hyphens (`skip_to_content` → `skip-to-content`), with
//!   `decide-` in front for `Decide`. Pages read them as plain strings (`page.t.answers`).
//! - Phrases with arguments (dates, counts, codes) are messages that `Lang`'s methods
//!   format with [`Lang::phrase`], passing dates and prices already written for the
//!   locale.
//! - English is complete by construction (its tests name every message); a message
//!   missing from German or French falls back to English, and a test fails the build's
//!   checks when one is missing, so a reader never sees a message id.

use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

use super::Lang;

type Bundle = FluentBundle<FluentResource>;

/// The `.ftl` source of each language, in [`Lang::ALL`] order.
pub(super) const SOURCES: [(Lang, &str); 3] = [
    (Lang::En, include_str!("../../locales/en.ftl")),
    (Lang::De, include_str!("../../locales/de.ftl")),
    (Lang::Fr, include_str!("../../locales/fr.ftl")),
];

/// One bundle per language. A source that does not parse is a programming error caught by
/// the tests; whatever parsed is still used.
static BUNDLES: LazyLock<[Bundle; 3]> = LazyLock::new(|| SOURCES.map(|(lang, source)| bundle(lang, source)));

fn bundle(lang: Lang, source: &str) -> Bundle {
    let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, errors)| {
        tracing::error!(locale = lang.code(), ?errors, "interface phrases do not parse");
        partial
    });
    let tag: unic_langid::LanguageIdentifier = lang.code().parse().expect("a language code is a tag");
    let mut bundle = Bundle::new_concurrent(vec![tag]);
    // Phrases go into HTML and plain text, never into bidirectional layouts that need
    // isolation marks around arguments.
    bundle.set_use_isolating(false);
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(locale = lang.code(), ?errors, "interface phrases are defined twice");
    }
    bundle
}

/// The message `id` of `lang` formatted with `args`, else the English one; the id itself
/// only if English lacks it too (the tests rule that out).
pub(super) fn format(lang: Lang, id: &str, args: Option<&FluentArgs<'_>>) -> String {
    let bundles = &*BUNDLES;
    let found = [lang, Lang::En].into_iter().find_map(|l| {
        let bundle = &bundles[l.index()];
        bundle.get_message(id).and_then(|m| m.value()).map(|pattern| (bundle, pattern))
    });
    let Some((bundle, pattern)) = found else {
        tracing::error!(id, "no interface phrase with this id");
        return id.to_owned();
    };
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    if !errors.is_empty() {
        tracing::error!(id, ?errors, "an interface phrase did not format");
    }
    text.into_owned()
}

/// Whether `lang`'s own file has message `id` (no fallback).
pub(super) fn has(lang: Lang, id: &str) -> bool {
    BUNDLES[lang.index()].has_message(id)
}

/// Arguments of a phrase: `args(&[("code", "MD-102".into())])`.
pub(super) fn args<'a>(pairs: &[(&'a str, FluentValue<'a>)]) -> FluentArgs<'a> {
    let mut args = FluentArgs::with_capacity(pairs.len());
    for (name, value) in pairs {
        args.set(*name, value.clone());
    }
    args
}

/// A struct of `&'static str` phrases read from the bundles, one message per field.
macro_rules! phrases {
    ($(#[$meta:meta])* $name:ident, $prefix:literal { $($field:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug)]
        pub struct $name {
            $(pub $field: &'static str,)*
        }

        impl $name {
            /// Every message id of the struct, in field order.
            pub const IDS: &'static [&'static str] = &[$(stringify!($field)),*];

            fn load(lang: Lang) -> Self {
                Self { $($field: leak(format(lang, &id($prefix, stringify!($field)), None)),)* }
            }
        }
    };
}

/// The message id of a field.
pub(super) fn id(prefix: &str, field: &str) -> String {
    format!("{prefix}{}", field.replace('_', "-"))
}

/// Phrases live as long as the process: each language's are read once.
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

phrases! {
    /// Interface phrases of one language (besides [`Ui::decide`]).
    Phrases, "" {
        skip_to_content, nav_label, home, answers, certifications, breadcrumb, published,
        last_reviewed, by, related_information, expert_insight, about_the_author, topics,
        related_answers, course, courses, latest_answers, all_answers, catalog, not_found_title,
        not_found_text, bad_request_title, server_error_title, unavailable_title, too_many_title,
        too_large_title, server_error_text, previous, next, page, filter, vendor, level, status,
        any, apply, topic, no_results, code, title, credential, scope, exam_length, minutes,
        skills_measured, domain, weight, technologies, roles, prerequisites, prerequisites_any,
        none, lifecycle, successor, sources, checked_on, unconfirmed, unconfirmed_note,
        answers_about, duration, days, price, delivery, sessions, no_sessions, starts_on, location,
        language, seats, prepares_for, credentials, written_answers, footer_note, forbidden_title,
        cookie_settings, consent_title, consent_text, consent_changed, accept_all, reject_all,
        customize, save_choices, withdraw, close, saved, back, consent_necessary,
        consent_necessary_text, consent_cookie_purpose, session_cookie_purpose, session_cookie_lifetime,
        consent_preferences,
        consent_preferences_text, consent_analytics, consent_analytics_text, consent_marketing,
        consent_marketing_text, consent_allow, consent_no_services, consent_needs_script, consent_storage_purpose, consent_gpc, consent_current,
        consent_granted, consent_not_granted, service, purpose, cookies, lifetime,
        third_party_host, first_party, gone_title, ask_about_course, request_place, next_sessions,
        taught_by, price_note, inquiry_title, inquiry_intro, your_name, your_email, your_company,
        your_message, session, any_session, inquiry_agree, inquiry_privacy, send_inquiry,
        thanks_title, thanks_text, back_to_course, inquiry_problems, problem_missing,
        problem_email, problem_control, problem_session, problem_agree, has_upcoming, website_trap,
        home_title, site_purpose, browse_catalog, retiring_soon, retiring_soon_text, families,
        topics_text, courses_text, imprint, privacy, about, contact, aspect, compare_jump,
        notice_retiring, notice_retired, notice_stale, successor_is, consent_short, privacy_notice,
        site_nav,
        // Words of the enumerations: `Lang::aspect`, `Lang::level`, `Lang::delivery`.
        aspect_scope, aspect_course, aspect_technologies, aspect_lifecycle, aspect_choose,
        level_fundamentals, level_associate, level_professional, level_expert, level_specialty,
        delivery_classroom, delivery_virtual, delivery_self_paced,
        // Notices of the inquiry form.
        notice_form_expired, notice_inquiry_unsaved,
        // The language switcher's name.
        language_switcher,
        // A certification's lifecycle as a badge: `Ui::status_word`.
        status_beta, status_active, status_retiring, status_retired,
    }
}

phrases! {
    /// The words of the pages that help readers decide: compare, advisor, team planner.
    Decide, "decide-" {
        compare, compare_title, and_word, compare_side_by_side, compare_with, compare_with_note,
        at_a_glance, skills_chart, skills_chart_note, as_table, weight_range, exam,
        coverage_heading, coverage_note, responsibility, covered, shared_technologies, only_in,
        nothing_shared, order_heading, order_note, needs_one_of, no_domains, course_and_price,
        no_course, advisor, decide_heading, advisor_title, advisor_lead, advisor_teaser,
        your_responsibilities, emphasis_none, emphasis_1, emphasis_2, emphasis_3, held_heading,
        held_note, show_advice, ranked_heading, score, path_heading, path_note,
        step_prerequisite_of, step_replaces, step_retiring, no_successor, uncovered, total_days,
        total_price, without_course, nothing_fits, pick_one, unknown_inputs, share_link,
        change_choices, planner, planner_title, planner_lead, planner_teaser, csv_label, csv_help,
        file_label, plan_button, example, responsibility_ids, team_heading, people,
        people_per_course, ask_places, person, assigned, mismatches, no_mismatch,
        mismatch_coverage, mismatch_prerequisite, mismatch_lifecycle, rows_skipped, line,
        download_csv, print, names_not_kept, plan_again,
    }
}

phrases! {
    /// Search: the header's search box, the search page and its errors.
    Search, "search-" {
        search, label, button, title, results_for, lead, kind, answers, certifications, courses, topics, nothing, try_these, latest_answers, suggestions, not_ready, filters,
    }
}

/// Interface phrases of one language, as pages read them (`page.t.answers`,
/// `page.t.decide.advisor`).
#[derive(Debug)]
pub struct Ui {
    /// The comparison, the advisor and the team planner.
    pub decide: &'static Decide,
    /// Search.
    pub search: &'static Search,
    phrases: Phrases,
}

/// A lifecycle status, however many references templates put around it.
pub trait StatusOf {
    fn status(&self) -> crate::domain::LifecycleStatus;
}

impl StatusOf for crate::domain::LifecycleStatus {
    fn status(&self) -> crate::domain::LifecycleStatus {
        *self
    }
}

impl<T: StatusOf + ?Sized> StatusOf for &T {
    fn status(&self) -> crate::domain::LifecycleStatus {
        (**self).status()
    }
}

impl Ui {
    /// A lifecycle status as badges and filters show it (`retiring`, `läuft aus`).
    pub fn status_word(&self, status: impl StatusOf) -> &'static str {
        use crate::domain::LifecycleStatus;
        match status.status() {
            LifecycleStatus::Beta => self.phrases.status_beta,
            LifecycleStatus::Active => self.phrases.status_active,
            LifecycleStatus::Retiring => self.phrases.status_retiring,
            LifecycleStatus::Retired => self.phrases.status_retired,
        }
    }
}

impl std::ops::Deref for Ui {
    type Target = Phrases;

    fn deref(&self) -> &Phrases {
        &self.phrases
    }
}

static UI: LazyLock<[Ui; 3]> = LazyLock::new(|| {
    Lang::ALL.map(|lang| Ui {
        decide: Box::leak(Box::new(Decide::load(lang))),
        search: Box::leak(Box::new(Search::load(lang))),
        phrases: Phrases::load(lang),
    })
});

/// The interface phrases of `lang`.
pub(super) fn ui(lang: Lang) -> &'static Ui {
    &UI[lang.index()]
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use fluent_bundle::FluentResource;
    use fluent_syntax::ast::Entry;

    use super::*;

    /// The message ids a language's file defines, and the ones it defines twice.
    fn ids(source: &str) -> (BTreeSet<String>, Vec<String>) {
        let resource = FluentResource::try_new(source.to_owned()).unwrap_or_else(|(_, errors)| {
            panic!("does not parse: {errors:?}");
        });
        let mut seen = BTreeSet::new();
        let mut twice = Vec::new();
        for entry in resource.entries() {
            if let Entry::Message(m) = entry {
                if !seen.insert(m.id.name.to_owned()) {
                    twice.push(m.id.name.to_owned());
                }
            }
        }
        (seen, twice)
    }

    #[test]
    fn every_language_parses_and_defines_each_message_once() {
        for (lang, source) in SOURCES {
            let (_, twice) = ids(source);
            assert!(twice.is_empty(), "{}: defined twice: {twice:?}", lang.code());
        }
    }

    #[test]
    fn english_has_every_field_of_the_structs() {
        let (english, _) = ids(SOURCES[0].1);
        let fields = Phrases::IDS
            .iter()
            .map(|f| id("", f))
            .chain(Decide::IDS.iter().map(|f| id("decide-", f)))
            .chain(Search::IDS.iter().map(|f| id("search-", f)));
        let missing: Vec<String> = fields.filter(|id| !english.contains(id)).collect();
        assert!(missing.is_empty(), "en.ftl lacks {missing:?}");
    }

    #[test]
    fn german_and_french_translate_every_english_message() {
        let (english, _) = ids(SOURCES[0].1);
        for (lang, source) in &SOURCES[1..] {
            let (own, _) = ids(source);
            let missing: Vec<&String> = english.difference(&own).collect();
            let unknown: Vec<&String> = own.difference(&english).collect();
            assert!(missing.is_empty(), "{}.ftl lacks {} messages: {missing:?}", lang.code(), missing.len());
            assert!(unknown.is_empty(), "{}.ftl has messages English lacks: {unknown:?}", lang.code());
        }
    }

    #[test]
    fn a_missing_message_falls_back_to_english_and_never_shows_an_id() {
        assert_eq!(format(Lang::De, "no-such-message-anywhere", None), "no-such-message-anywhere");
        assert_eq!(Lang::En.ui().answers, "Answers");
        assert!(!Lang::De.ui().answers.is_empty());
    }
}
