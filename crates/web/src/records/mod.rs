//! 就業履歴 on the web: the touch ingest for card readers at `POST /api/v1/touches` (JSON, the
//! reader's key as a bearer token), a site's readers and their keys at
//! `/ccus_owner/sites/{site}/readers` (for the person who runs the site), and the technician's
//! own records at `/ccus_skill/records`. Every decision is the application layer's
//! ([`ccus_app::records`]).

pub(crate) mod api;
mod business;
mod certificate;
mod direct;
mod files;
mod readers;
mod statement;
mod views;

use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use std::collections::HashMap;

use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ccus_app::records::direct::EntryForm;
use ccus_app::records::worker;
use ccus_domain::records::LeaderRole;
use ccus_domain::AccountKind;
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::forms::{lenient_query, CheckedForm};
use crate::pages::html;
use crate::present::{chrome, Notice};
use crate::security::CsrfCookie;
use crate::session::{Client, CsrfToken, SignedIn};
use crate::sites::labels::{position, trade};
use crate::{i18n, AppState};
use views::*;

/// The largest batch body a reader may post (500 touches with room to spare).
const MAX_BATCH_BYTES: usize = 256 * 1024;

pub(crate) fn routes() -> Router<AppState> {
    let b = AccountKind::Business.portal();
    let t = AccountKind::Technician.portal();
    Router::new()
        .route(
            "/api/v1/touches",
            post(api::touches).layer(DefaultBodyLimit::max(MAX_BATCH_BYTES)),
        )
        .route(
            &format!("/{b}/sites/{{site}}/readers"),
            get(readers::page).post(readers::issue),
        )
        .route(
            &format!("/{b}/sites/{{site}}/readers/{{reader}}/revoke"),
            post(readers::revoke),
        )
        .route(
            &format!("/{b}/sites/{{site}}/records"),
            get(direct::page).post(direct::enter),
        )
        .route(
            &format!("/{b}/sites/{{site}}/records/{{day}}/{{record}}/{{step}}"),
            post(direct::decide),
        )
        .route(&format!("/{b}/sites/{{site}}/day"), get(statement::day))
        .route(
            &format!("/{b}/sites/{{site}}/statement"),
            get(statement::month),
        )
        .route(
            &format!("/{b}/sites/{{site}}/statement.csv"),
            get(statement::month_csv),
        )
        .route(
            &format!("/{b}/sites/{{site}}/statement.pdf"),
            get(statement::month_pdf),
        )
        .route(&format!("/{b}/statements"), get(statement::prime_month))
        .route(&format!("/{b}/records"), get(business::page))
        .route(&format!("/{b}/records/place"), post(business::place))
        .route(
            &format!("/{b}/records/workers/{{worker}}"),
            get(business::worker),
        )
        .route(
            &format!("/{b}/records/workers/{{worker}}/card-lost"),
            post(business::card_lost),
        )
        .route(&format!("/{t}/records"), get(mine))
        .route(&format!("/{t}/records/direct"), post(enter_own))
        .route(
            &format!("/{t}/records/certificate.pdf"),
            get(certificate::pdf),
        )
        .route(
            &format!("/{t}/records/certificate.csv"),
            get(certificate::csv),
        )
        .route(&format!("/{t}/records/card-lost"), post(card_lost))
        .route(&format!("/{t}/records/correct"), post(correct_own))
        .route(
            &format!("/{b}/records/workers/{{worker}}/correct"),
            post(business::correct),
        )
        .route(
            &format!("/{b}/sites/{{site}}/corrections/{{correction}}/{{step}}"),
            post(direct::answer_correction),
        )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MonthQuery {
    /// `YYYY-MM`.
    month: String,
    done: String,
}

/// `YYYY-MM` as the first day of that month.
pub(crate) fn parse_month(s: &str) -> Option<ccus_domain::Date> {
    ccus_domain::calendar::parse_iso_date(&format!("{}-01", s.trim()))
}

pub(crate) fn month_param(d: ccus_domain::Date) -> String {
    format!("{:04}-{:02}", d.year(), u8::from(d.month()))
}

pub(crate) fn time_of(t: Option<ccus_domain::Timestamp>) -> String {
    t.map(|t| {
        let s = t.jst();
        // 「2026年12月7日 07:58」 → 「07:58」: the day is the row's.
        s.rsplit(' ').next().unwrap_or(&s).to_owned()
    })
    .unwrap_or_else(|| "—".to_owned())
}

async fn mine(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    if signed_in.kind != AccountKind::Technician {
        return Err(WebError::NotFound);
    }
    let q: MonthQuery = lenient_query(&uri);
    let notice = match q.done.as_str() {
        "entered" => Some(
            Notice::new("success", i18n::t("direct-entered"))
                .line(i18n::t("direct-entered-own-line")),
        ),
        "card-lost" => Some(
            Notice::new("success", i18n::t("card-lost-done")).line(i18n::t("card-lost-done-line")),
        ),
        "card-confirm" => Some(Notice::new("error", i18n::t("card-lost-confirm-needed"))),
        "correction-asked" => Some(
            Notice::new("success", i18n::t("correction-asked-done"))
                .line(i18n::t("correction-asked-line")),
        ),
        "correction-time" => Some(Notice::new("error", i18n::t("correction-invalid-time"))),
        "correction-waiting" => Some(Notice::new("warning", i18n::t("correction-already"))),
        "correction-late" => Some(Notice::new("error", i18n::t("correction-too-late"))),
        "correction-gone" => Some(Notice::new("warning", i18n::t("correction-gone"))),
        "card-none" => Some(Notice::new("warning", i18n::t("card-lost-none"))),
        _ => None,
    };
    let page = render_mine(
        &state,
        &signed_in,
        &csrf_cookie,
        csrf,
        parse_month(&q.month),
        notice,
        (&EntryForm::default(), &HashMap::new()),
    )
    .await?;
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CardLostForm {
    confirm: String,
}

/// The worker reports their card lost: it stops at once.
async fn card_lost(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Client(client): Client,
    CheckedForm(form): CheckedForm<CardLostForm>,
) -> WebResult<Response> {
    if signed_in.kind != AccountKind::Technician {
        return Err(WebError::NotFound);
    }
    let done = if form.confirm != "yes" {
        "card-confirm"
    } else if ccus_app::records::cards::report_own_lost(&state, &signed_in.session.account, &client)
        .await?
    {
        "card-lost"
    } else {
        "card-none"
    };
    Ok(Redirect::to(&format!("/ccus_skill/records?done={done}#card")).into_response())
}

/// The form of a 補正.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CorrectionFields {
    record: String,
    first_in: String,
    last_out: String,
}

impl CorrectionFields {
    pub(super) fn form(&self) -> ccus_app::records::correction::CorrectionForm {
        ccus_app::records::correction::CorrectionForm {
            record: self.record.clone(),
            first_in: self.first_in.clone(),
            last_out: self.last_out.clone(),
        }
    }
}

/// What a 補正's outcome says, as the page's `done`.
pub(super) fn correction_done(o: &ccus_app::records::correction::AskOutcome) -> &'static str {
    use ccus_app::records::correction::AskOutcome;
    match o {
        AskOutcome::Asked => "correction-asked",
        AskOutcome::InvalidTime => "correction-time",
        AskOutcome::AlreadyWaiting => "correction-waiting",
        AskOutcome::TooLate(_) => "correction-late",
        AskOutcome::Gone => "correction-gone",
    }
}

/// The worker asks for a 補正 of one of their days.
async fn correct_own(
    State(state): State<AppState>,
    signed_in: SignedIn,
    CheckedForm(fields): CheckedForm<CorrectionFields>,
) -> WebResult<Response> {
    if signed_in.kind != AccountKind::Technician {
        return Err(WebError::NotFound);
    }
    let o =
        ccus_app::records::correction::ask_own(&state, &signed_in.session.account, &fields.form())
            .await?;
    Ok(Redirect::to(&format!(
        "/ccus_skill/records?done={}#correct",
        correction_done(&o)
    ))
    .into_response())
}

/// The worker's 直接入力.
async fn enter_own(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(fields): CheckedForm<direct::EntryFields>,
) -> WebResult<Response> {
    if signed_in.kind != AccountKind::Technician {
        return Err(WebError::NotFound);
    }
    let form = fields.form();
    let outcome =
        ccus_app::records::direct::enter_own(&state, &signed_in.session.account, &form).await?;
    match direct::refusal(&outcome) {
        None => Ok(Redirect::to("/ccus_skill/records?done=entered").into_response()),
        Some((notice, errors)) => {
            let page = render_mine(
                &state,
                &signed_in,
                &csrf_cookie,
                csrf,
                None,
                Some(notice),
                (&form, &errors),
            )
            .await?;
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

async fn render_mine(
    state: &AppState,
    signed_in: &SignedIn,
    csrf_cookie: &Option<Extension<CsrfCookie>>,
    csrf: String,
    month: Option<ccus_domain::Date>,
    notice: Option<Notice>,
    (typed, errors): (&EntryForm, &HashMap<String, String>),
) -> WebResult<MyRecordsPage> {
    let v = worker::my_records(state, &signed_in.session.account, month).await?;
    // The sites the worker is on a 名簿 of: where a day may be entered.
    let sites: Vec<(String, String)> =
        ccus_app::sites::roster::my_sites(state, &signed_in.session.account)
            .await?
            .into_iter()
            .filter(|s| s.state == "listed")
            .map(|s| (s.site.site_id.as_str().to_owned(), s.site.name))
            .collect();
    let inputs = if sites.is_empty() {
        Vec::new()
    } else {
        direct::inputs(typed, errors, Some(sites))
    };
    let frame = Frame {
        heading: i18n::t("records-title"),
        base: "/ccus_skill/records".to_owned(),
        card_action: Some("/ccus_skill/records/card-lost".to_owned()),
        correction_action: Some("/ccus_skill/records/correct".to_owned()),
        back: "/ccus_skill/home".to_owned(),
        own: true,
    };
    let chrome = chrome(
        state,
        &frame.heading,
        signed_in.kind,
        &signed_in.session,
        csrf_cookie,
    );
    Ok(records_page(state, chrome, &v, frame, notice, inputs, csrf))
}

/// Whose records page it is, and where its links go.
pub(super) struct Frame {
    pub(super) heading: String,
    /// The page's path (months are `?month=` of it).
    pub(super) base: String,
    /// Where the card is reported lost, for whoever may.
    pub(super) card_action: Option<String>,
    /// Where a 補正 is asked for, for whoever may.
    pub(super) correction_action: Option<String>,
    pub(super) back: String,
    /// The worker's own page (its introduction speaks to them).
    pub(super) own: bool,
}

/// A worker's records page: their card, days, progress toward each レベル and a month's records.
pub(super) fn records_page(
    state: &AppState,
    chrome: crate::present::Chrome,
    v: &worker::MyRecords,
    frame: Frame,
    notice: Option<Notice>,
    inputs: Vec<crate::sites::views::Input>,
    csrf: String,
) -> MyRecordsPage {
    let month_label = i18n::ta(
        "records-month",
        &[
            ("year", &v.month.year().to_string()),
            ("month", &u8::from(v.month.month()).to_string()),
        ],
    );
    let today = ccus_app::sites::today(state.clock().now());
    let correctable: Vec<(String, String)> = if frame.correction_action.is_some() {
        v.records
            .iter()
            .filter(|r| {
                ccus_app::records::correction::correctable(r, today) && !v.waiting.contains(&r.id)
            })
            .map(|r| {
                (
                    ccus_app::records::correction::record_key(r),
                    i18n::ta(
                        "correction-choice",
                        &[
                            ("day", &ccus_domain::profile::format_date(r.day)),
                            ("site", &r.site_name),
                            ("in", &time_of(r.first_in)),
                            ("out", &time_of(r.last_out)),
                        ],
                    ),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    MyRecordsPage {
        chrome,
        heading: frame.heading,
        correction_action: frame.correction_action,
        correctable,
        base: frame.base,
        card_action: frame.card_action,
        back: frame.back,
        own: frame.own,
        notice,
        inputs,
        csrf_token: csrf,
        card: v.card.as_ref().map(|c| {
            let today = ccus_app::sites::today(state.clock().now());
            let left = (c.expires_on - today).whole_days();
            CardLine {
                number: c.number.clone(),
                expires: ccus_domain::profile::format_date(c.expires_on),
                reminder: if left < 0 {
                    Some(i18n::t("card-expired"))
                } else if left <= ccus_app::records::cards::RENEWAL_REMINDER_DAYS {
                    Some(i18n::ta("card-renew-soon", &[("days", &left.to_string())]))
                } else {
                    None
                },
            }
        }),
        month_label: month_label.clone(),
        month_days: i18n::ta("records-days", &[("days", &v.month_days.to_string())]),
        previous: month_param(v.previous),
        next: v.next.map(month_param),
        rows: v
            .records
            .iter()
            .map(|r| RecordRow {
                day: ccus_domain::profile::format_date(r.day),
                site: r.site_name.clone(),
                company: r.company.clone(),
                trade: if r.trade.is_empty() {
                    String::new()
                } else {
                    trade(&r.trade)
                },
                position: r.position.map(position).unwrap_or_default(),
                first_in: time_of(r.first_in),
                last_out: time_of(r.last_out),
                how: i18n::t(&format!("records-source-{}", r.source.as_str())),
                state: if v.waiting.contains(&r.id) {
                    i18n::t("correction-state-waiting")
                } else if r.state != ccus_domain::records::RecordState::Rejected
                    || r.reason.is_empty()
                {
                    i18n::t(&format!("records-state-{}", r.state.as_str()))
                } else {
                    i18n::ta(
                        "records-state-rejected-because",
                        &[("reason", r.reason.as_str())],
                    )
                },
            })
            .collect(),
        total_days: v.total.days,
        total_years: years(v.total.days),
        leader_days: v.total.leader_days,
        foreman_days: v.total.foreman_days,
        training_days: v.total.training_days,
        per_year: v
            .per_year
            .iter()
            .map(|(y, d)| (y.to_string(), d.to_string()))
            .collect(),
        trades: v
            .trades
            .iter()
            .map(|t| TradeBlock {
                name: if t.trade.is_empty() {
                    i18n::t("records-common-standard")
                } else {
                    trade(&t.trade)
                },
                days: t.count.days,
                levels: t
                    .levels
                    .iter()
                    .map(|l| {
                        let (days_missing, leader_missing) = l.missing();
                        let role = i18n::t(match l.leader_role {
                            LeaderRole::Foreman => "records-role-foreman",
                            LeaderRole::ForemanOrLeader => "records-role-foreman-or-leader",
                        });
                        LevelLine {
                            level: l.level,
                            reached: l.days_reached(),
                            days: i18n::ta(
                                "records-level-days",
                                &[
                                    ("had", &l.days_had.to_string()),
                                    ("needed", &l.days_needed.to_string()),
                                    ("years", &years(l.days_needed)),
                                ],
                            ),
                            leader: (l.leader_needed > 0).then(|| {
                                i18n::ta(
                                    "records-level-leader",
                                    &[
                                        ("role", &role),
                                        ("had", &l.leader_had.to_string()),
                                        ("needed", &l.leader_needed.to_string()),
                                    ],
                                )
                            }),
                            missing: match (days_missing, leader_missing) {
                                (0, 0) => None,
                                (0, leader) => Some(i18n::ta(
                                    "records-level-missing-leader",
                                    &[("leader", &leader.to_string()), ("role", &role)],
                                )),
                                (days, 0) => Some(i18n::ta(
                                    "records-level-missing-days",
                                    &[("days", &days.to_string())],
                                )),
                                (days, leader) => Some(i18n::ta(
                                    "records-level-missing",
                                    &[
                                        ("days", &days.to_string()),
                                        ("leader", &leader.to_string()),
                                        ("role", &role),
                                    ],
                                )),
                            },
                            qualifications: l
                                .qualifications
                                .split_whitespace()
                                .map(|q| i18n::t(&format!("level-qualification-{q}")))
                                .collect(),
                            value: l.days_had.min(l.days_needed),
                            max: l.days_needed.max(1),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Days as years of experience, to a tenth (215 days a year).
fn years(days: u32) -> String {
    let tenths = ccus_domain::records::years_tenths(days);
    format!("{}.{}", tenths / 10, tenths % 10)
}
