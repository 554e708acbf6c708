//! Who is asking: the client address for rate limiting, and the CSRF cookie.

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};

use crate::security::{CSRF_COOKIE, ClientAddress, ClientKey, cookie_name, random_hex};
use crate::state::AppState;

/// The client's address: the TCP peer, or, when the peer is a trusted proxy, the right-most
/// `X-Forwarded-For` address that is not itself a trusted proxy.
pub fn client_key(req: &HttpRequest, state: &AppState) -> ClientKey {
    let forwarded = req.headers().get_all("x-forwarded-for").map(|v| v.as_bytes());
    let client = state.forwarded_for.client(req.peer_addr().map(|a| a.ip()), forwarded);
    if let ClientAddress::IgnoredForwarded(peer) = client
        && state.forwarded_for.first_ignored(peer)
    {
        tracing::warn!(
            %peer,
            "X-Forwarded-For from a peer that is not a trusted proxy was ignored: behind a proxy, set \
             --trusted-proxy to its address, or every visitor shares one rate limit"
        );
    }
    ClientKey::of(client.address())
}

/// The visitor's CSRF secret, if the browser sent a well-formed one.
pub fn csrf_cookie(req: &HttpRequest, state: &AppState) -> Option<String> {
    req.cookie(&cookie_name(CSRF_COOKIE, state.cookie_secure))
        .map(|c| c.value().to_owned())
        .filter(|v| crate::hex::is_hex(v, 32))
}

pub fn new_csrf_cookie(state: &AppState) -> Cookie<'static> {
    Cookie::build(cookie_name(CSRF_COOKIE, state.cookie_secure), random_hex(32))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.cookie_secure)
        .finish()
}
