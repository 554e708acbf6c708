use std::time::Duration;

use crate::admin::{PASSWORD, STAFF, Staff, add_user};
use jobprofiles::security::{FormTokens, Secret};

use crate::helpers::{Page, TestApp, copy_tree, eventually, repo_path, settings, spawn};

const DRAFT: &str = r#"+++
title = "Prompt Engineer"
slug = "prompt-engineer"
lang = "en"
translation_key = "prompt-engineer"
summary = "A role we are still writing about."
category = "Quality"
hard_skills = ["Writing"]
soft_skills = ["Patience"]
updated = 2026-01-20
draft = true

[[salary]]
region = "Europe"
currency = "EUR"
min = 50000
max = 70000
source = "Illustrative sample data"
as_of = 2026-01-01
+++
## What a prompt engineer does

Writes instructions for language models, unpublished.
"#;

async fn app_with(
    files: &[(&str, String)],
    configure: impl FnOnce(&mut jobprofiles::configuration::Settings),
) -> (TestApp, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("content");
    copy_tree(&repo_path("tests/fixtures/minimal"), &content);
    for (path, text) in files {
        std::fs::write(content.join(path), text).expect("written");
    }
    let mut settings = settings(content, dir.path().join("drafts.db"));
    configure(&mut settings);
    let app = spawn(settings, None).await;
    assert!(add_user(&app, STAFF, PASSWORD).status.success());
    (app, dir)
}

/// Asks, as staff, for a reviewer's link to the draft; returns its path on the site.
async fn preview_link(app: &TestApp, staff: &Staff) -> String {
    let response = app
        .post_with(
            "/admin/drafts/preview",
            &staff.cookies,
            &[("csrf_token", &staff.csrf), ("lang", "en"), ("slug", "prompt-engineer")],
        )
        .await;
    let page = Page::from_text(response.status(), response.text().await.expect("body"));
    let link = page.attr(".notice a", "href").expect("a preview link");
    link.strip_prefix("https://jobs.example.test").expect("on the site").to_owned()
}

#[tokio::test]
async fn a_draft_is_nowhere_in_public_and_shown_to_staff_with_a_banner() {
    let (app, _dir) = app_with(&[("profiles/en/prompt-engineer.md", DRAFT.to_owned())], |_| {}).await;
    assert_eq!(app.get("/profiles/prompt-engineer").await.status(), 404);
    for path in ["/profiles", "/sitemap.xml", "/feed.xml", "/search?q=prompt"] {
        let text = app.get(path).await.text().await.expect("body");
        assert!(!text.contains("prompt-engineer") && !text.contains("Prompt Engineer"), "{path} shows the draft");
    }
    let staff = app.login().await;
    let page = Page::from_text(
        reqwest::StatusCode::OK,
        app.get_with("/profiles/prompt-engineer", &staff.cookies).await.text().await.expect("body"),
    );
    assert_eq!(page.text_of("h1"), "Prompt Engineer");
    assert!(page.text_of(".banner").starts_with("Draft: only staff see this page"));
    assert_eq!(page.attr("meta[name=robots]", "content").as_deref(), Some("noindex"));
    let drafts = app.get_with("/admin/drafts", &staff.cookies).await.text().await.expect("body");
    assert!(drafts.contains("Prompt Engineer") && drafts.contains("draft"));
}

#[tokio::test]
async fn a_drafts_address_answers_visitors_404_that_no_cache_may_keep() {
    let (app, _dir) = app_with(&[("profiles/en/prompt-engineer.md", DRAFT.to_owned())], |_| {}).await;
    let draft = app.get("/profiles/prompt-engineer").await;
    assert_eq!(draft.status(), 404);
    let caching = draft.headers().get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(caching, "no-store", "staff get the page at this address once logged in");
    let nothing = app.get("/profiles/no-such-role").await;
    let caching = nothing.headers().get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(caching, "public, max-age=60", "an address with nothing behind it may still be kept");
}

#[tokio::test]
async fn a_signed_preview_link_shows_a_draft_to_a_reviewer_until_it_expires() {
    let (app, _dir) =
        app_with(&[("profiles/en/prompt-engineer.md", DRAFT.to_owned())], |s| s.admin.preview_link_days = 1).await;
    let staff = app.login().await;
    let path = preview_link(&app, &staff).await;
    let preview = app.page(&path).await;
    assert_eq!(preview.status, 200, "no account needed");
    assert!(preview.text_of(".banner").starts_with("Preview: this page is not published yet"));
    assert_eq!(app.get(&format!("{path}0")).await.status(), 404, "a tampered link shows nothing");
    let forged = path.replace("prompt-engineer", "tester");
    assert_eq!(app.get(&forged).await.status(), 404, "a link for one profile does not open another");
}

#[tokio::test]
async fn an_expired_preview_link_shows_nothing() {
    let secret = Secret::new("k".repeat(32));
    let (app, _dir) =
        app_with(&[("profiles/en/prompt-engineer.md", DRAFT.to_owned())], |s| s.secret_key = Some(secret.clone()))
            .await;
    let staff = app.login().await;
    let path = preview_link(&app, &staff).await;
    assert_eq!(app.get(&path).await.status(), 200, "the link as issued");
    // The same link signed with the site's key, but with an expiry a second gone.
    let expired = time::OffsetDateTime::now_utc() - Duration::from_secs(1);
    let token = FormTokens::new(secret, Duration::ZERO).preview_token("en", "prompt-engineer", expired);
    assert_eq!(app.get(&format!("/preview/{token}")).await.status(), 404);
}

/// `publish_at` written as RFC 3339 with milliseconds, `after` from now.
fn publish_at_after(after: time::Duration) -> String {
    let at = time::OffsetDateTime::now_utc() + after;
    let at = at.replace_nanosecond(u32::from(at.millisecond()) * 1_000_000).expect("whole milliseconds");
    format!("publish_at = {}", at.format(&time::format_description::well_known::Rfc3339).expect("formatted"))
}

#[tokio::test]
async fn a_profile_with_publish_at_goes_public_by_itself_when_the_time_comes() {
    let scheduled = |after| DRAFT.replace("draft = true", &publish_at_after(after));
    let (app, dir) = app_with(&[("profiles/en/prompt-engineer.md", scheduled(time::Duration::days(1)))], |s| {
        s.no_watch = false;
        s.publish_check_ms = Some(20);
    })
    .await;
    assert_eq!(app.get("/profiles/prompt-engineer").await.status(), 404, "not before its time");
    let staff = app.login().await;
    let early = Page::from_text(
        reqwest::StatusCode::OK,
        app.get_with("/profiles/prompt-engineer", &staff.cookies).await.text().await.expect("body"),
    );
    assert!(early.text_of(".banner").starts_with("Scheduled: this page becomes public on"));
    // The editor brings the time forward. The scheduler, not the reload, must publish it: the
    // reload has to be seen still scheduled, so a slow machine retries with more time to spare.
    let profile = dir.path().join("content/profiles/en/prompt-engineer.md");
    let mut scheduled_by_reload = false;
    for (attempt, ahead) in [300, 1_000, 3_000].into_iter().enumerate() {
        let summary = format!("Brought forward, attempt {attempt}.");
        let text =
            scheduled(time::Duration::milliseconds(ahead)).replace("A role we are still writing about.", &summary);
        std::fs::write(&profile, text).expect("written");
        let reloaded = eventually(Duration::from_secs(10), async || {
            let body = app.get_with("/profiles/prompt-engineer", &staff.cookies).await.text().await.ok()?;
            body.contains(&summary).then_some(body)
        })
        .await
        .expect("the change is reloaded");
        let page = Page::from_text(reqwest::StatusCode::OK, reloaded);
        if page.text_of(".banner").starts_with("Scheduled:") {
            scheduled_by_reload = true;
            break;
        }
    }
    assert!(scheduled_by_reload, "the reload saw the profile still scheduled");
    let public = eventually(Duration::from_secs(10), async || {
        (app.get("/profiles/prompt-engineer").await.status() == 200).then_some(())
    })
    .await;
    assert!(public.is_some(), "published after its time");
    assert!(app.get("/profiles").await.text().await.expect("body").contains("Prompt Engineer"));
    assert!(app.get("/search?q=prompt").await.text().await.expect("body").contains("/profiles/prompt-engineer"));
}

#[tokio::test]
async fn a_scheduled_profile_is_neither_found_nor_counted_by_search_before_its_time() {
    let scheduled = DRAFT.replace("draft = true", &publish_at_after(time::Duration::days(1)));
    let published = DRAFT.replace("draft = true\n", "").replace("prompt-engineer", "prompt-reviewer");
    let (app, _dir) = app_with(
        &[("profiles/en/prompt-engineer.md", scheduled), ("profiles/en/prompt-reviewer.md", published)],
        |_| {},
    )
    .await;
    let page = app.page("/search?q=prompt").await;
    let found: Vec<String> = page
        .select_all(".search-results h2 a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .map(str::to_owned)
        .collect();
    assert_eq!(found, ["/profiles/prompt-reviewer"]);
    assert_eq!(page.text_of(".search-summary"), "One profile found.", "the scheduled one is not counted");
}
