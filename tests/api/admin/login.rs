//! Logging in and out, sessions and their cookies, and the CSRF token on every staff form.

use diesel::prelude::*;
use jobprofiles::domain::lead::LeadStatus;

use super::{
    CSRF_COOKIE, DEVICE_COOKIE, PASSWORD, SESSION_COOKIE, STAFF, add_user, app_with_staff, cookie_pair, jobprofiles,
    set_cookie,
};
use crate::helpers::{Page, TestApp, spawn_app};

#[tokio::test]
async fn every_admin_url_sends_anonymous_visitors_to_the_login_page_and_back() {
    let app = spawn_app().await;
    for path in [
        "/admin",
        "/admin/leads",
        "/admin/leads?view=spam",
        "/admin/leads/1",
        "/admin/leads/export.csv",
        "/admin/erase",
        "/admin/nothing-here",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 303, "{path}");
        let location = response.headers()["location"].to_str().expect("ascii").to_owned();
        assert!(location.starts_with("/admin/login?next="), "{path}: {location}");
        let next = percent_encoding::percent_decode_str(location.trim_start_matches("/admin/login?next="))
            .decode_utf8()
            .expect("utf-8");
        assert_eq!(next, path);
    }
    for path in [
        "/admin/leads/1/status",
        "/admin/leads/1/notes",
        "/admin/leads/1/retry",
        "/admin/leads/1/delete",
        "/admin/erase",
        "/admin/logout",
    ] {
        let response = app.post_with(path, "", &[("status", "won")]).await;
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(
            response.headers()["location"],
            "/admin/login?next=%2Fadmin%2Fleads",
            "{path}: back to a page, not a form"
        );
    }
}

#[tokio::test]
async fn an_account_added_from_standard_input_logs_in_and_returns_to_the_page_asked_for() {
    let app = app_with_staff(|_| {}).await;
    let listed = jobprofiles(&app).args(["admin", "list-users"]).output().expect("runs");
    assert_eq!(String::from_utf8_lossy(&listed.stdout).trim(), STAFF);
    let again = add_user(&app, "STAFF@quellwerk.example", PASSWORD);
    assert!(!again.status.success(), "one account per address, whatever the case");
    let short = add_user(&app, "other@quellwerk.example", "short");
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));

    let (response, _) = app.try_login(STAFF, PASSWORD, "/admin/leads?view=spam", None).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/admin/leads?view=spam");
    let cookie = set_cookie(&response, SESSION_COOKIE).expect("session");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains(PASSWORD));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_account_get_the_same_generic_error() {
    let app = app_with_staff(|_| {}).await;
    for (email, password) in
        [(STAFF, "not the passphrase at all"), ("nobody@quellwerk.example", PASSWORD), ("not an email", PASSWORD)]
    {
        let (response, _) = app.try_login(email, password, "/admin/leads", None).await;
        assert_eq!(response.status(), 401, "{email}");
        assert!(cookie_pair(&response, SESSION_COOKIE).is_none());
        let page = Page::from_text(response.status(), response.text().await.expect("body"));
        assert_eq!(page.text_of(".error-summary").trim(), "E-mail or password is wrong.");
        assert_eq!(page.attr("#email", "value").as_deref(), Some(email), "the e-mail is kept");
    }
}

#[tokio::test]
async fn login_issues_a_new_session_and_logout_kills_the_old_cookie() {
    let app = app_with_staff(|_| {}).await;
    let first = app.login().await;
    let first_session =
        first.cookies.split("; ").find(|c| c.contains(&format!("{SESSION_COOKIE}="))).expect("session").to_owned();

    let (response, _) = app.try_login(STAFF, PASSWORD, "/admin/leads", Some(&first_session)).await;
    let second_session = cookie_pair(&response, SESSION_COOKIE).expect("new session");
    assert_ne!(first_session, second_session, "a new session id at login");
    assert_eq!(
        app.get_with("/admin/leads", &first.cookies).await.status(),
        303,
        "the session planted before login is gone"
    );

    let staff = app.login().await;
    assert_eq!(app.get_with("/admin/leads", &staff.cookies).await.status(), 200);
    let logout = app.post_with("/admin/logout", &staff.cookies, &[("csrf_token", &staff.csrf)]).await;
    assert_eq!(logout.status(), 303);
    assert_eq!(
        app.get_with("/admin/leads", &staff.cookies).await.status(),
        303,
        "a cookie kept from before logout no longer works"
    );
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = app_with_staff(|s| s.admin.idle_timeout_secs = 60).await;
    let staff = app.login().await;
    assert_eq!(app.get_with("/admin/leads", &staff.cookies).await.status(), 200);
    // Last seen over a minute ago.
    diesel::sql_query("UPDATE admin_sessions SET last_seen_at = last_seen_at - 61000")
        .execute(&mut app.lead_store().get().expect("connection"))
        .expect("session aged");
    assert_eq!(app.get_with("/admin/leads", &staff.cookies).await.status(), 303);
}

#[tokio::test]
async fn after_login_an_open_redirect_stays_on_the_site() {
    let app = app_with_staff(|_| {}).await;
    for next in ["//evil.example", "https://evil.example/admin", "/\\evil.example", "/profiles"] {
        let (response, _) = app.try_login(STAFF, PASSWORD, next, None).await;
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/admin/leads", "{next}");
    }
}

#[tokio::test]
async fn every_state_changing_admin_request_needs_the_sessions_csrf_token() {
    let app = app_with_staff(|_| {}).await;
    let lead = app.submit_lead("/contact", &[]).await;
    let staff = app.login().await;
    let other = app.login().await;
    let cases = [
        (format!("/admin/leads/{lead}/status"), vec![("status", "contacted")]),
        (format!("/admin/leads/{lead}/notes"), vec![("body", "a note")]),
        (format!("/admin/leads/{lead}/retry"), vec![]),
        (format!("/admin/leads/{lead}/delete"), vec![]),
        ("/admin/erase".to_owned(), vec![("email", "erika.muster@nordlicht.example")]),
        ("/admin/drafts/preview".to_owned(), vec![("lang", "en"), ("slug", "a-draft")]),
        ("/admin/logout".to_owned(), vec![]),
    ];
    for (path, fields) in &cases {
        for csrf in ["", "00", other.csrf.as_str()] {
            let mut form = fields.clone();
            form.push(("csrf_token", csrf));
            let response = app.post_with(path, &staff.cookies, &form).await;
            assert_eq!(response.status(), 403, "{path} with csrf {csrf:?}");
            assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
            let page = response.text().await.expect("body");
            assert!(page.contains("This request was refused"), "{path}: {page}");
        }
    }
    let leads = app.leads();
    assert_eq!(leads.len(), 1, "nothing was erased");
    assert_eq!(leads[0].status, LeadStatus::New, "nothing was changed");
    assert_eq!(app.get_with("/admin/leads", &staff.cookies).await.status(), 200, "still logged in");
}

#[tokio::test]
async fn the_login_form_needs_its_csrf_token() {
    let app = app_with_staff(|_| {}).await;
    let response = app
        .post_with(
            "/admin/login",
            "",
            &[("email", STAFF), ("password", PASSWORD), ("csrf_token", "forged"), ("next", "/admin")],
        )
        .await;
    assert_eq!(response.status(), 403);
    assert!(cookie_pair(&response, SESSION_COOKIE).is_none(), "no session without the token");
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_served_over_https_and_sessions_end_absolutely() {
    let app = app_with_staff(|s| {
        s.cookie_secure = Some(true);
        s.admin.absolute_timeout_secs = 60;
    })
    .await;
    let (response, csrf) = app.try_login(STAFF, PASSWORD, "/admin/leads", None).await;
    let raw = set_cookie(&response, SESSION_COOKIE).expect("session");
    assert!(raw.contains("Secure"), "{raw}");
    let cookies = format!("{csrf}; {}", raw.split(';').next().unwrap_or_default());
    for _ in 0..3 {
        assert_eq!(app.get_with("/admin/leads", &cookies).await.status(), 200, "busy, so never idle");
    }
    // Started over a minute ago, yet seen just now.
    diesel::sql_query("UPDATE admin_sessions SET created_at = created_at - 61000")
        .execute(&mut app.lead_store().get().expect("connection"))
        .expect("session aged");
    assert_eq!(app.get_with("/admin/leads", &cookies).await.status(), 303, "the absolute timeout ends it anyway");
}

#[tokio::test]
async fn a_staff_page_whose_session_cannot_be_read_answers_the_error_page_with_every_header() {
    let app = app_with_staff(|_| {}).await;
    let staff = app.login().await;
    diesel::sql_query("DROP TABLE admin_sessions")
        .execute(&mut app.lead_store().get().expect("connection"))
        .expect("dropped");
    let response = app.get_with("/admin/leads", &staff.cookies).await;
    assert_eq!(response.status(), 500);
    assert!(response.headers().contains_key("content-security-policy"), "{:?}", response.headers());
    let page = Page::from_text(reqwest::StatusCode::INTERNAL_SERVER_ERROR, response.text().await.expect("body"));
    assert!(!page.text_of("h1").is_empty(), "the error page, not an empty body");
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    assert!(metrics.contains("route=\"/admin/leads\",status=\"500\"}"), "{metrics}");
}

#[tokio::test]
async fn every_form_names_its_anti_forgery_field_csrf_token_as_scanners_expect() {
    let app = app_with_staff(|_| {}).await;
    let staff = app.login().await;
    let inbox = Page::from_text(
        reqwest::StatusCode::OK,
        app.get_with("/admin/leads", &staff.cookies).await.text().await.expect("body"),
    );
    for (path, page) in [
        ("/contact", app.page("/contact").await),
        ("/de/kontakt", app.page("/de/kontakt").await),
        ("/admin/login", app.page("/admin/login").await),
        ("/admin/leads", inbox),
    ] {
        let forms = page.select_all("form[method=post]").len();
        assert!(forms > 0, "{path} has a form");
        assert_eq!(page.select_all("form[method=post] input[type=hidden][name=csrf_token]").len(), forms, "{path}");
        assert!(page.select_all("input[name=form_token], input[name=csrf]").is_empty(), "{path}");
    }
}

/// The `Set-Cookie` headers of the login page and of a login, and whether HSTS was sent.
async fn cookies_and_hsts(app: &TestApp) -> (Vec<String>, bool) {
    let (response, _) = app.try_login(STAFF, PASSWORD, "/admin/leads", None).await;
    assert_eq!(response.status(), 303);
    let page = app.get("/admin/login").await;
    let cookies = [&page, &response]
        .iter()
        .flat_map(|r| r.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_owned))
        .collect();
    (cookies, response.headers().contains_key("strict-transport-security"))
}

#[tokio::test]
async fn over_https_cookies_are_host_prefixed_and_secure_and_hsts_is_sent_unless_switched_off() {
    let https = app_with_staff(|s| s.base_url = Some("https://jobs.example.test".into())).await;
    let (cookies, hsts) = cookies_and_hsts(&https).await;
    assert!(hsts, "HSTS by default over HTTPS");
    assert_eq!(cookies.len(), 3, "{cookies:?}");
    for name in [CSRF_COOKIE, SESSION_COOKIE, DEVICE_COOKIE] {
        let cookie = cookies.iter().find(|c| c.contains(&format!("{name}="))).expect("set");
        assert!(cookie.starts_with(&format!("__Host-{name}=")), "{cookie}");
        assert!(cookie.contains("; Secure") && cookie.contains("Path=/"), "{cookie}");
        assert!(!cookie.to_lowercase().contains("domain="), "{cookie}");
    }
    let staff = https.login().await;
    assert_eq!(https.get_with("/admin/leads", &staff.cookies).await.status(), 200, "the prefixed cookies work");

    let http = app_with_staff(|s| s.base_url = Some("http://jobs.example.test".into())).await;
    let (cookies, hsts) = cookies_and_hsts(&http).await;
    assert!(!hsts, "no HSTS over plain HTTP");
    assert!(cookies.iter().all(|c| c.starts_with("jp_") && !c.contains("Secure")), "{cookies:?}");

    let switched_off = app_with_staff(|s| {
        s.base_url = Some("https://jobs.example.test".into());
        s.cookie_secure = Some(false);
        s.limits.hsts = Some(false);
    })
    .await;
    let (cookies, hsts) = cookies_and_hsts(&switched_off).await;
    assert!(!hsts && cookies.iter().all(|c| c.starts_with("jp_") && !c.contains("Secure")), "{cookies:?}");

    let switched_on = app_with_staff(|s| {
        s.base_url = Some("http://jobs.example.test".into());
        s.cookie_secure = Some(true);
        s.limits.hsts = Some(true);
    })
    .await;
    let (cookies, hsts) = cookies_and_hsts(&switched_on).await;
    assert!(hsts && cookies.iter().all(|c| c.starts_with("__Host-jp_") && c.contains("; Secure")), "{cookies:?}");
}
