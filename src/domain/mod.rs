//! Types that can only hold valid values. Everything after parsing works with these,
//! never with raw strings from files or forms.

pub mod admin;
mod category;
mod country;
mod ids;
mod isco;
pub mod job_description;
mod lang;
pub mod lead;
mod media;
mod money;
mod page;
pub mod paging;
pub mod paths;
mod person;
mod profile;
#[cfg(test)]
mod properties;
mod salary;
mod salary_filter;
mod site_content;
mod site_settings;
mod slug;
pub mod stats;
mod stored_code;

pub use category::category_slug;
pub use country::{CountryCode, CountryCodeError};
pub use ids::{AdminUserId, LeadId, OutboxId};
pub use isco::{IscoCode, IscoCodeError};
pub use lang::{Lang, LangError};
pub use media::{MediaFile, MediaType};
pub use money::{Currency, CurrencyError, SalaryPeriod, SalaryPeriodError};
pub use page::Page;
pub use person::{Person, PersonText};
pub use profile::{Profile, SkillKind};
pub use salary::{Engagement, Level, SalaryRow, SalaryRowError, SalaryRowParts, UnknownCodeError};
pub use salary_filter::{SalaryFilter, SalaryFilterError, SalarySort};
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

/// The words of a body without markup, for the search index: tags become spaces, and the
/// entities the Markdown renderer writes become their characters again.
pub fn plain_text(html: &str) -> String {
    const ENTITIES: [(&str, char); 5] =
        [("&lt;", '<'), ("&gt;", '>'), ("&quot;", '"'), ("&#39;", '\''), ("&amp;", '&')];
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(['<', '&']) {
        text.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('<') {
            text.push(' ');
            rest = rest.find('>').map_or("", |end| &rest[end + 1..]);
        } else if let Some((entity, c)) = ENTITIES.iter().find(|(entity, _)| rest.starts_with(entity)) {
            text.push(*c);
            rest = &rest[entity.len()..];
        } else {
            text.push('&');
            rest = &rest[1..];
        }
    }
    text.push_str(rest);
    text
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TocEntry {
    /// 2 for `##`, 3 for `###`.
    pub level: u8,
    pub id: String,
    pub text: String,
}

#[cfg(test)]
mod tests {
    use super::plain_text;

    #[test]
    fn plain_text_drops_tags_and_decodes_the_renderers_entities() {
        assert_eq!(
            plain_text("<p>Rust &amp; Go</p><p>a&lt;b &quot;c&quot; it&#39;s</p>"),
            " Rust & Go  a<b \"c\" it's "
        );
        assert_eq!(plain_text("AT&T &unknown; <b>bold"), "AT&T &unknown;  bold");
        assert_eq!(plain_text("cut <a href=\"x\""), "cut  ");
    }
}
