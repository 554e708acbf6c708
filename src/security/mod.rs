//! Protection that is invisible to people: signed form tokens (CSRF, one-time submission ids,
//! fill time), client addresses, and the rate limit on hiring requests.

mod client;
mod cookie_name;
mod form_token;
mod proxies;
mod rate_limit;
mod secret;

pub use crate::hex::{decode_hex, encode_hex};
pub use client::ClientKey;
pub use cookie_name::cookie_name;
pub use form_token::{CSRF_COOKIE, FormToken, FormTokenError, FormTokens, random_hex};
pub use proxies::{ClientAddress, ForwardedFor, ProxyRange, ProxyRangeError};
pub use rate_limit::{AddressLimiter, ClientLimiter, RateLimited, SWEEP_INTERVAL};
pub use secret::{Secret, SecretError};
