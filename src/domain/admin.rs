//! Staff accounts: who may log in, and what a password must be.

use super::lead::EmailAddress;

/// A staff member's login: an e-mail address, compared case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminEmail(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AccountError {
    #[error("`{0}` is not an e-mail address")]
    InvalidEmail(String),
    #[error("a password needs at least {min} characters", min = NewPassword::MIN)]
    PasswordTooShort,
    #[error("a password has at most {max} characters", max = NewPassword::MAX)]
    PasswordTooLong,
}

impl AdminEmail {
    pub fn parse(input: &str) -> Result<AdminEmail, AccountError> {
        EmailAddress::parse(input)
            .map(|email| AdminEmail(email.as_ref().to_lowercase()))
            .map_err(|_| AccountError::InvalidEmail(input.trim().to_owned()))
    }
}

impl AsRef<str> for AdminEmail {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A password chosen for an account: long enough to resist guessing.
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN: usize = 12;
    pub const MAX: usize = 1024;

    pub fn parse(input: &str) -> Result<NewPassword, AccountError> {
        let chars = input.chars().count();
        if chars < Self::MIN {
            return Err(AccountError::PasswordTooShort);
        }
        if chars > Self::MAX {
            return Err(AccountError::PasswordTooLong);
        }
        Ok(NewPassword(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_emails_are_compared_in_lower_case_and_passwords_have_a_minimum_length() {
        assert_eq!(
            AdminEmail::parse(" Staff@Example.COM ").map(|e| e.as_ref().to_owned()),
            Ok("staff@example.com".into())
        );
        assert!(AdminEmail::parse("staff").is_err());
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse("correct horse battery").is_ok());
    }
}
