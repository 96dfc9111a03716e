//! `certwise backup FILE` and `certwise restore FILE`: a consistent copy of a `SQLite`
//! database taken while the server serves, and putting one back while nothing uses the
//! database. `PostgreSQL` has its own tools (`pg_dump`, `pg_restore`); for a `postgres://`
//! URL both commands say so and fail.
//!
//! - **Backup** is `VACUUM INTO` a new file beside the target, then `fsync` and a link to
//!   the target's name: one read transaction, so the copy is the database as of one moment,
//!   and in WAL mode the server's writers go on meanwhile. The target must not exist (a
//!   backup never overwrites one), and a backup cut short leaves no file of that name.
//! - **In use** is told by a lock file beside the database (`certwise.db.lock`): every
//!   process with the database open (`serve`, `import`, `user`, `export`, …: the store
//!   holds it, `store::InUse`) has a shared `flock` on it, `restore` takes it exclusively
//!   without waiting and refuses when it cannot. The kernel drops the lock with the
//!   process, so a killed server leaves nothing stale. A separate file rather than the
//!   database itself: closing any descriptor of the database file would drop the POSIX
//!   locks `SQLite` holds on it in the same process.
//! - **Restore** copies the backup beside the database, checks the copy
//!   (`PRAGMA integrity_check`, and that every migration it records is one this binary
//!   knows, with the same checksum — a backup from a newer certwise is refused), `fsync`s
//!   it, removes the old database's `-wal` and `-shm` (they belong to the old file and would
//!   be replayed into the new one), renames the copy over the database and `fsync`s the
//!   folder. A restored database older than this binary is migrated at the next start.

use std::fs::File;

use crate::store::InUse;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions as _, Connection as _};

/// What a backup wrote.
#[derive(Debug, Clone)]
pub struct Backup {
    pub file: PathBuf,
    pub bytes: u64,
    pub took: Duration,
}

/// What `pg_dump`/`pg_restore` would do for a `PostgreSQL` URL, as the error to show.
fn postgres_tools(url: &str, command: &str) -> anyhow::Result<()> {
    if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        bail!(
            "`certwise {command}` copies SQLite databases; for PostgreSQL use its own tools, e.g. \
             `pg_dump --format=custom --file=certwise.dump \"$URL\"` and \
             `createdb certwise_restored && pg_restore --no-owner --dbname=certwise_restored certwise.dump`, \
             then point the instances at the restored database (README: PostgreSQL and several instances)"
        );
    }
    Ok(())
}

/// The database file a URL names, which must exist.
fn existing_file(url: &str) -> anyhow::Result<PathBuf> {
    let Some(file) = crate::store::database_file(url) else {
        bail!("`{url}` names no database file (expected sqlite://PATH)");
    };
    if !file.exists() {
        bail!("no database at {} (--database / CERTWISE_DATABASE_URL)", file.display());
    }
    Ok(file)
}

/// `certwise backup FILE`: a consistent copy of the database at `url`, safe while a server
/// writes to it.
pub async fn backup(url: &str, to: &Path) -> anyhow::Result<Backup> {
    postgres_tools(url, "backup")?;
    let source = existing_file(url)?;
    if to.exists() {
        bail!("{} already exists: a backup never overwrites a file; choose a new name", to.display());
    }
    let started = Instant::now();
    let staged = beside(to, "partial")?;
    let result = async {
        let mut conn = SqliteConnectOptions::new()
            .filename(&source)
            .create_if_missing(false)
            // Waits out a writer's commit rather than failing; the copy is one read transaction.
            .busy_timeout(Duration::from_secs(30))
            .connect()
            .await
            .with_context(|| format!("opening {}", source.display()))?;
        let target = staged.to_str().context("the backup's path is not valid UTF-8")?;
        sqlx::query("VACUUM INTO ?").bind(target).execute(&mut conn).await.context("copying the database")?;
        conn.close().await.ok();
        File::open(&staged)?.sync_all()?;
        // A link fails when the name exists: the check above cannot race with another backup.
        std::fs::hard_link(&staged, to).with_context(|| format!("writing {}", to.display()))?;
        sync_folder(to)?;
        anyhow::Ok(())
    }
    .await;
    let _ = std::fs::remove_file(&staged);
    result?;
    let bytes = std::fs::metadata(to)?.len();
    Ok(Backup { file: to.to_path_buf(), bytes, took: started.elapsed() })
}

/// `certwise restore FILE`: replaces the database at `url` with the backup `from`, refused
/// while a server uses it and when the backup does not check.
pub async fn restore(url: &str, from: &Path) -> anyhow::Result<()> {
    postgres_tools(url, "restore")?;
    let Some(database) = crate::store::database_file(url) else {
        bail!("`{url}` names no database file (expected sqlite://PATH)");
    };
    if !from.is_file() {
        bail!("no backup at {}", from.display());
    }
    if let Some(dir) = database.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let _exclusive = InUse::exclusive(&database)?;
    let staged = beside(&database, "restoring")?;
    let result = async {
        std::fs::copy(from, &staged).with_context(|| format!("copying {}", from.display()))?;
        verify(&staged)
            .await
            .with_context(|| format!("{} is not a usable certwise backup", from.display()))?;
        File::open(&staged)?.sync_all()?;
        // The old file's write-ahead log would be replayed into the new file: it goes first.
        for suffix in ["-wal", "-shm"] {
            let mut companion = database.as_os_str().to_owned();
            companion.push(suffix);
            match std::fs::remove_file(&companion) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(e).with_context(|| format!("removing {}", Path::new(&companion).display()));
                }
                _ => {}
            }
        }
        std::fs::rename(&staged, &database).with_context(|| format!("replacing {}", database.display()))?;
        sync_folder(&database)?;
        anyhow::Ok(())
    }
    .await;
    if result.is_err() {
        let _ = std::fs::remove_file(&staged);
    }
    result
}

/// Checks a copy of a database: `SQLite`'s integrity check, and migrations this binary knows.
async fn verify(file: &Path) -> anyhow::Result<()> {
    let mut conn = SqliteConnectOptions::new()
        .filename(file)
        .create_if_missing(false)
        // The staged copy is ours alone: no write-ahead log is left beside it.
        .journal_mode(SqliteJournalMode::Delete)
        .connect()
        .await
        .context("opening it as a SQLite database")?;
    let problems: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut conn).await?;
    if problems != ["ok"] {
        bail!("SQLite's integrity check failed: {}", problems.join("; "));
    }
    let applied: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(&mut conn)
            .await
            .context("it holds no certwise migrations")?;
    if applied.is_empty() {
        bail!("it holds no certwise migrations");
    }
    // The same migrations `store::open` runs: what this binary knows.
    let known = sqlx::migrate!("./migrations/sqlite");
    for (version, checksum) in &applied {
        match known.iter().find(|m| m.version == *version) {
            None => bail!("it was written by a newer certwise (migration {version} is unknown to this one)"),
            Some(m) if m.checksum.as_ref() != checksum.as_slice() => {
                bail!("its migration {version} differs from this certwise's")
            }
            Some(_) => {}
        }
    }
    conn.close().await.ok();
    Ok(())
}

/// A name beside `file` for work in progress (`.certwise.db.restoring-1234`).
fn beside(file: &Path, what: &str) -> anyhow::Result<PathBuf> {
    let name = file.file_name().with_context(|| format!("{} names no file", file.display()))?;
    Ok(file.with_file_name(format!(".{}.{what}-{}", name.to_string_lossy(), std::process::id())))
}

/// Makes a rename or link in `file`'s folder durable.
fn sync_folder(file: &Path) -> anyhow::Result<()> {
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    File::open(dir).and_then(|d| d.sync_all()).with_context(|| format!("syncing {}", dir.display()))
}
