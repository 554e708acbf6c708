//! The daily clean-up: leads older than the retention period are erased (when one is set),
//! and staff sessions and login counts that can no longer matter are deleted.

use std::time::Duration;

use time::OffsetDateTime;

use crate::configuration::AdminSettings;
use crate::db::admin;
use crate::db::leads::{self, LeadPool};

fn seconds(value: u64) -> time::Duration {
    time::Duration::seconds(i64::try_from(value).unwrap_or(i64::MAX))
}

/// Runs until the runtime shuts down.
pub async fn run(pool: LeadPool, settings: AdminSettings) {
    loop {
        let pool = pool.clone();
        let settings_now = settings.clone();
        let span = tracing::info_span!("retention_run");
        let result = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let _timed = span.enter();
            let mut conn = pool.get()?;
            let now = OffsetDateTime::now_utc();
            let erased = match settings_now.retention_days {
                Some(days) => {
                    Some((days, leads::erase_older_than(&mut conn, now - time::Duration::days(i64::from(days)))?))
                }
                None => None,
            };
            let stale = admin::purge_stale(
                &mut conn,
                now,
                seconds(settings_now.idle_timeout_secs),
                seconds(settings_now.absolute_timeout_secs),
                seconds(settings_now.lock_secs),
            )?;
            Ok((erased, stale))
        })
        .await;
        match result {
            Ok(Ok((erased, stale))) => {
                if let Some((days, erased)) = erased.filter(|(_, e)| e.leads > 0) {
                    tracing::info!(leads = erased.leads, rows = erased.rows(), days, "retention: old leads erased");
                }
                if stale > 0 {
                    tracing::info!(rows = stale, "expired staff sessions and login counts deleted");
                }
            }
            Ok(Err(error)) => tracing::error!(error = format!("{error:#}"), "daily clean-up failed"),
            Err(error) => tracing::error!(%error, "daily clean-up task failed"),
        }
        tokio::time::sleep(Duration::from_secs(settings.retention_interval_secs.max(1))).await;
    }
}
