//! The two login portals — 技能者 at `/ccus_skill/…`, 事業者 at `/ccus_owner/…` — with the
//! same behaviour: log in, home page, アクセス履歴, ログアウト.

use crate::auth::views::HistoryPage;
use crate::auth::views::HistoryRow;
use crate::auth::views::HomePage;
use crate::auth::views::LoginPage;
use crate::forms::lenient_query;
use crate::forms::CheckedForm;
use crate::present::labels::locked_notice;
use crate::present::Chrome;
use crate::present::Notice;
use crate::present::SignedInNav;
use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ccus_app::auth::ClientInfo;
use ccus_domain::{AccountKind, LoginId, LoginIdError, Password, PasswordError};
use serde::Deserialize;

use crate::error::WebResult;
use crate::middleware::Maintenance;
use crate::security::CsrfCookie;
use crate::security::{DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECS, SESSION_COOKIE};
use crate::session::{clear_session_cookie, safe_next, Client, CsrfToken, Portal, SignedIn};
use crate::{i18n, AppState};
use ccus_app::auth::login::{self, LoginOutcome, LoginRequest};

/// Rows per page of アクセス履歴.
const HISTORY_PAGE: u64 = 20;

pub(crate) fn routes() -> Router<AppState> {
    let mut r = Router::new();
    for kind in AccountKind::ALL {
        let p = kind.portal();
        r = r
            .route(&format!("/{p}/login"), get(login_form).post(login))
            .route(&format!("/{p}/home"), get(home))
            .route(&format!("/{p}/history"), get(history))
            .route(&format!("/{p}/logout"), post(logout))
            .route(&format!("/{p}/passkey/options"), get(passkey_options))
            .route(&format!("/{p}/passkey/login"), post(passkey_login));
    }
    r
}

fn other(kind: AccountKind) -> AccountKind {
    match kind {
        AccountKind::Technician => AccountKind::Business,
        AccountKind::Business => AccountKind::Technician,
    }
}

fn login_page(
    state: &AppState,
    kind: AccountKind,
    csrf_token: String,
    login_id: &str,
    next: &str,
) -> LoginPage {
    let label = i18n::kind(kind);
    let other_label = i18n::kind(other(kind));
    LoginPage {
        chrome: Chrome::titled(i18n::ta("login-title", &[("kind", &label)])),
        other_entrance: i18n::ta(
            "other-entrance",
            &[("other", &other_label), ("path", other(kind).login_path())],
        ),
        kind_label: label,
        action: kind.login_path(),
        csrf_token,
        // Keep what was typed (bounded) so a typo can be fixed rather than retyped.
        login_id: login_id.chars().take(64).collect(),
        next: next.to_owned(),
        notice: None,
        portal: kind.portal(),
        id_error: None,
        password_error: None,
        challenge: None,
        passkeys: ccus_app::auth::passkeys::available(state),
        passkey_refused: false,
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
    stopped: String,
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
    let mut page = login_page(&state, kind, csrf, &q.login_id, &next);
    page.chrome.banner = maintenance.map(|m| m.0.banner(state.clock().now()));
    page.challenge = state.login_challenge();
    if q.timeout == "1" {
        page.notice = Some(Notice::new("warning", i18n::t("timed-out")).line(i18n::t(
            if next.is_empty() {
                "account-timed-out-line"
            } else {
                "account-timed-out-line-back"
            },
        )));
    } else if q.logged_out == "1" {
        page.notice = Some(Notice::new("success", i18n::t("account-logged-out")));
    } else if q.stopped == "1" {
        page.notice = Some(
            Notice::new("error", i18n::t("account-disabled"))
                .line(i18n::t("account-disabled-line")),
        );
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
    /// A proof-of-work challenge and its solution, posted by the page's script.
    pow_token: String,
    pow_nonce: String,
}

async fn login(
    State(state): State<AppState>,
    Portal(kind): Portal,
    Client(client): Client,
    CsrfToken(csrf): CsrfToken,
    headers: HeaderMap,
    CheckedForm(form): CheckedForm<LoginForm>,
) -> WebResult<Response> {
    let next = safe_next(kind, &form.next).unwrap_or_default();
    let mut page = login_page(&state, kind, csrf, &form.login_id, &next);
    let label = i18n::kind(kind);

    // 1. The ID: normalised, checked by its own check digit — no password check for a typo.
    let login_id = match LoginId::parse(&form.login_id) {
        Ok(id) => id,
        Err(e) => {
            let key = match e {
                LoginIdError::Empty => "login-id-empty",
                LoginIdError::Malformed => "login-id-malformed",
                LoginIdError::CheckDigit => "login-id-check-digit",
            };
            page.id_error = Some(i18n::ta(key, &[("kind", &i18n::kind(kind))]));
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    // 2. The entrance: the kind is part of the ID, so this reveals nothing about accounts.
    if login_id.kind() != kind {
        let right = login_id.kind();
        let right_label = i18n::kind(right);
        page.notice = Some(
            Notice::new(
                "warning",
                i18n::ta("wrong-entrance", &[("id_kind", &i18n::id_kind(&login_id))]),
            )
            .line(i18n::ta(
                "wrong-entrance-line",
                &[("kind", &label), ("right", &right_label)],
            ))
            .link(
                format!("{}?login_id={}", right.login_path(), login_id.as_str()),
                i18n::ta("wrong-entrance-link", &[("right", &right_label)]),
            ),
        );
        return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    page.login_id = login_id.grouped();
    // 3. The password, normalised; bounded before any hashing.
    let password = match Password::parse(&form.password) {
        Ok(p) => p,
        Err(e) => {
            page.password_error = Some(i18n::t(match e {
                PasswordError::Empty => "password-empty",
                PasswordError::TooLong => "password-too-long",
            }));
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let proven_work = !form.pow_token.is_empty()
        && state
            .challenges()
            .redeem(&form.pow_token, &form.pow_nonce, state.clock().now());
    attempt(
        &state,
        kind,
        &login_id,
        password,
        &client,
        &next,
        &headers,
        page,
        proven_work,
    )
    .await
}

/// Everything after the input is well formed is the login service's; this maps its outcome
/// to the page, the cookies and the redirect.
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
    proven_work: bool,
) -> WebResult<Response> {
    let device_token = state.cookies().get(headers, DEVICE_COOKIE);
    let previous_session = state.cookies().get(headers, SESSION_COOKIE);
    let outcome = login::log_in(
        state,
        LoginRequest {
            login_id,
            password,
            client,
            device_token: device_token.as_deref(),
            previous_session: previous_session.as_deref(),
            proven_work,
            language: i18n::lang(),
        },
    )
    .await;
    // Every worker busy and the queue full, or the wait too long: the form again, with what
    // was typed kept and a challenge, so the next try (by the page's script) goes ahead of
    // attempts without one.
    let outcome = match outcome {
        Err(ccus_app::AppError::Hash(ccus_app::hashing::HashError::Busy)) => {
            page.notice = Some(
                Notice::new("warning", i18n::t("account-busy"))
                    .line(i18n::t("account-busy-again"))
                    .line(i18n::t("account-busy-not-counted")),
            );
            page.challenge = Some(state.challenges().issue(state.clock().now()));
            let mut resp = render(StatusCode::SERVICE_UNAVAILABLE, &page)?;
            resp.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(crate::error::RETRY_AFTER_SECS),
            );
            return Ok(resp);
        }
        other => other?,
    };
    match outcome {
        LoginOutcome::RateLimited { retry_after } => {
            page.notice = Some(
                Notice::new("error", i18n::t("account-rate-limited"))
                    .line(i18n::t("account-rate-limited-line")),
            );
            let mut resp = render(StatusCode::TOO_MANY_REQUESTS, &page)?;
            resp.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(retry_after.as_secs().max(1)),
            );
            Ok(resp)
        }
        LoginOutcome::Locked { until } => {
            page.notice = Some(locked_notice(until));
            render(StatusCode::LOCKED, &page)
        }
        LoginOutcome::Disabled => {
            page.notice = Some(
                Notice::new("error", i18n::t("account-disabled"))
                    .line(i18n::t("account-disabled-line")),
            );
            render(StatusCode::FORBIDDEN, &page)
        }
        LoginOutcome::Refused => {
            page.notice = Some(
                Notice::new("error", i18n::t("wrong-credentials"))
                    .line(i18n::t("wrong-credentials-line"))
                    .link(
                        format!(
                            "/help/login?e={}&s=wrong_password",
                            if kind == AccountKind::Business {
                                "business"
                            } else {
                                "technician"
                            }
                        ),
                        i18n::t("wrong-credentials-help"),
                    ),
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
        LoginOutcome::LoggedIn(done) => Ok(signed_in(state, kind, &done, next)),
    }
}

/// The answer to a login that succeeded (by password or passkey): the session cookie (and the
/// device cookie of a new browser), then the forced change of an initial password, the page
/// asked for, or the menu.
fn signed_in(
    state: &AppState,
    kind: AccountKind,
    done: &ccus_app::auth::login::LoggedIn,
    next: &str,
) -> Response {
    let target = if done.must_change_password {
        format!("/{}/password/initial", kind.portal())
    } else if next.is_empty() {
        format!("/{}/home", kind.portal())
    } else {
        next.to_owned()
    };
    let mut resp = Redirect::to(&target).into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        state.cookies().set(SESSION_COOKIE, &done.session_token),
    );
    if let Some(device_token) = &done.new_device_token {
        resp.headers_mut().append(
            header::SET_COOKIE,
            state
                .cookies()
                .set_persistent(DEVICE_COOKIE, device_token, DEVICE_COOKIE_MAX_AGE_SECS),
        );
    }
    resp
}

// ---- passkeys ----------------------------------------------------------------------------------

/// A JSON body for the page's script; `<` escaped so it can also sit inside a `<script>` tag.
fn json_response(status: StatusCode, v: &serde_json::Value) -> Response {
    let body = crate::pages::script_json(v);
    (
        status,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

/// `GET /{portal}/passkey/options`: a login challenge for the page's script.
async fn passkey_options(
    State(state): State<AppState>,
    Client(client): Client,
) -> WebResult<Response> {
    if !ccus_app::auth::passkeys::available(&state) {
        return Err(crate::error::WebError::NotFound);
    }
    Ok(
        match ccus_app::auth::passkeys::login_challenge(&state, &client).await? {
            Some(c) => json_response(
                StatusCode::OK,
                &serde_json::json!({ "ceremony": c.ceremony, "publicKey": c.options }),
            ),
            None => json_response(StatusCode::TOO_MANY_REQUESTS, &serde_json::json!({})),
        },
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasskeyLoginForm {
    ceremony: String,
    credential: String,
    next: String,
}

/// `POST /{portal}/passkey/login`: the browser's answer, as a form (with its token).
async fn passkey_login(
    State(state): State<AppState>,
    Portal(kind): Portal,
    Client(client): Client,
    CsrfToken(csrf): CsrfToken,
    headers: HeaderMap,
    CheckedForm(form): CheckedForm<PasskeyLoginForm>,
) -> WebResult<Response> {
    let next = safe_next(kind, &form.next).unwrap_or_default();
    let previous_session = state.cookies().get(&headers, SESSION_COOKIE);
    match ccus_app::auth::passkeys::log_in(
        &state,
        kind,
        &form.ceremony,
        &form.credential,
        &client,
        previous_session.as_deref(),
        i18n::lang(),
    )
    .await?
    {
        ccus_app::auth::passkeys::PasskeyLogin::LoggedIn(done) => {
            Ok(signed_in(&state, kind, &done, &next))
        }
        ccus_app::auth::passkeys::PasskeyLogin::Refused => {
            let mut page = login_page(&state, kind, csrf, "", &next);
            page.passkey_refused = true;
            page.notice = Some(
                Notice::new("error", i18n::t("account-passkey-login-failed"))
                    .line(i18n::t("account-passkey-login-failed-line")),
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
    uri: Uri,
) -> WebResult<Html<String>> {
    let SignedIn { session, kind } = signed_in;
    let a = &session.account;
    let q: DoneQuery = lenient_query(&uri);
    // Only where the person stands, not the whole organisation: this page is every login's.
    let ctx = ccus_app::org::standing(&state, a).await?;
    let org_line = match &ctx {
        Some(c) if a.login_id.is_manager() => Some(i18n::ta(
            "account-home-org",
            &[
                ("business", &c.business.name),
                ("id", &c.business.login_id.grouped()),
                ("role", &crate::present::labels::role_label(c.actor.role)),
                (
                    "place",
                    &i18n::msg(&ccus_app::org::place_of(&state, c).await?),
                ),
            ],
        )),
        _ => None,
    };
    let can = |action| ctx.as_ref().is_some_and(|c| c.can(action));
    let page = HomePage {
        id_label: i18n::id_kind(&a.login_id),
        org_line,
        show_org: can(ccus_domain::org::Action::ViewOrganisation),
        show_proxy: can(ccus_domain::org::Action::ProxyApply),
        show_technicians: can(ccus_domain::org::Action::ViewTechnicians),
        show_sites: can(ccus_domain::org::Action::AnswerRequests)
            || can(ccus_domain::org::Action::RunSites),
        show_systems: can(ccus_domain::org::Action::GrantSystems),
        notice: (q.done == "password").then(|| {
            Notice::new("success", i18n::t("account-password-set"))
                .line(i18n::t("account-password-set-line"))
        }),
        chrome: Chrome {
            banner: None,
            title: i18n::ta("menu-title", &[("kind", &i18n::kind(kind))]),
            signed_in: Some(nav(&state, kind, &a.name, csrf_cookie.as_deref())),
            ..Chrome::default()
        },
        kind_label: i18n::kind(kind),
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
    let asked = q.page.trim().parse::<u64>().unwrap_or(1);
    let ccus_app::account::HistoryPage {
        page,
        pages,
        total,
        events,
    } = ccus_app::account::history_page(&state, a, asked, HISTORY_PAGE).await?;
    let rows = events
        .into_iter()
        .map(|e| {
            let (address, browser) = crate::i18n::history_source(&e.client_address, &e.user_agent);
            HistoryRow {
                at: e.at.jst_seconds(),
                label: i18n::t(&format!("event-{}", e.kind.as_str().replace('_', "-"))),
                failure: e.kind.is_failure(),
                address,
                browser,
                user_agent: e.user_agent,
            }
        })
        .collect();
    let href = |p: u64| format!("/{}/history?page={p}", kind.portal());
    let view = HistoryPage {
        chrome: Chrome {
            banner: None,
            title: i18n::t("history-title"),
            signed_in: Some(nav(&state, kind, &a.name, csrf_cookie.as_deref())),
            ..Chrome::default()
        },
        portal: kind.portal(),
        rows,
        prev_href: (page > 1).then(|| href(page - 1)),
        next_href: (page < pages).then(|| href(page + 1)),
        page_label: i18n::ta(
            "history-page-of",
            &[
                ("page", &page.to_string()),
                ("pages", &pages.to_string()),
                ("total", &total.to_string()),
            ],
        ),
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
    headers: axum::http::HeaderMap,
    CheckedForm(_): CheckedForm<LogoutForm>,
) -> WebResult<Response> {
    if let Some(token) = state.cookies().get(&headers, SESSION_COOKIE) {
        login::log_out(&state, &token, &client).await?;
    }
    let mut resp = Redirect::to(&format!("{}?logged_out=1", kind.login_path())).into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie(&state));
    Ok(resp)
}
