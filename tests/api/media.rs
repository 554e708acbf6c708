//! `/media` serves images and PDFs from the content folder, and nothing that could run as the site.

use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

use crate::helpers::{TestApp, copy_tree, repo_path, spawn_app_with};

/// A copy of the minimal site with `plant` run on its folder; the folder lives as long as the app.
async fn site_with(plant: impl FnOnce(&Path, &Path)) -> (TestApp, TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("site");
    copy_tree(&repo_path("tests/fixtures/minimal"), &content);
    plant(&content, dir.path());
    (spawn_app_with(content).await, dir)
}

fn header(response: &reqwest::Response, name: &str) -> Vec<String> {
    response.headers().get_all(name).iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect()
}

const SCRIPT: &str = "<script>fetch('/admin/leads/export.csv')</script>";

#[tokio::test]
async fn html_and_javascript_under_media_are_not_served() {
    let (app, _dir) = site_with(|content, _| {
        std::fs::write(content.join("media/steal.html"), SCRIPT).expect("planted");
        std::fs::write(content.join("media/steal.js"), "fetch('/admin/leads/export.csv')").expect("planted");
        std::fs::write(content.join("media/people/page.htm"), SCRIPT).expect("planted");
        std::fs::write(content.join("media/.hidden.png"), "png").expect("planted");
    })
    .await;
    for path in ["/media/steal.html", "/media/steal.js", "/media/people/page.htm", "/media/.hidden.png"] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn images_and_pdfs_are_served_with_their_type_and_cache_control_and_pdfs_as_downloads() {
    let (app, _dir) = site_with(|content, _| {
        std::fs::write(content.join("media/salary-guide.pdf"), "%PDF-1.7\n").expect("planted");
    })
    .await;
    let response = app.get("/media/share.png").await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), ["image/png"]);
    assert_eq!(header(&response, "cache-control"), ["public, max-age=3600"]);
    assert_eq!(header(&response, "x-content-type-options"), ["nosniff"]);
    let expected = std::fs::read(repo_path("tests/fixtures/minimal/media/share.png")).expect("fixture");
    assert_eq!(response.bytes().await.expect("body").as_ref(), expected.as_slice());
    let pdf = app.get("/media/salary-guide.pdf").await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(header(&pdf, "content-type"), ["application/pdf"]);
    assert_eq!(header(&pdf, "cache-control"), ["public, max-age=3600"]);
    let disposition = header(&pdf, "content-disposition").join(",");
    assert!(disposition.starts_with("attachment"), "{disposition}");
}

#[tokio::test]
async fn svg_media_is_sent_with_a_sandbox_policy_and_nosniff() {
    let (app, _dir) = site_with(|content, _| {
        let svg = format!("<svg xmlns=\"http://www.w3.org/2000/svg\">{SCRIPT}</svg>");
        std::fs::write(content.join("media/chart.svg"), svg).expect("planted");
    })
    .await;
    let response = app.get("/media/chart.svg").await;
    assert_eq!(response.status(), 200);
    assert_eq!(header(&response, "content-type"), ["image/svg+xml"]);
    let policies = header(&response, "content-security-policy");
    assert!(policies.iter().any(|p| p == "sandbox"), "{policies:?}");
    assert!(policies.iter().any(|p| p.contains("script-src 'self'")), "the site's policy applies too: {policies:?}");
    assert_eq!(header(&response, "x-content-type-options"), ["nosniff"]);
}

#[cfg(unix)]
#[tokio::test]
async fn a_symlink_leading_out_of_the_media_folder_is_refused() {
    let (app, _dir) = site_with(|content, outside| {
        let secret = outside.join("secret.png");
        std::fs::write(&secret, "not for the web").expect("planted");
        std::os::unix::fs::symlink(&secret, content.join("media/leak.png")).expect("linked");
        std::os::unix::fs::symlink(outside, content.join("media/outside")).expect("linked");
        std::os::unix::fs::symlink(content.join("media/share.png"), content.join("media/inside.png")).expect("linked");
    })
    .await;
    assert_eq!(app.get("/media/leak.png").await.status(), 404);
    assert_eq!(app.get("/media/outside/secret.png").await.status(), 404);
    assert_eq!(app.get("/media/inside.png").await.status(), 200, "a link within the folder is fine");
}

#[test]
fn check_warns_about_media_the_site_will_not_serve_and_strict_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("site");
    copy_tree(&repo_path("tests/fixtures/minimal"), &content);
    std::fs::write(content.join("media/people/steal.html"), SCRIPT).expect("planted");
    std::fs::write(dir.path().join("secret.png"), "not for the web").expect("planted");
    std::os::unix::fs::symlink(dir.path().join("secret.png"), content.join("media/leak.png")).expect("linked");
    let check = |strict: bool| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_jobprofiles"));
        command.arg("check").arg("--content").arg(&content).env_remove("JOBPROFILES_CONTENT");
        if strict {
            command.arg("--strict");
        }
        command.output().expect("runs")
    };
    let relaxed = check(false);
    let stderr = String::from_utf8_lossy(&relaxed.stderr);
    assert!(relaxed.status.success(), "a warning: {stderr}");
    assert!(
        stderr.contains("warning: media/people/steal.html will not be served: only PNG, JPEG, GIF, WebP, AVIF, SVG and PDF files are"),
        "{stderr}"
    );
    assert!(stderr.contains("media/people/steal.html:1:1"), "{stderr}");
    assert!(stderr.contains("warning: media/leak.png leads outside `media/` and will not be served"), "{stderr}");
    assert_eq!(check(true).status.code(), Some(1), "--strict fails on it");
}
