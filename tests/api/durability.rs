//! The start-up check of the SQLite settings an acknowledged lead depends on.

use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::cli::jobprofiles;

#[test]
fn a_database_that_cannot_keep_leads_durable_is_refused_at_start_with_the_reason() {
    // An in-memory database accepts `journal_mode = WAL` and stays in `memory` mode: SQLite
    // ignores the setting without an error, and only reading it back notices. With one
    // connection the site would otherwise serve, and every lead would vanish with the process.
    let mut child = jobprofiles()
        .args(["serve", "--no-watch", "--bind", "127.0.0.1:0", "--content", "tests/fixtures/minimal"])
        .args(["--database", ":memory:", "--db-max-connections", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let started = Instant::now();
    let exited = loop {
        if let Some(status) = child.try_wait().expect("waits") {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let output = child.wait_with_output().expect("output");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(exited.and_then(|status| status.code()), Some(1), "refused to start: {stderr}");
    assert!(
        stderr.contains(
            "error: refusing to use the database :memory:: SQLite would not keep acknowledged leads safe: \
             PRAGMA journal_mode is memory (needs wal)"
        ),
        "{stderr}"
    );
}
