//! Staff tests, by area in the modules below; here the helpers they share: an account, a
//! logged-in browser and the requests it sends.

mod erasure;
mod inbox;
mod lead_workflow;
mod login;
mod login_throttle;
mod stats;

use std::io::Write;
use std::process::{Command, Stdio};

use jobprofiles::domain::LeadId;

use crate::contact::valid_with;
use crate::helpers::{Page, TestApp, from_address, repo_path, spawn_configured};

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
    command.arg("--database").arg(&app.database).arg("--leads-database").arg(app.leads_argument());
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
    pub(crate) async fn try_login(
        &self,
        email: &str,
        password: &str,
        next: &str,
        extra_cookie: Option<&str>,
    ) -> (reqwest::Response, String) {
        self.try_login_from(None, email, password, next, extra_cookie).await
    }

    /// `try_login` from the client address `address` (see `trust_client_addresses`).
    pub(crate) async fn try_login_from(
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

    pub(crate) async fn submit_lead(&self, path: &str, overrides: &[(&'static str, &'static str)]) -> LeadId {
        let form = self.open_form(path).await;
        assert_eq!(self.send(&form, &valid_with(overrides)).await.status(), 303);
        self.leads()[0].id
    }
}

fn nonzero(n: u32) -> std::num::NonZeroU32 {
    std::num::NonZeroU32::new(n).unwrap_or(std::num::NonZeroU32::MIN)
}

pub(crate) async fn app_with_staff(configure: impl FnOnce(&mut jobprofiles::configuration::Settings)) -> TestApp {
    let app = spawn_configured(configure, repo_path("content")).await;
    let output = add_user(&app, STAFF, PASSWORD);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    app
}
