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
    },
    /// Validate a content directory; every problem as `path:line:column: error: message`.
    Check { dir: PathBuf },
    /// Validate a content directory, then load it atomically: all or nothing.
    Import {
        dir: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
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
    let command = cli.command.unwrap_or_else(|| Command::Serve {
        addr: std::env::var("CERTWISE_ADDR")
            .ok()
            .and_then(|a| a.parse().ok())
            .unwrap_or(SocketAddr::from(([127, 0, 0, 1], 8080))),
        db: DbArgs {
            url: std::env::var("CERTWISE_DATABASE_URL")
                .unwrap_or_else(|_| "sqlite://data/certwise.db".into()),
        },
        content: std::env::var("CERTWISE_CONTENT").map_or_else(|_| PathBuf::from("content"), PathBuf::from),
    });
    let result = match command {
        Command::Check { dir } => app::check(&dir).map(|_| ()),
        Command::Serve { addr, db, content } => runtime().and_then(|rt| {
            rt.block_on(app::serve(&Config { database_url: db.url, content_dir: content, clock }, addr))
        }),
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
