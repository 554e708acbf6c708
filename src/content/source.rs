//! One content file's text and path, and how a byte span in it becomes file:line:col in a report.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use super::{ContentError, Severity};

/// The text of one content file, able to turn byte offsets into line and column.
#[derive(Clone)]
pub struct SourceFile {
    pub rel_path: String,
    path: PathBuf,
    text: OnceLock<Arc<str>>,
}

impl SourceFile {
    pub fn new(rel_path: String, path: PathBuf, text: Arc<str>) -> SourceFile {
        SourceFile { rel_path, path, text: OnceLock::from(text) }
    }

    /// The same file without its text, which is read again only if an error has to quote it:
    /// what is kept of thousands of unchanged files between loads.
    pub fn without_text(&self) -> SourceFile {
        SourceFile { rel_path: self.rel_path.clone(), path: self.path.clone(), text: OnceLock::new() }
    }

    pub fn text(&self) -> &str {
        self.shared_text()
    }

    pub(super) fn shared_text(&self) -> &Arc<str> {
        self.text.get_or_init(|| std::fs::read_to_string(&self.path).unwrap_or_default().into())
    }

    pub fn error_at(&self, offset: usize, message: impl Into<String>, hint: impl Into<String>) -> ContentError {
        self.error_in(&(offset..offset), message, hint)
    }

    pub fn error_in(&self, span: &Range<usize>, message: impl Into<String>, hint: impl Into<String>) -> ContentError {
        let (line, column) = self.line_col(span.start);
        // The text may have been read again after a change: keep the span inside it, on characters.
        let text = self.text();
        let start = char_floor(text, span.start);
        let end = char_floor(text, span.end).max(start);
        ContentError {
            file: self.rel_path.clone(),
            line,
            column,
            message: message.into(),
            hint: hint.into(),
            severity: Severity::Error,
            span: start..end,
            source: Some(self.shared_text().clone()),
        }
    }

    pub fn warning_in(&self, span: &Range<usize>, message: impl Into<String>, hint: impl Into<String>) -> ContentError {
        ContentError { severity: Severity::Warning, ..self.error_in(span, message, hint) }
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let text = self.text();
        let before = &text[..char_floor(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }
}

/// The nearest character boundary at or before `offset`, within the text.
fn char_floor(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_one_based_line_and_character_column() {
        let file = SourceFile::new("x.md".into(), "x.md".into(), "ab\nüber x\n".into());
        let at = |offset| {
            let e = file.error_at(offset, "m", "h");
            (e.line, e.column)
        };
        assert_eq!(at(0), (1, 1));
        assert_eq!(at(3), (2, 1));
        assert_eq!(at("ab\nüber ".len()), (2, 6));
        assert_eq!(at(999), (3, 1));
    }

    #[test]
    fn a_file_kept_without_its_text_reads_it_again_and_never_splits_a_character() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("p.md");
        std::fs::write(&path, "one\ntwo üx\n").expect("written");
        let file = SourceFile::new("p.md".into(), path, "not this text".into()).without_text();
        let error = file.error_in(&(8..10), "m", "h");
        assert_eq!((error.line, error.column, error.span), (2, 5, 8..10));
        let inside = file.error_in(&(9..11), "m", "h");
        assert_eq!((inside.line, inside.column, inside.span), (2, 5, 8..11));
        assert_eq!(inside.source.as_deref(), Some("one\ntwo üx\n"));
    }
}
