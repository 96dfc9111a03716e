//! The JSON API (`/api/v1`): the same derived facts as the pages.

use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::AppState;
use super::answers::PAGE_SIZE;
use super::error::ApiError;
use crate::domain::{Answer, Certification, Code, Lifecycle, RelatedInfo, Slug};
use crate::i18n::Lang;
use crate::snapshot::Snapshot;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/answers", get(answers))
        .route("/api/v1/answers/{locale}/{slug}", get(answer))
        .route("/api/v1/certifications", get(certifications))
        .route("/api/v1/certifications/{code}", get(certification))
}

/// A query string whose rejection is the API's error shape.
#[derive(Debug)]
struct ApiQuery<T>(T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(v)| Self(v))
            .map_err(|e| ApiError::BadRequest { message: e.body_text(), field: None })
    }
}

/// Path parameters; a path that does not parse names nothing that exists.
#[derive(Debug)]
struct ApiPath<T>(T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| Self(v))
            .map_err(|_| ApiError::NotFound(format!("nothing at {}", parts.uri.path())))
    }
}

#[derive(Debug, Deserialize)]
struct ListQuery {
    locale: Option<String>,
    topic: Option<String>,
    page: Option<String>,
}

fn bad(field: &str, message: String) -> ApiError {
    ApiError::BadRequest { message, field: Some(field.to_owned()) }
}

fn summary(snapshot: &Snapshot, a: &Answer) -> Value {
    json!({
        "locale": a.locale,
        "slug": a.slug,
        "question": a.question,
        "short_answer": a.short_answer,
        "certifications": a.certifications,
        "topics": a.topics,
        "published_on": a.published_on,
        "reviewed_on": a.reviewed_on,
        "url": format!("{}/{}/answers/{}", snapshot.catalog.site.base_url, a.locale, a.slug),
    })
}

async fn answers(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let snapshot = state.published.current();
    let site = &snapshot.catalog.site;
    let locale = q.locale.filter(|l| !l.is_empty()).unwrap_or_else(|| site.default_locale.clone());
    if !snapshot.has_locale(&locale) {
        return Err(bad(
            "locale",
            format!("unknown locale `{locale}`; expected one of {}", site.locales.join(", ")),
        ));
    }
    let page = match q.page.as_deref().filter(|p| !p.is_empty()) {
        None => 1,
        Some(p) => p
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| bad("page", format!("`page` must be a whole number from 1 up, not `{p}`")))?,
    };
    let topic = match q.topic.as_deref().filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => Some(
            Slug::parse(t)
                .ok()
                .filter(|s| snapshot.is_topic(s))
                .ok_or_else(|| bad("topic", format!("unknown topic `{t}`")))?,
        ),
    };
    let all: Vec<&Answer> = match &topic {
        Some(t) => snapshot.answers_with_topic(&locale, t).collect(),
        None => snapshot.answers(&locale).collect(),
    };
    let pages = all.len().div_ceil(PAGE_SIZE).max(1);
    let items: Vec<Value> =
        all.iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE).map(|a| summary(&snapshot, a)).collect();
    Ok(Json(json!({ "locale": locale, "page": page, "pages": pages, "total": all.len(), "items": items })))
}

async fn answer(
    State(state): State<AppState>,
    ApiPath((locale, slug)): ApiPath<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let snapshot = state.published.current();
    let found = Slug::parse(&slug).ok().and_then(|s| snapshot.answer(&locale, &s));
    let Some((a, rendered)) = found else {
        return Err(ApiError::NotFound(format!("no answer `{slug}` in locale `{locale}`")));
    };
    let catalog = &snapshot.catalog;
    let today = state.clock.today();
    let lang = Lang::of(&a.locale);
    let expert = |slug: &Slug| {
        catalog
            .experts
            .get(slug)
            .map(|e| json!({ "slug": e.slug, "name": e.name, "credentials": e.credentials }))
    };
    let lifecycle: Vec<Value> = a
        .certifications
        .iter()
        .filter_map(|c| catalog.certification(c))
        .map(|c| {
            let l = Lifecycle::of(c, today);
            json!({ "code": c.code, "lifecycle": l, "text": lang.lifecycle(&l) })
        })
        .collect();
    let mut out = summary(&snapshot, a);
    out["as_of"] = json!(today);
    out["body_markdown"] = json!(a.body);
    out["body_html"] = json!(rendered.body_html);
    out["related"] = json!(lang.related(&RelatedInfo::derive(a, catalog, today)));
    out["lifecycle"] = json!(lifecycle);
    out["choose"] = json!(a.choose);
    out["author"] = expert(&a.author).unwrap_or(Value::Null);
    out["insight"] = a.insight.as_ref().map_or(Value::Null, |i| json!({ "expert": expert(&i.expert), "text_markdown": i.text, "text_html": rendered.insight_html }));
    out["translation_key"] = json!(a.translation_key);
    Ok(Json(out))
}

fn certification_json(c: &Certification, snapshot: &Snapshot, today: chrono::NaiveDate) -> Value {
    let mut v = json!(c);
    v["lifecycle"] = json!(Lifecycle::of(c, today));
    v["courses"] = json!(snapshot.catalog.courses_for(&c.code));
    v
}

async fn certifications(State(state): State<AppState>) -> Json<Value> {
    let snapshot = state.published.current();
    let today = state.clock.today();
    let items: Vec<Value> =
        snapshot.catalog.certifications.values().map(|c| certification_json(c, &snapshot, today)).collect();
    Json(json!({ "as_of": today, "total": items.len(), "items": items }))
}

async fn certification(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Response, ApiError> {
    let snapshot = state.published.current();
    let found = Code::parse(&code.to_ascii_uppercase())
        .ok()
        .and_then(|c| snapshot.catalog.certification(&c).cloned());
    let Some(cert) = found else {
        return Err(ApiError::NotFound(format!("no certification `{code}`")));
    };
    Ok(Json(certification_json(&cert, &snapshot, state.clock.today())).into_response())
}
