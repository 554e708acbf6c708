//! Group commit of hiring requests: leads that arrive together share one transaction, and each
//! request is still answered only after its lead is committed.
//!
//! To hold leads in the queue, a test takes the lead store's write lock itself (SQLite's, or the
//! advisory lock on PostgreSQL): the writer's transaction then waits for it, and everything sent
//! meanwhile waits in the queue.

use std::collections::HashSet;
use std::num::NonZeroUsize;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use futures_util::future::{Either, join_all, select};

use jobprofiles::db::leads::{LeadConnection, WRITE_LOCK};

use crate::contact::{OpenForm, VALID, valid_with};
use crate::helpers::{Page, TestApp, eventually, repo_path, spawn_app, spawn_configured};

/// The lead store's write lock, taken from outside the application.
struct WriteLock(LeadConnection);

impl WriteLock {
    fn take(app: &TestApp) -> WriteLock {
        let conn = match &app.postgres {
            Some(postgres) => {
                let mut conn = PgConnection::establish(&postgres.url).expect("database");
                conn.batch_execute(&format!("BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})")).expect("write lock");
                LeadConnection::Postgres(conn)
            }
            None => {
                let mut conn = SqliteConnection::establish(&app.database.to_string_lossy()).expect("database");
                conn.batch_execute("BEGIN IMMEDIATE").expect("write lock");
                LeadConnection::Sqlite(conn)
            }
        };
        WriteLock(conn)
    }

    fn release(mut self) {
        self.0.batch_execute("ROLLBACK").expect("lock released");
    }
}

impl TestApp {
    /// A figure of `/metrics` without labels.
    async fn metric(&self, name: &str) -> Option<i64> {
        let text = self.get("/metrics").await.text().await.expect("metrics");
        text.lines().find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
    }

    /// Whether `count` leads wait for their transaction, soon.
    async fn leads_waiting_reach(&self, count: i64) -> bool {
        eventually(Duration::from_secs(5), async || {
            (self.metric("jobprofiles_leads_waiting").await == Some(count)).then_some(())
        })
        .await
        .is_some()
    }

    async fn commits(&self) -> i64 {
        self.metric("jobprofiles_lead_commits_total").await.expect("the commit counter")
    }
}

/// Sends a first lead while the database is locked, then, once it holds the writer, sends
/// `batch` with it waiting; releases the lock once all of them are queued, so that `batch` is
/// committed together (with or after the first), as far as `--lead-batch-max` allows. Returns
/// the first lead's answer and those of `batch`.
async fn send_in_one_batch(
    app: &TestApp,
    batch: &[(&OpenForm, Vec<(&str, &str)>)],
) -> (reqwest::Response, Vec<reqwest::Response>) {
    let first_form = app.open_form("/contact").await;
    let lock = WriteLock::take(app);
    let expected = i64::try_from(batch.len()).expect("a small batch") + 1;
    tokio::join!(app.send(&first_form, VALID), async {
        assert!(app.leads_waiting_reach(1).await, "the first lead waits for the lock");
        let (responses, ()) =
            tokio::join!(join_all(batch.iter().map(|(form, fields)| app.send(form, fields))), async {
                let queued = app.leads_waiting_reach(expected).await;
                lock.release();
                assert!(queued, "every lead of the batch waited for the same transaction");
            });
        responses
    })
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().expect("ascii").to_owned()
}

#[tokio::test]
async fn leads_sent_together_are_committed_together_each_stored_once_and_answered_303() {
    let app = spawn_app().await;
    let forms = join_all((0..40).map(|_| app.open_form("/contact"))).await;
    let batch: Vec<_> = forms.iter().map(|form| (form, VALID.to_vec())).collect();
    let (first, responses) = send_in_one_batch(&app, &batch).await;

    assert_eq!(first.status(), 303);
    assert!(
        responses.iter().all(|r| r.status() == 303),
        "{:?}",
        responses.iter().map(|r| r.status()).collect::<Vec<_>>()
    );
    let locations: HashSet<String> = responses.iter().chain([&first]).map(location).collect();
    assert_eq!(locations.len(), 41, "one thank-you page per submission");
    let stored = app.leads();
    assert_eq!(stored.len(), 41);
    assert_eq!(stored.iter().map(|lead| &lead.submission_id).collect::<HashSet<_>>().len(), 41, "each lead once");
    assert!(app.commits().await <= 2, "41 leads in at most two transactions: {}", app.commits().await);
    assert_eq!(app.metric("jobprofiles_leads_waiting").await, Some(0));
}

#[tokio::test]
async fn a_form_sent_twice_within_one_batch_stores_one_lead_and_both_get_its_thank_you_page() {
    let app = spawn_app().await;
    let (twice, other) = (app.open_form("/contact").await, app.open_form("/contact").await);
    let other_fields = valid_with(&[("company", "Zweite Firma AG")]);
    let (first, responses) =
        send_in_one_batch(&app, &[(&twice, VALID.to_vec()), (&twice, VALID.to_vec()), (&other, other_fields)]).await;

    assert_eq!(first.status(), 303);
    assert!(responses.iter().all(|r| r.status() == 303));
    assert_eq!(location(&responses[0]), location(&responses[1]), "the second is the duplicate of the first");
    assert_ne!(location(&responses[0]), location(&responses[2]));
    assert_eq!(app.leads().len(), 3, "the first lead, the form sent twice once, the other form");
    assert!(app.commits().await <= 2);
}

#[tokio::test]
async fn a_lead_that_fails_in_its_batch_gets_500_and_the_others_of_the_batch_are_stored() {
    let app = spawn_app().await;
    let refuse = if app.postgres.is_some() {
        "CREATE FUNCTION refuse_one() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
         IF NEW.company = 'Refused GmbH' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$; \
         CREATE TRIGGER refuse_one BEFORE INSERT ON leads FOR EACH ROW EXECUTE FUNCTION refuse_one();"
    } else {
        "CREATE TRIGGER refuse_one BEFORE INSERT ON leads WHEN NEW.company = 'Refused GmbH' \
         BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
    };
    app.lead_store().get().expect("connection").batch_execute(refuse).expect("trigger");
    let forms = join_all((0..3).map(|_| app.open_form("/contact"))).await;
    let batch = [
        (&forms[0], valid_with(&[("company", "Before GmbH")])),
        (&forms[1], valid_with(&[("company", "Refused GmbH")])),
        (&forms[2], valid_with(&[("company", "After GmbH")])),
    ];
    let (first, responses) = send_in_one_batch(&app, &batch).await;

    assert_eq!(first.status(), 303);
    let statuses: Vec<u16> = responses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses, [303, 500, 303]);
    let mut companies: Vec<String> = app.leads().iter().map(|lead| lead.request.company.as_ref().to_owned()).collect();
    companies.sort();
    assert_eq!(companies, ["After GmbH", "Before GmbH", "Nordlicht Logistik GmbH"]);
    let queued = app.outbox();
    assert_eq!(queued.pending + queued.sent, 6, "each stored lead has its two mails, the refused one none: {queued:?}");
    assert!(app.commits().await <= 2);
}

#[tokio::test]
async fn a_transaction_takes_at_most_lead_batch_max_leads() {
    let app = spawn_configured(|s| s.leads.batch_max = NonZeroUsize::new(2).expect("two"), repo_path("content")).await;
    let forms = join_all((0..6).map(|_| app.open_form("/contact"))).await;
    let batch: Vec<_> = forms.iter().map(|form| (form, VALID.to_vec())).collect();
    let (first, responses) = send_in_one_batch(&app, &batch).await;

    assert_eq!(first.status(), 303);
    assert!(responses.iter().all(|r| r.status() == 303));
    assert_eq!(app.leads().len(), 7);
    let commits = app.commits().await;
    assert!((4..=7).contains(&commits), "7 leads, at most 2 a transaction: {commits} transactions");
}

#[tokio::test]
async fn with_the_queue_full_a_request_gets_503_with_retry_after_and_its_form_back_and_nothing_stored() {
    let one = NonZeroUsize::MIN;
    let app = spawn_configured(
        |s| {
            s.leads.queue_max = one;
            s.leads.batch_max = one;
        },
        repo_path("content"),
    )
    .await;
    let forms = join_all((0..3).map(|_| app.open_form("/contact"))).await;
    let (second_fields, third_fields) =
        (valid_with(&[("company", "Second GmbH")]), valid_with(&[("company", "Third GmbH")]));
    let lock = WriteLock::take(&app);
    let (first, (refused, other)) = tokio::join!(app.send(&forms[0], VALID), async {
        assert!(app.leads_waiting_reach(1).await, "the first lead waits for the lock");
        // The writer holds one lead and the queue one more: of these two, at least one is
        // refused at once, while one that was accepted waits for the lock.
        let (second, third) = (app.send(&forms[1], &second_fields), app.send(&forms[2], &third_fields));
        tokio::pin!(second, third);
        let (refused, other) = match select(second, third).await {
            Either::Left((refused, other)) | Either::Right((refused, other)) => (refused, other),
        };
        assert_eq!(refused.status(), 503);
        assert_eq!(refused.headers()["retry-after"], "1");
        assert_eq!(refused.headers()["cache-control"], "no-store");
        let refused = Page::from_text(refused.status(), refused.text().await.expect("body"));
        lock.release();
        (refused, other.await)
    });

    assert_eq!(first.status(), 303);
    assert!(refused.text_of(".notice").contains("great many requests"), "{}", refused.text_of(".notice"));
    let kept = refused.attr("#field-company", "value").expect("the company field");
    assert!(kept == "Second GmbH" || kept == "Third GmbH", "the input is kept: {kept}");
    assert!(matches!(other.status().as_u16(), 303 | 503), "{}", other.status());
    let companies = || app.leads().iter().map(|lead| lead.request.company.as_ref().to_owned()).collect::<Vec<_>>();
    assert_eq!(companies().len(), if other.status() == 303 { 2 } else { 1 });
    assert!(!companies().contains(&kept), "nothing of the refused request is stored");

    let (refused_form, refused_fields) =
        if kept == "Second GmbH" { (&forms[1], &second_fields) } else { (&forms[2], &third_fields) };
    assert_eq!(app.send(refused_form, refused_fields).await.status(), 303, "sent again, it is accepted");
    assert!(companies().contains(&kept));
}

/// A form opened and sent by hand, for a server that runs as its own process.
async fn send_form(client: &reqwest::Client, base: &str) -> Result<reqwest::Response, reqwest::Error> {
    let form = client.get(format!("{base}/contact")).send().await?;
    let cookie = form.headers()["set-cookie"].to_str().expect("ascii").split(';').next().expect("pair").to_owned();
    let status = form.status();
    let token = Page::from_text(status, form.text().await?).attr("input[name=csrf_token]", "value").expect("a token");
    let mut fields = VALID.to_vec();
    fields.push(("csrf_token", &token));
    client.post(format!("{base}/contact")).header("Cookie", cookie).form(&fields).send().await
}

#[tokio::test]
async fn on_sigterm_every_lead_already_accepted_is_stored_before_the_process_exits() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().expect("temp dir");
    let database = dir.path().join("serve.db");
    let mut child = crate::cli::jobprofiles()
        .args(["--bind", "127.0.0.1:0", "--content", "tests/fixtures/minimal", "--log-format", "json"])
        .args(["--shutdown-timeout-secs", "0", "--form-min-fill-ms", "0"])
        .arg("--database")
        .arg(&database)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    let mut lines = BufReader::new(child.stderr.take().expect("stderr"))
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(&line.expect("utf-8 log")).expect("a JSON log line"));
    let listening = lines.find(|line| line["fields"]["message"] == "listening").expect("the server listens");
    let port = listening["fields"]["port"].as_u64().expect("port logged");
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");

    let mut lock = SqliteConnection::establish(&database.to_string_lossy()).expect("database");
    lock.batch_execute("BEGIN IMMEDIATE").expect("write lock");
    let sent: Vec<_> = (0..5)
        .map(|_| {
            let (client, base) = (client.clone(), base.clone());
            tokio::spawn(async move { send_form(&client, &base).await })
        })
        .collect();
    let waiting = eventually(Duration::from_secs(5), async || {
        let metrics = client.get(format!("{base}/metrics")).send().await.ok()?.text().await.ok()?;
        metrics.lines().any(|line| line == "jobprofiles_leads_waiting 5").then_some(())
    })
    .await;
    assert!(waiting.is_some(), "five leads wait for the lock");

    let status = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().expect("kill");
    assert!(status.success());
    for request in join_all(sent).await {
        assert!(request.expect("task").is_err(), "with no time for in-flight requests, none is answered");
    }
    lock.batch_execute("ROLLBACK").expect("lock released");
    assert!(child.wait().expect("exits").success());
    let stored: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>("(SELECT count(*) FROM leads)"))
        .get_result(&mut lock)
        .expect("count");
    assert_eq!(stored, 5, "the writer stored what it had accepted before the process exited");
}
