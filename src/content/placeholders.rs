//! Placeholders: `TODO` marks what `jobprofiles new` leaves for the editor to write. Each one is
//! an error, so a scaffold cannot be published before it is filled in.

use super::Diagnostics;
use super::source::SourceFile;
use super::words::standing_alone;

/// The word `new` writes wherever the editor still has to write something.
pub const MARKER: &str = "TODO";

/// Reports every placeholder in the file; whether there was none.
pub(super) fn check(file: &SourceFile, diagnostics: &mut Diagnostics) -> bool {
    let found = offsets(file.text());
    for &at in &found {
        diagnostics.push(file.error_in(
            &(at..at + MARKER.len()),
            "a placeholder is left here",
            "replace the TODO and its note with the real text (or the value), or remove the line",
        ));
    }
    found.is_empty()
}

/// Where the marker stands as a word of its own (not inside "TODOS" or "MASTODON").
fn offsets(text: &str) -> Vec<usize> {
    standing_alone(text, MARKER, |c| c.is_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_counts_only_as_a_word_of_its_own() {
        let cases: [(&str, &[usize]); 6] = [
            ("title = \"TODO: the role\"", &[9]),
            ("min = 0 # TODO: lowest figure", &[10]),
            ("TODO\nTODO", &[0, 5]),
            ("MASTODON and TODOS and todo", &[]),
            ("## TODO_list", &[]),
            ("Ready.", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(offsets(text), expected, "{text}");
        }
    }
}
