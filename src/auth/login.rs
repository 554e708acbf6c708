//! Logging a staff member in: throttle, check the password, start a fresh session.
//!
//! Failures are counted per client address (one address trying many accounts) and per account
//! and client address (an attacker locks out only their own address); both lock. Failures for an
//! account from anywhere only slow further attempts down, and not for a browser with the
//! account's device cookie, so nobody can lock a staff member out by guessing their password.

use std::sync::LazyLock;

use diesel::sqlite::SqliteConnection;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::{hash_password, session_id, verify_password};
use crate::configuration::AdminSettings;
use crate::db::DbPool;
use crate::db::admin::{self, Throttle, ThrottleRule};
use crate::domain::admin::{AdminEmail, NewPassword};
use crate::metrics::Metrics;
use crate::security::{ClientKey, random_hex};

/// Compared against when no account matches, so a wrong e-mail costs as long as a wrong password.
static UNKNOWN_ACCOUNT_HASH: LazyLock<String> =
    LazyLock::new(|| NewPassword::parse(&random_hex(16)).ok().and_then(|p| hash_password(&p).ok()).unwrap_or_default());

/// How failed logins are answered.
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    /// Failures per client address, and per account and client address, that lock for `window`.
    pub max_failures: u32,
    pub window: time::Duration,
    /// Failures for an account from anywhere after which each attempt waits before the next.
    pub account_delay_after: u32,
    /// The first wait; it doubles with each further failure up to `account_delay_max`.
    pub account_delay: time::Duration,
    pub account_delay_max: time::Duration,
}

impl LoginPolicy {
    pub fn of(settings: &AdminSettings) -> LoginPolicy {
        let millis = |ms: u64| time::Duration::milliseconds(i64::try_from(ms).unwrap_or(i64::MAX));
        LoginPolicy {
            max_failures: settings.max_failed_logins,
            window: time::Duration::seconds(i64::try_from(settings.lock_secs).unwrap_or(i64::MAX)),
            account_delay_after: settings.account_delay_after,
            account_delay: millis(settings.account_delay_ms),
            account_delay_max: millis(settings.account_delay_max_ms),
        }
    }
}

pub struct LoginAttempt {
    pub email: String,
    pub password: String,
    pub client: ClientKey,
    /// The session token the browser already had, if any: it is ended, never reused.
    pub old_token: Option<String>,
    /// The account the browser's device cookie vouches for, if it carries a genuine one.
    pub device_of: Option<i64>,
}

/// Which throttle refused an attempt or was engaged by a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginLock {
    /// One client address, whatever the account.
    Client,
    /// One account from one client address.
    AccountClient,
    /// One account from anywhere: a growing delay, not a lock.
    AccountDelay,
}

impl LoginLock {
    pub fn label(self) -> &'static str {
        match self {
            LoginLock::Client => "client",
            LoginLock::AccountClient => "account_client",
            LoginLock::AccountDelay => "account_delay",
        }
    }
}

pub enum LoginOutcome {
    Locked {
        until: OffsetDateTime,
        lock: LoginLock,
    },
    Failed,
    /// A new session; its token goes into the cookie.
    LoggedIn {
        token: String,
        user_id: i64,
    },
}

/// What the first database visit found: the attempt is counted, the password not yet checked.
struct PasswordCheck {
    throttles: Vec<(Throttle, LoginLock)>,
    engaged: Vec<LoginLock>,
    user_id: Option<i64>,
    /// `None` when no account matched.
    stored_hash: Option<String>,
    /// Names the account in logs without its e-mail address.
    account_tag: String,
}

enum Begun {
    Refused { until: OffsetDateTime, lock: LoginLock },
    Check(PasswordCheck),
}

/// Checks the password (deliberately slow) on the blocking pool without holding a database
/// connection, which the pages and the hiring form need meanwhile.
pub async fn log_in(
    pool: &DbPool,
    attempt: LoginAttempt,
    policy: LoginPolicy,
    metrics: &Metrics,
    now: OffsetDateTime,
) -> anyhow::Result<LoginOutcome> {
    let LoginAttempt { email, password, client, old_token, device_of } = attempt;
    let begun = with_connection(pool, move |conn| begin(conn, &email, client, device_of, policy, now)).await?;
    let check = match begun {
        Begun::Refused { until, lock } => return Ok(LoginOutcome::Locked { until, lock }),
        Begun::Check(check) => check,
    };
    let (check, matches) = tokio::task::spawn_blocking(move || {
        let stored_hash = check.stored_hash.as_deref().unwrap_or(&UNKNOWN_ACCOUNT_HASH);
        let matches = verify_password(&password, stored_hash);
        (check, matches)
    })
    .await?;
    let user_id = check.user_id.filter(|_| matches);
    let Some(user_id) = user_id else {
        for lock in &check.engaged {
            metrics.login_locked(lock.label());
            tracing::warn!(
                lock = lock.label(),
                account = %check.account_tag,
                user_id = check.user_id,
                client = ?client,
                "staff login locked"
            );
        }
        return Ok(LoginOutcome::Failed);
    };
    let token = random_hex(32);
    let session = session_id(&token);
    // The session's clocks start when it exists, not when the request came in before the slow check.
    let started = OffsetDateTime::now_utc().max(now);
    with_connection(pool, move |conn| {
        let throttles: Vec<Throttle> = check.throttles.into_iter().map(|(throttle, _)| throttle).collect();
        admin::forgive_attempt(conn, &throttles)?;
        admin::start_session(conn, old_token.map(|t| session_id(&t)).as_deref(), &session, user_id, started)?;
        Ok(())
    })
    .await?;
    Ok(LoginOutcome::LoggedIn { token, user_id })
}

async fn with_connection<T: Send + 'static>(
    pool: &DbPool,
    work: impl FnOnce(&mut SqliteConnection) -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || work(&mut *pool.get()?)).await?
}

/// Finds the account and counts the attempt against every throttle that applies to it.
fn begin(
    conn: &mut SqliteConnection,
    input: &str,
    client: ClientKey,
    device_of: Option<i64>,
    policy: LoginPolicy,
    now: OffsetDateTime,
) -> anyhow::Result<Begun> {
    let email = AdminEmail::parse(input).ok();
    let account = email.as_ref().map_or_else(|| input.trim().to_lowercase(), |e| e.as_ref().to_owned());
    let user = match &email {
        Some(email) => admin::find_user(conn, email)?,
        None => None,
    };
    let lock = ThrottleRule::Lock { max: policy.max_failures, window: policy.window };
    let mut throttles = vec![
        (Throttle { key: format!("client:{client:?}"), rule: lock }, LoginLock::Client),
        (Throttle { key: format!("account:{account}|client:{client:?}"), rule: lock }, LoginLock::AccountClient),
    ];
    let trusted_device = user.as_ref().is_some_and(|u| device_of == Some(u.id));
    if !trusted_device {
        let delay = ThrottleRule::Delay {
            after: policy.account_delay_after,
            first: policy.account_delay,
            longest: policy.account_delay_max,
            window: policy.window,
        };
        throttles.push((Throttle { key: format!("account:{account}"), rule: delay }, LoginLock::AccountDelay));
    }
    let plain: Vec<Throttle> = throttles.iter().map(|(throttle, _)| throttle.clone()).collect();
    let engaged = match admin::begin_attempt(conn, &plain, now)? {
        Err(refused) => {
            let lock = throttles.get(refused.throttle).map_or(LoginLock::Client, |(_, lock)| *lock);
            return Ok(Begun::Refused { until: refused.until, lock });
        }
        Ok(engaged) => engaged.iter().filter_map(|&i| throttles.get(i).map(|(_, lock)| *lock)).collect(),
    };
    Ok(Begun::Check(PasswordCheck {
        throttles,
        engaged,
        user_id: user.as_ref().map(|u| u.id),
        stored_hash: user.map(|u| u.password_hash),
        account_tag: account_tag(&account),
    }))
}

/// The first 12 hex digits of the account name's SHA-256: enough to follow one account
/// through the log, without the address in it.
fn account_tag(account: &str) -> String {
    Sha256::digest(account.as_bytes()).iter().take(6).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> LoginPolicy {
        LoginPolicy {
            max_failures: 5,
            window: time::Duration::minutes(15),
            account_delay_after: 10,
            account_delay: time::Duration::seconds(1),
            account_delay_max: time::Duration::minutes(1),
        }
    }

    #[tokio::test]
    async fn the_slow_password_check_starts_only_once_the_connection_is_back_in_the_pool() {
        let dir = tempfile::tempdir().expect("temp dir");
        let pool = crate::db::connect(
            &dir.path().join("login.db"),
            std::time::Duration::from_secs(5),
            std::time::Duration::from_secs(5),
            1,
        )
        .expect("db");
        let email = AdminEmail::parse("staff@example.com").expect("address");
        let password = NewPassword::parse("correct horse battery").expect("long enough");
        let hash = hash_password(&password).expect("hashes");
        admin::add_user(&mut pool.get().expect("connection"), &email, &hash, OffsetDateTime::now_utc()).expect("added");

        let client = ClientKey::of("192.0.2.1".parse().ok());
        let now = OffsetDateTime::now_utc();
        let begun = with_connection(&pool, move |conn| begin(conn, "staff@example.com", client, None, policy(), now))
            .await
            .expect("begun");
        let Begun::Check(check) = begun else { panic!("not throttled") };
        assert_eq!(check.stored_hash.as_deref(), Some(hash.as_str()), "what the check needs came out of the database");
        let held_by_others = pool.try_get().expect("the pool's only connection is free during the check");
        assert!(verify_password("correct horse battery", &hash));
        drop(held_by_others);
    }
}
