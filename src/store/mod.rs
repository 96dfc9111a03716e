//! Persistence behind one trait, one implementation per database.
//!
//! Callers hold an `Arc<dyn Store>` from [`open`]; a `PostgreSQL` implementation is a new
//! module and a new arm in `open`, nothing else. The published catalog is read once at
//! start and after each import into an in-memory snapshot (see `crate::snapshot`), so
//! page views never wait on the database.

mod sqlite;

use std::sync::Arc;

use async_trait::async_trait;

use crate::domain::Catalog;

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
}

#[async_trait]
pub trait Store: Send + Sync + std::fmt::Debug {
    /// The published catalog, or `None` when nothing was ever imported.
    async fn load(&self) -> Result<Option<Catalog>, StoreError>;

    /// Replaces the whole published catalog in one transaction: afterwards the store holds
    /// exactly `catalog`, or, on any error, exactly what it held before.
    async fn replace_catalog(&self, catalog: &Catalog) -> Result<ImportSummary, StoreError>;

    /// Whether the database answers.
    async fn ping(&self) -> Result<(), StoreError>;
}

/// Opens (and migrates) the database a URL names.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else {
        Err(StoreError::UnsupportedUrl(url.to_owned()))
    }
}
