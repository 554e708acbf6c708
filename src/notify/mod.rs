//! Tells contact persons about new leads: a background worker drains the outbox over SMTP,
//! retrying with backoff, so a notification survives a mail server outage and a restart.

mod mailer;
mod message;

use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;
use tokio::sync::Notify;

pub use mailer::{Mailer, MailerError};

use crate::configuration::LeadSettings;
use crate::db::leads::LeadPool;
use crate::db::leads::{self, ClaimedNotification};
use crate::domain::paths;

const BATCH: i64 = 20;

pub struct OutboxWorker {
    pool: LeadPool,
    mailer: Option<Mailer>,
    wake: Arc<Notify>,
    settings: LeadSettings,
    /// Public origin for links to the admin area.
    base_url: String,
}

impl OutboxWorker {
    pub fn new(
        pool: LeadPool,
        mailer: Option<Mailer>,
        wake: Arc<Notify>,
        settings: LeadSettings,
        base_url: String,
    ) -> Self {
        OutboxWorker { pool, mailer, wake, settings, base_url }
    }

    /// Runs until the runtime shuts down.
    pub async fn run(self) {
        let Some(mailer) = &self.mailer else {
            tracing::warn!("SMTP is not configured: lead notifications are kept in the outbox and not sent");
            return;
        };
        let poll = Duration::from_millis(self.settings.outbox_poll_ms.max(10));
        loop {
            if let Err(error) = self.drain(mailer).await {
                tracing::error!(error = format!("{error:#}"), "outbox pass failed");
            }
            tokio::select! {
                () = self.wake.notified() => {}
                () = tokio::time::sleep(poll) => {}
            }
        }
    }

    async fn drain(&self, mailer: &Mailer) -> anyhow::Result<()> {
        loop {
            let pool = self.pool.clone();
            let lease = time::Duration::seconds(i64::try_from(self.settings.outbox_lease_secs).unwrap_or(i64::MAX));
            let claimed = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
                let mut conn = pool.get()?;
                Ok(leads::claim_due(&mut conn, OffsetDateTime::now_utc(), lease, BATCH)?)
            })
            .await??;
            if claimed.is_empty() {
                return Ok(());
            }
            for notification in claimed {
                self.deliver(mailer, notification).await?;
            }
        }
    }

    #[tracing::instrument(name = "outbox_delivery", skip_all)]
    async fn deliver(&self, mailer: &Mailer, notification: ClaimedNotification) -> anyhow::Result<()> {
        let pool = self.pool.clone();
        let lead_id = notification.lead_id;
        let lead = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let mut conn = pool.get()?;
            Ok(leads::find_lead(&mut conn, lead_id)?)
        })
        .await??;
        let outcome = match lead {
            Some(lead) => {
                let admin_url = format!("{}{}", self.base_url, paths::admin::lead(lead.id));
                match message::lead_notification(&lead, &notification.recipient, &admin_url, mailer.sender()) {
                    Ok(email) => mailer.send(email).await,
                    Err(error) => Err(error),
                }
            }
            None => Err(MailerError::Message("the lead no longer exists".into())),
        };
        let attempt = u32::try_from(notification.attempts).unwrap_or(0) + 1;
        let outbox_id = notification.outbox_id;
        let retry_at = match &outcome {
            Ok(()) => {
                tracing::info!(lead_id = lead_id.get(), outbox_id = outbox_id.get(), "lead notification sent");
                None
            }
            Err(error) if attempt < self.settings.outbox_max_attempts && error.is_transient() => {
                let delay = self.backoff(attempt);
                tracing::warn!(lead_id = lead_id.get(), outbox_id = outbox_id.get(), attempt, retry_in_ms = delay.as_millis() as u64, error = %error, "lead notification failed, will retry");
                Some(OffsetDateTime::now_utc() + delay)
            }
            Err(error) => {
                tracing::error!(lead_id = lead_id.get(), outbox_id = outbox_id.get(), attempt, error = %error, "lead notification failed for good");
                None
            }
        };
        let pool = self.pool.clone();
        let error_text = outcome.as_ref().err().map(ToString::to_string);
        tokio::task::spawn_blocking(move || -> anyhow::Result<()> {
            let mut conn = pool.get()?;
            match error_text {
                None => leads::mark_sent(&mut conn, outbox_id, OffsetDateTime::now_utc())?,
                Some(error) => leads::mark_attempt_failed(&mut conn, outbox_id, &error, retry_at)?,
            }
            Ok(())
        })
        .await??;
        Ok(())
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.settings.outbox_retry_base_ms;
        let factor = 1u64.checked_shl(attempt.saturating_sub(1).min(32)).unwrap_or(u64::MAX);
        Duration::from_millis(base.saturating_mul(factor).min(self.settings.outbox_retry_max_ms))
    }
}
