//! How the site's mail leaves it: the SMTP relay and its transport security, or a folder of
//! `.eml` files when there is no relay.

use std::path::PathBuf;

use crate::security::Secret;

/// How mail is sent. Without a host, every message is written to the mail folder instead.
#[derive(Debug, Clone, clap::Args)]
pub struct SmtpSettings {
    #[arg(long = "smtp-host", env = "JOBPROFILES_SMTP_HOST", global = true)]
    pub host: Option<String>,
    /// Without `--smtp-host`, every message is written here as an `.eml` file; `mail/` beside
    /// the `--database` file when not set.
    #[arg(long = "mail-dir", env = "JOBPROFILES_MAIL_DIR", conflicts_with = "host", global = true)]
    pub mail_dir: Option<PathBuf>,
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

fn parse_secret(value: &str) -> Result<Secret, String> {
    Ok(Secret::new(value.to_owned()))
}
