//! A job profile in one language, as checked and ready to publish.

use time::Date;

use super::stored_code::stored_codes;
use super::{IscoCode, Lang, SalaryRow, Slug, TocEntry};

/// One job profile in one language, as checked and ready to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub lang: Lang,
    pub slug: Slug,
    /// Shared by the English and German version of one role.
    pub translation_key: Slug,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub hard_skills: Vec<String>,
    pub soft_skills: Vec<String>,
    pub salaries: Vec<SalaryRow>,
    /// The ISCO-08 unit group the role belongs to, when the profile names one.
    pub isco: Option<IscoCode>,
    /// Slugs of profiles in the same language.
    pub related: Vec<Slug>,
    /// The person who answers requests from this profile; `None` means the site's default contact.
    pub contact: Option<Slug>,
    pub updated: Date,
    pub draft: bool,
    /// Not public before this moment, even when not a draft.
    pub publish_at: Option<time::OffsetDateTime>,
    /// Old URL paths that redirect here.
    pub aliases: Vec<String>,
    /// The sections of the body; the body's HTML itself is in the store and read when a page is
    /// rendered, so thousands of profiles do not sit in memory twice.
    pub toc: Vec<TocEntry>,
    /// Where the profile was loaded from, relative to the content folder.
    pub source_path: String,
    /// Fingerprint of what is stored for the profile (its values and body): a profile whose
    /// fingerprint is stored already is not written again.
    pub source_hash: String,
}

impl Profile {
    pub fn path(&self) -> String {
        super::paths::profile(self.lang, &self.slug)
    }

    /// Whether visitors may see it at `now`.
    pub fn is_public(&self, now: time::OffsetDateTime) -> bool {
        !self.draft && self.publish_at.is_none_or(|at| at <= now)
    }
}

stored_codes! {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum SkillKind {
        Hard = "hard",
        Soft = "soft",
    }
}
