//! パスワードをお忘れの方 for the application login (`/apply/password/forgot`, and the mailed
//! link `/apply/password/reset?token=…`): the same answer whether or not the address has an
//! application login; the link page never leaks its token in a Referer.

use crate::forms::lenient_query;
use crate::forms::CheckedForm;
use crate::forms::TokenQuery;
use crate::pages::html;
use crate::pages::token_page;
use crate::present::Chrome;
use crate::present::FormPage;
use crate::present::Link;
use crate::present::MessagePage;
use crate::present::Notice;
use crate::registration::message;
use crate::registration::APPLY_COOKIE;
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::Response;
use serde::Deserialize;

use crate::error::WebResult;
use crate::i18n::{msg, t, ta};
use crate::session::{Client, CsrfToken};
use crate::AppState;
use ccus_app::registration::{self, ResetOutcome, ResetRequestOutcome};

fn forgot_page(csrf: String, email: &str) -> FormPage {
    FormPage {
        chrome: Chrome::titled(t("apply-reset-title")),
        heading: t("apply-reset-title"),
        notice: None,
        intro: vec![t("apply-reset-intro")],
        action: "/apply/password/forgot".into(),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![
            crate::present::Field::new("email", t("apply-login-id"), "email", "username")
                .value(email),
        ],
        submit: t("apply-reset-send"),
        links: vec![Link::new("/apply/login", t("apply-login-title"))],
        passkey: None,
    }
}

pub(super) async fn forgot_password_form(CsrfToken(csrf): CsrfToken) -> WebResult<Response> {
    html(StatusCode::OK, &forgot_page(csrf, ""))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EmailForm {
    email: String,
}

pub(super) async fn forgot_password(
    State(state): State<AppState>,
    Client(client): Client,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<EmailForm>,
) -> WebResult<Response> {
    let email = form.email.trim();
    match registration::request_reset(&state, email, &client, crate::i18n::lang()).await? {
        ResetRequestOutcome::InvalidEmail => {
            let mut page = forgot_page(csrf, email);
            page.error("email", t("apply-email-invalid"));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        ResetRequestOutcome::TooMany => html(
            StatusCode::TOO_MANY_REQUESTS,
            &message(
                &t("too-many-title"),
                Some(Notice::new("error", t("too-many")).line(t("too-many-line"))),
                vec![],
                vec![Link::new("/apply/login", t("apply-login-title"))],
            ),
        ),
        ResetRequestOutcome::Received => {
            let minutes = state
                .config()
                .recovery
                .token_ttl
                .as_secs()
                .div_ceil(60)
                .max(1)
                .to_string();
            html(
                StatusCode::OK,
                &message(
                    &t("received"),
                    Some(
                        Notice::new("success", t("apply-reset-sent"))
                            .line(ta("apply-reset-sent-open", &[("minutes", &minutes)])),
                    ),
                    vec![t("apply-reset-sent-spam")],
                    vec![Link::new("/apply/login", t("apply-login-title"))],
                ),
            )
        }
    }
}

fn new_password_page(csrf: String, token: &str, email: &str) -> FormPage {
    FormPage {
        chrome: Chrome::titled(t("apply-reset-new-title")),
        heading: t("apply-reset-new-title"),
        notice: None,
        intro: vec![ta("apply-reset-new-intro", &[("email", email)])],
        action: "/apply/password/reset".into(),
        csrf_token: csrf,
        hidden: vec![("token", token.to_owned())],
        fields: vec![
            crate::present::Field::new("password", t("new-password"), "password", "new-password")
                .hint(t("new-password-hint")),
            crate::present::Field::new(
                "password_confirm",
                t("new-password-confirm"),
                "password",
                "new-password",
            ),
        ],
        submit: t("set-password"),
        links: vec![],
        passkey: None,
    }
}

fn link_unusable() -> MessagePage {
    message(
        &t("apply-link-unusable-title"),
        Some(Notice::new("error", t("apply-link-unusable"))),
        vec![t("apply-reset-link-unusable-line")],
        vec![
            Link::new("/apply/password/forgot", t("apply-reset-again")),
            Link::new("/apply/login", t("apply-login-title")),
        ],
    )
}

pub(super) async fn reset_password_form(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: TokenQuery = lenient_query(&uri);
    let resp = match registration::reset_target(&state, &q.token).await? {
        Some(a) => html(StatusCode::OK, &new_password_page(csrf, &q.token, &a.email))?,
        None => html(StatusCode::GONE, &link_unusable())?,
    };
    Ok(token_page(resp))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct NewPasswordForm {
    token: String,
    password: String,
    password_confirm: String,
}

pub(super) async fn reset_password(
    State(state): State<AppState>,
    Client(client): Client,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<NewPasswordForm>,
) -> WebResult<Response> {
    let outcome = registration::reset_password(
        &state,
        &form.token,
        &form.password,
        &form.password_confirm,
        &client,
        crate::i18n::lang(),
    )
    .await?;
    let resp = match outcome {
        ResetOutcome::LinkUnusable => html(StatusCode::GONE, &link_unusable())?,
        ResetOutcome::Refused {
            applicant,
            field,
            why,
        } => {
            let mut page = new_password_page(csrf, &form.token, &applicant.email);
            page.error(field, msg(&why));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)?
        }
        ResetOutcome::Done(_) => {
            let mut resp = html(
                StatusCode::OK,
                &message(
                    &t("apply-reset-done"),
                    Some(Notice::new("success", t("apply-reset-done")).line(t("reset-done-login"))),
                    vec![t("apply-reset-done-sessions")],
                    vec![Link::new("/apply/login", t("apply-login-title"))],
                ),
            )?;
            // This browser's application session, if any, ended with the others.
            resp.headers_mut()
                .append(header::SET_COOKIE, state.cookies().clear(APPLY_COOKIE));
            resp
        }
    };
    Ok(token_page(resp))
}
