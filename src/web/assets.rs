//! Serving the static files (`asset_files`): fingerprinted names cached for a year as
//! `immutable`; the plain names still answer, with a one-hour cache, for pages cached
//! before a release; the favicon; the sample's stand-ins for third-party services.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::AppState;
use super::asset_files::{HOUR, IMMUTABLE, JS, fingerprinted};

/// `/static/{name}`: a fingerprinted asset (a year, immutable) or its plain name (an hour).
async fn asset(Path(name): Path<String>) -> Response {
    let path = format!("/static/{name}");
    for asset in fingerprinted() {
        if path == asset.url {
            return asset.respond(IMMUTABLE);
        }
        if path == asset.plain {
            return asset.respond(HOUR);
        }
    }
    super::error::PageError::NotFound.into_response()
}

fn favicon() -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "image/x-icon"), (header::CACHE_CONTROL, "public, max-age=604800")],
        &include_bytes!("../../static/favicon.ico")[..],
    )
        .into_response()
}

fn service_script(body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, JS), (header::CACHE_CONTROL, HOUR)], body).into_response()
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/{name}", get(asset))
        .route("/favicon.ico", get(|| async { favicon() }))
        // Stand-ins for third-party services, so the sample site and the tests can see a
        // granted service's script load (see content/site.toml).
        .route(
            "/static/consent/insights.js",
            get(|| async { service_script(include_str!("../../static/consent/insights.js")) }),
        )
        .route(
            "/static/consent/campaigns.js",
            get(|| async { service_script(include_str!("../../static/consent/campaigns.js")) }),
        )
}
