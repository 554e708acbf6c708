//! What search may cost: the result cache, the rate limit and the cap on concurrent searches.

use std::num::NonZeroU32;

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
