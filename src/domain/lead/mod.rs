//! A hiring request: the raw form as the visitor typed it, and the `NewLead` it parses into.

mod choices;
mod email;
mod filter;
mod phone;
mod text;
mod work;

use std::collections::BTreeMap;

use serde::Deserialize;
use time::Date;

pub use choices::{Engagement, Headcount, WorkMode};
pub use email::EmailAddress;
pub use filter::LeadFilter;
pub use phone::PhoneNumber;
pub use text::{Message, OneLine};
pub use work::{EventKind, NotificationState};

use super::{Lang, Slug};

/// Every input of the form, exactly as submitted. Missing fields are empty strings, so a
/// partial or hand-made request is answered with field errors, not a generic failure.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LeadForm {
    pub company: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub role: String,
    pub headcount: String,
    pub engagement: String,
    pub work_mode: String,
    pub location: String,
    pub start: String,
    pub budget: String,
    pub message: String,
    pub consent: String,
    /// Honeypot: hidden from people, filled in by naive bots.
    pub website: String,
    pub csrf_token: String,
    pub profile: String,
    pub referrer: String,
    pub utm_source: String,
    pub utm_medium: String,
    pub utm_campaign: String,
    pub utm_term: String,
    pub utm_content: String,
}

/// The inputs a visitor fills in, in the order the form shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Company,
    Name,
    Email,
    Phone,
    Role,
    Headcount,
    Engagement,
    WorkMode,
    Location,
    Start,
    Budget,
    Message,
    Consent,
}

impl Field {
    /// The input's `name` and the stem of its `id`.
    pub fn key(self) -> &'static str {
        match self {
            Field::Company => "company",
            Field::Name => "name",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Role => "role",
            Field::Headcount => "headcount",
            Field::Engagement => "engagement",
            Field::WorkMode => "work_mode",
            Field::Location => "location",
            Field::Start => "start",
            Field::Budget => "budget",
            Field::Message => "message",
            Field::Consent => "consent",
        }
    }
}

/// Why a value was refused; the interface turns it into a sentence in the visitor's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldError {
    Required,
    TooShort { min: usize },
    TooLong { max: usize },
    NotOneLine,
    InvalidEmail,
    InvalidPhone,
    InvalidChoice,
    OutOfRange { min: u32, max: u32 },
    InvalidDate,
    DateInPast,
    ConsentRequired,
}

pub type FieldErrors = BTreeMap<Field, FieldError>;

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

impl Attribution {
    /// Attribution is best effort: a value that does not fit is dropped, never an error.
    pub fn from_form(form: &LeadForm, lang: Lang, profile_exists: impl Fn(&Slug) -> bool) -> Attribution {
        let line = |value: &str, max: usize| OneLine::required(value, max).ok().map(|v| v.0);
        let referrer = form.referrer.trim();
        let is_web_address = referrer.starts_with("https://") || referrer.starts_with("http://");
        Attribution {
            profile: Slug::parse(&form.profile).ok().filter(|slug| profile_exists(slug)),
            page_lang: Some(lang),
            referrer: is_web_address.then(|| line(referrer, 500)).flatten(),
            utm_source: line(&form.utm_source, 200),
            utm_medium: line(&form.utm_medium, 200),
            utm_campaign: line(&form.utm_campaign, 200),
            utm_term: line(&form.utm_term, 200),
            utm_content: line(&form.utm_content, 200),
        }
    }
}

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

/// Why a request was stored as spam rather than passed on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpamReason {
    /// The hidden field that people never see was filled in.
    Honeypot,
    /// The form came back faster than a person can fill it in.
    TooFast,
}

impl SpamReason {
    pub fn code(self) -> &'static str {
        match self {
            SpamReason::Honeypot => "honeypot",
            SpamReason::TooFast => "too_fast",
        }
    }

    pub fn from_code(code: &str) -> Option<SpamReason> {
        [SpamReason::Honeypot, SpamReason::TooFast].into_iter().find(|r| r.code() == code)
    }

    /// A filled honeypot, or a form sent back sooner than `min_fill` after it was shown.
    pub fn classify(honeypot: &str, time_to_fill: time::Duration, min_fill: std::time::Duration) -> Option<SpamReason> {
        if !honeypot.trim().is_empty() {
            Some(SpamReason::Honeypot)
        } else if time_to_fill < min_fill {
            Some(SpamReason::TooFast)
        } else {
            None
        }
    }
}

/// Where a lead stands in the staff's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeadStatus {
    New,
    Contacted,
    Qualified,
    Won,
    Lost,
    Spam,
}

impl LeadStatus {
    pub const ALL: [LeadStatus; 6] = [
        LeadStatus::New,
        LeadStatus::Contacted,
        LeadStatus::Qualified,
        LeadStatus::Won,
        LeadStatus::Lost,
        LeadStatus::Spam,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Contacted => "contacted",
            LeadStatus::Qualified => "qualified",
            LeadStatus::Won => "won",
            LeadStatus::Lost => "lost",
            LeadStatus::Spam => "spam",
        }
    }

    pub fn from_code(code: &str) -> Option<LeadStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The workflow: new → contacted → qualified → won / lost; anything open can be marked
    /// spam or lost; a closed lead can be reopened as qualified, and spam can be restored.
    pub fn next(self) -> &'static [LeadStatus] {
        use LeadStatus::*;
        match self {
            New => &[Contacted, Lost, Spam],
            Contacted => &[Qualified, Lost, Spam],
            Qualified => &[Won, Lost, Spam],
            Won | Lost => &[Qualified],
            Spam => &[New],
        }
    }

    pub fn can_move_to(self, next: LeadStatus) -> bool {
        self.next().contains(&next)
    }
}

/// A lead as stored: the request, where it came from, and who answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lead {
    pub id: i64,
    pub submission_id: String,
    pub created_at: time::OffsetDateTime,
    pub status: LeadStatus,
    pub spam_reason: Option<SpamReason>,
    pub request: NewLead,
    pub attribution: Attribution,
    pub contact_person_id: Option<Slug>,
    pub contact_person_name: String,
}

const MAX_LINE: usize = 120;

impl NewLead {
    /// Parses every field and reports every problem at once. `today` decides what "in the past" means.
    pub fn parse(form: &LeadForm, today: Date) -> Result<NewLead, FieldErrors> {
        let mut errors = FieldErrors::new();

        let company = check(&mut errors, Field::Company, OneLine::required(&form.company, MAX_LINE));
        let name = check(&mut errors, Field::Name, OneLine::required(&form.name, MAX_LINE));
        let email = check(&mut errors, Field::Email, EmailAddress::parse(&form.email));
        let phone = check(&mut errors, Field::Phone, optional(&form.phone, PhoneNumber::parse));
        let role = check(&mut errors, Field::Role, OneLine::required(&form.role, MAX_LINE));
        let headcount = check(&mut errors, Field::Headcount, Headcount::parse(&form.headcount));
        let engagement = check(&mut errors, Field::Engagement, form.engagement.parse());
        let work_mode: Option<WorkMode> = check(&mut errors, Field::WorkMode, form.work_mode.parse());
        let location =
            check(&mut errors, Field::Location, optional(&form.location, |s| OneLine::required(s, MAX_LINE)));
        let start = check(&mut errors, Field::Start, optional(&form.start, |s| start_date(s, today)));
        let budget = check(&mut errors, Field::Budget, optional(&form.budget, |s| OneLine::required(s, MAX_LINE)));
        let message = check(&mut errors, Field::Message, Message::parse(&form.message));
        let consent = check(
            &mut errors,
            Field::Consent,
            if form.consent == "yes" { Ok(()) } else { Err(FieldError::ConsentRequired) },
        );

        if let (Some(mode), Some(None)) = (work_mode, &location)
            && mode.needs_location()
        {
            errors.insert(Field::Location, FieldError::Required);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        match (
            company, name, email, phone, role, headcount, engagement, work_mode, location, start, budget, message,
            consent,
        ) {
            (
                Some(company),
                Some(name),
                Some(email),
                Some(phone),
                Some(role),
                Some(headcount),
                Some(engagement),
                Some(work_mode),
                Some(location),
                Some(start),
                Some(budget),
                Some(message),
                Some(()),
            ) => Ok(NewLead {
                company,
                name,
                email,
                phone,
                role,
                headcount,
                engagement,
                work_mode,
                location,
                start,
                budget,
                message,
            }),
            _ => Err(errors),
        }
    }
}

fn check<T>(errors: &mut FieldErrors, field: Field, result: Result<T, FieldError>) -> Option<T> {
    result.map_err(|e| errors.insert(field, e)).ok()
}

/// An empty optional input is "not given"; anything else must parse.
fn optional<T>(input: &str, parse: impl FnOnce(&str) -> Result<T, FieldError>) -> Result<Option<T>, FieldError> {
    if input.trim().is_empty() { Ok(None) } else { parse(input).map(Some) }
}

fn start_date(input: &str, today: Date) -> Result<Date, FieldError> {
    let date = Date::parse(input.trim(), crate::domain::ISO_DATE).map_err(|_| FieldError::InvalidDate)?;
    if date < today { Err(FieldError::DateInPast) } else { Ok(date) }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn valid_form() -> LeadForm {
        LeadForm {
            company: "Nordlicht Logistik GmbH".into(),
            name: "Erika Muster".into(),
            email: "erika@nordlicht.example".into(),
            role: "Backend Developer".into(),
            headcount: "2".into(),
            engagement: "permanent".into(),
            work_mode: "hybrid".into(),
            location: "Hamburg".into(),
            message: "We need two backend developers for our routing platform.".into(),
            consent: "yes".into(),
            ..LeadForm::default()
        }
    }

    #[test]
    fn a_complete_form_parses_into_a_lead() {
        let lead = NewLead::parse(&valid_form(), date!(2026 - 11 - 26)).expect("valid");
        assert_eq!(lead.company.as_ref(), "Nordlicht Logistik GmbH");
        assert_eq!(lead.headcount.get(), 2);
        assert_eq!(lead.phone, None);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let form = LeadForm {
            company: " ".into(),
            email: "nope".into(),
            message: "short".into(),
            consent: String::new(),
            ..valid_form()
        };
        let errors = NewLead::parse(&form, date!(2026 - 11 - 26)).expect_err("invalid");
        assert_eq!(errors.get(&Field::Company), Some(&FieldError::Required));
        assert_eq!(errors.get(&Field::Email), Some(&FieldError::InvalidEmail));
        assert_eq!(errors.get(&Field::Message), Some(&FieldError::TooShort { min: 20 }));
        assert_eq!(errors.get(&Field::Consent), Some(&FieldError::ConsentRequired));
        assert_eq!(errors.len(), 4);
    }

    #[test]
    fn on_site_work_needs_a_location_and_a_start_cannot_lie_in_the_past() {
        let form = LeadForm {
            work_mode: "onsite".into(),
            location: String::new(),
            start: "2026-11-01".into(),
            ..valid_form()
        };
        let errors = NewLead::parse(&form, date!(2026 - 11 - 26)).expect_err("invalid");
        assert_eq!(errors.get(&Field::Location), Some(&FieldError::Required));
        assert_eq!(errors.get(&Field::Start), Some(&FieldError::DateInPast));
    }

    #[test]
    fn honeypot_and_fill_time_decide_spam() {
        use std::time::Duration as Std;
        let slow = time::Duration::seconds(10);
        assert_eq!(SpamReason::classify("", slow, Std::from_secs(3)), None);
        assert_eq!(SpamReason::classify("http://x", slow, Std::from_secs(3)), Some(SpamReason::Honeypot));
        assert_eq!(SpamReason::classify("", time::Duration::seconds(1), Std::from_secs(3)), Some(SpamReason::TooFast));
    }

    #[test]
    fn attribution_keeps_what_fits_and_drops_the_rest() {
        let form = LeadForm {
            profile: "backend-developer".into(),
            referrer: "javascript:alert(1)".into(),
            utm_source: "news\nletter".into(),
            utm_campaign: "autumn".into(),
            ..valid_form()
        };
        let attribution = Attribution::from_form(&form, Lang::De, |slug| slug.as_str() == "backend-developer");
        assert_eq!(attribution.profile.map(|s| s.to_string()), Some("backend-developer".into()));
        assert_eq!(attribution.referrer, None);
        assert_eq!(attribution.utm_source, None);
        assert_eq!(attribution.utm_campaign.as_deref(), Some("autumn"));
        assert_eq!(attribution.page_lang, Some(Lang::De));
    }

    #[test]
    fn a_line_break_in_a_one_line_field_is_refused() {
        let form = LeadForm { name: "Eve\r\nBcc: victim@example.com".into(), ..valid_form() };
        let errors = NewLead::parse(&form, date!(2026 - 11 - 26)).expect_err("invalid");
        assert_eq!(errors.get(&Field::Name), Some(&FieldError::NotOneLine));
    }
}
