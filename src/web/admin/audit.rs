//! What administrators read: the audit log (newest first, paged by the site's paging
//! rule, `domain::paging`) and the list of accounts (read-only: accounts are changed with
//! `certwise user …`).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::Uri;
use axum::response::Response;
use axum::routing::get;

use super::staff::Staff;
use super::{AdminError, AdminLayout, page, query_param};
use crate::domain::Vocabulary;
use crate::domain::account::{AuditEntry, Role};
use crate::domain::paging::HTML_PAGE_SIZE;
use crate::web::AppState;
use crate::web::extract;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(audit_log)).route("/admin/users", get(users))
}

/// One entry as the page shows it.
#[derive(Debug)]
struct EntryRow {
    at: String,
    actor: String,
    action: String,
    target: String,
    detail: String,
}

impl From<AuditEntry> for EntryRow {
    fn from(e: AuditEntry) -> Self {
        Self {
            at: e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            actor: e.actor,
            action: e.action,
            target: e.target,
            detail: e.detail,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    page: AdminLayout,
    entries: Vec<EntryRow>,
    number: usize,
    pages: usize,
    total: usize,
    previous: Option<usize>,
    next: Option<usize>,
}

/// `GET /admin/audit?page=N` (admins).
async fn audit_log(State(state): State<AppState>, staff: Staff, uri: Uri) -> Result<Response, AdminError> {
    staff.require(Role::can_administer)?;
    let total = state.store.audit_count().await?;
    let raw = query_param(&uri, "page");
    let paged = extract::page(raw.as_deref(), total, HTML_PAGE_SIZE)?;
    let entries = state.store.audit_entries(paged.items.start, paged.items.len()).await?;
    page(&AuditPage {
        page: AdminLayout::new(&state, "Audit log", "audit", Some(&staff)),
        entries: entries.into_iter().map(EntryRow::from).collect(),
        number: paged.number,
        pages: paged.pages,
        total: paged.total,
        previous: paged.previous(),
        next: paged.next(),
    })
}

/// One account as the users page lists it.
#[derive(Debug)]
struct UserRow {
    email: String,
    role: &'static str,
    state: &'static str,
    created: String,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    page: AdminLayout,
    users: Vec<UserRow>,
}

/// `GET /admin/users` (admins).
async fn users(State(state): State<AppState>, staff: Staff) -> Result<Response, AdminError> {
    staff.require(Role::can_administer)?;
    let users = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u| UserRow {
            role: u.role.as_str(),
            state: u.state(),
            created: u.created_at.format("%Y-%m-%d").to_string(),
            email: u.email,
        })
        .collect();
    page(&UsersPage { page: AdminLayout::new(&state, "Users", "users", Some(&staff)), users })
}
