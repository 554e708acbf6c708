//! Two instances of the site on one lead store, driven over HTTP as a load balancer would spread
//! visitors and staff between them: on the test PostgreSQL under `JOBPROFILES_TEST_POSTGRES`,
//! else on one SQLite file. Mail, leads, the staff's work, login locks and form tokens hold
//! whichever instance answers, and an instance killed mid-send leaves its mail to the other: at
//! once when it was stopped with SIGTERM, once its lease ends when it was killed.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::{Duration, SystemTime};

use diesel::RunQueryDsl;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use jobprofiles::db::leads::OutboxCounts;

use crate::admin::{PASSWORD, STAFF, Staff, add_user};
use crate::contact::{VALID, valid_with};
use crate::helpers::{Page, SECRET_KEY, SharedLeadStore, TestApp, eventually, trust_client_addresses};
use crate::smtp_sink::{SilentSmtp, SmtpSink};

/// Two running instances on `store`, settings changed alike by `configure`.
async fn two_instances(
    store: &SharedLeadStore,
    configure: impl Fn(&mut jobprofiles::configuration::Settings),
) -> [TestApp; 2] {
    [store.spawn("first", &configure).await, store.spawn("second", &configure).await]
}

/// The staff account, added through the first instance's store: the store of both.
fn with_staff(instances: [TestApp; 2]) -> [TestApp; 2] {
    let added = add_user(&instances[0], STAFF, PASSWORD);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    instances
}

/// Both instances send their mail to `sink`.
fn mail_to(sink: &SmtpSink) -> impl Fn(&mut jobprofiles::configuration::Settings) {
    let port = sink.port;
    move |settings| {
        settings.smtp.host = Some("127.0.0.1".into());
        settings.smtp.port = port;
    }
}

/// The lead number in a notification's subject (`Hiring request #12: ...`).
fn lead_in_subject(subject: &str) -> Option<i64> {
    subject.strip_prefix("Hiring request #")?.split(':').next()?.parse().ok()
}

#[tokio::test]
async fn leads_sent_through_both_instances_reach_one_mail_server_once_each() {
    let (store, sink) = (SharedLeadStore::new(), SmtpSink::start().await);
    let instances = two_instances(&store, mail_to(&sink)).await;
    let companies = ["Fjordlicht Reederei AG", "Moorkamp Energie GmbH", "Heidegrund Bau KG", "Elbwerft Digital GmbH"];
    for (i, company) in companies.into_iter().enumerate() {
        let instance = &instances[i % 2];
        let form = instance.open_form("/contact").await;
        assert_eq!(instance.send(&form, &valid_with(&[("company", company)])).await.status(), 303, "{company}");
    }
    // A notification to the contact person and a confirmation to the company per lead.
    let all_sent = OutboxCounts { pending: 0, sent: 2 * companies.len() as i64, failed: 0 };
    let [first, _] = &instances;
    let outbox = eventually(Duration::from_secs(15), async || Some(first.outbox()).filter(|o| *o == all_sent)).await;
    assert!(outbox.is_some(), "every notification sent: {:?}", first.outbox());

    let mut mailed: Vec<i64> =
        sink.mails().iter().filter_map(|m| m.header("Subject")).filter_map(|s| lead_in_subject(&s)).collect();
    mailed.sort_unstable();
    let mut stored: Vec<i64> = first.leads().iter().map(|lead| lead.id.get()).collect();
    stored.sort_unstable();
    assert_eq!(stored.len(), companies.len(), "one lead per form");
    assert_eq!(mailed, stored, "one notification per lead, none twice: {:?}", sink.mails());
    assert_eq!(sink.mails().len(), 2 * stored.len(), "and one confirmation each: {:?}", sink.mails());
}

/// `jobprofiles serve` in a process of its own on `store`, so the test can SIGKILL it.
struct Process {
    child: Child,
    app: TestApp,
}

impl Process {
    fn serve(store: &SharedLeadStore, name: &str, args: &[&str]) -> Process {
        let mut child = crate::cli::jobprofiles()
            .args(["serve", "--bind", "127.0.0.1:0", "--content", "content", "--no-watch", "--log-format", "json"])
            .arg("--database")
            .arg(store.instance_database(name))
            .args(["--leads-database", &store.argument, "--secret-key", SECRET_KEY, "--form-min-fill-ms", "0"])
            .args(args)
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines().map_while(Result::ok);
        let port = lines.by_ref().find_map(|line| {
            let line: serde_json::Value = serde_json::from_str(&line).ok()?;
            (line["fields"]["message"] == "listening").then(|| line["fields"]["port"].as_u64()).flatten()
        });
        // Read on, or the process blocks once the pipe is full.
        std::thread::spawn(move || lines.for_each(drop));
        let port = port.expect("the instance listens");
        Process { child, app: store.instance_at(name, format!("http://127.0.0.1:{port}")) }
    }

    fn kill(mut self) {
        self.child.kill().expect("SIGKILL sent");
        self.child.wait().expect("killed");
    }

    /// Sends SIGTERM, as a service manager stops the site, and waits for the process to end.
    async fn terminate(&mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = std::process::Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
        assert!(sent.success(), "SIGTERM sent");
        let ended = eventually(Duration::from_secs(20), async || self.child.try_wait().expect("waits")).await;
        ended.expect("the instance ends after SIGTERM")
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(diesel::QueryableByName)]
struct Claim {
    #[diesel(sql_type = Nullable<Text>)]
    claimed_by: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    locked_until: Option<i64>,
    #[diesel(sql_type = Integer)]
    attempts: i32,
}

/// The only notification's claim (its worker and the end of its lease) and its attempts so far.
fn outbox_row(app: &TestApp) -> (Option<(String, i64)>, i32) {
    let rows: Vec<Claim> = diesel::sql_query("SELECT claimed_by, locked_until, attempts FROM outbox")
        .load(&mut app.lead_store().get().expect("connection"))
        .expect("outbox read");
    let Claim { claimed_by, locked_until, attempts } = rows.into_iter().next().expect("one outbox row");
    (claimed_by.zip(locked_until), attempts)
}

/// The worker holding the only notification and the end of its lease (Unix milliseconds).
fn claim(app: &TestApp) -> Option<(String, i64)> {
    outbox_row(app).0
}

fn unix_millis(at: SystemTime) -> i64 {
    at.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// An instance on `store` whose mail server never answers, so that it stays mid-send, holding
/// its claim for half of `lease_ms`. It sends no confirmation: the one claim is the notification's.
fn serve_stuck_sending(store: &SharedLeadStore, name: &str, silent: &SilentSmtp, lease_ms: &str) -> Process {
    let port = silent.port.to_string();
    let args = [
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &port,
        "--smtp-tls",
        "none",
        "--outbox-lease-ms",
        lease_ms,
        "--confirmation-mail",
        "false",
    ];
    Process::serve(store, name, &args)
}

/// Sends a lead to `process` and waits until it holds the notification and is sending it: the
/// claiming worker and the end of its lease.
async fn claimed_mid_send(process: &Process, silent: &SilentSmtp) -> (String, i64) {
    let form = process.app.open_form("/contact").await;
    assert_eq!(process.app.send(&form, VALID).await.status(), 303);
    let held =
        eventually(Duration::from_secs(10), async || claim(&process.app).filter(|_| silent.connections() > 0)).await;
    held.expect("the instance claimed the notification and is sending it")
}

/// Starts another instance on `store` with a mail server that answers, waits until it has sent
/// the one notification, and returns when that mail arrived (Unix milliseconds).
async fn sent_by_a_survivor(store: &SharedLeadStore) -> i64 {
    let sink = SmtpSink::start().await;
    let survivor = store.spawn("survivor", mail_to(&sink)).await;
    let sent = OutboxCounts { pending: 0, sent: 1, failed: 0 };
    let outbox = eventually(Duration::from_secs(15), async || Some(survivor.outbox()).filter(|o| *o == sent)).await;
    assert!(outbox.is_some(), "sent by the survivor: {:?}", survivor.outbox());
    let mails = sink.mails();
    assert_eq!(mails.len(), 1, "one mail");
    unix_millis(mails[0].received_at)
}

#[tokio::test]
async fn a_notification_held_by_an_instance_killed_mid_send_is_sent_by_the_other_once_its_lease_ends() {
    let store = SharedLeadStore::new();
    // Half the lease is time enough to see the claim and kill the instance under a loaded test run.
    let silent = SilentSmtp::start().await;
    let killed = serve_stuck_sending(&store, "killed", &silent, "6000");
    let (holder, lease_end) = claimed_mid_send(&killed, &silent).await;
    killed.kill();

    let received = sent_by_a_survivor(&store).await;
    assert!(received >= lease_end, "not before the lease of {holder} ended: {received} < {lease_end}");
}

#[tokio::test]
async fn a_notification_held_by_an_instance_stopped_mid_send_is_given_back_and_sent_by_the_other_at_once() {
    let store = SharedLeadStore::new();
    // A lease of a minute is what the other instance would wait for if the claim were not given back.
    let silent = SilentSmtp::start().await;
    let mut stopped = serve_stuck_sending(&store, "stopped", &silent, "60000");
    let (holder, lease_end) = claimed_mid_send(&stopped, &silent).await;
    let status = stopped.terminate().await;
    assert!(status.success(), "a graceful stop: {status}");
    assert_eq!(outbox_row(&stopped.app), (None, 0), "{holder} gave its claim back untried");

    let received = sent_by_a_survivor(&store).await;
    assert!(received < lease_end - 30_000, "well before the lease of {holder} would end: {received} vs {lease_end}");
}

/// The lead's page as `staff` sees it on `app`.
async fn lead_page(app: &TestApp, staff: &Staff, lead: i64) -> Page {
    let response = app.get_with(&format!("/admin/leads/{lead}"), &staff.cookies).await;
    Page::from_text(response.status(), response.text().await.expect("body"))
}

async fn move_to(app: &TestApp, staff: &Staff, lead: i64, status: &str) -> reqwest::StatusCode {
    let form = [("csrf_token", staff.csrf.as_str()), ("status", status)];
    app.post_with(&format!("/admin/leads/{lead}/status"), &staff.cookies, &form).await.status()
}

async fn note(app: &TestApp, staff: &Staff, lead: i64, body: &str) -> reqwest::StatusCode {
    let form = [("csrf_token", staff.csrf.as_str()), ("body", body)];
    app.post_with(&format!("/admin/leads/{lead}/notes"), &staff.cookies, &form).await.status()
}

async fn erase(app: &TestApp, staff: &Staff, lead: i64) -> reqwest::StatusCode {
    let form = [("csrf_token", staff.csrf.as_str())];
    app.post_with(&format!("/admin/leads/{lead}/delete"), &staff.cookies, &form).await.status()
}

#[tokio::test]
async fn a_lead_sent_to_one_instance_is_worked_on_from_both_with_one_login_and_one_history() {
    let store = SharedLeadStore::new();
    let [first, second] = with_staff(two_instances(&store, |_| {}).await);
    let lead = second.submit_lead("/contact", &[("company", "Fjordlicht Reederei AG")]).await.get();
    // Logged in on the first instance; the session and its CSRF token hold on the second as well.
    let staff = first.login().await;

    let inbox = Page::from_text(
        reqwest::StatusCode::OK,
        first.get_with("/admin/leads", &staff.cookies).await.text().await.expect("body"),
    );
    assert!(inbox.text_of("main").contains("Fjordlicht Reederei AG"), "in the first's inbox: {}", inbox.text);
    assert_eq!(move_to(&second, &staff, lead, "contacted").await, 303);
    assert_eq!(note(&second, &staff, lead, "Called back, wants two people by March.").await, 303);

    let page = lead_page(&first, &staff, lead).await;
    assert_eq!(page.status, 200);
    assert_eq!(page.text_of(".status"), "contacted", "the status set on the second");
    let history = page.text_of(".history");
    assert!(history.contains(&format!("{STAFF} status new → contacted")), "{history}");
    assert!(history.contains(&format!("{STAFF} added a note")), "{history}");
    assert!(page.text_of(".note").contains("Called back, wants two people by March."));

    assert_eq!(move_to(&first, &staff, lead, "qualified").await, 303);
    let page = lead_page(&second, &staff, lead).await;
    assert_eq!(page.text_of(".status"), "qualified", "and the first's change on the second");
    assert!(page.text_of(".history").contains(&format!("{STAFF} status contacted → qualified")));
}

#[tokio::test]
async fn a_login_lock_set_through_one_instance_holds_on_the_other() {
    let store = SharedLeadStore::new();
    let [first, second] = with_staff(
        two_instances(&store, |settings| {
            trust_client_addresses(settings);
            settings.admin.max_failed_logins = std::num::NonZeroU32::new(3).unwrap_or(std::num::NonZeroU32::MIN);
        })
        .await,
    );
    let guesser = "203.0.113.66";
    for _ in 0..3 {
        let (failed, _) = first.try_login_from(Some(guesser), STAFF, "guess guess guess", "/admin", None).await;
        assert_eq!(failed.status(), 401);
    }
    let (locked, _) = second.try_login_from(Some(guesser), STAFF, PASSWORD, "/admin", None).await;
    assert_eq!(locked.status(), 429, "the right password waits on the other instance too");
    assert!(locked.headers().contains_key("retry-after"));
    let (elsewhere, _) = second.try_login_from(Some("198.51.100.7"), STAFF, PASSWORD, "/admin", None).await;
    assert_eq!(elsewhere.status(), 303, "only the guessing address is locked");
}

#[tokio::test]
async fn one_form_sent_to_both_instances_at_once_makes_one_lead_and_both_answers_redirect_alike() {
    let store = SharedLeadStore::new();
    let [first, second] = two_instances(&store, |_| {}).await;
    let rounds = 5;
    for round in 0..rounds {
        let form = first.open_form("/contact").await;
        let (a, b) = tokio::join!(first.send(&form, VALID), second.send(&form, VALID));
        assert_eq!((a.status().as_u16(), b.status().as_u16()), (303, 303), "round {round}");
        assert_eq!(a.headers()["location"], b.headers()["location"], "round {round}");
    }
    assert_eq!(first.leads().len(), rounds, "one lead per form");
    let outbox = second.outbox();
    let mails = outbox.pending + outbox.sent + outbox.failed;
    assert_eq!(mails, 2 * rounds as i64, "one notification and one confirmation per lead: {outbox:?}");
}

#[tokio::test]
async fn a_note_added_while_the_other_instance_erases_the_lead_finds_it_gone_never_a_500() {
    let store = SharedLeadStore::new();
    let [first, second] = with_staff(two_instances(&store, |_| {}).await);
    let staff = first.login().await;
    for round in 0..8 {
        let lead = first.submit_lead("/contact", &[]).await.get();
        let (erased, noted) = tokio::join!(erase(&first, &staff, lead), note(&second, &staff, lead, "Sent the offer."));
        assert_eq!(erased, 200, "round {round}: erased");
        assert!(
            [303, 404].contains(&noted.as_u16()),
            "round {round}: noted before the erasure or found it gone: {noted}"
        );
        assert_eq!(lead_page(&second, &staff, lead).await.status, 404, "round {round}: nothing left, the note neither");
    }
    let lead = first.submit_lead("/contact", &[]).await.get();
    assert_eq!(erase(&first, &staff, lead).await, 200);
    assert_eq!(note(&second, &staff, lead, "Too late.").await, 404, "a note for an erased lead is a 404");
    assert!(first.leads().is_empty());
}
