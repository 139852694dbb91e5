//! Registering a system as a client of the partner API, and changing it: its state, the scopes
//! it may ask for, and how it proves itself. Done by operators (`ccus admin api-client …`) and
//! the helpdesk's supervisors; every change is in the helpdesk's audit log.
//!
//! **Keys.** A client that signs registers its public keys as a JWK Set, or the https address
//! it publishes that set at ([`super::remote_keys`] fetches it). Rotating a key without
//! downtime: register a set holding the old and the new key (each with its own `kid`), let the
//! system switch to signing with the new one, then register the set without the old — or, with
//! an address, publish the new key there beside the old. A set holding a private key is refused — the
//! portal never holds a vendor's secret key. A client that cannot sign gets a secret, shown
//! once and kept as its hash; a new one replaces it at once.

use std::fmt;

use ccus_domain::api::{ClientAuthMethod, ClientState, Scopes};
use ccus_storage::{ApiClient, NewApiClient};
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, JwkSet};

use crate::audit::{self, Actor, AuditAction, AuditDetail, AuditEvent};
use crate::tokens::{random_token, token_hash};
use crate::{App, AppResult};

use super::{CLIENT_ID_PREFIX, SECRET_PREFIX};

/// How a new client proves itself.
#[derive(Debug, Clone)]
pub enum ClientKeys {
    /// Its public keys, a JWK Set as JSON.
    Jwks(String),
    /// The address it publishes its JWK Set at (https; fetched when needed).
    JwksUrl(String),
    /// A secret made now and shown once.
    Secret,
}

/// A system to register.
#[derive(Debug, Clone)]
pub struct NewClient {
    pub name: String,
    pub vendor: String,
    pub contact: String,
    /// The scopes it may ask for, space-separated.
    pub scopes: String,
    pub keys: ClientKeys,
    /// Where a business's consent may send it back to, space-separated (none: it uses client
    /// credentials only).
    pub redirect_uris: String,
}

/// A change to a registered client.
#[derive(Debug, Clone)]
pub enum ClientChange {
    State(ClientState),
    Scopes(String),
    RedirectUris(String),
    /// New keys (a JWK Set, or a new secret); the old ones stop at once.
    Keys(ClientKeys),
}

/// Why a registration or change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientProblem {
    /// A required item is empty or too long (its name).
    Missing(&'static str),
    ContactInvalid,
    UnknownScope(String),
    NoScopes,
    /// The JWK Set cannot be used, and why.
    KeysInvalid(String),
    /// A key in the set is a private key.
    PrivateKeyGiven,
    /// A redirect_uri is not `https://` (or `http://` to this machine), or has a fragment.
    RedirectInvalid(String),
    UnknownClient,
}

impl ClientProblem {
    /// The catalog key of the problem, for the console's pages.
    pub fn key(&self) -> &'static str {
        match self {
            ClientProblem::Missing(_) => "api-client-problem-missing",
            ClientProblem::ContactInvalid => "api-client-problem-contact",
            ClientProblem::UnknownScope(_) | ClientProblem::NoScopes => "api-client-problem-scopes",
            ClientProblem::KeysInvalid(_) => "api-client-problem-keys",
            ClientProblem::PrivateKeyGiven => "api-client-problem-private-key",
            ClientProblem::RedirectInvalid(_) => "api-client-problem-redirect",
            ClientProblem::UnknownClient => "api-client-problem-unknown",
        }
    }
}

impl fmt::Display for ClientProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientProblem::Missing(what) => {
                write!(f, "{what} is missing or longer than 200 characters")
            }
            ClientProblem::ContactInvalid => f.write_str("the contact must be a mail address"),
            ClientProblem::UnknownScope(s) => write!(f, "{s:?} is not a scope"),
            ClientProblem::NoScopes => f.write_str("a client needs at least one scope"),
            ClientProblem::KeysInvalid(why) => write!(f, "the JWK Set cannot be used: {why}"),
            ClientProblem::PrivateKeyGiven => {
                f.write_str("the JWK Set holds a private key: register only the public keys")
            }
            ClientProblem::RedirectInvalid(u) => write!(
                f,
                "{u:?} cannot be a redirect_uri: https:// (or http:// to localhost), no fragment"
            ),
            ClientProblem::UnknownClient => f.write_str("no client has this client_id"),
        }
    }
}

/// The answer to a registration or change.
#[derive(Debug, Clone)]
pub enum ClientOutcome {
    /// Done: the client as it now is, and a secret made now (shown this once).
    Done {
        client: Box<ApiClient>,
        secret: Option<String>,
    },
    Refused(ClientProblem),
}

const MAX_TEXT: usize = 200;

fn text(value: &str, what: &'static str) -> Result<String, ClientProblem> {
    let v = value.trim();
    if v.is_empty() || v.chars().count() > MAX_TEXT {
        return Err(ClientProblem::Missing(what));
    }
    Ok(v.to_owned())
}

/// Checks redirect URIs: absolute `https://` ones (or `http://` to this machine, for native
/// and test set-ups), without a fragment; returns them space-separated.
fn redirect_uris(list: &str) -> Result<String, ClientProblem> {
    let mut out = Vec::new();
    for u in list.split_ascii_whitespace() {
        let local = u.starts_with("http://localhost") || u.starts_with("http://127.0.0.1");
        let host_part = u.split_once("://").map_or("", |(_, r)| r);
        if !(u.starts_with("https://") || local)
            || host_part.is_empty()
            || host_part.starts_with('/')
            || u.contains('#')
            || u.len() > 500
        {
            return Err(ClientProblem::RedirectInvalid(u.to_owned()));
        }
        out.push(u);
    }
    Ok(out.join(" "))
}

fn scopes(list: &str) -> Result<Scopes, ClientProblem> {
    let s = Scopes::parse(list).map_err(|e| ClientProblem::UnknownScope(e.0))?;
    if s.is_empty() {
        return Err(ClientProblem::NoScopes);
    }
    Ok(s)
}

/// Checks a JWK Set: JSON, at least one key, every key public, of a kind we verify (EC P-256,
/// RSA, Ed25519), and named by `kid` when there are several. Returns it as stored.
pub fn check_jwks(json: &str) -> Result<String, ClientProblem> {
    let raw: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| ClientProblem::KeysInvalid(format!("not JSON: {e}")))?;
    let keys = raw
        .get("keys")
        .and_then(|k| k.as_array())
        .ok_or_else(|| ClientProblem::KeysInvalid("no \"keys\" array".into()))?;
    if keys.is_empty() {
        return Err(ClientProblem::KeysInvalid("no key".into()));
    }
    // Private parts of EC, OKP and RSA keys, and a symmetric key's secret.
    for k in keys {
        if ["d", "p", "q", "dp", "dq", "qi", "k"]
            .iter()
            .any(|p| k.get(p).is_some())
        {
            return Err(ClientProblem::PrivateKeyGiven);
        }
    }
    let set: JwkSet = serde_json::from_value(raw.clone())
        .map_err(|e| ClientProblem::KeysInvalid(e.to_string()))?;
    for k in &set.keys {
        match &k.algorithm {
            AlgorithmParameters::EllipticCurve(ec) if ec.curve == EllipticCurve::P256 => {}
            AlgorithmParameters::RSA(_) => {}
            AlgorithmParameters::OctetKeyPair(okp) if okp.curve == EllipticCurve::Ed25519 => {}
            _ => {
                return Err(ClientProblem::KeysInvalid(
                    "only EC P-256, RSA and Ed25519 keys are accepted".into(),
                ))
            }
        }
        if set.keys.len() > 1 && k.common.key_id.as_deref().is_none_or(str::is_empty) {
            return Err(ClientProblem::KeysInvalid(
                "each key of a set of several needs a kid".into(),
            ));
        }
    }
    Ok(raw.to_string())
}

/// What a client's keys set: the method, the JWK Set, the key set's address, the secret's
/// hash; and the secret made now.
struct KeyColumns {
    method: ClientAuthMethod,
    jwks: String,
    jwks_url: String,
    secret_hash: String,
    secret: Option<String>,
}

/// A key set's address: https (or this machine, for a vendor's own tests), at most 500
/// characters, no fragment.
fn check_jwks_url(url: &str) -> Result<String, ClientProblem> {
    let u = url.trim();
    let local = u.starts_with("http://localhost") || u.starts_with("http://127.0.0.1");
    let host = u.split_once("://").map_or("", |(_, r)| r);
    if !(u.starts_with("https://") || local)
        || host.is_empty()
        || host.starts_with('/')
        || u.contains('#')
        || u.contains(char::is_whitespace)
        || u.len() > 500
    {
        return Err(ClientProblem::KeysInvalid(
            "the key set's address must be https".into(),
        ));
    }
    Ok(u.to_owned())
}

fn key_columns(keys: &ClientKeys) -> Result<KeyColumns, ClientProblem> {
    let signs = |jwks: String, jwks_url: String| KeyColumns {
        method: ClientAuthMethod::PrivateKeyJwt,
        jwks,
        jwks_url,
        secret_hash: String::new(),
        secret: None,
    };
    Ok(match keys {
        ClientKeys::Jwks(json) => signs(check_jwks(json)?, String::new()),
        ClientKeys::JwksUrl(url) => signs(String::new(), check_jwks_url(url)?),
        ClientKeys::Secret => {
            let secret = format!("{SECRET_PREFIX}{}", random_token());
            KeyColumns {
                method: ClientAuthMethod::ClientSecret,
                jwks: String::new(),
                jwks_url: String::new(),
                secret_hash: token_hash(&secret),
                secret: Some(secret),
            }
        }
    })
}

/// Registers a system; its client_id is made here. A new client starts in `sandbox`.
pub async fn register(app: &App, by: &Actor, new: &NewClient) -> AppResult<ClientOutcome> {
    let checked = (|| {
        let name = text(&new.name, "the name")?;
        let vendor = text(&new.vendor, "the vendor")?;
        let contact = text(&new.contact, "the contact")?;
        if !contact.contains('@') {
            return Err(ClientProblem::ContactInvalid);
        }
        let scopes = scopes(&new.scopes)?;
        let uris = redirect_uris(&new.redirect_uris)?;
        Ok((name, vendor, contact, scopes, uris, key_columns(&new.keys)?))
    })();
    let (name, vendor, contact, scopes, uris, keys) = match checked {
        Ok(c) => c,
        Err(p) => return Ok(ClientOutcome::Refused(p)),
    };
    // 128 random bits, readable in a log line.
    let client_id = format!("{CLIENT_ID_PREFIX}{}", &random_token()[..22]);
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let scopes = scopes.to_string();
    let id = tx
        .api()
        .add_client(
            &NewApiClient {
                client_id: &client_id,
                name: &name,
                vendor: &vendor,
                contact: &contact,
                scopes: &scopes,
                state: ClientState::Sandbox.code(),
                auth_method: keys.method.code(),
                jwks: &keys.jwks,
                jwks_url: &keys.jwks_url,
                secret_hash: &keys.secret_hash,
                redirect_uris: &uris,
            },
            now,
        )
        .await?;
    let event = AuditEvent::new(
        AuditAction::ApiClientRegistered,
        AuditDetail::ApiClient {
            client_id: client_id.clone(),
            name: name.clone(),
            change: format!("scopes={scopes} auth={}", keys.method.code()),
        },
    );
    audit::record(&mut tx, by, event, now).await?;
    tx.commit().await?;
    let client = app
        .store()
        .api()
        .client(id)
        .await?
        .ok_or_else(|| crate::AppError::Internal("a client just registered is gone".into()))?;
    tracing::info!(client = %client.client_id, "partner API client registered");
    Ok(ClientOutcome::Done {
        client: Box::new(client),
        secret: keys.secret,
    })
}

/// Changes a client. Suspending it ends its tokens at once; so do new keys (a key may have
/// leaked).
pub async fn change(
    app: &App,
    by: &Actor,
    client_id: &str,
    change: &ClientChange,
) -> AppResult<ClientOutcome> {
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let Some(mut client) = tx.api().lock_client(client_id.trim()).await? else {
        return Ok(ClientOutcome::Refused(ClientProblem::UnknownClient));
    };
    let mut secret = None;
    let mut end_tokens = false;
    let words = match change {
        ClientChange::State(state) => {
            client.state = state.code().to_owned();
            end_tokens = *state == ClientState::Suspended;
            format!("state={}", state.code())
        }
        ClientChange::Scopes(list) => match scopes(list) {
            Ok(s) => {
                client.scopes = s.to_string();
                format!("scopes={}", client.scopes)
            }
            Err(p) => return Ok(ClientOutcome::Refused(p)),
        },
        ClientChange::RedirectUris(list) => match redirect_uris(list) {
            Ok(u) => {
                client.redirect_uris = u;
                format!("redirect_uris={}", client.redirect_uris)
            }
            Err(p) => return Ok(ClientOutcome::Refused(p)),
        },
        ClientChange::Keys(keys) => match key_columns(keys) {
            Ok(k) => {
                client.auth_method = k.method.code().to_owned();
                client.jwks = k.jwks;
                client.jwks_url = k.jwks_url;
                client.secret_hash = k.secret_hash;
                secret = k.secret;
                end_tokens = true;
                if secret.is_some() {
                    "secret".to_owned()
                } else {
                    "keys".to_owned()
                }
            }
            Err(p) => return Ok(ClientOutcome::Refused(p)),
        },
    };
    tx.api().update_client(&client, now).await?;
    if end_tokens {
        tx.api().end_tokens(client.id).await?;
        tx.oidc().end_client_tokens(client.id).await?;
    }
    let event = AuditEvent::new(
        AuditAction::ApiClientChanged,
        AuditDetail::ApiClient {
            client_id: client.client_id.clone(),
            name: client.name.clone(),
            change: words,
        },
    );
    audit::record(&mut tx, by, event, now).await?;
    tx.commit().await?;
    Ok(ClientOutcome::Done {
        client: Box::new(client),
        secret,
    })
}

/// Every registered client, newest first.
pub async fn list(app: &App) -> AppResult<Vec<ApiClient>> {
    Ok(app.store().api().clients().await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const EC_PUBLIC: &str = r#"{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}"#;

    #[test]
    fn a_public_key_set_is_kept() {
        assert!(check_jwks(EC_PUBLIC).is_ok());
    }

    #[test]
    fn a_private_key_is_refused() {
        let private = EC_PUBLIC.replace(
            r#""kid":"k1","#,
            r#""kid":"k1","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI","#,
        );
        assert_eq!(check_jwks(&private), Err(ClientProblem::PrivateKeyGiven));
        let symmetric = r#"{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}"#;
        assert_eq!(check_jwks(symmetric), Err(ClientProblem::PrivateKeyGiven));
    }

    #[test]
    fn redirect_uris_are_https_or_this_machine() {
        assert_eq!(
            redirect_uris(" https://gate.example/cb  http://127.0.0.1:8400/cb "),
            Ok("https://gate.example/cb http://127.0.0.1:8400/cb".into())
        );
        for bad in [
            "http://gate.example/cb",
            "https://gate.example/cb#x",
            "https:///cb",
            "gate",
        ] {
            assert!(redirect_uris(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn several_keys_need_their_kids() {
        let two = r#"{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"},{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}]}"#;
        assert!(matches!(
            check_jwks(two),
            Err(ClientProblem::KeysInvalid(_))
        ));
        assert!(matches!(
            check_jwks("[]"),
            Err(ClientProblem::KeysInvalid(_))
        ));
        assert!(matches!(
            check_jwks(r#"{"keys":[]}"#),
            Err(ClientProblem::KeysInvalid(_))
        ));
    }
}
