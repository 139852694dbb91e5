//! 「CCUSでログイン」: the portal as an OpenID Connect provider, so that a technician who already
//! logs in here can use that login at other services (a training school's site, a safety-document
//! service, a payroll app) instead of another ID. Relying parties are registered clients
//! ([`super::clients`]) with the `openid` scope and their redirect addresses.
//!
//! - [`authorize`]: the authorization request with PKCE (S256 only); the portal's own login
//!   first, then the person's consent in their language.
//! - [`exchange`]: the code and refresh-token grants at the token endpoint: an ID token signed
//!   by [`keys`], an access token for userinfo, and refresh tokens that rotate, with reuse
//!   detection.
//! - [`claims`]: what a service learns, by scope; userinfo.
//! - [`consents`]: the services a person allowed, listed and revocable on their pages.
//! - [`logout`]: RP-initiated logout.
//!
//! Every consent, login through a service, revocation and detected token reuse is in the
//! person's アクセス履歴.

pub mod authorize;
pub mod claims;
pub mod consents;
pub mod exchange;
pub mod keys;
pub mod logout;

/// What every login code starts with (the token endpoint tells them from a business's codes).
pub const CODE_PREFIX: &str = "ccuso_";

/// What every refresh token starts with (a reader's key is `ccusr_`).
pub const REFRESH_PREFIX: &str = "ccusf_";

/// What every userinfo access token starts with.
pub const ACCESS_PREFIX: &str = "ccusi_";
