//! The commands: start-up, serving, checking and importing. Batch work reports with
//! `anyhow` and context; the server's request errors live in `web::error`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};

use crate::content::{self, Checked};
use crate::domain::Catalog;
use crate::snapshot::{Published, Snapshot};
use crate::store::{self, ImportSummary, Store};
use crate::web::{self, AppState, Clock};

/// Settings shared by the commands (flags, then environment, then defaults).
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub content_dir: PathBuf,
    pub clock: Clock,
}

/// Prints every diagnostic, then a one-line summary on stderr.
pub fn report(checked: &Checked) {
    for d in &checked.diagnostics {
        println!("{d}");
    }
    eprintln!("{} error(s), {} warning(s)", checked.errors(), checked.warnings());
}

/// `certwise check DIR`.
pub fn check(dir: &Path) -> anyhow::Result<Catalog> {
    let checked = content::check_dir(dir);
    report(&checked);
    match checked.catalog {
        Some(catalog) => Ok(catalog),
        None => bail!("{} has {} error(s)", dir.display(), checked.errors()),
    }
}

/// Validates a directory, then replaces the store's catalog with it in one
/// transaction. Nothing changes unless every check passes.
pub async fn import(store: &dyn Store, dir: &Path) -> anyhow::Result<(Catalog, ImportSummary)> {
    let catalog = check(dir)?;
    let summary = store.replace_catalog(&catalog).await.context("writing the catalog")?;
    Ok((catalog, summary))
}

/// Opens the store and makes the snapshot to serve: the stored catalog, or on an empty
/// database the content directory imported first.
pub async fn prepare(config: &Config) -> anyhow::Result<AppState> {
    let store = store::open(&config.database_url)
        .await
        .with_context(|| format!("opening {}", config.database_url))?;
    let catalog = match store.load().await.context("reading the catalog")? {
        Some(catalog) => catalog,
        None => {
            tracing::info!(dir = %config.content_dir.display(), "empty database: importing the content directory");
            let (catalog, summary) = import(store.as_ref(), &config.content_dir)
                .await
                .with_context(|| format!("importing {}", config.content_dir.display()))?;
            tracing::info!(?summary, "imported");
            catalog
        }
    };
    Ok(AppState { published: Published::new(Snapshot::new(catalog)), store, clock: config.clock })
}

/// `certwise serve`: serves until Ctrl-C or SIGTERM, then finishes open requests.
pub async fn serve(config: &Config, addr: SocketAddr) -> anyhow::Result<()> {
    let state = prepare(config).await?;
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("binding {addr}"))?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, web::router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("serving")?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// A store for `import`, shared with `serve` so both see one database.
pub async fn open_store(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    store::open(url).await.with_context(|| format!("opening {url}"))
}
