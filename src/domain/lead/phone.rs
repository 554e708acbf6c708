//! A phone number as people write it, checked when it is parsed.

use super::FieldError;

/// A phone number as people write it: digits with optional `+`, spaces, hyphens, slashes,
/// dots and parentheses; 6 to 20 digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(input: &str) -> Result<PhoneNumber, FieldError> {
        let text = input.trim();
        let allowed =
            text.chars().enumerate().all(|(i, c)| c.is_ascii_digit() || " -/.()".contains(c) || (c == '+' && i == 0));
        let digits = text.chars().filter(char::is_ascii_digit).count();
        if allowed && (6..=20).contains(&digits) && text.len() <= 32 {
            Ok(PhoneNumber(text.to_owned()))
        } else {
            Err(FieldError::InvalidPhone)
        }
    }

    pub(crate) fn from_stored(text: String) -> PhoneNumber {
        PhoneNumber(text)
    }
}

impl AsRef<str> for PhoneNumber {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_in_common_notations_are_accepted() {
        for ok in ["+49 40 1234567", "040/123 456-78", "(030) 12.34.56", "+1-202-555-0143"] {
            assert!(PhoneNumber::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["12345", "call me", "+49+40 123456", "0401234567\nBcc:", "1234567890123456789012"] {
            assert_eq!(PhoneNumber::parse(bad), Err(FieldError::InvalidPhone), "{bad}");
        }
    }
}
