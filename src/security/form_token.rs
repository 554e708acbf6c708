//! A form token is `<issued-ms>.<submission-id>.<mac>`: the mac binds the issue time and the
//! one-time submission id to the visitor's CSRF cookie, so a token can be neither forged,
//! replayed from another browser, nor back-dated to look slowly filled in.

use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use time::OffsetDateTime;

use super::Secret;
use crate::hex::{decode_hex, encode_hex, is_hex};

/// Name of the cookie that carries the visitor's CSRF secret.
pub const CSRF_COOKIE: &str = "jp_csrf";

/// Random bytes as lowercase hex; `bytes` of 16 give a 128-bit id.
pub fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    getrandom::fill(&mut buffer).unwrap_or_else(|e| panic!("the operating system has no randomness: {e}"));
    encode_hex(&buffer)
}

#[derive(Clone)]
pub struct FormTokens {
    key: Secret,
    max_age: Duration,
}

/// A verified token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormToken {
    pub submission_id: String,
    pub issued_at: OffsetDateTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FormTokenError {
    #[error("the form carries no token, or the browser sent no CSRF cookie")]
    Missing,
    #[error("the form token does not match the CSRF cookie")]
    Invalid,
    #[error("the form token is older than the allowed age")]
    Expired,
}

impl FormTokens {
    pub fn new(key: Secret, max_age: Duration) -> FormTokens {
        FormTokens { key, max_age }
    }

    /// The one signature of every token; the purpose keeps one kind from standing in for another.
    fn mac(&self, purpose: &str, issued_ms: i128, submission_id: &str, csrf_cookie: &str) -> Hmac<Sha256> {
        self.key.mac(format!("{purpose}|{issued_ms}|{submission_id}|{csrf_cookie}").as_bytes())
    }

    /// A fresh token with a new submission id.
    pub fn issue(&self, csrf_cookie: &str, now: OffsetDateTime) -> String {
        self.sign(csrf_cookie, &random_hex(16), now)
    }

    fn sign(&self, csrf_cookie: &str, submission_id: &str, issued_at: OffsetDateTime) -> String {
        let issued_ms = issued_at.unix_timestamp_nanos() / 1_000_000;
        let tag = encode_hex(&self.mac("form", issued_ms, submission_id, csrf_cookie).finalize().into_bytes());
        format!("{issued_ms}.{submission_id}.{tag}")
    }

    pub fn verify(
        &self,
        token: &str,
        csrf_cookie: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<FormToken, FormTokenError> {
        let csrf_cookie = csrf_cookie.filter(|c| !c.is_empty()).ok_or(FormTokenError::Missing)?;
        if token.is_empty() {
            return Err(FormTokenError::Missing);
        }
        let mut parts = token.splitn(3, '.');
        let (Some(issued), Some(submission_id), Some(tag)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(FormTokenError::Invalid);
        };
        let issued_ms: i128 = issued.parse().map_err(|_| FormTokenError::Invalid)?;
        let well_formed_id = is_hex(submission_id, 16);
        let tag = decode_hex(tag).ok_or(FormTokenError::Invalid)?;
        if !well_formed_id {
            return Err(FormTokenError::Invalid);
        }
        self.mac("form", issued_ms, submission_id, csrf_cookie)
            .verify_slice(&tag)
            .map_err(|_| FormTokenError::Invalid)?;
        let issued_at =
            OffsetDateTime::from_unix_timestamp_nanos(issued_ms * 1_000_000).map_err(|_| FormTokenError::Invalid)?;
        if now - issued_at > self.max_age {
            return Err(FormTokenError::Expired);
        }
        Ok(FormToken { submission_id: submission_id.to_owned(), issued_at })
    }

    /// The CSRF token of every form in a staff session: bound to the session, not to time.
    pub fn session_token(&self, session_id: &str) -> String {
        let mut mac = self.mac("session", 0, "admin", session_id);
        mac.update(b"|session");
        encode_hex(&mac.finalize().into_bytes())
    }

    pub fn verify_session_token(&self, session_id: &str, token: &str) -> bool {
        let mut mac = self.mac("session", 0, "admin", session_id);
        mac.update(b"|session");
        decode_hex(token).is_some_and(|tag| mac.verify_slice(&tag).is_ok())
    }

    /// A link token that shows one unpublished profile until `expires`: `<lang>.<slug>.<expires>.<mac>`.
    pub fn preview_token(&self, lang: &str, slug: &str, expires: OffsetDateTime) -> String {
        let expires = expires.unix_timestamp();
        let tag = encode_hex(&self.mac("preview", i128::from(expires), slug, lang).finalize().into_bytes());
        format!("{lang}.{slug}.{expires}.{tag}")
    }

    /// The language code and slug a valid, unexpired preview token shows.
    pub fn verify_preview(&self, token: &str, now: OffsetDateTime) -> Option<(String, String)> {
        let mut parts = token.splitn(4, '.');
        let (lang, slug, expires, tag) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let expires: i64 = expires.parse().ok()?;
        self.mac("preview", i128::from(expires), slug, lang).verify_slice(&decode_hex(tag)?).ok()?;
        (now.unix_timestamp() <= expires).then(|| (lang.to_owned(), slug.to_owned()))
    }

    /// Checks the signature only; for telling an expired form from a forged one.
    pub fn verify_ignoring_age(&self, token: &str, csrf_cookie: Option<&str>) -> Option<FormToken> {
        let patient = FormTokens { key: self.key.clone(), max_age: Duration::MAX };
        patient.verify(token, csrf_cookie, OffsetDateTime::now_utc()).ok()
    }

    /// The same submission id, newly signed as issued at `issued_at`: for a form shown again
    /// after its token expired.
    pub fn renew(&self, token: &FormToken, csrf_cookie: &str, issued_at: OffsetDateTime) -> String {
        self.sign(csrf_cookie, &token.submission_id, issued_at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens() -> FormTokens {
        FormTokens::new(Secret::new("k".repeat(32)), Duration::from_secs(3600))
    }

    #[test]
    fn a_token_verifies_only_with_the_cookie_it_was_issued_for() {
        let now = OffsetDateTime::now_utc();
        let token = tokens().issue("cookie-a", now);
        let verified = tokens().verify(&token, Some("cookie-a"), now).expect("valid");
        assert_eq!(verified.submission_id.len(), 32);
        assert_eq!(tokens().verify(&token, Some("cookie-b"), now), Err(FormTokenError::Invalid));
        assert_eq!(tokens().verify(&token, None, now), Err(FormTokenError::Missing));
        assert_eq!(tokens().verify("", Some("cookie-a"), now), Err(FormTokenError::Missing));
    }

    #[test]
    fn a_tampered_or_old_token_is_refused() {
        let now = OffsetDateTime::now_utc();
        let token = tokens().issue("c", now);
        let backdated = token.replacen(&token[..3], "100", 1);
        assert_eq!(tokens().verify(&backdated, Some("c"), now), Err(FormTokenError::Invalid));
        assert_eq!(tokens().verify("1.2.3", Some("c"), now), Err(FormTokenError::Invalid));
        assert_eq!(tokens().verify("garbage", Some("c"), now), Err(FormTokenError::Invalid));
        let later = now + Duration::from_secs(3601);
        assert_eq!(tokens().verify(&token, Some("c"), later), Err(FormTokenError::Expired));
    }
}
