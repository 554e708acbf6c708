use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::helpers::{repo_path, spawn_app, spawn_configured};

#[tokio::test]
async fn cached_pages_answer_304_to_a_matching_etag() {
    let app = spawn_app().await;
    for path in ["/", "/de/profile", "/profiles/backend-developer", "/about"] {
        let first = app.get(path).await;
        let etag = first.headers()["etag"].to_str().expect("ascii").to_owned();
        assert!(etag.starts_with('"') && !etag.starts_with("W/"), "a strong ETag: {etag}");
        assert!(first.headers()["cache-control"].to_str().unwrap_or_default().contains("must-revalidate"));
        assert!(first.headers().contains_key("last-modified"), "{path}");
        let again =
            app.client.get(format!("{}{path}", app.address)).header("If-None-Match", &etag).send().await.expect("sent");
        assert_eq!(again.status(), 304, "{path}");
        assert_eq!(again.headers()["etag"], etag.as_str());
        assert!(again.bytes().await.expect("body").is_empty());
        let other = app
            .client
            .get(format!("{}{path}", app.address))
            .header("If-None-Match", "\"stale\"")
            .send()
            .await
            .expect("sent");
        assert_eq!(other.status(), 200);
    }
    let form = app.get("/contact").await;
    assert_eq!(form.headers()["cache-control"], "no-store", "forms with tokens are never cached");
}

#[tokio::test]
async fn each_encoding_of_a_page_has_its_own_etag_and_the_first_answer_is_like_every_later_one() {
    let app = spawn_app().await;
    let fetch = |accept: &'static str, if_none_match: Option<String>| {
        let mut request = app.client.get(format!("{}/profiles/backend-developer", app.address));
        request = request.header("Accept-Encoding", accept);
        if let Some(tag) = if_none_match {
            request = request.header("If-None-Match", tag);
        }
        async move {
            let response = request.send().await.expect("sent");
            let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap_or_default().to_owned());
            let (status, etag, encoding) = (response.status().as_u16(), header("etag"), header("content-encoding"));
            (status, etag.unwrap_or_default(), encoding, response.bytes().await.expect("body"))
        }
    };
    // The very first request renders the page; a client that takes only deflate gets the plain bytes.
    let first = fetch("deflate", None).await;
    let later = fetch("deflate", None).await;
    assert_eq!(first.2, None, "not compressed on the way out");
    assert_eq!(first, later, "the first answer is the cached one");
    let gzip = fetch("gzip", None).await;
    let brotli = fetch("br", None).await;
    assert_eq!((gzip.2.as_deref(), brotli.2.as_deref()), (Some("gzip"), Some("br")));
    let tags = [&first.1, &gzip.1, &brotli.1];
    assert!(tags[0] != tags[1] && tags[1] != tags[2] && tags[0] != tags[2], "{tags:?}");
    assert_eq!(fetch("gzip", Some(gzip.1.clone())).await.0, 304);
    assert_eq!(fetch("br", Some(gzip.1.clone())).await.0, 200, "the gzip tag does not validate the brotli bytes");
    assert_eq!(fetch("identity", Some(format!("W/{}", first.1))).await.0, 304, "weak comparison");
}

#[tokio::test]
async fn compression_follows_accept_encoding() {
    let app = spawn_app().await;
    let plain = app.get("/profiles/backend-developer").await.text().await.expect("body");
    let gzip = app
        .client
        .get(format!("{}/profiles/backend-developer", app.address))
        .header("Accept-Encoding", "gzip")
        .send()
        .await
        .expect("sent");
    assert_eq!(gzip.headers()["content-encoding"], "gzip");
    assert_eq!(gzip.headers()["vary"], "Accept-Encoding");
    let bytes = gzip.bytes().await.expect("body");
    let mut decoded = String::new();
    flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut decoded).expect("gzip");
    assert_eq!(decoded, plain);
    assert!(bytes.len() * 3 < plain.len(), "compressed well: {} of {}", bytes.len(), plain.len());
    let br = app
        .client
        .get(format!("{}/profiles/backend-developer", app.address))
        .header("Accept-Encoding", "gzip, br")
        .send()
        .await
        .expect("sent");
    assert_eq!(br.headers()["content-encoding"], "br");
    let refused = app
        .client
        .get(format!("{}/profiles/backend-developer", app.address))
        .header("Accept-Encoding", "br;q=0, gzip;q=0")
        .send()
        .await
        .expect("sent");
    assert_ne!(refused.headers().get("content-encoding").map(|v| v.to_str().unwrap_or_default()), Some("br"));
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_configured(|s| s.limits.hsts = Some(true), repo_path("content")).await;
    let paths = [
        "/",
        "/de",
        "/profiles",
        "/profiles/backend-developer",
        "/about",
        "/contact",
        "/de/kontakt",
        "/search?q=java",
        "/sitemap.xml",
        "/robots.txt",
        "/feed.xml",
        "/static/site.css",
        "/media/people/lena-hoffmann.svg",
        "/healthz",
        "/readyz",
        "/metrics",
        "/admin/login",
        "/admin/leads",
        "/no-such-page",
        "/profiles/",
    ];
    for path in paths {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}");
        assert_eq!(headers.get("x-content-type-options").map(|v| v.as_bytes()), Some(&b"nosniff"[..]), "{path}");
        assert_eq!(headers.get("x-frame-options").map(|v| v.as_bytes()), Some(&b"DENY"[..]), "{path}");
        assert!(headers.contains_key("referrer-policy") && headers.contains_key("permissions-policy"), "{path}");
        assert!(headers.get("strict-transport-security").is_some(), "{path}: HSTS when served over HTTPS");
    }
    let post =
        app.client.post(format!("{}/contact", app.address)).form(&[("company", "x")]).send().await.expect("sent");
    assert!(post.headers().contains_key("content-security-policy"));
    let page = app.page("/profiles/backend-developer").await;
    assert!(page.select_all("[style]").is_empty(), "no inline styles for the CSP to block");
    assert!(page.select_all("script:not([type=\"application/ld+json\"])").is_empty(), "no inline scripts");
    let plain = spawn_configured(|s| s.limits.hsts = Some(false), repo_path("content")).await.get("/").await;
    assert!(plain.headers().get("strict-transport-security").is_none(), "no HSTS when switched off");
}

#[tokio::test]
async fn an_asset_gets_a_new_url_when_the_file_changes() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("static")).expect("folder");
    std::fs::copy(repo_path("static/site.css"), dir.path().join("static/site.css")).expect("copied");
    std::fs::copy(repo_path("static/favicon.svg"), dir.path().join("static/favicon.svg")).expect("copied");
    let static_dir = dir.path().join("static");
    let first = spawn_configured(|s| s.static_dir = static_dir.clone(), repo_path("content")).await;
    let first_url = first.page("/").await.attr("link[rel=stylesheet]", "href").expect("stylesheet");
    assert!(first_url.starts_with("/static/site.") && first_url != "/static/site.css", "{first_url}");
    let served = first.get(&first_url).await;
    assert_eq!(served.status(), 200);
    assert!(served.headers()["cache-control"].to_str().unwrap_or_default().contains("immutable"));
    assert_eq!(first.get("/static/../Cargo.toml").await.status(), 404);

    std::fs::write(dir.path().join("static/site.css"), "body { color: navy; }\n").expect("changed");
    let second = spawn_configured(|s| s.static_dir = static_dir.clone(), repo_path("content")).await;
    let second_url = second.page("/").await.attr("link[rel=stylesheet]", "href").expect("stylesheet");
    assert_ne!(first_url, second_url, "a deploy with new CSS links new CSS");
    assert_eq!(second.get(&first_url).await.status(), 404, "the old version is not served as if it were the new one");
}

#[tokio::test]
async fn oversized_headers_are_refused() {
    let app = spawn_configured(|s| s.limits.max_header_bytes = 4_096, repo_path("content")).await;
    let response =
        app.client.get(format!("{}/", app.address)).header("X-Filler", "a".repeat(8_000)).send().await.expect("sent");
    assert_eq!(response.status(), 431);
    assert_eq!(app.get("/").await.status(), 200);
}

#[tokio::test]
async fn a_client_that_stalls_halfway_is_dropped_while_others_are_served() {
    let app = spawn_configured(|s| s.limits.request_timeout_ms = 500, repo_path("content")).await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let started = Instant::now();
    let stalled = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).expect("connects");
        stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout set");
        stream.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Half: ").expect("half a request");
        let mut buffer = [0u8; 1024];
        let read = stream.read(&mut buffer).unwrap_or(0);
        String::from_utf8_lossy(&buffer[..read]).into_owned()
    });
    for _ in 0..5 {
        assert_eq!(app.get("/profiles").await.status(), 200, "others are served meanwhile");
    }
    let answer = stalled.await.expect("finished");
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(5), "dropped after the timeout, not held: {waited:?}");
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "{answer:?}");
}

#[tokio::test]
async fn readyz_turns_503_when_the_database_cannot_be_read() {
    let app = spawn_app().await;
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status(), 200);
    std::fs::write(&app.database, b"this is not a database any more").expect("overwritten");
    let _ = std::fs::remove_file(app.database.with_extension("db-wal"));
    let not_ready = app.get("/readyz").await;
    assert_eq!(not_ready.status(), 503);
    assert!(not_ready.text().await.expect("body").contains("unreachable"));
    assert_eq!(app.get("/healthz").await.status(), 200, "the process is alive all the same");
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = spawn_app().await;
    for _ in 0..3 {
        app.get("/profiles/backend-developer").await;
    }
    app.get("/profiles/no-such-role").await;
    let metrics = app.get("/metrics").await.text().await.expect("body");
    assert!(
        metrics.contains("jobprofiles_http_requests_total{method=\"GET\",route=\"/profiles/{slug}\",status=\"200\"} 3"),
        "{metrics}"
    );
    assert!(
        metrics.contains("jobprofiles_http_requests_total{method=\"GET\",route=\"/profiles/{slug}\",status=\"404\"} 1")
    );
    assert!(metrics.contains("jobprofiles_http_request_duration_seconds_bucket"));
    for kind in ["notification", "confirmation", "webhook"] {
        assert!(metrics.contains(&format!("jobprofiles_outbox_pending{{kind=\"{kind}\"}} 0")), "{metrics}");
    }
}

#[tokio::test]
async fn metrics_bound_apart_answer_only_there() {
    let app = spawn_configured(|s| s.metrics_bind = Some("127.0.0.1:0".into()), repo_path("content")).await;
    app.get("/profiles/backend-developer").await;
    let public = app.get("/metrics").await;
    assert_eq!(public.status(), 404, "the public port no longer answers /metrics");
    let metrics_address = app.metrics_address.clone().expect("a metrics port");
    let scraped = app.client.get(format!("{metrics_address}/metrics")).send().await.expect("scraped");
    assert_eq!(scraped.status(), 200);
    let metrics = scraped.text().await.expect("body");
    assert!(
        metrics.contains("jobprofiles_http_requests_total{method=\"GET\",route=\"/profiles/{slug}\",status=\"200\"} 1"),
        "the public port's requests are counted: {metrics}"
    );
    let elsewhere = app.client.get(format!("{metrics_address}/profiles/backend-developer")).send().await.expect("sent");
    assert_eq!(elsewhere.status(), 404, "the metrics port serves nothing of the site");
}

#[tokio::test]
async fn head_requests_are_counted_as_head() {
    let app = spawn_app().await;
    let head = app.client.head(format!("{}/profiles/backend-developer", app.address)).send().await.expect("sent");
    assert_eq!(head.status(), 200);
    let metrics = app.get("/metrics").await.text().await.expect("body");
    assert!(
        metrics
            .contains("jobprofiles_http_requests_total{method=\"HEAD\",route=\"/profiles/{slug}\",status=\"200\"} 1"),
        "{metrics}"
    );
}
