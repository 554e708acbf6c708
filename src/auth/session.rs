//! The staff session cookie (an encrypted, signed random token) and what a request knows of its staff member.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, CookieJar, Key, SameSite};
use sha2::{Digest, Sha256};

use crate::domain::AdminUserId;
use crate::hex::encode_hex;
use crate::security::{Secret, cookie_name};

/// The cookie that carries a staff session token, encrypted and signed.
pub const ADMIN_COOKIE: &str = "jp_admin";

/// The logged-in staff member of a request, placed there by the admin guard.
#[derive(Debug, Clone)]
pub struct StaffSession {
    pub user_id: AdminUserId,
    pub email: String,
    /// The stored id of the session (a hash of the cookie's token).
    pub session_id: String,
}

/// What the database keeps of a token: its SHA-256, so a copy of the database opens no session.
pub fn session_id(token: &str) -> String {
    encode_hex(&Sha256::digest(token.as_bytes()))
}

pub struct SessionCookies {
    key: Key,
    name: String,
    secure: bool,
}

impl SessionCookies {
    pub fn new(secret: &Secret, secure: bool) -> SessionCookies {
        SessionCookies {
            key: Key::derive_from(secret.expose().as_bytes()),
            name: cookie_name(ADMIN_COOKIE, secure),
            secure,
        }
    }

    fn base(&self, value: String) -> Cookie<'static> {
        // Sent to public pages too, so staff see drafts at their own URLs.
        Cookie::build(self.name.clone(), value)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure)
            .finish()
    }

    /// The cookie to set at login: the token, encrypted and signed with the site's key.
    pub fn issue(&self, token: &str) -> Cookie<'static> {
        let mut jar = CookieJar::new();
        jar.private_mut(&self.key).add(self.base(token.to_owned()));
        jar.get(&self.name).cloned().unwrap_or_else(|| self.base(String::new()))
    }

    /// The token of a request's cookie, if it decrypts with the site's key.
    pub fn token(&self, req: &HttpRequest) -> Option<String> {
        let cookie = req.cookie(&self.name)?;
        let mut jar = CookieJar::new();
        jar.add_original(cookie);
        jar.private(&self.key).get(&self.name).map(|c| c.value().to_owned())
    }

    /// A cookie that tells the browser to forget the session.
    pub fn removal(&self) -> Cookie<'static> {
        let mut cookie = self.base(String::new());
        cookie.make_removal();
        cookie
    }
}
