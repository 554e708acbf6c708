//! The hiring form as it comes over the wire, and how it becomes a `NewLead` and its `Attribution`.

use serde::Deserialize;
use time::Date;

use crate::domain::lead::{
    Attribution, EmailAddress, Field, FieldError, FieldErrors, Headcount, Message, NewLead, OneLine, PhoneNumber,
    WorkMode,
};
use crate::domain::{Lang, Slug};

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

/// Attribution is best effort: a value that does not fit is dropped, never an error.
pub fn attribution(form: &LeadForm, lang: Lang, profile_exists: impl Fn(&Slug) -> bool) -> Attribution {
    let line = |value: &str, max: usize| OneLine::required(value, max).ok().map(|v| v.as_ref().to_owned());
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

const MAX_LINE: usize = 120;

/// Parses every field and reports every problem at once. `today` decides what "in the past" means.
pub fn new_lead(form: &LeadForm, today: Date) -> Result<NewLead, FieldErrors> {
    let mut errors = FieldErrors::new();

    let company = check(&mut errors, Field::Company, OneLine::required(&form.company, MAX_LINE));
    let name = check(&mut errors, Field::Name, OneLine::required(&form.name, MAX_LINE));
    let email = check(&mut errors, Field::Email, EmailAddress::parse(&form.email));
    let phone = check(&mut errors, Field::Phone, optional(&form.phone, PhoneNumber::parse));
    let role = check(&mut errors, Field::Role, OneLine::required(&form.role, MAX_LINE));
    let headcount = check(&mut errors, Field::Headcount, Headcount::parse(&form.headcount));
    let engagement = check(&mut errors, Field::Engagement, form.engagement.parse());
    let work_mode: Option<WorkMode> = check(&mut errors, Field::WorkMode, form.work_mode.parse());
    let location = check(&mut errors, Field::Location, optional(&form.location, |s| OneLine::required(s, MAX_LINE)));
    let start = check(&mut errors, Field::Start, optional(&form.start, |s| start_date(s, today)));
    let budget = check(&mut errors, Field::Budget, optional(&form.budget, |s| OneLine::required(s, MAX_LINE)));
    let message = check(&mut errors, Field::Message, Message::parse(&form.message));

    if let (Some(mode), Some(None)) = (work_mode, &location)
        && mode.needs_location()
    {
        errors.insert(Field::Location, FieldError::Required);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    match (company, name, email, phone, role, headcount, engagement, work_mode, location, start, budget, message) {
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
            ..LeadForm::default()
        }
    }

    #[test]
    fn a_complete_form_parses_into_a_lead() {
        let lead = new_lead(&valid_form(), date!(2026 - 11 - 26)).expect("valid");
        assert_eq!(lead.company.as_ref(), "Nordlicht Logistik GmbH");
        assert_eq!(lead.headcount.get(), 2);
        assert_eq!(lead.phone, None);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let form = LeadForm { company: " ".into(), email: "nope".into(), message: "short".into(), ..valid_form() };
        let errors = new_lead(&form, date!(2026 - 11 - 26)).expect_err("invalid");
        assert_eq!(errors.get(&Field::Company), Some(&FieldError::Required));
        assert_eq!(errors.get(&Field::Email), Some(&FieldError::InvalidEmail));
        assert_eq!(errors.get(&Field::Message), Some(&FieldError::TooShort { min: 20 }));
        assert_eq!(errors.len(), 3);
    }

    #[test]
    fn on_site_work_needs_a_location_and_a_start_cannot_lie_in_the_past() {
        let form = LeadForm {
            work_mode: "onsite".into(),
            location: String::new(),
            start: "2026-11-01".into(),
            ..valid_form()
        };
        let errors = new_lead(&form, date!(2026 - 11 - 26)).expect_err("invalid");
        assert_eq!(errors.get(&Field::Location), Some(&FieldError::Required));
        assert_eq!(errors.get(&Field::Start), Some(&FieldError::DateInPast));
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
        let attribution = attribution(&form, Lang::De, |slug| slug.as_str() == "backend-developer");
        assert_eq!(attribution.profile.map(|s| s.to_string()), Some("backend-developer".into()));
        assert_eq!(attribution.referrer, None);
        assert_eq!(attribution.utm_source, None);
        assert_eq!(attribution.utm_campaign.as_deref(), Some("autumn"));
        assert_eq!(attribution.page_lang, Some(Lang::De));
    }

    #[test]
    fn a_line_break_in_a_one_line_field_is_refused() {
        let form = LeadForm { name: "Eve\r\nBcc: victim@example.com".into(), ..valid_form() };
        let errors = new_lead(&form, date!(2026 - 11 - 26)).expect_err("invalid");
        assert_eq!(errors.get(&Field::Name), Some(&FieldError::NotOneLine));
    }
}
