//! The `certwise` command: parses the command line and hands over to the library.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use certwise::accounts;
use certwise::app::{self, Config};
use certwise::domain::Vocabulary as _;
use certwise::domain::account::Role;
use certwise::export::{self, ExportFormat};
use certwise::web::Clock;
use chrono::NaiveDate;
use clap::{CommandFactory as _, FromArgMatches as _, Parser, Subcommand};

/// mimalloc instead of the system allocator: a page view allocates many small, short-lived
/// objects (headers, futures, strings), and glibc's malloc and free were 13 % of the
/// server's time under load (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "certwise", version, about = "An IT-training provider's answers hub")]
// `certwise --addr …` is `certwise serve --addr …`: serve's flags work without the word.
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    /// A configuration file (TOML; its keys are the long names of the flags that have an
    /// environment variable). Without it, certwise.toml in the working directory when there
    /// is one. Flags win over the environment, which wins over the file.
    #[arg(long, global = true, env = "CERTWISE_CONFIG")]
    config: Option<PathBuf>,
    /// Render as of this day (YYYY-MM-DD) instead of today: lifecycle notices, previews, tests.
    #[arg(long, global = true, env = "CERTWISE_TODAY")]
    today: Option<NaiveDate>,
    /// How log lines are written on stderr: `text` for people, `json` (one object per
    /// line) for log collectors.
    #[arg(long, global = true, env = "CERTWISE_LOG_FORMAT", value_enum, default_value = "text")]
    log_format: LogFormat,
    #[command(flatten)]
    serve: ServeArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(clap::Args)]
struct ServeArgs {
    #[arg(long, env = "CERTWISE_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    #[command(flatten)]
    db: DbArgs,
    /// Imported when the database is empty.
    #[arg(long, env = "CERTWISE_CONTENT", default_value = "content")]
    content: PathBuf,
    /// Re-check and import the content directory whenever it changes (sites edited as
    /// files); check errors are logged and the last good content stays live.
    #[arg(long, env = "CERTWISE_WATCH")]
    watch: bool,
    /// Proxies (CIDR, e.g. 10.0.0.0/8) whose `X-Forwarded-For` names the client, for the
    /// per-client limits.
    #[arg(long = "trusted-proxy", env = "CERTWISE_TRUSTED_PROXIES", value_delimiter = ',', num_args = 1..)]
    trusted_proxies: Vec<ipnet::IpNet>,
    /// Advisor and planner API requests a client may send per minute, then 429 (raised
    /// for load tests such as scripts/schemathesis.sh).
    #[arg(
        long = "limit-decide-per-minute",
        env = "CERTWISE_LIMIT_DECIDE_PER_MINUTE",
        default_value_t = certwise::web::limits::Limits::default().decide_per_minute,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    decide_per_minute: u32,
    #[command(flatten)]
    consent: ConsentArgs,
    /// Where `/metrics` (Prometheus) is served, never on --addr: an address, or `off`.
    /// Unset: 127.0.0.1:9464, skipped with a warning when another process holds it.
    #[arg(long = "metrics-addr", env = "CERTWISE_METRICS_ADDR")]
    metrics_addr: Option<app::MetricsAddr>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

/// Logs on stderr as `format`, filtered by `RUST_LOG` (default: certwise's info).
fn init_logging(format: LogFormat) {
    use std::io::IsTerminal as _;
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "certwise=info,tower_http=warn".into());
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        // Colour only for a person at a terminal (and not when NO_COLOR is set): a log
        // file gets plain text.
        LogFormat::Text => logs
            .with_ansi(
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            )
            .init(),
        // One JSON object per line, the event's fields at the top level.
        LogFormat::Json => logs.json().flatten_event(true).with_current_span(false).init(),
    }
}

#[derive(clap::Args)]
struct DbArgs {
    /// `sqlite://PATH` (one process) or `postgres://USER@HOST/DATABASE` (several instances).
    #[arg(
        long = "database",
        env = "CERTWISE_DATABASE_URL",
        hide_env_values = true,
        default_value = "sqlite://data/certwise.db"
    )]
    url: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site (the default when no command is given).
    Serve(ServeArgs),
    /// Validate a content directory; every problem as `path:line:column: error: message`.
    Check { dir: PathBuf },
    /// Validate a content directory, then load it atomically: all or nothing. Records
    /// edited in the editors' area since their last import are kept, and listed, unless
    /// --force.
    Import {
        dir: PathBuf,
        /// Overwrite records edited in the editors' area since their last import (their
        /// versions stay in the revisions).
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write the published content back as a content directory (new or empty).
    ExportContent {
        dir: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write the whole public site as static files into a new or empty folder, for a CDN or
    /// any web server (docs/static/): pages, Markdown twins, the API's JSON, sitemap, feeds,
    /// llms.txt, assets and a search index. The advisor, the planner and the inquiry forms
    /// need a server: linked to --live-url, or left out without it.
    Export {
        out_dir: PathBuf,
        /// The live site (a running `certwise serve`) that the pages needing a server link
        /// to, e.g. `https://live.example.ch`.
        #[arg(long, value_parser = certwise::static_site::live_url)]
        live_url: Option<String>,
        #[command(flatten)]
        db: DbArgs,
        /// Imported when the database is empty.
        #[arg(long, env = "CERTWISE_CONTENT", default_value = "content")]
        content: PathBuf,
    },
    /// The proof-of-consent log.
    Consent {
        #[command(subcommand)]
        command: ConsentCommand,
    },
    /// Course inquiries (leads).
    Leads {
        #[command(subcommand)]
        command: LeadsCommand,
    },
    /// The staleness report as of `--today`: answers whose facts changed since their
    /// review, answers naming an exam that retires within 30 days, certifications whose
    /// sources were last checked more than 180 days ago. Exits 1 when an answer is stale
    /// or sources are old (a retirement to come is listed, not a failure).
    Stale {
        #[arg(long, value_enum, default_value = "text")]
        format: ReportFormat,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Accounts of the editors' area (/admin/); every change is in the audit log.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Copy the `SQLite` database to FILE (which must not exist), consistently, while servers
    /// keep serving. For `PostgreSQL`, use `pg_dump`.
    Backup {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Replace the `SQLite` database with the backup FILE, after checking it; refused while a
    /// server uses the database. For `PostgreSQL`, use `pg_restore`.
    Restore {
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add an account; its password (printed, or read from standard input) is temporary and
    /// must be changed at first login.
    Add {
        email: String,
        /// What the account may do: editor (draft), publisher (also publish), admin (also
        /// users and the audit log).
        #[arg(long, value_parser = role)]
        role: Role,
        /// Read the temporary password from standard input (one line) instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: DbArgs,
    },
    /// List the accounts: email, role, state, created.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Disable an account; its sessions end at once.
    Disable {
        email: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Give an account a new temporary password (printed); its sessions end at once.
    ResetPassword {
        email: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// A role word, with a message that lists them.
fn role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("expected one of {}", Role::expected()))
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    /// A heading per list, one line per item with its content path.
    Text,
    /// The report as one JSON object.
    Json,
}

#[derive(Subcommand)]
enum LeadsCommand {
    /// Write the leads received on the days FROM..=TO (UTC) to standard output, oldest first.
    Export {
        #[arg(long, value_parser = day)]
        from: NaiveDate,
        #[arg(long, value_parser = day)]
        to: NaiveDate,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Delete every lead sent with EMAIL (any case), and their notifications: a person's
    /// right to be forgotten.
    Erase {
        email: String,
        #[command(flatten)]
        db: DbArgs,
    },
}

/// A day as `YYYY-MM-DD`, with a message that says so.
fn day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| format!("expected a day as YYYY-MM-DD ({e})"))
}

#[derive(clap::Args)]
struct ConsentArgs {
    /// The consent cookie's signing key (at least 32 bytes); generated and kept in the
    /// database when not given.
    #[arg(long, env = "CERTWISE_SECRET_KEY", hide_env_values = true)]
    secret_key: Option<String>,
    /// Days a proof-of-consent record is kept.
    #[arg(long, env = "CERTWISE_CONSENT_RETENTION_DAYS", default_value_t = app::DEFAULT_RETENTION_DAYS,
          value_parser = clap::value_parser!(u32).range(1..=36_500))]
    consent_retention_days: u32,
}

#[derive(Subcommand)]
enum ConsentCommand {
    /// Write the records of the days FROM..=TO (UTC) to standard output.
    Export {
        #[arg(long)]
        from: NaiveDate,
        #[arg(long)]
        to: NaiveDate,
        #[arg(long, value_enum, default_value = "csv")]
        format: Format,
        #[command(flatten)]
        db: DbArgs,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Csv,
    Jsonl,
}

/// The command line with the configuration file beneath it (`certwise::settings`), parsed.
fn parse() -> anyhow::Result<(Cli, certwise::settings::File)> {
    // Where the file is comes first; everything else may come from it.
    let explicit = Cli::command()
        .ignore_errors(true)
        .try_get_matches()
        .ok()
        .and_then(|m| m.get_one::<PathBuf>("config").cloned());
    let file = certwise::settings::File::find(explicit.as_deref(), Path::new("."))?;
    let matches = file.apply(Cli::command())?.get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    Ok((cli, file))
}

fn main() -> ExitCode {
    let (cli, file) = match parse() {
        Ok(parsed) => parsed,
        Err(e) => {
            eprintln!("certwise: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    init_logging(cli.log_format);
    let clock = cli.today.map_or(Clock::System, Clock::Fixed);
    let result = match cli.command.unwrap_or(Command::Serve(cli.serve)) {
        Command::Check { dir } => app::check(&dir).map(|_| ()),
        Command::Serve(ServeArgs {
            addr,
            db,
            content,
            watch,
            trusted_proxies,
            decide_per_minute,
            consent,
            metrics_addr,
        }) => runtime().and_then(|rt| {
            let config = Config {
                secret_key: consent.secret_key,
                consent_retention_days: consent.consent_retention_days,
                watch,
                limits: certwise::web::limits::Limits {
                    trusted_proxies,
                    decide_per_minute,
                    ..Default::default()
                },
                leads: app::LeadConfig::from_env_or(|name| file.var(name))?,
                metrics_addr: metrics_addr.unwrap_or_default(),
                ..Config::new(db.url, content, clock)
            };
            rt.block_on(certwise::server::run(&config, addr))
        }),
        Command::Consent { command: ConsentCommand::Export { from, to, format, db } } => {
            runtime().and_then(|rt| {
                rt.block_on(async {
                    let store = app::open_store(&db.url).await?;
                    let format = match format {
                        Format::Csv => ExportFormat::Csv,
                        Format::Jsonl => ExportFormat::JsonLines,
                    };
                    let mut out = std::io::stdout().lock();
                    let n = export::export_consent(store.as_ref(), from, to, format, &mut out).await?;
                    eprintln!("{n} record(s) from {from} to {to}");
                    Ok(())
                })
            })
        }
        Command::Leads { command } => runtime().and_then(|rt| rt.block_on(leads(command))),
        Command::User { command } => runtime().and_then(|rt| rt.block_on(user(command))),
        Command::Backup { file, db } => runtime().and_then(|rt| rt.block_on(backup(&file, &db.url))),
        Command::Restore { file, db } => runtime().and_then(|rt| {
            rt.block_on(certwise::backup::restore(&db.url, &file))?;
            eprintln!("restored {} from {}; start the server to serve it", db.url, file.display());
            Ok(())
        }),
        Command::Stale { format, db } => {
            runtime().and_then(|rt| rt.block_on(stale(format, &db.url, clock.today())))
        }
        Command::Import { dir, force, db } => {
            runtime().and_then(|rt| rt.block_on(import(&dir, force, &db.url, clock)))
        }
        Command::Export { out_dir, live_url, db, content } => runtime().and_then(|rt| {
            let config = Config::new(db.url, content, clock);
            rt.block_on(export_site(&config, certwise::static_site::Options { out: out_dir, live: live_url }))
        }),
        Command::ExportContent { dir, db } => runtime().and_then(|rt| {
            rt.block_on(async {
                let store = existing_store(&db.url).await?;
                let n = certwise::editorial::export_content(store.as_ref(), &dir).await?;
                eprintln!("wrote {n} file(s) to {}", dir.display());
                Ok(())
            })
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("certwise: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// `certwise import DIR`: what it imported on stderr; an error listing the records kept
/// because the editors' area changed them since their last import.
async fn import(dir: &Path, force: bool, url: &str, clock: Clock) -> anyhow::Result<()> {
    let options = app::ImportOptions { force, ..app::ImportOptions::new(clock) };
    let imported = app::import_dir(url, dir, options).await?;
    let shown = certwise::store::display_url(url);
    match imported.summary {
        Some(summary) => eprintln!("imported {summary} into {shown}"),
        None => eprintln!("nothing to import: {} holds what {shown} holds", dir.display()),
    }
    if !imported.kept.is_empty() {
        for path in &imported.kept {
            eprintln!("kept: {path}");
        }
        anyhow::bail!(
            "{} record(s) edited in the editors' area since their last import were kept, not \
             overwritten (listed above); run `certwise export-content DIR` to get them as files, \
             or import with --force to overwrite them (their versions stay in the revisions)",
            imported.kept.len()
        );
    }
    Ok(())
}

/// `certwise backup FILE`, with what it wrote on stderr.
async fn backup(file: &Path, url: &str) -> anyhow::Result<()> {
    let done = certwise::backup::backup(url, file).await?;
    eprintln!(
        "backed up {url} to {} ({} bytes in {:.2} s)",
        done.file.display(),
        done.bytes,
        done.took.as_secs_f64()
    );
    Ok(())
}

/// `certwise export OUT_DIR`: the site of the database (imported from the content
/// directory when empty) as static files.
async fn export_site(config: &Config, options: certwise::static_site::Options) -> anyhow::Result<()> {
    let state = app::prepare(config).await?;
    let started = std::time::Instant::now();
    let summary = certwise::static_site::export(&state, &options).await?;
    eprintln!("wrote {summary} to {} in {:.1?}", options.out.display(), started.elapsed());
    Ok(())
}

/// `certwise leads export|erase`.
async fn leads(command: LeadsCommand) -> anyhow::Result<()> {
    match command {
        LeadsCommand::Export { from, to, format, db } => {
            if to < from {
                anyhow::bail!("--to ({to}) is before --from ({from})");
            }
            let store = existing_store(&db.url).await?;
            let format = match format {
                Format::Csv => ExportFormat::Csv,
                Format::Jsonl => ExportFormat::JsonLines,
            };
            let mut out = std::io::stdout().lock();
            let n = export::export_leads(store.as_ref(), from, to, format, &mut out).await?;
            eprintln!("{n} lead(s) from {from} to {to}");
        }
        LeadsCommand::Erase { email, db } => {
            if email.trim().is_empty() {
                anyhow::bail!("EMAIL is empty");
            }
            let store = existing_store(&db.url).await?;
            let n = store.erase_leads(&email).await.context("erasing leads")?;
            println!("erased {n} lead(s)");
        }
    }
    Ok(())
}

/// `certwise user add|list|disable|reset-password`.
async fn user(command: UserCommand) -> anyhow::Result<()> {
    let now = chrono::Utc::now();
    match command {
        UserCommand::Add { email, role, password_stdin, db } => {
            let password = if password_stdin { Some(read_password()?) } else { None };
            // The first account may come before the first start: the database is created.
            let store = app::open_store(&db.url).await?;
            let (user, generated) =
                accounts::add_user(store.as_ref(), &email, role, password.as_deref(), accounts::CLI, now)
                    .await?;
            match generated {
                Some(password) => {
                    eprintln!(
                        "added {} ({role}); temporary password below, to be changed at the first login at /admin/login",
                        user.email
                    );
                    println!("{password}");
                }
                None => eprintln!(
                    "added {} ({role}); the password from standard input must be changed at the first login",
                    user.email
                ),
            }
        }
        UserCommand::List { db } => {
            let store = existing_store(&db.url).await?;
            let users = store.users().await.context("reading the accounts")?;
            let width = users.iter().map(|u| u.email.chars().count()).max().unwrap_or(0).max(5);
            println!("{:width$}  {:9}  {:20}  CREATED", "EMAIL", "ROLE", "STATE");
            for u in &users {
                println!(
                    "{:width$}  {:9}  {:20}  {}",
                    u.email,
                    u.role.as_str(),
                    u.state(),
                    u.created_at.format("%Y-%m-%d %H:%M UTC")
                );
            }
            eprintln!("{} account(s)", users.len());
        }
        UserCommand::Disable { email, db } => {
            let store = existing_store(&db.url).await?;
            let user = accounts::disable_user(store.as_ref(), &email, accounts::CLI, now).await?;
            eprintln!("disabled {}; their sessions have ended", user.email);
        }
        UserCommand::ResetPassword { email, db } => {
            let store = existing_store(&db.url).await?;
            let password = accounts::reset_password(store.as_ref(), &email, accounts::CLI, now).await?;
            eprintln!(
                "new temporary password for {} below, to be changed at the next login; their sessions have ended",
                email.trim()
            );
            println!("{password}");
        }
    }
    Ok(())
}

/// `certwise stale`: the report on standard output, then an error (exit 1) naming what
/// needs an editor when anything does.
async fn stale(format: ReportFormat, url: &str, today: NaiveDate) -> anyhow::Result<()> {
    let store = existing_store(url).await?;
    let report = app::stale_report(store.as_ref(), today).await?;
    let text = match format {
        ReportFormat::Text => report.to_string(),
        ReportFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
    };
    // Written, not printed: a closed pipe (`| head`) is an error to report, not a panic.
    std::io::Write::write_all(&mut std::io::stdout().lock(), text.as_bytes())
        .context("writing the report")?;
    if report.fails() {
        anyhow::bail!(
            "{} stale answer(s) and {} certification(s) with sources older than {} days",
            report.stale.len(),
            report.old_sources.len(),
            certwise::domain::report::SOURCES_MAX_AGE_DAYS
        );
    }
    Ok(())
}

/// One line of standard input, without its line end.
fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
    let password = line.strip_suffix('\n').map_or(line.as_str(), |l| l.strip_suffix('\r').unwrap_or(l));
    if password.is_empty() {
        anyhow::bail!("--password-stdin: standard input holds no password");
    }
    Ok(password.to_owned())
}

/// The store at `url`, refusing to create a database file: "erased 0 leads" from a
/// mistyped path would read as done.
async fn existing_store(url: &str) -> anyhow::Result<std::sync::Arc<dyn certwise::store::Store>> {
    if let Some(file) = certwise::store::database_file(url).filter(|f| !f.exists()) {
        anyhow::bail!("no database at {} (--database / CERTWISE_DATABASE_URL)", file.display());
    }
    app::open_store(url).await
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}
