//! Builds the application from settings: database, first content load, HTTP server.
//! Tests build exactly this, bound to port 0.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpServer, web};
use tokio::sync::Notify;

use crate::assets::Assets;
use crate::auth::{DeviceCookies, SessionCookies};
use crate::configuration::{AdminSettings, Settings};
use crate::content::ProfileCache;
use crate::db::{self, DbPool, PoolError};
use crate::metrics::Metrics;
use crate::notify::{Mailer, MailerError, OutboxWorker};
use crate::publish::{ContentStatus, PublishError, publish};
use crate::read_model::SiteHandle;
use crate::security::{FormTokens, Secret, SubmissionLimiter, random_hex};
use crate::{retention, routes, schedule, telemetry, watch};

/// What every request can reach.
pub struct AppState {
    content_status: Mutex<ContentStatus>,
    /// Held while a new site is built and swapped in, so an older build never replaces a newer
    /// one; holds what the last load read of each profile file.
    pub publishing: Arc<tokio::sync::Mutex<ProfileCache>>,
    pub site: SiteHandle,
    pub pool: DbPool,
    /// The SQLite file, for readiness checks on a fresh connection.
    pub database: std::path::PathBuf,
    pub forms: FormTokens,
    pub sessions: SessionCookies,
    pub devices: DeviceCookies,
    pub admin: AdminSettings,
    pub limiter: SubmissionLimiter,
    /// Wakes the outbox worker as soon as a lead is stored.
    pub outbox_wake: Arc<Notify>,
    pub cookie_secure: bool,
    pub trust_forwarded_for: bool,
    pub form_min_fill: Duration,
    pub metrics: Metrics,
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
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] PoolError),
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
    #[error("cannot watch the content folder")]
    Watch(#[from] notify::Error),
    #[error("a start-up task failed")]
    Task(#[from] tokio::task::JoinError),
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        let (pool, site, summary, profile_cache) = {
            let settings = settings.clone();
            tokio::task::spawn_blocking(move || -> Result<_, StartupError> {
                let pool = db::connect(&settings.database, settings.db_busy_timeout(), settings.db_max_connections)?;
                let mut cache = ProfileCache::default();
                let (site, summary) = publish(&settings.content, &pool, settings.base_url.as_deref(), &mut cache)?;
                tracing::info!(content = %settings.content.display(), "content loaded\n{summary}");
                Ok((pool, site, summary, cache))
            })
            .await??
        };

        let bind_error = |source| StartupError::Bind { address: settings.bind.clone(), source };
        let listener = TcpListener::bind(&settings.bind).map_err(bind_error)?;
        let port = listener.local_addr().map_err(bind_error)?.port();
        let mailer = Mailer::from_settings(&settings.smtp)?;
        let assets = Assets::scan(&settings.static_dir).map_err(StartupError::Assets)?;
        let secret = settings.secret_key.clone().unwrap_or_else(|| {
            tracing::warn!("JOBPROFILES_SECRET_KEY is not set: using a random key, so forms opened before a restart will be refused");
            Secret::new(random_hex(32))
        });
        // The origin in effect (the flag, else site.toml) decides what HTTPS-only protections are on.
        let secure_cookies = settings.secure_cookies(&site.settings.base_url);
        let hsts = settings.sends_hsts(&site.settings.base_url);
        let leads = &settings.leads;
        let outbox_wake = Arc::new(Notify::new());
        let worker =
            OutboxWorker::new(pool.clone(), mailer, outbox_wake.clone(), leads.clone(), site.settings.base_url.clone());
        tokio::spawn(worker.run());
        tokio::spawn(retention::run(pool.clone(), settings.admin.clone()));
        let state = web::Data::new(AppState {
            content_status: Mutex::new(ContentStatus::loaded(&summary)),
            publishing: Arc::new(tokio::sync::Mutex::new(profile_cache)),
            site: SiteHandle::new(site, Arc::new(assets)),
            pool,
            database: settings.database.clone(),
            sessions: SessionCookies::new(&secret, secure_cookies),
            devices: DeviceCookies::new(
                secret.clone(),
                secure_cookies,
                time::Duration::days(i64::from(settings.admin.device_cookie_days)),
            ),
            forms: FormTokens::new(secret, Duration::from_secs(leads.form_max_age_secs)),
            admin: settings.admin.clone(),
            limiter: SubmissionLimiter::new(leads.rate_limit, Duration::from_secs(leads.rate_window_secs)),
            outbox_wake,
            cookie_secure: secure_cookies,
            trust_forwarded_for: settings.trust_forwarded_for,
            form_min_fill: Duration::from_millis(leads.form_min_fill_ms),
            metrics: Metrics::default(),
        });
        tokio::spawn(schedule::run(
            state.clone(),
            settings.base_url.clone(),
            Duration::from_secs(settings.publish_check_secs),
        ));
        if !settings.no_watch {
            watch::spawn(
                state.clone(),
                settings.content.clone(),
                settings.base_url.clone(),
                Duration::from_millis(settings.watch_debounce_ms),
            )?;
        }
        let media_dir = settings.media_dir();
        let form_body_limit = settings.leads.form_body_limit;
        let limits = settings.limits.clone();

        let mut server = HttpServer::new(move || {
            App::new()
                .wrap(routes::error_pages())
                .wrap(from_fn(routes::canonical_urls))
                // Cached pages come compressed already; everything else is compressed on the way out.
                .wrap(Compress::default())
                .wrap(routes::CachedPages)
                .wrap(routes::SecurityHeaders { max_header_bytes: limits.max_header_bytes, hsts })
                .wrap(telemetry::TraceRequests)
                .app_data(state.clone())
                .app_data(web::PayloadConfig::new(form_body_limit))
                .configure(|cfg| routes::configure(cfg, &media_dir))
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
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped through `handle()`; in-flight requests get the shutdown timeout to finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
