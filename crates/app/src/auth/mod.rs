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

/// Who is asking, as the front ends hand it to the services: the signed-in session (with its
/// account), the staff session, and where a request came from.
pub use ccus_storage::{ClientInfo, SessionRecord, StaffSession};
