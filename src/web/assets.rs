//! Static assets compiled into the binary, so the one binary is the whole site.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use super::AppState;

const SITE_CSS: &str = include_str!("../../static/site.css");

pub fn router() -> Router<AppState> {
    Router::new().route("/static/site.css", get(site_css))
}

async fn site_css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        SITE_CSS,
    )
}
