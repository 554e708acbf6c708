//! How failed logins are answered, and which throttle a refusal or lock names.

use crate::configuration::AdminSettings;

/// How failed logins are answered.
#[derive(Debug, Clone, Copy)]
pub struct LoginPolicy {
    /// Failures per client address, per account and client address, and per device cookie that
    /// lock for `window`.
    pub max_failures: u32,
    /// Failures per IPv6 /48 that lock it for `window`.
    pub max_network_failures: u32,
    pub window: time::Duration,
    /// Failures for an account from anywhere after which each attempt waits before the next.
    pub account_delay_after: u32,
    /// The first wait; it doubles with each further failure up to `account_delay_max`.
    pub account_delay: time::Duration,
    pub account_delay_max: time::Duration,
}

impl LoginPolicy {
    pub fn of(settings: &AdminSettings, ipv6_network_factor: std::num::NonZeroU32) -> LoginPolicy {
        let millis = |ms: u64| time::Duration::milliseconds(i64::try_from(ms).unwrap_or(i64::MAX));
        LoginPolicy {
            max_failures: settings.max_failed_logins.get(),
            max_network_failures: settings.max_failed_logins.saturating_mul(ipv6_network_factor).get(),
            window: time::Duration::seconds(i64::try_from(settings.lock_secs).unwrap_or(i64::MAX)),
            account_delay_after: settings.account_delay_after.get(),
            account_delay: millis(settings.account_delay_ms),
            account_delay_max: millis(settings.account_delay_max_ms),
        }
    }
}

/// Which throttle refused an attempt or was engaged by a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginLock {
    /// One client address, whatever the account.
    Client,
    /// One IPv6 /48, whatever the account.
    Network,
    /// One account from one client address.
    AccountClient,
    /// One account from anywhere: a growing delay, not a lock.
    AccountDelay,
    /// One device cookie: locked, it counts as no cookie.
    Device,
}

impl LoginLock {
    pub fn label(self) -> &'static str {
        match self {
            LoginLock::Client => "client",
            LoginLock::Network => "network",
            LoginLock::AccountClient => "account_client",
            LoginLock::AccountDelay => "account_delay",
            LoginLock::Device => "device",
        }
    }
}
