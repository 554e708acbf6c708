//! The lead and staff store on PostgreSQL: what happens when the server cannot be reached at
//! start or goes away while the site serves. (Every other lead test runs on PostgreSQL as well
//! under `JOBPROFILES_TEST_POSTGRES`.)

use std::time::Duration;

use crate::contact::{VALID, valid_with};
use crate::helpers::{Page, repo_path, spawn_configured};

#[test]
fn a_postgres_that_cannot_be_reached_fails_start_naming_it_without_its_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = crate::cli::jobprofiles()
        .args(["serve", "--bind", "127.0.0.1:0", "--content", "tests/fixtures/minimal"])
        .args(["--leads-database", "postgres://leads:s3cret@127.0.0.1:1/jobs?sslmode=disable&password=s3cret"])
        .args(["--secret-key", crate::helpers::SECRET_KEY])
        .arg("--database")
        .arg(dir.path().join("content.db"))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(
        stderr.contains("cannot connect to the lead database postgres://leads@127.0.0.1:1/jobs?sslmode=disable"),
        "{stderr}"
    );
    assert!(!stderr.contains("s3cret"), "{stderr}");
}

#[test]
fn serve_with_a_leads_database_and_no_secret_key_refuses_to_start_naming_the_setting() {
    let dir = tempfile::tempdir().expect("temp dir");
    let serve = |key: Option<&str>| {
        let mut command = crate::cli::jobprofiles();
        command
            .args(["serve", "--bind", "127.0.0.1:0", "--content", "tests/fixtures/minimal", "--no-watch"])
            .arg("--database")
            .arg(dir.path().join("content.db"))
            .arg("--leads-database")
            .arg(dir.path().join("leads.db"));
        if let Some(key) = key {
            command.env("JOBPROFILES_SECRET_KEY", key);
        }
        command.stderr(std::process::Stdio::piped()).spawn().expect("starts")
    };
    let output = serve(None).wait_with_output().expect("exits");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: --leads-database is set but --secret-key (JOBPROFILES_SECRET_KEY) is not"),
        "{stderr}"
    );
    assert!(!dir.path().join("leads.db").exists(), "refused before it touched the lead store");

    let mut started = serve(Some(crate::helpers::SECRET_KEY));
    let mut lines = std::io::BufRead::lines(std::io::BufReader::new(started.stderr.take().expect("stderr")));
    let listening = lines.any(|line| line.is_ok_and(|line| line.contains("listening")));
    let _ = started.kill();
    let _ = started.wait();
    assert!(listening, "with the key given by its variable, the same command serves");
}

#[tokio::test]
async fn when_postgres_goes_away_the_form_answers_503_with_the_input_kept_and_readyz_503_until_it_is_back() {
    let app = spawn_configured(|s| s.db_pool_timeout_ms = 300, repo_path("content")).await;
    let Some(postgres) = &app.postgres else {
        eprintln!("skipped: set JOBPROFILES_TEST_POSTGRES to run the lead store on PostgreSQL");
        return;
    };
    let form = app.open_form("/contact").await;
    assert_eq!(app.send(&form, VALID).await.status(), 303);
    assert_eq!(app.get("/readyz").await.status(), 200);

    postgres.go_away();
    let form = app.open_form("/contact").await;
    let refused = app.send(&form, &valid_with(&[("company", "Still Here GmbH")])).await;
    assert_eq!(refused.status(), 503);
    assert!(refused.headers().contains_key("retry-after"));
    let page = Page::from_text(refused.status(), refused.text().await.expect("body"));
    assert_eq!(page.attr("input[name=company]", "value").as_deref(), Some("Still Here GmbH"), "the input is kept");
    assert!(page.text_of(".notice").contains("cannot store requests at this moment"), "{}", page.text);
    let not_ready = app.get("/readyz").await;
    assert_eq!(not_ready.status(), 503);
    assert!(not_ready.text().await.expect("body").contains(r#""leads_database":"unreachable""#));
    assert_eq!(app.get("/").await.status(), 200, "the content is served from its own file all along");

    postgres.come_back();
    let again = crate::helpers::eventually(Duration::from_secs(5), async || {
        let form = app.open_form("/contact").await;
        Some(app.send(&form, &valid_with(&[("company", "Still Here GmbH")])).await.status())
            .filter(|status| *status == 303)
    })
    .await;
    assert!(again.is_some(), "the form works again once the database is back");
    assert_eq!(app.get("/readyz").await.status(), 200);
}

#[tokio::test]
async fn when_postgres_goes_away_staff_and_thank_you_pages_answer_503_with_retry_after_and_the_login_keeps_the_email() {
    let app = crate::admin::app_with_staff(|s| s.db_pool_timeout_ms = 300).await;
    let Some(postgres) = &app.postgres else {
        eprintln!("skipped: set JOBPROFILES_TEST_POSTGRES to run the lead store on PostgreSQL");
        return;
    };
    let lead = app.submit_lead("/contact", &[]).await.get();
    let staff = app.login().await;

    postgres.go_away();
    for path in ["/admin/leads".to_owned(), format!("/admin/leads/{lead}"), "/admin/leads/export.csv".to_owned()] {
        let response = app.get_with(&path, &staff.cookies).await;
        assert_eq!(response.status(), 503, "{path}");
        assert_eq!(response.headers()["retry-after"], "30", "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
        let page = Page::from_text(response.status(), response.text().await.expect("body"));
        assert_eq!(page.text_of("h1"), "Briefly unavailable", "{path}");
        assert!(page.text.contains("cannot be reached at the moment"), "{path}: {}", page.text);
    }
    let thanks = app.page("/de/kontakt/danke/00112233445566778899aabbccddeeff").await;
    assert_eq!(thanks.status, 503, "a visitor's page that reads the lead store");
    assert_eq!(thanks.text_of("h1"), "Kurz nicht erreichbar", "in the language of its address");
    let form = [("csrf_token", staff.csrf.as_str()), ("body", "Written while the database is away.")];
    let note = app.post_with(&format!("/admin/leads/{lead}/notes"), &staff.cookies, &form).await;
    assert_eq!(note.status(), 503);
    let (login, _) = app.try_login(crate::admin::STAFF, crate::admin::PASSWORD, "/admin/leads", None).await;
    assert_eq!(login.status(), 503);
    assert_eq!(login.headers()["retry-after"], "30");
    let page = Page::from_text(login.status(), login.text().await.expect("body"));
    assert_eq!(page.attr("input[name=email]", "value").as_deref(), Some(crate::admin::STAFF), "the e-mail is kept");
    assert!(page.text.contains("staff database cannot be reached"), "{}", page.text);

    postgres.come_back();
    let back = crate::helpers::eventually(Duration::from_secs(5), async || {
        Some(app.get_with("/admin/leads", &staff.cookies).await.status()).filter(|status| *status == 200)
    })
    .await;
    assert!(back.is_some(), "the same session works again once the database is back");
    let page = Page::from_text(
        reqwest::StatusCode::OK,
        app.get_with(&format!("/admin/leads/{lead}"), &staff.cookies).await.text().await.expect("body"),
    );
    assert!(page.select_all(".note").is_empty(), "the note refused while away was not stored: {}", page.text);
}

/// One column as both backends describe it, in the terms of `src/db/schema.rs`.
#[derive(Debug, PartialEq, Eq, diesel::QueryableByName)]
struct Column {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    kind: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    nullable: i32,
}

const LEAD_TABLES: &str = "'leads', 'outbox', 'admin_users', 'admin_sessions', 'login_throttle', 'lead_notes', 'lead_events', 'profile_views'";

#[tokio::test]
async fn the_postgres_lead_tables_have_the_columns_types_and_nullability_of_the_sqlite_ones() {
    use diesel::RunQueryDsl;
    let app = spawn_configured(|_| {}, repo_path("content")).await;
    let Some(_) = &app.postgres else {
        eprintln!("skipped: set JOBPROFILES_TEST_POSTGRES to run the lead store on PostgreSQL");
        return;
    };
    // diesel reads SQLite's INTEGER keys as BigInt (diesel.toml), its other INTEGERs as Integer.
    let sqlite: Vec<Column> = diesel::sql_query(format!(
        "SELECT m.name AS table_name, p.name AS column_name, \
         CASE WHEN upper(p.type) = 'TEXT' THEN 'text' \
              WHEN upper(p.type) = 'BIGINT' OR p.pk = 1 OR p.name IN ('lead_id', 'user_id') THEN 'bigint' \
              ELSE 'integer' END AS kind, \
         CASE WHEN p.\"notnull\" = 0 AND p.pk = 0 THEN 1 ELSE 0 END AS nullable \
         FROM sqlite_master m, pragma_table_info(m.name) p WHERE m.name IN ({LEAD_TABLES}) ORDER BY 1, 2"
    ))
    .load(&mut app.pool().get().expect("connection"))
    .expect("SQLite columns");
    let postgres: Vec<Column> = diesel::sql_query(format!(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS kind, \
         CASE WHEN is_nullable = 'YES' THEN 1 ELSE 0 END AS nullable \
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name IN ({LEAD_TABLES}) \
         ORDER BY 1, 2"
    ))
    .load(&mut app.lead_store().get().expect("connection"))
    .expect("PostgreSQL columns");
    assert_eq!(sqlite.len(), 69, "the lead tables' columns, as schema.rs has them");
    assert_eq!(postgres, sqlite);
}
