//! Logging in and out, changing one's password, and one's sessions.
//!
//! `POST /admin/login` checks, in this order: the same-origin rule (403), the body limits
//! (408/413), the login rate per client (10 a minute) and the failed-login waits per
//! account and client and per client (`limits::LoginFailures`) — both 429 with
//! `Retry-After`, the form shown again with the email kept —, the site's form token (403),
//! then the password. An unknown email, a disabled account and a wrong password get the
//! same page, status and wording, after the same work (`accounts::authenticate`). A
//! success starts a new session (the one the browser held is deleted: the id is rotated)
//! and goes to the page asked for, or to the password form while the password is
//! temporary. Logins and logouts are in the audit log; refused logins only in the server's
//! log (with the client, never the email), since anyone can cause them.

use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};

use super::staff::{self, Staff};
use super::{AdminError, AdminLayout, page, query_param, read_fields, sentence};
use crate::accounts;
use crate::domain::account::{AuditEvent, MIN_PASSWORD_CHARS};
use crate::domain::consent::is_same_site_path;
use crate::seal::{random_token, sha256_hex};
use crate::web::AppState;
use crate::web::forms::same_origin;
use crate::web::limits::Client;
use crate::web::slots::TOKEN_SLOT;
use crate::web::visitor::Visitor;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/login", get(login_form).post(login))
        .route("/admin/logout", post(logout))
        .route("/admin/password", get(password_form).post(change_password))
        .route("/admin/sessions", get(sessions))
        .route("/admin/sessions/end-others", post(end_other_sessions))
}

/// The same words for every refused login, whatever the reason.
const LOGIN_REFUSED: &str = "The email address or the password is not right.";

/// `next` when it is a page of the editors' area; otherwise the dashboard.
fn local_next(next: Option<&str>) -> String {
    match next {
        Some(n) if is_same_site_path(n) && (n == "/admin" || n.starts_with("/admin/")) => n.to_owned(),
        _ => "/admin/".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    page: AdminLayout,
    email: String,
    next: String,
    /// The site's form token (a slot the response layer fills).
    token: &'static str,
    /// Why the last attempt was refused.
    error: Option<String>,
}

fn login_page(
    state: &AppState,
    email: &str,
    next: String,
    error: Option<String>,
) -> Result<Response, AdminError> {
    page(&LoginPage {
        page: AdminLayout::new(state, "Log in", "login", None),
        email: email.to_owned(),
        next,
        token: TOKEN_SLOT.as_str(),
        error,
    })
}

/// `GET /admin/login?next=…`.
async fn login_form(State(state): State<AppState>, uri: Uri) -> Result<Response, AdminError> {
    let next = local_next(query_param(&uri, "next").as_deref());
    login_page(&state, "", next, None)
}

/// The login form again, with `status`, the email kept and why.
fn refused(
    state: &AppState,
    status: StatusCode,
    email: &str,
    next: String,
    why: String,
    retry_after: Option<u64>,
) -> Response {
    match login_page(state, email, next, Some(why)) {
        Ok(mut response) => {
            *response.status_mut() = status;
            if let Some(seconds) = retry_after {
                response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
            }
            response
        }
        Err(e) => e.into_response(),
    }
}

fn minutes(seconds: u64) -> String {
    match seconds {
        0..=60 => format!("{seconds} seconds"),
        _ => format!("{} minutes", seconds.div_ceil(60)),
    }
}

/// `POST /admin/login`.
async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    client: Client,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AdminError> {
    let site = state.published.current().catalog.site.clone();
    same_origin(&headers, &site, visitor.https).map_err(|why| AdminError::Forbidden(sentence(&why)))?;
    let fields = read_fields(&state, body).await?;
    let (email, password) = (fields.get("email").trim(), fields.get("password"));
    let next = local_next(Some(fields.get("next")));
    let now = state.time.now();
    if let Err(wait) = state.login_rate.check(client.0, now.timestamp()) {
        let why = format!("Too many login attempts from your address; try again in {}.", minutes(wait));
        return Ok(refused(&state, StatusCode::TOO_MANY_REQUESTS, email, next, why, Some(wait)));
    }
    let attempt = match state.login_failures.begin(email, client.0, now.timestamp()) {
        Ok(attempt) => attempt,
        Err(wait) => {
            let why = format!(
                "Too many failed logins from your address; try again in {}. Nothing was checked.",
                minutes(wait)
            );
            return Ok(refused(&state, StatusCode::TOO_MANY_REQUESTS, email, next, why, Some(wait)));
        }
    };
    if !state.keys.check_form_token(fields.get("token"), Utc::now().timestamp()) {
        return Err(AdminError::Forbidden(
            "The login form has expired or did not come from this site. Reload the page and log in again."
                .to_owned(),
        ));
    }
    if email.is_empty() || password.is_empty() {
        let why = "Enter your email address and your password.".to_owned();
        return Ok(refused(&state, StatusCode::BAD_REQUEST, email, next, why, None));
    }
    let Some(user) = accounts::authenticate(state.store.as_ref(), email, password).await? else {
        attempt.failed(now.timestamp());
        tracing::info!(client = %client.0, "a login was refused");
        return Ok(refused(&state, StatusCode::FORBIDDEN, email, next, LOGIN_REFUSED.to_owned(), None));
    };
    attempt.succeeded();
    let token = random_token(32);
    let event = AuditEvent { at: now, actor: &user.email, action: "login", target: &user.email, detail: "" };
    let replaced = staff::session_id(&headers, &visitor);
    let session = sha256_hex(&token);
    match state.store.start_session(&session, user.id, &user.password_hash, replaced.as_deref(), &event).await
    {
        Ok(()) => {}
        // The password was changed or reset (or the account disabled) while it was checked.
        Err(crate::store::StoreError::Conflict(_)) => {
            return Ok(refused(&state, StatusCode::FORBIDDEN, email, next, LOGIN_REFUSED.to_owned(), None));
        }
        Err(e) => return Err(e.into()),
    }
    let to = if user.must_change_password { "/admin/password".to_owned() } else { next };
    let mut response = Redirect::to(&to).into_response();
    response.headers_mut().append(header::SET_COOKIE, staff::set_cookie(&visitor, Some(&token)));
    Ok(response)
}

/// `POST /admin/logout`: the session ends and the cookie goes.
async fn logout(
    State(state): State<AppState>,
    staff: Staff,
    visitor: Visitor,
    body: Body,
) -> Result<Response, AdminError> {
    let fields = read_fields(&state, body).await?;
    staff.check_form(fields.get("token"))?;
    let event = AuditEvent {
        at: state.time.now(),
        actor: &staff.email,
        action: "logout",
        target: &staff.email,
        detail: "",
    };
    state.store.end_session(&staff.session_id, Some(&event)).await?;
    let mut response = Redirect::to("/admin/login").into_response();
    response.headers_mut().append(header::SET_COOKIE, staff::set_cookie(&visitor, None));
    Ok(response)
}

#[derive(Template)]
#[template(path = "admin/password.html")]
struct PasswordPage {
    page: AdminLayout,
    min_chars: usize,
    /// Problems by field: `current`, `new`, `repeat`.
    current_error: Option<String>,
    new_error: Option<String>,
    repeat_error: Option<String>,
}

fn password_page(
    state: &AppState,
    staff: &Staff,
    errors: [Option<String>; 3],
) -> Result<Response, AdminError> {
    let [current_error, new_error, repeat_error] = errors;
    page(&PasswordPage {
        page: AdminLayout::new(state, "Change your password", "password", Some(staff)),
        min_chars: MIN_PASSWORD_CHARS,
        current_error,
        new_error,
        repeat_error,
    })
}

/// `GET /admin/password`.
async fn password_form(State(state): State<AppState>, staff: Staff) -> Result<Response, AdminError> {
    password_page(&state, &staff, [None, None, None])
}

/// `POST /admin/password`: the current password (a wrong one counts as a failed login),
/// then the new one twice and the policy. Other sessions end.
async fn change_password(
    State(state): State<AppState>,
    staff: Staff,
    client: Client,
    body: Body,
) -> Result<Response, AdminError> {
    let fields = read_fields(&state, body).await?;
    staff.check_form(fields.get("token"))?;
    let now = state.time.now();
    let (current, new, repeat) = (fields.get("current"), fields.get("new"), fields.get("repeat"));
    let again = |errors: [Option<String>; 3]| -> Result<Response, AdminError> {
        let mut response = password_page(&state, &staff, errors)?;
        *response.status_mut() = StatusCode::BAD_REQUEST;
        Ok(response)
    };
    let attempt = state.login_failures.begin(&staff.email, client.0, now.timestamp()).map_err(|wait| {
        AdminError::TooManyRequests {
            message: format!("Too many wrong passwords; try again in {}.", minutes(wait)),
            retry_after: wait,
        }
    })?;
    let Some(user) = accounts::authenticate(state.store.as_ref(), &staff.email, current).await? else {
        attempt.failed(now.timestamp());
        return again([Some("This is not your current password.".to_owned()), None, None]);
    };
    if new != repeat {
        return again([
            None,
            None,
            Some("The two new passwords differ; type the same one twice.".to_owned()),
        ]);
    }
    if new == current {
        return again([None, Some("The new password is the current one; choose another.".to_owned()), None]);
    }
    match accounts::change_password(state.store.as_ref(), &user, &staff.session_id, new, now).await {
        Ok(()) => Ok(Redirect::to("/admin/").into_response()),
        Err(accounts::AccountError::WeakPassword(problem)) => {
            again([None, Some(sentence(&problem.to_string())), None])
        }
        Err(e) => Err(e.into()),
    }
}

/// One session as the sessions page lists it.
#[derive(Debug)]
struct SessionRow {
    started: String,
    last_seen: String,
    this_one: bool,
}

#[derive(Template)]
#[template(path = "admin/sessions.html")]
struct SessionsPage {
    page: AdminLayout,
    sessions: Vec<SessionRow>,
    form_token: String,
    /// How many other sessions were just ended.
    ended: Option<u64>,
}

fn when(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// `GET /admin/sessions`: one's own sessions (start, last use; no address or browser is
/// kept), with a button that ends the others.
async fn sessions(State(state): State<AppState>, staff: Staff, uri: Uri) -> Result<Response, AdminError> {
    let now = state.time.now();
    let sessions = state
        .store
        .sessions_of(staff.user_id)
        .await?
        .into_iter()
        // Ended by time but not yet removed (their cookie never came back): not sessions.
        .filter(|s| {
            crate::domain::account::session_state(s.created_at, s.last_seen_at, now)
                == crate::domain::account::SessionState::Live
        })
        .map(|s| SessionRow {
            started: when(s.created_at),
            last_seen: when(s.last_seen_at),
            this_one: s.id == staff.session_id,
        })
        .collect();
    page(&SessionsPage {
        page: AdminLayout::new(&state, "Your sessions", "sessions", Some(&staff)),
        sessions,
        form_token: staff.form_token.clone(),
        ended: query_param(&uri, "ended").and_then(|n| n.parse().ok()),
    })
}

/// `POST /admin/sessions/end-others`.
async fn end_other_sessions(
    State(state): State<AppState>,
    staff: Staff,
    body: Body,
) -> Result<Response, AdminError> {
    let fields = read_fields(&state, body).await?;
    staff.check_form(fields.get("token"))?;
    let event = AuditEvent {
        at: state.time.now(),
        actor: &staff.email,
        action: "sessions.end-others",
        target: &staff.email,
        detail: "",
    };
    let ended = state.store.end_other_sessions(staff.user_id, &staff.session_id, &event).await?;
    Ok(Redirect::to(&format!("/admin/sessions?ended={ended}")).into_response())
}
