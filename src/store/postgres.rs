//! The `PostgreSQL` store: several instances on one database (`postgres://…`,
//! `postgresql://…`), TLS when the URL asks for it (`?sslmode=require`), a bounded pool,
//! migrations embedded (migrations/postgres/) and run at open.
//!
//! The same semantics as the `SQLite` store, method for method; what `SQLite` gets from its
//! single writer is taken here explicitly (ARCHITECTURE.md, `PostgreSQL`):
//! - Content writers (import, publish) lock `imports` first (`LOCK TABLE … EXCLUSIVE`,
//!   readers go on): the generation and the revisions they check cannot move before they
//!   commit, and the generation is the next number, without gaps.
//! - A draft's save locks `drafts`; a retry locks its outbox row; a login locks its
//!   account's row, so a password change or a disabling cannot slip between its check
//!   and the session it starts; claims of the outbox skip rows another worker holds.
//! - A publish or import notifies `certwise_content` in its transaction: [`PgStore`]'s
//!   listener wakes the followers of every instance ([`crate::live`]).
//! - Periodic jobs take a transaction-level advisory lock, so one instance runs them.
//! - A wait for a lock longer than [`LOCK_TIMEOUT`], or for a connection longer than
//!   [`ACQUIRE_TIMEOUT`], is "busy" (503), like `SQLite`'s busy timeout.

use std::str::FromStr;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use async_trait::async_trait;
use sqlx::postgres::{PgConnectOptions, PgListener, PgPool, PgPoolOptions};
use sqlx::{Postgres, QueryBuilder, Row, Transaction};

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
    email_key, timestamp,
};
use crate::domain::Vocabulary;
use crate::domain::account::{AuditEntry, AuditEvent, Role, Session, User};
use crate::domain::consent::ConsentRecord;
use crate::domain::lead::Lead;
use crate::domain::{Catalog, Site};

/// The most connections one instance opens: instances × this must stay below the
/// server's `max_connections` (100 by default).
const MAX_CONNECTIONS: u32 = 8;

/// How long a request waits for a free connection before it is answered "busy".
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a statement waits for another writer's lock before it fails "busy" (55P03),
/// as `SQLite` waits its busy timeout.
const LOCK_TIMEOUT: &str = "10s";

/// The channel a change of the published content is announced on.
const CONTENT_CHANNEL: &str = "certwise_content";

#[derive(Debug)]
pub struct PgStore {
    pool: PgPool,
    /// Started by the first [`Store::content_changes`]: commands that do not follow the
    /// content (`certwise import`, `leads export`) open no listening connection.
    listener: OnceLock<Listener>,
}

/// The background task that listens on [`CONTENT_CHANNEL`], and the counter it bumps.
#[derive(Debug)]
struct Listener {
    changes: Arc<tokio::sync::watch::Sender<u64>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl PgStore {
    /// Opens `postgres://…` (the database must exist) and runs the migrations.
    pub async fn open(url: &str) -> Result<Self, StoreError> {
        let options = PgConnectOptions::from_str(url)?
            .application_name("certwise")
            .options([("lock_timeout", LOCK_TIMEOUT)]);
        // One plain connection first: a server that is down, a refused login or a missing
        // database is named as such (the pool would only say that it timed out).
        sqlx::Connection::close(sqlx::ConnectOptions::connect(&options).await?).await?;
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .idle_timeout(Duration::from_secs(60))
            .connect_with(options)
            .await?;
        // Two instances starting at once: sqlx's migrator holds an advisory lock meanwhile.
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        Ok(Self { pool, listener: OnceLock::new() })
    }

    /// Listens until the store is dropped: every notification bumps the counter, and so
    /// does every (re)connection, since notifications sent while the listener was away
    /// are lost: the followers then read the generation again.
    async fn listen(pool: PgPool, changes: Arc<tokio::sync::watch::Sender<u64>>) {
        let bump = || changes.send_modify(|n| *n = n.wrapping_add(1));
        let mut failing = false;
        loop {
            let mut listener = match PgListener::connect_with(&pool).await {
                Ok(l) => l,
                Err(e) => {
                    if !failing {
                        tracing::warn!(error = %e, "listening for content changes failed; retrying (polling meanwhile)");
                    }
                    failing = true;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            if let Err(e) = listener.listen(CONTENT_CHANNEL).await {
                if !failing {
                    tracing::warn!(error = %e, "listening for content changes failed; retrying (polling meanwhile)");
                }
                failing = true;
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
            failing = false;
            bump();
            loop {
                match listener.try_recv().await {
                    Ok(Some(_)) => bump(),
                    // The connection was lost: listen again on a new one, then look.
                    Ok(None) => break,
                    Err(e) => {
                        tracing::warn!(error = %e, "listening for content changes failed; reconnecting");
                        break;
                    }
                }
            }
        }
    }
}

async fn write_all(
    tx: &mut Transaction<'_, Postgres>,
    catalog: &Catalog,
    hash: &str,
) -> Result<i64, StoreError> {
    for table in CATALOG_TABLES {
        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut **tx).await?;
    }
    sqlx::query("INSERT INTO site (id, data) VALUES (1, $1)")
        .bind(json(&catalog.site)?)
        .execute(&mut **tx)
        .await?;
    for (position, r) in catalog.responsibilities.iter().enumerate() {
        sqlx::query("INSERT INTO responsibilities (id, position, data) VALUES ($1, $2, $3)")
            .bind(r.id.as_str())
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(json(r)?)
            .execute(&mut **tx)
            .await?;
    }
    for c in catalog.certifications.values() {
        sqlx::query("INSERT INTO certifications (code, vendor, level, status, retires_on, data) VALUES ($1, $2, $3, $4, $5, $6)")
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
        sqlx::query("INSERT INTO courses (slug, certification, data) VALUES ($1, $2, $3)")
            .bind(c.slug.as_str())
            .bind(c.certification.as_str())
            .bind(json(c)?)
            .execute(&mut **tx)
            .await?;
    }
    for e in catalog.experts.values() {
        sqlx::query("INSERT INTO experts (slug, data) VALUES ($1, $2)")
            .bind(e.slug.as_str())
            .bind(json(e)?)
            .execute(&mut **tx)
            .await?;
    }
    for t in catalog.topics.values() {
        sqlx::query("INSERT INTO topics (slug, data) VALUES ($1, $2)")
            .bind(t.slug.as_str())
            .bind(json(t)?)
            .execute(&mut **tx)
            .await?;
    }
    for a in &catalog.answers {
        sqlx::query(
            "INSERT INTO answers (locale, slug, translation_key, published_on, data) VALUES ($1, $2, $3, $4, $5)",
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
        sqlx::query("INSERT INTO pages (locale, slug, data) VALUES ($1, $2, $3)")
            .bind(&p.locale)
            .bind(p.slug.as_str())
            .bind(json(p)?)
            .execute(&mut **tx)
            .await?;
    }
    // The next number under the content lock ([`lock_content`]): no gaps, as in SQLite.
    let generation: i64 = sqlx::query_scalar(
        "INSERT INTO imports (id, imported_at, certifications, courses, answers, content_hash) \
         SELECT COALESCE(MAX(id), 0) + 1, $1, $2, $3, $4, $5 FROM imports RETURNING id",
    )
    .bind(timestamp(Utc::now()))
    .bind(i64::try_from(catalog.certifications.len()).unwrap_or(i64::MAX))
    .bind(i64::try_from(catalog.courses.len()).unwrap_or(i64::MAX))
    .bind(i64::try_from(catalog.answers.len()).unwrap_or(i64::MAX))
    .bind(hash)
    .fetch_one(&mut **tx)
    .await?;
    // Delivered to the listeners when (and only if) the transaction commits.
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CONTENT_CHANNEL)
        .bind(generation.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(generation)
}

/// Takes the content lock for the rest of the transaction: one import or publish at a
/// time, while readers go on. A second writer waits (up to the lock timeout: busy).
async fn lock_content(tx: &mut Transaction<'_, Postgres>) -> Result<(), StoreError> {
    sqlx::query("LOCK TABLE imports IN EXCLUSIVE MODE").execute(&mut **tx).await?;
    Ok(())
}

async fn generation_in(conn: &mut sqlx::PgConnection) -> Result<Option<Generation>, StoreError> {
    let row = sqlx::query("SELECT id, content_hash FROM imports ORDER BY id DESC LIMIT 1")
        .fetch_optional(&mut *conn)
        .await?;
    Ok(match row {
        Some(r) => Some(Generation { number: r.try_get("id")?, content_hash: r.try_get("content_hash")? }),
        None => None,
    })
}

#[async_trait]
impl Store for PgStore {
    async fn load(&self) -> Result<Option<Stored>, StoreError> {
        // One snapshot for every read: an import landing meanwhile cannot mix old and new
        // rows, and the generation matches the rows.
        let mut conn = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").execute(&mut *conn).await?;
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
        lock_content(&mut tx).await?;
        // Dropping `tx` on error rolls back: the store keeps what it held.
        let generation = write_all(&mut tx, catalog, content_hash).await?;
        tx.commit().await?;
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
        "postgresql"
    }

    fn pool_use(&self) -> Option<PoolUse> {
        Some(PoolUse {
            size: self.pool.size(),
            idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
            max: self.pool.options().get_max_connections(),
        })
    }

    fn content_changes(&self) -> Option<tokio::sync::watch::Receiver<u64>> {
        let listener = self.listener.get_or_init(|| {
            let changes = Arc::new(tokio::sync::watch::Sender::new(0));
            let task = tokio::spawn(Self::listen(self.pool.clone(), changes.clone()));
            Listener { changes, task }
        });
        Some(listener.changes.subscribe())
    }

    async fn job_turn(&self, job: Job) -> Result<Option<JobTurn>, StoreError> {
        // A transaction-level lock, held by the open transaction: dropping the turn rolls it
        // back (sqlx sends the rollback as the connection goes back to the pool), and an
        // instance that dies takes it with its connection.
        let mut tx = self.pool.begin().await?;
        let ours: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
            .bind(job.lock_key())
            .fetch_one(&mut *tx)
            .await?;
        Ok(ours.then(|| JobTurn::held_by(tx)))
    }

    async fn secret(&self, name: &str, len: usize) -> Result<Vec<u8>, StoreError> {
        let mut fresh = vec![0u8; len];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut fresh);
        // Two instances starting at once: the first insert wins, both read the winner.
        sqlx::query(
            "INSERT INTO secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(fresh)
        .bind(timestamp(Utc::now()))
        .execute(&self.pool)
        .await?;
        let row =
            sqlx::query("SELECT value FROM secrets WHERE name = $1").bind(name).fetch_one(&self.pool).await?;
        Ok(row.try_get("value")?)
    }

    async fn append_consent(&self, r: &ConsentRecord, notice_text: &str) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO consent_notices (hash, text, first_recorded_at) VALUES ($1, $2, $3) \
             ON CONFLICT (hash) DO NOTHING",
        )
        .bind(&r.notice_hash)
        .bind(notice_text)
        .bind(timestamp(r.recorded_at))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO consent_records (record_id, consent_id, recorded_at, policy_version, notice_hash, locale, \
             action, choices, channel, javascript, gpc) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
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
        // With the server's `synchronous_commit = on` (its default) the commit is durable
        // when this returns.
        tx.commit().await?;
        Ok(())
    }

    async fn consent_records(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Vec<ConsentRecord>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {CONSENT_COLUMNS} FROM consent_records WHERE recorded_at >= $1 AND recorded_at < $2 ORDER BY seq"
        ))
        .bind(timestamp(from))
        .bind(timestamp(to))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(consent_record_from_row).collect()
    }

    async fn consent_notice(&self, hash: &str) -> Result<Option<String>, StoreError> {
        let row = sqlx::query("SELECT text FROM consent_notices WHERE hash = $1")
            .bind(hash)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.try_get("text")).transpose()?)
    }

    async fn purge_consent(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        // The one deletion the append-only trigger lets through (migrations/postgres).
        sqlx::query("SET LOCAL certwise.purge = 'consent'").execute(&mut *tx).await?;
        let done = sqlx::query("DELETE FROM consent_records WHERE recorded_at < $1")
            .bind(timestamp(before))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    async fn insert_lead(&self, lead: &Lead, notification: LeadNotification) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let session = lead.session.as_ref();
        sqlx::query(
            "INSERT INTO leads (lead_id, received_at, locale, course, course_title, session_id, \
             session_starts_on, session_location, name, email, email_key, company, message, consent_text) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
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
            sqlx::query("INSERT INTO lead_outbox (lead_id, next_attempt_at) VALUES ($1, $2)")
                .bind(&lead.id)
                .bind(timestamp(lead.received_at))
                .execute(&mut *tx)
                .await?;
        }
        // With `synchronous_commit = on` (the default) the lead (and its notification) are
        // durable when this returns.
        tx.commit().await?;
        Ok(())
    }

    async fn leads_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<Lead>, StoreError> {
        let (Some(start), Some(end)) = (day_start(from), to.succ_opt().and_then(day_start)) else {
            return Ok(Vec::new());
        };
        let rows = sqlx::query(&format!(
            "SELECT {LEAD_COLUMNS} FROM leads WHERE received_at >= $1 AND received_at < $2 ORDER BY received_at, seq"
        ))
        .bind(timestamp(start))
        .bind(timestamp(end))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(lead_from_row).collect()
    }

    async fn erase_leads(&self, email: &str) -> Result<usize, StoreError> {
        let deleted = sqlx::query("DELETE FROM leads WHERE email_key = $1")
            .bind(email_key(email))
            .execute(&self.pool)
            .await?
            .rows_affected();
        // The deleted rows stay in their pages until a vacuum frees the space for reuse:
        // vacuum the two tables now. Best effort; the server's write-ahead log and any
        // backups keep their copies for as long as the operator keeps them (README).
        for table in ["leads", "lead_outbox"] {
            if let Err(e) = sqlx::query(&format!("VACUUM {table}")).execute(&self.pool).await {
                tracing::warn!("vacuuming {table} after an erasure failed: {e}");
            }
        }
        Ok(usize::try_from(deleted).unwrap_or(usize::MAX))
    }

    async fn purge_leads(&self, before: DateTime<Utc>) -> Result<usize, StoreError> {
        let deleted = sqlx::query("DELETE FROM leads WHERE received_at < $1")
            .bind(timestamp(before))
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(usize::try_from(deleted).unwrap_or(usize::MAX))
    }

    async fn due_notifications(
        &self,
        now: DateTime<Utc>,
        limit: usize,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<Notification>, StoreError> {
        // One statement claims and counts the attempt; rows another worker is claiming are
        // skipped, and a row it claimed meanwhile is re-checked (no longer due): two workers
        // never claim one row.
        let claimed = sqlx::query(
            "UPDATE lead_outbox SET attempts = attempts + 1, next_attempt_at = $1 WHERE id IN \
             (SELECT id FROM lead_outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
              ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) RETURNING id, lead_id, attempts",
        )
        .bind(timestamp(lease_until))
        .bind(timestamp(now))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        let mut due = Vec::with_capacity(claimed.len());
        for row in &claimed {
            let lead_id: String = row.try_get("lead_id")?;
            let lead = sqlx::query(&format!("SELECT {LEAD_COLUMNS} FROM leads WHERE lead_id = $1"))
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
            "UPDATE lead_outbox SET status = 'delivered', last_error = NULL, finished_at = $1 WHERE id = $2",
        )
        .bind(timestamp(Utc::now()))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn mark_retry(&self, id: i64, next_at: DateTime<Utc>, error: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE lead_outbox SET next_attempt_at = $1, last_error = $2 WHERE id = $3 AND status = 'pending'",
        )
        .bind(timestamp(next_at))
        .bind(error)
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn mark_failed(&self, id: i64, error: &str) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE lead_outbox SET status = 'failed', last_error = $1, finished_at = $2 WHERE id = $3",
        )
        .bind(error)
        .bind(timestamp(Utc::now()))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn notification_state(&self, lead_id: &str) -> Result<Option<NotificationState>, StoreError> {
        let row = sqlx::query(&format!("SELECT {NOTIFICATION_COLUMNS} FROM lead_outbox WHERE lead_id = $1"))
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
            sqlx::query("SELECT path, text, revision, imported_revision FROM content_files WHERE path = $1")
                .bind(path)
                .fetch_optional(&self.pool)
                .await?;
        row.as_ref().map(content_file_from_row).transpose()
    }

    async fn publish(&self, p: &Publish<'_>) -> Result<ImportSummary, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Taking the content lock first: the generation and the revisions checked below
        // cannot change before this transaction commits.
        lock_content(&mut tx).await?;
        if generation_in(&mut tx).await?.map(|g| g.number) != p.base_generation {
            return Err(StoreError::GenerationMoved);
        }
        let mut conflicts = Vec::new();
        for change in &p.changes {
            let current: Option<i64> =
                sqlx::query_scalar("SELECT revision FROM content_files WHERE path = $1")
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
            let revision: i64 = sqlx::query_scalar(
                "INSERT INTO revisions (path, text, author, origin, message, created_at, generation) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(&change.path)
            .bind(change.text.as_deref())
            .bind(p.author)
            .bind(p.origin.as_str())
            .bind(p.message)
            .bind(&now)
            .bind(generation)
            .fetch_one(&mut *tx)
            .await?;
            last_revision = Some(revision);
            let imported = (p.origin == Origin::Import).then_some(revision);
            match &change.text {
                Some(text) => {
                    sqlx::query(
                        "INSERT INTO content_files (path, text, revision, imported_revision) VALUES ($1, $2, $3, $4) \
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
                    sqlx::query("DELETE FROM content_files WHERE path = $1")
                        .bind(&change.path)
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        for path in &p.confirmed {
            sqlx::query("UPDATE content_files SET imported_revision = revision WHERE path = $1")
                .bind(path)
                .execute(&mut *tx)
                .await?;
        }
        for change in p.fact_changes {
            sqlx::query("INSERT INTO fact_changes (code, on_day, data, revision) VALUES ($1, $2, $3, $4)")
                .bind(change.code.as_str())
                .bind(change.on.to_string())
                .bind(json(change)?)
                .bind(last_revision)
                .execute(&mut *tx)
                .await?;
        }
        if let Some((path, version)) = p.draft {
            let removed = sqlx::query("DELETE FROM drafts WHERE path = $1 AND version = $2")
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
        Ok(summary)
    }

    async fn revisions(&self, path: &str) -> Result<Vec<RevisionInfo>, StoreError> {
        let rows = sqlx::query(&format!(
            "SELECT {REVISION_COLUMNS} FROM revisions WHERE path = $1 ORDER BY id DESC"
        ))
        .bind(path)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(revision_info_from_row).collect()
    }

    async fn recent_revisions(&self, limit: usize) -> Result<Vec<RevisionInfo>, StoreError> {
        let rows =
            sqlx::query(&format!("SELECT {REVISION_COLUMNS} FROM revisions ORDER BY id DESC LIMIT $1"))
                .bind(i64::try_from(limit).unwrap_or(i64::MAX))
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(revision_info_from_row).collect()
    }

    async fn revision(&self, id: i64) -> Result<Option<Revision>, StoreError> {
        let row = sqlx::query(&format!("SELECT {REVISION_COLUMNS}, text FROM revisions WHERE id = $1"))
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
        let row = sqlx::query(&format!("SELECT {DRAFT_COLUMNS} FROM drafts WHERE path = $1"))
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
        // One save of any draft at a time (readers go on): two first saves of a file
        // cannot both find no draft.
        sqlx::query("LOCK TABLE drafts IN EXCLUSIVE MODE").execute(&mut *tx).await?;
        let current: Option<i64> = sqlx::query_scalar("SELECT version FROM drafts WHERE path = $1")
            .bind(path)
            .fetch_optional(&mut *tx)
            .await?;
        if current != expected {
            return Err(StoreError::Conflict(vec![path.to_owned()]));
        }
        let version = current.unwrap_or(0) + 1;
        sqlx::query(
            "INSERT INTO drafts (path, text, state, base_revision, author, updated_at, version) \
             VALUES ($1, $2, 'draft', $3, $4, $5, $6) \
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
        let done = sqlx::query("UPDATE drafts SET state = $1 WHERE path = $2 AND version = $3")
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
        let done = sqlx::query("DELETE FROM drafts WHERE path = $1 AND version = $2")
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
        // Each session as the newest lead about it saw it (DISTINCT ON keeps the first row
        // of each group); NULLs sort first, as in SQLite.
        let rows = sqlx::query(
            "SELECT * FROM (SELECT DISTINCT ON (course, session_id) course, session_id, session_starts_on, \
             session_location, \
             (SELECT t.course_title FROM leads t WHERE t.course = l.course ORDER BY t.seq DESC LIMIT 1) AS course_title \
             FROM leads l ORDER BY course, session_id, seq DESC) s \
             ORDER BY course, session_starts_on NULLS FIRST, session_id NULLS FIRST",
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
                "UPDATE leads SET handled_at = $1, handled_by = $2 WHERE lead_id = $3 AND handled_at IS NULL",
            )
            .bind(timestamp(audit.at))
            .bind(audit.actor)
            .bind(lead_id)
            .execute(&mut *tx)
            .await?
        } else {
            sqlx::query(
                "UPDATE leads SET handled_at = NULL, handled_by = NULL WHERE lead_id = $1 AND handled_at IS NOT NULL",
            )
            .bind(lead_id)
            .execute(&mut *tx)
            .await?
        };
        if changed.rows_affected() == 0 {
            let exists = sqlx::query("SELECT 1 FROM leads WHERE lead_id = $1")
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
        // Locking the row first: a worker cannot mark it between the read and the update
        // below.
        let row = sqlx::query(&format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM lead_outbox WHERE lead_id = $1 FOR UPDATE"
        ))
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
            "UPDATE lead_outbox SET status = 'pending', next_attempt_at = $1, finished_at = NULL WHERE lead_id = $2",
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
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO users (email, email_key, role, password_hash, must_change_password, created_at) \
             VALUES ($1, $2, $3, $4, TRUE, $5) ON CONFLICT (email_key) DO NOTHING RETURNING id",
        )
        .bind(email.trim())
        .bind(email_key(email))
        .bind(role.as_str())
        .bind(password_hash)
        .bind(timestamp(now))
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = inserted else { return Ok(None) };
        let event =
            AuditEvent { at: now, actor, action: "user.add", target: email.trim(), detail: role.as_str() };
        insert_audit(&mut tx, &event).await?;
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let user = user_from_row(&row, "")?;
        tx.commit().await?;
        Ok(Some(user))
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE email_key = $1"))
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
        // The update locks the account's row: a login's `start_session` waits for it, then
        // finds the new hash (and starts nothing); one that started first is ended below.
        sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(must_change)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id IS DISTINCT FROM $2")
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
        sqlx::query("UPDATE users SET disabled_at = COALESCE(disabled_at, $1) WHERE id = $2")
            .bind(timestamp(audit.at))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
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
        // Locking the account's row: a password change or disabling committed meanwhile is
        // seen (the row is read again after the wait), and one that comes later waits for
        // this transaction and then ends the session it started.
        let current = sqlx::query(
            "SELECT id FROM users WHERE id = $1 AND password_hash = $2 AND disabled_at IS NULL FOR UPDATE",
        )
        .bind(user_id)
        .bind(password_hash)
        .fetch_optional(&mut *tx)
        .await?;
        if current.is_none() {
            return Err(StoreError::Conflict(vec![format!("account {user_id}")]));
        }
        // After the account's lock, as a password change takes them: no deadlock.
        if let Some(old) = replaces {
            sqlx::query("DELETE FROM sessions WHERE id = $1").bind(old).execute(&mut *tx).await?;
        }
        sqlx::query("INSERT INTO sessions (id, user_id, created_at, last_seen_at) VALUES ($1, $2, $3, $3)")
            .bind(id)
            .bind(user_id)
            .bind(timestamp(audit.at))
            .execute(&mut *tx)
            .await?;
        insert_audit(&mut tx, audit).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn session(&self, id: &str) -> Result<Option<(Session, User)>, StoreError> {
        let columns =
            USER_COLUMNS.split(", ").map(|c| format!("u.{c} AS u_{c}")).collect::<Vec<_>>().join(", ");
        let Some(row) = sqlx::query(&format!(
            "SELECT s.id, s.user_id, s.created_at, s.last_seen_at, {columns} \
             FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1"
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
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
            .bind(timestamp(at))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn end_session(&self, id: &str, audit: Option<&AuditEvent<'_>>) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM sessions WHERE id = $1").bind(id).execute(&mut *tx).await?;
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
        let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
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
            "SELECT id, user_id, created_at, last_seen_at FROM sessions WHERE user_id = $1 \
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
            "SELECT seq, at, actor, action, target, detail FROM audit_log ORDER BY seq DESC LIMIT $1 OFFSET $2",
        )
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(audit_entry_from_row).collect()
    }
}

// Accounts, sessions and the audit log (issue 12): the helpers of the methods above.

/// A publish's audit entry, in its transaction (see [`PublishAudit`]).
async fn insert_publish_audit(
    tx: &mut Transaction<'_, Postgres>,
    audit: &PublishAudit<'_>,
    summary: &ImportSummary,
) -> Result<(), StoreError> {
    let PublishAudit { actor, action, target, .. } = *audit;
    let detail = audit.detail(summary);
    insert_audit(tx, &AuditEvent { at: Utc::now(), actor, action, target, detail: &detail }).await
}

/// Appends `event` to the audit log inside a transaction.
async fn insert_audit(tx: &mut Transaction<'_, Postgres>, event: &AuditEvent<'_>) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO audit_log (at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(timestamp(event.at))
        .bind(event.actor)
        .bind(event.action)
        .bind(event.target)
        .bind(event.detail)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
