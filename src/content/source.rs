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

    fn shared_text(&self) -> &Arc<str> {
        self.text.get_or_init(|| std::fs::read_to_string(&self.path).unwrap_or_default().into())
    }

    pub fn error_at(&self, offset: usize, message: impl Into<String>, hint: impl Into<String>) -> ContentError {
        self.error_in(&(offset..offset), message, hint)
    }

    pub fn error_in(&self, span: &Range<usize>, message: impl Into<String>, hint: impl Into<String>) -> ContentError {
        let (line, column) = self.line_col(span.start);
        let text = self.text();
        let start = span.start.min(text.len());
        let end = span.end.min(text.len()).max(start);
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
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }
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
}
