//! Problems in content files, reported like a compiler does: file, line and column, the
//! offending source line with a marker under it, and a hint (rendered by codespan-reporting).

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, Config};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Nothing is loaded while there is one.
    Error,
    /// Reported; fails `check` only with `--strict`.
    Warning,
}

/// One problem in one content file, located precisely enough for an editor to jump to it.
#[derive(Debug, Clone)]
pub struct ContentError {
    /// Relative to the content folder, with `/` separators.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, counted in characters.
    pub column: usize,
    pub message: String,
    pub hint: String,
    pub severity: Severity,
    /// Byte range in the file that the marker underlines.
    pub span: Range<usize>,
    /// The file's text, when it could be read.
    pub source: Option<Arc<str>>,
}

impl PartialEq for ContentError {
    fn eq(&self, other: &Self) -> bool {
        (&self.file, self.line, self.column, &self.message, self.severity)
            == (&other.file, other.line, other.column, &other.message, other.severity)
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let diagnostic = match self.severity {
            Severity::Error => Diagnostic::error(),
            Severity::Warning => Diagnostic::warning(),
        }
        .with_message(&self.message)
        .with_notes(vec![format!("hint: {}", self.hint)]);
        let rendered = self.source.as_ref().and_then(|source| {
            let file = SimpleFile::new(self.file.as_str(), source.as_ref());
            let span = if self.span.is_empty() { self.span.start..self.span.start } else { self.span.clone() };
            let diagnostic = diagnostic.clone().with_labels(vec![Label::primary((), span)]);
            term::emit_into_string(&Config::default(), &file, &diagnostic).ok()
        });
        match rendered {
            Some(text) => f.write_str(text.trim_end()),
            None => {
                let kind = if self.severity == Severity::Error { "error" } else { "warning" };
                write!(
                    f,
                    "{kind}: {}\n  ┌─ {}:{}:{}\n  = hint: {}",
                    self.message, self.file, self.line, self.column, self.hint
                )
            }
        }
    }
}

/// All problems found in one pass over a content folder.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    entries: Vec<ContentError>,
}

impl Diagnostics {
    pub fn push(&mut self, error: ContentError) {
        self.entries.push(error);
    }

    pub fn into_entries(self) -> Vec<ContentError> {
        self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn has_errors(&self) -> bool {
        self.entries.iter().any(|e| e.severity == Severity::Error)
    }

    /// Errors and warnings, by file and position.
    pub fn entries(&self) -> &[ContentError] {
        &self.entries
    }

    pub fn errors(&self) -> impl Iterator<Item = &ContentError> {
        self.entries.iter().filter(|e| e.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &ContentError> {
        self.entries.iter().filter(|e| e.severity == Severity::Warning)
    }

    /// By file and position, then by what they say: the same problems always give the same report,
    /// in whatever order they were found.
    pub(super) fn sort(&mut self) {
        let key = |e: &ContentError| (e.file.clone(), e.line, e.column, e.severity, e.message.clone(), e.hint.clone());
        self.entries.sort_by_cached_key(key);
        self.entries.dedup();
    }

    /// The last line of a report: how many of each.
    pub fn tally(&self) -> String {
        let (errors, warnings) = (self.errors().count(), self.warnings().count());
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        match (errors, warnings) {
            (0, w) => plural(w, "warning"),
            (e, 0) => format!("{} in content; nothing was loaded", plural(e, "error")),
            (e, w) => format!("{} and {} in content; nothing was loaded", plural(e, "error"), plural(w, "warning")),
        }
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for entry in &self.entries {
            writeln!(f, "{entry}\n")?;
        }
        f.write_str(&self.tally())
    }
}

impl std::error::Error for Diagnostics {}
