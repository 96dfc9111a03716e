//! The advisor's query string ([`query_choices`], [`Choices::query`]) against the sample
//! catalog: any query string is read without panicking; the canonical query the page
//! redirects to reads back to the same choices, with no problem, and is its own canonical
//! form, so the redirect never loops; the ranking and the path are computed for it.
//!
//! The input is the query string after the `?` (bytes that are not UTF-8 replaced, as
//! axum's `RawQuery` never holds them).

use chrono::NaiveDate;

use crate::domain::advice::{Advisor, Choices};
use crate::web::advisor::query_choices;

pub fn check(data: &[u8]) {
    let catalog = &super::sample().catalog;
    let raw = String::from_utf8_lossy(data);
    let choices = query_choices(catalog, &raw);
    let canonical = choices.query(catalog);
    let again: Choices = query_choices(catalog, &canonical);
    assert!(
        again.problems.is_empty(),
        "the canonical query {canonical:?} has problems: {:?}",
        again.problems
    );
    assert_eq!(again.needs, choices.needs, "the canonical query {canonical:?} reads differently");
    assert_eq!(again.query(catalog), canonical, "the canonical query is not its own canonical form");
    if !choices.needs.responsibilities.is_empty() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).expect("a date");
        let advisor = Advisor::new(catalog, today);
        for score in advisor.rank(&choices.needs) {
            let in_range = |x: f64, max: f64| (0.0..=max).contains(&x);
            assert!(
                in_range(score.score, 100.0)
                    && in_range(score.relevance, 1.0)
                    && in_range(score.coverage, 1.0),
                "a score out of range: {score:?}"
            );
        }
        let _ = advisor.path(&choices.needs);
    }
}
