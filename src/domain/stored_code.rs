//! Enums kept as short text codes in the store, forms and content files: one macro writes each
//! enum with its codes, so a variant's code is written once and read back by the same table.

/// An enum whose variants are written as the given codes, with `ALL` (in declaration order),
/// `code()` and `from_code()`. The codes are in existing databases: never change one. A code
/// given twice does not compile, because its second arm in `from_code` cannot be reached.
macro_rules! stored_codes {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$variant_meta])* $variant ),+
        }

        impl $name {
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self {
                    $( $name::$variant => $code ),+
                }
            }

            #[deny(unreachable_patterns)]
            pub fn from_code(code: &str) -> Option<$name> {
                match code {
                    $( $code => Some($name::$variant), )+
                    _ => None,
                }
            }
        }
    };
}

pub(crate) use stored_codes;

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::fmt::Debug;

    use crate::domain::lead::{Engagement, EventKind, LeadStatus, OutboxKind, OutboxState, SpamReason, WorkMode};
    use crate::domain::{Currency, Lang, Level, SalaryPeriod, SkillKind};

    /// Every variant reads back from its code, no two share one, nothing else is read as a
    /// variant, and the codes are exactly those existing databases hold.
    fn assert_codes<T: Copy + PartialEq + Debug>(
        all: &[T],
        code: fn(T) -> &'static str,
        from_code: fn(&str) -> Option<T>,
        stored: &[&str],
    ) {
        for &variant in all {
            assert_eq!(from_code(code(variant)), Some(variant), "{variant:?} does not read back from its code");
        }
        let codes: Vec<&str> = all.iter().map(|&variant| code(variant)).collect();
        assert_eq!(codes.iter().collect::<HashSet<_>>().len(), codes.len(), "codes given twice: {codes:?}");
        assert_eq!(codes, stored, "a stored code changed");
        let other_case =
            if stored[0] == stored[0].to_uppercase() { stored[0].to_lowercase() } else { stored[0].to_uppercase() };
        for other in ["", "unknown", &other_case] {
            assert_eq!(from_code(other), None, "`{other}` is read as a variant");
        }
    }

    #[test]
    fn every_stored_code_reads_back_as_its_variant_and_matches_existing_databases() {
        assert_codes(&Lang::ALL, Lang::code, Lang::from_code, &["en", "de"]);
        assert_codes(&Currency::ALL, Currency::code, Currency::from_code, &["EUR", "USD", "GBP", "CHF"]);
        assert_codes(
            &SalaryPeriod::ALL,
            SalaryPeriod::code,
            SalaryPeriod::from_code,
            &["year", "month", "day", "hour"],
        );
        assert_codes(&Level::ALL, Level::code, Level::from_code, &["junior", "mid", "senior", "lead"]);
        assert_codes(
            &crate::domain::Engagement::ALL,
            crate::domain::Engagement::code,
            crate::domain::Engagement::from_code,
            &["employee", "freelance"],
        );
        assert_codes(&SkillKind::ALL, SkillKind::code, SkillKind::from_code, &["hard", "soft"]);
        assert_codes(
            &LeadStatus::ALL,
            LeadStatus::code,
            LeadStatus::from_code,
            &["new", "contacted", "qualified", "won", "lost", "spam"],
        );
        assert_codes(&SpamReason::ALL, SpamReason::code, SpamReason::from_code, &["honeypot", "too_fast"]);
        assert_codes(&Engagement::ALL, Engagement::code, Engagement::from_code, &["freelance", "permanent", "either"]);
        assert_codes(&WorkMode::ALL, WorkMode::code, WorkMode::from_code, &["remote", "onsite", "hybrid"]);
        assert_codes(
            &EventKind::ALL,
            EventKind::code,
            EventKind::from_code,
            &["status", "note", "retry", "webhook-retry"],
        );
        assert_codes(&OutboxState::ALL, OutboxState::code, OutboxState::from_code, &["pending", "sent", "failed"]);
        assert_codes(
            &OutboxKind::ALL,
            OutboxKind::code,
            OutboxKind::from_code,
            &["notification", "confirmation", "webhook"],
        );
    }
}
