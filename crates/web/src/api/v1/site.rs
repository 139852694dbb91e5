//! `/api/v1`: a business's sites, their 施工体制 and 名簿 — read, and written (a company asked
//! on, a worker listed).

use super::*;

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

/// The sites the business is on, newest first, 50 to a page.
#[utoipa::path(get, path = "/api/v1/businesses/{business_id}/sites", tag = "sites",
    params(("business_id" = String, Path, description = "the business's ID (14 digits)"), SitesQuery),
    responses((status = 200, body = SitesJson), (status = 404, description = "no grant")),
    security(("bearer" = ["sites:read"])))]
pub(crate) async fn sites_list(
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
pub(crate) async fn site(
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
pub(crate) async fn roster_read(
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
pub(crate) async fn roster_write(
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
pub(crate) async fn places_write(
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
