//! Getting back in without help: パスワードをお忘れの方 (reset by mail), IDをお忘れの方 (the IDs
//! of an address, by mail), and lifting a lock through the link in the lock mail. Every
//! request form answers the same, in the same time, whether or not anything matched.

use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use ccus_app::accounts::valid_email;
use ccus_app::recovery::{self, NewPasswordError, RequestOutcome, ResetOutcome};
use ccus_domain::{AccountKind, LoginId, LoginIdError, Password, PasswordContext};
use ccus_storage::TokenPurpose;
use serde::Deserialize;

use crate::error::WebResult;
use crate::routes::{
    confirm_page, html, lenient_query, token_page, CheckedForm, TokenForm, TokenQuery,
};
use crate::session::{clear_session_cookie, Client, CsrfToken, Portal};
use crate::views::{Chrome, Field, FormPage, Link, MessagePage, Notice};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
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
            format!("{}ログイン画面に戻る", kind.label_ja()),
        ),
        Link::new(
            format!("/{}/password/forgot", kind.portal()),
            "パスワードをお忘れの方",
        ),
        Link::new(format!("/{}/id/forgot", kind.portal()), "IDをお忘れの方"),
    ]
}

fn too_many(kind: AccountKind) -> WebResult<Response> {
    let page = MessagePage {
        chrome: Chrome::titled("しばらくしてからお試しください"),
        heading: "しばらくしてからお試しください".into(),
        notice: Some(Notice::new("error", "短時間に多くのお申し込みがありました").line(
            "この接続元からのお申し込みを一時的に制限しています。1時間ほど時間をおいてから、もう一度お試しください。",
        )),
        lines: vec![],
        links: back_links(kind),
    };
    html(StatusCode::TOO_MANY_REQUESTS, &page)
}

/// The page for a link that is expired, used or unknown.
pub(super) fn link_unusable(kind: AccountKind, what: &str, again: Link) -> WebResult<Response> {
    let page = MessagePage {
        chrome: Chrome::titled("このリンクは使えません"),
        heading: "このリンクは使えません".into(),
        notice: Some(
            Notice::new("error", "リンクの有効期限が切れているか、すでに使用されています")
                .line(format!("{what}のリンクは、一度使うか、有効期限を過ぎると使えなくなります。新しいリンクは古いリンクに代わります。")),
        ),
        lines: vec!["お手数ですが、もう一度お申し込みください。".into()],
        links: vec![again, Link::new(kind.login_path(), format!("{}ログイン画面に戻る", kind.label_ja()))],
    };
    Ok(token_page(html(StatusCode::GONE, &page)?))
}

// ---- パスワードをお忘れの方 ---------------------------------------------------------------

fn forgot_password_page(kind: AccountKind, csrf: String) -> FormPage {
    FormPage {
        chrome: Chrome::titled("パスワードの再設定"),
        heading: "パスワードの再設定".into(),
        notice: None,
        intro: vec![
            format!("{}IDと、登録しているメールアドレスを入力してください。パスワードを再設定するためのURLをメールでお送りします。", kind.label_ja()),
        ],
        action: format!("/{}/password/forgot", kind.portal()),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![
            Field::new("login_id", format!("{}ID", kind.label_ja()), "text", "username")
                .numeric()
                .hint("14桁の数字です。全角・半角、スペースやハイフンがあっても構いません。"),
            Field::new("email", "登録メールアドレス", "email", "email"),
        ],
        submit: "再設定用のメールを送る".into(),
        links: back_links(kind),
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
                format!("{}IDを入力してください。", kind.label_ja()),
            );
            None
        }
        Err(_) => {
            page.error(
                "login_id",
                "IDに誤りがあります。14桁の数字をご確認ください。",
            );
            None
        }
    };
    let email = form.email.trim().to_owned();
    if !valid_email(&email) {
        page.error(
            "email",
            "メールアドレスの形式をご確認ください（例: taro@example.jp）。",
        );
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
        chrome: Chrome::titled("受け付けました"),
        heading: "受け付けました".into(),
        notice: Some(Notice::new(
            "success",
            "ご入力の内容が登録情報と一致する場合、パスワード再設定用のメールをお送りしました",
        )),
        lines: vec![
            format!("メールに記載のURLを開き、新しいパスワードを設定してください。URLの有効期限は{minutes}分です。"),
            "メールが届かない場合は、迷惑メールフォルダもご確認ください。IDやメールアドレスの入力に誤りがあると、メールは届きません。".into(),
            format!("登録したメールアドレスが使えなくなった場合（退職などで）は、再設定のメールを受け取れません。{}へご連絡ください。", cfg.helpdesk),
        ],
        links: back_links(kind),
    };
    html(StatusCode::OK, &page)
}

// ---- パスワードの再設定（メールのリンク） ------------------------------------------------------

fn new_password_fields() -> Vec<Field> {
    vec![
        Field::new("password", "新しいパスワード", "password", "new-password")
            .hint("8文字以上。文字の種類の決まりはありません。ほかのサービスと同じパスワードや、推測されやすい言葉は避けてください。"),
        Field::new("password_confirm", "新しいパスワード（確認）", "password", "new-password"),
    ]
}

fn reset_page(kind: AccountKind, csrf: String, token: &str, id: &ccus_domain::LoginId) -> FormPage {
    FormPage {
        chrome: Chrome::titled("新しいパスワードの設定"),
        heading: "新しいパスワードの設定".into(),
        notice: None,
        intro: vec![format!(
            "{} {} の新しいパスワードを入力してください。",
            id.label_ja(),
            id.grouped()
        )],
        action: format!("/{}/password/reset", kind.portal()),
        csrf_token: csrf,
        hidden: vec![("token", token.to_owned())],
        fields: new_password_fields(),
        submit: "パスワードを設定する".into(),
        links: vec![],
    }
}

fn reset_again(kind: AccountKind) -> Link {
    Link::new(
        format!("/{}/password/forgot", kind.portal()),
        "パスワードの再設定をもう一度申し込む",
    )
}

async fn reset_form(
    State(state): State<AppState>,
    Portal(kind): Portal,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: TokenQuery = lenient_query(&uri);
    match recovery::link_target(&state, &q.token, TokenPurpose::Reset, kind).await? {
        Some(a) => Ok(token_page(html(
            StatusCode::OK,
            &reset_page(kind, csrf, &q.token, &a.login_id),
        )?)),
        _ => link_unusable(kind, "パスワード再設定", reset_again(kind)),
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
        NewPasswordError::Empty => page.error("password", "新しいパスワードを入力してください。"),
        NewPasswordError::Policy(v) => page.error("password", v.message_ja()),
        NewPasswordError::Mismatch => page.error(
            "password_confirm",
            "確認のために入力したパスワードが一致しません。もう一度入力してください。",
        ),
    }
}

async fn reset(
    State(state): State<AppState>,
    Portal(kind): Portal,
    Client(client): Client,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<NewPasswordForm>,
) -> WebResult<Response> {
    let a = match recovery::reset_password(
        &state,
        kind,
        &form.token,
        &form.password,
        &form.password_confirm,
        &client,
    )
    .await?
    {
        ResetOutcome::Done(a) => a,
        ResetOutcome::LinkUnusable => {
            return link_unusable(kind, "パスワード再設定", reset_again(kind))
        }
        ResetOutcome::Refused(a, e) => {
            let mut page = reset_page(kind, csrf, &form.token, &a.login_id);
            new_password_error(&mut page, e);
            return Ok(token_page(html(StatusCode::UNPROCESSABLE_ENTITY, &page)?));
        }
    };
    let page = MessagePage {
        chrome: Chrome::titled("パスワードを再設定しました"),
        heading: "パスワードを再設定しました".into(),
        notice: Some(Notice::new(
            "success",
            "新しいパスワードでログインしてください。",
        )),
        lines: vec!["安全のため、ほかの端末でのログインはすべて終了しました。".into()],
        links: vec![Link::new(
            format!("{}?login_id={}", kind.login_path(), a.login_id.as_str()),
            format!("{}ログイン画面へ", kind.label_ja()),
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
        chrome: Chrome::titled("IDをお忘れの方"),
        heading: "IDをお忘れの方".into(),
        notice: None,
        intro: vec![
            "登録しているメールアドレスを入力してください。そのアドレスで登録されているID（技能者ID・事業者ID）を、メールでお知らせします。".into(),
            "登録完了のお知らせメール（件名に「登録完了」）にもIDが記載されています。".into(),
        ],
        action: format!("/{}/id/forgot", kind.portal()),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![Field::new("email", "登録メールアドレス", "email", "email")],
        submit: "IDをメールで受け取る".into(),
        links: back_links(kind),
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
        page.error(
            "email",
            "メールアドレスの形式をご確認ください（例: taro@example.jp）。",
        );
        return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    if recovery::remind_ids(&state, &email, &client).await? == RequestOutcome::TooMany {
        return too_many(kind);
    }
    let cfg = &state.config().recovery;
    let page = MessagePage {
        chrome: Chrome::titled("受け付けました"),
        heading: "受け付けました".into(),
        notice: Some(Notice::new(
            "success",
            "ご入力のメールアドレスが登録されている場合、そのアドレスで登録されているIDをメールでお送りしました",
        )),
        lines: vec![
            "IDは画面には表示しません。メールが届かない場合は、迷惑メールフォルダもご確認ください。".into(),
            "登録したメールアドレスが使えなくなった場合（退職などで）は、メールを受け取れません。".into(),
            format!(
                "その場合は{}へ、氏名・生年月日・所属事業者名・（わかれば）ID を添えてご連絡ください。本人確認のうえ、IDのご案内と登録メールアドレスの変更を行います。",
                cfg.helpdesk
            ),
        ],
        links: back_links(kind),
    };
    html(StatusCode::OK, &page)
}

// ---- ロック解除（メールのリンク） -----------------------------------------------------------

fn unlock_again(kind: AccountKind) -> Link {
    Link::new(
        format!("/{}/password/forgot", kind.portal()),
        "パスワードを再設定する",
    )
}

async fn unlock_form(
    State(state): State<AppState>,
    Portal(kind): Portal,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: TokenQuery = lenient_query(&uri);
    let Some(a) = recovery::link_target(&state, &q.token, TokenPurpose::Unlock, kind).await? else {
        return link_unusable(kind, "ロック解除", unlock_again(kind));
    };
    confirm_page(
        "ロックの解除",
        vec![
            format!("{}ID {} のロックを解除します。解除しても、ログインはされません。", kind.label_ja(), a.login_id.grouped()),
            "ご自分の入力ミスでロックされた場合にお使いください。お心当たりのない場合は、解除のあとパスワードを再設定してください。".into(),
        ],
        format!("/{}/unlock", kind.portal()),
        csrf,
        &q.token,
        "ロックを解除する",
    )
}

async fn unlock(
    State(state): State<AppState>,
    Portal(kind): Portal,
    Client(client): Client,
    CheckedForm(form): CheckedForm<TokenForm>,
) -> WebResult<Response> {
    let Some(a) = recovery::unlock_by_link(&state, kind, &form.token, &client).await? else {
        return link_unusable(kind, "ロック解除", unlock_again(kind));
    };
    let page = MessagePage {
        chrome: Chrome::titled("ロックを解除しました"),
        heading: "ロックを解除しました".into(),
        notice: Some(Notice::new("success", "もう一度ログインできます。")),
        lines: vec!["パスワードがわからない場合は、ログイン画面の「パスワードをお忘れの方」から再設定してください。".into()],
        links: vec![
            Link::new(
                format!("{}?login_id={}", kind.login_path(), a.login_id.as_str()),
                format!("{}ログイン画面へ", kind.label_ja()),
            ),
            Link::new(format!("/{}/password/forgot", kind.portal()), "パスワードをお忘れの方"),
        ],
    };
    Ok(token_page(html(StatusCode::OK, &page)?))
}
