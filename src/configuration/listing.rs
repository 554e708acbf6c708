//! How long the lists the site publishes may grow before they are cut into pages or parts.

use std::num::NonZeroUsize;

/// The profiles index's page size and the sitemap's part size.
#[derive(Debug, Clone, clap::Args)]
pub struct ListingSettings {
    /// Profiles per page of the index (and of each category's index).
    #[arg(long = "index-page-size", env = "JOBPROFILES_INDEX_PAGE_SIZE", default_value = "50", global = true)]
    pub index_page_size: NonZeroUsize,
    /// Addresses per sitemap part; each language has at least one part.
    #[arg(long = "sitemap-max-urls", env = "JOBPROFILES_SITEMAP_MAX_URLS", default_value = "10000", global = true)]
    pub sitemap_max_urls: NonZeroUsize,
}
