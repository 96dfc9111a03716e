//! Who is asking: what the server reads about the visitor of a request — the consent
//! standing from the signed cookie, `Sec-GPC`, the scheme, and whether the cookie's
//! development exception applies — and the cache variant that sums up everything a
//! page's HTML depends on about them.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::uri::Authority;
use axum::http::{HeaderMap, header};
use cookie::Cookie;

use crate::domain::Site;
use crate::domain::consent::{Choices, Standing, effective_choices, should_ask};
use crate::seal::Keys;

/// The consent cookie over https: `__Host-` binds it to this host, `Secure`, path `/`.
pub const COOKIE_SECURE: &str = "__Host-cw_consent";
/// The development exception: plain http to a loopback host cannot carry `Secure`
/// cookies in every browser, so there the cookie has no prefix and no `Secure`.
pub const COOKIE_DEV: &str = "cw_consent";

/// The editors' area's session cookie over https (`web::admin`): `__Host-`, `Secure`.
pub const SESSION_COOKIE: &str = "__Host-cw_session";
/// The session cookie under the same development exception as the consent cookie.
pub const SESSION_COOKIE_DEV: &str = "cw_session";

/// What the server knows about the visitor's consent for this request.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub standing: Standing,
    /// `Sec-GPC: 1` was sent.
    pub gpc: bool,
    /// Served over https (directly or behind a proxy that says so).
    pub https: bool,
    /// Plain http to a loopback host: the cookie's development exception applies.
    pub dev: bool,
    /// The consent id of any genuine cookie, even an expired or outdated one, so a
    /// visitor's decisions stay linked in the log.
    pub known_id: Option<String>,
}

impl Default for Visitor {
    fn default() -> Self {
        Self { standing: Standing::Undecided, gpc: false, https: false, dev: true, known_id: None }
    }
}

impl Visitor {
    /// Reads the visitor from a request's headers.
    pub fn read(keys: &Keys, site: &Site, headers: &HeaderMap, now: i64) -> Self {
        let https =
            headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
        let dev = !https && is_loopback(host(headers));
        let name = if dev { COOKIE_DEV } else { COOKIE_SECURE };
        let opened = request_cookies(headers).find(|c| c.name() == name).and_then(|c| keys.open(c.value()));
        let known_id = opened.as_ref().map(|d| d.consent_id.clone());
        let standing = opened.map_or(Standing::Undecided, |d| d.standing(&site.policy_version, now));
        let gpc = headers.get("sec-gpc").is_some_and(|v| v.as_bytes() == b"1");
        Self { standing, gpc, https, dev, known_id }
    }

    pub fn choices(&self) -> Choices {
        effective_choices(&self.standing)
    }

    pub fn show_banner(&self) -> bool {
        should_ask(&self.standing, self.gpc)
    }

    /// Whether the visitor made a decision that is in force (withdrawal is offered).
    pub fn decided(&self) -> bool {
        matches!(self.standing, Standing::Decided(_))
    }

    pub fn policy_changed(&self) -> Option<&str> {
        match &self.standing {
            Standing::PolicyChanged { decided_under, .. } => Some(decided_under),
            _ => None,
        }
    }

    /// Everything a page's HTML depends on about this visitor, for the render cache.
    /// `tests/page_types.rs` checks, page type by page type, that visitors with one
    /// variant are served the same bytes.
    pub fn variant(&self) -> u64 {
        u64::from(self.choices().bits())
            | u64::from(self.show_banner()) << 3
            | u64::from(self.policy_changed().is_some()) << 4
            | u64::from(self.gpc) << 5
            // The settings list names the consent cookie, which differs in development.
            | u64::from(self.dev) << 6
            // Withdrawal is offered once decided (also to a GPC visitor who decided).
            | u64::from(self.decided()) << 7
    }

    /// The consent cookie's name for this visitor.
    pub fn cookie_name(&self) -> &'static str {
        if self.dev { COOKIE_DEV } else { COOKIE_SECURE }
    }

    /// The editors' area's session cookie's name for this visitor.
    pub fn session_cookie_name(&self) -> &'static str {
        if self.dev { SESSION_COOKIE_DEV } else { SESSION_COOKIE }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<std::sync::Arc<Visitor>>().map(|v| Visitor::clone(v)).unwrap_or_default())
    }
}

/// The cookies of a request's `Cookie` headers; pairs that do not parse are skipped.
pub fn request_cookies(headers: &HeaderMap) -> impl Iterator<Item = Cookie<'_>> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| Cookie::split_parse(v).filter_map(Result::ok))
}

/// The request's `Host` header, or `""`.
pub fn host(headers: &HeaderMap) -> &str {
    headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default()
}

/// The host name of a `Host` header value, without the port.
pub fn host_name(host: &str) -> Option<url::Host> {
    let authority = host.parse::<Authority>().ok()?;
    url::Host::parse(authority.host()).ok()
}

fn is_loopback(host: &str) -> bool {
    match host_name(host) {
        Some(url::Host::Domain(name)) => name == "localhost" || name.ends_with(".localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn loopback_hosts_are_recognised() {
        for h in [
            "localhost",
            "localhost:8080",
            "127.0.0.1",
            "127.0.0.1:8080",
            "[::1]:8080",
            "[::1]",
            "app.localhost",
            "LOCALHOST:80",
        ] {
            assert!(is_loopback(h), "{h}");
        }
        for h in
            ["", "example.ch", "www.example.ch:443", "128.0.0.1", "localhost.example.ch", "[2001:db8::1]:80"]
        {
            assert!(!is_loopback(h), "{h}");
        }
    }

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("a=1; cw_consent_x=2; junk; cw_consent=3"));
        h.append(header::COOKIE, HeaderValue::from_static("b=4"));
        let find = |name: &str| request_cookies(&h).find(|c| c.name() == name).map(|c| c.value().to_owned());
        assert_eq!(find("cw_consent").as_deref(), Some("3"));
        assert_eq!(find("b").as_deref(), Some("4"));
        assert_eq!(find("c"), None);
    }
}
