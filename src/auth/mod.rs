//! Staff authentication: password hashing, the encrypted session cookie, and what a request
//! knows about its logged-in staff member.

mod login;
mod password;
mod session;

pub use login::{LoginAttempt, LoginOutcome, LoginPolicy, log_in};
pub use password::{hash_password, verify_password};
pub use session::{ADMIN_COOKIE, SessionCookies, StaffSession, session_id};
