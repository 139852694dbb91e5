//! The CCUS Portal domain: what an ID is, what a password is, when an ID is locked,
//! and what time it is. Everything here is pure (no I/O) so it can be tested exhaustively.

pub mod access;
pub mod api;
pub mod calendar;
pub mod clock;
pub mod guard_key;
pub mod guide;
pub mod ids;
pub mod input;
pub mod lockout;
pub mod login_id;
pub mod org;
pub mod password;
pub mod password_policy;
pub mod profile;
pub mod records;
pub mod registration;
pub mod sample_names;
pub mod search;
pub mod security_code;
pub mod site;
pub mod site_id;
pub mod totp;

pub use access::AccessEventKind;
pub use clock::{Clock, ManualClock, SystemClock, Timestamp};
pub use guard_key::{AddressBucket, GuardKey};
pub use ids::{
    AccountId, AgreementId, ApplicantId, ApplicationId, ClientId, DocumentId, GrantId, InquiryId,
    ListingId, MailId, PatternId, PlacementId, ReaderId, RecordId, SiteKey, StaffId, TierId,
};
pub use lockout::{AttemptDecision, GuardState, LockoutPolicy};
pub use login_id::{AccountKind, LoginId, LoginIdError};
pub use password::{Password, PasswordError};
pub use password_policy::{PasswordContext, PolicyViolation};
pub use security_code::{SecurityCode, SecurityCodeError};
pub use site_id::{SiteId, SiteIdError};
/// A calendar date (生年月日, a due date); shown and stored as `YYYY-MM-DD`.
pub use time::Date;
