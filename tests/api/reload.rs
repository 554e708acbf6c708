use std::path::PathBuf;
use std::time::Duration;

use serde_json::Value;

use crate::helpers::{TestApp, copy_tree, eventually, repo_path, settings, spawn};

/// The app on a copy of the minimal site that an editor can change, with the watcher on.
pub(crate) async fn app_on_editable_content() -> (TestApp, tempfile::TempDir, PathBuf) {
    app_on_editable_content_with(|_| {}).await
}

/// Like [`app_on_editable_content`], with settings changed by `adjust`.
async fn app_on_editable_content_with(
    adjust: impl FnOnce(&mut jobprofiles::configuration::Settings),
) -> (TestApp, tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("content");
    copy_tree(&repo_path("tests/fixtures/minimal"), &content);
    let mut settings = settings(content.clone(), dir.path().join("reload.db"));
    settings.no_watch = false;
    adjust(&mut settings);
    let app = spawn(settings, None).await;
    (app, dir, content)
}

pub(crate) fn profile(lang: &str, slug: &str, title: &str) -> String {
    let (key, body) = match lang {
        "en" => ("kubernetes-admin", "## What they do\n\nThey run Kubernetes clusters for product teams.\n"),
        _ => ("kubernetes-admin", "## Was sie tun\n\nSie betreiben Kubernetes-Cluster für Produktteams.\n"),
    };
    format!(
        "+++\ntitle = \"{title}\"\nslug = \"{slug}\"\nlang = \"{lang}\"\ntranslation_key = \"{key}\"\n\
         summary = \"Who keeps the clusters running, what it pays and how to hire.\"\ncategory = \"Operations\"\n\
         hard_skills = [\"Kubernetes\", \"Helm\"]\nsoft_skills = [\"Calm\"]\ncontact = \"ada-example\"\nupdated = 2026-02-01\n\n\
         [[salary]]\nregion = \"Europe\"\ncurrency = \"EUR\"\nmin = 60000\nmax = 90000\nsource = \"Illustrative sample data\"\nas_of = 2026-01-01\n+++\n{body}"
    )
}

async fn body_of(app: &TestApp, path: &str) -> (u16, String) {
    let response = app.get(path).await;
    (response.status().as_u16(), response.text().await.unwrap_or_default())
}

pub(crate) async fn until(app: &TestApp, path: &str, check: impl Fn(u16, &str) -> bool) -> bool {
    let answer = async || Some(body_of(app, path).await).filter(|(status, body)| check(*status, body));
    eventually(Duration::from_secs(10), answer).await.is_some()
}

#[tokio::test]
async fn an_editor_adds_breaks_fixes_and_deletes_a_profile_while_the_site_runs() {
    let (app, _dir, content) = app_on_editable_content().await;
    let en = content.join("profiles/en/kubernetes-admin.md");
    let de = content.join("profiles/de/kubernetes-administrator.md");

    std::fs::write(&de, profile("de", "kubernetes-administrator", "Kubernetes-Administrator")).expect("written");
    // An editor's save-by-rename: write a hidden temporary file, then move it into place.
    let temporary = content.join("profiles/en/.kubernetes-admin.md.swp");
    std::fs::write(&temporary, profile("en", "kubernetes-admin", "Kubernetes Admin")).expect("written");
    std::fs::rename(&temporary, &en).expect("renamed");
    assert!(until(&app, "/profiles", |s, b| s == 200 && b.contains("Kubernetes Admin")).await, "appears on the index");
    assert!(until(&app, "/search?q=kubern", |_, b| b.contains("/profiles/kubernetes-admin")).await, "and in search");

    let broken = profile("en", "kubernetes-admin", "Kubernetes Admin").replace("min = 60000", "min = \"sixty\"");
    std::fs::write(&en, broken).expect("written");
    let failed = eventually(Duration::from_secs(10), async || {
        let status: Value = serde_json::from_str(&body_of(&app, "/readyz").await.1).expect("JSON");
        Some(status).filter(|status| status["content"]["failed"] == true)
    })
    .await
    .expect("the broken file is reported");
    assert!(!failed.to_string().contains("sixty"), "no source text in public: {failed}");
    let locations = failed["content"]["error_locations"].as_array().cloned().unwrap_or_default();
    assert_eq!(locations, ["profiles/en/kubernetes-admin.md:16:7"], "the error names file, line and column");
    let (status, page) = body_of(&app, "/profiles/kubernetes-admin").await;
    assert_eq!(status, 200, "the last good version is still served");
    assert!(page.contains("Kubernetes Admin"));

    std::fs::write(&en, profile("en", "kubernetes-admin", "Kubernetes Administrator")).expect("written");
    assert!(
        until(&app, "/profiles/kubernetes-admin", |s, b| s == 200 && b.contains("Kubernetes Administrator")).await,
        "recovers"
    );
    let status: Value = serde_json::from_str(&body_of(&app, "/readyz").await.1).expect("JSON");
    assert_eq!(status["content"]["failed"], false, "{status}");

    std::fs::remove_file(&en).expect("deleted");
    std::fs::remove_file(&de).expect("deleted");
    assert!(until(&app, "/profiles/kubernetes-admin", |s, _| s == 410).await, "a removed profile is gone, not missing");
    assert_eq!(body_of(&app, "/de/profile/kubernetes-administrator").await.0, 410);
    assert_eq!(body_of(&app, "/profiles/never-existed").await.0, 404);
}

/// The app on a copy of the sample site that an editor can change, with the watcher on.
pub(crate) async fn app_on_editable_sample_site() -> (TestApp, tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("content");
    copy_tree(&repo_path("content"), &content);
    let mut settings = settings(content.clone(), dir.path().join("reload.db"));
    settings.no_watch = false;
    let app = spawn(settings, None).await;
    (app, dir, content)
}

async fn metric(app: &TestApp, name: &str) -> u64 {
    let text = app.get("/metrics").await.text().await.expect("body");
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("{name} in {text}"))
}

fn retitle(file: &std::path::Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).expect("read");
    let line = format!("title = \"{from}\"");
    assert!(text.contains(&line), "{} has {line}", file.display());
    std::fs::write(file, text.replacen(&line, &format!("title = \"{to}\""), 1)).expect("written");
}

#[tokio::test]
async fn a_save_in_two_writes_is_published_one_debounce_after_the_last_write() {
    let (app, _dir, content) = app_on_editable_content_with(|settings| settings.watch_debounce_ms = 600).await;
    let en = content.join("profiles/en/kubernetes-admin.md");

    let started = std::time::Instant::now();
    std::fs::write(&en, profile("en", "kubernetes-admin", "Kubernetes Admin")).expect("written");
    tokio::time::sleep(Duration::from_millis(100)).await;
    std::fs::write(&en, profile("en", "kubernetes-admin", "Kubernetes Operator")).expect("written");
    assert!(until(&app, "/profiles/kubernetes-admin", |s, b| s == 200 && b.contains("Kubernetes Operator")).await);
    let seen = started.elapsed();
    // Quiet for 600 ms after the second write (at 100 ms): published from 700 ms on, well before
    // the 1,200 ms of a debounce counted in fixed windows from the first write.
    assert!(
        seen >= Duration::from_millis(700),
        "published {seen:?} after the first write: before the folder was quiet"
    );
    assert!(
        seen < Duration::from_millis(1_150),
        "published {seen:?} after the first write: waited more than one quiet debounce"
    );
}

#[tokio::test]
async fn a_profile_file_that_is_a_symbolic_link_is_published_like_any_other() {
    let (app, dir, content) = app_on_editable_content().await;
    let elsewhere = dir.path().join("kubernetes-admin.md");
    std::fs::write(&elsewhere, profile("en", "kubernetes-admin", "Kubernetes Admin")).expect("written");
    std::os::unix::fs::symlink(&elsewhere, content.join("profiles/en/kubernetes-admin.md")).expect("linked");
    assert!(until(&app, "/profiles/kubernetes-admin", |s, b| s == 200 && b.contains("Kubernetes Admin")).await);
}

#[tokio::test]
async fn an_edited_title_shows_everywhere_the_profile_is_listed() {
    let (app, _dir, content) = app_on_editable_sample_site().await;
    let listing = ["/profiles/data-scientist", "/profiles/data-engineer", "/profiles", "/"];
    for path in listing {
        assert!(body_of(&app, path).await.1.contains("Data Scientist"), "{path} shows the title before the edit");
    }

    retitle(&content.join("profiles/en/data-scientist.md"), "Data Scientist", "Machine Learning Scientist");

    assert!(until(&app, "/profiles/data-scientist", |s, b| s == 200 && b.contains("Machine Learning Scientist")).await);
    for path in listing {
        let (status, page) = body_of(&app, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(page.contains("Machine Learning Scientist"), "{path} shows the new title");
        assert!(!page.contains(">Data Scientist<"), "{path} no longer shows the old title");
    }
}

#[tokio::test]
async fn an_edit_leaves_pages_that_do_not_show_the_edited_profile_cached() {
    let (app, _dir, content) = app_on_editable_sample_site().await;
    let unrelated = "/profiles/mobile-developer";
    body_of(&app, unrelated).await;
    body_of(&app, "/about").await;

    retitle(&content.join("profiles/en/data-scientist.md"), "Data Scientist", "Machine Learning Scientist");
    assert!(until(&app, "/profiles", |s, b| s == 200 && b.contains("Machine Learning Scientist")).await);

    let (hits, misses) = (
        metric(&app, "jobprofiles_page_cache_hits_total").await,
        metric(&app, "jobprofiles_page_cache_misses_total").await,
    );
    assert_eq!(body_of(&app, unrelated).await.0, 200);
    assert_eq!(body_of(&app, "/about").await.0, 200);
    assert_eq!(metric(&app, "jobprofiles_page_cache_misses_total").await, misses, "nothing rendered again");
    assert_eq!(metric(&app, "jobprofiles_page_cache_hits_total").await, hits + 2, "both answered from the cache");
}

#[tokio::test]
async fn a_removed_profile_is_gone_from_its_page_the_index_and_its_translation() {
    let (app, _dir, content) = app_on_editable_sample_site().await;
    let (removed, twin) = ("/profiles/mobile-developer", "/de/profile/app-entwickler");
    for path in [removed, twin, "/profiles"] {
        assert!(body_of(&app, path).await.1.contains(removed), "{path} links to the profile before");
    }

    std::fs::remove_file(content.join("profiles/en/mobile-developer.md")).expect("deleted");

    assert!(until(&app, removed, |s, _| s == 410).await, "a removed profile is gone");
    for path in [twin, "/profiles"] {
        let (status, page) = body_of(&app, path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!page.contains(removed), "{path} no longer links to the removed profile");
    }
}

#[tokio::test]
async fn a_removed_profile_put_back_is_served_again_not_gone() {
    let (app, _dir, content) = app_on_editable_sample_site().await;
    let file = content.join("profiles/en/mobile-developer.md");
    let text = std::fs::read_to_string(&file).expect("read");

    std::fs::remove_file(&file).expect("deleted");
    assert!(until(&app, "/profiles/mobile-developer", |s, _| s == 410).await, "gone while removed");
    std::fs::write(&file, text).expect("written back");

    assert!(until(&app, "/profiles/mobile-developer", |s, _| s == 200).await, "served again once back");
    assert!(body_of(&app, "/profiles").await.1.contains("/profiles/mobile-developer"), "listed again");
}

#[tokio::test]
async fn a_public_address_added_to_a_person_and_taken_away_again_shows_and_goes() {
    let (app, _dir, content) = app_on_editable_content().await;
    let person = content.join("people/ada-example.toml");
    let original = std::fs::read_to_string(&person).expect("readable");
    let with_address = original
        .replace("email = \"ada@example.com\"\n", "email = \"ada@example.com\"\npublic_email = \"ada@firm.example\"\n");
    assert_ne!(with_address, original);
    std::fs::write(&person, &with_address).expect("written");
    assert!(
        until(&app, "/profiles/tester", |status, body| status == 200 && body.contains("ada@firm.example")).await,
        "the card writes out the address once published"
    );
    std::fs::write(&person, &original).expect("written");
    assert!(
        until(&app, "/profiles/tester", |status, body| status == 200 && !body.contains("ada@firm.example")).await,
        "an address taken out of the file is gone from the stored person, not kept"
    );
    assert!(!body_of(&app, "/profiles/tester").await.1.contains("ada@example.com"));
}
