//! The traps that mark a hiring request as spam without telling its sender.

use crate::domain::stored_code::stored_codes;

stored_codes! {
    /// Why a request was stored as spam rather than passed on.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum SpamReason {
        /// The hidden field that people never see was filled in.
        Honeypot = "honeypot",
        /// The form came back faster than a person can fill it in.
        TooFast = "too_fast",
    }
}

impl SpamReason {
    /// A filled honeypot, or a form sent back sooner than `min_fill` after it was shown.
    pub fn classify(honeypot: &str, time_to_fill: time::Duration, min_fill: std::time::Duration) -> Option<SpamReason> {
        if !honeypot.trim().is_empty() {
            Some(SpamReason::Honeypot)
        } else if time_to_fill < min_fill {
            Some(SpamReason::TooFast)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn honeypot_and_fill_time_decide_spam() {
        use std::time::Duration as Std;
        let slow = time::Duration::seconds(10);
        assert_eq!(SpamReason::classify("", slow, Std::from_secs(3)), None);
        assert_eq!(SpamReason::classify("http://x", slow, Std::from_secs(3)), Some(SpamReason::Honeypot));
        assert_eq!(SpamReason::classify("", time::Duration::seconds(1), Std::from_secs(3)), Some(SpamReason::TooFast));
    }
}
