//! Breaking a title into the lines of a share image: SVG text does not wrap by itself.

/// Lines of text at one font size.
#[derive(Debug, Clone, PartialEq)]
pub struct Fitted {
    pub size: f32,
    pub lines: Vec<String>,
}

const ELLIPSIS: char = '…';

/// `text` in at most `max_lines` lines no wider than `max_width`, at the first of `sizes` (largest
/// first) where it fits whole; at the last size, cut with an ellipsis when it never does.
/// `width` measures a line at a size.
pub fn fit(text: &str, sizes: &[f32], max_width: f32, max_lines: usize, width: impl Fn(&str, f32) -> f32) -> Fitted {
    let smallest = sizes.last().copied().unwrap_or(1.0);
    for &size in sizes {
        let lines = wrap(text, max_width, |line| width(line, size));
        if lines.len() <= max_lines {
            return Fitted { size, lines };
        }
    }
    let mut lines = wrap(text, max_width, |line| width(line, smallest));
    let rest = lines.split_off(max_lines.min(lines.len()).saturating_sub(1)).join(" ");
    lines.push(shorten(&rest, max_width, |line| width(line, smallest)));
    Fitted { size: smallest, lines }
}

/// `text` as it is when it fits in `max_width`, else as much of it as fits with an ellipsis.
pub fn shorten(text: &str, max_width: f32, width: impl Fn(&str) -> f32) -> String {
    if width(text) <= max_width {
        return text.to_owned();
    }
    let mut kept: String = text.to_owned();
    while !kept.is_empty() {
        kept.pop();
        let candidate = format!("{}{ELLIPSIS}", kept.trim_end());
        if width(&candidate) <= max_width {
            return candidate;
        }
    }
    ELLIPSIS.to_string()
}

/// Greedy line breaking at spaces; a word wider than a line is broken between letters.
fn wrap(text: &str, max_width: f32, width: impl Fn(&str) -> f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let joined = if line.is_empty() { word.to_owned() } else { format!("{line} {word}") };
        if width(&joined) <= max_width {
            line = joined;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for letter in word.chars() {
            line.push(letter);
            if width(&line) > max_width && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::replace(&mut line, letter.to_string()));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every letter ten pixels wide at size 10, twice that at size 20.
    fn monospace(text: &str, size: f32) -> f32 {
        text.chars().count() as f32 * size
    }

    #[test]
    fn a_short_title_stays_on_one_line_at_the_largest_size() {
        let fitted = fit("Data Engineer", &[20.0, 10.0], 400.0, 3, monospace);
        assert_eq!(fitted, Fitted { size: 20.0, lines: vec!["Data Engineer".to_owned()] });
    }

    #[test]
    fn a_title_that_needs_too_many_lines_moves_to_a_smaller_size() {
        let fitted = fit("Senior Cloud Solutions Architect", &[20.0, 10.0], 200.0, 2, monospace);
        assert_eq!(fitted.size, 10.0);
        assert_eq!(fitted.lines, vec!["Senior Cloud".to_owned(), "Solutions Architect".to_owned()]);
    }

    #[test]
    fn a_title_too_long_at_every_size_is_cut_with_an_ellipsis() {
        let fitted = fit("one two three four five six", &[10.0], 90.0, 2, monospace);
        assert_eq!(fitted.lines, vec!["one two".to_owned(), "three fo…".to_owned()]);
        assert!(fitted.lines.iter().all(|line| monospace(line, 10.0) <= 90.0));
    }

    #[test]
    fn a_word_wider_than_a_line_is_broken_between_letters() {
        let fitted = fit("Softwareentwicklungsleitung", &[10.0], 100.0, 3, monospace);
        assert_eq!(fitted.lines, vec!["Softwareen", "twicklungs", "leitung"]);
    }

    #[test]
    fn shorten_keeps_what_fits_and_cuts_the_rest() {
        assert_eq!(shorten("USD 85,000", 200.0, |t| monospace(t, 10.0)), "USD 85,000");
        assert_eq!(shorten("USD 85,000 – 130,000", 60.0, |t| monospace(t, 10.0)), "USD 8…");
    }
}
