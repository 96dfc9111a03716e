//! The embedded `SQLite` store: WAL mode, migrations embedded and run at open.

use std::path::Path;
use std::str::FromStr;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{QueryBuilder, Row, Sqlite, Transaction};

use chrono::{DateTime, NaiveDate, Utc};

use super::rows::{
    CATALOG_TABLES, CONSENT_COLUMNS, DRAFT_COLUMNS, LEAD_COLUMNS, NOTIFICATION_COLUMNS, REVISION_COLUMNS,
    USER_COLUMNS, audit_entry_from_row, consent_record_from_row, content_file_from_row, data, day_start,
    draft_from_row, handled_from_row, json, lead_from_row, lead_subject_from_row, notification_from_row,
    push_lead_filter, revision_info_from_row, session_from_row, user_from_row,
};
use super::{
    ContentFile, Draft, DraftState, Generation, HandledChange, ImportSummary, Job, JobTurn, LeadFilter,
    LeadNotification, LeadSubject, Notification, NotificationState, NotificationStatus, Origin, PoolUse,
    Publish, PublishAudit, RetryOutcome, Revision, RevisionInfo, StaffLead, Store, StoreError, Stored,
    Unavailable, email_key, timestamp,
};
use crate::domain::Vocabulary;
use crate::domain::account::{AuditEntry, AuditEvent, Role, Session, User};
use crate::domain::consent::ConsentRecord;
use crate::domain::lead::Lead;
use crate::domain::{Catalog, Site};

/// How long a writer waits for another writer before its write fails with "busy".
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// Tells `certwise restore` the database is in use for as long as any clone lives
    /// (`None` in memory).
    _in_use: Option<std::sync::Arc<super::InUse>>,
}

/// The file a `sqlite:` URL names, when it names one (not `:memory:`).
pub fn database_file(url: &str) -> Option<std::path::PathBuf> {
    let options = SqliteConnectOptions::from_str(url).ok()?;
    let file = options.get_filename();
    (file != Path::new(":memory:") && !url.contains(":memory:")).then(|| file.to_path_buf())
}

impl SqliteStore {
    /// Opens `sqlite://PATH` (or `sqlite::memory:`), creating the file and its
    /// directory on first start, and runs the migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        Self::open_with(url, BUSY_TIMEOUT).await
    }

    async fn open_with(url: &str, busy_timeout: std::time::Duration) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // A writer waits this long for another writer (an import of a large catalog
            // holds the lock for seconds) before the write fails with "busy" — which the
            // server answers with 503, never 500.
            .busy_timeout(busy_timeout);
        let filename = options.get_filename();
        let mut in_use = None;
        if filename != Path::new(":memory:") && !url.contains(":memory:") {
            if let Some(dir) = filename.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            // Before the first connection: a restore cannot swap the file under this store.
            in_use = Some(std::sync::Arc::new(super::InUse::shared(filename).map_err(StoreError::LockFile)?));
        }
        let in_memory = url.contains(":memory:");
        let file = filename.to_path_buf();
        let mut pool = SqlitePoolOptions::new()
            // An in-memory database lives as long as its one connection.
            .max_connections(if in_memory { 1 } else { 4 })
            .min_connections(u32::from(in_memory))
            .idle_timeout(None)
            .max_lifetime(None);
        if !in_memory {
            pool = pool.before_acquire(|conn, _| Box::pin(async move { Ok(usable(conn)) }));
        }
        let pool = pool.connect_with(options).await.map_err(|e| disk_full_if_so(e.into(), &file))?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        Ok(Self { pool, _in_use: in_use })
    }
}

/// Whether a connection from the pool may be used again. On a full disk or an I/O error
/// `SQLite` rolls a failed transaction back by itself; sqlx's `ROLLBACK` then fails ("no
/// transaction is active") and sqlx goes on counting one open, so the connection's next
/// transaction would be a savepoint whose rollback leaves a transaction open: that
/// connection would read an old snapshot for good and fail every write as busy. A
/// connection idle in the pool is never in a transaction, so one that seems to be is
/// closed, and the pool opens a fresh one.
fn usable(conn: &sqlx::SqliteConnection) -> bool {
    use sqlx::Connection as _;
    let in_transaction = conn.is_in_transaction();
    if in_transaction {
        tracing::warn!("closing a database connection left counting a failed transaction as open");
    }
    !in_transaction
}

/// `SQLite` reports a full disk as `SQLITE_FULL` when its own writes fail, but as an I/O
/// error when it sizes the shared-memory file (32 KiB at a time) that a first connection
/// creates beside the database: so an I/O error at open, while the database's file system
/// has less than 64 KiB free, is told as the full disk it is.
fn disk_full_if_so(e: StoreError, file: &Path) -> StoreError {
    const NEARLY_FULL: u64 = 64 * 1024;
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let free = rustix::fs::statvfs(dir).ok().map(|s| s.f_bavail.saturating_mul(s.f_frsize));
    match e {
        StoreError::Unavailable { why: Unavailable::Io, error } if free.is_some_and(|f| f < NEARLY_FULL) => {
            StoreError::Unavailable { why: Unavailable::DiskFull, error }
        }
        e => e,
    }
}

async fn write_all(
    tx: &mut Transaction<'_, Sqlite>,
    catalog: &Catalog,
    hash: &str,
) -> Result<i64, StoreError> {
    for table in CATALOG_TABLES {
        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut **tx).await?;
    }
    sqlx::query("INSERT INTO site (id, data) VALUES (1, ?)")
        .bind(json(&catalog.site)?)
        .execute(&mut **tx)
        .await?;
    for (position, r) in catalog.responsibilities.iter().enumerate() {
        sqlx::query("INSERT INTO responsibilities (id, position, data) VALUES (?, ?, ?)")
            .bind(r.id.as_str())
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(json(r)?)
            .execute(&mut **tx)
            .await?;
    }
    for c in catalog.certifications.values() {
        sqlx::query("INSERT INTO certifications (code, vendor, level, status, retires_on, data) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(c.code.as_str())
            .bind(&c.vendor)
            .bind(c.level.as_str())
            .bind(c.status.as_str())
            .bind(c.retires_on.map(|d| d.to_string()))
            .bind(json(c)?)
            .execute(&mut **tx)
            .await?;
    }
    for c in catalog.courses.values() {
        sqlx::query("INSERT INTO courses (slug, certification, data) VALUES (?, ?, ?)")
            .bind(c.slug.as_str())
            .bind(c.certification.as_str())
            .bind(json(c)?)
            .execute(&mut **tx)
            .await?;
    }
    for e in catalog.experts.values() {
        sqlx::query("INSERT INTO experts (slug, data) VALUES (?, ?)")
            .bind(e.slug.as_str())
            .bind(json(e)?)
            .execute(&mut **tx)
            .await?;
    }
    for t in catalog.topics.values() {
        sqlx::query("INSERT INTO topics (slug, data) VALUES (?, ?)")
            .bind(t.slug.as_str())
            .bind(json(t)?)
            .execute(&mut **tx)
            .await?;
    }
    for a in &catalog.answers {
        sqlx::query(
            "INSERT INTO answers (locale, slug, translation_key, published_on, data) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&a.locale)
        .bind(a.slug.as_str())
        .bind(a.translation_key.as_deref())
        .bind(a.published_on.to_string())
        .bind(json(a)?)
        .execute(&mut **tx)
        .await?;
    }
    for p in &catalog.pages {
        sqlx::query("INSERT INTO pages (locale, slug, data) VALUES (?, ?, ?)")
            .bind(&p.locale)
            .bind(p.slug.as_str())
            .bind(json(p)?)
            .execute(&mut **tx)
            .await?;
    }
    let generation = sqlx::query(
        "INSERT INTO imports (imported_at, certifications, courses, answers, content_hash) VALUES (datetime('now'), ?, ?, ?, ?)",
    )
    .bind(i64::try_from(catalog.certifications.len()).unwrap_or(i64::MAX))
    .bind(i64::try_from(catalog.courses.len()).unwrap_or(i64::MAX))
    .bind(i64::try_from(catalog.answers.len()).unwrap_or(i64::MAX))
    .bind(hash)
    .execute(&mut **tx)
    .await?
    .last_insert_rowid();
    Ok(generation)
}

async fn generation_in(conn: &mut sqlx::SqliteConnection) -> Result<Option<Generation>, StoreError> {
    let row = sqlx::query("SELECT id, content_hash FROM imports ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(r) => Some(Generation { number: r.try_get("id")?, content_hash: r.try_get("content_hash")? }),
        None => None,
    })
}

#[async_trait]
impl Store for SqliteStore {
    async fn load(&self) -> Result<Option<Stored>, StoreError> {
        // One read transaction: in WAL mode it sees one state, so an import landing
        // meanwhile cannot mix old and new rows, and the generation matches the rows.
        let mut conn = self.pool.begin().await?;
        let Some(site) = sqlx::query("SELECT data FROM site WHERE id = 1").fetch_optional(&mut *conn).await?
        else {
            return Ok(None);
        };
        let generation =
            generation_in(&mut conn).await?.unwrap_or(Generation { number: 0, content_hash: None });
        let site: Site = serde_json::from_str(site.try_get::<&str, _>("data")?)?;
        let responsibilities = data(
            &sqlx::query("SELECT data FROM responsibilities ORDER BY position").fetch_all(&mut *conn).await?,
        )?;
        let certifications: Vec<crate::domain::Certification> =
            data(&sqlx::query("SELECT data FROM certifications").fetch_all(&mut *conn).await?)?;
        let courses: Vec<crate::domain::Course> =
            data(&sqlx::query("SELECT data FROM courses").fetch_all(&mut *conn).await?)?;
        let experts: Vec<crate::domain::Expert> =
            data(&sqlx::query("SELECT data FROM experts").fetch_all(&mut *conn).await?)?;
        let topics: Vec<crate::domain::Topic> =
            data(&sqlx::query("SELECT data FROM topics").fetch_all(&mut *conn).await?)?;
        let answers = data(
            &sqlx::query("SELECT data FROM answers ORDER BY locale, slug").fetch_all(&mut *conn).await?,
        )?;
        let pages =
            data(&sqlx::query("SELECT data FROM pages ORDER BY locale, slug").fetch_all(&mut *conn).await?)?;
        let fact_changes = data(
            &sqlx::query("SELECT data FROM fact_changes ORDER BY on_day, id").fetch_all(&mut *conn).await?,
        )?;
        conn.rollback().await?;
        let catalog = Catalog {
            site,
            responsibilities,
            certifications: certifications.into_iter().map(|c| (c.code.clone(), c)).collect(),
            courses: courses.into_iter().map(|c| (c.slug.clone(), c)).collect(),
            experts: experts.into_iter().map(|e| (e.slug.clone(), e)).collect(),
            topics: topics.into_iter().map(|t| (t.slug.clone(), t)).collect(),
            answers,
            pages,
        };
        Ok(Some(Stored { catalog, generation, fact_changes }))
    }

    async fn generation(&self) -> Result<Option<Generation>, StoreError> {
        let mut conn = self.pool.acquire().await?;
        generation_in(&mut conn).await
    }

    async fn replace_catalog(
        &self,
        catalog: &Catalog,
        content_hash: &str,
    ) -> Result<ImportSummary, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Dropping `tx` on error rolls back: the store keeps what it held.
        let generation = write_all(&mut tx, catalog, content_hash).await?;
        tx.commit().await?;
        // An import rewrites every row: fold the write-ahead log back into the database
        // file now, so the log does not stay as large as the catalog. Best effort.
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await {
            tracing::warn!("checkpointing the write-ahead log after an import failed: {e}");
        }
        Ok(ImportSummary {
            certifications: catalog.certifications.len(),
            courses: catalog.courses.len(),
            answers: catalog.answers.len(),
            generation,
        })
    }

    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    fn kind(&self) -> &'static str {
        "sqlite"
    }

    fn pool_use(&self) -> Option<PoolUse> {
        Some(PoolUse {
            size: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
            max: self.pool.options().get_max_connections(),
        })
    }

    fn content_changes(&self) -> Option<tokio::sync::watch::Receiver<u64>> {
        None
    }

    async fn job_turn(&self, _job: Job) -> Result<Option<JobTurn>, StoreError> {
        // One process owns an SQLite database: there is no other instance to leave it to.
        Ok(Some(JobTurn::alone()))
    }

    async fn secret(&self, name: &str, len: usize) -> Result<Vec<u8>, StoreError> {
        let mut fresh = vec![0u8; len];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut fresh);
        // Two instances starting at once: the first insert wins, both read the winner.
        sqlx::query("INSERT OR IGNORE INTO secrets (name, value, created_at) VALUES (?, ?, ?)")
            .bind(name)
            .bind(fresh)
            .bind(timestamp(Utc::now()))
            .execute(&self.pool)
            .await?;
        let row =
            sqlx::query("SELECT value FROM secrets WHERE name = ?").bind(name).fetch_one(&self.pool).await?;
        Ok(row.try_get("value")?)
    }

    async fn append_consent(&self, r: &ConsentRecord, notice_text: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT OR IGNORE INTO consent_notices (hash, text, first_recorded_at) VALUES (?, ?, ?)")
            .bind(&r.notice_hash)
            .bind(notice_text)
            .bind(timestamp(r.recorded_at))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO consent_records (record_id, consent_id, recorded_at, policy_version, notice_hash, locale, \
             action, choices, channel, javascript, gpc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&r.record_id)
        .bind(&r.consent_id)
        .bind(timestamp(r.recorded_at))
        .bind(&r.policy_version)
        .bind(&r.notice_hash)
        .bind(&r.locale)
        .bind(r.action.as_str())
        .bind(json(&r.choices)?)
        .bind(r.channel.as_str())
        .bind(r.javascript)
        .bind(r.gpc)
        .execute(&mut *tx)
        .await?;
        // `synchronous = FULL` in WAL mode: the commit is on disk when this returns.
        tx.commit().await?;
        Ok(())
    }

    async fn consent_records(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ConsentRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CONSENT_COLUMNS} FROM consent_records WHERE recorded_at >= ? AND recorded_at < ? ORDER BY seq"
        ))
        .bind(timestamp(from))
        .bind(timestamp(to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(consent_record_from_row).collect()
    }

    async fn consent_notice(&self, hash: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT text FROM consent_notices WHERE hash = ?")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("text")).transpose()?)
    }

    async fn purge_consent(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        // The one deletion the append-only trigger lets through: the purge marks its own
        // transaction, and unmarks it before committing (migrations/sqlite/0009).
        sqlx::query("INSERT INTO consent_purge (id) VALUES (1)").execute(&mut *tx).await?;
        let done = sqlx::query("DELETE FROM consent_records WHERE recorded_at < ?")
            .bind(timestamp(before))
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM consent_purge").execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    async fn insert_lead(&self, lead: &Lead, notification: LeadNotification) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let session = lead.session.as_ref();
        sqlx::query(
            "INSERT INTO leads (lead_id, received_at, locale, course, course_title, session_id, \
             session_starts_on, session_location, name, email, email_key, company, message, consent_text) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&lead.id)
        .bind(timestamp(lead.received_at))
        .bind(&lead.locale)
        .bind(lead.course.as_str())
        .bind(&lead.course_title)
        .bind(session.map(|s| s.id.as_str()))
        .bind(session.map(|s| s.starts_on.to_string()))
        .bind(session.map(|s| s.location.as_str()))
        .bind(&lead.name)
        .bind(&lead.email)
        .bind(email_key(&lead.email))
        .bind(lead.company.as_deref())
        .bind(lead.message.as_deref())
        .bind(&lead.consent_text)
        .execute(&mut *tx)
        .await?;
        if notification == LeadNotification::Webhook {
            sqlx::query("INSERT INTO lead_outbox (lead_id, next_attempt_at) VALUES (?, ?)")
                .bind(&lead.id)
                .bind(timestamp(lead.received_at))
                .execute(&mut *tx)
                .await?;
        }
        // `synchronous = FULL` in WAL mode: the lead (and its notification) are on disk
        // when this returns.
        tx.commit().await?;
        Ok(())
    }

    async fn leads_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Lead>, StoreError> {
        let (Some(start), Some(end)) = (day_start(from), to.succ_opt().and_then(day_start)) else {
            return Ok(Vec::new());
        };
        let rows = sqlx::query(&format!(
            "SELECT {LEAD_COLUMNS} FROM leads WHERE received_at >= ? AND received_at < ? ORDER BY received_at, seq"
        ))
        .bind(timestamp(start))
        .bind(timestamp(end))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(lead_from_row).collect()
    }

    async fn erase_leads(&self, email: &str) -> Result<usize, StoreError> {
        let deleted = self.delete_securely("DELETE FROM leads WHERE email_key = ?", email_key(email)).await?;
        // The erased lead may still sit in the write-ahead log's older frames: fold the
        // log into the database file and truncate it. Best effort: a reader holding an old
        // snapshot can keep some frames until the next checkpoint.
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await {
            tracing::warn!("checkpointing the write-ahead log after an erasure failed: {e}");
        }
        Ok(deleted)
    }

    async fn purge_leads(&self, before: DateTime<Utc>) -> Result<usize, StoreError> {
        self.delete_securely("DELETE FROM leads WHERE received_at < ?", timestamp(before)).await
    }

    async fn due_notifications(
        &self,
        now: DateTime<Utc>,
        limit: usize,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<Notification>, StoreError> {
        // One statement claims and counts the attempt, so two workers never claim one row.
        let claimed = sqlx::query(
            "UPDATE lead_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE id IN \
             (SELECT id FROM lead_outbox WHERE status = 'pending' AND next_attempt_at <= ? \
              ORDER BY next_attempt_at, id LIMIT ?) RETURNING id, lead_id, attempts",
        )
        .bind(timestamp(lease_until))
        .bind(timestamp(now))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let mut due = Vec::with_capacity(claimed.len());
        for row in &claimed {
            let lead_id: String = row.try_get("lead_id")?;
            let lead = sqlx::query(&format!("SELECT {LEAD_COLUMNS} FROM leads WHERE lead_id = ?"))
                .bind(&lead_id)
                .fetch_optional(&self.pool)
                .await?;
            // Erased between the claim and this read: the cascade took the row too.
            let Some(lead) = lead else { continue };
            due.push(Notification {
                id: row.try_get("id")?,
                attempts: u32::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(u32::MAX),
                lead: lead_from_row(&lead)?,
            });
        }
        due.sort_by_key(|n| (n.lead.received_at, n.id));
        Ok(due)
    }

    async fn mark_delivered(&self, id: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE lead_outbox SET status = 'delivered', last_error = NULL, finished_at = ? WHERE id = ?",
        )
        .bind(timestamp(Utc::now()))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn mark_retry(&self, id: i64, next_at: DateTime<Utc>, error: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE lead_outbox SET next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'pending'",
        )
        .bind(timestamp(next_at))
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn mark_failed(&self, id: i64, error: &str) -> Result<(), StoreError> {
        sqlx::query("UPDATE lead_outbox SET status = 'failed', last_error = ?, finished_at = ? WHERE id = ?")
            .bind(error)
            .bind(timestamp(Utc::now()))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn notification_state(&self, lead_id: &str) -> Result<Option<NotificationState>, StoreError> {
        let row = sqlx::query(&format!("SELECT {NOTIFICATION_COLUMNS} FROM lead_outbox WHERE lead_id = ?"))
            .bind(lead_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(notification_from_row).transpose()?.flatten())
    }

    // Content files, revisions and drafts (issue 12)

    async fn content_files(&self) -> Result<Vec<ContentFile>, StoreError> {
        let rows =
            sqlx::query("SELECT path, text, revision, imported_revision FROM content_files ORDER BY path")
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(content_file_from_row).collect()
    }

    async fn content_paths(&self) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar("SELECT path FROM content_files ORDER BY path").fetch_all(&self.pool).await?)
    }

    async fn content_file(&self, path: &str) -> Result<Option<ContentFile>, StoreError> {
        let row =
            sqlx::query("SELECT path, text, revision, imported_revision FROM content_files WHERE path = ?")
                .bind(path)
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(content_file_from_row).transpose()
    }

    async fn publish(&self, p: &Publish<'_>) -> Result<ImportSummary, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Taking the write lock first: the revisions checked below cannot change before
        // this transaction commits.
        sqlx::query("UPDATE imports SET id = id WHERE 0").execute(&mut *tx).await?;
        if generation_in(&mut tx).await?.map(|g| g.number) != p.base_generation {
            return Err(StoreError::GenerationMoved);
        }
        let mut conflicts = Vec::new();
        for change in &p.changes {
            let current: Option<i64> =
                sqlx::query_scalar("SELECT revision FROM content_files WHERE path = ?")
                    .bind(&change.path)
                    .fetch_optional(&mut *tx)
                    .await?;
            if current != change.expected {
                conflicts.push(change.path.clone());
            }
        }
        if !conflicts.is_empty() {
            return Err(StoreError::Conflict(conflicts));
        }
        let generation = write_all(&mut tx, p.catalog, p.content_hash).await?;
        let now = timestamp(Utc::now());
        let mut last_revision = None;
        for change in &p.changes {
            let revision = sqlx::query(
                "INSERT INTO revisions (path, text, author, origin, message, created_at, generation) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&change.path)
            .bind(change.text.as_deref())
            .bind(p.author)
            .bind(p.origin.as_str())
            .bind(p.message)
            .bind(&now)
            .bind(generation)
            .execute(&mut *tx)
            .await?
            .last_insert_rowid();
            last_revision = Some(revision);
            let imported = (p.origin == Origin::Import).then_some(revision);
            match &change.text {
                Some(text) => {
                    sqlx::query(
                        "INSERT INTO content_files (path, text, revision, imported_revision) VALUES (?, ?, ?, ?) \
                         ON CONFLICT (path) DO UPDATE SET text = excluded.text, revision = excluded.revision, \
                         imported_revision = COALESCE(excluded.imported_revision, content_files.imported_revision)",
                    )
                    .bind(&change.path)
                    .bind(text)
                    .bind(revision)
                    .bind(imported)
                    .execute(&mut *tx)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM content_files WHERE path = ?")
                        .bind(&change.path)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        for path in &p.confirmed {
            sqlx::query("UPDATE content_files SET imported_revision = revision WHERE path = ?")
                .bind(path)
                .execute(&mut *tx)
                .await?;
        }
        for change in p.fact_changes {
            sqlx::query("INSERT INTO fact_changes (code, on_day, data, revision) VALUES (?, ?, ?, ?)")
                .bind(change.code.as_str())
                .bind(change.on.to_string())
                .bind(json(change)?)
                .bind(last_revision)
                .execute(&mut *tx)
                .await?;
        }
        if let Some((path, version)) = p.draft {
            let removed = sqlx::query("DELETE FROM drafts WHERE path = ? AND version = ?")
                .bind(path)
                .bind(version)
                .execute(&mut *tx)
                .await?;
            if removed.rows_affected() == 0 {
                // Saved again while this publish was checked: nothing is written.
                return Err(StoreError::Conflict(vec![path.to_owned()]));
            }
        }
        let summary = ImportSummary {
            certifications: p.catalog.certifications.len(),
            courses: p.catalog.courses.len(),
            answers: p.catalog.answers.len(),
            generation,
        };
        insert_publish_audit(&mut tx, &p.audit, &summary).await?;
        tx.commit().await?;
        if p.origin == Origin::Import {
            // An import may rewrite every row: fold the write-ahead log back into the
            // database file now, so the log does not stay as large as the catalog.
            if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await {
                tracing::warn!("checkpointing the write-ahead log after an import failed: {e}");
            }
        }
        Ok(summary)
    }

    async fn revisions(&self, path: &str) -> Result<Vec<RevisionInfo>, StoreError> {
        let rows =
            sqlx::query(&format!("SELECT {REVISION_COLUMNS} FROM revisions WHERE path = ? ORDER BY id DESC"))
                .bind(path)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(revision_info_from_row).collect()
    }

    async fn recent_revisions(&self, limit: usize) -> Result<Vec<RevisionInfo>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {REVISION_COLUMNS} FROM revisions ORDER BY id DESC LIMIT ?"))
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(revision_info_from_row).collect()
    }

    async fn revision(&self, id: i64) -> Result<Option<Revision>, StoreError> {
        let row = sqlx::query(&format!("SELECT {REVISION_COLUMNS}, text FROM revisions WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(row) => {
                Ok(Some(Revision { info: revision_info_from_row(&row)?, text: row.try_get("text")? }))
            }
            None => Ok(None),
        }
    }

    async fn drafts(&self) -> Result<Vec<Draft>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {DRAFT_COLUMNS} FROM drafts ORDER BY updated_at DESC, path"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(draft_from_row).collect()
    }

    async fn draft(&self, path: &str) -> Result<Option<Draft>, StoreError> {
        let row = sqlx::query(&format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE path = ?"))
            .bind(path)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(draft_from_row).transpose()
    }

    async fn save_draft(
        &self,
        path: &str,
        text: &str,
        base_revision: Option<i64>,
        expected: Option<i64>,
        audit: &AuditEvent<'_>,
    ) -> Result<i64, StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE drafts SET version = version WHERE 0").execute(&mut *tx).await?;
        let current: Option<i64> = sqlx::query_scalar("SELECT version FROM drafts WHERE path = ?")
            .bind(path)
            .fetch_optional(&mut *tx)
            .await?;
        if current != expected {
            return Err(StoreError::Conflict(vec![path.to_owned()]));
        }
        let version = current.unwrap_or(0) + 1;
        sqlx::query(
            "INSERT INTO drafts (path, text, state, base_revision, author, updated_at, version) \
             VALUES (?, ?, 'draft', ?, ?, ?, ?) \
             ON CONFLICT (path) DO UPDATE SET text = excluded.text, state = 'draft', \
             base_revision = excluded.base_revision, author = excluded.author, \
             updated_at = excluded.updated_at, version = excluded.version",
        )
        .bind(path)
        .bind(text)
        .bind(base_revision)
        .bind(audit.actor)
        .bind(timestamp(Utc::now()))
        .bind(version)
        .execute(&mut *tx)
        .await?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(version)
    }

    async fn set_draft_state(
        &self,
        path: &str,
        state: DraftState,
        version: i64,
        audit: &AuditEvent<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("UPDATE drafts SET state = ? WHERE path = ? AND version = ?")
            .bind(state.as_str())
            .bind(path)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(vec![path.to_owned()]));
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn discard_draft(
        &self,
        path: &str,
        version: i64,
        audit: &AuditEvent<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("DELETE FROM drafts WHERE path = ? AND version = ?")
            .bind(path)
            .bind(version)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(vec![path.to_owned()]));
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    // Leads for staff (issue 12)

    async fn count_leads(&self, filter: &LeadFilter) -> Result<usize, StoreError> {
        let mut q = QueryBuilder::new("SELECT COUNT(*) FROM leads l");
        push_lead_filter(&mut q, filter);
        let n: i64 = q.build_query_scalar().fetch_one(&self.pool).await?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    async fn staff_leads(
        &self,
        filter: &LeadFilter,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<StaffLead>, StoreError> {
        let lead_columns: Vec<String> = LEAD_COLUMNS.split(", ").map(|c| format!("l.{c} AS {c}")).collect();
        let notification_columns: Vec<String> =
            NOTIFICATION_COLUMNS.split(", ").map(|c| format!("o.{c} AS {c}")).collect();
        let mut q = QueryBuilder::new(format!(
            "SELECT {}, l.handled_at AS handled_at, l.handled_by AS handled_by, {} \
             FROM leads l LEFT JOIN lead_outbox o ON o.lead_id = l.lead_id",
            lead_columns.join(", "),
            notification_columns.join(", ")
        ));
        push_lead_filter(&mut q, filter);
        q.push(" ORDER BY l.received_at DESC, l.seq DESC LIMIT ")
            .push_bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .push(" OFFSET ")
            .push_bind(i64::try_from(offset).unwrap_or(i64::MAX));
        let rows = q.build().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let handled = handled_from_row(row)?;
                Ok(StaffLead {
                    lead: lead_from_row(row)?,
                    handled,
                    notification: notification_from_row(row)?,
                })
            })
            .collect()
    }

    async fn lead_subjects(&self) -> Result<Vec<LeadSubject>, StoreError> {
        // The bare columns of an aggregate query with MAX() come from the row of the maximum
        // (SQLite's rule): each session as the newest lead about it saw it.
        let rows = sqlx::query(
            "SELECT course, session_id, session_starts_on, session_location, MAX(seq) AS newest, \
             (SELECT t.course_title FROM leads t WHERE t.course = l.course ORDER BY t.seq DESC LIMIT 1) AS course_title \
             FROM leads l GROUP BY course, session_id ORDER BY course, session_starts_on, session_id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(lead_subject_from_row).collect()
    }

    async fn set_lead_handled(
        &self,
        lead_id: &str,
        handled: bool,
        audit: &AuditEvent<'_>,
    ) -> Result<HandledChange, StoreError> {
        let mut tx = self.pool.begin().await?;
        let changed = if handled {
            sqlx::query(
                "UPDATE leads SET handled_at = ?, handled_by = ? WHERE lead_id = ? AND handled_at IS NULL",
            )
            .bind(timestamp(audit.at))
            .bind(audit.actor)
            .bind(lead_id)
            .execute(&mut *tx)
            .await?
        } else {
            sqlx::query(
                "UPDATE leads SET handled_at = NULL, handled_by = NULL WHERE lead_id = ? AND handled_at IS NOT NULL",
            )
            .bind(lead_id)
            .execute(&mut *tx)
            .await?
        };
        if changed.rows_affected() == 0 {
            let exists = sqlx::query("SELECT 1 FROM leads WHERE lead_id = ?")
                .bind(lead_id)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
            return Ok(if exists { HandledChange::Unchanged } else { HandledChange::NoSuchLead });
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(HandledChange::Changed)
    }

    async fn retry_notification(
        &self,
        lead_id: &str,
        audit: &AuditEvent<'_>,
    ) -> Result<RetryOutcome, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Taking the write lock first: a worker cannot mark the row between the read and
        // the update below.
        sqlx::query("UPDATE lead_outbox SET id = id WHERE 0").execute(&mut *tx).await?;
        let row = sqlx::query(&format!("SELECT {NOTIFICATION_COLUMNS} FROM lead_outbox WHERE lead_id = ?"))
            .bind(lead_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(state) = row.as_ref().map(notification_from_row).transpose()?.flatten() else {
            return Ok(RetryOutcome::NoNotification);
        };
        if state.status == NotificationStatus::Delivered {
            return Ok(RetryOutcome::Delivered);
        }
        sqlx::query(
            "UPDATE lead_outbox SET status = 'pending', next_attempt_at = ?, finished_at = NULL WHERE lead_id = ?",
        )
        .bind(timestamp(audit.at))
        .bind(lead_id)
        .execute(&mut *tx)
        .await?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(RetryOutcome::Due { was: state.status, attempts: state.attempts })
    }

    // Accounts, sessions and the audit log (issue 12)

    async fn add_user(
        &self,
        email: &str,
        role: Role,
        password_hash: &str,
        actor: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<User>, StoreError> {
        let mut tx = self.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO users (email, email_key, role, password_hash, must_change_password, created_at) \
             VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (email_key) DO NOTHING",
        )
        .bind(email.trim())
        .bind(email_key(email))
        .bind(role.as_str())
        .bind(password_hash)
        .bind(timestamp(now))
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Ok(None);
        }
        let event =
            AuditEvent { at: now, actor, action: "user.add", target: email.trim(), detail: role.as_str() };
        insert_audit(&mut tx, &event).await?;
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?"))
            .bind(inserted.last_insert_rowid())
            .fetch_one(&mut *tx)
            .await?;
        let user = user_from_row(&row, "")?;
        tx.commit().await?;
        Ok(Some(user))
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE email_key = ?"))
            .bind(email_key(email))
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| user_from_row(&r, "")).transpose()
    }

    async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY id"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| user_from_row(r, "")).collect()
    }

    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        must_change: bool,
        keep: Option<&str>,
        audit: &AuditEvent<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET password_hash = ?, must_change_password = ? WHERE id = ?")
            .bind(password_hash)
            .bind(must_change)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = ? AND id IS NOT ?")
            .bind(user_id)
            .bind(keep)
            .execute(&mut *tx)
            .await?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn disable_user(&self, user_id: i64, audit: &AuditEvent<'_>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE users SET disabled_at = COALESCE(disabled_at, ?) WHERE id = ?")
            .bind(timestamp(audit.at))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = ?").bind(user_id).execute(&mut *tx).await?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn start_session(
        &self,
        id: &str,
        user_id: i64,
        password_hash: &str,
        replaces: Option<&str>,
        audit: &AuditEvent<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        if let Some(old) = replaces {
            sqlx::query("DELETE FROM sessions WHERE id = ?").bind(old).execute(&mut *tx).await?;
        }
        let started = sqlx::query(
            "INSERT INTO sessions (id, user_id, created_at, last_seen_at) \
             SELECT ?, id, ?, ? FROM users WHERE id = ? AND password_hash = ? AND disabled_at IS NULL",
        )
        .bind(id)
        .bind(timestamp(audit.at))
        .bind(timestamp(audit.at))
        .bind(user_id)
        .bind(password_hash)
        .execute(&mut *tx)
        .await?;
        if started.rows_affected() == 0 {
            return Err(StoreError::Conflict(vec![format!("account {user_id}")]));
        }
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session(&self, id: &str) -> Result<Option<(Session, User)>, StoreError> {
        let columns =
            USER_COLUMNS.split(", ").map(|c| format!("u.{c} AS u_{c}")).collect::<Vec<_>>().join(", ");
        let Some(row) = sqlx::query(&format!(
            "SELECT s.id, s.user_id, s.created_at, s.last_seen_at, {columns} \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        Ok(Some((session_from_row(&row)?, user_from_row(&row, "u_")?)))
    }

    async fn touch_session(&self, id: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE id = ?")
            .bind(timestamp(at))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn end_session(&self, id: &str, audit: Option<&AuditEvent<'_>>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE id = ?").bind(id).execute(&mut *tx).await?;
        if let Some(audit) = audit {
            insert_audit(&mut tx, audit).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn end_other_sessions(
        &self,
        user_id: i64,
        keep: &str,
        audit: &AuditEvent<'_>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let ended = sqlx::query("DELETE FROM sessions WHERE user_id = ? AND id <> ?")
            .bind(user_id)
            .bind(keep)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(ended)
    }

    async fn sessions_of(&self, user_id: i64) -> Result<Vec<Session>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, user_id, created_at, last_seen_at FROM sessions WHERE user_id = ? \
             ORDER BY last_seen_at DESC, created_at DESC",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(session_from_row).collect()
    }

    async fn append_audit(
        &self,
        actor: &str,
        action: &str,
        target: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        insert_audit(&mut tx, &AuditEvent { at: Utc::now(), actor, action, target, detail }).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn audit_count(&self) -> Result<usize, StoreError> {
        let n: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM audit_log").fetch_one(&self.pool).await?.try_get("n")?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    async fn audit_entries(&self, offset: usize, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT seq, at, actor, action, target, detail FROM audit_log ORDER BY seq DESC LIMIT ? OFFSET ?",
        )
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(audit_entry_from_row).collect()
    }
}

impl SqliteStore {
    /// Runs one `DELETE` with `secure_delete` on, so the deleted rows are overwritten with
    /// zeros in the database file rather than left in free pages (a person's erasure, a
    /// retention period); only for this statement, since imports delete whole tables and
    /// need not pay for it. Returns the rows deleted.
    async fn delete_securely(&self, sql: &str, arg: String) -> Result<usize, StoreError> {
        let mut conn = self.pool.acquire().await?;
        sqlx::query("PRAGMA secure_delete = ON").execute(&mut *conn).await?;
        let deleted = sqlx::query(sql).bind(arg).execute(&mut *conn).await;
        if let Err(e) = sqlx::query("PRAGMA secure_delete = OFF").execute(&mut *conn).await {
            // Left on, it only costs this connection some writes; closing it resets it.
            tracing::warn!("could not turn secure_delete off again: {e}");
            conn.close_on_drop();
        }
        Ok(usize::try_from(deleted?.rows_affected()).unwrap_or(usize::MAX))
    }
}

// Accounts, sessions and the audit log (issue 12): the helpers of the methods above.

/// A publish's audit entry, in its transaction (see [`PublishAudit`]).
async fn insert_publish_audit(
    tx: &mut Transaction<'_, Sqlite>,
    audit: &PublishAudit<'_>,
    summary: &ImportSummary,
) -> Result<(), StoreError> {
    let PublishAudit { actor, action, target, .. } = *audit;
    let detail = audit.detail(summary);
    insert_audit(tx, &AuditEvent { at: Utc::now(), actor, action, target, detail: &detail }).await
}

/// Appends `event` to the audit log inside a transaction.
async fn insert_audit(tx: &mut Transaction<'_, Sqlite>, event: &AuditEvent<'_>) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)")
        .bind(timestamp(event.at))
        .bind(event.actor)
        .bind(event.action)
        .bind(event.target)
        .bind(event.detail)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Slug;
    use crate::store::Unavailable;

    fn lead(id: &str, email: &str) -> Lead {
        Lead {
            id: id.to_owned(),
            received_at: "2026-11-26T10:00:00Z".parse().unwrap(),
            locale: "en".to_owned(),
            course: Slug::parse("md-102-course").unwrap(),
            course_title: "Endpoint Administrator".to_owned(),
            session: None,
            name: "Ada".to_owned(),
            email: email.to_owned(),
            company: None,
            message: None,
            consent_text: "You may contact me about this inquiry.".to_owned(),
        }
    }

    #[tokio::test]
    async fn a_lead_while_another_process_holds_the_write_lock_is_busy_and_not_written() {
        use sqlx::Connection as _;
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("db.sqlite").display());
        let store = SqliteStore::open_with(&url, std::time::Duration::from_millis(50)).await.unwrap();
        let mut other = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("BEGIN IMMEDIATE").execute(&mut other).await.unwrap();
        let err = store.insert_lead(&lead("a", "a@example.ch"), LeadNotification::Webhook).await.unwrap_err();
        assert_eq!(err.unavailable(), Some(Unavailable::Busy), "{err:?}");
        assert!(err.to_string().starts_with("the database is busy"), "{err}");
        sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
        let day = "2026-11-26".parse().unwrap();
        assert!(store.leads_between(day, day).await.unwrap().is_empty());
        assert_eq!(store.notification_state("a").await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_connection_whose_transaction_sqlite_ended_itself_is_not_used_again() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("certwise.db").display());
        let store = SqliteStore::open(&url).await.unwrap();
        {
            let mut tx = store.pool.begin().await.unwrap();
            // What SQLite does on a full disk or an I/O error: the transaction ends under
            // sqlx, whose own ROLLBACK then fails and leaves it counting one open.
            sqlx::query("ROLLBACK").execute(&mut *tx).await.unwrap();
        }
        // Transactions that read and roll back, on every connection of the pool: on that
        // one, sqlx's savepoint and its rollback would leave a read transaction open.
        for _ in 0..8 {
            let mut tx = store.pool.begin().await.unwrap();
            sqlx::query("SELECT count(*) FROM audit_log").execute(&mut *tx).await.unwrap();
        }
        let other = SqliteStore::open(&url).await.unwrap();
        other.append_audit("cli", "probe", "every connection", "").await.unwrap();
        for _ in 0..8 {
            let newest = store.audit_entries(0, 1).await.unwrap();
            assert_eq!(
                newest.first().map(|e| e.action.as_str()),
                Some("probe"),
                "no connection reads an old snapshot"
            );
        }
        store.append_audit("cli", "write", "on every connection", "").await.unwrap();
    }

    #[tokio::test]
    async fn a_constraint_is_not_mistaken_for_an_unavailable_database() {
        let store = SqliteStore::open("sqlite::memory:").await.unwrap();
        store.insert_lead(&lead("a", "a@example.ch"), LeadNotification::None).await.unwrap();
        let err = store.insert_lead(&lead("a", "b@example.ch"), LeadNotification::None).await.unwrap_err();
        assert_eq!(err.unavailable(), None, "a duplicate id is a bug, not a busy database: {err}");
    }
}
