//! 現場 and 施工体制 for a business at `/ccus_owner/sites`: the site list with its search,
//! registering and editing a site, one site with its tree and 名簿 (asking companies, answering,
//! withdrawing, listing workers, patterns), what waits for the business, 事業者間合意 and fees;
//! the technician's own sites at `/ccus_skill/sites` (`technician.rs`), and the helpdesk's view
//! (`helpdesk.rs`). Every decision is the application layer's ([`ccus_app::sites`]).

mod helpdesk;
mod labels;
mod site;
mod technician;
pub mod views;

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ccus_app::org::OrgContext;
use ccus_app::sites::tiers::{self, AgreementOutcome, AgreementStep};
use ccus_app::sites::{self, ContractForm, SiteForm, SiteOutcome};
use ccus_domain::org::Action;
use ccus_domain::site::{OrderKind, SiteState, WorkKind};
use ccus_domain::{AccountKind, AgreementId, SiteId};
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::forms::{lenient_query, CheckedForm};
use crate::pages::html;
use crate::present::{chrome, Notice};
use crate::security::CsrfCookie;
use crate::session::{CsrfToken, SignedIn};
use crate::{i18n, AppState};

use labels::*;
use views::*;

pub(crate) fn routes() -> Router<AppState> {
    let b = AccountKind::Business.portal();
    Router::new()
        .route(&format!("/{b}/sites"), get(list))
        .route(&format!("/{b}/sites/new"), get(new_form).post(register))
        .route(&format!("/{b}/sites/pending"), get(pending))
        .route(&format!("/{b}/sites/{{site}}"), get(site::page))
        .route(
            &format!("/{b}/sites/{{site}}/edit"),
            get(edit_form).post(edit),
        )
        .route(
            &format!("/{b}/sites/{{site}}/{{step}}"),
            post(open_or_close),
        )
        .route(
            &format!("/{b}/sites/{{site}}/places/{{place}}/invite"),
            post(site::invite),
        )
        .route(
            &format!("/{b}/sites/{{site}}/places/{{place}}/workers"),
            post(site::add_worker),
        )
        .route(
            &format!("/{b}/sites/{{site}}/places/{{place}}/pattern"),
            post(site::apply_pattern),
        )
        .route(
            &format!("/{b}/sites/{{site}}/places/{{place}}/answer/{{step}}"),
            post(site::answer),
        )
        .route(
            &format!("/{b}/sites/{{site}}/workers/{{listing}}/remove"),
            post(site::remove_worker),
        )
        .route(
            &format!("/{b}/sites/{{site}}/patterns"),
            post(site::save_pattern),
        )
        .route(&format!("/{b}/agreements"), get(agreements).post(offer))
        .route(&format!("/{b}/agreements/{{id}}/{{step}}"), post(step))
        .route(&format!("/{b}/fees"), get(fees))
        .merge(technician::routes())
        .merge(helpdesk::routes())
}

/// The signed-in business login's organisation, or 404 for anyone who is not of a business.
pub(crate) async fn context(state: &AppState, signed_in: &SignedIn) -> WebResult<OrgContext> {
    match ccus_app::org::context(state, &signed_in.session.account).await? {
        Some(ctx) if ctx.can(Action::AnswerRequests) || ctx.can(Action::RunSites) => Ok(ctx),
        _ => Err(WebError::NotFound),
    }
}

/// A 現場ID from the address, or 404.
pub(crate) fn site_id(raw: &str) -> WebResult<SiteId> {
    SiteId::parse(raw).map_err(|_| WebError::NotFound)
}

pub(crate) fn site_path(id: &SiteId) -> String {
    format!("/ccus_owner/sites/{}", id.as_str())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    q: String,
    from: String,
    to: String,
    state: String,
    before: String,
    done: String,
}

async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    uri: Uri,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let q: ListQuery = lenient_query(&uri);
    let form = sites::SearchForm {
        q: q.q.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
        state: q.state.clone(),
        before: q.before.clone(),
    };
    let found = sites::list(&state, &ctx, &form).await?;
    let pending = tiers::pending(&state, &ctx).await?;
    let errors = field_errors(&found.errors);
    let mut search = vec![
        Input::new("q", i18n::t("sites-search-q"), "text")
            .optional()
            .value(&q.q)
            .hint(i18n::t("sites-search-q-hint")),
        Input::new("from", i18n::t("sites-search-from"), "date")
            .optional()
            .value(&q.from),
        Input::new("to", i18n::t("sites-search-to"), "date")
            .optional()
            .value(&q.to),
        Input::new("state", i18n::t("sites-search-state"), "select")
            .optional()
            .options(vec![
                (String::new(), i18n::t("sites-search-state-any")),
                ("open".into(), i18n::t("site-state-open")),
                ("closed".into(), i18n::t("site-state-closed")),
            ])
            .value(&q.state),
    ];
    for i in &mut search {
        i.error = errors.get(&i.name).cloned();
    }
    let searched = !(q.q.is_empty() && q.from.is_empty() && q.to.is_empty() && q.state.is_empty());
    let next = found.next.map(|k| {
        let before = k.to_string();
        let query = serde_urlencoded::to_string([
            ("q", q.q.as_str()),
            ("from", q.from.as_str()),
            ("to", q.to.as_str()),
            ("state", q.state.as_str()),
            ("before", before.as_str()),
        ])
        .unwrap_or_default();
        format!("/ccus_owner/sites?{query}")
    });
    let notice = match q.done.as_str() {
        "closed" => Some(Notice::new("success", i18n::t("sites-closed-done"))),
        _ => None,
    };
    let page = SitesPage {
        chrome: chrome(
            &state,
            &i18n::t("sites-title"),
            signed_in.kind,
            &signed_in.session,
            &csrf_cookie,
        ),
        notice,
        search,
        rows: found
            .rows
            .iter()
            .map(|r| SiteRow {
                site_id: r.site.site_id.as_str().to_owned(),
                grouped: r.site.site_id.grouped(),
                name: r.site.name.clone(),
                prime: r.site.prime.name.clone(),
                period: period(r.site.records_from, r.site.records_to),
                state: site_state(r.site.state),
                standing: if r.site.prime.id == ctx.business.id {
                    i18n::t("sites-standing-prime")
                } else if r.my_state == "requested" {
                    i18n::t("sites-standing-asked")
                } else {
                    i18n::t("sites-standing-on")
                },
                waiting: r.my_state == "requested",
            })
            .collect(),
        searched,
        next,
        may_register: sites::may_register(&ctx),
        pending: pending.to_answer.len() + pending.offers.len(),
    };
    html(StatusCode::OK, &page)
}

/// Field errors by the form's field name, in the page's language.
pub(crate) fn field_errors(errors: &sites::FieldErrors) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (f, m) in errors {
        out.entry(f.clone()).or_insert_with(|| i18n::msg(m));
    }
    out
}

/// The site form's sections, filled from what was typed, with its errors.
fn form_sections(
    ctx: &OrgContext,
    form: &SiteForm,
    errors: &HashMap<String, String>,
) -> Vec<Section> {
    let yes_no = vec![
        ("no".to_owned(), i18n::t("site-hazardous-no")),
        ("yes".to_owned(), i18n::t("site-hazardous-yes")),
    ];
    let mut info = vec![
        Input::new("name", i18n::t("site-label-name"), "text").value(&form.name),
        Input::new("order_kind", i18n::t("site-order-kind"), "radio")
            .options(
                OrderKind::ALL
                    .iter()
                    .map(|k| (k.as_str().to_owned(), order_kind(*k)))
                    .collect(),
            )
            .value(&form.order_kind),
        Input::new("records_from", i18n::t("site-records-from"), "date")
            .value(&form.records_from)
            .hint(i18n::t("site-records-hint")),
        Input::new("records_to", i18n::t("site-records-to"), "date").value(&form.records_to),
        Input::new("hazardous", i18n::t("site-hazardous"), "radio")
            .options(yes_no)
            .value(&form.hazardous),
        Input::new("manager", i18n::t("site-manager"), "select")
            .options(
                sites::manager_choices(ctx)
                    .into_iter()
                    .map(|(id, name, login)| {
                        let label = match login {
                            Some(l) => {
                                i18n::ta("site-manager-choice", &[("name", &name), ("id", &l)])
                            }
                            None => name,
                        };
                        (id.to_string(), label)
                    })
                    .collect(),
            )
            .value(&form.manager)
            .hint(i18n::t("site-manager-hint")),
    ];
    for i in &mut info {
        i.error = errors.get(&i.name).cloned();
    }
    let mut sections = vec![Section {
        heading: i18n::t("site-section-info"),
        intro: None,
        inputs: info,
    }];
    // The contracts typed, and one empty one to add another.
    let mut contracts = form.contracts.clone();
    contracts.retain(|c| !contract_is_empty(c));
    contracts.push(ContractForm::default());
    for (n, c) in contracts.iter().enumerate() {
        let f = |name: &str| format!("contract-{n}-{name}");
        let mut inputs = vec![
            Input::new(f("address"), i18n::t("site-address"), "text")
                .optional()
                .value(&c.address),
            Input::new(f("client_name"), i18n::t("site-client"), "text")
                .optional()
                .value(&c.client_name),
            Input::new(f("contract_form"), i18n::t("site-contract-form"), "text")
                .optional()
                .value(&c.contract_form)
                .hint(i18n::t("site-contract-form-hint")),
            Input::new(f("period_from"), i18n::t("site-contract-from"), "date")
                .optional()
                .value(&c.period_from),
            Input::new(f("period_to"), i18n::t("site-contract-to"), "date")
                .optional()
                .value(&c.period_to),
            Input::new(f("work_kind"), i18n::t("site-work-kind"), "select")
                .optional()
                .options(
                    std::iter::once((String::new(), i18n::t("site-not-given")))
                        .chain(
                            WorkKind::ALL
                                .iter()
                                .map(|k| (k.as_str().to_owned(), work_kind(*k))),
                        )
                        .collect(),
                )
                .value(&c.work_kind),
            Input::new(f("work_type"), i18n::t("site-work-type"), "text")
                .optional()
                .value(&c.work_type),
            Input::new(f("scale"), i18n::t("site-scale"), "text")
                .optional()
                .value(&c.scale),
        ];
        for i in &mut inputs {
            i.error = errors.get(&i.name).cloned();
        }
        sections.push(Section {
            heading: i18n::ta("site-section-contract", &[("n", &(n + 1).to_string())]),
            intro: (n + 1 == contracts.len()).then(|| i18n::t("site-contract-intro")),
            inputs,
        });
    }
    sections
}

fn contract_is_empty(c: &ContractForm) -> bool {
    [
        &c.address,
        &c.client_name,
        &c.contract_form,
        &c.period_from,
        &c.period_to,
        &c.work_kind,
        &c.work_type,
        &c.scale,
    ]
    .iter()
    .all(|s| s.trim().is_empty())
}

/// The site form from what was posted (`contract-N-field` for each contract).
fn read_form(m: &HashMap<String, String>) -> SiteForm {
    let get = |k: &str| m.get(k).cloned().unwrap_or_default();
    let mut contracts = Vec::new();
    for n in 0..=sites::MAX_CONTRACTS {
        let f = |name: &str| get(&format!("contract-{n}-{name}"));
        if !m.keys().any(|k| k.starts_with(&format!("contract-{n}-"))) {
            continue;
        }
        contracts.push(ContractForm {
            address: f("address"),
            client_name: f("client_name"),
            contract_form: f("contract_form"),
            period_from: f("period_from"),
            period_to: f("period_to"),
            work_kind: f("work_kind"),
            work_type: f("work_type"),
            scale: f("scale"),
        });
    }
    SiteForm {
        name: get("name"),
        order_kind: get("order_kind"),
        records_from: get("records_from"),
        records_to: get("records_to"),
        hazardous: get("hazardous"),
        manager: get("manager"),
        contracts,
    }
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    state: &AppState,
    signed_in: &SignedIn,
    csrf_cookie: &Option<Extension<CsrfCookie>>,
    csrf: String,
    ctx: &OrgContext,
    form: &SiteForm,
    errors: &sites::FieldErrors,
    editing: Option<&SiteId>,
) -> SiteFormPage {
    let (title, action, submit, back) = match editing {
        Some(id) => (
            i18n::t("site-edit-title"),
            format!("{}/edit", site_path(id)),
            i18n::t("site-edit-submit"),
            site_path(id),
        ),
        None => (
            i18n::t("site-new-title"),
            "/ccus_owner/sites/new".to_owned(),
            i18n::t("site-new-submit"),
            "/ccus_owner/sites".to_owned(),
        ),
    };
    SiteFormPage {
        chrome: chrome(
            state,
            &title,
            signed_in.kind,
            &signed_in.session,
            csrf_cookie,
        ),
        heading: title,
        notice: (!errors.is_empty()).then(|| {
            Notice::new("error", i18n::t("site-form-problems")).line(i18n::ta(
                "site-form-problem-count",
                &[("count", &errors.len().to_string())],
            ))
        }),
        intro: i18n::t("site-form-intro"),
        action,
        sections: form_sections(ctx, form, &field_errors(errors)),
        submit,
        back,
        csrf_token: csrf,
    }
}

async fn new_form(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    if !sites::may_register(&ctx) {
        return Err(WebError::NotPermitted("site-refused-register"));
    }
    let form = SiteForm {
        order_kind: String::new(),
        hazardous: "no".into(),
        manager: ctx.me.id.to_string(),
        ..SiteForm::default()
    };
    let page = form_page(
        &state,
        &signed_in,
        &csrf_cookie,
        csrf,
        &ctx,
        &form,
        &Vec::new(),
        None,
    );
    html(StatusCode::OK, &page)
}

async fn register(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(m): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let form = read_form(&m);
    match sites::register(&state, &ctx, &form).await? {
        SiteOutcome::Done(id) => {
            Ok(Redirect::to(&format!("{}?done=registered", site_path(&id))).into_response())
        }
        SiteOutcome::Invalid(errors) => {
            let page = form_page(
                &state,
                &signed_in,
                &csrf_cookie,
                csrf,
                &ctx,
                &form,
                &errors,
                None,
            );
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        SiteOutcome::Forbidden => Err(WebError::NotPermitted("site-refused-register")),
        SiteOutcome::NotFound => Err(WebError::NotFound),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(raw): Path<String>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let id = site_id(&raw)?;
    let v = sites::view(&state, &ctx, &id)
        .await?
        .filter(|v| v.runs)
        .ok_or(WebError::NotFound)?;
    let s = &v.site;
    let date = ccus_domain::profile::format_date;
    let form = SiteForm {
        name: s.name.clone(),
        order_kind: s.order_kind.as_str().to_owned(),
        records_from: date(s.records_from),
        records_to: date(s.records_to),
        hazardous: if s.hazardous { "yes" } else { "no" }.to_owned(),
        manager: s.manager.id.to_string(),
        contracts: v
            .contracts
            .iter()
            .map(|c| ContractForm {
                address: c.address.clone(),
                client_name: c.client_name.clone(),
                contract_form: c.contract_form.clone(),
                period_from: c.period_from.map(date).unwrap_or_default(),
                period_to: c.period_to.map(date).unwrap_or_default(),
                work_kind: c
                    .work_kind
                    .map(|k| k.as_str().to_owned())
                    .unwrap_or_default(),
                work_type: c.work_type.clone(),
                scale: c.scale.clone(),
            })
            .collect(),
    };
    let page = form_page(
        &state,
        &signed_in,
        &csrf_cookie,
        csrf,
        &ctx,
        &form,
        &Vec::new(),
        Some(&id),
    );
    html(StatusCode::OK, &page)
}

async fn edit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(raw): Path<String>,
    CheckedForm(m): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let id = site_id(&raw)?;
    let form = read_form(&m);
    match sites::edit(&state, &ctx, &id, &form).await? {
        SiteOutcome::Done(id) => {
            Ok(Redirect::to(&format!("{}?done=edited", site_path(&id))).into_response())
        }
        SiteOutcome::Invalid(errors) => {
            let page = form_page(
                &state,
                &signed_in,
                &csrf_cookie,
                csrf,
                &ctx,
                &form,
                &errors,
                Some(&id),
            );
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        SiteOutcome::Forbidden | SiteOutcome::NotFound => Err(WebError::NotFound),
    }
}

async fn open_or_close(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((raw, step)): Path<(String, String)>,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let id = site_id(&raw)?;
    let close = match step.as_str() {
        "close" => true,
        "reopen" => false,
        _ => return Err(WebError::NotFound),
    };
    match sites::set_closed(&state, &ctx, &id, close).await? {
        None => Err(WebError::NotFound),
        Some(_) => {
            let done = if close { "closed" } else { "reopened" };
            Ok(Redirect::to(&format!("{}?done={done}", site_path(&id))).into_response())
        }
    }
}

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

async fn pending(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let p = tiers::pending(&state, &ctx).await?;
    let page = PendingPage {
        chrome: chrome(
            &state,
            &i18n::t("sites-pending-title"),
            signed_in.kind,
            &signed_in.session,
            &csrf_cookie,
        ),
        notice: None,
        to_answer: p.to_answer.iter().map(|r| request_row(r, true)).collect(),
        waiting: p.waiting.iter().map(|r| request_row(r, false)).collect(),
        offers: p.offers.iter().map(|g| agreement_row(&ctx, g)).collect(),
        csrf_token: csrf,
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

async fn agreements_page(
    state: &AppState,
    signed_in: &SignedIn,
    csrf_cookie: &Option<Extension<CsrfCookie>>,
    csrf: String,
    ctx: &OrgContext,
    form: &OfferForm,
) -> WebResult<AgreementsPage> {
    let rows = tiers::agreements(state, ctx).await?;
    Ok(AgreementsPage {
        chrome: chrome(
            state,
            &i18n::t("sites-agreements-title"),
            signed_in.kind,
            &signed_in.session,
            csrf_cookie,
        ),
        notice: None,
        rows: rows.iter().map(|g| agreement_row(ctx, g)).collect(),
        offer: offer_inputs(form),
        csrf_token: csrf,
    })
}

async fn agreements(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let q: DoneQuery = lenient_query(&uri);
    let mut page = agreements_page(
        &state,
        &signed_in,
        &csrf_cookie,
        csrf,
        &ctx,
        &OfferForm::default(),
    )
    .await?;
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
struct OfferForm {
    business_id: String,
    side: String,
    proxy: String,
}

async fn offer(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<OfferForm>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let outcome = tiers::offer_agreement(
        &state,
        &ctx,
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
    let mut page = agreements_page(&state, &signed_in, &csrf_cookie, csrf, &ctx, &form).await?;
    if let Some(i) = page.offer.first_mut() {
        i.error = Some(why);
    }
    page.notice = Some(Notice::new("error", i18n::t("agreement-offer-failed")));
    html(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

async fn step(
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

async fn fees(
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

/// The site's state, the period and the other words many sites pages show.
pub(crate) fn site_state(s: SiteState) -> String {
    i18n::t(match s {
        SiteState::Open => "site-state-open",
        SiteState::Closed => "site-state-closed",
    })
}
