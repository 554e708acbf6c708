//! Turns the content folder into typed, checked values. Knows nothing of the database or HTTP.
//!
//! Layout of a content folder:
//! `site.toml`, `people/<id>.toml`, `profiles/<lang>/<slug>.md`, `pages/<lang>/<slug>.md`, `media/**`.

mod cache;
mod diagnostics;
#[cfg(test)]
mod field_reference;
mod front_matter;
pub(crate) mod load;
pub mod markdown;
mod media;
pub mod outline;
pub mod placeholders;
mod references;
mod source;
mod split;
pub mod suggest;
mod words;

use std::path::Path;

pub use cache::CacheUpdate;
use cache::ProfileCache;
pub use diagnostics::{ContentError, Diagnostics, Severity};
use references::References;

use crate::domain::SiteContent;

/// A content folder without errors, and what it should still look at.
#[derive(Debug)]
pub struct Checked {
    pub content: SiteContent,
    pub warnings: Diagnostics,
    /// For the cache of parsed files, to be applied once the content is stored.
    pub cache_update: CacheUpdate,
    /// How long reading the folder took (the rest of the load is checking it).
    pub scanned_in: std::time::Duration,
}

/// What a load keeps for the next one: the profile files as parsed, and what the checks across
/// files found and looked at. A load after one edit then reads and checks what the edit touched.
#[derive(Default)]
pub struct LoadCache {
    profiles: ProfileCache,
    references: References,
}

impl LoadCache {
    /// Takes in the profiles a load read, once the store holds them: a load that failed, or was
    /// not stored, must not leave the cache ahead of the store.
    pub fn apply(&mut self, update: CacheUpdate) {
        self.profiles.apply(update);
    }

    /// Forgets everything: the next load reads and checks every file.
    pub fn clear(&mut self) {
        *self = LoadCache::default();
    }
}

/// Reads and checks the whole folder. Either it has no errors, or every problem found is
/// returned (warnings too) and nothing is loaded.
pub fn load(dir: &Path) -> Result<Checked, Diagnostics> {
    load_with(dir, &mut LoadCache::default())
}

/// Like [`load`], reading only profile files that changed since they went into `cache`, and
/// checking across files only what they touch; the result is the same as [`load`]'s.
pub fn load_with(dir: &Path, cache: &mut LoadCache) -> Result<Checked, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let started = std::time::Instant::now();
    let loaded = load::load_folder(dir, &mut diagnostics, &cache.profiles);
    let scanned_in = started.elapsed();
    cache.references.check(&loaded, dir, &mut diagnostics);
    media::check(dir, &mut diagnostics);
    diagnostics.sort();
    if !diagnostics.has_errors()
        && let Some((content, cache_update)) = loaded.into_content()
    {
        return Ok(Checked { content, warnings: diagnostics, cache_update, scanned_in });
    }
    Err(diagnostics)
}
