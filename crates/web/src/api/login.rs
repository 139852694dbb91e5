//! 「CCUSでログイン」 on the web: discovery (`/.well-known/openid-configuration`), the key set
//! (`/oauth/jwks`), userinfo (`/oauth/userinfo`), the technician's consent page
//! (`/ccus_skill/oauth/authorize`), end-session (`/oauth/logout`), and the person's list of
//! the services they allowed (`/ccus_skill/services`). The decisions are
//! [`ccus_app::api::login`]'s; the token endpoint is [`super::oauth`]'s.

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ccus_app::api::consent::Stop;
use ccus_app::api::login::authorize::{self, Checked, Decided, LoginRequest};
use ccus_app::api::login::{claims, consents, exchange, keys, logout};
use ccus_domain::api::{Scope, Scopes};
use ccus_domain::AccountKind;
use serde::Deserialize;

use crate::error::WebResult;
use crate::forms::{lenient_query, CheckedForm};
use crate::pages::html;
use crate::present::{chrome, Chrome, Notice};
use crate::security::{CsrfCookie, SESSION_COOKIE};
use crate::session::{clear_session_cookie, Client, CsrfToken, SignedIn};
use crate::{i18n, AppState};

use super::views::{LoginConsentPage, LogoutPage, ServiceRow, ServicesPage};

/// A JSON document anyone may read, from any origin (discovery and keys).
fn public_json(body: serde_json::Value, max_age: &'static str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(max_age)),
            (
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            ),
        ],
        body.to_string(),
    )
        .into_response()
}

/// `GET /.well-known/openid-configuration` (OpenID Connect Discovery 1.0).
pub(super) async fn discovery(State(state): State<AppState>) -> Response {
    let iss = exchange::issuer(&state);
    let scopes: Vec<&str> = Scopes::login().iter().map(Scope::code).collect();
    public_json(
        serde_json::json!({
            "issuer": iss,
            "authorization_endpoint": format!("{iss}/ccus_skill/oauth/authorize"),
            "token_endpoint": format!("{iss}/oauth/token"),
            "userinfo_endpoint": format!("{iss}/oauth/userinfo"),
            "jwks_uri": format!("{iss}/oauth/jwks"),
            "end_session_endpoint": format!("{iss}/oauth/logout"),
            "revocation_endpoint": format!("{iss}/oauth/revoke"),
            "introspection_endpoint": format!("{iss}/oauth/introspect"),
            "scopes_supported": scopes,
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": [keys::ALGORITHM],
            "token_endpoint_auth_methods_supported":
                ["private_key_jwt", "client_secret_basic", "client_secret_post"],
            "token_endpoint_auth_signing_alg_values_supported":
                ["ES256", "RS256", "PS256", "EdDSA"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce",
                                 "at_hash", "name", "ccus_technician_id", "ccus_affiliation",
                                 "ccus_levels"],
            "prompt_values_supported": ["none", "consent"],
            "ui_locales_supported": ["ja", "en"],
            "claims_parameter_supported": false,
            "request_parameter_supported": false,
            "request_uri_parameter_supported": false,
        }),
        "public, max-age=3600",
    )
}

/// `GET /oauth/jwks`: the ID-token keys in use and lately replaced.
pub(super) async fn jwks(State(state): State<AppState>) -> WebResult<Response> {
    Ok(public_json(
        keys::jwks(&state).await?,
        "public, max-age=300",
    ))
}

/// `GET|POST /oauth/userinfo` with `Authorization: Bearer ccusi_…`.
pub(super) async fn userinfo(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, t) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| t.trim())
        });
    let found = match token {
        Some(t) => claims::userinfo(&state, t).await?,
        None => None,
    };
    Ok(match found {
        Some(c) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            serde_json::Value::Object(c).to_string(),
        )
            .into_response(),
        None => (
            StatusCode::UNAUTHORIZED,
            [(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            )],
        )
            .into_response(),
    })
}

/// The parameters of a login request, from the query or the consent form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Params {
    response_type: String,
    client_id: String,
    redirect_uri: String,
    scope: String,
    state: String,
    nonce: String,
    code_challenge: String,
    code_challenge_method: String,
    prompt: String,
    /// The person's answer (`allow` or anything else).
    decision: String,
}

impl Params {
    fn request(&self) -> LoginRequest {
        LoginRequest {
            response_type: self.response_type.clone(),
            client_id: self.client_id.clone(),
            redirect_uri: self.redirect_uri.clone(),
            scope: self.scope.clone(),
            state: self.state.clone(),
            nonce: self.nonce.clone(),
            code_challenge: self.code_challenge.clone(),
            code_challenge_method: self.code_challenge_method.clone(),
            prompt: self.prompt.clone(),
        }
    }
}

/// The words for a login scope.
fn claim_words(scope: Scope) -> String {
    i18n::t(&format!("login-claim-{}", scope.code().replace('_', "-")))
}

/// A request that cannot go back to the service: told to the person.
fn stopped(chrome: Chrome, stop: Stop) -> WebResult<Response> {
    let key = match stop {
        Stop::UnknownClient => "login-stop-client",
        Stop::UnknownRedirect => "consent-stop-redirect",
    };
    let page = LoginConsentPage {
        chrome,
        notice: Some(Notice::new("error", i18n::t(key))),
        service: None,
        claims: Vec::new(),
        fields: Vec::new(),
        csrf_token: String::new(),
    };
    html(StatusCode::BAD_REQUEST, &page)
}

/// `GET /ccus_skill/oauth/authorize?response_type=code&client_id=…&redirect_uri=…
/// &scope=openid%20profile&state=…&nonce=…&code_challenge=…&code_challenge_method=S256`.
pub(super) async fn authorize_page(
    State(state): State<AppState>,
    signed_in: Result<SignedIn, Response>,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Client(client_info): Client,
    uri: Uri,
) -> WebResult<Response> {
    let p: Params = lenient_query(&uri);
    let req = p.request();
    let title = i18n::t("login-consent-title");
    let (client, scopes) = match authorize::check(&state, &req).await? {
        Checked::Ask { client, scopes } => (client, scopes),
        Checked::Stop(s) => return stopped(Chrome::titled(title), s),
        Checked::Back(url) => return Ok(Redirect::to(&url).into_response()),
    };
    let signed_in = match signed_in {
        Ok(s) => s,
        Err(to_login) => {
            // The portal's own login first — unless the service asked that nothing be shown.
            return Ok(match authorize::must_interact(&req, false) {
                Some(url) => Redirect::to(&url).into_response(),
                None => to_login,
            });
        }
    };
    let person = &signed_in.session.account;
    let asks_consent = req.prompt.split_ascii_whitespace().any(|p| p == "consent");
    if req.silent()
        || (!asks_consent && authorize::allowed_before(&state, person, &client, &scopes).await?)
    {
        // Allowed before (or a silent request, answered without a page): straight back.
        return decided(
            &state,
            &signed_in,
            &client_info,
            &req,
            true,
            chrome(
                &state,
                &title,
                signed_in.kind,
                &signed_in.session,
                &csrf_cookie,
            ),
        )
        .await;
    }
    let fields = vec![
        ("response_type", req.response_type),
        ("client_id", req.client_id),
        ("redirect_uri", req.redirect_uri),
        ("scope", scopes.to_string()),
        ("state", req.state),
        ("nonce", req.nonce),
        ("code_challenge", req.code_challenge),
        ("code_challenge_method", req.code_challenge_method),
    ];
    let page = LoginConsentPage {
        chrome: chrome(
            &state,
            &title,
            signed_in.kind,
            &signed_in.session,
            &csrf_cookie,
        ),
        notice: None,
        service: Some((client.name.clone(), client.vendor.clone())),
        claims: scopes
            .iter()
            .filter(|s| *s != Scope::OpenId)
            .map(claim_words)
            .collect(),
        fields,
        csrf_token: csrf,
    };
    let target = p.redirect_uri.clone();
    Ok(crate::middleware::sends_forms_to(
        html(StatusCode::OK, &page)?,
        &target,
    ))
}

async fn decided(
    state: &AppState,
    signed_in: &SignedIn,
    client_info: &ccus_app::auth::ClientInfo,
    req: &LoginRequest,
    allow: bool,
    chrome: Chrome,
) -> WebResult<Response> {
    let s = &signed_in.session;
    match authorize::decide(state, &s.account, client_info, s.created_at, req, allow).await? {
        // The service's own address, checked against what it registered.
        Decided::Back(url) => Ok(Redirect::to(&url).into_response()),
        Decided::Stop(stop) => stopped(chrome, stop),
    }
}

/// `POST /ccus_skill/oauth/authorize`: the request's parameters and `decision`.
pub(super) async fn authorize_decide(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    Client(client_info): Client,
    CheckedForm(p): CheckedForm<Params>,
) -> WebResult<Response> {
    let title = i18n::t("login-consent-title");
    let c = chrome(
        &state,
        &title,
        signed_in.kind,
        &signed_in.session,
        &csrf_cookie,
    );
    decided(
        &state,
        &signed_in,
        &client_info,
        &p.request(),
        p.decision == "allow",
        c,
    )
    .await
}

/// The parameters of an end-session request.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct LogoutParams {
    id_token_hint: String,
    client_id: String,
    post_logout_redirect_uri: String,
    state: String,
}

impl LogoutParams {
    fn request(&self) -> logout::LogoutRequest {
        logout::LogoutRequest {
            id_token_hint: self.id_token_hint.clone(),
            client_id: self.client_id.clone(),
            post_logout_redirect_uri: self.post_logout_redirect_uri.clone(),
            state: self.state.clone(),
        }
    }
}

/// Ends the browser's technician session (if any) and sends it on.
async fn end_and_go(
    state: &AppState,
    headers: &HeaderMap,
    client_info: &ccus_app::auth::ClientInfo,
    back: Option<String>,
) -> WebResult<Response> {
    if let Some(token) = state.cookies().get(headers, SESSION_COOKIE) {
        ccus_app::auth::login::log_out(state, &token, client_info).await?;
    }
    let to =
        back.unwrap_or_else(|| format!("{}?logged_out=1", AccountKind::Technician.login_path()));
    let mut resp = Redirect::to(&to).into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie(state));
    Ok(resp)
}

/// `GET /oauth/logout?id_token_hint=…&post_logout_redirect_uri=…&state=…`: with a hint for the
/// person signed in here, their session ends at once; otherwise they are asked.
pub(super) async fn logout_page(
    State(state): State<AppState>,
    signed_in: Result<SignedIn, Response>,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Client(client_info): Client,
    headers: HeaderMap,
    uri: Uri,
) -> WebResult<Response> {
    let p: LogoutParams = lenient_query(&uri);
    let plan = logout::plan(&state, &p.request()).await?;
    let Ok(signed_in) = signed_in else {
        // Not signed in here (any more): nothing to end.
        return end_and_go(&state, &headers, &client_info, plan.back).await;
    };
    if plan.person == Some(signed_in.session.account.id) {
        return end_and_go(&state, &headers, &client_info, plan.back).await;
    }
    let title = i18n::t("login-logout-title");
    let page = LogoutPage {
        chrome: chrome(
            &state,
            &title,
            signed_in.kind,
            &signed_in.session,
            &csrf_cookie,
        ),
        service: plan.service,
        fields: vec![
            ("id_token_hint", p.id_token_hint),
            ("client_id", p.client_id),
            ("post_logout_redirect_uri", p.post_logout_redirect_uri),
            ("state", p.state),
        ],
        csrf_token: csrf,
    };
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct LogoutForm {
    #[serde(flatten)]
    params: LogoutParams,
}

/// `POST /oauth/logout`: the person chose to log out of the portal too.
pub(super) async fn logout_confirm(
    State(state): State<AppState>,
    Client(client_info): Client,
    headers: HeaderMap,
    CheckedForm(f): CheckedForm<LogoutForm>,
) -> WebResult<Response> {
    let plan = logout::plan(&state, &f.params.request()).await?;
    end_and_go(&state, &headers, &client_info, plan.back).await
}

/// `GET /ccus_skill/services`: the services the person lets use 「CCUSでログイン」.
pub(super) async fn services_page(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    #[derive(Default, Deserialize)]
    #[serde(default)]
    struct Q {
        done: String,
    }
    let q: Q = lenient_query(&uri);
    let notice = match q.done.as_str() {
        "revoked" => Some(Notice::new("success", i18n::t("services-revoked"))),
        "gone" => Some(Notice::new("warning", i18n::t("services-gone"))),
        _ => None,
    };
    let rows = consents::list(&state, &signed_in.session.account)
        .await?
        .into_iter()
        .map(|c| ServiceRow {
            id: c.id,
            name: c.client.name,
            vendor: c.client.vendor,
            claims: Scopes::parse(&c.scopes)
                .unwrap_or_default()
                .iter()
                .filter(|s| *s != Scope::OpenId)
                .map(claim_words)
                .collect::<Vec<_>>()
                .join(&i18n::t("audit-list-separator")),
            granted_at: c.granted_at.jst(),
            last_used_at: c.last_used_at.map(|t| t.jst()).unwrap_or_default(),
        })
        .collect();
    let title = i18n::t("services-title");
    let page = ServicesPage {
        chrome: chrome(
            &state,
            &title,
            signed_in.kind,
            &signed_in.session,
            &csrf_cookie,
        ),
        notice,
        rows,
        csrf_token: csrf,
    };
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Empty {}

/// `POST /ccus_skill/services/{id}/revoke`.
pub(super) async fn services_revoke(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Client(client_info): Client,
    Path(id): Path<i64>,
    CheckedForm(_): CheckedForm<Empty>,
) -> WebResult<Response> {
    let ended = consents::revoke(&state, &signed_in.session.account, &client_info, id).await?;
    let done = if ended { "revoked" } else { "gone" };
    Ok(Redirect::to(&format!("/ccus_skill/services?done={done}")).into_response())
}
