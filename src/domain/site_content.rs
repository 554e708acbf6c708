//! Everything a content folder publishes, checked as a whole.

use std::collections::HashMap;
use std::sync::Arc;

use super::{Lang, Page, Person, Profile, SiteSettings, Slug};

/// Everything the site publishes, checked as a whole: what a content folder held,
/// and what the store gives back.
#[derive(Debug, Clone)]
pub struct SiteContent {
    pub site: SiteSettings,
    pub people: Vec<Person>,
    /// Shared with the cache of parsed files, so unchanged profiles are not copied per load.
    pub profiles: Vec<Arc<Profile>>,
    pub pages: Vec<Page>,
    /// Body HTML of the profiles read from their files this time; a profile taken over
    /// unchanged from the last load is stored already and has none here.
    pub profile_html: HashMap<(Lang, Slug), String>,
    /// Job-description templates (Markdown) of the profiles in `profile_html` that have one.
    pub job_descriptions: HashMap<(Lang, Slug), String>,
}

impl SiteContent {
    pub fn summary(&self) -> ContentSummary {
        let count = |lang: Lang| LanguageCount {
            lang,
            profiles: self.profiles.iter().filter(|p| p.lang == lang).count(),
            drafts: self.profiles.iter().filter(|p| p.lang == lang && p.draft).count(),
            pages: self.pages.iter().filter(|p| p.lang == lang).count(),
        };
        ContentSummary { languages: Lang::ALL.map(count).to_vec(), people: self.people.len() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentSummary {
    pub languages: Vec<LanguageCount>,
    pub people: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageCount {
    pub lang: Lang,
    pub profiles: usize,
    pub drafts: usize,
    pub pages: usize,
}

impl std::fmt::Display for ContentSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for count in &self.languages {
            writeln!(
                f,
                "{}: {} profiles ({} drafts), {} pages",
                count.lang, count.profiles, count.drafts, count.pages
            )?;
        }
        write!(f, "people: {}", self.people)
    }
}
