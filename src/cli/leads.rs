//! `jobprofiles leads export`: stored leads as CSV on standard output.

use std::io::Write;
use std::process::ExitCode;

use clap::{Subcommand, ValueEnum};
use time::{Date, Time};

use crate::configuration::Settings;
use crate::db::leads;
use crate::export::leads_csv;

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum LeadsCommand {
    /// Write leads (spam included) as CSV to standard output.
    Export {
        #[arg(long, value_enum, default_value = "csv")]
        format: ExportFormat,
        /// Only leads received on or after this day (YYYY-MM-DD, UTC).
        #[arg(long, value_parser = parse_day)]
        since: Option<Date>,
    },
}

fn parse_day(text: &str) -> Result<Date, String> {
    Date::parse(text, crate::domain::ISO_DATE).map_err(|_| format!("`{text}` is not a date like 2026-01-31"))
}

pub fn run(command: &LeadsCommand, settings: &Settings) -> ExitCode {
    let &LeadsCommand::Export { format: ExportFormat::Csv, since } = command;
    let exported =
        leads::connect_leads(&settings.leads_database(), settings.db_busy_timeout(), settings.db_pool_timeout(), 1)
            .map_err(anyhow::Error::from)
            .and_then(|pool| Ok(pool.get()?))
            .and_then(|mut conn| {
                Ok(leads::leads_since(&mut conn, since.map(|d| d.with_time(Time::MIDNIGHT).assume_utc()))?)
            })
            .and_then(|found| Ok(leads_csv(&found)?));
    match exported.and_then(|csv| Ok(std::io::stdout().lock().write_all(&csv)?)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
