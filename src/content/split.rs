//! Cutting a content file into its `+++` TOML front matter and its Markdown body.

use std::ops::Range;

/// A file cut into its TOML front matter and Markdown body, with where each starts.
pub struct Split<'a> {
    pub front_matter: &'a str,
    pub front_matter_start: usize,
    pub body_start: usize,
}

#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    MissingOpening,
    MissingClosing { opening: Range<usize> },
}

const FENCE: &str = "+++";

/// Front matter sits between a first line `+++` and the next line that is exactly `+++`.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let text_start = if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 };
    let rest = &text[text_start..];
    let first_line_end = rest.find('\n').unwrap_or(rest.len());
    if rest[..first_line_end].trim_end() != FENCE {
        return Err(SplitError::MissingOpening);
    }
    let front_matter_start = text_start + (first_line_end + 1).min(rest.len());
    let mut line_start = front_matter_start;
    while line_start < text.len() {
        let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
        if text[line_start..line_end].trim_end() == FENCE {
            let body_start = (line_end + 1).min(text.len());
            return Ok(Split { front_matter: &text[front_matter_start..line_start], front_matter_start, body_start });
        }
        line_start = line_end + 1;
    }
    Err(SplitError::MissingClosing { opening: text_start..text_start + FENCE.len() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_and_body_are_cut_at_the_fences() {
        let text = "+++\ntitle = \"x\"\n+++\n\n## Body\n";
        let split = split(text).expect("valid file");
        assert_eq!(split.front_matter, "title = \"x\"\n");
        assert_eq!(split.front_matter_start, 4);
        assert_eq!(&text[split.body_start..], "\n## Body\n");
    }

    #[test]
    fn windows_line_endings_and_a_bom_are_accepted() {
        let text = "\u{feff}+++\r\ntitle = \"x\"\r\n+++\r\nbody";
        let split = split(text).expect("valid file");
        assert_eq!(split.front_matter, "title = \"x\"\r\n");
        assert_eq!(&text[split.body_start..], "body");
    }

    #[test]
    fn missing_fences_are_reported() {
        assert_eq!(split("title = 1\n").err(), Some(SplitError::MissingOpening));
        assert_eq!(split("+++\ntitle = 1\n").err(), Some(SplitError::MissingClosing { opening: 0..3 }));
    }
}
