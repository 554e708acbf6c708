//! Finding a word where it stands on its own in a file's text, for the placeholders and the
//! house style, which differ only in what joins a word to its neighbours.

/// Byte offsets of `word` in `text` where neither neighbour is a character that `joins` words.
pub fn standing_alone(text: &str, word: &str, joins: impl Fn(char) -> bool) -> Vec<usize> {
    text.match_indices(word)
        .map(|(at, _)| at)
        .filter(|&at| {
            !text[..at].chars().next_back().is_some_and(&joins)
                && !text[at + word.len()..].chars().next().is_some_and(&joins)
        })
        .collect()
}
