//! `/api/v1`: the partner API's resources. Each handler takes the bearer token
//! ([`ccus_app::api::access::authenticate`]), acts for the business the path names — as the
//! 管理者ID who granted the client, within the scope the endpoint needs — and calls the same
//! service the business's pages call, so it answers at most what those pages show.
//!
//! Writes need an `Idempotency-Key`; lists are paged by an opaque `cursor` (the `next_cursor`
//! of the page before). Refusals are RFC 9457 problem details ([`super::problem`]). The
//! business's sites, 施工体制 and 名簿 are in [`site`]; touches, records and a technician by card
//! in [`records`]; what every call shares (who calls, as whom, once per key) here.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ccus_app::api::access::{self, Acting, Caller, CallerOutcome};
use ccus_app::api::idempotency::{self, Begin};
use ccus_app::api::lookup;
use ccus_app::org::affiliation::name_shown;
use ccus_app::org::affiliation::Disclosure;
use ccus_app::org::OrgContext;
use ccus_app::records::ingest::{self, IngestOutcome};
use ccus_app::records::{readers, statement};
use ccus_app::sites::roster::{self, RosterOutcome, WorkerForm};
use ccus_app::sites::tiers::{self, InviteOutcome};
use ccus_app::sites::{self, SearchForm};
use ccus_domain::api::Scope;
use ccus_domain::{LoginId, PlacementId, SiteId};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::problem::Problem;
use crate::error::WebResult;
use crate::records::api::{bearer, Batch, Results};
use crate::{i18n, AppState};

/// A call's answer: JSON, or a problem.
type ApiResult = WebResult<Result<Response, Problem>>;

fn ok<T: Serialize>(status: StatusCode, body: &T) -> Result<Response, Problem> {
    Ok((
        status,
        [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
        axum::Json(body),
    )
        .into_response())
}

/// The caller of a request, or why there is none.
async fn caller(state: &AppState, headers: &HeaderMap) -> WebResult<Result<Caller, Problem>> {
    let Some(token) = bearer(headers) else {
        return Ok(Err(Problem::unauthenticated()));
    };
    Ok(match access::authenticate(state, token).await? {
        CallerOutcome::Caller(c) => Ok(*c),
        CallerOutcome::Unauthenticated => Err(Problem::unauthenticated()),
        CallerOutcome::RateLimited { retry_after } => Err(Problem::rate_limited(retry_after)),
    })
}

/// The context of a call for the business in the path, needing `scope`.
async fn acting(
    state: &AppState,
    headers: &HeaderMap,
    business: &str,
    scope: Scope,
) -> WebResult<Result<(Caller, OrgContext), Problem>> {
    let c = match caller(state, headers).await? {
        Ok(c) => c,
        Err(p) => return Ok(Err(p)),
    };
    let Ok(business) = LoginId::parse(business) else {
        return Ok(Err(Problem::not_found()));
    };
    let acting = c.acting_for(state, &business, scope).await?;
    // Every call is attributable: the log names the client, the business and the scope (and
    // the request id); writes are also in the business's 操作の記録.
    tracing::info!(
        request_id = %crate::request_id::current_request_id(),
        client = %c.client.client_id,
        business = %business.as_str(),
        scope = scope.code(),
        allowed = matches!(acting, Acting::As(_)),
        "partner API call"
    );
    Ok(match acting {
        Acting::As(ctx) => Ok((c, *ctx)),
        Acting::MissingScope => Err(Problem::insufficient_scope(scope.code())),
        Acting::NoGrant => Err(Problem::not_found()),
    })
}

/// Unwraps a `Result<_, Problem>` inside a handler returning [`ApiResult`].
macro_rules! or_problem {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(p) => return Ok(Err(p)),
        }
    };
}

/// A write's JSON body, or what is wrong with it.
fn parsed<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Problem> {
    serde_json::from_slice(body).map_err(|e| Problem::invalid(e.to_string()))
}

/// The place a write names, or the business's own place on the site.
async fn place_or_own(
    state: &AppState,
    ctx: &OrgContext,
    site: &SiteId,
    given: Option<i64>,
) -> WebResult<Result<PlacementId, Problem>> {
    if let Some(p) = given {
        return Ok(Ok(PlacementId::new(p)));
    }
    Ok(sites::view(state, ctx, site)
        .await?
        .and_then(|v| v.my_place)
        .ok_or_else(Problem::not_found))
}

fn site_id(typed: &str) -> Result<SiteId, Problem> {
    SiteId::parse(typed).map_err(|_| Problem::not_found())
}

/// A company on a site.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CompanyJson {
    /// 事業者ID (14 digits).
    business_id: String,
    name: String,
}

fn company(p: &ccus_app::sites::Party) -> CompanyJson {
    CompanyJson {
        business_id: p.login_id.as_str().to_owned(),
        name: p.name.clone(),
    }
}

/// A business that lets the client use its data.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct GrantJson {
    /// 事業者ID.
    business_id: String,
    business_name: String,
    /// The scopes granted, space-separated.
    scopes: String,
    granted_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct GrantsJson {
    grants: Vec<GrantJson>,
}

/// The businesses that let this client use their data.
#[utoipa::path(get, path = "/api/v1/grants", tag = "grants",
    responses((status = 200, body = GrantsJson), (status = 401, description = "no live token")),
    security(("bearer" = [])))]
pub(super) async fn grants(State(state): State<AppState>, headers: HeaderMap) -> ApiResult {
    let c = or_problem!(caller(&state, &headers).await?);
    tracing::info!(
        request_id = %crate::request_id::current_request_id(),
        client = %c.client.client_id,
        "partner API call: grants"
    );
    let list = ccus_app::api::grants::of_client(&state, c.client.id, c.business).await?;
    let grants = list
        .into_iter()
        .map(|g| GrantJson {
            business_id: g.business_login,
            business_name: g.business_name,
            scopes: g.scopes,
            granted_at: g.granted_at.rfc3339_jst(),
        })
        .collect();
    Ok(ok(StatusCode::OK, &GrantsJson { grants }))
}

fn encode_cursor(raw: &str) -> String {
    URL_SAFE_NO_PAD.encode(raw)
}

fn decode_cursor(c: Option<&str>) -> Result<Option<String>, Problem> {
    match c {
        None | Some("") => Ok(None),
        Some(c) => URL_SAFE_NO_PAD
            .decode(c)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .map(Some)
            .ok_or_else(|| Problem::invalid("cursor")),
    }
}

/// Runs a write once per `Idempotency-Key`: the first request runs `write` and its answer is
/// kept; the same key with the same request answers the kept answer again.
async fn once<F, Fut>(
    state: &AppState,
    c: &Caller,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
    write: F,
) -> ApiResult
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ApiResult>,
{
    let Some(key) = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| idempotency::valid_key(k))
    else {
        return Ok(Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "idempotency-key-missing",
        )));
    };
    let print = idempotency::fingerprint(method.as_str(), uri.path(), body);
    match idempotency::begin(state, c.client.id, key, &print).await? {
        Begin::First => {}
        Begin::Replay { status, body } => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let media = if status.is_success() {
                "application/json"
            } else {
                crate::error::PROBLEM_JSON
            };
            return Ok(Ok((
                status,
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static(media)),
                    (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                    (
                        header::HeaderName::from_static("idempotent-replayed"),
                        HeaderValue::from_static("true"),
                    ),
                ],
                body,
            )
                .into_response()));
        }
        Begin::InProgress => {
            return Ok(Err(Problem::new(
                StatusCode::CONFLICT,
                "idempotency-key-in-progress",
            )))
        }
        Begin::Mismatch => {
            return Ok(Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency-key-reused",
            )))
        }
    }
    let answer = match write().await {
        Ok(a) => a,
        Err(e) => {
            // Not answered (a dependency failed): the key is given back, so the retry runs.
            let _ = idempotency::abandon(state, c.client.id, key).await;
            return Err(e);
        }
    };
    // Whatever was answered — done or refused — is what the same request gets again.
    let resp = match answer {
        Ok(resp) => resp,
        Err(p) => p.into_response(),
    };
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, 4 * 1024 * 1024)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if let Err(e) = idempotency::finish(state, c.client.id, key, parts.status.as_u16(), &text).await
    {
        tracing::warn!(error = %e, "an idempotent answer was not kept");
    }
    Ok(Ok(Response::from_parts(
        parts,
        axum::body::Body::from(bytes),
    )))
}

// After `or_problem!`, which they use.
mod records;
mod site;

pub(super) use records::*;
pub(super) use site::*;
