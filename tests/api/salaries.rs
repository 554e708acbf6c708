//! The salaries page: every published role's salary rows side by side, one table per currency and
//! period, filtered and ordered by plain links.

use jobprofiles::content;
use jobprofiles::domain::{Lang, paths::Localized};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Page, repo_path, spawn_app};
use crate::page_cache::metric;

/// What an English page prints before or in front of each currency's amounts.
const SYMBOLS: [(&str, &str); 4] = [("eur", "€"), ("usd", "$"), ("gbp", "£"), ("chf", "CHF")];

fn tables(page: &Page) -> Vec<String> {
    page.select_all(".salary-table table")
        .iter()
        .filter_map(|t| t.value().attr("aria-labelledby"))
        .map(str::to_owned)
        .collect()
}

fn cells(page: &Page, table: &str, column: usize) -> Vec<String> {
    let selector = format!("table[aria-labelledby=\"{table}\"] tbody tr > :nth-child({column})");
    page.select_all(&selector).iter().map(|cell| cell.text().collect::<String>().trim().to_owned()).collect()
}

/// Where the filter or sort link that says `label` leads.
fn filter_link(page: &Page, label: &str) -> String {
    page.select_all(".salary-filters a")
        .iter()
        .find(|a| a.text().collect::<String>() == label)
        .and_then(|a| a.value().attr("href"))
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("a link saying {label}"))
}

fn amounts(text: &str) -> Vec<u64> {
    text.split(['–', ' ', '\u{a0}'])
        .map(|part| part.chars().filter(char::is_ascii_digit).collect::<String>())
        .filter(|digits| !digits.is_empty())
        .map(|digits| digits.parse().expect("digits"))
        .collect()
}

#[tokio::test]
async fn every_published_role_is_listed_with_one_currency_and_period_per_table_and_links_to_its_profile() {
    let app = spawn_app().await;
    let loaded = content::load(&repo_path("content")).expect("valid").content;
    for lang in Lang::ALL {
        let page = app.page(Localized::Salaries.path(lang)).await;
        assert_eq!(page.status, StatusCode::OK);
        let profiles: Vec<_> = loaded.profiles.iter().filter(|p| p.lang == lang).collect();
        let rows = page.select_all(".salary-table tbody tr").len();
        assert_eq!(rows, profiles.iter().map(|p| p.salaries.len()).sum::<usize>(), "{lang}: every row once");
        let links: Vec<String> = page
            .select_all(".salary-table tbody th a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .map(str::to_owned)
            .collect();
        for profile in &profiles {
            assert!(links.contains(&profile.path()), "{lang}: {} is linked", profile.path());
        }
        for link in links.iter().take(3) {
            assert_eq!(app.get(link).await.status(), StatusCode::OK, "{link}");
        }
        let sources = page.text_of(".salary-table tbody");
        let (illustrative, as_of) = match lang {
            Lang::En => ("Illustrative sample data, not survey results", "as of"),
            Lang::De => ("Beispielwerte zur Illustration, keine Erhebung", "Stand"),
        };
        assert!(sources.contains(illustrative) && sources.contains(as_of), "{lang}: sources and dates are shown");
    }
    let page = app.page("/salaries").await;
    let ids = tables(&page);
    assert!(ids.contains(&"salaries-eur-year".to_owned()) && ids.contains(&"salaries-eur-day".to_owned()), "{ids:?}");
    for id in &ids {
        let currency = id.split('-').nth(1).expect("salaries-<currency>-<period>");
        let period = id.split('-').nth(2).expect("salaries-<currency>-<period>");
        for range in cells(&page, id, 4) {
            for (code, symbol) in SYMBOLS {
                assert_eq!(range.contains(symbol), code == currency, "{id}: {range}: amounts never mixed");
            }
            let per = format!("per {period}");
            assert!(page.text_of(&format!("[id=\"{id}\"]")).ends_with(&per), "{id}: the heading names its period");
        }
    }
}

#[tokio::test]
async fn filters_are_links_that_narrow_the_rows_and_unknown_values_are_refused() {
    let app = spawn_app().await;
    let page = app.page("/salaries").await;
    let senior = filter_link(&page, "Senior");
    assert_eq!(senior, "/salaries?level=senior");
    let seniors = app.page(&senior).await;
    let ids = tables(&seniors);
    assert!(!ids.is_empty());
    for id in &ids {
        assert!(cells(&seniors, id, 3).iter().all(|level| level == "Senior"), "{id}");
    }
    assert_eq!(seniors.attr(".salary-filters a[aria-current]", "href").as_deref(), Some("/salaries?level=senior"));

    let freelance = app.page("/salaries?engagement=freelance&currency=EUR").await;
    assert_eq!(tables(&freelance), ["salaries-eur-day"], "freelance rates in euros are day rates only");
    let germany = app.page("/de/gehaelter?region=Deutschland").await;
    for id in tables(&germany) {
        assert!(cells(&germany, &id, 2).iter().all(|region| region == "Deutschland"), "{id}");
    }
    let nothing = app.page("/salaries?currency=CHF&engagement=freelance").await;
    assert_eq!(nothing.status, StatusCode::OK);
    assert!(tables(&nothing).is_empty());
    assert!(nothing.text_of("[role=status]").contains("No salary rows match"));

    for query in
        ["region=Mars", "currency=eur", "level=intern", "engagement=either", "sort=min", "level=mid&level=lead"]
    {
        let response = app.get(&format!("/salaries?{query}")).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{query}");
    }
    let tracked = app.page("/salaries?utm_source=newsletter").await;
    assert_eq!(tracked.status, StatusCode::OK, "parameters other than the filters are ignored");
}

#[tokio::test]
async fn rows_are_sorted_by_median_or_by_upper_bound_highest_first() {
    let app = spawn_app().await;
    let by_median = app.page("/salaries?currency=EUR&engagement=employee").await;
    let medians: Vec<u64> = cells(&by_median, "salaries-eur-year", 5)
        .iter()
        .zip(cells(&by_median, "salaries-eur-year", 4))
        .map(|(median, range)| {
            let range = amounts(&range);
            amounts(median).first().copied().unwrap_or(range[0] / 2 + range[1] / 2)
        })
        .collect();
    assert!(medians.len() > 10);
    assert!(medians.windows(2).all(|pair| pair[0] >= pair[1]), "{medians:?}");

    let sort_link = filter_link(&by_median, "Upper bound");
    assert_eq!(sort_link, "/salaries?currency=EUR&engagement=employee&sort=max", "the link keeps the filters");
    let by_max = app.page(&sort_link).await;
    let maxima: Vec<u64> = cells(&by_max, "salaries-eur-year", 4).iter().map(|range| amounts(range)[1]).collect();
    assert!(maxima.windows(2).all(|pair| pair[0] >= pair[1]), "{maxima:?}");
}

#[tokio::test]
async fn the_page_carries_an_item_list_of_the_roles_and_is_in_the_navigation_of_both_languages() {
    let app = spawn_app().await;
    for (lang, other) in [(Lang::En, Lang::De), (Lang::De, Lang::En)] {
        let path = Localized::Salaries.path(lang);
        let page = app.page(path).await;
        let documents: Vec<Value> = page
            .select_all("script[type=\"application/ld+json\"]")
            .iter()
            .map(|s| serde_json::from_str(&s.text().collect::<String>()).expect("JSON-LD parses"))
            .collect();
        let list = documents.iter().find(|d| d["@type"] == "ItemList").expect("an ItemList");
        assert_eq!(list["@context"], "https://schema.org");
        let items = list["itemListElement"].as_array().expect("items");
        assert_eq!(items.len(), 12, "{lang}: one item per role");
        assert_eq!(list["numberOfItems"], 12);
        for (i, item) in items.iter().enumerate() {
            assert_eq!(item["@type"], "ListItem");
            assert_eq!(item["position"], i + 1);
            assert!(item["url"].as_str().is_some_and(|url| url.starts_with("http")), "{item}");
        }
        let nav: Vec<String> =
            page.select_all("header nav a").iter().filter_map(|a| a.value().attr("href")).map(str::to_owned).collect();
        assert!(nav.contains(&path.to_owned()), "{lang}: {nav:?}");
        let alternate = page.attr(&format!("link[rel=alternate][hreflang={}]", other.code()), "href");
        assert!(alternate.is_some_and(|href| href.ends_with(Localized::Salaries.path(other))), "{lang}");
        assert!(page.select_all(".salary-bar[aria-hidden=true]").len() > 10, "{lang}: the bars are decoration");
    }
}

#[tokio::test]
async fn each_filter_is_rendered_once_whatever_order_its_parameters_come_in() {
    let app = spawn_app().await;
    let misses = || metric(&app, "jobprofiles_page_cache_misses_total");
    let hits = || metric(&app, "jobprofiles_page_cache_hits_total");
    let (misses_before, hits_before) = (misses().await, hits().await);
    let spellings = [
        "/salaries?level=senior&sort=max",
        "/salaries?sort=max&level=senior",
        "/salaries?sort=max&utm_source=x&level=senior",
    ];
    let first = app.page(spellings[0]).await.text;
    for path in &spellings[1..] {
        assert_eq!(app.page(path).await.text, first, "{path}");
    }
    assert_eq!(misses().await, misses_before + 1, "rendered once");
    assert_eq!(hits().await, hits_before + 2, "then answered from the page cache");
}
