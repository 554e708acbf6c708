//! The lead store: hiring requests, their outbox (mails and webhook deliveries), and the staff's
//! work on them. Everything the rest of the application does with leads goes through this module, which alone
//! knows whether the store is SQLite or PostgreSQL.

mod connection;
mod erasure;
mod inbox;
mod location;
mod outbox;
mod sql;
mod store;
mod views;
mod webhooks;

pub use connection::{LeadConnection, LeadPool, WRITE_LOCK, check_reachable, connect_leads, is_unreachable};
pub(crate) use connection::{WriteLock, write_transaction};
pub use location::{LeadsDatabase, PostgresUrl};

pub use erasure::{Erased, erase_email, erase_lead, erase_older_than};
pub use inbox::{
    Event, Note, Retry, RetryTarget, StatusChange, add_note, all_leads, change_status, events, leads_since, list_leads,
    notes, retry_delivery,
};
pub use outbox::{
    ClaimedNotification, OutboxCounts, Outcome, WorkerId, claim_due, mail_state, mark_attempt_failed, mark_sent,
    notification_state, outbox_counts, outbox_counts_by_kind, record_outcomes,
};
pub use store::{Recipient, Stored, Submission, find_by_submission, find_lead, recent_leads, store_leads};
pub use views::{add_views, profile_stats};
pub use webhooks::{WebhookDelivery, webhook_deliveries};

use crate::domain::LeadId;

#[derive(Debug, thiserror::Error)]
pub enum LeadStoreError {
    #[error("lead query failed")]
    Query(#[from] diesel::result::Error),
    #[error("stored lead {id} is inconsistent: {problem}")]
    Corrupt { id: LeadId, problem: String },
    #[error("stored page views or leads name no profile or language: {0}")]
    CorruptStats(String),
}
