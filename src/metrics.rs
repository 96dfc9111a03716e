//! Prometheus metrics: every series the server exports, named and recorded here and
//! nowhere else, so the list below is the whole of `/metrics`.
//!
//! | series | type | labels |
//! |---|---|---|
//! | `certwise_http_requests_total` | counter | `route` (the matched route template, or `unmatched`), `status` |
//! | `certwise_http_request_duration_seconds` | histogram | `route` |
//! | `certwise_page_cache_hits_total`, `…_misses_total` | counter | |
//! | `certwise_page_cache_bytes`, `certwise_page_cache_pages` | gauge | |
//! | `certwise_content_generation` | gauge | |
//! | `certwise_consent_decisions_total` | counter | `action` |
//! | `certwise_leads_total` | counter | |
//! | `certwise_limit_refusals_total` | counter | `limit` ([`Limit`]) |
//! | `certwise_db_pool_connections`, `certwise_db_pool_idle_connections`, `certwise_db_pool_max_connections` | gauge | |
//!
//! Rules:
//! - **Bounded labels.** A route label is the router's template (`/{locale}/answers/{slug}`),
//!   never the path a client sent; what no route matched is `unmatched`. Statuses, actions
//!   and limits are closed sets. So a crawler or an attacker cannot grow the series.
//! - **Gauges are read when scraped** ([`observe`]): the cache size, generation and pool use
//!   cost the request path nothing.
//! - **Nothing without a recorder.** Until [`install`] (only `serve` with a metrics
//!   address calls it) every function here returns at once, so tests, benchmarks and the
//!   other commands pay nothing and share no global counts.
//! - **Cheap on the hot path.** A cache hit is counted with handles each thread keeps per
//!   route and status (a map look-up by `&str`, a sample and an atomic add: 87 ns a
//!   request in a release build), not by building the series' key and looking it up in
//!   the registry each time (370 ns).
//! - Latency is the time to the response head (a streamed body is not waited for); a cache
//!   hit answered before routing counts under the route that rendered the page.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::extract::{MatchedPath, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use metrics::{Counter, Histogram, SharedString};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::store::PoolUse;

const REQUESTS: &str = "certwise_http_requests_total";
const DURATION: &str = "certwise_http_request_duration_seconds";

/// The route label of a request that no route matched (unknown paths, 404 pages).
pub const UNMATCHED: &str = "unmatched";

/// Latency buckets (seconds): a cache hit is tens of microseconds, a render a few
/// milliseconds, a publish or a login (Argon2) up to a second.
const BUCKETS: &[f64] =
    &[0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

/// Whether this process records metrics ([`install`] ran).
static INSTALLED: AtomicBool = AtomicBool::new(false);

fn installed() -> bool {
    INSTALLED.load(Ordering::Relaxed)
}

/// Installs the Prometheus recorder for this process; the handle renders the text.
pub fn install() -> anyhow::Result<PrometheusHandle> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Full(DURATION.to_owned()), BUCKETS)?
        .install_recorder()?;
    describe();
    INSTALLED.store(true, Ordering::Relaxed);
    Ok(handle)
}

/// A counter without labels, registered once (after [`install`]).
fn counter(cell: &'static OnceLock<Counter>, name: &'static str) -> Option<&'static Counter> {
    installed().then(|| cell.get_or_init(|| metrics::counter!(name)))
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_counter!(REQUESTS, "HTTP requests answered, by route template and status.");
    describe_histogram!(DURATION, Unit::Seconds, "Time to the response head, by route template.");
    describe_counter!("certwise_page_cache_hits_total", "Requests answered from the render cache.");
    describe_counter!("certwise_page_cache_misses_total", "Cacheable requests that rendered the page.");
    describe_gauge!("certwise_page_cache_bytes", Unit::Bytes, "Bytes held by the render cache.");
    describe_gauge!("certwise_page_cache_pages", "Pages held by the render cache.");
    describe_gauge!(
        "certwise_content_generation",
        "The content generation served (the newest import or publish)."
    );
    describe_counter!("certwise_consent_decisions_total", "Consent decisions recorded, by action.");
    describe_counter!("certwise_leads_total", "Course inquiries (leads) stored.");
    describe_counter!(
        "certwise_limit_refusals_total",
        "Requests and connections refused by a limit, by limit."
    );
    describe_gauge!("certwise_db_pool_connections", "Open database connections of this instance's pool.");
    describe_gauge!("certwise_db_pool_idle_connections", "Idle database connections of the pool.");
    describe_gauge!("certwise_db_pool_max_connections", "The pool's largest size.");
}

/// The middleware that counts routed requests: the route template, status and time.
pub async fn track(req: Request, next: Next) -> Response {
    if !installed() {
        return next.run(req).await;
    }
    let start = std::time::Instant::now();
    let route = req.extensions().get::<MatchedPath>().cloned();
    let response = next.run(req).await;
    request(route.as_ref().map_or(UNMATCHED, MatchedPath::as_str), response.status(), start.elapsed());
    response
}

/// One route's handles in one thread: its latency histogram and a counter per status.
struct RouteHandles {
    latency: Histogram,
    by_status: Vec<(u16, Counter)>,
}

/// Counts one answered request under `route` (a template, or [`UNMATCHED`]).
pub fn request(route: &str, status: StatusCode, elapsed: Duration) {
    thread_local!(static HANDLES: RefCell<HashMap<Box<str>, RouteHandles>> = RefCell::new(HashMap::new()));
    if !installed() {
        return;
    }
    HANDLES.with_borrow_mut(|handles| {
        if !handles.contains_key(route) {
            let label = SharedString::from_owned(route.to_owned());
            let latency = metrics::histogram!(DURATION, "route" => label);
            handles.insert(route.into(), RouteHandles { latency, by_status: Vec::new() });
        }
        let Some(h) = handles.get_mut(route) else { return };
        h.latency.record(elapsed.as_secs_f64());
        let code = status.as_u16();
        match h.by_status.iter().find(|(s, _)| *s == code) {
            Some((_, counter)) => counter.increment(1),
            None => {
                let label = SharedString::from_owned(route.to_owned());
                let counter = metrics::counter!(REQUESTS, "route" => label, "status" => status_label(status));
                counter.increment(1);
                h.by_status.push((code, counter));
            }
        }
    });
}

/// A status as a label, without allocating for the statuses the site sends.
fn status_label(status: StatusCode) -> SharedString {
    let s = match status.as_u16() {
        200 => "200",
        204 => "204",
        301 => "301",
        303 => "303",
        304 => "304",
        308 => "308",
        400 => "400",
        403 => "403",
        404 => "404",
        405 => "405",
        408 => "408",
        413 => "413",
        415 => "415",
        422 => "422",
        429 => "429",
        500 => "500",
        503 => "503",
        other => return SharedString::from_owned(other.to_string()),
    };
    SharedString::const_str(s)
}

/// A render-cache look-up: answered from the cache, or rendered.
pub fn page_cache(hit: bool) {
    static HITS: OnceLock<Counter> = OnceLock::new();
    static MISSES: OnceLock<Counter> = OnceLock::new();
    let counted = if hit {
        counter(&HITS, "certwise_page_cache_hits_total")
    } else {
        counter(&MISSES, "certwise_page_cache_misses_total")
    };
    if let Some(c) = counted {
        c.increment(1);
    }
}

/// A consent decision recorded (`action` is one of the closed set of decisions).
pub fn consent_decision(action: &'static str) {
    metrics::counter!("certwise_consent_decisions_total", "action" => action).increment(1);
}

/// A lead stored.
pub fn lead() {
    static LEADS: OnceLock<Counter> = OnceLock::new();
    if let Some(c) = counter(&LEADS, "certwise_leads_total") {
        c.increment(1);
    }
}

/// The limits of INTERFACES.md ("Limits and client identity") that refuse something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The server's open connections (503 at the door).
    ConnectionsTotal,
    /// One client's open connections (503 at the door).
    ConnectionsPerClient,
    /// A body over its size limit (413).
    BodySize,
    /// A body that did not arrive in time (408).
    BodyTime,
    /// Consent decisions per client and minute (429).
    ConsentRate,
    /// Course inquiries per client and minute (429).
    InquiryRate,
    /// Advisor and planner API requests per client and minute (429).
    DecideRate,
    /// Login attempts per client and minute (429).
    LoginRate,
    /// Failed logins per account and client, or per client (429).
    LoginFailures,
}

impl Limit {
    pub fn as_str(self) -> &'static str {
        match self {
            Limit::ConnectionsTotal => "connections_total",
            Limit::ConnectionsPerClient => "connections_per_client",
            Limit::BodySize => "body_size",
            Limit::BodyTime => "body_time",
            Limit::ConsentRate => "consent_rate",
            Limit::InquiryRate => "inquiry_rate",
            Limit::DecideRate => "decide_rate",
            Limit::LoginRate => "login_rate",
            Limit::LoginFailures => "login_failures",
        }
    }
}

/// Something refused by `limit`.
pub fn refused(limit: Limit) {
    metrics::counter!("certwise_limit_refusals_total", "limit" => limit.as_str()).increment(1);
}

/// What the gauges show, read when `/metrics` is scraped.
#[derive(Debug, Clone, Copy)]
pub struct Observed {
    pub cache_bytes: usize,
    pub cache_pages: usize,
    /// The database's content generation the served snapshot was made from.
    pub generation: i64,
    pub pool: Option<PoolUse>,
}

/// Sets the gauges to what was observed.
#[expect(clippy::cast_precision_loss, reason = "gauges are f64; sizes and generations stay far below 2^53")]
pub fn observe(observed: Observed) {
    metrics::gauge!("certwise_page_cache_bytes").set(observed.cache_bytes as f64);
    metrics::gauge!("certwise_page_cache_pages").set(observed.cache_pages as f64);
    metrics::gauge!("certwise_content_generation").set(observed.generation as f64);
    if let Some(pool) = observed.pool {
        metrics::gauge!("certwise_db_pool_connections").set(f64::from(pool.size));
        metrics::gauge!("certwise_db_pool_idle_connections").set(f64::from(pool.idle));
        metrics::gauge!("certwise_db_pool_max_connections").set(f64::from(pool.max));
    }
}

/// How often the recorder folds recorded latencies into its buckets (memory stays bounded
/// between scrapes).
pub const UPKEEP: Duration = Duration::from_secs(5);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_limit_has_its_own_label() {
        let all = [
            Limit::ConnectionsTotal,
            Limit::ConnectionsPerClient,
            Limit::BodySize,
            Limit::BodyTime,
            Limit::ConsentRate,
            Limit::InquiryRate,
            Limit::DecideRate,
            Limit::LoginRate,
            Limit::LoginFailures,
        ];
        let labels: std::collections::BTreeSet<_> = all.iter().map(|l| l.as_str()).collect();
        assert_eq!(labels.len(), all.len());
    }

    #[test]
    fn statuses_become_their_numbers() {
        for code in [200, 303, 404, 418, 429, 503] {
            let status = StatusCode::from_u16(code).unwrap();
            assert_eq!(&*status_label(status), code.to_string());
        }
    }
}
