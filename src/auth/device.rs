//! The device cookie (OWASP's answer to lock-out by strangers): a browser that logged in to an
//! account carries a signed proof of it, and its logins for that account skip the account-wide
//! delay that failures from anywhere impose. Its value is `<user-id>.<issued-secs>.<nonce>.<mac>`.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use time::OffsetDateTime;

use crate::security::{Secret, cookie_name, decode_hex, random_hex};

const DEVICE_COOKIE: &str = "jp_device";

pub struct DeviceCookies {
    key: Secret,
    name: String,
    secure: bool,
    max_age: time::Duration,
}

impl DeviceCookies {
    pub fn new(key: Secret, secure: bool, max_age: time::Duration) -> DeviceCookies {
        DeviceCookies { key, name: cookie_name(DEVICE_COOKIE, secure), secure, max_age }
    }

    fn mac(&self, user_id: i64, issued: i64, nonce: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(self.key.expose().as_bytes())
            .unwrap_or_else(|e| panic!("HMAC takes keys of any length: {e}"));
        mac.update(format!("device|{user_id}|{issued}|{nonce}").as_bytes());
        mac
    }

    /// The cookie set at every successful login, bound to the account that logged in.
    pub fn issue(&self, user_id: i64, now: OffsetDateTime) -> Cookie<'static> {
        let (issued, nonce) = (now.unix_timestamp(), random_hex(16));
        let tag: String =
            self.mac(user_id, issued, &nonce).finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
        Cookie::build(self.name.clone(), format!("{user_id}.{issued}.{nonce}.{tag}"))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure)
            .max_age(self.max_age)
            .finish()
    }

    /// The account a request's device cookie vouches for, if it is genuine and not too old.
    pub fn user_of(&self, req: &HttpRequest, now: OffsetDateTime) -> Option<i64> {
        let cookie = req.cookie(&self.name)?;
        let mut parts = cookie.value().splitn(4, '.');
        let (user_id, issued, nonce, tag) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let (user_id, issued): (i64, i64) = (user_id.parse().ok()?, issued.parse().ok()?);
        self.mac(user_id, issued, nonce).verify_slice(&decode_hex(tag)?).ok()?;
        let issued = OffsetDateTime::from_unix_timestamp(issued).ok()?;
        (now - issued <= self.max_age).then_some(user_id)
    }
}
