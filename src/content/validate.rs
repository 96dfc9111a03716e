//! The rules that span files: names match file names, identifiers are unique, and every
//! reference resolves.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::{Draft, stem};
use crate::domain::{Code, Slug};

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
            draft.error(
                file,
                at,
                format!("duplicate {what} `{key}`: already defined in {where_}"),
            );
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
                format!(
                    "the file of certification `{}` must be named `{expected}.toml`",
                    r.value.code
                ),
            ));
        }
    }
    let slugged = draft
        .courses
        .iter()
        .map(|r| (r.file, r.locs.get("slug"), r.value.slug.as_str(), "course"))
        .chain(
            draft
                .experts
                .iter()
                .map(|r| (r.file, r.locs.get("slug"), r.value.slug.as_str(), "expert")),
        )
        .chain(
            draft
                .topics
                .iter()
                .map(|r| (r.file, r.locs.get("slug"), r.value.slug.as_str(), "topic")),
        );
    for (file, at, slug, what) in slugged {
        if stem(&draft.files[file].path) != slug {
            problems.push((
                file,
                at,
                format!("the file of {what} `{slug}` must be named `{slug}.toml`"),
            ));
        }
    }
    for (file, at, message) in problems {
        draft.error(file, at, message);
    }
}

fn uniqueness(draft: &mut Draft) {
    let codes = draft
        .certifications
        .iter()
        .map(|r| (r.value.code.clone(), r.file, r.locs.get("code")))
        .collect();
    unique(draft, "certification code", codes);
    let courses = draft
        .courses
        .iter()
        .map(|r| (r.value.slug.clone(), r.file, r.locs.get("slug")))
        .collect();
    unique(draft, "course slug", courses);
    let experts = draft
        .experts
        .iter()
        .map(|r| (r.value.slug.clone(), r.file, r.locs.get("slug")))
        .collect();
    unique(draft, "expert slug", experts);
    let topics = draft
        .topics
        .iter()
        .map(|r| (r.value.slug.clone(), r.file, r.locs.get("slug")))
        .collect();
    unique(draft, "topic slug", topics);
    let resp = draft
        .responsibilities
        .iter()
        .map(|(r, file, at)| (r.id.clone(), *file, *at))
        .collect();
    unique(draft, "responsibility id", resp);
    let keys = draft
        .answers
        .iter()
        .filter_map(|r| {
            let key = r.value.translation_key.as_ref()?;
            Some((
                format!("{key}` in locale `{}", r.value.locale),
                r.file,
                r.locs.get("translation_key"),
            ))
        })
        .collect();
    unique(draft, "translation_key", keys);
    if let Some(site) = &draft.site {
        let file = site.file;
        let services = site
            .value
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| {
                (
                    s.id.clone(),
                    file,
                    site.locs.get(&format!("consent.services[{i}].id")),
                )
            })
            .collect();
        unique(draft, "consent service id", services);
    }
}

/// The stems of the `.toml` files in `folder` that were read but gave no record because
/// of their own errors. A reference to one of them is not reported again: the file's
/// own errors say what is wrong, and "no file ..." would be false.
fn broken_stems(
    draft: &Draft,
    folder: &str,
    parsed: impl Iterator<Item = usize>,
) -> BTreeSet<String> {
    let parsed: BTreeSet<usize> = parsed.collect();
    draft
        .files
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            !parsed.contains(i)
                && f.path.extension().is_some_and(|e| e == "toml")
                && f.path
                    .parent()
                    .and_then(Path::file_name)
                    .is_some_and(|n| n == folder)
        })
        .map(|(_, f)| stem(&f.path))
        .collect()
}

fn references(draft: &mut Draft) {
    let mut codes: BTreeSet<String> = draft
        .certifications
        .iter()
        .map(|r| r.value.code.to_lowercase())
        .collect();
    codes.extend(broken_stems(
        draft,
        "certifications",
        draft.certifications.iter().map(|r| r.file),
    ));
    let codes: BTreeSet<_> = codes
        .into_iter()
        .filter_map(|c| Code::from_url(&c))
        .collect();
    let mut experts: BTreeSet<String> = draft
        .experts
        .iter()
        .map(|r| r.value.slug.to_string())
        .collect();
    experts.extend(broken_stems(
        draft,
        "experts",
        draft.experts.iter().map(|r| r.file),
    ));
    let experts: BTreeSet<_> = experts
        .into_iter()
        .filter_map(|s| Slug::parse(&s).ok())
        .collect();
    let resp = draft.responsibility_ids.clone();
    let locales: Option<Vec<String>> = draft.site.as_ref().map(|s| s.value.locales.clone());

    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for r in &draft.certifications {
        let c = &r.value;
        for (i, p) in c.prerequisites.iter().enumerate() {
            let at = r.locs.get(&format!("prerequisites[{i}]"));
            if p == &c.code {
                errors.push((
                    r.file,
                    at,
                    format!("`{}` cannot be its own prerequisite", c.code),
                ));
            } else if !codes.contains(p) {
                warnings.push((
                    r.file,
                    at,
                    format!("prerequisite `{p}` is not in the catalog"),
                ));
            }
        }
        if let Some(s) = &c.successor {
            if !codes.contains(s) {
                warnings.push((
                    r.file,
                    r.locs.get("successor"),
                    format!("successor `{s}` is not in the catalog"),
                ));
            }
        }
        for (d, domain) in c.domains.iter().enumerate() {
            for (i, id) in domain.responsibilities.iter().enumerate() {
                if resp.as_ref().is_some_and(|known| !known.contains(id)) {
                    let at = r.locs.get(&format!("domains[{d}].responsibilities[{i}]"));
                    errors.push((
                        r.file,
                        at,
                        format!(
                            "unknown responsibility `{id}`: it is not in responsibilities.toml"
                        ),
                    ));
                }
            }
        }
    }
    for r in &draft.courses {
        if !codes.contains(&r.value.certification) {
            errors.push((
                r.file,
                r.locs.get("certification"),
                format!(
                    "unknown certification `{}`: no file certifications/{}.toml",
                    r.value.certification,
                    r.value.certification.to_lowercase()
                ),
            ));
        }
    }
    for r in &draft.answers {
        let a = &r.value;
        if let Some(locales) = &locales {
            if !locales.contains(&a.locale) {
                errors.push((
                    r.file,
                    0,
                    format!(
                        "locale folder `{}` is not one of site.toml's `locales` ({})",
                        a.locale,
                        locales.join(", ")
                    ),
                ));
            }
        }
        let mut seen = BTreeSet::new();
        for (i, code) in a.certifications.iter().enumerate() {
            let at = r.locs.get(&format!("certifications[{i}]"));
            if !codes.contains(code) {
                errors.push((
                    r.file,
                    at,
                    format!(
                        "unknown certification `{code}`: no file certifications/{}.toml",
                        code.to_lowercase()
                    ),
                ));
            }
            if !seen.insert(code) {
                errors.push((
                    r.file,
                    at,
                    format!("`{code}` is listed twice in `certifications`"),
                ));
            }
        }
        if !experts.contains(&a.author) {
            errors.push((
                r.file,
                r.locs.get("author"),
                format!(
                    "unknown author `{}`: no file experts/{}.toml",
                    a.author, a.author
                ),
            ));
        }
        if let Some(insight) = &a.insight {
            if !experts.contains(&insight.expert) {
                errors.push((
                    r.file,
                    r.locs.get("insight.expert"),
                    format!(
                        "unknown expert `{}`: no file experts/{}.toml",
                        insight.expert, insight.expert
                    ),
                ));
            }
        }
        for (i, choose) in a.choose.iter().enumerate() {
            if !a.certifications.contains(&choose.certification) {
                let at = r.locs.get(&format!("choose[{i}].certification"));
                errors.push((
                    r.file,
                    at,
                    format!(
                        "`choose.certification` `{}` is not one of this answer's `certifications`",
                        choose.certification
                    ),
                ));
            }
        }
    }
    for (file, at, message) in errors {
        draft.error(file, at, message);
    }
    for (file, at, message) in warnings {
        draft.warning(file, at, message);
    }
}
