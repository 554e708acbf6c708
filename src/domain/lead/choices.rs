//! The choices a hiring request offers: headcount, engagement and work mode.

use std::str::FromStr;

use super::FieldError;
use crate::domain::stored_code::stored_codes;

/// How many people the company wants to hire: 1 to 99.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Headcount(u32);

impl Headcount {
    pub const MAX: u32 = 99;

    pub fn parse(input: &str) -> Result<Headcount, FieldError> {
        let out_of_range = FieldError::OutOfRange { min: 1, max: Self::MAX };
        match input.trim() {
            "" => Err(FieldError::Required),
            text => match text.parse::<u32>() {
                Ok(n) if (1..=Self::MAX).contains(&n) => Ok(Headcount(n)),
                _ => Err(out_of_range),
            },
        }
    }

    pub(crate) fn from_stored(n: u32) -> Headcount {
        Headcount(n)
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

stored_codes! {
    /// The kind of engagement the company has in mind.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Engagement {
        Freelance = "freelance",
        Permanent = "permanent",
        Either = "either",
    }
}

impl FromStr for Engagement {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "" => Err(FieldError::Required),
            _ => Engagement::from_code(s).ok_or(FieldError::InvalidChoice),
        }
    }
}

stored_codes! {
    /// Where the person would work.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum WorkMode {
        Remote = "remote",
        OnSite = "onsite",
        Hybrid = "hybrid",
    }
}

impl WorkMode {
    /// On-site and hybrid work happen somewhere: the form asks where.
    pub fn needs_location(self) -> bool {
        !matches!(self, WorkMode::Remote)
    }
}

impl FromStr for WorkMode {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "" => Err(FieldError::Required),
            _ => WorkMode::from_code(s).ok_or(FieldError::InvalidChoice),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_accept_only_their_codes() {
        assert_eq!("either".parse::<Engagement>(), Ok(Engagement::Either));
        assert_eq!("Either".parse::<Engagement>(), Err(FieldError::InvalidChoice));
        assert_eq!("".parse::<WorkMode>(), Err(FieldError::Required));
        assert_eq!(Headcount::parse("0"), Err(FieldError::OutOfRange { min: 1, max: 99 }));
        assert_eq!(Headcount::parse("3").map(Headcount::get), Ok(3));
        assert_eq!(Headcount::parse("-1"), Err(FieldError::OutOfRange { min: 1, max: 99 }));
    }
}
