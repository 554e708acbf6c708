//! Hashing staff passwords with argon2id and checking a password against a stored hash.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::domain::admin::NewPassword;

/// Argon2id with the crate's defaults (19 MiB, 2 passes, 1 lane: OWASP's recommendation) and
/// a random salt, as a PHC string.
pub fn hash_password(password: &NewPassword) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.expose().as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|e| e.to_string())
}

/// Compares in constant time; an unreadable stored hash never matches.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_others_do_not() {
        let password = NewPassword::parse("correct horse battery").expect("long enough");
        let hash = hash_password(&password).expect("hashes");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }
}
