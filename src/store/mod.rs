//! Persistence behind one trait, one implementation per database.
//!
//! Callers hold an `Arc<dyn Store>` from [`open`], which the URL alone chooses: `SQLite`
//! (`sqlite://PATH`, one process) or `PostgreSQL` (`postgres://…`, several instances on
//! one database). Both keep the same semantics, checked by one conformance suite
//! (tests/store.rs). The published catalog is read once at start and after each import
//! into an in-memory snapshot (see `crate::snapshot`), so page views never wait on the
//! database.

mod in_use;
mod postgres;
mod rows;
mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::Catalog;
use crate::domain::Slug;
use crate::domain::account::{AuditEntry, AuditEvent, Role, Session, User};
use crate::domain::consent::ConsentRecord;
use crate::domain::lead::{Lead, LeadSession};
use crate::domain::staleness::FactChange;

pub use in_use::InUse;
pub use postgres::PgStore;
pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL `{}`: expected sqlite://PATH or postgres://USER@HOST/DATABASE", display_url(.0))]
    UnsupportedUrl(String),
    /// The database cannot take a write now (busy, full disk, read-only): nothing was
    /// written, and a request should be answered 503 with `Retry-After`, never 500.
    /// The database's message is part of this one, not a `source` (as for `Database`),
    /// so that a chain of causes (`{:#}`) does not print it twice.
    #[error("{why}: {error}")]
    Unavailable { why: Unavailable, error: sqlx::Error },
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored record is unreadable: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("cannot create the database directory: {0}")]
    Io(#[from] std::io::Error),
    /// The database's lock file (`store::InUse`) cannot be opened, or a restore holds it.
    #[error("{0}")]
    LockFile(std::io::Error),
    /// Files changed by someone else since the caller read them (their paths): nothing
    /// was written.
    #[error("changed meanwhile by someone else: {}", .0.join(", "))]
    Conflict(Vec<String>),
    /// Another import or publish landed after the caller read the content it checked:
    /// nothing was written.
    #[error("the content changed meanwhile (another import or publish)")]
    GenerationMoved,
}

/// Why the database cannot take a write for now: the reader did nothing wrong, and the
/// same request can succeed later (once the lock is gone, space freed, the disk writable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unavailable {
    /// Another writer held the lock past the busy timeout (10 s), no connection was free,
    /// or `PostgreSQL` ended the statement for a conflict or a restart (try again).
    Busy,
    /// No space left on the device.
    DiskFull,
    /// The database file or its file system is read-only.
    ReadOnly,
    /// Another I/O error of the disk.
    Io,
    /// The connection to the database server was refused or lost (a restart, a failover):
    /// the pool connects again by itself.
    Unreachable,
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Unavailable::Busy => "the database is busy",
            Unavailable::DiskFull => "the disk is full",
            Unavailable::ReadOnly => "the database is read-only",
            Unavailable::Io => "the disk failed a read or write",
            Unavailable::Unreachable => "the database cannot be reached",
        })
    }
}

impl Unavailable {
    /// Classifies a database error; `None` for errors that are not the database's state
    /// (a constraint, a bug, a closed pool).
    pub fn of(e: &sqlx::Error) -> Option<Self> {
        match e {
            sqlx::Error::PoolTimedOut => Some(Unavailable::Busy),
            sqlx::Error::Io(io) => Self::of_io(io),
            sqlx::Error::Database(db)
                if db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>().is_some() =>
            {
                // PostgreSQL's SQLSTATE.
                match db.code()?.as_ref() {
                    "53100" => Some(Unavailable::DiskFull), // disk_full
                    "25006" => Some(Unavailable::ReadOnly), // read_only_sql_transaction (a standby)
                    "58030" => Some(Unavailable::Io),       // io_error
                    // lock_not_available (the lock timeout), serialization_failure,
                    // deadlock_detected, admin_shutdown, cannot_connect_now (starting),
                    // too_many_connections
                    "55P03" | "40001" | "40P01" | "57P01" | "57P03" | "53300" => Some(Unavailable::Busy),
                    // crash_shutdown, and the connection_exception class
                    "57P02" => Some(Unavailable::Unreachable),
                    code if code.starts_with("08") => Some(Unavailable::Unreachable),
                    _ => None,
                }
            }
            sqlx::Error::Database(db) => {
                // SQLite's extended result code; the primary code is its low byte.
                db.try_downcast_ref::<sqlx::sqlite::SqliteError>()?;
                let code: i32 = db.code()?.parse().ok()?;
                match code & 0xff {
                    5 | 6 => Some(Unavailable::Busy),  // SQLITE_BUSY, SQLITE_LOCKED
                    13 => Some(Unavailable::DiskFull), // SQLITE_FULL
                    8 => Some(Unavailable::ReadOnly),  // SQLITE_READONLY
                    10 => Some(Unavailable::Io),       // SQLITE_IOERR
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn of_io(e: &std::io::Error) -> Option<Self> {
        match e.kind() {
            std::io::ErrorKind::StorageFull => Some(Unavailable::DiskFull),
            std::io::ErrorKind::ReadOnlyFilesystem => Some(Unavailable::ReadOnly),
            // A database server that restarted or went away under a connection.
            std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::NotConnected
            | std::io::ErrorKind::BrokenPipe
            | std::io::ErrorKind::UnexpectedEof
            | std::io::ErrorKind::TimedOut => Some(Unavailable::Unreachable),
            _ => None,
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(source: sqlx::Error) -> Self {
        match Unavailable::of(&source) {
            Some(why) => StoreError::Unavailable { why, error: source },
            None => StoreError::Database(source),
        }
    }
}

impl StoreError {
    /// Why the database cannot take a write for now, when that is the error: the web
    /// layer answers these 503 with `Retry-After`.
    pub fn unavailable(&self) -> Option<Unavailable> {
        match self {
            StoreError::Unavailable { why, .. } => Some(*why),
            StoreError::Io(e) => Unavailable::of_io(e),
            _ => None,
        }
    }
}

/// A connection pool's use (`Store::pool_use`, shown by `/metrics`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolUse {
    /// Connections open, idle or in use.
    pub size: u32,
    /// Connections open and idle.
    pub idle: u32,
    /// The most the pool opens.
    pub max: u32,
}

/// Whether storing a lead also queues its webhook notification (in the same transaction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LeadNotification {
    /// No webhook is configured: the lead is only stored.
    #[default]
    None,
    /// Queue a notification in the outbox; `outbox::Worker` delivers it.
    Webhook,
}

/// A queued webhook notification claimed for delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// The outbox row.
    pub id: i64,
    /// Attempts started, this one included (1 on the first delivery).
    pub attempts: u32,
    /// The lead to announce, as stored.
    pub lead: Lead,
}

/// Where a lead's notification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationStatus {
    Pending,
    Delivered,
    Failed,
}

impl NotificationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            NotificationStatus::Pending => "pending",
            NotificationStatus::Delivered => "delivered",
            NotificationStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Delivered, Self::Failed].into_iter().find(|v| v.as_str() == s)
    }
}

/// A lead's outbox row, for staff and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationState {
    pub status: NotificationStatus,
    pub attempts: u32,
    /// When a pending notification is next due.
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    /// When it was delivered or given up.
    pub finished_at: Option<DateTime<Utc>>,
}

/// Which leads staff ask for (`/admin/leads`): every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadFilter {
    /// About this course (its slug).
    pub course: Option<Slug>,
    /// About the session with this id. An id is unique within its course only: without
    /// `course`, the sessions of this id in every course.
    pub session: Option<Slug>,
    /// Received on this day (UTC) or later.
    pub from: Option<NaiveDate>,
    /// Received on this day (UTC) or earlier.
    pub to: Option<NaiveDate>,
    /// Only the handled leads (`Some(true)`) or only the others (`Some(false)`).
    pub handled: Option<bool>,
}

/// Who marked a lead handled, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handled {
    /// The member of staff's email, as the audit log names them.
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A lead as staff list it: with its handled state and where its notification stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffLead {
    pub lead: Lead,
    pub handled: Option<Handled>,
    /// `None` when no notification was queued (no webhook was configured when it arrived).
    pub notification: Option<NotificationState>,
}

/// A course, or a session of it, that leads were sent about: the filters' choices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeadSubject {
    pub course: Slug,
    /// The course's title in the newest lead about it.
    pub course_title: String,
    /// `None`: leads about the course without a session.
    pub session: Option<LeadSession>,
}

/// What marking a lead handled, or not handled again, did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandledChange {
    /// The lead's state changed (and the audit entry was written).
    Changed,
    /// The lead already was in that state: nothing written (a lead handled keeps who
    /// handled it first, and when).
    Unchanged,
    NoSuchLead,
}

/// What asking for a lead's notification to be sent again did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryOutcome {
    /// It is pending and due now; `was` its status before, `attempts` kept.
    Due { was: NotificationStatus, attempts: u32 },
    /// The receiver already accepted it: nothing changed.
    Delivered,
    /// The lead has no notification (none was queued, or there is no such lead).
    NoNotification,
}

/// A periodic job that runs on one instance at a time ([`Store::job_turn`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// The daily purges of consent records and leads past their retention.
    Purge,
    /// A round of the lead outbox: claim what is due, send it, record the outcomes.
    Outbox,
}

impl Job {
    /// Its key among `PostgreSQL`'s advisory locks: fixed numbers, `certwise` in the high
    /// bytes so they do not meet another application's on a shared server.
    pub fn lock_key(self) -> i64 {
        const BASE: i64 = 0x6365_7274_7769_0000; // "certwi"
        BASE + match self {
            Job::Purge => 1,
            Job::Outbox => 2,
        }
    }
}

/// This instance's turn at a periodic job ([`Store::job_turn`]): held while the job runs,
/// given back when dropped.
pub struct JobTurn(Option<Box<dyn std::any::Any + Send>>);

impl JobTurn {
    /// The turn where there is no other instance to leave the job to.
    pub fn alone() -> Self {
        Self(None)
    }

    /// A turn held by `lock` (whatever keeps it: a transaction, a connection) until dropped.
    pub fn held_by(lock: impl std::any::Any + Send) -> Self {
        Self(Some(Box::new(lock)))
    }
}

impl std::fmt::Debug for JobTurn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "JobTurn(held)" } else { "JobTurn(alone)" })
    }
}

/// What an import wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportSummary {
    pub certifications: usize,
    pub courses: usize,
    pub answers: usize,
    /// The content generation the import created.
    pub generation: i64,
}

/// Which content the database holds: a number that grows with every import, and the
/// hash of the checked content it imported (none for imports older than the hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    pub number: i64,
    pub content_hash: Option<String>,
}

/// The published catalog with the generation it belongs to, read as one.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    pub catalog: Catalog,
    pub generation: Generation,
    /// Every recorded fact change, oldest first.
    pub fact_changes: Vec<FactChange>,
}

/// Where a revision came from: the ownership rule tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `certwise import` or `serve --watch`: author `import`.
    Import,
    /// The editors' area.
    Web,
}

impl Origin {
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Import => "import",
            Origin::Web => "web",
        }
    }
}

/// A published content file (a record) with its revisions' ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentFile {
    pub path: String,
    pub text: String,
    pub revision: i64,
    /// The revision the last import wrote or found identical; `None` when never imported.
    pub imported_revision: Option<i64>,
}

impl ContentFile {
    /// Edited in the editors' area since its last import: an import must not overwrite it
    /// unless forced (PRODUCT.md, capability 9).
    pub fn edited_since_import(&self) -> bool {
        self.imported_revision != Some(self.revision)
    }
}

/// One revision of a file, without its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionInfo {
    pub id: i64,
    pub path: String,
    pub author: String,
    pub origin: Origin,
    pub message: String,
    pub created_at: DateTime<Utc>,
    /// Whether the file was removed by it.
    pub removed: bool,
}

/// One revision with its full text (`None`: the file was removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub info: RevisionInfo,
    pub text: Option<String>,
}

/// A file written (`text`) or removed (`None`) by a publish, with the revision it must
/// still have (`None`: it must not exist yet) — checked in the publish's transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: String,
    pub text: Option<String>,
    pub expected: Option<i64>,
}

/// A change of the published content: the files it writes and the whole checked catalog
/// they make, written in one transaction as a new content generation.
#[derive(Debug, Clone)]
pub struct Publish<'a> {
    pub catalog: &'a Catalog,
    pub content_hash: &'a str,
    pub author: &'a str,
    pub origin: Origin,
    pub message: &'a str,
    pub changes: Vec<FileChange>,
    /// Files an import found identical to the database's: their last import is now.
    pub confirmed: Vec<String>,
    /// The fact changes the publish makes.
    pub fact_changes: &'a [FactChange],
    /// The draft that is being published, with the version that was checked: removed in
    /// the same transaction, or [`StoreError::Conflict`] when it was saved again since.
    pub draft: Option<(&'a str, i64)>,
    /// The content generation the caller's check read the files at: refused with
    /// [`StoreError::GenerationMoved`] when another has landed since (`None`: an empty
    /// database, which must still be empty).
    pub base_generation: Option<i64>,
    /// The audit entry, written in the same transaction: the content and the record of who
    /// wrote it land together or not at all (a `kill -9` between two transactions left new
    /// content without its entry: scripts/kill-import.sh).
    pub audit: PublishAudit<'a>,
}

/// What a publish's audit entry says: `generation N: ` and the note, for an import after
/// the counts of what it holds (`generation 7: 28 certifications, 15 courses and 11
/// answers; kept as edited in the browser: …`).
#[derive(Debug, Clone, Copy)]
pub struct PublishAudit<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub target: &'a str,
    pub note: &'a str,
    /// Whether the counts of certifications, courses and answers come first.
    pub counts: bool,
}

impl PublishAudit<'_> {
    /// The entry's detail once the publish knows its generation and counts.
    #[must_use]
    pub fn detail(&self, summary: &ImportSummary) -> String {
        let generation = summary.generation;
        match (self.counts, self.note.is_empty()) {
            (true, true) => format!("generation {generation}: {summary}"),
            (true, false) => format!("generation {generation}: {summary}; {}", self.note),
            (false, _) => format!("generation {generation}: {}", self.note),
        }
    }
}

/// The state of a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftState {
    Draft,
    /// Submitted: waiting for a publisher.
    Review,
}

impl DraftState {
    pub fn as_str(self) -> &'static str {
        match self {
            DraftState::Draft => "draft",
            DraftState::Review => "review",
        }
    }
}

/// A draft in the editors' area.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub path: String,
    pub text: String,
    pub state: DraftState,
    /// The published revision it started from; `None` for a new file.
    pub base_revision: Option<i64>,
    pub author: String,
    pub updated_at: DateTime<Utc>,
    /// Grows with every save.
    pub version: i64,
}

impl std::fmt::Display for ImportSummary {
    /// `28 certifications, 15 courses and 11 answers`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n =
            |count: usize, one: &str, many: &str| format!("{count} {}", if count == 1 { one } else { many });
        write!(
            f,
            "{}, {} and {}",
            n(self.certifications, "certification", "certifications"),
            n(self.courses, "course", "courses"),
            n(self.answers, "answer", "answers")
        )
    }
}

#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    /// The published catalog and its generation, read from one consistent state; `None`
    /// when nothing was ever imported.
    async fn load(&self) -> Result<Option<Stored>, StoreError>;

    /// The current content generation, cheaply: servers poll it to learn of an import made
    /// by any process. `None` before the first import.
    async fn generation(&self) -> Result<Option<Generation>, StoreError>;

    /// Replaces the whole published catalog in one transaction, as a new generation with
    /// `content_hash`: afterwards the store holds exactly `catalog`, or, on any error,
    /// exactly what it held before.
    async fn replace_catalog(
        &self,
        catalog: &Catalog,
        content_hash: &str,
    ) -> Result<ImportSummary, StoreError>;

    /// Whether the database answers.
    async fn ping(&self) -> Result<(), StoreError>;

    /// The connection pool's use now, for the metrics gauges; `None` for a store that has
    /// none to report.
    fn pool_use(&self) -> Option<PoolUse>;

    /// What kind of database this is (`sqlite`, `postgresql`), for `/healthz?verbose`:
    /// never its URL, which may hold a password.
    fn kind(&self) -> &'static str;

    /// Wakes when the published content may have changed, by any process or instance on
    /// the database: the receiver sees a new value (followers then read the generation).
    /// `None` where the database cannot tell: followers only poll (`SQLite`).
    fn content_changes(&self) -> Option<tokio::sync::watch::Receiver<u64>>;

    /// This instance's turn at `job`, to hold while it runs: `None` while another process on
    /// the database holds it (skip this round). `SQLite` (one process) always gives it;
    /// `PostgreSQL` takes an advisory lock, given back when the turn is dropped or the
    /// instance dies.
    async fn job_turn(&self, job: Job) -> Result<Option<JobTurn>, StoreError>;

    /// A named secret of `len` random bytes, created on first use and the same ever after
    /// (also across instances sharing the database).
    async fn secret(&self, name: &str, len: usize) -> Result<Vec<u8>, StoreError>;

    /// Appends one proof-of-consent record, storing the notice text once by its hash.
    /// Returns only once the record is durable.
    async fn append_consent(&self, record: &ConsentRecord, notice_text: &str) -> Result<(), StoreError>;

    /// The records with `from <= recorded_at < to`, oldest first.
    async fn consent_records(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ConsentRecord>, StoreError>;

    /// The notice text stored under a hash.
    async fn consent_notice(&self, hash: &str) -> Result<Option<String>, StoreError>;

    /// Deletes records older than `before` (the retention period); returns how many.
    async fn purge_consent(&self, before: DateTime<Utc>) -> Result<u64, StoreError>;

    /// Stores one inquiry and, with [`LeadNotification::Webhook`], queues its notification
    /// in the same transaction (due at once). Returns only once both are durable; on an
    /// error neither was written ([`StoreError::unavailable`] tells the web layer to answer
    /// 503).
    async fn insert_lead(&self, lead: &Lead, notification: LeadNotification) -> Result<(), StoreError>;

    /// The leads received on days `from..=to` (UTC), oldest first.
    async fn leads_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Lead>, StoreError>;

    /// Deletes every lead sent with `email` (compared case-insensitively) and their
    /// notifications, overwriting the deleted content in the database file; returns how
    /// many leads.
    async fn erase_leads(&self, email: &str) -> Result<usize, StoreError>;

    /// Deletes leads received before `before` (the retention period) and their
    /// notifications; returns how many leads.
    async fn purge_leads(&self, before: DateTime<Utc>) -> Result<usize, StoreError>;

    /// Claims up to `limit` pending notifications due at `now`, oldest first: each counts
    /// an attempt and is not due again before `lease_until` (past the delivery's timeout),
    /// so a second worker does not send it meanwhile, and a worker that dies mid-delivery
    /// leaves it to be retried then. The caller then marks each delivered, retry or failed.
    async fn due_notifications(
        &self,
        now: DateTime<Utc>,
        limit: usize,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<Notification>, StoreError>;

    /// The receiver accepted notification `id`.
    async fn mark_delivered(&self, id: i64) -> Result<(), StoreError>;

    /// Notification `id` failed with `error`; it is due again at `next_at`.
    async fn mark_retry(&self, id: i64, next_at: DateTime<Utc>, error: &str) -> Result<(), StoreError>;

    /// Notification `id` is given up, with its last `error`.
    async fn mark_failed(&self, id: i64, error: &str) -> Result<(), StoreError>;

    /// Where the notification of lead `lead_id` stands; `None` when none was queued (or
    /// the lead is gone).
    async fn notification_state(&self, lead_id: &str) -> Result<Option<NotificationState>, StoreError>;

    // Content files, revisions and drafts (issue 12)

    /// Every published content file, by path.
    async fn content_files(&self) -> Result<Vec<ContentFile>, StoreError>;

    /// The paths of the published content files, in order (no texts).
    async fn content_paths(&self) -> Result<Vec<String>, StoreError>;

    /// One published content file.
    async fn content_file(&self, path: &str) -> Result<Option<ContentFile>, StoreError>;

    /// Writes a change of the published content in one transaction: a revision per
    /// changed file, the files, the derived catalog, the fact changes and a new content
    /// generation. [`StoreError::Conflict`] (nothing written) when a file no longer has the
    /// revision its change expects.
    async fn publish(&self, publish: &Publish<'_>) -> Result<ImportSummary, StoreError>;

    /// The revisions of a file, newest first.
    async fn revisions(&self, path: &str) -> Result<Vec<RevisionInfo>, StoreError>;

    /// The newest revisions of any file, newest first, at most `limit`.
    async fn recent_revisions(&self, limit: usize) -> Result<Vec<RevisionInfo>, StoreError>;

    /// One revision with its text.
    async fn revision(&self, id: i64) -> Result<Option<Revision>, StoreError>;

    /// Every draft, most recently saved first.
    async fn drafts(&self) -> Result<Vec<Draft>, StoreError>;

    /// The draft of a file.
    async fn draft(&self, path: &str) -> Result<Option<Draft>, StoreError>;

    /// Saves a draft of `path` (as a draft, not in review), with `audit` in the same
    /// transaction. `expected`: the version the editor started from (`None`: there was no
    /// draft). [`StoreError::Conflict`] when the draft changed meanwhile. Returns the new
    /// version.
    async fn save_draft(
        &self,
        path: &str,
        text: &str,
        base_revision: Option<i64>,
        expected: Option<i64>,
        audit: &AuditEvent<'_>,
    ) -> Result<i64, StoreError>;

    /// Moves a draft to `state` if it still has `version` ([`StoreError::Conflict`]
    /// otherwise), with `audit` in the same transaction.
    async fn set_draft_state(
        &self,
        path: &str,
        state: DraftState,
        version: i64,
        audit: &AuditEvent<'_>,
    ) -> Result<(), StoreError>;

    /// Discards a draft if it still has `version`, with `audit` in the same transaction.
    async fn discard_draft(&self, path: &str, version: i64, audit: &AuditEvent<'_>)
    -> Result<(), StoreError>;

    // Leads for staff (issue 12)

    /// How many leads `filter` selects.
    async fn count_leads(&self, filter: &LeadFilter) -> Result<usize, StoreError>;

    /// `limit` of the leads `filter` selects from `offset`, the newest first, each with its
    /// handled state and notification.
    async fn staff_leads(
        &self,
        filter: &LeadFilter,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<StaffLead>, StoreError>;

    /// Every course, and every session of a course, that leads were sent about, by course
    /// then session start.
    async fn lead_subjects(&self) -> Result<Vec<LeadSubject>, StoreError>;

    /// Marks lead `lead_id` handled by `audit.actor` at `audit.at` (`handled`), or not
    /// handled again, with `audit` recorded in the same transaction — when that changes
    /// anything ([`HandledChange`]).
    async fn set_lead_handled(
        &self,
        lead_id: &str,
        handled: bool,
        audit: &AuditEvent<'_>,
    ) -> Result<HandledChange, StoreError>;

    /// Makes the pending or failed notification of lead `lead_id` due at `audit.at` again
    /// (pending, its attempts and last error kept), with `audit` recorded in the same
    /// transaction. A delivered one is left as it is.
    async fn retry_notification(
        &self,
        lead_id: &str,
        audit: &AuditEvent<'_>,
    ) -> Result<RetryOutcome, StoreError>;

    // Accounts, sessions and the audit log (issue 12)

    /// Adds an account with `password_hash` (a temporary password: it must be changed at
    /// first login), recording `user.add` by `actor` in the same transaction. `None` when an
    /// account with this email (in any case) exists; nothing is written then.
    async fn add_user(
        &self,
        email: &str,
        role: Role,
        password_hash: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>, StoreError>;

    /// The account with `email`, compared case-insensitively (disabled ones too).
    async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError>;

    /// Every account, in the order they were added.
    async fn users(&self) -> Result<Vec<User>, StoreError>;

    /// Replaces the password of `user_id` (`must_change`: a temporary one) and ends every
    /// session of the account except `keep`, with `audit` recorded, all in one transaction.
    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        must_change: bool,
        keep: Option<&str>,
        audit: &AuditEvent<'_>,
    ) -> Result<(), StoreError>;

    /// Disables `user_id` at `audit.at` and ends all its sessions at once, with `audit`
    /// recorded, in one transaction. A disabled account is never enabled again.
    async fn disable_user(&self, user_id: i64, audit: &AuditEvent<'_>) -> Result<(), StoreError>;

    /// Starts session `id` (the SHA-256 of the cookie's token) for `user_id` at `audit.at`,
    /// ending session `replaces` (the one the browser held before logging in), with `audit`
    /// recorded, in one transaction — only while the account still has `password_hash`
    /// (the one the login verified) and is not disabled: [`StoreError::Conflict`] otherwise,
    /// so a password changed or reset during the login's check ends that login too.
    async fn start_session(
        &self,
        id: &str,
        user_id: i64,
        password_hash: &str,
        replaces: Option<&str>,
        audit: &AuditEvent<'_>,
    ) -> Result<(), StoreError>;

    /// Session `id` with its account; `None` when there is no such session.
    async fn session(&self, id: &str) -> Result<Option<(Session, User)>, StoreError>;

    /// Records a request of session `id` at `at` (its idle time starts again).
    async fn touch_session(&self, id: &str, at: DateTime<Utc>) -> Result<(), StoreError>;

    /// Ends session `id`: with `audit` recorded (a logout), or silently (an expired one).
    async fn end_session(&self, id: &str, audit: Option<&AuditEvent<'_>>) -> Result<(), StoreError>;

    /// Ends every session of `user_id` but `keep`, with `audit` recorded; returns how many.
    async fn end_other_sessions(
        &self,
        user_id: i64,
        keep: &str,
        audit: &AuditEvent<'_>,
    ) -> Result<u64, StoreError>;

    /// The sessions of `user_id`, the most recently used first.
    async fn sessions_of(&self, user_id: i64) -> Result<Vec<Session>, StoreError>;

    /// Appends one entry to the audit log, now: `actor` is a user's email, `cli` or
    /// `import`; `action` a short fixed word (`answer.publish`); `target` what it acted on.
    /// Only for an entry that records no change of its own (tools, tests): a change writes
    /// its entry in its own transaction (the methods that take an [`AuditEvent`]).
    async fn append_audit(
        &self,
        actor: &str,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<(), StoreError>;

    /// How many entries the audit log holds.
    async fn audit_count(&self) -> Result<usize, StoreError>;

    /// `limit` entries of the audit log from `offset`, the newest first.
    async fn audit_entries(&self, offset: usize, limit: usize) -> Result<Vec<AuditEntry>, StoreError>;
}

/// The form of an email address `erase_leads` compares: trimmed, lower case (Unicode).
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Timestamps are stored as fixed-width RFC 3339 text in UTC, so text order is time order.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// A database URL as messages and logs show it: its password (in the user part or as a
/// `password` parameter) replaced by `***`.
pub fn display_url(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else { return url.to_owned() };
    let has_password = parsed.password().is_some() || parsed.query_pairs().any(|(k, _)| k == "password");
    if !has_password {
        // As typed (parsing would percent-encode a path with spaces).
        return url.to_owned();
    }
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some("***"));
    }
    if parsed.query_pairs().any(|(k, _)| k == "password") {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| {
                let v = if k == "password" { "***".to_owned() } else { v.into_owned() };
                (k.into_owned(), v)
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    parsed.to_string()
}

/// The database file a URL names, for the databases that live in one file.
pub fn database_file(url: &str) -> Option<std::path::PathBuf> {
    if url.starts_with("sqlite:") { sqlite::database_file(url) } else { None }
}

/// Removes a database file and its companions (`-wal`, `-shm`); failures are logged.
pub fn remove_database_file(file: &std::path::Path) {
    for suffix in ["", "-wal", "-shm", ".lock"] {
        let mut path = file.as_os_str().to_owned();
        path.push(suffix);
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => tracing::warn!("could not remove {}: {e}", std::path::Path::new(&path).display()),
        }
    }
}

/// Opens (and migrates) the database a URL names.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::open(url).await?))
    } else {
        Err(StoreError::UnsupportedUrl(url.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_is_shown_without_its_password() {
        assert_eq!(
            display_url("postgres://ada:s3cret@db:5432/certwise"),
            "postgres://ada:***@db:5432/certwise"
        );
        assert_eq!(
            display_url("postgres://ada@db/certwise?sslmode=require&password=s3cret"),
            "postgres://ada@db/certwise?sslmode=require&password=***"
        );
        assert_eq!(display_url("postgres://ada@db/certwise"), "postgres://ada@db/certwise");
        assert_eq!(display_url("sqlite://data/certwise.db"), "sqlite://data/certwise.db");
        assert_eq!(display_url("sqlite::memory:"), "sqlite::memory:");
        assert_eq!(display_url("sqlite:///tmp/my db.sqlite"), "sqlite:///tmp/my db.sqlite");
        let err = StoreError::UnsupportedUrl("mysql://ada:s3cret@db/x".to_owned()).to_string();
        assert!(err.contains("mysql://ada:***@db/x") && !err.contains("s3cret"), "{err}");
    }
}
