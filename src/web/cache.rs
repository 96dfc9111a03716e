//! Serving pages from the snapshot's render cache: a page is rendered once per content
//! snapshot, day and variant, then served as bytes. This is what keeps an answer page
//! close to the speed of a static file.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::consent::Visitor;
use crate::snapshot::CacheKey;

/// Caches successful `GET` responses of paths without a query string. Query strings
/// (filters, pages) are rendered each time: they are cheap, and caching them would let
/// any client fill the cache with variants.
pub async fn cache_pages(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET || req.uri().query().is_some() {
        return next.run(req).await;
    }
    let snapshot = state.published.current();
    let variant = req.extensions().get::<Visitor>().map_or(0, Visitor::variant);
    let key = CacheKey { path: req.uri().path().to_owned(), day: state.clock.today(), variant };
    if let Some((body, headers)) = snapshot.rendered_pages.get(&key) {
        return (headers, body).into_response();
    }
    let response = next.run(req).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            snapshot.rendered_pages.insert(key, bytes.clone(), parts.headers.clone());
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(e) => {
            tracing::error!(error = %e, "response body failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
