//! The application login's pages: 新規登録 by email, the password from the mailed link, ログイン, the applicant's home, ログアウト.

use super::*;

pub(super) async fn top() -> WebResult<Response> {
    html(
        StatusCode::OK,
        &ApplyTopPage {
            chrome: Chrome::titled(t("apply-title")),
        },
    )
}

pub(super) fn start_page(csrf: String, email: &str) -> FormPage {
    FormPage {
        chrome: Chrome::titled(t("apply-start-title")),
        heading: t("apply-start-title"),
        notice: None,
        intro: vec![t("apply-start-intro"), t("apply-start-intro-link")],
        action: "/apply/start".into(),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![
            crate::present::Field::new("email", t("apply-email"), "email", "email")
                .hint(t("apply-email-hint"))
                .value(email),
        ],
        submit: t("apply-start-send"),
        links: vec![Link::new("/apply/login", t("apply-start-have-login"))],
        passkey: None,
    }
}

pub(super) async fn start_form(CsrfToken(csrf): CsrfToken) -> WebResult<Response> {
    html(StatusCode::OK, &start_page(csrf, ""))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct EmailForm {
    email: String,
}

pub(super) async fn start(
    State(state): State<AppState>,
    Client(client): Client,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<EmailForm>,
) -> WebResult<Response> {
    match registration::start(&state, &form.email, &client, crate::i18n::lang()).await? {
        StartOutcome::InvalidEmail => {
            let mut page = start_page(csrf, form.email.trim());
            page.error("email", t("apply-email-invalid"));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        StartOutcome::TooMany => html(
            StatusCode::TOO_MANY_REQUESTS,
            &message(
                &t("apply-too-many-title"),
                Some(Notice::new("error", t("apply-too-many"))),
                vec![t("apply-too-many-line")],
                vec![],
            ),
        ),
        StartOutcome::Sent => html(
            StatusCode::OK,
            &message(
                &t("apply-sent"),
                Some(
                    Notice::new("success", t("apply-sent"))
                        .line(ta("apply-sent-open", &[("email", form.email.trim())])),
                ),
                vec![t("apply-sent-spam")],
                vec![Link::new("/apply", t("apply-to-top"))],
            ),
        ),
    }
}

pub(super) fn password_page(csrf: String, token: &str, email: &str) -> FormPage {
    FormPage {
        chrome: Chrome::titled(t("apply-password-title")),
        heading: t("apply-password-title"),
        notice: None,
        intro: vec![ta("apply-password-intro", &[("email", email)])],
        action: "/apply/confirm".into(),
        csrf_token: csrf,
        hidden: vec![("token", token.to_owned())],
        fields: vec![crate::present::Field::new(
            "password",
            t("apply-password"),
            "password",
            "new-password",
        )],
        submit: t("apply-password-submit"),
        links: vec![],
        passkey: None,
    }
}

pub(super) fn bad_link() -> MessagePage {
    message(
        &t("apply-link-unusable-title"),
        Some(Notice::new("error", t("apply-link-unusable"))),
        vec![t("apply-link-unusable-line")],
        vec![
            Link::new("/apply/start", t("apply-to-start")),
            Link::new("/apply/login", t("apply-login-title")),
        ],
    )
}

pub(super) async fn confirm_form(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: TokenQuery = lenient_query(&uri);
    let resp = match registration::peek(&state, &q.token).await? {
        Some(email) => html(StatusCode::OK, &password_page(csrf, &q.token, &email))?,
        None => html(StatusCode::GONE, &bad_link())?,
    };
    Ok(token_page(resp))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PasswordForm {
    token: String,
    password: String,
}

pub(super) fn signed_in(state: &AppState, session_token: &str, to: &str) -> Response {
    let mut resp = Redirect::to(to).into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        state.cookies().set(APPLY_COOKIE, session_token),
    );
    resp
}

pub(super) async fn confirm(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<PasswordForm>,
) -> WebResult<Response> {
    let resp = match registration::confirm(&state, &form.token, &form.password).await? {
        ConfirmOutcome::Created { session_token } => {
            signed_in(&state, &session_token, "/apply/home")
        }
        ConfirmOutcome::BadLink => html(StatusCode::GONE, &bad_link())?,
        ConfirmOutcome::Password(why) => {
            let email = registration::peek(&state, &form.token)
                .await?
                .unwrap_or_default();
            let mut page = password_page(csrf, &form.token, &email);
            page.error("password", msg(&why));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)?
        }
    };
    Ok(token_page(resp))
}

pub(super) fn login_page(csrf: String, email: &str) -> FormPage {
    FormPage {
        chrome: Chrome::titled(t("apply-login-title")),
        heading: t("apply-login-title"),
        notice: None,
        intro: vec![t("apply-login-intro")],
        action: "/apply/login".into(),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![
            crate::present::Field::new("email", t("apply-login-id"), "email", "username")
                .value(email),
            crate::present::Field::new(
                "password",
                t("apply-password"),
                "password",
                "current-password",
            ),
        ],
        submit: t("login-button"),
        links: vec![
            Link::new("/apply/password/forgot", t("apply-login-forgot")),
            Link::new("/apply/start", t("apply-login-create")),
        ],
        passkey: None,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct TimeoutQuery {
    timeout: String,
    logged_out: String,
}

pub(super) async fn login_form(CsrfToken(csrf): CsrfToken, uri: Uri) -> WebResult<Response> {
    let q: TimeoutQuery = lenient_query(&uri);
    let mut page = login_page(csrf, "");
    if q.timeout == "1" {
        page.notice = Some(Notice::new("warning", t("timed-out")));
    } else if q.logged_out == "1" {
        page.notice = Some(Notice::new("success", t("account-logged-out")));
    }
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct LoginForm {
    email: String,
    password: String,
}

pub(super) async fn login(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<LoginForm>,
) -> WebResult<Response> {
    let mut page = login_page(csrf, form.email.trim());
    match registration::log_in(&state, &form.email, &form.password).await? {
        LoginOutcome::LoggedIn { session_token } => {
            Ok(signed_in(&state, &session_token, "/apply/home"))
        }
        LoginOutcome::Refused => {
            page.notice = Some(
                Notice::new("error", t("apply-wrong-credentials"))
                    .line(t("apply-wrong-credentials-line")),
            );
            html(StatusCode::UNAUTHORIZED, &page)
        }
        LoginOutcome::Locked { until } => {
            page.notice = Some(crate::present::labels::locked_notice(until));
            html(StatusCode::LOCKED, &page)
        }
    }
}

pub(super) async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    if let Some(token) = state.cookies().get(&headers, APPLY_COOKIE) {
        registration::log_out(&state, &token).await?;
    }
    let mut resp = Redirect::to("/apply").into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, state.cookies().clear(APPLY_COOKIE));
    Ok(resp)
}

pub(super) async fn home_page(
    state: &AppState,
    applicant: Applicant,
    csrf: String,
    notice: Option<Notice>,
) -> WebResult<ApplyHomePage> {
    let proxy_for = registration::proxy_business(state, &applicant)
        .await?
        .map(|b| business_with_id(&b.name, &b.login_id.grouped()));
    let rows = registration::applications_of(state, &applicant)
        .await?
        .into_iter()
        .map(|a| ApplicationRow {
            id: a.id,
            kind: ApplicationKind::parse(&a.kind)
                .map_or_else(|| t("apply-kind-unknown"), kind_label),
            status: status_label(a.status),
            updated: a.updated_at.jst(),
        })
        .collect();
    Ok(ApplyHomePage {
        chrome: Chrome::titled(t("apply-home-title")),
        notice,
        email: applicant.email,
        proxy_for,
        rows,
        csrf_token: csrf,
    })
}

pub(super) async fn home(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    CsrfToken(csrf): CsrfToken,
) -> WebResult<Response> {
    html(
        StatusCode::OK,
        &home_page(&state, applicant, csrf, None).await?,
    )
}
