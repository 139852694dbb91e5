//! Operations for supervisors: maintenance windows, お知らせ and FAQ entries.

pub mod views;

use crate::ops::views::HelpdeskOperationsPage;
use crate::ops::views::OpsTyped;
use axum::routing::{get, post};
use axum::Router;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use ccus_app::helpdesk::StaffRole;
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::forms::{lenient_query, CheckedForm, CodeForm};
use crate::i18n;
use crate::pages::html;
use crate::present::labels::*;
use crate::present::Notice;
use crate::session::CsrfToken;
use crate::session::StaffIn;
use crate::AppState;
use ccus_app::ops::operations::{self, Operation, OperationError, OperationOutcome, Operator};

// ---- operations (supervisors) ---------------------------------------------------------------

pub(super) fn supervisor_only(staff: &StaffIn) -> WebResult<()> {
    if staff.session.staff.role == StaffRole::Supervisor {
        Ok(())
    } else {
        Err(WebError::NotPermitted("helpdesk-refused-supervisor"))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct OpsQuery {
    done: String,
    error: String,
}

pub(super) async fn operations(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    supervisor_only(&staff)?;
    let q: OpsQuery = lenient_query(&uri);
    let notice = if !q.error.is_empty() {
        Some(Notice::new(
            "error",
            q.error.chars().take(300).collect::<String>(),
        ))
    } else {
        match q.done.as_str() {
            done @ ("maintenance" | "cancel" | "notice" | "faq") => Some(Notice::new(
                "success",
                i18n::t(&format!("helpdesk-ops-done-{done}")),
            )),
            _ => None,
        }
    };
    let page = ops_page(&state, &staff, csrf, notice, OpsTyped::default()).await?;
    html(StatusCode::OK, &page)
}

/// The operations page, with a notice and what was typed into its forms.
async fn ops_page(
    state: &AppState,
    staff: &StaffIn,
    csrf: String,
    notice: Option<Notice>,
    typed: OpsTyped,
) -> WebResult<HelpdeskOperationsPage> {
    let now = state.clock().now();
    let console = ccus_app::ops::console(state, now).await?;
    let windows = console
        .windows
        .into_iter()
        .map(|w| {
            let key = if w.is_active(now) {
                "helpdesk-ops-window-active"
            } else {
                "helpdesk-ops-window"
            };
            let when = i18n::ta(
                key,
                &[("from", &w.starts_at.jst()), ("to", &w.ends_at.jst())],
            );
            // The message to users is theirs: shown as written, after the time.
            let line = if w.message.is_empty() {
                when
            } else {
                paren(&when, &w.message)
            };
            (w.id, line)
        })
        .collect();
    let faq = console
        .faq
        .into_iter()
        .map(|(e, langs)| {
            let names: Vec<&str> = langs
                .iter()
                .filter_map(|l| i18n::Lang::parse(l).map(i18n::Lang::name))
                .collect();
            let translated = if names.is_empty() {
                i18n::t("helpdesk-ops-faq-untranslated")
            } else {
                names.join(" / ")
            };
            (e.id, e.category, e.question, translated)
        })
        .collect();
    Ok(HelpdeskOperationsPage {
        chrome: staff.chrome(&i18n::t("helpdesk-nav-operations"), &csrf),
        notice,
        windows,
        announce_hours: state.config().maintenance.announce_before.as_secs() / 3600,
        csrf_token: csrf,
        faq,
        langs: i18n::Lang::ALL
            .iter()
            .map(|l| (l.code(), l.name()))
            .collect(),
        typed,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct OpsForm {
    csrf_token: String,
    from: String,
    to: String,
    message: String,
    title: String,
    body: String,
    category: String,
    question: String,
    answer: String,
    lang: String,
    translates: String,
}

impl OpsForm {
    /// What was typed, to give back with a refusal.
    fn typed(&self) -> OpsTyped {
        OpsTyped {
            from: self.from.clone(),
            to: self.to.clone(),
            message: self.message.clone(),
            title: self.title.clone(),
            body: self.body.clone(),
            category: self.category.clone(),
            question: self.question.clone(),
            answer: self.answer.clone(),
            lang: self.lang.clone(),
            translates: self.translates.clone(),
        }
    }
}

pub(super) fn ops_redirect(query: &str) -> Response {
    Redirect::to(&format!("/helpdesk/operations?{query}")).into_response()
}

pub(super) async fn operate(
    State(state): State<AppState>,
    staff: StaffIn,
    Path(action): Path<String>,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<OpsForm>,
) -> WebResult<Response> {
    supervisor_only(&staff)?;
    let typed = form.typed();
    // A refusal shows the page again with the reason and everything that was typed.
    let refused = |why: ccus_app::i18n::Msg| {
        let notice = Some(Notice::new("error", i18n::msg(&why)));
        let (state, staff, csrf, typed) = (&state, &staff, csrf.clone(), typed.clone());
        async move {
            let page = ops_page(state, staff, csrf, notice, typed).await?;
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    };
    let op = match action.as_str() {
        "maintenance" => Operation::ScheduleMaintenance {
            from: form.from,
            to: form.to,
            message: form.message,
        },
        "notice" => Operation::PublishNotice {
            title: form.title,
            body_md: form.body,
        },
        "faq" => {
            let translates = match form.translates.trim() {
                "" => None,
                n => match n.trim_start_matches('#').parse::<i64>() {
                    Ok(n) => Some(n),
                    Err(_) => {
                        return refused(
                            ccus_app::i18n::Msg::new("helpdesk-op-faq-no-original").arg("id", n),
                        )
                        .await;
                    }
                },
            };
            Operation::AddFaq {
                category: form.category,
                question: form.question,
                answer_md: form.answer,
                lang: form.lang,
                translates,
            }
        }
        _ => return Err(WebError::NotFound),
    };
    match operations::run(&state, Operator::Staff(staff.session.staff.id), op).await {
        Err(OperationError::Invalid(why)) => refused(why.msg().clone()).await,
        other => operation_result(other),
    }
}

pub(super) async fn cancel_maintenance(
    State(state): State<AppState>,
    staff: StaffIn,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm<CodeForm>,
) -> WebResult<Response> {
    supervisor_only(&staff)?;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    operation_result(
        operations::run(
            &state,
            Operator::Staff(staff.session.staff.id),
            Operation::CancelMaintenance { id },
        )
        .await,
    )
}

/// Back to the operations page with what happened, or why not.
pub(super) fn operation_result(r: Result<OperationOutcome, OperationError>) -> WebResult<Response> {
    match r {
        Ok(done) => Ok(ops_redirect(&format!("done={}", done.code()))),
        Err(OperationError::Invalid(m)) => Ok(ops_redirect(&format!(
            "error={}",
            crate::session::percent_encode(&i18n::msg(m.msg()))
        ))),
        Err(OperationError::NotFound(_)) => Err(WebError::NotFound),
        Err(OperationError::App(e)) => Err(e.into()),
    }
}

/// How often each ending of 「ログインできない方へ」 was reached (supervisors).
pub(super) async fn guide_counts(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
) -> WebResult<Response> {
    let rows: Vec<(String, i64)> = ccus_app::public::guide::counts(&state, &staff.session.staff)
        .await?
        .into_iter()
        .map(|(e, n)| (guide_ending(e), n))
        .collect();
    let total = rows.iter().map(|(_, n)| n).sum();
    html(
        StatusCode::OK,
        &crate::ops::views::GuideCountsPage {
            chrome: staff.chrome(&i18n::t("helpdesk-guide-title"), &csrf),
            rows,
            total,
        },
    )
}

/// The console's operations: maintenance windows, お知らせ, FAQ, and the guide's counts.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/helpdesk/guide", get(guide_counts))
        .route("/helpdesk/operations", get(operations))
        .route(
            "/helpdesk/operations/maintenance/{id}/cancel",
            post(cancel_maintenance),
        )
        .route("/helpdesk/operations/{action}", post(operate))
}
