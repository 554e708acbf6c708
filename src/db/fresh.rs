//! A database file that an import makes whole before anyone opens it. Nobody reads it while it
//! is built, so it is written in a file of its own beside the target without a write-ahead log
//! or a disk flush per transaction (every page reaches the disk once, not first into the WAL
//! and then again at checkpoint), flushed once, and only then linked into place: a crash or a
//! failed import leaves no database at the target, never half of one.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::pool::{DbPool, PoolError, Pragmas, connect, open_pool};

/// A database being built at a path where none existed; removed again unless [`finish`] put it
/// in place.
///
/// [`finish`]: FreshDatabase::finish
pub struct FreshDatabase {
    target: PathBuf,
    building: PathBuf,
    pool: Option<DbPool>,
    busy_timeout: Duration,
    pool_timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum FreshError {
    #[error(transparent)]
    Open(#[from] PoolError),
    #[error("cannot put the database built in {building} in place at {target}")]
    Place { target: String, building: String, source: io::Error },
}

impl FreshDatabase {
    /// Starts building the database for `target`, which must not exist yet: its schema is made
    /// in a new file beside it.
    pub fn create(target: &Path, busy_timeout: Duration, pool_timeout: Duration) -> Result<FreshDatabase, PoolError> {
        let building = building_path(target);
        let mut fresh = FreshDatabase {
            target: target.to_owned(),
            building: building.clone(),
            pool: None,
            busy_timeout,
            pool_timeout,
        };
        // A file left by an earlier process with the same id is no database anyone uses.
        remove_if_present(&building);
        remove_abandoned(target);
        fresh.pool = Some(open_pool(&building, Pragmas::Building { busy_timeout }, pool_timeout, 1)?);
        Ok(fresh)
    }

    /// The one connection that builds the file.
    pub fn pool(&self) -> &DbPool {
        self.pool.as_ref().expect("a fresh database has its pool until it is finished")
    }

    /// Flushes the finished file to disk and links it in at the target, which must still not
    /// exist (a database made there meanwhile by someone else is left alone), then opens it as
    /// every process does: it is in WAL mode like any other store, and its settings are checked.
    pub fn finish(mut self) -> Result<(), FreshError> {
        drop(self.pool.take());
        let place = |source| FreshError::Place {
            target: self.target.display().to_string(),
            building: self.building.display().to_string(),
            source,
        };
        File::open(&self.building).and_then(|file| file.sync_all()).map_err(place)?;
        std::fs::hard_link(&self.building, &self.target).map_err(place)?;
        remove_if_present(&self.building);
        if let Some(folder) = self.target.parent().filter(|p| !p.as_os_str().is_empty()) {
            File::open(folder).and_then(|folder| folder.sync_all()).map_err(place)?;
        }
        connect(&self.target, self.busy_timeout, self.pool_timeout, 1)?;
        Ok(())
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        drop(self.pool.take());
        remove_if_present(&self.building);
    }
}

/// `site.db` is built as `site.db.importing-1234` in the same folder: on the same file system,
/// so that the link into place is atomic.
fn building_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".importing-{}", std::process::id()));
    target.with_file_name(name)
}

/// Removes the files that imports killed outright left beside `target`: those whose process is
/// gone. Where the system cannot tell (no `/proc`), every such file is left alone.
fn remove_abandoned(target: &Path) {
    let (Some(folder), Some(name)) = (target.parent(), target.file_name()) else { return };
    let folder = if folder.as_os_str().is_empty() { Path::new(".") } else { folder };
    let prefix = format!("{}.importing-", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let builder = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)).and_then(|pid| pid.parse::<u32>().ok());
        if builder.is_some_and(|pid| !process_is_running(pid)) {
            remove_if_present(&entry.path());
        }
    }
}

fn process_is_running(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

fn remove_if_present(path: &Path) {
    if let Err(error) = std::fs::remove_file(path)
        && error.kind() != io::ErrorKind::NotFound
    {
        tracing::warn!(path = %path.display(), %error, "cannot remove an unfinished database file");
    }
}
