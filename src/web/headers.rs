//! The outermost layer: learns the visitor before a request runs, and afterwards fills
//! the page's slots and sets the headers every response carries — the
//! Content-Security-Policy that allows exactly the granted services' hosts, and the
//! security headers.

use std::fmt::Write as _;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use chrono::Utc;

use super::AppState;
use super::cache::CachedPage;
use super::slots::SlottedBody;
use super::visitor::Visitor;
use crate::domain::Site;
use crate::domain::consent::{Choices, allowed_hosts};
use crate::seal::random_token;
use crate::snapshot::Snapshot;

/// The Content-Security-Policy for a response: our own resources, scripts only with this
/// response's nonce, and exactly the granted services' hosts.
pub fn content_security_policy(site: &Site, choices: Choices, nonce: &str) -> String {
    let hosts: Vec<&str> = allowed_hosts(site, choices).into_iter().collect();
    let extra = if hosts.is_empty() { String::new() } else { format!(" {}", hosts.join(" ")) };
    let frames = if hosts.is_empty() { "'none'".to_owned() } else { hosts.join(" ") };
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}'{extra}; style-src 'self'; img-src 'self' data:{extra}; \
         connect-src 'self'{extra}; frame-src {frames}; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The Content-Security-Policy of an exported page (`static_site`), as a `<meta>` tag
/// carries it. No nonce — a file cannot have a fresh one —: our own scripts, and inline
/// scripts only by the `sha256-…` hashes given. Every declared service's hosts are
/// allowed, since a static page is the same for every visitor and consent is decided in
/// the browser (the inert scripts wait for it), not by the response. Forms may also go to
/// `live` (the advisor's and filters' GET forms point there). `frame-ancestors` is left
/// out: browsers ignore it in a `<meta>`, so the host's headers carry it
/// (docs/static/nginx.conf).
pub fn static_content_security_policy(site: &Site, hashes: &[String], live: Option<&str>) -> String {
    let hosts: Vec<&str> = allowed_hosts(site, Choices::ALL).into_iter().collect();
    let extra = if hosts.is_empty() { String::new() } else { format!(" {}", hosts.join(" ")) };
    let frames = if hosts.is_empty() { "'none'".to_owned() } else { hosts.join(" ") };
    let inline = hashes.iter().fold(String::new(), |mut out, h| {
        let _ = write!(out, " 'sha256-{h}'");
        out
    });
    let forms = live.map(|l| format!(" {l}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'{inline}{extra}; style-src 'self'; img-src 'self' data:{extra}; \
         connect-src 'self'{extra}; frame-src {frames}; font-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'{forms}"
    )
}

/// Whether the request accepts gzip (`Accept-Encoding: gzip`, not with `q=0`).
fn accepts_gzip(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or_default().trim();
            let refused = parts.any(|p| {
                p.trim().split_once('=').is_some_and(|(k, q)| {
                    k.trim().eq_ignore_ascii_case("q") && q.trim().parse::<f32>().is_ok_and(|q| q <= 0.0)
                })
            });
            name.eq_ignore_ascii_case("gzip") && !refused
        })
}

/// The policy for `choices` with `nonce`: the text around the nonce is worked out once
/// per snapshot and choice per thread, so a response only joins three strings.
fn policy_with_nonce(snapshot: &Snapshot, choices: Choices, nonce: &str) -> String {
    /// Stands for the nonce while the policy is split (no policy text contains it).
    const MARK: &str = "\u{0}";
    type Parts = (u64, u8, Arc<(String, String)>);
    thread_local!(static PARTS: std::cell::RefCell<Vec<Parts>> = const { std::cell::RefCell::new(Vec::new()) });
    let key = (snapshot.generation, choices.bits());
    let parts = PARTS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((_, _, parts)) = cache.iter().find(|(g, c, _)| (*g, *c) == key) {
            return parts.clone();
        }
        let whole = content_security_policy(&snapshot.catalog.site, choices, MARK);
        let (head, tail) = whole.split_once(MARK).unwrap_or((whole.as_str(), ""));
        let parts = Arc::new((head.to_owned(), tail.to_owned()));
        cache.retain(|(g, _, _)| *g == key.0);
        cache.push((key.0, key.1, parts.clone()));
        parts
    });
    let mut policy = String::with_capacity(parts.0.len() + nonce.len() + parts.1.len());
    policy.push_str(&parts.0);
    policy.push_str(nonce);
    policy.push_str(&parts.1);
    policy
}

/// What the response layer learns about a request before it runs.
struct Exchange {
    /// One snapshot for the whole exchange: the policy read and the CSP written agree.
    snapshot: Arc<Snapshot>,
    visitor: Visitor,
    accepts_gzip: bool,
    now: i64,
}

impl Exchange {
    fn read(state: &AppState, headers: &HeaderMap) -> Self {
        let now = Utc::now().timestamp();
        let snapshot = state.published.current();
        let visitor = Visitor::read(&state.keys, &snapshot.catalog.site, headers, now);
        Self { snapshot, visitor, accepts_gzip: accepts_gzip(headers), now }
    }

    /// A cached page for this visitor: its slots filled with a fresh nonce and the form
    /// token, gzipped once beforehand for a client that accepts it.
    fn cached(&self, state: &AppState, page: &CachedPage) -> Response {
        let nonce = random_token(16);
        let token = state.tokens.get(&state.keys, self.now);
        let (gzipped, body) = match page.gzip.as_ref().filter(|_| self.accepts_gzip) {
            Some(gz) => (true, Body::new(gz.pieces(nonce.as_bytes(), token.as_bytes()))),
            None => (false, Body::new(page.body.pieces(nonce.as_bytes(), token.as_bytes()))),
        };
        let mut response = Response::new(body);
        *response.headers_mut() = page.headers.clone();
        let h = response.headers_mut();
        if gzipped {
            // Compressed once when cached; the compression layer leaves it as it is.
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        // The same address is served gzipped or not, by what the client accepts.
        h.append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
        self.finish(response, &nonce)
    }

    /// A response that was not cached: an HTML body gets its slots filled.
    async fn fresh(&self, state: &AppState, response: Response) -> Response {
        let nonce = random_token(16);
        if !is_html(&response) {
            return self.finish(response, &nonce);
        }
        let token = state.tokens.get(&state.keys, self.now);
        let (mut parts, body) = response.into_parts();
        let body = match axum::body::to_bytes(body, usize::MAX).await {
            Ok(bytes) => Body::from(SlottedBody::split(&bytes).fill(&nonce, &token)),
            Err(e) => {
                tracing::error!(error = %e, "response body failed");
                parts.status = StatusCode::INTERNAL_SERVER_ERROR;
                Body::empty()
            }
        };
        parts.headers.remove(header::CONTENT_LENGTH);
        self.finish(Response::from_parts(parts, body), &nonce)
    }

    /// The headers every response carries.
    fn finish(&self, mut response: Response, nonce: &str) -> Response {
        if is_html(&response) {
            let h = response.headers_mut();
            h.insert(header::VARY, HeaderValue::from_static("Cookie, Sec-GPC, Accept-Encoding"));
            // A page that holds what the visitor sent (a team plan, a refused form) said
            // `no-store` itself: never weakened.
            let keeps_nothing = h
                .get(header::CACHE_CONTROL)
                .is_some_and(|v| v.as_bytes().windows(8).any(|w| w == b"no-store"));
            if !keeps_nothing {
                h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
            }
        }
        let csp = policy_with_nonce(&self.snapshot, self.visitor.choices(), nonce);
        let h = response.headers_mut();
        // Hosts are validated as origins on import, so this always parses; if it ever did
        // not, the strictest policy goes out rather than none.
        let csp = HeaderValue::from_str(&csp).unwrap_or_else(|_| {
            tracing::error!("unusable Content-Security-Policy; sending the strictest");
            HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'")
        });
        h.insert(header::CONTENT_SECURITY_POLICY, csp);
        h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
        h.insert(
            "permissions-policy",
            HeaderValue::from_static(
                "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
            ),
        );
        h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        if self.visitor.https {
            h.insert(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static("max-age=63072000; includeSubDomains"),
            );
        }
        response
    }
}

fn is_html(response: &Response) -> bool {
    response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"))
}

/// A cache hit answered before routing: the response `respond` would make for it, without
/// the router and the layers inside. `None` when the request is not a stored page, or
/// when the client accepts gzip and the page has no precompressed body (a small one,
/// compressed per response by the outer layer on the routed path).
pub fn serve_hit<B>(state: &AppState, req: &axum::http::Request<B>) -> Option<Response> {
    // Only a `GET` is ever cached: anything else goes to the router without reading the
    // visitor twice.
    if req.method() != axum::http::Method::GET {
        return None;
    }
    let start = std::time::Instant::now();
    let exchange = Exchange::read(state, req.headers());
    let page = super::cache::hit(state, req.method(), req.uri(), &exchange.visitor)?;
    if exchange.accepts_gzip && page.gzip.is_none() {
        return None;
    }
    let mut response = exchange.cached(state, &page);
    // What the router adds to a body of known size, so both paths send the same headers.
    if let Some(len) = axum::body::HttpBody::size_hint(response.body()).exact() {
        response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    }
    crate::metrics::page_cache(true);
    crate::metrics::request(&page.route, response.status(), start.elapsed());
    Some(response)
}

/// Learns the visitor, runs the request, then fills the page's slots and sets the
/// headers every response carries.
pub async fn respond(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let exchange = Exchange::read(&state, req.headers());
    req.extensions_mut().insert(Arc::new(exchange.visitor.clone()));
    let mut response = next.run(req).await;
    match response.extensions_mut().remove::<Arc<CachedPage>>() {
        Some(page) => exchange.cached(&state, &page),
        None => exchange.fresh(&state, response).await,
    }
}
