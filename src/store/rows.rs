//! What both stores write and read the same way: the JSON of a record, the columns each
//! record is read from, and the record made from a row of them — one home for both
//! databases, so `SQLite` and `PostgreSQL` cannot drift apart in what they return. Only the
//! SQL differs between `sqlite.rs` and `postgres.rs` (placeholders, locks).

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row as _;

use super::{
    ContentFile, Draft, DraftState, Handled, LeadFilter, LeadSubject, NotificationState, NotificationStatus,
    Origin, RevisionInfo, StoreError, timestamp,
};
use crate::domain::Slug;
use crate::domain::Vocabulary;
use crate::domain::account::{AuditEntry, Role, Session, User};
use crate::domain::consent::{Action, Channel, ConsentRecord};
use crate::domain::lead::{Lead, LeadSession};

/// A row of either database, read by column name.
pub(super) trait Columns {
    fn text(&self, column: &str) -> Result<String, StoreError>;
    fn maybe_text(&self, column: &str) -> Result<Option<String>, StoreError>;
    fn int(&self, column: &str) -> Result<i64, StoreError>;
    fn maybe_int(&self, column: &str) -> Result<Option<i64>, StoreError>;
    fn flag(&self, column: &str) -> Result<bool, StoreError>;
}

macro_rules! columns_of {
    ($row:ty) => {
        impl Columns for $row {
            fn text(&self, column: &str) -> Result<String, StoreError> {
                Ok(self.try_get(column)?)
            }
            fn maybe_text(&self, column: &str) -> Result<Option<String>, StoreError> {
                Ok(self.try_get(column)?)
            }
            fn int(&self, column: &str) -> Result<i64, StoreError> {
                Ok(self.try_get(column)?)
            }
            fn maybe_int(&self, column: &str) -> Result<Option<i64>, StoreError> {
                Ok(self.try_get(column)?)
            }
            fn flag(&self, column: &str) -> Result<bool, StoreError> {
                Ok(self.try_get(column)?)
            }
        }
    };
}

columns_of!(sqlx::sqlite::SqliteRow);
columns_of!(sqlx::postgres::PgRow);

pub(super) fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    Ok(serde_json::to_string(v)?)
}

/// The records kept whole as JSON in the rows' `data` column.
pub(super) fn data<T: serde::de::DeserializeOwned>(rows: &[impl Columns]) -> Result<Vec<T>, StoreError> {
    rows.iter().map(|r| Ok(serde_json::from_str(&r.text("data")?)?)).collect()
}

/// The tables an import replaces, those that refer to others first.
pub(super) const CATALOG_TABLES: &[&str] =
    &["pages", "answers", "courses", "certifications", "experts", "topics", "responsibilities", "site"];

pub(super) fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(serde::de::Error::custom(format!("bad {what}")))
}

pub(super) fn parse_time(text: &str, what: &str) -> Result<DateTime<Utc>, StoreError> {
    Ok(DateTime::parse_from_rfc3339(text).map_err(|_| corrupt(what))?.with_timezone(&Utc))
}

fn time(row: &impl Columns, column: &str, what: &str) -> Result<DateTime<Utc>, StoreError> {
    parse_time(&row.text(column)?, what)
}

fn maybe_time(row: &impl Columns, column: &str, what: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
    row.maybe_text(column)?.map(|t| parse_time(&t, what)).transpose()
}

pub(super) fn day_start(day: NaiveDate) -> Option<DateTime<Utc>> {
    Some(day.and_hms_opt(0, 0, 0)?.and_utc())
}

/// The columns of `consent_records` [`consent_record_from_row`] reads.
pub(super) const CONSENT_COLUMNS: &str = "record_id, consent_id, recorded_at, policy_version, notice_hash, \
     locale, action, choices, channel, javascript, gpc";

pub(super) fn consent_record_from_row(row: &impl Columns) -> Result<ConsentRecord, StoreError> {
    let corrupt = |what: &str| corrupt(&format!("{what} in consent_records"));
    Ok(ConsentRecord {
        record_id: row.text("record_id")?,
        consent_id: row.text("consent_id")?,
        recorded_at: time(row, "recorded_at", "recorded_at in consent_records")?,
        policy_version: row.text("policy_version")?,
        notice_hash: row.text("notice_hash")?,
        locale: row.text("locale")?,
        action: Action::parse(&row.text("action")?).ok_or_else(|| corrupt("action"))?,
        choices: serde_json::from_str(&row.text("choices")?)?,
        channel: Channel::parse(&row.text("channel")?).ok_or_else(|| corrupt("channel"))?,
        javascript: row.flag("javascript")?,
        gpc: row.flag("gpc")?,
    })
}

/// The columns [`revision_info_from_row`] reads.
pub(super) const REVISION_COLUMNS: &str =
    "id, path, author, origin, message, created_at, text IS NULL AS removed";

/// The columns [`draft_from_row`] reads.
pub(super) const DRAFT_COLUMNS: &str = "path, text, state, base_revision, author, updated_at, version";

pub(super) fn content_file_from_row(row: &impl Columns) -> Result<ContentFile, StoreError> {
    Ok(ContentFile {
        path: row.text("path")?,
        text: row.text("text")?,
        revision: row.int("revision")?,
        imported_revision: row.maybe_int("imported_revision")?,
    })
}

pub(super) fn revision_info_from_row(row: &impl Columns) -> Result<RevisionInfo, StoreError> {
    let origin = match row.text("origin")?.as_str() {
        "import" => Origin::Import,
        "web" => Origin::Web,
        _ => return Err(corrupt("revisions.origin")),
    };
    Ok(RevisionInfo {
        id: row.int("id")?,
        path: row.text("path")?,
        author: row.text("author")?,
        origin,
        message: row.text("message")?,
        created_at: time(row, "created_at", "revisions.created_at")?,
        removed: row.flag("removed")?,
    })
}

pub(super) fn draft_from_row(row: &impl Columns) -> Result<Draft, StoreError> {
    let state = match row.text("state")?.as_str() {
        "draft" => DraftState::Draft,
        "review" => DraftState::Review,
        _ => return Err(corrupt("drafts.state")),
    };
    Ok(Draft {
        path: row.text("path")?,
        text: row.text("text")?,
        state,
        base_revision: row.maybe_int("base_revision")?,
        author: row.text("author")?,
        updated_at: time(row, "updated_at", "drafts.updated_at")?,
        version: row.int("version")?,
    })
}

/// The columns [`lead_from_row`] reads.
pub(super) const LEAD_COLUMNS: &str = "lead_id, received_at, locale, course, course_title, session_id, \
     session_starts_on, session_location, name, email, company, message, consent_text";

pub(super) fn lead_from_row(row: &impl Columns) -> Result<Lead, StoreError> {
    Ok(Lead {
        id: row.text("lead_id")?,
        received_at: time(row, "received_at", "leads.received_at")?,
        locale: row.text("locale")?,
        course: Slug::parse(&row.text("course")?).map_err(|_| corrupt("leads.course"))?,
        course_title: row.text("course_title")?,
        session: session_from_lead_row(row)?,
        name: row.text("name")?,
        email: row.text("email")?,
        company: row.maybe_text("company")?,
        message: row.maybe_text("message")?,
        consent_text: row.text("consent_text")?,
    })
}

/// A lead's session from a row with `session_id`, `session_starts_on`, `session_location`.
fn session_from_lead_row(row: &impl Columns) -> Result<Option<LeadSession>, StoreError> {
    let Some(id) = row.maybe_text("session_id")? else { return Ok(None) };
    Ok(Some(LeadSession {
        id,
        starts_on: row
            .maybe_text("session_starts_on")?
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| corrupt("leads.session_starts_on"))?,
        location: row.maybe_text("session_location")?.ok_or_else(|| corrupt("leads.session_location"))?,
    }))
}

/// Who handled a lead, from a row with `handled_at` and `handled_by`.
pub(super) fn handled_from_row(row: &impl Columns) -> Result<Option<Handled>, StoreError> {
    let Some(at) = maybe_time(row, "handled_at", "leads.handled_at")? else { return Ok(None) };
    Ok(Some(Handled { at, by: row.maybe_text("handled_by")?.ok_or_else(|| corrupt("leads.handled_by"))? }))
}

/// A course, or a session of it, from a row with `course`, `course_title` and the session's
/// columns.
pub(super) fn lead_subject_from_row(row: &impl Columns) -> Result<LeadSubject, StoreError> {
    Ok(LeadSubject {
        course: Slug::parse(&row.text("course")?).map_err(|_| corrupt("leads.course"))?,
        course_title: row.text("course_title")?,
        session: session_from_lead_row(row)?,
    })
}

/// The columns of `lead_outbox` [`notification_from_row`] reads.
pub(super) const NOTIFICATION_COLUMNS: &str = "status, attempts, next_attempt_at, last_error, finished_at";

/// A notification's state from a row with [`NOTIFICATION_COLUMNS`]; `None` when `status`
/// is NULL (a lead without an outbox row, read through a left join).
pub(super) fn notification_from_row(row: &impl Columns) -> Result<Option<NotificationState>, StoreError> {
    let Some(status) = row.maybe_text("status")? else { return Ok(None) };
    Ok(Some(NotificationState {
        status: NotificationStatus::parse(&status).ok_or_else(|| corrupt("status in lead_outbox"))?,
        attempts: u32::try_from(row.int("attempts")?).unwrap_or(u32::MAX),
        next_attempt_at: time(row, "next_attempt_at", "lead_outbox.next_attempt_at")?,
        last_error: row.maybe_text("last_error")?,
        finished_at: maybe_time(row, "finished_at", "lead_outbox.finished_at")?,
    }))
}

/// The columns [`user_from_row`] reads.
pub(super) const USER_COLUMNS: &str =
    "id, email, role, password_hash, must_change_password, disabled_at, created_at";

/// An account from a row with [`USER_COLUMNS`], each named with `prefix` in front.
pub(super) fn user_from_row(row: &impl Columns, prefix: &str) -> Result<User, StoreError> {
    let col = |name: &str| format!("{prefix}{name}");
    Ok(User {
        id: row.int(&col("id"))?,
        email: row.text(&col("email"))?,
        role: Role::parse(&row.text(&col("role"))?).ok_or_else(|| corrupt("users.role"))?,
        password_hash: row.text(&col("password_hash"))?,
        must_change_password: row.flag(&col("must_change_password"))?,
        disabled_at: maybe_time(row, &col("disabled_at"), "users.disabled_at")?,
        created_at: time(row, &col("created_at"), "users.created_at")?,
    })
}

pub(super) fn session_from_row(row: &impl Columns) -> Result<Session, StoreError> {
    Ok(Session {
        id: row.text("id")?,
        user_id: row.int("user_id")?,
        created_at: time(row, "created_at", "sessions.created_at")?,
        last_seen_at: time(row, "last_seen_at", "sessions.last_seen_at")?,
    })
}

/// The `WHERE` clause of a [`LeadFilter`], over `leads` as `l`.
pub(super) fn push_lead_filter<'a, DB: sqlx::Database>(q: &mut sqlx::QueryBuilder<'a, DB>, f: &LeadFilter)
where
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    q.push(" WHERE 1 = 1");
    if let Some(course) = &f.course {
        q.push(" AND l.course = ").push_bind(course.as_str().to_owned());
    }
    if let Some(session) = &f.session {
        q.push(" AND l.session_id = ").push_bind(session.as_str().to_owned());
    }
    // Stored times are four-digit years: a bound outside them is no bound (chrono writes
    // year 10000 as `+10000`, which would sort before every stored time).
    let in_range = |t: &DateTime<Utc>| (0..=9999).contains(&chrono::Datelike::year(t));
    if let Some(start) = f.from.and_then(day_start).filter(in_range) {
        q.push(" AND l.received_at >= ").push_bind(timestamp(start));
    }
    if let Some(end) = f.to.and_then(|d| d.succ_opt()).and_then(day_start).filter(in_range) {
        q.push(" AND l.received_at < ").push_bind(timestamp(end));
    }
    match f.handled {
        Some(true) => {
            q.push(" AND l.handled_at IS NOT NULL");
        }
        Some(false) => {
            q.push(" AND l.handled_at IS NULL");
        }
        None => {}
    }
}

pub(super) fn audit_entry_from_row(row: &impl Columns) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        seq: row.int("seq")?,
        at: time(row, "at", "audit_log.at")?,
        actor: row.text("actor")?,
        action: row.text("action")?,
        target: row.text("target")?,
        detail: row.text("detail")?,
    })
}
