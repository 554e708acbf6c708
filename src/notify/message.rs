//! The notification mail a contact person gets for a new lead, rendered from its template.

use askama::Template;
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MessageBuilder};

use super::MailerError;
use crate::domain::lead::Lead;

#[derive(Template)]
#[template(path = "email/lead_notification.txt")]
struct LeadNotification<'a> {
    lead: &'a Lead,
    received: String,
    start: Option<String>,
    admin_url: &'a str,
}

/// The e-mail to the contact person. Every value in a header is a validated one-line value.
pub fn lead_notification(
    lead: &Lead,
    recipient: &str,
    admin_url: &str,
    sender: &Mailbox,
) -> Result<Message, MailerError> {
    let invalid = |what: &str, e: &dyn std::fmt::Display| MailerError::Message(format!("{what}: {e}"));
    let request = &lead.request;
    let body = LeadNotification {
        lead,
        received: lead.created_at.format(&time::format_description::well_known::Rfc2822).unwrap_or_default(),
        start: request.start.map(|d| d.to_string()),
        admin_url,
    }
    .render()
    .map_err(|e| invalid("body", &e))?;
    let to: Mailbox = recipient.parse().map_err(|e| invalid("recipient", &e))?;
    let reply_to = Mailbox::new(
        Some(request.name.as_ref().to_owned()),
        request.email.as_ref().parse().map_err(|e| invalid("reply-to", &e))?,
    );
    let builder: MessageBuilder = Message::builder()
        .from(sender.clone())
        .to(to)
        .reply_to(reply_to)
        .message_id(Some(format!("<lead-{}-{}@jobprofiles>", lead.id, lead.submission_id)))
        .subject(format!("Hiring request #{}: {} at {}", lead.id, request.role.as_ref(), request.company.as_ref()))
        .header(ContentType::TEXT_PLAIN);
    builder.body(body).map_err(|e| invalid("message", &e))
}
