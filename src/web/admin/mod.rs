//! The editors' area (`/admin/…`): staff log in, and every page knows who they are.
//!
//! - **Who**: every handler takes a [`Staff`] (`staff.rs`): no live session → `303` to
//!   the login page (coming back afterwards); a role without the right →
//!   `staff.require(Role::can_publish)?` answers a 403 page.
//! - **Forms**: every POST form carries the session's token (`staff.form_token`, field
//!   `token`) and is checked with `staff.check_form(fields.get("token"))`, which also
//!   applies the site's same-origin rule (`web::forms`); read the body with
//!   [`read_fields`].
//! - **Responses**: `Cache-Control: no-store`, `X-Robots-Tag: noindex` (and the meta tag in
//!   `templates/admin/base.html`), never compressed (a session's token sits next to what
//!   the request sent: BREACH), never in the render cache (`cache::place`). The security
//!   headers and CSP are the site's (`headers.rs`); admin pages have no scripts.
//! - **Errors** are [`AdminError`], rendered here in the admin frame (English only, like
//!   the whole area).
//!
//! Pages: `auth.rs` (login, logout, password, sessions), `audit.rs` (audit log, users),
//! `edit.rs` (editing, drafts, revisions), `stale.rs` (the staleness report), `leads.rs`
//! (course inquiries), and the dashboard here.

mod audit;
mod auth;
mod edit;
mod leads;
mod staff;
mod stale;

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{any, get};

pub use staff::Staff;

use super::error::PageError;
use super::extract::ParamError;
use super::{AppState, Uncompressed};
use crate::store::StoreError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(|| async { Redirect::permanent("/admin/") }))
        .route("/admin/", get(dashboard))
        .merge(auth::router())
        .merge(audit::router())
        .merge(edit::router())
        .merge(stale::router())
        .merge(leads::router())
        // Anything else under /admin/ is answered in the area's frame, privately.
        .route(
            "/admin/{*rest}",
            any(|| async { AdminError::NotFound("There is no such page in the editors' area.".to_owned()) }),
        )
        .layer(axum::middleware::map_response(private))
}

/// What every response of the editors' area carries.
async fn private(mut response: Response) -> Response {
    let h = response.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    response.extensions_mut().insert(Uncompressed);
    response
}

/// The frame of every admin page: `templates/admin/base.html`.
#[derive(Debug)]
pub struct AdminLayout {
    pub title: String,
    pub site_name: String,
    /// The nav entry this page belongs to (`dashboard`, `audit`, …).
    pub section: &'static str,
    /// Who is logged in; `None` on the login page and error pages without a session.
    pub staff: Option<StaffView>,
    pub stylesheet: &'static str,
    pub admin_stylesheet: &'static str,
    pub favicon: &'static str,
    /// The live Markdown preview (`static/admin.js`), on pages that ask for it.
    pub admin_script: Option<&'static str>,
    /// The response's nonce slot, filled by `web::headers`.
    pub nonce: &'static str,
}

/// The logged-in person, as the frame shows them.
#[derive(Debug)]
pub struct StaffView {
    pub email: String,
    pub role: &'static str,
    pub can_administer: bool,
    /// For the logout button.
    pub form_token: String,
    /// Only the password form is open.
    pub must_change_password: bool,
}

impl AdminLayout {
    pub fn new(state: &AppState, title: &str, section: &'static str, staff: Option<&Staff>) -> Self {
        Self {
            title: title.to_owned(),
            site_name: state.published.current().catalog.site.name.clone(),
            section,
            staff: staff.map(Staff::view),
            stylesheet: &super::asset_files::STYLESHEET.url,
            admin_stylesheet: &super::asset_files::ADMIN_STYLESHEET.url,
            favicon: super::asset_files::favicon_svg(),
            admin_script: None,
            nonce: super::slots::NONCE_SLOT.as_str(),
        }
    }

    /// The same frame with the editors' script (the live Markdown preview).
    #[must_use]
    pub fn with_script(mut self) -> Self {
        self.admin_script = Some(&super::asset_files::ADMIN_SCRIPT.url);
        self
    }

    /// Whether the nav's `entry` is this page's section.
    pub fn is_section(&self, entry: &str) -> bool {
        self.section == entry
    }
}

/// An admin page's HTML as a response.
pub fn page<T: Template>(template: &T) -> Result<Response, AdminError> {
    template.render().map(|h| Html(h).into_response()).map_err(|e| AdminError::Internal(e.to_string()))
}

/// What an admin request can hit; rendered in the admin frame.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AdminError {
    /// No live session: to the login page, then back to `next` (a path under `/admin/`).
    #[error("log in first")]
    Login { next: String },
    /// Somewhere else first (the password form, while the password is temporary).
    #[error("see {0}")]
    Redirect(String),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("too many requests: {message}")]
    TooManyRequests { message: String, retry_after: u64 },
    #[error("payload too large: {0}")]
    TooLarge(String),
    #[error("request timeout: {0}")]
    RequestTimeout(String),
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

/// The `Retry-After` of a 503 in the editors' area (the database could not take a write).
const RETRY_AFTER_SECONDS: u64 = 5;

impl From<StoreError> for AdminError {
    fn from(e: StoreError) -> Self {
        match e.unavailable() {
            Some(why) => {
                tracing::error!(error = %e, "the editors' area could not use the database: {why}");
                AdminError::Unavailable(format!("{why}; nothing was changed — try again in a moment"))
            }
            None => AdminError::Internal(e.to_string()),
        }
    }
}

impl From<crate::accounts::AccountError> for AdminError {
    fn from(e: crate::accounts::AccountError) -> Self {
        use crate::accounts::AccountError;
        match e {
            AccountError::Store(e) => e.into(),
            AccountError::Hash(e) => AdminError::Internal(e),
            other => AdminError::BadRequest(other.to_string()),
        }
    }
}

impl From<ParamError> for AdminError {
    fn from(e: ParamError) -> Self {
        match e {
            ParamError::NotFound(m) => AdminError::NotFound(m),
            ParamError::Bad { message, .. } => AdminError::BadRequest(message),
        }
    }
}

impl From<PageError> for AdminError {
    fn from(e: PageError) -> Self {
        match e {
            PageError::NotFound => AdminError::NotFound("there is no such page".to_owned()),
            PageError::Missing(m) | PageError::Gone(m) => AdminError::NotFound(m),
            PageError::BadRequest(m) | PageError::MethodNotAllowed(m) => AdminError::BadRequest(m),
            PageError::Forbidden(m) => AdminError::Forbidden(m),
            PageError::TooLarge(m) => AdminError::TooLarge(m),
            PageError::RequestTimeout(m) => AdminError::RequestTimeout(m),
            PageError::TooManyRequests { message, retry_after } => {
                AdminError::TooManyRequests { message, retry_after }
            }
            PageError::Unavailable { message, .. } => AdminError::Unavailable(message),
            PageError::Internal(m) => AdminError::Internal(m),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/error.html")]
struct ErrorPage {
    page: AdminLayout,
    heading: &'static str,
    text: String,
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        let (status, heading, text, retry_after) = match self {
            AdminError::Login { next } => {
                let to = format!("/admin/login?next={}", super::banner::encode(&next));
                return Redirect::to(&to).into_response();
            }
            AdminError::Redirect(to) => return Redirect::to(&to).into_response(),
            AdminError::BadRequest(m) => (StatusCode::BAD_REQUEST, "Bad request", m, None),
            AdminError::Forbidden(m) => (StatusCode::FORBIDDEN, "Not allowed", m, None),
            AdminError::NotFound(m) => (StatusCode::NOT_FOUND, "Not found", m, None),
            AdminError::TooManyRequests { message, retry_after } => {
                (StatusCode::TOO_MANY_REQUESTS, "Too many requests", message, Some(retry_after))
            }
            AdminError::TooLarge(m) => (StatusCode::PAYLOAD_TOO_LARGE, "Too large", m, None),
            AdminError::RequestTimeout(m) => (StatusCode::REQUEST_TIMEOUT, "Too slow", m, None),
            AdminError::Unavailable(m) => {
                (StatusCode::SERVICE_UNAVAILABLE, "Try again", m, Some(RETRY_AFTER_SECONDS))
            }
            AdminError::Internal(detail) => {
                tracing::error!(%detail, "internal error in the editors' area");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Something went wrong",
                    "The server failed on this request; it is logged. Nothing you sent is lost from the form if you go back."
                        .to_owned(),
                    None,
                )
            }
        };
        let page = AdminLayout {
            title: heading.to_owned(),
            site_name: String::new(),
            section: "",
            staff: None,
            stylesheet: &super::asset_files::STYLESHEET.url,
            admin_stylesheet: &super::asset_files::ADMIN_STYLESHEET.url,
            favicon: super::asset_files::favicon_svg(),
            admin_script: None,
            nonce: super::slots::NONCE_SLOT.as_str(),
        };
        let mut response = match (ErrorPage { page, heading, text: text.clone() }).render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "admin error page failed to render");
                (status, text).into_response()
            }
        };
        if let Some(seconds) = retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// The fields of an admin form body, read within the site's body limits (408, 413).
#[derive(Debug, Default)]
pub struct Fields(HashMap<String, String>);

impl Fields {
    /// A field's value; `""` when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }

    /// Every field sent.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Parses a form body (`application/x-www-form-urlencoded`); a field sent twice keeps
    /// its last value.
    pub fn parse(body: &[u8]) -> Self {
        Self(form_urlencoded::parse(body).into_owned().collect())
    }

    /// [`Fields::parse`], refusing a NUL character (U+0000) in a name or value: no field
    /// takes one, and `PostgreSQL` cannot store one in text (a 400 that names it, not a
    /// database error).
    pub fn parse_text(body: &[u8]) -> Result<Self, AdminError> {
        let fields = Self::parse(body);
        let with_nul = fields
            .pairs()
            .find(|(k, v)| k.contains('\0') || v.contains('\0'))
            .map(|(k, _)| k.replace('\0', "\\0"));
        match with_nul {
            Some(name) => Err(AdminError::BadRequest(format!(
                "the field `{name}` holds a NUL character (U+0000), which no field takes"
            ))),
            None => Ok(fields),
        }
    }
}

/// A message of the site's lower-case style as a sentence on its own: `the form…` →
/// `The form….`
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}

/// The first value of query parameter `name`, if sent.
pub fn query_param(uri: &axum::http::Uri, name: &str) -> Option<String> {
    form_urlencoded::parse(uri.query()?.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// Reads an admin form's body.
pub async fn read_fields(state: &AppState, body: Body) -> Result<Fields, AdminError> {
    let bytes = super::limits::read_form(body, &state.limits).await?;
    Fields::parse_text(&bytes)
}

/// Reads a record form's body (`Limits::editor_form_body`: a whole answer); only for
/// handlers that take a [`Staff`], so the size is offered to logged-in staff alone.
pub async fn read_record_fields(state: &AppState, body: Body) -> Result<Fields, AdminError> {
    let limits = &state.limits;
    let bytes = super::limits::read_form_up_to(body, limits, limits.editor_form_body).await?;
    Fields::parse_text(&bytes)
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct Dashboard {
    page: AdminLayout,
}

/// `GET /admin/`: where the area's work starts.
async fn dashboard(
    axum::extract::State(state): axum::extract::State<AppState>,
    staff: Staff,
) -> Result<Response, AdminError> {
    page(&Dashboard { page: AdminLayout::new(&state, "Dashboard", "dashboard", Some(&staff)) })
}
