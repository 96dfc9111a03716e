//! Consent, enforced by the server: every request learns the visitor's standing from the
//! signed cookie (and `Sec-GPC`), pages include only the granted services, and every
//! response gets a Content-Security-Policy that allows exactly those services' hosts —
//! plus the security headers every response carries.
//!
//! Pages are rendered with placeholder slots for the per-response nonce and form token
//! (so rendered pages can be cached and shared); [`consent_layer`] fills them in.

use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use super::cache::{CachedPage, SlottedBody};
use super::error::{ApiError, PageError};
use super::extract::{PagePath, PageQuery};
use super::layout::{Crumb, Layout};
use crate::consent::{Keys, random_token, sha256_hex};
use crate::domain::consent::{
    Action, Channel, Choices, ConsentRecord, DECISION_LIFETIME_DAYS, Decision, Standing, allowed_hosts,
    cookies_to_expire, effective_choices, granted_services, is_same_site_path, notice_text, should_ask,
};
use crate::domain::{ConsentCategory, Site};
use crate::i18n::{Lang, Ui};

/// The consent cookie over https: `__Host-` binds it to this host, `Secure`, path `/`.
pub const COOKIE_SECURE: &str = "__Host-cw_consent";
/// The development exception: plain http to a loopback host cannot carry `Secure`
/// cookies in every browser, so there the cookie has no prefix and no `Secure`.
pub const COOKIE_DEV: &str = "cw_consent";

/// Slots that rendered pages carry instead of the nonce and the form token. Random per
/// process, so no content can contain them by accident or on purpose.
pub static NONCE_SLOT: LazyLock<String> =
    LazyLock::new(|| format!("cwnonce{}", random_token(12).replace(['-', '_'], "x")));
pub static TOKEN_SLOT: LazyLock<String> =
    LazyLock::new(|| format!("cwtoken{}", random_token(12).replace(['-', '_'], "x")));

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/consent", post(decide).get(|| async { Redirect::to("/") }))
        .route("/{locale}/cookies", get(settings_page))
}

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
    pub fn choices(&self) -> Choices {
        effective_choices(&self.standing)
    }

    pub fn show_banner(&self) -> bool {
        should_ask(&self.standing, self.gpc)
    }

    pub fn policy_changed(&self) -> Option<&str> {
        match &self.standing {
            Standing::PolicyChanged { decided_under, .. } => Some(decided_under),
            _ => None,
        }
    }

    /// Everything a page's HTML depends on about this visitor, for the render cache.
    pub fn variant(&self) -> u64 {
        u64::from(self.choices().bits())
            | u64::from(self.show_banner()) << 3
            | u64::from(self.policy_changed().is_some()) << 4
            | u64::from(self.gpc) << 5
            // The settings list names the consent cookie, which differs in development.
            | u64::from(self.dev) << 6
            // Withdrawal is offered once decided (also to a GPC visitor who decided).
            | u64::from(matches!(self.standing, Standing::Decided(_))) << 7
    }

    fn cookie_name(&self) -> &'static str {
        if self.dev { COOKIE_DEV } else { COOKIE_SECURE }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<Visitor>().cloned().unwrap_or_default())
    }
}

/// The `name=value` pairs of the request's `Cookie` headers.
fn cookie_pairs(headers: &HeaderMap) -> impl Iterator<Item = (&str, &str)> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    cookie_pairs(headers).find(|(k, _)| *k == name).map(|(_, v)| v)
}

fn is_loopback(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn host(headers: &HeaderMap) -> &str {
    headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default()
}

/// Reads the visitor from a request's headers.
pub fn visitor(keys: &Keys, site: &Site, headers: &HeaderMap, now: i64) -> Visitor {
    let policy = &site.policy_version;
    let https = headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let dev = !https && is_loopback(host(headers));
    let name = if dev { COOKIE_DEV } else { COOKIE_SECURE };
    let opened = cookie(headers, name).and_then(|v| keys.open(v));
    let known_id = opened.as_ref().map(|d| d.consent_id.clone());
    let standing = opened.map_or(Standing::Undecided, |d| d.standing(policy, now));
    let gpc = headers.get("sec-gpc").is_some_and(|v| v.as_bytes() == b"1");
    Visitor { standing, gpc, https, dev, known_id }
}

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

/// The form token of the current second, signed once and shared by every response of
/// that second.
#[derive(Debug, Default)]
pub struct FormTokens {
    current: Mutex<(i64, Arc<str>)>,
}

impl FormTokens {
    pub fn get(&self, keys: &Keys, now: i64) -> Arc<str> {
        let mut current = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        if current.0 != now || current.1.is_empty() {
            *current = (now, keys.form_token(now).into());
        }
        current.1.clone()
    }
}

/// Learns the visitor, runs the request, then fills the page's slots and sets the
/// headers every response carries.
pub async fn consent_layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let now = Utc::now().timestamp();
    // One snapshot for the whole exchange: the policy read and the CSP written agree.
    let snapshot = state.published.current();
    let visitor = visitor(&state.keys, &snapshot.catalog.site, req.headers(), now);
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

/// One service as the settings list shows it.
#[derive(Debug)]
pub struct ServiceView {
    pub name: String,
    pub purpose: String,
    pub cookies: Vec<(String, u32)>,
    pub hosts: Vec<String>,
}

/// One category with its services.
#[derive(Debug)]
pub struct CategoryView {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub granted: bool,
    pub services: Vec<ServiceView>,
}

/// What the page frame needs to show the banner, the settings form and the granted
/// services' scripts.
#[derive(Debug)]
#[expect(clippy::struct_excessive_bools, reason = "independent flags the templates read")]
pub struct ConsentView {
    pub show_banner: bool,
    /// The policy version the visitor's last decision was made under, when it changed.
    pub changed_from: Option<String>,
    pub policy_version: String,
    pub nonce: &'static str,
    pub token: &'static str,
    pub return_to: String,
    pub settings_url: String,
    pub scripts: Vec<String>,
    pub categories: Vec<CategoryView>,
    pub decided: bool,
    pub gpc: bool,
    /// The consent cookie's name, for the list of necessary cookies.
    pub cookie_name: &'static str,
    pub lifetime_days: i64,
    /// Whether the dialog is on this page (with the banner, except on the settings page).
    pub dialog: bool,
    /// Whether the enhancing script is (banner or settings page).
    pub load_script: bool,
}

/// The words of the banner and the settings a visitor reads before deciding, for the
/// notice text a decision is recorded against.
fn shown_words(ui: &Ui) -> String {
    let mut words = vec![ui.consent_title, ui.consent_text, ui.consent_necessary, ui.consent_necessary_text];
    for c in ConsentCategory::ALL {
        let (name, description) = category_text(ui, c);
        words.extend([name, description]);
    }
    words.join("\n")
}

pub fn category_text(ui: &Ui, c: ConsentCategory) -> (&'static str, &'static str) {
    match c {
        ConsentCategory::Preferences => (ui.consent_preferences, ui.consent_preferences_text),
        ConsentCategory::Analytics => (ui.consent_analytics, ui.consent_analytics_text),
        ConsentCategory::Marketing => (ui.consent_marketing, ui.consent_marketing_text),
    }
}

impl ConsentView {
    pub fn new(site: &Site, locale: &str, path: &str, visitor: &Visitor) -> Self {
        let ui = Lang::of(locale).ui();
        let choices = visitor.choices();
        let categories = ConsentCategory::ALL
            .into_iter()
            .map(|c| {
                let (name, description) = category_text(ui, c);
                CategoryView {
                    id: c.as_str(),
                    name,
                    description,
                    granted: choices.grants(c),
                    services: site
                        .services
                        .iter()
                        .filter(|s| s.category == c)
                        .map(|s| ServiceView {
                            name: s.name.clone(),
                            purpose: s.purpose.clone(),
                            cookies: s.cookies.iter().map(|k| (k.name.clone(), k.lifetime_days)).collect(),
                            hosts: s.hosts.clone(),
                        })
                        .collect(),
                }
            })
            .collect();
        let settings_path = format!("/{locale}/cookies");
        let on_settings_page = path == settings_path;
        // The settings page is the whole choice; the banner would only repeat it.
        let show_banner = visitor.show_banner() && !on_settings_page;
        Self {
            show_banner,
            changed_from: visitor.policy_changed().map(str::to_owned),
            policy_version: site.policy_version.clone(),
            nonce: NONCE_SLOT.as_str(),
            token: TOKEN_SLOT.as_str(),
            return_to: path.to_owned(),
            settings_url: format!("{settings_path}?return_to={}", encode(path)),
            scripts: granted_services(site, choices).filter_map(|s| s.script_src.clone()).collect(),
            categories,
            decided: matches!(visitor.standing, Standing::Decided(_)),
            gpc: visitor.gpc,
            cookie_name: visitor.cookie_name(),
            lifetime_days: DECISION_LIFETIME_DAYS,
            dialog: show_banner,
            load_script: show_banner || on_settings_page,
        }
    }
}

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[derive(Debug, Deserialize)]
struct SettingsQuery {
    return_to: Option<String>,
}

#[derive(Template)]
#[template(path = "cookies.html")]
struct SettingsPage {
    page: Layout,
    crumbs: Vec<Crumb>,
    return_to: String,
}

async fn settings_page(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(locale): PagePath<String>,
    PageQuery(q): PageQuery<SettingsQuery>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let ui = Lang::of(&locale).ui();
    let path = format!("/{locale}/cookies");
    let return_to = match q.return_to.as_deref() {
        Some(r) if is_same_site_path(r) => r.to_owned(),
        Some(_) => return Err(PageError::BadRequest("`return_to` must be a path on this site".into())),
        None => format!("/{locale}/"),
    };
    let crumbs =
        vec![Crumb::new(ui.home, format!("/{locale}/")), Crumb::new(ui.cookie_settings, path.clone())];
    let mut page =
        Layout::new(&snapshot, &locale, ui.cookie_settings, &path, &visitor).with_breadcrumbs(&crumbs);
    page.consent.return_to.clone_from(&return_to);
    page.consent.settings_url = format!("{path}?return_to={}", encode(&return_to));
    SettingsPage { page, crumbs, return_to }
        .render()
        .map(|h| Html(h).into_response())
        .map_err(PageError::internal)
}

/// A decision, parsed from the form.
#[derive(Debug)]
struct Form {
    token: String,
    action: Action,
    ticked: Choices,
    return_to: String,
    channel: Channel,
    locale: String,
    javascript: bool,
}

fn parse_form(body: &[u8], default_locale: &str) -> Result<Form, (String, &'static str)> {
    let mut token = None;
    let mut action = None;
    let mut ticked = Vec::new();
    let mut return_to = None;
    let mut channel = Channel::Banner;
    let mut locale = default_locale.to_owned();
    let mut javascript = false;
    for (k, v) in form_urlencoded::parse(body) {
        match &*k {
            "token" => token = Some(v.into_owned()),
            "action" => {
                action = Some(Action::parse(&v).ok_or_else(|| {
                    (
                        format!("`action` is `{v}`; expected accept_all, reject_all, custom or withdraw"),
                        "action",
                    )
                })?);
            }
            "category" => ticked.push(ConsentCategory::parse(&v).ok_or_else(|| {
                (format!("`category` is `{v}`; expected preferences, analytics or marketing"), "category")
            })?),
            "return_to" => return_to = Some(v.into_owned()),
            "channel" => {
                channel = Channel::parse(&v)
                    .ok_or_else(|| (format!("`channel` is `{v}`; expected banner or settings"), "channel"))?;
            }
            "locale" => locale = v.into_owned(),
            "js" => javascript = v == "1",
            _ => {}
        }
    }
    let return_to = return_to.unwrap_or_else(|| "/".to_owned());
    if !is_same_site_path(&return_to) {
        return Err(("`return_to` must be a path on this site".to_owned(), "return_to"));
    }
    Ok(Form {
        token: token.ok_or_else(|| ("the form token is missing".to_owned(), "token"))?,
        action: action.ok_or_else(|| ("`action` is missing".to_owned(), "action"))?,
        ticked: Choices::of(ticked),
        return_to,
        channel,
        locale,
        javascript,
    })
}

/// A decision's request must come from this site: a foreign `Origin` or a cross-site
/// `Sec-Fetch-Site` is refused.
fn same_origin(headers: &HeaderMap, site: &Site, https: bool) -> Result<(), String> {
    if let Some(fetch_site) = headers.get("sec-fetch-site") {
        if !matches!(fetch_site.as_bytes(), b"same-origin" | b"none") {
            return Err(format!(
                "cross-site request refused (Sec-Fetch-Site: {})",
                fetch_site.to_str().unwrap_or("?")
            ));
        }
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("null");
        let own = format!("{}://{}", if https { "https" } else { "http" }, host(headers));
        if origin != own && origin != site.base_url {
            return Err(format!("request from a foreign origin refused ({origin})"));
        }
    }
    Ok(())
}

/// The domains a cookie for this host may have been set on: the host and its parents
/// with at least two labels (`www.example.ch` → `www.example.ch`, `example.ch`).
fn cookie_domains(host: &str) -> Vec<String> {
    let name = host.split(':').next().unwrap_or_default();
    let hostname = name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if !hostname || name.parse::<std::net::IpAddr>().is_ok() || !name.contains('.') {
        return Vec::new();
    }
    let labels: Vec<&str> = name.split('.').collect();
    (0..labels.len().saturating_sub(1)).map(|i| labels[i..].join(".")).collect()
}

fn set_cookie(name: &str, value: &str, max_age: i64, visitor: &Visitor) -> Option<HeaderValue> {
    let secure = if visitor.dev { "" } else { "; Secure" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok()
}

/// `POST /consent`: checks origin and token, records the decision durably, then sets the
/// cookie, expires the cookies of categories no longer granted, and answers: JSON for
/// `fetch`, `303` back for a plain form.
async fn decide(
    State(state): State<AppState>,
    visitor: Visitor,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let snapshot = state.published.current();
    let site = &snapshot.catalog.site;
    let wants_json =
        headers.get(header::ACCEPT).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let fail_page = |e: PageError| e.into_response();
    if let Err(why) = same_origin(&headers, site, visitor.https) {
        return if wants_json {
            ApiError::Forbidden(why).into_response()
        } else {
            fail_page(PageError::Forbidden(why))
        };
    }
    let form = match parse_form(&body, &site.default_locale) {
        Ok(f) => f,
        Err((message, field)) => {
            return if wants_json {
                ApiError::BadRequest { message, field: Some(field.to_owned()) }.into_response()
            } else {
                fail_page(PageError::BadRequest(message))
            };
        }
    };
    let now = Utc::now();
    if !state.keys.check_form_token(&form.token, now.timestamp()) {
        let why = "the form has expired or was not issued by this site: reload the page and choose again"
            .to_owned();
        return if wants_json {
            ApiError::Forbidden(why).into_response()
        } else {
            fail_page(PageError::Forbidden(why))
        };
    }
    let locale =
        if snapshot.has_locale(&form.locale) { form.locale.clone() } else { site.default_locale.clone() };
    let before = visitor.choices();
    let choices = form.action.choices(form.ticked);
    let consent_id = visitor.known_id.clone().unwrap_or_else(|| random_token(16));
    let notice = notice_text(site, &shown_words(Lang::of(&locale).ui()));
    let record = ConsentRecord {
        record_id: random_token(16),
        consent_id: consent_id.clone(),
        recorded_at: now,
        policy_version: site.policy_version.clone(),
        notice_hash: sha256_hex(&notice),
        locale,
        action: form.action,
        choices,
        channel: form.channel,
        javascript: form.javascript,
        gpc: visitor.gpc,
    };
    if let Err(e) = state.store.append_consent(&record, &notice).await {
        // Not acknowledged, so nothing is set: the visitor is asked again.
        tracing::error!(error = %e, "could not record a consent decision");
        let e = PageError::internal(e);
        return if wants_json { ApiError::Internal(e.to_string()).into_response() } else { fail_page(e) };
    }
    let decision = Decision {
        consent_id,
        policy_version: site.policy_version.clone(),
        choices,
        decided_at: now.timestamp(),
    };
    let mut response = if wants_json || form.javascript {
        axum::Json(json!({ "ok": true, "choices": choices, "reload": choices != before })).into_response()
    } else {
        Redirect::to(&form.return_to).into_response()
    };
    let h = response.headers_mut();
    let lifetime = DECISION_LIFETIME_DAYS * 86_400;
    if let Some(v) = set_cookie(visitor.cookie_name(), &state.keys.seal(&decision), lifetime, &visitor) {
        h.append(header::SET_COOKIE, v);
    }
    // Every category not granted now loses its cookies, whatever was granted before: as
    // host-only cookies, and as cookies of this host's parent domains (`Domain=`).
    let sent: Vec<&str> = cookie_pairs(&headers).map(|(name, _)| name).collect();
    let domains = if visitor.dev { Vec::new() } else { cookie_domains(host(&headers)) };
    for name in cookies_to_expire(site, Choices::ALL.revoked_by(choices), &sent) {
        let scopes = std::iter::once(String::new()).chain(domains.iter().map(|d| format!("; Domain={d}")));
        for scope in scopes {
            if let Ok(v) = HeaderValue::from_str(&format!("{name}=; Path=/; Max-Age=0{scope}")) {
                h.append(header::SET_COOKIE, v);
            }
        }
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
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
    fn parent_domains_stop_before_the_top_level() {
        assert_eq!(cookie_domains("www.example.ch:443"), ["www.example.ch", "example.ch"]);
        assert_eq!(cookie_domains("example.ch"), ["example.ch"]);
        assert!(cookie_domains("localhost").is_empty());
        assert!(cookie_domains("10.0.0.1").is_empty());
        assert!(cookie_domains("a.example; Max-Age=9").is_empty(), "no attributes from a Host header");
    }

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, HeaderValue::from_static("a=1; cw_consent_x=2; cw_consent=3"));
        assert_eq!(cookie(&h, "cw_consent"), Some("3"));
        assert_eq!(cookie(&h, "b"), None);
    }
}
