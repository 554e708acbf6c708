//! Erasing leads: by address, one at a time, by the retention period, and at the end of a lead's
//! whole way through the site.

use std::process::Command;
use std::time::Duration;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use super::app_with_staff;
use crate::helpers::{Page, TestApp, repo_path, spawn_configured};

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
    let mut conn = app.lead_store().get().expect("connection");
    let postgres = app.postgres.is_some();
    let (tables, columns_of) = if postgres {
        (
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
            "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ",
        )
    } else {
        (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            "SELECT name FROM pragma_table_info(",
        )
    };
    let tables: Vec<Column> = diesel::sql_query(tables).load(&mut conn).expect("tables");
    tables
        .iter()
        .map(|table| {
            let close = if postgres { "" } else { ")" };
            let columns: Vec<Column> =
                diesel::sql_query(format!("{columns_of}'{}'{close}", table.name)).load(&mut conn).expect("columns");
            let condition = columns
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let placeholder = if postgres { format!("${}", i + 1) } else { "?".to_owned() };
                    format!("lower(CAST(\"{}\" AS TEXT)) LIKE {placeholder}", c.name)
                })
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
    assert!(page.text_of("h1").contains("2 leads"), "{}", page.text_of("h1"));
    assert!(
        page.text_of("main").contains(
            "9 rows removed in all: 2 leads, 4 outbox rows (mails and webhook deliveries), 1 note, 2 history entries"
        ),
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
    assert!(
        single.text().await.expect("body").contains("3 rows removed"),
        "the lead, its notification and its confirmation"
    );
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
    .execute(&mut app.lead_store().get().expect("connection"))
    .expect("back-dated");
    let database = app.database.clone();
    app.stop().await;
    let mut settings = crate::helpers::settings(repo_path("content"), database);
    settings.leads_database = Some(app.leads_database.clone());
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
    assert!(erased.text().await.expect("body").contains("1 lead of cto@wolkenwerk.example erased"));
    assert!(app.leads().is_empty());
    assert_eq!(rows_mentioning(&app, "wolkenwerk"), 0);
}
