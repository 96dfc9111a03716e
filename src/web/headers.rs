//! The outermost layer: learns the visitor before a request runs, and afterwards fills
//! the page's slots and sets the headers every response carries — the
//! Content-Security-Policy that allows exactly the granted services' hosts, and the
//! security headers.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
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

/// Learns the visitor, runs the request, then fills the page's slots and sets the
/// headers every response carries.
pub async fn respond(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let now = Utc::now().timestamp();
    // One snapshot for the whole exchange: the policy read and the CSP written agree.
    let snapshot = state.published.current();
    let visitor = Visitor::read(&state.keys, &snapshot.catalog.site, req.headers(), now);
    let choices = visitor.choices();
    let https = visitor.https;
    req.extensions_mut().insert(visitor);
    let mut response = next.run(req).await;
    let nonce = random_token(16);
    let is_html =
        response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    let cached = response.extensions_mut().remove::<Arc<CachedPage>>();
    if cached.is_some() || is_html {
        let token = state.tokens.get(&state.keys, now);
        let (mut parts, body) = response.into_parts();
        let body = match cached {
            Some(page) => Body::from(page.body.fill(&nonce, &token)),
            None => match axum::body::to_bytes(body, usize::MAX).await {
                Ok(bytes) => Body::from(SlottedBody::split(&bytes).fill(&nonce, &token)),
                Err(e) => {
                    tracing::error!(error = %e, "response body failed");
                    parts.status = StatusCode::INTERNAL_SERVER_ERROR;
                    Body::empty()
                }
            },
        };
        parts.headers.remove(header::CONTENT_LENGTH);
        response = Response::from_parts(parts, body);
    }
    if is_html {
        let h = response.headers_mut();
        h.insert(header::VARY, HeaderValue::from_static("Cookie, Sec-GPC"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    }
    let csp = content_security_policy(&snapshot.catalog.site, choices, &nonce);
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
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
    response
}
