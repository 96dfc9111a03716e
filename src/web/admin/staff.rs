//! Who is asking in the editors' area: the session cookie, the session it names, and the
//! checks every admin handler relies on.
//!
//! - The cookie `__Host-cw_session` (`Secure`, `HttpOnly`, `SameSite=Strict`, `Path=/`)
//!   holds a random 256-bit token; the database keeps its SHA-256 only. Over plain http
//!   to a loopback host the cookie is `cw_session` without `Secure` — the development
//!   exception of the consent cookie (`visitor.rs`), decided by the same `Visitor::dev`.
//! - A session is live while `domain::account::session_state` says so (2 h idle, 12 h in
//!   all), checked here at every request; an ended one is deleted. A disabled account has
//!   no sessions (disabling deletes them; a left-over one is refused and deleted here too).
//! - A session's form token is derived from its id with the server's key
//!   (`Keys::session_form_token`).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use chrono::TimeDelta;
use cookie::{Cookie, SameSite};

use super::{AdminError, StaffView, sentence};
use crate::domain::Vocabulary;
use crate::domain::account::{Role, SESSION_LIFETIME, SessionState, User, session_state};
use crate::seal::{Keys, sha256_hex};
use crate::web::AppState;
use crate::web::forms::same_origin;
use crate::web::visitor::{Visitor, request_cookies};

/// The pages open while the password is temporary.
const OPEN_WITH_TEMPORARY_PASSWORD: &[&str] = &["/admin/password", "/admin/logout"];

/// A request's last use of its session is written at most this often: the idle limit
/// counts in hours, and a write per page would contend with imports for nothing.
const TOUCH_EVERY: TimeDelta = TimeDelta::minutes(1);

/// The logged-in member of staff of a request.
#[derive(Debug, Clone)]
pub struct Staff {
    pub user_id: i64,
    pub email: String,
    pub role: Role,
    /// The session's stored id (the SHA-256 of the cookie's token).
    pub session_id: String,
    /// The token every admin form of this session carries (field `token`).
    pub form_token: String,
    pub must_change_password: bool,
    /// The request's verdict under the same-origin rule, for [`Staff::check_form`].
    origin: Result<(), String>,
    keys: Keys,
}

impl Staff {
    /// `Ok` when the role has the right `right` (`Role::can_publish`, …); otherwise the
    /// 403 page, naming the role.
    pub fn require(&self, right: fn(Role) -> bool) -> Result<(), AdminError> {
        if right(self.role) {
            Ok(())
        } else {
            Err(AdminError::Forbidden(format!(
                "Your role, {}, does not allow this. Ask an administrator if you need it.",
                self.role.as_str()
            )))
        }
    }

    /// The checks of every admin form POST: the request comes from this site (`Origin`,
    /// `Sec-Fetch-Site`) and carries this session's form token (`token`). A 403 page that
    /// says which failed otherwise.
    pub fn check_form(&self, token: &str) -> Result<(), AdminError> {
        self.origin
            .clone()
            .map_err(|why| AdminError::Forbidden(sentence(&format!("{why}; nothing was changed"))))?;
        if token.is_empty() {
            return Err(AdminError::Forbidden(
                "The form's security token is missing, so nothing was changed. Reload the page and try again."
                    .to_owned(),
            ));
        }
        if !self.keys.check_session_form_token(&self.session_id, token) {
            return Err(AdminError::Forbidden(
                "The form's security token does not belong to your session (it may come from a page of an \
                 earlier login), so nothing was changed. Reload the page and try again."
                    .to_owned(),
            ));
        }
        Ok(())
    }

    /// The frame's view of this person.
    pub fn view(&self) -> StaffView {
        StaffView {
            email: self.email.clone(),
            role: self.role.as_str(),
            can_administer: self.role.can_administer(),
            form_token: self.form_token.clone(),
            must_change_password: self.must_change_password,
        }
    }
}

/// The stored id of the session the request's cookie names, if it has one.
pub fn session_id(headers: &HeaderMap, visitor: &Visitor) -> Option<String> {
    let name = visitor.session_cookie_name();
    request_cookies(headers).find(|c| c.name() == name).map(|c| sha256_hex(c.value()))
}

/// `Set-Cookie` for a new session's token, or (`None`) removing the cookie.
pub fn set_cookie(visitor: &Visitor, token: Option<&str>) -> HeaderValue {
    let mut cookie = Cookie::build((visitor.session_cookie_name(), token.unwrap_or_default()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(!visitor.dev);
    cookie = match token {
        // The browser may forget it when the server would end it anyway.
        Some(_) => cookie.max_age(cookie::time::Duration::seconds(SESSION_LIFETIME.num_seconds())),
        None => cookie.max_age(cookie::time::Duration::ZERO),
    };
    HeaderValue::from_str(&cookie.build().to_string())
        .expect("a cookie of URL-safe characters is a header value")
}

/// Where to come back after logging in: the page asked for (a `GET`), else the dashboard.
fn next_of(parts: &Parts) -> String {
    if parts.method == Method::GET {
        parts.uri.path_and_query().map_or_else(|| "/admin/".to_owned(), |p| p.as_str().to_owned())
    } else {
        "/admin/".to_owned()
    }
}

/// The live session of a request and its account, if any: ended sessions are deleted on
/// the way.
pub async fn current(
    state: &AppState,
    headers: &HeaderMap,
    visitor: &Visitor,
) -> Result<Option<(String, User)>, AdminError> {
    let Some(id) = session_id(headers, visitor) else { return Ok(None) };
    let Some((session, user)) = state.store.session(&id).await? else { return Ok(None) };
    let now = state.time.now();
    if user.disabled_at.is_some()
        || session_state(session.created_at, session.last_seen_at, now) != SessionState::Live
    {
        match state.store.end_session(&id, None).await {
            // The session is over either way: the request is answered as logged out, and a
            // full disk or a busy database leaves only a dead row behind.
            Err(e) if e.unavailable().is_some() => {
                tracing::warn!(error = %e, "could not end an expired session; answered as logged out");
            }
            ended => ended?,
        }
        return Ok(None);
    }
    if now - session.last_seen_at >= TOUCH_EVERY {
        match state.store.touch_session(&id, now).await {
            // A session not marked as seen only ends sooner: a full disk or a busy database
            // must not turn away the request it carries (a publish with the editor's input).
            Err(e) if e.unavailable().is_some() => {
                tracing::warn!(error = %e, "could not mark a session as seen; the request goes on");
            }
            touched => touched?,
        }
    }
    Ok(Some((id, user)))
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = AdminError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AdminError> {
        let visitor = Visitor::from_request_parts(parts, state).await.unwrap_or_default();
        let Some((session_id, user)) = current(state, &parts.headers, &visitor).await? else {
            return Err(AdminError::Login { next: next_of(parts) });
        };
        if user.must_change_password && !OPEN_WITH_TEMPORARY_PASSWORD.contains(&parts.uri.path()) {
            return Err(AdminError::Redirect("/admin/password".to_owned()));
        }
        let site = &state.published.current().catalog.site;
        Ok(Self {
            user_id: user.id,
            email: user.email,
            role: user.role,
            form_token: state.keys.session_form_token(&session_id),
            session_id,
            must_change_password: user.must_change_password,
            origin: same_origin(&parts.headers, site, visitor.https),
            keys: state.keys.clone(),
        })
    }
}
