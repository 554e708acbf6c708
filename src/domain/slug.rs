//! A URL segment that can only hold lowercase letters, digits and single hyphens.

use std::fmt;

/// A URL segment: lowercase ASCII letters and digits in groups joined by single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SlugError {
    #[error("a slug cannot be empty")]
    Empty,
    #[error("a slug is at most {max} characters long, this one has {len}", max = Slug::MAX_LEN)]
    TooLong { len: usize },
    #[error("`{0}` is not a slug: use lowercase letters a-z, digits and single hyphens between them")]
    Malformed(String),
}

impl Slug {
    pub const MAX_LEN: usize = 80;

    pub fn parse(s: &str) -> Result<Slug, SlugError> {
        if s.is_empty() {
            return Err(SlugError::Empty);
        }
        if s.len() > Self::MAX_LEN {
            return Err(SlugError::TooLong { len: s.len() });
        }
        let well_formed = s
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        if well_formed { Ok(Slug(s.to_owned())) } else { Err(SlugError::Malformed(s.to_owned())) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for Slug {
    type Err = SlugError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Slug::parse(s)
    }
}

impl TryFrom<String> for Slug {
    type Error = SlugError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Slug::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(slug: Slug) -> String {
        slug.0
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_slugs_are_accepted() {
        for ok in ["backend-developer", "a", "ux-ui-designer", "web3", "x-1-y"] {
            assert_eq!(Slug::parse(ok).map(|s| s.to_string()), Ok(ok.to_owned()));
        }
    }

    #[test]
    fn malformed_slugs_are_rejected_with_the_reason() {
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        for bad in ["Backend", "back--end", "-back", "back-", "back end", "über", "a_b", "a/b"] {
            assert!(matches!(Slug::parse(bad), Err(SlugError::Malformed(_))), "{bad}");
        }
        assert!(matches!(Slug::parse(&"a".repeat(81)), Err(SlugError::TooLong { len: 81 })));
    }
}
