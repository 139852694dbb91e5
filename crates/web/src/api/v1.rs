//! `/api/v1`: the partner API's resources. Each handler takes the bearer token
//! ([`ccus_app::api::access::authenticate`]), acts for the business the path names — as the
//! 管理者ID who granted the client, within the scope the endpoint needs — and calls the same
//! service the business's pages call, so it answers at most what those pages show.
//!
//! Writes need an `Idempotency-Key`; lists are paged by an opaque `cursor` (the `next_cursor`
//! of the page before). Refusals are RFC 9457 problem details ([`super::problem`]).

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

/// A site in a list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SiteSummaryJson {
    /// 現場ID (14 digits).
    site_id: String,
    name: String,
    /// `open` or `closed`.
    state: &'static str,
    /// `public` or `private` (公共 / 民間).
    order_kind: &'static str,
    /// 就業履歴蓄積期間.
    records_from: String,
    records_to: String,
    /// The 元請.
    prime: CompanyJson,
    /// The business's own place: `active`, or `requested` (a 要請 waiting for its answer).
    place_state: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SitesJson {
    sites: Vec<SiteSummaryJson>,
    /// The cursor of the next page, when there is one.
    next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct SitesQuery {
    /// `open` or `closed`; both when absent.
    state: Option<String>,
    /// The `next_cursor` of the page before.
    cursor: Option<String>,
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

/// The sites the business is on, newest first, 50 to a page.
#[utoipa::path(get, path = "/api/v1/businesses/{business_id}/sites", tag = "sites",
    params(("business_id" = String, Path, description = "the business's ID (14 digits)"), SitesQuery),
    responses((status = 200, body = SitesJson), (status = 404, description = "no grant")),
    security(("bearer" = ["sites:read"])))]
pub(super) async fn sites_list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(business): Path<String>,
    Query(q): Query<SitesQuery>,
) -> ApiResult {
    let (_, ctx) = or_problem!(acting(&state, &headers, &business, Scope::SitesRead).await?);
    let before = or_problem!(decode_cursor(q.cursor.as_deref()));
    let form = SearchForm {
        state: q.state.unwrap_or_default(),
        before: before.unwrap_or_default(),
        ..SearchForm::default()
    };
    let list = sites::list(&state, &ctx, &form).await?;
    let sites = list
        .rows
        .iter()
        .map(|r| SiteSummaryJson {
            site_id: r.site.site_id.as_str().to_owned(),
            name: r.site.name.clone(),
            state: r.site.state.as_str(),
            order_kind: r.site.order_kind.as_str(),
            records_from: ccus_domain::profile::format_date(r.site.records_from),
            records_to: ccus_domain::profile::format_date(r.site.records_to),
            prime: company(&r.site.prime),
            place_state: r.my_state.clone(),
        })
        .collect();
    Ok(ok(
        StatusCode::OK,
        &SitesJson {
            sites,
            next_cursor: list.next.map(|k| encode_cursor(&k.get().to_string())),
        },
    ))
}

/// A company's place in a site's 施工体制.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PlaceJson {
    place_id: i64,
    company: CompanyJson,
    /// The company above (none for the 元請).
    upper: Option<CompanyJson>,
    /// 0 for the 元請, 1 for a 一次, …
    depth: u32,
    /// `requested`, `active`, `declined` or `cancelled`.
    state: &'static str,
}

/// A site with its 現場情報 and 施工体制.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SiteJson {
    site_id: String,
    name: String,
    state: &'static str,
    order_kind: &'static str,
    records_from: String,
    records_to: String,
    /// Hazardous substances are handled on the site.
    hazardous: bool,
    prime: CompanyJson,
    /// The business's own place, if it has one.
    own_place_id: Option<i64>,
    places: Vec<PlaceJson>,
}

/// A site as the business sees it: its 現場情報 and the 施工体制.
#[utoipa::path(get, path = "/api/v1/businesses/{business_id}/sites/{site_id}", tag = "sites",
    params(("business_id" = String, Path, description = "the business's ID (14 digits)"),
           ("site_id" = String, Path, description = "the site's ID (14 digits)")),
    responses((status = 200, body = SiteJson), (status = 404, description = "not on the site, or no grant")),
    security(("bearer" = ["sites:read"])))]
pub(super) async fn site(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((business, site)): Path<(String, String)>,
) -> ApiResult {
    let (_, ctx) = or_problem!(acting(&state, &headers, &business, Scope::SitesRead).await?);
    let id = or_problem!(site_id(&site));
    let Some(v) = sites::view(&state, &ctx, &id).await? else {
        return Ok(Err(Problem::not_found()));
    };
    let places = v
        .places
        .iter()
        .map(|p| PlaceJson {
            place_id: p.place.id.get(),
            company: company(&p.place.business),
            upper: p.upper.as_ref().map(company),
            depth: u32::try_from(p.depth).unwrap_or(u32::MAX),
            state: p.place.state.as_str(),
        })
        .collect();
    let s = &v.site;
    Ok(ok(
        StatusCode::OK,
        &SiteJson {
            site_id: s.site_id.as_str().to_owned(),
            name: s.name.clone(),
            state: s.state.as_str(),
            order_kind: s.order_kind.as_str(),
            records_from: ccus_domain::profile::format_date(s.records_from),
            records_to: ccus_domain::profile::format_date(s.records_to),
            hazardous: s.hazardous,
            prime: company(&s.prime),
            own_place_id: v.my_place.map(PlacementId::get),
            places,
        },
    ))
}

/// A worker on a 名簿, as the business is shown them.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WorkerJson {
    /// 技能者ID.
    technician_id: String,
    /// Shown only to the employer, or where the worker chose to show it.
    name: Option<String>,
    /// 職種 (a code of the CCUS trade list).
    trade: String,
    /// 作業内容.
    work: String,
    /// 立場.
    position: &'static str,
    hazardous: bool,
    /// The last 特殊健康診断.
    health_check: Option<String>,
    qualifications: String,
    /// Waiting for the worker's consent.
    consent_pending: bool,
}

/// A place's 名簿.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RosterPlaceJson {
    place_id: i64,
    company: CompanyJson,
    workers: Vec<WorkerJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RosterJson {
    places: Vec<RosterPlaceJson>,
}

/// The 作業員名簿 the business sees on a site: its own place's and those below it (every
/// place's for the 元請).
#[utoipa::path(get, path = "/api/v1/businesses/{business_id}/sites/{site_id}/roster", tag = "roster",
    params(("business_id" = String, Path, description = "the business's ID (14 digits)"),
           ("site_id" = String, Path, description = "the site's ID (14 digits)")),
    responses((status = 200, body = RosterJson), (status = 404, description = "not on the site, or no grant")),
    security(("bearer" = ["roster:read"])))]
pub(super) async fn roster_read(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((business, site)): Path<(String, String)>,
) -> ApiResult {
    let (_, ctx) = or_problem!(acting(&state, &headers, &business, Scope::RosterRead).await?);
    let id = or_problem!(site_id(&site));
    let Some(v) = sites::view(&state, &ctx, &id).await? else {
        return Ok(Err(Problem::not_found()));
    };
    let places = v
        .places
        .iter()
        .filter(|p| p.shows_roster)
        .map(|p| RosterPlaceJson {
            place_id: p.place.id.get(),
            company: company(&p.place.business),
            workers: p
                .workers
                .iter()
                .map(|w| WorkerJson {
                    technician_id: w.seen.login_id.replace(' ', ""),
                    name: w.seen.name.clone(),
                    trade: w.fields.trade.clone(),
                    work: w.fields.work.clone(),
                    position: w.fields.position.as_str(),
                    hazardous: w.fields.hazardous,
                    health_check: w.fields.health_check.map(ccus_domain::profile::format_date),
                    qualifications: w.fields.qualifications.clone(),
                    consent_pending: w.asked,
                })
                .collect(),
        })
        .collect();
    Ok(ok(StatusCode::OK, &RosterJson { places }))
}

/// A worker to list on the business's place (or a place it acts for).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListWorkerJson {
    /// The place to list under; the business's own place when absent.
    place_id: Option<i64>,
    /// 技能者ID.
    technician_id: String,
    trade: String,
    #[serde(default)]
    work: String,
    /// `foreman`, `leader`, `worker`, … (立場).
    position: String,
    #[serde(default)]
    hazardous: bool,
    /// `YYYY-MM-DD`.
    health_check: Option<String>,
    #[serde(default)]
    qualifications: String,
}

/// What listing a worker did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ListedJson {
    /// `listed` (the business's own technician), or `asked` (waiting for the worker's consent;
    /// also the answer for an ID that is nobody's).
    outcome: &'static str,
}

/// Lists a worker on the business's 名簿 for a site.
#[utoipa::path(post, path = "/api/v1/businesses/{business_id}/sites/{site_id}/roster", tag = "roster",
    params(("business_id" = String, Path, description = "the business's ID (14 digits)"),
           ("site_id" = String, Path, description = "the site's ID (14 digits)"),
           ("Idempotency-Key" = String, Header, description = "one key per write")),
    request_body = ListWorkerJson,
    responses((status = 201, body = ListedJson), (status = 422, description = "refused, and why")),
    security(("bearer" = ["roster:write"])))]
pub(super) async fn roster_write(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path((business, site)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let (c, ctx) = or_problem!(acting(&state, &headers, &business, Scope::RosterWrite).await?);
    let id = or_problem!(site_id(&site));
    once(&state, &c, &method, &uri, &headers, &body, || async {
        let req: ListWorkerJson = or_problem!(parsed(&body));
        let place = or_problem!(place_or_own(&state, &ctx, &id, req.place_id).await?);
        let form = WorkerForm {
            login_id: req.technician_id,
            trade: req.trade,
            work: req.work,
            position: req.position,
            hazardous: if req.hazardous { "yes" } else { "" }.to_owned(),
            health_check: req.health_check.unwrap_or_default(),
            qualifications: req.qualifications,
        };
        Ok(
            match roster::add_worker(&state, &ctx, &id, place, &form).await? {
                RosterOutcome::Listed => ok(StatusCode::CREATED, &ListedJson { outcome: "listed" }),
                RosterOutcome::Asked => ok(StatusCode::CREATED, &ListedJson { outcome: "asked" }),
                RosterOutcome::Invalid(errors) => {
                    Err(
                        Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid-fields").with(
                            errors
                                .iter()
                                .map(|(f, m)| format!("{f}: {}", i18n::msg(m)))
                                .collect::<Vec<_>>()
                                .join("; "),
                        ),
                    )
                }
                RosterOutcome::Closed => Err(Problem::new(StatusCode::CONFLICT, "site-closed")),
                RosterOutcome::Forbidden | RosterOutcome::NotFound => Err(Problem::not_found()),
            },
        )
    })
    .await
}

/// A company to ask onto a site.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PlaceRequestJson {
    /// The place to ask it under: the business's own, or one it acts for by 代理手続き; the
    /// business's own place when absent.
    under_place_id: Option<i64>,
    /// The company's 事業者ID.
    business_id: String,
}

/// What asking did.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct PlacedJson {
    /// `requested` (the company answers), or `placed` (at once, under a 事業者間合意).
    outcome: &'static str,
    company: String,
}

/// Asks a company onto the site under a place (要請), or places it at once under a standing
/// 事業者間合意.
#[utoipa::path(post, path = "/api/v1/businesses/{business_id}/sites/{site_id}/places", tag = "sites",
    params(("business_id" = String, Path, description = "the business's ID (14 digits)"),
           ("site_id" = String, Path, description = "the site's ID (14 digits)"),
           ("Idempotency-Key" = String, Header, description = "one key per write")),
    request_body = PlaceRequestJson,
    responses((status = 201, body = PlacedJson), (status = 422, description = "refused, and why")),
    security(("bearer" = ["sites:write"])))]
pub(super) async fn places_write(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path((business, site)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let (c, ctx) = or_problem!(acting(&state, &headers, &business, Scope::SitesWrite).await?);
    let id = or_problem!(site_id(&site));
    once(&state, &c, &method, &uri, &headers, &body, || async {
        let req: PlaceRequestJson = or_problem!(parsed(&body));
        let under = or_problem!(place_or_own(&state, &ctx, &id, req.under_place_id).await?);
        Ok(
            match tiers::invite(&state, &ctx, &id, under, &req.business_id).await? {
                InviteOutcome::Requested { company } => ok(
                    StatusCode::CREATED,
                    &PlacedJson {
                        outcome: "requested",
                        company,
                    },
                ),
                InviteOutcome::Placed { company } => ok(
                    StatusCode::CREATED,
                    &PlacedJson {
                        outcome: "placed",
                        company,
                    },
                ),
                InviteOutcome::Refused(m) => Err(Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "refused",
                )
                .with(format!("{}: {}", m.key, i18n::msg(&m)))),
                InviteOutcome::Closed => Err(Problem::new(StatusCode::CONFLICT, "site-closed")),
                InviteOutcome::Forbidden | InviteOutcome::NotFound => Err(Problem::not_found()),
            },
        )
    })
    .await
}

/// Sends a batch of touches from the client's gate on a site the business runs. The touches
/// are numbered by the client per site (`seq`); they are answered as a reader's are.
#[utoipa::path(post, path = "/api/v1/businesses/{business_id}/sites/{site_id}/touches", tag = "records",
    params(("business_id" = String, Path, description = "the business's ID (14 digits)"),
           ("site_id" = String, Path, description = "the site's ID (14 digits)"),
           ("Idempotency-Key" = String, Header, description = "one key per write")),
    request_body = Batch,
    responses((status = 200, body = Results), (status = 413, description = "more than 500 touches")),
    security(("bearer" = ["touches:write"])))]
pub(super) async fn touches(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Path((business, site)): Path<(String, String)>,
    body: Bytes,
) -> ApiResult {
    let (c, ctx) = or_problem!(acting(&state, &headers, &business, Scope::TouchesWrite).await?);
    let id = or_problem!(site_id(&site));
    once(&state, &c, &method, &uri, &headers, &body, || async {
        let batch: Batch = or_problem!(parsed(&body));
        let Some(reader) =
            readers::client_reader(&state, &ctx, &id, c.client.id, &c.client.name).await?
        else {
            return Ok(Err(Problem::not_found()));
        };
        Ok(
            match ingest::ingest_from(&state, &reader, &batch.touches()).await? {
                IngestOutcome::Answered(answers) => ok(StatusCode::OK, &Results::of(answers)),
                IngestOutcome::TooMany => Err(Problem::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "too-many-touches",
                )),
                IngestOutcome::UnknownKey => Err(Problem::not_found()),
            },
        )
    })
    .await
}

/// A day's record on a site.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RecordJson {
    /// 技能者ID.
    technician_id: String,
    /// Shown only to the employer, or where the worker chose to show it.
    name: Option<String>,
    company: String,
    trade: String,
    position: Option<&'static str>,
    /// `touch`, `direct` (直接入力) or `placed`.
    source: &'static str,
    /// The first entry and the last exit, RFC 3339 in JST.
    first_in: Option<String>,
    last_out: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct RecordsJson {
    day: String,
    records: Vec<RecordJson>,
    next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct RecordsQuery {
    /// The work day, `YYYY-MM-DD`.
    day: String,
    cursor: Option<String>,
}

/// How many records a page of a day holds.
const RECORDS_PAGE: usize = 500;

/// The counted records of a day on a site the business runs, 500 to a page; each worker's name
/// as their disclosure setting allows.
#[utoipa::path(get, path = "/api/v1/businesses/{business_id}/sites/{site_id}/records", tag = "records",
    params(("business_id" = String, Path, description = "the business's ID (14 digits)"),
           ("site_id" = String, Path, description = "the site's ID (14 digits)"), RecordsQuery),
    responses((status = 200, body = RecordsJson), (status = 404, description = "not run by the business, or no grant")),
    security(("bearer" = ["records:read"])))]
pub(super) async fn records(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((business, site)): Path<(String, String)>,
    Query(q): Query<RecordsQuery>,
) -> ApiResult {
    let (_, ctx) = or_problem!(acting(&state, &headers, &business, Scope::RecordsRead).await?);
    let id = or_problem!(site_id(&site));
    let Some(day) = ccus_domain::calendar::parse_iso_date(&q.day) else {
        return Ok(Err(Problem::invalid("day")));
    };
    let skip = match or_problem!(decode_cursor(q.cursor.as_deref())) {
        Some(c) => or_problem!(c.parse::<usize>().map_err(|_| Problem::invalid("cursor"))),
        None => 0,
    };
    let Some(st) = statement::day(&state, &ctx, &id, day).await? else {
        return Ok(Err(Problem::not_found()));
    };
    let business_id = ctx.business.id;
    let records: Vec<RecordJson> = st
        .rows
        .iter()
        .skip(skip)
        .take(RECORDS_PAGE)
        .map(|r| RecordJson {
            technician_id: r.worker_login_id.clone(),
            name: name_shown(
                business_id,
                r.worker_employer,
                Disclosure::parse(&r.disclosure),
            )
            .then(|| r.worker_name.clone()),
            company: r.company.clone(),
            trade: r.trade.clone(),
            position: r.position.map(|p| p.as_str()),
            source: r.source.as_str(),
            first_in: r.first_in.map(|t| t.rfc3339_jst()),
            last_out: r.last_out.map(|t| t.rfc3339_jst()),
        })
        .collect();
    let next = skip + records.len();
    Ok(ok(
        StatusCode::OK,
        &RecordsJson {
            day: ccus_domain::profile::format_date(day),
            next_cursor: (next < st.rows.len()).then(|| encode_cursor(&next.to_string())),
            records,
        },
    ))
}

/// A record of one of the business's own workers.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WorkerRecordJson {
    day: String,
    site_id: String,
    site_name: String,
    company: String,
    trade: String,
    position: Option<&'static str>,
    source: &'static str,
    /// `counted`, `pending`, `rejected` or `withdrawn`.
    state: &'static str,
    first_in: Option<String>,
    last_out: Option<String>,
}

/// A month of one of the business's own workers' records.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct WorkerRecordsJson {
    technician_id: String,
    name: String,
    /// `YYYY-MM`.
    month: String,
    records: Vec<WorkerRecordJson>,
    /// Days with a counted record in the month.
    month_days: u32,
    /// Every counted day (就業日数).
    total_days: u32,
}

#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct MonthQuery {
    /// `YYYY-MM`; this month when absent.
    month: Option<String>,
}

/// A month of records of one of the business's own technicians (所属), as its employer sees
/// them, with their 就業日数.
#[utoipa::path(get, path = "/api/v1/businesses/{business_id}/workers/{technician_id}/records", tag = "records",
    params(("business_id" = String, Path, description = "the business's ID (14 digits)"),
           ("technician_id" = String, Path, description = "the technician's ID (14 digits)"),
           MonthQuery),
    responses((status = 200, body = WorkerRecordsJson), (status = 404, description = "not the business's own technician, or no grant")),
    security(("bearer" = ["records:read"])))]
pub(super) async fn worker_records(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((business, technician)): Path<(String, String)>,
    Query(q): Query<MonthQuery>,
) -> ApiResult {
    let (_, ctx) = or_problem!(acting(&state, &headers, &business, Scope::RecordsRead).await?);
    let month = match q.month.as_deref() {
        None | Some("") => None,
        Some(m) => match crate::records::parse_month(m) {
            Some(d) => Some(d),
            None => return Ok(Err(Problem::invalid("month"))),
        },
    };
    let found = match ccus_app::records::business::worker(&state, &ctx, &technician, month).await {
        Ok(f) => f,
        Err(ccus_app::AppError::Forbidden) => None,
        Err(e) => return Err(e.into()),
    };
    let Some((t, v)) = found else {
        return Ok(Err(Problem::not_found()));
    };
    let records = v
        .records
        .iter()
        .map(|r| WorkerRecordJson {
            day: ccus_domain::profile::format_date(r.day),
            site_id: r.site_id.clone(),
            site_name: r.site_name.clone(),
            company: r.company.clone(),
            trade: r.trade.clone(),
            position: r.position.map(|p| p.as_str()),
            source: r.source.as_str(),
            state: r.state.as_str(),
            first_in: r.first_in.map(|t| t.rfc3339_jst()),
            last_out: r.last_out.map(|t| t.rfc3339_jst()),
        })
        .collect();
    Ok(ok(
        StatusCode::OK,
        &WorkerRecordsJson {
            technician_id: t.login_id.as_str().to_owned(),
            name: t.name.clone(),
            month: crate::records::month_param(v.month),
            records,
            month_days: v.month_days,
            total_days: v.total.days,
        },
    ))
}

/// A technician found by card.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FoundJson {
    technician_id: String,
    name: Option<String>,
    /// The business's sites where the worker is on a 名簿 it sees.
    site_ids: Vec<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub(crate) struct LookupQuery {
    /// The card number (16 hex digits).
    card: String,
}

/// The technician holding a card, if they are on a 名簿 the business sees on one of its sites.
#[utoipa::path(get, path = "/api/v1/businesses/{business_id}/workers", tag = "roster",
    params(("business_id" = String, Path, description = "the business's ID (14 digits)"), LookupQuery),
    responses((status = 200, body = FoundJson), (status = 404, description = "no such worker on the business's sites")),
    security(("bearer" = ["workers:lookup"])))]
pub(super) async fn lookup(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(business): Path<String>,
    Query(q): Query<LookupQuery>,
) -> ApiResult {
    let (_, ctx) = or_problem!(acting(&state, &headers, &business, Scope::WorkersLookup).await?);
    let Some(found) = lookup::by_card(&state, &ctx, &q.card).await? else {
        return Ok(Err(Problem::not_found()));
    };
    Ok(ok(
        StatusCode::OK,
        &FoundJson {
            technician_id: found.seen.login_id.replace(' ', ""),
            name: found.seen.name,
            site_ids: found.sites.iter().map(|s| s.as_str().to_owned()).collect(),
        },
    ))
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
