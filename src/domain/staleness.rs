//! Fact changes and staleness (PRODUCT.md, capability 1): one rule for pages and editors.
//!
//! A *fact change* is a change of a certification's status, retirement date, successor,
//! domains or weights, or of a course's price or duration, with the day it took effect;
//! a retirement date being reached counts as a change on that day. An answer is *stale*
//! on day D when one of its certifications had a fact change after the answer's
//! `reviewed_on` and on or before D.
//!
//! Today the catalog records no history, so the changes are the ones the catalog itself
//! dates: retirement dates reached. Recorded changes join them through [`stale_on`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Answer, Catalog, Code, Lifecycle};

/// What changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// The retirement date was reached.
    Retired,
}

/// One fact change of one certification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FactChange {
    pub code: Code,
    /// The day it took effect.
    pub on: NaiveDate,
    #[serde(flatten)]
    pub change: Change,
}

/// The fact changes the catalog dates for `code` up to `today`: its retirement, once the
/// date is reached.
pub fn dated_changes(catalog: &Catalog, code: &Code, today: NaiveDate) -> Vec<FactChange> {
    let Some(cert) = catalog.certification(code) else { return Vec::new() };
    match Lifecycle::of(cert, today) {
        Lifecycle::Retired { on: Some(on), .. } => {
            vec![FactChange { code: code.clone(), on, change: Change::Retired }]
        }
        _ => Vec::new(),
    }
}

/// The fact changes between two published catalogs (interim: replaced by the full rule).
pub fn fact_changes(_old: &Catalog, _new: &Catalog, _on: NaiveDate) -> Vec<FactChange> {
    Vec::new()
}

/// The changes that make `answer` stale on `today` (empty when it is not): those of its
/// certifications after its `reviewed_on` and on or before `today`, oldest first.
pub fn stale_on(
    answer: &Answer,
    changes: impl IntoIterator<Item = FactChange>,
    today: NaiveDate,
) -> Vec<FactChange> {
    let mut stale: Vec<FactChange> = changes
        .into_iter()
        .filter(|c| answer.certifications.contains(&c.code) && c.on > answer.reviewed_on && c.on <= today)
        .collect();
    stale.sort_by(|a, b| (a.on, &a.code).cmp(&(b.on, &b.code)));
    stale
}

/// [`stale_on`] with the changes the catalog dates.
pub fn staleness(answer: &Answer, catalog: &Catalog, today: NaiveDate) -> Vec<FactChange> {
    let changes = answer.certifications.iter().flat_map(|code| dated_changes(catalog, code, today));
    stale_on(answer, changes, today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fixtures::*;

    fn reviewed(on: &str) -> Answer {
        let mut a = answer(&["MD-102", "MS-102"]);
        a.reviewed_on = day(on);
        a
    }

    fn catalog_retiring(on: &str) -> Catalog {
        let mut ms = cert("MS-102", "tenant", &[]);
        ms.retires_on = Some(day(on));
        catalog(vec![cert("MD-102", "endpoints", &[]), ms], vec![])
    }

    #[test]
    fn an_answer_goes_stale_the_day_a_retirement_it_predates_is_reached() {
        let cat = catalog_retiring("2026-11-30");
        let a = reviewed("2026-10-15");
        assert!(staleness(&a, &cat, day("2026-11-29")).is_empty(), "not yet retired");
        let stale = staleness(&a, &cat, day("2026-11-30"));
        assert_eq!(stale.len(), 1);
        assert_eq!((stale[0].code.as_str(), stale[0].on), ("MS-102", day("2026-11-30")));
        assert_eq!(staleness(&a, &cat, day("2027-06-01")), stale, "and stays stale");
    }

    #[test]
    fn a_review_after_the_change_clears_it() {
        let cat = catalog_retiring("2026-11-30");
        assert!(staleness(&reviewed("2026-11-30"), &cat, day("2026-12-05")).is_empty(), "reviewed that day");
        assert!(staleness(&reviewed("2026-12-01"), &cat, day("2026-12-05")).is_empty());
    }

    #[test]
    fn only_the_answers_own_certifications_count() {
        let cat = catalog_retiring("2026-11-30");
        let mut other = reviewed("2026-10-15");
        other.certifications.retain(|c| c.as_str() == "MD-102");
        assert!(staleness(&other, &cat, day("2026-12-05")).is_empty());
        // Recorded changes of other certifications, or in the future, do not count either.
        let changes = [
            FactChange {
                code: Code::parse("AZ-104").unwrap(),
                on: day("2026-11-01"),
                change: Change::Retired,
            },
            FactChange {
                code: Code::parse("MD-102").unwrap(),
                on: day("2027-01-01"),
                change: Change::Retired,
            },
        ];
        assert!(stale_on(&other, changes, day("2026-12-05")).is_empty());
    }
}
