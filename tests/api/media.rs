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

#[tokio::test]
async fn encoded_dots_and_slashes_in_a_media_address_lead_nowhere_outside_the_folder() {
    let (app, _dir) = site_with(|_, outside| {
        std::fs::write(outside.join("secret.png"), "not for the web").expect("planted");
    })
    .await;
    for path in [
        "/media/%2e%2e/%2e%2e/secret.png",
        "/media/%2E%2E%2F%2E%2E%2Fsecret.png",
        "/media/..%2F..%2Fsecret.png",
        "/media/people%2F..%2F..%2F..%2Fsecret.png",
        "/media/people/%2e%2e/%2e%2e/%2e%2e/secret.png",
    ] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
}

#[cfg(unix)]
#[tokio::test]
async fn a_link_with_an_image_name_to_an_html_file_inside_the_folder_is_not_served() {
    let (app, _dir) = site_with(|content, _| {
        std::fs::write(content.join("media/page.html"), SCRIPT).expect("planted");
        std::os::unix::fs::symlink(content.join("media/page.html"), content.join("media/chart.png")).expect("linked");
        std::os::unix::fs::symlink(content.join("media/page.html"), content.join("media/people/chart.svg"))
            .expect("linked");
    })
    .await;
    for path in ["/media/chart.png", "/media/people/chart.svg"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        assert!(!response.text().await.expect("body").contains(SCRIPT), "{path}");
    }
}

/// `check` on a copy of the minimal site with `plant` run on it.
fn check_site(plant: impl FnOnce(&Path, &Path), strict: bool) -> std::process::Output {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("site");
    copy_tree(&repo_path("tests/fixtures/minimal"), &content);
    plant(&content, dir.path());
    let mut command = Command::new(env!("CARGO_BIN_EXE_jobprofiles"));
    command.arg("check").arg("--content").arg(&content).env_remove("JOBPROFILES_CONTENT");
    if strict {
        command.arg("--strict");
    }
    command.output().expect("runs")
}

#[cfg(unix)]
#[test]
fn content_that_refers_to_media_the_site_will_not_serve_fails_check_where_it_refers() {
    let output = check_site(
        |content, outside| {
            std::fs::write(content.join("media/diagram.bmp"), "BM").expect("planted");
            let about = content.join("pages/en/about.md");
            let text = std::fs::read_to_string(&about).expect("the page");
            std::fs::write(&about, format!("{text}\n![A diagram](/media/diagram.bmp)\n")).expect("written");
            std::fs::copy(content.join("media/people/ada.svg"), content.join("media/people/.ada.svg")).expect("copied");
            let person = content.join("people/ada-example.toml");
            let text = std::fs::read_to_string(&person).expect("the person");
            std::fs::write(&person, text.replace("media/people/ada.svg", "media/people/.ada.svg")).expect("written");
            std::fs::write(outside.join("secret.png"), "not for the web").expect("planted");
            std::os::unix::fs::symlink(outside.join("secret.png"), content.join("media/leak.png")).expect("linked");
            let site = content.join("site.toml");
            let text = std::fs::read_to_string(&site).expect("the settings");
            std::fs::write(&site, text.replace("media/share.png", "media/leak.png")).expect("written");
        },
        false,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "errors, not warnings: {stderr}");
    let about_lines = std::fs::read_to_string(repo_path("tests/fixtures/minimal/pages/en/about.md"))
        .expect("the page")
        .lines()
        .count();
    for (message, location) in [
        ("error: the image /media/diagram.bmp will not be served", format!("pages/en/about.md:{}:1", about_lines + 2)),
        ("error: photo \"media/people/.ada.svg\" will not be served", "people/ada-example.toml:3:9".to_owned()),
        ("error: share_image \"media/leak.png\" will not be served", "site.toml:5:15".to_owned()),
    ] {
        assert!(stderr.contains(message), "{message}: {stderr}");
        assert!(stderr.contains(&location), "{location}: {stderr}");
    }
}

#[cfg(unix)]
#[test]
fn check_warns_about_media_the_site_will_not_serve_and_strict_fails() {
    let plant = |content: &Path, outside: &Path| {
        std::fs::write(content.join("media/people/steal.html"), SCRIPT).expect("planted");
        std::fs::write(outside.join("secret.png"), "not for the web").expect("planted");
        std::os::unix::fs::symlink(outside.join("secret.png"), content.join("media/leak.png")).expect("linked");
    };
    let check = |strict: bool| check_site(plant, strict);
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
