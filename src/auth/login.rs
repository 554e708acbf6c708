//! Logging a staff member in: throttle, check the password, start a fresh session.

use std::sync::LazyLock;

use diesel::sqlite::SqliteConnection;
use time::OffsetDateTime;

use super::{hash_password, session_id, verify_password};
use crate::db::admin;
use crate::domain::admin::{AdminEmail, NewPassword};
use crate::security::{ClientKey, random_hex};

/// Compared against when no account matches, so a wrong e-mail costs as long as a wrong password.
static UNKNOWN_ACCOUNT_HASH: LazyLock<String> =
    LazyLock::new(|| NewPassword::parse(&random_hex(16)).ok().and_then(|p| hash_password(&p).ok()).unwrap_or_default());

/// How many failed logins, per account and per client address, within what window.
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    pub max_failures: u32,
    pub window: time::Duration,
}

pub struct LoginAttempt<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub client: ClientKey,
    /// The session token the browser already had, if any: it is ended, never reused.
    pub old_token: Option<&'a str>,
}

pub enum LoginOutcome {
    Locked {
        until: OffsetDateTime,
    },
    Failed,
    /// A new session; its token goes into the cookie.
    LoggedIn {
        token: String,
        user_id: i64,
    },
}

/// Blocking (a database and a deliberately slow hash): run it on the blocking pool.
pub fn log_in(
    conn: &mut SqliteConnection,
    attempt: &LoginAttempt<'_>,
    policy: LoginPolicy,
    now: OffsetDateTime,
) -> anyhow::Result<LoginOutcome> {
    let email = AdminEmail::parse(attempt.email).ok();
    let account = email.as_ref().map_or_else(|| attempt.email.trim().to_lowercase(), |e| e.as_ref().to_owned());
    let keys = [format!("account:{account}"), format!("client:{:?}", attempt.client)];
    if let Err(until) = admin::begin_attempt(conn, &keys, now, policy.max_failures, policy.window)? {
        return Ok(LoginOutcome::Locked { until });
    }
    let user = match &email {
        Some(email) => admin::find_user(conn, email)?,
        None => None,
    };
    let stored_hash = user.as_ref().map_or(UNKNOWN_ACCOUNT_HASH.as_str(), |u| u.password_hash.as_str());
    let matches = verify_password(attempt.password, stored_hash);
    let Some(user) = user.filter(|_| matches) else {
        return Ok(LoginOutcome::Failed);
    };
    admin::forgive_attempt(conn, &keys, policy.max_failures)?;
    let token = random_hex(32);
    admin::start_session(conn, attempt.old_token.map(session_id).as_deref(), &session_id(&token), user.id, now)?;
    Ok(LoginOutcome::LoggedIn { token, user_id: user.id })
}
