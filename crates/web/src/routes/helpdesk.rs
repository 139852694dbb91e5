//! The helpdesk console at `/helpdesk`: staff log in with ID, password and a TOTP code
//! (enrolled with a QR code at first login), look accounts up by name, kana, birth date,
//! employer or email, and act on them — send the ID, lift a lock, change the registered
//! email, send a reset link. Every action is audited with its reason and shows in the
//! account's own アクセス履歴. Staff sessions have their own cookie (scoped to `/helpdesk`),
//! shorter timeouts and their own lockout; the console keeps working during maintenance.

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ccus_domain::{totp, AccessEventKind, Password};
use ccus_storage::{ClientInfo, InquiryStatus, Lookup, StaffRole, StaffSession, TokenPurpose};
use serde::Deserialize;

use super::{html, lenient_query, HtmlForm};
use crate::accounts::valid_email;
use crate::error::{WebError, WebResult};
use crate::guard::{check_first_factor, Check, FirstFactor};
use crate::mails;
use crate::middleware::CsrfCookie;
use crate::security::{random_token, token_hash};
use crate::session::{address_bucket, check_csrf, Client, CsrfToken, TOUCH_INTERVAL};
use crate::staff_crypto::SecretBox;
use crate::views::{
    AuditRow, Chrome, Field, FormPage, HelpdeskAccountPage, HelpdeskAuditPage, HelpdeskEnrollPage,
    HelpdeskHomePage, HelpdeskInquiryPage, HelpdeskOperationsPage, HelpdeskQueuePage,
    InquiryContext, Link, LookupRow, MessagePage, Notice, QueueRow, StaffAction, StaffNav,
};
use crate::AppState;

const STAFF_COOKIE: &str = "ccus_staff";

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/helpdesk", get(home))
        .route("/helpdesk/login", get(login_form).post(login))
        .route("/helpdesk/enroll", get(enroll_form).post(enroll))
        .route("/helpdesk/logout", post(logout))
        .route("/helpdesk/password", get(password_form).post(set_password))
        .route("/helpdesk/audit", get(audit))
        .route("/helpdesk/accounts/{id}", get(account))
        .route("/helpdesk/accounts/{id}/{action}", post(act))
        .route("/helpdesk/inquiries", get(queue))
        .route("/helpdesk/inquiries/{id}", get(inquiry))
        .route("/helpdesk/inquiries/{id}/{action}", post(inquiry_act))
        .route("/helpdesk/files/{id}", get(file))
        .route("/helpdesk/operations", get(operations))
        .route(
            "/helpdesk/operations/maintenance/{id}/cancel",
            post(cancel_maintenance),
        )
        .route("/helpdesk/operations/{action}", post(operate))
}

// ---- cookie and session ----------------------------------------------------------------------

fn cookie_name(state: &AppState) -> &'static str {
    if state.config().is_https() {
        "__Secure-ccus_staff"
    } else {
        STAFF_COOKIE
    }
}

fn set_cookie(state: &AppState, value: &str, max_age: Option<u64>) -> HeaderValue {
    let mut s = format!(
        "{}={value}; Path=/helpdesk; HttpOnly; SameSite=Strict",
        cookie_name(state)
    );
    if let Some(m) = max_age {
        s.push_str(&format!("; Max-Age={m}"));
    }
    if state.config().is_https() {
        s.push_str("; Secure");
    }
    HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn staff_token(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let name = cookie_name(state);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|p| p.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// A signed-in staff member (second factor done, unless the path is the enrolment page).
struct StaffIn {
    session: StaffSession,
    token_hash: String,
}

impl FromRequestParts<AppState> for StaffIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let to_login = || Redirect::to("/helpdesk/login").into_response();
        let Some(token) = staff_token(state, &parts.headers) else {
            return Err(to_login());
        };
        let hash = token_hash(&token);
        let store = state.store();
        let Some(session) = store
            .staff_session(&hash)
            .await
            .map_err(|e| WebError::from(e).into_response())?
        else {
            return Err(to_login());
        };
        let now = state.clock().now();
        let cfg = &state.config().staff;
        if now >= session.last_seen_at.plus(cfg.idle_timeout)
            || now >= session.created_at.plus(cfg.absolute_timeout)
        {
            store
                .delete_staff_session(&hash)
                .await
                .map_err(|e| WebError::from(e).into_response())?;
            return Err(Redirect::to("/helpdesk/login?timeout=1").into_response());
        }
        if !session.mfa_done && session.staff.totp_enrolled {
            // A password-only session of someone who has since enrolled: it may never see
            // or confirm the secret, so it ends here.
            store
                .delete_staff_session(&hash)
                .await
                .map_err(|e| WebError::from(e).into_response())?;
            return Err(to_login());
        }
        if !session.mfa_done && parts.uri.path() != "/helpdesk/enroll" {
            return Err(Redirect::to("/helpdesk/enroll").into_response());
        }
        // A password someone else chose is replaced before any work.
        if session.mfa_done
            && session.staff.must_change_password
            && parts.uri.path() != "/helpdesk/password"
        {
            return Err(Redirect::to("/helpdesk/password").into_response());
        }
        if now >= session.last_seen_at.plus(TOUCH_INTERVAL) {
            store
                .touch_staff_session(&hash, now)
                .await
                .map_err(|e| WebError::from(e).into_response())?;
        }
        Ok(StaffIn {
            session,
            token_hash: hash,
        })
    }
}

fn secret_box(state: &AppState) -> WebResult<SecretBox> {
    SecretBox::from_config(&state.config().staff.totp_key).ok_or_else(|| {
        WebError::Unavailable(
            "staff.totp_key is not configured; the helpdesk console is closed".into(),
        )
    })
}

/// The frame of a console page before sign-in completes: staff header and footer, no menu.
fn staff_chrome(title: &str) -> Chrome {
    Chrome {
        staff_area: true,
        ..Chrome::titled(format!("{title}｜ヘルプデスク"))
    }
}

impl StaffIn {
    /// The frame of a console page for this staff member: name, menu and ログアウト.
    fn chrome(&self, title: &str, csrf: &str) -> Chrome {
        let s = &self.session.staff;
        Chrome {
            staff: Some(StaffNav {
                name: s.name.clone(),
                staff_id: s.staff_id.clone(),
                supervisor: s.role == StaffRole::Supervisor,
                csrf_token: csrf.to_owned(),
            }),
            ..staff_chrome(title)
        }
    }
}

// ---- login ----------------------------------------------------------------------------------

fn login_page(csrf: String) -> FormPage {
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
struct TimeoutQuery {
    timeout: String,
}

async fn login_form(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    secret_box(&state)?;
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
struct LoginForm {
    csrf_token: String,
    staff_id: String,
    password: String,
    code: String,
}

fn staff_key(staff_id: &str) -> String {
    format!("staff:{staff_id}")
}

/// Counts one failed second factor under the staff member's lockout.
async fn count_failure(state: &AppState, key: &str) -> WebResult<Option<ccus_domain::Timestamp>> {
    let now = state.clock().now();
    Ok(
        match state
            .store()
            .begin_attempt(key, state.policy(), now)
            .await?
        {
            ccus_domain::AttemptDecision::Locked { until } => Some(until),
            ccus_domain::AttemptDecision::Proceed { locks_until, .. } => locks_until,
        },
    )
}

fn locked_page(mut page: FormPage, until: ccus_domain::Timestamp) -> WebResult<Response> {
    page.notice = Some(super::portal::locked_notice(until));
    html(StatusCode::LOCKED, &page)
}

async fn login(
    State(state): State<AppState>,
    Client(client): Client,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    HtmlForm(form): HtmlForm<LoginForm>,
) -> WebResult<Response> {
    check_csrf(&state, csrf_cookie.as_deref(), &form.csrf_token)?;
    let sbox = secret_box(&state)?;
    let mut page = login_page(csrf);
    let staff_id = ccus_domain::input::nfkc(form.staff_id.trim()).to_uppercase();
    page.fields[0].value = staff_id.chars().take(32).collect();
    let wrong = |mut page: FormPage| {
        page.notice = Some(Notice::new(
            "error",
            "職員ID、パスワードまたは確認コードが違います",
        ));
        let mut resp = html(StatusCode::UNAUTHORIZED, &page)?;
        resp.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Form realm=\"CCUS helpdesk\""),
        );
        Ok::<Response, WebError>(resp)
    };
    // Staff IDs have one shape; anything else is not counted (it cannot be anyone's).
    let well_formed = staff_id.len() == 8
        && staff_id.starts_with('S')
        && staff_id[1..].bytes().all(|b| b.is_ascii_digit());
    let Ok(password) = Password::parse(&form.password) else {
        return wrong(page);
    };
    if !well_formed {
        return wrong(page);
    }
    // One address cannot spray passwords across many staff IDs.
    let limits = &state.config().lockout;
    let address_key = format!("staff-login:{}", address_bucket(&client.address));
    let now0 = state.clock().now();
    if state
        .store()
        .hit_window(&address_key, limits.address_window, now0)
        .await?
        > limits.address_limit
    {
        tracing::warn!(address = %client.address, "staff login refused: too many attempts from this address");
        page.notice = Some(Notice::new(
            "error",
            "ログインの試行回数が多すぎます。しばらく時間をおいてから、再度お試しください。",
        ));
        return html(StatusCode::TOO_MANY_REQUESTS, &page);
    }
    let key = staff_key(&staff_id);
    let staff = state.store().staff_by_staff_id(&staff_id).await?;
    // The password is only the first factor: the attempt stays counted until the code passes.
    let stored = staff.as_ref().map(|s| s.password_hash.clone());
    let (ticket, locks_until) = match check_first_factor(&state, &key, password, stored).await? {
        FirstFactor::Refused(Check::Locked { until }) => return locked_page(page, until),
        FirstFactor::Refused(Check::Failed {
            locks_until: Some(until),
        }) => return locked_page(page, until),
        FirstFactor::Refused(_) => return wrong(page),
        FirstFactor::Matched {
            ticket,
            locks_until,
        } => (ticket, locks_until),
    };
    let Some(staff) = staff else {
        return wrong(page);
    };
    let now = state.clock().now();
    if staff.totp_enrolled {
        let secret = staff
            .totp_secret
            .as_deref()
            .and_then(|s| sbox.open(s, &staff.staff_id))
            .ok_or_else(|| {
                WebError::Internal(
                    "a staff TOTP secret cannot be opened (wrong staff.totp_key?)".into(),
                )
            })?;
        let step = totp::verify(&secret, &form.code, now, None);
        let fresh = match step {
            Some(s) => state.store().use_totp_step(staff.id, s).await?,
            None => false,
        };
        if !fresh {
            if let Some(until) = locks_until {
                return locked_page(page, until);
            }
            return wrong(page);
        }
    }
    state
        .store()
        .settle_success(&key, state.policy(), ticket)
        .await?;
    let token = random_token();
    state
        .store()
        .create_staff_session(&token_hash(&token), staff.id, staff.totp_enrolled, now)
        .await?;
    tracing::info!(staff = %staff.staff_id, address = %client.address, "staff login");
    let mut tx = state.store().begin().await?;
    tx.audit(
        staff.id,
        "login",
        None,
        "",
        &format!(
            "{} {}",
            client.address,
            ccus_domain::access::browser_label(&client.user_agent)
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    let target = if staff.totp_enrolled {
        "/helpdesk"
    } else {
        "/helpdesk/enroll"
    };
    let mut resp = Redirect::to(target).into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, set_cookie(&state, &token, None));
    Ok(resp)
}

// ---- enrolment ------------------------------------------------------------------------------

fn qr_svg(data: &str) -> WebResult<String> {
    let code =
        qrcode::QrCode::new(data.as_bytes()).map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .build())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EnrollQuery {
    wrong: String,
}

async fn enroll_form(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    if staff.session.mfa_done || staff.session.staff.totp_enrolled {
        return Ok(Redirect::to("/helpdesk").into_response());
    }
    let wrong = lenient_query::<EnrollQuery>(&uri).wrong == "1";
    let sbox = secret_box(&state)?;
    let s = &staff.session.staff;
    // One secret until it is confirmed; reloading the page shows the same one.
    let secret = match s
        .totp_secret
        .as_deref()
        .and_then(|t| sbox.open(t, &s.staff_id))
    {
        Some(secret) => secret,
        None => {
            let secret = totp::generate_secret();
            let sealed = sbox
                .seal(&secret, &s.staff_id)
                .ok_or_else(|| WebError::Internal("cannot encrypt a TOTP secret".into()))?;
            state.store().set_staff_totp(s.id, &sealed, false).await?;
            secret
        }
    };
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
    Ok(super::token_page(html(StatusCode::OK, &page)?))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CodeForm {
    csrf_token: String,
    code: String,
}

async fn enroll(
    State(state): State<AppState>,
    staff: StaffIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    HtmlForm(form): HtmlForm<CodeForm>,
) -> WebResult<Response> {
    check_csrf(&state, csrf_cookie.as_deref(), &form.csrf_token)?;
    if staff.session.staff.totp_enrolled {
        return Ok(Redirect::to("/helpdesk").into_response());
    }
    let sbox = secret_box(&state)?;
    let s = &staff.session.staff;
    let secret = s
        .totp_secret
        .as_deref()
        .and_then(|t| sbox.open(t, &s.staff_id))
        .ok_or_else(|| WebError::BadRequest {
            status: StatusCode::BAD_REQUEST,
            detail: "no secret to confirm".into(),
        })?;
    let now = state.clock().now();
    let ok = match totp::verify(&secret, &form.code, now, None) {
        Some(step) => state.store().use_totp_step(s.id, step).await?,
        None => false,
    };
    if !ok {
        if let Some(until) = count_failure(&state, &staff_key(&s.staff_id)).await? {
            state
                .store()
                .delete_staff_session(&staff.token_hash)
                .await?;
            return locked_page(login_page(csrf), until);
        }
        return Ok(Redirect::to("/helpdesk/enroll?wrong=1").into_response());
    }
    let sealed = s.totp_secret.clone().unwrap_or_default();
    state.store().set_staff_totp(s.id, &sealed, true).await?;
    state.store().complete_staff_mfa(&staff.token_hash).await?;
    // Any other password-only session of this person ends now.
    state.store().delete_unfinished_staff_sessions(s.id).await?;
    tracing::info!(staff = %s.staff_id, "staff TOTP enrolled");
    Ok(Redirect::to("/helpdesk?enrolled=1").into_response())
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    HtmlForm(form): HtmlForm<CodeForm>,
) -> WebResult<Response> {
    check_csrf(&state, csrf_cookie.as_deref(), &form.csrf_token)?;
    if let Some(t) = staff_token(&state, &headers) {
        state.store().delete_staff_session(&token_hash(&t)).await?;
    }
    let mut resp = Redirect::to("/helpdesk/login").into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, set_cookie(&state, "", Some(0)));
    Ok(resp)
}

// ---- console --------------------------------------------------------------------------------

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HomeQuery {
    login_id: String,
    name: String,
    birth_date: String,
    employer: String,
    email: String,
    enrolled: String,
}

async fn home(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: HomeQuery = lenient_query(&uri);
    let birth = if q.birth_date.trim().is_empty() {
        String::new()
    } else {
        ccus_domain::profile::parse_birth_date(&q.birth_date)
            .map(ccus_domain::profile::format_date)
            .unwrap_or_else(|| "invalid".into())
    };
    let lookup = Lookup {
        name: q.name.clone(),
        birth_date: birth,
        employer: q.employer.clone(),
        email: q.email.clone(),
    };
    let by_id = !q.login_id.trim().is_empty();
    let searched = by_id
        || !(q.name.trim().is_empty()
            && q.birth_date.trim().is_empty()
            && q.employer.trim().is_empty()
            && q.email.trim().is_empty());
    let mut notice =
        (q.enrolled == "1").then(|| Notice::new("success", "確認コードの設定が完了しました。"));
    let results = if by_id {
        // An ID is exact: typed however (full-width, spaces), checked by its check digit.
        match ccus_domain::LoginId::parse(&q.login_id) {
            Ok(id) => state
                .store()
                .account_by_login_id(&id)
                .await?
                .into_iter()
                .collect(),
            Err(e) => {
                let why = match e {
                    ccus_domain::LoginIdError::CheckDigit => {
                        "14桁ですが、確認用の数字が合いません。1桁の打ち間違いか、隣り合う数字の入れ替わりがあります"
                    }
                    _ => "IDは14桁の数字です",
                };
                notice = Some(Notice::new(
                    "error",
                    format!("IDを確認してください。{why}。"),
                ));
                Vec::new()
            }
        }
    } else if searched {
        state.store().find_accounts(&lookup, 50).await?
    } else {
        Vec::new()
    };
    let page = HelpdeskHomePage {
        chrome: staff.chrome("アカウント検索", &csrf),
        notice,
        q_login_id: q.login_id,
        q_name: q.name,
        q_birth: q.birth_date,
        q_employer: q.employer,
        q_email: q.email,
        searched,
        results: results
            .into_iter()
            .map(|a| LookupRow {
                id: a.id,
                login_id: a.login_id.grouped(),
                kind: a.kind().label_ja(),
                name: a.name,
                furigana: a.profile.furigana,
                birth_date: a.profile.birth_date.unwrap_or_default(),
            })
            .collect(),
        csrf_token: csrf,
    };
    html(StatusCode::OK, &page)
}

const ACTIONS: &[StaffAction] = &[
    StaffAction { path: "send-id", title: "IDを登録メールアドレスへ送る", help: "IDは画面や電話では伝えず、登録メールアドレスへお送りします。" },
    StaffAction { path: "unlock", title: "ロックを解除する", help: "本人からの依頼を確認したうえで解除します。" },
    StaffAction { path: "reset", title: "パスワード再設定メールを送る", help: "登録メールアドレスへ再設定用のリンクを送ります。" },
    StaffAction { path: "email", title: "登録メールアドレスを変更する", help: "監督者のみ。添付の本人確認書類を確認してから変更してください。新旧両方のアドレスにお知らせが届き、古いアドレスに送ったリンクは使えなくなります。" },
];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: String,
    /// The inquiry being handled, when the account was opened from it.
    inquiry: String,
}

/// The inquiry named by `?inquiry=` / the `inquiry` form field, if it exists.
async fn inquiry_context(state: &AppState, id: &str) -> WebResult<Option<InquiryContext>> {
    let Ok(id) = id.trim().parse::<i64>() else {
        return Ok(None);
    };
    Ok(state.store().inquiry(id).await?.map(|q| InquiryContext {
        id: q.id,
        receipt: q.receipt,
    }))
}

async fn load_account(state: &AppState, id: &str) -> WebResult<ccus_storage::Account> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    state
        .store()
        .account_by_id(id)
        .await?
        .ok_or(WebError::NotFound)
}

async fn account(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<String>,
    uri: Uri,
) -> WebResult<Response> {
    let a = load_account(&state, &id).await?;
    let now = state.clock().now();
    let guard = state.store().guard_state(a.login_id.as_str()).await?;
    let lock = match guard.locked_until {
        Some(u) if u > now && u == ccus_domain::lockout::LOCKED_FOREVER => {
            "ロック中（解除されるまで）".to_owned()
        }
        Some(u) if u > now => format!("ロック中（{} まで）", u.jst_not_before()),
        _ => format!("なし（連続失敗 {} 回）", guard.consecutive),
    };
    // The owner's own browsers count on their own; a lock there is shown too.
    let devices = state.store().device_locks(&a.login_id, now).await?;
    let lock = match devices.latest_until {
        Some(until) if devices.count > 0 => format!(
            "{lock}。本人がログインしたことのあるブラウザ {} 台がロック中（{} まで）",
            devices.count,
            if until == ccus_domain::lockout::LOCKED_FOREVER {
                "解除されるまで".to_owned()
            } else {
                until.jst_not_before()
            }
        ),
        _ => lock,
    };
    let employer = match a.profile.employer_id {
        Some(e) => state
            .store()
            .account_by_id(e)
            .await?
            .map(|e| format!("{}（{}）", e.name, e.login_id.grouped()))
            .unwrap_or_default(),
        None => String::new(),
    };
    let history = state
        .store()
        .access_history(&a, 0, 10)
        .await?
        .into_iter()
        .map(|e| {
            format!(
                "{} {}（{}）",
                e.at.jst(),
                e.kind.label_ja(),
                e.client_address
            )
        })
        .collect();
    let done: DoneQuery = lenient_query(&uri);
    let notice = ACTIONS
        .iter()
        .find(|x| x.path == done.done)
        .map(|x| Notice::new("success", format!("「{}」を行いました。", x.title)));
    let page = HelpdeskAccountPage {
        chrome: staff.chrome(&a.name, &csrf),
        notice,
        id: a.id,
        kind: a.kind().label_ja(),
        login_id: a.login_id.grouped(),
        furigana: a.profile.furigana.clone(),
        birth_date: a.profile.birth_date.clone().unwrap_or_default(),
        employer,
        email: a.email.clone(),
        name: a.name.clone(),
        lock,
        actions: ACTIONS.to_vec(),
        history,
        csrf_token: csrf,
        inquiry: inquiry_context(&state, &done.inquiry).await?,
    };
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActionForm {
    csrf_token: String,
    reason: String,
    new_email: String,
    inquiry: String,
}

async fn act(
    State(state): State<AppState>,
    staff: StaffIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    Path((id, action)): Path<(String, String)>,
    HtmlForm(form): HtmlForm<ActionForm>,
) -> WebResult<Response> {
    check_csrf(&state, csrf_cookie.as_deref(), &form.csrf_token)?;
    let a = load_account(&state, &id).await?;
    let reason: String = form
        .reason
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(500)
        .collect();
    let back = |m: &str| {
        let page = MessagePage {
            chrome: staff_chrome("入力してください"),
            heading: "入力内容をご確認ください".into(),
            notice: Some(Notice::new("error", m.to_owned())),
            lines: vec![],
            links: vec![Link::new(
                format!("/helpdesk/accounts/{}", a.id),
                "アカウントに戻る",
            )],
        };
        html(StatusCode::UNPROCESSABLE_ENTITY, &page)
    };
    if reason.is_empty() {
        return back("理由（お問い合わせ番号、確認した書類など）を入力してください。");
    }
    let s = &staff.session.staff;
    let now = state.clock().now();
    let client = ClientInfo {
        address: "helpdesk".into(),
        user_agent: format!("ヘルプデスク {}", s.staff_id),
    };
    let mut tx = state.store().begin().await?;
    let detail = match action.as_str() {
        "send-id" => {
            tx.enqueue_mail(
                &mails::id_reminder(&state, &a.email, std::slice::from_ref(&a)),
                now,
            )
            .await?;
            tx.record_event(&a.login_id, AccessEventKind::HelpdeskIdSent, &client, now)
                .await?;
            format!("ID sent to {}", a.email)
        }
        "unlock" => {
            let lifted = crate::unlock::lift(
                &mut tx,
                &a.login_id,
                crate::unlock::UnlockBy::Helpdesk,
                &client,
                now,
            )
            .await?;
            format!(
                "lock lifted (ID locked: {}, own browsers locked: {})",
                lifted.id_was_locked, lifted.devices_were_locked
            )
        }
        "reset" => {
            let token = random_token();
            let expires = now.plus(state.config().recovery.token_ttl);
            tx.create_token(
                &token_hash(&token),
                TokenPurpose::Reset,
                a.id,
                None,
                now,
                expires,
            )
            .await?;
            tx.enqueue_mail(
                &mails::reset_link_from_helpdesk(&state, &a, &token, now),
                now,
            )
            .await?;
            tx.record_event(
                &a.login_id,
                AccessEventKind::HelpdeskResetSent,
                &client,
                now,
            )
            .await?;
            format!("reset link sent to {}", a.email)
        }
        "email" => {
            // Separation of duties: changing where recovery mail goes is for supervisors, so
            // no single operator can redirect an account's mail and then send it a reset link.
            if s.role != StaffRole::Supervisor {
                drop(tx);
                return Err(WebError::Forbidden(
                    "changing a registered email is for supervisors",
                ));
            }
            let new_email = form.new_email.trim().to_owned();
            if !valid_email(&new_email) {
                drop(tx);
                return back("新しいメールアドレスの形式をご確認ください。");
            }
            tx.set_email(a.id, &new_email, now).await?;
            // Links already sent to the old address stop working.
            tx.void_tokens(a.id, now).await?;
            tx.record_event(
                &a.login_id,
                AccessEventKind::HelpdeskEmailChanged,
                &client,
                now,
            )
            .await?;
            // Both addresses are told: the old one in case this was not the owner's wish.
            tx.enqueue_mail(
                &mails::email_changed(&state, &a, &a.email, &client, now),
                now,
            )
            .await?;
            tx.enqueue_mail(
                &mails::email_changed(&state, &a, &new_email, &client, now),
                now,
            )
            .await?;
            format!("email {} -> {}", a.email, new_email)
        }
        _ => return Err(WebError::NotFound),
    };
    tx.audit(s.id, &action, Some(a.id), &reason, &detail, now)
        .await?;
    tx.commit().await?;
    state.wake_mail();
    tracing::info!(staff = %s.staff_id, account = a.id, action = %action, "helpdesk action");
    let back_to = match form.inquiry.trim().parse::<i64>() {
        Ok(q) => format!("/helpdesk/accounts/{}?done={action}&inquiry={q}", a.id),
        Err(_) => format!("/helpdesk/accounts/{}?done={action}", a.id),
    };
    Ok(Redirect::to(&back_to).into_response())
}

async fn audit(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
) -> WebResult<Response> {
    if staff.session.staff.role != StaffRole::Supervisor {
        return Err(WebError::Forbidden("the audit log is for supervisors"));
    }
    let entries = state
        .store()
        .audit_log(200)
        .await?
        .into_iter()
        .map(|e| AuditRow {
            at: e.at.jst_seconds(),
            staff: format!("{}（{}）", e.staff_name, e.staff_id),
            action: ccus_domain::audit::action_label(&e.action).to_owned(),
            account: e.account_login_id.unwrap_or_default(),
            reason: e.reason,
            detail: e.detail,
        })
        .collect();
    html(
        StatusCode::OK,
        &HelpdeskAuditPage {
            chrome: staff.chrome("操作記録", &csrf),
            entries,
        },
    )
}

/// Creates a staff account; returns its staff ID and initial password.
pub async fn create_staff(
    state: &AppState,
    name: &str,
    email: &str,
    role: StaffRole,
    password: Option<String>,
) -> WebResult<(String, Option<String>)> {
    use rand::Rng;
    let (password, generated) = match password {
        Some(p) => (
            Password::parse(&p).map_err(|e| WebError::Internal(e.to_string()))?,
            false,
        ),
        None => (Password::generate_initial(&mut rand::thread_rng()), true),
    };
    let hash = state.hasher().hash(password.clone()).await?;
    for _ in 0..10 {
        let staff_id = format!("S{:07}", rand::thread_rng().gen_range(0..10_000_000u32));
        let new = ccus_storage::NewStaff {
            staff_id: staff_id.clone(),
            name: name.to_owned(),
            email: email.to_owned(),
            role,
            password_hash: hash.clone(),
            must_change_password: generated,
        };
        match state.store().create_staff(&new, state.clock().now()).await {
            Ok(_) => return Ok((staff_id, generated.then(|| password.expose().to_owned()))),
            Err(ccus_storage::StoreError::Conflict) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(WebError::Internal("could not find a free staff ID".into()))
}

// ---- inquiries ------------------------------------------------------------------------------

fn today(state: &AppState) -> String {
    ccus_domain::calendar::jst_datetime(state.clock().now())
        .map(|d| ccus_domain::profile::format_date(d.date()))
        .unwrap_or_default()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct QueueQuery {
    status: String,
}

async fn queue(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: QueueQuery = lenient_query(&uri);
    let status = InquiryStatus::parse(&q.status);
    let today = today(&state);
    let rows = state
        .store()
        .inquiries(status, 200)
        .await?
        .into_iter()
        .map(|i| QueueRow {
            id: i.id,
            overdue: i.status != InquiryStatus::Done && i.due_date < today,
            receipt: i.receipt,
            received: i.received_at.jst(),
            due: i.due_date,
            category: i.category,
            name: i.name,
            status: i.status.label_ja(),
            assignee: i.assignee.unwrap_or_default(),
        })
        .collect();
    let mut filters = vec![(String::new(), "未完了")];
    filters.extend(
        InquiryStatus::ALL
            .iter()
            .map(|s| (format!("?status={}", s.as_str()), s.label_ja())),
    );
    html(
        StatusCode::OK,
        &HelpdeskQueuePage {
            chrome: staff.chrome("お問い合わせ一覧", &csrf),
            filters,
            rows,
        },
    )
}

async fn load_inquiry(state: &AppState, id: &str) -> WebResult<ccus_storage::Inquiry> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    state.store().inquiry(id).await?.ok_or(WebError::NotFound)
}

async fn inquiry(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<String>,
    uri: Uri,
) -> WebResult<Response> {
    let q = load_inquiry(&state, &id).await?;
    let files = state
        .store()
        .inquiry_files(q.id)
        .await?
        .into_iter()
        .map(|f| {
            (
                f.id,
                f.original_name,
                format!("{} KB", f.size.div_ceil(1024)),
            )
        })
        .collect();
    // Candidates: by フリガナ (or name) and birth date, then by email.
    let mut candidates = state
        .store()
        .find_accounts(
            &Lookup {
                name: if q.furigana.is_empty() {
                    q.name.clone()
                } else {
                    q.furigana.clone()
                },
                birth_date: q.birth_date.clone(),
                ..Default::default()
            },
            10,
        )
        .await?;
    for a in state
        .store()
        .find_accounts(
            &Lookup {
                email: q.email.clone(),
                ..Default::default()
            },
            10,
        )
        .await?
    {
        if !candidates.iter().any(|c| c.id == a.id) {
            candidates.push(a);
        }
    }
    if let Ok(id) = ccus_domain::LoginId::parse(&q.login_id) {
        if let Some(a) = state.store().account_by_login_id(&id).await? {
            if !candidates.iter().any(|c| c.id == a.id) {
                candidates.insert(0, a);
            }
        }
    }
    let notes = state
        .store()
        .inquiry_notes(q.id)
        .await?
        .into_iter()
        .map(|n| {
            format!(
                "{} {}（{}）: {}",
                n.at.jst(),
                if n.kind == "reply" {
                    "回答"
                } else {
                    "メモ"
                },
                n.staff,
                n.body
            )
        })
        .collect();
    let done: DoneQuery = lenient_query(&uri);
    let notice = match done.done.as_str() {
        "reply" => Some(Notice::new("success", "回答を送りました。")),
        "note" => Some(Notice::new("success", "メモを残しました。")),
        "status" => Some(Notice::new("success", "状態を変更しました。")),
        _ => None,
    };
    let page = HelpdeskInquiryPage {
        chrome: staff.chrome(&q.receipt, &csrf),
        notice,
        status: q.status.label_ja(),
        current_status: q.status.as_str(),
        statuses: InquiryStatus::ALL
            .iter()
            .map(|s| (s.as_str(), s.label_ja()))
            .collect(),
        received: q.received_at.jst(),
        overdue: q.status != InquiryStatus::Done && q.due_date < today(&state),
        assignee: q.assignee.clone().unwrap_or_else(|| "未割り当て".into()),
        files,
        candidates: candidates
            .into_iter()
            .map(|a| LookupRow {
                id: a.id,
                login_id: a.login_id.grouped(),
                kind: a.kind().label_ja(),
                name: a.name,
                furigana: a.profile.furigana,
                birth_date: a.profile.birth_date.unwrap_or_default(),
            })
            .collect(),
        notes,
        q,
        csrf_token: csrf,
    };
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct InquiryActionForm {
    csrf_token: String,
    status: String,
    body: String,
}

async fn inquiry_act(
    State(state): State<AppState>,
    staff: StaffIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    Path((id, action)): Path<(String, String)>,
    HtmlForm(form): HtmlForm<InquiryActionForm>,
) -> WebResult<Response> {
    check_csrf(&state, csrf_cookie.as_deref(), &form.csrf_token)?;
    let q = load_inquiry(&state, &id).await?;
    let s = &staff.session.staff;
    let now = state.clock().now();
    let body: String = form
        .body
        .trim()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(8000)
        .collect();
    let reason = format!("inquiry {}", q.receipt);
    let mut tx = state.store().begin().await?;
    match action.as_str() {
        "status" => {
            let status = InquiryStatus::parse(&form.status).ok_or(WebError::BadRequest {
                status: StatusCode::BAD_REQUEST,
                detail: "status".into(),
            })?;
            tx.set_inquiry_status(q.id, status, Some(s.id), now).await?;
            tx.audit(s.id, "inquiry-status", None, &reason, status.as_str(), now)
                .await?;
        }
        "note" | "reply" if body.is_empty() => {
            drop(tx);
            return Ok(Redirect::to(&format!("/helpdesk/inquiries/{}", q.id)).into_response());
        }
        "note" => {
            tx.add_inquiry_note(q.id, s.id, "note", &body, now).await?;
            tx.audit(s.id, "inquiry-note", None, &reason, "", now)
                .await?;
        }
        "reply" => {
            tx.add_inquiry_note(q.id, s.id, "reply", &body, now).await?;
            tx.enqueue_mail(&mails::inquiry_reply(&q.email, &q.receipt, &body), now)
                .await?;
            if q.status == InquiryStatus::New || q.status == InquiryStatus::InProgress {
                tx.set_inquiry_status(q.id, InquiryStatus::Waiting, Some(s.id), now)
                    .await?;
            }
            tx.audit(
                s.id,
                "inquiry-reply",
                None,
                &reason,
                &format!("reply to {}", q.email),
                now,
            )
            .await?;
        }
        _ => return Err(WebError::NotFound),
    }
    tx.commit().await?;
    state.wake_mail();
    Ok(Redirect::to(&format!("/helpdesk/inquiries/{}?done={action}", q.id)).into_response())
}

/// An attachment, for staff only: always a download, never shown inline.
async fn file(
    State(state): State<AppState>,
    staff: StaffIn,
    Path(id): Path<String>,
) -> WebResult<Response> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let f = state
        .store()
        .inquiry_file(id)
        .await?
        .ok_or(WebError::NotFound)?;
    let store = crate::attachments::FileStore::new(&state.config().inquiry.attachments_dir);
    let bytes = store
        .read(&f.stored_name)
        .map_err(|e| WebError::Internal(format!("attachment {}: {e}", f.stored_name)))?;
    let content_type = crate::attachments::FileType::from_content_type(&f.content_type)
        .map(|t| t.content_type())
        .unwrap_or("application/octet-stream");
    let mut tx = state.store().begin().await?;
    tx.audit(
        staff.session.staff.id,
        "file-download",
        None,
        &format!("inquiry file {}", f.id),
        &f.original_name,
        state.clock().now(),
    )
    .await?;
    tx.commit().await?;
    let disposition =
        HeaderValue::from_str(&crate::attachments::content_disposition(&f.original_name))
            .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

// ---- operations (supervisors) ---------------------------------------------------------------

fn supervisor_only(staff: &StaffIn) -> WebResult<()> {
    if staff.session.staff.role == StaffRole::Supervisor {
        Ok(())
    } else {
        Err(WebError::Forbidden("operations are for supervisors"))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OpsQuery {
    done: String,
    error: String,
}

async fn operations(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    supervisor_only(&staff)?;
    let q: OpsQuery = lenient_query(&uri);
    let now = state.clock().now();
    let windows = state
        .store()
        .upcoming_maintenance(now)
        .await?
        .into_iter()
        .map(|w| {
            (
                w.id,
                format!(
                    "{} 〜 {}{}",
                    w.starts_at.jst(),
                    w.ends_at.jst(),
                    if w.is_active(now) {
                        "（実施中）"
                    } else {
                        ""
                    }
                ),
                w.message,
            )
        })
        .collect();
    let notice = if !q.error.is_empty() {
        Some(Notice::new(
            "error",
            q.error.chars().take(300).collect::<String>(),
        ))
    } else {
        match q.done.as_str() {
            "maintenance" => Some(Notice::new(
                "success",
                "メンテナンスを予定し、お知らせに掲載しました。",
            )),
            "cancel" => Some(Notice::new("success", "メンテナンスを取り消しました。")),
            "notice" => Some(Notice::new("success", "お知らせを掲載しました。")),
            "faq" => Some(Notice::new("success", "よくある質問を追加しました。")),
            _ => None,
        }
    };
    let page = HelpdeskOperationsPage {
        chrome: staff.chrome("運用", &csrf),
        notice,
        windows,
        announce_hours: state.config().maintenance.announce_before.as_secs() / 3600,
        csrf_token: csrf,
    };
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OpsForm {
    csrf_token: String,
    from: String,
    to: String,
    message: String,
    title: String,
    body: String,
    category: String,
    question: String,
    answer: String,
}

fn ops_redirect(query: &str) -> Response {
    Redirect::to(&format!("/helpdesk/operations?{query}")).into_response()
}

async fn operate(
    State(state): State<AppState>,
    staff: StaffIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    Path(action): Path<String>,
    HtmlForm(form): HtmlForm<OpsForm>,
) -> WebResult<Response> {
    check_csrf(&state, csrf_cookie.as_deref(), &form.csrf_token)?;
    supervisor_only(&staff)?;
    let s = &staff.session.staff;
    let now = state.clock().now();
    let refuse = |m: &str| {
        Ok(ops_redirect(&format!(
            "error={}",
            crate::session::percent_encode(m)
        )))
    };
    // The change and its audit entry are one transaction.
    let mut tx = state.store().begin().await?;
    let (done, detail) = match action.as_str() {
        "maintenance" => {
            let plan = match crate::operations::plan_maintenance(
                &state,
                &form.from,
                &form.to,
                &form.message,
            ) {
                Ok(p) => p,
                Err(crate::operations::OperationError::Invalid(m)) => return refuse(&m),
                Err(crate::operations::OperationError::Web(e)) => return Err(e),
            };
            let id = tx
                .schedule_maintenance(&plan.window, &plan.title, &plan.body, now)
                .await?;
            (
                "maintenance",
                format!(
                    "window {id} {} - {}",
                    plan.window.starts_at.jst(),
                    plan.window.ends_at.jst()
                ),
            )
        }
        "notice" => {
            let (title, body) = (form.title.trim(), form.body.trim());
            if title.is_empty() || body.is_empty() {
                return refuse("題名と本文を入力してください。");
            }
            let id = tx.publish_notice(title, body, now).await?;
            ("notice", format!("notice {id}: {title}"))
        }
        "faq" => {
            let (c, q, a) = (
                form.category.trim(),
                form.question.trim(),
                form.answer.trim(),
            );
            if c.is_empty() || q.is_empty() || a.is_empty() {
                return refuse("分類・質問・答えを入力してください。");
            }
            let id = tx.add_faq(c, q, a).await?;
            ("faq", format!("faq {id}: {q}"))
        }
        _ => return Err(WebError::NotFound),
    };
    tx.audit(
        s.id,
        &format!("operations-{done}"),
        None,
        "operations",
        &detail,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(ops_redirect(&format!("done={done}")))
}

async fn cancel_maintenance(
    State(state): State<AppState>,
    staff: StaffIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    Path(id): Path<String>,
    HtmlForm(form): HtmlForm<CodeForm>,
) -> WebResult<Response> {
    check_csrf(&state, csrf_cookie.as_deref(), &form.csrf_token)?;
    supervisor_only(&staff)?;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let now = state.clock().now();
    let mut tx = state.store().begin().await?;
    if !tx.cancel_maintenance(id, now).await? {
        return Err(WebError::NotFound);
    }
    tx.audit(
        staff.session.staff.id,
        "operations-cancel",
        None,
        "operations",
        &format!("window {id}"),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(ops_redirect("done=cancel"))
}

// ---- the first password of one's own ------------------------------------------------------------

fn password_page(csrf: String) -> FormPage {
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

async fn password_form(staff: StaffIn, CsrfToken(csrf): CsrfToken) -> WebResult<Response> {
    if !staff.session.staff.must_change_password {
        return Ok(Redirect::to("/helpdesk").into_response());
    }
    html(StatusCode::OK, &password_page(csrf))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewPasswordForm {
    csrf_token: String,
    password: String,
    password_confirm: String,
}

async fn set_password(
    State(state): State<AppState>,
    staff: StaffIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    HtmlForm(form): HtmlForm<NewPasswordForm>,
) -> WebResult<Response> {
    check_csrf(&state, csrf_cookie.as_deref(), &form.csrf_token)?;
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
    let Some(password) = super::recovery::validate_new_password(
        &mut page,
        &form.password,
        &form.password_confirm,
        &ctx,
    ) else {
        return html(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let hash = state.hasher().hash(password).await?;
    state.store().set_staff_password(s.id, &hash).await?;
    let now = state.clock().now();
    let mut tx = state.store().begin().await?;
    tx.audit(
        s.id,
        "password-set",
        None,
        "",
        "initial password replaced",
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/helpdesk").into_response())
}
