//! The consent pages: `/{locale}/cookies` (the settings page) and `POST /consent` (a
//! decision: checked, recorded durably, then set as the signed cookie).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use cookie::{Cookie, SameSite};
use serde::Deserialize;
use serde_json::json;

use super::banner::{encode, shown_words};
use super::error::{ApiError, PageError};
use super::extract::{PagePath, PageQuery};
use super::forms::same_origin;
use super::layout::{Crumb, Layout};
use super::limits::{Client, read_form};
use super::visitor::{Visitor, host, host_name, request_cookies};
use super::{AppState, filters};
use crate::domain::ConsentCategory;
use crate::domain::Vocabulary;
use crate::domain::consent::{
    Action, Channel, Choices, ConsentRecord, DECISION_LIFETIME_DAYS, Decision, Standing, cookies_to_expire,
    is_same_site_path, notice_text,
};
use crate::i18n::Lang;
use crate::seal::{random_token, sha256_hex};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/consent", post(decide).get(|| async { Redirect::to("/") }))
        .route("/{locale}/cookies", get(settings_page))
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
    /// Why a decision was not saved, above the re-shown form.
    notice: Option<String>,
}

async fn settings_page(
    State(state): State<AppState>,
    visitor: Visitor,
    PagePath(locale): PagePath<String>,
    PageQuery(q): PageQuery<SettingsQuery>,
) -> Result<Response, PageError> {
    let snapshot = super::localized(&state, &locale)?;
    let return_to = match q.return_to.as_deref() {
        Some(r) if is_same_site_path(r) => r.to_owned(),
        Some(_) => return Err(PageError::BadRequest("`return_to` must be a path on this site".into())),
        None => format!("/{locale}/"),
    };
    settings_html(&snapshot, &locale, &visitor, return_to, None).map(|h| Html(h).into_response())
}

/// The settings page: the choices as `visitor` stands, an optional notice above them.
fn settings_html(
    snapshot: &crate::snapshot::Snapshot,
    locale: &str,
    visitor: &Visitor,
    return_to: String,
    notice: Option<String>,
) -> Result<String, PageError> {
    let ui = Lang::of(locale).ui();
    let path = format!("/{locale}/cookies");
    let crumbs =
        vec![Crumb::new(ui.home, format!("/{locale}/")), Crumb::new(ui.cookie_settings, path.clone())];
    let mut page =
        Layout::new(snapshot, locale, ui.cookie_settings, &path, visitor).with_breadcrumbs(&crumbs);
    page.consent.return_to.clone_from(&return_to);
    page.consent.settings_url = format!("{path}?return_to={}", encode(&return_to));
    SettingsPage { page, crumbs, return_to, notice }.render().map_err(PageError::internal)
}

/// A decision refused for now (too many, or the database could not take it): for a plain
/// form, the settings page again with the reader's choices ticked and the reason above
/// them, so nothing they did is lost; for `fetch`, the JSON error.
fn refused(
    snapshot: &crate::snapshot::Snapshot,
    visitor: &Visitor,
    form: &Form,
    wants_json: bool,
    error: PageError,
) -> Response {
    let (status, message, retry_after) = match &error {
        PageError::TooManyRequests { message, retry_after } => {
            (axum::http::StatusCode::TOO_MANY_REQUESTS, message.clone(), *retry_after)
        }
        PageError::Unavailable { message, retry_after } => {
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, message.clone(), *retry_after)
        }
        _ => return error.into_response(),
    };
    if wants_json || form.javascript {
        return ApiError::from(error).into_response();
    }
    let site = &snapshot.catalog.site;
    let locale =
        if snapshot.has_locale(&form.locale) { form.locale.as_str() } else { site.default_locale.as_str() };
    // The reader's choice, shown as if made, only to tick the boxes; nothing is recorded.
    let shown = Visitor {
        standing: Standing::Decided(Decision {
            consent_id: String::new(),
            policy_version: site.policy_version.clone(),
            choices: form.action.choices(form.ticked),
            decided_at: 0,
        }),
        ..visitor.clone()
    };
    let mut chars = message.chars();
    let notice: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    match settings_html(snapshot, locale, &shown, form.return_to.clone(), Some(notice)) {
        Ok(html) => {
            let mut response = (status, Html(html)).into_response();
            response.headers_mut().insert(header::RETRY_AFTER, retry_after.into());
            response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            response
        }
        Err(e) => e.into_response(),
    }
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

/// The domains a cookie for this host may have been set on: the host and its parents
/// with at least two labels (`www.example.ch` → `www.example.ch`, `example.ch`). Only
/// DNS names qualify: no addresses, and nothing that could add a cookie attribute.
fn cookie_domains(host: &str) -> Vec<String> {
    let Some(url::Host::Domain(name)) = host_name(host) else {
        return Vec::new();
    };
    let dns_name = name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    if !dns_name || !name.contains('.') {
        return Vec::new();
    }
    let labels: Vec<&str> = name.split('.').collect();
    (0..labels.len().saturating_sub(1)).map(|i| labels[i..].join(".")).collect()
}

/// A `Set-Cookie` value: the consent cookie (`max_age` seconds) or, with `max_age` 0,
/// the removal of a cookie, host-only or on `domain`.
fn set_cookie(
    name: &str,
    value: &str,
    max_age: i64,
    domain: Option<&str>,
    visitor: &Visitor,
) -> Option<HeaderValue> {
    let mut cookie = Cookie::build((name, value)).path("/").max_age(cookie::time::Duration::seconds(max_age));
    if max_age > 0 {
        cookie = cookie.http_only(true).same_site(SameSite::Lax).secure(!visitor.dev);
    }
    if let Some(domain) = domain {
        cookie = cookie.domain(domain);
    }
    HeaderValue::from_str(&cookie.build().to_string()).ok()
}

/// `POST /consent`: checks origin and token, records the decision durably, then sets the
/// cookie, expires the cookies of categories no longer granted, and answers: JSON for
/// `fetch`, `303` back for a plain form.
async fn decide(
    State(state): State<AppState>,
    visitor: Visitor,
    client: Client,
    headers: HeaderMap,
    body: axum::body::Body,
) -> Response {
    let snapshot = state.published.current();
    let site = &snapshot.catalog.site;
    let wants_json =
        headers.get(header::ACCEPT).is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let fail_page =
        |e: PageError| if wants_json { ApiError::from(e).into_response() } else { e.into_response() };
    if let Err(why) = same_origin(&headers, site, visitor.https) {
        return fail_page(PageError::Forbidden(why));
    }
    let body = match read_form(body, &state.limits).await {
        Ok(body) => body,
        Err(e) => return fail_page(e),
    };
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
    if let Err(retry_after) = state.consent_rate.check(client.0, Utc::now().timestamp()) {
        let error = PageError::TooManyRequests {
            message: format!(
                "too many cookie choices from your address in one minute; your choice was not saved — please choose again in {retry_after} seconds"
            ),
            retry_after,
        };
        return refused(&snapshot, &visitor, &form, wants_json, error);
    }
    let now = Utc::now();
    if !state.keys.check_form_token(&form.token, now.timestamp()) {
        let why = "the form has expired or was not issued by this site: reload the page and choose again"
            .to_owned();
        return fail_page(PageError::Forbidden(why));
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
        // Not acknowledged, so nothing is set: the visitor is asked again. The reader did
        // nothing wrong and the record is all or nothing, so this is "try again", not a 500.
        tracing::error!(error = %e, "could not record a consent decision");
        let error = PageError::Unavailable {
            message: "we could not save your cookie choice just now (our database is busy or out of space); nothing was saved and nothing is loaded until you choose — please choose again in a moment".to_owned(),
            retry_after: 5,
        };
        return refused(&snapshot, &visitor, &form, wants_json, error);
    }
    crate::metrics::consent_decision(record.action.as_str());
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
    if let Some(v) = set_cookie(visitor.cookie_name(), &state.keys.seal(&decision), lifetime, None, &visitor)
    {
        h.append(header::SET_COOKIE, v);
    }
    // Every category not granted now loses its cookies, whatever was granted before: as
    // host-only cookies, and as cookies of this host's parent domains (`Domain=`).
    let sent: Vec<Cookie<'_>> = request_cookies(&headers).collect();
    let sent: Vec<&str> = sent.iter().map(Cookie::name).collect();
    let domains = if visitor.dev { Vec::new() } else { cookie_domains(host(&headers)) };
    for name in cookies_to_expire(site, Choices::ALL.revoked_by(choices), &sent) {
        let scopes = std::iter::once(None).chain(domains.iter().map(|d| Some(d.as_str())));
        for domain in scopes {
            if let Some(v) = set_cookie(name, "", 0, domain, &visitor) {
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
    fn parent_domains_stop_before_the_top_level() {
        assert_eq!(cookie_domains("www.example.ch:443"), ["www.example.ch", "example.ch"]);
        assert_eq!(cookie_domains("example.ch"), ["example.ch"]);
        assert!(cookie_domains("localhost").is_empty());
        assert!(cookie_domains("10.0.0.1").is_empty());
        assert!(cookie_domains("a.example; Max-Age=9").is_empty(), "no attributes from a Host header");
    }
}
