//! One site at `/ccus_owner/sites/{現場ID}`: its facts and contracts, its 施工体制 with what
//! each place waits for, and the 名簿 the reader sees; the forms on it (ask a company onto
//! the site, list a worker, save or apply a pattern) and the answers to them.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ccus_app::sites::patterns::{self, Applied, PatternKind, SaveOutcome};
use ccus_app::sites::roster::{self, RosterOutcome, WorkerForm};
use ccus_app::sites::tiers::{self, AnswerOutcome, InviteOutcome};
use ccus_app::sites::{self, PlaceView, SiteView};
use ccus_domain::site::{PlacementState, Position, SiteState, TRADES};
use ccus_domain::{ListingId, PatternId, PlacementId};
use serde::Deserialize;

use super::labels::*;
use super::views::*;
use super::{context, field_errors, site_id, site_state, Reader};
use crate::error::{WebError, WebResult};
use crate::forms::{lenient_query, CheckedForm};
use crate::pages::html;
use crate::present::Notice;
use crate::security::CsrfCookie;
use crate::session::{CsrfToken, SignedIn};
use crate::{i18n, AppState};

/// A form of one place sent back with its problems: which form, what was typed, what is wrong.
struct Returned {
    place: PlacementId,
    worker: bool,
    typed: HashMap<String, String>,
    errors: HashMap<String, String>,
    error: Option<String>,
}

fn invite_form(site: &str, place: &PlaceView, back: Option<&Returned>) -> PlaceForm {
    let id = place.place.id;
    let back = back.filter(|r| r.place == id && !r.worker);
    let typed = |k: &str| {
        back.and_then(|r| r.typed.get(k).cloned())
            .unwrap_or_default()
    };
    let name = format!("invite-{id}");
    let mut input = Input::new(name.clone(), i18n::t("site-invite-business-id"), "text")
        .numeric()
        .value(typed(&name))
        .hint(i18n::t("site-invite-hint"));
    input.error = back.and_then(|r| r.error.clone());
    PlaceForm {
        action: format!("/ccus_owner/sites/{site}/places/{id}/invite"),
        inputs: vec![input],
        error: None,
        open: back.is_some(),
    }
}

fn worker_form(site: &str, place: &PlaceView, back: Option<&Returned>) -> PlaceForm {
    let id = place.place.id;
    let back = back.filter(|r| r.place == id && r.worker);
    let n = |k: &str| format!("w{id}-{k}");
    let typed = |k: &str| {
        back.and_then(|r| r.typed.get(&n(k)).cloned())
            .unwrap_or_default()
    };
    // What was typed, else what a new line starts with.
    let typed_or = |k: &str, default: &str| {
        Some(typed(k))
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| default.to_owned())
    };
    let mut inputs = vec![
        Input::new(n("login_id"), i18n::t("site-worker-id"), "text")
            .numeric()
            .value(typed("login_id"))
            .hint(i18n::t("site-worker-id-hint")),
        Input::new(n("trade"), i18n::t("site-worker-trade"), "select")
            .options(
                std::iter::once((String::new(), i18n::t("site-choose")))
                    .chain(TRADES.iter().map(|c| ((*c).to_owned(), trade(c))))
                    .collect(),
            )
            .value(typed("trade")),
        Input::new(n("position"), i18n::t("site-worker-position"), "select")
            .options(
                Position::ALL
                    .iter()
                    .map(|p| (p.as_str().to_owned(), position(*p)))
                    .collect(),
            )
            .value(typed_or("position", "worker")),
        Input::new(n("work"), i18n::t("site-worker-work"), "text")
            .optional()
            .value(typed("work")),
        Input::new(n("hazardous"), i18n::t("site-worker-hazardous"), "radio")
            .options(vec![
                ("no".into(), i18n::t("site-hazardous-no")),
                ("yes".into(), i18n::t("site-hazardous-yes")),
            ])
            .value(typed_or("hazardous", "no")),
        Input::new(n("health_check"), i18n::t("site-worker-health"), "date")
            .optional()
            .value(typed("health_check"))
            .hint(i18n::t("site-worker-health-hint")),
        Input::new(
            n("qualifications"),
            i18n::t("site-worker-qualifications"),
            "text",
        )
        .optional()
        .value(typed("qualifications")),
    ];
    if let Some(r) = back {
        for i in &mut inputs {
            let short = i.name.split_once('-').map_or("", |(_, k)| k).to_owned();
            i.error = r.errors.get(&short).cloned();
        }
    }
    PlaceForm {
        action: format!("/ccus_owner/sites/{site}/places/{id}/workers"),
        inputs,
        error: back.and_then(|r| r.error.clone()),
        open: back.is_some(),
    }
}

fn worker_row(w: &ccus_app::sites::WorkerView) -> WorkerRow {
    WorkerRow {
        id: w.listing.get(),
        login_id: w.seen.login_id.clone(),
        name: w.seen.name.clone().unwrap_or_default(),
        trade: trade(&w.fields.trade),
        position: position(w.fields.position),
        work: w.fields.work.clone(),
        hazardous: yes_no(w.fields.hazardous),
        qualifications: w.fields.qualifications.clone(),
        basis: i18n::msg(&w.seen.basis),
        asked: w.asked,
    }
}

/// The places of a site as rows, with the forms the reader may use on each.
fn place_rows(
    v: &SiteView,
    back: Option<&Returned>,
    patterns: &[(PatternKind, i64, String)],
) -> Vec<PlaceRow> {
    let site = v.site.site_id.as_str();
    v.places
        .iter()
        .map(|p| PlaceRow {
            id: p.place.id.get(),
            depth: p.depth,
            tier: tier(p.depth),
            company: crate::org::business_line(&p.place.business.name, &p.place.business.login_id),
            state: place_state(p.place.state),
            requested: p.place.state == PlacementState::Requested,
            waiting_on: (p.place.state == PlacementState::Requested)
                .then(|| i18n::ta("site-waiting-on", &[("company", &p.place.business.name)])),
            via: via(p.place.via),
            may_answer: p.may_answer,
            may_cancel: p.may_cancel,
            invite: p.may_invite.then(|| invite_form(site, p, back)),
            add_worker: p.may_list.then(|| worker_form(site, p, back)),
            shows_roster: p.shows_roster,
            workers: p.workers.iter().map(worker_row).collect(),
            may_edit_workers: p.may_list,
            patterns: patterns
                .iter()
                .filter(|(k, _, _)| {
                    (*k == PatternKind::Tiers && p.may_invite)
                        || (*k == PatternKind::Roster && p.may_list)
                })
                .map(|(_, id, name)| (*id, name.clone()))
                .collect(),
        })
        .collect()
}

/// The facts of a site, (label, value), in the page's language.
pub(crate) fn facts(s: &ccus_app::sites::Site) -> Vec<(String, String)> {
    vec![
        (i18n::t("site-id"), s.site_id.grouped()),
        (i18n::t("site-label-name"), s.name.clone()),
        (
            i18n::t("site-prime"),
            crate::org::business_line(&s.prime.name, &s.prime.login_id),
        ),
        (i18n::t("site-manager"), s.manager.name.clone()),
        (i18n::t("site-order-kind"), order_kind(s.order_kind)),
        (
            i18n::t("site-records"),
            period(s.records_from, s.records_to),
        ),
        (i18n::t("site-hazardous"), yes_no(s.hazardous)),
        (i18n::t("site-state"), site_state(s.state)),
    ]
}

fn contract_facts(c: &ccus_app::sites::Contract) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut push = |k: &str, v: String| {
        if !v.is_empty() {
            out.push((i18n::t(k), v));
        }
    };
    push("site-address", c.address.clone());
    push("site-client", c.client_name.clone());
    push("site-contract-form", c.contract_form.clone());
    let date = ccus_domain::profile::format_date;
    if c.period_from.is_some() || c.period_to.is_some() {
        push(
            "site-contract-period",
            i18n::ta(
                "site-period",
                &[
                    ("from", &c.period_from.map(date).unwrap_or_default()),
                    ("to", &c.period_to.map(date).unwrap_or_default()),
                ],
            ),
        );
    }
    push(
        "site-work-kind",
        c.work_kind.map(work_kind).unwrap_or_default(),
    );
    push("site-work-type", c.work_type.clone());
    push("site-scale", c.scale.clone());
    out
}

async fn render(
    r: &Reader,
    raw: &str,
    notice: Option<Notice>,
    back: Option<&Returned>,
) -> WebResult<SitePage> {
    let id = site_id(raw)?;
    let v = sites::view(&r.state, &r.ctx, &id)
        .await?
        .ok_or(WebError::NotFound)?;
    let mut patterns = Vec::new();
    for kind in [PatternKind::Tiers, PatternKind::Roster] {
        for p in patterns::patterns(&r.state, &r.ctx, kind).await? {
            patterns.push((kind, p.id.get(), p.name));
        }
    }
    Ok(SitePage {
        chrome: r.chrome(&v.site.name),
        notice,
        site_id: v.site.site_id.as_str().to_owned(),
        name: v.site.name.clone(),
        facts: facts(&v.site),
        contracts: v.contracts.iter().map(contract_facts).collect(),
        runs: v.runs,
        closed: v.site.state == SiteState::Closed,
        places: place_rows(&v, back, &patterns),
        may_save: v.my_place.is_some(),
        saved_patterns: patterns
            .iter()
            .map(|(kind, id, name)| SavedPattern {
                id: *id,
                name: name.clone(),
                kind: i18n::t(match kind {
                    PatternKind::Tiers => "site-pattern-kind-tiers",
                    PatternKind::Roster => "site-pattern-kind-roster",
                }),
            })
            .collect(),
        csrf_token: r.csrf.clone(),
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: String,
    company: String,
    count: String,
}

pub(super) async fn page(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(raw): Path<String>,
    uri: Uri,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let q: DoneQuery = lenient_query(&uri);
    let company = &[("company", q.company.as_str())];
    let notice = match q.done.as_str() {
        "registered" => Some(
            Notice::new("success", i18n::t("site-registered"))
                .line(i18n::t("site-registered-line")),
        ),
        "edited" => Some(Notice::new("success", i18n::t("site-edited"))),
        "closed" => Some(Notice::new("success", i18n::t("site-closed"))),
        "reopened" => Some(Notice::new("success", i18n::t("site-reopened"))),
        "requested" => Some(
            Notice::new("success", i18n::ta("site-requested", company))
                .line(i18n::t("site-requested-line")),
        ),
        "placed" => Some(Notice::new("success", i18n::ta("site-placed", company))),
        "approve" => Some(Notice::new("success", i18n::t("site-approved"))),
        "decline" => Some(Notice::new("success", i18n::t("site-declined"))),
        "cancel" => Some(Notice::new("success", i18n::t("site-cancelled"))),
        "gone" => Some(Notice::new("warning", i18n::t("site-no-longer-open"))),
        "site-closed" => Some(Notice::new("warning", i18n::t("site-is-closed"))),
        "listed" => Some(Notice::new("success", i18n::t("site-worker-listed"))),
        "asked" => Some(
            Notice::new("success", i18n::t("site-worker-asked"))
                .line(i18n::t("site-worker-asked-line")),
        ),
        "removed" => Some(Notice::new("success", i18n::t("site-worker-removed"))),
        "saved" => Some(Notice::new(
            "success",
            i18n::ta("site-pattern-saved", &[("count", q.count.as_str())]),
        )),
        "applied" => Some(Notice::new(
            "success",
            i18n::ta("site-pattern-applied", &[("count", q.count.as_str())]),
        )),
        "pattern-deleted" => Some(Notice::new("success", i18n::t("site-pattern-deleted"))),
        _ => None,
    };
    let p = render(&r, &raw, notice, None).await?;
    html(StatusCode::OK, &p)
}

fn done(raw: &str, what: &str) -> Response {
    Redirect::to(&format!("/ccus_owner/sites/{raw}?done={what}")).into_response()
}

fn done_with(raw: &str, what: &str, key: &str, value: &str) -> Response {
    let q = serde_urlencoded::to_string([("done", what), (key, value)]).unwrap_or_default();
    Redirect::to(&format!("/ccus_owner/sites/{raw}?{q}")).into_response()
}

async fn returned(r: &Reader, raw: &str, back: Returned, title: &str) -> WebResult<Response> {
    let p = render(
        r,
        raw,
        Some(Notice::new("error", i18n::t(title))),
        Some(&back),
    )
    .await?;
    html(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

pub(super) async fn invite(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path((raw, place)): Path<(String, PlacementId)>,
    CheckedForm(m): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let id = site_id(&raw)?;
    let typed = m
        .get(&format!("invite-{place}"))
        .cloned()
        .unwrap_or_default();
    let why = match tiers::invite(&r.state, &r.ctx, &id, place, &typed).await? {
        InviteOutcome::Requested { company } => {
            return Ok(done_with(&raw, "requested", "company", &company))
        }
        InviteOutcome::Placed { company } => {
            return Ok(done_with(&raw, "placed", "company", &company))
        }
        InviteOutcome::Refused(m) => i18n::msg(&m),
        InviteOutcome::Closed => i18n::t("site-is-closed"),
        InviteOutcome::Forbidden => return Err(WebError::NotPermitted("site-refused-answer")),
        InviteOutcome::NotFound => return Err(WebError::NotFound),
    };
    let back = Returned {
        place,
        worker: false,
        typed: m,
        errors: HashMap::new(),
        error: Some(why),
    };
    returned(&r, &raw, back, "site-invite-failed").await
}

pub(super) async fn answer(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((raw, place, step)): Path<(String, PlacementId, String)>,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let raw = site_id(&raw)?.as_str().to_owned();
    let outcome = match step.as_str() {
        "approve" => tiers::answer(&state, &ctx, place, true).await?,
        "decline" => tiers::answer(&state, &ctx, place, false).await?,
        "cancel" => tiers::cancel(&state, &ctx, place).await?,
        _ => return Err(WebError::NotFound),
    };
    match outcome {
        AnswerOutcome::Approved | AnswerOutcome::Declined | AnswerOutcome::Cancelled => {
            // A company that declined, or was taken off, no longer sees the site.
            if step == "approve" {
                Ok(done(&raw, &step))
            } else if step == "decline" {
                Ok(Redirect::to("/ccus_owner/sites/pending?done=decline").into_response())
            } else {
                Ok(done(&raw, &step))
            }
        }
        AnswerOutcome::NoLongerOpen => Ok(done(&raw, "gone")),
        AnswerOutcome::Closed => Ok(done(&raw, "site-closed")),
        AnswerOutcome::Forbidden => Err(WebError::NotPermitted("site-refused-answer")),
        AnswerOutcome::NotFound => Err(WebError::NotFound),
    }
}

pub(super) async fn add_worker(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path((raw, place)): Path<(String, PlacementId)>,
    CheckedForm(m): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let id = site_id(&raw)?;
    let get = |k: &str| m.get(&format!("w{place}-{k}")).cloned().unwrap_or_default();
    let form = WorkerForm {
        login_id: get("login_id"),
        trade: get("trade"),
        work: get("work"),
        position: get("position"),
        hazardous: get("hazardous"),
        health_check: get("health_check"),
        qualifications: get("qualifications"),
    };
    let (errors, error) = match roster::add_worker(&r.state, &r.ctx, &id, place, &form).await? {
        RosterOutcome::Listed => return Ok(done(&raw, "listed")),
        RosterOutcome::Asked => return Ok(done(&raw, "asked")),
        RosterOutcome::Invalid(e) => (field_errors(&e), None),
        RosterOutcome::Closed => (HashMap::new(), Some(i18n::t("site-is-closed"))),
        RosterOutcome::Forbidden => return Err(WebError::NotPermitted("site-refused-roster")),
        RosterOutcome::NotFound => return Err(WebError::NotFound),
    };
    let back = Returned {
        place,
        worker: true,
        typed: m,
        errors,
        error,
    };
    returned(&r, &raw, back, "site-worker-failed").await
}

pub(super) async fn remove_worker(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((raw, listing)): Path<(String, ListingId)>,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let raw = site_id(&raw)?.as_str().to_owned();
    match roster::change_worker(&state, &ctx, listing, None).await? {
        RosterOutcome::Listed => Ok(done(&raw, "removed")),
        RosterOutcome::Closed => Ok(done(&raw, "site-closed")),
        RosterOutcome::Forbidden => Err(WebError::NotPermitted("site-refused-roster")),
        _ => Ok(done(&raw, "gone")),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PatternForm {
    kind: String,
    name: String,
    pattern: String,
}

pub(super) async fn save_pattern(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(raw): Path<String>,
    CheckedForm(form): CheckedForm<PatternForm>,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let id = site_id(&raw)?;
    let kind = PatternKind::parse(&form.kind).ok_or(WebError::NotFound)?;
    match patterns::save(&r.state, &r.ctx, &id, kind, &form.name).await? {
        SaveOutcome::Saved(n) => Ok(done_with(&raw, "saved", "count", &n.to_string())),
        SaveOutcome::Refused(m) => {
            let p = render(
                &r,
                &raw,
                Some(Notice::new("error", i18n::t("site-pattern-failed")).line(i18n::msg(&m))),
                None,
            )
            .await?;
            html(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        SaveOutcome::NotFound => Err(WebError::NotFound),
    }
}

/// Deletes one of the business's saved patterns; one that is not (or no longer) its own is
/// simply gone.
pub(super) async fn delete_pattern(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((raw, pattern)): Path<(String, PatternId)>,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let raw = site_id(&raw)?.as_str().to_owned();
    patterns::delete(&state, &ctx, pattern).await?;
    Ok(done(&raw, "pattern-deleted"))
}

pub(super) async fn apply_pattern(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((raw, place)): Path<(String, PlacementId)>,
    CheckedForm(form): CheckedForm<PatternForm>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let id = site_id(&raw)?;
    let pattern: PatternId = form
        .pattern
        .trim()
        .parse()
        .map_err(|_| WebError::NotFound)?;
    let results = patterns::apply(&state, &ctx, &id, place, pattern)
        .await?
        .ok_or(WebError::NotFound)?;
    let done_n = results
        .iter()
        .filter(|(_, r)| {
            matches!(
                r,
                Applied::Invite(InviteOutcome::Requested { .. } | InviteOutcome::Placed { .. })
                    | Applied::Worker(RosterOutcome::Listed | RosterOutcome::Asked)
            )
        })
        .count();
    Ok(done_with(&raw, "applied", "count", &done_n.to_string()))
}
