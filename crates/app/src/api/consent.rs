//! A business's consent by the authorization-code flow (RFC 6749 §4.1, with PKCE — S256 only,
//! RFC 7636): a system sends a 管理者ID of the business to the consent page, the person sees the
//! system and what it asks for, and allows or refuses; allowing makes the business's grant
//! ([`super::grants`]) and a one-minute code the system exchanges at the token endpoint for a
//! token that reaches that business alone.
//!
//! An unknown client or a `redirect_uri` it did not register is told to the person and never
//! followed (an open redirector otherwise); every other fault goes back to the system as
//! RFC 6749 §4.1.2.1 says.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ccus_domain::api::Scopes;
use ccus_storage::{ApiClient, ApiCode};
use sha2::{Digest, Sha256};

use crate::org::OrgContext;
use crate::tokens::{random_token, token_hash};
use crate::{App, AppResult};

use super::grants::{self, GrantOutcome};

/// How long a code may wait to be exchanged.
const CODE_TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// An authorization request, as the system sent it.
#[derive(Debug, Clone, Default)]
pub struct AuthorizeRequest {
    pub response_type: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub state: String,
    pub code_challenge: String,
    pub code_challenge_method: String,
}

/// Why a request is told to the person instead of going back to the system.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// No live client has this client_id.
    UnknownClient,
    /// The redirect_uri is not one the client registered.
    UnknownRedirect,
}

impl Stop {
    /// The catalog key telling the person.
    pub fn key(self) -> &'static str {
        match self {
            Stop::UnknownClient => "consent-stop-client",
            Stop::UnknownRedirect => "consent-stop-redirect",
        }
    }
}

/// What to do with a request.
#[derive(Debug, Clone)]
pub enum Checked {
    /// Ask the person: the client and the scopes it asks for.
    Ask {
        client: Box<ApiClient>,
        scopes: Scopes,
    },
    Stop(Stop),
    /// Send the browser back to the system with an error (this address).
    Back(String),
}

/// A value for a URL's query.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `redirect_uri` with `params` added to its query.
pub(crate) fn back_to(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    let mut url = redirect_uri.to_owned();
    let mut sep = if url.contains('?') { '&' } else { '?' };
    for (k, v) in params.iter().filter(|(_, v)| !v.is_empty()) {
        url.push(sep);
        url.push_str(k);
        url.push('=');
        url.push_str(&escape(v));
        sep = '&';
    }
    url
}

fn error_back(req: &AuthorizeRequest, error: &str, description: &str) -> Checked {
    Checked::Back(back_to(
        &req.redirect_uri,
        &[
            ("error", error),
            ("error_description", description),
            ("state", &req.state),
        ],
    ))
}

/// Whether a PKCE challenge can be one: base64url of a SHA-256.
pub(crate) fn valid_challenge(c: &str) -> bool {
    c.len() == 43 && URL_SAFE_NO_PAD.decode(c).is_ok_and(|b| b.len() == 32)
}

/// Checks a request before the person is asked.
pub async fn check(app: &App, req: &AuthorizeRequest) -> AppResult<Checked> {
    let Some(client) = grants::grantable(app, &req.client_id).await? else {
        return Ok(Checked::Stop(Stop::UnknownClient));
    };
    if req.redirect_uri.is_empty()
        || !client
            .redirect_uris
            .split_ascii_whitespace()
            .any(|u| u == req.redirect_uri)
    {
        return Ok(Checked::Stop(Stop::UnknownRedirect));
    }
    if req.response_type != "code" {
        return Ok(error_back(
            req,
            "unsupported_response_type",
            "only response_type=code",
        ));
    }
    if req.code_challenge_method != "S256" || !valid_challenge(&req.code_challenge) {
        return Ok(error_back(
            req,
            "invalid_request",
            "PKCE with code_challenge_method=S256 is required",
        ));
    }
    let allowed = Scopes::parse(&client.scopes)
        .unwrap_or_default()
        .meet(&Scopes::api());
    let scopes = match Scopes::parse(&req.scope) {
        Ok(s) if s.is_empty() => allowed,
        Ok(s) if s.within(&allowed) => s,
        _ => {
            return Ok(error_back(
                req,
                "invalid_scope",
                "a scope is not registered",
            ))
        }
    };
    Ok(Checked::Ask {
        client: Box::new(client),
        scopes,
    })
}

/// What the person's answer did.
#[derive(Debug, Clone)]
pub enum Decided {
    /// Send the browser back to the system (a code, or `access_denied`).
    Back(String),
    Stop(Stop),
    /// The person may not let systems in.
    Forbidden,
}

/// The person's answer: allowing grants the business's data within the scopes asked and
/// sends a code back; refusing sends `access_denied`.
pub async fn decide(
    app: &App,
    ctx: &OrgContext,
    req: &AuthorizeRequest,
    allow: bool,
) -> AppResult<Decided> {
    let (client, scopes) = match check(app, req).await? {
        Checked::Ask { client, scopes } => (client, scopes),
        Checked::Stop(s) => return Ok(Decided::Stop(s)),
        Checked::Back(url) => return Ok(Decided::Back(url)),
    };
    if !grants::may_grant(ctx) {
        return Ok(Decided::Forbidden);
    }
    if !allow {
        return Ok(Decided::Back(back_to(
            &req.redirect_uri,
            &[("error", "access_denied"), ("state", &req.state)],
        )));
    }
    match grants::grant(app, ctx, &client.client_id, &scopes).await? {
        GrantOutcome::Granted(_) => {}
        GrantOutcome::Forbidden => return Ok(Decided::Forbidden),
        GrantOutcome::UnknownClient => return Ok(Decided::Stop(Stop::UnknownClient)),
        GrantOutcome::ScopesNotAllowed => {
            return Ok(
                match error_back(req, "invalid_scope", "a scope is not registered") {
                    Checked::Back(url) => Decided::Back(url),
                    _ => Decided::Stop(Stop::UnknownClient),
                },
            )
        }
    }
    let code = random_token();
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    tx.api()
        .add_code(
            &token_hash(&code),
            &ApiCode {
                client: client.id,
                business: ctx.business.id,
                scopes: scopes.to_string(),
                redirect_uri: req.redirect_uri.clone(),
                code_challenge: req.code_challenge.clone(),
            },
            now.plus(CODE_TTL),
        )
        .await?;
    tx.commit().await?;
    Ok(Decided::Back(back_to(
        &req.redirect_uri,
        &[("code", &code), ("state", &req.state)],
    )))
}

/// Whether `verifier` is the PKCE verifier of `challenge` (S256).
pub(crate) fn verifier_matches(verifier: &str, challenge: &str) -> bool {
    let ok_chars = verifier
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'));
    if !(43..=128).contains(&verifier.len()) || !ok_chars {
        return false;
    }
    let digest = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    subtle::ConstantTimeEq::ct_eq(digest.as_bytes(), challenge.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rfc_7636_example_verifier_matches_its_challenge() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        assert!(valid_challenge(challenge));
        assert!(verifier_matches(verifier, challenge));
        assert!(!verifier_matches(
            "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXx",
            challenge
        ));
        assert!(!verifier_matches("short", challenge));
    }

    #[test]
    fn parameters_go_back_escaped_and_empty_ones_are_left_out() {
        assert_eq!(
            back_to(
                "https://gate.example/cb?x=1",
                &[("code", "a b&c"), ("state", "")]
            ),
            "https://gate.example/cb?x=1&code=a%20b%26c"
        );
    }
}
