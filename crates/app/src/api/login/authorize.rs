//! The login's authorization request (OpenID Connect Core §3.1.2, with PKCE — S256 only): a
//! service sends a technician's browser here; the portal's own login comes first (passkeys,
//! lockout, the guide for people who cannot log in), then the person sees the service, its
//! maker and what it will learn, in their language, and allows or refuses. Allowing records the
//! consent and sends a one-minute code back; a later login asking no more than was allowed goes
//! straight back.
//!
//! An unknown client, one not registered for the login, or a `redirect_uri` it did not register
//! is told to the person and never followed; every other fault goes back to the service.

use ccus_domain::access::AccessEventKind;
use ccus_domain::api::{ClientState, Scope, Scopes};
use ccus_domain::{AccountKind, Timestamp};
use ccus_storage::{Account, ApiClient, ClientInfo};

use crate::api::consent::{back_to, valid_challenge, Stop};
use crate::tokens::{random_token, token_hash};
use crate::{App, AppResult};

use super::CODE_PREFIX;

/// How long a code may wait to be exchanged.
const CODE_TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// The longest `nonce` and `state` kept (a signed state can be long).
const MAX_PARAM: usize = 1024;

/// An authorization request, as the service sent it.
#[derive(Debug, Clone, Default)]
pub struct LoginRequest {
    pub response_type: String,
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub state: String,
    pub nonce: String,
    pub code_challenge: String,
    pub code_challenge_method: String,
    /// `none`, `login`, `consent` or `select_account`, space-separated.
    pub prompt: String,
}

impl LoginRequest {
    fn prompts(&self, p: &str) -> bool {
        self.prompt.split_ascii_whitespace().any(|x| x == p)
    }
    /// The service asks that nothing be shown (`prompt=none`).
    pub fn silent(&self) -> bool {
        self.prompts("none")
    }
}

/// What to do with a request.
#[derive(Debug, Clone)]
pub enum Checked {
    /// Ask the person: the service and the scopes it asks for.
    Ask {
        client: Box<ApiClient>,
        scopes: Scopes,
    },
    Stop(Stop),
    /// Send the browser back to the service (with an error).
    Back(String),
}

fn error_back(req: &LoginRequest, error: &str, description: &str) -> String {
    back_to(
        &req.redirect_uri,
        &[
            ("error", error),
            ("error_description", description),
            ("state", &req.state),
        ],
    )
}

/// Checks a request before the person is asked.
pub async fn check(app: &App, req: &LoginRequest) -> AppResult<Checked> {
    let client = app
        .store()
        .api()
        .client_by_client_id(&req.client_id)
        .await?;
    let Some(client) = client.filter(|c| {
        ClientState::parse(&c.state).is_some_and(|s| s.may_get_tokens(app.config().api.sandbox))
            && Scopes::parse(&c.scopes)
                .unwrap_or_default()
                .contains(Scope::OpenId)
    }) else {
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
        return Ok(Checked::Back(error_back(
            req,
            "unsupported_response_type",
            "only response_type=code",
        )));
    }
    if req.code_challenge_method != "S256" || !valid_challenge(&req.code_challenge) {
        return Ok(Checked::Back(error_back(
            req,
            "invalid_request",
            "PKCE with code_challenge_method=S256 is required",
        )));
    }
    if req.state.len() > MAX_PARAM || req.nonce.len() > MAX_PARAM {
        return Ok(Checked::Back(error_back(
            req,
            "invalid_request",
            "state and nonce are limited to 1024 characters",
        )));
    }
    // Scope values the portal does not know are ignored (OpenID Connect Core §3.1.2.1); those
    // the service was not registered for are not given.
    let asked = Scopes::of(
        &req.scope
            .split_ascii_whitespace()
            .filter_map(Scope::parse)
            .collect::<Vec<_>>(),
    );
    if !asked.contains(Scope::OpenId) {
        return Ok(Checked::Back(error_back(
            req,
            "invalid_scope",
            "the scope must include openid",
        )));
    }
    let scopes = asked
        .meet(&Scopes::login())
        .meet(&Scopes::parse(&client.scopes).unwrap_or_default());
    Ok(Checked::Ask {
        client: Box::new(client),
        scopes,
    })
}

/// Whether the person allowed this service these scopes before (so it need not ask again).
pub async fn allowed_before(
    app: &App,
    person: &Account,
    client: &ApiClient,
    scopes: &Scopes,
) -> AppResult<bool> {
    let consent = app
        .store()
        .oidc()
        .live_consent(person.id, client.id)
        .await?;
    Ok(consent.is_some_and(|c| scopes.within(&Scopes::parse(&c.scopes).unwrap_or_default())))
}

/// The answer for a silent request (`prompt=none`) from a signed-in person: a code when they
/// allowed this before, otherwise `consent_required`. `None` when the request is not one.
pub fn must_interact(req: &LoginRequest, signed_in: bool) -> Option<String> {
    (req.silent() && !signed_in).then(|| error_back(req, "login_required", "not logged in"))
}

/// What the person's answer did.
#[derive(Debug, Clone)]
pub enum Decided {
    /// Send the browser back to the service (a code, or an error).
    Back(String),
    Stop(Stop),
}

/// The person's answer (or, for a login already allowed, no question at all): allowing
/// records the consent and sends a code back; refusing sends `access_denied`. `auth_time` is
/// when the person logged in to the portal.
pub async fn decide(
    app: &App,
    person: &Account,
    client_info: &ClientInfo,
    auth_time: Timestamp,
    req: &LoginRequest,
    allow: bool,
) -> AppResult<Decided> {
    let (client, scopes) = match check(app, req).await? {
        Checked::Ask { client, scopes } => (client, scopes),
        Checked::Stop(s) => return Ok(Decided::Stop(s)),
        Checked::Back(url) => return Ok(Decided::Back(url)),
    };
    if person.kind() != AccountKind::Technician {
        return Ok(Decided::Back(error_back(
            req,
            "access_denied",
            "only technicians log in with CCUS",
        )));
    }
    if !allow {
        return Ok(Decided::Back(back_to(
            &req.redirect_uri,
            &[("error", "access_denied"), ("state", &req.state)],
        )));
    }
    let before = allowed_before(app, person, &client, &scopes).await?;
    if req.silent() && !before {
        return Ok(Decided::Back(error_back(
            req,
            "consent_required",
            "the person has not allowed this",
        )));
    }
    let code = format!("{CODE_PREFIX}{}", random_token());
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let (consent, _) = tx
        .oidc()
        .consent(
            person.id,
            client.id,
            &scopes.to_string(),
            &random_token(),
            now,
        )
        .await?;
    tx.oidc()
        .add_code(
            &token_hash(&code),
            consent,
            &req.redirect_uri,
            &req.code_challenge,
            &req.nonce,
            auth_time,
            now.plus(CODE_TTL),
        )
        .await?;
    if !before {
        tx.history()
            .record_event(
                &person.login_id,
                AccessEventKind::ServiceAllowed,
                client_info,
                now,
            )
            .await?;
    }
    tx.history()
        .record_event(
            &person.login_id,
            AccessEventKind::ServiceLogin,
            client_info,
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(Decided::Back(back_to(
        &req.redirect_uri,
        &[("code", &code), ("state", &req.state)],
    )))
}
