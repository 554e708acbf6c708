//! Tells contact persons about new leads, confirms to companies that their request arrived, and
//! POSTs leads to CRM webhooks: a background worker drains the outbox over SMTP (or into the mail
//! folder) and HTTP, retrying with backoff, so a delivery survives an outage and a restart.
//!
//! Each worker claims a batch of due notifications in its own name with a lease, so the workers
//! of several instances on one database share the outbox and never send one notification at
//! the same time. Delivery is at least once: a worker that dies after the mail server (or the
//! webhook) took a batch's messages but before their outcomes were recorded leaves its claims,
//! and another worker sends those notifications again once the lease has ended. A worker that is
//! stopped (the server shuts down gracefully) gives back what it holds and has not sent, so
//! another instance sends it at once instead of waiting for the lease.

mod mailer;
mod message;
mod webhook;

use std::time::Duration;

use actix_web::web;
use time::OffsetDateTime;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

pub use mailer::{Mailer, MailerError};
use message::Signature;
pub use webhook::{WebhookError, WebhookPoster};

use crate::configuration::LeadSettings;
use crate::db::leads::{self, ClaimedNotification, Outcome, WorkerId};
use crate::domain::lead::{Lead, OutboxKind};
use crate::domain::paths;
use crate::domain::{Lang, OutboxId};
use crate::state::AppState;

/// Why one outbox row was not delivered this time.
#[derive(Debug, thiserror::Error)]
enum DeliveryError {
    #[error(transparent)]
    Mail(#[from] MailerError),
    #[error(transparent)]
    Webhook(#[from] WebhookError),
    #[error("the lead no longer exists")]
    LeadGone,
    /// Abandoned so that the row's lease does not end while it may still go out.
    #[error("the send took longer than half the outbox lease")]
    OutlastedLease,
}

impl DeliveryError {
    fn is_transient(&self) -> bool {
        match self {
            DeliveryError::Mail(error) => error.is_transient(),
            DeliveryError::Webhook(error) => error.is_transient(),
            DeliveryError::OutlastedLease => true,
            DeliveryError::LeadGone => false,
        }
    }
}

/// The outbox worker's task, and the way to stop it.
pub struct RunningOutboxWorker {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl RunningOutboxWorker {
    /// Stops the worker and waits until the notifications it held are recorded: sent, or given
    /// back untried for any worker to take at once.
    pub async fn stop(self) {
        // Fails only when the worker has ended already.
        let _ = self.stop.send(true);
        if let Err(error) = self.task.await {
            tracing::error!(error = %error, "the outbox worker ended abnormally");
        }
    }
}

/// Whether the worker has been asked to stop; a dropped handle asks too.
struct Stopping(watch::Receiver<bool>);

impl Stopping {
    fn requested(&self) -> bool {
        *self.0.borrow() || self.0.has_changed().is_err()
    }

    /// Returns once a stop is asked for.
    async fn wait(&mut self) {
        // An error means the handle was dropped, which asks for a stop as well.
        let _ = self.0.wait_for(|stop| *stop).await;
    }
}

/// How many due notifications a worker claims at once. Other instances' workers claim the rows
/// after these meanwhile, so a backlog is shared, and a crash sends at most this many twice.
pub const CLAIM_BATCH: usize = 32;

pub struct OutboxWorker {
    /// The lead store, the wake-up call of new leads, and the site that names the contact persons.
    state: web::Data<AppState>,
    mailer: Mailer,
    /// Posts to the CRM webhooks; `None` when none is configured.
    webhooks: Option<WebhookPoster>,
    settings: LeadSettings,
    /// The name this worker's claims are made in, new at every start.
    id: WorkerId,
}

impl OutboxWorker {
    pub fn new(
        state: web::Data<AppState>,
        mailer: Mailer,
        webhooks: Option<WebhookPoster>,
        settings: LeadSettings,
    ) -> Self {
        OutboxWorker { state, mailer, webhooks, settings, id: WorkerId::random() }
    }

    /// Runs the worker on the runtime until it is stopped through the returned handle (or the
    /// handle is dropped).
    pub fn spawn(self) -> RunningOutboxWorker {
        let (stop, stopping) = watch::channel(false);
        RunningOutboxWorker { stop, task: tokio::spawn(self.run(Stopping(stopping))) }
    }

    async fn run(self, mut stopping: Stopping) {
        tracing::info!(worker = %self.id, lease_ms = self.settings.outbox_lease_ms, "outbox worker started");
        let poll = Duration::from_millis(self.settings.outbox_poll_ms.max(10));
        while !stopping.requested() {
            if let Err(error) = self.drain(&mut stopping).await {
                tracing::error!(error = format!("{error:#}"), "outbox pass failed");
            }
            tokio::select! {
                () = self.state.outbox_wake.notified() => {}
                () = tokio::time::sleep(poll) => {}
                () = stopping.wait() => {}
            }
        }
        tracing::info!(worker = %self.id, "outbox worker stopped");
    }

    fn lease(&self) -> Duration {
        Duration::from_millis(self.settings.outbox_lease_ms)
    }

    /// How long a claimed notification may take to send. The other half of the lease covers the
    /// difference between instances' clocks and the database round trips, so no other worker
    /// takes a notification over while it may still be on its way out.
    fn send_limit(&self) -> Duration {
        self.lease() / 2
    }

    /// Claims due notifications a batch at a time and sends them one after another, recording
    /// the batch's outcomes together: the lead store flushes to disk twice per batch rather than
    /// twice per mail. A batch is what a crash may send twice (at least once, never lost).
    ///
    /// A stop abandons the send under way and gives it back with the rest of the batch, untried:
    /// a mail server that does not answer would otherwise keep the claims until the lease ends.
    /// The abandoned send may have reached the mail server, and then goes out twice (at least once).
    async fn drain(&self, stopping: &mut Stopping) -> anyhow::Result<()> {
        while !stopping.requested() {
            let (pool, id) = (self.state.leads.clone(), self.id.clone());
            let lease = time::Duration::try_from(self.lease())?;
            let claimed_at = Instant::now();
            let claimed = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
                let mut conn = pool.get()?;
                Ok(leads::claim_due(&mut conn, &id, OffsetDateTime::now_utc(), lease, CLAIM_BATCH)?)
            })
            .await??;
            if claimed.is_empty() {
                return Ok(());
            }
            let send_by = claimed_at + self.send_limit();
            // A send begun late in the batch would be cut off at `send_by` while the mail server
            // may already have taken the mail, which would then go out twice: none begins after
            // half the time, so each has at least a quarter of the lease.
            let start_by = claimed_at + self.send_limit() / 2;
            let mut outcomes = Vec::with_capacity(claimed.len());
            for notification in claimed {
                if let Some(previous) = &notification.taken_over_from {
                    tracing::warn!(
                        lead_id = notification.lead_id.get(),
                        outbox_id = notification.outbox_id.get(),
                        previous_worker = previous.as_str(),
                        "took over a notification whose worker's lease ran out; it may have been sent already"
                    );
                }
                // What is left when the batch's time is up goes back untried, for the next claim.
                let outcome = if stopping.requested() || Instant::now() >= start_by {
                    Outcome::Released
                } else {
                    tokio::select! {
                        outcome = self.deliver(&notification, send_by) => outcome,
                        () = stopping.wait() => Outcome::Released,
                    }
                };
                outcomes.push((notification, outcome));
            }
            self.record(outcomes).await?;
        }
        Ok(())
    }

    #[tracing::instrument(name = "outbox_delivery", skip_all)]
    async fn deliver(&self, notification: &ClaimedNotification, send_by: Instant) -> Outcome {
        let pool = self.state.leads.clone();
        let lead_id = notification.lead_id;
        let outbox_id = notification.outbox_id;
        let kind = notification.kind.code();
        let found = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
            let mut conn = pool.get()?;
            Ok(leads::find_lead(&mut conn, lead_id)?)
        })
        .await
        .map_err(anyhow::Error::from)
        .and_then(|found| found);
        let lead = match found {
            Ok(lead) => lead,
            Err(error) => {
                tracing::error!(
                    lead_id = lead_id.get(),
                    outbox_id = outbox_id.get(),
                    error = format!("{error:#}"),
                    "reading the lead of a delivery failed; it waits for the next claim"
                );
                return Outcome::Released;
            }
        };
        let sent = match lead {
            Some(lead) => tokio::time::timeout_at(send_by, self.send(&lead, notification))
                .await
                .unwrap_or(Err(DeliveryError::OutlastedLease)),
            None => Err(DeliveryError::LeadGone),
        };
        let attempt = u32::try_from(notification.attempts).unwrap_or(0) + 1;
        match sent {
            Ok(()) => {
                tracing::info!(lead_id = lead_id.get(), outbox_id = outbox_id.get(), kind, "lead delivered");
                Outcome::Sent { at: OffsetDateTime::now_utc() }
            }
            Err(error) if attempt < self.settings.outbox_max_attempts && error.is_transient() => {
                let delay = self.backoff(attempt);
                tracing::warn!(lead_id = lead_id.get(), outbox_id = outbox_id.get(), kind, attempt, retry_in_ms = delay.as_millis() as u64, error = %error, "lead delivery failed, will retry");
                Outcome::Failed { error: error.to_string(), retry_at: Some(OffsetDateTime::now_utc() + delay) }
            }
            Err(error) => {
                tracing::error!(lead_id = lead_id.get(), outbox_id = outbox_id.get(), kind, attempt, error = %error, "lead delivery failed for good");
                Outcome::Failed { error: error.to_string(), retry_at: None }
            }
        }
    }

    /// Records a batch's outcomes in one transaction.
    async fn record(&self, outcomes: Vec<(ClaimedNotification, Outcome)>) -> anyhow::Result<()> {
        let (pool, id) = (self.state.leads.clone(), self.id.clone());
        let rows: Vec<(OutboxId, Outcome)> =
            outcomes.iter().map(|(n, outcome)| (n.outbox_id, outcome.clone())).collect();
        let recorded = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<bool>> {
            let mut conn = pool.get()?;
            Ok(leads::record_outcomes(&mut conn, &id, &rows)?)
        })
        .await??;
        for ((notification, _), recorded) in outcomes.iter().zip(recorded) {
            if !recorded {
                tracing::warn!(
                    lead_id = notification.lead_id.get(),
                    outbox_id = notification.outbox_id.get(),
                    "another worker took this notification over before its outcome was recorded"
                );
            }
        }
        Ok(())
    }

    /// Sends what an outbox row stands for: its mail, or the lead to its webhook.
    async fn send(&self, lead: &Lead, notification: &ClaimedNotification) -> Result<(), DeliveryError> {
        if notification.kind == OutboxKind::Webhook {
            let poster = self.webhooks.as_ref().ok_or(WebhookError::NotConfigured)?;
            let url = notification.webhook_url.as_deref().ok_or(WebhookError::Url("none stored".into()))?;
            let body = self.webhook_body(lead)?;
            return Ok(poster.post(url, lead.id.get(), body).await?);
        }
        let recipient = notification.recipient.as_deref().ok_or(MailerError::Message("no recipient stored".into()))?;
        let email = self.message(lead, notification.kind, recipient)?;
        Ok(self.mailer.send(email).await?)
    }

    /// The lead as JSON, with the title and address its profile has on the site now.
    fn webhook_body(&self, lead: &Lead) -> Result<Vec<u8>, WebhookError> {
        let site = self.state.site.current();
        let shown = lead.attribution.profile.as_ref().zip(lead.attribution.page_lang);
        let profile = shown.and_then(|(slug, lang)| site.profile(lang, slug));
        webhook::payload(
            lead,
            &webhook::ProfileRef {
                title: profile.map(|p| p.title.as_str()),
                url: profile.map(|p| format!("{}{}", site.settings.base_url, paths::profile(p.lang, &p.slug))),
            },
        )
    }

    /// The mail an outbox row stands for, with the links and names of the site as it is now.
    fn message(&self, lead: &Lead, kind: OutboxKind, recipient: &str) -> Result<lettre::Message, MailerError> {
        let site = self.state.site.current();
        match kind {
            OutboxKind::Notification => {
                let admin_url = format!("{}{}", site.settings.base_url, paths::admin::lead(lead.id));
                message::lead_notification(lead, recipient, &admin_url, self.mailer.sender())
            }
            OutboxKind::Confirmation => {
                let lang = lead.attribution.page_lang.unwrap_or(Lang::En);
                let person = lead.contact_person_id.as_ref().and_then(|id| site.person(id));
                let signature = Signature {
                    name: person.map_or_else(|| lead.contact_person_name.clone(), |p| p.name.clone()),
                    role: person.map(|p| p.text(lang).role.clone()),
                    site: site.settings.name.clone(),
                    site_url: site.settings.base_url.clone(),
                };
                message::confirmation(lead, recipient, &signature, self.mailer.sender())
            }
            OutboxKind::Webhook => Err(MailerError::Message("a webhook delivery is no mail".into())),
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let base = self.settings.outbox_retry_base_ms;
        let factor = 1u64.checked_shl(attempt.saturating_sub(1).min(32)).unwrap_or(u64::MAX);
        Duration::from_millis(base.saturating_mul(factor).min(self.settings.outbox_retry_max_ms))
    }
}
