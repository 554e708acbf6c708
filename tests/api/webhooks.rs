//! Leads into the CRM: every lead that is not spam is POSTed to each configured webhook as signed,
//! versioned JSON through the outbox, retried while the receiver is down, shown failed on the
//! staff's lead page when the receiver refuses it, and posted again from there.

use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use jobprofiles::domain::lead::WebhookUrl;
use jobprofiles::security::Secret;
use time::format_description::well_known::Rfc3339;

use crate::admin::app_with_staff;
use crate::cli::serve_refused;
use crate::contact::valid_with;
use crate::helpers::{Page, TestApp, eventually, repo_path};
use crate::webhook_receiver::{Post, Receiver};

/// What the site and the CRM share to sign and check each POST.
const SECRET: &str = "the site and the CRM share this secret";

async fn app_posting_to(receivers: &[&Receiver]) -> TestApp {
    let urls: Vec<&str> = receivers.iter().map(|r| r.url.as_str()).collect();
    app_signing_for(&urls, SECRET).await
}

async fn app_signing_for(urls: &[&str], secret: &str) -> TestApp {
    let urls: Vec<WebhookUrl> = urls.iter().map(|url| WebhookUrl::parse(url).expect("the receiver's URL")).collect();
    let secret = Secret::key(secret).expect("long enough");
    app_with_staff(move |s| {
        s.webhooks.urls = urls;
        s.webhooks.secret = Some(secret);
        s.webhooks.allow_http = true;
    })
    .await
}

async fn posts(receiver: &Receiver, count: usize) -> Vec<Post> {
    eventually(Duration::from_secs(10), async || Some(receiver.posts()).filter(|p| p.len() >= count))
        .await
        .unwrap_or_else(|| panic!("{count} POSTs, got {:?}", receiver.posts()))
}

/// The lead's page as staff see it.
async fn lead_page(app: &TestApp, cookies: &str, lead: jobprofiles::domain::LeadId) -> Page {
    let response = app.get_with(&format!("/admin/leads/{lead}"), cookies).await;
    Page::from_text(response.status(), response.text().await.expect("body"))
}

#[tokio::test]
async fn a_lead_is_posted_to_the_webhook_as_signed_versioned_json_with_its_id_in_a_header() {
    let receiver = Receiver::start(&[]).await;
    let app = app_posting_to(&[&receiver]).await;
    let referrer = "https://news.example/autumn?utm_source=newsletter&utm_medium=email&utm_campaign=autumn";
    let form = app.open_form_with("/contact?profile=data-scientist", Some(referrer)).await;
    assert_eq!(app.send(&form, &valid_with(&[("role", "Data Scientist")])).await.status(), 303);
    let lead = app.leads().remove(0);

    let post = posts(&receiver, 1).await.remove(0);
    assert_eq!(post.header("Content-Type"), Some("application/json"));
    assert_eq!(post.header("X-Jobprofiles-Lead-Id"), Some(lead.id.to_string().as_str()));
    assert!(post.signed_with(SECRET), "the signature verifies: {:?}", post.headers);
    assert!(!post.signed_with("another secret that is just as long"), "and only under the shared secret");
    let sent_at: i64 = post.header("X-Jobprofiles-Timestamp").and_then(|t| t.parse().ok()).expect("unix seconds");
    assert!((time::OffsetDateTime::now_utc().unix_timestamp() - sent_at).abs() < 60, "signed just now");

    let body = post.json();
    assert_eq!(body["schema"], "jobprofiles.lead.v1");
    assert_eq!(body["id"], lead.id.get());
    let received =
        time::OffsetDateTime::parse(body["received_at"].as_str().expect("text"), &Rfc3339).expect("RFC 3339");
    assert_eq!(received.unix_timestamp(), lead.created_at.unix_timestamp());
    assert_eq!(body["language"], "en");
    assert_eq!(body["profile"]["slug"], "data-scientist");
    assert_eq!(body["profile"]["title"], "Data Scientist");
    assert_eq!(body["profile"]["url"], "https://jobs.example.test/profiles/data-scientist");
    assert_eq!(body["contact_person"]["name"], lead.contact_person_name);
    let fields = &body["fields"];
    for (field, value) in [
        ("company", "Nordlicht Logistik GmbH"),
        ("name", "Erika Muster"),
        ("email", "erika.muster@nordlicht.example"),
        ("phone", "+49 40 1234567"),
        ("role", "Data Scientist"),
        ("engagement", "permanent"),
        ("work_mode", "hybrid"),
        ("location", "Hamburg"),
        ("budget", "€70,000 a year"),
        ("message", "We are building a routing platform and need two backend developers from spring."),
    ] {
        assert_eq!(fields[field], value, "{field}");
    }
    assert_eq!(fields["headcount"], 2);
    assert!(fields["start"].is_null());
    let attribution = &body["attribution"];
    assert_eq!(attribution["referrer"], referrer);
    assert_eq!(attribution["utm_source"], "newsletter");
    assert_eq!(attribution["utm_medium"], "email");
    assert_eq!(attribution["utm_campaign"], "autumn");
    assert!(attribution["utm_term"].is_null());
}

#[tokio::test]
async fn a_receiver_that_is_down_receives_the_lead_on_a_later_try_with_the_same_lead_id() {
    let receiver = Receiver::start(&[503, 503]).await;
    let app = app_posting_to(&[&receiver]).await;
    let form = app.open_form("/contact").await;
    assert_eq!(app.send(&form, &valid_with(&[])).await.status(), 303);

    let posts = posts(&receiver, 3).await;
    let ids: Vec<Option<&str>> = posts.iter().map(|p| p.header("X-Jobprofiles-Lead-Id")).collect();
    assert!(ids.windows(2).all(|pair| pair[0] == pair[1] && pair[0].is_some()), "one lead, tried again: {ids:?}");
    assert!(posts.iter().all(|p| p.signed_with(SECRET)), "each try signed afresh");
    let delivered = jobprofiles::db::leads::OutboxCounts { pending: 0, sent: 3, failed: 0 };
    let settled = eventually(Duration::from_secs(10), async || Some(app.outbox()).filter(|o| *o == delivered)).await;
    assert!(settled.is_some(), "the webhook and both mails are sent: {:?}", app.outbox());
    assert_eq!(receiver.posts().len(), 3, "nothing posted after the 200");
}

#[tokio::test]
async fn a_receiver_that_refuses_is_marked_failed_after_one_try_shown_to_staff_and_posted_again_from_there() {
    let receiver = Receiver::start(&[400]).await;
    let app = app_posting_to(&[&receiver]).await;
    let lead = app.submit_lead("/contact", &[]).await;
    posts(&receiver, 1).await;
    let failed = eventually(Duration::from_secs(10), async || Some(app.outbox()).filter(|o| o.failed == 1)).await;
    assert!(failed.is_some(), "the refused POST is failed: {:?}", app.outbox());
    // Failed is final: no worker claims the row again, only the staff's button below makes it due.
    // A 400 taken for a passing failure would stay pending and be posted again every 50 to 200 ms
    // (the tests' backoff) for 100 attempts, so the row would not be failed within the wait above.
    assert_eq!(receiver.posts().len(), 1, "a 400 is not tried again");

    let staff = app.login().await;
    let page = lead_page(&app, &staff.cookies, lead).await;
    let section = page.text_of("section[aria-labelledby=webhooks-heading]");
    assert!(section.contains(&receiver.url), "{section}");
    assert!(section.contains("failed after 1 attempt"), "{section}");
    assert!(section.contains("400 Bad Request: the CRM says no"), "the receiver's answer: {section}");
    let action = page
        .attr("section[aria-labelledby=webhooks-heading] form", "action")
        .expect("a retry button for the failed delivery");
    let delivery = page.attr("input[name=delivery]", "value").expect("which delivery");
    let button = page.attr("section[aria-labelledby=webhooks-heading] button", "aria-label").unwrap_or_default();
    assert_eq!(button, format!("Post again to {}", receiver.url), "the button names its webhook");

    let refused =
        app.post_with(&action, &staff.cookies, &[("csrf_token", "forged"), ("delivery", delivery.as_str())]).await;
    assert_eq!(refused.status(), 403, "a retry needs the session's CSRF token");
    let bad = app.post_with(&action, &staff.cookies, &[("csrf_token", &staff.csrf), ("delivery", "first")]).await;
    assert_eq!(bad.status(), 400, "a delivery is named by its number");
    let retried =
        app.post_with(&action, &staff.cookies, &[("csrf_token", &staff.csrf), ("delivery", delivery.as_str())]).await;
    assert_eq!(retried.status(), 303);
    posts(&receiver, 2).await;
    let sent = eventually(Duration::from_secs(10), async || {
        let page = lead_page(&app, &staff.cookies, lead).await;
        Some(page.text_of("section[aria-labelledby=webhooks-heading]")).filter(|s| s.contains("sent (attempt 2)"))
    })
    .await;
    assert!(sent.is_some(), "posted again and delivered");
    let page = lead_page(&app, &staff.cookies, lead).await;
    assert!(page.select_all("input[name=delivery]").is_empty(), "nothing left to retry");
    assert!(page.text_of(".history").contains(&format!("posted the lead to {} again (was failed)", receiver.url)));
    let again =
        app.post_with(&action, &staff.cookies, &[("csrf_token", &staff.csrf), ("delivery", delivery.as_str())]).await;
    assert_eq!(again.headers()["location"], format!("/admin/leads/{lead}?done=nothing-to-post"));
}

#[tokio::test]
async fn spam_is_not_posted_until_staff_restore_it() {
    let receiver = Receiver::start(&[]).await;
    let app = app_posting_to(&[&receiver]).await;
    let spam = app.submit_lead("/contact", &[("website", "https://spam.example")]).await;
    let real = app.submit_lead("/contact", &[("email", "real@firm.example")]).await;
    // Leads go out in the order they arrived: once the real lead is posted, the spam would have been.
    let posted = posts(&receiver, 1).await;
    assert_eq!(posted.len(), 1, "{posted:?}");
    assert_eq!(posted[0].header("X-Jobprofiles-Lead-Id"), Some(real.to_string().as_str()));

    let staff = app.login().await;
    let restore = app
        .post_with(
            &format!("/admin/leads/{spam}/status"),
            &staff.cookies,
            &[("csrf_token", &staff.csrf), ("status", "new")],
        )
        .await;
    assert_eq!(restore.status(), 303);
    let posted = posts(&receiver, 2).await;
    assert_eq!(posted[1].header("X-Jobprofiles-Lead-Id"), Some(spam.to_string().as_str()), "restored, it is posted");
}

#[tokio::test]
async fn each_webhook_gets_one_post_per_lead() {
    let (first, second) = (Receiver::start(&[]).await, Receiver::start(&[]).await);
    let app = app_posting_to(&[&first, &second]).await;
    let lead = app.submit_lead("/contact", &[]).await;
    for receiver in [&first, &second] {
        let posted = posts(receiver, 1).await;
        assert_eq!(posted[0].header("X-Jobprofiles-Lead-Id"), Some(lead.to_string().as_str()));
    }
    let delivered = jobprofiles::db::leads::OutboxCounts { pending: 0, sent: 4, failed: 0 };
    let settled = eventually(Duration::from_secs(10), async || Some(app.outbox()).filter(|o| *o == delivered)).await;
    assert!(settled.is_some(), "two mails and two POSTs: {:?}", app.outbox());
    assert_eq!((first.posts().len(), second.posts().len()), (1, 1));
}

#[test]
fn serve_refuses_a_webhook_without_a_secret_or_over_plain_http() {
    let stderr = serve_refused(&["--lead-webhook-url", "https://crm.example/hooks/leads"]);
    assert!(stderr.contains("--lead-webhook-secret (JOBPROFILES_LEAD_WEBHOOK_SECRET) is not"), "{stderr}");
    let plain = ["--lead-webhook-url", "http://crm.example/hooks/leads", "--lead-webhook-secret", SECRET];
    let stderr = serve_refused(&plain);
    assert!(stderr.contains("the lead webhook http://crm.example/hooks/leads is not https://"), "{stderr}");
    assert!(stderr.contains("--allow-http-webhooks"), "{stderr}");
}

/// The example receiver of the README's "Leads into your CRM", as a reader would copy it.
fn readme_receiver() -> String {
    let readme = std::fs::read_to_string(repo_path("README.md")).expect("the README");
    let section = readme.split("## Leads into your CRM").nth(1).expect("the webhook section");
    let code = section.split("```python\n").nth(1).and_then(|rest| rest.split("```").next());
    code.expect("a Python block in it").to_owned()
}

/// A process that is stopped when the test ends, however it ends.
struct Stopped(Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_readme_receiver_stores_a_signed_lead_and_refuses_one_signed_with_another_secret() {
    let wrong = "a secret the receiver was never told about";
    for (secret, delivered) in [(SECRET, true), (wrong, false)] {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port();
        let python = Command::new("python3")
            .arg("-c")
            .arg(readme_receiver())
            .env("JOBPROFILES_LEAD_WEBHOOK_SECRET", SECRET)
            .env("PORT", port.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 runs");
        let mut python = Stopped(python);
        let listening = eventually(Duration::from_secs(10), async || {
            std::net::TcpStream::connect(("127.0.0.1", port)).ok().map(drop)
        })
        .await;
        assert!(listening.is_some(), "the receiver listens on {port}");
        let app = app_signing_for(&[&format!("http://127.0.0.1:{port}/")], secret).await;
        let lead = app.submit_lead("/contact", &[]).await;
        let expected = if delivered {
            jobprofiles::db::leads::OutboxCounts { pending: 0, sent: 3, failed: 0 }
        } else {
            jobprofiles::db::leads::OutboxCounts { pending: 0, sent: 2, failed: 1 }
        };
        let settled = eventually(Duration::from_secs(10), async || Some(app.outbox()).filter(|o| *o == expected)).await;
        assert!(settled.is_some(), "signed with the {secret:?}: {:?}", app.outbox());
        let _ = python.0.kill();
        let mut printed = String::new();
        python.0.stdout.take().expect("stdout").read_to_string(&mut printed).expect("its output");
        let stored = format!("{lead} Nordlicht Logistik GmbH Backend Developer");
        assert_eq!(printed.contains(&stored), delivered, "{printed}");
    }
}

#[tokio::test]
async fn an_https_webhook_is_posted_only_over_tls_and_retried_while_the_handshake_fails() {
    // A plain HTTP server behind an https:// URL: the lead must not reach it in clear text.
    let receiver = Receiver::start(&[]).await;
    let https = receiver.url.replacen("http://", "https://", 1);
    let app = app_signing_for(&[&https], SECRET).await;
    let lead = app.submit_lead("/contact", &[]).await;
    let staff = app.login().await;
    let retrying = eventually(Duration::from_secs(10), async || {
        let page = lead_page(&app, &staff.cookies, lead).await;
        Some(page.text_of("section[aria-labelledby=webhooks-heading]")).filter(|s| s.contains("retrying"))
    })
    .await;
    let section = retrying.expect("the failed handshake is retried");
    assert!(section.contains("cannot reach the receiver"), "{section}");
    assert!(receiver.posts().is_empty(), "nothing was posted in clear text");
}

#[tokio::test]
async fn metrics_count_a_refused_webhook_apart_from_the_mails() {
    let receiver = Receiver::start(&[400]).await;
    let app = app_posting_to(&[&receiver]).await;
    app.submit_lead("/contact", &[]).await;
    let failed = eventually(Duration::from_secs(10), async || Some(app.outbox()).filter(|o| o.failed == 1)).await;
    assert!(failed.is_some(), "the refused POST is failed: {:?}", app.outbox());
    let metrics = app.get("/metrics").await.text().await.expect("body");
    assert!(metrics.contains("jobprofiles_outbox_failed{kind=\"webhook\"} 1"), "{metrics}");
    assert!(metrics.contains("jobprofiles_outbox_failed{kind=\"notification\"} 0"), "{metrics}");
}
