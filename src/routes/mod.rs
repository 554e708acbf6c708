//! HTTP routes by area. Each area has a `configure`; handlers parse input, ask the read
//! model or the domain, and render a template.

pub(crate) mod admin;
mod assets;
mod cache;
mod client;
pub(crate) mod contact;
mod errors;
mod headers;
mod health;
mod layout;
mod live_reload;
mod media;
mod methods;
mod middleware;
mod pages;
mod panics;
mod redirects;
mod search;
mod seo;
#[cfg(feature = "test-routes")]
mod test_routes;

use std::path::Path;

use actix_web::http::StatusCode;
use actix_web::http::header::{CacheControl, CacheDirective, ContentType};
use actix_web::{HttpResponse, web};
use askama::Template;
use diesel::r2d2::{ManageConnection, Pool};
use diesel::sqlite::SqliteConnection;

pub use cache::CachedPages;
pub use errors::error_pages;
pub use headers::SecurityHeaders;
pub use methods::HeadAsGet;
pub use middleware::Middleware;
pub use panics::CatchPanics;
use redirects::REDIRECT_CACHE_CONTROL;
pub use redirects::canonical_urls;

use crate::db::leads::LeadConnection;
use crate::error::AppError;
use crate::state::AppState;

/// Routes that exist only in some configurations.
#[derive(Debug, Clone, Copy)]
pub struct OptionalRoutes {
    /// `/metrics`, unless it has an address of its own.
    pub metrics: bool,
    /// `/live-reload`, under `serve --dev`.
    pub live_reload: bool,
}

/// The public site, with the optional routes asked for.
pub fn configure(cfg: &mut web::ServiceConfig, media_dir: &Path, optional: OptionalRoutes) {
    assets::configure(cfg);
    media::configure(cfg, media_dir);
    health::configure(cfg);
    if optional.metrics {
        health::configure_metrics(cfg);
    }
    if optional.live_reload {
        live_reload::configure(cfg);
    }
    admin::configure(cfg);
    contact::configure(cfg);
    seo::configure(cfg);
    search::configure(cfg);
    #[cfg(feature = "test-routes")]
    test_routes::configure(cfg);
    pages::configure(cfg);
    cfg.default_service(web::to(errors::fallback));
}

/// The operators' port when `/metrics` is bound apart: nothing else answers there.
pub fn configure_metrics_only(cfg: &mut web::ServiceConfig) {
    health::configure_metrics(cfg);
}

/// Runs database work on the blocking pool, never on the async workers.
async fn with_db<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&mut SqliteConnection) -> anyhow::Result<T> + Send + 'static,
) -> Result<T, AppError> {
    on_blocking_pool(state.pool.clone(), work).await
}

/// Runs work on the lead and staff store on the blocking pool, never on the async workers; a
/// store out of reach answers 503.
async fn with_leads<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&mut LeadConnection) -> anyhow::Result<T> + Send + 'static,
) -> Result<T, AppError> {
    on_blocking_pool(state.leads.clone(), work).await.map_err(AppError::of_lead_store)
}

async fn on_blocking_pool<M: ManageConnection, T: Send + 'static>(
    pool: Pool<M>,
    work: impl FnOnce(&mut M::Connection) -> anyhow::Result<T> + Send + 'static,
) -> Result<T, AppError> {
    web::block(move || -> anyhow::Result<T> {
        let mut conn = pool.get()?;
        work(&mut conn)
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::Error::new(e)))?
    .map_err(AppError::Internal)
}

/// A page any cache may keep.
fn render(status: StatusCode, template: &impl Template) -> Result<HttpResponse, AppError> {
    respond(status, template, None)
}

fn html_of(template: &impl Template) -> Result<String, AppError> {
    template.render().map_err(|e| AppError::Internal(anyhow::Error::new(e).context("rendering a template")))
}

/// A page with personal data or a one-time token: no cache may keep it.
fn render_private(status: StatusCode, template: &impl Template) -> Result<HttpResponse, AppError> {
    respond(status, template, Some(CacheControl(vec![CacheDirective::NoStore])))
}

fn respond(
    status: StatusCode,
    template: &impl Template,
    caching: Option<CacheControl>,
) -> Result<HttpResponse, AppError> {
    let html =
        template.render().map_err(|e| AppError::Internal(anyhow::Error::new(e).context("rendering a template")))?;
    let mut response = HttpResponse::build(status);
    response.content_type(ContentType::html());
    if let Some(caching) = caching {
        response.insert_header(caching);
    }
    Ok(response.body(html))
}
