//! Signing in to the console: staff ID, password and TOTP code; enrolment of the
//! authenticator at the first login; ログアウト; replacing a password someone else chose.

use crate::auth::views::HelpdeskEnrollPage;
use crate::i18n;
use axum::routing::{get, post};
use axum::Router;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use ccus_domain::totp;
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::forms::{lenient_query, CheckedForm, CodeForm, DoneQuery};
use crate::pages::html;
use crate::present::{staff_chrome, Field, FormPage, Notice};
use crate::session::{set_staff_cookie, staff_token, StaffIn};
use crate::session::{Client, CsrfToken};
use crate::AppState;
use ccus_app::auth::staff::{self, Enrolment, StaffLogin};

// ---- login ----------------------------------------------------------------------------------

pub(super) fn login_page(state: &AppState, csrf: String) -> FormPage {
    FormPage {
        chrome: staff_chrome(&i18n::t("helpdesk-login-title")),
        heading: i18n::t("helpdesk-login-heading"),
        notice: None,
        intro: vec![i18n::t("helpdesk-login-intro")],
        action: "/helpdesk/login".into(),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![
            Field::new("staff_id", i18n::t("helpdesk-staff-id"), "text", "username"),
            Field::new(
                "password",
                i18n::t("password"),
                "password",
                "current-password",
            ),
            Field::new("code", i18n::t("helpdesk-code"), "text", "one-time-code")
                .numeric()
                .optional()
                .hint(i18n::t("helpdesk-code-first-time")),
        ],
        submit: i18n::t("login-button"),
        links: vec![],
        passkey: ccus_app::auth::passkeys::available(state).then_some("/helpdesk/passkey/options"),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct TimeoutQuery {
    timeout: String,
}

pub(super) async fn login_form(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    // Without the key the console is closed: say so before anyone types a password.
    staff::secret_box(&state)?;
    let mut page = login_page(&state, csrf);
    if lenient_query::<TimeoutQuery>(&uri).timeout == "1" {
        page.notice = Some(Notice::new("warning", i18n::t("timed-out")));
    }
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct LoginForm {
    csrf_token: String,
    staff_id: String,
    password: String,
    code: String,
    ceremony: String,
    credential: String,
}

/// Counts one failed second factor under the staff member's lockout.
pub(super) fn locked_page(
    mut page: FormPage,
    until: ccus_domain::Timestamp,
) -> WebResult<Response> {
    page.notice = Some(crate::present::labels::locked_notice(until));
    html(StatusCode::LOCKED, &page)
}

pub(super) async fn login(
    State(state): State<AppState>,
    Client(client): Client,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<LoginForm>,
) -> WebResult<Response> {
    let mut page = login_page(&state, csrf);
    page.fields[0].value = staff::normalise_staff_id(&form.staff_id)
        .chars()
        .take(32)
        .collect();
    let second = if form.ceremony.is_empty() {
        staff::SecondFactor::Code(&form.code)
    } else {
        staff::SecondFactor::Passkey {
            ceremony: &form.ceremony,
            credential: &form.credential,
        }
    };
    match staff::log_in_with(&state, &form.staff_id, &form.password, second, &client).await? {
        StaffLogin::SignedIn {
            session_token,
            enrolled,
        } => {
            let target = if enrolled {
                "/helpdesk"
            } else {
                "/helpdesk/enroll"
            };
            let mut resp = Redirect::to(target).into_response();
            resp.headers_mut().append(
                header::SET_COOKIE,
                set_staff_cookie(&state, &session_token, None),
            );
            Ok(resp)
        }
        StaffLogin::Locked { until } => locked_page(page, until),
        StaffLogin::TooMany => {
            page.notice = Some(Notice::new("error", i18n::t("helpdesk-too-many")));
            html(StatusCode::TOO_MANY_REQUESTS, &page)
        }
        StaffLogin::Stopped => {
            page.notice = Some(Notice::new("error", i18n::t("helpdesk-stopped")));
            html(StatusCode::FORBIDDEN, &page)
        }
        StaffLogin::Wrong => {
            page.notice = Some(Notice::new("error", i18n::t("helpdesk-wrong")));
            let mut resp = html(StatusCode::UNAUTHORIZED, &page)?;
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Form realm=\"CCUS helpdesk\""),
            );
            Ok(resp)
        }
    }
}

// ---- enrolment ------------------------------------------------------------------------------

pub(super) fn qr_svg(data: &str) -> WebResult<String> {
    let code =
        qrcode::QrCode::new(data.as_bytes()).map_err(|e| WebError::internal("QR code", e))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .build())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EnrollQuery {
    wrong: String,
}

pub(super) async fn enroll_form(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    if staff.session.mfa_done || staff.session.staff.totp_enrolled {
        return Ok(Redirect::to("/helpdesk").into_response());
    }
    let wrong = lenient_query::<EnrollQuery>(&uri).wrong == "1";
    let s = &staff.session.staff;
    let secret = staff::enrolment_secret(&state, s).await?;
    let uri = totp::otpauth_uri(&secret, "CCUS Helpdesk", &s.staff_id);
    let page = HelpdeskEnrollPage {
        chrome: staff_chrome(&i18n::t("helpdesk-enroll-title")),
        notice: wrong.then(|| Notice::new("error", i18n::t("helpdesk-enroll-wrong"))),
        qr_svg: qr_svg(&uri)?,
        secret: totp::base32(&secret),
        csrf_token: csrf,
    };
    // The secret is on the page: no referrer to other sites.
    Ok(crate::pages::token_page(html(StatusCode::OK, &page)?))
}

pub(super) async fn enroll(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<CodeForm>,
) -> WebResult<Response> {
    if staff.session.staff.totp_enrolled {
        return Ok(Redirect::to("/helpdesk").into_response());
    }
    match staff::confirm_enrolment(&state, &staff.session.staff, &staff.token_hash, &form.code)
        .await?
    {
        Enrolment::Done => Ok(Redirect::to("/helpdesk?enrolled=1").into_response()),
        Enrolment::Wrong => Ok(Redirect::to("/helpdesk/enroll?wrong=1").into_response()),
        Enrolment::Locked { until } => locked_page(login_page(&state, csrf), until),
        Enrolment::NoSecret => Err(WebError::BadRequest {
            status: StatusCode::BAD_REQUEST,
            detail: "no secret to confirm".into(),
        }),
    }
}

pub(super) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Client(client): Client,
    CheckedForm(_): CheckedForm<CodeForm>,
) -> WebResult<Response> {
    if let Some(t) = staff_token(&state, &headers) {
        staff::log_out(&state, &t, &client).await?;
    }
    let mut resp = Redirect::to("/helpdesk/login").into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, set_staff_cookie(&state, "", Some(0)));
    Ok(resp)
}

// ---- the first password of one's own ------------------------------------------------------------

pub(super) fn password_page(csrf: String) -> FormPage {
    FormPage {
        chrome: staff_chrome(&i18n::t("initial-title")),
        heading: i18n::t("initial-heading"),
        notice: Some(Notice::new("info", i18n::t("helpdesk-password-notice"))),
        intro: vec![],
        action: "/helpdesk/password".into(),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![
            Field::new(
                "password",
                i18n::t("new-password"),
                "password",
                "new-password",
            )
            .hint(i18n::t("helpdesk-new-password-hint")),
            Field::new(
                "password_confirm",
                i18n::t("new-password-confirm"),
                "password",
                "new-password",
            ),
        ],
        submit: i18n::t("set-password"),
        links: vec![],
        passkey: None,
    }
}

pub(super) async fn password_form(
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
) -> WebResult<Response> {
    if !staff.session.staff.must_change_password {
        return Ok(Redirect::to("/helpdesk").into_response());
    }
    html(StatusCode::OK, &password_page(csrf))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct NewPasswordForm {
    csrf_token: String,
    password: String,
    password_confirm: String,
}

pub(super) async fn set_password(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<NewPasswordForm>,
) -> WebResult<Response> {
    let s = &staff.session.staff;
    if !s.must_change_password {
        return Ok(Redirect::to("/helpdesk").into_response());
    }
    let mut page = password_page(csrf);
    let ctx = ccus_domain::PasswordContext {
        login_id: &s.staff_id,
        name: &s.name,
        email: &s.email,
    };
    let Some(password) = crate::recovery::validate_new_password(
        &mut page,
        &form.password,
        &form.password_confirm,
        &ctx,
    ) else {
        return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    staff::set_own_password(&state, s, password).await?;
    Ok(Redirect::to("/helpdesk").into_response())
}

// ---- passkeys (a second factor in place of the code) ----------------------------------------

/// `GET /helpdesk/passkey/options`: a challenge for the login page's script.
pub(super) async fn passkey_options(
    State(state): State<AppState>,
    Client(client): Client,
) -> WebResult<Response> {
    if !ccus_app::auth::passkeys::available(&state) {
        return Err(WebError::NotFound);
    }
    let body = match ccus_app::auth::passkeys::staff_challenge(&state, &client).await? {
        Some(c) => serde_json::json!({ "ceremony": c.ceremony, "publicKey": c.options }),
        None => return Ok(StatusCode::TOO_MANY_REQUESTS.into_response()),
    };
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body.to_string(),
    )
        .into_response())
}

async fn passkeys_page(
    state: &AppState,
    staff: &StaffIn,
    csrf: String,
    notice: Option<Notice>,
) -> WebResult<crate::auth::views::PasskeysPage> {
    let (rows, options_json, ceremony) = crate::auth::passkey_page_parts(
        state,
        ccus_app::auth::passkeys::Holder::Staff(&staff.session.staff),
    )
    .await?;
    Ok(crate::auth::views::PasskeysPage {
        chrome: staff.chrome(&i18n::t("helpdesk-nav-passkeys"), &csrf),
        notice,
        portal: "helpdesk",
        rows,
        options_json,
        ceremony,
        csrf_token: csrf,
    })
}

pub(super) async fn passkeys(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let notice = match lenient_query::<DoneQuery>(&uri).done.as_str() {
        "added" => Some(
            Notice::new("success", i18n::t("helpdesk-passkey-added"))
                .line(i18n::t("helpdesk-passkey-added-line")),
        ),
        "removed" => Some(Notice::new("success", i18n::t("helpdesk-passkey-removed"))),
        _ => None,
    };
    let page = passkeys_page(&state, &staff, csrf, notice).await?;
    let mut resp = html(StatusCode::OK, &page)?;
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct AddPasskeyForm {
    ceremony: String,
    credential: String,
    name: String,
}

pub(super) async fn add_passkey(
    State(state): State<AppState>,
    staff: StaffIn,
    Client(client): Client,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<AddPasskeyForm>,
) -> WebResult<Response> {
    let holder = ccus_app::auth::passkeys::Holder::Staff(&staff.session.staff);
    match ccus_app::auth::passkeys::register(
        &state,
        holder,
        &form.ceremony,
        &form.name,
        &form.credential,
        &client,
    )
    .await?
    {
        ccus_app::auth::passkeys::RegisterOutcome::Added => {
            Ok(Redirect::to("/helpdesk/passkeys?done=added").into_response())
        }
        ccus_app::auth::passkeys::RegisterOutcome::Refused(why) => {
            let notice = Some(
                Notice::new("error", i18n::t("helpdesk-passkey-refused"))
                    .line(crate::i18n::msg(&why)),
            );
            let page = passkeys_page(&state, &staff, csrf, notice).await?;
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

pub(super) async fn remove_passkey(
    State(state): State<AppState>,
    staff: StaffIn,
    Client(client): Client,
    Path(id): Path<i64>,
    CheckedForm(_): CheckedForm<std::collections::HashMap<String, String>>,
) -> WebResult<Response> {
    let holder = ccus_app::auth::passkeys::Holder::Staff(&staff.session.staff);
    let done = if ccus_app::auth::passkeys::remove(&state, holder, id, &client).await? {
        "?done=removed"
    } else {
        ""
    };
    Ok(Redirect::to(&format!("/helpdesk/passkeys{done}")).into_response())
}

/// The console's sign-in: log in, enrol the second factor, ログアウト, the password, passkeys.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/helpdesk/login", get(login_form).post(login))
        .route("/helpdesk/enroll", get(enroll_form).post(enroll))
        .route("/helpdesk/logout", post(logout))
        .route("/helpdesk/password", get(password_form).post(set_password))
        .route("/helpdesk/passkey/options", get(passkey_options))
        .route("/helpdesk/passkeys", get(passkeys).post(add_passkey))
        .route("/helpdesk/passkeys/{id}/remove", post(remove_passkey))
}
