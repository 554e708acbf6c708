//! The house style (`glossary.toml`): per language, the preferred terms and the variants to
//! avoid. Every variant in a profile or page is a warning at its place, so `check --strict`
//! holds the whole site to one wording.

use std::path::Path;

use super::document::parse_toml;
use super::fields::Fields;
use super::walk::read_source;
use crate::content::Diagnostics;
use crate::content::front_matter::{GlossaryEntry, GlossaryFile};
use crate::content::source::SourceFile;
use crate::content::words::standing_alone;
use crate::domain::Lang;

/// The file's name in the content folder.
const FILE: &str = "glossary.toml";

/// The terms of both languages; empty when the folder has no glossary.
#[derive(Default)]
pub struct Glossary {
    en: Vec<Term>,
    de: Vec<Term>,
}

struct Term {
    preferred: String,
    avoid: Vec<String>,
    reason: String,
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
            (Some(en), Some(de)) => Glossary { en, de },
            _ => Glossary::default(),
        }
    }

    /// Reports every variant to avoid in the file, a warning each, with the preferred term.
    pub fn check(&self, file: &SourceFile, lang: Lang, diagnostics: &mut Diagnostics) {
        let terms = match lang {
            Lang::En => &self.en,
            Lang::De => &self.de,
        };
        let text = file.text();
        for term in terms {
            for variant in &term.avoid {
                for at in whole_words(text, variant) {
                    diagnostics.push(file.warning_in(
                        &(at..at + variant.len()),
                        format!("\"{variant}\" is not our word here"),
                        format!("write \"{}\": {}", term.preferred, term.reason),
                    ));
                }
            }
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

/// Where `word` stands on its own: not inside a longer word or a hyphenated compound.
fn whole_words(text: &str, word: &str) -> Vec<usize> {
    standing_alone(text, word, |c| c.is_alphanumeric() || c == '-')
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
    fn each_variant_is_a_warning_at_its_place_with_the_preferred_term_and_the_reason() {
        let glossary = Glossary {
            en: Vec::new(),
            de: vec![Term {
                preferred: "Gehaltsübersicht".into(),
                avoid: vec!["Gehaltsbox".into(), "Gehaltskasten".into()],
                reason: "ein Name für die Tabelle".into(),
            }],
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
