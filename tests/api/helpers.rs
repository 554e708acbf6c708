use std::num::{NonZeroU32, NonZeroUsize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use diesel::{Connection, RunQueryDsl};
use jobprofiles::configuration::{
    AdminSettings, LeadSettings, LimitSettings, ListingSettings, LogFormat, SearchSettings, Settings, SmtpSettings,
    SmtpTls, WebhookSettings,
};
use jobprofiles::db::leads::{LeadPool, LeadsDatabase};
use jobprofiles::db::{self, DbPool};
use jobprofiles::security::{ProxyRange, Secret};
use jobprofiles::startup::{Application, ApplicationHandle};
use scraper::{Html, Selector};
use tempfile::TempDir;

pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

/// The key every test app signs with, as instances that share a lead store must share one.
pub const SECRET_KEY: &str = "a test key that is long enough to sign with";

/// Settings for a test: fast timings, no traps that a scripted client would trip, no SMTP.
pub fn settings(content: PathBuf, database: PathBuf) -> Settings {
    Settings {
        bind: "127.0.0.1:0".into(),
        metrics_bind: None,
        database,
        leads_database: None,
        content,
        base_url: Some("https://jobs.example.test".into()),
        static_dir: repo_path("static"),
        fonts_dir: repo_path("fonts"),
        log_format: LogFormat::Human,
        db_busy_timeout_ms: 5_000,
        db_max_connections: 4,
        db_pool_timeout_ms: 5_000,
        workers: Some(1),
        page_cache_mb: jobprofiles::configuration::MemoryBudget::from_bytes(64 << 20),
        shutdown_timeout_secs: 1,
        no_watch: true,
        dev: false,
        publish_check_secs: 1,
        publish_check_ms: None,
        watch_debounce_ms: 50,
        secret_key: Some(Secret::new(SECRET_KEY.into())),
        cookie_secure: None,
        trusted_proxies: Vec::new(),
        views_flush_ms: 60_000,
        ipv6_network_factor: NonZeroU32::new(16).unwrap_or(NonZeroU32::MIN),
        leads: LeadSettings {
            form_min_fill_ms: 0,
            form_max_age_secs: 3_600,
            form_body_limit: 65_536,
            rate_limit: NonZeroU32::new(1_000).unwrap_or(NonZeroU32::MIN),
            rate_window_secs: 60,
            batch_max: NonZeroUsize::new(256).unwrap_or(NonZeroUsize::MIN),
            queue_max: NonZeroUsize::new(1_024).unwrap_or(NonZeroUsize::MIN),
            outbox_poll_ms: 50,
            outbox_retry_base_ms: 50,
            outbox_retry_max_ms: 200,
            outbox_lease_ms: 300_000,
            outbox_max_attempts: 100,
            confirmation_mail: true,
        },
        smtp: SmtpSettings {
            host: None,
            mail_dir: None,
            port: 25,
            tls: SmtpTls::None,
            username: None,
            password: None,
            sender: "Quellwerk Talent <leads@example.com>".into(),
            timeout_secs: 2,
        },
        webhooks: WebhookSettings { urls: Vec::new(), secret: None, allow_http: false, post_timeout_secs: 2 },
        admin: AdminSettings {
            idle_timeout_secs: 1_800,
            absolute_timeout_secs: 43_200,
            max_failed_logins: NonZeroU32::new(5).unwrap_or(NonZeroU32::MIN),
            lock_secs: 900,
            account_delay_after: NonZeroU32::new(10).unwrap_or(NonZeroU32::MIN),
            account_delay_ms: 1_000,
            account_delay_max_ms: 60_000,
            device_cookie_days: 180,
            login_concurrency: None,
            login_wait_ms: 1_000,
            page_size: 25,
            retention_days: None,
            preview_link_days: 7,
            retention_interval_secs: 86_400,
        },
        limits: LimitSettings {
            request_timeout_ms: 5_000,
            keep_alive_secs: 5,
            max_connections: 1_000,
            backlog: 128,
            max_header_bytes: 16_384,
            hsts: None,
        },
        search: SearchSettings {
            cache_entries: 100,
            rate_limit: NonZeroU32::new(10_000).unwrap_or(NonZeroU32::MIN),
            rate_window_secs: 60,
            max_concurrent: NonZeroU32::new(2).unwrap_or(NonZeroU32::MIN),
            wait_ms: 2_000,
        },
        listing: ListingSettings {
            index_page_size: NonZeroUsize::new(50).unwrap_or(NonZeroUsize::MIN),
            sitemap_max_urls: NonZeroUsize::new(10_000).unwrap_or(NonZeroUsize::MIN),
        },
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub database: PathBuf,
    /// The lead and staff store the app runs on.
    pub leads_database: LeadsDatabase,
    /// The test's own PostgreSQL database, when the suite runs on PostgreSQL (shared by the
    /// instances of a `SharedLeadStore`).
    pub postgres: Option<Arc<PostgresDatabase>>,
    /// How to stop it; `None` for an instance running in a process of its own.
    handle: Option<ApplicationHandle>,
    /// Where `/metrics` answers when the settings give it an address of its own.
    pub metrics_address: Option<String>,
    _dir: Option<Arc<TempDir>>,
}

pub struct Page {
    pub status: reqwest::StatusCode,
    pub html: Html,
    pub text: String,
}

impl Page {
    pub fn from_text(status: reqwest::StatusCode, text: String) -> Page {
        Page { status, html: Html::parse_document(&text), text }
    }

    pub fn select_all(&self, selector: &str) -> Vec<scraper::ElementRef<'_>> {
        let selector = Selector::parse(selector).expect("valid selector");
        self.html.select(&selector).collect()
    }

    pub fn text_of(&self, selector: &str) -> String {
        self.select_all(selector).iter().map(|e| e.text().collect::<String>()).collect::<Vec<_>>().join("\n")
    }

    pub fn attr(&self, selector: &str, attr: &str) -> Option<String> {
        self.select_all(selector).first().and_then(|e| e.value().attr(attr)).map(str::to_owned)
    }
}

/// The test client's own addresses as trusted proxies (`settings.trusted_proxies = loopback()`),
/// so a test can pose as any client with `X-Forwarded-For`.
pub fn loopback() -> Vec<ProxyRange> {
    ["127.0.0.1/32", "::1/128"].iter().filter_map(|range| range.parse().ok()).collect()
}

/// The app with the shipped content.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(repo_path("content")).await
}

pub async fn spawn_app_with(content: PathBuf) -> TestApp {
    spawn_configured(|_| {}, content).await
}

/// The app with the shipped content and settings changed by `configure`. Under
/// `JOBPROFILES_TEST_POSTGRES` its lead store is a fresh PostgreSQL database of its own.
pub async fn spawn_configured(configure: impl FnOnce(&mut Settings), content: PathBuf) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = settings(content, dir.path().join("test.db"));
    let postgres = PostgresDatabase::for_this_test();
    if let Some(postgres) = &postgres {
        settings.leads_database = Some(postgres.url.parse().expect("a postgres:// URL"));
    }
    configure(&mut settings);
    let mut app = spawn(settings, Some(dir)).await;
    app.postgres = postgres.map(Arc::new);
    app
}

/// One lead store for several instances of the app in one test, as instances behind a load
/// balancer share it: the test's own PostgreSQL database under `JOBPROFILES_TEST_POSTGRES`, else
/// one SQLite file. Each instance keeps its content in a file of its own.
pub struct SharedLeadStore {
    pub database: LeadsDatabase,
    /// What `--leads-database` takes to reach it, password included.
    pub argument: String,
    postgres: Option<Arc<PostgresDatabase>>,
    dir: Arc<TempDir>,
}

impl SharedLeadStore {
    pub fn new() -> SharedLeadStore {
        let dir = tempfile::tempdir().expect("temp dir");
        let postgres = PostgresDatabase::for_this_test().map(Arc::new);
        let argument = match &postgres {
            Some(postgres) => postgres.url.clone(),
            None => dir.path().join("leads.db").to_string_lossy().into_owned(),
        };
        let database = argument.parse().expect("a postgres:// URL or a file");
        SharedLeadStore { database, argument, postgres, dir: Arc::new(dir) }
    }

    /// An instance named `name` (its content file's name) on this store, with the shipped content
    /// and settings changed by `configure`.
    pub async fn spawn(&self, name: &str, configure: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = settings(repo_path("content"), self.instance_database(name));
        settings.leads_database = Some(self.database.clone());
        configure(&mut settings);
        let mut app = spawn(settings, None).await;
        app.postgres.clone_from(&self.postgres);
        app._dir = Some(self.dir.clone());
        app
    }

    /// The instance named `name` that a process of its own serves at `address` on this store.
    pub fn instance_at(&self, name: &str, address: String) -> TestApp {
        TestApp {
            address,
            client: client(),
            database: self.instance_database(name),
            leads_database: self.database.clone(),
            postgres: self.postgres.clone(),
            handle: None,
            metrics_address: None,
            _dir: Some(self.dir.clone()),
        }
    }

    /// The content file of the instance named `name`.
    pub fn instance_database(&self, name: &str) -> PathBuf {
        self.dir.path().join(format!("{name}.db"))
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

/// The environment variable that runs the suite's lead store on PostgreSQL: the URL of a
/// database on a server where the test's user may create databases (`.ci/run` starts one).
pub const TEST_POSTGRES: &str = "JOBPROFILES_TEST_POSTGRES";

/// A database created for one test, so tests run in parallel; dropped with it.
pub struct PostgresDatabase {
    /// The URL the app connects to.
    pub url: String,
    pub name: String,
    server: String,
}

impl PostgresDatabase {
    /// A fresh database when the suite runs on PostgreSQL.
    pub fn for_this_test() -> Option<PostgresDatabase> {
        let server = std::env::var(TEST_POSTGRES).ok().filter(|url| !url.is_empty())?;
        let name = format!("jobprofiles_test_{}", jobprofiles::security::random_hex(8));
        let (address, query) = server.split_once('?').map_or((server.as_str(), None), |(a, q)| (a, Some(q)));
        let (base, _) = address.rsplit_once('/').expect("the URL names a database");
        let url = format!("{base}/{name}{}", query.map(|q| format!("?{q}")).unwrap_or_default());
        let database = PostgresDatabase { url, name, server };
        database.execute(&format!("CREATE DATABASE {}", database.name));
        Some(database)
    }

    /// The database refuses new connections and drops the app's: as if its server were gone.
    pub fn go_away(&self) {
        self.execute(&format!("ALTER DATABASE {} ALLOW_CONNECTIONS false", self.name));
        self.execute(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}'",
            self.name
        ));
    }

    pub fn come_back(&self) {
        self.execute(&format!("ALTER DATABASE {} ALLOW_CONNECTIONS true", self.name));
    }

    /// Runs one statement on the server's maintenance database, beside the test's own.
    pub fn execute(&self, statement: &str) {
        let mut conn = diesel::PgConnection::establish(&self.server).expect("the test PostgreSQL answers");
        if let Err(error) = diesel::sql_query(statement).execute(&mut conn) {
            panic!("{statement}: {error}");
        }
    }
}

impl Drop for PostgresDatabase {
    /// A database left behind costs a throw-away cluster some disk, so a test that passed is not
    /// failed for it: the server may still be winding down a connection of the app's.
    fn drop(&mut self) {
        let statement = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let dropped = (0..5).any(|_| {
            let done = diesel::PgConnection::establish(&self.server)
                .is_ok_and(|mut conn| diesel::sql_query(&statement).execute(&mut conn).is_ok());
            if !done {
                std::thread::sleep(Duration::from_millis(50));
            }
            done
        });
        if !dropped {
            eprintln!("left behind: test database {}", self.name);
        }
    }
}

pub async fn spawn(settings: Settings, dir: Option<TempDir>) -> TestApp {
    let database = settings.database.clone();
    let leads_database = settings.leads_database();
    let settings_bind = settings.bind.clone();
    let app = Application::build(settings).await.expect("app builds");
    let bound: std::net::SocketAddr = settings_bind.parse().expect("a test binds to an address and port");
    let address = format!("http://{}", std::net::SocketAddr::new(bound.ip(), app.port()));
    let metrics_address = app.metrics_port().map(|port| format!("http://127.0.0.1:{port}"));
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    let client = client();
    let _dir = dir.map(Arc::new);
    TestApp { address, client, database, leads_database, postgres: None, handle: Some(handle), metrics_address, _dir }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("request sent")
    }

    pub async fn page(&self, path: &str) -> Page {
        let response = self.get(path).await;
        let status = response.status();
        Page::from_text(status, response.text().await.expect("body"))
    }

    pub fn pool(&self) -> DbPool {
        db::connect(&self.database, Duration::from_secs(5), Duration::from_secs(5), 2).expect("database")
    }

    /// What `--leads-database` takes to reach the app's lead store, password included.
    pub fn leads_argument(&self) -> std::ffi::OsString {
        match (&self.postgres, &self.leads_database) {
            (Some(postgres), _) => postgres.url.clone().into(),
            (None, LeadsDatabase::Sqlite(path)) => path.clone().into_os_string(),
            // A test app reaches PostgreSQL only through its `PostgresDatabase`.
            (None, database) => database.to_string().into(),
        }
    }

    /// A pool on the app's lead and staff store, whichever backend it is.
    pub fn lead_store(&self) -> LeadPool {
        db::leads::connect_leads(&self.leads_database, Duration::from_secs(5), Duration::from_secs(5), 2)
            .expect("lead database")
    }

    pub async fn stop(&self) {
        if let Some(handle) = &self.handle {
            handle.stop(true).await;
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.clone() {
            drop(tokio::spawn(async move { handle.stop(false).await }));
        }
    }
}

/// Polls `check` until it returns `Some` or `timeout` passes; the one way a test waits for
/// something the server does in the background.
pub async fn eventually<T>(timeout: Duration, mut check: impl AsyncFnMut() -> Option<T>) -> Option<T> {
    let started = std::time::Instant::now();
    loop {
        if let Some(value) = check().await {
            return Some(value);
        }
        if started.elapsed() > timeout {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A copy of a content tree that a test may change.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("readable") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copied");
        }
    }
}

/// A copy of the shipped content with the first `from` in `file` replaced by `to`.
pub fn shipped_content_with(file: &str, from: &str, to: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&repo_path("content"), dir.path());
    let path = dir.path().join(file);
    let text = std::fs::read_to_string(&path).expect("readable");
    assert!(text.contains(from), "{file} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("written");
    dir
}

/// Lets a test choose each request's client address with `from_address`.
pub fn trust_client_addresses(settings: &mut Settings) {
    settings.trusted_proxies = loopback();
}

/// The request as if it came from `ip`, said by the proxy that `trust_client_addresses` trusts.
pub fn from_address(request: reqwest::RequestBuilder, ip: &str) -> reqwest::RequestBuilder {
    request.header("X-Forwarded-For", ip)
}
