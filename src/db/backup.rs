//! Copies of the store: a backup taken while the site serves (`VACUUM INTO` reads one snapshot,
//! so the copy is the store at one moment and writers go on meanwhile), and a restore that checks
//! a copy before it takes the store's place, and only while no other process has the store open.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, QueryableByName, RunQueryDsl};

/// Lines of `PRAGMA integrity_check` quoted when a copy is refused.
const REPORTED_PROBLEMS: usize = 5;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{} exists already; a backup never overwrites a file: choose a new name or move that file away", .0.display())]
    Exists(PathBuf),
    #[error("there is no database at {}", .0.display())]
    Missing(PathBuf),
    #[error("cannot write {}", path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("cannot open {}", path.display())]
    Open { path: PathBuf, source: diesel::ConnectionError },
    #[error("cannot copy {}", path.display())]
    Copy { path: PathBuf, source: diesel::result::Error },
    #[error("{} is damaged, refusing it: {report}", path.display())]
    Damaged { path: PathBuf, report: String },
    #[error("{} is not a jobprofiles database: it has no leads table", .0.display())]
    NotAStore(PathBuf),
    #[error("{} is open in another process (a running server?): stop it, then restore", path.display())]
    InUse { path: PathBuf },
    #[error(
        "cannot take {} for the restore alone; if the store is damaged beyond opening, stop the server, move it and \
         its -wal and -shm files away and restore into the empty place",
        path.display()
    )]
    Unreadable { path: PathBuf, source: diesel::result::Error },
}

/// A backup written and checked.
#[derive(Debug)]
pub struct Backup {
    pub bytes: u64,
}

/// A store restored, and where the store it replaced is kept.
#[derive(Debug)]
pub struct Restore {
    pub replaced: Option<PathBuf>,
}

/// Copies the store at `database` into a new file `to`. The copy is written beside `to` under a
/// name of its own, flushed to disk (SQLite does not sync what `VACUUM INTO` writes), checked,
/// and only then linked as `to`, so `to` is either absent or a complete, checked copy.
pub fn backup(database: &Path, to: &Path, busy_timeout: Duration) -> Result<Backup, BackupError> {
    if to.symlink_metadata().is_ok() {
        return Err(BackupError::Exists(to.to_owned()));
    }
    let mut conn = open_existing(database)?;
    conn.batch_execute(&format!("PRAGMA busy_timeout = {};", busy_timeout.as_millis()))
        .map_err(|source| BackupError::Copy { path: database.to_owned(), source })?;
    let partial = beside(to, "partial");
    let io_error = |source| BackupError::Io { path: to.to_owned(), source };
    // SQLite writes into an empty file, and creating it here refuses a name already taken.
    File::create_new(&partial).map_err(io_error)?;
    let written = (|| {
        let target = partial.to_str().ok_or_else(|| io_error(io::Error::other("the path is not UTF-8")))?;
        diesel::sql_query("VACUUM INTO ?")
            .bind::<Text, _>(target)
            .execute(&mut conn)
            .map_err(|source| BackupError::Copy { path: database.to_owned(), source })?;
        File::open(&partial).and_then(|file| file.sync_all()).map_err(io_error)?;
        verify(&partial)?;
        fs::hard_link(&partial, to).map_err(|source| match source.kind() {
            io::ErrorKind::AlreadyExists => BackupError::Exists(to.to_owned()),
            _ => io_error(source),
        })?;
        sync_folder(to).map_err(io_error)?;
        Ok(Backup { bytes: fs::metadata(to).map_err(io_error)?.len() })
    })();
    // The partial file is ours alone; on success `to` is a second name for it.
    let _ = fs::remove_file(&partial);
    written
}

/// Puts the backup `from` in the place of the store at `database`, after `PRAGMA integrity_check`
/// found it sound. Refuses while another process has the store open; keeps the replaced store
/// beside it as `<name>.before-restore-<unix seconds>`.
pub fn restore(from: &Path, database: &Path) -> Result<Restore, BackupError> {
    verify(from)?;
    let io_error = |source| BackupError::Io { path: database.to_owned(), source };
    if let Some(folder) = database.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(folder).map_err(io_error)?;
    }
    let staged = beside(database, "restoring");
    copy_synced(from, &staged).map_err(io_error)?;
    let restored = (|| {
        let mut replaced = None;
        // Held until the copy is in place: a server that starts meanwhile waits for it.
        let _alone = if database.exists() {
            let conn = take_alone(database)?;
            let kept = beside_visible(database, &format!("before-restore-{}", unix_seconds()));
            fs::hard_link(database, &kept).map_err(io_error)?;
            replaced = Some(kept);
            Some(conn)
        } else {
            None
        };
        fs::rename(&staged, database).map_err(io_error)?;
        // A write-ahead log left beside the restored file would be replayed into it.
        for suffix in ["-wal", "-shm"] {
            let mut stale = database.as_os_str().to_owned();
            stale.push(suffix);
            match fs::remove_file(PathBuf::from(stale)) {
                Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(io_error(error)),
                _ => {}
            }
        }
        sync_folder(database).map_err(io_error)?;
        Ok(Restore { replaced })
    })();
    if restored.is_err() {
        let _ = fs::remove_file(&staged);
    }
    restored
}

#[derive(QueryableByName)]
struct IntegrityLine {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    found: i64,
}

#[derive(QueryableByName)]
struct JournalMode {
    #[diesel(sql_type = Text)]
    journal_mode: String,
}

/// `PRAGMA integrity_check` says `ok` and the file holds a leads table. A file SQLite cannot
/// read at all is damaged too.
fn verify(path: &Path) -> Result<(), BackupError> {
    let mut conn = open_existing(path)?;
    let damaged = |report: String| BackupError::Damaged { path: path.to_owned(), report };
    let lines = diesel::sql_query("PRAGMA integrity_check")
        .load::<IntegrityLine>(&mut conn)
        .map_err(|e| damaged(e.to_string()))?;
    if lines.len() != 1 || lines.first().is_none_or(|line| line.integrity_check != "ok") {
        let report: Vec<_> = lines.into_iter().take(REPORTED_PROBLEMS).map(|line| line.integrity_check).collect();
        return Err(damaged(report.join("; ")));
    }
    let leads =
        diesel::sql_query("SELECT count(*) AS found FROM sqlite_schema WHERE type = 'table' AND name = 'leads'")
            .get_result::<Count>(&mut conn)
            .map_err(|e| damaged(e.to_string()))?;
    if leads.found == 0 {
        return Err(BackupError::NotAStore(path.to_owned()));
    }
    Ok(())
}

/// A connection to a database file that must exist already (opening would create it).
fn open_existing(path: &Path) -> Result<SqliteConnection, BackupError> {
    if !path.is_file() {
        return Err(BackupError::Missing(path.to_owned()));
    }
    SqliteConnection::establish(&path.to_string_lossy())
        .map_err(|source| BackupError::Open { path: path.to_owned(), source })
}

/// A connection holding the store's exclusive lock until it is dropped. A running server keeps
/// connections open, and each holds a shared lock on a WAL database, so taking the exclusive
/// one fails at once. Leaving WAL for a rollback journal first folds the log into the file.
fn take_alone(database: &Path) -> Result<SqliteConnection, BackupError> {
    let mut conn = open_existing(database)?;
    let failed = |source: diesel::result::Error| {
        let locked = source.to_string().contains("locked");
        if locked {
            BackupError::InUse { path: database.to_owned() }
        } else {
            BackupError::Unreadable { path: database.to_owned(), source }
        }
    };
    conn.batch_execute("PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE;").map_err(failed)?;
    let mode =
        diesel::sql_query("PRAGMA journal_mode = DELETE").get_result::<JournalMode>(&mut conn).map_err(failed)?;
    // SQLite answers with the mode it kept when it could not leave WAL.
    if !mode.journal_mode.eq_ignore_ascii_case("delete") {
        return Err(BackupError::InUse { path: database.to_owned() });
    }
    // In exclusive locking mode the lock a transaction takes outlives it.
    conn.batch_execute("BEGIN EXCLUSIVE; COMMIT;").map_err(failed)?;
    Ok(conn)
}

/// A hidden name in the folder of `path`, unique to this process.
fn beside(path: &Path, what: &str) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.{what}-{}", std::process::id()))
}

/// `path` with `.what` appended, in the same folder.
fn beside_visible(path: &Path, what: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{what}"));
    PathBuf::from(name)
}

fn copy_synced(from: &Path, to: &Path) -> io::Result<()> {
    let mut target = File::create_new(to)?;
    io::copy(&mut File::open(from)?, &mut target)?;
    target.sync_all()
}

/// A new or renamed file survives a crash only once its folder is on disk too.
fn sync_folder(path: &Path) -> io::Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    File::open(folder)?.sync_all()
}

fn unix_seconds() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}
