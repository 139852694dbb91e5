//! The token endpoint's work: a client proves who it is and gets an access token.
//!
//! **Proving a client** (RFC 6749 §2.3, RFC 7523 §2.2). A client registered with keys sends
//! `client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer` and a
//! `client_assertion`: a JWT it signed (ES256, RS256, PS256 or EdDSA) whose `iss` and `sub` are
//! its client_id, whose `aud` is the token endpoint's address (or the portal's own), with an
//! `exp` at most ten minutes ahead and a `jti` never used before. The signature is checked
//! against the key of the registered set that the JWT's `kid` names, by `jsonwebtoken` (no
//! signature code of our own). A client registered with a secret sends it by HTTP Basic or in
//! the form. Whatever fails, the answer is the same `invalid_client`: the log says why.
//!
//! **Counting.** Failed proofs naming one client_id are counted (across instances); after
//! `api.failed_proofs_per_minute` of them in a minute, nothing naming it is checked until the
//! minute ends — nobody tries secrets or assertions at speed. A client that proves itself is
//! not counted: its own token rate is its business.

use ccus_domain::api::{ClientAuthMethod, ClientState, Scopes};
use ccus_domain::{AccountId, GuardKey, Timestamp};
use ccus_storage::ApiClient;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use subtle::ConstantTimeEq;

use crate::tokens::{random_token, token_hash};
use crate::{App, AppResult};

use super::{login, TOKEN_PREFIX};

/// The client assertion type of RFC 7523.
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How far ahead an assertion may expire: what the portal keeps its `jti` for.
const ASSERTION_MAX_LIFETIME_S: i64 = 10 * 60;

/// Clock difference allowed between a client and the portal.
const LEEWAY_S: i64 = 60;

/// What a client sent to the token endpoint (form fields, and HTTP Basic credentials).
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    pub grant_type: String,
    pub scope: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub client_assertion_type: Option<String>,
    pub client_assertion: Option<String>,
    /// `Authorization: Basic` credentials, decoded.
    pub basic: Option<(String, String)>,
    /// The authorization code, its redirect_uri and PKCE verifier (`authorization_code`).
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    /// The refresh token (`refresh_token`).
    pub refresh_token: Option<String>,
}

/// The errors of RFC 6749 §5.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthError {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    InvalidScope,
}

impl OAuthError {
    pub fn code(self) -> &'static str {
        match self {
            OAuthError::InvalidRequest => "invalid_request",
            OAuthError::InvalidClient => "invalid_client",
            OAuthError::InvalidGrant => "invalid_grant",
            OAuthError::UnauthorizedClient => "unauthorized_client",
            OAuthError::UnsupportedGrantType => "unsupported_grant_type",
            OAuthError::InvalidScope => "invalid_scope",
        }
    }
}

/// The answer to a token request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenOutcome {
    Issued {
        access_token: String,
        expires_in: u64,
        scope: String,
    },
    Refused {
        error: OAuthError,
        /// For the client's developer, in English (RFC 6749 has no language for it).
        description: &'static str,
    },
    /// 「CCUSでログイン」: an ID token, an access token for userinfo and a refresh token.
    Login(Box<super::login::exchange::LoginTokens>),
    /// Too many requests named this client; try after this many seconds.
    RateLimited { retry_after: u64 },
}

fn refused(error: OAuthError, description: &'static str) -> TokenOutcome {
    TokenOutcome::Refused { error, description }
}

/// The claims of a client assertion we read.
#[derive(Debug, Deserialize)]
struct AssertionClaims {
    iss: String,
    sub: String,
    exp: i64,
    jti: String,
}

/// The client_id a request names, before anything is proved: by Basic, the form, or the
/// assertion's `sub` (read unverified, only to find the client whose key checks it).
fn named_client(req: &TokenRequest) -> Option<String> {
    if let Some((id, _)) = &req.basic {
        return Some(id.clone());
    }
    if let Some(id) = &req.client_id {
        return Some(id.clone());
    }
    let assertion = req.client_assertion.as_deref()?;
    let payload = assertion.split('.').nth(1)?;
    let bytes =
        base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, payload).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    v.get("sub")?.as_str().map(str::to_owned)
}

/// Why a client was not proved (logged, never told).
#[derive(Debug)]
enum NotProved {
    Method,
    Secret,
    Assertion(String),
    Replayed,
}

impl NotProved {
    fn describe(&self) -> String {
        match self {
            NotProved::Method => "not the way the client was registered to prove itself".into(),
            NotProved::Secret => "wrong secret".into(),
            NotProved::Assertion(why) => format!("assertion: {why}"),
            NotProved::Replayed => "assertion used before (jti)".into(),
        }
    }
}

/// The addresses an assertion's `aud` may name: the token endpoint, or the portal itself.
fn audiences(app: &App) -> [String; 2] {
    let base = app.config().public_url.trim_end_matches('/').to_owned();
    [format!("{base}/oauth/token"), base]
}

/// The key a JWT's header names in a client's set, and the algorithms it may sign with.
fn key_for<'a>(set: &'a JwkSet, kid: Option<&str>) -> Option<&'a Jwk> {
    match kid {
        Some(kid) => set.find(kid),
        None if set.keys.len() == 1 => set.keys.first(),
        None => None,
    }
}

fn algorithms_of(jwk: &Jwk) -> &'static [Algorithm] {
    match &jwk.algorithm {
        AlgorithmParameters::EllipticCurve(_) => &[Algorithm::ES256],
        AlgorithmParameters::RSA(_) => &[
            Algorithm::RS256,
            Algorithm::RS384,
            Algorithm::RS512,
            Algorithm::PS256,
            Algorithm::PS384,
            Algorithm::PS512,
        ],
        AlgorithmParameters::OctetKeyPair(_) => &[Algorithm::EdDSA],
        // A shared secret (never registered) or a kind this version does not know.
        _ => &[],
    }
}

/// The client's key set: registered, or fetched from the address it publishes it at.
async fn key_set(
    app: &App,
    client: &ApiClient,
    kid: Option<&str>,
) -> Result<std::sync::Arc<JwkSet>, NotProved> {
    if client.jwks_url.is_empty() {
        serde_json::from_str(&client.jwks)
            .map(std::sync::Arc::new)
            .map_err(|_| NotProved::Assertion("no key set".into()))
    } else {
        app.remote_keys()
            .key_set(&client.jwks_url, kid)
            .await
            .map_err(|why| NotProved::Assertion(format!("key set: {why}")))
    }
}

/// Checks a client assertion's signature and claims; its `jti` and expiry.
async fn check_assertion(
    app: &App,
    client: &ApiClient,
    assertion: &str,
    now: Timestamp,
) -> Result<(String, Timestamp), NotProved> {
    let bad = |why: &str| NotProved::Assertion(why.to_owned());
    let header = jsonwebtoken::decode_header(assertion).map_err(|e| bad(&e.to_string()))?;
    let set = key_set(app, client, header.kid.as_deref()).await?;
    let jwk = key_for(&set, header.kid.as_deref()).ok_or_else(|| bad("no such kid"))?;
    let allowed = algorithms_of(jwk);
    if !allowed.contains(&header.alg) {
        return Err(bad("algorithm does not fit the key"));
    }
    let key = DecodingKey::from_jwk(jwk).map_err(|e| bad(&e.to_string()))?;
    let mut validation = Validation::new(header.alg);
    validation.algorithms = vec![header.alg];
    // Times are checked against the portal's clock below, not the library's.
    validation.validate_exp = false;
    validation.required_spec_claims = ["exp", "iss", "sub", "aud"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    validation.set_audience(&audiences(app));
    validation.set_issuer(&[client.client_id.as_str()]);
    let data = jsonwebtoken::decode::<AssertionClaims>(assertion, &key, &validation)
        .map_err(|e| bad(&e.to_string()))?;
    let c = data.claims;
    if c.sub != client.client_id || c.iss != client.client_id {
        return Err(bad("iss and sub must be the client_id"));
    }
    let now_s = now.0 / 1000;
    if c.exp + LEEWAY_S <= now_s {
        return Err(bad("expired"));
    }
    if c.exp > now_s + ASSERTION_MAX_LIFETIME_S + LEEWAY_S {
        return Err(bad("exp is more than ten minutes ahead"));
    }
    if c.jti.is_empty() || c.jti.len() > 200 {
        return Err(bad("jti missing"));
    }
    Ok((c.jti, Timestamp((c.exp + LEEWAY_S) * 1000)))
}

/// A client proved by its request: the client, and the id of the assertion it used (to be
/// recorded, once, in the transaction that acts on it) with when that id may be forgotten.
type Proved = (ApiClient, Option<(String, Timestamp)>);

/// Checks the proof of the client a request names, writing nothing; `None` (and a log line
/// saying why) when it does not hold.
async fn verify(app: &App, req: &TokenRequest, client_id: &str) -> AppResult<Option<Proved>> {
    let Some(client) = app.store().api().client_by_client_id(client_id).await? else {
        tracing::info!(client = client_id, "token request: no such client");
        return Ok(None);
    };
    let now = app.clock().now();
    let method = ClientAuthMethod::parse(&client.auth_method);
    let outcome: Result<Option<(String, Timestamp)>, NotProved> = match method {
        Some(ClientAuthMethod::ClientSecret) => {
            let secret = req
                .basic
                .as_ref()
                .map(|(_, s)| s.as_str())
                .or(req.client_secret.as_deref());
            match secret {
                Some(s)
                    if !client.secret_hash.is_empty()
                        && bool::from(
                            token_hash(s)
                                .as_bytes()
                                .ct_eq(client.secret_hash.as_bytes()),
                        ) =>
                {
                    Ok(None)
                }
                Some(_) => Err(NotProved::Secret),
                None => Err(NotProved::Method),
            }
        }
        Some(ClientAuthMethod::PrivateKeyJwt) => match (
            req.client_assertion_type.as_deref(),
            req.client_assertion.as_deref(),
            req.basic.is_some() || req.client_secret.is_some(),
        ) {
            (Some(JWT_BEARER), Some(a), false) => {
                check_assertion(app, &client, a, now).await.map(Some)
            }
            _ => Err(NotProved::Method),
        },
        None => Err(NotProved::Method),
    };
    match outcome {
        Ok(jti) => Ok(Some((client, jti))),
        Err(why) => {
            not_proved(client_id, &why);
            Ok(None)
        }
    }
}

fn not_proved(client_id: &str, why: &NotProved) {
    tracing::info!(
        client = client_id,
        why = why.describe(),
        "token request: client not proved"
    );
}

/// Records the assertion's id in `tx`; false (logged) when it was used before.
async fn spend_assertion(
    tx: &mut ccus_storage::StoreTx,
    client: &ApiClient,
    jti: &Option<(String, Timestamp)>,
) -> AppResult<bool> {
    let Some((jti, until)) = jti else {
        return Ok(true);
    };
    let fresh = tx.api().use_assertion(client.id, jti, *until).await?;
    if !fresh {
        not_proved(&client.client_id, &NotProved::Replayed);
    }
    Ok(fresh)
}

/// A token request (client credentials).
pub async fn token(app: &App, req: &TokenRequest) -> AppResult<TokenOutcome> {
    let Some(client_id) = named_client(req).filter(|c| !c.is_empty() && c.len() <= 100) else {
        return Ok(refused(
            OAuthError::InvalidClient,
            "name the client by HTTP Basic, client_id or a client assertion",
        ));
    };
    let cfg = &app.config().api;
    let now = app.clock().now();
    if let Some(wait) = failures_over(app, &client_id).await? {
        return Ok(TokenOutcome::RateLimited { retry_after: wait });
    }
    let Some((client, jti)) = verify(app, req, &client_id).await? else {
        count_failure(app, &client_id).await?;
        return Ok(refused(
            OAuthError::InvalidClient,
            "the client was not proved",
        ));
    };
    let state = ClientState::parse(&client.state).unwrap_or(ClientState::Suspended);
    if !state.may_get_tokens(cfg.sandbox) {
        return Ok(refused(
            OAuthError::UnauthorizedClient,
            "the client is suspended, or not certified for this portal",
        ));
    }
    match req.grant_type.as_str() {
        "client_credentials" => {}
        "authorization_code"
            if req
                .code
                .as_deref()
                .is_some_and(|c| c.starts_with(login::CODE_PREFIX)) =>
        {
            return login_exchange(app, &client, &jti, req).await
        }
        "authorization_code" => return redeem(app, &client, &jti, req).await,
        "refresh_token" => return login_exchange(app, &client, &jti, req).await,
        _ => {
            return Ok(refused(
                OAuthError::UnsupportedGrantType,
                "this endpoint grants client_credentials, authorization_code and refresh_token",
            ))
        }
    }
    let allowed = Scopes::parse(&client.scopes)
        .unwrap_or_default()
        .meet(&Scopes::api());
    let scopes = match req.scope.as_deref().map(Scopes::parse) {
        None => allowed,
        Some(Ok(asked)) if asked.within(&allowed) && !asked.is_empty() => asked,
        Some(_) => {
            return Ok(refused(
                OAuthError::InvalidScope,
                "a scope asked for is unknown or not registered for the client",
            ))
        }
    };
    let mut tx = app.store().begin_write().await?;
    if !spend_assertion(&mut tx, &client, &jti).await? {
        drop(tx);
        count_failure(app, &client_id).await?;
        return Ok(refused(
            OAuthError::InvalidClient,
            "the client was not proved",
        ));
    }
    let issued = issue(&mut tx, app, &client, &scopes, None, now).await?;
    tx.commit().await?;
    Ok(issued)
}

/// 「CCUSでログイン」's grants: a login code, or a refresh token. The transaction is committed
/// whatever the answer: a spent code or refresh token stays spent, and a reused one's family
/// stays ended.
async fn login_exchange(
    app: &App,
    client: &ApiClient,
    jti: &Option<(String, Timestamp)>,
    req: &TokenRequest,
) -> AppResult<TokenOutcome> {
    use login::exchange::{self, Exchanged};
    let key = login::keys::current(app).await?;
    let mut tx = app.store().begin_write().await?;
    if !spend_assertion(&mut tx, client, jti).await? {
        return Ok(refused(
            OAuthError::InvalidClient,
            "the client was not proved",
        ));
    }
    let done = if req.grant_type == "refresh_token" {
        let Some(token) = req.refresh_token.as_deref() else {
            return Ok(refused(
                OAuthError::InvalidRequest,
                "refresh_token is required",
            ));
        };
        exchange::refresh(app, &mut tx, &key, client, token, req.scope.as_deref()).await?
    } else {
        let (Some(code), Some(redirect_uri), Some(verifier)) = (
            req.code.as_deref(),
            req.redirect_uri.as_deref(),
            req.code_verifier.as_deref(),
        ) else {
            return Ok(refused(
                OAuthError::InvalidRequest,
                "code, redirect_uri and code_verifier are required",
            ));
        };
        exchange::redeem(app, &mut tx, &key, client, code, redirect_uri, verifier).await?
    };
    tx.commit().await?;
    Ok(match done {
        Exchanged::Issued(t) => TokenOutcome::Login(t),
        Exchanged::InvalidGrant(why) => refused(OAuthError::InvalidGrant, why),
        Exchanged::InvalidScope => refused(
            OAuthError::InvalidScope,
            "a refresh may ask for no more than the person allowed",
        ),
    })
}

/// Exchanges a business's authorization code (once, within its minute, by the client it was
/// made for, with the same redirect_uri and the PKCE verifier) for a token reaching that
/// business alone. The business's grant must still stand.
async fn redeem(
    app: &App,
    client: &ApiClient,
    jti: &Option<(String, Timestamp)>,
    req: &TokenRequest,
) -> AppResult<TokenOutcome> {
    let bad = || {
        refused(
            OAuthError::InvalidGrant,
            "the code is unknown, used, expired or not for this request",
        )
    };
    let (Some(code), Some(redirect_uri), Some(verifier)) = (
        req.code.as_deref(),
        req.redirect_uri.as_deref(),
        req.code_verifier.as_deref(),
    ) else {
        return Ok(refused(
            OAuthError::InvalidRequest,
            "code, redirect_uri and code_verifier are required",
        ));
    };
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    if !spend_assertion(&mut tx, client, jti).await? {
        return Ok(refused(
            OAuthError::InvalidClient,
            "the client was not proved",
        ));
    }
    let used = tx.api().use_code(&token_hash(code), now).await?;
    let Some(c) = used else {
        tx.commit().await?;
        return Ok(bad());
    };
    if c.client != client.id
        || c.redirect_uri != redirect_uri
        || !super::consent::verifier_matches(verifier, &c.code_challenge)
    {
        // The code is spent all the same.
        tx.commit().await?;
        return Ok(bad());
    }
    // The grant the consent made, as it stands now.
    let Some((granted, _)) = app.store().api().grant_of(c.business, client.id).await? else {
        tx.commit().await?;
        return Ok(bad());
    };
    let scopes = Scopes::parse(&c.scopes)
        .unwrap_or_default()
        .meet(&Scopes::parse(&granted).unwrap_or_default());
    let issued = issue(&mut tx, app, client, &scopes, Some(c.business), now).await?;
    tx.commit().await?;
    Ok(issued)
}

/// Issues an access token for `client` with `scopes` (for a business's consent: that
/// business), in the caller's transaction.
async fn issue(
    tx: &mut ccus_storage::StoreTx,
    app: &App,
    client: &ApiClient,
    scopes: &Scopes,
    business: Option<AccountId>,
    now: Timestamp,
) -> AppResult<TokenOutcome> {
    let ttl = app.config().api.token_ttl;
    let token = format!("{TOKEN_PREFIX}{}", random_token());
    let expires = now.plus(ttl);
    let scope = scopes.to_string();
    tx.api()
        .add_token(
            &token_hash(&token),
            client.id,
            &scope,
            business,
            now,
            expires,
        )
        .await?;
    Ok(TokenOutcome::Issued {
        access_token: token,
        expires_in: ttl.as_secs(),
        scope,
    })
}

/// What introspection (RFC 7662) says of a token, to a proved client: only its own tokens are
/// described; any other is "not active".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Introspection {
    Active {
        client_id: String,
        scope: String,
        exp: i64,
        iat: i64,
        /// The business whose consent made the token, as its 事業者ID.
        business: Option<AccountId>,
    },
    Inactive,
    /// The asking client was not proved.
    NotProved,
}

pub async fn introspect(app: &App, req: &TokenRequest, token: &str) -> AppResult<Introspection> {
    let Some(asker) = prove_only(app, req).await? else {
        return Ok(Introspection::NotProved);
    };
    let now = app.clock().now();
    let row = app.store().api().token(&token_hash(token), now).await?;
    Ok(match row {
        Some(t) if t.client.id == asker.id && live(&t.client, app) => Introspection::Active {
            client_id: t.client.client_id,
            scope: t.scopes,
            exp: t.expires_at.0 / 1000,
            iat: t.issued_at.0 / 1000,
            business: t.business,
        },
        _ => Introspection::Inactive,
    })
}

/// Revocation (RFC 7009): a proved client ends one of its own tokens. `false` when the client
/// was not proved; an unknown token is answered as revoked.
pub async fn revoke(app: &App, req: &TokenRequest, token: &str) -> AppResult<bool> {
    let Some(asker) = prove_only(app, req).await? else {
        return Ok(false);
    };
    let mut tx = app.store().begin_write().await?;
    let hash = token_hash(token);
    tx.api().end_token(&hash, asker.id).await?;
    // A login's refresh or userinfo token ends its whole login.
    if let Some(family) = tx.oidc().family_of(&hash, asker.id).await? {
        tx.oidc().end_family(&family).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// Proves the client of an introspection or revocation request; its failures count like a
/// token request's.
async fn prove_only(app: &App, req: &TokenRequest) -> AppResult<Option<ApiClient>> {
    let Some(client_id) = named_client(req).filter(|c| !c.is_empty() && c.len() <= 100) else {
        return Ok(None);
    };
    if failures_over(app, &client_id).await?.is_some() {
        return Ok(None);
    }
    if let Some((client, jti)) = verify(app, req, &client_id).await? {
        let mut tx = app.store().begin_write().await?;
        if spend_assertion(&mut tx, &client, &jti).await? {
            tx.commit().await?;
            return Ok(Some(client));
        }
    }
    count_failure(app, &client_id).await?;
    Ok(None)
}

/// The window failed proofs of one client_id are counted in.
const FAILURE_WINDOW: std::time::Duration = std::time::Duration::from_secs(60);

/// Seconds to wait when the client_id has had `api.failed_proofs_per_minute` failed proofs
/// in the window: then nothing naming it is checked until the window ends. A client that proves
/// itself is never counted, so its own rate is not limited here — only guessing is.
async fn failures_over(app: &App, client_id: &str) -> AppResult<Option<u64>> {
    let now = app.clock().now();
    let key = GuardKey::ApiToken(client_id.to_owned()).to_string();
    let (n, ends) = app
        .store()
        .guards()
        .window_count(&key, FAILURE_WINDOW, now)
        .await?;
    Ok((n >= app.config().api.failed_proofs_per_minute)
        .then(|| u64::try_from((ends.0 - now.0).max(1000) / 1000).unwrap_or(60)))
}

async fn count_failure(app: &App, client_id: &str) -> AppResult<()> {
    let key = GuardKey::ApiToken(client_id.to_owned()).to_string();
    app.store()
        .guards()
        .hit_window(&key, FAILURE_WINDOW, app.clock().now())
        .await?;
    Ok(())
}

/// Whether a client's tokens work now (its state on this portal).
pub(crate) fn live(client: &ApiClient, app: &App) -> bool {
    ClientState::parse(&client.state).is_some_and(|s| s.may_get_tokens(app.config().api.sandbox))
}
