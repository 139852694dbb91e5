//! A business's 就業履歴 at `/ccus_owner/records`: the month's records of workers listed under
//! it (names as each worker's disclosure setting allows), its own workers' 未配置 days with
//! 「配置する」, and one of its own workers' page at `/ccus_owner/records/workers/{技能者ID}`
//! (their days, progress and card, which the employer may report lost).

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ccus_app::records::business::{self, PlaceOutcome};
use ccus_domain::{LoginId, RecordId};
use serde::Deserialize;

use super::views::{BusinessRecordRow, BusinessRecordsPage, UnplacedRow};
use super::{month_param, parse_month, records_page, time_of, Frame};
use crate::error::{WebError, WebResult};
use crate::forms::{lenient_query, CheckedForm};
use crate::pages::html;
use crate::present::Notice;
use crate::security::CsrfCookie;
use crate::session::{Client, CsrfToken, SignedIn};
use crate::sites::labels::{position, trade};
use crate::sites::Reader;
use crate::{i18n, AppState};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PageQuery {
    month: String,
    /// The keyset of a next page: `YYYY-MM-DD.id`.
    after: String,
    done: String,
    /// The date a late placing closed on.
    closed: String,
}

fn after_of(s: &str) -> Option<(ccus_domain::Date, RecordId)> {
    let (d, id) = s.split_once('.')?;
    Some((
        ccus_domain::calendar::parse_iso_date(d)?,
        RecordId::new(id.parse().ok()?),
    ))
}

fn notice_of(q: &PageQuery) -> Option<Notice> {
    Some(match q.done.as_str() {
        "placed" => Notice::new("success", i18n::t("unplaced-placed")),
        "not-listed" => Notice::new("error", i18n::t("unplaced-not-listed"))
            .line(i18n::t("unplaced-not-listed-line")),
        "too-late" => Notice::new(
            "error",
            i18n::ta("unplaced-too-late", &[("date", q.closed.trim())]),
        ),
        "closed" => Notice::new("error", i18n::t("unplaced-closed")),
        "nothing" => Notice::new("warning", i18n::t("unplaced-nothing")),
        "card-lost" => Notice::new("success", i18n::t("card-lost-done"))
            .line(i18n::t("card-lost-done-line-employer")),
        "card-confirm" => Notice::new("error", i18n::t("card-lost-confirm-needed")),
        "card-none" => Notice::new("warning", i18n::t("card-lost-none")),
        "correction-asked" => Notice::new("success", i18n::t("correction-asked-done"))
            .line(i18n::t("correction-asked-line")),
        "correction-time" => Notice::new("error", i18n::t("correction-invalid-time")),
        "correction-waiting" => Notice::new("warning", i18n::t("correction-already")),
        "correction-late" => Notice::new("error", i18n::t("correction-too-late")),
        "correction-gone" => Notice::new("warning", i18n::t("correction-gone")),
        _ => return None,
    })
}

/// The business's records of a month, a page at a time, and its workers' 未配置 days.
pub(super) async fn page(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let q: PageQuery = lenient_query(&uri);
    let v = match business::month(&r.state, &r.ctx, parse_month(&q.month), after_of(&q.after)).await
    {
        Ok(v) => v,
        Err(ccus_app::AppError::Forbidden) => return Err(WebError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let date = ccus_domain::profile::format_date;
    let hidden = i18n::t("business-records-name-hidden");
    let page = BusinessRecordsPage {
        chrome: r.chrome(&i18n::t("business-records-title")),
        notice: notice_of(&q),
        csrf_token: r.csrf.clone(),
        month_label: i18n::ta(
            "records-month",
            &[
                ("year", &v.month.year().to_string()),
                ("month", &u8::from(v.month.month()).to_string()),
            ],
        ),
        unplaced: v
            .unplaced
            .iter()
            .map(|u| UnplacedRow {
                day: date(u.day),
                day_value: date(u.day),
                site_id: u.site_id.clone(),
                site: u.site_name.clone(),
                login_id: u.worker_login_id.clone(),
                worker: u.worker_name.clone(),
                touches: i18n::ta(
                    "unplaced-touch-count",
                    &[
                        ("count", &u.touches.to_string()),
                        ("first", &time_of(Some(u.first_at))),
                    ],
                ),
            })
            .collect(),
        may_place: v.may_place,
        rows: v
            .rows
            .iter()
            .map(|b| {
                let x = &b.record;
                BusinessRecordRow {
                    day: date(x.day),
                    site: x.site_name.clone(),
                    login_id: LoginId::parse(&b.worker_login_id)
                        .map(|l| l.grouped())
                        .unwrap_or_else(|_| b.worker_login_id.clone()),
                    worker: b.worker_name.clone().unwrap_or_else(|| hidden.clone()),
                    link: b.own.then(|| {
                        format!(
                            "/ccus_owner/records/workers/{}?month={}",
                            b.worker_login_id,
                            month_param(v.month)
                        )
                    }),
                    trade: if x.trade.is_empty() {
                        String::new()
                    } else {
                        trade(&x.trade)
                    },
                    position: x.position.map(position).unwrap_or_default(),
                    first_in: time_of(x.first_in),
                    last_out: time_of(x.last_out),
                    state: i18n::t(&format!("records-state-{}", x.state.as_str())),
                }
            })
            .collect(),
        more: v.more.map(|(d, id)| {
            format!(
                "month={}&after={}.{}",
                month_param(v.month),
                date(d),
                id.get()
            )
        }),
        previous: month_param(v.previous),
        next: v.next.map(month_param),
    };
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PlaceForm {
    site: String,
    worker: String,
    day: String,
}

/// 「配置する」: a worker's 未配置 day placed on the site's 名簿 line that holds now.
pub(super) async fn place(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<PlaceForm>,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let (Ok(site), Some(day)) = (
        ccus_domain::SiteId::parse(&form.site),
        ccus_domain::calendar::parse_iso_date(form.day.trim()),
    ) else {
        return Ok(Redirect::to("/ccus_owner/records?done=nothing#unplaced").into_response());
    };
    let done = match business::place(&r.state, &r.ctx, &site, &form.worker, day).await? {
        PlaceOutcome::Placed(_) => "placed".to_owned(),
        PlaceOutcome::NotListed => "not-listed".to_owned(),
        PlaceOutcome::TooLate(closed) => format!(
            "too-late&closed={}",
            ccus_domain::profile::format_date(closed)
        ),
        PlaceOutcome::Closed => "closed".to_owned(),
        PlaceOutcome::Nothing => "nothing".to_owned(),
        PlaceOutcome::Forbidden => return Err(WebError::NotFound),
    };
    Ok(Redirect::to(&format!("/ccus_owner/records?done={done}#unplaced")).into_response())
}

fn worker_path(login_id: &str) -> String {
    format!("/ccus_owner/records/workers/{login_id}")
}

/// One of the business's own workers' records.
pub(super) async fn worker(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(login_id): Path<String>,
    uri: Uri,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let q: PageQuery = lenient_query(&uri);
    let found = match business::worker(&r.state, &r.ctx, &login_id, parse_month(&q.month)).await {
        Ok(v) => v,
        Err(ccus_app::AppError::Forbidden) => return Err(WebError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let (t, v) = found.ok_or(WebError::NotFound)?;
    let may_report = r.ctx.may(
        ccus_domain::org::Action::ManageAffiliations,
        ccus_domain::org::Target::Business,
    );
    let frame = Frame {
        heading: i18n::ta(
            "business-worker-title",
            &[("name", &t.name), ("id", &t.login_id.grouped())],
        ),
        base: worker_path(t.login_id.as_str()),
        card_action: may_report.then(|| format!("{}/card-lost", worker_path(t.login_id.as_str()))),
        correction_action: r
            .ctx
            .may(
                ccus_domain::org::Action::EditRoster,
                ccus_domain::org::Target::Business,
            )
            .then(|| format!("{}/correct", worker_path(t.login_id.as_str()))),
        back: "/ccus_owner/records".to_owned(),
        own: false,
    };
    let chrome = r.chrome(&frame.heading);
    let page = records_page(
        &r.state,
        chrome,
        &v,
        frame,
        notice_of(&q),
        Vec::new(),
        r.csrf.clone(),
    );
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CardLostForm {
    confirm: String,
}

/// The employer reports one of its workers' card lost.
pub(super) async fn card_lost(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Client(client): Client,
    Path(login_id): Path<String>,
    CheckedForm(form): CheckedForm<CardLostForm>,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let login_id = LoginId::parse(&login_id).map_err(|_| WebError::NotFound)?;
    let path = worker_path(login_id.as_str());
    if form.confirm != "yes" {
        return Ok(Redirect::to(&format!("{path}?done=card-confirm#card")).into_response());
    }
    let done = match business::report_card_lost(&r.state, &r.ctx, login_id.as_str(), &client).await
    {
        Ok(Some(true)) => "card-lost",
        Ok(Some(false)) => "card-none",
        Ok(None) | Err(ccus_app::AppError::Forbidden) => return Err(WebError::NotFound),
        Err(e) => return Err(e.into()),
    };
    Ok(Redirect::to(&format!("{path}?done={done}#card")).into_response())
}

/// A business asks for a 補正 of a day of one of its own workers.
pub(super) async fn correct(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(login_id): Path<String>,
    CheckedForm(fields): CheckedForm<super::CorrectionFields>,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let login_id = LoginId::parse(&login_id).map_err(|_| WebError::NotFound)?;
    let found = match business::worker(&r.state, &r.ctx, login_id.as_str(), None).await {
        Ok(v) => v,
        Err(ccus_app::AppError::Forbidden) => return Err(WebError::NotFound),
        Err(e) => return Err(e.into()),
    };
    let (t, _) = found.ok_or(WebError::NotFound)?;
    let o = ccus_app::records::correction::ask_for(&r.state, &r.ctx, &t, &fields.form()).await?;
    Ok(Redirect::to(&format!(
        "{}?done={}#correct",
        worker_path(login_id.as_str()),
        super::correction_done(&o)
    ))
    .into_response())
}
