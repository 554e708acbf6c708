//! Finding a word where it stands on its own in a file's text, for the placeholders and the
//! house style, which differ only in what joins a word to its neighbours.

/// Byte offsets of `word` in `text` where neither neighbour is a character that `joins` words.
pub fn standing_alone(text: &str, word: &str, joins: impl Fn(char) -> bool) -> Vec<usize> {
    text.match_indices(word)
        .map(|(at, _)| at)
        .filter(|&at| stands_alone_at(text, at..at + word.len(), &joins))
        .collect()
}

/// Whether the word at `span` of `text` has no neighbour that `joins` it to another word.
pub fn stands_alone_at(text: &str, span: std::ops::Range<usize>, joins: impl Fn(char) -> bool) -> bool {
    !text[..span.start].chars().next_back().is_some_and(&joins) && !text[span.end..].chars().next().is_some_and(&joins)
}
