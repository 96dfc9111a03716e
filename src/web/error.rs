//! What a request can hit, and how each becomes a response: the HTML error page for
//! pages, `{"error": {...}}` for the API. Internal details are logged, never shown.

use std::any::Any;

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use super::AppState;
use super::layout::Layout;
use crate::i18n::Lang;

/// An error while serving a page.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound { locale: Option<String> },
    #[error("bad request: {message}")]
    BadRequest { locale: Option<String>, message: String },
    #[error("internal error: {0}")]
    Internal(String),
}

impl PageError {
    pub fn not_found(locale: &str) -> Self {
        PageError::NotFound { locale: Some(locale.to_owned()) }
    }

    pub fn bad_request(locale: &str, message: impl Into<String>) -> Self {
        PageError::BadRequest { locale: Some(locale.to_owned()), message: message.into() }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Layout,
    heading: &'static str,
    text: String,
}

/// Renders the error page in the right locale. Needs the snapshot for the site name, so
/// it is finished in `finish` with the state at hand.
pub fn render_error(state: &AppState, err: &PageError) -> Response {
    let snapshot = state.published.current();
    let site = &snapshot.catalog.site;
    let (status, locale, heading, text) = match err {
        PageError::NotFound { locale } => {
            let ui = Lang::of(locale.as_deref().unwrap_or(&site.default_locale)).ui();
            (StatusCode::NOT_FOUND, locale.clone(), ui.not_found_title, ui.not_found_text.to_owned())
        }
        PageError::BadRequest { locale, message } => {
            let ui = Lang::of(locale.as_deref().unwrap_or(&site.default_locale)).ui();
            (StatusCode::BAD_REQUEST, locale.clone(), ui.bad_request_title, message.clone())
        }
        PageError::Internal(detail) => {
            tracing::error!(%detail, "internal error while serving a page");
            let ui = Lang::of(&site.default_locale).ui();
            (StatusCode::INTERNAL_SERVER_ERROR, None, ui.server_error_title, ui.server_error_text.to_owned())
        }
    };
    let locale = locale.filter(|l| snapshot.has_locale(l)).unwrap_or_else(|| site.default_locale.clone());
    let mut page = Layout::new(&snapshot, &locale, heading, "");
    page.noindex = true;
    let body = ErrorPage { page, heading, text }.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "error page failed to render");
        heading.to_owned()
    });
    (status, Html(body)).into_response()
}

/// Page handlers return `Result<Response, Failure>`: the error with the state needed to
/// render it.
#[derive(Debug)]
pub struct Failure(pub AppState, pub PageError);

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        render_error(&self.0, &self.1)
    }
}

/// Unknown paths: the 404 page, in the locale of the path's first segment when it is one.
pub async fn fallback(State(state): State<AppState>, uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::NotFound(format!("no API endpoint at {}", uri.path())).into_response();
    }
    let first = uri.path().trim_start_matches('/').split('/').next().unwrap_or_default().to_owned();
    render_error(&state, &PageError::NotFound { locale: Some(first) })
}

/// A bug must not show its details; the panic is logged by the layer.
#[expect(clippy::needless_pass_by_value, reason = "the signature CatchPanicLayer requires")]
pub fn panic_response(err: Box<dyn Any + Send + 'static>) -> Response {
    let detail = err
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| err.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    tracing::error!(%detail, "handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "internal server error",
    )
        .into_response()
}

/// An error from the JSON API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    BadRequest { message: String, field: Option<String> },
    #[error("internal error")]
    Internal(String),
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, field) = match self {
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, "not_found", m, None),
            ApiError::BadRequest { message, field } => {
                (StatusCode::BAD_REQUEST, "bad_request", message, field)
            }
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error in the API");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal server error".to_owned(), None)
            }
        };
        let mut error = json!({ "code": code, "message": message });
        if let Some(field) = field {
            error["field"] = json!(field);
        }
        (status, Json(json!({ "error": error }))).into_response()
    }
}
