//! What a file that failed to parse still says about itself: its slug (the file name), its
//! translation key and its headings, as far as they can be read. The cross-file checks count
//! these as present, so one mistake in a file is one error, not one more for every reference to it.

use super::fields::file_stem;
use crate::content::markdown;
use crate::content::source::SourceFile;
use crate::content::split::split;
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
    let text = file.text();
    // Without its fences the whole file is searched for the key and the headings.
    let (front_matter, body) = match split(text) {
        Ok(parts) => (parts.front_matter, &text[parts.body_start..]),
        Err(_) => (text, text),
    };
    let translation_key = translation_key(front_matter).and_then(|key| Slug::parse(&key).ok());
    let anchors = markdown::render(body).markdown.toc.into_iter().map(|entry| entry.id).collect();
    Some(Claim { path: path(lang, &slug), lang, slug, translation_key, anchors })
}

/// The translation key of front matter that may not be valid TOML: read as TOML when it is, else
/// from its own `translation_key = "..."` line.
fn translation_key(front_matter: &str) -> Option<String> {
    if let Ok(table) = toml::from_str::<toml::Table>(front_matter) {
        return table.get("translation_key")?.as_str().map(str::to_owned);
    }
    front_matter.lines().find_map(|line| {
        let (name, value) = line.split_once('=')?;
        let value = value.trim().strip_prefix('"')?.split_once('"')?.0;
        (name.trim() == "translation_key").then(|| value.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn file(rel_path: &str, text: &str) -> SourceFile {
        SourceFile::new(rel_path.to_owned(), PathBuf::from(rel_path), text.into())
    }

    #[test]
    fn a_file_that_failed_to_parse_still_claims_what_can_be_read_of_it() {
        let cases = [
            (
                "profiles/en/backend-developer.md",
                "+++\nsalry = 1\ntranslation_key = \"backend\"\n+++\n## Pay\n### FAQ\n",
                Some("backend"),
                vec!["pay", "faq"],
            ),
            (
                "profiles/en/backend-developer.md",
                "+++\ntitle = \"no end\ntranslation_key = \"backend\"\n+++\n## Pay\n",
                Some("backend"),
                vec!["pay"],
            ),
            ("profiles/en/backend-developer.md", "+++\ntitle = \"no end\n+++\n## Pay\n", None, vec!["pay"]),
            ("profiles/en/backend-developer.md", "no front matter at all", None, vec![]),
            (
                "profiles/en/backend-developer.md",
                "translation_key = \"backend\"\n+++\n## Pay\n",
                Some("backend"),
                vec!["pay"],
            ),
            ("profiles/en/backend-developer.md", "+++\ntranslation_key = \"Not A Slug\"\n+++\n", None, vec![]),
        ];
        for (path, text, key, anchors) in cases {
            let claim = claim_profile(&file(path, text), Lang::En).expect("the file name is a slug");
            assert_eq!(claim.slug.as_str(), "backend-developer", "{text}");
            assert_eq!(claim.path, "/profiles/backend-developer");
            assert_eq!(claim.translation_key.as_ref().map(Slug::as_str), key, "{text}");
            assert_eq!(claim.anchors, anchors, "{text}");
        }
    }

    #[test]
    fn a_file_name_that_is_no_slug_claims_nothing() {
        let mut claims = Claims::default();
        claims.page(&file("pages/de/Über Uns.md", "+++\n+++\n"), Lang::De);
        claims.person(&file("people/Lena Hoffmann.toml", ""));
        assert!(claims.pages.is_empty() && claims.people.is_empty());
    }
}
