//! Turns the content folder into typed, checked values. Knows nothing of the database or HTTP.
//!
//! Layout of a content folder:
//! `site.toml`, `people/<id>.toml`, `profiles/<lang>/<slug>.md`, `pages/<lang>/<slug>.md`, `media/**`.

mod diagnostics;
mod front_matter;
mod load;
pub mod markdown;
mod references;
mod source;
mod split;

use std::path::Path;

pub use diagnostics::{ContentError, Diagnostics};

use crate::domain::SiteContent;

/// Reads and checks the whole folder. Either everything is valid, or every problem found
/// is returned and nothing is.
pub fn load(dir: &Path) -> Result<SiteContent, Diagnostics> {
    let mut diagnostics = Diagnostics::default();
    let loaded = load::load_folder(dir, &mut diagnostics);
    references::check(&loaded, &mut diagnostics);
    if diagnostics.is_empty()
        && let Some(content) = loaded.into_content()
    {
        return Ok(content);
    }
    diagnostics.sort();
    Err(diagnostics)
}
