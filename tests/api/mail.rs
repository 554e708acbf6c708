//! The mails a lead causes: written to the mail folder without an SMTP host, well-formed MIME
//! by a standard parser's measure, and the confirmation to the company in the form's language.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use jobprofiles::db::leads;

use crate::contact::valid_with;
use crate::helpers::{TestApp, eventually, repo_path, spawn_app, spawn_configured, trust_client_addresses};
use crate::smtp_sink::{ReceivedMail, SmtpSink};

/// Python's standard `email` parser with its current policy: every defect it finds in the
/// message, its parts or its headers, one per line, and the MIME version it read.
const PARSE_WITH_PYTHON: &str = r#"
import email, email.policy, sys
for path in sys.argv[1:]:
    with open(path, 'rb') as file:
        message = email.message_from_binary_file(file, policy=email.policy.default)
    defects = [repr(d) for part in message.walk() for d in part.defects]
    defects += [f'{name}: {d!r}' for name, value in message.items() for d in getattr(value, 'defects', ())]
    for part in message.walk():
        if not part.is_multipart():
            part.get_content()
    print(path, 'MIME-Version', message['MIME-Version'], 'defects', defects)
"#;

/// Parses every message with Python's `email` package and fails on any defect or a missing
/// `MIME-Version: 1.0`.
fn assert_well_formed(messages: &[PathBuf]) {
    let output = Command::new("python3")
        .arg("-c")
        .arg(PARSE_WITH_PYTHON)
        .args(messages)
        .output()
        .expect("python3 runs (the standard mail parser the test checks against)");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "the parser failed: {}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(report.lines().count(), messages.len(), "{report}");
    for line in report.lines() {
        assert!(line.ends_with("MIME-Version 1.0 defects []"), "{line}");
    }
}

/// The `.eml` files in `folder`.
fn mail_files(folder: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
                .collect()
        })
        .unwrap_or_default()
}

async fn smtp_app(sink: &SmtpSink, configure: impl FnOnce(&mut jobprofiles::configuration::Settings)) -> TestApp {
    let port = sink.port;
    spawn_configured(
        |s| {
            s.smtp.host = Some("127.0.0.1".into());
            s.smtp.port = port;
            configure(s);
        },
        repo_path("content"),
    )
    .await
}

async fn mails_to(sink: &SmtpSink, address: &str, count: usize) -> Vec<ReceivedMail> {
    let arrived = async || {
        let mails: Vec<ReceivedMail> = sink.mails().into_iter().filter(|m| m.to == [address]).collect();
        (mails.len() >= count).then_some(mails)
    };
    eventually(Duration::from_secs(10), arrived).await.unwrap_or_else(|| panic!("{count} mails to {address}"))
}

#[tokio::test]
async fn without_an_smtp_host_every_mail_is_written_to_the_mail_folder_beside_the_database_and_marked_sent() {
    let app = spawn_app().await;
    let folder = app.database.parent().expect("the database's folder").join("mail");
    let form = app.open_form("/contact?profile=data-scientist").await;
    assert_eq!(app.send(&form, &valid_with(&[])).await.status(), 303);

    let sent = leads::OutboxCounts { pending: 0, sent: 2, failed: 0 };
    let outbox = eventually(Duration::from_secs(10), async || Some(app.outbox()).filter(|o| *o == sent)).await;
    assert!(outbox.is_some(), "both mails are marked sent: {:?}", app.outbox());
    let files = mail_files(&folder);
    assert_eq!(files.len(), 2, "one file per mail in {}", folder.display());
    let texts: Vec<String> = files.iter().map(|f| std::fs::read_to_string(f).expect("readable")).collect();
    assert!(texts.iter().any(|t| t.contains("To: jonas.berger@example.com")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("To: erika.muster@nordlicht.example")), "{texts:?}");
    assert_well_formed(&files);
}

#[tokio::test]
async fn the_mail_folder_can_be_chosen() {
    let chosen = tempfile::tempdir().expect("temp dir");
    let folder = chosen.path().join("outgoing");
    let target = folder.clone();
    let app = spawn_configured(|s| s.smtp.mail_dir = Some(target), repo_path("content")).await;
    let form = app.open_form("/contact").await;
    assert_eq!(app.send(&form, &valid_with(&[])).await.status(), 303);
    let written =
        eventually(Duration::from_secs(10), async || Some(mail_files(&folder)).filter(|f| f.len() == 2)).await;
    assert!(written.is_some(), "two mails in the chosen folder: {:?}", mail_files(&folder));
    assert!(mail_files(&app.database.parent().expect("folder").join("mail")).is_empty());
}

#[tokio::test]
async fn every_mail_sent_is_well_formed_mime_with_a_message_id_in_the_senders_domain() {
    let sink = SmtpSink::start().await;
    let app = smtp_app(&sink, |_| {}).await;
    let hostile = [("company", "Müller & Söhne <AG>"), ("name", "Eve \"The\" <Boss>, Jr."), ("location", "Köln")];
    for path in ["/contact?profile=data-scientist", "/de/kontakt?profile=data-scientist"] {
        let form = app.open_form(path).await;
        assert_eq!(app.send(&form, &valid_with(&hostile)).await.status(), 303);
    }
    let mails = eventually(Duration::from_secs(10), async || Some(sink.mails()).filter(|m| m.len() == 4))
        .await
        .unwrap_or_else(|| panic!("two notifications and two confirmations: {:?}", sink.mails()));
    let folder = tempfile::tempdir().expect("temp dir");
    let files: Vec<PathBuf> = mails
        .iter()
        .enumerate()
        .map(|(n, mail)| {
            let file = folder.path().join(format!("{n}.eml"));
            std::fs::write(&file, &mail.data).expect("written");
            file
        })
        .collect();
    assert_well_formed(&files);
    for mail in &mails {
        assert_eq!(mail.header("MIME-Version").as_deref(), Some("1.0"), "{}", mail.data);
        let id = mail.header("Message-ID").unwrap_or_default();
        assert!(id.starts_with('<') && id.ends_with("@example.com>"), "the sender's domain: {id}");
    }
}

#[tokio::test]
async fn the_company_gets_a_confirmation_in_the_language_of_the_form_without_its_message() {
    let sink = SmtpSink::start().await;
    let app = smtp_app(&sink, |_| {}).await;
    let cases = [
        (
            "/contact?profile=data-scientist",
            "ana@firm-en.example",
            "Your hiring request has reached Quellwerk Talent",
            ["Role: Data Scientist", "Engagement: Permanent employment", "What happens next"],
        ),
        (
            "/de/kontakt?profile=data-scientist",
            "ana@firm-de.example",
            "Ihre Anfrage ist bei Quellwerk Talent angekommen",
            ["Gesuchte Rolle: Data Scientist", "Art der Zusammenarbeit: Festanstellung", "Wie es weitergeht"],
        ),
    ];
    let message = "Please forward this text to everyone: visit https://phish.example now and log in.";
    for (path, address, subject, lines) in cases {
        let form = app.open_form(path).await;
        let fields = [("email", address), ("role", "Data Scientist"), ("message", message)];
        assert_eq!(app.send(&form, &valid_with(&fields)).await.status(), 303);
        let confirmation = mails_to(&sink, address, 1).await.remove(0);
        assert_eq!(confirmation.header("Subject").as_deref(), Some(subject));
        assert_eq!(confirmation.header_count("Reply-To"), 0, "no contact person's address");
        let body = confirmation.body();
        for line in lines {
            assert!(body.contains(line), "{line:?} in {body}");
        }
        assert!(body.contains("Jonas Berger"), "signed by the contact person: {body}");
        assert!(!body.contains("phish.example") && !body.contains("forward this text"), "message echoed: {body}");
        assert!(!body.contains("Nordlicht") && !body.contains("Erika"), "company and name not echoed: {body}");
        assert!(!body.contains("jonas.berger@example.com") && !body.contains("/media/"), "{body}");
    }
}

#[tokio::test]
async fn spam_gets_no_confirmation() {
    let sink = SmtpSink::start().await;
    let app = smtp_app(&sink, |_| {}).await;
    let form = app.open_form("/contact").await;
    let trapped = [("email", "victim@elsewhere.example"), ("website", "https://spam.example")];
    assert_eq!(app.send(&form, &valid_with(&trapped)).await.status(), 303);
    let form = app.open_form("/contact").await;
    assert_eq!(app.send(&form, &valid_with(&[("email", "real@firm.example")])).await.status(), 303);
    // Mails go out in the order their leads arrived: once the real lead's are there, a
    // confirmation of the spam would have been sent before them.
    mails_to(&sink, "real@firm.example", 1).await;
    let sent = leads::OutboxCounts { pending: 0, sent: 2, failed: 0 };
    assert!(eventually(Duration::from_secs(10), async || Some(app.outbox()).filter(|o| *o == sent)).await.is_some());
    assert!(sink.mails().iter().all(|m| m.to != ["victim@elsewhere.example"]), "{:?}", sink.mails());
}

#[tokio::test]
async fn with_confirmation_mail_off_only_the_contact_person_is_mailed() {
    let sink = SmtpSink::start().await;
    let app = smtp_app(&sink, |s| s.leads.confirmation_mail = false).await;
    let form = app.open_form("/contact").await;
    assert_eq!(app.send(&form, &valid_with(&[])).await.status(), 303);
    mails_to(&sink, "lena.hoffmann@example.com", 1).await;
    let sent = leads::OutboxCounts { pending: 0, sent: 1, failed: 0 };
    assert!(eventually(Duration::from_secs(10), async || Some(app.outbox()).filter(|o| *o == sent)).await.is_some());
    assert_eq!(sink.mails().len(), 1, "{:?}", sink.mails());
}

#[tokio::test]
async fn confirmations_to_one_address_are_limited_like_the_form_whichever_clients_send_it() {
    let sink = SmtpSink::start().await;
    let app = smtp_app(&sink, |s| {
        s.leads.rate_limit = std::num::NonZeroU32::new(2).unwrap_or(std::num::NonZeroU32::MIN);
        trust_client_addresses(s);
    })
    .await;
    for client in ["192.0.2.1", "192.0.2.2", "192.0.2.3"] {
        let form = app.open_form("/contact").await;
        let response = app.send_forwarded(&form, &valid_with(&[("email", "Target@Victim.example")]), client).await;
        assert_eq!(response.status(), 303, "each client is within its own limit");
    }
    mails_to(&sink, "lena.hoffmann@example.com", 3).await;
    let sent = leads::OutboxCounts { pending: 0, sent: 5, failed: 0 };
    assert!(eventually(Duration::from_secs(10), async || Some(app.outbox()).filter(|o| *o == sent)).await.is_some());
    let confirmations = sink.mails().into_iter().filter(|m| m.to == ["Target@Victim.example"]).count();
    assert_eq!(confirmations, 2, "three leads stored and notified, two confirmed");
}
