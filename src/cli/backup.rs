//! `jobprofiles backup PATH` and `jobprofiles restore PATH`: a copy of the database taken while
//! the site serves, and a checked copy put back while it is stopped.

use std::path::Path;
use std::process::ExitCode;

use crate::configuration::Settings;
use crate::db::backup;

pub fn backup(to: &Path, settings: &Settings) -> ExitCode {
    match backup::backup(&settings.database, to, settings.db_busy_timeout()) {
        Ok(done) => {
            println!(
                "backed up {} to {} ({} bytes, integrity_check ok)",
                settings.database.display(),
                to.display(),
                done.bytes
            );
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}

pub fn restore(from: &Path, settings: &Settings) -> ExitCode {
    match backup::restore(from, &settings.database) {
        Ok(done) => {
            println!("restored {} from {} (integrity_check ok)", settings.database.display(), from.display());
            if let Some(replaced) = done.replaced {
                println!("the database it replaced is kept as {}", replaced.display());
            }
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}

fn fail(error: &backup::BackupError) -> ExitCode {
    eprintln!("error: {}", crate::error::with_causes(error));
    ExitCode::FAILURE
}
