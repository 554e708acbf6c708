//! One `Settings` struct for the whole application: defaults < environment < flags.
//! Every variable carries the `JOBPROFILES_` prefix and is listed in the README.

mod admin;
mod budget;
mod leads;
mod limits;
mod listing;
mod search;
mod smtp;
mod webhooks;

use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

pub use admin::AdminSettings;
pub use budget::MemoryBudget;
pub use leads::LeadSettings;
pub use limits::LimitSettings;
pub use listing::ListingSettings;
pub use search::SearchSettings;
pub use smtp::{SmtpSettings, SmtpTls};
pub use webhooks::{WebhookSettings, WebhookSettingsError, Webhooks};

use crate::db::leads::LeadsDatabase;
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
    /// Where leads, notifications and staff accounts live: a postgres:// URL shared by several
    /// instances, or a SQLite file; in the `--database` file when not set.
    #[arg(long, env = "JOBPROFILES_LEADS_DATABASE", hide_env_values = true, global = true)]
    pub leads_database: Option<LeadsDatabase>,
    /// The content folder (site.toml, people/, profiles/, pages/, media/).
    #[arg(long, env = "JOBPROFILES_CONTENT", default_value = "content", global = true)]
    pub content: PathBuf,
    /// Public origin used in canonical links, e.g. https://jobs.example.com; overrides site.toml.
    #[arg(long, env = "JOBPROFILES_BASE_URL", value_parser = parse_base_url, global = true)]
    pub base_url: Option<String>,
    /// Folder with CSS, JavaScript and images served at /static.
    #[arg(long, env = "JOBPROFILES_STATIC_DIR", default_value = "static", global = true)]
    pub static_dir: PathBuf,
    /// Folder with the fonts profiles' share images are set in (DejaVuSans.ttf and
    /// DejaVuSans-Bold.ttf); a missing or broken font stops the start.
    #[arg(long, env = "JOBPROFILES_FONTS_DIR", default_value = "fonts", global = true)]
    pub fonts_dir: PathBuf,
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
    /// Memory the rendered pages of the current content version may take, in megabytes
    /// (decimals allowed); the least recently used pages go first.
    #[arg(long, env = "JOBPROFILES_PAGE_CACHE_MB", default_value = "64", global = true)]
    pub page_cache_mb: MemoryBudget,
    /// Seconds in-flight requests get to finish after SIGTERM or SIGINT.
    #[arg(long, env = "JOBPROFILES_SHUTDOWN_TIMEOUT_SECS", default_value_t = 10, global = true)]
    pub shutdown_timeout_secs: u64,
    /// Load the content once; do not watch the folder for changes.
    #[arg(long, env = "JOBPROFILES_NO_WATCH", default_value_t = false, global = true)]
    pub no_watch: bool,
    /// For editors on their own machine: every page reloads itself when a save changes it, and
    /// shows the content's errors until they are fixed. Refused with an https:// base URL.
    #[arg(long, env = "JOBPROFILES_DEV", default_value_t = false, global = true)]
    pub dev: bool,
    /// How long to wait after a change in the content folder for more changes before reloading.
    #[arg(long, env = "JOBPROFILES_WATCH_DEBOUNCE_MS", default_value_t = 100, global = true)]
    pub watch_debounce_ms: u64,
    /// Longest wait before a scheduled profile (`publish_at`) goes public.
    #[arg(long, env = "JOBPROFILES_PUBLISH_CHECK_SECS", default_value_t = 60, global = true)]
    pub publish_check_secs: u64,
    /// The same wait in milliseconds; when set, it wins over `publish_check_secs`.
    #[arg(long, env = "JOBPROFILES_PUBLISH_CHECK_MS", global = true)]
    pub publish_check_ms: Option<u64>,
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
    /// How often the page views counted in memory are added to the lead store, in milliseconds;
    /// they are added at shutdown too.
    #[arg(long, env = "JOBPROFILES_VIEWS_FLUSH_MS", default_value_t = 60_000, value_parser = clap::value_parser!(u64).range(1..), global = true)]
    pub views_flush_ms: u64,
    /// Rate limits count each IPv6 /64 and also its /48, which gets this many times the allowance.
    #[arg(long, env = "JOBPROFILES_IPV6_NETWORK_FACTOR", default_value = "16", global = true)]
    pub ipv6_network_factor: NonZeroU32,
    #[command(flatten)]
    pub leads: LeadSettings,
    #[command(flatten)]
    pub smtp: SmtpSettings,
    #[command(flatten)]
    pub webhooks: WebhookSettings,
    #[command(flatten)]
    pub admin: AdminSettings,
    #[command(flatten)]
    pub limits: LimitSettings,
    #[command(flatten)]
    pub search: SearchSettings,
    #[command(flatten)]
    pub listing: ListingSettings,
}

impl Settings {
    /// The lead and staff store: as set, else the content's SQLite file.
    pub fn leads_database(&self) -> LeadsDatabase {
        self.leads_database.clone().unwrap_or_else(|| LeadsDatabase::Sqlite(self.database.clone()))
    }

    pub fn db_busy_timeout(&self) -> Duration {
        Duration::from_millis(self.db_busy_timeout_ms)
    }

    pub fn db_pool_timeout(&self) -> Duration {
        Duration::from_millis(self.db_pool_timeout_ms)
    }

    pub fn views_flush(&self) -> Duration {
        Duration::from_millis(self.views_flush_ms)
    }

    /// Longest wait before a scheduled profile goes public.
    pub fn publish_check(&self) -> Duration {
        self.publish_check_ms.map_or(Duration::from_secs(self.publish_check_secs), Duration::from_millis)
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

    /// The folder mail is written to instead of being sent: none when an SMTP host is set.
    pub fn mail_dir(&self) -> Option<PathBuf> {
        if self.smtp.host.is_some() {
            return None;
        }
        Some(self.smtp.mail_dir.clone().unwrap_or_else(|| {
            self.database.parent().map_or_else(|| PathBuf::from("mail"), |folder| folder.join("mail"))
        }))
    }

    /// Where people's photos and other media of the content folder live.
    pub fn media_dir(&self) -> PathBuf {
        self.content.join("media")
    }
}

/// Whether an origin is served over HTTPS, as a public site is.
pub fn is_https(base_url: &str) -> bool {
    base_url.get(..8).is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
}

fn parse_secret_key(value: &str) -> Result<Secret, String> {
    Secret::key(value).map_err(|e| e.to_string())
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

    #[test]
    fn mail_goes_to_a_folder_beside_the_database_unless_a_folder_or_an_smtp_host_is_set() {
        let default = parse(&["--database", "data/site.db"]);
        assert_eq!(default.mail_dir(), Some(std::path::PathBuf::from("data/mail")));
        let bare = parse(&["--database", "site.db"]);
        assert_eq!(bare.mail_dir(), Some(std::path::PathBuf::from("mail")));
        let chosen = parse(&["--mail-dir", "/var/mail/site"]);
        assert_eq!(chosen.mail_dir(), Some(std::path::PathBuf::from("/var/mail/site")));
        assert_eq!(parse(&["--smtp-host", "smtp.example.com"]).mail_dir(), None);
        let both = ["jobprofiles", "--smtp-host", "smtp.example.com", "--mail-dir", "mail"];
        assert!(Cli::try_parse_from(both).is_err(), "a mail folder beside an SMTP host would never be used");
    }
}
