//! The "Related information" of an answer, derived from the catalog — never typed by
//! hand, so a price change or a retirement updates every page that mentions it.
//!
//! The domain derives the facts; `i18n` words them (`Lang::related`).

use chrono::NaiveDate;
use serde::Serialize;

use super::compare::{self, Column, Comparison};
use super::{Answer, Catalog, Certification, Code, Lifecycle, Money};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum RelatedKind {
    Scope,
    Course,
    Technologies,
    Lifecycle,
    Choose,
}

/// What one certification says about one aspect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// The certification's scope, as the catalog words it.
    Scope(String),
    /// The course quoted for it: the shortest, then the cheapest.
    Course {
        days: u32,
        price: Money,
    },
    /// No course prepares for it.
    NoCourse,
    Technologies(Vec<String>),
    Lifecycle(Lifecycle),
    /// "Choose this one if …", with the answer's condition.
    Choose(String),
}

/// One side of a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedPart {
    pub code: Code,
    pub fact: Fact,
}

/// One line: the same aspect side by side for every certification the answer names, or
/// one "Choose … if" condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedLine {
    pub kind: RelatedKind,
    pub parts: Vec<RelatedPart>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RelatedInfo {
    pub lines: Vec<RelatedLine>,
    /// The comparison page's path segment (`md-102-vs-ms-102`) when the answer names
    /// 2–4 certifications of the catalog: where "compare side by side" leads.
    pub compare: Option<String>,
}

impl RelatedInfo {
    /// Derives the lines for an answer on `today` from the comparison engine: scope,
    /// course, technologies and lifecycle side by side for every certification the answer
    /// names (in its order), then one "Choose … if" line per `choose` entry. An answer
    /// that names no certification in the catalog has no lines. The scope is in the
    /// answer's language where the catalog translates it (`Certification::scope_in`).
    pub fn derive(answer: &Answer, catalog: &Catalog, today: NaiveDate) -> Self {
        let locales = catalog.locales(&answer.locale);
        let certs: Vec<&Certification> =
            answer.certifications.iter().filter_map(|code| catalog.certification(code)).collect();
        if certs.is_empty() {
            return Self::default();
        }
        let comparison = Comparison::of(catalog, &certs, today);
        let side_by_side = |kind: RelatedKind, fact: &dyn Fn(&Column) -> Fact| RelatedLine {
            kind,
            parts: comparison
                .columns
                .iter()
                .map(|column| RelatedPart { code: column.cert.code.clone(), fact: fact(column) })
                .collect(),
        };
        let mut lines = vec![
            side_by_side(RelatedKind::Scope, &|c| Fact::Scope(c.cert.scope_in(locales).text.to_owned())),
            side_by_side(RelatedKind::Course, &|c| match c.course {
                Some(course) => Fact::Course { days: course.duration_days, price: course.price.clone() },
                None => Fact::NoCourse,
            }),
            side_by_side(RelatedKind::Technologies, &|c| Fact::Technologies(c.cert.technologies.clone())),
            side_by_side(RelatedKind::Lifecycle, &|c| Fact::Lifecycle(c.lifecycle.clone())),
        ];
        lines.extend(answer.choose.iter().map(|choose| RelatedLine {
            kind: RelatedKind::Choose,
            parts: vec![RelatedPart {
                code: choose.certification.clone(),
                fact: Fact::Choose(choose.when.clone()),
            }],
        }));
        let compare =
            (compare::MIN..=compare::MAX).contains(&certs.len()).then(|| compare::path_segment(&certs));
        Self { lines, compare }
    }
}

/// The related information as a table: one column per certification the answer names,
/// one row per aspect (scope, course, technologies, lifecycle, then "choose … if" when
/// the answer has any). A cell holds the facts of its certification for that aspect:
/// exactly one, except on the "choose" row, where it holds the certification's
/// conditions (none, one or several).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RelatedTable {
    pub columns: Vec<Code>,
    pub rows: Vec<(RelatedKind, Vec<Vec<Fact>>)>,
}

impl RelatedInfo {
    pub fn table(&self) -> RelatedTable {
        let Some(first) = self.lines.iter().find(|l| l.kind != RelatedKind::Choose) else {
            return RelatedTable::default();
        };
        let columns: Vec<Code> = first.parts.iter().map(|p| p.code.clone()).collect();
        let cells = |facts: &mut dyn Iterator<Item = &RelatedPart>| {
            let mut row: Vec<Vec<Fact>> = vec![Vec::new(); columns.len()];
            for part in facts {
                if let Some(i) = columns.iter().position(|c| *c == part.code) {
                    row[i].push(part.fact.clone());
                }
            }
            row
        };
        let mut rows: Vec<(RelatedKind, Vec<Vec<Fact>>)> = self
            .lines
            .iter()
            .filter(|l| l.kind != RelatedKind::Choose)
            .map(|l| (l.kind, cells(&mut l.parts.iter())))
            .collect();
        let mut choose =
            self.lines.iter().filter(|l| l.kind == RelatedKind::Choose).flat_map(|l| &l.parts).peekable();
        if choose.peek().is_some() {
            rows.push((RelatedKind::Choose, cells(&mut choose)));
        }
        RelatedTable { columns, rows }
    }
}

/// How closely two answers are related: each topic they share counts 1, each
/// certification they both name counts 2 (a shared exam is the stronger tie).
pub fn affinity(a: &Answer, b: &Answer) -> usize {
    let topics = a.topics.iter().filter(|t| b.topics.contains(t)).count();
    let certs = a.certifications.iter().filter(|c| b.certifications.contains(c)).count();
    topics + 2 * certs
}

/// The `limit` answers of `candidates` most related to `answer`: itself and unrelated
/// answers left out, best first, ties in the order of `candidates`.
pub fn related_answers<'a>(
    answer: &Answer,
    candidates: impl IntoIterator<Item = &'a Answer>,
    limit: usize,
) -> Vec<&'a Answer> {
    let mut scored: Vec<(usize, &Answer)> = candidates
        .into_iter()
        .filter(|a| !(a.slug == answer.slug && a.locale == answer.locale))
        .map(|a| (affinity(answer, a), a))
        .filter(|(score, _)| *score > 0)
        .collect();
    scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    scored.into_iter().take(limit).map(|(_, a)| a).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::*;

    #[test]
    fn lines_come_in_a_fixed_order_with_one_side_per_named_certification() {
        let mut ms = cert("MS-102", "tenant", &["DLP"]);
        ms.retires_on = Some(day("2026-11-30"));
        let cat = catalog(vec![cert("MD-102", "endpoints", &["Intune"]), ms], vec![]);
        let info = RelatedInfo::derive(&answer(&["MS-102", "MD-102", "ZZ-9"]), &cat, day("2026-11-26"));
        let kinds: Vec<RelatedKind> = info.lines.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            [RelatedKind::Scope, RelatedKind::Course, RelatedKind::Technologies, RelatedKind::Lifecycle]
        );
        for line in &info.lines {
            let codes: Vec<&str> = line.parts.iter().map(|p| p.code.as_str()).collect();
            assert_eq!(codes, ["MS-102", "MD-102"], "answer order; unknown codes left out");
        }
        assert_eq!(info.lines[1].parts[0].fact, Fact::NoCourse);
        assert!(matches!(info.lines[3].parts[0].fact, Fact::Lifecycle(Lifecycle::Retiring { .. })));
    }

    #[test]
    fn the_scope_is_in_the_answer_language_where_the_catalog_translates_it() {
        let mut md = cert("MD-102", "endpoint management", &[]);
        md.translations.insert(
            "de".into(),
            crate::domain::CertificationText {
                scope: Some("Endpunktverwaltung".into()),
                ..crate::domain::CertificationText::default()
            },
        );
        let mut cat = catalog(vec![md, cert("MS-102", "full Microsoft 365 tenant", &[])], vec![]);
        cat.site.locales = vec!["en".into(), "de".into()];
        let mut german = answer(&["MD-102", "MS-102"]);
        german.locale = "de".into();
        let scopes = |a: &Answer| -> Vec<Fact> {
            RelatedInfo::derive(a, &cat, day("2026-11-26")).lines[0]
                .parts
                .iter()
                .map(|p| p.fact.clone())
                .collect()
        };
        assert_eq!(
            scopes(&german),
            [Fact::Scope("Endpunktverwaltung".into()), Fact::Scope("full Microsoft 365 tenant".into())],
            "untranslated: the English scope"
        );
        assert_eq!(scopes(&answer(&["MD-102"])), [Fact::Scope("endpoint management".into())]);
    }

    #[test]
    fn related_answers_rank_shared_exams_above_shared_topics() {
        let with = |slug: &str, certs: &[&str], topics: &[&str]| {
            let mut a = answer(certs);
            a.slug = crate::domain::Slug::parse(slug).unwrap();
            a.topics = topics.iter().map(|t| crate::domain::Slug::parse(t).unwrap()).collect();
            a
        };
        let me = with("me", &["MD-102"], &["intune", "endpoints"]);
        let others = [
            with("one-topic", &[], &["intune"]),
            with("unrelated", &["AZ-900"], &["azure"]),
            with("same-exam", &["MD-102"], &[]),
            with("me", &["MD-102"], &["intune"]),
            with("two-topics", &[], &["intune", "endpoints"]),
        ];
        let slugs: Vec<&str> = related_answers(&me, &others, 3).iter().map(|a| a.slug.as_str()).collect();
        assert_eq!(slugs, ["same-exam", "two-topics", "one-topic"]);
        assert_eq!(related_answers(&me, &others, 1).len(), 1);
    }

    #[test]
    fn the_table_has_a_column_per_certification_and_gathers_the_conditions() {
        let cat =
            catalog(vec![cert("MD-102", "endpoints", &["Intune"]), cert("MS-102", "tenant", &[])], vec![]);
        let mut a = answer(&["MD-102", "MS-102"]);
        a.choose = vec![
            crate::domain::Choose { certification: Code::parse("MS-102").unwrap(), when: "tenant".into() },
            crate::domain::Choose { certification: Code::parse("MS-102").unwrap(), when: "also".into() },
        ];
        let table = RelatedInfo::derive(&a, &cat, day("2026-11-26")).table();
        let codes: Vec<&str> = table.columns.iter().map(Code::as_str).collect();
        assert_eq!(codes, ["MD-102", "MS-102"]);
        let kinds: Vec<RelatedKind> = table.rows.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            kinds,
            [
                RelatedKind::Scope,
                RelatedKind::Course,
                RelatedKind::Technologies,
                RelatedKind::Lifecycle,
                RelatedKind::Choose
            ]
        );
        let choose = &table.rows[4].1;
        assert!(choose[0].is_empty(), "MD-102 has no condition");
        assert_eq!(choose[1], [Fact::Choose("tenant".into()), Fact::Choose("also".into())]);
        assert!(table.rows[..4].iter().all(|(_, cells)| cells.iter().all(|c| c.len() == 1)));
        assert_eq!(RelatedInfo::default().table(), RelatedTable::default());
    }
}
