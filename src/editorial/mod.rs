//! Changing the published content: imports (with the ownership rule), publishes from the
//! editors' area, restores, and the export back to a content directory.
//!
//! Every change goes the same way: the store's files with the change applied are checked
//! by `content::check_files` — the one validation of `certwise check` — and written by
//! `Store::publish` in one transaction (a revision per changed file, the derived catalog,
//! the fact changes, a new content generation), which every server follows
//! (`live::follow`).
//!
//! **Ownership** (PRODUCT.md, capability 9): the database owns the content; a content
//! directory is an import and export format. An import does not overwrite a file edited
//! in the editors' area since that file's last import (nor remove one created there):
//! that file keeps the database's version and is listed by path, and the rest is
//! imported — when the whole still passes the checks. `--force` overwrites them; their
//! browser versions stay in the revisions, so nothing is lost.

pub mod form;

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, bail};
use chrono::NaiveDate;

use crate::content::FileKind;
use crate::content::{self, Checked, Diagnostic, Files};
use crate::domain::Catalog;
use crate::domain::staleness::{self, Change, FactChange};
use crate::store::{
    ContentFile, FileChange, ImportSummary, Origin, Publish, PublishAudit, Store, StoreError,
};

/// The author of the revisions an import writes.
pub const IMPORT_AUTHOR: &str = "import";

/// What an import did.
#[derive(Debug)]
pub struct Imported {
    /// `None` when the directory held what the database holds: nothing was written.
    pub summary: Option<ImportSummary>,
    /// The files kept as edited in the editors' area (the ownership rule), by path.
    pub kept: Vec<String>,
    /// The catalog now published.
    pub catalog: Catalog,
}

/// `certwise import DIR [--force]` (and `serve --watch`, and the first start): writes what
/// differs between the checked directory and the database, file by file, following the
/// ownership rule unless `force`. `previous` is the published catalog the fact changes
/// are measured against (`None` on an empty database); they take effect on `today`.
pub async fn import(
    store: &dyn Store,
    dir: &Path,
    checked: Checked,
    force: bool,
    today: NaiveDate,
    previous: Option<&Catalog>,
) -> anyhow::Result<Imported> {
    let Checked { catalog: Some(catalog), files, .. } = checked else {
        bail!("{} has {} error(s)", dir.display(), checked.errors());
    };
    let base_generation =
        store.generation().await.context("reading the content generation")?.map(|g| g.number);
    let stored: BTreeMap<String, ContentFile> = store
        .content_files()
        .await
        .context("reading the stored files")?
        .into_iter()
        .map(|f| (f.path.clone(), f))
        .collect();
    let plan = Plan::of(&files, &stored, force);
    if plan.changes.is_empty() && plan.confirmed.is_empty() {
        return Ok(Imported { summary: None, kept: plan.kept, catalog });
    }
    let catalog = if plan.kept.is_empty() {
        catalog
    } else {
        // The directory with the kept files as the database has them: checked again, so
        // what goes live is whole.
        let mut merged = files;
        for path in &plan.kept {
            merged.insert(path.clone(), stored[path].text.clone());
        }
        let root = dir.to_path_buf();
        let checked = tokio::task::spawn_blocking(move || content::check_files(&root, &merged)).await?;
        match checked.catalog {
            Some(c) => c,
            None => {
                crate::app::report(&checked);
                bail!(
                    "{} record(s) edited in the editors' area since their last import were kept ({}), \
                     and with them the content has {} error(s); nothing was imported (--force overwrites them)",
                    plan.kept.len(),
                    plan.kept.join(", "),
                    checked.errors()
                );
            }
        }
    };
    let fact_changes = previous.map(|p| staleness::fact_changes(p, &catalog, today)).unwrap_or_default();
    let hash = crate::app::content_hash(&catalog);
    let target = dir.display().to_string();
    let kept = if plan.kept.is_empty() {
        String::new()
    } else {
        format!("kept as edited in the browser: {}", plan.kept.join(", "))
    };
    let summary = store
        .publish(&Publish {
            catalog: &catalog,
            content_hash: &hash,
            author: IMPORT_AUTHOR,
            origin: Origin::Import,
            message: if force { "Imported (forced)" } else { "Imported" },
            changes: plan.changes,
            confirmed: plan.confirmed,
            fact_changes: &fact_changes,
            draft: None,
            base_generation,
            audit: PublishAudit {
                actor: IMPORT_AUTHOR,
                action: "content.import",
                target: &target,
                note: &kept,
                counts: true,
            },
        })
        .await
        .map_err(|e| match e {
            StoreError::GenerationMoved | StoreError::Conflict(_) => anyhow::anyhow!(
                "the content changed in the database while this import was prepared (a publish or another \
                 import); nothing was written — run the import again"
            ),
            // One transaction: a full disk or a busy database leaves the old content whole.
            e if e.unavailable().is_some() => anyhow::Error::new(e)
                .context("nothing was written (run the import again once the database can take it)"),
            e => anyhow::Error::new(e).context("writing the content"),
        })?;
    Ok(Imported { summary: Some(summary), kept: plan.kept, catalog })
}

/// What an import writes, file by file.
#[derive(Debug, Default)]
struct Plan {
    changes: Vec<FileChange>,
    confirmed: Vec<String>,
    kept: Vec<String>,
}

impl Plan {
    fn of(files: &Files, stored: &BTreeMap<String, ContentFile>, force: bool) -> Self {
        let mut plan = Plan::default();
        for (path, text) in files {
            match stored.get(path) {
                Some(f) if f.text == *text => {
                    if f.edited_since_import() {
                        plan.confirmed.push(path.clone());
                    }
                }
                Some(f) if f.edited_since_import() && !force => plan.kept.push(path.clone()),
                other => plan.changes.push(FileChange {
                    path: path.clone(),
                    text: Some(text.clone()),
                    expected: other.map(|f| f.revision),
                }),
            }
        }
        for (path, f) in stored {
            if files.contains_key(path) {
                continue;
            }
            if f.edited_since_import() && !force {
                plan.kept.push(path.clone());
            } else {
                plan.changes.push(FileChange { path: path.clone(), text: None, expected: Some(f.revision) });
            }
        }
        plan.kept.sort();
        plan
    }
}

/// Why a change from the editors' area was not published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The content with the change fails the checks: nothing was written.
    #[error("the change does not pass the checks")]
    Invalid(Vec<Diagnostic>),
    /// The file changed since the editor read it: nothing was written.
    #[error("changed meanwhile by someone else")]
    Conflict,
    #[error(transparent)]
    Store(StoreError),
    #[error("checking the content failed: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl From<StoreError> for PublishError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict(_) => PublishError::Conflict,
            e => PublishError::Store(e),
        }
    }
}

/// One file's change from the editors' area.
#[derive(Debug, Clone)]
pub struct Edit<'a> {
    pub path: &'a str,
    /// The new text; `None` removes the file.
    pub text: Option<String>,
    /// The revision the editor started from (`None`: a new file).
    pub expected: Option<i64>,
    pub author: &'a str,
    pub message: &'a str,
    /// The audit log's name for it (`content.publish`, `content.restore`, …), written with
    /// the content in one transaction.
    pub action: &'a str,
    /// The draft this publishes and its version, removed with it.
    pub draft: Option<(&'a str, i64)>,
}

/// The store's files with one change applied, checked as `certwise check` would
/// (messages name the files under `content/`), with the generation they were read at.
#[derive(Debug)]
pub struct CheckedEdit {
    pub checked: Checked,
    /// The content generation read before the files: a publish of this check is refused
    /// if another has landed since (its files were not part of the check).
    pub generation: Option<i64>,
}

/// Checks the store's files with `path` set to `text` (`None`: removed).
pub async fn check_edit(
    store: &dyn Store,
    path: &str,
    text: Option<String>,
) -> Result<CheckedEdit, PublishError> {
    let generation = store.generation().await?.map(|g| g.number);
    let mut files: Files = store.content_files().await?.into_iter().map(|f| (f.path, f.text)).collect();
    match text {
        Some(text) => files.insert(path.to_owned(), text),
        None => files.remove(path),
    };
    let checked =
        tokio::task::spawn_blocking(move || content::check_files(Path::new("content"), &files)).await?;
    Ok(CheckedEdit { checked, generation })
}

/// Publishes one file's change (a draft, a restore, a review mark): checked with the rest
/// of the content, then written as a new generation. `previous`: the catalog served now,
/// the fact changes' baseline.
pub async fn publish(
    store: &dyn Store,
    edit: Edit<'_>,
    previous: &Catalog,
    today: NaiveDate,
) -> Result<ImportSummary, PublishError> {
    let checked = check_edit(store, edit.path, edit.text.clone()).await?;
    publish_checked(store, edit, checked, previous, today).await
}

/// [`publish`] of a change already checked by [`check_edit`]. When another change landed
/// since that check, the content is checked again with it (a few times at most), so what
/// is written is always the check of the files as they are.
pub async fn publish_checked(
    store: &dyn Store,
    edit: Edit<'_>,
    mut checked: CheckedEdit,
    previous: &Catalog,
    today: NaiveDate,
) -> Result<ImportSummary, PublishError> {
    for _ in 0..3 {
        let Some(catalog) = checked.checked.catalog.take() else {
            return Err(PublishError::Invalid(checked.checked.diagnostics));
        };
        let fact_changes = changes_of_record(edit.path, staleness::fact_changes(previous, &catalog, today));
        let hash = crate::app::content_hash(&catalog);
        let written = store
            .publish(&Publish {
                catalog: &catalog,
                content_hash: &hash,
                author: edit.author,
                origin: Origin::Web,
                message: edit.message,
                changes: vec![FileChange {
                    path: edit.path.to_owned(),
                    text: edit.text.clone(),
                    expected: edit.expected,
                }],
                confirmed: Vec::new(),
                fact_changes: &fact_changes,
                draft: edit.draft,
                base_generation: checked.generation,
                audit: PublishAudit {
                    actor: edit.author,
                    action: edit.action,
                    target: edit.path,
                    note: edit.message,
                    counts: false,
                },
            })
            .await;
        match written {
            Err(StoreError::GenerationMoved) => {
                checked = check_edit(store, edit.path, edit.text.clone()).await?;
            }
            other => return Ok(other?),
        }
    }
    Err(PublishError::Conflict)
}

/// The fact changes one file's edit makes: those of its own record (a certification, or a
/// course's price and duration). `previous` is the catalog this instance serves, which may
/// trail the database by a poll; other records' differences are not this edit's.
fn changes_of_record(path: &str, changes: Vec<FactChange>) -> Vec<FactChange> {
    let stem = path.rsplit('/').next().and_then(|f| f.strip_suffix(".toml")).unwrap_or_default();
    match FileKind::of(path) {
        Some(FileKind::Certification) => {
            changes.into_iter().filter(|c| c.code.as_str().eq_ignore_ascii_case(stem)).collect()
        }
        Some(FileKind::Course) => changes
            .into_iter()
            .filter(|c| match &c.change {
                Change::CoursePrice { course, .. } | Change::CourseDuration { course, .. } => {
                    course.as_str() == stem
                }
                _ => false,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `certwise export-content DIR`: the published content as a content directory that
/// `check` accepts and that imports to the same site. Refuses a directory that exists and
/// is not empty, so nothing is overwritten by mistake.
pub async fn export_content(store: &dyn Store, dir: &Path) -> anyhow::Result<usize> {
    if dir.exists()
        && std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))?.next().is_some()
    {
        bail!("{} is not empty: export-content writes into a new or empty directory", dir.display());
    }
    let files: Files = store
        .content_files()
        .await
        .context("reading the stored files")?
        .into_iter()
        .map(|f| (f.path, f.text))
        .collect();
    if files.is_empty() {
        bail!("the database holds no content files: import a content directory first");
    }
    content::files::write_dir(dir, &files).with_context(|| format!("writing {}", dir.display()))?;
    Ok(files.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(path: &str, text: &str, revision: i64, imported: Option<i64>) -> (String, ContentFile) {
        let f = ContentFile { path: path.into(), text: text.into(), revision, imported_revision: imported };
        (path.into(), f)
    }

    #[test]
    fn an_import_keeps_files_edited_in_the_browser_unless_forced() {
        let files: Files = [("a.md", "new"), ("b.md", "same"), ("c.md", "new"), ("e.md", "added")]
            .into_iter()
            .map(|(p, t)| (p.to_owned(), t.to_owned()))
            .collect();
        let db: BTreeMap<_, _> = [
            stored("a.md", "old", 1, Some(1)),  // imported, unchanged since: overwritten
            stored("b.md", "same", 5, Some(2)), // edited in the browser, equal to the file: confirmed
            stored("c.md", "web", 6, Some(3)),  // edited in the browser: kept
            stored("d.md", "web", 7, None),     // created in the browser, not in the directory: kept
            stored("f.md", "gone", 4, Some(4)), // imported, gone from the directory: removed
        ]
        .into_iter()
        .collect();
        let plan = Plan::of(&files, &db, false);
        assert_eq!(plan.kept, ["c.md", "d.md"]);
        assert_eq!(plan.confirmed, ["b.md"]);
        let changed: Vec<(&str, Option<&str>, Option<i64>)> =
            plan.changes.iter().map(|c| (c.path.as_str(), c.text.as_deref(), c.expected)).collect();
        assert_eq!(
            changed,
            [("a.md", Some("new"), Some(1)), ("e.md", Some("added"), None), ("f.md", None, Some(4))]
        );

        let forced = Plan::of(&files, &db, true);
        assert!(forced.kept.is_empty());
        let paths: Vec<&str> = forced.changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["a.md", "c.md", "e.md", "d.md", "f.md"]);
    }
}
