//! What a signed-in user does with their account: the forced change of an initial password
//! (with the 本人確認番号), changing the password, changing the registered email (confirmed
//! from the new address, announced to the old one), and seeing and ending sessions.

pub mod views;

use crate::account::views::SessionRow;
use crate::account::views::SessionsPage;
use crate::forms::lenient_query;
use crate::forms::CheckedForm;
use crate::forms::TokenForm;
use crate::forms::TokenQuery;
use crate::pages::confirm_page;
use crate::pages::html;
use crate::present::chrome;
use crate::present::Chrome;
use crate::present::Field;
use crate::present::FormPage;
use crate::present::Link;
use crate::present::MessagePage;
use crate::present::Notice;
use crate::recovery::validate_new_password;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ccus_app::account::provisioning::valid_email;
use ccus_app::account::{self, EmailChangeRequest, PasswordChange};
use ccus_app::auth::SessionRecord;
use ccus_domain::{AccountKind, Password, PasswordContext, SecurityCode, Timestamp};
use serde::Deserialize;

use crate::error::WebResult;
use crate::security::CsrfCookie;
use crate::session::{clear_session_cookie, Client, CsrfToken, Portal, SignedIn};
use crate::{i18n, AppState};

pub(crate) fn routes() -> Router<AppState> {
    let mut r = Router::new();
    for kind in AccountKind::ALL {
        let p = kind.portal();
        r = r
            .route(
                &format!("/{p}/password/initial"),
                get(initial_form).post(initial),
            )
            .route(
                &format!("/{p}/password/change"),
                get(change_form).post(change),
            )
            .route(
                &format!("/{p}/email/change"),
                get(email_form).post(email_change),
            )
            .route(
                &format!("/{p}/email/confirm"),
                get(email_confirm_form).post(email_confirm),
            )
            .route(&format!("/{p}/sessions"), get(sessions))
            .route(&format!("/{p}/sessions/end-others"), post(end_others))
            .route(&format!("/{p}/passkeys"), get(passkeys).post(add_passkey))
            .route(
                &format!("/{p}/passkeys/{{id}}/remove"),
                post(remove_passkey),
            );
    }
    r
}

fn menu_link(kind: AccountKind) -> Link {
    Link::new(format!("/{}/home", kind.portal()), i18n::t("menu-back"))
}

fn code_field() -> Field {
    Field::new("security_code", i18n::t("security-code"), "password", "off")
        .numeric()
        .hint(i18n::t("security-code-hint"))
}

fn current_password_field() -> Field {
    Field::new(
        "current_password",
        i18n::t("current-password"),
        "password",
        "current-password",
    )
}

fn ctx(s: &SessionRecord) -> PasswordContext<'_> {
    PasswordContext {
        login_id: s.account.login_id.as_str(),
        name: &s.account.name,
        email: &s.account.email,
    }
}

/// A wrong secret locked the ID while signed in (the session has ended): the lock explained.
fn locked_out(state: &AppState, kind: AccountKind, until: Timestamp) -> WebResult<Response> {
    let page = MessagePage {
        chrome: Chrome::titled(i18n::t("locked-title")),
        heading: i18n::t("locked-title"),
        notice: Some(crate::present::labels::locked_notice(until)),
        lines: vec![i18n::t("locked-logged-out")],
        links: vec![Link::new(
            kind.login_path(),
            i18n::ta("to-login", &[("kind", &i18n::kind(kind))]),
        )],
    };
    let mut resp = html(StatusCode::LOCKED, &page)?;
    resp.headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie(state));
    Ok(resp)
}

/// The page after a password change (or the first password): home when it is done; the form
/// with the field error when a secret was wrong; the lock explained when one locked the ID.
fn password_changed(
    state: &AppState,
    kind: AccountKind,
    outcome: PasswordChange,
    page: &mut FormPage,
) -> WebResult<Response> {
    let (field, wrong) = match outcome {
        PasswordChange::Changed => {
            return Ok(
                Redirect::to(&format!("/{}/home?done=password", kind.portal())).into_response(),
            )
        }
        PasswordChange::LockedOut { until } => return locked_out(state, kind, until),
        PasswordChange::WrongPassword => (
            "current_password",
            i18n::t("account-current-password-wrong"),
        ),
        PasswordChange::WrongSecurityCode => ("security_code", i18n::t("security-code-wrong")),
    };
    page.error(field, wrong);
    html(StatusCode::UNPROCESSABLE_ENTITY, page)
}

fn parse_code(page: &mut FormPage, raw: &str) -> Option<Password> {
    match SecurityCode::parse(raw) {
        Ok(c) => Password::parse(c.expose()).ok(),
        Err(_) => {
            page.error("security_code", i18n::t("security-code-format"));
            None
        }
    }
}

// ---- 初回パスワード設定 ---------------------------------------------------------------------

fn initial_page(
    state: &AppState,
    kind: AccountKind,
    s: &SessionRecord,
    csrf: &Option<Extension<CsrfCookie>>,
    token: String,
) -> FormPage {
    let mut fields = vec![code_field()];
    fields.extend(crate::recovery::new_password_fields());
    FormPage {
        chrome: chrome(state, &i18n::t("initial-title"), kind, s, csrf),
        heading: i18n::t("initial-heading"),
        notice: Some(Notice::new("info", i18n::t("initial-notice"))),
        intro: vec![i18n::t("initial-intro")],
        action: format!("/{}/password/initial", kind.portal()),
        csrf_token: token,
        hidden: vec![],
        fields,
        submit: i18n::t("set-password"),
        links: vec![],
        passkey: None,
    }
}

async fn initial_form(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(token): CsrfToken,
) -> WebResult<Response> {
    let SignedIn { session, kind } = signed_in;
    if !session.account.must_change_password {
        return Ok(Redirect::to(&format!("/{}/home", kind.portal())).into_response());
    }
    html(
        StatusCode::OK,
        &initial_page(&state, kind, &session, &csrf_cookie, token),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordForm {
    csrf_token: String,
    current_password: String,
    security_code: String,
    password: String,
    password_confirm: String,
}

async fn initial(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Client(client): Client,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(token): CsrfToken,
    CheckedForm(form): CheckedForm<PasswordForm>,
) -> WebResult<Response> {
    let SignedIn { session, kind } = signed_in;
    if !session.account.must_change_password {
        return Ok(Redirect::to(&format!("/{}/home", kind.portal())).into_response());
    }
    let mut page = initial_page(&state, kind, &session, &csrf_cookie, token);
    let code = parse_code(&mut page, &form.security_code);
    let password = validate_new_password(
        &mut page,
        &form.password,
        &form.password_confirm,
        &ctx(&session),
    );
    let (Some(code), Some(password)) = (code, password) else {
        return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let outcome = account::set_initial_password(&state, &session, code, password, &client).await?;
    password_changed(&state, kind, outcome, &mut page)
}

// ---- パスワード変更 ------------------------------------------------------------------------

fn change_page(
    state: &AppState,
    kind: AccountKind,
    s: &SessionRecord,
    csrf: &Option<Extension<CsrfCookie>>,
    token: String,
) -> FormPage {
    let mut fields = vec![current_password_field(), code_field()];
    fields.extend(crate::recovery::new_password_fields());
    FormPage {
        chrome: chrome(state, &i18n::t("change-title"), kind, s, csrf),
        heading: i18n::t("change-title"),
        notice: None,
        intro: vec![i18n::t("change-intro")],
        action: format!("/{}/password/change", kind.portal()),
        csrf_token: token,
        hidden: vec![],
        fields,
        submit: i18n::t("change-submit"),
        links: vec![menu_link(kind)],
        passkey: None,
    }
}

async fn change_form(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(token): CsrfToken,
) -> WebResult<Response> {
    let SignedIn { session, kind } = signed_in;
    html(
        StatusCode::OK,
        &change_page(&state, kind, &session, &csrf_cookie, token),
    )
}

async fn change(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Client(client): Client,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(token): CsrfToken,
    CheckedForm(form): CheckedForm<PasswordForm>,
) -> WebResult<Response> {
    let SignedIn { session, kind } = signed_in;
    let mut page = change_page(&state, kind, &session, &csrf_cookie, token);
    let current = Password::parse(&form.current_password).ok();
    if current.is_none() {
        page.error("current_password", i18n::t("current-password-empty"));
    }
    let code = parse_code(&mut page, &form.security_code);
    let password = validate_new_password(
        &mut page,
        &form.password,
        &form.password_confirm,
        &ctx(&session),
    );
    let (Some(current), Some(code), Some(password)) = (current, code, password) else {
        return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let outcome =
        account::change_password(&state, &session, current, code, password, &client).await?;
    password_changed(&state, kind, outcome, &mut page)
}

// ---- メールアドレス変更 ----------------------------------------------------------------------

fn email_page(
    state: &AppState,
    kind: AccountKind,
    s: &SessionRecord,
    csrf: &Option<Extension<CsrfCookie>>,
    token: String,
) -> FormPage {
    FormPage {
        chrome: chrome(state, &i18n::t("account-email-title"), kind, s, csrf),
        heading: i18n::t("account-email-heading"),
        notice: None,
        intro: vec![
            i18n::ta("account-email-current", &[("email", &s.account.email)]),
            i18n::t("account-email-intro"),
        ],
        action: format!("/{}/email/change", kind.portal()),
        csrf_token: token,
        hidden: vec![],
        fields: vec![
            current_password_field(),
            Field::new("new_email", i18n::t("account-email-new"), "email", "email"),
        ],
        submit: i18n::t("account-email-send"),
        links: vec![menu_link(kind)],
        passkey: None,
    }
}

async fn email_form(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(token): CsrfToken,
) -> WebResult<Response> {
    let SignedIn { session, kind } = signed_in;
    html(
        StatusCode::OK,
        &email_page(&state, kind, &session, &csrf_cookie, token),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EmailForm {
    csrf_token: String,
    current_password: String,
    new_email: String,
}

async fn email_change(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Client(client): Client,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(token): CsrfToken,
    CheckedForm(form): CheckedForm<EmailForm>,
) -> WebResult<Response> {
    let SignedIn { session, kind } = signed_in;
    let mut page = email_page(&state, kind, &session, &csrf_cookie, token);
    let new_email = form.new_email.trim().to_owned();
    page.fields[1].value = new_email.chars().take(254).collect();
    let current = Password::parse(&form.current_password).ok();
    if current.is_none() {
        page.error("current_password", i18n::t("current-password-empty"));
    }
    if !valid_email(&new_email) {
        page.error("new_email", i18n::t("email-invalid"));
    } else if new_email.eq_ignore_ascii_case(&session.account.email) {
        page.error("new_email", i18n::t("account-email-same"));
    }
    let Some(current) = current.filter(|_| !page.has_errors()) else {
        return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    match account::request_email_change(&state, &session, current, &new_email, &client).await? {
        EmailChangeRequest::Sent => {}
        EmailChangeRequest::LockedOut { until } => return locked_out(&state, kind, until),
        EmailChangeRequest::WrongPassword => {
            page.error(
                "current_password",
                i18n::t("account-current-password-wrong"),
            );
            return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    }
    let minutes = (state.config().recovery.token_ttl.as_secs() / 60).max(1);
    let page = MessagePage {
        chrome: chrome(
            &state,
            &i18n::t("account-email-sent"),
            kind,
            &session,
            &csrf_cookie,
        ),
        heading: i18n::t("account-email-sent"),
        notice: Some(Notice::new(
            "success",
            i18n::ta("account-email-sent-to", &[("email", &new_email)]),
        )),
        lines: vec![i18n::ta(
            "account-email-sent-open",
            &[("minutes", &minutes.to_string())],
        )],
        links: vec![menu_link(kind)],
    };
    html(StatusCode::OK, &page)
}

fn email_link_unusable(kind: AccountKind) -> WebResult<Response> {
    crate::recovery::link_unusable(
        kind,
        &i18n::t("account-email-what"),
        Link::new(
            format!("/{}/email/change", kind.portal()),
            i18n::t("account-email-again"),
        ),
    )
}

async fn email_confirm_form(
    State(state): State<AppState>,
    Portal(kind): Portal,
    CsrfToken(token): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: TokenQuery = lenient_query(&uri);
    let Some((a, new_email)) = account::email_change_target(&state, kind, &q.token).await? else {
        return email_link_unusable(kind);
    };
    // The ID named by the portal's kind, as this page always has.
    let id_kind = i18n::t(match kind {
        AccountKind::Technician => "id-technician",
        AccountKind::Business => "id-business",
    });
    confirm_page(
        &i18n::t("account-email-confirm-title"),
        vec![i18n::ta(
            "account-email-confirm-intro",
            &[
                ("id_kind", &id_kind),
                ("id", &a.login_id.grouped()),
                ("email", &new_email),
            ],
        )],
        format!("/{}/email/confirm", kind.portal()),
        token,
        &q.token,
        &i18n::t("account-email-confirm-submit"),
    )
}

async fn email_confirm(
    State(state): State<AppState>,
    Portal(kind): Portal,
    Client(client): Client,
    CheckedForm(form): CheckedForm<TokenForm>,
) -> WebResult<Response> {
    let Some(new_email) = account::confirm_email_change(&state, kind, &form.token, &client).await?
    else {
        return email_link_unusable(kind);
    };
    let page = MessagePage {
        chrome: Chrome::titled(i18n::t("account-email-changed")),
        heading: i18n::t("account-email-changed"),
        notice: Some(Notice::new(
            "success",
            i18n::ta("account-email-changed-to", &[("email", &new_email)]),
        )),
        lines: vec![i18n::t("account-email-changed-old")],
        links: vec![Link::new(
            format!("/{}/home", kind.portal()),
            i18n::t("account-to-menu"),
        )],
    };
    html(StatusCode::OK, &page)
}

// ---- ログイン中の端末 ------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SessionsQuery {
    ended: String,
}

async fn sessions(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(token): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let SignedIn { session, kind } = signed_in;
    let q: SessionsQuery = lenient_query(&uri);
    let list = account::open_sessions(&state, &session).await?;
    let others = list.iter().filter(|s| !s.current).count();
    let rows = list
        .into_iter()
        .map(|s| SessionRow {
            browser: crate::i18n::browser(&s.user_agent),
            current: s.current,
            user_agent: s.user_agent,
            address: s.client_address,
            since: s.created_at.jst(),
            last_seen: s.last_seen_at.jst(),
        })
        .collect();
    let notice = q.ended.parse::<u64>().ok().map(|n| {
        Notice::new(
            "success",
            i18n::ta("account-sessions-ended", &[("count", &n.to_string())]),
        )
    });
    let page = SessionsPage {
        chrome: chrome(
            &state,
            &i18n::t("menu-sessions"),
            kind,
            &session,
            &csrf_cookie,
        ),
        portal: kind.portal(),
        notice,
        rows,
        others,
        csrf_token: token,
    };
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CsrfOnly {
    csrf_token: String,
}

async fn end_others(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Client(client): Client,
    CheckedForm(_): CheckedForm<CsrfOnly>,
) -> WebResult<Response> {
    let SignedIn { session, kind } = signed_in;
    let n = account::end_other_sessions(&state, &session, &client).await?;
    Ok(Redirect::to(&format!("/{}/sessions?ended={n}", kind.portal())).into_response())
}

// ---- passkeys ----------------------------------------------------------------------------------

async fn passkeys_page(
    state: &AppState,
    signed_in: &SignedIn,
    csrf_cookie: &Option<Extension<CsrfCookie>>,
    token: String,
    notice: Option<Notice>,
) -> WebResult<crate::auth::views::PasskeysPage> {
    let SignedIn { session, kind } = signed_in;
    let (rows, options_json, ceremony) = crate::auth::passkey_page_parts(
        state,
        ccus_app::auth::passkeys::Holder::Account(&session.account),
    )
    .await?;
    Ok(crate::auth::views::PasskeysPage {
        chrome: chrome(
            state,
            &i18n::t("menu-passkeys"),
            *kind,
            session,
            csrf_cookie,
        ),
        notice,
        portal: kind.portal(),
        rows,
        options_json,
        ceremony,
        csrf_token: token,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasskeysQuery {
    done: String,
}

async fn passkeys(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(token): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: PasskeysQuery = lenient_query(&uri);
    let notice = match q.done.as_str() {
        "added" => Some(
            Notice::new("success", i18n::t("account-passkeys-added"))
                .line(i18n::t("account-passkeys-added-line")),
        ),
        "removed" => Some(Notice::new("success", i18n::t("account-passkeys-removed"))),
        _ => None,
    };
    let page = passkeys_page(&state, &signed_in, &csrf_cookie, token, notice).await?;
    let mut resp = html(StatusCode::OK, &page)?;
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AddPasskeyForm {
    ceremony: String,
    credential: String,
    name: String,
}

async fn add_passkey(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Client(client): Client,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(token): CsrfToken,
    CheckedForm(form): CheckedForm<AddPasskeyForm>,
) -> WebResult<Response> {
    let kind = signed_in.kind;
    // A passkey left unnamed is named in the language it was registered in.
    let name = if form.name.trim().is_empty() {
        i18n::t("account-passkeys-default-name")
    } else {
        form.name
    };
    match ccus_app::auth::passkeys::register(
        &state,
        ccus_app::auth::passkeys::Holder::Account(&signed_in.session.account),
        &form.ceremony,
        &name,
        &form.credential,
        &client,
    )
    .await?
    {
        ccus_app::auth::passkeys::RegisterOutcome::Added => {
            Ok(Redirect::to(&format!("/{}/passkeys?done=added", kind.portal())).into_response())
        }
        ccus_app::auth::passkeys::RegisterOutcome::Refused(why) => {
            let notice = Some(
                Notice::new("error", i18n::t("account-passkeys-add-failed")).line(i18n::msg(&why)),
            );
            let page = passkeys_page(&state, &signed_in, &csrf_cookie, token, notice).await?;
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

async fn remove_passkey(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Client(client): Client,
    axum::extract::Path(id): axum::extract::Path<i64>,
    CheckedForm(_): CheckedForm<std::collections::HashMap<String, String>>,
) -> WebResult<Response> {
    let kind = signed_in.kind;
    let done = if ccus_app::auth::passkeys::remove(
        &state,
        ccus_app::auth::passkeys::Holder::Account(&signed_in.session.account),
        id,
        &client,
    )
    .await?
    {
        "?done=removed"
    } else {
        ""
    };
    Ok(Redirect::to(&format!("/{}/passkeys{done}", kind.portal())).into_response())
}
