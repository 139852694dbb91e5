//! The OAuth 2.0 endpoints of the partner API: `POST /oauth/token` (client credentials, a
//! business's authorization code, and 「CCUSでログイン」's code and refresh token),
//! `POST /oauth/introspect` (RFC 7662) and `POST /oauth/revoke` (RFC 7009). Each takes a form
//! (`application/x-www-form-urlencoded`) and the client's proof (a client assertion, or HTTP
//! Basic / form credentials for a client with a secret); the decisions are
//! [`ccus_app::api::tokens`]'s.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ccus_app::api::tokens::{self, Introspection, OAuthError, TokenOutcome, TokenRequest};
use serde::Deserialize;

use crate::error::WebResult;
use crate::AppState;

#[derive(Debug, Default, Deserialize)]
struct Form {
    #[serde(default)]
    grant_type: String,
    scope: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    client_assertion_type: Option<String>,
    client_assertion: Option<String>,
    /// The token to introspect or revoke.
    token: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
}

/// `Authorization: Basic` as RFC 6749 §2.3.1 writes it (each part form-encoded).
fn basic(headers: &HeaderMap) -> Option<(String, String)> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, b64) = v.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = String::from_utf8(STANDARD.decode(b64.trim()).ok()?).ok()?;
    let (id, secret) = raw.split_once(':')?;
    let decode = |s: &str| {
        serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={s}"))
            .ok()
            .and_then(|mut v| v.pop())
            .map(|(_, v)| v)
    };
    Some((decode(id)?, decode(secret)?))
}

/// The form and credentials of a request; `None` when the body is not such a form.
fn request(headers: &HeaderMap, body: &[u8]) -> Option<(TokenRequest, Option<String>)> {
    let form: Form = serde_urlencoded::from_bytes(body).ok()?;
    Some((
        TokenRequest {
            grant_type: form.grant_type,
            scope: form.scope,
            client_id: form.client_id,
            client_secret: form.client_secret,
            client_assertion_type: form.client_assertion_type,
            client_assertion: form.client_assertion,
            basic: basic(headers),
            code: form.code,
            redirect_uri: form.redirect_uri,
            code_verifier: form.code_verifier,
            refresh_token: form.refresh_token,
        },
        form.token,
    ))
}

/// A JSON answer that no cache keeps (RFC 6749 §5.1).
fn json(status: StatusCode, body: serde_json::Value) -> Response {
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (header::PRAGMA, HeaderValue::from_static("no-cache")),
        ],
        body.to_string(),
    )
        .into_response()
}

fn oauth_error(error: OAuthError, description: &str, basic_used: bool) -> Response {
    let status = if error == OAuthError::InvalidClient {
        StatusCode::UNAUTHORIZED
    } else {
        StatusCode::BAD_REQUEST
    };
    let mut resp = json(
        status,
        serde_json::json!({"error": error.code(), "error_description": description}),
    );
    if error == OAuthError::InvalidClient && basic_used {
        resp.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"ccus\""),
        );
    }
    resp
}

fn unreadable() -> Response {
    oauth_error(
        OAuthError::InvalidRequest,
        "the body must be application/x-www-form-urlencoded",
        false,
    )
}

fn too_many(retry_after: u64) -> Response {
    let mut resp = json(
        StatusCode::TOO_MANY_REQUESTS,
        serde_json::json!({"error": "temporarily_unavailable",
                           "error_description": "too many requests for this client"}),
    );
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
    resp
}

/// `POST /oauth/token`.
pub(super) async fn token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    let Some((req, _)) = request(&headers, &body) else {
        return Ok(unreadable());
    };
    Ok(match tokens::token(&state, &req).await? {
        TokenOutcome::Issued {
            access_token,
            expires_in,
            scope,
        } => json(
            StatusCode::OK,
            serde_json::json!({
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": expires_in,
                "scope": scope,
            }),
        ),
        TokenOutcome::Login(t) => json(
            StatusCode::OK,
            serde_json::json!({
                "access_token": t.access_token,
                "token_type": "Bearer",
                "expires_in": t.expires_in,
                "refresh_token": t.refresh_token,
                "id_token": t.id_token,
                "scope": t.scope,
            }),
        ),
        TokenOutcome::Refused { error, description } => {
            oauth_error(error, description, req.basic.is_some())
        }
        TokenOutcome::RateLimited { retry_after } => too_many(retry_after),
    })
}

/// `POST /oauth/introspect`: a client asks about one of its own tokens.
pub(super) async fn introspect(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    let Some((req, Some(token))) = request(&headers, &body) else {
        return Ok(unreadable());
    };
    Ok(match tokens::introspect(&state, &req, &token).await? {
        Introspection::Active {
            client_id,
            scope,
            exp,
            iat,
            ..
        } => json(
            StatusCode::OK,
            serde_json::json!({
                "active": true,
                "client_id": client_id,
                "scope": scope,
                "token_type": "Bearer",
                "exp": exp,
                "iat": iat,
            }),
        ),
        Introspection::Inactive => json(StatusCode::OK, serde_json::json!({"active": false})),
        Introspection::NotProved => oauth_error(
            OAuthError::InvalidClient,
            "the client was not proved",
            req.basic.is_some(),
        ),
    })
}

/// `POST /oauth/revoke`: a client ends one of its own tokens (answered 200 whatever the token).
pub(super) async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> WebResult<Response> {
    let Some((req, Some(token))) = request(&headers, &body) else {
        return Ok(unreadable());
    };
    Ok(if tokens::revoke(&state, &req, &token).await? {
        json(StatusCode::OK, serde_json::json!({}))
    } else {
        oauth_error(
            OAuthError::InvalidClient,
            "the client was not proved",
            req.basic.is_some(),
        )
    })
}
