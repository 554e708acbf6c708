//! Files in `media/` the site will not serve: of a type outside the allow-list, or links that
//! lead out of the folder. Warnings, since the rest of the content is fine; `check --strict`
//! fails on them.

use std::fs;
use std::path::Path;

use super::load::{file_error, relative};
use super::{ContentError, Diagnostics, Severity};
use crate::domain::MediaType;

pub fn check(dir: &Path, diagnostics: &mut Diagnostics) {
    let media = dir.join("media");
    // No media folder: nothing is served from it, nothing to report.
    if let Ok(root) = media.canonicalize() {
        check_folder(dir, &root, &media, diagnostics);
    }
}

fn check_folder(dir: &Path, root: &Path, folder: &Path, diagnostics: &mut Diagnostics) {
    let Ok(entries) = fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        // Hidden files (`.gitkeep`, editor files) are never served and need no word.
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(real) = path.canonicalize() else { continue };
        let warning = |message: String, hint: &str| ContentError {
            severity: Severity::Warning,
            ..file_error(dir, &path, message, hint)
        };
        if !real.starts_with(root) {
            diagnostics.push(warning(
                format!("{} leads outside `media/` and will not be served", relative(dir, &path)),
                "copy the file into `media/` instead of linking to it",
            ));
        } else if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            check_folder(dir, root, &path, diagnostics);
        } else if real.is_file() && (MediaType::of(&path).is_none() || MediaType::of(&real).is_none()) {
            diagnostics.push(warning(
                format!("{} will not be served: only {} files are", relative(dir, &path), MediaType::SERVED),
                "remove the file, or convert it to one of those types",
            ));
        }
    }
}
