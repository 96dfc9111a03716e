//! `/admin/stale`: the staleness report (`domain::report`) for staff, as of the site's
//! today, from the published snapshot (its catalog and the fact changes the store
//! recorded) — the same report `certwise stale` prints, built by the same function.
//!
//! Each item links to its public page and to `/admin/edit/{path}` (the editing route,
//! `path` the record's file in a content directory). Publishers get a form per stale
//! answer, `POST /admin/stale/reviewed` with `path` and the session's `token`, which marks
//! the answer reviewed today.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveDate;

use super::staff::Staff;
use super::{AdminError, AdminLayout, page};
use crate::domain::Source;
use crate::domain::report::{AnswerItem, RETIRING_WITHIN_DAYS, SOURCES_MAX_AGE_DAYS, StaleReport};
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/stale", get(report_page))
}

/// An answer of the report as the page lists it, with what the report says of it.
#[derive(Debug)]
struct AnswerRow {
    locale: String,
    title: String,
    reviewed_on: NaiveDate,
    path: String,
    public_url: String,
    edit_url: String,
    /// The changes (stale) or the exams retiring (retiring), one line each.
    lines: Vec<String>,
}

impl AnswerRow {
    fn new(answer: &AnswerItem, lines: Vec<String>) -> Self {
        Self {
            locale: answer.locale.clone(),
            title: answer.title.clone(),
            reviewed_on: answer.reviewed_on,
            path: answer.path.clone(),
            public_url: format!("/{}/answers/{}", answer.locale, answer.slug),
            edit_url: edit_url(&answer.path),
            lines,
        }
    }
}

/// A certification whose sources are old.
#[derive(Debug)]
struct SourcesRow {
    code: String,
    title: String,
    path: String,
    public_url: String,
    edit_url: String,
    oldest_checked_on: NaiveDate,
    days_ago: i64,
    sources: Vec<Source>,
}

/// The editing page of the record in content file `path`.
fn edit_url(path: &str) -> String {
    format!("/admin/edit/{path}")
}

#[derive(Template)]
#[template(path = "admin/stale.html")]
struct StalePage {
    page: AdminLayout,
    today: NaiveDate,
    stale: Vec<AnswerRow>,
    retiring: Vec<AnswerRow>,
    old_sources: Vec<SourcesRow>,
    retiring_within: i64,
    sources_max_age: i64,
    /// The session's form token, for publishers (who may mark answers reviewed).
    reviewed_token: Option<String>,
    /// After marking an answer reviewed (`?done=reviewed`).
    reviewed: bool,
}

/// `GET /admin/stale` (every role).
async fn report_page(
    State(state): State<AppState>,
    staff: Staff,
    uri: axum::http::Uri,
) -> Result<Response, AdminError> {
    let snapshot = state.published.current();
    let catalog = &snapshot.catalog;
    let today = state.clock.today();
    let report = StaleReport::build(catalog, &snapshot.fact_changes, today);
    let stale_rows = report
        .stale
        .iter()
        .map(|s| AnswerRow::new(&s.answer, s.changes.iter().map(ToString::to_string).collect()))
        .collect();
    let retiring_rows = report
        .retiring
        .iter()
        .map(|r| AnswerRow::new(&r.answer, r.exams.iter().map(ToString::to_string).collect()))
        .collect();
    let default_locale = &catalog.site.default_locale;
    let old_sources = report
        .old_sources
        .into_iter()
        .map(|o| SourcesRow {
            public_url: format!("/{default_locale}/certifications/{}", o.code.to_lowercase()),
            edit_url: edit_url(&o.path),
            code: o.code.to_string(),
            title: o.title,
            path: o.path,
            oldest_checked_on: o.oldest_checked_on,
            days_ago: o.days_ago,
            sources: o.sources,
        })
        .collect();
    let reviewed_token = staff.role.can_publish().then(|| staff.form_token.clone());
    page(&StalePage {
        page: AdminLayout::new(&state, "Stale answers", "stale", Some(&staff)),
        today,
        stale: stale_rows,
        retiring: retiring_rows,
        old_sources,
        retiring_within: RETIRING_WITHIN_DAYS,
        sources_max_age: SOURCES_MAX_AGE_DAYS,
        reviewed_token,
        reviewed: super::query_param(&uri, "done").as_deref() == Some("reviewed"),
    })
}
