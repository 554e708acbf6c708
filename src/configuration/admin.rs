//! Settings of the staff area: sessions, login throttling, the inbox, lead retention.

use std::num::{NonZeroU32, NonZeroUsize};

/// The staff area: sessions, login throttling, the inbox, and how long leads are kept.
#[derive(Debug, Clone, clap::Args)]
pub struct AdminSettings {
    /// A session ends after this long without a request.
    #[arg(
        long = "admin-idle-timeout-secs",
        env = "JOBPROFILES_ADMIN_IDLE_TIMEOUT_SECS",
        default_value_t = 1_800,
        global = true
    )]
    pub idle_timeout_secs: u64,
    /// A session ends this long after login, however busy.
    #[arg(
        long = "admin-absolute-timeout-secs",
        env = "JOBPROFILES_ADMIN_ABSOLUTE_TIMEOUT_SECS",
        default_value_t = 43_200,
        global = true
    )]
    pub absolute_timeout_secs: u64,
    /// Failed logins per account or per client address before a lock (an IPv6 /48 gets
    /// `ipv6_network_factor` times as many).
    #[arg(
        long = "admin-max-failed-logins",
        env = "JOBPROFILES_ADMIN_MAX_FAILED_LOGINS",
        default_value_t = NonZeroU32::new(5).unwrap_or(NonZeroU32::MIN),
        global = true
    )]
    pub max_failed_logins: NonZeroU32,
    /// How long failures are counted, and how long a lock lasts.
    #[arg(long = "admin-lock-secs", env = "JOBPROFILES_ADMIN_LOCK_SECS", default_value_t = 900, global = true)]
    pub lock_secs: u64,
    /// Failed logins for one account, from any address, after which each attempt must wait before the next
    /// (browsers with the account's device cookie excepted).
    #[arg(
        long = "admin-account-delay-after",
        env = "JOBPROFILES_ADMIN_ACCOUNT_DELAY_AFTER",
        default_value_t = NonZeroU32::new(10).unwrap_or(NonZeroU32::MIN),
        global = true
    )]
    pub account_delay_after: NonZeroU32,
    /// The first such wait in milliseconds; it doubles with each further failure.
    #[arg(
        long = "admin-account-delay-ms",
        env = "JOBPROFILES_ADMIN_ACCOUNT_DELAY_MS",
        default_value_t = 1_000,
        global = true
    )]
    pub account_delay_ms: u64,
    /// The longest such wait in milliseconds.
    #[arg(
        long = "admin-account-delay-max-ms",
        env = "JOBPROFILES_ADMIN_ACCOUNT_DELAY_MAX_MS",
        default_value_t = 60_000,
        global = true
    )]
    pub account_delay_max_ms: u64,
    /// How long a device cookie, set at every login, exempts its browser from the account-wide delay.
    #[arg(
        long = "admin-device-cookie-days",
        env = "JOBPROFILES_ADMIN_DEVICE_COOKIE_DAYS",
        default_value_t = 180,
        global = true
    )]
    pub device_cookie_days: u16,
    /// Password checks (argon2, 19 MiB each) that may run at once; the number of cores when not set.
    #[arg(long = "admin-login-concurrency", env = "JOBPROFILES_ADMIN_LOGIN_CONCURRENCY", global = true)]
    pub login_concurrency: Option<NonZeroUsize>,
    /// How long a login waits for a password check to be free before it is answered 503.
    #[arg(
        long = "admin-login-wait-ms",
        env = "JOBPROFILES_ADMIN_LOGIN_WAIT_MS",
        default_value_t = 1_000,
        global = true
    )]
    pub login_wait_ms: u64,
    /// Leads per inbox page.
    #[arg(long = "admin-page-size", env = "JOBPROFILES_ADMIN_PAGE_SIZE", default_value_t = 25, global = true)]
    pub page_size: u32,
    /// Erase leads older than this many days (1 to 36500); off when not set.
    #[arg(
        long = "lead-retention-days",
        env = "JOBPROFILES_LEAD_RETENTION_DAYS",
        value_parser = clap::value_parser!(u32).range(1..=36_500),
        global = true
    )]
    pub retention_days: Option<u32>,
    /// How long a preview link for a draft stays valid.
    #[arg(long = "preview-link-days", env = "JOBPROFILES_PREVIEW_LINK_DAYS", default_value_t = 7, global = true)]
    pub preview_link_days: u16,
    /// How often the daily clean-up (retention, expired sessions) runs.
    #[arg(long, env = "JOBPROFILES_RETENTION_INTERVAL_SECS", default_value_t = 86_400, global = true)]
    pub retention_interval_secs: u64,
}
