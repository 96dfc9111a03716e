//! The rules that span files: names match file names, identifiers are unique, and every
//! reference resolves.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::{Draft, stem};
use crate::domain::{Code, Page, Slug};

/// Reports the second and later records that reuse a key.
fn unique<K: std::hash::Hash + Eq + std::fmt::Display>(
    draft: &mut Draft,
    what: &str,
    items: Vec<(K, usize, usize)>,
) {
    let mut first: HashMap<K, usize> = HashMap::new();
    for (key, file, at) in items {
        if let Some(&earlier) = first.get(&key) {
            let where_ = draft.files[earlier].path.display().to_string();
            draft.error(file, at, format!("duplicate {what} `{key}`: already defined in {where_}"));
        } else {
            first.insert(key, file);
        }
    }
}

pub(crate) fn cross_check(draft: &mut Draft) {
    file_names(draft);
    uniqueness(draft);
    references(draft);
}

fn file_names(draft: &mut Draft) {
    let mut problems = Vec::new();
    for r in &draft.certifications {
        let expected = r.value.code.to_lowercase();
        if stem(&draft.files[r.file].path) != expected {
            problems.push((
                r.file,
                r.locs.get("code"),
                format!("the file of certification `{}` must be named `{expected}.toml`", r.value.code),
            ));
        }
    }
    let slugged = draft
        .courses
        .iter()
        .map(|r| (r.file, r.locs.get("slug"), r.value.slug.as_str(), "course"))
        .chain(draft.experts.iter().map(|r| (r.file, r.locs.get("slug"), r.value.slug.as_str(), "expert")))
        .chain(draft.topics.iter().map(|r| (r.file, r.locs.get("slug"), r.value.slug.as_str(), "topic")));
    for (file, at, slug, what) in slugged {
        if stem(&draft.files[file].path) != slug {
            problems.push((file, at, format!("the file of {what} `{slug}` must be named `{slug}.toml`")));
        }
    }
    for (file, at, message) in problems {
        draft.error(file, at, message);
    }
}

fn uniqueness(draft: &mut Draft) {
    let codes =
        draft.certifications.iter().map(|r| (r.value.code.clone(), r.file, r.locs.get("code"))).collect();
    unique(draft, "certification code", codes);
    let courses = draft.courses.iter().map(|r| (r.value.slug.clone(), r.file, r.locs.get("slug"))).collect();
    unique(draft, "course slug", courses);
    let experts = draft.experts.iter().map(|r| (r.value.slug.clone(), r.file, r.locs.get("slug"))).collect();
    unique(draft, "expert slug", experts);
    let topics = draft.topics.iter().map(|r| (r.value.slug.clone(), r.file, r.locs.get("slug"))).collect();
    unique(draft, "topic slug", topics);
    let resp = draft.responsibilities.iter().map(|(r, file, at)| (r.id.clone(), *file, *at)).collect();
    unique(draft, "responsibility id", resp);
    let keys = draft
        .answers
        .iter()
        .filter_map(|r| {
            let key = r.value.translation_key.as_ref()?;
            Some((format!("{key}` in locale `{}", r.value.locale), r.file, r.locs.get("translation_key")))
        })
        .collect();
    unique(draft, "translation_key", keys);
    let pages =
        draft.pages.iter().map(|r| (format!("{}/{}", r.value.locale, r.value.slug), r.file, 0)).collect();
    unique(draft, "page", pages);
    if let Some(site) = &draft.site {
        let file = site.file;
        let services = site
            .value
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), file, site.locs.get(&format!("consent.services[{i}].id"))))
            .collect();
        unique(draft, "consent service id", services);
    }
}

/// The stems of the `.toml` files in `folder` that were read but gave no record because
/// of their own errors. A reference to one of them is not reported again: the file's
/// own errors say what is wrong, and "no file ..." would be false.
fn broken_stems(draft: &Draft, folder: &str, parsed: impl Iterator<Item = usize>) -> BTreeSet<String> {
    let parsed: BTreeSet<usize> = parsed.collect();
    draft
        .files
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            !parsed.contains(i)
                && f.path.extension().is_some_and(|e| e == "toml")
                && f.path.parent().and_then(Path::file_name).is_some_and(|n| n == folder)
        })
        .map(|(_, f)| stem(&f.path))
        .chain(draft.unreadable.iter().filter_map(|rel| {
            let file = rel.strip_prefix(folder)?.strip_prefix('/')?;
            file.strip_suffix(".toml").map(str::to_owned)
        }))
        .collect()
}

/// What references may point at.
struct Known {
    codes: BTreeSet<Code>,
    experts: BTreeSet<Slug>,
    responsibilities: Option<BTreeSet<Slug>>,
    locales: Option<Vec<String>>,
}

/// Problems found by the reference checks: (file, offset, message).
#[derive(Default)]
struct Findings {
    errors: Vec<(usize, usize, String)>,
    warnings: Vec<(usize, usize, String)>,
}

fn references(draft: &mut Draft) {
    let mut codes: BTreeSet<String> =
        draft.certifications.iter().map(|r| r.value.code.to_lowercase()).collect();
    codes.extend(broken_stems(draft, "certifications", draft.certifications.iter().map(|r| r.file)));
    let mut experts: BTreeSet<String> = draft.experts.iter().map(|r| r.value.slug.to_string()).collect();
    experts.extend(broken_stems(draft, "experts", draft.experts.iter().map(|r| r.file)));
    let known = Known {
        codes: codes.into_iter().filter_map(|c| Code::from_url(&c)).collect(),
        experts: experts.into_iter().filter_map(|s| Slug::parse(&s).ok()).collect(),
        responsibilities: draft.responsibility_ids.clone(),
        locales: draft.site.as_ref().map(|s| s.value.locales.clone()),
    };
    let mut found = Findings::default();
    certification_refs(draft, &known, &mut found);
    course_refs(draft, &known, &mut found);
    answer_refs(draft, &known, &mut found);
    page_rules(draft, &known, &mut found);
    translation_locales(draft, &mut found);
    brand_links(draft, &mut found);
    for (file, at, message) in found.errors {
        draft.error(file, at, message);
    }
    for (file, at, message) in found.warnings {
        draft.warning(file, at, message);
    }
}

fn certification_refs(draft: &Draft, known: &Known, found: &mut Findings) {
    for r in &draft.certifications {
        let c = &r.value;
        for (i, p) in c.prerequisites.alternatives().iter().enumerate() {
            let at = r.locs.get(&format!("prerequisites[{i}]"));
            if p == &c.code {
                found.errors.push((r.file, at, format!("`{}` cannot be its own prerequisite", c.code)));
            } else if !known.codes.contains(p) {
                found.warnings.push((r.file, at, format!("prerequisite `{p}` is not in the catalog")));
            }
        }
        if let Some(s) = &c.successor {
            if !known.codes.contains(s) {
                found.warnings.push((
                    r.file,
                    r.locs.get("successor"),
                    format!("successor `{s}` is not in the catalog"),
                ));
            }
        }
        for (d, domain) in c.domains.iter().enumerate() {
            for (i, id) in domain.responsibilities.iter().enumerate() {
                if known.responsibilities.as_ref().is_some_and(|ids| !ids.contains(id)) {
                    let at = r.locs.get(&format!("domains[{d}].responsibilities[{i}]"));
                    let message =
                        format!("unknown responsibility `{id}`: it is not in responsibilities.toml");
                    found.errors.push((r.file, at, message));
                }
            }
        }
    }
}

/// The message for a locale folder that is not one of the site's locales.
fn unknown_locale(known: &Known, locale: &str) -> Option<String> {
    let locales = known.locales.as_ref()?;
    (!locales.iter().any(|l| l == locale)).then(|| {
        format!("locale folder `{locale}` is not one of site.toml's `locales` ({})", locales.join(", "))
    })
}

fn page_rules(draft: &Draft, known: &Known, found: &mut Findings) {
    for r in &draft.pages {
        let p = &r.value;
        if let Some(message) = unknown_locale(known, &p.locale) {
            found.errors.push((r.file, 0, message));
        }
        if Page::is_route_name(p.slug.as_str()) {
            let message = format!(
                "the page slug `{slug}` is a route name: `/{locale}/{slug}` belongs to the site itself; rename the file",
                slug = p.slug,
                locale = p.locale
            );
            found.errors.push((r.file, 0, message));
        }
    }
}

/// `[translations.<locale>]` translates into one of the site's other locales: not into a
/// locale the site does not publish, and not into the default locale, in which the
/// fields themselves are written.
fn translation_locales(draft: &Draft, found: &mut Findings) {
    let Some(site) = &draft.site else {
        return;
    };
    let site = &site.value;
    let records = draft
        .certifications
        .iter()
        .flat_map(|r| r.value.translations.keys().map(move |l| (r.file, &r.locs, l)))
        .chain(
            draft.courses.iter().flat_map(|r| r.value.translations.keys().map(move |l| (r.file, &r.locs, l))),
        )
        .chain(
            draft.topics.iter().flat_map(|r| r.value.translations.keys().map(move |l| (r.file, &r.locs, l))),
        );
    for (file, locs, locale) in records {
        let at = locs.get(&format!("translations.{locale}"));
        if *locale == site.default_locale {
            let message = format!(
                "`[translations.{locale}]`: `{locale}` is the site's `default_locale`, the language the fields \
                 themselves are written in; translations are for the other `locales`"
            );
            found.errors.push((file, at, message));
        } else if !site.locales.contains(locale) {
            let message = format!(
                "`[translations.{locale}]`: `{locale}` is not one of site.toml's `locales` ({})",
                site.locales.join(", ")
            );
            found.errors.push((file, at, message));
        }
    }
}

/// `[brand]` links written as `/{locale}/{slug}` should find their page: a warning, since
/// the path may be served by something else in front of the site.
fn brand_links(draft: &Draft, found: &mut Findings) {
    let Some(site) = &draft.site else {
        return;
    };
    let brand = &site.value.brand;
    for (key, link) in [("imprint_url", &brand.imprint_url), ("privacy_url", &brand.privacy_url)] {
        let Some(link) = link else {
            continue;
        };
        let Some((locale, slug)) = link.strip_prefix('/').and_then(|p| p.split_once('/')) else {
            continue;
        };
        let names_a_page = site.value.locales.iter().any(|l| l == locale)
            && Slug::parse(slug).is_ok()
            && !Page::is_route_name(slug);
        let exists = draft.pages.iter().any(|p| p.value.locale == locale && p.value.slug.as_str() == slug);
        if names_a_page && !exists {
            let message =
                format!("`{key}` `{link}` names no page: there is no file pages/{locale}/{slug}.md");
            found.warnings.push((site.file, site.locs.get(&format!("brand.{key}")), message));
        }
    }
}

fn unknown_certification(code: &Code) -> String {
    format!("unknown certification `{code}`: no file certifications/{}.toml", code.to_lowercase())
}

fn course_refs(draft: &Draft, known: &Known, found: &mut Findings) {
    for r in &draft.courses {
        if !known.codes.contains(&r.value.certification) {
            found.errors.push((
                r.file,
                r.locs.get("certification"),
                unknown_certification(&r.value.certification),
            ));
        }
        let mut seen = BTreeSet::new();
        for (i, teacher) in r.value.teachers.iter().enumerate() {
            let at = r.locs.get(&format!("teachers[{i}]"));
            if !known.experts.contains(teacher) {
                let message = format!("unknown teacher `{teacher}`: no file experts/{teacher}.toml");
                found.errors.push((r.file, at, message));
            }
            if !seen.insert(teacher) {
                found.errors.push((r.file, at, format!("`{teacher}` is listed twice in `teachers`")));
            }
        }
    }
}

fn answer_refs(draft: &Draft, known: &Known, found: &mut Findings) {
    for r in &draft.answers {
        let a = &r.value;
        if let Some(message) = unknown_locale(known, &a.locale) {
            found.errors.push((r.file, 0, message));
        }
        let mut seen = BTreeSet::new();
        for (i, code) in a.certifications.iter().enumerate() {
            let at = r.locs.get(&format!("certifications[{i}]"));
            if !known.codes.contains(code) {
                found.errors.push((r.file, at, unknown_certification(code)));
            }
            if !seen.insert(code) {
                found.errors.push((r.file, at, format!("`{code}` is listed twice in `certifications`")));
            }
        }
        if !known.experts.contains(&a.author) {
            let message = format!("unknown author `{}`: no file experts/{}.toml", a.author, a.author);
            found.errors.push((r.file, r.locs.get("author"), message));
        }
        if let Some(insight) = &a.insight {
            if !known.experts.contains(&insight.expert) {
                let message =
                    format!("unknown expert `{}`: no file experts/{}.toml", insight.expert, insight.expert);
                found.errors.push((r.file, r.locs.get("insight.expert"), message));
            }
        }
        for (i, choose) in a.choose.iter().enumerate() {
            if !a.certifications.contains(&choose.certification) {
                let at = r.locs.get(&format!("choose[{i}].certification"));
                let message = format!(
                    "`choose.certification` `{}` is not one of this answer's `certifications`",
                    choose.certification
                );
                found.errors.push((r.file, at, message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::parse::Locs;
    use crate::content::{Record, Severity};
    use crate::domain::Site;

    fn site(locales: &[&str]) -> Site {
        Site {
            name: "X".into(),
            base_url: "https://x.example".into(),
            default_locale: locales[0].into(),
            locales: locales.iter().map(|l| (*l).to_owned()).collect(),
            region: None,
            policy_version: "1".into(),
            services: vec![],
            brand: crate::domain::Brand::default(),
        }
    }

    /// A draft holding `site.toml` and one page per `(file, locale, slug)`.
    fn draft(locales: &[&str], pages: &[(&str, &str, &str)]) -> Draft {
        let mut draft = Draft::default();
        let file = draft.add_file("site.toml".into(), String::new());
        draft.site = Some(Record { value: site(locales), file, locs: Locs::default() });
        for (path, locale, slug) in pages {
            let file = draft.add_file((*path).into(), "+++\ntitle = \"T\"\n+++\nText\n".into());
            let value = Page {
                locale: (*locale).to_owned(),
                slug: Slug::parse(slug).unwrap(),
                title: "T".into(),
                body: "Text\n".into(),
            };
            draft.pages.push(Record { value, file, locs: Locs::default() });
        }
        draft
    }

    fn messages(mut draft: Draft) -> Vec<String> {
        cross_check(&mut draft);
        draft
            .diagnostics
            .sorted()
            .into_iter()
            .inspect(|d| assert_eq!(d.severity, Severity::Error))
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn a_page_twice_for_one_locale_and_slug() {
        let d = draft(
            &["en"],
            &[("a/pages/en/imprint.md", "en", "imprint"), ("b/pages/en/imprint.md", "en", "imprint")],
        );
        assert_eq!(
            messages(d),
            [
                "b/pages/en/imprint.md:1:1: error: duplicate page `en/imprint`: already defined in a/pages/en/imprint.md"
            ]
        );
        // The same slug in two locales is two pages.
        let d = draft(
            &["en", "de"],
            &[("pages/en/about.md", "en", "about"), ("pages/de/about.md", "de", "about")],
        );
        assert_eq!(messages(d), Vec::<String>::new());
    }

    #[test]
    fn a_page_slug_that_is_a_route_name() {
        let d = draft(
            &["en"],
            &[("pages/en/answers.md", "en", "answers"), ("pages/en/cookies.md", "en", "cookies")],
        );
        assert_eq!(
            messages(d),
            [
                "pages/en/answers.md:1:1: error: the page slug `answers` is a route name: `/en/answers` belongs to the site itself; rename the file",
                "pages/en/cookies.md:1:1: error: the page slug `cookies` is a route name: `/en/cookies` belongs to the site itself; rename the file",
            ]
        );
    }

    #[test]
    fn a_page_in_an_unknown_locale() {
        let d = draft(&["en", "de"], &[("pages/fr/mentions-legales.md", "fr", "mentions-legales")]);
        assert_eq!(
            messages(d),
            [
                "pages/fr/mentions-legales.md:1:1: error: locale folder `fr` is not one of site.toml's `locales` (en, de)"
            ]
        );
    }
}
