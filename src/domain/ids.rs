//! The ids the store gives its records, one type per table, so a lead's id cannot be passed
//! where an outbox row's or a staff member's is expected. The store numbers them; only `db`
//! (and what reads an id back from a URL or a cookie) makes one from a number.

use std::fmt;
use std::num::ParseIntError;
use std::str::FromStr;

macro_rules! record_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(i64);

        impl $name {
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> $name {
                $name(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

record_id! {
    /// A hiring request, as numbered in `leads`; it is the number in `/admin/leads/{id}` and the
    /// CSV export.
    LeadId
}

record_id! {
    /// A notification waiting, sent or given up in `outbox`.
    OutboxId
}

record_id! {
    /// A staff account in `admin_users`.
    AdminUserId
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_and_parse_as_the_bare_number_urls_and_cookies_carry() {
        assert_eq!(LeadId::from(42).to_string(), "42");
        assert_eq!("42".parse::<LeadId>(), Ok(LeadId::from(42)));
        assert!("4x".parse::<AdminUserId>().is_err());
        let from_path: OutboxId = serde_json::from_str("7").expect("a number");
        assert_eq!(from_path.get(), 7);
    }
}
