//! Builds the application from settings: database, first content load, HTTP server.
//! Tests build exactly this, bound to port 0.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::http::header;
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App, HttpServer, web};
use tokio::sync::Notify;

use crate::assets::{Assets, LiveReloadScript};
use crate::auth::{DeviceCookies, LoginPolicy, Logins, SessionCookies};
use crate::configuration::{self, Settings, WebhookSettingsError};
use crate::db::{self, FreshError, PoolError};
use crate::lead_writer::{self, WriterConfig, WriterTask};
use crate::live_reload::LiveReload;
use crate::metrics::Metrics;
use crate::notify::{Mailer, MailerError, OutboxWorker, RunningOutboxWorker, WebhookPoster};
use crate::page_cache::PageCache;
use crate::page_views::PageViews;
use crate::publish::{ContentStatus, PublishCache, PublishError, Published, publish};
use crate::read_model::SiteHandle;
use crate::routes::Middleware;
use crate::security::{AddressLimiter, ClientLimiter, FormTokens, ForwardedFor, SWEEP_INTERVAL, Secret, random_hex};
use crate::share_image::{ShareImageError, ShareImages};
use crate::state::AppState;
use crate::{retention, routes, schedule, telemetry, watch};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] PoolError),
    #[error(transparent)]
    FreshDatabase(#[from] FreshError),
    #[error(transparent)]
    Publish(#[from] PublishError),
    #[error("cannot listen on {address}")]
    Bind { address: String, source: std::io::Error },
    #[error("the server stopped with an error")]
    Serve(#[source] std::io::Error),
    #[error(transparent)]
    Mailer(#[from] MailerError),
    #[error("cannot read the static folder")]
    Assets(#[source] std::io::Error),
    #[error(transparent)]
    ShareImages(#[from] ShareImageError),
    #[error("cannot watch the content folder")]
    Watch(#[from] notify::Error),
    #[error(
        "--dev (JOBPROFILES_DEV) is for an editor's own machine, but the base URL is {0}: leave out --dev, or serve \
         with an http:// base URL (--base-url)"
    )]
    DevInProduction(String),
    #[error(transparent)]
    Webhooks(#[from] WebhookSettingsError),
    #[error("a start-up task failed")]
    Task(#[from] tokio::task::JoinError),
    /// A key made up at start differs on every instance: forms and staff sessions signed by one
    /// would be refused by the others sharing the lead store.
    #[error(
        "--leads-database is set but --secret-key (JOBPROFILES_SECRET_KEY) is not: every instance that shares \
         the lead store needs the same key, or forms and staff logins from one are refused by the others"
    )]
    RandomKeyWithSharedStore,
}

pub struct Application {
    port: u16,
    server: Server,
    /// `/metrics` on an address of its own, when configured.
    metrics: Option<(u16, Server)>,
    /// Drained once the server has stopped, so every lead it accepted is stored.
    lead_writer: WriterTask,
    /// Stopped after the lead writer, giving back the notifications it holds unsent.
    outbox_worker: RunningOutboxWorker,
    /// Flushed once more when the server has stopped, so no counted view is lost.
    page_views: Arc<PageViews>,
    leads_pool: db::leads::LeadPool,
}

/// Stops the site and, if it has one, the metrics listener together.
#[derive(Clone)]
pub struct ApplicationHandle {
    server: ServerHandle,
    metrics: Option<ServerHandle>,
}

impl ApplicationHandle {
    /// `graceful`: in-flight requests get the shutdown timeout to finish.
    pub async fn stop(&self, graceful: bool) {
        if let Some(metrics) = &self.metrics {
            metrics.stop(graceful).await;
        }
        self.server.stop(graceful).await;
    }
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        if settings.leads_database.is_some() && settings.secret_key.is_none() {
            return Err(StartupError::RandomKeyWithSharedStore);
        }
        let webhooks = settings.webhooks.webhooks()?;
        let (pool, leads_pool, site, summary, profile_cache) = {
            let settings = settings.clone();
            tokio::task::spawn_blocking(move || -> Result<_, StartupError> {
                let pool = db::connect(
                    &settings.database,
                    settings.db_busy_timeout(),
                    settings.db_pool_timeout(),
                    settings.db_max_connections,
                )?;
                let leads_pool = db::leads::connect_leads(
                    &settings.leads_database(),
                    settings.db_busy_timeout(),
                    settings.db_pool_timeout(),
                    settings.db_max_connections,
                )?;
                let mut cache = PublishCache::default();
                let Published { site, summary, written, steps } = publish(
                    &settings.content,
                    &pool,
                    settings.base_url.as_deref(),
                    settings.search.cache_entries,
                    &mut cache,
                )?;
                tracing::info!(
                    content = %settings.content.display(),
                    scan_ms = steps.scan_ms(),
                    check_ms = steps.check_ms(),
                    store_ms = steps.store_ms(),
                    build_ms = steps.build_ms(),
                    added = written.added,
                    changed = written.changed,
                    removed = written.removed,
                    "content loaded\n{summary}"
                );
                Ok((pool, leads_pool, site, summary, cache))
            })
            .await??
        };

        let bind_error = |source| StartupError::Bind { address: settings.bind.clone(), source };
        let listener = TcpListener::bind(&settings.bind).map_err(bind_error)?;
        let port = listener.local_addr().map_err(bind_error)?.port();
        let mailer = Mailer::from_settings(&settings.smtp, settings.mail_dir().as_deref())?;
        tracing::info!("mail goes to {}", mailer.destination());
        if let Some(webhooks) = &webhooks {
            // Hosts only: a webhook URL's path or query often carries the receiver's token.
            let hosts: Vec<&str> = webhooks.urls.iter().map(|url| url.host()).collect();
            tracing::info!(hosts = hosts.join(", "), "leads are POSTed to {} webhooks", webhooks.urls.len());
        }
        let live_reload = if settings.dev { LiveReloadScript::Served } else { LiveReloadScript::Left };
        let assets = Assets::scan(&settings.static_dir, live_reload).map_err(StartupError::Assets)?;
        let share_images = Arc::new(ShareImages::load(&settings.fonts_dir)?);
        let secret = settings.secret_key.clone().unwrap_or_else(|| {
            tracing::warn!("JOBPROFILES_SECRET_KEY is not set: using a random key, so forms opened before a restart will be refused");
            Secret::new(random_hex(32))
        });
        if settings.dev && configuration::is_https(&site.settings.base_url) {
            return Err(StartupError::DevInProduction(site.settings.base_url));
        }
        // The origin in effect (the flag, else site.toml) decides what HTTPS-only protections are on.
        let secure_cookies = settings.secure_cookies(&site.settings.base_url);
        let hsts = settings.sends_hsts(&site.settings.base_url);
        let leads = &settings.leads;
        let outbox_wake = Arc::new(Notify::new());
        let metrics = Metrics::default();
        let (page_cache_budget, page_cache_metrics) = (settings.page_cache_mb.bytes(), metrics.page_cache());
        tokio::spawn(retention::run(leads_pool.clone(), settings.admin.clone()));
        let (lead_commits, leads_waiting) = metrics.lead_writer_meters();
        let (lead_writer, lead_writer_task) = lead_writer::spawn(WriterConfig {
            pool: leads_pool.clone(),
            outbox_wake: outbox_wake.clone(),
            queue_max: leads.queue_max,
            batch_max: leads.batch_max,
            commits: lead_commits,
            waiting: leads_waiting,
        });
        let state = web::Data::new(AppState {
            content_status: Mutex::new(ContentStatus::loaded(&summary)),
            publishing: Arc::new(tokio::sync::Mutex::new(profile_cache)),
            site: SiteHandle::new(site, Arc::new(assets), move || {
                PageCache::new(page_cache_budget, page_cache_metrics)
            }),
            pool,
            database: settings.database.clone(),
            leads: leads_pool,
            leads_database: settings.leads_database(),
            sessions: SessionCookies::new(&secret, secure_cookies),
            logins: Logins::new(
                LoginPolicy::of(&settings.admin, settings.ipv6_network_factor),
                DeviceCookies::new(
                    secret.clone(),
                    secure_cookies,
                    time::Duration::days(i64::from(settings.admin.device_cookie_days)),
                ),
                secret.clone(),
                &settings.admin,
            ),
            forms: FormTokens::new(secret, Duration::from_secs(leads.form_max_age_secs)),
            admin: settings.admin.clone(),
            listing: settings.listing.clone(),
            limiter: ClientLimiter::new(
                leads.rate_limit,
                Duration::from_secs(leads.rate_window_secs),
                settings.ipv6_network_factor,
            ),
            confirmations: leads
                .confirmation_mail
                .then(|| AddressLimiter::new(leads.rate_limit, Duration::from_secs(leads.rate_window_secs))),
            search_limiter: ClientLimiter::new(
                settings.search.rate_limit,
                Duration::from_secs(settings.search.rate_window_secs),
                settings.ipv6_network_factor,
            ),
            search_permits: tokio::sync::Semaphore::new(settings.search_permits()),
            search_wait: Duration::from_millis(settings.search.wait_ms),
            webhooks: webhooks.as_ref().map_or_else(|| Arc::from([]), |w| Arc::from(w.urls.as_slice())),
            outbox_wake,
            lead_writer,
            cookie_secure: secure_cookies,
            forwarded_for: ForwardedFor::new(settings.trusted_proxies.clone()),
            form_min_fill: Duration::from_millis(leads.form_min_fill_ms),
            metrics,
            page_views: Arc::new(PageViews::default()),
            live_reload: settings.dev.then(LiveReload::default),
            share_images,
        });
        let poster = webhooks.as_ref().map(WebhookPoster::new);
        let outbox_worker = OutboxWorker::new(state.clone(), mailer, poster, leads.clone()).spawn();
        let (page_views, leads_pool) = (state.page_views.clone(), state.leads.clone());
        tokio::spawn(page_views.clone().flush_every(leads_pool.clone(), settings.views_flush()));
        tokio::spawn(state.limiter.sweep_every(SWEEP_INTERVAL));
        if let Some(confirmations) = &state.confirmations {
            tokio::spawn(confirmations.sweep_every(SWEEP_INTERVAL));
        }
        tokio::spawn(state.search_limiter.sweep_every(SWEEP_INTERVAL));
        if settings.search_permits() < usize::try_from(settings.search.max_concurrent.get()).unwrap_or(usize::MAX) {
            tracing::warn!(
                searches = settings.search_permits(),
                "fewer searches run at once than --search-max-concurrent asks: one database connection stays free"
            );
        }
        tokio::spawn(schedule::run(
            state.clone(),
            settings.base_url.clone(),
            settings.search.cache_entries,
            settings.publish_check(),
        ));
        if !settings.no_watch {
            watch::spawn(
                state.clone(),
                settings.content.clone(),
                settings.base_url.clone(),
                settings.search.cache_entries,
                Duration::from_millis(settings.watch_debounce_ms),
            )?;
        }
        let metrics = match &settings.metrics_bind {
            Some(address) => Some(metrics_server(address, state.clone())?),
            None => None,
        };
        let optional_routes = routes::OptionalRoutes { metrics: metrics.is_none(), live_reload: settings.dev };
        let media_dir = settings.media_dir();
        let form_body_limit = settings.leads.form_body_limit;
        let limits = settings.limits.clone();

        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(routes::CatchPanics)
                .wrap(routes::error_pages())
                .wrap(from_fn(routes::canonical_urls))
                // Cached pages come compressed already; everything else is compressed on the way out.
                .wrap(Compress::default())
                // Compression depends on Accept-Encoding whether or not it compressed this answer.
                .wrap(DefaultHeaders::new().add((header::VARY, "Accept-Encoding")))
                .wrap(Middleware(routes::CachedPages))
                .wrap(Middleware(routes::SecurityHeaders { max_header_bytes: limits.max_header_bytes, hsts }))
                .wrap(Middleware(routes::HeadAsGet))
                .wrap(telemetry::TraceRequests)
                .app_data(state.clone())
                .app_data(web::PayloadConfig::new(form_body_limit))
                .configure(|cfg| routes::configure(cfg, &media_dir, optional_routes))
        })
        .shutdown_timeout(settings.shutdown_timeout_secs)
        .client_request_timeout(Duration::from_millis(limits.request_timeout_ms))
        .client_disconnect_timeout(Duration::from_millis(limits.request_timeout_ms))
        .keep_alive(Duration::from_secs(limits.keep_alive_secs))
        .max_connections(limits.max_connections)
        .backlog(limits.backlog)
        .disable_signals();
        if let Some(workers) = settings.workers {
            server = server.workers(workers);
        }
        let server = server.listen(listener).map_err(bind_error)?.run();
        tracing::info!(address = %settings.bind, port, "listening");
        Ok(Application { port, server, metrics, lead_writer: lead_writer_task, outbox_worker, page_views, leads_pool })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port `/metrics` listens on when it has an address of its own.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics.as_ref().map(|(port, _)| *port)
    }

    pub fn handle(&self) -> ApplicationHandle {
        ApplicationHandle {
            server: self.server.handle(),
            metrics: self.metrics.as_ref().map(|(_, server)| server.handle()),
        }
    }

    /// Serves until stopped through `handle()`; in-flight requests get the shutdown timeout to
    /// finish. Then every lead still waiting for its transaction is stored, the outbox worker
    /// gives back what it holds unsent (another instance sends it at once, not when the lease
    /// ends), and the page views counted since the last flush are stored.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let served = match self.metrics {
            None => self.server.await,
            Some((_, metrics)) => {
                let (site, metrics) = tokio::join!(self.server, metrics);
                site.and(metrics)
            }
        };
        self.lead_writer.drain().await;
        self.outbox_worker.stop().await;
        self.page_views.flush(&self.leads_pool).await;
        served
    }
}

/// A second, small server for operators' scrapers, so the public port does not expose `/metrics`.
fn metrics_server(address: &str, state: web::Data<AppState>) -> Result<(u16, Server), StartupError> {
    let bind_error = |source| StartupError::Bind { address: address.to_owned(), source };
    let listener = TcpListener::bind(address).map_err(bind_error)?;
    let port = listener.local_addr().map_err(bind_error)?.port();
    let server = HttpServer::new(move || {
        App::new()
            .wrap(Middleware(routes::HeadAsGet))
            .wrap(telemetry::TraceRequests)
            .app_data(state.clone())
            .configure(routes::configure_metrics_only)
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .map_err(bind_error)?
    .run();
    tracing::info!(address, port, "metrics listening");
    Ok((port, server))
}
