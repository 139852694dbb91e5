//! The keys ID tokens are signed with (RS256, the algorithm every OpenID Connect relying party
//! accepts by default): made when first needed, replaced when older than
//! `api.login_key_rotation` (or at once by `ccus admin login-keys rotate`), and published at
//! the JWKS address until the last ID token a replaced key signed has expired. Kept in the
//! database, so every instance signs with the same key and publishes the same set.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ccus_storage::OidcKey;
use jsonwebtoken::{EncodingKey, Header};
use serde::Serialize;

use crate::error::AppError;
use crate::{App, AppResult};

/// The algorithm ID tokens are signed with.
pub const ALGORITHM: &str = "RS256";

/// How long a replaced key stays published: far longer than any ID token it signed lives.
pub const PUBLISHED_AFTER_REPLACED: std::time::Duration =
    std::time::Duration::from_secs(24 * 60 * 60);

/// A new private key (PKCS #1 DER) with its public modulus and exponent.
type RsaParts = (Vec<u8>, Vec<u8>, Vec<u8>);

/// A new RSA key (2048 bits), made by OpenSSL off the async threads.
async fn generate(app: &App) -> AppResult<OidcKey> {
    let now = app.clock().now();
    let made = tokio::task::spawn_blocking(|| -> Result<RsaParts, String> {
        let rsa = openssl::rsa::Rsa::generate(2048).map_err(|e| e.to_string())?;
        let der = rsa.private_key_to_der().map_err(|e| e.to_string())?;
        Ok((der, rsa.n().to_vec(), rsa.e().to_vec()))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(AppError::Internal)?;
    let (der, n, e) = made;
    let kid = format!("k{}-{}", now.0 / 1000, &crate::tokens::random_token()[..8]);
    let jwk = serde_json::json!({
        "kty": "RSA",
        "use": "sig",
        "alg": ALGORITHM,
        "kid": kid,
        "n": URL_SAFE_NO_PAD.encode(n),
        "e": URL_SAFE_NO_PAD.encode(e),
    });
    Ok(OidcKey {
        kid,
        alg: ALGORITHM.to_owned(),
        private_der: STANDARD.encode(der),
        public_jwk: jwk.to_string(),
        created_at: now,
        retired_at: None,
    })
}

/// Makes a new key the one in use; the one it replaces stays published. Returns its `kid`.
pub async fn rotate(app: &App) -> AppResult<String> {
    let key = generate(app).await?;
    let mut tx = app.store().begin_write().await?;
    tx.oidc().add_key(&key).await?;
    tx.commit().await?;
    tracing::info!(kid = key.kid, "new ID token signing key");
    Ok(key.kid)
}

/// The key in use, made or replaced first when there is none or it is too old. Fetched before
/// a write transaction that signs (it may write one of its own).
pub async fn current(app: &App) -> AppResult<OidcKey> {
    let max_age = app.config().api.login_key_rotation;
    let now = app.clock().now();
    let fresh = |k: &OidcKey| k.created_at > now.minus(max_age);
    if let Some(k) = app.store().oidc().signing_key().await? {
        if fresh(&k) {
            return Ok(k);
        }
    }
    // Generated outside the transaction (it takes a moment); another instance may have made one
    // meanwhile, and then its key is used and ours is never stored.
    let key = generate(app).await?;
    let mut tx = app.store().begin_write().await?;
    if let Some(k) = tx.oidc().signing_key().await? {
        if fresh(&k) {
            return Ok(k);
        }
    }
    tx.oidc().add_key(&key).await?;
    tx.commit().await?;
    tracing::info!(kid = key.kid, "new ID token signing key");
    Ok(key)
}

/// Signs `claims` as a JWT with `key`.
pub fn sign<T: Serialize>(key: &OidcKey, claims: &T) -> AppResult<String> {
    let der = STANDARD
        .decode(&key.private_der)
        .map_err(|e| AppError::Internal(format!("signing key {}: {e}", key.kid)))?;
    let mut header = Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = Some(key.kid.clone());
    jsonwebtoken::encode(&header, claims, &EncodingKey::from_rsa_der(&der))
        .map_err(|e| AppError::Internal(format!("signing an ID token: {e}")))
}

/// The published key set (`{"keys": [...]}`): the key in use and those replaced lately.
pub async fn jwks(app: &App) -> AppResult<serde_json::Value> {
    current(app).await?;
    let now = app.clock().now();
    let keys = app
        .store()
        .oidc()
        .published_keys(now.minus(PUBLISHED_AFTER_REPLACED))
        .await?;
    let keys: Vec<serde_json::Value> = keys
        .iter()
        .filter_map(|k| serde_json::from_str(&k.public_jwk).ok())
        .collect();
    Ok(serde_json::json!({ "keys": keys }))
}

/// The published keys, for checking a JWT the portal signed (an `id_token_hint`).
pub(super) async fn published(app: &App) -> AppResult<jsonwebtoken::jwk::JwkSet> {
    let set = jwks(app).await?;
    serde_json::from_value(set).map_err(|e| AppError::Internal(e.to_string()))
}
