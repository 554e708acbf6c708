//! The device cookie (OWASP's answer to lock-out by strangers): a browser that logged in to an
//! account carries a signed proof of it, and its logins for that account skip the per-address
//! locks and the account-wide delay. Its value is `<user-id>.<issued-secs>.<nonce>.<mac>`; the
//! signature also covers the account's password hash, so a new password voids every such cookie.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use time::OffsetDateTime;

use crate::domain::AdminUserId;
use crate::security::{Secret, cookie_name, decode_hex, encode_hex, random_hex};

const DEVICE_COOKIE: &str = "jp_device";
const NONCE_BYTES: usize = 16;

#[derive(Clone)]
pub struct DeviceCookies {
    key: Secret,
    name: String,
    secure: bool,
    max_age: time::Duration,
}

/// What a browser's device cookie claims, not yet checked against the account it names.
#[derive(Debug, Clone)]
pub struct DeviceClaim {
    pub user_id: AdminUserId,
    issued: i64,
    /// Names this one cookie, so failures sent with it can be counted against it.
    pub nonce: String,
    tag: Vec<u8>,
}

impl DeviceCookies {
    pub fn new(key: Secret, secure: bool, max_age: time::Duration) -> DeviceCookies {
        DeviceCookies { key, name: cookie_name(DEVICE_COOKIE, secure), secure, max_age }
    }

    fn mac(&self, user_id: AdminUserId, issued: i64, nonce: &str, password_hash: &str) -> Hmac<Sha256> {
        self.key.mac(format!("device|{user_id}|{issued}|{nonce}|{password_hash}").as_bytes())
    }

    /// The cookie set at every successful login, bound to the account and its current password.
    pub fn issue(&self, user_id: AdminUserId, password_hash: &str, now: OffsetDateTime) -> Cookie<'static> {
        let (issued, nonce) = (now.unix_timestamp(), random_hex(NONCE_BYTES));
        let tag = encode_hex(&self.mac(user_id, issued, &nonce, password_hash).finalize().into_bytes());
        Cookie::build(self.name.clone(), format!("{user_id}.{issued}.{nonce}.{tag}"))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(self.secure)
            .max_age(self.max_age)
            .finish()
    }

    /// What the request's device cookie claims, if it has one of the right shape.
    pub fn claim(&self, req: &HttpRequest) -> Option<DeviceClaim> {
        let cookie = req.cookie(&self.name)?;
        let mut parts = cookie.value().splitn(4, '.');
        let (user_id, issued, nonce, tag) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let well_formed = crate::hex::is_hex(nonce, NONCE_BYTES);
        well_formed.then_some(())?;
        Some(DeviceClaim {
            user_id: user_id.parse().ok()?,
            issued: issued.parse().ok()?,
            nonce: nonce.to_owned(),
            tag: decode_hex(tag)?,
        })
    }

    /// Whether the claim was signed for this account with its current password, and is not too old.
    pub fn vouches(&self, claim: &DeviceClaim, user_id: AdminUserId, password_hash: &str, now: OffsetDateTime) -> bool {
        let mac = self.mac(claim.user_id, claim.issued, &claim.nonce, password_hash);
        let genuine = claim.user_id == user_id && mac.verify_slice(&claim.tag).is_ok();
        let fresh = OffsetDateTime::from_unix_timestamp(claim.issued).is_ok_and(|issued| now - issued <= self.max_age);
        genuine && fresh
    }
}
