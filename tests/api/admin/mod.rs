use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use futures_util::future::join_all;
use jobprofiles::domain::lead::LeadStatus;

use crate::contact::valid_with;
use crate::helpers::{Page, TestApp, from_address, repo_path, spawn_app, spawn_configured, trust_client_addresses};

pub(crate) const STAFF: &str = "staff@quellwerk.example";
pub(crate) const PASSWORD: &str = "a long and winding passphrase";
const CSRF_COOKIE: &str = "jp_csrf";
const SESSION_COOKIE: &str = "jp_admin";
const DEVICE_COOKIE: &str = "jp_device";

fn jobprofiles(app: &TestApp) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_jobprofiles"));
    for (key, _) in std::env::vars().filter(|(key, _)| key.starts_with("JOBPROFILES_")) {
        command.env_remove(key);
    }
    command.arg("--database").arg(&app.database);
    command
}

/// `admin add-user` with the password on standard input, as a script would do it.
pub(crate) fn add_user(app: &TestApp, email: &str, password: &str) -> std::process::Output {
    with_password(app, "add-user", email, password)
}

/// `admin <command> <email>` with the password on standard input.
fn with_password(app: &TestApp, command: &str, email: &str, password: &str) -> std::process::Output {
    let mut child = jobprofiles(app)
        .args(["admin", command, email])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    child.stdin.take().expect("stdin").write_all(format!("{password}\n").as_bytes()).expect("password written");
    child.wait_with_output().expect("exits")
}

/// A logged-in browser: its cookies and the session's CSRF token.
pub(crate) struct Staff {
    pub(crate) cookies: String,
    pub(crate) csrf: String,
}

/// The whole `Set-Cookie` header for one cookie, attributes included; served over HTTPS, its
/// name carries the `__Host-` prefix.
fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.strip_prefix("__Host-").unwrap_or(v).starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

/// `name=value` of a cookie the response sets, as a browser sends it back.
fn cookie_pair(response: &reqwest::Response, name: &str) -> Option<String> {
    set_cookie(response, name).map(|v| v.split(';').next().unwrap_or_default().to_owned())
}

impl TestApp {
    pub(crate) async fn get_with(&self, path: &str, cookies: &str) -> reqwest::Response {
        self.client.get(format!("{}{path}", self.address)).header("Cookie", cookies).send().await.expect("sent")
    }

    pub(crate) async fn post_with(&self, path: &str, cookies: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.address))
            .header("Cookie", cookies)
            .form(form)
            .send()
            .await
            .expect("sent")
    }

    /// Opens the login page and sends the form; returns the answer and the cookies sent with it.
    async fn try_login(
        &self,
        email: &str,
        password: &str,
        next: &str,
        extra_cookie: Option<&str>,
    ) -> (reqwest::Response, String) {
        self.try_login_from(None, email, password, next, extra_cookie).await
    }

    /// `try_login` from the client address `address` (see `trust_client_addresses`).
    async fn try_login_from(
        &self,
        address: Option<&str>,
        email: &str,
        password: &str,
        next: &str,
        extra_cookie: Option<&str>,
    ) -> (reqwest::Response, String) {
        let from = |request: reqwest::RequestBuilder| match address {
            Some(ip) => from_address(request, ip),
            None => request,
        };
        let url = format!(
            "{}/admin/login?next={}",
            self.address,
            percent_encoding::utf8_percent_encode(next, percent_encoding::NON_ALPHANUMERIC)
        );
        let page = from(self.client.get(url)).send().await.expect("sent");
        let csrf_cookie = cookie_pair(&page, CSRF_COOKIE).expect("csrf cookie");
        let html = Page::from_text(page.status(), page.text().await.expect("body"));
        let token = html.attr("input[name=csrf_token]", "value").expect("token");
        let cookies = match extra_cookie {
            Some(extra) => format!("{csrf_cookie}; {extra}"),
            None => csrf_cookie.clone(),
        };
        let form = [("email", email), ("password", password), ("csrf_token", &token), ("next", next)];
        let request = self.client.post(format!("{}/admin/login", self.address)).header("Cookie", &cookies).form(&form);
        let response = from(request).send().await.expect("sent");
        (response, csrf_cookie)
    }

    pub(crate) async fn login(&self) -> Staff {
        let (response, csrf_cookie) = self.try_login(STAFF, PASSWORD, "/admin/leads", None).await;
        assert_eq!(response.status(), 303, "login succeeds");
        let session = cookie_pair(&response, SESSION_COOKIE).expect("session cookie");
        let cookies = format!("{csrf_cookie}; {session}");
        let inbox = Page::from_text(
            reqwest::StatusCode::OK,
            self.get_with("/admin/leads", &cookies).await.text().await.expect("body"),
        );
        let csrf = inbox
            .attr("form[action=\"/admin/logout\"] input[name=csrf_token]", "value")
            .expect("csrf token on the page");
        Staff { cookies, csrf }
    }

    async fn submit_lead(&self, path: &str, overrides: &[(&'static str, &'static str)]) -> i64 {
        let form = self.open_form(path).await;
        assert_eq!(self.send(&form, &valid_with(overrides)).await.status(), 303);
        self.leads()[0].id
    }
}

fn nonzero(n: u32) -> std::num::NonZeroU32 {
    std::num::NonZeroU32::new(n).unwrap_or(std::num::NonZeroU32::MIN)
}

async fn app_with_staff(configure: impl FnOnce(&mut jobprofiles::configuration::Settings)) -> TestApp {
    let app = spawn_configured(configure, repo_path("content")).await;
    let output = add_user(&app, STAFF, PASSWORD);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    app
}

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
async fn repeated_failures_lock_the_login_for_a_while_and_the_lock_lifts() {
    let app = app_with_staff(|s| {
        s.admin.max_failed_logins = nonzero(3);
        s.admin.lock_secs = 60;
    })
    .await;
    for _ in 0..3 {
        assert_eq!(app.try_login(STAFF, "wrong wrong wrong", "/admin", None).await.0.status(), 401);
    }
    let (locked, _) = app.try_login(STAFF, PASSWORD, "/admin", None).await;
    assert_eq!(locked.status(), 429, "even the right password waits");
    assert!(locked.headers().contains_key("retry-after"));
    assert!(locked.text().await.expect("body").contains("Too many failed logins"));
    // The minute of the lock has passed.
    diesel::sql_query(
        "UPDATE login_throttle SET first_failure_at = first_failure_at - 60000, locked_until = locked_until - 60000",
    )
    .execute(&mut app.pool().get().expect("connection"))
    .expect("lock aged");
    assert_eq!(app.try_login(STAFF, PASSWORD, "/admin", None).await.0.status(), 303, "the lock lifts");
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
        .execute(&mut app.pool().get().expect("connection"))
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
        ("/admin/logout".to_owned(), vec![]),
    ];
    for (path, fields) in &cases {
        for csrf in ["", "00", other.csrf.as_str()] {
            let mut form = fields.clone();
            form.push(("csrf_token", csrf));
            let response = app.post_with(path, &staff.cookies, &form).await;
            assert_eq!(response.status(), 403, "{path} with csrf {csrf:?}");
        }
    }
    let leads = app.leads();
    assert_eq!(leads.len(), 1, "nothing was erased");
    assert_eq!(leads[0].status, LeadStatus::New, "nothing was changed");
    assert_eq!(app.get_with("/admin/leads", &staff.cookies).await.status(), 200, "still logged in");
}

#[tokio::test]
async fn the_inbox_filters_searches_and_pages_and_keeps_spam_apart() {
    let app = app_with_staff(|s| s.admin.page_size = 2).await;
    app.submit_lead("/contact?profile=backend-developer", &[("company", "Alpha Logistik")]).await;
    app.submit_lead("/contact?profile=devops-engineer", &[("company", "Beta Energie")]).await;
    app.submit_lead(
        "/de/kontakt?profile=backend-entwickler",
        &[("company", "Gamma Bank"), ("email", "kontakt@gamma.example")],
    )
    .await;
    app.submit_lead("/contact?profile=backend-developer", &[("company", "Delta Spam"), ("website", "bot")]).await;
    let staff = app.login().await;

    let rows = |page: &Page| page.select_all("table.leads tbody tr").len();
    let inbox = |query: &'static str| {
        let app = &app;
        let cookies = staff.cookies.clone();
        async move {
            Page::from_text(
                reqwest::StatusCode::OK,
                app.get_with(&format!("/admin/leads{query}"), &cookies).await.text().await.expect("body"),
            )
        }
    };
    let first = inbox("").await;
    assert_eq!(rows(&first), 2);
    assert!(first.text.contains("3 lead(s), page 1 of 2"), "spam is not in the work list");
    assert!(first.text_of("table.leads").contains("Gamma Bank"), "newest first");
    let next = first.attr("a[rel=next]", "href").expect("a next page");
    let second =
        Page::from_text(reqwest::StatusCode::OK, app.get_with(&next, &staff.cookies).await.text().await.expect("body"));
    assert_eq!(rows(&second), 1);
    assert!(second.text_of("table.leads").contains("Alpha Logistik"));

    let by_profile = inbox("?profile=backend-developer").await;
    assert_eq!(rows(&by_profile), 1);
    assert!(by_profile.text_of("table.leads").contains("Alpha Logistik"));
    let searched = inbox("?q=gamma.example").await;
    assert_eq!(rows(&searched), 1, "search covers the e-mail address");
    let searched = inbox("?q=ETA%20ENER").await;
    assert!(searched.text_of("table.leads").contains("Beta Energie"), "search ignores case");
    assert_eq!(rows(&inbox("?q=%25").await), 0, "a % is searched for, not a wildcard");
    assert_eq!(rows(&inbox("?from=2099-01-01").await), 0);
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let to_today = Page::from_text(
        reqwest::StatusCode::OK,
        app.get_with(&format!("/admin/leads?from={today}&to={today}"), &staff.cookies)
            .await
            .text()
            .await
            .expect("body"),
    );
    assert!(to_today.text.contains("3 lead(s)"));
    let spam = inbox("?view=spam").await;
    assert_eq!(rows(&spam), 1);
    assert!(spam.text_of("table.leads").contains("Delta Spam"));
    assert_eq!(rows(&inbox("?status=won").await), 0);
    let yesterday = (time::OffsetDateTime::now_utc().date() - time::Duration::days(1)).to_string();
    let until_yesterday = Page::from_text(
        reqwest::StatusCode::OK,
        app.get_with(&format!("/admin/leads?to={yesterday}"), &staff.cookies).await.text().await.expect("body"),
    );
    assert_eq!(rows(&until_yesterday), 0, "the `to` date excludes today's leads");
    let gamma = app.leads().into_iter().find(|l| l.request.company.as_ref() == "Gamma Bank").expect("lead").id;
    app.post_with(
        &format!("/admin/leads/{gamma}/status"),
        &staff.cookies,
        &[("csrf_token", &staff.csrf), ("status", "contacted")],
    )
    .await;
    let contacted = inbox("?status=contacted").await;
    assert_eq!(rows(&contacted), 1);
    assert!(contacted.text_of("table.leads").contains("Gamma Bank"));
    assert_eq!(rows(&inbox("?page=abc").await), 2, "a page number that is not one shows the first page");
}

#[tokio::test]
async fn status_changes_follow_the_workflow_and_are_recorded_with_who_and_when() {
    let app = app_with_staff(|_| {}).await;
    let lead = app.submit_lead("/contact", &[]).await;
    let staff = app.login().await;
    let post = |status: &'static str| {
        let (app, staff) = (&app, &staff);
        async move {
            app.post_with(
                &format!("/admin/leads/{lead}/status"),
                &staff.cookies,
                &[("csrf_token", &staff.csrf), ("status", status)],
            )
            .await
        }
    };
    assert_eq!(post("won").await.status(), 409, "new → won skips the workflow");
    assert_eq!(post("contacted").await.status(), 303);
    assert_eq!(post("qualified").await.status(), 303);
    let note = app
        .post_with(
            &format!("/admin/leads/{lead}/notes"),
            &staff.cookies,
            &[("csrf_token", &staff.csrf), ("body", "Called, <b>keen</b> to start in March.")],
        )
        .await;
    assert_eq!(note.status(), 303);
    let page = Page::from_text(
        reqwest::StatusCode::OK,
        app.get_with(&format!("/admin/leads/{lead}"), &staff.cookies).await.text().await.expect("body"),
    );
    let history = page.text_of(".history");
    assert!(history.contains(&format!("{STAFF} status new → contacted")), "{history}");
    assert!(history.contains(&format!("{STAFF} status contacted → qualified")), "{history}");
    assert!(history.contains("UTC"), "with the time: {history}");
    assert!(page.text_of(".note").contains("Called, <b>keen</b> to start in March."), "notes are shown as text");
    assert!(!page.text.contains("<b>keen</b>"), "and escaped");
    assert!(page.text_of("main").contains("Nordlicht Logistik GmbH"));
    assert!(page.text_of("main").contains("waiting to be sent"), "the notification's state");
    assert_eq!(app.leads()[0].status, LeadStatus::Qualified);
}

#[tokio::test]
async fn the_csv_export_opens_in_spreadsheets_and_defuses_formulas() {
    let app = app_with_staff(|_| {}).await;
    app.submit_lead(
        "/contact?profile=qa-engineer",
        &[("company", "=HYPERLINK(\"http://x\")"), ("message", "Line one of the request,\nline two with \"quotes\".")],
    )
    .await;
    let staff = app.login().await;
    let response = app.get_with("/admin/leads/export.csv", &staff.cookies).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/csv"));
    assert!(response.headers()["content-disposition"].to_str().unwrap_or_default().contains("attachment"));
    let bytes = response.bytes().await.expect("body");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert!(text.starts_with("id,received,status,"));
    assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
    assert!(text.contains("\"Line one of the request,\nline two with \"\"quotes\"\".\""), "{text}");
    assert!(text.contains(",'+49 40 1234567,"), "a phone number starting with + is defused too: {text}");
    assert!(text.lines().count() >= 2 && text.contains("\r\n"), "CRLF records");

    let cli = jobprofiles(&app).args(["leads", "export", "--format", "csv"]).output().expect("runs");
    assert!(cli.status.success());
    assert_eq!(String::from_utf8_lossy(&cli.stdout[3..]), text, "the command line exports the same");
    let later =
        jobprofiles(&app).args(["leads", "export", "--format", "csv", "--since", "2099-01-01"]).output().expect("runs");
    assert_eq!(String::from_utf8_lossy(&later.stdout[3..]).lines().count(), 1, "only the header");
}

#[derive(QueryableByName)]
struct Hits {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Column {
    #[diesel(sql_type = Text)]
    name: String,
}

/// Rows in any table with any column that contains `needle`.
fn rows_mentioning(app: &TestApp, needle: &str) -> i64 {
    let mut conn = app.pool().get().expect("connection");
    let tables: Vec<Column> =
        diesel::sql_query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .load(&mut conn)
            .expect("tables");
    tables
        .iter()
        .map(|table| {
            let columns: Vec<Column> =
                diesel::sql_query(format!("SELECT name FROM pragma_table_info('{}')", table.name))
                    .load(&mut conn)
                    .expect("columns");
            let condition = columns
                .iter()
                .map(|c| format!("lower(CAST(\"{}\" AS TEXT)) LIKE ?", c.name))
                .collect::<Vec<_>>()
                .join(" OR ");
            let mut query =
                diesel::sql_query(format!("SELECT count(*) AS n FROM \"{}\" WHERE {condition}", table.name))
                    .into_boxed();
            for _ in &columns {
                query = query.bind::<Text, _>(format!("%{}%", needle.to_lowercase()));
            }
            query.get_result::<Hits>(&mut conn).expect("count").n
        })
        .sum()
}

#[tokio::test]
async fn erasing_an_address_removes_every_trace_and_says_how_many_rows_went() {
    let app = app_with_staff(|_| {}).await;
    let first = app.submit_lead("/contact", &[("email", "erase.me@nordlicht.example")]).await;
    app.submit_lead("/de/kontakt", &[("email", "Erase.Me@Nordlicht.example")]).await;
    let keep = app.submit_lead("/contact", &[("email", "keep@other.example")]).await;
    let staff = app.login().await;
    app.post_with(
        &format!("/admin/leads/{first}/notes"),
        &staff.cookies,
        &[("csrf_token", &staff.csrf), ("body", "Asked for erasure.")],
    )
    .await;
    app.post_with(
        &format!("/admin/leads/{first}/status"),
        &staff.cookies,
        &[("csrf_token", &staff.csrf), ("status", "contacted")],
    )
    .await;
    assert!(rows_mentioning(&app, "erase.me@nordlicht.example") >= 2);

    let response = app
        .post_with(
            "/admin/erase",
            &staff.cookies,
            &[("csrf_token", &staff.csrf), ("email", "ERASE.me@nordlicht.example")],
        )
        .await;
    assert_eq!(response.status(), 200);
    let page = Page::from_text(reqwest::StatusCode::OK, response.text().await.expect("body"));
    assert!(page.text_of("h1").contains("2 lead(s)"), "{}", page.text_of("h1"));
    assert!(
        page.text_of("main")
            .contains("7 rows removed in all: 2 lead(s), 2 notification(s), 1 note(s), 2 history entries"),
        "{}",
        page.text_of("main")
    );
    assert_eq!(rows_mentioning(&app, "erase.me@nordlicht.example"), 0, "no row anywhere mentions the address");
    assert_eq!(rows_mentioning(&app, "Asked for erasure"), 0, "the note went too");
    let left = app.leads();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].id, keep);

    let single =
        app.post_with(&format!("/admin/leads/{keep}/delete"), &staff.cookies, &[("csrf_token", &staff.csrf)]).await;
    assert_eq!(single.status(), 200);
    assert!(single.text().await.expect("body").contains("2 rows removed"));
    assert!(app.leads().is_empty());
    assert_eq!(rows_mentioning(&app, "keep@other.example"), 0);
}

#[tokio::test]
async fn leads_older_than_the_retention_period_are_erased_by_the_daily_task() {
    use diesel::RunQueryDsl;
    let app = spawn_configured(|_| {}, repo_path("content")).await;
    app.submit_lead("/contact", &[("company", "Old Request AG")]).await;
    app.submit_lead("/contact", &[("company", "Fresh Request AG")]).await;
    let two_days_ms = 2 * 24 * 3600 * 1000;
    diesel::sql_query(format!(
        "UPDATE leads SET created_at = created_at - {two_days_ms} WHERE company = 'Old Request AG'"
    ))
    .execute(&mut app.pool().get().expect("connection"))
    .expect("back-dated");
    let database = app.database.clone();
    app.stop().await;
    let mut settings = crate::helpers::settings(repo_path("content"), database);
    settings.admin.retention_days = Some(1);
    settings.admin.retention_interval_secs = 1;
    let purged = crate::helpers::spawn(settings, None).await;
    let left =
        crate::helpers::eventually(Duration::from_secs(5), async || Some(purged.leads()).filter(|l| l.len() == 1))
            .await;
    let left = left.expect("the old lead was erased");
    assert_eq!(left[0].request.company.as_ref(), "Fresh Request AG", "the recent one stays");
}

#[test]
fn a_retention_period_outside_1_to_36500_days_is_refused() {
    for days in ["0", "36501", "-1"] {
        let output = Command::new(env!("CARGO_BIN_EXE_jobprofiles"))
            .args(["check", "--content", "content", "--lead-retention-days", days])
            .current_dir(repo_path(""))
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(2), "{days}");
    }
}

#[tokio::test]
async fn failed_logins_from_one_client_lock_it_even_across_accounts() {
    let app = app_with_staff(|s| s.admin.max_failed_logins = nonzero(3)).await;
    for account in ["a@quellwerk.example", "b@quellwerk.example", "c@quellwerk.example"] {
        assert_eq!(app.try_login(account, "guess guess guess", "/admin", None).await.0.status(), 401);
    }
    assert_eq!(app.try_login(STAFF, PASSWORD, "/admin", None).await.0.status(), 429, "the client address is locked");
}

#[tokio::test]
async fn parallel_guesses_cannot_slip_past_the_limit() {
    let app = app_with_staff(|s| s.admin.max_failed_logins = nonzero(3)).await;
    let attempts = (0..12).map(|_| app.try_login(STAFF, "parallel guessing", "/admin", None));
    let statuses: Vec<u16> = join_all(attempts).await.into_iter().map(|(r, _)| r.status().as_u16()).collect();
    let guessed = statuses.iter().filter(|s| **s == 401).count();
    assert_eq!(guessed, 3, "only three passwords were checked: {statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 9);
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
        .execute(&mut app.pool().get().expect("connection"))
        .expect("session aged");
    assert_eq!(app.get_with("/admin/leads", &cookies).await.status(), 303, "the absolute timeout ends it anyway");
}

#[tokio::test]
async fn the_export_holds_exactly_the_filtered_leads() {
    let app = app_with_staff(|_| {}).await;
    app.submit_lead("/contact?profile=backend-developer", &[("company", "Backend Buyer")]).await;
    app.submit_lead("/contact?profile=data-scientist", &[("company", "Data Buyer")]).await;
    let staff = app.login().await;
    let csv = app
        .get_with("/admin/leads/export.csv?profile=data-scientist", &staff.cookies)
        .await
        .text()
        .await
        .expect("body");
    assert!(csv.contains("Data Buyer") && !csv.contains("Backend Buyer"), "{csv}");
    let page = Page::from_text(
        reqwest::StatusCode::OK,
        app.get_with("/admin/leads?profile=data-scientist", &staff.cookies).await.text().await.expect("body"),
    );
    let href = page.attr("a[href^=\"/admin/leads/export.csv\"]", "href").expect("export link");
    assert!(href.contains("profile=data-scientist"), "the link carries the filters: {href}");
}

#[tokio::test]
async fn a_failed_notification_is_shown_and_can_be_sent_again_once_mail_works() {
    let sink = crate::smtp_sink::SmtpSink::start_refusing().await;
    let port = sink.port;
    let app = app_with_staff(|s| {
        s.leads.outbox_max_attempts = 1;
        s.smtp.host = Some("127.0.0.1".into());
        s.smtp.port = port;
    })
    .await;
    let lead = app.submit_lead("/contact", &[]).await;
    let staff = app.login().await;
    let failed = crate::helpers::eventually(Duration::from_secs(10), async || {
        let mut conn = app.pool().get().ok()?;
        jobprofiles::db::leads::notification_state(&mut conn, lead)
            .ok()
            .flatten()
            .filter(|s| matches!(s, jobprofiles::domain::lead::NotificationState::Failed { .. }))
    })
    .await;
    assert!(failed.is_some(), "marked failed after the last attempt");
    let page = Page::from_text(
        reqwest::StatusCode::OK,
        app.get_with(&format!("/admin/leads/{lead}"), &staff.cookies).await.text().await.expect("body"),
    );
    assert!(page.text_of("main").contains("failed after 1 attempts"));
    assert_eq!(page.select_all(&format!("form[action=\"/admin/leads/{lead}/retry\"]")).len(), 1, "a retry button");

    sink.accept_mail();
    let retry =
        app.post_with(&format!("/admin/leads/{lead}/retry"), &staff.cookies, &[("csrf_token", &staff.csrf)]).await;
    assert_eq!(retry.status(), 303);
    assert!(
        crate::helpers::eventually(Duration::from_secs(10), async || sink.mails().into_iter().next()).await.is_some(),
        "the mail arrives"
    );
    let page = Page::from_text(
        reqwest::StatusCode::OK,
        app.get_with(&format!("/admin/leads/{lead}"), &staff.cookies).await.text().await.expect("body"),
    );
    assert!(page.text_of(".history").contains("retried the notification (was failed)"));
}

#[tokio::test]
async fn a_lead_restored_from_spam_gets_its_notification() {
    let app = app_with_staff(|_| {}).await;
    let lead = app.submit_lead("/contact", &[("website", "filled by mistake")]).await;
    let staff = app.login().await;
    let restore = app
        .post_with(
            &format!("/admin/leads/{lead}/status"),
            &staff.cookies,
            &[("csrf_token", &staff.csrf), ("status", "new")],
        )
        .await;
    assert_eq!(restore.status(), 303);
    let mut conn = app.pool().get().expect("connection");
    assert_eq!(
        jobprofiles::db::leads::notification_state(&mut conn, lead).expect("state"),
        Some(jobprofiles::domain::lead::NotificationState::Waiting)
    );
}

#[tokio::test]
async fn an_operator_works_a_lead_from_the_public_form_to_erasure() {
    let app = app_with_staff(|_| {}).await;
    let lead = app
        .submit_lead(
            "/contact?profile=cloud-architect",
            &[("company", "Wolkenwerk GmbH"), ("email", "cto@wolkenwerk.example")],
        )
        .await;
    let staff = app.login().await;
    let inbox = Page::from_text(
        reqwest::StatusCode::OK,
        app.get_with("/admin/leads", &staff.cookies).await.text().await.expect("body"),
    );
    assert!(inbox.text_of("table.leads").contains("Wolkenwerk GmbH"));
    let href = inbox.attr("table.leads a", "href").expect("a link to the lead");
    assert_eq!(href, format!("/admin/leads/{lead}"));
    for status in ["contacted", "qualified", "won"] {
        let response = app
            .post_with(&format!("{href}/status"), &staff.cookies, &[("csrf_token", &staff.csrf), ("status", status)])
            .await;
        assert_eq!(response.status(), 303, "{status}");
    }
    let csv = app.get_with("/admin/leads/export.csv?status=won", &staff.cookies).await.text().await.expect("body");
    assert!(csv.contains("Wolkenwerk GmbH") && csv.contains(",won,"), "{csv}");
    let erased = app
        .post_with("/admin/erase", &staff.cookies, &[("csrf_token", &staff.csrf), ("email", "cto@wolkenwerk.example")])
        .await;
    assert!(erased.text().await.expect("body").contains("1 lead(s) of cto@wolkenwerk.example erased"));
    assert!(app.leads().is_empty());
    assert_eq!(rows_mentioning(&app, "wolkenwerk"), 0);
}

#[tokio::test]
async fn a_staff_page_whose_session_cannot_be_read_answers_the_error_page_with_every_header() {
    let app = app_with_staff(|_| {}).await;
    let staff = app.login().await;
    diesel::sql_query("DROP TABLE admin_sessions")
        .execute(&mut app.pool().get().expect("connection"))
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

const ATTACKER: &str = "203.0.113.66";

#[tokio::test]
async fn an_attacker_failing_ten_times_does_not_lock_the_staff_member_out_from_another_address() {
    let app = app_with_staff(trust_client_addresses).await;
    let mut statuses = Vec::new();
    for _ in 0..10 {
        let (response, _) = app.try_login_from(Some(ATTACKER), STAFF, "guess guess guess", "/admin", None).await;
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429], "the attacker's address is locked");
    let (staff, _) = app.try_login_from(Some("198.51.100.7"), STAFF, PASSWORD, "/admin/leads", None).await;
    assert_eq!(staff.status(), 303, "the staff member logs in at once from their own address");
    let (attacker, _) = app.try_login_from(Some(ATTACKER), STAFF, PASSWORD, "/admin", None).await;
    assert_eq!(attacker.status(), 429, "the attacker's address stays locked for the account, right password or not");
    assert!(attacker.headers().contains_key("retry-after"));
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    assert!(metrics.contains("jobprofiles_login_locks_total{lock=\"account_client\"} 1"), "{metrics}");
    assert!(metrics.contains("jobprofiles_login_locks_total{lock=\"client\"} 1"), "{metrics}");
}

#[tokio::test]
async fn a_browser_with_the_device_cookie_logs_in_while_the_account_is_slowed_down() {
    let app = app_with_staff(|s| {
        trust_client_addresses(s);
        s.admin.max_failed_logins = nonzero(3);
        s.admin.account_delay_after = nonzero(4);
        s.admin.account_delay_ms = 600_000;
        s.admin.account_delay_max_ms = 600_000;
    })
    .await;
    let (first, _) = app.try_login_from(Some("198.51.100.7"), STAFF, PASSWORD, "/admin/leads", None).await;
    assert_eq!(first.status(), 303);
    let device = set_cookie(&first, DEVICE_COOKIE).expect("a device cookie at login");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="] {
        assert!(device.contains(attribute), "{device}");
    }
    let device = device.split(';').next().unwrap_or_default().to_owned();

    for attacker in ["203.0.113.1", "203.0.113.2"] {
        for _ in 0..2 {
            let (response, _) = app.try_login_from(Some(attacker), STAFF, "guess guess guess", "/admin", None).await;
            assert_eq!(response.status(), 401);
        }
    }
    let (slowed, _) = app.try_login_from(Some("192.0.2.9"), STAFF, PASSWORD, "/admin", None).await;
    assert_eq!(slowed.status(), 429, "after four failures from anywhere the account waits");
    let retry_after: u64 = slowed.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!(retry_after > 500, "{retry_after}");
    assert!(cookie_pair(&slowed, SESSION_COOKIE).is_none());

    let (trusted, _) = app.try_login_from(Some("192.0.2.9"), STAFF, PASSWORD, "/admin/leads", Some(&device)).await;
    assert_eq!(trusted.status(), 303, "the browser that logged in before is not slowed down");
    assert!(cookie_pair(&trusted, SESSION_COOKIE).is_some());

    let forged = format!(
        "{DEVICE_COOKIE}=1.{}.00112233445566778899aabbccddeeff.00",
        time::OffsetDateTime::now_utc().unix_timestamp()
    );
    let (refused, _) = app.try_login_from(Some("192.0.2.10"), STAFF, PASSWORD, "/admin", Some(&forged)).await;
    assert_eq!(refused.status(), 429, "a forged device cookie counts for nothing");
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    assert!(metrics.contains("jobprofiles_login_locks_total{lock=\"account_delay\"} 1"), "{metrics}");
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

#[tokio::test]
async fn logins_beyond_the_password_checks_at_hand_are_answered_503_and_keep_what_was_typed() {
    let app = app_with_staff(|s| {
        trust_client_addresses(s);
        s.admin.login_concurrency = std::num::NonZeroUsize::new(1);
        s.admin.login_wait_ms = 0;
    })
    .await;
    let app = &app;
    let attempts = (1..=8).map(|i| async move {
        app.try_login_from(Some(&format!("192.0.2.{i}")), STAFF, "wrong", "/admin", None).await
    });
    let answers = join_all(attempts).await;
    let statuses: Vec<u16> = answers.iter().map(|(r, _)| r.status().as_u16()).collect();
    assert!(statuses.contains(&401), "one password was checked: {statuses:?}");
    assert!(statuses.iter().all(|s| [401, 503].contains(s)), "{statuses:?}");
    let (busy, _) = answers.into_iter().find(|(r, _)| r.status() == 503).expect("the others wait for no check");
    assert!(busy.headers().contains_key("retry-after"));
    let page = Page::from_text(busy.status(), busy.text().await.expect("body"));
    assert_eq!(page.attr("input[name=email]", "value").as_deref(), Some(STAFF), "what was typed is kept");
}

#[tokio::test]
async fn failures_spread_over_the_64s_of_one_ipv6_48_lock_the_whole_48() {
    let app = app_with_staff(|s| {
        trust_client_addresses(s);
        s.admin.max_failed_logins = nonzero(2);
        s.ipv6_network_factor = nonzero(2);
    })
    .await;
    for net in 1..=4 {
        let address = format!("2001:db8:7:{net}::1");
        let (response, _) = app.try_login_from(Some(&address), STAFF, "guess guess guess", "/admin", None).await;
        assert_eq!(response.status(), 401, "{address}");
    }
    let (locked, _) = app.try_login_from(Some("2001:db8:7:5::1"), STAFF, PASSWORD, "/admin", None).await;
    assert_eq!(locked.status(), 429, "a fifth /64 of the same /48 is locked");
    let (elsewhere, _) = app.try_login_from(Some("2001:db8:8:1::1"), STAFF, PASSWORD, "/admin/leads", None).await;
    assert_eq!(elsewhere.status(), 303, "another /48 is not");
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    assert!(metrics.contains("jobprofiles_login_locks_total{lock=\"network\"} 1"), "{metrics}");
}

/// An app whose account waits ten minutes after two failures from anywhere, and a device cookie
/// from a login before that.
async fn slowed_account_and_device_cookie() -> (TestApp, String) {
    let app = app_with_staff(|s| {
        trust_client_addresses(s);
        s.admin.max_failed_logins = nonzero(2);
        s.admin.account_delay_after = nonzero(2);
        s.admin.account_delay_ms = 600_000;
        s.admin.account_delay_max_ms = 600_000;
    })
    .await;
    let (first, _) = app.try_login_from(Some("198.51.100.7"), STAFF, PASSWORD, "/admin/leads", None).await;
    assert_eq!(first.status(), 303);
    let device = cookie_pair(&first, DEVICE_COOKIE).expect("a device cookie at login");
    for attacker in ["203.0.113.1", "203.0.113.2"] {
        let (response, _) = app.try_login_from(Some(attacker), STAFF, "guess guess guess", "/admin", None).await;
        assert_eq!(response.status(), 401);
    }
    let (slowed, _) = app.try_login_from(Some("192.0.2.9"), STAFF, PASSWORD, "/admin", None).await;
    assert_eq!(slowed.status(), 429, "the account waits");
    (app, device)
}

#[tokio::test]
async fn a_new_password_voids_every_device_cookie() {
    let (app, device) = slowed_account_and_device_cookie().await;
    let output = with_password(&app, "set-password", STAFF, "another long passphrase");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let (response, _) =
        app.try_login_from(Some("198.51.100.7"), STAFF, "another long passphrase", "/admin", Some(&device)).await;
    assert_eq!(response.status(), 429, "the old cookie no longer skips the delay");
}

#[tokio::test]
async fn a_device_cookie_sent_with_wrong_passwords_soon_counts_for_nothing() {
    let (app, device) = slowed_account_and_device_cookie().await;
    for address in ["192.0.2.21", "192.0.2.22"] {
        let (response, _) =
            app.try_login_from(Some(address), STAFF, "stolen cookie guess", "/admin", Some(&device)).await;
        assert_eq!(response.status(), 401, "{address}");
    }
    let (response, _) = app.try_login_from(Some("192.0.2.23"), STAFF, PASSWORD, "/admin", Some(&device)).await;
    assert_eq!(response.status(), 429, "after two failures the cookie is treated as unknown");
    let metrics = app.get("/metrics").await.text().await.expect("metrics");
    assert!(metrics.contains("jobprofiles_login_locks_total{lock=\"device\"} 1"), "{metrics}");
}

#[tokio::test]
async fn a_browser_with_the_device_cookie_logs_in_from_an_address_others_have_locked() {
    const OFFICE: &str = "198.51.100.50";
    let app = app_with_staff(trust_client_addresses).await;
    let (first, _) = app.try_login_from(Some("198.51.100.7"), STAFF, PASSWORD, "/admin/leads", None).await;
    let device = cookie_pair(&first, DEVICE_COOKIE).expect("a device cookie at login");
    for _ in 0..5 {
        app.try_login_from(Some(OFFICE), STAFF, "a colleague's typo", "/admin", None).await;
    }
    let (locked, _) = app.try_login_from(Some(OFFICE), STAFF, PASSWORD, "/admin", None).await;
    assert_eq!(locked.status(), 429, "the shared address is locked");
    let (staff, _) = app.try_login_from(Some(OFFICE), STAFF, PASSWORD, "/admin/leads", Some(&device)).await;
    assert_eq!(staff.status(), 303, "but not for the browser that logged in before");
}

#[tokio::test]
async fn throttle_counts_keep_no_trace_of_what_was_typed_as_the_account() {
    let app = app_with_staff(|_| {}).await;
    let typed = "my-password-typed-into-the-email-field";
    assert_eq!(app.try_login(typed, "guess guess guess", "/admin", None).await.0.status(), 401);
    assert_eq!(app.try_login(STAFF, "guess guess guess", "/admin", None).await.0.status(), 401);
    #[derive(QueryableByName)]
    struct Key {
        #[diesel(sql_type = Text)]
        key: String,
    }
    let keys: Vec<Key> = diesel::sql_query("SELECT key FROM login_throttle")
        .load(&mut app.pool().get().expect("connection"))
        .expect("keys");
    assert!(keys.iter().any(|k| k.key.starts_with("account:")), "the account is counted");
    for Key { key } in &keys {
        assert!(!key.contains(typed) && !key.contains("quellwerk"), "{key}");
    }
}
