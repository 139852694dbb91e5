//! The two login portals — 技能者 at `/ccus_skill/…`, 事業者 at `/ccus_owner/…` — with the
//! same behaviour: log in, home page, アクセス履歴, ログアウト.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ccus_domain::lockout::LOCKED_FOREVER;
use ccus_domain::{
    access::browser_label, AccessEventKind, AccountKind, LoginId, LoginIdError, Password,
    PasswordError, Timestamp,
};
use ccus_storage::{ClientInfo, TokenPurpose};
use serde::Deserialize;

use super::{lenient_query, HtmlForm};
use crate::error::{WebError, WebResult};
use crate::guard::{check_secret, Check};
use crate::mails;
use crate::middleware::{CsrfCookie, Maintenance};
use crate::security::{
    random_token, token_hash, DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECS, SESSION_COOKIE,
};
use crate::session::{
    address_bucket, check_csrf, clear_session_cookie, safe_next, Client, CsrfToken, Portal,
    SignedIn,
};
use crate::views::{Chrome, HistoryPage, HistoryRow, HomePage, LoginPage, Notice, SignedInNav};
use crate::AppState;

/// Rows per page of アクセス履歴.
const HISTORY_PAGE: u64 = 20;

pub(super) fn routes() -> Router<AppState> {
    let mut r = Router::new();
    for kind in AccountKind::ALL {
        let p = kind.portal();
        r = r
            .route(&format!("/{p}/login"), get(login_form).post(login))
            .route(&format!("/{p}/home"), get(home))
            .route(&format!("/{p}/history"), get(history))
            .route(&format!("/{p}/logout"), post(logout));
    }
    r
}

fn other(kind: AccountKind) -> AccountKind {
    match kind {
        AccountKind::Technician => AccountKind::Business,
        AccountKind::Business => AccountKind::Technician,
    }
}

fn login_page(kind: AccountKind, csrf_token: String, login_id: &str, next: &str) -> LoginPage {
    LoginPage {
        chrome: Chrome::titled(format!("{}ログイン", kind.label_ja())),
        kind_label: kind.label_ja(),
        action: kind.login_path(),
        other_label: other(kind).label_ja(),
        other_login_path: other(kind).login_path(),
        csrf_token,
        // Keep what was typed (bounded) so a typo can be fixed rather than retyped.
        login_id: login_id.chars().take(64).collect(),
        next: next.to_owned(),
        notice: None,
        portal: kind.portal(),
        id_error: None,
        password_error: None,
    }
}

fn render(status: StatusCode, page: &LoginPage) -> WebResult<Response> {
    Ok((status, Html(page.render()?)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LoginQuery {
    login_id: String,
    next: String,
    timeout: String,
    logged_out: String,
}

async fn login_form(
    State(state): State<AppState>,
    Portal(kind): Portal,
    CsrfToken(csrf): CsrfToken,
    maintenance: Option<Extension<Maintenance>>,
    uri: Uri,
) -> WebResult<Response> {
    let q: LoginQuery = lenient_query(&uri);
    let next = safe_next(kind, &q.next).unwrap_or_default();
    let mut page = login_page(kind, csrf, &q.login_id, &next);
    page.chrome.banner = maintenance.map(|m| m.0.banner(state.clock().now()));
    if q.timeout == "1" {
        page.notice = Some(
            Notice::new("warning", "タイムアウトしました。お手数ですが、再度ログインしてください。")
                .line(if next.is_empty() {
                    "一定時間操作がなかったか、ログインから長い時間が経ったため、安全のため自動的にログアウトしました。"
                } else {
                    "一定時間操作がなかったか、ログインから長い時間が経ったため、安全のため自動的にログアウトしました。ログインすると、元の画面に戻ります。"
                }),
        );
    } else if q.logged_out == "1" {
        page.notice = Some(Notice::new("success", "ログアウトしました。"));
    }
    render(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LoginForm {
    login_id: String,
    password: String,
    csrf_token: String,
    next: String,
}

/// Rounds up to the next whole minute, so the time shown is never before the lock ends.
pub(super) fn locked_notice(until: Timestamp) -> Notice {
    // When it ends comes first: it is what the person needs to know.
    let when = if until == LOCKED_FOREVER {
        "このロックは時間が経っても解除されません。ヘルプデスクにロックの解除をご依頼ください。"
            .to_owned()
    } else {
        format!(
            "{}（日本時間）以降に、自動的にロックが解除されます。それまでお待ちいただき、再度ログインしてください。",
            until.jst_not_before()
        )
    };
    Notice::new("error", "このIDは現在ロックされています")
        .line(when)
        .line("パスワードの誤りが続いたため、安全のため一時的にログインできなくなっています。ロック中は、正しいパスワードを入力してもログインできません。")
        .line("このIDが登録されている場合は、登録メールアドレスにロックのお知らせをお送りしています。メールのリンクから、すぐにロックを解除することもできます。")
}

async fn login(
    State(state): State<AppState>,
    Portal(kind): Portal,
    Client(client): Client,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    headers: HeaderMap,
    HtmlForm(form): HtmlForm<LoginForm>,
) -> WebResult<Response> {
    check_csrf(&state, csrf_cookie.as_deref(), &form.csrf_token)?;
    let next = safe_next(kind, &form.next).unwrap_or_default();
    let mut page = login_page(kind, csrf, &form.login_id, &next);
    let label = kind.label_ja();

    // 1. The ID: normalised, checked by its own check digit — no password check for a typo.
    let login_id = match LoginId::parse(&form.login_id) {
        Ok(id) => id,
        Err(e) => {
            page.id_error = Some(match e {
                LoginIdError::Empty => format!("{label}IDを入力してください。"),
                LoginIdError::Malformed => format!("{label}IDは14桁の数字です。入力内容をご確認ください。"),
                LoginIdError::CheckDigit => format!(
                    "{label}IDに誤りがあります。数字の打ち間違いや、隣り合う数字の入れ替わりがないか、カードなどに記載のIDをご確認ください。"
                ),
            });
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    // 2. The entrance: the kind is part of the ID, so this reveals nothing about accounts.
    if login_id.kind() != kind {
        let right = login_id.kind();
        page.notice = Some(
            Notice::new("warning", format!("入力されたIDは{}IDです", right.label_ja()))
                .line(format!(
                    "こちらは{label}用のログイン画面です。{}の方は、{}ログイン画面からログインしてください。",
                    right.label_ja(),
                    right.label_ja()
                ))
                .link(
                    format!("{}?login_id={}", right.login_path(), login_id.as_str()),
                    format!("{}ログイン画面へ（IDは入力済みです）", right.label_ja()),
                ),
        );
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    page.login_id = login_id.grouped();
    // 3. The password, normalised; bounded before any hashing.
    let password = match Password::parse(&form.password) {
        Ok(p) => p,
        Err(e) => {
            page.password_error = Some(match e {
                PasswordError::Empty => "パスワードを入力してください。".to_owned(),
                PasswordError::TooLong => {
                    "パスワードが長すぎます。入力内容をご確認ください。".to_owned()
                }
            });
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    attempt(
        &state, kind, &login_id, password, &client, &next, &headers, page,
    )
    .await
}

/// Everything after the input is well formed: limits, lock, password check, session.
#[allow(clippy::too_many_arguments)]
async fn attempt(
    state: &AppState,
    kind: AccountKind,
    login_id: &LoginId,
    password: Password,
    client: &ClientInfo,
    next: &str,
    headers: &HeaderMap,
    mut page: LoginPage,
) -> WebResult<Response> {
    let store = state.store();
    let now = state.clock().now();
    let limits = &state.config().lockout;

    // One address cannot try thousands of IDs: shared across instances through the database.
    let address_key = format!("login:{}", address_bucket(&client.address));
    let from_address = store
        .hit_window(&address_key, limits.address_window, now)
        .await?;
    if from_address > limits.address_limit {
        if from_address == limits.address_limit + 1 {
            // Once per window, so a flood cannot bury the owner's history.
            store
                .record_event(login_id, AccessEventKind::RefusedRateLimited, client, now)
                .await?;
        }
        tracing::warn!(address = %client.address, "login refused: too many attempts from this address");
        page.notice = Some(
            Notice::new("error", "ログインの試行回数が多すぎます")
                .line("短時間に多くのログインが試みられたため、この接続元からのログインを一時的に制限しています。しばらく時間をおいてから、再度お試しください。"),
        );
        let mut resp = render(StatusCode::TOO_MANY_REQUESTS, &page)?;
        resp.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(limits.address_window.as_secs().max(1)),
        );
        return Ok(resp);
    }

    // A browser in which this ID has logged in before has its own failure count, so
    // someone failing elsewhere cannot lock the owner out of it (OWASP device cookies).
    let device = state
        .cookies()
        .get(headers, DEVICE_COOKIE)
        .map(|t| token_hash(&t));
    let trusted = match &device {
        Some(h) => store.device_login_id(h).await?.as_deref() == Some(login_id.as_str()),
        None => false,
    };
    let key = match (&device, trusted) {
        (Some(h), true) => format!("device:{h}"),
        _ => login_id.as_str().to_owned(),
    };
    let account = store.account_by_login_id(login_id).await?;
    let stored = account.as_ref().map(|a| a.password_hash.clone());

    match check_secret(state, &key, password.clone(), stored).await? {
        Check::Locked { until } => {
            store
                .record_event(login_id, AccessEventKind::RefusedLocked, client, now)
                .await?;
            page.notice = Some(locked_notice(until));
            render(StatusCode::LOCKED, &page)
        }
        Check::Passed(verified) => {
            let Some(account) = account else {
                return Err(WebError::Internal(
                    "a password matched without an account".into(),
                ));
            };
            store.release_window(&address_key).await?;
            if verified.needs_rehash {
                match state.hasher().hash(password).await {
                    Ok(h) => store.set_password_hash(account.id, &h, now).await?,
                    Err(e) => tracing::warn!(error = %e, "rehash postponed"),
                }
            }
            // Always a new session: a token planted before login is worthless after it, and
            // the session this browser had before ends with it.
            let token = random_token();
            let mut tx = store.begin().await?;
            if let Some(old) = state.cookies().get(headers, SESSION_COOKIE) {
                tx.delete_session(&token_hash(&old)).await?;
            }
            tx.create_session(&token_hash(&token), account.id, client, now)
                .await?;
            tx.record_event(login_id, AccessEventKind::LoginSuccess, client, now)
                .await?;
            tx.commit().await?;
            tracing::info!(account = account.id, kind = %kind, trusted, "login");
            let target = if account.must_change_password {
                format!("/{}/password/initial", kind.portal())
            } else if next.is_empty() {
                format!("/{}/home", kind.portal())
            } else {
                next.to_owned()
            };
            let mut resp = Redirect::to(&target).into_response();
            resp.headers_mut().append(
                header::SET_COOKIE,
                state.cookies().set(SESSION_COOKIE, &token),
            );
            if !trusted {
                let device_token = random_token();
                store
                    .remember_device(&token_hash(&device_token), login_id.as_str(), now)
                    .await?;
                resp.headers_mut().append(
                    header::SET_COOKIE,
                    state.cookies().set_persistent(
                        DEVICE_COOKIE,
                        &device_token,
                        DEVICE_COOKIE_MAX_AGE_SECS,
                    ),
                );
            }
            Ok(resp)
        }
        Check::Failed { locks_until: None } => {
            store
                .record_event(login_id, AccessEventKind::LoginFailure, client, now)
                .await?;
            page.notice = Some(
                Notice::new("error", "IDまたはパスワードが違います")
                    .line("入力内容をご確認のうえ、もう一度お試しください。パスワードは大文字・小文字を区別します。"),
            );
            // 401 must name a challenge (RFC 9110); this one is the form itself, and browsers
            // show no dialog for a scheme they do not know.
            let mut resp = render(StatusCode::UNAUTHORIZED, &page)?;
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Form realm=\"CCUS\""),
            );
            Ok(resp)
        }
        Check::Failed {
            locks_until: Some(until),
        } => {
            // The failure, the lock and the owner's unlock mail stand or fall together.
            let mut tx = store.begin().await?;
            tx.record_event(login_id, AccessEventKind::LoginFailure, client, now)
                .await?;
            tx.record_event(login_id, AccessEventKind::Locked, client, now)
                .await?;
            // Also when the owner's own browser locked: the mail tells them, and its link
            // lifts that lock as well.
            let mailed = match &account {
                Some(a) => {
                    let token = random_token();
                    let expires = now.plus(state.config().recovery.token_ttl);
                    tx.create_token(
                        &token_hash(&token),
                        TokenPurpose::Unlock,
                        a.id,
                        None,
                        now,
                        expires,
                    )
                    .await?;
                    tx.enqueue_mail(&mails::locked(state, a, until, &token, client, now), now)
                        .await?;
                    true
                }
                None => false,
            };
            tx.commit().await?;
            if mailed {
                state.wake_mail();
            }
            tracing::warn!(address = %client.address, "ID locked after repeated failures");
            page.notice = Some(locked_notice(until));
            render(StatusCode::LOCKED, &page)
        }
    }
}

fn nav(
    state: &AppState,
    kind: AccountKind,
    name: &str,
    csrf_cookie: Option<&CsrfCookie>,
) -> SignedInNav {
    SignedInNav {
        portal: kind.portal(),
        name: name.to_owned(),
        csrf_token: csrf_cookie
            .map(|c| state.csrf().token_for(&c.0))
            .unwrap_or_default(),
    }
}

async fn home(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    uri: Uri,
) -> WebResult<Html<String>> {
    let SignedIn { session, kind } = signed_in;
    let a = &session.account;
    let q: DoneQuery = lenient_query(&uri);
    let page = HomePage {
        notice: (q.done == "password").then(|| {
            Notice::new("success", "パスワードを設定しました。")
                .line("次回から新しいパスワードでログインしてください。ほかの端末でのログインは終了しました。")
        }),
        chrome: Chrome {
            banner: None,
            title: format!("{}メニュー", kind.label_ja()),
            signed_in: Some(nav(&state, kind, &a.name, csrf_cookie.as_deref())),
            ..Chrome::default()
        },
        kind_label: kind.label_ja(),
        portal: kind.portal(),
        name: a.name.clone(),
        grouped_id: a.login_id.grouped(),
        signed_in_since: session.created_at.jst(),
    };
    Ok(Html(page.render()?))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HistoryQuery {
    page: String,
}

async fn history(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    uri: Uri,
) -> WebResult<Html<String>> {
    let SignedIn { session, kind } = signed_in;
    let a = &session.account;
    let q: HistoryQuery = lenient_query(&uri);
    let total = state.store().access_history_len(a).await?;
    let pages = total.div_ceil(HISTORY_PAGE).max(1);
    let page = q.page.trim().parse::<u64>().unwrap_or(1).clamp(1, pages);
    let events = state
        .store()
        .access_history(a, (page - 1) * HISTORY_PAGE, HISTORY_PAGE)
        .await?;
    let rows = events
        .into_iter()
        .map(|e| HistoryRow {
            at: e.at.jst_seconds(),
            label: e.kind.label_ja(),
            failure: e.kind.is_failure(),
            address: e.client_address,
            browser: browser_label(&e.user_agent),
            user_agent: e.user_agent,
        })
        .collect();
    let href = |p: u64| format!("/{}/history?page={p}", kind.portal());
    let view = HistoryPage {
        chrome: Chrome {
            banner: None,
            title: "アクセス履歴".into(),
            signed_in: Some(nav(&state, kind, &a.name, csrf_cookie.as_deref())),
            ..Chrome::default()
        },
        portal: kind.portal(),
        rows,
        page,
        pages,
        total,
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (page < pages).then(|| href(page + 1)),
    };
    Ok(Html(view.render()?))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LogoutForm {
    csrf_token: String,
}

async fn logout(
    State(state): State<AppState>,
    Portal(kind): Portal,
    Client(client): Client,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    headers: axum::http::HeaderMap,
    HtmlForm(form): HtmlForm<LogoutForm>,
) -> WebResult<Response> {
    check_csrf(&state, csrf_cookie.as_deref(), &form.csrf_token)?;
    if let Some(token) = state.cookies().get(&headers, SESSION_COOKIE) {
        let hash = token_hash(&token);
        if let Some(session) = state.store().session(&hash).await? {
            // Only the request that ends the session records the logout (no double entries
            // from a double click).
            if state.store().delete_session(&hash).await? {
                state
                    .store()
                    .record_event(
                        &session.account.login_id,
                        AccessEventKind::Logout,
                        &client,
                        state.clock().now(),
                    )
                    .await?;
                tracing::info!(account = session.account.id, "logout");
            }
        }
    }
    let mut resp = Redirect::to(&format!("{}?logged_out=1", kind.login_path())).into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie(&state));
    Ok(resp)
}
