//! A handler that panics (a route only the tests' build has) gets the site's 500 page, and the
//! server goes on serving.

use crate::helpers::{Page, repo_path, spawn_configured};

#[tokio::test]
async fn a_panicking_handler_answers_the_error_page_with_every_security_header_and_the_server_keeps_serving() {
    // One worker: had the panic taken it down, nothing would answer the requests after it.
    let app = spawn_configured(|s| s.limits.hsts = Some(true), repo_path("content")).await;
    for round in 0..3 {
        let response = app.get("/_test/panic").await;
        assert_eq!(response.status(), 500, "round {round}");
        let headers = response.headers().clone();
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        let csp = header("content-security-policy");
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{csp}");
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert_eq!(header("x-frame-options"), "DENY");
        assert_eq!(header("referrer-policy"), "strict-origin-when-cross-origin");
        assert!(header("permissions-policy").contains("camera=()"));
        assert_eq!(header("cross-origin-opener-policy"), "same-origin");
        assert!(header("strict-transport-security").starts_with("max-age="));
        assert_eq!(header("cache-control"), "no-store", "a failure is about this one request");
        assert!(header("content-type").starts_with("text/html"));
        let page = Page::from_text(response.status(), response.text().await.expect("body"));
        assert_eq!(page.text_of("h1"), "Something went wrong");
        assert!(!page.text.contains("on purpose"), "the panic's message stays in the log");

        let after = app.get("/profiles/backend-developer").await;
        assert_eq!(after.status(), 200, "round {round}: still serving");
    }
}
