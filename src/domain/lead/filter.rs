//! Which leads the staff inbox shows: the spam view apart, by status, profile, dates and words.

use time::Date;

use super::LeadStatus;
use crate::domain::Slug;

/// Which leads the inbox shows: spam has a view of its own so it never clutters the work list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeadFilter {
    pub spam: bool,
    /// Within the view; `None` means every status of it.
    pub status: Option<LeadStatus>,
    pub profile: Option<Slug>,
    /// Inclusive, by the day the lead arrived (UTC).
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Part of the company, the contact's name or e-mail address.
    pub search: Option<String>,
}
