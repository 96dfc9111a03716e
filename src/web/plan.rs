//! The team planner: `/{locale}/plan` (paste or upload the team CSV; the plan comes back
//! as a page, or as CSV to download) and `POST /api/v1/plan` (the CSV as `text/csv`, or
//! JSON rows). The rules are `domain::plan` and `domain::advice`.
//!
//! Names are the manager's: they are used for the answer and dropped — never stored,
//! never logged, and the pages that show them are `no-store`.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequest, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use super::advisor::{PathJson, PathView, path_json, path_view, read_body, within_rate};
use super::error::{ApiError, ErrorBody, PageError};
use super::extract::PagePath;
use super::filters::localized_html;
use super::layout::{Crumb, Layout};
use super::limits::Client;
use super::visitor::Visitor;
use super::{AppState, filters};
use crate::domain::advice::Mismatch;
use crate::domain::plan::{self, TeamPlan};
use crate::domain::team::{self, JsonRow, RowProblem, Team, TeamError};
use crate::domain::{Catalog, Code, Money};
use crate::i18n::Lang;
use crate::snapshot::Snapshot;

pub fn router() -> Router<AppState> {
    Router::new().route("/{locale}/plan", get(form).post(submit)).route("/api/v1/plan", post(api))
}

/// The example the form shows.
const EXAMPLE: &str = "name,responsibilities,held,assigned\n\
Alex Muster,device-fleet:3;endpoint-security:2,,MS-102\n\
Sam Beispiel,tenant-administration:3;identity-access:2;compliance-data-protection:2,MD-102,\n";

/// Holds a name: no `Debug`, so it cannot end up in a log by accident.
struct PersonView {
    line: u64,
    name: String,
    responsibilities: String,
    assigned: Option<String>,
    mismatches: Vec<(&'static str, String)>,
    path: PathView,
}

#[derive(Debug)]
struct PlacesView {
    code: String,
    /// HTML, in the page's locale, like the course's title.
    title: String,
    people: u32,
    course: Option<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    page: Layout,
    crumbs: Vec<Crumb>,
    /// The text in the form: what the reader pasted (kept after any refusal).
    csv: String,
    example: &'static str,
    ids: Vec<(String, String)>,
    /// Why the whole input was refused.
    error: Option<String>,
    planned: bool,
    people: Vec<PersonView>,
    problems: Vec<RowProblem>,
    places: Vec<PlacesView>,
    days: u32,
    prices: Vec<String>,
}

fn blank(
    snapshot: &Snapshot,
    locale: &str,
    visitor: &Visitor,
    csv: String,
    error: Option<String>,
) -> PlanPage {
    let lang = Lang::of(locale);
    let ui = lang.ui();
    let t = ui.decide;
    let path = format!("/{locale}/plan");
    let crumbs = vec![Crumb::new(ui.home, format!("/{locale}/")), Crumb::new(t.planner, path.clone())];
    let page = Layout::new(snapshot, locale, t.planner_title, &path, visitor)
        .describe(t.planner_lead)
        .with_breadcrumbs(&crumbs);
    PlanPage {
        page,
        crumbs,
        csv,
        example: EXAMPLE,
        ids: snapshot
            .catalog
            .responsibilities
            .iter()
            .map(|r| (r.id.to_string(), localized_html(r.label_in(snapshot.catalog.locales(locale)))))
            .collect(),
        error,
        planned: false,
        people: Vec::new(),
        problems: Vec::new(),
        places: Vec::new(),
        days: 0,
        prices: Vec::new(),
    }
}

async fn form(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(locale): PagePath<String>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    super::html(&blank(&snapshot, &locale, &visitor, String::new(), None))
}

/// What the form sent: the pasted text, an uploaded file, and whether CSV is wanted back.
/// Holds the team as sent: no `Debug`, so it cannot end up in a log by accident.
#[derive(Default)]
struct Sent {
    csv: String,
    file: Vec<u8>,
    download: bool,
}

async fn read_sent(req: Request, limit: usize, state: &AppState) -> Result<Sent, PageError> {
    let (parts, body) = req.into_parts();
    // Twice the file limit: a paste a little over it is refused with its text kept.
    let bytes = read_body(body, limit * 2, state).await.map_err(|e| match e {
        ApiError::TooLarge(_) => PageError::TooLarge(format!(
            "the team list is larger than the {} KiB the planner reads; split it into smaller lists",
            limit / 1024
        )),
        ApiError::RequestTimeout(why) => PageError::RequestTimeout(why),
        other => PageError::BadRequest(other.to_string()),
    })?;
    let kind =
        parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let mut sent = Sent::default();
    if kind.starts_with("multipart/form-data") {
        let req = Request::from_parts(parts, Body::from(bytes));
        let mut multipart = axum::extract::Multipart::from_request(req, &())
            .await
            .map_err(|e| PageError::BadRequest(format!("the form could not be read: {e}")))?;
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|e| PageError::BadRequest(format!("the form could not be read: {e}")))?
        {
            let name = field.name().unwrap_or_default().to_owned();
            let data = field
                .bytes()
                .await
                .map_err(|e| PageError::BadRequest(format!("the form could not be read: {e}")))?;
            match name.as_str() {
                "csv" => sent.csv = String::from_utf8_lossy(&data).into_owned(),
                "file" => sent.file = data.to_vec(),
                "format" => sent.download = &data[..] == b"csv",
                _ => {}
            }
        }
    } else {
        for (name, value) in form_urlencoded::parse(&bytes) {
            match &*name {
                "csv" => sent.csv = value.into_owned(),
                "format" => sent.download = value == "csv",
                _ => {}
            }
        }
    }
    Ok(sent)
}

/// `POST /{locale}/plan`: the plan as a page, or as CSV when the results page asks for
/// the download. A refused list comes back in the form, as sent.
async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    client: Client,
    PagePath(locale): PagePath<String>,
    req: Request,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let limit = state.limits.team_csv;
    let sent = read_sent(req, limit, &state).await?;
    // An uploaded file wins over the text box; the text box shows what was planned.
    let (bytes, shown) = if sent.file.is_empty() {
        (sent.csv.as_bytes().to_vec(), sent.csv.clone())
    } else {
        let shown = String::from_utf8(sent.file.clone()).unwrap_or_else(|_| sent.csv.clone());
        (sent.file, shown)
    };
    let refuse = |status: StatusCode, message: String| -> Result<Response, PageError> {
        let page = blank(&snapshot, &locale, &visitor, shown.clone(), Some(message));
        let mut response = (status, Html(page.render().map_err(PageError::internal)?)).into_response();
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        Ok(response)
    };
    // The same per-client rate as the planner's API: planning is the costly request here.
    if let Err(retry_after) = within_rate(&state, client).map_err(|e| match e {
        ApiError::TooManyRequests { retry_after, .. } => retry_after,
        _ => 60,
    }) {
        let message =
            crate::i18n::Lang::of(&locale).phrase("notice-plan-rate", &[("seconds", retry_after.into())]);
        let mut response = refuse(StatusCode::TOO_MANY_REQUESTS, message)?;
        response.headers_mut().insert(header::RETRY_AFTER, retry_after.into());
        return Ok(response);
    }
    if bytes.len() > limit {
        crate::metrics::refused(crate::metrics::Limit::BodySize);
        let message = format!(
            "the team list is {} KiB; the planner reads at most {} KiB: split it into smaller lists",
            bytes.len().div_ceil(1024),
            limit / 1024
        );
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, message);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return refuse(StatusCode::BAD_REQUEST, Lang::of(&locale).ui().decide.csv_help.to_owned());
    }
    let team = match team::read_team(&bytes) {
        Ok(team) => team,
        Err(e @ (TeamError::TooLarge { .. } | TeamError::TooManyRows { .. })) => {
            crate::metrics::refused(crate::metrics::Limit::BodySize);
            return refuse(StatusCode::PAYLOAD_TOO_LARGE, e.to_string());
        }
        Err(e) => return refuse(StatusCode::BAD_REQUEST, e.to_string()),
    };
    let today = state.clock.today();
    let catalog = &snapshot.catalog;
    // Off the async workers: 500 people over a large catalog take tens of milliseconds.
    let planned = {
        let (snapshot, team) = (snapshot.clone(), team.clone());
        tokio::task::spawn_blocking(move || plan::plan(&snapshot.catalog, &team, today))
            .await
            .map_err(PageError::internal)?
    };
    let mut response = if sent.download {
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("attachment; filename=\"training-plan.csv\""),
                ),
            ],
            plan_csv(catalog, &planned, &locale, today, team.delimiter),
        )
            .into_response()
    } else {
        let mut page = blank(&snapshot, &locale, &visitor, shown, None);
        page.page.noindex = true;
        fill(&mut page, catalog, &planned, &locale, today);
        Html(page.render().map_err(PageError::internal)?).into_response()
    };
    // Names are in it: never kept by a cache on the way.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn mismatch_kind(m: &Mismatch, t: &crate::i18n::Decide) -> &'static str {
    match m {
        Mismatch::Coverage { .. } => t.mismatch_coverage,
        Mismatch::Prerequisite { .. } => t.mismatch_prerequisite,
        Mismatch::Lifecycle { .. } => t.mismatch_lifecycle,
    }
}

fn fill(page: &mut PlanPage, catalog: &Catalog, planned: &TeamPlan, locale: &str, today: NaiveDate) {
    let lang = Lang::of(locale);
    let t = lang.ui().decide;
    page.planned = true;
    page.people = planned
        .people
        .iter()
        .map(|p| PersonView {
            line: p.line,
            name: p.name.clone(),
            responsibilities: p
                .needs
                .responsibilities
                .iter()
                .map(|(r, e)| {
                    let label = catalog.responsibility_label(catalog.locales(locale), r);
                    format!("{label} ({})", lang.emphasis(*e).to_lowercase())
                })
                .collect::<Vec<_>>()
                .join("; "),
            assigned: p.assigned.as_ref().map(ToString::to_string),
            mismatches: p
                .mismatches
                .iter()
                .filter_map(|m| {
                    p.assigned.as_ref().map(|a| (mismatch_kind(m, t), lang.mismatch(a, m, today)))
                })
                .collect(),
            path: path_view(catalog, &p.path, locale, today),
        })
        .collect();
    page.problems.clone_from(&planned.problems);
    page.places = planned
        .places
        .iter()
        .map(|p| PlacesView {
            code: p.code.to_string(),
            title: catalog
                .certification(&p.code)
                .map(|c| localized_html(c.title_in(catalog.locales(locale))))
                .unwrap_or_default(),
            people: p.people,
            course: catalog.primary_course(&p.code).map(|c| {
                let path = format!("/{locale}/courses/{}", c.slug);
                let title = localized_html(c.title_in(catalog.locales(locale)));
                (title, path.clone(), format!("{path}?people={}#inquiry", p.people))
            }),
        })
        .collect();
    page.days = planned.totals.days;
    page.prices = planned.totals.prices.iter().map(|m| m.format(&catalog.site.money_tag(locale))).collect();
}

/// The plan as CSV: one row per person, formula cells neutralised.
fn plan_csv(catalog: &Catalog, planned: &TeamPlan, locale: &str, today: NaiveDate, delimiter: u8) -> String {
    let lang = Lang::of(locale);
    // A byte-order mark, so that spreadsheet programs read the names as UTF-8; the
    // delimiter the manager's file used.
    let mut out = csv::WriterBuilder::new().delimiter(delimiter).from_writer("\u{feff}".as_bytes().to_vec());
    let mut row = |cells: Vec<String>| {
        let _ = out.write_record(cells.iter().map(|c| crate::export::neutralise(c).into_owned()));
    };
    row(["line", "name", "path", "days", "price", "assigned", "mismatches"].map(str::to_owned).to_vec());
    for p in &planned.people {
        let totals = p.path.totals(catalog);
        let path: Vec<&str> = p.path.steps.iter().map(|s| s.code.as_str()).collect();
        let mismatches: Vec<String> = p
            .mismatches
            .iter()
            .filter_map(|m| p.assigned.as_ref().map(|a| lang.mismatch(a, m, today)))
            .collect();
        row(vec![
            p.line.to_string(),
            p.name.clone(),
            path.join(" > "),
            totals.days.to_string(),
            totals.prices.iter().map(Money::plain).collect::<Vec<_>>().join(" + "),
            p.assigned.as_ref().map(ToString::to_string).unwrap_or_default(),
            mismatches.join(" "),
        ]);
    }
    for problem in &planned.problems {
        let mut cells = vec![String::new(); 7];
        cells[0] = problem.line.to_string();
        cells[6] = format!("not planned: {}", problem.reason);
        row(cells);
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// `POST /api/v1/plan`: the answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanJson {
    pub as_of: NaiveDate,
    pub people: Vec<PersonJson>,
    /// Rows that could not be planned.
    pub problems: Vec<RowProblem>,
    pub places: Vec<PlacesJson>,
    pub total_days: u32,
    pub total_prices: Vec<Money>,
}

#[derive(Serialize, ToSchema)]
pub struct PersonJson {
    pub line: u64,
    pub name: String,
    #[schema(required = true)]
    pub assigned: Option<Code>,
    pub path: PathJson,
    pub mismatches: Vec<MismatchJson>,
}

impl std::fmt::Debug for PersonJson {
    /// Names are never logged: `Debug` leaves the name out.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PersonJson").field("line", &self.line).field("name", &"…").finish_non_exhaustive()
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MismatchJson {
    #[serde(flatten)]
    pub mismatch: Mismatch,
    pub explanation: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlacesJson {
    pub code: Code,
    pub people: u32,
    /// The course's inquiry with the number of places filled in.
    #[schema(required = true)]
    pub inquiry_url: Option<String>,
}

/// The team as JSON: an array of rows, or `{"rows": [...]}`. Each row is read on its own
/// ([`RawRow`]): a row that is not the shape of a row is reported by its position, and
/// the others are planned.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(untagged)]
pub enum PlanRows {
    Bare(Vec<RawRow>),
    Wrapped { rows: Vec<RawRow> },
}

/// A row as sent, read as a [`JsonRow`] on its own: any value is taken, and one that is
/// not a row is reported in `problems` by its position (INTERFACES.md: each bad row is
/// reported, good rows are still planned).
#[derive(Debug, serde::Deserialize)]
#[serde(transparent)]
pub struct RawRow(serde_json::Value);

impl utoipa::PartialSchema for RawRow {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, SchemaType};
        AnyOfBuilder::new()
            .item(utoipa::openapi::Ref::from_schema_name(<JsonRow as ToSchema>::name()))
            .item(
                ObjectBuilder::new()
                    .schema_type(SchemaType::AnyValue)
                    .description(Some("Any other value: reported in `problems`, not planned")),
            )
            .description(Some(
                "A row of the team: a JsonRow is planned; anything else is reported by its position",
            ))
            .into()
    }
}

impl ToSchema for RawRow {
    fn schemas(out: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        out.push((<JsonRow as ToSchema>::name().into_owned(), <JsonRow as utoipa::PartialSchema>::schema()));
        <JsonRow as ToSchema>::schemas(out);
    }
}

/// JSON rows, each read on its own (see [`PlanRows`]).
fn json_rows(bytes: &[u8]) -> Result<Result<Team, TeamError>, ApiError> {
    let (PlanRows::Bare(values) | PlanRows::Wrapped { rows: values }) = super::advisor::json_body(bytes)?;
    if values.len() > team::MAX_ROWS {
        return Ok(Err(TeamError::TooManyRows { rows: values.len() }));
    }
    let mut good: Vec<(u64, JsonRow)> = Vec::new();
    let mut problems: Vec<RowProblem> = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        let line = i as u64 + 1;
        match serde_json::from_value::<JsonRow>(value.0) {
            Ok(row) => good.push((line, row)),
            Err(e) => problems.push(RowProblem { line, reason: format!("not a row: {e}") }),
        }
    }
    let rows: Vec<JsonRow> = good.iter().map(|(_, r)| r.clone()).collect();
    Ok(Team::from_json_rows(&rows).map(|mut team| {
        // Back to the positions in the whole array.
        let at = |n: u64| usize::try_from(n - 1).ok().and_then(|i| good.get(i)).map_or(n, |(line, _)| *line);
        for row in &mut team.rows {
            row.line = at(row.line);
        }
        for problem in &mut team.problems {
            problem.line = at(problem.line);
        }
        team.problems.extend(problems);
        team.problems.sort_by_key(|p| p.line);
        team
    }))
}

/// The team planner: a path per person, the mismatches of assigned exams, and the places
/// to book. Rate-limited with the advisor (60 requests a minute per client by default).
#[utoipa::path(
    post,
    path = "/api/v1/plan",
    operation_id = "plan",
    tag = "decide",
    request_body(
        description = "The team as CSV (INTERFACES.md, Team CSV; `text/plain` is read the same way), or as JSON rows. At most 500 rows and 1 MiB.",
        content(
            (String = "text/csv", example = json!(EXAMPLE)),
            (String = "text/plain", example = json!(EXAMPLE)),
            (PlanRows = "application/json"),
        ),
    ),
    responses(
        (status = 200, description = "The plan; rows that could not be read are listed in `problems`", body = PlanJson),
        (status = 400, description = "A list that cannot be read as a whole (no header row, another encoding than UTF-8, JSON of another shape)", body = ErrorBody),
        (status = 408, description = "The body did not arrive within the request time (20 s by default)", body = ErrorBody),
        (status = 413, description = "More than 500 rows, or more than the team CSV limit (1 MiB by default)", body = ErrorBody),
        (status = 415, description = "A body that is neither text/csv, text/plain nor application/json", body = ErrorBody),
        (status = 429, description = "More advisor and planner requests from the client in one minute than the limit (60 by default)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait before trying again"))),
    )
)]
async fn api(State(state): State<AppState>, client: Client, req: Request) -> Result<Response, ApiError> {
    within_rate(&state, client)?;
    let kind =
        req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let limit = state.limits.team_csv;
    let bytes = read_body(req.into_body(), limit, &state).await?;
    let team = if kind.starts_with("text/csv") || kind.starts_with("text/plain") {
        team::read_team(&bytes)
    } else if kind.starts_with("application/json") {
        json_rows(&bytes)?
    } else {
        return Err(ApiError::UnsupportedMediaType(format!(
            "send the team as text/csv, or as application/json rows; not `{kind}`"
        )));
    };
    let team = team.map_err(|e| match e {
        TeamError::TooLarge { .. } | TeamError::TooManyRows { .. } => {
            crate::metrics::refused(crate::metrics::Limit::BodySize);
            ApiError::TooLarge(e.to_string())
        }
        other => ApiError::BadRequest { message: other.to_string(), field: Some("body".to_owned()) },
    })?;
    let snapshot = state.published.current();
    let catalog = &snapshot.catalog;
    let today = state.clock.today();
    let planned = plan::plan(catalog, &team, today);
    let locale = &catalog.site.default_locale;
    let base = &catalog.site.base_url;
    let lang = Lang::of(locale);
    let body = PlanJson {
        as_of: today,
        people: planned
            .people
            .iter()
            .map(|p| PersonJson {
                line: p.line,
                name: p.name.clone(),
                assigned: p.assigned.clone(),
                path: path_json(catalog, &p.path, base, locale),
                mismatches: p
                    .mismatches
                    .iter()
                    .filter_map(|m| {
                        let a = p.assigned.as_ref()?;
                        Some(MismatchJson { mismatch: m.clone(), explanation: lang.mismatch(a, m, today) })
                    })
                    .collect(),
            })
            .collect(),
        problems: planned.problems.clone(),
        places: planned
            .places
            .iter()
            .map(|p| PlacesJson {
                code: p.code.clone(),
                people: p.people,
                inquiry_url: catalog
                    .primary_course(&p.code)
                    .map(|c| format!("{base}/{locale}/courses/{}?people={}#inquiry", c.slug, p.people)),
            })
            .collect(),
        total_days: planned.totals.days,
        total_prices: planned.totals.prices.clone(),
    };
    let mut response = Json(body).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}
