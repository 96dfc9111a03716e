//! The JSON API (`/api/v1`): the same derived facts as the pages.
//!
//! Every request and response is a typed struct deriving `utoipa::ToSchema` (or
//! `IntoParams`), and every handler carries its `#[utoipa::path]`: the OpenAPI
//! description (`openapi`) is derived from the very types the handlers serialize, so it
//! cannot drift from what they send.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::AppState;
use super::error::{ApiError, ErrorBody};
use super::extract::{self, ApiPath, ApiQuery};
use crate::domain::paging::API_PAGE_SIZE;
use crate::domain::related::RelatedKind;
use crate::domain::staleness::FactChange;
use crate::domain::{Answer, Certification, Choose, Code, Course, Expert, Lifecycle, RelatedInfo, Slug};
use crate::i18n::{Lang, WordedLine, WordedTable};
use crate::snapshot::Snapshot;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/answers", get(answers))
        .route("/api/v1/answers/{locale}/{slug}", get(answer))
        .route("/api/v1/certifications", get(certifications))
        .route("/api/v1/certifications/{code}", get(certification))
}

/// `?locale=&topic=&page=` of the answers list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// One of the site's locales (`en`, `de`, …: they come with the content, so they are
    /// not listed here); empty or absent: the site's default locale. Another is a 400.
    #[param(example = "en")]
    locale: Option<String>,
    /// A topic's slug: only that topic's answers. One the site does not have is a 400.
    #[param(example = "microsoft-365")]
    topic: Option<String>,
    #[param(schema_with = page_schema, example = 1)]
    page: Option<String>,
}

/// `?page=` of a list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    #[param(schema_with = page_schema, example = 1)]
    page: Option<String>,
}

/// `?page=`: a positive integer, or empty (the first page) — as `extract::page` reads it.
pub(crate) fn page_schema() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)))
        .item(ObjectBuilder::new().schema_type(Type::String).enum_values(Some([""])))
        .description(Some(
            "The page, from 1 (50 items to a page); empty or absent: the first. Past the end is a 404.",
        ))
        .build()
        .into()
}

/// An answer in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerSummary {
    pub locale: String,
    pub slug: Slug,
    pub question: String,
    pub short_answer: String,
    pub certifications: Vec<Code>,
    pub topics: Vec<Slug>,
    pub published_on: NaiveDate,
    pub reviewed_on: NaiveDate,
    /// The answer's page.
    pub url: String,
}

impl AnswerSummary {
    fn of(snapshot: &Snapshot, a: &Answer) -> Self {
        Self {
            locale: a.locale.clone(),
            slug: a.slug.clone(),
            question: a.question.clone(),
            short_answer: a.short_answer.clone(),
            certifications: a.certifications.clone(),
            topics: a.topics.clone(),
            published_on: a.published_on,
            reviewed_on: a.reviewed_on,
            url: format!("{}/{}/answers/{}", snapshot.catalog.site.base_url, a.locale, a.slug),
        }
    }
}

/// `GET /api/v1/answers`: a page of a locale's answers, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerList {
    pub locale: String,
    pub page: usize,
    pub pages: usize,
    pub total: usize,
    /// The next page, null on the last.
    #[schema(required = true)]
    pub next: Option<String>,
    pub items: Vec<AnswerSummary>,
}

/// An expert as an answer names them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExpertRef {
    pub slug: Slug,
    pub name: String,
    pub credentials: Vec<String>,
}

impl From<&Expert> for ExpertRef {
    fn from(e: &Expert) -> Self {
        Self { slug: e.slug.clone(), name: e.name.clone(), credentials: e.credentials.clone() }
    }
}

/// An expert's insight on an answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct InsightJson {
    /// Absent when the catalog no longer lists the expert.
    #[schema(required = true)]
    pub expert: Option<ExpertRef>,
    pub text_markdown: String,
    #[schema(required = true)]
    pub text_html: Option<String>,
}

/// The lifecycle of one of an answer's certifications on the day of the answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificationLifecycle {
    pub code: Code,
    pub lifecycle: Lifecycle,
    /// The lifecycle in the answer's language.
    pub text: String,
}

/// One side of a Related information line.
#[derive(Debug, Serialize, ToSchema)]
pub struct RelatedPart {
    pub code: Code,
    /// `MD-102: endpoint management scope`.
    pub text: String,
}

/// A Related information line in the answer's language.
#[derive(Debug, Serialize, ToSchema)]
pub struct RelatedLine {
    pub kind: RelatedKind,
    pub parts: Vec<RelatedPart>,
    /// The parts joined, as the page shows them.
    pub text: String,
}

impl From<WordedLine> for RelatedLine {
    fn from(line: WordedLine) -> Self {
        Self {
            kind: line.kind,
            parts: line.parts.into_iter().map(|p| RelatedPart { code: p.code, text: p.text }).collect(),
            text: line.text,
        }
    }
}

/// The Related information as a table: one column per certification.
#[derive(Debug, Serialize, ToSchema)]
pub struct RelatedTable {
    pub columns: Vec<Code>,
    pub rows: Vec<RelatedRow>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RelatedRow {
    pub aspect: RelatedKind,
    pub label: String,
    /// One per column; `—` where the certification has nothing for the aspect.
    pub cells: Vec<String>,
}

impl From<WordedTable> for RelatedTable {
    fn from(table: WordedTable) -> Self {
        Self {
            columns: table.columns,
            rows: table
                .rows
                .into_iter()
                .map(|r| RelatedRow { aspect: r.aspect, label: r.label.to_owned(), cells: r.cells })
                .collect(),
        }
    }
}

/// `GET /api/v1/answers/{locale}/{slug}`: one answer with its derived related information.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerJson {
    #[serde(flatten)]
    pub summary: AnswerSummary,
    /// The day the derived facts are for.
    pub as_of: NaiveDate,
    pub body_markdown: String,
    /// Sanitised HTML.
    pub body_html: String,
    pub related: Vec<RelatedLine>,
    pub related_table: RelatedTable,
    /// The comparison of the answer's certifications, when it has two or more.
    #[schema(required = true)]
    pub compare_url: Option<String>,
    /// Facts that changed since the answer's review; empty when it is current.
    pub stale_since: Vec<FactChange>,
    pub lifecycle: Vec<CertificationLifecycle>,
    pub choose: Vec<Choose>,
    /// Absent when the catalog no longer lists the author.
    #[schema(required = true)]
    pub author: Option<ExpertRef>,
    #[schema(required = true)]
    pub insight: Option<InsightJson>,
    /// Shared by the translations of one answer.
    #[schema(required = true)]
    pub translation_key: Option<String>,
}

/// A certification with its lifecycle on the day and the provider's courses for it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificationJson<'a> {
    #[serde(flatten)]
    #[schema(inline)]
    pub certification: &'a Certification,
    /// On the day of `as_of` (the list's, or today).
    pub lifecycle: Lifecycle,
    pub courses: Vec<&'a Course>,
}

impl<'a> CertificationJson<'a> {
    fn of(c: &'a Certification, snapshot: &'a Snapshot, today: NaiveDate) -> Self {
        Self {
            certification: c,
            lifecycle: Lifecycle::of(c, today),
            courses: snapshot.catalog.courses_for(&c.code),
        }
    }
}

/// `GET /api/v1/certifications`: a page of the catalog, by code.
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificationList<'a> {
    pub as_of: NaiveDate,
    pub page: usize,
    pub pages: usize,
    pub total: usize,
    /// The next page, null on the last.
    #[schema(required = true)]
    pub next: Option<String>,
    pub items: Vec<CertificationJson<'a>>,
}

fn bad(field: &str, message: String) -> ApiError {
    ApiError::BadRequest { message, field: Some(field.to_owned()) }
}

/// A locale's answers, newest first, paginated, filterable by topic.
#[utoipa::path(
    get,
    path = "/api/v1/answers",
    tag = "answers",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of answers", body = AnswerList),
        (status = 400, description = "An unknown locale or topic, or a page that is not a positive integer", body = ErrorBody),
        (status = 404, description = "A page past the end of the list", body = ErrorBody),
    )
)]
async fn answers(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<AnswerList>, ApiError> {
    let snapshot = state.published.current();
    let site = &snapshot.catalog.site;
    let locale = q.locale.filter(|l| !l.is_empty()).unwrap_or_else(|| site.default_locale.clone());
    if !snapshot.has_locale(&locale) {
        return Err(bad(
            "locale",
            format!("unknown locale `{locale}`; expected one of {}", site.locales.join(", ")),
        ));
    }
    let topic = extract::topic(&snapshot, q.topic.as_deref())?;
    let all: Vec<&Answer> = match &topic {
        Some(t) => snapshot.answers_with_topic(&locale, t).collect(),
        None => snapshot.answers(&locale).collect(),
    };
    let page = extract::page(q.page.as_deref(), all.len(), API_PAGE_SIZE)?;
    let items = page.slice(&all).iter().map(|a| AnswerSummary::of(&snapshot, a)).collect();
    let next = page.next().map(|n| {
        let topic = topic.as_ref().map(|t| format!("&topic={t}")).unwrap_or_default();
        format!("{}/api/v1/answers?locale={locale}{topic}&page={n}", site.base_url)
    });
    Ok(Json(AnswerList { locale, page: page.number, pages: page.pages, total: page.total, next, items }))
}

/// One answer with its derived related information, as of today.
#[utoipa::path(
    get,
    path = "/api/v1/answers/{locale}/{slug}",
    tag = "answers",
    params(
        ("locale" = String, Path, description = "One of the site's locales", example = "en"),
        ("slug" = String, Path, description = "The answer's slug", example = "md-102-vs-ms-102-difference"),
    ),
    responses(
        (status = 200, description = "The answer", body = AnswerJson),
        (status = 404, description = "No such answer in that locale", body = ErrorBody),
    )
)]
async fn answer(
    State(state): State<AppState>,
    ApiPath((locale, slug)): ApiPath<(String, String)>,
) -> Result<Json<AnswerJson>, ApiError> {
    let snapshot = state.published.current();
    let found = extract::slug(&slug).ok().and_then(|s| snapshot.answer(&locale, &s));
    let Some((a, rendered)) = found else {
        return Err(ApiError::NotFound(format!("no answer `{slug}` in locale `{locale}`")));
    };
    let catalog = &snapshot.catalog;
    let today = state.clock.today();
    let lang = Lang::of(&a.locale);
    let expert = |slug: &Slug| catalog.experts.get(slug).map(ExpertRef::from);
    let lifecycle = a
        .certifications
        .iter()
        .filter_map(|c| catalog.certification(c))
        .map(|c| {
            let lifecycle = Lifecycle::of(c, today);
            CertificationLifecycle { code: c.code.clone(), text: lang.lifecycle(&lifecycle), lifecycle }
        })
        .collect();
    let related = RelatedInfo::derive(a, catalog, today);
    let money = catalog.site.money_tag(&a.locale);
    Ok(Json(AnswerJson {
        summary: AnswerSummary::of(&snapshot, a),
        as_of: today,
        body_markdown: a.body.clone(),
        body_html: rendered.body_html.clone(),
        related: lang.related(&related, &money).into_iter().map(RelatedLine::from).collect(),
        related_table: lang.related_table(&related.table(), &money).into(),
        compare_url: related
            .compare
            .as_ref()
            .map(|segment| format!("{}/{}/compare/{segment}", catalog.site.base_url, a.locale)),
        stale_since: crate::domain::staleness::staleness(a, catalog, &snapshot.fact_changes, today),
        lifecycle,
        choose: a.choose.clone(),
        author: expert(&a.author),
        insight: a.insight.as_ref().map(|i| InsightJson {
            expert: expert(&i.expert),
            text_markdown: i.text.clone(),
            text_html: rendered.insight_html.clone(),
        }),
        translation_key: a.translation_key.clone(),
    }))
}

/// The catalog, by code, with each certification's lifecycle today and its courses.
#[utoipa::path(
    get,
    path = "/api/v1/certifications",
    tag = "certifications",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of the catalog", body = CertificationList),
        (status = 400, description = "A page that is not a positive integer", body = ErrorBody),
        (status = 404, description = "A page past the end of the list", body = ErrorBody),
    )
)]
async fn certifications(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let snapshot = state.published.current();
    let today = state.clock.today();
    let all: Vec<&Certification> = snapshot.catalog.certifications.values().collect();
    let page = extract::page(q.page.as_deref(), all.len(), API_PAGE_SIZE)?;
    let items = page.slice(&all).iter().map(|c| CertificationJson::of(c, &snapshot, today)).collect();
    let next =
        page.next().map(|n| format!("{}/api/v1/certifications?page={n}", snapshot.catalog.site.base_url));
    let list = CertificationList {
        as_of: today,
        page: page.number,
        pages: page.pages,
        total: page.total,
        next,
        items,
    };
    Ok(Json(list).into_response())
}

/// One certification, by its code in any case.
#[utoipa::path(
    get,
    path = "/api/v1/certifications/{code}",
    tag = "certifications",
    params(("code" = String, Path, description = "An exam code, in any case", example = "md-102")),
    responses(
        (status = 200, description = "The certification", body = CertificationJson),
        (status = 404, description = "No such certification", body = ErrorBody),
    )
)]
async fn certification(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let snapshot = state.published.current();
    let (found, _) = extract::code(&code)?;
    let Some(cert) = snapshot.catalog.certification(&found) else {
        return Err(ApiError::NotFound(format!("no certification `{code}`")));
    };
    Ok(Json(CertificationJson::of(cert, &snapshot, state.clock.today())).into_response())
}
