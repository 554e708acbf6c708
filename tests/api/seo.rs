use std::collections::{HashMap, HashSet};

use jobprofiles::content;
use jobprofiles::domain::Engagement;
use serde_json::Value;

use crate::helpers::{Page, TestApp, repo_path, spawn_app, spawn_app_with};

const BASE: &str = "https://jobs.example.test";
const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";

struct SitemapUrl {
    path: String,
    lastmod: Option<String>,
    alternates: Vec<(String, String)>,
}

fn local(url: &str) -> String {
    url.strip_prefix(BASE).unwrap_or_else(|| panic!("{url} is not on the configured base URL")).to_owned()
}

async fn xml_at(app: &TestApp, path: &str) -> String {
    let response = app.get(path).await;
    assert_eq!(response.status(), 200, "{path}");
    assert!(response.headers()["content-type"].to_str().unwrap_or_default().starts_with("application/xml"));
    response.text().await.expect("body")
}

/// The parts the sitemap index at `/sitemap.xml` lists, as paths.
async fn sitemap_parts(app: &TestApp) -> Vec<String> {
    let text = xml_at(app, "/sitemap.xml").await;
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!((root.tag_name().name(), root.tag_name().namespace()), ("sitemapindex", Some(SITEMAP_NS)));
    root.children()
        .filter(|n| n.is_element())
        .map(|part| {
            assert_eq!(part.tag_name().name(), "sitemap");
            let loc = part.children().find(|c| c.tag_name().name() == "loc").and_then(|c| c.text()).expect("loc");
            local(loc)
        })
        .collect()
}

/// Every address of every part of the sitemap.
async fn sitemap(app: &TestApp) -> Vec<SitemapUrl> {
    let mut urls = Vec::new();
    for part in sitemap_parts(app).await {
        urls.extend(sitemap_part(app, &part).await);
    }
    urls
}

async fn sitemap_part(app: &TestApp, path: &str) -> Vec<SitemapUrl> {
    let text = xml_at(app, path).await;
    let document = roxmltree::Document::parse(&text).expect("well-formed XML");
    let root = document.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(root.tag_name().namespace(), Some(SITEMAP_NS));
    root.children()
        .filter(|n| n.is_element())
        .map(|url| {
            assert_eq!(url.tag_name().name(), "url");
            let child = |name: &str| {
                url.children()
                    .find(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(SITEMAP_NS))
                    .and_then(|c| c.text())
                    .map(str::to_owned)
            };
            SitemapUrl {
                path: local(&child("loc").expect("loc")),
                lastmod: child("lastmod"),
                alternates: url
                    .children()
                    .filter(|c| c.tag_name().name() == "link" && c.tag_name().namespace() == Some(XHTML_NS))
                    .map(|c| {
                        (
                            c.attribute("hreflang").unwrap_or_default().to_owned(),
                            local(c.attribute("href").unwrap_or_default()),
                        )
                    })
                    .collect(),
            }
        })
        .collect()
}

fn alternates(page: &Page) -> HashMap<String, String> {
    page.select_all("link[rel=alternate][hreflang]")
        .iter()
        .map(|l| {
            (
                l.value().attr("hreflang").unwrap_or_default().to_owned(),
                local(l.value().attr("href").unwrap_or_default()),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_page_in_the_sitemap_answers_with_a_unique_head_and_reciprocal_hreflang() {
    let app = spawn_app().await;
    let urls = sitemap(&app).await;
    assert_eq!(
        urls.len(),
        2 + 2 + 2 + 8 + 24 + 6 + 2,
        "home, index, salaries, 8 categories, 24 profiles, 6 pages, 2 forms"
    );
    let mut pages = HashMap::new();
    let (mut titles, mut descriptions) = (HashSet::new(), HashSet::new());
    for url in &urls {
        let page = app.page(&url.path).await;
        assert_eq!(page.status, 200, "{}", url.path);
        let canonicals = page.select_all("link[rel=canonical]");
        assert_eq!(canonicals.len(), 1, "{}", url.path);
        assert_eq!(canonicals[0].value().attr("href").map(local), Some(url.path.clone()), "self-referencing canonical");
        let title = page.text_of("title");
        let description = page.attr("meta[name=description]", "content").unwrap_or_default();
        assert!(!title.trim().is_empty() && !description.trim().is_empty(), "{}", url.path);
        assert!(titles.insert(title.clone()), "title {title:?} is used twice");
        assert!(descriptions.insert(description.clone()), "description of {} is used twice", url.path);
        for property in ["og:title", "og:description", "og:url", "og:image", "og:locale", "og:locale:alternate"] {
            assert!(
                page.attr(&format!("meta[property=\"{property}\"]"), "content").is_some_and(|v| !v.is_empty()),
                "{}: {property}",
                url.path
            );
        }
        assert!(page.attr("meta[name=\"twitter:card\"]", "content").is_some());
        pages.insert(url.path.clone(), alternates(&page));
    }
    for (path, links) in &pages {
        let lang = if path == "/de" || path.starts_with("/de/") { "de" } else { "en" };
        assert_eq!(links.get(lang), Some(path), "{path} names itself");
        assert!(links.contains_key("x-default"), "{path} has x-default");
        for (hreflang, other) in links.iter().filter(|(h, _)| h.as_str() != "x-default") {
            let back = pages.get(other).unwrap_or_else(|| panic!("{path} links {other}, which is not in the sitemap"));
            assert_eq!(back.get(lang), Some(path), "{other} ({hreflang}) links back to {path}");
            assert_eq!(back.get("x-default"), links.get("x-default"), "x-default agrees");
        }
    }
    for url in &urls {
        let page_links = &pages[&url.path];
        let sitemap_links: HashMap<String, String> = url.alternates.iter().cloned().collect();
        if !sitemap_links.is_empty() {
            assert_eq!(&sitemap_links, page_links, "{}: sitemap and page agree", url.path);
        }
    }
}

#[tokio::test]
async fn sitemap_lastmod_comes_from_the_content_not_from_the_start() {
    let app = spawn_app().await;
    let urls = sitemap(&app).await;
    let loaded = content::load(&repo_path("content")).expect("valid").content;
    for profile in &loaded.profiles {
        let url = urls.iter().find(|u| u.path == profile.path()).expect("every profile is in the sitemap");
        assert_eq!(url.lastmod.as_deref(), Some(profile.updated.to_string().as_str()), "{}", profile.path());
        assert_eq!(url.alternates.len(), 3, "{}: both languages and x-default", profile.path());
    }
    let newest = loaded.profiles.iter().map(|p| p.updated).max().expect("profiles").to_string();
    let index = urls.iter().find(|u| u.path == "/profiles").expect("index");
    let newest_en = loaded
        .profiles
        .iter()
        .filter(|p| p.lang == jobprofiles::domain::Lang::En)
        .map(|p| p.updated)
        .max()
        .expect("profiles")
        .to_string();
    assert_eq!(index.lastmod.as_deref(), Some(newest_en.as_str()), "the index changed when its newest profile did");
    assert!(newest_en <= newest);
}

#[tokio::test]
async fn the_salaries_page_is_in_the_sitemap_in_both_languages_with_reciprocal_alternates() {
    let app = spawn_app().await;
    let urls = sitemap(&app).await;
    for path in ["/salaries", "/de/gehaelter"] {
        let url = urls.iter().find(|u| u.path == path).expect("in the sitemap");
        let mut alternates: Vec<&str> = url.alternates.iter().map(|(lang, _)| lang.as_str()).collect();
        alternates.sort_unstable();
        assert_eq!(alternates, ["de", "en", "x-default"], "{path}");
        assert!(url.alternates.iter().any(|(lang, href)| lang == "de" && href.ends_with("/de/gehaelter")), "{path}");
    }
}

#[tokio::test]
async fn profile_pages_carry_an_occupation_with_the_employee_salaries_countries_and_isco_code_of_the_front_matter() {
    let app = spawn_app().await;
    let loaded = content::load(&repo_path("content")).expect("valid").content;
    for profile in &loaded.profiles {
        let page = app.page(&profile.path()).await;
        let documents: Vec<Value> = page
            .select_all("script[type=\"application/ld+json\"]")
            .iter()
            .map(|s| serde_json::from_str(&s.text().collect::<String>()).expect("JSON-LD parses"))
            .collect();
        let occupation = documents.iter().find(|d| d["@type"] == "Occupation").expect("an Occupation");
        assert_eq!(occupation["name"], profile.title.as_str());
        let isco = profile.isco.expect("every shipped profile has an ISCO code").to_string();
        let category = &occupation["occupationalCategory"];
        assert_eq!(category["@type"], "CategoryCode");
        assert_eq!(category["codeValue"], isco.as_str());
        assert_eq!(category["inCodeSet"], "ISCO-08");
        assert_eq!(occupation["mainEntityOfPage"]["lastReviewed"], profile.updated.to_string());
        let salaries = occupation["estimatedSalary"].as_array().expect("salaries");
        let employee: Vec<_> = profile.salaries.iter().filter(|row| row.engagement() == Engagement::Employee).collect();
        assert!(employee.len() < profile.salaries.len(), "{}: freelance rates are left out", profile.path());
        assert_eq!(salaries.len(), employee.len());
        for (json, row) in salaries.iter().zip(employee) {
            assert_eq!(json["@type"], "MonetaryAmountDistribution");
            assert_eq!(json["currency"], row.currency().code());
            assert_eq!(json["duration"], "P1Y");
            assert_eq!(json["percentile10"], row.min());
            assert_eq!(json["percentile90"], row.max());
            assert_eq!(json["median"].as_u64(), row.median().map(u64::from));
        }
        let locations = occupation["occupationLocation"].as_array().expect("locations");
        let mut countries: Vec<String> =
            profile.salaries.iter().filter_map(|row| row.country()).map(|c| c.to_string()).collect();
        countries.sort();
        countries.dedup();
        let listed: Vec<&str> = locations.iter().filter_map(|l| l["identifier"].as_str()).collect();
        assert_eq!(listed, countries, "{}: one Country per code, nothing else", profile.path());
        assert!(locations.iter().all(|l| l["@type"] == "Country"));
        for region in ["Europe", "Europa"] {
            assert!(locations.iter().all(|l| l["name"] != region), "{}: {region} is no country", profile.path());
        }
        let crumbs = documents.iter().find(|d| d["@type"] == "BreadcrumbList").expect("breadcrumbs");
        let items = crumbs["itemListElement"].as_array().expect("items");
        assert_eq!(items.len(), 3);
        assert_eq!(items[2]["item"], format!("{BASE}{}", profile.path()));
    }
    let home = app.page("/").await;
    let types: Vec<String> = home
        .select_all("script[type=\"application/ld+json\"]")
        .iter()
        .map(|s| {
            serde_json::from_str::<Value>(&s.text().collect::<String>()).expect("JSON")["@type"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(types, ["Organization", "WebSite"], "and no breadcrumbs on the home page");
}

#[tokio::test]
async fn json_ld_cannot_be_broken_out_of() {
    let app = spawn_app_with(repo_path("tests/fixtures/minimal")).await;
    let page = app.page("/profiles/tester").await;
    assert_eq!(page.select_all("script").len(), 2, "only the two JSON-LD scripts");
    let raw = page
        .text
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .expect("script")
        .split("</script>")
        .next()
        .expect("end");
    let occupation: Value = serde_json::from_str(raw).expect("JSON");
    assert_eq!(occupation["description"], "What testers do and what they earn. </script><b>not markup</b>");
}

#[tokio::test]
async fn old_urls_and_variants_redirect_permanently_to_the_canonical_url() {
    let app = spawn_app().await;
    for (from, to) in [
        ("/jobs/backend-developer", "/profiles/backend-developer"),
        ("/jobs/backend-developer/?utm_source=x", "/profiles/backend-developer?utm_source=x"),
        ("/de/jobs/backend-entwickler", "/de/profile/backend-entwickler"),
        ("/profiles/", "/profiles"),
        ("/Profiles/Backend-Developer", "/profiles/backend-developer"),
        ("/de/profile/backend-entwickler/", "/de/profile/backend-entwickler"),
        ("/DE/", "/de"),
        ("/about/", "/about"),
        ("/Imprint?x=1", "/imprint?x=1"),
        ("/contact/", "/contact"),
    ] {
        let response = app.get(from).await;
        assert_eq!(response.status(), 301, "{from}");
        assert_eq!(response.headers()["location"], to, "{from}");
    }
    assert_eq!(app.get("/no-such-page/").await.status(), 404, "variants of unknown paths stay 404");
}

#[tokio::test]
async fn variants_of_the_sitemap_parts_addresses_redirect_to_them() {
    let app = spawn_app().await;
    let parts = sitemap_parts(&app).await;
    assert!(parts.len() >= 2, "a part per language: {parts:?}");
    for part in parts {
        for variant in [format!("{part}/"), part.to_uppercase(), format!("{}/?x=1", part.replace("sitemap", "SiteMap"))]
        {
            let response = app.get(&variant).await;
            assert_eq!(response.status(), 301, "{variant}");
            let expected = if variant.ends_with("?x=1") { format!("{part}?x=1") } else { part.clone() };
            assert_eq!(response.headers()["location"], expected.as_str(), "{variant}");
        }
        assert_eq!(app.get(&part).await.status(), 200, "{part}");
    }
}

#[tokio::test]
async fn robots_and_feeds_point_search_engines_and_readers_to_the_right_places() {
    let app = spawn_app().await;
    let robots = app.get("/robots.txt").await.text().await.expect("body");
    assert!(robots.contains(&format!("Sitemap: {BASE}/sitemap.xml")));
    for path in ["/admin", "/contact/thanks/", "/de/kontakt/danke/"] {
        assert!(robots.contains(&format!("Disallow: {path}")), "{robots}");
    }
    for (path, lang, first_entry_lang_path) in
        [("/feed.xml", "en", "/profiles/"), ("/de/feed.xml", "de", "/de/profile/")]
    {
        let response = app.get(path).await;
        assert!(response.headers()["content-type"].to_str().unwrap_or_default().starts_with("application/atom+xml"));
        let text = response.text().await.expect("body");
        let feed = roxmltree::Document::parse(&text).expect("well-formed");
        let root = feed.root_element();
        assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
        assert_eq!(root.attribute(("http://www.w3.org/XML/1998/namespace", "lang")), Some(lang));
        let entries: Vec<_> = root.children().filter(|n| n.tag_name().name() == "entry").collect();
        assert_eq!(entries.len(), 12);
        let updated: Vec<&str> = entries
            .iter()
            .filter_map(|e| e.children().find(|c| c.tag_name().name() == "updated").and_then(|c| c.text()))
            .collect();
        assert!(updated.windows(2).all(|w| w[0] >= w[1]), "newest first");
        let link = entries[0]
            .children()
            .find(|c| c.tag_name().name() == "link")
            .and_then(|l| l.attribute("href"))
            .expect("link");
        assert!(local(link).starts_with(first_entry_lang_path));
    }
}

fn english_phrases() -> Vec<String> {
    let en: toml::Table = toml::from_str(include_str!("../../locales/en.toml")).expect("en");
    let de: toml::Table = toml::from_str(include_str!("../../locales/de.toml")).expect("de");
    let mut phrases = Vec::new();
    for (key, value) in &en {
        let Some(text) = value.as_str() else { continue };
        if de.get(key).and_then(|v| v.as_str()) == Some(text) {
            continue;
        }
        // Single words are often borrowed in German prose ("Remote", "Skills"); phrases are not.
        let phrase = text.split('{').next().unwrap_or(text).trim();
        if phrase.split_whitespace().count() >= 2 {
            phrases.push(phrase.to_owned());
        }
    }
    phrases
}

#[tokio::test]
async fn german_pages_show_no_english_interface_text() {
    let app = spawn_app().await;
    let phrases = english_phrases();
    assert!(phrases.len() > 50, "the comparison covers the interface: {}", phrases.len());
    let mut paths: Vec<String> =
        sitemap(&app).await.into_iter().map(|u| u.path).filter(|p| p == "/de" || p.starts_with("/de/")).collect();
    paths.push("/de/keine-seite".into());
    for path in paths {
        let page = app.page(&path).await;
        let text = page.html.root_element().text().collect::<String>()
            + &page
                .select_all("[aria-label], [title], [content], [placeholder]")
                .iter()
                .flat_map(|e| e.value().attrs().map(|(_, v)| v.to_owned()))
                .collect::<Vec<_>>()
                .join("\n");
        for phrase in &phrases {
            assert!(!text.contains(phrase.as_str()), "{path} shows the English {phrase:?}");
        }
    }
}
