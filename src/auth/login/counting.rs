//! The first database visit of a login: find the account and count the attempt against every
//! throttle that applies, before the password is checked.

use time::OffsetDateTime;

use super::{LoginLock, LoginPolicy};
use crate::auth::DeviceCookies;
use crate::auth::device::DeviceClaim;
use crate::db::admin::{self, Throttle, ThrottleRule};
use crate::db::leads::LeadConnection;
use crate::domain::AdminUserId;
use crate::domain::admin::AdminEmail;
use crate::security::ClientKey;

/// What the first database visit found: the attempt is counted, the password not yet checked.
pub(super) struct PasswordCheck {
    pub(super) throttles: Vec<Throttle>,
    pub(super) user_id: Option<AdminUserId>,
    /// `None` when no account matched.
    pub(super) stored_hash: Option<String>,
}

pub(super) enum Begun {
    Refused { until: OffsetDateTime, lock: LoginLock },
    Check(PasswordCheck),
}

/// Who an attempt is counted against, besides the account the typed e-mail finds.
pub(super) struct Counted<'a> {
    /// The typed account name, keyed: see `Logins::account_id`.
    pub(super) account: &'a str,
    pub(super) client: ClientKey,
    pub(super) device: Option<&'a DeviceClaim>,
    pub(super) devices: &'a DeviceCookies,
    pub(super) policy: LoginPolicy,
    pub(super) now: OffsetDateTime,
}

/// Finds the account and counts the attempt against every throttle that applies to it; the
/// locks it engages are logged and counted here, where they take effect.
pub(super) fn begin(
    conn: &mut LeadConnection,
    input: &str,
    counted: &Counted<'_>,
    count_lock: &impl Fn(&'static str),
) -> anyhow::Result<Begun> {
    let Counted { account, client, policy, now, .. } = *counted;
    let user = match AdminEmail::parse(input) {
        Ok(email) => admin::find_user(conn, &email)?,
        Err(_) => None,
    };
    let lock = ThrottleRule::Lock { max: policy.max_failures, window: policy.window };
    let device_key = user
        .as_ref()
        .zip(counted.device)
        .filter(|(user, claim)| counted.devices.vouches(claim, user.id, &user.password_hash, now))
        .map(|(_, claim)| format!("device:{}", claim.nonce));
    let device_key = match device_key {
        Some(key) if admin::refusal(conn, &[key.as_str()], now)?.is_none() => Some(key),
        _ => None,
    };
    let throttles = match device_key {
        // The browser that logged in before is counted on its own: another's failures do not
        // hold it back, and a stolen cookie gets a few guesses before it counts for nothing.
        Some(key) => vec![(Throttle { key, rule: lock }, LoginLock::Device)],
        None => {
            let mut throttles = vec![(Throttle { key: format!("client:{client:?}"), rule: lock }, LoginLock::Client)];
            if let Some(network) = client.network() {
                let rule = ThrottleRule::Lock { max: policy.max_network_failures, window: policy.window };
                throttles.push((Throttle { key: format!("network:{network:?}"), rule }, LoginLock::Network));
            }
            let account_client = format!("account:{account}|client:{client:?}");
            throttles.push((Throttle { key: account_client, rule: lock }, LoginLock::AccountClient));
            let delay = ThrottleRule::Delay {
                after: policy.account_delay_after,
                first: policy.account_delay,
                longest: policy.account_delay_max,
                window: policy.window,
            };
            throttles.push((Throttle { key: format!("account:{account}"), rule: delay }, LoginLock::AccountDelay));
            throttles
        }
    };
    let plain: Vec<Throttle> = throttles.iter().map(|(throttle, _)| throttle.clone()).collect();
    let engaged = match admin::begin_attempt(conn, &plain, now)? {
        Err(refused) => {
            let lock = throttles.get(refused.throttle).map_or(LoginLock::Client, |(_, lock)| *lock);
            return Ok(Begun::Refused { until: refused.until, lock });
        }
        Ok(engaged) => engaged,
    };
    let user_id = user.as_ref().map(|u| u.id);
    for lock in engaged.iter().filter_map(|&i| throttles.get(i).map(|(_, lock)| *lock)) {
        count_lock(lock.label());
        let tag = account.get(..12).unwrap_or(account);
        tracing::warn!(lock = lock.label(), account = tag, user_id = user_id.map(AdminUserId::get), client = ?client, "staff login locked");
    }
    Ok(Begun::Check(PasswordCheck { throttles: plain, user_id, stored_hash: user.map(|u| u.password_hash) }))
}
