//! Sending mail over SMTP, or writing each message to a folder as an `.eml` file when no SMTP
//! host is configured, so that someone trying the site out sees what it sends.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::configuration::{SmtpSettings, SmtpTls};

#[derive(Debug, thiserror::Error)]
pub enum MailerError {
    #[error("invalid SMTP settings: {0}")]
    Settings(String),
    #[error("cannot create the mail folder {}", folder.display())]
    Folder { folder: PathBuf, source: std::io::Error },
    #[error("cannot build the message: {0}")]
    Message(String),
    // lettre's errors print their own cause in their message and name it as their source as
    // well: kept out of the source chain here, so a chain printer shows that cause once.
    #[error("SMTP delivery failed: {0}")]
    Smtp(lettre::transport::smtp::Error),
    #[error("writing the message to the mail folder failed: {0}")]
    File(lettre::transport::file::Error),
}

impl MailerError {
    /// Whether trying again later may succeed.
    pub fn is_transient(&self) -> bool {
        match self {
            MailerError::Smtp(error) => !error.is_permanent(),
            // A full disk or a folder without write permission can be fixed while the mail waits.
            MailerError::File(_) => true,
            MailerError::Settings(_) | MailerError::Folder { .. } | MailerError::Message(_) => false,
        }
    }
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Folder(AsyncFileTransport<Tokio1Executor>),
}

pub struct Mailer {
    transport: Transport,
    sender: Mailbox,
    /// Where mail goes, for the start-up log: the SMTP relay or the folder.
    destination: String,
}

impl Mailer {
    /// Over SMTP when `settings` name a host, else into `mail_dir`, which is created if missing.
    pub fn from_settings(settings: &SmtpSettings, mail_dir: Option<&Path>) -> Result<Mailer, MailerError> {
        let sender: Mailbox =
            settings.sender.parse().map_err(|e| MailerError::Settings(format!("sender `{}`: {e}", settings.sender)))?;
        let (transport, destination) = match (settings.host.as_deref(), mail_dir) {
            (Some(host), _) => (Transport::Smtp(smtp(settings, host)?), format!("SMTP relay {host}:{}", settings.port)),
            (None, Some(folder)) => {
                std::fs::create_dir_all(folder)
                    .map_err(|source| MailerError::Folder { folder: folder.to_owned(), source })?;
                (Transport::Folder(AsyncFileTransport::new(folder)), format!(".eml files in {}", folder.display()))
            }
            (None, None) => return Err(MailerError::Settings("neither an SMTP host nor a mail folder".into())),
        };
        Ok(Mailer { transport, sender, destination })
    }

    pub fn sender(&self) -> &Mailbox {
        &self.sender
    }

    pub fn destination(&self) -> &str {
        &self.destination
    }

    pub async fn send(&self, message: Message) -> Result<(), MailerError> {
        match &self.transport {
            Transport::Smtp(transport) => {
                transport.send(message).await.map_err(MailerError::Smtp)?;
            }
            Transport::Folder(transport) => {
                transport.send(message).await.map_err(MailerError::File)?;
            }
        }
        Ok(())
    }
}

fn smtp(settings: &SmtpSettings, host: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, MailerError> {
    let builder = match settings.tls {
        SmtpTls::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        SmtpTls::Starttls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(MailerError::Smtp)?,
        SmtpTls::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(MailerError::Smtp)?,
    };
    let mut builder = builder.port(settings.port).timeout(Some(Duration::from_secs(settings.timeout_secs)));
    if let (Some(username), Some(password)) = (&settings.username, &settings.password) {
        builder = builder.credentials(Credentials::new(username.clone(), password.expose().to_owned()));
    }
    Ok(builder.build())
}
