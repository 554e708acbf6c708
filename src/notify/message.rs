//! The mails a lead causes, rendered from their templates: the notification to the contact
//! person and the confirmation to the company. Both are MIME messages (RFC 2045) whose
//! `Message-ID` ends in the sender's domain.

use askama::Template;
use lettre::Message;
use lettre::message::{Mailbox, MessageBuilder, SinglePart};

use super::MailerError;
use crate::domain::Lang;
use crate::domain::lead::{Field, Lead};
use crate::i18n::{Strings, format_date, strings};

#[derive(Template)]
#[template(path = "email/lead_notification.txt")]
struct LeadNotification<'a> {
    lead: &'a Lead,
    received: String,
    start: Option<String>,
    admin_url: &'a str,
}

/// Who signs the confirmation: the lead's contact person, without photo or e-mail address.
pub struct Signature {
    pub name: String,
    /// What the person does, in the confirmation's language, while the content still names them.
    pub role: Option<String>,
    pub site: String,
    pub site_url: String,
}

#[derive(Template)]
#[template(path = "email/confirmation.txt")]
struct Confirmation<'a> {
    t: &'static Strings,
    /// The labels and values of what was received, in the form's language.
    received: Vec<(&'static str, String)>,
    answer: String,
    signature: &'a Signature,
}

fn invalid(what: &str, error: &dyn std::fmt::Display) -> MailerError {
    MailerError::Message(format!("{what}: {error}"))
}

/// A builder with the parts every mail shares: sender, recipient and an id in the sender's
/// domain, so that receiving servers and threads can tell our mails apart.
fn builder(sender: &Mailbox, recipient: &str, local_id: &str) -> Result<MessageBuilder, MailerError> {
    let to: Mailbox = recipient.parse().map_err(|e| invalid("recipient", &e))?;
    Ok(Message::builder()
        .from(sender.clone())
        .to(to)
        .message_id(Some(format!("<{local_id}@{}>", sender.email.domain()))))
}

/// The e-mail to the contact person. Every value in a header is a validated one-line value.
pub fn lead_notification(
    lead: &Lead,
    recipient: &str,
    admin_url: &str,
    sender: &Mailbox,
) -> Result<Message, MailerError> {
    let request = &lead.request;
    let body = LeadNotification {
        lead,
        received: lead.created_at.format(&time::format_description::well_known::Rfc2822).unwrap_or_default(),
        start: request.start.map(|d| d.to_string()),
        admin_url,
    }
    .render()
    .map_err(|e| invalid("body", &e))?;
    let reply_to = Mailbox::new(
        Some(request.name.as_ref().to_owned()),
        request.email.as_ref().parse().map_err(|e| invalid("reply-to", &e))?,
    );
    builder(sender, recipient, &format!("lead-{}-{}", lead.id, lead.submission_id))?
        .reply_to(reply_to)
        .subject(format!("Hiring request #{}: {} at {}", lead.id, request.role.as_ref(), request.company.as_ref()))
        .singlepart(SinglePart::plain(body))
        .map_err(|e| invalid("message", &e))
}

/// The e-mail to the company that sent the lead, in the language of the form. It repeats the
/// role and the choices made, never the free-text message, so the form cannot carry text of
/// anyone's choosing to an address of their choosing.
pub fn confirmation(
    lead: &Lead,
    recipient: &str,
    signature: &Signature,
    sender: &Mailbox,
) -> Result<Message, MailerError> {
    let lang = lead.attribution.page_lang.unwrap_or(Lang::En);
    let t = strings(lang);
    let request = &lead.request;
    let mut received = vec![
        (t.field_name(Field::Role), request.role.as_ref().to_owned()),
        (t.field_name(Field::Headcount), request.headcount.get().to_string()),
        (t.field_name(Field::Engagement), t.engagement(request.engagement).to_owned()),
        (t.field_name(Field::WorkMode), t.work_mode(request.work_mode).to_owned()),
    ];
    if let Some(location) = &request.location {
        received.push((t.field_name(Field::Location), location.as_ref().to_owned()));
    }
    if let Some(start) = request.start {
        received.push((t.field_name(Field::Start), format_date(start, lang)));
    }
    let body = Confirmation { t, received, answer: t.thanks_text(&signature.name), signature }
        .render()
        .map_err(|e| invalid("body", &e))?;
    builder(sender, recipient, &format!("confirmation-{}-{}", lead.id, lead.submission_id))?
        .subject(t.confirmation_subject(&signature.site))
        .singlepart(SinglePart::plain(body))
        .map_err(|e| invalid("message", &e))
}
