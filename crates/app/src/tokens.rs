//! Random secrets handed to people or browsers (session, recovery and device tokens, keys),
//! and the hash under which the database keeps them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A fresh 256-bit random token, base64url.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// 32 random bytes, base64 (standard): a fresh key for `staff.totp_key`.
pub fn random_key_base64() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// The hash under which a token is stored (SHA-256, hex). Tokens are 256-bit random, so a
/// fast hash is enough: nobody can guess one from its hash.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A mailed link's token while it is usable (expired, used, unknown or of the other portal:
/// `None`). Opening a link changes nothing, so mail scanners cannot use one up.
pub async fn peek_link(
    store: &ccus_storage::Store,
    token: &str,
    purpose: ccus_storage::TokenPurpose,
    kind: ccus_domain::AccountKind,
    now: ccus_domain::Timestamp,
) -> Result<Option<ccus_storage::TokenRecord>, ccus_storage::StoreError> {
    Ok(store
        .recovery()
        .peek_token(&token_hash(token), purpose, now)
        .await?
        .filter(|t| t.account.kind() == kind))
}

/// Uses up a mailed link's token inside `tx` — the one way any link (reset, unlock, email
/// confirmation) is consumed: of two simultaneous uses exactly one gets it. On `None` the
/// caller returns without committing, so a link of the other portal stays usable.
pub async fn consume_link(
    tx: &mut ccus_storage::StoreTx,
    token: &str,
    purpose: ccus_storage::TokenPurpose,
    kind: ccus_domain::AccountKind,
    now: ccus_domain::Timestamp,
) -> Result<Option<ccus_storage::TokenRecord>, ccus_storage::StoreError> {
    Ok(tx
        .recovery()
        .consume_token(&token_hash(token), purpose, now)
        .await?
        .filter(|t| t.account.kind() == kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_and_hashed() {
        let t = random_token();
        assert_eq!(URL_SAFE_NO_PAD.decode(&t).unwrap_or_default().len(), 32);
        assert_ne!(t, random_token());
        assert_eq!(token_hash(&t).len(), 64);
    }
}
