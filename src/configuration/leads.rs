//! Settings of the hiring-request form and the notification outbox.

use std::num::{NonZeroU32, NonZeroUsize};

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
    /// Most hiring requests stored together in one transaction (group commit).
    #[arg(long = "lead-batch-max", env = "JOBPROFILES_LEAD_BATCH_MAX", default_value = "256", global = true)]
    pub batch_max: NonZeroUsize,
    /// Hiring requests that may wait for their transaction; past it a request gets 503.
    #[arg(long = "lead-queue-max", env = "JOBPROFILES_LEAD_QUEUE_MAX", default_value = "1024", global = true)]
    pub queue_max: NonZeroUsize,
    /// How often the outbox worker looks for due notifications, in milliseconds.
    #[arg(long, env = "JOBPROFILES_OUTBOX_POLL_MS", default_value_t = 2_000, global = true)]
    pub outbox_poll_ms: u64,
    /// First retry delay after a failed send; doubles per attempt up to the maximum.
    #[arg(long, env = "JOBPROFILES_OUTBOX_RETRY_BASE_MS", default_value_t = 10_000, global = true)]
    pub outbox_retry_base_ms: u64,
    #[arg(long, env = "JOBPROFILES_OUTBOX_RETRY_MAX_MS", default_value_t = 3_600_000, global = true)]
    pub outbox_retry_max_ms: u64,
    /// How long a worker holds a notification it claimed, in milliseconds: a send still running
    /// at half of it is abandoned and retried, and after a crash another worker (of this or
    /// another instance) takes the notification over once the lease has ended.
    #[arg(
        long,
        env = "JOBPROFILES_OUTBOX_LEASE_MS",
        default_value_t = 300_000,
        value_parser = clap::value_parser!(u64).range(1..),
        global = true
    )]
    pub outbox_lease_ms: u64,
    /// Whether the company that sent a lead gets a confirmation mail (`true` or `false`).
    #[arg(
        long = "confirmation-mail",
        env = "JOBPROFILES_CONFIRMATION_MAIL",
        default_value_t = true,
        action = clap::ArgAction::Set,
        value_parser = clap::builder::BoolishValueParser::new(),
        global = true
    )]
    pub confirmation_mail: bool,
    /// Attempts before a notification is marked failed.
    #[arg(long, env = "JOBPROFILES_OUTBOX_MAX_ATTEMPTS", default_value_t = 10, global = true)]
    pub outbox_max_attempts: u32,
}
