//! 直接入力 on the web: the worker's form on their 就業履歴 page (`POST /ccus_skill/records/direct`),
//! and a site's page for it at `/ccus_owner/sites/{site}/records` — a business's form for a
//! worker on its 名簿 and, for whoever runs the site, the days waiting for approval, each
//! approved or rejected with a reason (usable on a phone: one card per day).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ccus_app::records::direct::{self, DecideOutcome, EntryForm, EntryOutcome};
use ccus_domain::{RecordId, SiteId};
use serde::Deserialize;

use super::views::{CorrectionRow, DirectPage, PendingRow};
use crate::error::{WebError, WebResult};
use crate::forms::{lenient_query, CheckedForm};
use crate::i18n;
use crate::pages::html;
use crate::present::Notice;
use crate::security::CsrfCookie;
use crate::session::{CsrfToken, SignedIn};
use crate::sites::field_errors;
use crate::sites::views::Input;
use crate::sites::{site_id, Reader};
use crate::AppState;

/// The form as posted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EntryFields {
    site: String,
    login_id: String,
    day: String,
    first_in: String,
    last_out: String,
}

impl EntryFields {
    pub(super) fn form(&self) -> EntryForm {
        EntryForm {
            site: self.site.clone(),
            login_id: self.login_id.clone(),
            day: self.day.clone(),
            first_in: self.first_in.clone(),
            last_out: self.last_out.clone(),
        }
    }
}

/// The form's fields: the site (a choice of the worker's sites, for the worker) or the worker
/// (a business's), the day and the two times, with what was typed and what to fix.
pub(super) fn inputs(
    typed: &EntryForm,
    errors: &HashMap<String, String>,
    sites: Option<Vec<(String, String)>>,
) -> Vec<Input> {
    let mut v = Vec::new();
    match sites {
        Some(options) => v.push(
            Input::new("site", i18n::t("direct-site"), "select")
                .options(options)
                .value(&typed.site),
        ),
        None => v.push(
            Input::new("login_id", i18n::t("direct-worker"), "text")
                .numeric()
                .value(&typed.login_id)
                .hint(i18n::t("direct-worker-hint")),
        ),
    }
    v.push(Input::new("day", i18n::t("direct-day"), "date").value(&typed.day));
    v.push(
        Input::new("first_in", i18n::t("direct-first-in"), "text")
            .optional()
            .value(&typed.first_in)
            .hint(i18n::t("direct-time-hint")),
    );
    v.push(
        Input::new("last_out", i18n::t("direct-last-out"), "text")
            .optional()
            .value(&typed.last_out)
            .hint(i18n::t("direct-time-hint")),
    );
    for i in &mut v {
        i.error = errors.get(&i.name).cloned();
    }
    v
}

/// What an entry's outcome says, as a notice and field errors; `None` when it was entered.
pub(super) fn refusal(o: &EntryOutcome) -> Option<(Notice, HashMap<String, String>)> {
    let failed = |line: String| Notice::new("error", i18n::t("direct-failed")).line(line);
    match o {
        EntryOutcome::Entered => None,
        EntryOutcome::Invalid(e) => Some((
            Notice::new("error", i18n::t("direct-failed")),
            field_errors(e),
        )),
        EntryOutcome::TooLate(closed) => Some((
            failed(i18n::ta(
                "direct-too-late",
                &[("date", &ccus_domain::profile::format_date(*closed))],
            )),
            HashMap::new(),
        )),
        EntryOutcome::AlreadyRecorded => Some((failed(i18n::t("direct-already")), HashMap::new())),
        EntryOutcome::NotListed => Some((failed(i18n::t("direct-not-listed")), HashMap::new())),
        EntryOutcome::Closed => Some((failed(i18n::t("site-is-closed")), HashMap::new())),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct DecideFields {
    reason: String,
}

fn page_path(raw: &str) -> String {
    format!("/ccus_owner/sites/{raw}/records")
}

async fn render(
    r: &Reader,
    id: &SiteId,
    notice: Option<Notice>,
    typed: &EntryForm,
    errors: &HashMap<String, String>,
) -> WebResult<DirectPage> {
    let site = ccus_app::sites::view(&r.state, &r.ctx, id)
        .await?
        .ok_or(WebError::NotFound)?;
    let pending = direct::pending(&r.state, &r.ctx, id).await?;
    let corrections = ccus_app::records::correction::waiting(&r.state, &r.ctx, id).await?;
    let time = |t: Option<ccus_domain::Timestamp>| super::time_of(t);
    let worker_line = |name: &str, login_id: &str| {
        i18n::ta(
            "direct-worker-line",
            &[
                ("name", name),
                (
                    "id",
                    &ccus_domain::LoginId::parse(login_id)
                        .map(|l| l.grouped())
                        .unwrap_or_else(|_| login_id.to_owned()),
                ),
            ],
        )
    };
    Ok(DirectPage {
        chrome: r.chrome(&i18n::ta("direct-title", &[("site", &site.site.name)])),
        notice,
        site_id: id.as_str().to_owned(),
        site_name: site.site.name.clone(),
        runs: pending.is_some(),
        pending: pending
            .map(|(_, list)| {
                list.iter()
                    .map(|p| PendingRow {
                        id: p.record.id.get(),
                        day_param: ccus_domain::profile::format_date(p.record.day),
                        day: ccus_domain::profile::format_date(p.record.day),
                        worker: worker_line(&p.worker_name, &p.worker_login_id),
                        company: p.record.company.clone(),
                        first_in: time(p.record.first_in),
                        last_out: time(p.record.last_out),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        corrections: corrections
            .map(|(_, list)| {
                list.iter()
                    .map(|c| CorrectionRow {
                        id: c.id,
                        day: ccus_domain::profile::format_date(c.record.day),
                        worker: worker_line(&c.worker_name, &c.worker_login_id),
                        company: c.record.company.clone(),
                        was: i18n::ta(
                            "correction-times",
                            &[
                                ("in", &time(c.record.first_in)),
                                ("out", &time(c.record.last_out)),
                            ],
                        ),
                        asked: i18n::ta(
                            "correction-times",
                            &[
                                ("in", &time(c.first_in.or(c.record.first_in))),
                                ("out", &time(c.last_out.or(c.record.last_out))),
                            ],
                        ),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        inputs: inputs(typed, errors, None),
        csrf_token: r.csrf.clone(),
    })
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
    let id = site_id(&raw)?;
    let q: DoneQuery = lenient_query(&uri);
    let notice = match q.done.as_str() {
        "entered" => Some(
            Notice::new("success", i18n::t("direct-entered")).line(i18n::t("direct-entered-line")),
        ),
        "approved" => Some(Notice::new("success", i18n::t("direct-approved"))),
        "rejected" => Some(Notice::new("success", i18n::t("direct-rejected"))),
        "gone" => Some(Notice::new("warning", i18n::t("direct-gone"))),
        "correction-approved" => Some(Notice::new("success", i18n::t("correction-approved"))),
        "correction-rejected" => Some(Notice::new("success", i18n::t("correction-rejected"))),
        "correction-reason" => Some(Notice::new("error", i18n::t("direct-reason-needed"))),
        "correction-late" => Some(Notice::new("error", i18n::t("correction-too-late-answer"))),
        _ => None,
    };
    let p = render(&r, &id, notice, &EntryForm::default(), &HashMap::new()).await?;
    html(StatusCode::OK, &p)
}

pub(super) async fn enter(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(raw): Path<String>,
    CheckedForm(fields): CheckedForm<EntryFields>,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let id = site_id(&raw)?;
    let mut form = fields.form();
    form.site = id.as_str().to_owned();
    let outcome = direct::enter_for(&r.state, &r.ctx, &form).await?;
    match refusal(&outcome) {
        None => {
            Ok(Redirect::to(&format!("{}?done=entered", page_path(id.as_str()))).into_response())
        }
        Some((notice, errors)) => {
            let p = render(&r, &id, Some(notice), &form, &errors).await?;
            html(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
    }
}

pub(super) async fn decide(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path((raw, day, record, step)): Path<(String, String, RecordId, String)>,
    CheckedForm(fields): CheckedForm<DecideFields>,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let id = site_id(&raw)?;
    let day = ccus_domain::calendar::parse_iso_date(&day).ok_or(WebError::NotFound)?;
    let approve = match step.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(WebError::NotFound),
    };
    let back = |done: &str| {
        Ok(Redirect::to(&format!("{}?done={done}", page_path(id.as_str()))).into_response())
    };
    match direct::decide(&r.state, &r.ctx, &id, day, record, approve, &fields.reason).await? {
        DecideOutcome::Done if approve => back("approved"),
        DecideOutcome::Done => back("rejected"),
        DecideOutcome::Gone => back("gone"),
        DecideOutcome::ReasonNeeded => {
            let notice = Notice::new("error", i18n::t("direct-reason-needed"));
            let p = render(
                &r,
                &id,
                Some(notice),
                &EntryForm::default(),
                &HashMap::new(),
            )
            .await?;
            html(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        DecideOutcome::TooLate(closed) => {
            let notice = Notice::new("error", i18n::t("direct-failed")).line(i18n::ta(
                "direct-too-late",
                &[("date", &ccus_domain::profile::format_date(closed))],
            ));
            let p = render(
                &r,
                &id,
                Some(notice),
                &EntryForm::default(),
                &HashMap::new(),
            )
            .await?;
            html(StatusCode::CONFLICT, &p)
        }
    }
}

/// 「補正を承認する」 / 「否認する」 on a site's 補正 waiting.
pub(super) async fn answer_correction(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path((raw, correction, step)): Path<(String, i64, String)>,
    CheckedForm(fields): CheckedForm<DecideFields>,
) -> WebResult<Response> {
    use ccus_app::records::correction::{answer, AnswerOutcome};
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let id = site_id(&raw)?;
    let approve = match step.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return Err(WebError::NotFound),
    };
    let done = match answer(&r.state, &r.ctx, &id, correction, approve, &fields.reason).await? {
        AnswerOutcome::Done if approve => "correction-approved",
        AnswerOutcome::Done => "correction-rejected",
        AnswerOutcome::ReasonNeeded => "correction-reason",
        AnswerOutcome::TooLate(_) => "correction-late",
        AnswerOutcome::Gone => "gone",
    };
    Ok(Redirect::to(&format!(
        "{}?done={done}#corrections",
        page_path(id.as_str())
    ))
    .into_response())
}
