use std::time::Duration;

use crate::cli::serve_refused;
use crate::helpers::{TestApp, copy_tree, repo_path, settings, spawn, spawn_app};

/// The app under `--dev` on a copy of the minimal site, watching it.
async fn app_in_dev_mode() -> (TestApp, tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("content");
    copy_tree(&repo_path("tests/fixtures/minimal"), &content);
    let mut settings = settings(content.clone(), dir.path().join("dev.db"));
    settings.no_watch = false;
    settings.watch_debounce_ms = 50;
    settings.dev = true;
    // The fixture's site.toml names a public https:// origin, where `--dev` is refused.
    settings.base_url = Some("http://localhost:8080".to_owned());
    let app = spawn(settings, None).await;
    (app, dir, content)
}

/// The next event of a server-sent-events stream: its name and its data lines joined.
async fn next_event(stream: &mut reqwest::Response, buffer: &mut String) -> (String, String) {
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let frame: String = buffer.drain(..end + 2).collect();
            if frame.starts_with(':') {
                continue;
            }
            let field = |name: &str| {
                frame.lines().filter_map(|line| line.strip_prefix(name)).map(str::to_owned).collect::<Vec<_>>()
            };
            return (field("event: ").join(""), field("data: ").join("\n"));
        }
        let chunk = tokio::time::timeout(Duration::from_secs(10), stream.chunk())
            .await
            .expect("an event within 10 s")
            .expect("the stream stays open")
            .expect("a chunk");
        buffer.push_str(std::str::from_utf8(&chunk).expect("UTF-8"));
    }
}

#[tokio::test]
async fn without_dev_no_page_carries_the_script_and_the_event_stream_does_not_exist() {
    let app = spawn_app().await;
    for path in ["/", "/profiles", "/profiles/backend-developer", "/de/berufe/backend-entwickler"] {
        let body = app.get(path).await.text().await.expect("body");
        assert!(!body.contains("live-reload"), "{path} carries the script");
    }
    assert_eq!(app.get("/live-reload").await.status(), 404);
    assert_eq!(app.get("/static/live-reload.js").await.status(), 404);
}

#[tokio::test]
async fn under_dev_every_page_carries_the_script_and_the_stream_tells_of_saves_errors_and_fixes() {
    let (app, _dir, content) = app_in_dev_mode().await;
    let page = app.page("/profiles/tester").await;
    let script = page.attr("head script[src*='live-reload']", "src").expect("the page carries the script");
    let served = app.get(&script).await;
    assert_eq!(served.status(), 200);
    assert!(served.text().await.expect("body").contains("EventSource"));

    let mut stream = app.get("/live-reload").await;
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let mut buffer = String::new();
    assert_eq!(next_event(&mut stream, &mut buffer).await.0, "ready");

    let file = content.join("profiles/en/tester.md");
    let good = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, good.replace("title = \"Tester\"", "title = \"Test Engineer\"")).expect("written");
    assert_eq!(next_event(&mut stream, &mut buffer).await.0, "published");
    assert!(app.get("/profiles/tester").await.text().await.expect("body").contains("Test Engineer"));

    std::fs::write(&file, good.replace("min = 40000", "min = \"forty\"")).expect("written");
    let (event, report) = next_event(&mut stream, &mut buffer).await;
    assert_eq!(event, "broken");
    assert!(report.contains("profiles/en/tester.md:18:7"), "{report}");

    std::fs::write(&file, &good).expect("written");
    assert_eq!(next_event(&mut stream, &mut buffer).await.0, "published");
}

#[tokio::test]
async fn a_page_opened_while_the_content_is_broken_learns_it_at_once() {
    let (app, _dir, content) = app_in_dev_mode().await;
    let file = content.join("profiles/en/tester.md");
    let good = std::fs::read_to_string(&file).expect("read");
    let mut first = app.get("/live-reload").await;
    let mut buffer = String::new();
    assert_eq!(next_event(&mut first, &mut buffer).await.0, "ready");
    std::fs::write(&file, good.replace("min = 40000", "min = \"forty\"")).expect("written");
    assert_eq!(next_event(&mut first, &mut buffer).await.0, "broken");

    let mut later = app.get("/live-reload").await;
    let (event, report) = next_event(&mut later, &mut String::new()).await;
    assert_eq!(event, "broken");
    assert!(report.contains("profiles/en/tester.md"), "{report}");
}

#[test]
fn dev_is_refused_with_an_https_base_url() {
    let stderr =
        serve_refused(&["--dev", "--content", "tests/fixtures/minimal", "--base-url", "https://jobs.example.com"]);
    assert!(stderr.contains("--dev (JOBPROFILES_DEV) is for an editor's own machine"), "{stderr}");
    assert!(stderr.contains("https://jobs.example.com"), "{stderr}");
}
