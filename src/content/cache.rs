//! What was read of each profile file at the last load, so that a reload after one edit reads
//! and renders one file, not ten thousand.

use std::collections::{HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use super::load::{Located, ProfileSpans};
use crate::domain::Profile;

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

/// Profiles as parsed, by file; the body's HTML is in the store and the text is dropped.
#[derive(Default)]
pub struct ProfileCache {
    profiles: HashMap<PathBuf, (FileStamp, Located<Arc<Profile>, ProfileSpans>)>,
}

impl ProfileCache {
    pub fn get(&self, path: &Path, stamp: Option<FileStamp>) -> Option<&Located<Arc<Profile>, ProfileSpans>> {
        let (cached_stamp, profile) = self.profiles.get(path)?;
        (Some(*cached_stamp) == stamp).then_some(profile)
    }

    pub fn remember(&mut self, path: &Path, stamp: Option<FileStamp>, profile: &Located<Arc<Profile>, ProfileSpans>) {
        match stamp {
            Some(stamp) => {
                let kept = Located {
                    value: profile.value.clone(),
                    file: profile.file.without_text(),
                    spans: profile.spans.clone(),
                };
                self.profiles.insert(path.to_owned(), (stamp, kept));
            }
            None => self.forget(path),
        }
    }

    pub fn forget(&mut self, path: &Path) {
        self.profiles.remove(path);
    }

    /// Drops files that are gone from the folder.
    pub fn keep_only<'a>(&mut self, paths: impl Iterator<Item = &'a PathBuf>) {
        let present: HashSet<&PathBuf> = paths.collect();
        self.profiles.retain(|path, _| present.contains(path));
    }

    pub fn clear(&mut self) {
        self.profiles.clear();
    }
}

/// A fingerprint of a file's text and of the program version that reads it, so that a new
/// release, which may render Markdown differently, writes every profile again once.
pub fn fingerprint(text: &str) -> String {
    let digest = Sha256::new().chain_update(env!("CARGO_PKG_VERSION")).chain_update([0]).chain_update(text).finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}
