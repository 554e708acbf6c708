//! A contact person who answers hiring requests.

use super::{Lang, Slug};

/// A contact person who answers hiring requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: Slug,
    pub name: String,
    pub email: String,
    /// The published address, shown on profile pages (on screen and in print); `email` never is.
    pub public_email: Option<String>,
    /// Path below the content folder's `media/`, served at `/media/...`.
    pub photo: String,
    pub languages: Vec<Lang>,
    pub en: PersonText,
    pub de: PersonText,
}

/// What is said about a person in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonText {
    pub role: String,
    pub pitch: String,
}

impl Person {
    pub fn text(&self, lang: Lang) -> &PersonText {
        match lang {
            Lang::En => &self.en,
            Lang::De => &self.de,
        }
    }

    pub fn photo_url(&self) -> String {
        super::paths::media_file(&self.photo)
    }
}
