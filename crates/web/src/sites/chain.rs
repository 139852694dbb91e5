//! What a business's chains wait for and the standing agreements that spare the waiting:
//! 「対応が必要なこと」 (要請 to answer, 要請 sent, 合意 offered), 「事業者間合意」 (offer, accept,
//! decline, end) and 「利用料」.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ccus_app::org::OrgContext;
use ccus_app::sites;
use ccus_app::sites::tiers::{self, AgreementOutcome, AgreementStep};
use ccus_domain::AgreementId;
use serde::Deserialize;

use super::views::*;
use super::{context, Reader};
use crate::error::{WebError, WebResult};
use crate::forms::{lenient_query, CheckedForm};
use crate::pages::html;
use crate::present::{chrome, Notice};
use crate::security::CsrfCookie;
use crate::session::{CsrfToken, SignedIn};
use crate::{i18n, AppState};

fn request_row(r: &tiers::OpenRequest, upper: bool) -> RequestRow {
    RequestRow {
        place: r.place.id.get(),
        site_id: r.site.site_id.as_str().to_owned(),
        grouped: r.site.site_id.grouped(),
        site_name: r.site.name.clone(),
        company: if upper {
            crate::org::business_line(&r.upper.name, &r.upper.login_id)
        } else {
            crate::org::business_line(&r.place.business.name, &r.place.business.login_id)
        },
        at: r.place.asked_at.jst(),
    }
}

fn agreement_row(ctx: &OrgContext, g: &ccus_app::sites::tiers::Agreement) -> AgreementRow {
    let b = ctx.business.id;
    let we_upper = g.upper.id == b;
    let other = if we_upper { &g.lower } else { &g.upper };
    let offered_to_us = g.offered_by_business != b;
    AgreementRow {
        id: g.id.get(),
        other: crate::org::business_line(&other.name, &other.login_id),
        side: i18n::t(if we_upper {
            "agreement-side-upper"
        } else {
            "agreement-side-lower"
        }),
        proxy: g.proxy,
        state: i18n::t(&format!("agreement-state-{}", g.state)),
        may_answer: g.state == "offered" && offered_to_us,
        may_end: g.state == "active" || (g.state == "offered" && !offered_to_us),
        end_label: i18n::t(if g.state == "offered" {
            "agreement-withdraw"
        } else {
            "agreement-end"
        }),
    }
}

pub(super) async fn pending(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let p = tiers::pending(&r.state, &r.ctx).await?;
    let q: DoneQuery = lenient_query(&uri);
    let page = PendingPage {
        chrome: r.chrome(&i18n::t("sites-pending-title")),
        notice: (q.done == "decline").then(|| Notice::new("success", i18n::t("site-declined"))),
        to_answer: p.to_answer.iter().map(|r| request_row(r, true)).collect(),
        waiting: p.waiting.iter().map(|r| request_row(r, false)).collect(),
        offers: p.offers.iter().map(|g| agreement_row(&r.ctx, g)).collect(),
        csrf_token: r.csrf.clone(),
    };
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: String,
}

fn offer_inputs(form: &OfferForm) -> Vec<Input> {
    vec![
        Input::new("business_id", i18n::t("agreement-business-id"), "text")
            .numeric()
            .value(&form.business_id),
        Input::new("side", i18n::t("agreement-side"), "radio")
            .options(vec![
                ("upper".into(), i18n::t("agreement-side-upper-choice")),
                ("lower".into(), i18n::t("agreement-side-lower-choice")),
            ])
            .value(if form.side.is_empty() {
                "upper"
            } else {
                form.side.as_str()
            }),
        Input::new("proxy", i18n::t("agreement-proxy"), "radio")
            .options(vec![
                ("no".into(), i18n::t("agreement-proxy-no")),
                ("yes".into(), i18n::t("agreement-proxy-yes")),
            ])
            .value(if form.proxy.is_empty() {
                "no"
            } else {
                form.proxy.as_str()
            })
            .hint(i18n::t("agreement-proxy-hint")),
    ]
}

async fn agreements_page(r: &Reader, form: &OfferForm) -> WebResult<AgreementsPage> {
    let rows = tiers::agreements(&r.state, &r.ctx).await?;
    Ok(AgreementsPage {
        chrome: r.chrome(&i18n::t("sites-agreements-title")),
        notice: None,
        rows: rows.iter().map(|g| agreement_row(&r.ctx, g)).collect(),
        offer: offer_inputs(form),
        csrf_token: r.csrf.clone(),
    })
}

pub(super) async fn agreements(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let q: DoneQuery = lenient_query(&uri);
    let mut page = agreements_page(&r, &OfferForm::default()).await?;
    page.notice = match q.done.as_str() {
        "offered" => Some(Notice::new("success", i18n::t("agreement-offered"))),
        "accept" => Some(Notice::new("success", i18n::t("agreement-accepted"))),
        "decline" => Some(Notice::new("success", i18n::t("agreement-declined"))),
        "end" => Some(Notice::new("success", i18n::t("agreement-ended"))),
        "gone" => Some(Notice::new("warning", i18n::t("agreement-no-longer-open"))),
        _ => None,
    };
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct OfferForm {
    business_id: String,
    side: String,
    proxy: String,
}

pub(super) async fn offer(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<OfferForm>,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let outcome = tiers::offer_agreement(
        &r.state,
        &r.ctx,
        &form.business_id,
        form.side != "lower",
        form.proxy == "yes",
    )
    .await?;
    let why = match outcome {
        AgreementOutcome::Done => {
            return Ok(Redirect::to("/ccus_owner/agreements?done=offered").into_response())
        }
        AgreementOutcome::Refused(m) => i18n::msg(&m),
        AgreementOutcome::Forbidden => return Err(WebError::NotPermitted("site-refused-answer")),
        AgreementOutcome::NoLongerOpen | AgreementOutcome::NotFound => {
            return Err(WebError::NotFound)
        }
    };
    let mut page = agreements_page(&r, &form).await?;
    if let Some(i) = page.offer.first_mut() {
        i.error = Some(why);
    }
    page.notice = Some(Notice::new("error", i18n::t("agreement-offer-failed")));
    html(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub(super) async fn step(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((id, step)): Path<(AgreementId, String)>,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let s = match step.as_str() {
        "accept" => AgreementStep::Accept,
        "decline" => AgreementStep::Decline,
        "end" => AgreementStep::End,
        _ => return Err(WebError::NotFound),
    };
    let done = match tiers::step_agreement(&state, &ctx, id, s).await? {
        AgreementOutcome::Done => step.as_str(),
        AgreementOutcome::NoLongerOpen => "gone",
        AgreementOutcome::Forbidden => return Err(WebError::NotPermitted("site-refused-answer")),
        AgreementOutcome::Refused(_) | AgreementOutcome::NotFound => {
            return Err(WebError::NotFound)
        }
    };
    Ok(Redirect::to(&format!("/ccus_owner/agreements?done={done}")).into_response())
}

pub(super) async fn fees(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let today = sites::today(state.clock().now());
    let year = sites::fees::fiscal_year(today);
    let s = sites::fees::statement(&state, &ctx, year).await?;
    let yen = ccus_app::i18n::yen;
    let page = FeesPage {
        chrome: chrome(
            &state,
            &i18n::t("fees-title"),
            signed_in.kind,
            &signed_in.session,
            &csrf_cookie,
        ),
        year: i18n::ta(
            "fees-year",
            &[
                ("year", &s.year.to_string()),
                ("next", &(s.year + 1).to_string()),
            ],
        ),
        lines: vec![
            (
                i18n::t("fees-ids"),
                i18n::ta("fees-ids-count", &[("count", &s.ids.to_string())]),
            ),
            (
                i18n::t(if s.sole_proprietor {
                    "fees-per-id-sole"
                } else {
                    "fees-per-id"
                }),
                yen(s.per_id),
            ),
            (i18n::t("fees-id-total"), yen(s.id_total)),
            (i18n::t("fees-per-person-day"), yen(s.per_person_day)),
            (
                i18n::t("fees-open-sites"),
                i18n::ta("fees-sites-count", &[("count", &s.open_sites.to_string())]),
            ),
        ],
        notes: vec![
            i18n::t("fees-note-site-use"),
            i18n::t("fees-note-no-payment"),
        ],
    };
    html(StatusCode::OK, &page)
}
