//! What every request handler and background task shares: settings, the current site, the
//! database pools, tokens, limiters and metrics. Built once by `startup`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;

use crate::auth::{Logins, SessionCookies};
use crate::configuration::{AdminSettings, ListingSettings};
use crate::db::DbPool;
use crate::db::leads::{LeadPool, LeadsDatabase};
use crate::domain::lead::WebhookUrl;
use crate::lead_writer::LeadWriter;
use crate::live_reload::LiveReload;
use crate::metrics::Metrics;
use crate::page_cache::PageCache;
use crate::page_views::PageViews;
use crate::publish::{ContentStatus, PublishCache};
use crate::read_model::SiteHandle;
use crate::security::{AddressLimiter, ClientLimiter, FormTokens, ForwardedFor};

/// What every request can reach.
pub struct AppState {
    /// Read and written through `content_status` and `set_content_status`, which survive a
    /// poisoned lock; visible to `startup` only to be filled in.
    pub(crate) content_status: Mutex<ContentStatus>,
    /// Held while a new site is built and swapped in, so an older build never replaces a newer
    /// one; holds what the last load read of each profile file.
    pub publishing: Arc<tokio::sync::Mutex<PublishCache>>,
    /// The current site with the pages rendered from it.
    pub site: SiteHandle<PageCache>,
    pub pool: DbPool,
    /// The SQLite file, for readiness checks on a fresh connection.
    pub database: std::path::PathBuf,
    /// The lead and staff store: the same SQLite file, another one, or a shared PostgreSQL.
    pub leads: LeadPool,
    /// Where that store lives, for readiness checks on a fresh connection.
    pub leads_database: LeadsDatabase,
    pub forms: FormTokens,
    pub sessions: SessionCookies,
    pub logins: Logins,
    pub admin: AdminSettings,
    /// Page sizes of the index and the sitemap.
    pub listing: ListingSettings,
    pub limiter: ClientLimiter,
    /// Confirmation mails to companies, limited per address like the form per client; `None`
    /// with `--confirmation-mail false`.
    pub confirmations: Option<AddressLimiter>,
    pub search_limiter: ClientLimiter,
    /// Searches that may hold a database connection at once.
    pub search_permits: tokio::sync::Semaphore,
    /// How long a search waits for a permit before it is refused.
    pub search_wait: Duration,
    /// The CRM webhooks each lead that is not spam is POSTed to; empty when none is configured.
    pub webhooks: Arc<[WebhookUrl]>,
    /// Wakes the outbox worker as soon as a lead is stored.
    pub outbox_wake: Arc<Notify>,
    /// Stores hiring requests, several in one transaction when they arrive together.
    pub lead_writer: LeadWriter,
    pub cookie_secure: bool,
    /// Who may tell us the client's address.
    pub forwarded_for: ForwardedFor,
    pub form_min_fill: Duration,
    pub metrics: Metrics,
    /// Views of profile pages since the last flush to the lead store.
    pub page_views: Arc<PageViews>,
    /// Under `--dev` only: tells open pages about content loads.
    pub live_reload: Option<LiveReload>,
    /// Profiles' share images: the fonts, and drawing them on first request.
    pub share_images: Arc<crate::share_image::ShareImages>,
}

impl AppState {
    pub fn content_status(&self) -> ContentStatus {
        self.content_status.lock().map(|s| s.clone()).unwrap_or_else(|poisoned| poisoned.into_inner().clone())
    }

    pub fn set_content_status(&self, status: ContentStatus) {
        match self.content_status.lock() {
            Ok(mut current) => *current = status,
            Err(poisoned) => *poisoned.into_inner() = status,
        }
    }

    /// A new version of the site is being served.
    pub fn announce_published(&self) {
        if let Some(live) = &self.live_reload {
            live.published();
        }
    }

    /// The content folder has errors; `report` is what `check` prints.
    pub fn announce_broken(&self, report: &str) {
        if let Some(live) = &self.live_reload {
            live.broken(report.to_owned());
        }
    }
}
