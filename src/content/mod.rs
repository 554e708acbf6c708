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

pub use cache::{CacheUpdate, ProfileCache};
pub use diagnostics::{ContentError, Diagnostics, Severity};

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

/// Reads and checks the whole folder. Either it has no errors, or every problem found is
/// returned (warnings too) and nothing is loaded.
pub fn load(dir: &Path) -> Result<Checked, Diagnostics> {
    load_with(dir, None)
}

/// Like [`load`], reading only profile files that changed since they went into `cache`.
/// What it read goes into the cache only when the caller applies `cache_update`, once stored.
pub fn load_with(dir: &Path, cache: Option<&ProfileCache>) -> Result<Checked, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let started = std::time::Instant::now();
    let loaded = load::load_folder(dir, &mut diagnostics, cache);
    let scanned_in = started.elapsed();
    references::check(&loaded, dir, &mut diagnostics);
    media::check(dir, &mut diagnostics);
    diagnostics.sort();
    if !diagnostics.has_errors()
        && let Some((content, cache_update)) = loaded.into_content()
    {
        return Ok(Checked { content, warnings: diagnostics, cache_update, scanned_in });
    }
    Err(diagnostics)
}
