//! What staff do with a lead, and what the site did for it: notification states and the
//! kinds of recorded changes.

use crate::domain::stored_code::stored_codes;

stored_codes! {
    /// A row of the notification outbox as stored: still to send, sent, or given up.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum OutboxState {
        Pending = "pending",
        Sent = "sent",
        Failed = "failed",
    }
}

stored_codes! {
    /// What an outbox row delivers: the notification to the contact person, the confirmation
    /// to the company that sent the lead (at most one of each per lead), or the lead POSTed to a
    /// CRM's webhook (one per lead and URL).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum OutboxKind {
        Notification = "notification",
        Confirmation = "confirmation",
        Webhook = "webhook",
    }
}

/// Where a lead's notification e-mail stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotificationState {
    /// Not tried yet (or no mail server is configured).
    Waiting,
    /// Tried and failed `failed_attempts` times; tried again later.
    Retrying {
        failed_attempts: u32,
    },
    Sent {
        attempts: u32,
    },
    Failed {
        attempts: u32,
    },
}

impl NotificationState {
    pub fn from_stored(state: OutboxState, attempts: u32) -> NotificationState {
        match state {
            OutboxState::Pending if attempts == 0 => NotificationState::Waiting,
            OutboxState::Pending => NotificationState::Retrying { failed_attempts: attempts },
            OutboxState::Sent => NotificationState::Sent { attempts },
            OutboxState::Failed => NotificationState::Failed { attempts },
        }
    }

    /// Staff may send it again once it has failed at least once.
    pub fn can_retry(self) -> bool {
        matches!(self, NotificationState::Retrying { .. } | NotificationState::Failed { .. })
    }
}

stored_codes! {
    /// A recorded change to a lead.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum EventKind {
        Status = "status",
        Note = "note",
        Retry = "retry",
        /// Staff sent a lead to a webhook again; the event's values are the state it was in and the URL.
        WebhookRetry = "webhook-retry",
    }
}
