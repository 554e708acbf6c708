//! The profiles index at scale: pages with their own canonical address, category pages, the
//! A–Z jump list, and the sitemap cut into parts per language.

use std::collections::{BTreeSet, HashMap};
use std::num::NonZeroUsize;

use jobprofiles::domain::{Lang, Profile};

use crate::helpers::{Page, TestApp, repo_path, spawn_configured};

const BASE: &str = "https://jobs.example.test";

/// The shipped content (12 profiles per language) with five profiles per index page.
async fn five_per_page() -> TestApp {
    spawn_configured(
        |s| s.listing.index_page_size = NonZeroUsize::new(5).unwrap_or(NonZeroUsize::MIN),
        repo_path("content"),
    )
    .await
}

fn shipped(lang: Lang) -> Vec<Profile> {
    let content = jobprofiles::content::load(&repo_path("content")).expect("shipped content is valid").content;
    content.profiles.iter().filter(|p| p.lang == lang).map(|p| Profile::clone(p)).collect()
}

fn cards(page: &Page) -> Vec<String> {
    page.select_all("main .card h3 a").iter().filter_map(|a| a.value().attr("href")).map(str::to_owned).collect()
}

fn head_link(page: &Page, rel: &str) -> Option<String> {
    page.attr(&format!("link[rel={rel}]"), "href").map(|href| href.strip_prefix(BASE).unwrap_or(&href).to_owned())
}

#[tokio::test]
async fn the_index_is_cut_into_pages_each_with_its_canonical_prev_and_next() {
    let app = five_per_page().await;
    let first = app.page("/profiles").await;
    assert_eq!(cards(&first).len(), 5);
    assert_eq!(head_link(&first, "canonical").as_deref(), Some("/profiles"));
    assert_eq!((head_link(&first, "prev"), head_link(&first, "next").as_deref()), (None, Some("/profiles?page=2")));

    let second = app.page("/profiles?page=2").await;
    assert_eq!(second.status, 200);
    assert_eq!(head_link(&second, "canonical").as_deref(), Some("/profiles?page=2"));
    assert_eq!(head_link(&second, "prev").as_deref(), Some("/profiles"));
    assert_eq!(head_link(&second, "next").as_deref(), Some("/profiles?page=3"));
    assert!(second.text_of("title").contains("Page 2 of 3"), "{}", second.text_of("title"));
    let nav = ".index-pages[aria-label]";
    assert_eq!(second.attr(&format!("{nav} a[aria-current=page]"), "href").as_deref(), Some("/profiles?page=2"));
    assert_eq!(second.attr(&format!("{nav} a[rel=prev]"), "href").as_deref(), Some("/profiles"));
    assert_eq!(second.attr(&format!("{nav} a[rel=next]"), "href").as_deref(), Some("/profiles?page=3"));

    let last = app.page("/profiles?page=3").await;
    assert_eq!(head_link(&last, "next"), None);
    assert_eq!(last.attr(".index-pages a[rel=next]", "href"), None);

    let listed: Vec<String> = [&first, &second, &last].into_iter().flat_map(cards).collect();
    let unique: BTreeSet<&String> = listed.iter().collect();
    let expected: BTreeSet<String> = shipped(Lang::En).iter().map(Profile::path).collect();
    assert_eq!(listed.len(), expected.len(), "every profile once: {listed:?}");
    assert_eq!(unique, expected.iter().collect(), "the pages together list every profile");

    let german = app.page("/de/profile?page=2").await;
    assert_eq!(head_link(&german, "canonical").as_deref(), Some("/de/profile?page=2"));
    assert_eq!(german.attr("link[rel=alternate][hreflang=en]", "href"), Some(format!("{BASE}/profiles?page=2")));
}

#[tokio::test]
async fn page_one_by_number_answers_301_to_the_address_without_it() {
    let app = five_per_page().await;
    for (path, target) in [
        ("/profiles?page=1", "/profiles"),
        ("/de/profile?page=1", "/de/profile"),
        ("/profiles/category/data-ai?page=1", "/profiles/category/data-ai"),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 301, "{path}");
        assert_eq!(response.headers()["location"], target, "{path}");
    }
}

#[tokio::test]
async fn a_page_out_of_range_or_a_malformed_page_is_404_and_other_queries_keep_the_canonical() {
    let app = five_per_page().await;
    for path in [
        "/profiles?page=4",
        "/profiles?page=0",
        "/profiles?page=02",
        "/profiles?page=%2B2",
        "/profiles?page=x",
        "/profiles?page=",
        "/profiles?page=2&page=3",
        "/profiles?page=99999999999999999999999",
        "/profiles/category/data-ai?page=2",
        "/de/profile?page=4",
    ] {
        for _ in 0..2 {
            let page = app.page(path).await;
            assert_eq!(page.status, 404, "{path}");
            assert_eq!(
                page.text_of("h1"),
                if path.starts_with("/de") { "Seite nicht gefunden" } else { "Page not found" }
            );
        }
    }
    app.page("/profiles").await;
    let tracked = app.page("/profiles?page=2&utm_source=mail").await;
    assert_eq!(tracked.status, 200);
    assert_eq!(head_link(&tracked, "canonical").as_deref(), Some("/profiles?page=2"));
    assert_ne!(cards(&tracked), cards(&app.page("/profiles").await), "page 2, not the cached page 1");
}

#[tokio::test]
async fn categories_are_links_to_an_index_of_their_own_and_an_unknown_category_is_404() {
    let app = five_per_page().await;
    let index = app.page("/profiles").await;
    let filters: Vec<(String, String)> = index
        .select_all(".index-filters[aria-label] a")
        .iter()
        .map(|a| (a.text().collect(), a.value().attr("href").unwrap_or_default().to_owned()))
        .collect();
    assert_eq!(filters.len(), 5, "all fields and four categories: {filters:?}");
    assert_eq!(filters[0], ("All fields".to_owned(), "/profiles".to_owned()));
    assert_eq!(index.attr(".index-filters a[aria-current]", "href").as_deref(), Some("/profiles"));
    let profiles = shipped(Lang::En);
    for (name, href) in &filters[1..] {
        let page = app.page(href).await;
        assert_eq!(page.status, 200, "{href}");
        assert_eq!(page.text_of("h1"), *name);
        assert_eq!(head_link(&page, "canonical").as_deref(), Some(href.as_str()));
        assert_eq!(page.attr(".index-filters a[aria-current]", "href").as_deref(), Some(href.as_str()));
        let expected: BTreeSet<String> = profiles.iter().filter(|p| &p.category == name).map(Profile::path).collect();
        assert_eq!(cards(&page).into_iter().collect::<BTreeSet<_>>(), expected, "{href}");
    }
    let german = app.page("/de/profile/kategorie/daten-ki").await;
    assert_eq!((german.status.as_u16(), german.text_of("h1")), (200, "Daten & KI".to_owned()));
    assert_eq!(
        (german.attr("a.lang-switch", "href").as_deref(), german.attr("a.lang-switch", "title").as_deref()),
        (Some("/profiles"), Some("The site in English")),
        "a category has no translation: the switch says it leads to the other index, not to this page translated"
    );
    assert_eq!(index.attr("a.lang-switch", "title").as_deref(), Some("Diese Seite auf Deutsch"));
    let variant = app.get("/profiles/category/Data-AI/").await;
    assert_eq!(variant.status(), 301);
    assert_eq!(variant.headers()["location"], "/profiles/category/data-ai", "a variant goes to the canonical address");
    for path in ["/profiles/category/no-such-field", "/profiles/category/data-ai-2", "/de/profile/kategorie/data-ai"] {
        assert_eq!(app.get(path).await.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn letters_with_profiles_link_to_where_they_start_and_the_others_are_not_links() {
    let app = five_per_page().await;
    let index = app.page("/profiles?page=2").await;
    let initials: BTreeSet<char> =
        shipped(Lang::En).iter().filter_map(|p| p.title.chars().next()).map(|c| c.to_ascii_uppercase()).collect();
    let links: HashMap<String, String> = index
        .select_all(".index-letters[aria-label] a")
        .iter()
        .map(|a| (a.text().collect(), a.value().attr("href").unwrap_or_default().to_owned()))
        .collect();
    let linked: BTreeSet<char> = links.keys().filter_map(|letter| letter.chars().next()).collect();
    assert_eq!(linked, initials);
    let plain: Vec<String> = index.select_all(".index-letters span").iter().map(|s| s.text().collect()).collect();
    assert_eq!(plain.len() + links.len(), 26, "every letter from A to Z once");
    for (letter, href) in &links {
        let (path, anchor) = href.split_once('#').expect("an anchor");
        let target = if path.is_empty() { app.page("/profiles?page=2").await } else { app.page(path).await };
        let heading = target.text_of(&format!("section h2#{anchor}"));
        assert_eq!(&heading, letter, "{href}");
        let first = target.text_of(&format!("section[aria-labelledby={anchor}] .card h3"));
        assert!(first.starts_with(letter.as_str()), "{href}: {first}");
        let previous_page = target.attr(".index-pages a[rel=prev]", "href");
        if let Some(previous) = previous_page {
            let before = app.page(&previous).await;
            assert!(before.select_all(&format!("h2#{anchor}")).is_empty(), "{letter} starts on {path}, not before");
        }
    }
}

#[tokio::test]
async fn the_sitemap_is_an_index_of_parts_per_language_listing_every_public_profile_once() {
    let app = spawn_configured(
        |s| s.listing.sitemap_max_urls = NonZeroUsize::new(10).unwrap_or(NonZeroUsize::MIN),
        repo_path("content"),
    )
    .await;
    let index = app.get("/sitemap.xml").await.text().await.expect("body");
    let document = roxmltree::Document::parse(&index).expect("well-formed XML");
    assert_eq!(document.root_element().tag_name().name(), "sitemapindex");
    let parts: Vec<String> = document
        .descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .filter_map(|n| n.text())
        .map(|url| url.strip_prefix(BASE).unwrap_or(url).to_owned())
        .collect();
    let expected_parts: Vec<String> =
        ["en", "de"].iter().flat_map(|lang| (1..=3).map(move |n| format!("/sitemap-{lang}-{n}.xml"))).collect();
    assert_eq!(parts, expected_parts, "22 addresses per language in parts of 10");
    let mut listed: HashMap<String, usize> = HashMap::new();
    for part in &parts {
        let response = app.get(part).await;
        assert_eq!(response.status(), 200, "{part}");
        let text = response.text().await.expect("body");
        let document = roxmltree::Document::parse(&text).expect("well-formed XML");
        let urls: Vec<&str> = document
            .root_element()
            .children()
            .filter(|n| n.tag_name().name() == "url")
            .filter_map(|url| url.children().find(|c| c.tag_name().name() == "loc").and_then(|loc| loc.text()))
            .collect();
        assert!(!urls.is_empty() && urls.len() <= 10, "{part}: {}", urls.len());
        let german = part.contains("-de-");
        for url in urls {
            let path = url.strip_prefix(BASE).unwrap_or(url);
            assert_eq!(path == "/de" || path.starts_with("/de/"), german, "{part} lists {path}");
            *listed.entry(path.to_owned()).or_default() += 1;
        }
    }
    for lang in Lang::ALL {
        for profile in shipped(lang) {
            assert_eq!(listed.get(&profile.path()), Some(&1), "{} once", profile.path());
        }
    }
    assert!(listed.values().all(|&n| n == 1), "no address twice");
    for missing in ["/sitemap-en-4.xml", "/sitemap-en-0.xml", "/sitemap-en-01.xml", "/sitemap-fr-1.xml"] {
        assert_eq!(app.get(missing).await.status(), 404, "{missing}");
    }
    let robots = app.get("/robots.txt").await.text().await.expect("body");
    assert!(robots.contains(&format!("Sitemap: {BASE}/sitemap.xml")), "{robots}");
}
