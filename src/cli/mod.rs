//! The command line: `serve` (the default), `check`, `new`, `import`, `admin ...`, `leads export`, `backup`,
//! `restore` and `healthcheck`.

mod admin;
mod backup;
mod healthcheck;
mod leads;
mod new;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tokio::signal::unix::{SignalKind, signal};

use crate::configuration::Settings;
use crate::startup::{Application, StartupError};
use crate::{content, db, publish, telemetry};

#[derive(Debug, Parser)]
#[command(name = "jobprofiles", version, about = "Job profiles from Markdown, served in English and German")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub settings: Settings,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load the content and serve the site (what a bare `jobprofiles` does).
    Serve,
    /// Check the content folder and print every problem with file:line:col.
    Check {
        /// Fail on warnings too (a missing or outdated translation).
        #[arg(long)]
        strict: bool,
    },
    /// Start a new content file with every field in place, to fill in.
    #[command(subcommand)]
    New(new::NewCommand),
    /// Check the content folder and store it in the database, without serving.
    Import,
    /// Manage staff accounts.
    #[command(subcommand)]
    Admin(admin::AdminCommand),
    /// Work with stored leads.
    #[command(subcommand)]
    Leads(leads::LeadsCommand),
    /// Copy the database into a new file, consistently, while the site serves; never overwrites a file.
    Backup { path: PathBuf },
    /// Put a backup in the database's place after checking its integrity; refused while a server has it open.
    Restore { path: PathBuf },
    /// Ask the site running on `--bind` whether `/healthz` answers 200 (exit 0) or not (exit 1).
    Healthcheck {
        /// How long to wait for the answer, in milliseconds.
        #[arg(long, env = "JOBPROFILES_HEALTHCHECK_TIMEOUT_MS", default_value_t = 2_000)]
        timeout_ms: u64,
    },
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Check { strict } => check(&cli.settings, strict),
        Command::New(command) => new::run(&command, &cli.settings),
        Command::Import => import(&cli.settings),
        Command::Serve => serve(cli.settings),
        Command::Admin(command) => admin::run(command, &cli.settings),
        Command::Leads(command) => leads::run(&command, &cli.settings),
        Command::Backup { path } => backup::backup(&path, &cli.settings),
        Command::Restore { path } => backup::restore(&path, &cli.settings),
        Command::Healthcheck { timeout_ms } => {
            healthcheck::run(&cli.settings.bind, std::time::Duration::from_millis(timeout_ms))
        }
    }
}

fn check(settings: &Settings, strict: bool) -> ExitCode {
    match content::load(&settings.content) {
        Ok(checked) if checked.warnings.is_empty() => {
            println!("{}: content is valid\n{}", settings.content.display(), checked.content.summary());
            ExitCode::SUCCESS
        }
        Ok(checked) => {
            eprintln!("{}", checked.warnings);
            println!("{}: content is valid\n{}", settings.content.display(), checked.content.summary());
            if strict { ExitCode::FAILURE } else { ExitCode::SUCCESS }
        }
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            ExitCode::FAILURE
        }
    }
}

fn import(settings: &Settings) -> ExitCode {
    telemetry::init(settings.log_format);
    let imported = if settings.database.exists() { import_into_store(settings) } else { import_fresh(settings) };
    match imported {
        Ok(imported) => {
            let summary = imported.content.summary();
            println!("imported {} into {}\n{summary}", settings.content.display(), settings.database.display());
            ExitCode::SUCCESS
        }
        Err(error) => report(&error),
    }
}

/// Brings a store that exists up to date, in one transaction, as a running site does.
fn import_into_store(settings: &Settings) -> Result<publish::Imported, StartupError> {
    let pool = db::connect(&settings.database, settings.db_busy_timeout(), settings.db_pool_timeout(), 1)?;
    Ok(publish::import(&settings.content, &pool, &mut publish::PublishCache::default())?)
}

/// Builds a new database whole before it appears at its path: a broken folder or a failed
/// store leaves no file there.
fn import_fresh(settings: &Settings) -> Result<publish::Imported, StartupError> {
    let fresh = db::FreshDatabase::create(&settings.database, settings.db_busy_timeout(), settings.db_pool_timeout())?;
    let imported = publish::import(&settings.content, fresh.pool(), &mut publish::PublishCache::default())?;
    fresh.finish()?;
    Ok(imported)
}

fn serve(settings: Settings) -> ExitCode {
    telemetry::init(settings.log_format);
    let result = actix_web::rt::System::new().block_on(async move {
        // Installed before the server listens, so a SIGTERM that arrives early is still graceful.
        let mut terminate = signal(SignalKind::terminate()).map_err(StartupError::Serve)?;
        let mut interrupt = signal(SignalKind::interrupt()).map_err(StartupError::Serve)?;
        let app = Application::build(settings).await?;
        let handle = app.handle();
        actix_web::rt::spawn(async move {
            tokio::select! {
                _ = terminate.recv() => tracing::info!("SIGTERM received, shutting down"),
                _ = interrupt.recv() => tracing::info!("SIGINT received, shutting down"),
            }
            handle.stop(true).await;
        });
        app.run_until_stopped().await.map_err(StartupError::Serve)
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => report(&error),
    }
}

/// Content errors print exactly as `check` prints them; anything else with its cause chain.
fn report(error: &StartupError) -> ExitCode {
    match error {
        StartupError::Publish(publish::PublishError::Content(diagnostics)) => eprintln!("{diagnostics}"),
        other => eprintln!("error: {}", crate::error::with_causes(other)),
    }
    ExitCode::FAILURE
}
