use futures_util::future::join_all;

use crate::helpers::{Page, repo_path, spawn_app, spawn_configured};

/// (path with query, the profile expected first)
const FIRST_RESULTS: &[(&str, &str)] = &[
    ("/search?q=kubernetes", "/profiles/devops-engineer"),
    ("/search?q=backend", "/profiles/backend-developer"),
    ("/search?q=data+scientist", "/profiles/data-scientist"),
    ("/search?q=figma", "/profiles/ux-ui-designer"),
    ("/search?q=penetration", "/profiles/security-engineer"),
    ("/search?q=SCRUM", "/profiles/scrum-master"),
    ("/search?q=scru", "/profiles/scrum-master"),
    ("/de/suche?q=entwickler", "/de/profile/app-entwickler"),
    ("/de/suche?q=Kubernetes", "/de/profile/devops-engineer"),
    ("/de/suche?q=qualitat", "/de/profile/softwaretester"),
    ("/de/suche?q=Qualit%C3%A4t", "/de/profile/softwaretester"),
    ("/de/suche?q=barrierefreiheit", "/de/profile/frontend-entwickler"),
];

fn results(page: &Page) -> Vec<String> {
    page.select_all(".search-results h2 a").iter().filter_map(|a| a.value().attr("href")).map(str::to_owned).collect()
}

#[tokio::test]
async fn searches_find_the_right_profile_first_in_both_languages() {
    let app = spawn_app().await;
    for (path, first) in FIRST_RESULTS {
        let page = app.page(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(results(&page).first().map(String::as_str), Some(*first), "{path}: {:?}", results(&page));
    }
    let page = app.page("/search?q=kubernetes").await;
    assert!(
        page.select_all(".snippet mark")
            .iter()
            .any(|m| m.text().collect::<String>().eq_ignore_ascii_case("kubernetes")),
        "the match is highlighted"
    );
    let german_words = app.page("/de/suche?q=entwickler").await;
    assert!(results(&german_words).iter().all(|href| href.starts_with("/de/profile/")), "one index per language");
}

#[tokio::test]
async fn filters_narrow_results_and_pages_follow() {
    let app = spawn_app().await;
    let all = results(&app.page("/search?q=python").await);
    let filtered = results(&app.page("/search?q=python&category=Data+%26+AI").await);
    assert!(!filtered.is_empty() && filtered.len() < all.len(), "{all:?} vs {filtered:?}");
    assert!(filtered.iter().all(|href| href.starts_with("/profiles/data-")), "{filtered:?}");
    let by_skill = results(&app.page("/search?q=developer&skill=Swift").await);
    assert_eq!(by_skill, ["/profiles/mobile-developer"]);
    let first_page = app.page("/search?q=team").await;
    assert_eq!(results(&first_page).len(), 10);
    let next = first_page.attr("a[rel=next]", "href").expect("a second page");
    let second = app.page(&next).await;
    assert!(!results(&second).is_empty());
    assert!(results(&second).iter().all(|href| !results(&first_page).contains(href)), "no repeats across pages");
}

#[tokio::test]
async fn any_input_gives_a_useful_page_and_never_an_error() {
    let app = spawn_app().await;
    let long = format!("/search?q={}", "a".repeat(10_000));
    for path in [
        "/search?q=%22",
        "/search?q=*",
        "/search?q=NEAR",
        "/search?q=kubernetes%20AND",
        "/search?q=((kubernetes",
        "/search?q=%22unbalanced%20(quote",
        "/search?q=-kubernetes",
        "/search?q=",
        "/search?q=java&q=python&page=1&page=2",
        "/search",
        "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/search?q=kubernetes&page=-3",
        "/search?q=kubernetes&page=99999",
        "/de/suche?q=%E2%80%94%20%F0%9F%98%80",
        long.as_str(),
    ] {
        let page = app.page(path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(!page.text_of(".search-summary").is_empty(), "{path}: the page says what happened");
        assert!(!page.text.contains("<script>alert(1)"), "{path}");
    }
    let page = app.page("/search?q=((kubernetes").await;
    assert_eq!(
        results(&page).first().map(String::as_str),
        Some("/profiles/devops-engineer"),
        "operators are searched as words"
    );
    let empty = app.page("/search").await;
    assert!(empty.text_of(".search-summary").contains("Type what you are looking for"));
    let header = app.page("/profiles/backend-developer").await;
    assert_eq!(header.attr("form.header-search", "action").as_deref(), Some("/search"));
    let german = app.page("/de").await;
    assert_eq!(german.attr("form.header-search", "action").as_deref(), Some("/de/suche"));
}

#[tokio::test]
async fn a_repeated_search_is_answered_from_the_cache_without_the_database() {
    use diesel::RunQueryDsl;
    let app = spawn_app().await;
    let first = results(&app.page("/search?q=kubernetes").await);
    assert_eq!(first.first().map(String::as_str), Some("/profiles/devops-engineer"));
    diesel::sql_query("DELETE FROM search_en")
        .execute(&mut app.pool().get().expect("connection"))
        .expect("index emptied behind the site's back");
    assert_eq!(results(&app.page("/search?q=Kubernetes").await), first, "the same search, from the cache");
    assert!(results(&app.page("/search?q=backend").await).is_empty(), "a new search does query the index");
    let metrics = app.get("/metrics").await.text().await.expect("body");
    assert!(metrics.contains("jobprofiles_searches_total{outcome=\"cached\"} 1"), "{metrics}");
    assert!(metrics.contains("jobprofiles_searches_total{outcome=\"queried\"} 2"), "{metrics}");
}

#[tokio::test]
async fn past_the_search_rate_limit_a_client_gets_429_with_retry_after_and_pages_stay_open() {
    let app = spawn_configured(
        |s| s.search.rate_limit = std::num::NonZeroU32::new(2).unwrap_or(std::num::NonZeroU32::MIN),
        repo_path("content"),
    )
    .await;
    assert_eq!(app.page("/search?q=kubernetes").await.status, 200);
    assert_eq!(app.page("/search?q=kubernetes").await.status, 200, "cached searches count too");
    let limited = app.get("/de/suche?q=kubernetes").await;
    assert_eq!(limited.status(), 429);
    let retry_after: u64 = limited.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert_eq!(limited.headers()["cache-control"], "no-store");
    let page = Page::from_text(limited.status(), limited.text().await.expect("body"));
    let summary = page.text_of(".search-summary");
    assert!(summary.contains("sehr oft gesucht"), "{summary}");
    assert!(summary.contains("einen Moment"), "Retry-After is seconds, not a minute: {summary}");
    assert_eq!(page.attr("#search-q", "value").as_deref(), Some("kubernetes"), "the query is kept");
    assert!(results(&page).is_empty());
    for path in ["/search", "/", "/profiles/devops-engineer", "/contact"] {
        assert_eq!(app.get(path).await.status(), 200, "{path} is not limited");
    }
}

#[tokio::test]
async fn two_letter_words_are_matched_whole_and_prefixes_start_at_three_letters() {
    let app = spawn_app().await;
    assert!(results(&app.page("/search?q=ku").await).is_empty(), "no word is `ku`");
    assert_eq!(
        results(&app.page("/search?q=kub").await).first().map(String::as_str),
        Some("/profiles/devops-engineer")
    );
}

#[tokio::test]
async fn the_filters_offer_each_category_and_hard_skill_of_the_language_once_in_order() {
    let app = spawn_app().await;
    for (path, category, skill) in [("/search", "Data & AI", "Swift"), ("/de/suche", "Daten & KI", "Swift")] {
        let page = app.page(path).await;
        let values = |select: &str| -> Vec<String> {
            page.select_all(&format!("{select} option")).iter().skip(1).map(|o| o.text().collect()).collect()
        };
        let categories = values("#search-category");
        let mut sorted = categories.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(categories, sorted, "{path}");
        assert!(categories.iter().any(|c| c == category), "{path}: {categories:?}");
        let skills = values("#search-skill");
        let mut sorted = skills.clone();
        sorted.sort_by_key(|s| s.to_lowercase());
        sorted.dedup();
        assert_eq!(skills, sorted, "{path}");
        assert!(skills.iter().any(|s| s == skill), "{path}: {skills:?}");
    }
    let by_skill = results(&app.page("/search?q=developer&skill=Swift").await);
    assert_eq!(by_skill, ["/profiles/mobile-developer"], "a facet still filters");
}

#[tokio::test]
async fn a_flood_of_searches_leaves_a_database_connection_for_the_hiring_form() {
    let app = std::sync::Arc::new(
        spawn_configured(
            |s| {
                s.db_max_connections = 2;
                // A request that finds no free connection fails almost at once: were searches to
                // take both, the hiring requests (and searches) would get 500 instead of waiting.
                s.db_pool_timeout_ms = 1;
                // The mail worker's poll would be a third user of the two connections.
                s.leads.outbox_poll_ms = 60_000;
                s.search.max_concurrent = std::num::NonZeroU32::new(8).unwrap_or(std::num::NonZeroU32::MIN);
                s.search.wait_ms = 0;
            },
            repo_path("content"),
        )
        .await,
    );
    let flood: Vec<_> = (0..40)
        .map(|task| {
            let app = app.clone();
            tokio::spawn(async move {
                let mut statuses = Vec::new();
                for i in 0..10 {
                    statuses.push(app.get(&format!("/search?q=team+developer+{task}x{i}")).await.status().as_u16());
                }
                statuses
            })
        })
        .collect();
    for request in 1..=5 {
        let form = app.open_form("/contact").await;
        let status = app.send(&form, crate::contact::VALID).await.status();
        assert_eq!(status, 303, "hiring request {request} gets through");
    }
    assert_eq!(app.leads().len(), 5, "and is stored");
    let statuses: Vec<u16> = join_all(flood).await.into_iter().flat_map(|task| task.expect("flood task")).collect();
    assert!(statuses.iter().all(|s| *s == 200 || *s == 503), "searches are answered or refused: {statuses:?}");
    assert!(statuses.contains(&503), "searches over the cap are refused rather than queued");
}

#[tokio::test]
async fn a_new_content_version_answers_searches_anew() {
    let (app, _dir, content) = crate::reload::app_on_editable_content().await;
    let before = app.page("/search?q=kubernetes").await;
    assert!(results(&before).is_empty(), "{:?}", results(&before));
    let profile = crate::reload::profile("en", "kubernetes-admin", "Kubernetes Admin");
    std::fs::write(content.join("profiles/en/kubernetes-admin.md"), profile).expect("written");
    let found = crate::reload::until(&app, "/search?q=kubernetes", |status, body| {
        status == 200 && body.contains("href=\"/profiles/kubernetes-admin\"")
    });
    assert!(found.await, "the cached empty answer went with the old version");
}

/// A synthetic role like the benchmark's: prose of common words, and in its body the titles of
/// its neighbours, more often than its own.
fn synthetic_role(n: usize) -> String {
    const WORDS: &[&str] = &["systems", "teams", "data", "quality", "delivery", "platform", "review", "release"];
    let prose: Vec<&str> = (0..120).map(|i| WORDS[(n * 7 + i * 3) % WORDS.len()]).collect();
    let neighbours = format!("Works beside Synthetic Role {} and Synthetic Role {}. ", n + 1, n.saturating_sub(1));
    format!(
        "+++\ntitle = \"Synthetic Role {n}\"\nslug = \"synthetic-role-{n}\"\nlang = \"en\"\ntranslation_key = \"synthetic-role-{n}\"\n\
         summary = \"A synthetic role number {n}: what it does and what it pays.\"\ncategory = \"Operations\"\n\
         hard_skills = [\"Python\", \"Skill {}\"]\nsoft_skills = [\"Communication\"]\ncontact = \"ada-example\"\nupdated = 2026-06-01\n\n\
         [[salary]]\nregion = \"Europe\"\ncurrency = \"EUR\"\nmin = 50000\nmax = 80000\nsource = \"Illustrative sample data\"\nas_of = 2026-01-01\n+++\n\
         ## What the role is\n\n{}\n\n## Who it works with\n\n{}\n",
        n % 5,
        prose.join(" "),
        neighbours.repeat(3)
    )
}

#[tokio::test]
async fn a_profile_whose_title_is_the_query_ranks_first_among_many_alike() {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("content");
    crate::helpers::copy_tree(&repo_path("tests/fixtures/minimal"), &content);
    const ROLES: usize = 45;
    for n in 0..ROLES {
        std::fs::write(content.join(format!("profiles/en/synthetic-role-{n}.md")), synthetic_role(n)).expect("written");
    }
    let app = crate::helpers::spawn_app_with(content).await;
    for n in [0, 1, 4, 12, 40, 44] {
        let path = format!("/search?q=Synthetic+Role+{n}");
        let found = results(&app.page(&path).await);
        assert_eq!(found.first(), Some(&format!("/profiles/synthetic-role-{n}")), "{path}: {found:?}");
    }
    let all = app.page("/search?q=synthetic").await;
    assert!(all.text_of(".search-summary").contains(&format!("{ROLES} profiles found")), "every match is counted");
    let last = app.page("/search?q=synthetic&page=5").await;
    assert_eq!(results(&last).len(), ROLES - 40, "the last page holds the rest");
    let filtered = app.page("/search?q=synthetic&skill=Skill+3").await;
    assert!(filtered.text_of(".search-summary").contains(&format!("{} profiles found", ROLES / 5)), "filtered count");
}

#[tokio::test]
async fn the_first_page_without_filters_is_one_cached_search_however_the_link_spells_it() {
    let app = spawn_app().await;
    for path in [
        "/search?q=kubernetes+python",
        "/search?q=Kubernetes+Python&page=1",
        "/search?q=kubernetes%20python&category=&skill=&page=1",
        "/search?page=1&q=kubernetes+python&category=No+such+category",
    ] {
        assert_eq!(app.page(path).await.status, 200, "{path}");
    }
    let metrics = app.get("/metrics").await.text().await.expect("body");
    assert!(metrics.contains("jobprofiles_searches_total{outcome=\"queried\"} 1"), "{metrics}");
    assert!(metrics.contains("jobprofiles_searches_total{outcome=\"cached\"} 3"), "{metrics}");
}
