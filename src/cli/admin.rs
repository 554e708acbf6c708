//! `jobprofiles admin ...`: staff accounts from the shell. Passwords are read from the terminal
//! without echo (twice), or from standard input when it is not a terminal (for scripts).

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use clap::Subcommand;
use time::OffsetDateTime;

use crate::auth::hash_password;
use crate::configuration::Settings;
use crate::db::{admin, leads};
use crate::domain::admin::{AdminEmail, NewPassword};

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a staff account.
    AddUser { email: String },
    /// Set a new password; ends the account's sessions.
    SetPassword { email: String },
    /// Delete a staff account and its sessions.
    RemoveUser { email: String },
    /// List staff accounts.
    ListUsers,
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}

fn read_password() -> Result<NewPassword, String> {
    let password = if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(|e| e.to_string())?;
        let second = rpassword::prompt_password("Password again: ").map_err(|e| e.to_string())?;
        if first != second {
            return Err("the passwords differ".into());
        }
        first
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(|e| e.to_string())?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    };
    NewPassword::parse(&password).map_err(|e| e.to_string())
}

pub fn run(command: AdminCommand, settings: &Settings) -> ExitCode {
    let pool = match leads::connect_leads(
        &settings.leads_database(),
        settings.db_busy_timeout(),
        settings.db_pool_timeout(),
        1,
    ) {
        Ok(pool) => pool,
        Err(e) => return fail(e),
    };
    let mut conn = match pool.get() {
        Ok(conn) => conn,
        Err(e) => return fail(e),
    };
    let parse = |email: &str| AdminEmail::parse(email).map_err(|e| e.to_string());
    let result = match command {
        AdminCommand::AddUser { email } => parse(&email).and_then(|email| {
            let hash = hash_password(&read_password()?)?;
            match admin::add_user(&mut conn, &email, &hash, OffsetDateTime::now_utc()).map_err(|e| e.to_string())? {
                true => Ok(format!("created {}", email.as_ref())),
                false => Err(format!("{} has an account already; use set-password", email.as_ref())),
            }
        }),
        AdminCommand::SetPassword { email } => parse(&email).and_then(|email| {
            let hash = hash_password(&read_password()?)?;
            match admin::set_password(&mut conn, &email, &hash).map_err(|e| e.to_string())? {
                true => Ok(format!("password of {} changed; its sessions ended", email.as_ref())),
                false => Err(format!("{} has no account", email.as_ref())),
            }
        }),
        AdminCommand::RemoveUser { email } => {
            parse(&email).and_then(|email| match admin::remove_user(&mut conn, &email).map_err(|e| e.to_string())? {
                true => Ok(format!("removed {}", email.as_ref())),
                false => Err(format!("{} has no account", email.as_ref())),
            })
        }
        AdminCommand::ListUsers => admin::list_users(&mut conn)
            .map_err(|e| e.to_string())
            .map(|users| users.into_iter().map(|u| u.email).collect::<Vec<_>>().join("\n")),
    };
    match result {
        Ok(output) => {
            if !output.is_empty() {
                println!("{output}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => fail(message),
    }
}
