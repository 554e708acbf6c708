//! Bounded free text of a hiring request: one-line fields and the message.

use super::FieldError;

/// Trimmed text on one line, without control characters, of bounded length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneLine(pub(super) String);

impl OneLine {
    pub fn required(input: &str, max: usize) -> Result<OneLine, FieldError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(FieldError::Required);
        }
        if text.chars().any(char::is_control) {
            return Err(FieldError::NotOneLine);
        }
        if text.chars().count() > max {
            return Err(FieldError::TooLong { max });
        }
        Ok(OneLine(text.to_owned()))
    }

    /// For values read back from the store, which were valid when written.
    pub(crate) fn from_stored(text: String) -> OneLine {
        OneLine(text)
    }
}

impl AsRef<str> for OneLine {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// The free-text description of the request: 20 to 5,000 characters, line breaks allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message(String);

impl Message {
    pub const MIN: usize = 20;
    pub const MAX: usize = 5_000;

    pub fn parse(input: &str) -> Result<Message, FieldError> {
        let text: String =
            input.trim().replace("\r\n", "\n").chars().filter(|&c| !c.is_control() || c == '\n' || c == '\t').collect();
        let text = text.trim();
        let chars = text.chars().count();
        if chars == 0 {
            return Err(FieldError::Required);
        }
        if chars < Self::MIN {
            return Err(FieldError::TooShort { min: Self::MIN });
        }
        if chars > Self::MAX {
            return Err(FieldError::TooLong { max: Self::MAX });
        }
        Ok(Message(text.to_owned()))
    }

    pub(crate) fn from_stored(text: String) -> Message {
        Message(text)
    }
}

impl AsRef<str> for Message {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_text_is_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(OneLine::required("  ACME  ", 10).map(|t| t.as_ref().to_owned()), Ok("ACME".into()));
        assert_eq!(OneLine::required("   ", 10), Err(FieldError::Required));
        assert_eq!(OneLine::required("a\nb", 10), Err(FieldError::NotOneLine));
        assert_eq!(OneLine::required("a\u{0}b", 10), Err(FieldError::NotOneLine));
        assert_eq!(OneLine::required("ääääääääääää", 11), Err(FieldError::TooLong { max: 11 }));
    }

    #[test]
    fn messages_are_counted_in_characters_between_the_limits() {
        assert_eq!(Message::parse("too short"), Err(FieldError::TooShort { min: 20 }));
        assert!(Message::parse(&"ü".repeat(20)).is_ok());
        assert_eq!(Message::parse(&"x".repeat(5_001)), Err(FieldError::TooLong { max: 5_000 }));
        assert_eq!(
            Message::parse("line one is here\r\nline two").map(|m| m.as_ref().to_owned()),
            Ok("line one is here\nline two".into())
        );
    }
}
