//! The role-based advisor: `/{locale}/advisor` (a GET form whose address keeps the
//! reader's choices) and `POST /api/v1/advisor`. The rules are `domain::advice`; this
//! module reads the choices, and shows the ranking and the path with the provider's
//! courses.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{ApiError, ErrorBody, PageError};
use super::extract::PagePath;
use super::filters::localized_html;
use super::layout::{Crumb, Layout};
use super::limits::Client;
use super::visitor::Visitor;
use super::{AppState, filters};
use crate::domain::advice::{self, ChoiceProblem, Choices, Emphasis, Needs, Path, Reason, Score, Totals};
use crate::domain::{Catalog, Code, Level, Lifecycle, LifecycleStatus, Money, Slug};
use crate::i18n::Lang;

pub fn router() -> Router<AppState> {
    Router::new().route("/{locale}/advisor", get(page)).route("/api/v1/advisor", post(api))
}

/// How many ranked exams the page shows.
const SHOWN: usize = 10;

/// A responsibility with the reader's choice, for the form.
#[derive(Debug)]
struct Choice {
    id: String,
    /// HTML, in the page's locale.
    label: String,
    /// 0 when not chosen.
    emphasis: u8,
}

#[derive(Debug)]
struct Ranked {
    code: String,
    /// HTML, in the page's locale.
    title: String,
    url: String,
    points: u8,
    explanation: String,
    /// The lifecycle worth flagging (anything but active).
    badge: Option<LifecycleStatus>,
}

/// One exam of a path, for a page.
#[derive(Debug)]
pub(crate) struct StepView {
    pub code: String,
    /// HTML, in the page's locale.
    pub title: String,
    pub url: String,
    /// Why it is there and what to know: "Prerequisite of MS-102", "Replaces MS-102", …
    pub notes: Vec<String>,
    pub unconfirmed: bool,
    pub course: Option<super::courses::CourseCard>,
}

/// A path as pages show it, with its totals.
#[derive(Debug, Default)]
pub(crate) struct PathView {
    pub steps: Vec<StepView>,
    pub days: u32,
    pub prices: Vec<String>,
    pub without_course: Vec<String>,
    /// "AZ-800 has retired and has no successor in the catalog."
    pub notes: Vec<String>,
    /// HTML: the labels, in the page's locale.
    pub uncovered: Vec<String>,
}

pub(crate) fn path_view(catalog: &Catalog, path: &Path, locale: &str, today: NaiveDate) -> PathView {
    let lang = Lang::of(locale);
    let locales = catalog.locales(locale);
    let t = lang.ui().decide;
    let steps = path
        .steps
        .iter()
        .map(|step| {
            let mut notes = Vec::new();
            if let Reason::Prerequisite { of } = &step.reason {
                notes.push(format!("{} {of}", t.step_prerequisite_of));
            }
            if !step.replaces.is_empty() {
                let codes: Vec<&str> = step.replaces.iter().map(Code::as_str).collect();
                notes.push(format!("{} {}", t.step_replaces, codes.join(", ")));
            }
            if let Some(on) = step.retiring_on {
                notes.push(format!("{} {}", t.step_retiring, lang.date(on)));
            }
            let cert = catalog.certification(&step.code);
            StepView {
                code: step.code.to_string(),
                title: cert.map(|c| localized_html(c.title_in(locales))).unwrap_or_default(),
                url: format!("/{locale}/certifications/{}", step.code.to_lowercase()),
                notes,
                unconfirmed: step.unconfirmed,
                course: catalog
                    .primary_course(&step.code)
                    .map(|c| super::courses::course_card(locales, c, today)),
            }
        })
        .collect();
    let totals = path.totals(catalog);
    PathView {
        steps,
        days: totals.days,
        prices: totals.prices.iter().map(|m| m.format(&catalog.site.money_tag(locale))).collect(),
        without_course: totals.without_course.iter().map(ToString::to_string).collect(),
        notes: path.no_successor.iter().map(|n| format!("{} {}", n.code, t.no_successor)).collect(),
        uncovered: path
            .uncovered
            .iter()
            .map(|r| localized_html(catalog.responsibility_label(locales, r)))
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "advisor.html")]
struct AdvisorPage {
    page: Layout,
    crumbs: Vec<Crumb>,
    choices: Vec<Choice>,
    held: String,
    codes: Vec<String>,
    problems: Vec<String>,
    /// Whether the reader chose anything (the results show).
    asked: bool,
    ranked: Vec<Ranked>,
    path: PathView,
    /// The comparison of the top exams, when there are two or more.
    compare_top: Option<String>,
}

/// The advisor: the form, and the advice for the choices in the address. A query in
/// another spelling than the canonical one (empty choices, codes in lower case, another
/// order) is redirected to it, so a shared address is short and one page is one URL;
/// choices the catalog does not know are named on the page.
async fn page(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(locale): PagePath<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let catalog = &snapshot.catalog;
    let raw = query.unwrap_or_default();
    // Tracking parameters a link picks up on its way (`utm_*`, `fbclid`, …) are not choices:
    // dropped, and the canonical redirect leaves them out.
    let choices = query_choices(catalog, &raw);
    let canonical = choices.query(catalog);
    if choices.problems.is_empty() && canonical != raw {
        let target = if canonical.is_empty() {
            format!("/{locale}/advisor")
        } else {
            format!("/{locale}/advisor?{canonical}")
        };
        return Ok(Redirect::to(&target).into_response());
    }
    let lang = Lang::of(&locale);
    let ui = lang.ui();
    let t = ui.decide;
    let today = state.clock.today();
    let needs = &choices.needs;
    let path_url = format!("/{locale}/advisor");
    let crumbs = vec![Crumb::new(ui.home, format!("/{locale}/")), Crumb::new(t.advisor, path_url.clone())];
    let mut page = Layout::new(&snapshot, &locale, t.advisor_title, &path_url, &visitor)
        .describe(t.advisor_lead)
        .with_breadcrumbs(&crumbs);
    // Advice for one reader is not a page for the index.
    page.noindex = !raw.is_empty();
    let asked = !needs.responsibilities.is_empty();
    let advisor = advice::Advisor::new(catalog, today);
    let scores = if asked { advisor.rank(needs) } else { Vec::new() };
    let ranked: Vec<Ranked> = scores.iter().take(SHOWN).map(|s| ranked(catalog, s, &locale, today)).collect();
    let path =
        if asked { path_view(catalog, &advisor.path(needs), &locale, today) } else { PathView::default() };
    let top: Vec<&crate::domain::Certification> =
        scores.iter().take(3).filter_map(|s| catalog.certification(&s.code)).collect();
    super::html(&AdvisorPage {
        page,
        crumbs,
        choices: catalog
            .responsibilities
            .iter()
            .map(|r| Choice {
                id: r.id.to_string(),
                label: localized_html(r.label_in(catalog.locales(&locale))),
                emphasis: needs.responsibilities.get(&r.id).map_or(0, |e| e.get()),
            })
            .collect(),
        held: needs.held.iter().map(Code::as_str).collect::<Vec<_>>().join(", "),
        codes: catalog.certifications.keys().map(ToString::to_string).collect(),
        problems: choices.problems.iter().map(ToString::to_string).collect(),
        asked,
        ranked,
        path,
        compare_top: (top.len() >= 2)
            .then(|| format!("/{locale}/compare/{}", crate::domain::compare::path_segment(&top))),
    })
}

/// The choices of the advisor's query string `raw` (without the `?`): its pairs in order,
/// tracking parameters left out. The page redirects to their canonical query
/// ([`Choices::query`]), which must read back to the same choices (fuzzed:
/// `certwise::fuzzing::advisor_query`).
pub fn query_choices(catalog: &Catalog, raw: &str) -> Choices {
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(raw.as_bytes()).into_owned().filter(|(k, _)| !is_tracking(k)).collect();
    Choices::read(catalog, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// Whether a query parameter is one that ad and analytics tools add to links.
fn is_tracking(name: &str) -> bool {
    name.starts_with("utm_")
        || [
            "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "_ga", "_gl",
            "igshid", "ref",
        ]
        .contains(&name)
}

fn ranked(catalog: &Catalog, score: &Score, locale: &str, today: NaiveDate) -> Ranked {
    let lang = Lang::of(locale);
    let locales = catalog.locales(locale);
    let cert = catalog.certification(&score.code);
    Ranked {
        code: score.code.to_string(),
        title: cert.map(|c| localized_html(c.title_in(locales))).unwrap_or_default(),
        url: format!("/{locale}/certifications/{}", score.code.to_lowercase()),
        points: score.points(),
        explanation: lang.explain(score, &|r| catalog.responsibility_label(locales, r).text.to_owned()),
        badge: cert.and_then(|c| Lifecycle::of(c, today).badge()),
    }
}

/// `POST /api/v1/advisor`: the body.
#[derive(Debug, serde::Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"responsibilities": {"device-fleet": 3, "endpoint-security": 2}, "held": ["AZ-900"]}))]
pub struct AdvisorRequest {
    /// Responsibility id → emphasis 1–3, at least one (described in [`emphasis_map`]). Each
    /// value is checked by the handler rather than by the parser, so a bad one is a 422
    /// that names it.
    #[schema(schema_with = emphasis_map)]
    pub responsibilities: std::collections::BTreeMap<String, serde_json::Value>,
    /// Exam codes the reader holds (described in [`held_codes`]).
    #[serde(default)]
    #[schema(schema_with = held_codes)]
    pub held: Vec<String>,
}

/// The schema of `held`: exam codes in any case.
fn held_codes() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    let code = ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(format!("^{}$", Code::WRITTEN)))
        .max_length(Some(Code::MAX_LEN));
    ArrayBuilder::new()
        .items(code)
        .description(Some(
            "Exam codes the reader holds, one per entry, in any case: left out of the ranking, and they meet prerequisites. One that is not an exam code, or that the catalog does not have, is a 422.",
        ))
        .examples([serde_json::json!(["AZ-900"])])
        .build()
}

/// The schema of `responsibilities`: ids to emphases 1, 2 or 3.
fn emphasis_map() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Type};
    let emphasis = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).maximum(Some(3));
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .description(Some(
            "Responsibility ids (as the catalog lists them) and how much each matters: 1, 2 or 3.",
        ))
        .property_names(Some(ObjectBuilder::new().schema_type(Type::String).pattern(Some(Slug::PATTERN))))
        .additional_properties(Some(AdditionalProperties::RefOr(emphasis.into())))
        .min_properties(Some(1))
        .build()
}

/// `POST /api/v1/advisor`: the answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdvisorJson {
    pub as_of: NaiveDate,
    pub ranked: Vec<RankedJson>,
    pub path: PathJson,
    /// The advisor page with the same choices.
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RankedJson {
    pub code: Code,
    pub title: String,
    pub level: Level,
    /// 0–100.
    pub score: u8,
    /// 0–1.
    pub relevance: f64,
    /// 0–1.
    pub coverage: f64,
    pub covered: Vec<Slug>,
    pub explanation: String,
    pub lifecycle: Lifecycle,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PathJson {
    pub steps: Vec<StepJson>,
    pub total_days: u32,
    /// One sum per currency.
    pub total_prices: Vec<Money>,
    pub without_course: Vec<Code>,
    pub no_successor: Vec<advice::NoSuccessor>,
    pub uncovered: Vec<Slug>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StepJson {
    #[serde(flatten)]
    pub step: advice::Step,
    #[schema(required = true)]
    pub course: Option<super::compare::CourseJson>,
}

pub(crate) fn path_json(catalog: &Catalog, path: &Path, base: &str, locale: &str) -> PathJson {
    let Totals { days, prices, without_course } = path.totals(catalog);
    PathJson {
        steps: path
            .steps
            .iter()
            .map(|step| StepJson {
                step: step.clone(),
                course: catalog.primary_course(&step.code).map(|course| super::compare::CourseJson {
                    slug: course.slug.to_string(),
                    title: course.title.clone(),
                    duration_days: course.duration_days,
                    price: course.price.clone(),
                    url: format!("{base}/{locale}/courses/{}", course.slug),
                }),
            })
            .collect(),
        total_days: days,
        total_prices: prices,
        without_course,
        no_successor: path.no_successor.clone(),
        uncovered: path.uncovered.clone(),
    }
}

/// Reads an API body as JSON: 400 naming what is broken.
pub(crate) fn json_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| ApiError::BadRequest {
        message: format!("the body is not the JSON this endpoint takes: {e}"),
        field: None,
    })
}

/// Reads an API body within the JSON size limit and the request time.
pub(crate) async fn read_body(
    body: axum::body::Body,
    limit: usize,
    state: &AppState,
) -> Result<bytes::Bytes, ApiError> {
    match super::limits::read_body(body, state.limits.request_time, limit).await {
        Err(crate::metrics::Limit::BodyTime) => Err(ApiError::RequestTimeout(format!(
            "the body did not arrive within {} seconds",
            state.limits.request_time.as_secs()
        ))),
        Err(_) => Err(ApiError::TooLarge(format!(
            "the body is larger than the {} KiB this endpoint accepts",
            limit / 1024
        ))),
        Ok(bytes) => Ok(bytes),
    }
}

/// The per-client rate of the advisor and planner API.
pub(crate) fn within_rate(state: &AppState, client: Client) -> Result<(), ApiError> {
    state.decide_rate.check(client.0, Utc::now().timestamp()).map_err(|retry_after| ApiError::TooManyRequests {
        message: format!(
            "more than {} advisor and planner requests from your address in one minute; try again in {retry_after} seconds",
            state.limits.decide_per_minute
        ),
        retry_after,
    })
}

/// The advisor: certifications ranked for the reader's responsibilities, and the path
/// to take. Rate-limited with the planner (60 requests a minute per client by default).
#[utoipa::path(
    post,
    path = "/api/v1/advisor",
    operation_id = "advisor",
    tag = "decide",
    request_body(content = AdvisorRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "The ranking and the path", body = AdvisorJson),
        (status = 400, description = "A body that is not the JSON described", body = ErrorBody),
        (status = 408, description = "The body did not arrive within the request time (20 s by default)", body = ErrorBody),
        (status = 413, description = "A body over the JSON limit (256 KiB by default)", body = ErrorBody),
        (status = 415, description = "A body that is not application/json", body = ErrorBody),
        (status = 422, description = "A responsibility or a held code the catalog does not have, an emphasis that is not 1, 2 or 3, or no responsibility", body = ErrorBody),
        (status = 429, description = "More advisor and planner requests from the client in one minute than the limit (60 by default)", body = ErrorBody,
            headers(("Retry-After" = u64, description = "Seconds to wait before trying again"))),
    )
)]
async fn api(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Result<Response, ApiError> {
    within_rate(&state, client)?;
    let kind =
        headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !kind.is_empty() && !kind.starts_with("application/json") {
        return Err(ApiError::UnsupportedMediaType(format!(
            "send the body as application/json, not `{kind}`"
        )));
    }
    let bytes = read_body(body, state.limits.json_body, &state).await?;
    let request: AdvisorRequest = json_body(&bytes)?;
    let snapshot = state.published.current();
    let catalog = &snapshot.catalog;
    let mut problems: Vec<ChoiceProblem> = Vec::new();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (id, value) in &request.responsibilities {
        match value.as_u64().and_then(|v| u8::try_from(v).ok()).and_then(Emphasis::new) {
            Some(e) => pairs.push((id.clone(), e.get().to_string())),
            None => problems.push(ChoiceProblem::BadEmphasis { id: id.clone(), value: value.to_string() }),
        }
    }
    // Each entry is one code (the page's `held` field may list several in one value).
    if let Some(bad) = request.held.iter().find(|c| Code::parse(&c.to_ascii_uppercase()).is_err()) {
        return Err(ApiError::Unprocessable {
            message: format!("`{bad}` is not an exam code: expected one code, like `MD-102`, per entry"),
            field: Some("held".to_owned()),
        });
    }
    pairs.extend(request.held.iter().map(|c| ("held".to_owned(), c.clone())));
    let choices = Choices::read(catalog, pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    problems.extend(choices.problems.iter().cloned());
    if let Some(problem) = problems.first() {
        return Err(ApiError::Unprocessable { message: problem.to_string(), field: Some(problem.field()) });
    }
    if choices.needs.responsibilities.is_empty() {
        return Err(ApiError::Unprocessable {
            message: "choose at least one responsibility, like {\"device-fleet\": 3}".to_owned(),
            field: Some("responsibilities".to_owned()),
        });
    }
    Ok(Json(advice_json(catalog, &choices.needs, &choices, state.clock.today())).into_response())
}

fn advice_json(catalog: &Catalog, needs: &Needs, choices: &Choices, today: NaiveDate) -> AdvisorJson {
    let locale = &catalog.site.default_locale;
    let base = &catalog.site.base_url;
    let lang = Lang::of(locale);
    let advisor = advice::Advisor::new(catalog, today);
    let ranked = advisor
        .rank(needs)
        .into_iter()
        .filter_map(|s| {
            let cert = catalog.certification(&s.code)?;
            Some(RankedJson {
                title: cert.title.clone(),
                level: cert.level,
                score: s.points(),
                relevance: s.relevance,
                coverage: s.coverage,
                explanation: lang.explain(&s, &|r| {
                    catalog.responsibility_label(catalog.locales(locale), r).text.to_owned()
                }),
                lifecycle: Lifecycle::of(cert, today),
                covered: s.covered,
                code: s.code,
            })
        })
        .collect();
    AdvisorJson {
        as_of: today,
        ranked,
        path: path_json(catalog, &advisor.path(needs), base, locale),
        url: format!("{base}/{locale}/advisor?{}", choices.query(catalog)),
    }
}
