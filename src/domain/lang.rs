//! The languages the site is published in.

use std::fmt;
use std::str::FromStr;

use super::stored_code::stored_codes;

stored_codes! {
    /// A language the site is published in.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Lang {
        En = "en",
        De = "de",
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown language `{0}`: use \"en\" or \"de\"")]
pub struct LangError(pub String);

impl Lang {
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::De,
            Lang::De => Lang::En,
        }
    }
}

impl FromStr for Lang {
    type Err = LangError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::from_code(s).ok_or_else(|| LangError(s.to_owned()))
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_codes_round_trip_and_others_are_rejected() {
        for lang in Lang::ALL {
            assert_eq!(lang.code().parse::<Lang>(), Ok(lang));
        }
        assert!("EN".parse::<Lang>().is_err());
        assert!("fr".parse::<Lang>().is_err());
    }
}
