//! `serve --dev`: what open pages learn about content loads, so an editor's browser follows
//! the editor. Only the latest state matters (a page that missed two publishes reloads once), so
//! it is a watch channel, not a queue.

use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::watch;

/// What the content folder last gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentEvent {
    /// A publish finished; the number only tells successive publishes apart.
    Published(u64),
    /// The folder has errors (the report `check` prints); the last good version is served.
    Broken(String),
}

/// Present only under `--dev`.
#[derive(Debug)]
pub struct LiveReload {
    sender: watch::Sender<ContentEvent>,
    publishes: AtomicU64,
}

impl Default for LiveReload {
    fn default() -> Self {
        LiveReload { sender: watch::Sender::new(ContentEvent::Published(0)), publishes: AtomicU64::new(0) }
    }
}

impl LiveReload {
    pub fn published(&self) {
        let serial = self.publishes.fetch_add(1, Ordering::Relaxed) + 1;
        self.sender.send_replace(ContentEvent::Published(serial));
    }

    pub fn broken(&self, report: String) {
        self.sender.send_replace(ContentEvent::Broken(report));
    }

    pub fn subscribe(&self) -> watch::Receiver<ContentEvent> {
        self.sender.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subscriber_sees_the_latest_event_and_successive_publishes_differ() {
        let live = LiveReload::default();
        let mut receiver = live.subscribe();
        live.published();
        let first = receiver.borrow_and_update().clone();
        live.broken("profiles/en/a.md:3:1: error".to_owned());
        live.published();
        assert!(receiver.has_changed().expect("open"));
        let second = receiver.borrow_and_update().clone();
        assert!(matches!(first, ContentEvent::Published(_)));
        assert!(matches!(second, ContentEvent::Published(_)));
        assert_ne!(first, second);
    }
}
