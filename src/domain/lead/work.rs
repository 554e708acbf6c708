//! What staff do with a lead, and what the site did for it: notification states and the
//! kinds of recorded changes.

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
    pub fn from_stored(state: &str, attempts: u32) -> Option<NotificationState> {
        match state {
            "pending" if attempts == 0 => Some(NotificationState::Waiting),
            "pending" => Some(NotificationState::Retrying { failed_attempts: attempts }),
            "sent" => Some(NotificationState::Sent { attempts }),
            "failed" => Some(NotificationState::Failed { attempts }),
            _ => None,
        }
    }

    /// Staff may send it again once it has failed at least once.
    pub fn can_retry(self) -> bool {
        matches!(self, NotificationState::Retrying { .. } | NotificationState::Failed { .. })
    }
}

/// A recorded change to a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    Status,
    Note,
    Retry,
}

impl EventKind {
    pub fn code(self) -> &'static str {
        match self {
            EventKind::Status => "status",
            EventKind::Note => "note",
            EventKind::Retry => "retry",
        }
    }

    pub fn from_code(code: &str) -> Option<EventKind> {
        [EventKind::Status, EventKind::Note, EventKind::Retry].into_iter().find(|k| k.code() == code)
    }
}
