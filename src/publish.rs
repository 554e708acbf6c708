//! check → store → build the read model. The only path by which content reaches visitors, so a
//! broken folder can never replace a good site.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::content::{self, Diagnostics, LoadCache};
use crate::db::{self, DbPool, StoreError, StoreReport, Stored, StoredIndex};
use crate::domain::{ContentSummary, SiteContent};
use crate::read_model::{ProfileIndex, Site};

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("the content folder has errors")]
    Content(#[from] Diagnostics),
    #[error("cannot get a database connection")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("cannot store the content")]
    Store(#[from] StoreError),
}

/// What the last publish of this process read and stored, so that the next one reads, checks
/// and writes only what changed.
#[derive(Default)]
pub struct PublishCache {
    files: LoadCache,
    /// `None` until a store succeeded, and after one failed: the next store reads every row.
    stored: Option<StoredIndex>,
    /// The profiles of the last site built, which the next one starts from.
    built: ProfileIndex,
}

/// Checks `dir` and stores it in one transaction; profile files unchanged since they went into
/// `cache` are neither read nor written again. Blocking: run it off the async workers.
pub fn import(dir: &Path, pool: &DbPool, cache: &mut PublishCache) -> Result<Imported, PublishError> {
    let imported = import_unlogged(dir, pool, cache)?;
    let (StoreReport { added, changed, removed }, steps) = (imported.written, imported.steps);
    tracing::info!(
        scan_ms = millis(steps.scan),
        check_ms = millis(steps.check),
        store_ms = millis(steps.store),
        added,
        changed,
        removed,
        "content stored"
    );
    Ok(imported)
}

fn import_unlogged(dir: &Path, pool: &DbPool, cache: &mut PublishCache) -> Result<Imported, PublishError> {
    match import_once(dir, pool, cache) {
        // Someone else wrote to the store since this process read the folder: read it all again.
        Err(PublishError::Store(StoreError::Stale(reason))) => {
            tracing::warn!(reason, "the store changed behind this process; reading every content file again");
            cache.files.clear();
            import_once(dir, pool, cache)
        }
        result => result,
    }
}

fn import_once(dir: &Path, pool: &DbPool, cache: &mut PublishCache) -> Result<Imported, PublishError> {
    let started = Instant::now();
    let checked = content::load_with(dir, &mut cache.files)?;
    if !checked.warnings.is_empty() {
        tracing::warn!("content loaded with warnings\n{}", checked.warnings);
    }
    let loaded_in = started.elapsed();
    let mut conn = pool.get()?;
    let Stored { report: written, retired_paths, index } =
        db::store_content_since(&mut conn, &checked.content, cache.stored.take())?;
    cache.stored = Some(index);
    cache.files.apply(checked.cache_update);
    let steps = Steps {
        scan: checked.scanned_in,
        check: loaded_in.saturating_sub(checked.scanned_in),
        store: started.elapsed() - loaded_in,
        build: Duration::ZERO,
    };
    Ok(Imported { content: checked.content, written, retired_paths, steps })
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// How long each step of a publish took: what an operator looks at when an edit is slow to show.
#[derive(Debug, Clone, Copy, Default)]
pub struct Steps {
    /// Walking the folder and reading the files that changed.
    pub scan: Duration,
    /// The checks across files.
    pub check: Duration,
    /// The transaction that stores what changed.
    pub store: Duration,
    /// The read model pages are rendered from.
    pub build: Duration,
}

impl Steps {
    pub fn scan_ms(&self) -> u64 {
        millis(self.scan)
    }

    pub fn check_ms(&self) -> u64 {
        millis(self.check)
    }

    pub fn store_ms(&self) -> u64 {
        millis(self.store)
    }

    pub fn build_ms(&self) -> u64 {
        millis(self.build)
    }
}

/// What an import stored, and how many profiles it had to write for that.
pub struct Imported {
    pub content: SiteContent,
    pub written: StoreReport,
    /// Paths of profiles and pages removed so far: they answer 410.
    pub retired_paths: Vec<String>,
    pub steps: Steps,
}

/// A site built from what was stored, and how it came about.
pub struct Published {
    pub site: Site,
    pub summary: ContentSummary,
    pub written: StoreReport,
    pub steps: Steps,
}

/// Imports `dir` and builds the site from what was stored.
#[tracing::instrument(name = "content_publish", skip_all)]
pub fn publish(
    dir: &Path,
    pool: &DbPool,
    base_url_override: Option<&str>,
    search_cache_entries: usize,
    cache: &mut PublishCache,
) -> Result<Published, PublishError> {
    let Imported { content, retired_paths, written, mut steps } = import_unlogged(dir, pool, cache)?;
    let summary = content.summary();
    let started = Instant::now();
    let now = time::OffsetDateTime::now_utc();
    let site = Site::new(&cache.built, content, retired_paths, base_url_override, search_cache_entries, now);
    cache.built = site.index().clone();
    steps.build = started.elapsed();
    Ok(Published { site, summary, written, steps })
}

/// The site as stored, for the time now: how scheduled profiles become public without a reload
/// of the content folder.
#[tracing::instrument(name = "site_rebuild", skip_all)]
pub fn rebuild(
    pool: &DbPool,
    base_url_override: Option<&str>,
    search_cache_entries: usize,
) -> Result<Site, PublishError> {
    let mut conn = pool.get()?;
    let stored = db::read_content(&mut conn)?;
    let retired = db::read_retired_paths(&mut conn)?;
    let now = time::OffsetDateTime::now_utc();
    Ok(Site::new(&ProfileIndex::default(), stored, retired, base_url_override, search_cache_entries, now))
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
