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

    // The database refuses new connections and drops the app's: as if its server were gone.
    postgres.execute(&format!("ALTER DATABASE {} ALLOW_CONNECTIONS false", postgres.name));
    postgres.execute(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{}'",
        postgres.name
    ));
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

    postgres.execute(&format!("ALTER DATABASE {} ALLOW_CONNECTIONS true", postgres.name));
    let again = crate::helpers::eventually(Duration::from_secs(5), async || {
        let form = app.open_form("/contact").await;
        Some(app.send(&form, &valid_with(&[("company", "Still Here GmbH")])).await.status())
            .filter(|status| *status == 303)
    })
    .await;
    assert!(again.is_some(), "the form works again once the database is back");
    assert_eq!(app.get("/readyz").await.status(), 200);
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
    assert_eq!(sqlite.len(), 67, "the lead tables' columns, as schema.rs has them");
    assert_eq!(postgres, sqlite);
}
