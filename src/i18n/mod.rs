//! Languages: interface phrases, dates and the wording of derived facts.
//!
//! English is complete; German and French fall back to English phrases until their
//! translations land (capability 7), but dates and money are already written as each
//! locale writes them, and every page takes its locale from the path.

use chrono::{Datelike, NaiveDate};

use serde::Serialize;

use crate::domain::related::{Fact, RelatedKind, RelatedTable};
use crate::domain::staleness::{Change, FactChange};
use crate::domain::{Code, Lifecycle, Money, RelatedInfo};

/// The separator between the sides of a side-by-side line.
pub const SEPARATOR: &str = " · ";

/// One side of a worded Related information line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordedPart {
    pub code: Code,
    /// `MD-102: endpoint management scope`.
    pub text: String,
}

/// A Related information line in the reader's language, as pages, the Markdown twin and
/// the API show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordedLine {
    pub kind: RelatedKind,
    pub parts: Vec<WordedPart>,
    /// The parts joined with [`SEPARATOR`].
    pub text: String,
}

/// The related information as a worded table (the Markdown twin's table, the API's rows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordedTable {
    pub columns: Vec<Code>,
    pub rows: Vec<WordedRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordedRow {
    pub aspect: RelatedKind,
    pub label: &'static str,
    /// One per column; `—` where the certification has nothing for the aspect.
    pub cells: Vec<String>,
}

/// What a cell says when its certification has nothing for the aspect.
pub const EMPTY_CELL: &str = "—";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    De,
    Fr,
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

impl Lang {
    /// The language of a locale code; unknown codes are written in English.
    pub fn of(locale: &str) -> Self {
        match locale {
            "de" => Lang::De,
            "fr" => Lang::Fr,
            _ => Lang::En,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
        }
    }

    /// A long date: `30 November 2026`, `30. November 2026`, `30 novembre 2026`.
    pub fn date(self, d: NaiveDate) -> String {
        let m = d.month0() as usize;
        match self {
            Lang::En => format!("{} {} {}", d.day(), MONTHS_EN[m], d.year()),
            Lang::De => format!("{}. {} {}", d.day(), MONTHS_DE[m], d.year()),
            Lang::Fr => format!("{} {} {}", d.day(), MONTHS_FR[m], d.year()),
        }
    }

    /// `1 day`, `5 days`.
    pub fn days(self, n: u32) -> String {
        if n == 1 { "1 day".to_owned() } else { format!("{n} days") }
    }

    /// `1 answer`, `3 answers`.
    pub fn answers_count(self, n: usize) -> String {
        if n == 1 { "1 answer".to_owned() } else { format!("{n} answers") }
    }

    /// The label of a row of the related table.
    pub fn aspect(self, kind: RelatedKind) -> &'static str {
        match kind {
            RelatedKind::Scope => "Scope",
            RelatedKind::Course => "Course",
            RelatedKind::Technologies => "Technologies",
            RelatedKind::Lifecycle => "Lifecycle",
            RelatedKind::Choose => "Choose it if",
        }
    }

    /// One fact as a table cell says it (the column names the certification).
    pub fn cell_fact(self, fact: &Fact) -> String {
        match fact {
            Fact::Scope(scope) => capitalized(scope),
            Fact::Course { days, price } => self.course(*days, price),
            Fact::NoCourse => capitalized(self.no_course()),
            Fact::Technologies(names) => names.join(", "),
            Fact::Lifecycle(lifecycle) => capitalized(&self.lifecycle(lifecycle)),
            Fact::Choose(when) => capitalized(when),
        }
    }

    /// The related table, worded.
    pub fn related_table(self, table: &RelatedTable) -> WordedTable {
        WordedTable {
            columns: table.columns.clone(),
            rows: table
                .rows
                .iter()
                .map(|(kind, cells)| WordedRow {
                    aspect: *kind,
                    label: self.aspect(*kind),
                    cells: cells
                        .iter()
                        .map(|facts| {
                            if facts.is_empty() {
                                EMPTY_CELL.to_owned()
                            } else {
                                facts.iter().map(|f| self.cell_fact(f)).collect::<Vec<_>>().join("; ")
                            }
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    /// The retirement of `code` as a sentence, counting the days when 30 or fewer are
    /// left: `MS-102 retires in 4 days, on 30 November 2026.` `None` unless retiring or
    /// retired.
    pub fn retirement(self, code: &Code, lifecycle: &Lifecycle, today: NaiveDate) -> Option<String> {
        Some(match lifecycle {
            Lifecycle::Retiring { on, .. } => match lifecycle.days_left(today, 30) {
                Some(1) => format!("{code} retires tomorrow, on {}.", self.date(*on)),
                Some(days) => format!("{code} retires in {days} days, on {}.", self.date(*on)),
                None => format!("{code} retires on {}.", self.date(*on)),
            },
            Lifecycle::Retired { on: Some(on), .. } => format!("{code} retired on {}.", self.date(*on)),
            Lifecycle::Retired { on: None, .. } => format!("{code} is retired."),
            Lifecycle::Beta | Lifecycle::Active => return None,
        })
    }

    /// Why an answer may be out of date (the staleness rule), derived, never typed.
    pub fn stale(self, change: &FactChange) -> String {
        let what = match change.change {
            Change::Retired => format!("{} retired on {}", change.code, self.date(change.on)),
        };
        format!("Written before {what}: the facts on this page are current, parts of the text may not be.")
    }

    /// The Related information, worded.
    pub fn related(self, info: &RelatedInfo) -> Vec<WordedLine> {
        info.lines
            .iter()
            .map(|line| {
                let parts: Vec<WordedPart> = line
                    .parts
                    .iter()
                    .map(|p| WordedPart { code: p.code.clone(), text: self.fact(&p.code, &p.fact) })
                    .collect();
                let text = parts.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(SEPARATOR);
                WordedLine { kind: line.kind, parts, text }
            })
            .collect()
    }

    /// One side of a line: `MD-102: 5-day course, CHF 119`, `Choose MD-102 if: …`.
    pub fn fact(self, code: &Code, fact: &Fact) -> String {
        match fact {
            Fact::Scope(scope) => format!("{code}: {}", self.scope(scope)),
            Fact::Course { days, price } => format!("{code}: {}", self.course(*days, price)),
            Fact::NoCourse => format!("{code}: {}", self.no_course()),
            Fact::Technologies(names) => format!("{code}: {}", names.join(", ")),
            Fact::Lifecycle(lifecycle) => format!("{code}: {}", self.lifecycle(lifecycle)),
            Fact::Choose(when) => self.choose(code, when),
        }
    }

    pub fn scope(self, scope: &str) -> String {
        format!("{scope} scope")
    }

    pub fn course(self, days: u32, price: &Money) -> String {
        format!("{days}-day course, {}", price.format_short(self.code()))
    }

    pub fn no_course(self) -> &'static str {
        "no course offered"
    }

    pub fn choose(self, code: &Code, when: &str) -> String {
        format!("Choose {code} if: {when}")
    }

    /// `active`, `beta`, `retiring on 30 November 2026, successor AB-650`, `retired`.
    pub fn lifecycle(self, lifecycle: &Lifecycle) -> String {
        let successor = |s: Option<&Code>| s.map(|c| format!(", successor {c}")).unwrap_or_default();
        match lifecycle {
            Lifecycle::Beta => "beta".to_owned(),
            Lifecycle::Active => "active".to_owned(),
            Lifecycle::Retiring { on, successor: s } => {
                format!("retiring on {}{}", self.date(*on), successor(s.as_ref()))
            }
            Lifecycle::Retired { on: Some(on), successor: s } => {
                format!("retired on {}{}", self.date(*on), successor(s.as_ref()))
            }
            Lifecycle::Retired { on: None, successor: s } => {
                format!("retired{}", successor(s.as_ref()))
            }
        }
    }

    pub fn level(self, level: crate::domain::Level) -> &'static str {
        use crate::domain::Level;
        match level {
            Level::Fundamentals => "Fundamentals",
            Level::Associate => "Associate",
            Level::Professional => "Professional",
            Level::Expert => "Expert",
            Level::Specialty => "Specialty",
        }
    }

    pub fn delivery(self, delivery: crate::domain::Delivery) -> &'static str {
        use crate::domain::Delivery;
        match delivery {
            Delivery::Classroom => "Classroom",
            Delivery::Virtual => "Virtual classroom",
            Delivery::SelfPaced => "Self-paced",
        }
    }

    /// The language's own name, for session languages.
    pub fn language_name(self, code: &str) -> String {
        match code {
            "en" => "English".to_owned(),
            "de" => "German".to_owned(),
            "fr" => "French".to_owned(),
            "it" => "Italian".to_owned(),
            other => other.to_owned(),
        }
    }
}

/// Picks the first locale of `Accept-Language` (by quality, the order of the header
/// breaking ties) that the site has, matching on the primary language subtag; `default`
/// when none matches.
pub fn negotiate<'a>(accept: Option<&str>, locales: &'a [String], default: &'a str) -> &'a str {
    let mut wanted: Vec<(f32, &str)> = accept
        .unwrap_or_default()
        .split(',')
        .filter_map(|part| {
            let mut it = part.trim().split(';');
            let tag = it.next()?.trim();
            let q = it
                .find_map(|p| {
                    // The parameter name is case-insensitive (RFC 9110): `Q=0` refuses too.
                    let (name, q) = p.trim().split_once('=')?;
                    name.trim().eq_ignore_ascii_case("q").then(|| q.trim().parse::<f32>().ok()).flatten()
                })
                .unwrap_or(1.0);
            (!tag.is_empty() && q > 0.0).then_some((q, tag))
        })
        .collect();
    wanted.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (_, tag) in wanted {
        let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
        if let Some(l) = locales.iter().find(|l| **l == primary) {
            return l;
        }
    }
    default
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_known_locale() {
        let locales = vec!["en".to_owned(), "de".to_owned(), "fr".to_owned()];
        assert_eq!(negotiate(Some("de-CH,de;q=0.9,en;q=0.8"), &locales, "en"), "de");
        assert_eq!(negotiate(Some("it, fr;q=0.5, en;q=0.7"), &locales, "en"), "en");
        assert_eq!(negotiate(Some("it"), &locales, "en"), "en");
        assert_eq!(negotiate(Some("fr;q=0, de;q=0.1"), &locales, "en"), "de");
        assert_eq!(negotiate(None, &locales, "en"), "en");
        assert_eq!(negotiate(Some(";;,q=,"), &locales, "en"), "en");
    }

    #[test]
    fn dates_are_written_as_each_locale_writes_them() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(Lang::En.date(d), "30 November 2026");
        assert_eq!(Lang::De.date(d), "30. November 2026");
        assert_eq!(Lang::Fr.date(d), "30 novembre 2026");
    }

    #[test]
    fn lifecycle_wording_names_date_and_successor() {
        let on = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let ab = Some(Code::parse("AB-650").unwrap());
        assert_eq!(
            Lang::En.lifecycle(&Lifecycle::Retiring { on, successor: ab.clone() }),
            "retiring on 30 November 2026, successor AB-650"
        );
        assert_eq!(
            Lang::En.lifecycle(&Lifecycle::Retired { on: Some(on), successor: ab }),
            "retired on 30 November 2026, successor AB-650"
        );
        assert_eq!(Lang::En.lifecycle(&Lifecycle::Retired { on: None, successor: None }), "retired");
    }
}

/// `text` with its first letter in upper case.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Interface phrases of one language.
#[derive(Debug)]
pub struct Ui {
    /// The comparison, the advisor and the team planner.
    pub decide: &'static Decide,
    pub skip_to_content: &'static str,
    pub nav_label: &'static str,
    pub home: &'static str,
    pub answers: &'static str,
    pub certifications: &'static str,
    pub breadcrumb: &'static str,
    pub published: &'static str,
    pub last_reviewed: &'static str,
    pub by: &'static str,
    pub related_information: &'static str,
    pub expert_insight: &'static str,
    pub about_the_author: &'static str,
    pub topics: &'static str,
    pub related_answers: &'static str,
    pub course: &'static str,
    pub courses: &'static str,
    pub latest_answers: &'static str,
    pub all_answers: &'static str,
    pub catalog: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub bad_request_title: &'static str,
    pub server_error_title: &'static str,
    pub unavailable_title: &'static str,
    pub too_many_title: &'static str,
    pub too_large_title: &'static str,
    pub server_error_text: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub page: &'static str,
    pub filter: &'static str,
    pub vendor: &'static str,
    pub level: &'static str,
    pub status: &'static str,
    pub any: &'static str,
    pub apply: &'static str,
    pub topic: &'static str,
    pub no_results: &'static str,
    pub code: &'static str,
    pub title: &'static str,
    pub credential: &'static str,
    pub scope: &'static str,
    pub exam_length: &'static str,
    pub minutes: &'static str,
    pub skills_measured: &'static str,
    pub domain: &'static str,
    pub weight: &'static str,
    pub technologies: &'static str,
    pub roles: &'static str,
    pub prerequisites: &'static str,
    pub prerequisites_any: &'static str,
    pub none: &'static str,
    pub lifecycle: &'static str,
    pub successor: &'static str,
    pub sources: &'static str,
    pub checked_on: &'static str,
    pub unconfirmed: &'static str,
    pub unconfirmed_note: &'static str,
    pub answers_about: &'static str,
    pub duration: &'static str,
    pub days: &'static str,
    pub price: &'static str,
    pub delivery: &'static str,
    pub sessions: &'static str,
    pub no_sessions: &'static str,
    pub starts_on: &'static str,
    pub location: &'static str,
    pub language: &'static str,
    pub seats: &'static str,
    pub prepares_for: &'static str,
    pub credentials: &'static str,
    pub written_answers: &'static str,
    pub footer_note: &'static str,
    pub forbidden_title: &'static str,
    pub cookie_settings: &'static str,
    pub consent_title: &'static str,
    pub consent_text: &'static str,
    pub consent_changed: &'static str,
    pub accept_all: &'static str,
    pub reject_all: &'static str,
    pub customize: &'static str,
    pub save_choices: &'static str,
    pub withdraw: &'static str,
    pub close: &'static str,
    pub saved: &'static str,
    pub back: &'static str,
    pub consent_necessary: &'static str,
    pub consent_necessary_text: &'static str,
    pub consent_cookie_purpose: &'static str,
    pub consent_preferences: &'static str,
    pub consent_preferences_text: &'static str,
    pub consent_analytics: &'static str,
    pub consent_analytics_text: &'static str,
    pub consent_marketing: &'static str,
    pub consent_marketing_text: &'static str,
    pub consent_allow: &'static str,
    pub consent_no_services: &'static str,
    pub consent_gpc: &'static str,
    pub consent_current: &'static str,
    pub consent_granted: &'static str,
    pub consent_not_granted: &'static str,
    pub service: &'static str,
    pub purpose: &'static str,
    pub cookies: &'static str,
    pub lifetime: &'static str,
    pub third_party_host: &'static str,
    pub first_party: &'static str,
    pub site_purpose: &'static str,
    pub gone_title: &'static str,
    pub ask_about_course: &'static str,
    pub request_place: &'static str,
    pub next_sessions: &'static str,
    pub taught_by: &'static str,
    pub price_note: &'static str,
    pub inquiry_title: &'static str,
    pub inquiry_intro: &'static str,
    pub your_name: &'static str,
    pub your_email: &'static str,
    pub your_company: &'static str,
    pub your_message: &'static str,
    pub session: &'static str,
    pub any_session: &'static str,
    pub inquiry_agree: &'static str,
    pub inquiry_privacy: &'static str,
    pub send_inquiry: &'static str,
    pub thanks_title: &'static str,
    pub thanks_text: &'static str,
    pub back_to_course: &'static str,
    pub inquiry_problems: &'static str,
    pub problem_missing: &'static str,
    pub problem_email: &'static str,
    pub problem_session: &'static str,
    pub problem_control: &'static str,
    pub problem_agree: &'static str,
    pub has_upcoming: &'static str,
    pub website_trap: &'static str,
    pub home_title: &'static str,
    pub browse_catalog: &'static str,
    pub retiring_soon: &'static str,
    pub retiring_soon_text: &'static str,
    pub families: &'static str,
    pub topics_text: &'static str,
    pub courses_text: &'static str,
    pub imprint: &'static str,
    pub privacy: &'static str,
    pub about: &'static str,
    pub contact: &'static str,
    pub aspect: &'static str,
    pub compare_jump: &'static str,
    pub notice_retiring: &'static str,
    pub notice_retired: &'static str,
    pub notice_stale: &'static str,
    pub successor_is: &'static str,
    pub consent_short: &'static str,
    pub privacy_notice: &'static str,
    pub site_nav: &'static str,
}

pub static EN: Ui = Ui {
    decide: &DECIDE_EN,
    skip_to_content: "Skip to content",
    nav_label: "Main",
    home: "Home",
    answers: "Answers",
    certifications: "Certifications",
    breadcrumb: "Breadcrumb",
    published: "Published",
    last_reviewed: "Last reviewed",
    by: "By",
    related_information: "Related information",
    expert_insight: "Expert insight",
    about_the_author: "About the author",
    topics: "Topics",
    related_answers: "Related answers",
    course: "Course",
    courses: "Courses",
    latest_answers: "Latest answers",
    all_answers: "All answers",
    catalog: "Certification catalog",
    not_found_title: "Page not found",
    not_found_text: "We could not find that page. It may have moved, or the address may be mistyped.",
    bad_request_title: "Bad request",
    server_error_title: "Something went wrong",
    unavailable_title: "Please try again in a moment",
    too_many_title: "Too many requests",
    too_large_title: "Too much data",
    server_error_text: "The server could not complete the request. Please try again in a moment.",
    previous: "Previous",
    next: "Next",
    page: "Page",
    filter: "Filter",
    vendor: "Vendor",
    level: "Level",
    status: "Status",
    any: "Any",
    apply: "Apply",
    topic: "Topic",
    no_results: "Nothing matches these filters.",
    code: "Exam",
    title: "Title",
    credential: "Credential",
    scope: "Scope",
    exam_length: "Exam length",
    minutes: "minutes",
    skills_measured: "Skills measured",
    domain: "Domain",
    weight: "Weight",
    technologies: "Technologies",
    roles: "Roles",
    prerequisites: "Prerequisites",
    prerequisites_any: "Holding any one of these satisfies the prerequisite.",
    none: "None",
    lifecycle: "Lifecycle",
    successor: "Successor",
    sources: "Sources",
    checked_on: "checked on",
    unconfirmed: "unconfirmed",
    unconfirmed_note: "Facts marked unconfirmed come from sources that disagree or could not be verified against the vendor's official pages.",
    answers_about: "Answers about",
    duration: "Duration",
    days: "days",
    price: "Price",
    delivery: "Delivery",
    sessions: "Sessions",
    no_sessions: "No sessions are scheduled at the moment.",
    starts_on: "Starts on",
    location: "Location",
    language: "Language",
    seats: "Seats",
    prepares_for: "Prepares for",
    credentials: "Credentials",
    written_answers: "Answers",
    footer_note: "Facts are derived from the certification catalog, with sources and the dates they were checked.",
    forbidden_title: "Request refused",
    cookie_settings: "Cookie settings",
    consent_title: "Cookies on this site",
    consent_text: "We use cookies that this site needs to work. With your consent we also use cookies to remember preferences, to count visits and for marketing. Nothing beyond the necessary is loaded until you choose, and you can change your choice at any time under Cookie settings.",
    consent_changed: "Our cookie policy has changed since you last chose, so we ask again. Policy version now in force:",
    accept_all: "Accept all",
    reject_all: "Reject all",
    customize: "Customize",
    save_choices: "Save my choices",
    withdraw: "Withdraw consent",
    close: "Close",
    saved: "Your choices are saved.",
    back: "Back to the page you were reading",
    consent_necessary: "Necessary",
    consent_necessary_text: "Always active. These cookies make the site work and remember your cookie choice; they are never used for tracking and cannot be switched off.",
    consent_cookie_purpose: "Remembers your cookie choice, signed so that it cannot be altered",
    consent_preferences: "Preferences",
    consent_preferences_text: "Remember settings such as your language so you do not have to set them again.",
    consent_analytics: "Analytics",
    consent_analytics_text: "Count visits and see which answers help, so we can improve them.",
    consent_marketing: "Marketing",
    consent_marketing_text: "Measure our campaigns and show you relevant course offers elsewhere.",
    consent_allow: "Allow",
    consent_no_services: "No services use this category at the moment.",
    consent_gpc: "Your browser sends a Global Privacy Control signal. We treat it as a refusal of everything beyond the necessary, unless you choose otherwise here.",
    consent_current: "Your current choice",
    consent_granted: "allowed",
    consent_not_granted: "not allowed",
    service: "Service",
    purpose: "Purpose",
    cookies: "Cookies",
    lifetime: "Lifetime",
    third_party_host: "Third-party host",
    first_party: "none (served by this site)",
    gone_title: "No longer available",
    ask_about_course: "Ask about this course",
    request_place: "Request a place",
    next_sessions: "Next sessions",
    taught_by: "Taught by",
    price_note: "Price note",
    inquiry_title: "Ask about this course",
    inquiry_intro: "Send us your question or request a place; we answer by email, usually within two working days.",
    your_name: "Your name",
    your_email: "Email",
    your_company: "Company (optional)",
    your_message: "Message (optional)",
    session: "Session",
    any_session: "No particular session",
    inquiry_agree: "You may contact me about this inquiry.",
    inquiry_privacy: "What we keep of your inquiry, and for how long, is in our",
    send_inquiry: "Send",
    thanks_title: "Thank you",
    thanks_text: "Your inquiry has reached us. We answer by email, usually within two working days.",
    back_to_course: "Back to the course",
    inquiry_problems: "Please check the fields marked below.",
    problem_missing: "Please fill this in.",
    problem_email: "Please enter an email address like name@example.com.",
    problem_control: "Please keep this to one line, without special characters.",
    problem_session: "That session is no longer open for requests. Please choose another one, or none.",
    problem_agree: "Please tick this box so that we may answer you.",
    has_upcoming: "Only courses with upcoming sessions",
    website_trap: "Leave this field empty",
    home_title: "Certification answers you can check",
    site_purpose: "Straight answers about IT certification exams — which one fits your role, what changed, and which course prepares you — with every fact sourced and dated.",
    browse_catalog: "Browse the catalog",
    retiring_soon: "Retiring soon",
    retiring_soon_text: "These exams retire shortly. Book the exam before the date, or plan for the successor.",
    families: "Certifications by vendor and level",
    topics_text: "Every subject our answers cover, with the answers and certifications of each.",
    courses_text: "Instructor-led courses that prepare for the certifications in our catalog.",
    imprint: "Imprint",
    privacy: "Privacy",
    about: "About",
    contact: "Contact",
    aspect: "Aspect",
    compare_jump: "Compare the certifications side by side",
    notice_retiring: "Exam retiring",
    notice_retired: "Exam retired",
    notice_stale: "Facts changed since this answer was written",
    successor_is: "Its successor is",
    consent_short: "Necessary cookies keep this site working. Others, for preferences, analytics and marketing, only with your consent.",
    privacy_notice: "Privacy notice",
    site_nav: "Site",
};

/// The words of the pages that help readers decide: compare, advisor, team planner.
#[derive(Debug)]
pub struct Decide {
    pub compare: &'static str,
    pub compare_title: &'static str,
    pub and_word: &'static str,
    pub compare_side_by_side: &'static str,
    pub compare_with: &'static str,
    pub compare_with_note: &'static str,
    pub at_a_glance: &'static str,
    pub skills_chart: &'static str,
    pub skills_chart_note: &'static str,
    pub as_table: &'static str,
    pub weight_range: &'static str,
    pub exam: &'static str,
    pub coverage_heading: &'static str,
    pub coverage_note: &'static str,
    pub responsibility: &'static str,
    pub covered: &'static str,
    pub shared_technologies: &'static str,
    pub only_in: &'static str,
    pub nothing_shared: &'static str,
    pub order_heading: &'static str,
    pub order_note: &'static str,
    pub needs_one_of: &'static str,
    pub no_domains: &'static str,
    pub course_and_price: &'static str,
    pub no_course: &'static str,
    pub advisor: &'static str,
    pub decide_heading: &'static str,
    pub advisor_title: &'static str,
    pub advisor_lead: &'static str,
    pub advisor_teaser: &'static str,
    pub your_responsibilities: &'static str,
    pub emphasis_none: &'static str,
    pub emphasis_1: &'static str,
    pub emphasis_2: &'static str,
    pub emphasis_3: &'static str,
    pub held_heading: &'static str,
    pub held_note: &'static str,
    pub show_advice: &'static str,
    pub ranked_heading: &'static str,
    pub score: &'static str,
    pub path_heading: &'static str,
    pub path_note: &'static str,
    pub step_prerequisite_of: &'static str,
    pub step_replaces: &'static str,
    pub step_retiring: &'static str,
    pub no_successor: &'static str,
    pub uncovered: &'static str,
    pub total_days: &'static str,
    pub total_price: &'static str,
    pub without_course: &'static str,
    pub nothing_fits: &'static str,
    pub pick_one: &'static str,
    pub unknown_inputs: &'static str,
    pub share_link: &'static str,
    pub change_choices: &'static str,
    pub planner: &'static str,
    pub planner_title: &'static str,
    pub planner_lead: &'static str,
    pub planner_teaser: &'static str,
    pub csv_label: &'static str,
    pub csv_help: &'static str,
    pub file_label: &'static str,
    pub plan_button: &'static str,
    pub example: &'static str,
    pub responsibility_ids: &'static str,
    pub team_heading: &'static str,
    pub people: &'static str,
    pub people_per_course: &'static str,
    pub ask_places: &'static str,
    pub person: &'static str,
    pub assigned: &'static str,
    pub mismatches: &'static str,
    pub no_mismatch: &'static str,
    pub mismatch_coverage: &'static str,
    pub mismatch_prerequisite: &'static str,
    pub mismatch_lifecycle: &'static str,
    pub rows_skipped: &'static str,
    pub line: &'static str,
    pub download_csv: &'static str,
    pub print: &'static str,
    pub names_not_kept: &'static str,
    pub plan_again: &'static str,
}

pub static DECIDE_EN: Decide = Decide {
    compare: "Compare",
    compare_title: "Side by side",
    and_word: "and",
    compare_side_by_side: "Compare side by side",
    compare_with: "Compare with",
    compare_with_note: "Exams readers often weigh against this one:",
    at_a_glance: "At a glance",
    skills_chart: "What each exam measures",
    skills_chart_note: "Each bar is one skills domain: the dark part is its lowest weight, the light part the range up to its highest.",
    as_table: "The same numbers as a table",
    weight_range: "Weight",
    exam: "Exam",
    coverage_heading: "How much of each exam is about each responsibility",
    coverage_note: "A responsibility counts as covered when at least 10% of the exam is about it.",
    responsibility: "Responsibility",
    covered: "covered",
    shared_technologies: "Technologies in all of them",
    only_in: "Only in",
    nothing_shared: "None in common.",
    order_heading: "Prerequisites and the order to take them",
    order_note: "A prerequisite first, then lower levels before higher.",
    needs_one_of: "take first:",
    no_domains: "The catalog has no skills outline for this exam yet.",
    course_and_price: "Course",
    no_course: "No course yet",
    advisor: "Advisor",
    decide_heading: "Find the right exam",
    advisor_title: "Which certification fits your role?",
    advisor_lead: "Tell us what your job involves and how much. We rank the exams by how much of each is about your work, and propose a path with our courses.",
    advisor_teaser: "Not sure which exam fits? Tell the advisor what your job involves.",
    your_responsibilities: "What your job involves",
    emphasis_none: "Not my job",
    emphasis_1: "A small part",
    emphasis_2: "A regular part",
    emphasis_3: "A main part",
    held_heading: "Certifications you hold",
    held_note: "They are left out of your path and count towards its prerequisites.",
    show_advice: "Show my advice",
    ranked_heading: "Exams ranked for your role",
    score: "Fit",
    path_heading: "Your path",
    path_note: "Prerequisites first, then lower levels before higher. Each step with the course that prepares for it.",
    step_prerequisite_of: "Prerequisite of",
    step_replaces: "Replaces",
    step_retiring: "Retires on",
    no_successor: "has retired and has no successor in the catalog.",
    uncovered: "No exam in the catalog covers:",
    total_days: "Total days of training",
    total_price: "Total price",
    without_course: "No course yet for",
    nothing_fits: "No exam in the catalog measures these responsibilities.",
    pick_one: "Choose at least one responsibility, then show your advice.",
    unknown_inputs: "Some of the link's choices are not in the catalog and were left out:",
    share_link: "This page's address keeps your choices: share it or bookmark it.",
    change_choices: "Change your choices",
    planner: "Team planner",
    planner_title: "Plan your team's training",
    planner_lead: "Paste or upload a list of your people with their responsibilities. You get each person's path, the mismatches of exams already assigned, and the team's days and budget.",
    planner_teaser: "Training a team? Plan everyone's path at once.",
    csv_label: "Your team as CSV",
    csv_help: "One row per person with the columns name, responsibilities, held (optional) and assigned (optional). Separate the items of a list with | (or with ; when the columns are separated by commas). A weight 1–3 may follow an id: device-fleet:3.",
    file_label: "Or upload a CSV file (UTF-8)",
    plan_button: "Plan the training",
    example: "Example",
    responsibility_ids: "Responsibility ids",
    team_heading: "The team",
    people: "People",
    people_per_course: "Courses and places",
    ask_places: "Ask about places for",
    person: "Each person",
    assigned: "Assigned",
    mismatches: "Mismatches",
    no_mismatch: "The assigned exam fits.",
    mismatch_coverage: "Little of the work",
    mismatch_prerequisite: "Prerequisite missing",
    mismatch_lifecycle: "Retiring or retired",
    rows_skipped: "Rows that could not be planned",
    line: "Line",
    download_csv: "Download the plan as CSV",
    print: "Print",
    names_not_kept: "Names are used for this answer only: they are never stored or logged.",
    plan_again: "Change the list",
};

impl Lang {
    /// The interface phrases; German and French use English until translated.
    pub fn ui(self) -> &'static Ui {
        &EN
    }
}

impl Lang {
    /// Why an exam fits a reader, from its numbers: `55% of the exam is about “Enrol,
    /// configure …”, which you weighted highest; it covers 2 of your 2 responsibilities.`
    pub fn explain(
        self,
        score: &crate::domain::advice::Score,
        label: &dyn Fn(&crate::domain::Slug) -> String,
    ) -> String {
        let of = score.of;
        let covered = score.covered.len();
        let coverage = match (of, covered) {
            (1, 1) => "it covers your one responsibility".to_owned(),
            (1, _) => "it does not cover your responsibility".to_owned(),
            _ => format!("it covers {covered} of your {of} responsibilities"),
        };
        match &score.focus {
            Some(focus) => {
                let weighted = if focus.highest {
                    "which you weighted highest".to_owned()
                } else {
                    format!("which you rated “{}”", self.emphasis(focus.emphasis).to_lowercase())
                };
                format!(
                    "{:.0}% of the exam is about “{}”, {weighted}; {coverage}.",
                    focus.share * 100.0,
                    label(&focus.responsibility)
                )
            }
            None => "None of the exam is about the responsibilities you chose.".to_owned(),
        }
    }

    /// The message an inquiry for a team's places starts with.
    pub fn places_message(self, people: u32) -> String {
        if people == 1 {
            "We would like a place for 1 person.".to_owned()
        } else {
            format!("We would like places for {people} people.")
        }
    }

    /// The words of an emphasis: `A main part`.
    pub fn emphasis(self, emphasis: crate::domain::advice::Emphasis) -> &'static str {
        let t = self.ui().decide;
        match emphasis.get() {
            1 => t.emphasis_1,
            2 => t.emphasis_2,
            _ => t.emphasis_3,
        }
    }

    /// A mismatch of an assigned exam, explained.
    pub fn mismatch(
        self,
        assigned: &Code,
        mismatch: &crate::domain::advice::Mismatch,
        today: NaiveDate,
    ) -> String {
        use crate::domain::advice::Mismatch;
        match mismatch {
            Mismatch::Coverage { score, better, better_score } => format!(
                "{assigned} fits this person's responsibilities {} of 100; {better} fits them {} of 100 and covers more of their work.",
                whole(*score),
                whole(*better_score)
            ),
            Mismatch::Prerequisite { alternatives, unconfirmed } => {
                let codes: Vec<&str> = alternatives.iter().map(Code::as_str).collect();
                let which = if codes.len() == 1 {
                    codes[0].to_owned()
                } else {
                    format!("one of {}", codes.join(", "))
                };
                let note = if *unconfirmed { " (prerequisite unconfirmed)" } else { "" };
                format!("{assigned} requires {which} first, and this person holds none of them{note}.")
            }
            Mismatch::Lifecycle { lifecycle } => match lifecycle {
                Lifecycle::Retiring { on, successor } => {
                    let days = (*on - today).num_days();
                    let after =
                        successor.as_ref().map(|s| format!("; its successor is {s}")).unwrap_or_default();
                    format!(
                        "{assigned} retires on {}, in {}{after}.",
                        self.date(*on),
                        self.days(u32::try_from(days).unwrap_or(0))
                    )
                }
                Lifecycle::Retired { on, successor } => {
                    let when = on.map(|d| format!(" on {}", self.date(d))).unwrap_or_default();
                    let after =
                        successor.as_ref().map(|s| format!("; its successor is {s}")).unwrap_or_default();
                    format!("{assigned} retired{when}{after}.")
                }
                Lifecycle::Beta | Lifecycle::Active => String::new(),
            },
        }
    }
}

/// A score as pages show it: rounded half up, like `Score::points`.
fn whole(score: f64) -> u32 {
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "0..=100, rounded")]
    let points = score.round().clamp(0.0, 100.0) as u32;
    points
}

/// The Related information of the reference answer, derived and worded.
#[cfg(test)]
mod related_tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::fixtures::*;
    use crate::domain::{Answer, Catalog, Choose, Status};

    fn derive(answer: &Answer, catalog: &Catalog, today: NaiveDate) -> Vec<WordedLine> {
        Lang::En.related(&RelatedInfo::derive(answer, catalog, today))
    }

    fn reference_catalog() -> Catalog {
        let md =
            cert("MD-102", "endpoint management", &["Intune", "Autopilot", "Entra ID", "Defender (device)"]);
        let mut ms = cert(
            "MS-102",
            "full Microsoft 365 tenant",
            &["Defender (tenant)", "DLP", "retention", "identity sync"],
        );
        ms.retires_on = Some(day("2026-11-30"));
        ms.successor = Some(code("AB-650"));
        catalog(
            vec![md, ms],
            vec![
                course("md-102-course", "MD-102", 5, "119.00", "CHF"),
                course("ms-102-course", "MS-102", 5, "119.00", "CHF"),
            ],
        )
    }

    fn reference_answer() -> Answer {
        let mut a = answer(&["MD-102", "MS-102"]);
        a.choose = vec![
            Choose {
                certification: code("MD-102"),
                when: "your primary role is device fleet management and endpoint security".into(),
            },
            Choose {
                certification: code("MS-102"),
                when: "you are responsible for the whole Microsoft 365 environment".into(),
            },
        ];
        a
    }

    fn texts(info: &[WordedLine]) -> Vec<&str> {
        info.iter().map(|l| l.text.as_str()).collect()
    }

    #[test]
    fn reference_answer_lines_before_retirement() {
        let info = derive(&reference_answer(), &reference_catalog(), day("2026-11-26"));
        assert_eq!(
            texts(&info),
            [
                "MD-102: endpoint management scope · MS-102: full Microsoft 365 tenant scope",
                "MD-102: 5-day course, CHF 119 · MS-102: 5-day course, CHF 119",
                "MD-102: Intune, Autopilot, Entra ID, Defender (device) · MS-102: Defender (tenant), DLP, retention, identity sync",
                "MD-102: active · MS-102: retiring on 30 November 2026, successor AB-650",
                "Choose MD-102 if: your primary role is device fleet management and endpoint security",
                "Choose MS-102 if: you are responsible for the whole Microsoft 365 environment",
            ]
        );
    }

    #[test]
    fn after_retirement_the_lifecycle_line_says_retired() {
        let info = derive(&reference_answer(), &reference_catalog(), day("2026-12-01"));
        let lifecycle = info.iter().find(|l| l.kind == RelatedKind::Lifecycle).unwrap();
        assert_eq!(lifecycle.text, "MD-102: active · MS-102: retired on 30 November 2026, successor AB-650");
    }

    #[test]
    fn a_price_change_changes_the_line() {
        let mut cat = reference_catalog();
        cat.courses.get_mut(&slug("ms-102-course")).unwrap().price =
            crate::domain::Money::parse("1450.50", "EUR").unwrap();
        let info = derive(&reference_answer(), &cat, day("2026-11-26"));
        assert_eq!(info[1].text, "MD-102: 5-day course, CHF 119 · MS-102: 5-day course, EUR 1,450.50");
    }

    #[test]
    fn zero_certifications_give_no_lines() {
        let info = derive(&answer(&[]), &reference_catalog(), day("2026-11-26"));
        assert!(info.is_empty());
    }

    #[test]
    fn three_certifications_give_three_sides_in_answer_order() {
        let mut cat = reference_catalog();
        let mut old = cert("ZZ-1", "legacy", &["Thing"]);
        old.vendor = "Other".into();
        old.status = Status::Retired;
        old.retires_on = Some(day("2001-06-30"));
        cat.certifications.insert(old.code.clone(), old);
        let info = derive(&answer(&["ZZ-1", "MS-102", "MD-102"]), &cat, day("2026-11-26"));
        assert_eq!(info[0].parts.len(), 3);
        assert_eq!(
            info[1].text,
            "ZZ-1: no course offered · MS-102: 5-day course, CHF 119 · MD-102: 5-day course, CHF 119"
        );
        assert_eq!(info[3].parts[0].text, "ZZ-1: retired on 30 June 2001");
        assert_eq!(info[0].text.matches(SEPARATOR).count(), 2);
    }

    #[test]
    fn the_shortest_then_cheapest_course_is_quoted() {
        let mut cat = reference_catalog();
        let extra = course("md-102-bootcamp", "MD-102", 3, "2900", "CHF");
        cat.courses.insert(extra.slug.clone(), extra);
        let info = derive(&answer(&["MD-102"]), &cat, day("2026-11-26"));
        assert_eq!(info[1].text, "MD-102: 3-day course, CHF 2,900");
    }
}
