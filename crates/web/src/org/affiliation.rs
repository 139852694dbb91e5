//! 所属: the technician's page (`/ccus_skill/affiliation`: their employer, requests to answer,
//! the disclosure setting) and the business's (`/ccus_owner/technicians`: its technicians as far
//! as the rules show them, requests by 技能者ID, ending a link). The rules are
//! [`ccus_app::org::affiliation`]'s.

use crate::forms::lenient_query;
use crate::forms::CheckedForm;
use crate::org::business_line;
use crate::org::views::AffiliationPage;
use crate::org::views::AffiliationRequestRow;
use crate::org::views::SeenRow;
use crate::org::views::TechniciansPage;
use crate::pages::html;
use crate::present::chrome;
use crate::present::Notice;
use ccus_domain::AccountId;
use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ccus_app::org::affiliation::{self, Disclosure, RequestOutcome, SeenTechnician};
use ccus_domain::{org::Action, AccountKind};
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::security::CsrfCookie;
use crate::session::{CsrfToken, SignedIn};
use crate::{i18n, AppState};

pub(crate) fn routes() -> Router<AppState> {
    let t = AccountKind::Technician.portal();
    let b = AccountKind::Business.portal();
    Router::new()
        .route(&format!("/{t}/affiliation"), get(technician_page))
        .route(&format!("/{t}/affiliation/leave"), post(leave))
        .route(&format!("/{t}/affiliation/disclosure"), post(disclosure))
        .route(&format!("/{t}/affiliation/{{id}}/{{answer}}"), post(answer))
        .route(&format!("/{b}/technicians"), get(business_page))
        .route(&format!("/{b}/technicians/request"), post(request))
        .route(&format!("/{b}/technicians/{{id}}/end"), post(end))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: String,
}

fn technician_only(signed_in: &SignedIn) -> WebResult<()> {
    if signed_in.kind == AccountKind::Technician {
        Ok(())
    } else {
        Err(WebError::NotFound)
    }
}

async fn technician_page(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    technician_only(&signed_in)?;
    let v = affiliation::for_technician(&state, &signed_in.session.account).await?;
    let q: DoneQuery = lenient_query(&uri);
    let notice = match q.done.as_str() {
        "accept" => Some("org-accepted"),
        "decline" => Some("org-declined"),
        "leave" => Some("org-left"),
        "disclosure" => Some("org-disclosure-saved"),
        _ => None,
    }
    .map(|key| Notice::new("success", i18n::t(key)));
    let page = AffiliationPage {
        chrome: chrome(
            &state,
            &i18n::t("org-affiliation-title"),
            signed_in.kind,
            &signed_in.session,
            &csrf_cookie,
        ),
        notice,
        employer: v
            .employer
            .as_ref()
            .map(|b| business_line(&b.name, &b.login_id)),
        requests: v
            .requests
            .into_iter()
            .map(|r| AffiliationRequestRow {
                id: r.id,
                business: business_line(&r.business.name, &r.business.login_id),
                at: r.requested_at.jst(),
            })
            .collect(),
        public: v.disclosure == Disclosure::Public,
        csrf_token: csrf,
    };
    html(StatusCode::OK, &page)
}

async fn answer(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((id, answer)): Path<(i64, String)>,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    technician_only(&signed_in)?;
    let accept = match answer.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return Err(WebError::NotFound),
    };
    let done = if affiliation::answer(&state, &signed_in.session.account, id, accept).await? {
        format!("?done={answer}")
    } else {
        String::new()
    };
    Ok(Redirect::to(&format!("/ccus_skill/affiliation{done}")).into_response())
}

async fn leave(
    State(state): State<AppState>,
    signed_in: SignedIn,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    technician_only(&signed_in)?;
    affiliation::leave(&state, &signed_in.session.account).await?;
    Ok(Redirect::to("/ccus_skill/affiliation?done=leave").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DisclosureForm {
    level: String,
}

async fn disclosure(
    State(state): State<AppState>,
    signed_in: SignedIn,
    CheckedForm(form): CheckedForm<DisclosureForm>,
) -> WebResult<Response> {
    technician_only(&signed_in)?;
    affiliation::set_disclosure(
        &state,
        &signed_in.session.account,
        Disclosure::parse(&form.level),
    )
    .await?;
    Ok(Redirect::to("/ccus_skill/affiliation?done=disclosure#disclosure").into_response())
}

fn seen_row(t: SeenTechnician) -> SeenRow {
    SeenRow {
        id: t.account_id,
        login_id: t.login_id,
        name: t.name.unwrap_or_default(),
        furigana: t.furigana.unwrap_or_default(),
        birth_date: t
            .birth_date
            .map(ccus_domain::profile::format_date)
            .unwrap_or_default(),
        basis: i18n::msg(&t.basis),
    }
}

async fn context(state: &AppState, signed_in: &SignedIn) -> WebResult<ccus_app::org::OrgContext> {
    match ccus_app::org::context(state, &signed_in.session.account).await? {
        Some(ctx) if ctx.can(Action::ViewTechnicians) => Ok(ctx),
        _ => Err(WebError::NotFound),
    }
}

async fn render_business(
    state: &AppState,
    signed_in: &SignedIn,
    csrf_cookie: &Option<Extension<CsrfCookie>>,
    csrf: String,
    notice: Option<Notice>,
) -> WebResult<TechniciansPage> {
    let ctx = context(state, signed_in).await?;
    let v = affiliation::for_business(state, &ctx).await?;
    Ok(TechniciansPage {
        chrome: chrome(
            state,
            &i18n::t("org-technicians-title"),
            signed_in.kind,
            &signed_in.session,
            csrf_cookie,
        ),
        notice,
        technicians: v.technicians.into_iter().map(seen_row).collect(),
        pending: v.pending.into_iter().map(seen_row).collect(),
        may_manage: v.may_manage,
        request_error: None,
        typed_id: String::new(),
        csrf_token: csrf,
    })
}

async fn business_page(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: DoneQuery = lenient_query(&uri);
    let notice = match q.done.as_str() {
        "request" => Some(
            Notice::new("success", i18n::t("org-request-sent"))
                .line(i18n::t("org-request-sent-line")),
        ),
        "end" => Some(Notice::new("success", i18n::t("org-ended"))),
        _ => None,
    };
    let page = render_business(&state, &signed_in, &csrf_cookie, csrf, notice).await?;
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RequestForm {
    login_id: String,
}

async fn request(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<RequestForm>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let problem = match affiliation::request(&state, &ctx, &form.login_id).await? {
        RequestOutcome::Sent => {
            return Ok(Redirect::to("/ccus_owner/technicians?done=request").into_response())
        }
        RequestOutcome::Forbidden => return Err(WebError::NotPermitted("org-refused-affiliation")),
        RequestOutcome::AlreadyOurs => i18n::t("org-already-ours"),
        RequestOutcome::TooMany => i18n::t("org-too-many-requests"),
        RequestOutcome::Invalid(why) => i18n::msg(&why),
    };
    let mut page = render_business(&state, &signed_in, &csrf_cookie, csrf, None).await?;
    page.request_error = Some(problem);
    page.typed_id = form.login_id;
    page.notice = Some(Notice::new("error", i18n::t("org-request-failed")));
    html(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

async fn end(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<AccountId>,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    if !ctx.can(Action::ManageAffiliations) {
        return Err(WebError::NotPermitted("org-refused-affiliation"));
    }
    let done = if affiliation::end_by_business(&state, &ctx, id).await? {
        "?done=end"
    } else {
        ""
    };
    Ok(Redirect::to(&format!("/ccus_owner/technicians{done}")).into_response())
}
