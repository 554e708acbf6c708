//! `jobprofiles backup` and `jobprofiles restore` through the built binary, beside a running site.

use std::path::Path;
use std::process::Output;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::future::join_all;
use jobprofiles::configuration::Settings;
use jobprofiles::db::leads;

use crate::cli::jobprofiles;
use crate::contact::VALID;
use crate::helpers::{TestApp, eventually, repo_path, spawn_configured};

/// A backup copies the SQLite file, so these apps keep their leads in it even when the suite
/// runs the lead store on PostgreSQL (there `pg_dump` is the backup: README).
async fn spawn_on_file(configure: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_configured(
        |settings| {
            settings.leads_database = None;
            configure(settings);
        },
        repo_path("content"),
    )
    .await
}

fn run(command: &str, path: &Path, database: &Path) -> Output {
    jobprofiles().arg(command).arg(path).arg("--database").arg(database).output().expect("runs")
}

/// Sends one hiring request from a fresh form; whether it was acknowledged with the redirect.
async fn submit(app: &TestApp, email: &str) -> bool {
    let form = app.open_form("/contact?profile=backend-developer").await;
    let fields: Vec<(&str, &str)> = VALID.iter().map(|&(k, v)| (k, if k == "email" { email } else { v })).collect();
    app.send(&form, &fields).await.status() == 303
}

fn stored_emails(app: &TestApp) -> Vec<String> {
    let mut conn = app.lead_store().get().expect("connection");
    leads::leads_since(&mut conn, None)
        .expect("leads")
        .into_iter()
        .map(|l| l.request.email.as_ref().to_owned())
        .collect()
}

#[tokio::test]
async fn a_backup_taken_under_write_load_restores_every_lead_acknowledged_before_it_started() {
    let app = spawn_on_file(|_| {}).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let backup = dir.path().join("backup.db");
    // Each acknowledged e-mail address, and whether its 303 came before the backup started.
    let acknowledged: Mutex<Vec<(String, bool)>> = Mutex::new(Vec::new());
    let (backup_started, stop) = (AtomicBool::new(false), AtomicBool::new(false));
    let writer = |worker: usize| {
        let (app, acknowledged, backup_started, stop) = (&app, &acknowledged, &backup_started, &stop);
        async move {
            for n in 0.. {
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                let email = format!("load-{worker}-{n}@backup.example");
                if submit(app, &email).await {
                    let before = !backup_started.load(Ordering::SeqCst);
                    acknowledged.lock().expect("not poisoned").push((email, before));
                }
            }
        }
    };
    let take_backup = async {
        let some_in = eventually(Duration::from_secs(30), async || {
            (acknowledged.lock().expect("not poisoned").len() >= 20).then_some(())
        })
        .await;
        assert!(some_in.is_some(), "leads are acknowledged before the backup starts");
        backup_started.store(true, Ordering::SeqCst);
        let (to, database) = (backup.clone(), app.database.clone());
        let output = tokio::task::spawn_blocking(move || run("backup", &to, &database)).await.expect("joined");
        stop.store(true, Ordering::SeqCst);
        output
    };
    let (_, output) = tokio::join!(join_all((0..4).map(writer)), take_backup);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("integrity_check ok"));

    let restored_db = dir.path().join("fresh").join("restored.db");
    let output = run("restore", &backup, &restored_db);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let restored = spawn_on_file(|s| s.database = restored_db.clone()).await;
    assert_eq!(restored.get("/healthz").await.status(), 200);
    let stored = stored_emails(&restored);
    let before: Vec<_> = acknowledged.into_inner().expect("not poisoned").into_iter().filter(|(_, b)| *b).collect();
    assert!(before.len() >= 20);
    for (email, _) in &before {
        assert_eq!(stored.iter().filter(|s| *s == email).count(), 1, "{email} restored exactly once");
    }
}

#[tokio::test]
async fn a_backup_refuses_to_overwrite_an_existing_file() {
    let app = spawn_on_file(|_| {}).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let existing = dir.path().join("existing.db");
    std::fs::write(&existing, "an operator's file").expect("written");
    let output = run("backup", &existing, &app.database);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("exists already; a backup never overwrites a file"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&existing).expect("still there"), "an operator's file");
    let left: Vec<_> = std::fs::read_dir(dir.path()).expect("folder").collect();
    assert_eq!(left.len(), 1, "no partial copy left behind: {left:?}");
}

#[tokio::test]
async fn a_restore_refuses_a_damaged_backup_and_leaves_the_database_alone() {
    let app = spawn_on_file(|_| {}).await;
    assert!(submit(&app, "kept@restore.example").await);
    let dir = tempfile::tempdir().expect("temp dir");
    let backup = dir.path().join("backup.db");
    assert!(run("backup", &backup, &app.database).status.success());
    // A page in the middle of the file overwritten, as a failing disk or a bad copy leaves it.
    let mut bytes = std::fs::read(&backup).expect("backup");
    let page = 4096 * (bytes.len() / 4096 / 2);
    bytes[page..page + 4096].fill(0x5a);
    let damaged = dir.path().join("damaged.db");
    std::fs::write(&damaged, &bytes).expect("written");
    let not_a_database = dir.path().join("notes.db");
    std::fs::write(&not_a_database, "not a database at all, but long enough to look like a header…".repeat(20))
        .expect("written");
    let target = dir.path().join("target.db");
    std::fs::copy(&backup, &target).expect("copied");

    for refused in [&damaged, &not_a_database] {
        let output = run("restore", refused, &target);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("is damaged, refusing it"), "{stderr}");
    }
    let untouched = spawn_on_file(|s| s.database = target.clone()).await;
    assert_eq!(stored_emails(&untouched), ["kept@restore.example"]);
    let files: Vec<_> = std::fs::read_dir(dir.path()).expect("folder").filter_map(|e| e.ok()).collect();
    assert!(!files.iter().any(|e| e.file_name().to_string_lossy().contains("restor")), "nothing staged is left");
}

#[tokio::test]
async fn a_restore_refuses_while_a_server_has_the_database_open() {
    let app = spawn_on_file(|_| {}).await;
    assert!(submit(&app, "live@restore.example").await);
    let dir = tempfile::tempdir().expect("temp dir");
    let backup = dir.path().join("backup.db");
    assert!(run("backup", &backup, &app.database).status.success());
    let output = run("restore", &backup, &app.database);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is open in another process (a running server?): stop it, then restore"), "{stderr}");
    assert!(submit(&app, "after@restore.example").await, "the site goes on serving");
    assert_eq!(stored_emails(&app), ["live@restore.example", "after@restore.example"]);
}

#[tokio::test]
async fn a_restore_replaces_a_stopped_database_and_keeps_the_one_it_replaced_beside_it() {
    let app = spawn_on_file(|_| {}).await;
    assert!(submit(&app, "old@restore.example").await);
    let dir = tempfile::tempdir().expect("temp dir");
    let older = dir.path().join("older.db");
    assert!(run("backup", &older, &app.database).status.success());
    assert!(submit(&app, "new@restore.example").await);
    // A database no server has open, holding both leads.
    let stopped = dir.path().join("stopped.db");
    assert!(run("backup", &stopped, &app.database).status.success());

    let output = run("restore", &older, &stopped);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let kept = std::fs::read_dir(dir.path())
        .expect("folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.to_string_lossy().contains("stopped.db.before-restore-"))
        .expect("the replaced database is kept");
    assert!(stdout.contains(&format!("kept as {}", kept.display())), "{stdout}");
    let restored = spawn_on_file(|s| s.database = stopped.clone()).await;
    assert_eq!(stored_emails(&restored), ["old@restore.example"]);
    let replaced = spawn_on_file(|s| s.database = kept.clone()).await;
    assert_eq!(stored_emails(&replaced), ["old@restore.example", "new@restore.example"]);
}
