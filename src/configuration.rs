//! One `Settings` struct for the whole application: defaults < environment < flags.
//! Every variable carries the `JOBPROFILES_` prefix and is listed in the README.

use std::path::PathBuf;
use std::time::Duration;

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
    /// HTTP worker threads; one per core when not set.
    #[arg(long, env = "JOBPROFILES_WORKERS", global = true)]
    pub workers: Option<usize>,
    /// Seconds in-flight requests get to finish after SIGTERM or SIGINT.
    #[arg(long, env = "JOBPROFILES_SHUTDOWN_TIMEOUT_SECS", default_value_t = 10, global = true)]
    pub shutdown_timeout_secs: u64,
}

impl Settings {
    pub fn db_busy_timeout(&self) -> Duration {
        Duration::from_millis(self.db_busy_timeout_ms)
    }

    /// Where people's photos and other media of the content folder live.
    pub fn media_dir(&self) -> PathBuf {
        self.content.join("media")
    }
}

fn parse_base_url(value: &str) -> Result<String, String> {
    let url = value.trim_end_matches('/');
    let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match host {
        Some(host) if !host.is_empty() && !host.contains(['/', '?', '#', ' ']) => Ok(url.to_owned()),
        _ => Err(format!("`{value}` is not an http(s) origin such as https://jobs.example.com")),
    }
}
