use crate::helpers::{Page, spawn_app};

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
