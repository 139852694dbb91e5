//! `/api/v1`: touches from a system's gate, a day's records on a site, a month of one of the
//! business's own technicians, and a technician found by card.

use super::*;

/// Sends a batch of touches from the client's gate on a site the business runs. The touches
/// are numbered by the client per site (`seq`); they are answered as a reader's are.
#[utoipa::path(post, path = "/api/v1/businesses/{business_id}/sites/{site_id}/touches", tag = "records",
    params(("business_id" = String, Path, description = "the business's ID (14 digits)"),
           ("site_id" = String, Path, description = "the site's ID (14 digits)"),
           ("Idempotency-Key" = String, Header, description = "one key per write")),
    request_body = Batch,
    responses((status = 200, body = Results), (status = 413, description = "more than 500 touches")),
    security(("bearer" = ["touches:write"])))]
pub(crate) async fn touches(
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
pub(crate) async fn records(
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
pub(crate) async fn worker_records(
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
pub(crate) async fn lookup(
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
