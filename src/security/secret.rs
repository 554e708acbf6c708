//! Secrets (the site key, SMTP password) that never show in logs or debug output.

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// A value that must never be printed: `Debug` and `Display` show a placeholder.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a secret key needs at least {min} characters", min = Secret::MIN_KEY_LEN)]
pub struct SecretError;

impl Secret {
    pub const MIN_KEY_LEN: usize = 32;

    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    /// A key for signing: long enough to resist guessing.
    pub fn key(value: &str) -> Result<Secret, SecretError> {
        if value.chars().count() < Self::MIN_KEY_LEN { Err(SecretError) } else { Ok(Secret(value.to_owned())) }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The one way the site signs: HMAC-SHA-256 of `message` under this key.
    pub fn mac(&self, message: &[u8]) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.0.as_bytes())
            .unwrap_or_else(|e| panic!("HMAC takes keys of any length: {e}"));
        mac.update(message);
        mac
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}
