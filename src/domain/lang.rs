//! The languages the site is published in, and the public paths each one uses.

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

    /// The path every URL of this language starts with; English lives at the root.
    pub fn home_path(self) -> &'static str {
        match self {
            Lang::En => "/",
            Lang::De => "/de",
        }
    }

    pub fn profiles_path(self) -> &'static str {
        match self {
            Lang::En => "/profiles",
            Lang::De => "/de/profile",
        }
    }

    pub fn profile_path(self, slug: &super::Slug) -> String {
        format!("{}/{}", self.profiles_path(), slug)
    }

    pub fn page_path(self, slug: &super::Slug) -> String {
        match self {
            Lang::En => format!("/{slug}"),
            Lang::De => format!("/de/{slug}"),
        }
    }

    pub fn contact_path(self) -> &'static str {
        match self {
            Lang::En => "/contact",
            Lang::De => "/de/kontakt",
        }
    }

    pub fn search_path(self) -> &'static str {
        match self {
            Lang::En => "/search",
            Lang::De => "/de/suche",
        }
    }

    pub fn feed_path(self) -> &'static str {
        match self {
            Lang::En => "/feed.xml",
            Lang::De => "/de/feed.xml",
        }
    }

    /// The language a path belongs to, judged by its prefix.
    pub fn of_path(path: &str) -> Lang {
        if path == "/de" || path.starts_with("/de/") { Lang::De } else { Lang::En }
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

    #[test]
    fn german_paths_are_recognised_by_prefix_only() {
        assert_eq!(Lang::of_path("/de"), Lang::De);
        assert_eq!(Lang::of_path("/de/profile/x"), Lang::De);
        assert_eq!(Lang::of_path("/design"), Lang::En);
        assert_eq!(Lang::of_path("/profiles/x"), Lang::En);
    }
}
