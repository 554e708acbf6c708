//! The words of a search as typed, and where they occur in the short texts a result shows (its
//! summary, its skills). Marking them here, from text the site holds in memory, spares FTS5's
//! `snippet()`, which read and tokenized each shown profile's whole body.

/// At most this many words of a search count; the rest are ignored.
const MAX_WORDS: usize = 12;
/// A word is cut after this many characters.
const MAX_WORD: usize = 60;
/// Without prefix indexes (they cost a third of an import), `a*` reads every term starting
/// with `a` in the whole index; two-letter words (`Go`, `QA`, `UX`) are meant whole anyway.
const MIN_PREFIX: usize = 3;

/// The words of what a visitor typed: letters and digits only, so that FTS5 syntax in it is only
/// ever searched for. The last word is also a prefix when it has at least `MIN_PREFIX` letters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchWords {
    words: Vec<String>,
    last_is_prefix: bool,
}

impl SearchWords {
    /// `None` when there is no word to look for.
    pub fn parse(input: &str) -> Option<SearchWords> {
        let words: Vec<String> = input
            .chars()
            .take(500)
            .collect::<String>()
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(MAX_WORDS)
            .map(|w| w.chars().take(MAX_WORD).collect())
            .collect();
        let last_is_prefix = words.last()?.chars().count() >= MIN_PREFIX;
        Some(SearchWords { words, last_is_prefix })
    }

    /// The words as an FTS5 query: each quoted, the last one a prefix when long enough.
    pub fn fts_query(&self) -> String {
        let quoted: Vec<String> = self.words.iter().map(|w| format!("\"{w}\"")).collect();
        let prefix = if self.last_is_prefix { "*" } else { "" };
        format!("{}{prefix}", quoted.join(" "))
    }

    /// Whether `word` of a text is one the search looks for, compared as FTS5 compares them
    /// (case and diacritics folded).
    fn matches(&self, word: &str) -> bool {
        let word = fold(word);
        let last = self.words.len() - 1;
        self.words.iter().enumerate().any(|(i, wanted)| {
            let wanted = fold(wanted);
            word == wanted || (i == last && self.last_is_prefix && word.starts_with(&wanted))
        })
    }

    /// `text` cut into plain pieces and the words this search looks for.
    pub fn mark(&self, text: &str) -> Vec<Fragment> {
        let mut fragments: Vec<Fragment> = Vec::new();
        let mut push = |text: &str, hit: bool| match fragments.last_mut() {
            Some(last) if last.hit == hit => last.text.push_str(text),
            _ => fragments.push(Fragment { text: text.to_owned(), hit }),
        };
        let mut rest = text;
        while let Some(start) = rest.find(char::is_alphanumeric) {
            let (before, from_word) = rest.split_at(start);
            let end = from_word.find(|c: char| !c.is_alphanumeric()).unwrap_or(from_word.len());
            let (word, after) = from_word.split_at(end);
            push(before, false);
            push(word, self.matches(word));
            rest = after;
        }
        push(rest, false);
        fragments.retain(|fragment| !fragment.text.is_empty());
        fragments
    }
}

/// A piece of a shown text; `hit` pieces are words the search looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    pub text: String,
    pub hit: bool,
}

/// Whether any piece is a word the search looked for.
pub fn any_hit(fragments: &[Fragment]) -> bool {
    fragments.iter().any(|fragment| fragment.hit)
}

/// Lower case without the diacritics of Latin letters, as the index's `unicode61
/// remove_diacritics 2` tokenizer folds them (`Qualität` and `qualitat` are one word).
fn fold(word: &str) -> String {
    word.chars().flat_map(char::to_lowercase).map(base_letter).collect()
}

fn base_letter(c: char) -> char {
    const FOLDS: &[(&str, char)] = &[
        ("àáâãäåāăą", 'a'),
        ("çćĉċč", 'c'),
        ("ďđ", 'd'),
        ("èéêëēĕėęě", 'e'),
        ("ĝğġģ", 'g'),
        ("ĥħ", 'h'),
        ("ìíîïĩīĭį", 'i'),
        ("ĵ", 'j'),
        ("ķ", 'k'),
        ("ĺļľŀł", 'l'),
        ("ñńņň", 'n'),
        ("òóôõöøōŏő", 'o'),
        ("ŕŗř", 'r'),
        ("śŝşš", 's'),
        ("ţťŧ", 't'),
        ("ùúûüũūŭůűų", 'u'),
        ("ŵ", 'w'),
        ("ýÿŷ", 'y'),
        ("źżž", 'z'),
    ];
    if c.is_ascii() {
        return c;
    }
    FOLDS.iter().find(|(accented, _)| accented.contains(c)).map_or(c, |&(_, base)| base)
}

#[cfg(test)]
mod tests {
    use super::{Fragment, SearchWords};

    fn query(input: &str) -> Option<String> {
        SearchWords::parse(input).map(|words| words.fts_query())
    }

    #[test]
    fn typed_text_becomes_quoted_words_with_a_prefix_on_the_last() {
        assert_eq!(query("Backend Entw").as_deref(), Some("\"Backend\" \"Entw\"*"));
        assert_eq!(query("\"a\" NEAR(b AND c*").as_deref(), Some("\"a\" \"NEAR\" \"b\" \"AND\" \"c\""));
        assert_eq!(query("sc"), Some("\"sc\"".into()), "no prefix below three letters");
        assert_eq!(query("Go ü"), Some("\"Go\" \"ü\"".into()));
        assert_eq!(query("scr"), Some("\"scr\"*".into()));
        assert_eq!(query("  ((( **  "), None);
        assert_eq!(query(""), None);
        assert!(query(&"x".repeat(10_000)).is_some_and(|q| q.len() < 100));
    }

    #[test]
    fn words_are_marked_as_the_index_matches_them() {
        let words = SearchWords::parse("qualitat kube").expect("words");
        let marked: Vec<(String, bool)> = words
            .mark("Qualität, Kubernetes-Cluster und kube.")
            .into_iter()
            .map(|Fragment { text, hit }| (text, hit))
            .collect();
        assert_eq!(
            marked,
            [
                ("Qualität".into(), true),
                (", ".into(), false),
                ("Kubernetes".into(), true),
                ("-Cluster und ".into(), false),
                ("kube".into(), true),
                (".".into(), false)
            ]
        );
        let whole = SearchWords::parse("go").expect("words");
        assert_eq!(
            whole.mark("Golang or Go").iter().filter(|f| f.hit).count(),
            1,
            "two letters match whole words only"
        );
    }
}
