//! Showing the form: fresh (GET), or again with the visitor's input and errors (from `submit`).

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;
use time::OffsetDateTime;

use super::lead_form::LeadForm;
use crate::domain::lead::{Engagement, Field, FieldErrors, WorkMode};
use crate::domain::paths::Localized;
use crate::domain::{Lang, Slug};
use crate::error::AppError;
use crate::i18n::{Strings, strings};
use crate::read_model::Site;
use crate::routes::client::{csrf_cookie, new_csrf_cookie};
use crate::routes::layout::Layout;
use crate::routes::pages::views::ContactCard;
use crate::routes::render_private;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct FormQuery {
    profile: Option<String>,
    utm_source: Option<String>,
    utm_medium: Option<String>,
    utm_campaign: Option<String>,
    utm_term: Option<String>,
    utm_content: Option<String>,
}

pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<FormQuery>,
    lang: Lang,
) -> Result<HttpResponse, AppError> {
    let site = state.site.current();
    let query = query.into_inner();
    let profile = query.profile.as_deref().and_then(|s| Slug::parse(s).ok()).and_then(|slug| site.profile(lang, &slug));
    let referrer = req.headers().get(header::REFERER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let from_referrer = |key: &str| referrer.as_deref().and_then(|r| query_param(r, key));
    let utm = |own: Option<String>, key: &str| own.or_else(|| from_referrer(key)).unwrap_or_default();
    let form = LeadForm {
        role: profile.map(|p| p.title.clone()).unwrap_or_default(),
        headcount: "1".into(),
        profile: profile.map(|p| p.slug.to_string()).unwrap_or_default(),
        referrer: referrer.clone().unwrap_or_default(),
        utm_source: utm(query.utm_source, "utm_source"),
        utm_medium: utm(query.utm_medium, "utm_medium"),
        utm_campaign: utm(query.utm_campaign, "utm_campaign"),
        utm_term: utm(query.utm_term, "utm_term"),
        utm_content: utm(query.utm_content, "utm_content"),
        ..LeadForm::default()
    };
    let (cookie, new_cookie) = match csrf_cookie(&req, &state) {
        Some(value) => (value, None),
        None => {
            let cookie = new_csrf_cookie(&state);
            (cookie.value().to_owned(), Some(cookie))
        }
    };
    let token = state.forms.issue(&cookie, OffsetDateTime::now_utc());
    let page = FormPage::new(&site, lang, &form, &FieldErrors::new(), token, None);
    let mut response = render_private(StatusCode::OK, &page)?;
    if let Some(cookie) = new_cookie {
        response.add_cookie(&cookie).map_err(|e| AppError::Internal(anyhow::Error::new(e)))?;
    }
    Ok(response)
}

fn query_param(url: &str, key: &str) -> Option<String> {
    let query = url.split_once('?')?.1.split('#').next()?;
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).ok()?.into_iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

pub struct FieldView {
    pub name: &'static str,
    pub id: String,
    pub label: String,
    pub value: String,
    pub input_type: &'static str,
    pub autocomplete: &'static str,
    pub required: bool,
    pub hint: Option<String>,
    pub error: Option<String>,
    /// Ids of the hint and error, for `aria-describedby`.
    pub described_by: String,
}

pub struct ChoiceView {
    pub id: String,
    pub value: &'static str,
    pub label: String,
    pub checked: bool,
}

pub struct ChoiceGroup {
    pub field: FieldView,
    pub options: Vec<ChoiceView>,
}

pub struct ErrorLink {
    pub href: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "contact_form.html")]
pub struct FormPage<'a> {
    layout: Layout<'a>,
    action: &'static str,
    notice: Option<String>,
    error_summary: Vec<ErrorLink>,
    company: FieldView,
    name: FieldView,
    email: FieldView,
    phone: FieldView,
    role: FieldView,
    headcount: FieldView,
    /// Engagement and work mode: radio buttons in a fieldset each.
    choice_groups: Vec<ChoiceGroup>,
    location: FieldView,
    start: FieldView,
    budget: FieldView,
    message: FieldView,
    today: String,
    token: String,
    form: &'a LeadForm,
    contact: Option<ContactCard>,
    privacy_href: Option<String>,
}

struct Fields<'a> {
    t: &'static Strings,
    form: &'a LeadForm,
    errors: &'a FieldErrors,
}

impl Fields<'_> {
    fn field(
        &self,
        field: Field,
        input_type: &'static str,
        autocomplete: &'static str,
        required: bool,
        hint: Option<&str>,
    ) -> FieldView {
        let name = field.key();
        let error = self.errors.get(&field).map(|&e| self.t.field_error(field, e));
        let described_by = [hint.map(|_| format!("{name}-hint")), error.as_ref().map(|_| format!("{name}-error"))]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        FieldView {
            name,
            id: format!("field-{name}"),
            label: self.t.field_label(field).to_owned(),
            value: value_of(self.form, field).to_owned(),
            input_type,
            autocomplete,
            required,
            hint: hint.map(str::to_owned),
            error,
            described_by,
        }
    }
}

fn value_of(form: &LeadForm, field: Field) -> &str {
    match field {
        Field::Company => &form.company,
        Field::Name => &form.name,
        Field::Email => &form.email,
        Field::Phone => &form.phone,
        Field::Role => &form.role,
        Field::Headcount => &form.headcount,
        Field::Engagement => &form.engagement,
        Field::WorkMode => &form.work_mode,
        Field::Location => &form.location,
        Field::Start => &form.start,
        Field::Budget => &form.budget,
        Field::Message => &form.message,
    }
}

fn choices(name: &str, selected: &str, options: impl Iterator<Item = (&'static str, String)>) -> Vec<ChoiceView> {
    options
        .map(|(value, label)| ChoiceView {
            id: format!("field-{name}-{value}"),
            value,
            label,
            checked: value == selected,
        })
        .collect()
}

impl<'a> FormPage<'a> {
    pub fn new(
        site: &'a Site,
        lang: Lang,
        form: &'a LeadForm,
        errors: &FieldErrors,
        token: String,
        notice: Option<String>,
    ) -> Self {
        let t = strings(lang);
        let fields = Fields { t, form, errors };
        let profile = Slug::parse(&form.profile).ok().and_then(|slug| site.profile(lang, &slug));
        let translation = match profile.and_then(|p| site.profile_translation(p)) {
            Some(other) => format!("{}?profile={}", Localized::Contact.path(other.lang), other.slug),
            None => Localized::Contact.path(lang.other()).to_owned(),
        };
        let engagement_labels = |e: Engagement| t.engagement(e).to_owned();
        let work_mode_labels = |m: WorkMode| t.work_mode(m).to_owned();
        FormPage {
            layout: Layout::new(site, lang, Localized::Contact.path(lang), &t.form_title, &t.form_summary)
                .translated_at(site, Some(translation))
                .below(Vec::new()),
            action: Localized::Contact.path(lang),
            notice,
            error_summary: errors
                .iter()
                .map(|(&field, &error)| ErrorLink {
                    href: format!("#field-{}", anchor(field)),
                    message: t.field_error(field, error),
                })
                .collect(),
            company: fields.field(Field::Company, "text", "organization", true, None),
            name: fields.field(Field::Name, "text", "name", true, None),
            email: fields.field(Field::Email, "email", "email", true, None),
            phone: fields.field(Field::Phone, "tel", "tel", false, None),
            role: fields.field(Field::Role, "text", "off", true, None),
            headcount: fields.field(Field::Headcount, "number", "off", true, None),
            choice_groups: vec![
                ChoiceGroup {
                    field: fields.field(Field::Engagement, "radio", "off", true, None),
                    options: choices(
                        "engagement",
                        &form.engagement,
                        Engagement::ALL.into_iter().map(|e| (e.code(), engagement_labels(e))),
                    ),
                },
                ChoiceGroup {
                    field: fields.field(Field::WorkMode, "radio", "off", true, None),
                    options: choices(
                        "work_mode",
                        &form.work_mode,
                        WorkMode::ALL.into_iter().map(|m| (m.code(), work_mode_labels(m))),
                    ),
                },
            ],
            location: fields.field(Field::Location, "text", "address-level2", false, None),
            start: fields.field(Field::Start, "date", "off", false, None),
            budget: fields.field(Field::Budget, "text", "off", false, Some(&t.form_hint_budget)),
            message: fields.field(Field::Message, "textarea", "off", true, Some(&t.form_hint_message)),
            today: OffsetDateTime::now_utc().date().to_string(),
            token,
            form,
            contact: site.contact_for(profile).map(|person| ContactCard::new(person, lang)),
            privacy_href: site.page_by_key(lang, "privacy").map(|p| p.path()),
        }
    }
}

/// The element a summary link jumps to: the first radio button of a group.
fn anchor(field: Field) -> String {
    match field {
        Field::Engagement => format!("engagement-{}", Engagement::ALL[0].code()),
        Field::WorkMode => format!("work_mode-{}", WorkMode::ALL[0].code()),
        other => other.key().to_owned(),
    }
}
