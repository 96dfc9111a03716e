//! What a request can hit, and how each becomes a response — in one place: the HTML
//! error page for pages, `{"error": {...}}` for the API. Internal details are logged,
//! never shown.
//!
//! A page handler returns a `PageError`; it becomes a bare response carrying the error,
//! and [`render_error_pages`] (which knows the visitor and the locale) turns that into the
//! error page, so every error page has the same frame, banner and headers as any page.

use std::any::Any;

use askama::Template;
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::AppState;
use super::layout::Layout;
use super::visitor::Visitor;
use crate::i18n::Lang;

/// An error while serving a page.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PageError {
    #[error("not found")]
    NotFound,
    /// Not found, with what the reader asked for named ("no certification `ZZ-999`").
    #[error("not found: {0}")]
    Missing(String),
    /// Something the reader was looking at is no longer offered (410), with why.
    #[error("gone: {0}")]
    Gone(String),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("method not allowed: {0}")]
    MethodNotAllowed(String),
    #[error("payload too large: {0}")]
    TooLarge(String),
    #[error("request timeout: {0}")]
    RequestTimeout(String),
    #[error("too many requests: {message}")]
    TooManyRequests { message: String, retry_after: u64 },
    #[error("unavailable: {message}")]
    Unavailable { message: String, retry_after: u64 },
    #[error("internal error: {0}")]
    Internal(String),
}

impl PageError {
    pub fn internal(e: impl std::fmt::Display) -> Self {
        PageError::Internal(e.to_string())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = match &self {
            PageError::NotFound | PageError::Missing(_) => StatusCode::NOT_FOUND,
            PageError::Gone(_) => StatusCode::GONE,
            PageError::BadRequest(_) => StatusCode::BAD_REQUEST,
            PageError::Forbidden(_) => StatusCode::FORBIDDEN,
            PageError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            PageError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            PageError::RequestTimeout(_) => StatusCode::REQUEST_TIMEOUT,
            PageError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            PageError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            PageError::Internal(detail) => {
                tracing::error!(%detail, "internal error while serving a page");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut response = status.into_response();
        if let PageError::TooManyRequests { retry_after, .. } | PageError::Unavailable { retry_after, .. } =
            &self
        {
            response.headers_mut().insert(header::RETRY_AFTER, (*retry_after).into());
        }
        response.extensions_mut().insert(self);
        response
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    page: Layout,
    heading: &'static str,
    text: String,
    /// A search box, on pages that were not found.
    search: bool,
}

/// Renders the error page of any response that carries a `PageError`, in the locale of
/// the path's first segment when the site has it.
pub async fn render_error_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let visitor = req.extensions().get::<std::sync::Arc<Visitor>>().cloned().unwrap_or_default();
    let uri = req.uri().clone();
    let mut response = next.run(req).await;
    let Some(err) = response.extensions_mut().remove::<PageError>() else {
        return response;
    };
    let snapshot = state.published.current();
    let site = &snapshot.catalog.site;
    let first = uri.path().trim_start_matches('/').split('/').next().unwrap_or_default();
    let locale = if snapshot.has_locale(first) { first } else { site.default_locale.as_str() };
    let ui = Lang::of(locale).ui();
    let search = matches!(err, PageError::NotFound | PageError::Missing(_));
    let (heading, text) = match err {
        PageError::NotFound => (ui.not_found_title, ui.not_found_text.to_owned()),
        PageError::Missing(message) => (ui.not_found_title, message),
        PageError::Gone(message) => (ui.gone_title, message),
        PageError::BadRequest(message)
        | PageError::MethodNotAllowed(message)
        | PageError::RequestTimeout(message) => (ui.bad_request_title, message),
        PageError::Forbidden(message) => (ui.forbidden_title, message),
        PageError::TooLarge(message) => (ui.too_large_title, message),
        PageError::TooManyRequests { message, .. } => (ui.too_many_title, message),
        PageError::Unavailable { message, .. } => (ui.unavailable_title, message),
        PageError::Internal(_) => (ui.server_error_title, ui.server_error_text.to_owned()),
    };
    // An error page is nobody's destination: its links, Open Graph URL and the consent
    // form's way back all lead home, rather than repeating a path that failed (or a form
    // target that only answers POST).
    let here = format!("/{locale}/");
    let mut page = Layout::new(&snapshot, locale, heading, &here, &visitor);
    page.noindex = true;
    match (ErrorPage { page, heading, text, search }).render() {
        Ok(html) => {
            let retry = response.headers().get(header::RETRY_AFTER).cloned();
            let mut page = (response.status(), Html(html)).into_response();
            if let Some(retry) = retry {
                page.headers_mut().insert(header::RETRY_AFTER, retry);
            }
            page
        }
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            response
        }
    }
}

/// Unknown paths: the 404 page, or the API's 404 under `/api/`.
pub async fn fallback(uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::NotFound(format!("no API endpoint at {}", uri.path())).into_response();
    }
    PageError::NotFound.into_response()
}

/// A known path asked with a method it does not answer: 405, as a page or the API's JSON.
pub async fn method_not_allowed(method: axum::http::Method, uri: Uri) -> Response {
    let message = format!("{} does not answer {method}", uri.path());
    if uri.path().starts_with("/api/") {
        return ApiError::MethodNotAllowed(message).into_response();
    }
    PageError::MethodNotAllowed(message).into_response()
}

/// A bug must not show its details; the panic is logged here.
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
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    MethodNotAllowed(String),
    #[error("{0}")]
    TooLarge(String),
    #[error("{0}")]
    RequestTimeout(String),
    /// A body in a media type the endpoint does not read.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// Well-formed, but naming what does not exist or is out of range.
    #[error("{message}")]
    Unprocessable { message: String, field: Option<String> },
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u64 },
    #[error("{message}")]
    Unavailable { message: String, retry_after: u64 },
    #[error("internal error")]
    Internal(String),
}

/// The body of every API error: `{"error": {"code": …, "message": …, "field": …}}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"error": {"code": "bad_request", "message": "`page` must be a whole number from 1 up, not `0`", "field": "page"}}))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// What is wrong, for people.
    pub message: String,
    /// The parameter or body field at fault, when there is one (`page`,
    /// `responsibilities.device-fleet`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// What kind of error, for programs: one per status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    RequestTimeout,
    TooLarge,
    UnsupportedMediaType,
    Unprocessable,
    TooManyRequests,
    Unavailable,
    Internal,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut retry = None;
        let (status, code, message, field) = match self {
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, ErrorCode::NotFound, m, None),
            ApiError::BadRequest { message, field } => {
                (StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message, field)
            }
            ApiError::Forbidden(m) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden, m, None),
            ApiError::MethodNotAllowed(m) => {
                (StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed, m, None)
            }
            ApiError::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::TooLarge, m, None),
            ApiError::RequestTimeout(m) => (StatusCode::REQUEST_TIMEOUT, ErrorCode::RequestTimeout, m, None),
            ApiError::UnsupportedMediaType(m) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorCode::UnsupportedMediaType, m, None)
            }
            ApiError::Unprocessable { message, field } => {
                (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::Unprocessable, message, field)
            }
            ApiError::TooManyRequests { message, retry_after } => {
                retry = Some(retry_after);
                (StatusCode::TOO_MANY_REQUESTS, ErrorCode::TooManyRequests, message, None)
            }
            ApiError::Unavailable { message, retry_after } => {
                retry = Some(retry_after);
                (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable, message, None)
            }
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error in the API");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    ErrorCode::Internal,
                    "internal server error".to_owned(),
                    None,
                )
            }
        };
        let body = ErrorBody { error: ErrorDetail { code, message, field } };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry {
            response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<PageError> for ApiError {
    /// The same mistake, as the API words it.
    fn from(e: PageError) -> Self {
        match e {
            PageError::NotFound => ApiError::NotFound("not found".to_owned()),
            PageError::Missing(m) | PageError::Gone(m) => ApiError::NotFound(m),
            PageError::BadRequest(message) => ApiError::BadRequest { message, field: None },
            PageError::Forbidden(m) => ApiError::Forbidden(m),
            PageError::MethodNotAllowed(m) => ApiError::MethodNotAllowed(m),
            PageError::TooLarge(m) => ApiError::TooLarge(m),
            PageError::RequestTimeout(m) => ApiError::RequestTimeout(m),
            PageError::TooManyRequests { message, retry_after } => {
                ApiError::TooManyRequests { message, retry_after }
            }
            PageError::Unavailable { message, retry_after } => ApiError::Unavailable { message, retry_after },
            PageError::Internal(m) => ApiError::Internal(m),
        }
    }
}
