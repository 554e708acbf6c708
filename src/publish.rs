//! check → import → read back → build the read model. The only path by which content
//! reaches visitors, so a broken folder can never replace a good site.

use std::path::Path;

use crate::content::{self, Diagnostics};
use crate::db::{self, DbPool, StoreError};
use crate::domain::ContentSummary;
use crate::read_model::Site;

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("the content folder has errors")]
    Content(#[from] Diagnostics),
    #[error("cannot get a database connection")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("cannot store the content")]
    Store(#[from] StoreError),
}

/// Loads `dir`, stores it in one transaction and builds the site from what was stored.
/// Blocking: run it off the async workers.
pub fn publish(
    dir: &Path,
    pool: &DbPool,
    base_url_override: Option<&str>,
) -> Result<(Site, ContentSummary), PublishError> {
    let started = std::time::Instant::now();
    let checked = content::load(dir)?;
    if !checked.warnings.is_empty() {
        tracing::warn!("content loaded with warnings\n{}", checked.warnings);
    }
    let content = checked.content;
    let summary = content.summary();
    let loaded = started.elapsed();
    let mut conn = pool.get()?;
    db::replace_content(&mut conn, &content)?;
    let stored_at = started.elapsed();
    let stored = db::read_content(&mut conn)?;
    let retired = db::read_retired_paths(&mut conn)?;
    let read_at = started.elapsed();
    let site = Site::new(stored, retired, base_url_override, time::OffsetDateTime::now_utc());
    tracing::info!(
        check_ms = loaded.as_millis() as u64,
        store_ms = (stored_at - loaded).as_millis() as u64,
        read_back_ms = (read_at - stored_at).as_millis() as u64,
        build_ms = (started.elapsed() - read_at).as_millis() as u64,
        "content published"
    );
    Ok((site, summary))
}

/// The site as stored, for the time now: how scheduled profiles become public without a reload
/// of the content folder.
pub fn rebuild(pool: &DbPool, base_url_override: Option<&str>) -> Result<Site, PublishError> {
    let mut conn = pool.get()?;
    let stored = db::read_content(&mut conn)?;
    let retired = db::read_retired_paths(&mut conn)?;
    Ok(Site::new(stored, retired, base_url_override, time::OffsetDateTime::now_utc()))
}

/// What the last content loads did: shown on `/readyz` and in the staff area.
#[derive(Debug, Clone)]
pub struct ContentStatus {
    /// When the content now served was loaded.
    pub loaded_at: time::OffsetDateTime,
    pub summary: String,
    /// The report of the latest load if it failed; the site keeps serving the last good content.
    pub errors: Option<String>,
    /// Where the problems are (`file:line:col`), without the source text: safe to show anyone.
    pub error_locations: Vec<String>,
    pub failed_at: Option<time::OffsetDateTime>,
}

impl ContentStatus {
    pub fn loaded(summary: &ContentSummary) -> ContentStatus {
        ContentStatus {
            loaded_at: time::OffsetDateTime::now_utc(),
            summary: summary.to_string(),
            errors: None,
            error_locations: Vec::new(),
            failed_at: None,
        }
    }

    pub fn failed(&self, report: String, locations: Vec<String>) -> ContentStatus {
        ContentStatus {
            errors: Some(report),
            error_locations: locations,
            failed_at: Some(time::OffsetDateTime::now_utc()),
            ..self.clone()
        }
    }
}
