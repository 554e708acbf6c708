//! What was read of each profile file at the last load, so that a reload after one edit reads
//! and renders one file, not ten thousand.

use std::collections::{HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::load::{Located, ProfileSpans};
use crate::domain::Profile;
use crate::hex::encode_hex;

/// Size, inode and change times of a file: an edit in place, a save-by-rename and a `touch`
/// each give a new stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    len: u64,
    inode: u64,
    modified_ns: i128,
    changed_ns: i128,
}

impl FileStamp {
    /// `None` when the file cannot be looked at; it is then always read.
    pub fn of(path: &Path) -> Option<FileStamp> {
        let meta = std::fs::metadata(path).ok()?;
        let ns = |seconds: i64, nanos: i64| i128::from(seconds) * 1_000_000_000 + i128::from(nanos);
        Some(FileStamp {
            len: meta.len(),
            inode: meta.ino(),
            modified_ns: ns(meta.mtime(), meta.mtime_nsec()),
            changed_ns: ns(meta.ctime(), meta.ctime_nsec()),
        })
    }
}

/// Profiles as parsed, by file, without their text: the body's HTML is in the store.
#[derive(Default)]
pub struct ProfileCache {
    profiles: HashMap<PathBuf, (FileStamp, Located<Arc<Profile>, ProfileSpans>)>,
}

impl ProfileCache {
    pub fn get(&self, path: &Path, stamp: Option<FileStamp>) -> Option<&Located<Arc<Profile>, ProfileSpans>> {
        let (cached_stamp, profile) = self.profiles.get(path)?;
        (Some(*cached_stamp) == stamp).then_some(profile)
    }

    /// Takes in what a load read, once the store holds it: a load that failed, or was not
    /// stored, must not leave the cache ahead of the store.
    pub fn apply(&mut self, update: CacheUpdate) {
        let present: HashSet<PathBuf> = update.present.into_iter().collect();
        self.profiles.retain(|path, _| present.contains(path));
        for (path, stamp, profile) in update.read {
            self.profiles.insert(path, (stamp, profile));
        }
    }
}

/// What one load found in the folder and read afresh.
pub struct CacheUpdate {
    present: Vec<PathBuf>,
    read: Vec<(PathBuf, FileStamp, Located<Arc<Profile>, ProfileSpans>)>,
}

impl std::fmt::Debug for CacheUpdate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CacheUpdate").field("present", &self.present.len()).field("read", &self.read.len()).finish()
    }
}

impl CacheUpdate {
    pub fn new(present: Vec<PathBuf>) -> CacheUpdate {
        CacheUpdate { present, read: Vec::new() }
    }

    /// A file that cannot be looked at has no stamp and is read again next time.
    pub fn read(&mut self, path: &Path, stamp: Option<FileStamp>, profile: &Located<Arc<Profile>, ProfileSpans>) {
        if let Some(stamp) = stamp {
            let kept = Located {
                value: profile.value.clone(),
                file: profile.file.without_text(),
                spans: profile.spans.clone(),
            };
            self.read.push((path.to_owned(), stamp, kept));
        }
    }
}

/// A fingerprint of everything stored for a profile: its values and its body's HTML. A new
/// release that reads or renders a file differently therefore writes it again.
pub fn fingerprint(values: &impl std::fmt::Debug, html: &str) -> String {
    let digest = Sha256::new().chain_update(format!("{values:?}")).chain_update([0]).chain_update(html).finalize();
    encode_hex(&digest[..16])
}
