//! What slow or greedy clients may take before they are refused or dropped.

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
