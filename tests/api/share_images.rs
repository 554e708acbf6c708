//! Each profile's own share image: linked from its page with size and text alternative, drawn
//! as a 1200×630 PNG at an address that changes with what it shows, and kept a year.

use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, LOCATION};

use crate::helpers::{Page, TestApp, shipped_content_with, spawn_app, spawn_app_with};

const BASE_URL: &str = "https://jobs.example.test";

/// The path of the share image a page's `og:image` names.
fn share_image_of(page: &Page) -> String {
    let url = page.attr(r#"meta[property="og:image"]"#, "content").expect("an og:image");
    url.strip_prefix(BASE_URL).unwrap_or_else(|| panic!("{url} is on this site")).to_owned()
}

/// Width and height from a PNG's header, after checking its signature.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR", "the header chunk first");
    let number = |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (number(16), number(20))
}

async fn image(app: &TestApp, path: &str) -> Vec<u8> {
    let response = app.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.bytes().await.expect("body").to_vec()
}

#[tokio::test]
async fn a_profile_page_names_its_own_share_image_with_size_and_text() {
    let app = spawn_app().await;
    let page = app.page("/profiles/backend-developer").await;
    let path = share_image_of(&page);
    assert!(path.starts_with("/profiles/backend-developer/share-") && path.ends_with(".png"), "{path}");
    assert_eq!(page.attr(r#"meta[name="twitter:image"]"#, "content"), Some(format!("{BASE_URL}{path}")));
    assert_eq!(page.attr(r#"meta[property="og:image:width"]"#, "content").as_deref(), Some("1200"));
    assert_eq!(page.attr(r#"meta[property="og:image:height"]"#, "content").as_deref(), Some("630"));
    let alt = page.attr(r#"meta[property="og:image:alt"]"#, "content").expect("an alt text");
    assert!(alt.starts_with("Backend Developer, Software development: "), "{alt}");
    assert!(alt.contains("130,000"), "the first salary range: {alt}");

    let home = app.page("/").await;
    assert!(share_image_of(&home).starts_with("/media/"), "other pages keep the site's image");
}

#[tokio::test]
async fn the_share_image_is_a_1200_by_630_png_kept_a_year_and_sent_as_it_is() {
    let app = spawn_app().await;
    let path = share_image_of(&app.page("/profiles/backend-developer").await);
    let response = app.client.get(format!("{}{path}", app.address)).header(ACCEPT_ENCODING, "br, gzip").send().await;
    let response = response.expect("answered");
    assert_eq!(response.status(), StatusCode::OK);
    let header = |name| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    assert_eq!(header(CONTENT_TYPE).as_deref(), Some("image/png"));
    assert_eq!(header(CACHE_CONTROL).as_deref(), Some("public, max-age=31536000, immutable"));
    assert_eq!(header(CONTENT_ENCODING), None, "a PNG is compressed already");
    let etag = header(ETAG).expect("an ETag");
    let bytes = response.bytes().await.expect("body");
    assert_eq!(png_size(&bytes), (1200, 630));
    assert!(bytes.len() > 10_000, "an image with text on it, not a blank one: {} bytes", bytes.len());

    let again = app.client.get(format!("{}{path}", app.address)).header(IF_NONE_MATCH, &etag).send().await;
    assert_eq!(again.expect("answered").status(), StatusCode::NOT_MODIFIED);
    let head = app.client.head(format!("{}{path}", app.address)).send().await.expect("answered");
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(head.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()), Some("image/png"));
    let post = app.client.post(format!("{}{path}", app.address)).send().await.expect("answered");
    assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(post.headers().get("allow").and_then(|v| v.to_str().ok()), Some("GET, HEAD"));
}

#[tokio::test]
async fn the_german_profile_has_a_share_image_of_its_own_with_the_german_title() {
    let app = spawn_app().await;
    let english = share_image_of(&app.page("/profiles/backend-developer").await);
    let page = app.page("/de/profile/backend-entwickler").await;
    let german = share_image_of(&page);
    assert!(german.starts_with("/de/profile/backend-entwickler/share-"), "{german}");
    let alt = page.attr(r#"meta[property="og:image:alt"]"#, "content").expect("an alt text");
    assert!(alt.starts_with("Backend-Entwickler"), "{alt}");
    let (english, german) = (image(&app, &english).await, image(&app, &german).await);
    assert_eq!(png_size(&german), (1200, 630));
    assert_ne!(english, german, "the German image shows the German title and figures");
}

#[tokio::test]
async fn a_new_title_gives_a_new_image_at_a_new_address_and_the_old_address_leads_there() {
    let before = spawn_app().await;
    let old_path = share_image_of(&before.page("/profiles/backend-developer").await);
    let old_image = image(&before, &old_path).await;

    let content = shipped_content_with(
        "profiles/en/backend-developer.md",
        "title = \"Backend Developer\"",
        "title = \"Backend Engineer\"",
    );
    let after = spawn_app_with(content.path().to_owned()).await;
    let new_path = share_image_of(&after.page("/profiles/backend-developer").await);
    assert_ne!(new_path, old_path, "the address names what the image shows");
    assert_ne!(image(&after, &new_path).await, old_image);

    let old = after.get(&old_path).await;
    assert_eq!(old.status(), StatusCode::FOUND);
    assert_eq!(old.headers().get(LOCATION).and_then(|v| v.to_str().ok()), Some(new_path.as_str()));
}

#[tokio::test]
async fn no_share_image_for_a_profile_that_does_not_exist() {
    let app = spawn_app().await;
    assert_eq!(app.get("/profiles/no-such-role/share-0123456789abcdef.png").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("/profiles/Backend%20Developer/share-00.png").await.status(), StatusCode::NOT_FOUND);
}
