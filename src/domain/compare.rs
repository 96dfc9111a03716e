//! The comparison engine: 2–4 certifications side by side, computed from the catalog —
//! level, credential, scope, lifecycle, weighted domains, how much of each exam is about
//! each responsibility, technologies shared and only in one, prerequisites and the order
//! to take them in, and the course that prepares for each. The comparison page, its
//! JSON, an answer's Related information and the "compare with…" links of certification
//! pages all come from here.
//!
//! # Comparison URLs (INTERFACES.md)
//! `/{locale}/compare/{a}-vs-{b}[-vs-{c}[-vs-{d}]]`: codes in lower case, split on
//! `-vs-`. Any order is served; the canonical URL lists the codes by level, then code.
//! One code, the same code twice or more than four is a bad request; a code the catalog
//! does not have is not found, and named.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::Serialize;

use super::advice;
use super::{Catalog, Certification, Code, Course, Level, Lifecycle, Slug};

/// The fewest and the most certifications one comparison holds.
pub const MIN: usize = 2;
pub const MAX: usize = 4;

/// Why a list of codes cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    #[error(
        "compare needs {MIN} to {MAX} certifications, separated by `-vs-` (like `md-102-vs-ms-102`); got {0}"
    )]
    Count(usize),
    #[error("`{0}` is named twice: compare two or more different certifications")]
    Repeated(Code),
    #[error("a code is missing: each `-vs-` (or comma) must stand between two codes")]
    Empty,
    #[error("no certification `{0}` in the catalog")]
    Unknown(String),
}

impl CompareError {
    /// Whether the request names something that does not exist (404) rather than being
    /// malformed (400).
    pub fn is_not_found(&self) -> bool {
        matches!(self, CompareError::Unknown(_))
    }
}

/// The codes of a comparison path segment, as written (`md-102-vs-ms-102` →
/// `["md-102", "ms-102"]`).
///
/// ```
/// use certwise::domain::compare::split_path;
/// assert_eq!(split_path("md-102-vs-ms-102"), ["md-102", "ms-102"]);
/// assert_eq!(split_path("MD-102-VS-ms-102"), ["MD-102", "ms-102"]);
/// ```
pub fn split_path(segment: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut rest = segment;
    loop {
        let at = rest.as_bytes().windows(4).position(|w| w.eq_ignore_ascii_case(b"-vs-"));
        match at {
            Some(at) => {
                parts.push(&rest[..at]);
                rest = &rest[at + 4..];
            }
            None => {
                parts.push(rest);
                return parts;
            }
        }
    }
}

/// The certifications named by `codes` (any case), in the order given: 2 to 4 different
/// ones, each in the catalog.
pub fn resolve<'c, S: AsRef<str>>(
    catalog: &'c Catalog,
    codes: &[S],
) -> Result<Vec<&'c Certification>, CompareError> {
    if !(MIN..=MAX).contains(&codes.len()) {
        return Err(CompareError::Count(codes.len()));
    }
    let mut found: Vec<&Certification> = Vec::with_capacity(codes.len());
    for written in codes {
        let written = written.as_ref().trim();
        if written.is_empty() {
            return Err(CompareError::Empty);
        }
        let cert = Code::parse(&written.to_ascii_uppercase())
            .ok()
            .and_then(|code| catalog.certification(&code))
            .ok_or_else(|| CompareError::Unknown(written.to_owned()))?;
        if found.iter().any(|c| c.code == cert.code) {
            return Err(CompareError::Repeated(cert.code.clone()));
        }
        found.push(cert);
    }
    Ok(found)
}

/// The certifications in canonical order: by level, then code.
pub fn canonical<'c>(certs: &[&'c Certification]) -> Vec<&'c Certification> {
    let mut sorted = certs.to_vec();
    sorted.sort_by(|a, b| (a.level, &a.code).cmp(&(b.level, &b.code)));
    sorted
}

/// The canonical path segment of a comparison: `md-102-vs-ms-102`.
pub fn path_segment(certs: &[&Certification]) -> String {
    canonical(certs).iter().map(|c| c.code.to_lowercase()).collect::<Vec<_>>().join("-vs-")
}

/// How much of each compared exam is about one responsibility.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponsibilityRow {
    pub responsibility: Slug,
    /// One share (0..=1) per compared certification, in the comparison's order.
    pub shares: Vec<f64>,
}

impl ResponsibilityRow {
    /// Whether the exam at `index` covers the responsibility (its share is at least
    /// [`advice::COVERED_SHARE`]).
    pub fn covered(&self, index: usize) -> bool {
        self.shares.get(index).is_some_and(|s| *s >= advice::COVERED_SHARE)
    }
}

/// One compared certification with the facts derived for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Column<'c> {
    pub cert: &'c Certification,
    pub lifecycle: Lifecycle,
    /// Its technologies that no other compared certification lists (same spelling, any
    /// case), in its order.
    pub only: Vec<&'c str>,
    /// The course quoted for it: the shortest, then the cheapest.
    pub course: Option<&'c Course>,
    /// Whether its prerequisites are marked uncertain.
    pub prerequisites_unconfirmed: bool,
}

/// 2–4 certifications side by side, in the order asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison<'c> {
    pub columns: Vec<Column<'c>>,
    /// Technologies every compared certification lists, in the first one's order.
    pub shared: Vec<&'c str>,
    /// Each responsibility any compared exam is about, in the catalog's order.
    pub responsibilities: Vec<ResponsibilityRow>,
    /// The order to take them in: a prerequisite before what needs it, then lower levels
    /// first, then code.
    pub order: Vec<Code>,
}

fn same_technology(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

impl<'c> Comparison<'c> {
    /// Compares `certs` (as [`resolve`] gives them) on `today`.
    pub fn of(catalog: &'c Catalog, certs: &[&'c Certification], today: NaiveDate) -> Self {
        let lists = |c: &Certification, t: &str| c.technologies.iter().any(|x| same_technology(x, t));
        let shared: Vec<&str> = match certs.first() {
            Some(first) => first
                .technologies
                .iter()
                .filter(|t| certs.len() > 1 && certs[1..].iter().all(|c| lists(c, t)))
                .map(String::as_str)
                .collect(),
            None => Vec::new(),
        };
        let columns = certs
            .iter()
            .enumerate()
            .map(|(i, cert)| Column {
                cert,
                lifecycle: Lifecycle::of(cert, today),
                only: cert
                    .technologies
                    .iter()
                    .filter(|t| certs.iter().enumerate().all(|(j, other)| j == i || !lists(other, t)))
                    .map(String::as_str)
                    .collect(),
                course: catalog.primary_course(&cert.code),
                prerequisites_unconfirmed: !cert.prerequisites.is_empty()
                    && cert.is_uncertain("prerequisites"),
            })
            .collect();
        let per_exam: Vec<_> = certs.iter().map(|c| advice::shares(c)).collect();
        let known: BTreeSet<&Slug> = per_exam.iter().flat_map(|s| s.keys().copied()).collect();
        // The catalog's order of responsibilities, then any id it does not list.
        let mut ids: Vec<&Slug> =
            catalog.responsibilities.iter().map(|r| &r.id).filter(|r| known.contains(r)).collect();
        ids.extend(known.iter().copied().filter(|r| !catalog.responsibilities.iter().any(|x| &x.id == *r)));
        let responsibilities = ids
            .into_iter()
            // A domain weighing 0% names a responsibility no exam is about.
            .filter(|r| per_exam.iter().any(|s| s.get(r).is_some_and(|x| *x > 0.0)))
            .map(|r| ResponsibilityRow {
                responsibility: r.clone(),
                shares: per_exam.iter().map(|s| s.get(r).copied().unwrap_or(0.0)).collect(),
            })
            .collect();
        Self { columns, shared, responsibilities, order: take_order(certs) }
    }

    pub fn certs(&self) -> impl Iterator<Item = &'c Certification> + '_ {
        self.columns.iter().map(|c| c.cert)
    }
}

/// The order to take `certs` in: an exam after any compared exam that is one of its
/// prerequisites, then by level, then code.
pub fn take_order(certs: &[&Certification]) -> Vec<Code> {
    let mut left: Vec<&Certification> = canonical(certs);
    let mut order: Vec<Code> = Vec::with_capacity(left.len());
    while !left.is_empty() {
        let ready = left
            .iter()
            .position(|c| {
                c.prerequisites
                    .alternatives()
                    .iter()
                    .all(|p| order.contains(p) || !left.iter().any(|other| &other.code == p))
            })
            // A cycle (refused by `check`): the canonical order.
            .unwrap_or(0);
        order.push(left.remove(ready).code.clone());
    }
    order
}

/// How often readers confuse two certifications, by the rule the "compare with…" links
/// use: the share of content they have in common (Σ over responsibilities of the smaller
/// of their two shares, 0..=1) × 100, plus 25 for the same family (the letters before
/// the code's first hyphen: `SC-200` and `SC-300`), plus 15 for adjacent levels — the
/// same level, or neighbours among the levels the vendor's catalog uses (Microsoft has no
/// professional level, so its associate and expert exams are neighbours). Only pairs of
/// the same vendor that share content or family count.
pub fn confusion(catalog: &Catalog, a: &Certification, b: &Certification) -> Option<f64> {
    confusion_among(&vendor_levels(catalog, &a.vendor), a, b)
}

/// The levels a vendor's certifications use, in order.
fn vendor_levels(catalog: &Catalog, vendor: &str) -> Vec<Level> {
    let levels: BTreeSet<Level> =
        catalog.certifications.values().filter(|c| c.vendor == vendor).map(|c| c.level).collect();
    levels.into_iter().collect()
}

/// [`confusion`] with the vendor's levels known (once per page, not once per pair).
fn confusion_among(levels: &[Level], a: &Certification, b: &Certification) -> Option<f64> {
    if a.code == b.code || a.vendor != b.vendor {
        return None;
    }
    let (sa, sb) = (advice::shares(a), advice::shares(b));
    let common: f64 = sa.iter().filter_map(|(r, x)| sb.get(r).map(|y| x.min(*y))).sum();
    let family = |c: &Certification| c.code.as_str().split('-').next().unwrap_or_default().to_owned();
    let same_family = family(a) == family(b);
    if common <= 0.0 && !same_family {
        return None;
    }
    let step = |l: Level| levels.iter().position(|x| *x == l).unwrap_or(0);
    let adjacent = step(a.level).abs_diff(step(b.level)) <= 1;
    Some(common * 100.0 + if same_family { 25.0 } else { 0.0 } + if adjacent { 15.0 } else { 0.0 })
}

/// The `n` certifications readers most often confuse with `cert` (by [`confusion`]),
/// retired ones left out, most confusable first, then by code.
pub fn confusable<'c>(
    catalog: &'c Catalog,
    cert: &Certification,
    today: NaiveDate,
    n: usize,
) -> Vec<&'c Certification> {
    let levels = vendor_levels(catalog, &cert.vendor);
    let mut scored: Vec<(f64, &Certification)> = catalog
        .certifications
        .values()
        .filter(|c| !Lifecycle::is_retired(c, today))
        .filter_map(|c| confusion_among(&levels, cert, c).map(|s| (s, c)))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.code.cmp(&b.1.code)));
    scored.into_iter().take(n).map(|(_, c)| c).collect()
}
