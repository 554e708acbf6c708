//! Staff authentication: password hashing, the encrypted session cookie, and what a request
//! knows about its logged-in staff member.

mod device;
mod login;
mod password;
mod session;

pub use device::DeviceCookies;
pub use login::{LoginAttempt, LoginOutcome, LoginPolicy, Logins, log_in};
pub use password::{hash_password, verify_password};
pub use session::{SessionCookies, StaffSession, session_id};
