//! Who is asking: the client address for rate limiting, and the CSRF cookie.

use std::net::IpAddr;

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};

use crate::security::{CSRF_COOKIE, ClientKey, cookie_name, random_hex};
use crate::startup::AppState;

/// The client's address: the TCP peer, or, behind a trusted proxy, the last address the proxy
/// appended to `X-Forwarded-For` (earlier entries are whatever the client claimed).
pub fn client_key(req: &HttpRequest, state: &AppState) -> ClientKey {
    let forwarded = state
        .trust_forwarded_for
        .then(|| {
            req.headers()
                .get_all("x-forwarded-for")
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .last()
                .and_then(|last| last.trim().parse::<IpAddr>().ok())
        })
        .flatten();
    ClientKey::of(forwarded.or_else(|| req.peer_addr().map(|a| a.ip())))
}

/// The visitor's CSRF secret, if the browser sent a well-formed one.
pub fn csrf_cookie(req: &HttpRequest, state: &AppState) -> Option<String> {
    req.cookie(&cookie_name(CSRF_COOKIE, state.cookie_secure))
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

pub fn new_csrf_cookie(state: &AppState) -> Cookie<'static> {
    Cookie::build(cookie_name(CSRF_COOKIE, state.cookie_secure), random_hex(32))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.cookie_secure)
        .finish()
}
