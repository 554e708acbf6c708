//! What the store needs of SQLite to keep an acknowledged lead, read back on a pooled connection
//! at start: a setting SQLite ignored (an in-memory database has no WAL, a file system may refuse
//! it) stops the process with a clear message instead of losing leads quietly.

use std::fmt;
use std::time::Duration;

use diesel::sql_types::{BigInt, Integer, Text};
use diesel::sqlite::SqliteConnection;
use diesel::{QueryableByName, RunQueryDsl};

/// `PRAGMA synchronous = FULL`: a commit is on disk before `COMMIT` returns.
const SYNCHRONOUS_FULL: i32 = 2;

#[derive(Debug, thiserror::Error)]
pub enum DurabilityError {
    #[error("cannot read back the connection's settings")]
    Read(#[source] diesel::result::Error),
    #[error("{}", Mismatches(.0))]
    Unsafe(Vec<Mismatch>),
}

/// One setting that differs from what durability needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub pragma: &'static str,
    pub found: String,
    pub needed: String,
}

struct Mismatches<'a>(&'a [Mismatch]);

impl fmt::Display for Mismatches<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SQLite would not keep acknowledged leads safe: ")?;
        for (i, m) in self.0.iter().enumerate() {
            let separator = if i == 0 { "" } else { ", " };
            write!(f, "{separator}PRAGMA {} is {} (needs {})", m.pragma, m.found, m.needed)?;
        }
        Ok(())
    }
}

#[derive(QueryableByName)]
struct ReadBack {
    #[diesel(sql_type = Text)]
    journal_mode: String,
    #[diesel(sql_type = Integer)]
    synchronous: i32,
    #[diesel(sql_type = Integer)]
    foreign_keys: i32,
    #[diesel(sql_type = BigInt)]
    busy_timeout: i64,
}

/// Reads the settings back from SQLite itself and lists every one that is not what a durable
/// store needs: WAL, `synchronous = FULL`, foreign keys on and the configured busy timeout.
pub fn check_durability(conn: &mut SqliteConnection, busy_timeout: Duration) -> Result<(), DurabilityError> {
    let found = diesel::sql_query(
        "SELECT (SELECT journal_mode FROM pragma_journal_mode) AS journal_mode, \
                (SELECT synchronous FROM pragma_synchronous) AS synchronous, \
                (SELECT foreign_keys FROM pragma_foreign_keys) AS foreign_keys, \
                (SELECT timeout FROM pragma_busy_timeout) AS busy_timeout",
    )
    .get_result::<ReadBack>(conn)
    .map_err(DurabilityError::Read)?;
    let wanted_timeout = i64::try_from(busy_timeout.as_millis()).unwrap_or(i64::MAX);
    let mut mismatches = Vec::new();
    let mut differs = |pragma, found: String, needed: String| {
        if found != needed {
            mismatches.push(Mismatch { pragma, found, needed });
        }
    };
    differs("journal_mode", found.journal_mode.to_ascii_lowercase(), "wal".into());
    differs("synchronous", found.synchronous.to_string(), SYNCHRONOUS_FULL.to_string());
    differs("foreign_keys", found.foreign_keys.to_string(), "1".into());
    differs("busy_timeout", found.busy_timeout.to_string(), wanted_timeout.to_string());
    if mismatches.is_empty() { Ok(()) } else { Err(DurabilityError::Unsafe(mismatches)) }
}

#[cfg(test)]
mod tests {
    use diesel::Connection;
    use diesel::connection::SimpleConnection;

    use super::*;

    fn connection(pragmas: &str) -> (tempfile::TempDir, SqliteConnection) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("check.db");
        let mut conn = SqliteConnection::establish(&path.to_string_lossy()).expect("opens");
        conn.batch_execute(pragmas).expect("pragmas set");
        (dir, conn)
    }

    const DURABLE: &str =
        "PRAGMA busy_timeout = 250; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;";

    #[test]
    fn a_connection_set_as_the_pool_sets_it_passes() {
        let (_dir, mut conn) = connection(DURABLE);
        check_durability(&mut conn, Duration::from_millis(250)).expect("durable");
    }

    #[test]
    fn every_setting_that_differs_is_named_with_what_it_is_and_what_it_needs() {
        let (_dir, mut conn) = connection(
            "PRAGMA busy_timeout = 100; PRAGMA journal_mode = DELETE; PRAGMA synchronous = NORMAL; \
             PRAGMA foreign_keys = OFF;",
        );
        let error = check_durability(&mut conn, Duration::from_millis(250)).expect_err("not durable");
        let DurabilityError::Unsafe(mismatches) = &error else { panic!("read back: {error}") };
        let named: Vec<_> = mismatches.iter().map(|m| (m.pragma, m.found.as_str(), m.needed.as_str())).collect();
        assert_eq!(
            named,
            [
                ("journal_mode", "delete", "wal"),
                ("synchronous", "1", "2"),
                ("foreign_keys", "0", "1"),
                ("busy_timeout", "100", "250")
            ]
        );
        assert!(error.to_string().contains("PRAGMA synchronous is 1 (needs 2)"), "{error}");
    }

    #[test]
    fn an_in_memory_database_cannot_keep_the_wal_it_was_asked_for() {
        let mut conn = SqliteConnection::establish(":memory:").expect("opens");
        conn.batch_execute(DURABLE).expect("pragmas set");
        let error = check_durability(&mut conn, Duration::from_millis(250)).expect_err("no WAL in memory");
        assert!(error.to_string().contains("PRAGMA journal_mode is memory (needs wal)"), "{error}");
    }
}
