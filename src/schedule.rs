//! Scheduled publication: when a profile's `publish_at` passes, the site is rebuilt from the
//! store so that the profile appears in every list, the sitemap, the feeds and search.

use std::time::Duration;

use actix_web::web;
use time::OffsetDateTime;

use crate::publish::rebuild;
use crate::state::AppState;

/// Runs until the runtime shuts down; wakes at the next publication, or after `longest_wait`.
pub async fn run(
    state: web::Data<AppState>,
    base_url: Option<String>,
    search_cache_entries: usize,
    longest_wait: Duration,
) {
    loop {
        let next = state.site.current().next_publication();
        let until_next = next.map(|at| Duration::try_from(at - OffsetDateTime::now_utc()).unwrap_or(Duration::ZERO));
        tokio::time::sleep(until_next.unwrap_or(longest_wait).min(longest_wait).max(Duration::from_millis(50))).await;
        if next.is_none_or(|at| at > OffsetDateTime::now_utc()) {
            continue;
        }
        let _one_at_a_time = state.publishing.lock().await;
        let (pool, base_url) = (state.pool.clone(), base_url.clone());
        match tokio::task::spawn_blocking(move || rebuild(&pool, base_url.as_deref(), search_cache_entries)).await {
            Ok(Ok(site)) => {
                let carried = state.site.replace(site);
                state.announce_published();
                tracing::info!(
                    pages_kept = carried.kept,
                    pages_dropped = carried.dropped,
                    "scheduled profiles published"
                );
            }
            Ok(Err(error)) => {
                tracing::error!(error = format!("{:#}", anyhow::Error::new(error)), "scheduled publication failed");
            }
            Err(error) => tracing::error!(%error, "scheduled publication task failed"),
        }
    }
}
