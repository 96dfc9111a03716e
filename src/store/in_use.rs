//! The lock file that tells a `SQLite` database in use (`certwise.db.lock`), for
//! `certwise restore` (see `crate::backup`).

use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::bail;

/// The lock that tells a database in use (`backup` module docs): shared by each process with the
/// database open (its store holds it), exclusive for a restore. Released when dropped, or when the process ends.
#[derive(Debug)]
pub struct InUse {
    _file: File,
}

impl InUse {
    pub fn lock_file(database: &Path) -> PathBuf {
        let mut name = database.as_os_str().to_owned();
        name.push(".lock");
        PathBuf::from(name)
    }

    fn open(database: &Path) -> std::io::Result<File> {
        let path = Self::lock_file(database);
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| std::io::Error::new(e.kind(), format!("opening {}: {e}", path.display())))
    }

    /// Held by every store on `database` for as long as it is open: a restore waits for
    /// none of them, it refuses.
    pub(super) fn shared(database: &Path) -> std::io::Result<Self> {
        let file = Self::open(database)?;
        rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockShared).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::WouldBlock,
                format!(
                    "{} is being restored ({e}); start again when the restore is done",
                    database.display()
                ),
            )
        })?;
        Ok(Self { _file: file })
    }

    /// Taken by `restore`: fails at once while any server holds the database.
    pub fn exclusive(database: &Path) -> anyhow::Result<Self> {
        let file = Self::open(database)?;
        if let Err(e) = rustix::fs::flock(&file, rustix::fs::FlockOperation::NonBlockingLockExclusive) {
            bail!(
                "{} is in use by a running certwise ({e}): a server or another command; stop it first; a backup \
                 can be taken while it serves, a restore cannot",
                database.display()
            );
        }
        Ok(Self { _file: file })
    }
}
