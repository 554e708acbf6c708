//! Static files under names that carry a hash of their content (`site.3f2a9c1b0d.css`), so a
//! deploy never serves stale CSS and browsers may keep each version forever.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::domain::paths;

/// The script every page carries under `serve --dev`; without it, it is not served at all.
const LIVE_RELOAD_SCRIPT: &str = "live-reload.js";

#[derive(Debug, Default)]
pub struct Assets {
    /// `site.css` → `site.3f2a9c1b0d.css`
    fingerprinted: HashMap<String, String>,
    /// Every name a file answers to, fingerprinted or plain → the file, and whether it is fingerprinted.
    files: HashMap<String, (PathBuf, bool)>,
}

/// Whether the static folder's live-reload script is part of the site (`serve --dev`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveReloadScript {
    Served,
    Left,
}

impl Assets {
    /// Reads the files directly inside `dir`; a missing folder gives no assets.
    pub fn scan(dir: &Path, live_reload: LiveReloadScript) -> std::io::Result<Assets> {
        let mut assets = Assets::default();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(assets);
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else { continue };
            if !path.is_file()
                || name.starts_with('.')
                || (name == LIVE_RELOAD_SCRIPT && live_reload == LiveReloadScript::Left)
            {
                continue;
            }
            let hash = crate::hex::encode_hex(&Sha256::digest(std::fs::read(&path)?)[..5]);
            let fingerprinted = match name.rsplit_once('.') {
                Some((stem, extension)) => format!("{stem}.{hash}.{extension}"),
                None => format!("{name}.{hash}"),
            };
            assets.files.insert(fingerprinted.clone(), (path.clone(), true));
            assets.files.insert(name.clone(), (path, false));
            assets.fingerprinted.insert(name, fingerprinted);
        }
        Ok(assets)
    }

    /// The URL to put into pages: fingerprinted when the file is known.
    pub fn url(&self, name: &str) -> String {
        paths::static_file(self.fingerprinted.get(name).map_or(name, String::as_str))
    }

    /// The URL of the live-reload script when pages carry it.
    pub fn live_reload_script(&self) -> Option<String> {
        self.fingerprinted.contains_key(LIVE_RELOAD_SCRIPT).then(|| self.url(LIVE_RELOAD_SCRIPT))
    }

    /// The file behind a requested name, and whether the name is fingerprinted.
    pub fn file(&self, requested: &str) -> Option<(&Path, bool)> {
        self.files.get(requested).map(|(path, fingerprinted)| (path.as_path(), *fingerprinted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_file_gets_a_new_name() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("site.css"), "body { color: black }").expect("written");
        let before = Assets::scan(dir.path(), LiveReloadScript::Left).expect("scanned").url("site.css");
        std::fs::write(dir.path().join("site.css"), "body { color: navy }").expect("written");
        let after = Assets::scan(dir.path(), LiveReloadScript::Left).expect("scanned");
        assert!(before.starts_with("/static/site.") && before.ends_with(".css"));
        assert_ne!(before, after.url("site.css"));
        assert!(
            after
                .file(after.url("site.css").trim_start_matches("/static/"))
                .is_some_and(|(_, fingerprinted)| fingerprinted)
        );
        assert_eq!(after.url("unknown.js"), "/static/unknown.js");
    }

    #[test]
    fn the_live_reload_script_is_served_and_linked_only_when_asked_for() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join(LIVE_RELOAD_SCRIPT), "new EventSource('/live-reload');").expect("written");
        let left = Assets::scan(dir.path(), LiveReloadScript::Left).expect("scanned");
        assert_eq!(left.live_reload_script(), None);
        assert!(left.file(LIVE_RELOAD_SCRIPT).is_none());
        let served = Assets::scan(dir.path(), LiveReloadScript::Served).expect("scanned");
        let url = served.live_reload_script().expect("linked");
        assert!(served.file(url.trim_start_matches("/static/")).is_some());
    }
}
