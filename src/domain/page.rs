//! A plain page (about us, imprint) in one language.

use time::Date;

use super::{Lang, RenderedMarkdown, Slug};

/// A plain page such as "About us" or the imprint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub lang: Lang,
    pub slug: Slug,
    pub translation_key: Slug,
    pub title: String,
    pub summary: String,
    pub updated: Date,
    pub body: RenderedMarkdown,
    pub source_path: String,
}

impl Page {
    pub fn path(&self) -> String {
        super::paths::page(self.lang, &self.slug)
    }
}
