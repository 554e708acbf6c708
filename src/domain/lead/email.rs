//! A hiring request's e-mail address, checked when it is parsed.

use super::FieldError;

/// An e-mail address without a display name, at most 254 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(input: &str) -> Result<EmailAddress, FieldError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(FieldError::Required);
        }
        if text.len() > 254 {
            return Err(FieldError::TooLong { max: 254 });
        }
        let options = email_address::Options::default().without_display_text().without_domain_literal();
        let parsed =
            email_address::EmailAddress::parse_with_options(text, options).map_err(|_| FieldError::InvalidEmail)?;
        // A domain without a dot cannot receive mail from the internet.
        if !parsed.domain().contains('.') {
            return Err(FieldError::InvalidEmail);
        }
        Ok(EmailAddress(parsed.to_string()))
    }

    pub(crate) fn from_stored(text: String) -> EmailAddress {
        EmailAddress(text)
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_accepted_and_refused_as_mail_servers_would() {
        assert!(EmailAddress::parse(" erika@nordlicht.example ").is_ok());
        assert!(EmailAddress::parse("o'brien+jobs@mail.example.co.uk").is_ok());
        for bad in [
            "nope",
            "a@b",
            "Erika <erika@x.example>",
            "a@[127.0.0.1]",
            "a b@x.example",
            "a@x.example\r\nBcc: b@y.example",
        ] {
            assert_eq!(EmailAddress::parse(bad), Err(FieldError::InvalidEmail), "{bad}");
        }
        assert_eq!(EmailAddress::parse(""), Err(FieldError::Required));
    }
}
