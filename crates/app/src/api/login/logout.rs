//! RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): a service that logs a person
//! out sends their browser to the portal's end-session address with the ID token it got
//! (`id_token_hint`) and where to come back (`post_logout_redirect_uri`, one the service
//! registered). A hint the portal signed, for the person signed in here, ends their portal
//! session at once; without one, the person is asked first. An address the service did not
//! register is never followed.

use ccus_domain::api::Scope;
use ccus_domain::AccountId;
use jsonwebtoken::{DecodingKey, Validation};
use serde::Deserialize;

use crate::api::consent::back_to;
use crate::{App, AppResult};

use super::exchange::issuer;
use super::keys;

/// An end-session request, as the service sent it.
#[derive(Debug, Clone, Default)]
pub struct LogoutRequest {
    pub id_token_hint: String,
    pub client_id: String,
    pub post_logout_redirect_uri: String,
    pub state: String,
}

/// What the portal makes of it.
#[derive(Debug, Clone, Default)]
pub struct LogoutPlan {
    /// The person the hint names (a valid ID token the portal signed).
    pub person: Option<AccountId>,
    /// The service's name, when it is known.
    pub service: Option<String>,
    /// Where to send the browser afterwards (with `state`), when the service registered it.
    pub back: Option<String>,
}

#[derive(Debug, Deserialize)]
struct HintClaims {
    sub: String,
    aud: String,
}

/// The `aud` and `sub` of an ID token the portal signed (expired or not).
async fn read_hint(app: &App, hint: &str) -> AppResult<Option<HintClaims>> {
    if hint.is_empty() || hint.len() > 8000 {
        return Ok(None);
    }
    let Ok(header) = jsonwebtoken::decode_header(hint) else {
        return Ok(None);
    };
    let set = keys::published(app).await?;
    let Some(jwk) = header.kid.as_deref().and_then(|k| set.find(k)) else {
        return Ok(None);
    };
    let Ok(key) = DecodingKey::from_jwk(jwk) else {
        return Ok(None);
    };
    let mut v = Validation::new(jsonwebtoken::Algorithm::RS256);
    v.validate_exp = false;
    v.validate_aud = false;
    v.required_spec_claims = ["iss", "sub", "aud"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    v.set_issuer(&[issuer(app)]);
    Ok(jsonwebtoken::decode::<HintClaims>(hint, &key, &v)
        .ok()
        .map(|d| d.claims))
}

/// Reads an end-session request.
pub async fn plan(app: &App, req: &LogoutRequest) -> AppResult<LogoutPlan> {
    let hint = read_hint(app, &req.id_token_hint).await?;
    let client_id = match (&hint, req.client_id.as_str()) {
        (Some(h), "") => h.aud.clone(),
        (Some(h), c) if h.aud != c => return Ok(LogoutPlan::default()),
        (_, c) => c.to_owned(),
    };
    let client = app
        .store()
        .api()
        .client_by_client_id(&client_id)
        .await?
        .filter(|c| {
            c.scopes
                .split_ascii_whitespace()
                .any(|s| s == Scope::OpenId.code())
        });
    let Some(client) = client else {
        return Ok(LogoutPlan::default());
    };
    let person = match &hint {
        Some(h) => {
            app.store()
                .oidc()
                .subject_account(client.id, &h.sub)
                .await?
        }
        None => None,
    };
    let back = (!req.post_logout_redirect_uri.is_empty()
        && client
            .redirect_uris
            .split_ascii_whitespace()
            .any(|u| u == req.post_logout_redirect_uri))
    .then(|| back_to(&req.post_logout_redirect_uri, &[("state", &req.state)]));
    Ok(LogoutPlan {
        person,
        service: Some(client.name),
        back,
    })
}
