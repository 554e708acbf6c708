//! A hiring request: the `NewLead` a form parses into and the `Lead` it is stored as.

mod attribution;
mod choices;
mod email;
mod field_error;
mod filter;
mod phone;
mod spam;
mod status;
mod text;
mod webhook_url;
mod work;

use time::Date;

pub use attribution::Attribution;
pub use choices::{Engagement, Headcount, WorkMode};
pub use email::EmailAddress;
pub use field_error::{Field, FieldError, FieldErrors};
pub use filter::LeadFilter;
pub use phone::PhoneNumber;
pub use spam::SpamReason;
pub use status::LeadStatus;
pub use text::{Message, OneLine};
pub use webhook_url::{WebhookUrl, WebhookUrlError};
pub use work::{EventKind, NotificationState, OutboxKind, OutboxState};

use super::{LeadId, Slug};

/// A hiring request whose every value is valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewLead {
    pub company: OneLine,
    pub name: OneLine,
    pub email: EmailAddress,
    pub phone: Option<PhoneNumber>,
    pub role: OneLine,
    pub headcount: Headcount,
    pub engagement: Engagement,
    pub work_mode: WorkMode,
    pub location: Option<OneLine>,
    pub start: Option<Date>,
    pub budget: Option<OneLine>,
    pub message: Message,
}

/// A lead as stored: the request, where it came from, and who answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    pub id: LeadId,
    pub submission_id: String,
    pub created_at: time::OffsetDateTime,
    pub status: LeadStatus,
    pub spam_reason: Option<SpamReason>,
    pub request: NewLead,
    pub attribution: Attribution,
    pub contact_person_id: Option<Slug>,
    pub contact_person_name: String,
}
