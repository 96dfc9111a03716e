//! Persistence behind one trait, one implementation per database.
//!
//! Callers hold an `Arc<dyn Store>` from [`open`]; a `PostgreSQL` implementation is a new
//! module and a new arm in `open`, nothing else. The published catalog is read once at
//! start and after each import into an in-memory snapshot (see `crate::snapshot`), so
//! page views never wait on the database.

mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;

use chrono::{DateTime, Utc};

use crate::domain::Catalog;
use crate::domain::consent::ConsentRecord;

pub use sqlite::SqliteStore;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL `{0}`: expected sqlite://PATH (postgres:// is planned)")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("stored record is unreadable: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("cannot create the database directory: {0}")]
    Io(#[from] std::io::Error),
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
}

/// Timestamps are stored as fixed-width RFC 3339 text in UTC, so text order is time order.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The database file a URL names, for the databases that live in one file.
pub fn database_file(url: &str) -> Option<std::path::PathBuf> {
    if url.starts_with("sqlite:") { sqlite::database_file(url) } else { None }
}

/// Removes a database file and its companions (`-wal`, `-shm`); failures are logged.
pub fn remove_database_file(file: &std::path::Path) {
    for suffix in ["", "-wal", "-shm"] {
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
    } else {
        Err(StoreError::UnsupportedUrl(url.to_owned()))
    }
}
