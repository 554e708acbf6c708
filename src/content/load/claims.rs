//! What a file that failed to parse still says about itself: its slug (the file name), its
//! translation key and its headings, as far as they can be read. The cross-file checks count
//! these as present, so one mistake in a file is one error, not one more for every reference to it.

use super::fields::file_stem;
use crate::content::outline;
use crate::content::source::SourceFile;
use crate::domain::{Lang, Slug, paths};

/// Profiles, pages and people whose files were found but did not load.
#[derive(Default)]
pub struct Claims {
    pub profiles: Vec<Claim>,
    pub pages: Vec<Claim>,
    pub people: Vec<Slug>,
}

/// A profile or page that did not load, as far as it could be read.
pub struct Claim {
    pub lang: Lang,
    pub slug: Slug,
    pub translation_key: Option<Slug>,
    /// Ids of the body's headings, for links with `#anchor`.
    pub anchors: Vec<String>,
    /// Where it would be served.
    pub path: String,
}

/// What a profile file that failed to parse claims.
pub(super) fn claim_profile(file: &SourceFile, lang: Lang) -> Option<Claim> {
    claim(file, lang, paths::profile)
}

impl Claims {
    pub(super) fn page(&mut self, file: &SourceFile, lang: Lang) {
        if let Some(claim) = claim(file, lang, paths::page) {
            self.pages.push(claim);
        }
    }

    pub(super) fn person(&mut self, file: &SourceFile) {
        if let Ok(id) = Slug::parse(file_stem(file)) {
            self.people.push(id);
        }
    }

    /// Whether a profile that failed to load has `key` in `lang`.
    pub fn has_profile_key(&self, lang: Lang, key: &Slug) -> bool {
        self.profiles.iter().any(|c| c.lang == lang && c.translation_key.as_ref() == Some(key))
    }

    /// Profiles and pages that failed to load.
    pub fn documents(&self) -> impl Iterator<Item = &Claim> {
        self.profiles.iter().chain(&self.pages)
    }
}

fn claim(file: &SourceFile, lang: Lang, path: fn(Lang, &Slug) -> String) -> Option<Claim> {
    let slug = Slug::parse(file_stem(file)).ok()?;
    let outline = outline::read(file.text());
    let translation_key = outline.translation_key.and_then(|key| Slug::parse(&key).ok());
    let anchors = outline.headings.into_iter().map(|heading| heading.id).collect();
    Some(Claim { path: path(lang, &slug), lang, slug, translation_key, anchors })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn file(rel_path: &str, text: &str) -> SourceFile {
        SourceFile::new(rel_path.to_owned(), PathBuf::from(rel_path), text.into())
    }

    #[test]
    fn a_file_that_failed_to_parse_still_claims_its_slug_key_and_headings() {
        let text = "+++\nsalry = 1\ntranslation_key = \"backend\"\n+++\n## Pay\n### FAQ\n";
        let claim = claim_profile(&file("profiles/de/backend-entwickler.md", text), Lang::De).expect("a slug");
        assert_eq!(claim.slug.as_str(), "backend-entwickler");
        assert_eq!(claim.path, "/de/profile/backend-entwickler");
        assert_eq!(claim.translation_key.as_ref().map(Slug::as_str), Some("backend"));
        assert_eq!(claim.anchors, ["pay", "faq"]);
        let broken_key =
            claim_profile(&file("profiles/en/x.md", "+++\ntranslation_key = \"Not A Slug\"\n+++\n"), Lang::En);
        assert_eq!(broken_key.expect("a slug").translation_key, None);
    }

    #[test]
    fn a_file_name_that_is_no_slug_claims_nothing() {
        let mut claims = Claims::default();
        claims.page(&file("pages/de/Über Uns.md", "+++\n+++\n"), Lang::De);
        claims.person(&file("people/Lena Hoffmann.toml", ""));
        assert!(claims.pages.is_empty() && claims.people.is_empty());
    }
}
