//! The JSON API (`/api/v1`): the same derived facts as the pages.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::AppState;
use super::error::ApiError;
use super::extract::{self, ApiPath, ApiQuery};
use crate::domain::paging::API_PAGE_SIZE;
use crate::domain::{Answer, Certification, Lifecycle, RelatedInfo, Slug};
use crate::i18n::Lang;
use crate::snapshot::Snapshot;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/answers", get(answers))
        .route("/api/v1/answers/{locale}/{slug}", get(answer))
        .route("/api/v1/certifications", get(certifications))
        .route("/api/v1/certifications/{code}", get(certification))
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
    let topic = extract::topic(&snapshot, q.topic.as_deref())?;
    let all: Vec<&Answer> = match &topic {
        Some(t) => snapshot.answers_with_topic(&locale, t).collect(),
        None => snapshot.answers(&locale).collect(),
    };
    let page = extract::page(q.page.as_deref(), all.len(), API_PAGE_SIZE)?;
    let items: Vec<Value> = page.slice(&all).iter().map(|a| summary(&snapshot, a)).collect();
    let next = page.next().map(|n| {
        let topic = topic.as_ref().map(|t| format!("&topic={t}")).unwrap_or_default();
        format!("{}/api/v1/answers?locale={locale}{topic}&page={n}", site.base_url)
    });
    Ok(Json(json!({
        "locale": locale,
        "page": page.number,
        "pages": page.pages,
        "total": page.total,
        "next": next,
        "items": items,
    })))
}

async fn answer(
    State(state): State<AppState>,
    ApiPath((locale, slug)): ApiPath<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let snapshot = state.published.current();
    let found = extract::slug(&slug).ok().and_then(|s| snapshot.answer(&locale, &s));
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
    let related = RelatedInfo::derive(a, catalog, today);
    out["related"] = json!(lang.related(&related));
    out["related_table"] = json!(lang.related_table(&related.table()));
    out["compare_url"] = json!(
        related
            .compare
            .as_ref()
            .map(|segment| format!("{}/{}/compare/{segment}", catalog.site.base_url, a.locale))
    );
    out["stale_since"] = json!(crate::domain::staleness::staleness(a, catalog, today));
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

#[derive(Debug, Deserialize)]
struct PageOnly {
    page: Option<String>,
}

async fn certifications(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PageOnly>,
) -> Result<Json<Value>, ApiError> {
    let snapshot = state.published.current();
    let today = state.clock.today();
    let all: Vec<&Certification> = snapshot.catalog.certifications.values().collect();
    let page = extract::page(q.page.as_deref(), all.len(), API_PAGE_SIZE)?;
    let items: Vec<Value> =
        page.slice(&all).iter().map(|c| certification_json(c, &snapshot, today)).collect();
    let next =
        page.next().map(|n| format!("{}/api/v1/certifications?page={n}", snapshot.catalog.site.base_url));
    Ok(Json(json!({
        "as_of": today,
        "page": page.number,
        "pages": page.pages,
        "total": page.total,
        "next": next,
        "items": items,
    })))
}

async fn certification(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Response, ApiError> {
    let snapshot = state.published.current();
    let (found, _) = extract::code(&code)?;
    let Some(cert) = snapshot.catalog.certification(&found).cloned() else {
        return Err(ApiError::NotFound(format!("no certification `{code}`")));
    };
    Ok(Json(certification_json(&cert, &snapshot, state.clock.today())).into_response())
}
