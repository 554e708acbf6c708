//! Sending lead notifications over SMTP (or not at all when no server is configured).

use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::configuration::{SmtpSettings, SmtpTls};

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("invalid SMTP settings: {0}")]
    Settings(String),
    #[error("cannot build the message: {0}")]
    Message(String),
    #[error("SMTP delivery failed: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    /// Abandoned so that the notification's lease does not end while it may still go out.
    #[error("the send took longer than half the outbox lease")]
    OutlastedLease,
}

impl MailerError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            MailerError::Smtp(error) => !error.is_permanent(),
            MailerError::OutlastedLease => true,
            MailerError::Settings(_) | MailerError::Message(_) => false,
        }
    }
}

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    sender: Mailbox,
}

impl Mailer {
    /// `None` when no SMTP host is configured.
    pub fn from_settings(settings: &SmtpSettings) -> Result<Option<Mailer>, MailerError> {
        let Some(host) = settings.host.as_deref() else {
            return Ok(None);
        };
        let sender: Mailbox =
            settings.sender.parse().map_err(|e| MailerError::Settings(format!("sender `{}`: {e}", settings.sender)))?;
        let builder = match settings.tls {
            SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host)?,
            SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host)?,
        };
        let mut builder = builder.port(settings.port).timeout(Some(Duration::from_secs(settings.timeout_secs)));
        if let (Some(username), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(username.clone(), password.expose().to_owned()));
        }
        Ok(Some(Mailer { transport: builder.build(), sender }))
    }

    pub fn sender(&self) -> &Mailbox {
        &self.sender
    }

    pub async fn send(&self, message: Message) -> Result<(), MailerError> {
        self.transport.send(message).await?;
        Ok(())
    }
}
