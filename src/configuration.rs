//! One `Settings` struct for the whole application: defaults < environment < flags.
//! Every variable carries the `JOBPROFILES_` prefix and is listed in the README.

use std::num::{NonZeroU32, NonZeroUsize};
use std::path::PathBuf;
use std::time::Duration;

use crate::security::{ProxyRange, Secret};

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, env = "JOBPROFILES_BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: String,
    /// Serve `/metrics` on this address only (e.g. 127.0.0.1:9100), not on the public one.
    #[arg(long, env = "JOBPROFILES_METRICS_BIND", global = true)]
    pub metrics_bind: Option<String>,
    /// SQLite file; created with its folder if missing.
    #[arg(long, env = "JOBPROFILES_DATABASE", default_value = "jobprofiles.db", global = true)]
    pub database: PathBuf,
    /// The content folder (site.toml, people/, profiles/, pages/, media/).
    #[arg(long, env = "JOBPROFILES_CONTENT", default_value = "content", global = true)]
    pub content: PathBuf,
    /// Public origin used in canonical links, e.g. https://jobs.example.com; overrides site.toml.
    #[arg(long, env = "JOBPROFILES_BASE_URL", value_parser = parse_base_url, global = true)]
    pub base_url: Option<String>,
    /// Folder with CSS, JavaScript and images served at /static.
    #[arg(long, env = "JOBPROFILES_STATIC_DIR", default_value = "static", global = true)]
    pub static_dir: PathBuf,
    /// `human` or `json` log lines.
    #[arg(long, env = "JOBPROFILES_LOG_FORMAT", value_enum, default_value = "human", global = true)]
    pub log_format: LogFormat,
    /// How long a database connection waits for a lock, in milliseconds.
    #[arg(long, env = "JOBPROFILES_DB_BUSY_TIMEOUT_MS", default_value_t = 5_000, global = true)]
    pub db_busy_timeout_ms: u64,
    /// Most database connections open at once.
    #[arg(long, env = "JOBPROFILES_DB_MAX_CONNECTIONS", default_value_t = 8, global = true)]
    pub db_max_connections: u32,
    /// How long a request waits for a free database connection before it fails, in milliseconds
    /// (at least 1: the pool refuses to wait for nothing).
    #[arg(
        long,
        env = "JOBPROFILES_DB_POOL_TIMEOUT_MS",
        default_value_t = 5_000,
        value_parser = clap::value_parser!(u64).range(1..),
        global = true
    )]
    pub db_pool_timeout_ms: u64,
    /// HTTP worker threads; one per core when not set.
    #[arg(long, env = "JOBPROFILES_WORKERS", global = true)]
    pub workers: Option<usize>,
    /// Seconds in-flight requests get to finish after SIGTERM or SIGINT.
    #[arg(long, env = "JOBPROFILES_SHUTDOWN_TIMEOUT_SECS", default_value_t = 10, global = true)]
    pub shutdown_timeout_secs: u64,
    /// Load the content once; do not watch the folder for changes.
    #[arg(long, env = "JOBPROFILES_NO_WATCH", default_value_t = false, global = true)]
    pub no_watch: bool,
    /// How long to wait after a change in the content folder for more changes before reloading.
    #[arg(long, env = "JOBPROFILES_WATCH_DEBOUNCE_MS", default_value_t = 200, global = true)]
    pub watch_debounce_ms: u64,
    /// Longest wait before a scheduled profile (`publish_at`) goes public.
    #[arg(long, env = "JOBPROFILES_PUBLISH_CHECK_SECS", default_value_t = 60, global = true)]
    pub publish_check_secs: u64,
    /// Key (32+ characters) that signs form tokens; a random one per start when not set.
    #[arg(long, env = "JOBPROFILES_SECRET_KEY", value_parser = parse_secret_key, hide_env_values = true, global = true)]
    pub secret_key: Option<Secret>,
    /// Mark cookies `Secure` and name them `__Host-...`; on by default when the base URL is https://.
    #[arg(
        long,
        env = "JOBPROFILES_COOKIE_SECURE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        value_parser = clap::builder::BoolishValueParser::new(),
        global = true
    )]
    pub cookie_secure: Option<bool>,
    /// Address range of a reverse proxy whose `X-Forwarded-For` is believed (repeatable; the
    /// variable takes a comma-separated list).
    #[arg(long = "trusted-proxy", env = "JOBPROFILES_TRUSTED_PROXIES", value_delimiter = ',', global = true)]
    pub trusted_proxies: Vec<ProxyRange>,
    /// Rate limits count each IPv6 /64 and also its /48, which gets this many times the allowance.
    #[arg(long, env = "JOBPROFILES_IPV6_NETWORK_FACTOR", default_value = "16", global = true)]
    pub ipv6_network_factor: NonZeroU32,
    #[command(flatten)]
    pub leads: LeadSettings,
    #[command(flatten)]
    pub smtp: SmtpSettings,
    #[command(flatten)]
    pub admin: AdminSettings,
    #[command(flatten)]
    pub limits: LimitSettings,
    #[command(flatten)]
    pub search: SearchSettings,
}

/// What search may cost: results cached per content version, a rate limit per client, and a
/// cap on searches running at once, so that the hiring form always finds a database connection.
#[derive(Debug, Clone, clap::Args)]
pub struct SearchSettings {
    /// Result pages kept per content version; the least recently used goes first.
    #[arg(
        long = "search-cache-entries",
        env = "JOBPROFILES_SEARCH_CACHE_ENTRIES",
        default_value_t = 2_000,
        global = true
    )]
    pub cache_entries: usize,
    /// Searches one client address (IPv6: one /64) may run per window.
    #[arg(
        id = "search_rate_limit",
        long = "search-rate-limit",
        env = "JOBPROFILES_SEARCH_RATE_LIMIT",
        default_value = "60",
        global = true
    )]
    pub rate_limit: NonZeroU32,
    #[arg(
        id = "search_rate_window_secs",
        long = "search-rate-window-secs",
        env = "JOBPROFILES_SEARCH_RATE_WINDOW_SECS",
        default_value_t = 60,
        global = true
    )]
    pub rate_window_secs: u64,
    /// Searches that may query the database at once; at most the pool size less one.
    #[arg(
        long = "search-max-concurrent",
        env = "JOBPROFILES_SEARCH_MAX_CONCURRENT",
        default_value = "4",
        global = true
    )]
    pub max_concurrent: NonZeroU32,
    /// How long a search waits for its turn before it is answered 503.
    #[arg(long = "search-wait-ms", env = "JOBPROFILES_SEARCH_WAIT_MS", default_value_t = 500, global = true)]
    pub wait_ms: u64,
}

/// What slow or greedy clients may take before they are refused or dropped.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitSettings {
    /// Time a client gets to send a request's headers, in milliseconds; then it is dropped.
    #[arg(long, env = "JOBPROFILES_REQUEST_TIMEOUT_MS", default_value_t = 5_000, global = true)]
    pub request_timeout_ms: u64,
    /// How long an idle keep-alive connection stays open.
    #[arg(long, env = "JOBPROFILES_KEEP_ALIVE_SECS", default_value_t = 5, global = true)]
    pub keep_alive_secs: u64,
    /// Open connections per worker; more wait in the backlog.
    #[arg(long, env = "JOBPROFILES_MAX_CONNECTIONS", default_value_t = 10_000, global = true)]
    pub max_connections: usize,
    /// Connections waiting to be accepted.
    #[arg(long, env = "JOBPROFILES_BACKLOG", default_value_t = 1_024, global = true)]
    pub backlog: u32,
    /// Largest sum of request header sizes in bytes; larger requests get 431.
    #[arg(long, env = "JOBPROFILES_MAX_HEADER_BYTES", default_value_t = 16_384, global = true)]
    pub max_header_bytes: usize,
    /// Send Strict-Transport-Security; on by default when the base URL is https://.
    #[arg(
        long,
        env = "JOBPROFILES_HSTS",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        value_parser = clap::builder::BoolishValueParser::new(),
        global = true
    )]
    pub hsts: Option<bool>,
}

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

/// Limits and traps of the hiring-request form and the notification outbox.
#[derive(Debug, Clone, clap::Args)]
pub struct LeadSettings {
    /// A form sent back sooner than this after it was shown is stored as spam.
    #[arg(long, env = "JOBPROFILES_FORM_MIN_FILL_MS", default_value_t = 3_000, global = true)]
    pub form_min_fill_ms: u64,
    /// How long a rendered form stays valid.
    #[arg(long, env = "JOBPROFILES_FORM_MAX_AGE_SECS", default_value_t = 86_400, global = true)]
    pub form_max_age_secs: u64,
    /// Largest accepted form body in bytes; larger ones get 413.
    #[arg(long, env = "JOBPROFILES_FORM_BODY_LIMIT", default_value_t = 65_536, global = true)]
    pub form_body_limit: usize,
    /// Hiring requests one client address (IPv6: one /64) may send per window.
    #[arg(long = "lead-rate-limit", env = "JOBPROFILES_LEAD_RATE_LIMIT", default_value = "5", global = true)]
    pub rate_limit: NonZeroU32,
    #[arg(
        long = "lead-rate-window-secs",
        env = "JOBPROFILES_LEAD_RATE_WINDOW_SECS",
        default_value_t = 600,
        global = true
    )]
    pub rate_window_secs: u64,
    /// How often the outbox worker looks for due notifications, in milliseconds.
    #[arg(long, env = "JOBPROFILES_OUTBOX_POLL_MS", default_value_t = 2_000, global = true)]
    pub outbox_poll_ms: u64,
    /// First retry delay after a failed send; doubles per attempt up to the maximum.
    #[arg(long, env = "JOBPROFILES_OUTBOX_RETRY_BASE_MS", default_value_t = 10_000, global = true)]
    pub outbox_retry_base_ms: u64,
    #[arg(long, env = "JOBPROFILES_OUTBOX_RETRY_MAX_MS", default_value_t = 3_600_000, global = true)]
    pub outbox_retry_max_ms: u64,
    /// How long a worker holds a notification it is sending; after a crash mid-send, another
    /// attempt starts once this has passed.
    #[arg(long, env = "JOBPROFILES_OUTBOX_LEASE_SECS", default_value_t = 300, global = true)]
    pub outbox_lease_secs: u64,
    /// Attempts before a notification is marked failed.
    #[arg(long, env = "JOBPROFILES_OUTBOX_MAX_ATTEMPTS", default_value_t = 10, global = true)]
    pub outbox_max_attempts: u32,
}

/// How the contact person is told about a new lead. Without a host, nothing is sent and
/// notifications wait in the outbox.
#[derive(Debug, Clone, clap::Args)]
pub struct SmtpSettings {
    #[arg(long = "smtp-host", env = "JOBPROFILES_SMTP_HOST", global = true)]
    pub host: Option<String>,
    #[arg(long = "smtp-port", env = "JOBPROFILES_SMTP_PORT", default_value_t = 587, global = true)]
    pub port: u16,
    /// `starttls` (default), `tls` (implicit TLS, usually port 465) or `none` (local relays and tests only).
    #[arg(long = "smtp-tls", env = "JOBPROFILES_SMTP_TLS", value_enum, default_value = "starttls", global = true)]
    pub tls: SmtpTls,
    #[arg(long = "smtp-username", env = "JOBPROFILES_SMTP_USERNAME", global = true)]
    pub username: Option<String>,
    #[arg(long = "smtp-password", env = "JOBPROFILES_SMTP_PASSWORD", value_parser = parse_secret, hide_env_values = true, global = true)]
    pub password: Option<Secret>,
    /// The From address, e.g. `Quellwerk Talent <leads@example.com>`.
    #[arg(
        long = "smtp-sender",
        env = "JOBPROFILES_SMTP_SENDER",
        default_value = "jobprofiles <noreply@localhost.localdomain>",
        global = true
    )]
    pub sender: String,
    #[arg(long = "smtp-timeout-secs", env = "JOBPROFILES_SMTP_TIMEOUT_SECS", default_value_t = 10, global = true)]
    pub timeout_secs: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SmtpTls {
    None,
    Starttls,
    Tls,
}

impl Settings {
    pub fn db_busy_timeout(&self) -> Duration {
        Duration::from_millis(self.db_busy_timeout_ms)
    }

    pub fn db_pool_timeout(&self) -> Duration {
        Duration::from_millis(self.db_pool_timeout_ms)
    }

    /// Searches running at once: below the pool size, so that one connection is always left for
    /// the hiring form and the staff; with a pool of one connection, search shares it.
    pub fn search_permits(&self) -> usize {
        let cap = self.search.max_concurrent.get().min(self.db_max_connections.saturating_sub(1)).max(1);
        usize::try_from(cap).unwrap_or(1)
    }

    /// Whether cookies are `Secure` (and `__Host-`): as set, else when the public origin is HTTPS.
    pub fn secure_cookies(&self, base_url: &str) -> bool {
        self.cookie_secure.unwrap_or_else(|| is_https(base_url))
    }

    /// Whether Strict-Transport-Security is sent: as set, else when the public origin is HTTPS.
    pub fn sends_hsts(&self, base_url: &str) -> bool {
        self.limits.hsts.unwrap_or_else(|| is_https(base_url))
    }

    /// Where people's photos and other media of the content folder live.
    pub fn media_dir(&self) -> PathBuf {
        self.content.join("media")
    }
}

fn is_https(base_url: &str) -> bool {
    base_url.get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
}

fn parse_secret_key(value: &str) -> Result<Secret, String> {
    Secret::key(value).map_err(|e| e.to_string())
}

fn parse_secret(value: &str) -> Result<Secret, String> {
    Ok(Secret::new(value.to_owned()))
}

fn parse_base_url(value: &str) -> Result<String, String> {
    let url = value.trim_end_matches('/');
    let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match host {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => Ok(url.to_owned()),
        _ => Err(format!("`{value}` is not an http(s) origin such as https://jobs.example.com")),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use clap::Parser;

    use super::Settings;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        settings: Settings,
    }

    pub(crate) fn parse(args: &[&str]) -> Settings {
        Cli::try_parse_from(std::iter::once("jobprofiles").chain(args.iter().copied())).expect("parses").settings
    }

    #[test]
    fn secure_cookies_and_hsts_follow_the_base_url_unless_set_either_way() {
        let default = parse(&[]);
        assert!(default.secure_cookies("https://jobs.example.com") && default.sends_hsts("https://jobs.example.com"));
        assert!(!default.secure_cookies("http://127.0.0.1:8080") && !default.sends_hsts("http://127.0.0.1:8080"));
        let off = parse(&["--cookie-secure=false", "--hsts=false"]);
        assert!(!off.secure_cookies("https://jobs.example.com") && !off.sends_hsts("https://jobs.example.com"));
        let on = parse(&["--cookie-secure", "--hsts=true"]);
        assert!(on.secure_cookies("http://127.0.0.1:8080") && on.sends_hsts("http://127.0.0.1:8080"));
    }

    #[test]
    fn zero_failed_logins_or_a_delay_after_zero_failures_is_refused() {
        let cli = |args: &[&str]| Cli::try_parse_from(std::iter::once("jobprofiles").chain(args.iter().copied()));
        assert!(cli(&["--admin-max-failed-logins", "0"]).is_err());
        assert!(cli(&["--admin-account-delay-after", "0"]).is_err());
        assert!(cli(&["--admin-max-failed-logins", "1", "--admin-account-delay-after", "1"]).is_ok());
    }
}
