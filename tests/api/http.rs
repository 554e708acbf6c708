//! HTTP as caches, proxies and monitors read it: HEAD, methods, validators, `Vary` and
//! `Cache-Control` on every kind of answer, checked the way REDbot checks a site.

use std::time::{Duration, SystemTime};

use actix_web::http::header::HttpDate;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};

use crate::helpers::{TestApp, spawn_app};
use crate::reload::{app_on_editable_content, until};

/// One address of every kind the site answers, with the status it answers GET with.
const EVERY_KIND: &[(&str, u16)] = &[
    ("/", 200),
    ("/de", 200),
    ("/profiles", 200),
    ("/de/profile", 200),
    ("/profiles/backend-developer", 200),
    ("/about", 200),
    ("/de/ueber-uns", 200),
    ("/search?q=rust", 200),
    ("/de/suche?q=rust", 200),
    ("/contact", 200),
    ("/sitemap.xml", 200),
    ("/robots.txt", 200),
    ("/feed.xml", 200),
    ("/de/feed.xml", 200),
    ("/static/site.css", 200),
    ("/media/people/lena-hoffmann.svg", 200),
    ("/media/share.png", 200),
    ("/healthz", 200),
    ("/readyz", 200),
    ("/admin/login", 200),
    ("/no-such-page", 404),
    ("/profiles/no-such-role", 404),
    ("/static/no-such-file.css", 404),
];

/// Headers that are about this one answer, not about the resource.
const PER_ANSWER: &[&str] = &["date", "set-cookie"];

async fn send(app: &TestApp, method: Method, path: &str, encoding: Option<&str>) -> reqwest::Response {
    let mut request = app.client.request(method, format!("{}{path}", app.address));
    if let Some(encoding) = encoding {
        request = request.header("accept-encoding", encoding);
    }
    request.send().await.expect("request sent")
}

fn comparable(headers: &HeaderMap) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| !PER_ANSWER.contains(&name.as_str()))
        .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap_or_default().to_owned()))
        .collect();
    pairs.sort();
    pairs
}

fn header(headers: &HeaderMap, name: &str) -> String {
    headers.get_all(name).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(", ")
}

#[tokio::test]
async fn head_answers_every_kind_of_address_with_gets_status_and_headers_and_no_body() {
    let app = spawn_app().await;
    for &(path, status) in EVERY_KIND {
        for encoding in [None, Some("gzip"), Some("br, gzip")] {
            // Twice: the first GET of a page renders it, the second comes from the page cache.
            for round in ["first", "second"] {
                let get = send(&app, Method::GET, path, encoding).await;
                let get_headers = get.headers().clone();
                let get_status = get.status();
                let get_body = get.bytes().await.expect("body");
                let head = send(&app, Method::HEAD, path, encoding).await;
                let context = format!("{path} with Accept-Encoding {encoding:?}, {round} time");
                assert_eq!(get_status.as_u16(), status, "{context}");
                assert_eq!(head.status(), get_status, "{context}");
                assert_eq!(comparable(head.headers()), comparable(&get_headers), "{context}");
                if let Some(length) = get_headers.get("content-length") {
                    assert_eq!(length.to_str().ok(), Some(get_body.len().to_string().as_str()), "{context}");
                }
                assert!(head.bytes().await.expect("body").is_empty(), "{context}: HEAD has no body");
                assert!(get_headers.contains_key("cache-control"), "{context}: says how it may be cached");
                let content_type = header(&get_headers, "content-type");
                let compressible = !content_type.starts_with("image/") || content_type.starts_with("image/svg");
                if compressible {
                    assert!(
                        header(&get_headers, "vary").to_ascii_lowercase().contains("accept-encoding"),
                        "{context}: Vary names Accept-Encoding"
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn head_of_the_home_page_a_profile_and_the_salaries_page_answers_200_with_the_length_of_the_page() {
    let app = spawn_app().await;
    for path in ["/", "/profiles/backend-developer", "/salaries", "/de/gehaelter?level=senior"] {
        let head = send(&app, Method::HEAD, path, None).await;
        assert_eq!(head.status(), StatusCode::OK, "{path}");
        let length = header(head.headers(), "content-length");
        let body = app.get(path).await.bytes().await.expect("body");
        assert_eq!(length, body.len().to_string(), "{path}");
    }
}

#[tokio::test]
async fn a_method_an_address_does_not_take_gets_405_with_allow_and_unknown_addresses_stay_404() {
    let app = spawn_app().await;
    let cases = [
        (Method::POST, "/", Some("GET, HEAD")),
        (Method::POST, "/profiles/backend-developer", Some("GET, HEAD")),
        (Method::DELETE, "/de/profile/backend-entwickler", Some("GET, HEAD")),
        (Method::POST, "/about", Some("GET, HEAD")),
        (Method::PUT, "/de/ueber-uns", Some("GET, HEAD")),
        (Method::POST, "/search", Some("GET, HEAD")),
        (Method::POST, "/salaries", Some("GET, HEAD")),
        (Method::DELETE, "/de/gehaelter?sort=max", Some("GET, HEAD")),
        (Method::POST, "/sitemap.xml", Some("GET, HEAD")),
        (Method::POST, "/media/share.png", Some("GET, HEAD")),
        (Method::PUT, "/static/site.css", Some("GET, HEAD")),
        (Method::PUT, "/contact", Some("GET, HEAD, POST")),
        (Method::DELETE, "/admin/login", Some("GET, HEAD, POST")),
        (Method::POST, "/no-such-page", None),
        (Method::POST, "/de/nichts-hier", None),
        (Method::POST, "/profiles/no-such-role", None),
        (Method::POST, "/a/b/c", None),
        (Method::POST, "/media/no-such-file.png", None),
        (Method::POST, "/media/steal.html", None),
        (Method::PUT, "/static/no-such-file.css", None),
    ];
    for (method, path, allow) in cases {
        let response = send(&app, method.clone(), path, None).await;
        let context = format!("{method} {path}");
        match allow {
            Some(allow) => {
                assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{context}");
                assert_eq!(header(response.headers(), "allow"), allow, "{context}");
                assert_eq!(header(response.headers(), "cache-control"), "no-store", "{context}");
                assert!(response.text().await.expect("body").contains("<h1"), "{context}: a page, not nothing");
            }
            None => assert_eq!(response.status(), StatusCode::NOT_FOUND, "{context}"),
        }
    }
}

#[tokio::test]
async fn if_modified_since_at_or_after_last_modified_answers_304_unless_if_none_match_says_otherwise() {
    let app = spawn_app().await;
    for path in ["/profiles/backend-developer", "/about", "/sitemap.xml", "/feed.xml"] {
        let first = app.get(path).await;
        let modified = header(first.headers(), "last-modified");
        let etag = header(first.headers(), "etag");
        assert!(!modified.is_empty() && !etag.is_empty(), "{path} has validators");
        let date = SystemTime::from(modified.parse::<HttpDate>().expect("an HTTP date"));
        let day = Duration::from_secs(86_400);
        let conditional = |since: SystemTime, none_match: Option<&str>| {
            let mut request = app
                .client
                .get(format!("{}{path}", app.address))
                .header("if-modified-since", HttpDate::from(since).to_string());
            if let Some(tag) = none_match {
                request = request.header("if-none-match", tag);
            }
            request.send()
        };
        let same = conditional(date, None).await.expect("sent");
        assert_eq!(same.status(), StatusCode::NOT_MODIFIED, "{path} since its own date");
        assert_eq!(header(same.headers(), "etag"), etag, "{path}");
        assert!(same.bytes().await.expect("body").is_empty());
        assert_eq!(conditional(date + day, None).await.expect("sent").status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(conditional(date - day, None).await.expect("sent").status(), StatusCode::OK, "{path} changed since");
        let other = conditional(date, Some("\"another\"")).await.expect("sent");
        assert_eq!(other.status(), StatusCode::OK, "{path}: If-None-Match decides when it is sent");
    }
}

#[tokio::test]
async fn vary_accept_encoding_is_sent_whether_or_not_the_answer_is_compressed() {
    let app = spawn_app().await;
    for path in ["/contact", "/de/kontakt", "/search?q=rust", "/healthz", "/no-such-page"] {
        for encoding in [None, Some("identity"), Some("gzip")] {
            let response = send(&app, Method::GET, path, encoding).await;
            let vary = header(response.headers(), "vary").to_ascii_lowercase();
            assert!(vary.contains("accept-encoding"), "{path} with {encoding:?}: Vary is {vary:?}");
        }
    }
}

#[tokio::test]
async fn search_media_error_and_health_answers_say_how_long_they_may_be_kept() {
    let app = spawn_app().await;
    let cases = [
        ("/search?q=rust", "public, max-age=60"),
        ("/media/share.png", "public, max-age=3600"),
        ("/no-such-page", "public, max-age=60"),
        ("/healthz", "no-store"),
        ("/readyz", "no-store"),
        ("/metrics", "no-store"),
        ("/contact", "no-store"),
        ("/robots.txt", "public, max-age=60, must-revalidate"),
    ];
    for (path, expected) in cases {
        let response = app.get(path).await;
        assert_eq!(header(response.headers(), "cache-control"), expected, "{path}");
    }
    let oversized =
        app.client.get(format!("{}/", app.address)).header("x-padding", "x".repeat(20_000)).send().await.expect("sent");
    assert_eq!(oversized.status(), StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
    assert_eq!(header(oversized.headers(), "cache-control"), "no-store");
}

#[tokio::test]
async fn sitemap_and_feeds_are_rendered_once_per_content_version_with_etag_and_304() {
    let app = spawn_app().await;
    for path in ["/sitemap.xml", "/sitemap-en-1.xml", "/sitemap-de-1.xml", "/feed.xml", "/de/feed.xml"] {
        let first = app.get(path).await;
        let etag = header(first.headers(), "etag");
        let content_type = header(first.headers(), "content-type");
        let body = first.text().await.expect("body");
        assert!(!etag.is_empty(), "{path} has an ETag");
        let second = app.get(path).await;
        assert_eq!(header(second.headers(), "etag"), etag, "{path}: the same rendering again");
        assert_eq!(header(second.headers(), "content-type"), content_type, "{path}: keeps its type");
        assert!(!header(second.headers(), "last-modified").is_empty(), "{path}");
        assert_eq!(second.text().await.expect("body"), body, "{path}");
        let again =
            app.client.get(format!("{}{path}", app.address)).header("if-none-match", &etag).send().await.expect("sent");
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
    }
}

#[tokio::test]
async fn every_spelling_of_a_cached_address_is_sent_to_the_one_the_cache_keeps() {
    let app = spawn_app().await;
    let spellings = [
        ("/sitemap%2Exml", "/sitemap.xml"),
        ("/%73itemap.xml", "/sitemap.xml"),
        ("/feed%2exml", "/feed.xml"),
        ("/de/feed%2Exml", "/de/feed.xml"),
        ("/robots%2Etxt", "/robots.txt"),
        ("/profiles/backend%2Ddeveloper", "/profiles/backend-developer"),
        ("/%70rofiles", "/profiles"),
    ];
    for (spelling, canonical) in spellings {
        let response = app.get(spelling).await;
        assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY, "{spelling}");
        assert_eq!(header(response.headers(), "location"), canonical, "{spelling}");
    }
}

#[tokio::test]
async fn a_change_that_keeps_the_updated_date_is_not_answered_304_by_date() {
    let (app, _dir, content) = app_on_editable_content().await;
    let first = app.get("/about").await;
    let modified = header(first.headers(), "last-modified");
    assert!(first.text().await.expect("body").contains("About"), "the page as it was");
    let about = content.join("pages/en/about.md");
    let text = std::fs::read_to_string(&about).expect("the page");
    std::fs::write(&about, format!("{text}\nA sentence added later that day.\n")).expect("written");
    assert!(until(&app, "/about", |_, body| body.contains("added later that day")).await, "the change is live");
    let again = app
        .client
        .get(format!("{}/about", app.address))
        .header("if-modified-since", &modified)
        .send()
        .await
        .expect("sent");
    assert_eq!(again.status(), StatusCode::OK, "the copy from {modified} is not this page any more");
    let now = header(again.headers(), "last-modified");
    let same =
        app.client.get(format!("{}/about", app.address)).header("if-modified-since", &now).send().await.expect("sent");
    let answered = same.status();
    assert!(
        answered == StatusCode::NOT_MODIFIED || now == modified,
        "by its own new date the page is unchanged ({answered}), unless both versions share a second"
    );
}

#[tokio::test]
async fn media_are_sent_as_stored_with_their_length_and_one_etag_for_every_encoding() {
    let app = spawn_app().await;
    for path in ["/media/people/lena-hoffmann.svg", "/media/share.png"] {
        let plain = send(&app, Method::GET, path, None).await;
        let etag = header(plain.headers(), "etag");
        let length = plain.bytes().await.expect("body").len();
        for encoding in ["gzip", "br", "gzip, br"] {
            let response = send(&app, Method::GET, path, Some(encoding)).await;
            assert_eq!(header(response.headers(), "content-encoding"), "", "{path} with {encoding}");
            assert_eq!(header(response.headers(), "content-length"), length.to_string(), "{path} with {encoding}");
            assert_eq!(header(response.headers(), "etag"), etag, "{path} with {encoding}");
            let head = send(&app, Method::HEAD, path, Some(encoding)).await;
            assert_eq!(header(head.headers(), "content-length"), length.to_string(), "HEAD {path} with {encoding}");
        }
    }
}

#[tokio::test]
async fn a_refused_encoding_and_the_way_to_the_login_page_are_answers_no_cache_keeps() {
    let app = spawn_app().await;
    let refused = send(&app, Method::GET, "/contact", Some("foo, identity;q=0")).await;
    assert_eq!(refused.status(), StatusCode::NOT_ACCEPTABLE);
    assert_eq!(header(refused.headers(), "cache-control"), "no-store");
    let login = app.get("/admin/leads").await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    assert_eq!(header(login.headers(), "cache-control"), "no-store");
}

#[tokio::test]
async fn a_page_asked_with_a_query_it_ignores_is_sent_exactly_as_without_it() {
    let app = spawn_app().await;
    for encoding in [None, Some("deflate"), Some("gzip"), Some("br")] {
        let plain = send(&app, Method::GET, "/profiles/backend-developer", encoding).await;
        let plain_headers = comparable(plain.headers());
        let plain_body = plain.bytes().await.expect("body");
        let tagged = send(&app, Method::GET, "/profiles/backend-developer?utm_source=newsletter", encoding).await;
        assert_eq!(comparable(tagged.headers()), plain_headers, "{encoding:?}: one ETag names one set of bytes");
        assert_eq!(tagged.bytes().await.expect("body"), plain_body, "{encoding:?}");
    }
}
