//! Several instances on one lead store, each with a pool of its own on the same database (a file,
//! or PostgreSQL when the suite runs there): what one instance does with the outbox, leads,
//! erasure and login counts holds for the others.
//! The last test runs two applications, one after the other, on one database file.

use std::sync::{Arc, Barrier};
use std::thread;
use std::time::Duration;

use diesel::RunQueryDsl;
use diesel::result::DatabaseErrorKind;
use jobprofiles::db::admin::{self, Throttle, ThrottleRule};
use jobprofiles::db::leads::{
    self, ClaimedNotification, Outcome, Recipient, StatusChange, Stored, Submission, WorkerId,
};
use jobprofiles::db::leads::{LeadPool, LeadsDatabase, connect_leads};
use jobprofiles::domain::lead::{
    Attribution, EmailAddress, Engagement, EventKind, Headcount, LeadStatus, Message, NewLead, OneLine, OutboxKind,
    SpamReason, WebhookUrl, WorkMode,
};
use jobprofiles::domain::{Lang, LeadId};
use tempfile::TempDir;

use crate::contact::VALID;
use crate::helpers::{PostgresDatabase, eventually, repo_path, settings, spawn};
use crate::smtp_sink::SmtpSink;
use time::OffsetDateTime;

fn millis(at: OffsetDateTime) -> i128 {
    at.unix_timestamp_nanos() / 1_000_000
}

const LEASE: time::Duration = time::Duration::seconds(60);

/// What two instances' pools share, kept until the test ends: a database file, or a database of
/// its own on PostgreSQL when the suite runs there.
struct SharedStore {
    _dir: TempDir,
    postgres: Option<PostgresDatabase>,
}

/// Two pools on one fresh lead store, as two instances would open it.
fn two_instances() -> (SharedStore, LeadPool, LeadPool) {
    let dir = tempfile::tempdir().expect("temp dir");
    let postgres = PostgresDatabase::for_this_test();
    let database = match &postgres {
        Some(postgres) => postgres.url.parse().expect("a postgres:// URL"),
        None => LeadsDatabase::Sqlite(dir.path().join("shared.db")),
    };
    let open = || connect_leads(&database, Duration::from_secs(10), Duration::from_secs(10), 2).expect("database");
    let (first, second) = (open(), open());
    (SharedStore { _dir: dir, postgres }, first, second)
}

fn submission(submission_id: &str, now: OffsetDateTime) -> Submission {
    let line = |text: &str| OneLine::required(text, 200).expect("one line");
    Submission {
        submission_id: submission_id.to_owned(),
        request: NewLead {
            company: line("Nordlicht Logistik GmbH"),
            name: line("Erika Muster"),
            email: EmailAddress::parse("erika.muster@nordlicht.example").expect("address"),
            phone: None,
            role: line("Backend Developer"),
            headcount: Headcount::parse("2").expect("headcount"),
            engagement: Engagement::Permanent,
            work_mode: WorkMode::Remote,
            location: None,
            start: None,
            budget: None,
            message: Message::parse("We need two backend developers from spring.").expect("message"),
        },
        attribution: Attribution::default(),
        page_lang: Lang::En,
        spam: None,
        recipient: Recipient { person_id: None, name: "Jonas Berger".into(), email: "jonas@example.com".into() },
        confirm: false,
        webhooks: Arc::from([]),
        now,
    }
}

/// Stores `count` leads that arrived at `at`, each with a notification waiting.
fn leads_waiting(pool: &LeadPool, count: usize, at: OffsetDateTime) {
    let submissions: Vec<Submission> = (0..count).map(|i| submission(&format!("form-{i}"), at)).collect();
    let stored = leads::store_leads(&mut pool.get().expect("connection"), &submissions).expect("committed");
    assert!(stored.iter().all(|s| matches!(s, Ok(Stored::New { notify: true, .. }))), "{stored:?}");
}

fn claim(pool: &LeadPool, worker: &WorkerId, now: OffsetDateTime) -> Option<ClaimedNotification> {
    claim_batch(pool, worker, now, 1).pop()
}

fn claim_batch(pool: &LeadPool, worker: &WorkerId, now: OffsetDateTime, limit: usize) -> Vec<ClaimedNotification> {
    leads::claim_due(&mut pool.get().expect("connection"), worker, now, LEASE, limit).expect("claimed")
}

/// Runs `work` on both instances at once, each on a thread of its own.
fn on_both<T: Send + 'static>(pools: [&LeadPool; 2], work: impl Fn(LeadPool) -> T + Send + Sync + 'static) -> [T; 2] {
    let (start, work) = (Arc::new(Barrier::new(2)), Arc::new(work));
    let threads = pools.map(|pool| {
        let (start, work, pool) = (start.clone(), work.clone(), pool.clone());
        thread::spawn(move || {
            start.wait();
            work(pool)
        })
    });
    threads.map(|t| t.join().expect("the instance's thread finished"))
}

#[test]
fn two_workers_claiming_at_once_never_hold_the_same_notification() {
    let (_dir, first, second) = two_instances();
    let now = OffsetDateTime::now_utc();
    leads_waiting(&first, 40, now);
    let [a, b] = on_both([&first, &second], move |pool| {
        let worker = WorkerId::random();
        let mut held = Vec::new();
        loop {
            let batch = claim_batch(&pool, &worker, now, 7);
            assert!(batch.len() <= 7, "at most the batch asked for");
            if batch.is_empty() {
                break held;
            }
            held.extend(batch.iter().map(|claimed| claimed.outbox_id));
        }
    });
    assert!(a.iter().all(|id| !b.contains(id)), "no notification is held by both: {a:?} and {b:?}");
    let mut all: Vec<_> = a.iter().chain(&b).copied().collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 40, "every notification was claimed once");
}

#[test]
fn a_notification_whose_lease_ran_out_is_taken_over_by_another_worker() {
    let (_dir, first, second) = two_instances();
    let now = OffsetDateTime::now_utc();
    leads_waiting(&first, 1, now);
    let (crashed, survivor) = (WorkerId::random(), WorkerId::random());
    let held = claim(&first, &crashed, now).expect("due");
    assert!(held.taken_over_from.is_none());
    assert!(claim(&second, &survivor, now + LEASE).is_none(), "held until the lease ends");
    let taken = claim(&second, &survivor, now + LEASE + time::Duration::milliseconds(1)).expect("taken over");
    assert_eq!(taken.outbox_id, held.outbox_id);
    assert_eq!(taken.taken_over_from.as_deref(), Some(crashed.as_str()));
}

#[test]
fn a_worker_whose_claim_was_taken_over_records_no_outcome() {
    let (_dir, first, second) = two_instances();
    let now = OffsetDateTime::now_utc();
    leads_waiting(&first, 1, now);
    let (slow, other) = (WorkerId::random(), WorkerId::random());
    let held = claim(&first, &slow, now).expect("due");
    let later = now + LEASE + time::Duration::milliseconds(1);
    let taken = claim(&second, &other, later).expect("taken over");
    let slow_conn = &mut first.get().expect("connection");
    let retry = Some(later + LEASE);
    assert!(!leads::mark_attempt_failed(slow_conn, &slow, held.outbox_id, "timed out", retry).expect("ran"));
    assert!(!leads::mark_sent(slow_conn, &slow, held.outbox_id, later).expect("ran"));
    assert!(leads::mark_sent(&mut second.get().expect("connection"), &other, taken.outbox_id, later).expect("ran"));
    let counts = leads::outbox_counts(slow_conn).expect("counted");
    assert_eq!(counts, leads::OutboxCounts { pending: 0, sent: 1, failed: 0 });
}

#[test]
fn a_batch_of_outcomes_is_recorded_at_once_and_a_released_claim_is_due_again_untried() {
    let (_dir, first, second) = two_instances();
    let now = OffsetDateTime::now_utc();
    leads_waiting(&first, 3, now);
    let worker = WorkerId::random();
    let batch = claim_batch(&first, &worker, now, 10);
    assert_eq!(batch.len(), 3, "every due notification, oldest first");
    let outcomes = [
        (batch[0].outbox_id, Outcome::Sent { at: now }),
        (batch[1].outbox_id, Outcome::Failed { error: "mailbox full".into(), retry_at: None }),
        (batch[2].outbox_id, Outcome::Released),
    ];
    let recorded = leads::record_outcomes(&mut first.get().expect("connection"), &worker, &outcomes).expect("ran");
    assert_eq!(recorded, [true, true, true]);
    let conn = &mut second.get().expect("connection");
    assert_eq!(leads::outbox_counts(conn).expect("counted"), leads::OutboxCounts { pending: 1, sent: 1, failed: 1 });
    let again = claim(&second, &WorkerId::random(), now).expect("the released notification is due at once");
    assert_eq!((again.outbox_id, again.attempts, again.taken_over_from), (batch[2].outbox_id, 0, None));
    let late = leads::record_outcomes(conn, &worker, &[(batch[2].outbox_id, Outcome::Sent { at: now })]).expect("ran");
    assert_eq!(late, [false], "a claim given back is no longer the first worker's to record");
}

#[test]
fn one_form_sent_to_two_instances_at_once_is_stored_once() {
    let (_dir, first, second) = two_instances();
    let now = OffsetDateTime::now_utc();
    for round in 0..20 {
        let [a, b] = on_both([&first, &second], move |pool| {
            let stored =
                leads::store_leads(&mut pool.get().expect("connection"), &[submission(&format!("raced-{round}"), now)]);
            stored.expect("committed").remove(0).expect("stored")
        });
        let (new, duplicate) = match (a, b) {
            (Stored::New { lead_id, .. }, Stored::Duplicate { lead_id: again })
            | (Stored::Duplicate { lead_id: again }, Stored::New { lead_id, .. }) => (lead_id, again),
            other => panic!("round {round}: one instance stores the lead, the other finds it: {other:?}"),
        };
        assert_eq!(new, duplicate, "both answer with the one lead");
    }
    let conn = &mut second.get().expect("connection");
    assert_eq!(leads::recent_leads(conn, 100).expect("read").len(), 20);
    assert_eq!(leads::outbox_counts(conn).expect("counted").pending, 20, "one notification per lead");
}

/// Stores `ids` as one batch, as one instance's lead writer would.
fn store_batch(pool: &LeadPool, ids: &[String], now: OffsetDateTime) -> Vec<Stored> {
    let submissions: Vec<Submission> = ids.iter().map(|id| submission(id, now)).collect();
    let stored = leads::store_leads(&mut pool.get().expect("connection"), &submissions).expect("committed");
    stored.into_iter().map(|s| s.expect("stored")).collect()
}

fn lead_id(stored: Stored) -> LeadId {
    match stored {
        Stored::New { lead_id, .. } | Stored::Duplicate { lead_id } => lead_id,
    }
}

#[test]
fn batches_on_two_instances_sharing_forms_in_opposite_orders_store_each_form_once() {
    let (_dir, first, second) = two_instances();
    let now = OffsetDateTime::now_utc();
    let rounds = 10;
    for round in 0..rounds {
        let shared: Vec<String> = (0..16).map(|i| format!("shared-{round}-{i:02}")).collect();
        let batch = |instance: usize| {
            let mut ids: Vec<String> = (0..8).map(|i| format!("own-{round}-{instance}-{i}")).collect();
            ids.extend(shared.iter().cloned());
            if instance == 1 {
                ids.reverse();
            }
            ids
        };
        let start = Arc::new(Barrier::new(2));
        let threads = [(first.clone(), batch(0)), (second.clone(), batch(1))].map(|(pool, ids)| {
            let start = start.clone();
            thread::spawn(move || {
                start.wait();
                let stored = store_batch(&pool, &ids, now);
                ids.into_iter().zip(stored).collect::<Vec<_>>()
            })
        });
        let answers: Vec<(String, Stored)> =
            threads.into_iter().flat_map(|t| t.join().expect("the instance's thread finished")).collect();
        for id in &shared {
            let answers: Vec<Stored> = answers.iter().filter(|(i, _)| i == id).map(|(_, s)| *s).collect();
            let new = answers.iter().filter(|s| matches!(s, Stored::New { .. })).count();
            assert_eq!(new, 1, "round {round}: {id} is stored by one instance and found by the other: {answers:?}");
            assert_eq!(lead_id(answers[0]), lead_id(answers[1]), "both answer {id} with the one lead");
        }
    }
    let conn = &mut second.get().expect("connection");
    let forms = rounds * (16 + 2 * 8);
    assert_eq!(leads::recent_leads(conn, 1000).expect("read").len(), forms);
    assert_eq!(leads::outbox_counts(conn).expect("counted").pending, i64::try_from(forms).expect("small"));
}

#[test]
fn a_batch_stores_a_form_sent_twice_once_and_queues_mails_and_webhooks_for_new_leads_only() {
    let (_dir, first, _) = two_instances();
    let now = OffsetDateTime::now_utc();
    let hooks: Arc<[WebhookUrl]> = ["http://crm.example/leads", "http://chat.example/hook"]
        .map(|url| WebhookUrl::parse(url).expect("a webhook URL"))
        .into();
    let with_extras = |id: &str| Submission { confirm: true, webhooks: hooks.clone(), ..submission(id, now) };
    let batch = [
        with_extras("twice"),
        Submission { spam: Some(SpamReason::Honeypot), ..with_extras("trapped") },
        with_extras("twice"),
        with_extras("once"),
    ];
    let conn = &mut first.get().expect("connection");
    let stored: Vec<Stored> =
        leads::store_leads(conn, &batch).expect("committed").into_iter().map(|s| s.expect("stored")).collect();
    let [twice, trapped, again, once] = stored[..] else { panic!("four answers: {stored:?}") };
    assert!(matches!(twice, Stored::New { notify: true, .. }), "{twice:?}");
    assert_eq!(again, Stored::Duplicate { lead_id: lead_id(twice) }, "the second copy finds the first");
    assert!(matches!(trapped, Stored::New { notify: false, .. }), "{trapped:?}");
    assert!(matches!(once, Stored::New { notify: true, .. }), "{once:?}");
    for lead in [lead_id(twice), lead_id(once)] {
        for kind in [OutboxKind::Notification, OutboxKind::Confirmation] {
            assert!(leads::mail_state(conn, lead, kind).expect("read").is_some(), "{kind:?} queued for {lead:?}");
        }
        assert_eq!(leads::webhook_deliveries(conn, lead).expect("read").len(), 2, "both webhooks for {lead:?}");
    }
    let spam = lead_id(trapped);
    assert_eq!(leads::mail_state(conn, spam, OutboxKind::Notification).expect("read"), None, "no mail for spam");
    assert!(leads::webhook_deliveries(conn, spam).expect("read").is_empty(), "no webhook for spam");
    assert_eq!(leads::recent_leads(conn, 10).expect("read").len(), 3);
}

#[test]
fn a_lead_the_database_refuses_fails_alone_and_the_rest_of_its_batch_is_stored() {
    let (store, first, _) = two_instances();
    let refuse = if store.postgres.is_some() {
        "ALTER TABLE leads ADD CONSTRAINT refused CHECK (company <> 'Refused GmbH')"
    } else {
        "CREATE TRIGGER refused BEFORE INSERT ON leads WHEN NEW.company = 'Refused GmbH' \
         BEGIN SELECT RAISE(ABORT, 'refused'); END"
    };
    let conn = &mut first.get().expect("connection");
    diesel::sql_query(refuse).execute(conn).expect("the refusal is in place");
    let now = OffsetDateTime::now_utc();
    let refused = Submission {
        request: NewLead {
            company: OneLine::required("Refused GmbH", 200).expect("one line"),
            ..submission("x", now).request
        },
        ..submission("refused", now)
    };
    let batch = [submission("before", now), refused, submission("after", now)];
    let stored = leads::store_leads(conn, &batch).expect("committed");
    assert!(matches!(stored[0], Ok(Stored::New { .. })), "{stored:?}");
    assert!(stored[1].is_err(), "the refused lead fails: {stored:?}");
    assert!(matches!(stored[2], Ok(Stored::New { .. })), "{stored:?}");
    assert_eq!(leads::recent_leads(conn, 10).expect("read").len(), 2);
    assert_eq!(leads::outbox_counts(conn).expect("counted").pending, 2, "a notification for each stored lead");
}

#[test]
fn a_lead_restored_from_spam_on_two_instances_at_once_is_moved_and_notified_once() {
    let (_dir, first, second) = two_instances();
    let now = OffsetDateTime::now_utc();
    let trapped = Submission { spam: Some(SpamReason::Honeypot), ..submission("trapped", now) };
    let stored = leads::store_leads(&mut first.get().expect("connection"), &[trapped]).expect("committed");
    let Some(Ok(Stored::New { lead_id, notify: false })) = stored.into_iter().next() else {
        panic!("stored as spam without a notification");
    };
    let [a, b] = on_both([&first, &second], move |pool| {
        let conn = &mut pool.get().expect("connection");
        leads::change_status(conn, lead_id, LeadStatus::New, "staff", "jonas@example.com", &[], now).expect("ran")
    });
    let changed = [a, b].iter().filter(|c| matches!(c, StatusChange::Changed { notify: true, .. })).count();
    let refused = [a, b].iter().filter(|c| **c == StatusChange::NotAllowed { current: LeadStatus::New }).count();
    assert_eq!((changed, refused), (1, 1), "one instance restores the lead, the other finds it restored: {a:?} {b:?}");
    let conn = &mut second.get().expect("connection");
    let history = leads::events(conn, lead_id).expect("read");
    assert_eq!(history.iter().filter(|e| e.kind == EventKind::Status).count(), 1, "{history:?}");
    assert_eq!(leads::outbox_counts(conn).expect("counted").pending, 1, "one notification");
}

#[test]
fn the_database_refuses_a_second_notification_for_one_lead() {
    let (_dir, first, _) = two_instances();
    leads_waiting(&first, 1, OffsetDateTime::now_utc());
    let second_row = diesel::sql_query(
        "INSERT INTO outbox (lead_id, recipient, next_attempt_at, created_at) \
         SELECT lead_id, recipient, next_attempt_at, created_at FROM outbox",
    )
    .execute(&mut first.get().expect("connection"));
    assert!(
        matches!(second_row, Err(diesel::result::Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _))),
        "{second_row:?}"
    );
}

#[test]
fn retention_run_by_two_instances_at_once_erases_each_lead_once() {
    let (_dir, first, second) = two_instances();
    let now = OffsetDateTime::now_utc();
    leads_waiting(&first, 30, now - time::Duration::days(400));
    let cutoff = now - time::Duration::days(365);
    let [a, b] = on_both([&first, &second], move |pool| {
        leads::erase_older_than(&mut pool.get().expect("connection"), cutoff).expect("no error when already gone")
    });
    assert_eq!(a.leads + b.leads, 30, "each lead erased once: {a:?} {b:?}");
    assert_eq!(a.notifications + b.notifications, 30);
    assert!(leads::recent_leads(&mut first.get().expect("connection"), 100).expect("read").is_empty());
}

#[test]
fn a_login_lock_counted_through_one_instance_refuses_on_the_other() {
    let (_dir, first, second) = two_instances();
    let now = OffsetDateTime::now_utc();
    let rule = ThrottleRule::Lock { max: 3, window: time::Duration::minutes(15) };
    let throttles = [Throttle { key: "client:192.0.2.1".into(), rule }];
    for _ in 0..3 {
        let counted = admin::begin_attempt(&mut first.get().expect("connection"), &throttles, now).expect("counted");
        assert!(counted.is_ok(), "not refused yet");
    }
    let later = now + time::Duration::seconds(1);
    let counted = admin::begin_attempt(&mut second.get().expect("connection"), &throttles, later).expect("read");
    assert!(counted.is_err(), "the other instance sees the lock");
}

#[tokio::test]
async fn a_notification_a_crashed_instance_held_is_sent_once_by_another_when_its_lease_ends() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = dir.path().join("shared.db");
    let down = SmtpSink::start_refusing().await;
    let mut crashing = settings(repo_path("content"), database.clone());
    crashing.smtp.host = Some("127.0.0.1".into());
    crashing.smtp.port = down.port;
    crashing.leads.confirmation_mail = false;
    let first = spawn(crashing, None).await;
    let form = first.open_form("/contact").await;
    assert_eq!(first.send(&form, VALID).await.status(), 303);
    let lease_end = millis(OffsetDateTime::now_utc() + time::Duration::milliseconds(300));
    let crashed_mid_send = format!("UPDATE outbox SET claimed_by = 'crashed', locked_until = {lease_end}");
    diesel::sql_query(crashed_mid_send).execute(&mut first.lead_store().get().expect("connection")).expect("claimed");
    first.stop().await;

    let sink = SmtpSink::start().await;
    let mut other = settings(repo_path("content"), database);
    other.smtp.host = Some("127.0.0.1".into());
    other.smtp.port = sink.port;
    let second = spawn(other, None).await;
    let sent = leads::OutboxCounts { pending: 0, sent: 1, failed: 0 };
    let outbox = eventually(Duration::from_secs(10), async || Some(second.outbox()).filter(|o| *o == sent)).await;
    assert!(outbox.is_some(), "sent after the lease: {:?}", second.outbox());
    assert_eq!(sink.mails().len(), 1, "one mail");
}

#[test]
fn retention_erases_more_old_leads_at_once_than_a_statement_can_name() {
    let (_dir, first, _) = two_instances();
    let now = OffsetDateTime::now_utc();
    let long_ago = millis(now - time::Duration::days(400));
    let conn = &mut first.get().expect("connection");
    let old_leads = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 33000) \
         INSERT INTO leads (submission_id, created_at, company, contact_name, email, role, headcount, engagement, \
             work_mode, message, consent_at, page_lang, contact_person_name) \
         SELECT 'old-' || i, {long_ago}, 'Nordlicht', 'Erika Muster', 'erika@nordlicht.example', 'Developer', 1, \
             'either', 'remote', 'Two developers from spring, please.', {long_ago}, 'en', 'Jonas Berger' FROM n"
    );
    diesel::sql_query(old_leads).execute(conn).expect("old leads");
    let notifications = "INSERT INTO outbox (lead_id, recipient, next_attempt_at, created_at) \
                         SELECT id, 'jonas@example.com', created_at, created_at FROM leads";
    diesel::sql_query(notifications).execute(conn).expect("their notifications");
    let erased = leads::erase_older_than(conn, now - time::Duration::days(365)).expect("erased");
    assert_eq!((erased.leads, erased.notifications), (33_000, 33_000));
}
