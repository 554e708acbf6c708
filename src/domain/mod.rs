//! Types that can only hold valid values. Everything after parsing works with these,
//! never with raw strings from files or forms.

pub mod admin;
mod lang;
pub mod lead;
mod money;
mod page;
mod person;
mod profile;
mod site_content;
mod site_settings;
mod slug;

pub use lang::{Lang, LangError};
pub use money::{Currency, CurrencyError, SalaryPeriod, SalaryPeriodError};
pub use page::Page;
pub use person::{Person, PersonText};
pub use profile::{Profile, SalaryRow, SalaryRowError, SalaryRowParts, SkillKind};
pub use site_content::{ContentSummary, LanguageCount, SiteContent};
pub use site_settings::{NavLink, SiteSettings};
pub use slug::{Slug, SlugError};

/// Dates as written in content files, forms and the store: `2026-01-31`.
pub const ISO_DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// Markdown that has been rendered to sanitised HTML, with the table of contents
/// taken from its `##` and `###` headings.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RenderedMarkdown {
    pub html: String,
    pub toc: Vec<TocEntry>,
}

impl RenderedMarkdown {
    /// The words of the body without markup, for the search index.
    pub fn plain_text(&self) -> String {
        let mut text = String::with_capacity(self.html.len());
        let mut in_tag = false;
        for c in self.html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => {
                    in_tag = false;
                    text.push(' ');
                }
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TocEntry {
    /// 2 for `##`, 3 for `###`.
    pub level: u8,
    pub id: String,
    pub text: String,
}
