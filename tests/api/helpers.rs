use std::path::{Path, PathBuf};

use actix_web::dev::ServerHandle;
use jobprofiles::configuration::{LogFormat, Settings};
use jobprofiles::startup::Application;
use scraper::{Html, Selector};
use tempfile::TempDir;

pub fn repo_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

pub fn settings(content: PathBuf, database: PathBuf) -> Settings {
    Settings {
        bind: "127.0.0.1:0".into(),
        database,
        content,
        base_url: Some("https://jobs.example.test".into()),
        static_dir: repo_path("static"),
        log_format: LogFormat::Human,
        db_busy_timeout_ms: 5_000,
        db_max_connections: 4,
        workers: Some(1),
        shutdown_timeout_secs: 1,
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    handle: ServerHandle,
    _dir: TempDir,
}

pub struct Page {
    pub status: reqwest::StatusCode,
    pub html: Html,
    pub text: String,
}

impl Page {
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

/// The app with the shipped content.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(repo_path("content")).await
}

pub async fn spawn_app_with(content: PathBuf) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let app = Application::build(settings(content, dir.path().join("test.db"))).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    TestApp { address, client, handle, _dir: dir }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("request sent")
    }

    pub async fn page(&self, path: &str) -> Page {
        let response = self.get(path).await;
        let status = response.status();
        let text = response.text().await.expect("body");
        Page { status, html: Html::parse_document(&text), text }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let handle = self.handle.clone();
        drop(tokio::spawn(async move { handle.stop(false).await }));
    }
}
