//! The comparison page (`/{locale}/compare/{a}-vs-{b}…`) and its JSON
//! (`/api/v1/compare?codes=A,B`): one engine (`domain::compare`), two surfaces.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ErrorBody, PageError};
use super::extract::{ApiQuery, PagePath};
use super::filters::localized_html;
use super::layout::{Crumb, Layout};
use super::visitor::Visitor;
use super::{AppState, filters};
use crate::domain::compare::{self, CompareError, Comparison};
use crate::domain::{Catalog, Certification, Code, Level, Lifecycle, LifecycleStatus, Money, SkillDomain};
use crate::i18n::Lang;

pub fn router() -> Router<AppState> {
    Router::new().route("/{locale}/compare/{codes}", get(page)).route("/api/v1/compare", get(api))
}

/// A percentage for people: `27 %` → `27%`, with no decimals.
pub(crate) fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// The text of a weight range: `25–30%`, or `20%` when both ends agree.
pub(crate) fn weight(d: &SkillDomain) -> String {
    if d.weight_min == d.weight_max {
        format!("{}%", d.weight_min)
    } else {
        format!("{}–{}%", d.weight_min, d.weight_max)
    }
}

/// One bar of a domain chart, in the SVG's units (a track of 100).
#[derive(Debug)]
pub(crate) struct Bar {
    pub name: String,
    pub weight: String,
    /// Where the solid part ends (the lowest weight) and the light part (the range).
    pub min: u8,
    pub range: u8,
}

pub(crate) fn bars(cert: &Certification) -> Vec<Bar> {
    cert.domains
        .iter()
        .map(|d| Bar {
            name: d.name.clone(),
            weight: weight(d),
            min: d.weight_min.min(100),
            range: d.weight_max.min(100).saturating_sub(d.weight_min),
        })
        .collect()
}

#[derive(Debug)]
struct ColumnView {
    code: Code,
    url: String,
    /// HTML, in the page's locale, like `scope`.
    title: String,
    level: &'static str,
    credential: String,
    scope: String,
    status: LifecycleStatus,
    /// The retirement date and the successor's line, for a retiring or retired exam.
    when: String,
    exam_minutes: Option<u32>,
    prerequisites: Vec<(String, Option<String>)>,
    prerequisites_any: bool,
    prerequisites_unconfirmed: bool,
    domains_unconfirmed: bool,
    bars: Vec<Bar>,
    only: Vec<String>,
    course: Option<super::courses::CourseCard>,
}

#[derive(Debug)]
struct CoverageRow {
    /// HTML, in the page's locale.
    label: String,
    /// Per column: the share in words, and whether it counts as covered.
    cells: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    page: Layout,
    crumbs: Vec<Crumb>,
    heading: String,
    columns: Vec<ColumnView>,
    shared: Vec<String>,
    coverage: Vec<CoverageRow>,
    order: Vec<(String, String)>,
    any_uncertain: bool,
}

/// The comparison page: `308` to the lower-case spelling, `400` for a bad count or a
/// repeated code, `404` naming an unknown code.
async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath((locale, raw)): PagePath<(String, String)>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    // Only a spelling made of code characters is redirected: anything else is no code, and
    // is answered below (a decoded `%0A` or `%3F` must not end up in a `Location`).
    let code_like = raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if code_like && raw.bytes().any(|b| b.is_ascii_uppercase()) {
        let lower = raw.to_ascii_lowercase();
        return Ok(Redirect::permanent(&format!("/{locale}/compare/{lower}")).into_response());
    }
    let catalog = &snapshot.catalog;
    let certs = compare::resolve(catalog, &compare::split_path(&raw))?;
    let today = state.clock.today();
    let comparison = Comparison::of(catalog, &certs, today);
    let lang = Lang::of(&locale);
    let ui = lang.ui();
    let t = ui.decide;
    let path = format!("/{locale}/compare/{raw}");
    let canonical = format!("/{locale}/compare/{}", compare::path_segment(&certs));
    let codes: Vec<&str> = certs.iter().map(|c| c.code.as_str()).collect();
    let heading = format!("{} {}", t.compare, join_words(&codes, t.and_word));
    let crumbs = vec![
        Crumb::new(ui.home, format!("/{locale}/")),
        Crumb::new(ui.certifications, format!("/{locale}/certifications/")),
        Crumb::new(codes.join(" vs "), canonical.clone()),
    ];
    let locales = catalog.locales(&locale);
    let summary: Vec<String> =
        certs.iter().map(|c| format!("{} ({})", c.code, c.title_in(locales))).collect();
    let mut page = Layout::new(
        &snapshot,
        &locale,
        &format!("{}: {}", codes.join(" vs "), t.compare_title),
        &path,
        &visitor,
    )
    .describe(&format!("{} {}.", t.compare_side_by_side, summary.join(", ")))
    .with_breadcrumbs(&crumbs);
    page = page.with_canonical(&snapshot, canonical);
    let columns: Vec<ColumnView> =
        comparison.columns.iter().map(|column| column_view(catalog, column, &locale, today)).collect();
    let coverage = comparison
        .responsibilities
        .iter()
        .map(|row| CoverageRow {
            label: localized_html(catalog.responsibility_label(locales, &row.responsibility)),
            cells: row.shares.iter().enumerate().map(|(i, s)| (percent(*s), row.covered(i))).collect(),
        })
        .collect();
    let order = comparison
        .order
        .iter()
        .filter_map(|code| catalog.certification(code))
        .map(|c| {
            let needs: Vec<&str> = c
                .prerequisites
                .alternatives()
                .iter()
                .filter(|p| comparison.order.contains(p))
                .map(Code::as_str)
                .collect();
            let note = if needs.is_empty() {
                String::new()
            } else {
                format!("{} {}", t.needs_one_of, needs.join(", "))
            };
            (c.code.to_string(), note)
        })
        .collect();
    let any_uncertain = columns.iter().any(|c| c.prerequisites_unconfirmed || c.domains_unconfirmed);
    super::html(&ComparePage {
        page,
        crumbs,
        heading,
        columns,
        shared: comparison.shared.iter().map(|s| (*s).to_owned()).collect(),
        coverage,
        order,
        any_uncertain,
    })
}

fn column_view(
    catalog: &Catalog,
    column: &compare::Column<'_>,
    locale: &str,
    today: NaiveDate,
) -> ColumnView {
    let lang = Lang::of(locale);
    let locales = catalog.locales(locale);
    let cert = column.cert;
    let link = |code: &Code| -> (String, Option<String>) {
        let url =
            catalog.certification(code).map(|_| format!("/{locale}/certifications/{}", code.to_lowercase()));
        (code.to_string(), url)
    };
    let mut when = column.lifecycle.retirement_date().map(|on| lang.date(on)).unwrap_or_default();
    if let Some(successor) = column.lifecycle.successor() {
        when = format!("{when} · {}: {successor}", lang.ui().successor);
    }
    ColumnView {
        code: cert.code.clone(),
        url: format!("/{locale}/certifications/{}", cert.code.to_lowercase()),
        title: localized_html(cert.title_in(locales)),
        level: lang.level(cert.level),
        credential: cert.credential.clone(),
        scope: localized_html(cert.scope_in(locales)),
        status: column.lifecycle.status(),
        when,
        exam_minutes: cert.exam_minutes,
        prerequisites: cert.prerequisites.alternatives().iter().map(link).collect(),
        prerequisites_any: cert.prerequisites.is_a_choice(),
        prerequisites_unconfirmed: column.prerequisites_unconfirmed,
        domains_unconfirmed: cert.is_uncertain("domains"),
        bars: bars(cert),
        only: column.only.iter().map(|s| (*s).to_owned()).collect(),
        course: column.course.map(|c| super::courses::course_card(locales, c, today)),
    }
}

/// `A, B and C`.
fn join_words(items: &[&str], and: &str) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [rest @ .., last] => format!("{} {and} {last}", rest.join(", ")),
    }
}

impl From<CompareError> for PageError {
    fn from(e: CompareError) -> Self {
        if e.is_not_found() {
            PageError::Missing(e.to_string())
        } else {
            PageError::BadRequest(e.to_string())
        }
    }
}

impl From<CompareError> for ApiError {
    fn from(e: CompareError) -> Self {
        if e.is_not_found() {
            ApiError::NotFound(e.to_string())
        } else {
            ApiError::BadRequest { message: e.to_string(), field: Some("codes".to_owned()) }
        }
    }
}

/// `?codes=`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CodesQuery {
    /// Two to four exam codes, comma-separated, in any case and order. One code, a code
    /// twice or more than four is a 400; an unknown code is a 404 that names it.
    // `Code::WRITTEN`, `compare::MIN` to `compare::MAX` times (utoipa takes a literal
    // here; tests/openapi.rs checks the pattern against those constants).
    #[param(
        required = true,
        pattern = "^[A-Za-z0-9]+(-[A-Za-z0-9]+)*(,[A-Za-z0-9]+(-[A-Za-z0-9]+)*){1,3}$",
        example = "MD-102,MS-102"
    )]
    codes: Option<String>,
}

/// `GET /api/v1/compare`: the comparison as JSON.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompareJson<'a> {
    pub as_of: NaiveDate,
    /// The page's canonical address.
    pub url: String,
    pub certifications: Vec<CompareColumnJson<'a>>,
    /// Technologies every compared certification lists.
    pub shared_technologies: Vec<&'a str>,
    pub responsibilities: Vec<ResponsibilityJson<'a>>,
    /// The order to take them in.
    pub order: Vec<Code>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CompareColumnJson<'a> {
    pub code: &'a Code,
    pub title: &'a str,
    pub vendor: &'a str,
    pub credential: &'a str,
    pub level: Level,
    pub scope: &'a str,
    pub lifecycle: &'a Lifecycle,
    #[schema(required = true)]
    pub exam_minutes: Option<u32>,
    /// Any one of them is enough.
    pub prerequisites: &'a [Code],
    pub prerequisites_unconfirmed: bool,
    pub domains: &'a [SkillDomain],
    pub technologies: &'a [String],
    /// Technologies no other compared certification lists.
    pub only_technologies: &'a [&'a str],
    #[schema(required = true)]
    pub course: Option<CourseJson>,
    pub url: String,
}

/// The provider's course for a certification.
#[derive(Debug, Serialize, ToSchema)]
pub struct CourseJson {
    pub slug: String,
    pub title: String,
    pub duration_days: u32,
    pub price: Money,
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponsibilityJson<'a> {
    pub id: &'a str,
    pub label: &'a str,
    /// Per certification, in percent of the exam (one decimal).
    pub shares: Vec<f64>,
    pub covered: Vec<bool>,
}

/// A share as a percentage with one decimal, for JSON.
pub(crate) fn percent_json(share: f64) -> f64 {
    (share * 1000.0).round() / 10.0
}

/// Two to four certifications side by side, as the comparison page shows them.
#[utoipa::path(
    get,
    path = "/api/v1/compare",
    operation_id = "compare",
    tag = "decide",
    params(CodesQuery),
    responses(
        (status = 200, description = "The comparison", body = CompareJson),
        (status = 400, description = "Fewer than two codes, a code twice, more than four, or one that is no exam code", body = ErrorBody),
        (status = 404, description = "A code the catalog does not have", body = ErrorBody),
    )
)]
async fn api(State(state): State<AppState>, ApiQuery(q): ApiQuery<CodesQuery>) -> Result<Response, ApiError> {
    let snapshot = state.published.current();
    let catalog: &Catalog = &snapshot.catalog;
    let raw = q.codes.unwrap_or_default();
    let codes: Vec<&str> = raw.split(',').map(str::trim).filter(|c| !c.is_empty()).collect();
    let certs = compare::resolve(catalog, &codes)?;
    let today = state.clock.today();
    let comparison = Comparison::of(catalog, &certs, today);
    let base = &catalog.site.base_url;
    let locale = &catalog.site.default_locale;
    let certifications = comparison
        .columns
        .iter()
        .map(|c| CompareColumnJson {
            code: &c.cert.code,
            title: &c.cert.title,
            vendor: &c.cert.vendor,
            credential: &c.cert.credential,
            level: c.cert.level,
            scope: &c.cert.scope,
            lifecycle: &c.lifecycle,
            exam_minutes: c.cert.exam_minutes,
            prerequisites: c.cert.prerequisites.alternatives(),
            prerequisites_unconfirmed: c.prerequisites_unconfirmed,
            domains: &c.cert.domains,
            technologies: &c.cert.technologies,
            only_technologies: &c.only,
            course: c.course.map(|course| CourseJson {
                slug: course.slug.to_string(),
                title: course.title.clone(),
                duration_days: course.duration_days,
                price: course.price.clone(),
                url: format!("{base}/{locale}/courses/{}", course.slug),
            }),
            url: format!("{base}/{locale}/certifications/{}", c.cert.code.to_lowercase()),
        })
        .collect();
    let responsibilities = comparison
        .responsibilities
        .iter()
        .map(|row| ResponsibilityJson {
            id: row.responsibility.as_str(),
            label: catalog
                .responsibilities
                .iter()
                .find(|r| r.id == row.responsibility)
                .map_or(row.responsibility.as_str(), |r| r.label.as_str()),
            shares: row.shares.iter().map(|s| percent_json(*s)).collect(),
            covered: (0..row.shares.len()).map(|i| row.covered(i)).collect(),
        })
        .collect();
    let body = CompareJson {
        as_of: today,
        url: format!("{base}/{locale}/compare/{}", compare::path_segment(&certs)),
        certifications,
        shared_technologies: comparison.shared.clone(),
        responsibilities,
        order: comparison.order.clone(),
    };
    Ok(Json(body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_joined_as_sentences_say_them() {
        assert_eq!(join_words(&["MD-102"], "and"), "MD-102");
        assert_eq!(join_words(&["MD-102", "MS-102"], "and"), "MD-102 and MS-102");
        assert_eq!(join_words(&["A-1", "B-1", "C-1"], "and"), "A-1, B-1 and C-1");
    }

    #[test]
    fn shares_read_as_whole_percentages() {
        assert_eq!(percent(0.273), "27%");
        assert!((percent_json(0.2734) - 27.3).abs() < 1e-9);
    }
}
