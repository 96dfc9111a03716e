//! `/admin/leads`: the course inquiries for staff — listed newest first, filtered, marked
//! handled, downloaded as CSV, with where each one's webhook notification stands.
//!
//! - **Filters** (`?course=&session=&from=&to=&handled=`, a GET form that works without
//!   JavaScript): a course's slug, a session's id (unique within its course; without a
//!   course, that id in any course), the days received (UTC, both included) and
//!   `handled=yes|no`. A value that is not well formed, or `to` before `from`, is a 400 page
//!   that names the parameter; a well-formed course or session nobody asked about simply
//!   selects nothing. Paging is the site's rule (`domain::paging`, `?page=`).
//! - **Handled**: `POST /admin/leads/handled` (`lead`, `handled` = `yes`|`no`, `token`):
//!   any role. A lead keeps who marked it handled first and when; audit `lead.handled`.
//! - **Retry**: `POST /admin/leads/retry` (`lead`, `token`): a failed or waiting
//!   notification is due again at once (attempts kept); publishers and admins, and only
//!   while a webhook is configured (otherwise nothing would send it); audit `lead.retry`.
//!   A notification retried after its 24-hour window gets one attempt (`outbox::Backoff`):
//!   failing again, it is failed again with the new error.
//! - Both forms send `return`, the list they came from; only a path of this list is
//!   followed (`back_to`), with its page kept within the list's new length.
//! - **CSV**: `GET /admin/leads.csv?…the same filters…`, every lead they select
//!   (`export::write_staff_leads`: formula cells neutralised), as an attachment.
//!
//! The audit log names a lead by its id only: the log is append-only, and a person's
//! erasure (`certwise leads erase`) must not leave their name or address behind in it.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDate, Utc};

use super::staff::Staff;
use super::{AdminError, AdminLayout, page, query_param, read_fields};
use crate::domain::Slug;
use crate::domain::account::{AuditEvent, Role};
use crate::domain::paging::{HTML_PAGE_SIZE, Page, PageNumber};
use crate::store::{
    HandledChange, LeadFilter, LeadNotification, NotificationState, NotificationStatus, RetryOutcome,
    StaffLead,
};
use crate::web::AppState;
use crate::web::extract;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/leads", get(list))
        .route("/admin/leads.csv", get(download))
        .route("/admin/leads/handled", post(mark_handled))
        .route("/admin/leads/retry", post(retry))
}

/// The list's address.
const LIST: &str = "/admin/leads";

/// A message longer than this (in characters), or of several lines, is shown shortened,
/// with the whole text one click away.
const MESSAGE_PREVIEW_CHARS: usize = 80;

/// The list's filters as sent (trimmed; empty = not filtered) and what they select.
#[derive(Debug, Default)]
struct Filters {
    course: String,
    session: String,
    from: String,
    to: String,
    handled: String,
    filter: LeadFilter,
}

impl Filters {
    /// Reads `?course=&session=&from=&to=&handled=`; a bad value is a 400 naming it.
    fn parse(uri: &Uri) -> Result<Self, AdminError> {
        let param = |name| query_param(uri, name).map(|v| v.trim().to_owned()).unwrap_or_default();
        let (course, session, from, to, handled) =
            (param("course"), param("session"), param("from"), param("to"), param("handled"));
        let slug = |name: &str, value: &str, what: &str| {
            (!value.is_empty())
                .then(|| {
                    Slug::parse(value).map_err(|_| {
                        AdminError::BadRequest(format!(
                            "`{name}` must be {what} (lower-case letters, digits and single hyphens), not `{value}`."
                        ))
                    })
                })
                .transpose()
        };
        let day = |name: &str, value: &str| {
            (!value.is_empty())
                .then(|| {
                    parse_day(value).ok_or_else(|| {
                        AdminError::BadRequest(format!(
                            "`{name}` must be a day written YYYY-MM-DD, like 2026-11-26, not `{value}`."
                        ))
                    })
                })
                .transpose()
        };
        let filter = LeadFilter {
            course: slug("course", &course, "a course's identifier")?,
            session: slug("session", &session, "a session's identifier")?,
            from: day("from", &from)?,
            to: day("to", &to)?,
            handled: match handled.as_str() {
                "" => None,
                "yes" => Some(true),
                "no" => Some(false),
                other => {
                    return Err(AdminError::BadRequest(format!(
                        "`handled` must be `yes`, `no` or empty (either), not `{other}`."
                    )));
                }
            },
        };
        if let (Some(from), Some(to)) = (filter.from, filter.to) {
            if to < from {
                return Err(AdminError::BadRequest(format!(
                    "`to` ({to}) is before `from` ({from}): no day is in that range."
                )));
            }
        }
        Ok(Self { course, session, from, to, handled, filter })
    }

    /// Whether any filter is set.
    fn any(&self) -> bool {
        self.filter != LeadFilter::default()
    }

    /// The query string of the filters set (`course=…&handled=no`), with `page` when given.
    fn query(&self, page: Option<usize>) -> String {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("course", &self.course),
            ("session", &self.session),
            ("from", &self.from),
            ("to", &self.to),
            ("handled", &self.handled),
        ] {
            if !value.is_empty() {
                q.append_pair(name, value);
            }
        }
        if let Some(n) = page {
            q.append_pair("page", &n.to_string());
        }
        q.finish()
    }

    /// `path` with these filters (and `page`) as its query.
    fn url(&self, path: &str, page: Option<usize>) -> String {
        let q = self.query(page);
        if q.is_empty() { path.to_owned() } else { format!("{path}?{q}") }
    }
}

/// `YYYY-MM-DD`, exactly (what `<input type="date">` sends).
fn parse_day(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    shape.then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()).flatten()
}

/// "1 attempt", "3 attempts".
fn attempts(n: u32) -> String {
    if n == 1 { "1 attempt".to_owned() } else { format!("{n} attempts") }
}

/// A time as the list shows it.
fn when(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// One choice of a filter's `<select>`.
#[derive(Debug)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// A course's sessions in the session filter.
#[derive(Debug)]
struct SessionGroup {
    course: String,
    sessions: Vec<Choice>,
}

/// A lead's message: whole when short, otherwise its beginning with the whole text.
#[derive(Debug)]
struct Message {
    /// The beginning, when the message is shortened.
    short: Option<String>,
    full: String,
}

impl Message {
    fn new(text: &str) -> Self {
        let first_line = text.lines().next().unwrap_or_default();
        let shortened =
            first_line.chars().count() > MESSAGE_PREVIEW_CHARS || first_line.len() < text.trim_end().len();
        let short = shortened.then(|| {
            let mut short: String = first_line.chars().take(MESSAGE_PREVIEW_CHARS).collect();
            // Cut at a word when there is one to cut at.
            if first_line.chars().count() > MESSAGE_PREVIEW_CHARS {
                if let Some(space) =
                    short.rfind(char::is_whitespace).filter(|i| *i > MESSAGE_PREVIEW_CHARS / 2)
                {
                    short.truncate(space);
                }
            }
            format!("{}…", short.trim_end())
        });
        Self { short, full: text.to_owned() }
    }
}

/// Where a lead's notification stands, worded.
#[derive(Debug)]
struct NotificationView {
    /// `pending`, `delivered`, `failed` or `none`: the badge's class.
    status: &'static str,
    /// The badge's word.
    label: &'static str,
    /// What happened, before its time: "31 attempts; given up".
    text: String,
    /// When (kept on one line).
    at: Option<String>,
    last_error: Option<String>,
    /// Whether sending it again makes sense (failed, or waiting after a failure).
    retryable: bool,
}

impl NotificationView {
    fn new(state: Option<&NotificationState>) -> Self {
        let Some(n) = state else {
            return Self {
                status: "none",
                label: "None",
                text: "No notification was queued.".to_owned(),
                at: None,
                last_error: None,
                retryable: false,
            };
        };
        let finished = n.finished_at.map(when).unwrap_or_default();
        let (label, text, at, retryable) = match n.status {
            NotificationStatus::Pending if n.attempts == 0 => {
                ("Pending", "First try".to_owned(), when(n.next_attempt_at), false)
            }
            NotificationStatus::Pending => (
                "Pending",
                format!("{} so far; next try", attempts(n.attempts)),
                when(n.next_attempt_at),
                true,
            ),
            NotificationStatus::Delivered => {
                ("Sent", format!("{}; sent", attempts(n.attempts)), finished, false)
            }
            NotificationStatus::Failed => {
                ("Failed", format!("{}; given up", attempts(n.attempts)), finished, true)
            }
        };
        Self {
            status: n.status.as_str(),
            label,
            text,
            at: Some(at),
            last_error: n.last_error.clone(),
            retryable,
        }
    }
}

/// Who marked a lead handled, and when.
#[derive(Debug)]
struct HandledView {
    by: String,
    at: String,
}

/// One lead as the list shows it.
#[derive(Debug)]
struct LeadRow {
    id: String,
    received: String,
    received_day: String,
    received_time: String,
    locale: String,
    course_title: String,
    /// The session asked about: "2027-01-18, Zürich".
    session: Option<String>,
    name: String,
    email: String,
    company: Option<String>,
    message: Option<Message>,
    handled: Option<HandledView>,
    notification: NotificationView,
}

impl From<StaffLead> for LeadRow {
    fn from(s: StaffLead) -> Self {
        let lead = s.lead;
        Self {
            received: when(lead.received_at),
            received_day: lead.received_at.format("%Y-%m-%d").to_string(),
            received_time: lead.received_at.format("%H:%M UTC").to_string(),
            session: lead.session.as_ref().map(|x| format!("{}, {}", x.starts_on, x.location)),
            message: lead.message.as_deref().filter(|m| !m.trim().is_empty()).map(Message::new),
            handled: s.handled.map(|h| HandledView { by: h.by, at: when(h.at) }),
            notification: NotificationView::new(s.notification.as_ref()),
            id: lead.id,
            locale: lead.locale,
            course_title: lead.course_title,
            name: lead.name,
            email: lead.email,
            company: lead.company.filter(|c| !c.trim().is_empty()),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/leads.html")]
struct LeadsPage {
    page: AdminLayout,
    filters: Filters,
    courses: Vec<Choice>,
    sessions: Vec<SessionGroup>,
    rows: Vec<LeadRow>,
    paging: Page,
    previous: Option<String>,
    next: Option<String>,
    csv_url: String,
    /// This list's address, where the row forms come back to.
    return_to: String,
    token: String,
    /// Whether this member of staff may send a notification again.
    can_retry: bool,
    /// Whether a webhook is configured.
    webhook: bool,
    /// What the last form did, for the notice.
    done: Option<&'static str>,
}

/// `GET /admin/leads` (every role).
async fn list(State(state): State<AppState>, staff: Staff, uri: Uri) -> Result<Response, AdminError> {
    let filters = Filters::parse(&uri)?;
    let total = state.store.count_leads(&filters.filter).await?;
    let paging = extract::page(query_param(&uri, "page").as_deref(), total, HTML_PAGE_SIZE)?;
    let rows = state.store.staff_leads(&filters.filter, paging.items.start, paging.items.len()).await?;
    let (courses, sessions) = choices(&state, &filters).await?;
    let done = match query_param(&uri, "done").as_deref() {
        Some("handled") => Some("The lead is marked handled."),
        Some("unhandled") => Some("The lead is marked not handled."),
        Some("retry") => Some("The notification is due again: it is sent within a few seconds."),
        _ => None,
    };
    let webhook = state.lead_notification == LeadNotification::Webhook;
    page(&LeadsPage {
        page: AdminLayout::new(&state, "Leads", "leads", Some(&staff)),
        courses,
        sessions,
        rows: rows.into_iter().map(LeadRow::from).collect(),
        previous: paging.previous().map(|n| filters.url(LIST, Some(n))),
        next: paging.next().map(|n| filters.url(LIST, Some(n))),
        csv_url: filters.url("/admin/leads.csv", None),
        return_to: filters.url(LIST, (paging.number > 1).then_some(paging.number)),
        token: staff.form_token.clone(),
        can_retry: staff.role.can_publish() && webhook,
        webhook,
        done,
        paging,
        filters,
    })
}

/// The course filter's choices (the catalog's courses and any other course leads name, by
/// title) and the session filter's (the sessions leads name: the chosen course's, or every
/// course's by course).
async fn choices(
    state: &AppState,
    filters: &Filters,
) -> Result<(Vec<Choice>, Vec<SessionGroup>), AdminError> {
    let subjects = state.store.lead_subjects().await?;
    let snapshot = state.published.current();
    let mut titles: BTreeMap<String, String> =
        subjects.iter().map(|s| (s.course.as_str().to_owned(), s.course_title.clone())).collect();
    for course in snapshot.catalog.courses.values() {
        titles.insert(course.slug.as_str().to_owned(), course.title.clone());
    }
    let mut courses: Vec<Choice> = titles
        .iter()
        .map(|(slug, title)| Choice {
            selected: *slug == filters.course,
            value: slug.clone(),
            label: title.clone(),
        })
        .collect();
    courses.sort_by(|a, b| a.label.cmp(&b.label).then_with(|| a.value.cmp(&b.value)));

    let mut groups: BTreeMap<(String, String), Vec<Choice>> = BTreeMap::new();
    let mut selected = false;
    for subject in &subjects {
        let Some(session) = &subject.session else { continue };
        if !filters.course.is_empty() && subject.course.as_str() != filters.course {
            continue;
        }
        let title = titles.get(subject.course.as_str()).cloned().unwrap_or_default();
        // The same id in two courses: one option is marked chosen.
        let this = !selected && session.id == filters.session;
        selected |= this;
        groups.entry((title, subject.course.as_str().to_owned())).or_default().push(Choice {
            value: session.id.clone(),
            label: format!("{}, {}", session.starts_on, session.location),
            selected: this,
        });
    }
    let sessions =
        groups.into_iter().map(|((course, _), sessions)| SessionGroup { course, sessions }).collect();
    Ok((courses, sessions))
}

/// `GET /admin/leads.csv?…` (every role): the leads the filters select, newest first.
async fn download(State(state): State<AppState>, _staff: Staff, uri: Uri) -> Result<Response, AdminError> {
    let filters = Filters::parse(&uri)?;
    let leads = state.store.staff_leads(&filters.filter, 0, usize::MAX).await?;
    let mut csv = Vec::new();
    crate::export::write_staff_leads(&leads, &mut csv).map_err(|e| AdminError::Internal(e.to_string()))?;
    let filename = format!("attachment; filename=\"leads-{}.csv\"", state.clock.today());
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&filename).map_err(|e| AdminError::Internal(e.to_string()))?,
            ),
        ],
        csv,
    )
        .into_response())
}

/// The lead a form names (`lead`).
fn lead_id(fields: &super::Fields) -> Result<String, AdminError> {
    let id = fields.get("lead").trim();
    if id.is_empty() {
        return Err(AdminError::BadRequest("The form does not say which lead (`lead` is empty).".into()));
    }
    Ok(id.to_owned())
}

/// Where a row form goes back to: the list it came from (`return`, only a path of this
/// list; anything else is the list unfiltered), its page kept within the list's length
/// now, and `done` for the notice.
async fn back_to(state: &AppState, fields: &super::Fields, done: &str) -> Result<Response, AdminError> {
    let query = match fields.get("return").strip_prefix(LIST) {
        Some("") => Some(""),
        Some(rest) => rest.strip_prefix('?'),
        None => None,
    };
    let uri: Option<Uri> = query.and_then(|q| format!("{LIST}?{q}").parse().ok());
    let filters = uri.as_ref().and_then(|u| Filters::parse(u).ok()).unwrap_or_default();
    let page = uri.as_ref().and_then(|u| PageNumber::parse(query_param(u, "page").as_deref()).ok());
    let page = match page.map(PageNumber::get) {
        Some(n) if n > 1 => {
            let total = state.store.count_leads(&filters.filter).await?;
            Some(n.min(total.div_ceil(HTML_PAGE_SIZE).max(1))).filter(|n| *n > 1)
        }
        _ => None,
    };
    let mut to = filters.url(LIST, page);
    to.push(if to.contains('?') { '&' } else { '?' });
    to.push_str("done=");
    to.push_str(done);
    Ok(Redirect::to(&to).into_response())
}

/// `POST /admin/leads/handled` (`lead`, `handled` = `yes`|`no`, `return`, `token`): every role.
async fn mark_handled(
    State(state): State<AppState>,
    staff: Staff,
    body: Body,
) -> Result<Response, AdminError> {
    let fields = read_fields(&state, body).await?;
    staff.check_form(fields.get("token"))?;
    let lead = lead_id(&fields)?;
    let handled = match fields.get("handled") {
        "yes" => true,
        "no" => false,
        other => {
            return Err(AdminError::BadRequest(format!("`handled` must be `yes` or `no`, not `{other}`.")));
        }
    };
    let detail = if handled { "handled" } else { "not handled" };
    let audit = AuditEvent {
        at: state.time.now(),
        actor: &staff.email,
        action: "lead.handled",
        target: &lead,
        detail,
    };
    match state.store.set_lead_handled(&lead, handled, &audit).await? {
        HandledChange::Changed | HandledChange::Unchanged => {
            back_to(&state, &fields, if handled { "handled" } else { "unhandled" }).await
        }
        HandledChange::NoSuchLead => Err(no_such_lead(&lead)),
    }
}

fn no_such_lead(id: &str) -> AdminError {
    AdminError::NotFound(format!(
        "There is no lead `{id}`: it may have been erased or passed its retention period."
    ))
}

/// `POST /admin/leads/retry` (`lead`, `return`, `token`): publishers and admins, with a
/// webhook configured.
async fn retry(State(state): State<AppState>, staff: Staff, body: Body) -> Result<Response, AdminError> {
    let fields = read_fields(&state, body).await?;
    staff.check_form(fields.get("token"))?;
    staff.require(Role::can_publish)?;
    if state.lead_notification != LeadNotification::Webhook {
        return Err(AdminError::BadRequest(
            "No webhook is configured (CERTWISE_LEAD_WEBHOOK_URL), so there is nothing to send the notification to."
                .into(),
        ));
    }
    let lead = lead_id(&fields)?;
    let before = state.store.notification_state(&lead).await?;
    let detail = match &before {
        Some(n) => format!("{} after {}: due again now", n.status.as_str(), attempts(n.attempts)),
        None => String::new(),
    };
    let audit = AuditEvent {
        at: state.time.now(),
        actor: &staff.email,
        action: "lead.retry",
        target: &lead,
        detail: &detail,
    };
    match state.store.retry_notification(&lead, &audit).await? {
        RetryOutcome::Due { .. } => back_to(&state, &fields, "retry").await,
        RetryOutcome::Delivered => Err(AdminError::BadRequest(
            "This lead's notification was already delivered; nothing was changed.".into(),
        )),
        RetryOutcome::NoNotification => Err(AdminError::BadRequest(format!(
            "Lead `{lead}` has no notification to send again: none was queued (no webhook was configured when it arrived), or the lead is gone."
        ))),
    }
}
