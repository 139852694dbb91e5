//! The partner API: systems certified to exchange data with CCUS (gate systems, safety-document
//! services, payroll) registered as OAuth 2.0 clients.
//!
//! - [`clients`]: operators register a system, set its state (sandbox, certified, suspended),
//!   its scopes and its keys; every change is audited.
//! - [`tokens`]: a client proves itself at the token endpoint — with a JWT signed by its own key
//!   (`private_key_jwt`, RFC 7523) or a secret — and gets a short-lived access token (client
//!   credentials, RFC 6749 §4.4); introspection (RFC 7662) and revocation (RFC 7009).
//! - [`grants`]: a business lets a client use its own data (its sites, its 名簿), and revokes it;
//!   [`consent`]: the same by the authorization-code flow with PKCE, redeemed at the token
//!   endpoint for a token that reaches that business alone.
//! - [`access`]: a call's bearer token made into a [`access::Caller`], its rate limit, and the
//!   business context a call acts in — with the permissions of the 管理者ID who granted it, so
//!   the API never answers more than that person sees on the business's pages, and every
//!   change is recorded as the client's in the business's 操作の記録.
//! - [`idempotency`]: a write sent again with the same `Idempotency-Key` answers as the first.
//! - [`lookup`]: a technician by card number, only on the caller's sites.
//! - [`login`]: 「CCUSでログイン」, the OpenID Connect provider for services technicians use.
//!
//! **Access tokens are opaque** (`ccusa_` and 256 random bits), kept as their SHA-256 with the
//! client, the scopes and (for a business's consent) the business: a suspended client's or a
//! revoked grant's tokens stop at once, no signing key guards the API, and a resource server
//! other than the portal asks the introspection endpoint. They live `api.token_ttl` (ten
//! minutes by default).

pub mod access;
pub mod clients;
pub mod consent;
pub mod grants;
pub mod idempotency;
pub mod login;
pub mod lookup;
pub mod remote_keys;
pub mod tokens;

pub use ccus_storage::{ApiClient, ApiGrant};

/// What every access token starts with.
pub const TOKEN_PREFIX: &str = "ccusa_";

/// What every client identifier starts with.
pub const CLIENT_ID_PREFIX: &str = "ccusc_";

/// What every client secret starts with.
pub const SECRET_PREFIX: &str = "ccuss_";
