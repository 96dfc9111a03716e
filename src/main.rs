//! The `certwise` command: parses the command line and hands over to the library.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use certwise::app::{self, Config};
use certwise::web::Clock;
use chrono::NaiveDate;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "certwise", version, about = "An IT-training provider's answers hub")]
struct Cli {
    /// Render as of this day (YYYY-MM-DD) instead of today: lifecycle notices, previews, tests.
    #[arg(long, global = true, env = "CERTWISE_TODAY")]
    today: Option<NaiveDate>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(clap::Args)]
struct DbArgs {
    /// `sqlite://PATH` (postgres:// is planned).
    #[arg(long = "database", env = "CERTWISE_DATABASE_URL", default_value = "sqlite://data/certwise.db")]
    url: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site (the default when no command is given).
    Serve {
        #[arg(long, env = "CERTWISE_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        #[command(flatten)]
        db: DbArgs,
        /// Imported when the database is empty.
        #[arg(long, env = "CERTWISE_CONTENT", default_value = "content")]
        content: PathBuf,
        #[command(flatten)]
        consent: ConsentArgs,
    },
    /// Validate a content directory; every problem as `path:line:column: error: message`.
    Check { dir: PathBuf },
    /// Validate a content directory, then load it atomically: all or nothing.
    Import {
        dir: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
    /// The proof-of-consent log.
    Consent {
        #[command(subcommand)]
        command: ConsentCommand,
    },
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

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "certwise=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let clock = cli.today.map_or(Clock::System, Clock::Fixed);
    // No command is `serve`, with its flags and environment as clap reads them.
    let command = match cli.command {
        Some(c) => c,
        None => match Cli::parse_from(["certwise", "serve"]).command {
            Some(c) => c,
            None => unreachable!("`serve` was given"),
        },
    };
    let result = match command {
        Command::Check { dir } => app::check(&dir).map(|_| ()),
        Command::Serve { addr, db, content, consent } => runtime().and_then(|rt| {
            let config = Config {
                secret_key: consent.secret_key,
                consent_retention_days: consent.consent_retention_days,
                ..Config::new(db.url, content, clock)
            };
            rt.block_on(app::serve(&config, addr))
        }),
        Command::Consent { command: ConsentCommand::Export { from, to, format, db } } => {
            runtime().and_then(|rt| {
                rt.block_on(async {
                    let store = app::open_store(&db.url).await?;
                    let format = match format {
                        Format::Csv => app::ExportFormat::Csv,
                        Format::Jsonl => app::ExportFormat::JsonLines,
                    };
                    let mut out = std::io::stdout().lock();
                    let n = app::export_consent(store.as_ref(), from, to, format, &mut out).await?;
                    eprintln!("{n} record(s) from {from} to {to}");
                    Ok(())
                })
            })
        }
        Command::Import { dir, db } => runtime().and_then(|rt| {
            rt.block_on(async {
                let store = app::open_store(&db.url).await?;
                let (_, summary) = app::import(store.as_ref(), &dir).await?;
                eprintln!(
                    "imported {} certification(s), {} course(s), {} answer(s) into {}",
                    summary.certifications, summary.courses, summary.answers, db.url
                );
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

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}
