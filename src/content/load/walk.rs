//! Walking the content folder and reading its files; a stray or unreadable entry is reported, not skipped.

use std::fs;
use std::path::{Path, PathBuf};

use crate::content::source::SourceFile;
use crate::content::{ContentError, Diagnostics, Severity};
use crate::domain::Lang;

pub(in crate::content) fn relative(dir: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(dir).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

pub(in crate::content) fn file_error(
    dir: &Path,
    path: &Path,
    message: impl Into<String>,
    hint: impl Into<String>,
) -> ContentError {
    ContentError {
        file: relative(dir, path),
        line: 1,
        column: 1,
        message: message.into(),
        hint: hint.into(),
        severity: Severity::Error,
        span: 0..0,
        source: None,
    }
}

pub(super) fn read_source(dir: &Path, path: &Path, diagnostics: &mut Diagnostics) -> Option<SourceFile> {
    match fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(SourceFile::new(relative(dir, path), path.to_owned(), text.into())),
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let file = SourceFile::new(relative(dir, path), path.to_owned(), String::from_utf8_lossy(valid).into());
                diagnostics.push(file.error_at(valid.len(), "the file is not valid UTF-8", "save the file as UTF-8"));
                None
            }
        },
        Err(e) => {
            diagnostics.push(file_error(
                dir,
                path,
                format!("cannot read the file: {e}"),
                "check that it exists and is readable",
            ));
            None
        }
    }
}

/// Whether a directory entry is an editor's or the system's and not content.
pub(super) fn is_ignored(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.starts_with('#')
}

/// An entry of a content folder, with its type as the listing gave it: telling files from
/// folders costs no `stat` per file, which at ten thousand profiles is most of a reload's scan.
pub(super) struct Entry {
    path: PathBuf,
    file_type: Option<fs::FileType>,
}

impl Entry {
    /// A symbolic link counts as what it points at, as the path itself would.
    fn is(&self, kind: fn(&fs::FileType) -> bool, of_path: fn(&Path) -> bool) -> bool {
        match self.file_type {
            Some(file_type) if !file_type.is_symlink() => kind(&file_type),
            _ => of_path(&self.path),
        }
    }

    fn is_file(&self) -> bool {
        self.is(fs::FileType::is_file, Path::is_file)
    }

    fn is_dir(&self) -> bool {
        self.is(fs::FileType::is_dir, Path::is_dir)
    }
}

/// The folder's entries by name. Sorted by the name alone: every entry is in one folder, and
/// comparing whole paths component by component costs more than the listing.
pub(super) fn sorted_entries(dir: &Path, folder: &Path, diagnostics: &mut Diagnostics) -> Vec<Entry> {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) => {
            diagnostics.push(file_error(
                dir,
                folder,
                format!("cannot read the folder: {e}"),
                "create it; the README shows the layout of a content folder",
            ));
            return Vec::new();
        }
    };
    let mut named: Vec<(std::ffi::OsString, Entry)> = entries
        .filter_map(Result::ok)
        .filter(|entry| !is_ignored(&entry.file_name().to_string_lossy()))
        .map(|entry| (entry.file_name(), Entry { path: entry.path(), file_type: entry.file_type().ok() }))
        .collect();
    named.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    named.into_iter().map(|(_, entry)| entry).collect()
}

pub(super) fn toml_files(dir: &Path, folder: &str, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in sorted_entries(dir, &dir.join(folder), diagnostics) {
        let path = &entry.path;
        if path.extension().is_some_and(|e| e == "toml") && entry.is_file() {
            files.push(entry.path);
        } else {
            diagnostics.push(file_error(
                dir,
                path,
                format!("unexpected entry in `{folder}/`"),
                format!("`{folder}/` holds only `.toml` files, one per person"),
            ));
        }
    }
    files
}

pub(super) fn language_files(dir: &Path, folder: &str, diagnostics: &mut Diagnostics) -> Vec<(Lang, PathBuf)> {
    let mut files = Vec::new();
    for lang_dir in sorted_entries(dir, &dir.join(folder), diagnostics) {
        let name = lang_dir.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let lang = match name.parse::<Lang>() {
            Ok(lang) if lang_dir.is_dir() => lang,
            _ => {
                diagnostics.push(file_error(
                    dir,
                    &lang_dir.path,
                    format!("unexpected entry `{name}` in `{folder}/`"),
                    format!("`{folder}/` holds one folder per language: `en/` and `de/`"),
                ));
                continue;
            }
        };
        for entry in sorted_entries(dir, &lang_dir.path, diagnostics) {
            if entry.path.extension().is_some_and(|e| e == "md") && entry.is_file() {
                files.push((lang, entry.path));
            } else {
                diagnostics.push(file_error(
                    dir,
                    &entry.path,
                    format!("unexpected entry in `{folder}/{lang}/`"),
                    "only Markdown files ending in `.md` belong here",
                ));
            }
        }
    }
    files
}
