//! The two login portals — 技能者 at `/ccus_skill/…`, 事業者 at `/ccus_owner/…` — with the
//! same behaviour: log in, home page, アクセス履歴, ログアウト.

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ccus_domain::lockout::LOCKED_FOREVER;
use ccus_domain::{
    access::browser_label, AccessEventKind, AccountKind, AttemptDecision, LoginId, LoginIdError,
    Password, PasswordError, Timestamp,
};
use ccus_storage::ClientInfo;
use serde::Deserialize;

use super::{lenient_query, HtmlForm};
use crate::error::WebResult;
use crate::middleware::CsrfCookie;
use crate::security::{random_token, token_hash, CSRF_COOKIE, SESSION_COOKIE};
use crate::session::{
    check_csrf, clear_session_cookie, safe_next, Client, CsrfToken, Portal, SignedIn,
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
    Portal(kind): Portal,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: LoginQuery = lenient_query(&uri);
    let next = safe_next(kind, &q.next).unwrap_or_default();
    let mut page = login_page(kind, csrf, &q.login_id, &next);
    if q.timeout == "1" {
        page.notice = Some(
            Notice::new("warning", "タイムアウトしました。お手数ですが、再度ログインしてください。")
                .line("一定時間操作がなかったため、安全のため自動的にログアウトしました。ログインすると、元の画面に戻ります。"),
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
fn ceil_minute(t: Timestamp) -> Timestamp {
    Timestamp(t.0.saturating_add(59_999) / 60_000 * 60_000)
}

fn locked_notice(until: Timestamp) -> Notice {
    let n = Notice::new("error", "このIDは現在ロックされています")
        .line("パスワードの誤りが続いたため、安全のため一時的にログインできなくなっています。ロック中は、正しいパスワードを入力してもログインできません。");
    if until == LOCKED_FOREVER {
        n.line("このロックは時間が経っても解除されません。ヘルプデスクにロックの解除をご依頼ください。")
    } else {
        n.line(format!(
            "{}（日本時間）以降に、自動的にロックが解除されます。それまでお待ちいただき、再度ログインしてください。",
            ceil_minute(until).jst()
        ))
    }
}

async fn login(
    State(state): State<AppState>,
    Portal(kind): Portal,
    Client(client): Client,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
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
    attempt(&state, kind, &login_id, password, &client, &next, page).await
}

/// Everything after the input is well formed: limits, lock, password check, session.
async fn attempt(
    state: &AppState,
    kind: AccountKind,
    login_id: &LoginId,
    password: Password,
    client: &ClientInfo,
    next: &str,
    mut page: LoginPage,
) -> WebResult<Response> {
    let store = state.store();
    let now = state.clock().now();
    let limits = &state.config().lockout;

    // One address cannot try thousands of IDs: shared across instances through the database.
    let from_address = store
        .reserve_address_attempt(&client.address, limits.address_window, now)
        .await?;
    if from_address > limits.address_limit {
        store
            .record_event(login_id, AccessEventKind::RefusedRateLimited, client, now)
            .await?;
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

    // A worker first, so that an attempt refused as busy never counts against the ID.
    let permit = state.hasher().permit().await?;
    // Count the attempt before checking it: parallel guesses can never exceed the threshold.
    let locks_until = match store.begin_attempt(login_id, state.policy(), now).await? {
        AttemptDecision::Locked { until } => {
            drop(permit);
            store
                .record_event(login_id, AccessEventKind::RefusedLocked, client, now)
                .await?;
            page.notice = Some(locked_notice(until));
            return render(StatusCode::LOCKED, &page);
        }
        AttemptDecision::Proceed { locks_until } => locks_until,
    };
    let account = store.account_by_login_id(login_id).await?;
    let verified = permit
        .verify(
            password.clone(),
            account.as_ref().map(|a| a.password_hash.clone()),
        )
        .await?;

    match account {
        Some(account) if verified.matches => {
            store.clear_guard(login_id).await?;
            store.release_address_attempt(&client.address).await?;
            if verified.needs_rehash {
                match state.hasher().hash(password).await {
                    Ok(h) => store.set_password_hash(account.id, &h, now).await?,
                    Err(e) => tracing::warn!(error = %e, "rehash postponed"),
                }
            }
            // Always a new session: a token planted before login is worthless after it.
            let token = random_token();
            store
                .create_session(&token_hash(&token), account.id, client, now)
                .await?;
            store
                .record_event(login_id, AccessEventKind::LoginSuccess, client, now)
                .await?;
            tracing::info!(account = account.id, kind = %kind, "login");
            let target = if next.is_empty() {
                format!("/{}/home", kind.portal())
            } else {
                next.to_owned()
            };
            let mut resp = Redirect::to(&target).into_response();
            let h = resp.headers_mut();
            h.append(
                header::SET_COOKIE,
                state.cookies().set(SESSION_COOKIE, &token),
            );
            // A new anti-forgery cookie too, so nothing from before login stays valid.
            h.append(
                header::SET_COOKIE,
                state.cookies().set(CSRF_COOKIE, &random_token()),
            );
            h.insert("x-ccus-csrf-rotated", HeaderValue::from_static("1"));
            Ok(resp)
        }
        _ => {
            store
                .record_event(login_id, AccessEventKind::LoginFailure, client, now)
                .await?;
            if let Some(until) = locks_until {
                store
                    .record_event(login_id, AccessEventKind::Locked, client, now)
                    .await?;
                tracing::warn!(address = %client.address, "ID locked after repeated failures");
                page.notice = Some(locked_notice(until));
                return render(StatusCode::LOCKED, &page);
            }
            page.notice = Some(
                Notice::new("error", "IDまたはパスワードが違います")
                    .line("入力内容をご確認のうえ、もう一度お試しください。パスワードは大文字・小文字を区別します。"),
            );
            render(StatusCode::UNAUTHORIZED, &page)
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
) -> WebResult<Html<String>> {
    let SignedIn { session, kind } = signed_in;
    let a = &session.account;
    let page = HomePage {
        chrome: Chrome {
            title: format!("{}メニュー", kind.label_ja()),
            signed_in: Some(nav(&state, kind, &a.name, csrf_cookie.as_deref())),
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
            title: "アクセス履歴".into(),
            signed_in: Some(nav(&state, kind, &a.name, csrf_cookie.as_deref())),
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
            state.store().delete_session(&hash).await?;
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
    let mut resp = Redirect::to(&format!("{}?logged_out=1", kind.login_path())).into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie(&state));
    Ok(resp)
}
