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
    let content = content::load(dir)?;
    let summary = content.summary();
    let mut conn = pool.get()?;
    db::replace_content(&mut conn, &content)?;
    let stored = db::read_content(&mut conn)?;
    Ok((Site::new(stored, base_url_override), summary))
}
