//! HTTP: pages, the JSON API and the machine-readable files, one module per area, each
//! with its own `router()`. Handlers read the in-memory snapshot only; errors become an
//! HTML page or the JSON error shape in one place (`error`).

mod answers;
mod api;
mod assets;
mod cache;
mod catalog;
mod error;
mod extract;
mod home;
mod layout;
mod people;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use chrono::NaiveDate;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

pub use answers::render_answer;
pub use error::{ApiError, PageError};

use crate::snapshot::Published;
use crate::store::Store;

/// Which day the site renders as: the real one, or a fixed day (`--today`,
/// `CERTWISE_TODAY`) for previews and tests.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(NaiveDate),
}

impl Clock {
    pub fn today(self) -> NaiveDate {
        match self {
            Clock::System => chrono::Local::now().date_naive(),
            Clock::Fixed(d) => d,
        }
    }
}

#[derive(Debug, Clone)]
pub struct AppState {
    pub published: Published,
    pub store: Arc<dyn Store>,
    pub clock: Clock,
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(home::router())
        .merge(answers::router())
        .merge(catalog::router())
        .merge(people::router())
        .merge(api::router())
        .merge(assets::router())
        .route("/healthz", get(healthz))
        .fallback(error::fallback)
        .layer(axum::middleware::from_fn_with_state(state.clone(), cache::cache_pages))
        .with_state(state)
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(TraceLayer::new_for_http())
}

async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> (axum::http::StatusCode, &'static str) {
    match state.store.ping().await {
        Ok(()) => (axum::http::StatusCode::OK, "ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
