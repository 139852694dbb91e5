//! A site's form: registering (「現場の登録」) and editing (「現場情報の変更」), each contract a
//! group of fields of its own (`contract-N-…`) with an empty one to add another; and closing
//! and re-opening. A form sent back keeps what was typed, each problem next to its field.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ccus_app::org::OrgContext;
use ccus_app::sites::{self, ContractForm, SiteForm, SiteOutcome};
use ccus_domain::site::{OrderKind, WorkKind};
use ccus_domain::SiteId;

use super::labels::*;
use super::views::*;
use super::{context, field_errors, site_id, site_path, Reader};
use crate::error::{WebError, WebResult};
use crate::forms::CheckedForm;
use crate::pages::html;
use crate::present::Notice;
use crate::security::CsrfCookie;
use crate::session::{CsrfToken, SignedIn};
use crate::{i18n, AppState};

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
        let c = ContractForm {
            address: f("address"),
            client_name: f("client_name"),
            contract_form: f("contract_form"),
            period_from: f("period_from"),
            period_to: f("period_to"),
            work_kind: f("work_kind"),
            work_type: f("work_type"),
            scale: f("scale"),
        };
        // A group left empty is dropped here, so that the form sent back numbers the
        // contracts as their problems do.
        if !contract_is_empty(&c) {
            contracts.push(c);
        }
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

fn form_page(
    r: &Reader,
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
        chrome: r.chrome(&title),
        heading: title,
        notice: (!errors.is_empty()).then(|| {
            Notice::new("error", i18n::t("site-form-problems")).line(i18n::ta(
                "site-form-problem-count",
                &[("count", &errors.len().to_string())],
            ))
        }),
        intro: i18n::t("site-form-intro"),
        action,
        sections: form_sections(&r.ctx, form, &field_errors(errors)),
        submit,
        back,
        csrf_token: r.csrf.clone(),
    }
}

pub(super) async fn new_form(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    if !sites::may_register(&r.ctx) {
        return Err(WebError::NotPermitted("site-refused-register"));
    }
    let form = SiteForm {
        order_kind: String::new(),
        hazardous: "no".into(),
        manager: r.ctx.me.id.to_string(),
        ..SiteForm::default()
    };
    let page = form_page(&r, &form, &Vec::new(), None);
    html(StatusCode::OK, &page)
}

pub(super) async fn register(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(m): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let form = read_form(&m);
    match sites::register(&r.state, &r.ctx, &form).await? {
        SiteOutcome::Done(id) => {
            Ok(Redirect::to(&format!("{}?done=registered", site_path(&id))).into_response())
        }
        SiteOutcome::Invalid(errors) => {
            let page = form_page(&r, &form, &errors, None);
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        SiteOutcome::Forbidden => Err(WebError::NotPermitted("site-refused-register")),
        SiteOutcome::NotFound => Err(WebError::NotFound),
    }
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(raw): Path<String>,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let id = site_id(&raw)?;
    let v = sites::view(&r.state, &r.ctx, &id)
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
    let page = form_page(&r, &form, &Vec::new(), Some(&id));
    html(StatusCode::OK, &page)
}

pub(super) async fn edit(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(raw): Path<String>,
    CheckedForm(m): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let id = site_id(&raw)?;
    let form = read_form(&m);
    match sites::edit(&r.state, &r.ctx, &id, &form).await? {
        SiteOutcome::Done(id) => {
            Ok(Redirect::to(&format!("{}?done=edited", site_path(&id))).into_response())
        }
        SiteOutcome::Invalid(errors) => {
            let page = form_page(&r, &form, &errors, Some(&id));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        SiteOutcome::Forbidden | SiteOutcome::NotFound => Err(WebError::NotFound),
    }
}

pub(super) async fn open_or_close(
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
