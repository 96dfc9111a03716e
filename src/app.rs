//! The commands: start-up, serving, checking and importing. Batch work reports with
//! `anyhow` and context; the server's request errors live in `web::error`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};

use crate::seal::Keys;
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
    /// The consent cookie's signing key; generated and kept in the database when absent.
    pub secret_key: Option<String>,
    /// Proof-of-consent records older than this are purged.
    pub consent_retention_days: u32,
}

impl Config {
    /// A configuration for tests and tools: everything else at its default.
    pub fn new(database_url: impl Into<String>, content_dir: impl Into<PathBuf>, clock: Clock) -> Self {
        Self {
            database_url: database_url.into(),
            content_dir: content_dir.into(),
            clock,
            secret_key: None,
            consent_retention_days: DEFAULT_RETENTION_DAYS,
        }
    }
}

/// Three years: long enough to answer for a decision, then the record goes.
pub const DEFAULT_RETENTION_DAYS: u32 = 3 * 365;

/// The signing key: from configuration (at least 32 bytes), else the database's.
async fn keys(config: &Config, store: &dyn Store) -> anyhow::Result<Keys> {
    let secret = match &config.secret_key {
        Some(k) => k.as_bytes().to_vec(),
        None => store.secret("consent-hmac", 32).await.context("reading the consent signing key")?,
    };
    Keys::new(secret).map_err(|e| anyhow::anyhow!("CERTWISE_SECRET_KEY: {e}"))
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
    let keys = keys(config, store.as_ref()).await?;
    Ok(AppState::new(Published::new(Snapshot::new(catalog)), store, config.clock, keys))
}

/// `certwise serve`: serves until Ctrl-C or SIGTERM, then finishes open requests.
///
/// One single-threaded runtime per core, each accepting on its own socket bound to the
/// same address (`SO_REUSEPORT`, the kernel spreads connections), like nginx's worker
/// processes: a request is served start to finish on one thread, with no hand-offs.
pub async fn serve(config: &Config, addr: SocketAddr) -> anyhow::Result<()> {
    let state = prepare(config).await?;
    tokio::spawn(purge_consent_periodically(state.store.clone(), config.consent_retention_days));
    let workers = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    // A plain bind first: with SO_REUSEPORT alone, a second certwise on the same address
    // would silently share the port instead of failing.
    let addr = std::net::TcpListener::bind(addr)
        .and_then(|probe| probe.local_addr())
        .with_context(|| format!("binding {addr}"))?;
    let listeners = (0..workers).map(|_| reuseport_listener(addr)).collect::<anyhow::Result<Vec<_>>>()?;
    tracing::info!(workers, "listening on http://{addr}");
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let (ended_tx, mut ended) = tokio::sync::mpsc::channel::<()>(workers);
    let threads: Vec<_> = listeners
        .into_iter()
        .enumerate()
        .map(|(i, socket)| {
            let router = web::router(state.clone());
            let stopped = stopped.clone();
            let ended = ended_tx.clone();
            std::thread::Builder::new().name(format!("certwise-http-{i}")).spawn(move || {
                let result = serve_on(socket, router, stopped);
                let _ = ended.try_send(());
                result
            })
        })
        .collect::<Result<_, _>>()?;
    // Until a signal, or until a worker stops on its own (an error: stop the others).
    tokio::select! {
        () = shutdown_signal() => {},
        _ = ended.recv() => tracing::error!("a server thread stopped; shutting down"),
    }
    let _ = stop.send(true);
    let mut first_error = None;
    for t in threads {
        let result = t.join().unwrap_or_else(|_| Err(anyhow::anyhow!("a server thread panicked")));
        if let Err(e) = result {
            tracing::error!(error = %e, "server thread failed");
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}

/// How long open connections may take to finish after a shutdown signal.
const DRAIN: std::time::Duration = std::time::Duration::from_secs(10);

/// How long a client may take to send a request's headers: a client that trickles them
/// cannot hold a connection (and a worker's attention) for longer.
const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// One worker: a single-threaded runtime accepting on one socket until `stopped`, then
/// finishing open connections for at most [`DRAIN`].
///
/// hyper directly rather than `axum::serve`, for the header-read timeout and the bounded
/// drain, which `axum::serve` does not offer.
fn serve_on(
    socket: tokio::net::TcpSocket,
    router: axum::Router,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async move {
        let listener = socket.listen(1024)?;
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT).keep_alive(true);
        let graceful = hyper_util::server::graceful::GracefulShutdown::new();
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                _ = stopped.wait_for(|s| *s) => break,
            };
            let tcp = match accepted {
                Ok((tcp, _)) => tcp,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin or stop.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            };
            // Responses go out whole; there is nothing to gain from Nagle's delay.
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::debug!(error = %e, "TCP_NODELAY not set");
            }
            let service = TowerToHyperService::new(router.clone());
            let connection = graceful.watch(http.serve_connection(TokioIo::new(tcp), service));
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
            });
        }
        tokio::select! {
            () = graceful.shutdown() => {},
            () = tokio::time::sleep(DRAIN) => tracing::warn!("connections still open {DRAIN:?} after shutdown; closing them"),
        }
        Ok(())
    })
}

/// A socket bound to `addr` that other sockets may bind too.
fn reuseport_listener(addr: SocketAddr) -> anyhow::Result<tokio::net::TcpSocket> {
    let socket =
        if addr.is_ipv4() { tokio::net::TcpSocket::new_v4()? } else { tokio::net::TcpSocket::new_v6()? };
    socket.set_reuseaddr(true)?;
    #[cfg(unix)]
    socket.set_reuseport(true)?;
    socket.bind(addr).with_context(|| format!("binding {addr}"))?;
    Ok(socket)
}

/// Applies the retention period at start and once a day.
async fn purge_consent_periodically(store: Arc<dyn Store>, days: u32) {
    let mut every_day = tokio::time::interval(std::time::Duration::from_secs(86_400));
    loop {
        every_day.tick().await;
        let Some(before) = chrono::Utc::now().checked_sub_signed(chrono::Duration::days(i64::from(days)))
        else {
            return;
        };
        match store.purge_consent(before).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(records = n, %before, "purged proof-of-consent records past retention"),
            Err(e) => tracing::error!(error = %e, "purging proof-of-consent records failed"),
        }
    }
}

/// The format of `certwise consent export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    JsonLines,
}

/// Writes the proof-of-consent records of days `from..=to` (UTC) to `out`.
pub async fn export_consent(
    store: &dyn Store,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    format: ExportFormat,
    out: &mut dyn std::io::Write,
) -> anyhow::Result<usize> {
    use crate::domain::ConsentCategory as C;
    if to < from {
        bail!("--to ({to}) is before --from ({from})");
    }
    let start = from.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc();
    let end = to
        .succ_opt()
        .context("--to is the last representable day")?
        .and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc();
    let records = store.consent_records(start, end).await.context("reading proof-of-consent records")?;
    match format {
        ExportFormat::JsonLines => {
            for r in &records {
                serde_json::to_writer(&mut *out, r)?;
                writeln!(out)?;
            }
        }
        ExportFormat::Csv => {
            writeln!(
                out,
                "record_id,consent_id,recorded_at,policy_version,notice_hash,locale,action,preferences,analytics,marketing,channel,javascript,gpc"
            )?;
            for r in &records {
                let grants = |c| r.choices.grants(c);
                let fields = [
                    r.record_id.clone(),
                    r.consent_id.clone(),
                    crate::store::timestamp(r.recorded_at),
                    r.policy_version.clone(),
                    r.notice_hash.clone(),
                    r.locale.clone(),
                    r.action.as_str().to_owned(),
                    grants(C::Preferences).to_string(),
                    grants(C::Analytics).to_string(),
                    grants(C::Marketing).to_string(),
                    r.channel.as_str().to_owned(),
                    r.javascript.to_string(),
                    r.gpc.to_string(),
                ];
                let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
    }
    Ok(records.len())
}

/// Quotes a CSV field when it needs it (RFC 4180).
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_owned() }
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
