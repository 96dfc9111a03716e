//! The commands' shared steps: configuration, checking and importing content, and
//! start-up (opening the store and building the snapshot to serve). Batch work reports
//! with `anyhow` and context; the server's request errors live in `web::error`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use chrono::NaiveDate;

use crate::content::{self, Checked};
use crate::domain::Catalog;
use crate::domain::report::StaleReport;
use crate::editorial::{self, Imported};
use crate::seal::Keys;
use crate::snapshot::{Published, Snapshot};
use crate::store::{self, Store};
use crate::web::{AppState, Clock};

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
    /// `serve --watch`: import the content directory whenever it changes.
    pub watch: bool,
    /// Request, body, connection and rate limits, and the trusted proxies.
    pub limits: crate::web::limits::Limits,
    /// How long leads are kept, and the webhook that announces them.
    pub leads: LeadConfig,
    /// Where `serve` answers `/metrics`.
    pub metrics_addr: MetricsAddr,
}

/// Where `/metrics` is served (`--metrics-addr`): never on the site's own listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MetricsAddr {
    /// Nothing configured: loopback, port 9464 (`server::DEFAULT_METRICS_ADDR`), skipped
    /// with a warning when another process holds it.
    #[default]
    Default,
    /// This address; a start fails when it cannot be bound.
    At(std::net::SocketAddr),
    /// No metrics at all (`off`).
    Off,
}

impl std::str::FromStr for MetricsAddr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "off" | "none" => Ok(MetricsAddr::Off),
            addr => addr
                .parse()
                .map(MetricsAddr::At)
                .map_err(|e| format!("expected an address such as 127.0.0.1:9464, or `off` ({e})")),
        }
    }
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
            watch: false,
            limits: crate::web::limits::Limits::default(),
            leads: LeadConfig::default(),
            metrics_addr: MetricsAddr::Off,
        }
    }
}

/// Course inquiries: retention and the optional webhook (`CERTWISE_LEAD_*`).
#[derive(Debug, Clone)]
pub struct LeadConfig {
    /// Leads older than this are purged daily.
    pub retention_days: u32,
    /// Where each stored lead is sent (a signed POST); `None`: nowhere.
    pub webhook: Option<crate::outbox::Webhook>,
}

/// One year: long enough to follow up an inquiry, then it goes.
pub const DEFAULT_LEAD_RETENTION_DAYS: u32 = 365;

impl Default for LeadConfig {
    fn default() -> Self {
        Self { retention_days: DEFAULT_LEAD_RETENTION_DAYS, webhook: None }
    }
}

impl LeadConfig {
    /// Reads `CERTWISE_LEAD_RETENTION_DAYS`, `CERTWISE_LEAD_WEBHOOK_URL` and
    /// `CERTWISE_LEAD_WEBHOOK_SECRET` (an empty value counts as unset).
    pub fn from_env() -> anyhow::Result<Self> {
        Self::from_env_or(|_| None)
    }

    /// [`LeadConfig::from_env`], with `file` (the configuration file, `settings::File::var`)
    /// for the variables the environment does not set.
    pub fn from_env_or(file: impl Fn(&str) -> Option<String>) -> anyhow::Result<Self> {
        Self::from_vars(|name| match std::env::var(name) {
            Ok(v) => Ok(Some(v)),
            Err(std::env::VarError::NotPresent) => Ok(file(name)),
            Err(std::env::VarError::NotUnicode(_)) => bail!("{name} is not valid UTF-8"),
        })
    }

    /// [`LeadConfig::from_env`] over any source of variables. A webhook URL without a
    /// secret is refused: unsigned notifications could not be told from forged ones.
    pub fn from_vars(var: impl Fn(&str) -> anyhow::Result<Option<String>>) -> anyhow::Result<Self> {
        let var = |name| var(name).map(|v| v.filter(|v| !v.trim().is_empty()));
        let retention_days = match var("CERTWISE_LEAD_RETENTION_DAYS")? {
            None => DEFAULT_LEAD_RETENTION_DAYS,
            Some(days) => {
                days.trim().parse().ok().filter(|d| (1..=36_500).contains(d)).with_context(|| {
                    format!("CERTWISE_LEAD_RETENTION_DAYS=`{days}`: expected whole days, 1 to 36500")
                })?
            }
        };
        let webhook = match (var("CERTWISE_LEAD_WEBHOOK_URL")?, var("CERTWISE_LEAD_WEBHOOK_SECRET")?) {
            (None, _) => None,
            (Some(_), None) => bail!(
                "CERTWISE_LEAD_WEBHOOK_URL is set but CERTWISE_LEAD_WEBHOOK_SECRET is not: notifications are \
                 signed with it so the receiver can tell them from forged ones; set a secret of at least {} \
                 bytes (e.g. `openssl rand -hex 32`) or unset the URL",
                crate::outbox::MIN_SECRET_BYTES
            ),
            (Some(url), Some(secret)) => Some(
                crate::outbox::Webhook::new(url.trim(), &secret)
                    .map_err(|e| anyhow::anyhow!("CERTWISE_LEAD_WEBHOOK_URL/_SECRET: {e}"))?,
            ),
        };
        Ok(Self { retention_days, webhook })
    }

    /// What storing a lead queues: a notification when a webhook is configured.
    pub fn notification(&self) -> crate::store::LeadNotification {
        if self.webhook.is_some() {
            crate::store::LeadNotification::Webhook
        } else {
            crate::store::LeadNotification::None
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

/// Prints every diagnostic, then a one-line summary, on stderr: they are messages for
/// the person running the command, not output to process.
pub fn report(checked: &Checked) {
    for d in &checked.diagnostics {
        eprintln!("{d}");
    }
    eprintln!("{} error(s), {} warning(s)", checked.errors(), checked.warnings());
}

/// [`report`] for a running server: each diagnostic a log event, so the log stays in its
/// format (`--log-format json`: one object per line).
pub fn log_report(checked: &Checked) {
    for d in &checked.diagnostics {
        match d.severity {
            content::Severity::Error => tracing::error!("{d}"),
            content::Severity::Warning => tracing::warn!("{d}"),
        }
    }
    tracing::info!(errors = checked.errors(), warnings = checked.warnings(), "content checked");
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

/// The hash of checked content: what tells whether a content directory holds what the
/// database holds (file times would not).
pub fn content_hash(catalog: &Catalog) -> String {
    use sha2::{Digest, Sha256};
    let json = serde_json::to_vec(catalog).unwrap_or_default();
    crate::seal::hex(&Sha256::digest(&json))
}

/// How an import treats files edited in the editors' area, and the day its fact changes
/// take effect.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// Overwrite files edited in the editors' area since their last import.
    pub force: bool,
    pub today: chrono::NaiveDate,
}

impl ImportOptions {
    pub fn new(clock: Clock) -> Self {
        Self { force: false, today: clock.today() }
    }
}

/// Validates a directory, then writes what differs from the store in one transaction,
/// following the ownership rule (`editorial`). Nothing changes unless every check passes.
pub async fn import(store: &dyn Store, dir: &Path) -> anyhow::Result<Imported> {
    import_with(store, dir, ImportOptions::new(Clock::System)).await
}

/// [`import`] with options.
pub async fn import_with(store: &dyn Store, dir: &Path, options: ImportOptions) -> anyhow::Result<Imported> {
    let checked = check_off_runtime(dir, log_report).await?;
    import_checked(store, dir, checked, options).await
}

async fn import_checked(
    store: &dyn Store,
    dir: &Path,
    checked: Checked,
    options: ImportOptions,
) -> anyhow::Result<Imported> {
    let previous = store.load().await.context("reading the published catalog")?.map(|s| s.catalog);
    editorial::import(store, dir, checked, options.force, options.today, previous.as_ref()).await
}

/// `check` on a thread of its own, reported by `report` (on stderr or in the log).
async fn check_off_runtime(dir: &Path, report: fn(&Checked)) -> anyhow::Result<Checked> {
    let owned = dir.to_path_buf();
    let checked = tokio::task::spawn_blocking(move || content::check_dir(&owned)).await?;
    report(&checked);
    Ok(checked)
}

/// Opens the store and makes the snapshot to serve: the stored catalog, or on an empty
/// database the content directory imported first. When that first import fails, a
/// database file this call created is removed again, so the next start begins afresh.
pub async fn prepare(config: &Config) -> anyhow::Result<AppState> {
    let url = &config.database_url;
    let created = store::database_file(url).filter(|f| !f.exists());
    let store = open_store(url).await?;
    let (catalog, generation, fact_changes) = match store.load().await.context("reading the catalog")? {
        Some(stored) => {
            if store.content_paths().await.context("reading the content files")?.is_empty() {
                // A database from before the editors' area holds the catalog but not its files.
                tracing::warn!(
                    "the database holds no content files, so the editors' area has nothing to edit; \
                     run `certwise import --force {}` once to store them",
                    config.content_dir.display()
                );
            }
            (stored.catalog, stored.generation.number, stored.fact_changes)
        }
        None => {
            let dir = &config.content_dir;
            tracing::info!("empty database: importing {}", dir.display());
            let imported = import_with(store.as_ref(), dir, ImportOptions::new(config.clock))
                .await
                .with_context(|| format!("importing {}", dir.display()));
            match imported {
                Ok(Imported { summary: Some(summary), catalog, .. }) => {
                    tracing::info!("imported {summary}");
                    // The first import of a record records no fact change.
                    (catalog, summary.generation, Vec::new())
                }
                // Several instances started together on one empty database (PostgreSQL):
                // another one's import landed first (this one then found nothing to write,
                // or was refused), and this one serves it.
                Ok(Imported { summary: None, .. }) | Err(_) if matches!(store.load().await, Ok(Some(_))) => {
                    let stored = store.load().await.context("reading the catalog")?.context("the catalog")?;
                    tracing::info!("another instance imported the content first");
                    (stored.catalog, stored.generation.number, stored.fact_changes)
                }
                Ok(Imported { summary: None, .. }) => {
                    drop(store);
                    if let Some(file) = created {
                        store::remove_database_file(&file);
                    }
                    bail!("the database holds content files but no catalog: import a content directory");
                }
                Err(e) => {
                    drop(store);
                    if let Some(file) = created {
                        store::remove_database_file(&file);
                    }
                    return Err(e);
                }
            }
        }
    };
    let keys = keys(config, store.as_ref()).await?;
    let snapshot = Snapshot::new(catalog).at_generation(generation).with_fact_changes(fact_changes);
    let state =
        AppState::with_limits(Published::new(snapshot), store, config.clock, keys, config.limits.clone());
    // Built off the runtime: the first page does not wait for it (search answers 503 until then).
    state.search.build_in_background(state.published.current());
    Ok(state.announcing_leads(config.leads.notification()))
}

/// `certwise import DIR`: checks first, and opens (or creates) the database only when
/// the content is good.
pub async fn import_dir(url: &str, dir: &Path, options: ImportOptions) -> anyhow::Result<Imported> {
    let checked = check_off_runtime(dir, report).await?;
    if checked.catalog.is_none() {
        bail!("{} has {} error(s)", dir.display(), checked.errors());
    }
    let store = open_store(url).await?;
    // The database named, so that "the disk is full" says which disk to free.
    import_checked(store.as_ref(), dir, checked, options)
        .await
        .with_context(|| format!("importing into {}", store::display_url(url)))
}

/// `certwise stale`: the staleness report on the store's published content and its
/// recorded fact changes, as of `today`.
pub async fn stale_report(store: &dyn Store, today: NaiveDate) -> anyhow::Result<StaleReport> {
    let stored = store.load().await.context("reading the catalog")?.ok_or_else(|| {
        anyhow::anyhow!(
            "the database holds no content yet: import a content directory first (certwise import DIR)"
        )
    })?;
    Ok(StaleReport::build(&stored.catalog, &stored.fact_changes, today))
}

/// A store for `import`, shared with `serve` so both see one database.
pub async fn open_store(url: &str) -> anyhow::Result<Arc<dyn Store>> {
    store::open(url).await.with_context(|| format!("opening {}", store::display_url(url)))
}
