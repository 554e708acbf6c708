use std::fmt;

/// One problem in one content file, located precisely enough for an editor to jump to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    /// Relative to the content folder, with `/` separators.
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// 1-based, counted in characters.
    pub column: usize,
    pub message: String,
    pub hint: String,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: error: {}\n  hint: {}", self.file, self.line, self.column, self.message, self.hint)
    }
}

/// All problems found in one pass over a content folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    errors: Vec<ContentError>,
}

impl Diagnostics {
    pub fn push(&mut self, error: ContentError) {
        self.errors.push(error);
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub fn errors(&self) -> &[ContentError] {
        &self.errors
    }

    pub(super) fn sort(&mut self) {
        self.errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        self.errors.dedup();
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for error in &self.errors {
            writeln!(f, "{error}")?;
        }
        let count = self.errors.len();
        write!(f, "{count} error{} in content; nothing was loaded", if count == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}
