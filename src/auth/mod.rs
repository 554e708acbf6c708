//! Staff authentication: password hashing, the encrypted session cookie, and what a request
//! knows about its logged-in staff member.

mod device;
mod login;
mod password;
mod session;

pub use device::DeviceCookies;
pub use login::{LoginAttempt, LoginLock, LoginOutcome, LoginPolicy, log_in};
pub use password::{hash_password, verify_password};
pub use session::{ADMIN_COOKIE, SessionCookies, StaffSession, session_id};
