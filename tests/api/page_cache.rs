//! The page cache within its memory budget: pages still right, the least recently used ones
//! dropped and rendered again, every byte it holds counted in `/metrics`.

use jobprofiles::configuration::MemoryBudget;

use crate::helpers::{TestApp, repo_path, spawn_app, spawn_configured};

const PROFILES: [&str; 12] = [
    "backend-developer",
    "cloud-architect",
    "data-engineer",
    "data-scientist",
    "devops-engineer",
    "frontend-developer",
    "full-stack-developer",
    "mobile-developer",
    "qa-engineer",
    "scrum-master",
    "security-engineer",
    "ux-ui-designer",
];

pub async fn metric(app: &TestApp, name: &str) -> u64 {
    let text = app.get("/metrics").await.text().await.expect("body");
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("{name} in {text}"))
}

async fn body(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.expect("body")
}

/// The pages as a cache without a tight budget sends them.
async fn reference_pages() -> Vec<(String, String)> {
    let app = spawn_app().await;
    let mut pages = Vec::new();
    for slug in PROFILES {
        let path = format!("/profiles/{slug}");
        pages.push((path.clone(), body(&app, &path).await));
    }
    pages
}

/// Room for about three of the pages.
fn budget_for_three(pages: &[(String, String)]) -> usize {
    3 * (pages.iter().map(|(_, html)| html.len()).max().unwrap_or(0) + 1_000)
}

#[tokio::test]
async fn pages_over_the_budget_are_evicted_and_rendered_again_unchanged() {
    let pages = reference_pages().await;
    let budget = budget_for_three(&pages);
    let app = spawn_configured(|s| s.page_cache_mb = MemoryBudget::from_bytes(budget), repo_path("content")).await;
    for _ in 0..2 {
        for (path, html) in &pages {
            assert_eq!(&body(&app, path).await, html, "{path} as an unbounded cache sends it");
            let held = metric(&app, "jobprofiles_page_cache_bytes").await;
            assert!(held <= budget as u64, "{held} bytes held, budget {budget}");
        }
    }
    assert!(metric(&app, "jobprofiles_page_cache_evictions_total").await > 0);
    assert!(
        metric(&app, "jobprofiles_page_cache_misses_total").await >= 2 * pages.len() as u64,
        "every page was rendered again on its second round"
    );
}

#[tokio::test]
async fn a_page_in_steady_use_stays_while_others_are_evicted() {
    let pages = reference_pages().await;
    let app = spawn_configured(
        |s| s.page_cache_mb = MemoryBudget::from_bytes(budget_for_three(&pages)),
        repo_path("content"),
    )
    .await;
    let (favourite, _) = &pages[0];
    for (path, _) in &pages[1..] {
        body(&app, favourite).await;
        body(&app, path).await;
    }
    let hits = metric(&app, "jobprofiles_page_cache_hits_total").await;
    let misses = metric(&app, "jobprofiles_page_cache_misses_total").await;
    assert!(metric(&app, "jobprofiles_page_cache_evictions_total").await > 0);
    assert_eq!(misses, pages.len() as u64, "the favourite was rendered once, each other page once");
    body(&app, favourite).await;
    assert_eq!(metric(&app, "jobprofiles_page_cache_hits_total").await, hits + 1);
    assert_eq!(metric(&app, "jobprofiles_page_cache_misses_total").await, misses);
}

#[tokio::test]
async fn compressed_forms_count_in_the_bytes_held() {
    let app = spawn_app().await;
    body(&app, "/profiles/backend-developer").await;
    let plain = metric(&app, "jobprofiles_page_cache_bytes").await;
    let brotli = app
        .client
        .get(format!("{}/profiles/backend-developer", app.address))
        .header("Accept-Encoding", "br")
        .send()
        .await
        .expect("sent");
    assert_eq!(brotli.headers().get("content-encoding").map(|v| v.as_bytes()), Some(&b"br"[..]));
    let compressed = brotli.bytes().await.expect("body").len() as u64;
    assert_eq!(metric(&app, "jobprofiles_page_cache_bytes").await, plain + compressed);
}

#[tokio::test]
async fn a_budget_of_zero_keeps_nothing_and_still_serves_every_page() {
    let app = spawn_configured(|s| s.page_cache_mb = MemoryBudget::from_bytes(0), repo_path("content")).await;
    let first = body(&app, "/profiles/backend-developer").await;
    assert_eq!(body(&app, "/profiles/backend-developer").await, first);
    assert_eq!(metric(&app, "jobprofiles_page_cache_misses_total").await, 2);
    assert_eq!(metric(&app, "jobprofiles_page_cache_hits_total").await, 0);
    assert_eq!(metric(&app, "jobprofiles_page_cache_bytes").await, 0);
}

#[tokio::test]
async fn a_page_too_big_for_the_budget_is_sent_without_evicting_the_others() {
    let mut pages = reference_pages().await;
    pages.sort_by_key(|(_, html)| html.len());
    let ((small, _), (big, big_html)) = (&pages[0], &pages[pages.len() - 1]);
    // The big page fits the budget, but not in the seven eighths that eviction leaves.
    let budget = (big_html.len() + 1_000) * 11 / 10;
    let app = spawn_configured(|s| s.page_cache_mb = MemoryBudget::from_bytes(budget), repo_path("content")).await;
    body(&app, small).await;
    assert_eq!(&body(&app, big).await, big_html);
    body(&app, small).await;
    assert_eq!(metric(&app, "jobprofiles_page_cache_hits_total").await, 1, "the small page stayed");
    assert_eq!(metric(&app, "jobprofiles_page_cache_evictions_total").await, 0);
}
