//! The token endpoint's work for the login: a code (once, within its minute, by the service it
//! was made for, with the same `redirect_uri` and the PKCE verifier) or a refresh token becomes
//! an ID token, an access token for userinfo and the next refresh token.
//!
//! **Refresh tokens rotate**: each is used once, and its use gives the next of the same family.
//! One sent again after its use means two parties hold it — the service and someone who copied
//! it — so the whole family ends (every refresh and access token of that login), and the person
//! sees it in their アクセス履歴. A code sent again ends what its first exchange gave, likewise
//! (RFC 6749 §4.1.2).

use ccus_domain::access::AccessEventKind;
use ccus_domain::api::Scopes;
use ccus_domain::Timestamp;
use ccus_storage::{ApiClient, ClientInfo, CodeUse, OidcConsent, OidcKey, RefreshUse, StoreTx};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::api::consent::verifier_matches;
use crate::tokens::{random_token, token_hash};
use crate::{App, AppResult};

use super::{claims, keys, ACCESS_PREFIX, REFRESH_PREFIX};

/// What a login's exchange gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginTokens {
    pub access_token: String,
    pub expires_in: u64,
    pub refresh_token: String,
    pub id_token: String,
    pub scope: String,
}

/// The answer to an exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exchanged {
    Issued(Box<LoginTokens>),
    /// `invalid_grant`, with a description for the service's developer.
    InvalidGrant(&'static str),
    /// `invalid_scope`: a refresh asked for more than was allowed.
    InvalidScope,
}

/// The claims of an ID token (OpenID Connect Core §2), with those the person allowed.
#[derive(Debug, Serialize)]
struct IdClaims {
    iss: String,
    sub: String,
    aud: String,
    exp: i64,
    iat: i64,
    auth_time: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    nonce: Option<String>,
    at_hash: String,
    #[serde(flatten)]
    person: serde_json::Map<String, serde_json::Value>,
}

/// The portal's issuer identifier: its public address.
pub fn issuer(app: &App) -> String {
    app.config().public_url.trim_end_matches('/').to_owned()
}

/// `at_hash`: the left half of the access token's SHA-256, base64url (for RS256).
fn at_hash(access_token: &str) -> String {
    use base64::Engine;
    let digest = Sha256::digest(access_token.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..16])
}

/// Exchanges a login code (`ccuso_…`) for tokens, in the caller's transaction — committed by
/// the caller whatever the answer, so that a spent code stays spent. `key` is
/// [`keys::current`], fetched before the transaction began.
pub async fn redeem(
    app: &App,
    tx: &mut StoreTx,
    key: &OidcKey,
    client: &ApiClient,
    code: &str,
    redirect_uri: &str,
    verifier: &str,
) -> AppResult<Exchanged> {
    const BAD: &str = "the code is unknown, used, expired or not for this request";
    let now = app.clock().now();
    let family = random_token();
    let c = match tx.oidc().use_code(&token_hash(code), &family, now).await? {
        CodeUse::Fresh(c) => c,
        CodeUse::Replayed { family } => {
            if let Some(f) = family {
                tx.oidc().end_family(&f).await?;
                tracing::warn!(client = client.client_id, "a login code came again");
            }
            return Ok(Exchanged::InvalidGrant(BAD));
        }
        CodeUse::Unknown => return Ok(Exchanged::InvalidGrant(BAD)),
    };
    if c.consent.client.id != client.id
        || c.redirect_uri != redirect_uri
        || !verifier_matches(verifier, &c.code_challenge)
    {
        return Ok(Exchanged::InvalidGrant(BAD));
    }
    let scopes = Scopes::parse(&c.consent.scopes).unwrap_or_default();
    let nonce = (!c.nonce.is_empty()).then_some(c.nonce.clone());
    issue(
        app,
        tx,
        key,
        &c.consent,
        &scopes,
        &family,
        c.auth_time,
        nonce,
        now,
    )
    .await
}

/// Uses a refresh token (`ccusf_…`): the next of its family, with the scopes asked (no more
/// than allowed; all of them when `scope` is left out).
pub async fn refresh(
    app: &App,
    tx: &mut StoreTx,
    key: &OidcKey,
    client: &ApiClient,
    token: &str,
    scope: Option<&str>,
) -> AppResult<Exchanged> {
    const BAD: &str = "the refresh token is unknown, used, expired or not this client's";
    let now = app.clock().now();
    let (family, consent, auth_time) = match tx.oidc().use_refresh(&token_hash(token), now).await? {
        RefreshUse::Fresh {
            family,
            consent,
            auth_time,
        } => (family, consent, auth_time),
        RefreshUse::Replayed { family, .. } => {
            reused(app, tx, &family, now).await?;
            return Ok(Exchanged::InvalidGrant(BAD));
        }
        RefreshUse::Unknown => return Ok(Exchanged::InvalidGrant(BAD)),
    };
    if consent.client.id != client.id {
        // Another client holds this one's token: it was copied.
        reused(app, tx, &family, now).await?;
        return Ok(Exchanged::InvalidGrant(BAD));
    }
    let allowed = Scopes::parse(&consent.scopes).unwrap_or_default();
    let scopes = match scope.map(Scopes::parse) {
        None => allowed,
        Some(Ok(s)) if s.within(&allowed) && !s.is_empty() => s,
        Some(_) => return Ok(Exchanged::InvalidScope),
    };
    issue(
        app, tx, key, &consent, &scopes, &family, auth_time, None, now,
    )
    .await
}

/// A used refresh token came again: its family ends, and the person is told.
async fn reused(app: &App, tx: &mut StoreTx, family: &str, now: Timestamp) -> AppResult<()> {
    let Some(account) = tx.oidc().end_family(family).await? else {
        return Ok(());
    };
    tracing::warn!("a used refresh token came again: that login's tokens were ended");
    if let Some(person) = app.store().accounts().account_by_id(account).await? {
        tx.history()
            .record_event(
                &person.login_id,
                AccessEventKind::ServiceTokenReused,
                &ClientInfo::default(),
                now,
            )
            .await?;
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn issue(
    app: &App,
    tx: &mut StoreTx,
    key: &OidcKey,
    consent: &OidcConsent,
    scopes: &Scopes,
    family: &str,
    auth_time: Timestamp,
    nonce: Option<String>,
    now: Timestamp,
) -> AppResult<Exchanged> {
    let cfg = &app.config().api;
    let access_token = format!("{ACCESS_PREFIX}{}", random_token());
    let refresh_token = format!("{REFRESH_PREFIX}{}", random_token());
    tx.oidc()
        .add_access(
            &token_hash(&access_token),
            consent.id,
            family,
            now,
            now.plus(cfg.token_ttl),
        )
        .await?;
    tx.oidc()
        .add_refresh(
            &token_hash(&refresh_token),
            family,
            consent.id,
            auth_time,
            now,
            now.plus(cfg.login_refresh_ttl),
        )
        .await?;
    tx.oidc().used(consent.id, now).await?;
    let person = claims::of_person(app, consent, scopes).await?;
    let exp = now.plus(cfg.token_ttl);
    let id_claims = IdClaims {
        iss: issuer(app),
        sub: consent.subject.clone(),
        aud: consent.client.client_id.clone(),
        exp: exp.0 / 1000,
        iat: now.0 / 1000,
        auth_time: auth_time.0 / 1000,
        nonce,
        at_hash: at_hash(&access_token),
        person,
    };
    let id_token = keys::sign(key, &id_claims)?;
    Ok(Exchanged::Issued(Box::new(LoginTokens {
        access_token,
        expires_in: cfg.token_ttl.as_secs(),
        refresh_token,
        id_token,
        scope: scopes.to_string(),
    })))
}
