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
use axum::Router;
use ccus_domain::totp;
use ccus_storage::{InquiryStatus, Lookup, StaffRole, StaffSession};
use serde::Deserialize;

use super::{html, lenient_query, CheckedForm};
use crate::error::{WebError, WebResult};
use crate::security::token_hash;
use crate::session::{Client, CsrfToken, TOUCH_INTERVAL};
use crate::views::{
    AuditRow, Chrome, Field, FormPage, HelpdeskAccountPage, HelpdeskAuditPage, HelpdeskEnrollPage,
    HelpdeskHomePage, HelpdeskInquiryPage, HelpdeskOperationsPage, HelpdeskQueuePage,
    InquiryContext, Link, LookupRow, MessagePage, Notice, QueueRow, StaffAction, StaffNav,
};
use crate::AppState;
use ccus_app::helpdesk::{self, AccountAction, ActionOutcome, InquiryAction};
use ccus_app::operations::{self, Operation, OperationError, OperationOutcome, Operator};
use ccus_app::staff::{self, Enrolment, StaffLogin};

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
struct LoginForm {
    csrf_token: String,
    staff_id: String,
    password: String,
    code: String,
}

/// Counts one failed second factor under the staff member's lockout.
fn locked_page(mut page: FormPage, until: ccus_domain::Timestamp) -> WebResult<Response> {
    page.notice = Some(super::portal::locked_notice(until));
    html(StatusCode::LOCKED, &page)
}

async fn login(
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

async fn logout(
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
    Path((id, action)): Path<(String, String)>,
    CheckedForm(form): CheckedForm<ActionForm>,
) -> WebResult<Response> {
    let a = load_account(&state, &id).await?;
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
    let act = match action.as_str() {
        "send-id" => AccountAction::SendId,
        "unlock" => AccountAction::Unlock,
        "reset" => AccountAction::SendReset,
        "email" => AccountAction::ChangeEmail {
            new_email: form.new_email.clone(),
        },
        _ => return Err(WebError::NotFound),
    };
    let s = &staff.session.staff;
    match helpdesk::act_on_account(&state, s, &a, act, &form.reason).await? {
        ActionOutcome::Done => {}
        ActionOutcome::NeedsReason => {
            return back("理由（お問い合わせ番号、確認した書類など）を入力してください。")
        }
        ActionOutcome::InvalidEmail => return back("新しいメールアドレスの形式をご確認ください。"),
        ActionOutcome::NotAllowed => {
            return Err(WebError::Forbidden(
                "changing a registered email is for supervisors",
            ))
        }
    }
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
    Path((id, action)): Path<(String, String)>,
    CheckedForm(form): CheckedForm<InquiryActionForm>,
) -> WebResult<Response> {
    let q = load_inquiry(&state, &id).await?;
    let act = match action.as_str() {
        "status" => InquiryAction::SetStatus(InquiryStatus::parse(&form.status).ok_or(
            WebError::BadRequest {
                status: StatusCode::BAD_REQUEST,
                detail: "status".into(),
            },
        )?),
        "note" => InquiryAction::Note(form.body),
        "reply" => InquiryAction::Reply(form.body),
        _ => return Err(WebError::NotFound),
    };
    if !helpdesk::act_on_inquiry(&state, &staff.session.staff, &q, act).await? {
        // An empty note or reply: nothing to do.
        return Ok(Redirect::to(&format!("/helpdesk/inquiries/{}", q.id)).into_response());
    }
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
    let store = ccus_app::attachments::FileStore::new(&state.config().inquiry.attachments_dir);
    let bytes = store
        .read(&f.stored_name)
        .map_err(|e| WebError::Internal(format!("attachment {}: {e}", f.stored_name)))?;
    let content_type = ccus_app::attachments::FileType::from_content_type(&f.content_type)
        .map(|t| t.content_type())
        .unwrap_or("application/octet-stream");
    helpdesk::record_download(&state, &staff.session.staff, &f).await?;
    let disposition = HeaderValue::from_str(&ccus_app::attachments::content_disposition(
        &f.original_name,
    ))
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
    Path(action): Path<String>,
    CheckedForm(form): CheckedForm<OpsForm>,
) -> WebResult<Response> {
    supervisor_only(&staff)?;
    let op = match action.as_str() {
        "maintenance" => Operation::ScheduleMaintenance {
            from: form.from,
            to: form.to,
            message: form.message,
        },
        "notice" => Operation::PublishNotice {
            title: form.title,
            body_md: form.body,
        },
        "faq" => Operation::AddFaq {
            category: form.category,
            question: form.question,
            answer_md: form.answer,
        },
        _ => return Err(WebError::NotFound),
    };
    operation_result(operations::run(&state, Operator::Staff(staff.session.staff.id), op).await)
}

async fn cancel_maintenance(
    State(state): State<AppState>,
    staff: StaffIn,
    Path(id): Path<String>,
    CheckedForm(_): CheckedForm<CodeForm>,
) -> WebResult<Response> {
    supervisor_only(&staff)?;
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    operation_result(
        operations::run(
            &state,
            Operator::Staff(staff.session.staff.id),
            Operation::CancelMaintenance { id },
        )
        .await,
    )
}

/// Back to the operations page with what happened, or why not.
fn operation_result(r: Result<OperationOutcome, OperationError>) -> WebResult<Response> {
    match r {
        Ok(done) => Ok(ops_redirect(&format!("done={}", done.code()))),
        Err(OperationError::Invalid(m)) => Ok(ops_redirect(&format!(
            "error={}",
            crate::session::percent_encode(&m)
        ))),
        Err(OperationError::NotFound(_)) => Err(WebError::NotFound),
        Err(OperationError::App(e)) => Err(e.into()),
    }
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
    let Some(password) = super::recovery::validate_new_password(
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
