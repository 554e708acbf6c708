//! ISCO-08 occupation codes, for search engines that group jobs by occupation.

use std::fmt;
use std::str::FromStr;

/// A four-digit ISCO-08 unit group, e.g. `2512` (software developers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IscoCode([u8; 4]);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("`{0}` is not an ISCO-08 unit group: it has four digits")]
pub struct IscoCodeError(pub String);

impl IscoCode {
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("????")
    }
}

impl FromStr for IscoCode {
    type Err = IscoCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.as_bytes() {
            &[a, b, c, d] if [a, b, c, d].iter().all(u8::is_ascii_digit) => Ok(IscoCode([a, b, c, d])),
            _ => Err(IscoCodeError(s.to_owned())),
        }
    }
}

impl fmt::Display for IscoCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_isco_code_is_four_digits() {
        assert_eq!("2512".parse::<IscoCode>().map(|c| c.to_string()), Ok("2512".to_owned()));
        assert_eq!("0110".parse::<IscoCode>().map(|c| c.to_string()), Ok("0110".to_owned()));
        for code in ["251", "25120", "25a2", "", " 2512", "２５１２"] {
            assert!(code.parse::<IscoCode>().is_err(), "{code}");
        }
    }
}
