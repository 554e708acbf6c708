//! The house style (`glossary.toml`): per language, the preferred terms and the variants to
//! avoid. Every variant in a profile or page is a warning at its place, so `check --strict`
//! holds the whole site to one wording.

use std::path::Path;

use aho_corasick::AhoCorasick;

use super::document::parse_toml;
use super::fields::Fields;
use super::walk::read_source;
use crate::content::Diagnostics;
use crate::content::front_matter::{GlossaryEntry, GlossaryFile};
use crate::content::source::SourceFile;
use crate::content::words::{standing_alone, stands_alone_at};
use crate::domain::Lang;

/// The file's name in the content folder.
const FILE: &str = "glossary.toml";

/// The terms of both languages; empty when the folder has no glossary.
#[derive(Default)]
pub struct Glossary {
    en: Terms,
    de: Terms,
}

struct Term {
    preferred: String,
    avoid: Vec<String>,
    reason: String,
}

/// One language's terms, and every variant to avoid in one automaton: a file is read once for
/// all of them, not once per variant (ten thousand profiles are checked on each import).
#[derive(Default)]
struct Terms {
    terms: Vec<Term>,
    /// Pattern `i` is `variants[i]`: (term, variant) indices.
    variants: Vec<(usize, usize)>,
    finder: Option<AhoCorasick>,
}

impl Terms {
    fn new(terms: Vec<Term>) -> Terms {
        let variants: Vec<(usize, usize)> =
            terms.iter().enumerate().flat_map(|(t, term)| (0..term.avoid.len()).map(move |v| (t, v))).collect();
        let patterns = variants.iter().map(|&(t, v)| terms[t].avoid[v].as_str());
        // Built from at most a few hundred short strings: it fails only past the automaton's
        // size limits, and then the terms are looked for one by one.
        let finder = AhoCorasick::new(patterns).ok().filter(|_| !variants.is_empty());
        Terms { terms, variants, finder }
    }

    /// Where each variant stands on its own in `text`, by term and variant in the glossary's
    /// order; each variant's places as `str::match_indices` finds them (no two overlap).
    fn found_in(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let Some(finder) = &self.finder else {
            return self
                .variants
                .iter()
                .flat_map(|&(t, v)| whole_words(text, &self.terms[t].avoid[v]).into_iter().map(move |at| (t, v, at)))
                .collect();
        };
        let mut ends = vec![0; self.variants.len()];
        let mut found = Vec::new();
        for hit in finder.find_overlapping_iter(text) {
            let pattern = hit.pattern().as_usize();
            if hit.start() < ends[pattern] {
                continue;
            }
            ends[pattern] = hit.end();
            let (t, v) = self.variants[pattern];
            if stands_alone_at(text, hit.span().range(), joins) {
                found.push((t, v, hit.start()));
            }
        }
        found.sort_unstable();
        found
    }
}

impl Glossary {
    /// Reads `glossary.toml` if there is one; a broken one is an error and applies nothing.
    pub fn read(dir: &Path, diagnostics: &mut Diagnostics) -> Glossary {
        let path = dir.join(FILE);
        if !path.exists() {
            return Glossary::default();
        }
        let Some(file) = read_source(dir, &path, diagnostics) else { return Glossary::default() };
        let Some(parsed) = parse_toml::<GlossaryFile>(&file, file.text(), 0, diagnostics) else {
            return Glossary::default();
        };
        let mut f = Fields { file: &file, base: 0, diagnostics };
        let en = terms(&mut f, &parsed.en);
        let de = terms(&mut f, &parsed.de);
        match (en, de) {
            (Some(en), Some(de)) => Glossary { en: Terms::new(en), de: Terms::new(de) },
            _ => Glossary::default(),
        }
    }

    /// Reports every variant to avoid in the file, a warning each, with the preferred term.
    pub fn check(&self, file: &SourceFile, lang: Lang, diagnostics: &mut Diagnostics) {
        let terms = match lang {
            Lang::En => &self.en,
            Lang::De => &self.de,
        };
        for (t, v, at) in terms.found_in(file.text()) {
            let (term, variant) = (&terms.terms[t], &terms.terms[t].avoid[v]);
            diagnostics.push(file.warning_in(
                &(at..at + variant.len()),
                format!("\"{variant}\" is not our word here"),
                format!("write \"{}\": {}", term.preferred, term.reason),
            ));
        }
    }
}

fn terms(f: &mut Fields<'_>, entries: &[GlossaryEntry]) -> Option<Vec<Term>> {
    let parsed: Vec<Option<Term>> = entries
        .iter()
        .map(|entry| {
            let preferred = f.text("preferred", &entry.preferred, 80);
            let avoid = f.list("avoid", &entry.avoid, 80);
            let reason = f.text("reason", &entry.reason, 200);
            Some(Term { preferred: preferred?, avoid: avoid?, reason: reason? })
        })
        .collect();
    parsed.into_iter().collect()
}

/// What joins a word to its neighbours in the house style's sense.
fn joins(c: char) -> bool {
    c.is_alphanumeric() || c == '-'
}

/// Where `word` stands on its own: not inside a longer word or a hyphenated compound.
fn whole_words(text: &str, word: &str) -> Vec<usize> {
    standing_alone(text, word, joins)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    #[test]
    fn a_variant_is_found_only_as_a_whole_word_with_its_capitals() {
        let cases: [(&str, &str, &[usize]); 8] = [
            ("Die Gehaltsbox zeigt", "Gehaltsbox", &[4]),
            ("Gehaltsbox. Gehaltsbox", "Gehaltsbox", &[0, 12]),
            ("die gehaltsbox", "Gehaltsbox", &[]),
            ("Gehaltsboxen", "Gehaltsbox", &[]),
            ("Ein DevOps Engineer plant", "DevOps Engineer", &[4]),
            ("Ein DevOps-Engineer plant", "DevOps Engineer", &[]),
            ("IT-Security-Engineer", "Security-Engineer", &[]),
            ("**Soft Skills**:", "Soft Skills", &[2]),
        ];
        for (text, word, expected) in cases {
            assert_eq!(whole_words(text, word), expected, "{word} in {text}");
        }
    }

    #[test]
    fn all_variants_found_in_one_pass_are_the_places_each_variant_has_on_its_own() {
        let terms = Terms::new(vec![
            Term { preferred: "x".into(), avoid: vec!["a a".into(), "Soft Skills".into()], reason: "r".into() },
            Term { preferred: "y".into(), avoid: vec!["Skills".into(), "a".into()], reason: "r".into() },
        ]);
        for text in ["a a a a", "Soft Skills, Skills und Soft-Skills", "Soft Skillsa a", "", "ä a äa a"] {
            let one_by_one: Vec<(usize, usize, usize)> = terms
                .variants
                .iter()
                .flat_map(|&(t, v)| whole_words(text, &terms.terms[t].avoid[v]).into_iter().map(move |at| (t, v, at)))
                .collect();
            assert_eq!(terms.found_in(text), one_by_one, "in {text:?}");
        }
    }

    #[test]
    fn each_variant_is_a_warning_at_its_place_with_the_preferred_term_and_the_reason() {
        let glossary = Glossary {
            en: Terms::default(),
            de: Terms::new(vec![Term {
                preferred: "Gehaltsübersicht".into(),
                avoid: vec!["Gehaltsbox".into(), "Gehaltskasten".into()],
                reason: "ein Name für die Tabelle".into(),
            }]),
        };
        let text = "+++\n+++\n## Gehalt\n\nDie Gehaltsbox und der Gehaltskasten.\n";
        let file = SourceFile::new("profiles/de/x.md".into(), PathBuf::from("x.md"), text.into());
        let mut diagnostics = Diagnostics::default();
        glossary.check(&file, Lang::De, &mut diagnostics);
        glossary.check(&file, Lang::En, &mut diagnostics);
        let found: Vec<_> =
            diagnostics.warnings().map(|w| (w.line, w.column, w.message.as_str(), w.hint.as_str())).collect();
        assert_eq!(
            found,
            [
                (5, 5, "\"Gehaltsbox\" is not our word here", "write \"Gehaltsübersicht\": ein Name für die Tabelle"),
                (
                    5,
                    24,
                    "\"Gehaltskasten\" is not our word here",
                    "write \"Gehaltsübersicht\": ein Name für die Tabelle"
                ),
            ]
        );
        assert!(!diagnostics.has_errors());
    }
}
