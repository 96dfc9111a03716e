//! Static assets compiled into the binary, so the one binary is the whole site.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use super::AppState;

const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

fn asset(content_type: &'static str, body: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "public, max-age=3600")], body)
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/static/site.css", get(|| async { asset(CSS, include_str!("../../static/site.css")) }))
        .route("/static/consent.js", get(|| async { asset(JS, include_str!("../../static/consent.js")) }))
        // Stand-ins for third-party services, so the sample site and the tests can see a
        // granted service's script load (see content/site.toml).
        .route(
            "/static/consent/insights.js",
            get(|| async { asset(JS, include_str!("../../static/consent/insights.js")) }),
        )
        .route(
            "/static/consent/campaigns.js",
            get(|| async { asset(JS, include_str!("../../static/consent/campaigns.js")) }),
        )
}
