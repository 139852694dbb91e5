//! Signing in to the console: staff ID, password and TOTP code; enrolment of the
//! authenticator at the first login; ログアウト; replacing a password someone else chose.

use super::*;

// ---- login ----------------------------------------------------------------------------------

pub(super) fn login_page(csrf: String) -> FormPage {
    FormPage {
        chrome: staff_chrome("ログイン"),
        heading: "ヘルプデスク ログイン".into(),
        notice: None,
        intro: vec!["職員ID、パスワード、認証アプリの確認コード（6桁）を入力してください。".into()],
        action: "/helpdesk/login".into(),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![
            Field::new("staff_id", "職員ID", "text", "username"),
            Field::new("password", "パスワード", "password", "current-password"),
            Field::new("code", "確認コード（6桁）", "text", "one-time-code")
                .numeric()
                .optional()
                .hint("初めてログインするときは空欄のままにしてください。次の画面で認証アプリを設定します。"),
        ],
        submit: "ログイン".into(),
        links: vec![],
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
    let mut page = login_page(csrf);
    if lenient_query::<TimeoutQuery>(&uri).timeout == "1" {
        page.notice = Some(Notice::new(
            "warning",
            "タイムアウトしました。お手数ですが、再度ログインしてください。",
        ));
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
}

/// Counts one failed second factor under the staff member's lockout.
pub(super) fn locked_page(
    mut page: FormPage,
    until: ccus_domain::Timestamp,
) -> WebResult<Response> {
    page.notice = Some(crate::routes::portal::locked_notice(until));
    html(StatusCode::LOCKED, &page)
}

pub(super) async fn login(
    State(state): State<AppState>,
    Client(client): Client,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<LoginForm>,
) -> WebResult<Response> {
    let mut page = login_page(csrf);
    page.fields[0].value = staff::normalise_staff_id(&form.staff_id)
        .chars()
        .take(32)
        .collect();
    match staff::log_in(&state, &form.staff_id, &form.password, &form.code, &client).await? {
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
            resp.headers_mut()
                .append(header::SET_COOKIE, set_cookie(&state, &session_token, None));
            Ok(resp)
        }
        StaffLogin::Locked { until } => locked_page(page, until),
        StaffLogin::TooMany => {
            page.notice = Some(Notice::new(
                "error",
                "ログインの試行回数が多すぎます。しばらく時間をおいてから、再度お試しください。",
            ));
            html(StatusCode::TOO_MANY_REQUESTS, &page)
        }
        StaffLogin::Wrong => {
            page.notice = Some(Notice::new(
                "error",
                "職員ID、パスワードまたは確認コードが違います",
            ));
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
        qrcode::QrCode::new(data.as_bytes()).map_err(|e| WebError::Internal(e.to_string()))?;
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
        chrome: staff_chrome("確認コードの設定"),
        notice: wrong.then(|| {
            Notice::new(
                "error",
                "確認コードが違います。アプリに表示されている最新の6桁を入力してください。",
            )
        }),
        qr_svg: qr_svg(&uri)?,
        secret: totp::base32(&secret),
        csrf_token: csrf,
    };
    // The secret is on the page: no referrer to other sites.
    Ok(crate::routes::token_page(html(StatusCode::OK, &page)?))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CodeForm {
    csrf_token: String,
    code: String,
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
        Enrolment::Locked { until } => locked_page(login_page(csrf), until),
        Enrolment::NoSecret => Err(WebError::BadRequest {
            status: StatusCode::BAD_REQUEST,
            detail: "no secret to confirm".into(),
        }),
    }
}

pub(super) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    CheckedForm(_): CheckedForm<CodeForm>,
) -> WebResult<Response> {
    if let Some(t) = staff_token(&state, &headers) {
        state.store().delete_staff_session(&token_hash(&t)).await?;
    }
    let mut resp = Redirect::to("/helpdesk/login").into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, set_cookie(&state, "", Some(0)));
    Ok(resp)
}

// ---- the first password of one's own ------------------------------------------------------------

pub(super) fn password_page(csrf: String) -> FormPage {
    FormPage {
        chrome: staff_chrome("パスワードの設定"),
        heading: "パスワードの設定（初回）".into(),
        notice: Some(Notice::new(
            "info",
            "お渡しした初期パスワードは使い続けられません。ご自分のパスワードを設定してください。",
        )),
        intro: vec![],
        action: "/helpdesk/password".into(),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![
            Field::new("password", "新しいパスワード", "password", "new-password").hint(
                "8文字以上。ほかのサービスと同じパスワードや、推測されやすい言葉は避けてください。",
            ),
            Field::new(
                "password_confirm",
                "新しいパスワード（確認）",
                "password",
                "new-password",
            ),
        ],
        submit: "パスワードを設定する".into(),
        links: vec![],
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
    let Some(password) = crate::routes::portal::validate_new_password(
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
