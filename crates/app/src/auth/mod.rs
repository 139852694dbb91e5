//! Who is asking: logging in (accounts, applicants' logins, helpdesk staff), the proof of work
//! while busy, passkeys, and lifting a lock by every path.

pub mod challenge;
pub mod login;
pub mod mails;
pub mod passkeys;
pub mod session_cache;
pub mod sessions;
pub mod staff;
pub mod unlock;
