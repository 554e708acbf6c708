//! Leads are kept only as long as configured: a daily task erases older ones.

use std::time::Duration;

use time::OffsetDateTime;

use crate::db::DbPool;
use crate::db::leads;

/// Runs until the runtime shuts down; does nothing when no retention period is set.
pub async fn run(pool: DbPool, retention_days: Option<u32>, interval: Duration) {
    let Some(days) = retention_days else {
        return;
    };
    loop {
        let pool = pool.clone();
        let cutoff = OffsetDateTime::now_utc() - time::Duration::days(i64::from(days));
        let result = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let mut conn = pool.get()?;
            Ok(leads::erase_older_than(&mut conn, cutoff)?)
        })
        .await;
        match result {
            Ok(Ok(erased)) if erased.leads > 0 => {
                tracing::info!(leads = erased.leads, rows = erased.rows(), days, "retention: old leads erased")
            }
            Ok(Ok(_)) => {}
            Ok(Err(error)) => tracing::error!(error = format!("{error:#}"), "retention run failed"),
            Err(error) => tracing::error!(%error, "retention task failed"),
        }
        tokio::time::sleep(interval.max(Duration::from_secs(1))).await;
    }
}
