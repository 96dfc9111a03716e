//! Content that goes live: a running server follows the database's content generation,
//! so an import made by any process — `certwise import`, `serve --watch`, another
//! instance — is served within a poll interval, with no request failing during the swap.
//! Where the store announces changes ([`Store::content_changes`]: `PostgreSQL`'s
//! `LISTEN/NOTIFY`) the follower looks at once as well; polling stays, as the backstop
//! for an announcement lost.
//!
//! The signal is one cheap query (the newest import's id), never a read of the catalog.
//! On a new generation the catalog is loaded and the snapshot (indexes, rendered
//! Markdown) built off the async runtime, then swapped in atomically; requests in flight
//! finish on the old snapshot, which is freed with its last user, so at most two exist.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use crate::app::content_hash;
use crate::content;
use crate::snapshot::Snapshot;
use crate::store::Store;
use crate::web::AppState;

/// How often a server asks the database for its content generation.
pub const POLL: Duration = Duration::from_millis(500);

/// Follows the database's content generation until the process ends: every `every`, and
/// whenever the store announces a change.
pub async fn follow(state: AppState, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut changes = state.store.content_changes();
    let mut failing = false;
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            () = announced(&mut changes) => {}
        }
        match refresh(&state).await {
            Ok(_) => failing = false,
            // Logged once per outage, not every tick; the last good content stays live.
            Err(e) if !failing => {
                failing = true;
                tracing::error!("following the content generation failed (retrying): {e:#}");
            }
            Err(_) => {}
        }
    }
}

/// Until the store announces a change; never where it announces none.
async fn announced(changes: &mut Option<tokio::sync::watch::Receiver<u64>>) {
    if let Some(receiver) = changes {
        if receiver.changed().await.is_ok() {
            return;
        }
    }
    // Not announced here, or no longer: the poll goes on.
    *changes = None;
    std::future::pending::<()>().await;
}

/// Serves the database's current content if it is newer than the served snapshot.
/// Returns the generation now served when it changed.
pub async fn refresh(state: &AppState) -> anyhow::Result<Option<i64>> {
    // One refresh at a time (the poll and a publish's own): the second finds the new
    // generation served and builds nothing.
    let _one = state.refreshing.lock().await;
    let served = state.published.current().content_generation;
    let Some(generation) = state.store.generation().await.context("reading the content generation")? else {
        return Ok(None);
    };
    if generation.number == served {
        return Ok(None);
    }
    let stored = state.store.load().await.context("reading the new content")?;
    let Some(stored) = stored else { return Ok(None) };
    let number = stored.generation.number;
    let snapshot = tokio::task::spawn_blocking(move || {
        Snapshot::new(stored.catalog).at_generation(number).with_fact_changes(stored.fact_changes)
    })
    .await
    .context("building the snapshot")?;
    state.published.replace(snapshot);
    state.pages.clear();
    // Searches keep using the previous index until this one is built.
    state.search.build_in_background(state.published.current());
    tracing::info!("serving content generation {number} (was {served})");
    Ok(Some(number))
}

/// At start: tells the operator when the content directory holds other content than the
/// database serves, with the command that imports it. Runs off the async runtime; a
/// directory with errors is reported as such.
pub async fn report_drift(store: Arc<dyn Store>, dir: PathBuf, database_url: String) {
    let Ok(Some(generation)) = store.generation().await else { return };
    let checked = {
        let dir = dir.clone();
        match tokio::task::spawn_blocking(move || content::check_dir(&dir)).await {
            Ok(checked) => checked,
            Err(_) => return,
        }
    };
    let Some(catalog) = checked.catalog else {
        if dir.exists() {
            tracing::warn!(
                "{} has {} error(s) (run `certwise check {}`); the database's content stays live",
                dir.display(),
                checked.errors(),
                dir.display()
            );
        }
        return;
    };
    if generation.content_hash.as_deref() != Some(content_hash(&catalog).as_str()) {
        tracing::warn!(
            "{} differs from the content the database serves; to serve it, run: certwise import {} --database {}",
            dir.display(),
            dir.display(),
            crate::store::display_url(&database_url)
        );
    }
}

/// `serve --watch`: re-checks the content directory after changes have settled and
/// imports it when it is valid and differs from what the database holds. Check errors are
/// logged; the last good content stays live.
pub async fn watch(
    store: Arc<dyn Store>,
    dir: PathBuf,
    settle: Duration,
    clock: crate::web::Clock,
) -> anyhow::Result<()> {
    use notify::{RecursiveMode, Watcher as _};
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if event.paths.iter().any(|p| !is_editor_scratch(p)) {
                let _ = tx.send(());
            }
        }
    })
    .context("starting the file watcher")?;
    watcher.watch(&dir, RecursiveMode::Recursive).with_context(|| format!("watching {}", dir.display()))?;
    tracing::info!("watching {} for changes", dir.display());
    while rx.recv().await.is_some() {
        // Debounce: wait until no change has come for `settle`.
        loop {
            match tokio::time::timeout(settle, rx.recv()).await {
                Ok(Some(())) => {}
                Ok(None) => return Ok(()),
                Err(_) => break,
            }
        }
        if let Err(e) = import_if_changed(store.as_ref(), &dir, clock.today()).await {
            tracing::warn!("{e:#}");
        }
    }
    Ok(())
}

/// Checks `dir` and imports what differs from the database's content, under the
/// ownership rule: files edited in the editors' area since their last import are kept
/// (logged). Returns whether anything was written.
pub async fn import_if_changed(
    store: &dyn Store,
    dir: &Path,
    today: chrono::NaiveDate,
) -> anyhow::Result<bool> {
    let options = crate::app::ImportOptions { force: false, today };
    let imported = crate::app::import_with(store, dir, options)
        .await
        .map_err(|e| e.context(format!("{}: the last good content stays live", dir.display())))?;
    for path in &imported.kept {
        tracing::warn!(
            "{path}: edited in the editors' area since its last import, so the file's version was not imported \
             (certwise import --force overwrites it)"
        );
    }
    if let Some(summary) = &imported.summary {
        tracing::info!("imported {summary} from {}", dir.display());
    }
    Ok(imported.summary.is_some())
}

/// Files editors and their tools write beside the real ones: swap and backup files,
/// lock files, temporary saves.
fn is_editor_scratch(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return true };
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || matches!(extension.as_str(), "swp" | "swx" | "tmp" | "bak")
        || name == "4913" // vim's write test
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_scratch_files_are_ignored() {
        for name in [".answer.md.swp", "answer.md~", "#answer.md#", ".#answer.md", "4913", "x.tmp"] {
            assert!(is_editor_scratch(Path::new(name)), "{name}");
        }
        for name in ["answer.md", "md-102.toml", "site.toml"] {
            assert!(!is_editor_scratch(Path::new(name)), "{name}");
        }
    }
}
