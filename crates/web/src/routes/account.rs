//! What a signed-in user does with their account: the forced change of an initial password
//! (with the 本人確認番号), changing the password, changing the registered email (confirmed
//! from the new address, announced to the old one), and seeing and ending sessions.

use axum::extract::State;
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ccus_domain::{
    AccessEventKind, AccountKind, Password, PasswordContext, SecurityCode, Timestamp,
};
use ccus_storage::{ClientInfo, SessionRecord, TokenPurpose};
use serde::Deserialize;

use super::recovery::validate_new_password;
use super::{confirm_page, html, lenient_query, HtmlForm, TokenForm, TokenQuery};
use crate::accounts::valid_email;
use crate::error::WebResult;
use crate::guard::{check_secret, Check};
use crate::mails;
use crate::middleware::CsrfCookie;
use crate::security::{random_token, token_hash};
use crate::session::{check_csrf, clear_session_cookie, Client, CsrfToken, Portal, SignedIn};
use crate::views::{
    Chrome, Field, FormPage, Link, MessagePage, Notice, SessionRow, SessionsPage, SignedInNav,
};
use crate::AppState;

pub(super) fn routes() -> Router<AppState> {
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
            .route(&format!("/{p}/sessions/end-others"), post(end_others));
    }
    r
}

fn chrome(
    state: &AppState,
    title: &str,
    kind: AccountKind,
    s: &SessionRecord,
    csrf: &Option<Extension<CsrfCookie>>,
) -> Chrome {
    Chrome {
        banner: None,
        title: title.to_owned(),
        signed_in: Some(SignedInNav {
            portal: kind.portal(),
            name: s.account.name.clone(),
            csrf_token: csrf
                .as_ref()
                .map(|c| state.csrf().token_for(&c.0 .0))
                .unwrap_or_default(),
        }),
        ..Chrome::default()
    }
}

fn menu_link(kind: AccountKind) -> Link {
    Link::new(format!("/{}/home", kind.portal()), "メニューに戻る")
}

fn code_field() -> Field {
    Field::new("security_code", "本人確認番号（4桁）", "password", "off")
        .numeric()
        .hint("カードの裏面などに記載された4桁の数字です。ログインIDやパスワードとは別の番号です。")
}

fn current_password_field() -> Field {
    Field::new(
        "current_password",
        "現在のパスワード",
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

/// A wrong secret locked the ID while signed in: the session ends and the lock is explained.
async fn locked_out(
    state: &AppState,
    kind: AccountKind,
    s: &SessionRecord,
    until: Timestamp,
    client: &ClientInfo,
) -> WebResult<Response> {
    let now = state.clock().now();
    let mut tx = state.store().begin().await?;
    tx.delete_session(&s.token_hash).await?;
    tx.record_event(&s.account.login_id, AccessEventKind::Locked, client, now)
        .await?;
    tx.commit().await?;
    let page = MessagePage {
        chrome: Chrome::titled("ロックされました"),
        heading: "ロックされました".into(),
        notice: Some(super::portal::locked_notice(until)),
        lines: vec!["安全のため、ログアウトしました。".into()],
        links: vec![Link::new(
            kind.login_path(),
            format!("{}ログイン画面へ", kind.label_ja()),
        )],
    };
    let mut resp = html(StatusCode::LOCKED, &page)?;
    resp.headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie(state));
    Ok(resp)
}

/// Checks one secret of the signed-in account as a counted attempt. `Ok(None)` when it
/// matched; `Ok(Some(response))` when it did not (the field error is set on `page`) or when
/// the ID got locked.
#[allow(clippy::too_many_arguments)]
async fn check_own(
    state: &AppState,
    kind: AccountKind,
    s: &SessionRecord,
    client: &ClientInfo,
    secret: Password,
    stored: String,
    page: &mut FormPage,
    field: &str,
    wrong: &str,
    failure: AccessEventKind,
) -> WebResult<Option<Response>> {
    let key = s.account.login_id.as_str();
    match check_secret(state, key, secret, Some(stored)).await? {
        Check::Passed(_) => Ok(None),
        Check::Locked { until } => Ok(Some(locked_out(state, kind, s, until, client).await?)),
        Check::Failed { locks_until } => {
            let now = state.clock().now();
            state
                .store()
                .record_event(&s.account.login_id, failure, client, now)
                .await?;
            if let Some(until) = locks_until {
                return Ok(Some(locked_out(state, kind, s, until, client).await?));
            }
            page.error(field, wrong);
            Ok(Some(html(StatusCode::UNPROCESSABLE_ENTITY, page)?))
        }
    }
}

fn parse_code(page: &mut FormPage, raw: &str) -> Option<Password> {
    match SecurityCode::parse(raw) {
        Ok(c) => Password::parse(c.expose()).ok(),
        Err(_) => {
            page.error(
                "security_code",
                "本人確認番号は4桁の数字で入力してください。",
            );
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
    fields.extend(new_password_fields());
    FormPage {
        chrome: chrome(state, "パスワードの設定", kind, s, csrf),
        heading: "パスワードの設定（初回）".into(),
        notice: Some(Notice::new("info", "初めてのログインです。ご自分のパスワードを設定してください。")),
        intro: vec!["安全のため、お渡しした初期パスワードは使い続けられません。本人確認番号（4桁）と、新しいパスワードを入力してください。".into()],
        action: format!("/{}/password/initial", kind.portal()),
        csrf_token: token,
        hidden: vec![],
        fields,
        submit: "パスワードを設定する".into(),
        links: vec![],
    }
}

fn new_password_fields() -> Vec<Field> {
    vec![
        Field::new("password", "新しいパスワード", "password", "new-password")
            .hint("8文字以上。文字の種類の決まりはありません。ほかのサービスと同じパスワードや、推測されやすい言葉は避けてください。"),
        Field::new("password_confirm", "新しいパスワード（確認）", "password", "new-password"),
    ]
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

/// Stores a new password for the signed-in account: the other sessions end, the history and
/// the notice mail are written with it.
async fn store_new_password(
    state: &AppState,
    s: &SessionRecord,
    client: &ClientInfo,
    password: Password,
    event: AccessEventKind,
    how: &str,
) -> WebResult<()> {
    let new_hash = state.hasher().hash(password).await?;
    let now = state.clock().now();
    let mut tx = state.store().begin().await?;
    tx.set_password(s.account.id, &new_hash, false, now).await?;
    tx.delete_sessions_of(s.account.id, Some(&s.token_hash))
        .await?;
    tx.record_event(&s.account.login_id, event, client, now)
        .await?;
    tx.enqueue_mail(
        &mails::password_changed(state, &s.account, how, client, now),
        now,
    )
    .await?;
    tx.commit().await?;
    state.wake_mail();
    Ok(())
}

async fn initial(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Client(client): Client,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(token): CsrfToken,
    HtmlForm(form): HtmlForm<PasswordForm>,
) -> WebResult<Response> {
    check_csrf(&state, csrf_cookie.as_deref(), &form.csrf_token)?;
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
    let stored = state.store().security_code_hash(session.account.id).await?;
    if let Some(resp) = check_own(
        &state,
        kind,
        &session,
        &client,
        code,
        stored,
        &mut page,
        "security_code",
        "本人確認番号が違います。カードなどに記載の4桁の数字をご確認ください。",
        AccessEventKind::SecurityCodeFailure,
    )
    .await?
    {
        return Ok(resp);
    }
    store_new_password(
        &state,
        &session,
        &client,
        password,
        AccessEventKind::InitialPasswordSet,
        "設定",
    )
    .await?;
    tracing::info!(account = session.account.id, "initial password replaced");
    Ok(Redirect::to(&format!("/{}/home?done=password", kind.portal())).into_response())
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
    fields.extend(new_password_fields());
    FormPage {
        chrome: chrome(state, "パスワードの変更", kind, s, csrf),
        heading: "パスワードの変更".into(),
        notice: None,
        intro: vec!["現在のパスワード、本人確認番号（4桁）、新しいパスワードを入力してください。変更すると、ほかの端末でのログインは終了します。".into()],
        action: format!("/{}/password/change", kind.portal()),
        csrf_token: token,
        hidden: vec![],
        fields,
        submit: "パスワードを変更する".into(),
        links: vec![menu_link(kind)],
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
    HtmlForm(form): HtmlForm<PasswordForm>,
) -> WebResult<Response> {
    check_csrf(&state, csrf_cookie.as_deref(), &form.csrf_token)?;
    let SignedIn { session, kind } = signed_in;
    let mut page = change_page(&state, kind, &session, &csrf_cookie, token);
    let current = Password::parse(&form.current_password).ok();
    if current.is_none() {
        page.error("current_password", "現在のパスワードを入力してください。");
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
    if let Some(resp) = check_own(
        &state,
        kind,
        &session,
        &client,
        current,
        session.account.password_hash.clone(),
        &mut page,
        "current_password",
        "現在のパスワードが違います。",
        AccessEventKind::LoginFailure,
    )
    .await?
    {
        return Ok(resp);
    }
    let stored = state.store().security_code_hash(session.account.id).await?;
    if let Some(resp) = check_own(
        &state,
        kind,
        &session,
        &client,
        code,
        stored,
        &mut page,
        "security_code",
        "本人確認番号が違います。カードなどに記載の4桁の数字をご確認ください。",
        AccessEventKind::SecurityCodeFailure,
    )
    .await?
    {
        return Ok(resp);
    }
    store_new_password(
        &state,
        &session,
        &client,
        password,
        AccessEventKind::PasswordChanged,
        "変更",
    )
    .await?;
    Ok(Redirect::to(&format!("/{}/home?done=password", kind.portal())).into_response())
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
        chrome: chrome(state, "メールアドレスの変更", kind, s, csrf),
        heading: "登録メールアドレスの変更".into(),
        notice: None,
        intro: vec![
            format!("現在の登録メールアドレス: {}", s.account.email),
            "新しいアドレスに確認メールをお送りします。メールのリンクを開くと変更が確定し、これまでのアドレスにもお知らせします。勤務先のアドレスより、転職しても使い続けられるアドレスをおすすめします。".into(),
        ],
        action: format!("/{}/email/change", kind.portal()),
        csrf_token: token,
        hidden: vec![],
        fields: vec![current_password_field(), Field::new("new_email", "新しいメールアドレス", "email", "email")],
        submit: "確認メールを送る".into(),
        links: vec![menu_link(kind)],
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
    HtmlForm(form): HtmlForm<EmailForm>,
) -> WebResult<Response> {
    check_csrf(&state, csrf_cookie.as_deref(), &form.csrf_token)?;
    let SignedIn { session, kind } = signed_in;
    let mut page = email_page(&state, kind, &session, &csrf_cookie, token);
    let new_email = form.new_email.trim().to_owned();
    page.fields[1].value = new_email.chars().take(254).collect();
    let current = Password::parse(&form.current_password).ok();
    if current.is_none() {
        page.error("current_password", "現在のパスワードを入力してください。");
    }
    if !valid_email(&new_email) {
        page.error(
            "new_email",
            "メールアドレスの形式をご確認ください（例: taro@example.jp）。",
        );
    } else if new_email.eq_ignore_ascii_case(&session.account.email) {
        page.error("new_email", "現在の登録メールアドレスと同じです。");
    }
    let Some(current) = current.filter(|_| !page.has_errors()) else {
        return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    if let Some(resp) = check_own(
        &state,
        kind,
        &session,
        &client,
        current,
        session.account.password_hash.clone(),
        &mut page,
        "current_password",
        "現在のパスワードが違います。",
        AccessEventKind::LoginFailure,
    )
    .await?
    {
        return Ok(resp);
    }
    let now = state.clock().now();
    let token = random_token();
    let mut tx = state.store().begin().await?;
    tx.create_token(
        &token_hash(&token),
        TokenPurpose::EmailChange,
        session.account.id,
        Some(&new_email),
        now,
        now.plus(state.config().recovery.token_ttl),
    )
    .await?;
    tx.record_event(
        &session.account.login_id,
        AccessEventKind::EmailChangeRequested,
        &client,
        now,
    )
    .await?;
    tx.enqueue_mail(
        &mails::email_confirm(&state, &session.account, &new_email, &token),
        now,
    )
    .await?;
    tx.commit().await?;
    state.wake_mail();
    let minutes = (state.config().recovery.token_ttl.as_secs() / 60).max(1);
    let page = MessagePage {
        chrome: chrome(&state, "確認メールを送信しました", kind, &session, &csrf_cookie),
        heading: "確認メールを送信しました".into(),
        notice: Some(Notice::new("success", format!("{new_email} に確認メールをお送りしました。"))),
        lines: vec![format!("メールのリンクを開くと、変更が確定します。リンクの有効期限は{minutes}分です。それまでは、これまでのアドレスが登録されたままです。")],
        links: vec![menu_link(kind)],
    };
    html(StatusCode::OK, &page)
}

fn email_link_unusable(kind: AccountKind) -> WebResult<Response> {
    super::recovery::link_unusable(
        kind,
        "メールアドレス変更",
        Link::new(
            format!("/{}/email/change", kind.portal()),
            "ログインして、メールアドレスの変更をもう一度申し込む",
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
    let now = state.clock().now();
    let Some(t) = state
        .store()
        .peek_token(&token_hash(&q.token), TokenPurpose::EmailChange, now)
        .await?
    else {
        return email_link_unusable(kind);
    };
    confirm_page(
        "メールアドレス変更の確認",
        vec![format!(
            "{}ID {} の登録メールアドレスを {} に変更します。",
            kind.label_ja(),
            t.account.login_id.grouped(),
            t.new_email.unwrap_or_default()
        )],
        format!("/{}/email/confirm", kind.portal()),
        token,
        &q.token,
        "変更を確定する",
    )
}

async fn email_confirm(
    State(state): State<AppState>,
    Portal(kind): Portal,
    Client(client): Client,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    HtmlForm(form): HtmlForm<TokenForm>,
) -> WebResult<Response> {
    check_csrf(&state, csrf_cookie.as_deref(), &form.csrf_token)?;
    let now = state.clock().now();
    let mut tx = state.store().begin().await?;
    let Some(t) = tx
        .consume_token(&token_hash(&form.token), TokenPurpose::EmailChange, now)
        .await?
    else {
        return email_link_unusable(kind);
    };
    let Some(new_email) = t.new_email.clone() else {
        return email_link_unusable(kind);
    };
    let a = &t.account;
    tx.set_email(a.id, &new_email, now).await?;
    tx.record_event(&a.login_id, AccessEventKind::EmailChanged, &client, now)
        .await?;
    tx.enqueue_mail(
        &mails::email_changed(&state, a, &a.email, &client, now),
        now,
    )
    .await?;
    tx.commit().await?;
    state.wake_mail();
    let page = MessagePage {
        chrome: Chrome::titled("メールアドレスを変更しました"),
        heading: "メールアドレスを変更しました".into(),
        notice: Some(Notice::new(
            "success",
            format!("登録メールアドレスを {new_email} に変更しました。"),
        )),
        lines: vec!["これまでのアドレスにも、変更のお知らせをお送りしました。".into()],
        links: vec![Link::new(format!("/{}/home", kind.portal()), "メニューへ")],
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
    let list = state.store().sessions_of(session.account.id).await?;
    let others = list
        .iter()
        .filter(|s| s.token_hash != session.token_hash)
        .count();
    let rows = list
        .into_iter()
        .map(|s| SessionRow {
            browser: ccus_domain::access::browser_label(&s.user_agent),
            current: s.token_hash == session.token_hash,
            user_agent: s.user_agent,
            address: s.client_address,
            since: s.created_at.jst(),
            last_seen: s.last_seen_at.jst(),
        })
        .collect();
    let notice = q.ended.parse::<u64>().ok().map(|n| {
        Notice::new(
            "success",
            format!("ほかの端末のログインを終了しました（{n}件）。"),
        )
    });
    let page = SessionsPage {
        chrome: chrome(&state, "ログイン中の端末", kind, &session, &csrf_cookie),
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
    csrf_cookie: Option<Extension<CsrfCookie>>,
    HtmlForm(form): HtmlForm<CsrfOnly>,
) -> WebResult<Response> {
    check_csrf(&state, csrf_cookie.as_deref(), &form.csrf_token)?;
    let SignedIn { session, kind } = signed_in;
    let now = state.clock().now();
    let mut tx = state.store().begin().await?;
    let n = tx
        .delete_sessions_of(session.account.id, Some(&session.token_hash))
        .await?;
    tx.record_event(
        &session.account.login_id,
        AccessEventKind::OtherSessionsEnded,
        &client,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/{}/sessions?ended={n}", kind.portal())).into_response())
}
