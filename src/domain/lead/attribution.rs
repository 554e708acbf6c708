//! Where a hiring request came from (profile, page language, referrer, campaign), kept with the lead.

use crate::domain::{Lang, Slug};

/// Where a request came from, kept with the lead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    pub profile: Option<Slug>,
    pub page_lang: Option<Lang>,
    pub referrer: Option<String>,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    pub utm_term: Option<String>,
    pub utm_content: Option<String>,
}
