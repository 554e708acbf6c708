//! Working a lead: status changes, notes, history and its notification.

use std::time::Duration;

use jobprofiles::domain::lead::LeadStatus;

use super::{STAFF, app_with_staff};
use crate::helpers::Page;

#[tokio::test]
async fn status_changes_follow_the_workflow_and_are_recorded_with_who_and_when() {
    let app = app_with_staff(|_| {}).await;
    let lead = app.submit_lead("/contact", &[]).await;
    let staff = app.login().await;
    let mailed =
        crate::helpers::eventually(Duration::from_secs(10), async || Some(app.outbox()).filter(|o| o.sent == 2));
    assert!(mailed.await.is_some(), "the notification and the confirmation went to the mail folder");
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
    assert!(page.text_of("main").contains("sent (attempt 1)"), "the notification's state");
    let confirmation = page.text_of("section[aria-labelledby=confirmation-heading]");
    assert!(confirmation.contains("sent (attempt 1)"), "the confirmation's state: {confirmation}");
    assert_eq!(app.leads()[0].status, LeadStatus::Qualified);
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
        let mut conn = app.lead_store().get().ok()?;
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
    assert!(page.text_of("main").contains("failed after 1 attempt"));
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
    // Without an SMTP host the mail folder takes it at once: it is sent, not just queued.
    let sent = crate::helpers::eventually(Duration::from_secs(10), async || {
        let mut conn = app.lead_store().get().expect("connection");
        let state = jobprofiles::db::leads::notification_state(&mut conn, lead).expect("state");
        state.filter(|state| matches!(state, jobprofiles::domain::lead::NotificationState::Sent { .. }))
    })
    .await;
    assert!(sent.is_some(), "the restored lead's notification is sent");
}
