//! HTTP: pages, the JSON API and the machine-readable files, one module per area, each
//! with its own `router()`. Handlers read the in-memory snapshot only; errors become an
//! HTML page or the JSON error shape in one place (`error`).

pub mod admin;
pub(crate) mod advisor;
mod alternates;
mod answers;
mod api;
pub mod asset_files;
mod assets;
pub mod banner;
pub mod cache;
mod catalog;
mod compare;
mod cookies;
mod courses;
mod discover;
mod error;
mod extract;
pub mod filters;
mod forms;
pub mod headers;
mod home;
mod layout;
pub mod limits;
mod notices;
mod openapi;
mod people;
mod plain;
mod plan;
pub(crate) mod search;
pub mod slots;
pub mod visitor;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use chrono::NaiveDate;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};

pub use answers::render_answer;
pub use discover::{LLMS_LIMIT, SITEMAP_LIMIT, llms_list, llms_txt, sitemap, sitemap_of};
pub use error::{ApiError, PageError};

use crate::seal::Keys;
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
            // Every request asks; the local date is worked out once a second per thread.
            Clock::System => {
                thread_local!(static DAY: std::cell::Cell<Option<(u64, NaiveDate)>> = const { std::cell::Cell::new(None) });
                let second = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs());
                DAY.with(|cached| match cached.get() {
                    Some((at, day)) if at == second => day,
                    _ => {
                        let day = chrono::Local::now().date_naive();
                        cached.set(Some((second, day)));
                        day
                    }
                })
            }
            Clock::Fixed(d) => d,
        }
    }
}

/// The wall clock for the rules that count hours and minutes — sessions' idle and
/// absolute lifetimes, login waits — which tests move forward instead of sleeping. The
/// site's day is [`Clock`]'s.
#[derive(Debug, Clone, Default)]
pub struct Time {
    /// Seconds added to the system's time (0 unless a test moved it).
    skew: Arc<std::sync::atomic::AtomicI64>,
}

impl Time {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        chrono::Utc::now() + chrono::TimeDelta::seconds(self.skew.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Moves this clock (and every clone of it) `seconds` ahead.
    pub fn advance(&self, seconds: i64) {
        self.skew.fetch_add(seconds, std::sync::atomic::Ordering::Relaxed);
    }
}

/// What every request shares. One `Arc`: handlers and each layer hold a clone, and the
/// router clones its services per request, so a clone must cost one counter, not eight.
#[derive(Debug, Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

#[derive(Debug)]
pub struct Shared {
    pub published: Published,
    pub store: Arc<dyn Store>,
    pub clock: Clock,
    /// Signs the consent cookie and form tokens.
    pub keys: Keys,
    /// Rendered pages of the current snapshot.
    pub pages: Arc<cache::PageCache>,
    /// The form token of the current second.
    pub tokens: Arc<slots::FormTokens>,
    pub limits: Arc<limits::Limits>,
    /// Consent decisions per client and minute.
    pub consent_rate: Arc<limits::RateLimiter>,
    /// Course inquiries per client and minute.
    pub inquiry_rate: Arc<limits::RateLimiter>,
    /// Advisor and planner API requests per client and minute.
    pub decide_rate: Arc<limits::RateLimiter>,
    /// Login attempts per client and minute.
    pub login_rate: Arc<limits::RateLimiter>,
    /// Failed logins per account and client, and per client.
    pub login_failures: Arc<limits::LoginFailures>,
    /// The time of day for sessions and login waits.
    pub time: Time,
    /// Whether a stored lead also queues its webhook notification.
    pub lead_notification: crate::store::LeadNotification,
    /// The search index of the newest snapshot built (`crate::search`).
    pub search: Arc<crate::search::Library>,
    /// Held while a new content generation is loaded and swapped in (`live::refresh`).
    pub refreshing: Arc<tokio::sync::Mutex<()>>,
}

impl AppState {
    pub fn new(published: Published, store: Arc<dyn Store>, clock: Clock, keys: Keys) -> Self {
        Self::with_limits(published, store, clock, keys, limits::Limits::default())
    }

    pub fn with_limits(
        published: Published,
        store: Arc<dyn Store>,
        clock: Clock,
        keys: Keys,
        limits: limits::Limits,
    ) -> Self {
        Self(Arc::new(Shared {
            published,
            store,
            clock,
            keys,
            pages: Arc::default(),
            tokens: Arc::default(),
            consent_rate: Arc::new(limits::RateLimiter::new(
                limits.consent_per_minute,
                crate::metrics::Limit::ConsentRate,
            )),
            inquiry_rate: Arc::new(limits::RateLimiter::new(
                limits.inquiry_per_minute,
                crate::metrics::Limit::InquiryRate,
            )),
            decide_rate: Arc::new(limits::RateLimiter::new(
                limits.decide_per_minute,
                crate::metrics::Limit::DecideRate,
            )),
            login_rate: Arc::new(limits::RateLimiter::new(
                limits.login_per_minute,
                crate::metrics::Limit::LoginRate,
            )),
            login_failures: Arc::new(limits::LoginFailures::new(limits.login_failures)),
            time: Time::default(),
            lead_notification: crate::store::LeadNotification::None,
            search: Arc::default(),
            refreshing: Arc::default(),
            limits: Arc::new(limits),
        }))
    }

    /// The same application with an empty page cache of its own (for comparing cached
    /// pages with fresh renders).
    #[must_use]
    pub fn with_empty_cache(&self) -> Self {
        Self(Arc::new(Shared {
            published: self.published.clone(),
            store: self.store.clone(),
            clock: self.clock,
            keys: self.keys.clone(),
            pages: Arc::default(),
            tokens: self.tokens.clone(),
            limits: self.limits.clone(),
            consent_rate: self.consent_rate.clone(),
            inquiry_rate: self.inquiry_rate.clone(),
            decide_rate: self.decide_rate.clone(),
            login_rate: self.login_rate.clone(),
            login_failures: self.login_failures.clone(),
            time: self.time.clone(),
            lead_notification: self.lead_notification,
            search: self.search.clone(),
            refreshing: self.refreshing.clone(),
        }))
    }

    /// The same application serving `snapshot` as of `clock`, with a page cache of its own
    /// and no search index: the editors' previews (`web::admin`).
    #[must_use]
    pub fn previewing(&self, snapshot: crate::snapshot::Snapshot, clock: Clock) -> Self {
        Self(Arc::new(Shared {
            published: Published::new(snapshot),
            store: self.store.clone(),
            clock,
            keys: self.keys.clone(),
            pages: Arc::default(),
            tokens: self.tokens.clone(),
            limits: self.limits.clone(),
            consent_rate: self.consent_rate.clone(),
            inquiry_rate: self.inquiry_rate.clone(),
            decide_rate: self.decide_rate.clone(),
            login_rate: self.login_rate.clone(),
            login_failures: self.login_failures.clone(),
            time: self.time.clone(),
            lead_notification: self.lead_notification,
            search: Arc::default(),
            refreshing: Arc::default(),
        }))
    }

    /// The same application, queueing a webhook notification with every stored lead (or
    /// not).
    #[must_use]
    pub fn announcing_leads(self, notification: crate::store::LeadNotification) -> Self {
        match Arc::try_unwrap(self.0) {
            Ok(mut shared) => {
                shared.lead_notification = notification;
                Self(Arc::new(shared))
            }
            Err(shared) => {
                let mut state = Self(shared).with_empty_cache();
                if let Some(inner) = Arc::get_mut(&mut state.0) {
                    inner.lead_notification = notification;
                }
                state
            }
        }
    }
}

/// The whole application: a cached page is answered at once, everything else goes
/// through the router.
pub fn router(state: AppState) -> App {
    App { router: routes(state.clone()), state }
}

/// The application as a service: [`headers::serve_hit`] in front of the router. A cache
/// hit, most of what a busy site serves, costs a look-up and the response's headers —
/// no routing, no middleware futures.
#[derive(Debug, Clone)]
pub struct App {
    state: AppState,
    router: Router,
}

impl<B> tower::Service<axum::http::Request<B>> for App
where
    B: axum::body::HttpBody<Data = bytes::Bytes> + Send + 'static,
    B::Error: Into<axum::BoxError>,
{
    type Response = axum::response::Response;
    type Error = std::convert::Infallible;
    type Future = futures_util::future::Either<
        std::future::Ready<Result<Self::Response, Self::Error>>,
        axum::routing::future::RouteFuture<Self::Error>,
    >;

    fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: axum::http::Request<B>) -> Self::Future {
        use futures_util::future::Either;
        match headers::serve_hit(&self.state, &req) {
            Some(response) => Either::Left(std::future::ready(Ok(response))),
            None => Either::Right(self.router.call(req)),
        }
    }
}

/// Every route, with the layers that render error pages, cache pages and set the
/// response headers.
fn routes(state: AppState) -> Router {
    Router::new()
        .merge(home::router())
        .merge(answers::router())
        .merge(catalog::router())
        .merge(compare::router())
        .merge(advisor::router())
        .merge(plan::router())
        .merge(search::router())
        .merge(people::router())
        .merge(api::router())
        .merge(openapi::router())
        .merge(assets::router())
        .merge(cookies::router())
        .merge(courses::router())
        .merge(discover::router())
        .merge(plain::router())
        .merge(admin::router())
        .route("/healthz", get(healthz))
        .fallback(error::fallback)
        .method_not_allowed_fallback(error::method_not_allowed)
        // Innermost first: the cache stores rendered pages (with their slots), error
        // pages are rendered for the visitor, and the response layer, outermost, learns
        // the visitor, fills the slots and sets the headers of every response.
        .layer(axum::middleware::from_fn_with_state(state.clone(), cache::cache_pages))
        .layer(axum::middleware::from_fn_with_state(state.clone(), error::render_error_pages))
        // Inside the response layer, so even a bug's 500 carries the security headers.
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(axum::middleware::from_fn_with_state(state.clone(), headers::respond))
        // Counts every routed request by its route template (`crate::metrics`); cache hits
        // answered before routing are counted by `headers::serve_hit`.
        .layer(axum::middleware::from_fn(crate::metrics::track))
        .with_state(state)
        // Outermost: compresses the finished body (slots filled) for clients that accept
        // gzip. No response holds a secret bound to a session next to reflected input
        // (the form token is the same for every visitor of a second; the consent cookie
        // is never in a body), so BREACH has nothing to read; a response that ever does
        // carries `Uncompressed` and goes out as is.
        .layer(CompressionLayer::new().gzip(true).compress_when(Compressible::default()))
}

/// A response extension: never compress this body (it mixes a secret bound to the
/// visitor with input the request controls).
#[derive(Debug, Clone, Copy)]
pub struct Uncompressed;

/// Text worth compressing: what tower-http compresses by default (not images, not tiny
/// bodies), except responses marked [`Uncompressed`].
#[derive(Clone, Default)]
struct Compressible(DefaultPredicate);

impl std::fmt::Debug for Compressible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Compressible")
    }
}

impl Predicate for Compressible {
    fn should_compress<B: axum::body::HttpBody>(&self, response: &axum::http::Response<B>) -> bool {
        response.extensions().get::<Uncompressed>().is_none() && self.0.should_compress(response)
    }
}

/// The current snapshot, when it has `locale`; an unknown locale is a page not found.
pub(crate) fn localized(state: &AppState, locale: &str) -> Result<Arc<crate::snapshot::Snapshot>, PageError> {
    let snapshot = state.published.current();
    if snapshot.has_locale(locale) { Ok(snapshot) } else { Err(PageError::NotFound) }
}

/// A page template's HTML as a response.
pub(crate) fn html<T: askama::Template>(page: &T) -> Result<axum::response::Response, PageError> {
    use axum::response::IntoResponse;
    page.render().map(|h| axum::response::Html(h).into_response()).map_err(PageError::internal)
}

/// `/healthz`: `200 ok` when the database answers, 503 when it does not. With `?verbose`
/// (any value), the same status with JSON: the database's kind (never its URL), the
/// content generation served and the version (INTERFACES.md).
async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
    uri: axum::http::Uri,
) -> axum::response::Response {
    use axum::http::StatusCode;
    use axum::response::IntoResponse as _;
    let verbose = uri.query().is_some_and(|q| q.split('&').any(|p| p.split('=').next() == Some("verbose")));
    let answers = match state.store.ping().await {
        Ok(()) => true,
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            false
        }
    };
    let status = if answers { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    if !verbose {
        return (status, if answers { "ok" } else { "database unavailable" }).into_response();
    }
    let health = Health {
        status: if answers { "ok" } else { "database unavailable" },
        database: state.store.kind(),
        generation: state.published.current().content_generation,
        version: env!("CARGO_PKG_VERSION"),
    };
    let mut response = (status, axum::Json(health)).into_response();
    response
        .headers_mut()
        .insert(axum::http::header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    response
}

/// The body of `/healthz?verbose`.
#[derive(Debug, serde::Serialize)]
struct Health {
    /// `ok`, or why not.
    status: &'static str,
    /// The database's kind (`sqlite`, `postgresql`).
    database: &'static str,
    /// The content generation this instance serves (the newest import or publish it loaded).
    generation: i64,
    /// certwise's version.
    version: &'static str,
}
