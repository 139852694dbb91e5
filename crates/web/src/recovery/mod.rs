//! Getting back in without help: パスワードをお忘れの方 (reset by mail), IDをお忘れの方 (the IDs
//! of an address, by mail), and lifting a lock through the link in the lock mail. Every
//! request form answers the same, in the same time, whether or not anything matched.

use crate::forms::lenient_query;
use crate::forms::CheckedForm;
use crate::forms::TokenForm;
use crate::forms::TokenQuery;
use crate::pages::confirm_page;
use crate::pages::html;
use crate::pages::token_page;
use crate::present::Chrome;
use crate::present::Field;
use crate::present::FormPage;
use crate::present::Link;
use crate::present::MessagePage;
use crate::present::Notice;
use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use ccus_app::account::provisioning::valid_email;
use ccus_app::links::LinkPurpose;
use ccus_app::recovery::{self, NewPasswordError, RequestOutcome, ResetOutcome};
use ccus_domain::{AccountKind, LoginId, LoginIdError, Password, PasswordContext};
use serde::Deserialize;

use crate::error::WebResult;
use crate::session::{clear_session_cookie, Client, CsrfToken, Portal};
use crate::{i18n, AppState};

pub(crate) fn routes() -> Router<AppState> {
    let mut r = Router::new();
    for kind in AccountKind::ALL {
        let p = kind.portal();
        r = r
            .route(
                &format!("/{p}/password/forgot"),
                get(forgot_password_form).post(forgot_password),
            )
            .route(&format!("/{p}/password/reset"), get(reset_form).post(reset))
            .route(
                &format!("/{p}/id/forgot"),
                get(forgot_id_form).post(forgot_id),
            )
            .route(&format!("/{p}/unlock"), get(unlock_form).post(unlock));
    }
    r
}

/// Links on recovery pages back to the usual places.
fn back_links(kind: AccountKind) -> Vec<Link> {
    vec![
        Link::new(
            kind.login_path(),
            i18n::ta("back-to-login", &[("kind", &i18n::kind(kind))]),
        ),
        Link::new(
            format!("/{}/password/forgot", kind.portal()),
            i18n::t("forgot-password"),
        ),
        Link::new(
            format!("/{}/id/forgot", kind.portal()),
            i18n::t("forgot-id"),
        ),
    ]
}

fn too_many(kind: AccountKind) -> WebResult<Response> {
    let page = MessagePage {
        chrome: Chrome::titled(i18n::t("too-many-title")),
        heading: i18n::t("too-many-title"),
        notice: Some(Notice::new("error", i18n::t("too-many")).line(i18n::t("too-many-line"))),
        lines: vec![],
        links: back_links(kind),
    };
    html(StatusCode::TOO_MANY_REQUESTS, &page)
}

/// The page for a link that is expired, used or unknown.
pub(super) fn link_unusable(kind: AccountKind, what: &str, again: Link) -> WebResult<Response> {
    let page = MessagePage {
        chrome: Chrome::titled(i18n::t("link-unusable-title")),
        heading: i18n::t("link-unusable-title"),
        notice: Some(
            Notice::new("error", i18n::t("link-unusable"))
                .line(i18n::ta("link-unusable-line", &[("what", what)])),
        ),
        lines: vec![i18n::t("link-unusable-again")],
        links: vec![
            again,
            Link::new(
                kind.login_path(),
                i18n::ta("back-to-login", &[("kind", &i18n::kind(kind))]),
            ),
        ],
    };
    Ok(token_page(html(StatusCode::GONE, &page)?))
}

// ---- パスワードをお忘れの方 ---------------------------------------------------------------

fn forgot_password_page(kind: AccountKind, csrf: String) -> FormPage {
    FormPage {
        chrome: Chrome::titled(i18n::t("reset-title")),
        heading: i18n::t("reset-title"),
        notice: None,
        intro: vec![i18n::ta("reset-intro", &[("kind", &i18n::kind(kind))])],
        action: format!("/{}/password/forgot", kind.portal()),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![
            Field::new(
                "login_id",
                i18n::ta("login-id-label", &[("kind", &i18n::kind(kind))]),
                "text",
                "username",
            )
            .numeric()
            .hint(i18n::t("login-id-hint")),
            Field::new("email", i18n::t("registered-email"), "email", "email"),
        ],
        submit: i18n::t("reset-send"),
        links: back_links(kind),
        passkey: None,
    }
}

async fn forgot_password_form(
    Portal(kind): Portal,
    CsrfToken(csrf): CsrfToken,
) -> WebResult<Response> {
    html(StatusCode::OK, &forgot_password_page(kind, csrf))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ForgotPasswordForm {
    csrf_token: String,
    login_id: String,
    email: String,
}

async fn forgot_password(
    State(state): State<AppState>,
    Portal(kind): Portal,
    Client(client): Client,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<ForgotPasswordForm>,
) -> WebResult<Response> {
    let mut page = forgot_password_page(kind, csrf);
    page.fields[0].value = form.login_id.chars().take(64).collect();
    page.fields[1].value = form.email.chars().take(254).collect();
    let login_id = match LoginId::parse(&form.login_id) {
        Ok(id) => Some(id),
        Err(LoginIdError::Empty) => {
            page.error(
                "login_id",
                i18n::ta("login-id-empty", &[("kind", &i18n::kind(kind))]),
            );
            None
        }
        Err(_) => {
            page.error("login_id", i18n::t("id-wrong"));
            None
        }
    };
    let email = form.email.trim().to_owned();
    if !valid_email(&email) {
        page.error("email", i18n::t("email-invalid"));
    }
    let Some(login_id) = login_id.filter(|_| !page.has_errors()) else {
        return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    if recovery::request_reset(&state, &login_id, &email, &client).await? == RequestOutcome::TooMany
    {
        return too_many(kind);
    }
    let cfg = &state.config().recovery;
    let minutes = (cfg.token_ttl.as_secs() / 60).max(1);
    let page = MessagePage {
        chrome: Chrome::titled(i18n::t("received")),
        heading: i18n::t("received"),
        notice: Some(Notice::new("success", i18n::t("reset-sent"))),
        lines: vec![
            i18n::ta("reset-sent-open", &[("minutes", &minutes.to_string())]),
            i18n::t("reset-sent-spam"),
            i18n::ta("reset-sent-dead-address", &[("helpdesk", &cfg.helpdesk)]),
        ],
        links: helpdesk_link("email")
            .into_iter()
            .chain(back_links(kind))
            .collect(),
    };
    html(StatusCode::OK, &page)
}

/// The inquiry form with its category chosen: a dead registered address (`email`) or a lost
/// ID (`id`).
fn helpdesk_link(trouble: &str) -> Option<Link> {
    let (category, key) = match trouble {
        "email" => ("email", "recovery-helpdesk-email"),
        "id" => ("id", "recovery-helpdesk-id"),
        _ => return None,
    };
    Some(Link::new(
        format!("/inquiry?topic={category}"),
        i18n::t(key),
    ))
}

// ---- パスワードの再設定（メールのリンク） ------------------------------------------------------

pub(super) fn new_password_fields() -> Vec<Field> {
    vec![
        Field::new(
            "password",
            i18n::t("new-password"),
            "password",
            "new-password",
        )
        .hint(i18n::t("new-password-hint")),
        Field::new(
            "password_confirm",
            i18n::t("new-password-confirm"),
            "password",
            "new-password",
        ),
    ]
}

fn reset_page(kind: AccountKind, csrf: String, token: &str, id: &ccus_domain::LoginId) -> FormPage {
    FormPage {
        chrome: Chrome::titled(i18n::t("new-password-title")),
        heading: i18n::t("new-password-title"),
        notice: None,
        intro: vec![i18n::ta(
            "new-password-intro",
            &[("id_kind", &i18n::id_kind(id)), ("id", &id.grouped())],
        )],
        action: format!("/{}/password/reset", kind.portal()),
        csrf_token: csrf,
        hidden: vec![("token", token.to_owned())],
        fields: new_password_fields(),
        submit: i18n::t("set-password"),
        links: vec![],
        passkey: None,
    }
}

fn reset_again(kind: AccountKind) -> Link {
    Link::new(
        format!("/{}/password/forgot", kind.portal()),
        i18n::t("reset-again"),
    )
}

async fn reset_form(
    State(state): State<AppState>,
    Portal(kind): Portal,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: TokenQuery = lenient_query(&uri);
    match recovery::link_target(&state, &q.token, LinkPurpose::Reset(kind)).await? {
        Some(a) => Ok(token_page(html(
            StatusCode::OK,
            &reset_page(kind, csrf, &q.token, &a.login_id),
        )?)),
        _ => link_unusable(kind, &i18n::t("what-reset"), reset_again(kind)),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewPasswordForm {
    csrf_token: String,
    token: String,
    password: String,
    password_confirm: String,
}

/// Checks a new password and its confirmation against the policy; the error goes on the form.
pub(crate) fn validate_new_password(
    page: &mut FormPage,
    password: &str,
    confirm: &str,
    ctx: &PasswordContext<'_>,
) -> Option<Password> {
    match recovery::check_new_password(password, confirm, ctx) {
        Ok(p) => Some(p),
        Err(e) => {
            new_password_error(page, e);
            None
        }
    }
}

/// Puts why a new password was refused on its field.
pub(super) fn new_password_error(page: &mut FormPage, e: NewPasswordError) {
    match e {
        NewPasswordError::Empty => page.error("password", i18n::t("new-password-empty")),
        NewPasswordError::Policy(v) => page.error("password", i18n::msg(&recovery::policy_msg(&v))),
        NewPasswordError::Mismatch => page.error("password_confirm", i18n::t("password-mismatch")),
    }
}

async fn reset(
    State(state): State<AppState>,
    Portal(kind): Portal,
    Client(client): Client,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<NewPasswordForm>,
) -> WebResult<Response> {
    let (a, passkeys_removed) = match recovery::reset_password(
        &state,
        kind,
        &form.token,
        &form.password,
        &form.password_confirm,
        &client,
    )
    .await?
    {
        ResetOutcome::Done(a, passkeys_removed) => (a, passkeys_removed),
        ResetOutcome::LinkUnusable => {
            return link_unusable(kind, &i18n::t("what-reset"), reset_again(kind))
        }
        ResetOutcome::Refused(a, e) => {
            let mut page = reset_page(kind, csrf, &form.token, &a.login_id);
            new_password_error(&mut page, e);
            return Ok(token_page(html(StatusCode::UNPROCESSABLE_ENTITY, &page)?));
        }
    };
    let page = MessagePage {
        chrome: Chrome::titled(i18n::t("reset-done")),
        heading: i18n::t("reset-done"),
        notice: Some(Notice::new("success", i18n::t("reset-done-login"))),
        lines: std::iter::once(i18n::t("reset-done-sessions"))
            .chain((passkeys_removed > 0).then(|| {
                i18n::ta(
                    "reset-done-passkeys",
                    &[("count", &passkeys_removed.to_string())],
                )
            }))
            .collect(),
        links: vec![Link::new(
            format!("{}?login_id={}", kind.login_path(), a.login_id.as_str()),
            i18n::ta("to-login", &[("kind", &i18n::kind(kind))]),
        )],
    };
    let mut resp = token_page(html(StatusCode::OK, &page)?);
    resp.headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie(&state));
    Ok(resp)
}

// ---- IDをお忘れの方 ------------------------------------------------------------------------

fn forgot_id_page(kind: AccountKind, csrf: String) -> FormPage {
    FormPage {
        chrome: Chrome::titled(i18n::t("forgot-id")),
        heading: i18n::t("forgot-id"),
        notice: None,
        intro: vec![
            i18n::t("forgot-id-intro"),
            i18n::t("forgot-id-registered-mail"),
        ],
        action: format!("/{}/id/forgot", kind.portal()),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![Field::new(
            "email",
            i18n::t("registered-email"),
            "email",
            "email",
        )],
        submit: i18n::t("forgot-id-send"),
        links: back_links(kind),
        passkey: None,
    }
}

async fn forgot_id_form(Portal(kind): Portal, CsrfToken(csrf): CsrfToken) -> WebResult<Response> {
    html(StatusCode::OK, &forgot_id_page(kind, csrf))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ForgotIdForm {
    csrf_token: String,
    email: String,
}

async fn forgot_id(
    State(state): State<AppState>,
    Portal(kind): Portal,
    Client(client): Client,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<ForgotIdForm>,
) -> WebResult<Response> {
    let email = form.email.trim().to_owned();
    if !valid_email(&email) {
        let mut page = forgot_id_page(kind, csrf);
        page.fields[0].value = form.email.chars().take(254).collect();
        page.error("email", i18n::t("email-invalid"));
        return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    if recovery::remind_ids(&state, &email, &client).await? == RequestOutcome::TooMany {
        return too_many(kind);
    }
    let cfg = &state.config().recovery;
    let page = MessagePage {
        chrome: Chrome::titled(i18n::t("received")),
        heading: i18n::t("received"),
        notice: Some(Notice::new("success", i18n::t("ids-sent"))),
        lines: vec![
            i18n::t("ids-sent-spam"),
            i18n::t("ids-sent-dead-address"),
            i18n::ta("ids-sent-helpdesk", &[("helpdesk", &cfg.helpdesk)]),
        ],
        links: helpdesk_link("id")
            .into_iter()
            .chain(back_links(kind))
            .collect(),
    };
    html(StatusCode::OK, &page)
}

// ---- ロック解除（メールのリンク） -----------------------------------------------------------

fn unlock_again(kind: AccountKind) -> Link {
    Link::new(
        format!("/{}/password/forgot", kind.portal()),
        i18n::t("reset-title"),
    )
}

async fn unlock_form(
    State(state): State<AppState>,
    Portal(kind): Portal,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: TokenQuery = lenient_query(&uri);
    let Some(a) = recovery::link_target(&state, &q.token, LinkPurpose::Unlock(kind)).await? else {
        return link_unusable(kind, &i18n::t("what-unlock"), unlock_again(kind));
    };
    confirm_page(
        &i18n::t("unlock-title"),
        vec![
            i18n::ta(
                "unlock-intro",
                &[
                    ("id_kind", &i18n::id_kind(&a.login_id)),
                    ("id", &a.login_id.grouped()),
                ],
            ),
            i18n::t("unlock-own-mistake"),
        ],
        format!("/{}/unlock", kind.portal()),
        csrf,
        &q.token,
        &i18n::t("unlock-button"),
    )
}

async fn unlock(
    State(state): State<AppState>,
    Portal(kind): Portal,
    Client(client): Client,
    CheckedForm(form): CheckedForm<TokenForm>,
) -> WebResult<Response> {
    let Some(a) = recovery::unlock_by_link(&state, kind, &form.token, &client).await? else {
        return link_unusable(kind, &i18n::t("what-unlock"), unlock_again(kind));
    };
    let page = MessagePage {
        chrome: Chrome::titled(i18n::t("unlocked")),
        heading: i18n::t("unlocked"),
        notice: Some(Notice::new("success", i18n::t("unlocked-again"))),
        lines: vec![i18n::t("unlocked-forgot")],
        links: vec![
            Link::new(
                format!("{}?login_id={}", kind.login_path(), a.login_id.as_str()),
                i18n::ta("to-login", &[("kind", &i18n::kind(kind))]),
            ),
            Link::new(
                format!("/{}/password/forgot", kind.portal()),
                i18n::t("forgot-password"),
            ),
        ],
    };
    Ok(token_page(html(StatusCode::OK, &page)?))
}
