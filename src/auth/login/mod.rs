//! Logging a staff member in: throttle, check the password, start a fresh session.
//!
//! Failures are counted per client address and per IPv6 /48 (one source trying many accounts)
//! and per account and client address (an attacker locks out only their own address); these
//! lock. Failures for an account from anywhere only slow further attempts down. A browser with
//! the account's device cookie skips all of these and is counted on its own instead, so nobody
//! can lock a staff member out by guessing their password.

mod counting;
mod policy;

use std::sync::{Arc, LazyLock};

use std::time::Duration;

use actix_web::cookie::Cookie;
use hmac::Mac;
use time::OffsetDateTime;
use tokio::sync::Semaphore;

use super::device::DeviceClaim;
use super::{DeviceCookies, hash_password, session_id, verify_password};
use crate::configuration::AdminSettings;
use crate::db::admin;
use crate::db::leads::{LeadConnection, LeadPool};
use crate::domain::AdminUserId;
use crate::domain::admin::{AdminEmail, NewPassword};
use crate::metrics::Metrics;
use crate::security::{ClientKey, Secret, encode_hex, random_hex};
use counting::{Begun, Counted, begin};
pub use policy::{LoginLock, LoginPolicy};

/// Compared against when no account matches, so a wrong e-mail costs as long as a wrong password.
static UNKNOWN_ACCOUNT_HASH: LazyLock<String> =
    LazyLock::new(|| NewPassword::parse(&random_hex(16)).ok().and_then(|p| hash_password(&p).ok()).unwrap_or_default());

/// Longer than any e-mail address: what is typed beyond it does not name a different account.
const ACCOUNT_NAME_CAP: usize = 320;

/// Everything a login needs besides the database: the policy, the device cookies, the key that
/// keeps typed account names out of the database and logs, and the bound on parallel checks.
pub struct Logins {
    pub policy: LoginPolicy,
    pub devices: DeviceCookies,
    account_key: Secret,
    /// Each password check takes 19 MiB and a core for a while: without a bound, one source of
    /// many attempts takes the memory and the blocking threads the pages need.
    checks: Arc<Semaphore>,
    check_wait: Duration,
}

impl Logins {
    pub fn new(policy: LoginPolicy, devices: DeviceCookies, account_key: Secret, settings: &AdminSettings) -> Logins {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        let concurrency = settings.login_concurrency.map_or(cores, std::num::NonZeroUsize::get);
        Logins {
            policy,
            devices,
            account_key,
            checks: Arc::new(Semaphore::new(concurrency)),
            check_wait: Duration::from_millis(settings.login_wait_ms),
        }
    }

    /// Names a typed account in throttle keys and logs, not reversible without the site's key.
    fn account_id(&self, typed: &str) -> String {
        let capped: String = typed.trim().chars().take(ACCOUNT_NAME_CAP).collect();
        let name = AdminEmail::parse(&capped).map_or_else(|_| capped.to_lowercase(), |e| e.as_ref().to_owned());
        let mac = self.account_key.mac(format!("account|{name}").as_bytes()).finalize().into_bytes();
        encode_hex(mac.get(..16).unwrap_or_default())
    }

    /// How long a login refused for want of a free password check should wait.
    pub fn busy_retry_after(&self) -> Duration {
        self.check_wait.max(Duration::from_secs(1))
    }
}

pub struct LoginAttempt {
    pub email: String,
    pub password: String,
    pub client: ClientKey,
    /// The session token the browser already had, if any: it is ended, never reused.
    pub old_token: Option<String>,
    /// What the browser's device cookie claims, if it has one.
    pub device: Option<DeviceClaim>,
}

pub enum LoginOutcome {
    Locked {
        until: OffsetDateTime,
        lock: LoginLock,
    },
    /// Every password check is taken; nothing was counted.
    Busy,
    Failed,
    /// A new session; its token goes into the cookie, with a device cookie for this password.
    LoggedIn {
        token: String,
        user_id: AdminUserId,
        device: Cookie<'static>,
    },
}

/// Checks the password (deliberately slow) on the blocking pool without holding a database
/// connection, which the pages and the hiring form need meanwhile.
#[tracing::instrument(name = "login_verification", skip_all)]
pub async fn log_in(
    pool: &LeadPool,
    attempt: LoginAttempt,
    logins: &Logins,
    metrics: &Metrics,
    now: OffsetDateTime,
) -> anyhow::Result<LoginOutcome> {
    log_in_checking_with(pool, attempt, logins, metrics, now, verify_password).await
}

/// `log_in` with the password check given, so a test can watch what it runs beside.
async fn log_in_checking_with(
    pool: &LeadPool,
    attempt: LoginAttempt,
    logins: &Logins,
    metrics: &Metrics,
    now: OffsetDateTime,
    verify: impl FnOnce(&str, &str) -> bool + Send + 'static,
) -> anyhow::Result<LoginOutcome> {
    let LoginAttempt { email, password, client, old_token, device } = attempt;
    let account = logins.account_id(&email);
    let (policy, devices, count_lock) = (logins.policy, logins.devices.clone(), metrics.login_lock_counter());
    let begun = with_connection(pool, move |conn| {
        let counted = Counted { account: &account, client, device: device.as_ref(), devices: &devices, policy, now };
        begin(conn, &email, &counted, &count_lock)
    })
    .await?;
    let check = match begun {
        Begun::Refused { until, lock } => return Ok(LoginOutcome::Locked { until, lock }),
        Begun::Check(check) => check,
    };
    let Ok(Ok(permit)) = tokio::time::timeout(logins.check_wait, logins.checks.clone().acquire_owned()).await else {
        // Not checked, so not counted either.
        with_connection(pool, move |conn| Ok(admin::forgive_attempt(conn, &check.throttles)?)).await?;
        return Ok(LoginOutcome::Busy);
    };
    let (pool, devices) = (pool.clone(), logins.devices.clone());
    // The check and what follows it run to their end even when the browser goes away, so a
    // success never stays counted as a failure.
    tokio::task::spawn_blocking(move || {
        let matches = verify(&password, check.stored_hash.as_deref().unwrap_or(&UNKNOWN_ACCOUNT_HASH));
        drop(permit);
        let (Some(user_id), Some(stored_hash), true) = (check.user_id, check.stored_hash, matches) else {
            return Ok(LoginOutcome::Failed);
        };
        let token = random_hex(32);
        // The session's clocks start when it exists, not when the request came in before the slow check.
        let started = OffsetDateTime::now_utc().max(now);
        let conn = &mut *pool.get()?;
        admin::forgive_attempt(conn, &check.throttles)?;
        admin::start_session(
            conn,
            old_token.map(|t| session_id(&t)).as_deref(),
            &session_id(&token),
            user_id,
            started,
        )?;
        Ok(LoginOutcome::LoggedIn { token, user_id, device: devices.issue(user_id, &stored_hash, started) })
    })
    .await?
}

async fn with_connection<T: Send + 'static>(
    pool: &LeadPool,
    work: impl FnOnce(&mut LeadConnection) -> anyhow::Result<T> + Send + 'static,
) -> anyhow::Result<T> {
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || work(&mut *pool.get()?)).await?
}

#[cfg(test)]
mod tests {
    use diesel::prelude::*;

    use super::*;

    const STAFF: &str = "staff@example.com";
    const PASSWORD: &str = "correct horse battery";

    /// A database of one connection holding one account, and what `log_in` needs beside it.
    fn one_connection_and_an_account(dir: &std::path::Path) -> (LeadPool, Logins) {
        let pool = crate::db::leads::connect_leads(
            &crate::db::leads::LeadsDatabase::Sqlite(dir.join("login.db")),
            Duration::from_secs(5),
            Duration::from_secs(5),
            1,
        )
        .expect("db");
        let email = AdminEmail::parse(STAFF).expect("address");
        let hash = hash_password(&NewPassword::parse(PASSWORD).expect("long enough")).expect("hashes");
        admin::add_user(&mut pool.get().expect("connection"), &email, &hash, OffsetDateTime::now_utc()).expect("added");
        let settings = crate::configuration::tests::parse(&[]).admin;
        let policy = LoginPolicy::of(&settings, std::num::NonZeroU32::MIN);
        let key = Secret::new(random_hex(32));
        let devices = DeviceCookies::new(key.clone(), false, time::Duration::days(1));
        (pool, Logins::new(policy, devices, key, &settings))
    }

    fn attempt() -> LoginAttempt {
        LoginAttempt {
            email: STAFF.into(),
            password: PASSWORD.into(),
            client: ClientKey::of("192.0.2.1".parse().ok()),
            old_token: None,
            device: None,
        }
    }

    #[tokio::test]
    async fn the_slow_password_check_runs_while_the_only_connection_is_free_for_others() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (pool, logins) = one_connection_and_an_account(dir.path());
        let (others, during) = (pool.clone(), Arc::new(std::sync::Mutex::new(None)));
        let seen = during.clone();
        let verify = move |password: &str, stored: &str| {
            *seen.lock().expect("not poisoned") = Some(others.try_get().is_some());
            verify_password(password, stored)
        };
        let outcome =
            log_in_checking_with(&pool, attempt(), &logins, &Metrics::default(), OffsetDateTime::now_utc(), verify)
                .await
                .expect("logs in");
        assert!(matches!(outcome, LoginOutcome::LoggedIn { .. }));
        assert_eq!(*during.lock().expect("not poisoned"), Some(true), "the only connection was free during the check");
    }

    #[tokio::test]
    async fn a_login_dropped_during_the_password_check_still_starts_its_session_and_is_not_counted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (pool, logins) = one_connection_and_an_account(dir.path());
        let (started_tx, started) = std::sync::mpsc::channel();
        let (go, go_rx) = std::sync::mpsc::channel::<()>();
        let verify = move |password: &str, stored: &str| {
            started_tx.send(()).expect("test waits");
            go_rx.recv().expect("test lets go");
            verify_password(password, stored)
        };
        let request = {
            let pool = pool.clone();
            tokio::spawn(async move {
                log_in_checking_with(&pool, attempt(), &logins, &Metrics::default(), OffsetDateTime::now_utc(), verify)
                    .await
            })
        };
        tokio::task::spawn_blocking(move || started.recv()).await.expect("joins").expect("check started");
        request.abort();
        assert!(request.await.is_err_and(|e| e.is_cancelled()), "the browser went away");
        go.send(()).expect("check waits");
        let mut finished = false;
        for _ in 0..200 {
            let mut conn = pool.get().expect("connection");
            let mut count = |query: &str| {
                diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(query)).get_result::<i64>(&mut conn)
            };
            let sessions = count("(SELECT COUNT(*) FROM admin_sessions)").expect("counted");
            let failures = count("(SELECT COALESCE(SUM(failures), 0) FROM login_throttle)").expect("counted");
            drop(conn);
            finished = sessions == 1 && failures == 0;
            if finished {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(finished, "the session was started and the attempt forgiven");
    }
}
