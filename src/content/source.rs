use std::ops::Range;
use std::sync::Arc;

use super::{ContentError, Severity};

/// The text of one content file, able to turn byte offsets into line and column.
pub struct SourceFile {
    pub rel_path: String,
    pub text: Arc<str>,
}

impl SourceFile {
    pub fn error_at(&self, offset: usize, message: impl Into<String>, hint: impl Into<String>) -> ContentError {
        self.error_in(&(offset..offset), message, hint)
    }

    pub fn error_in(&self, span: &Range<usize>, message: impl Into<String>, hint: impl Into<String>) -> ContentError {
        let (line, column) = self.line_col(span.start);
        let start = span.start.min(self.text.len());
        let end = span.end.min(self.text.len()).max(start);
        ContentError {
            file: self.rel_path.clone(),
            line,
            column,
            message: message.into(),
            hint: hint.into(),
            severity: Severity::Error,
            span: start..end,
            source: Some(self.text.clone()),
        }
    }

    pub fn warning_in(&self, span: &Range<usize>, message: impl Into<String>, hint: impl Into<String>) -> ContentError {
        ContentError { severity: Severity::Warning, ..self.error_in(span, message, hint) }
    }

    fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &self.text[..offset];
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
        let file = SourceFile { rel_path: "x.md".into(), text: "ab\nüber x\n".into() };
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
