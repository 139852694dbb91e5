//! 技能者登録の申請 at `/apply`: the application login (申請用ID by a mailed link), the
//! application form with 一時保存 and 申請, and the applicant's status page. No JavaScript is
//! needed; every check also runs on the server.

use std::collections::HashMap;

use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use ccus_domain::registration::{
    choice_label, ApplicationKind, Field, Status, GENDERS, INSURANCE, SOLE,
};
use ccus_storage::Applicant;
use serde::Deserialize;

use super::{html, lenient_query, token_page, CheckedForm, TokenQuery};
use crate::error::{WebError, WebResult};
use crate::session::{Client, CsrfToken, SignedIn};
use crate::views::{
    ApplicationPage, ApplicationRow, ApplyHomePage, ApplyItem, ApplyTopPage, Chrome, ConsentPage,
    FormPage, Link, MessagePage, Notice, ProxyPanel,
};
use crate::AppState;
use ccus_app::registration::{
    self, ApplicationView, ConfirmOutcome, LoginOutcome, SaveOutcome, StartOutcome,
};

/// The applicant's session cookie.
const APPLY_COOKIE: &str = "ccus_apply";

pub(super) fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/apply", get(top))
        .route("/apply/start", get(start_form).post(start))
        .route("/apply/confirm", get(confirm_form).post(confirm))
        .route("/apply/login", get(login_form).post(login))
        .route("/apply/logout", post(logout))
        .route("/apply/home", get(home))
        .route("/apply/new", post(new_application))
        .route("/apply/{id}", get(application).post(save))
        .route("/apply/{id}/withdraw", post(withdraw))
        .route("/apply/{id}/consent", post(ask_consent))
        .route("/apply/consent", get(consent_form).post(consent_answer))
        .route(
            &format!("/{}/proxy", ccus_domain::AccountKind::Business.portal()),
            get(proxy_top).post(proxy_start),
        )
        .route(
            "/apply/{id}/documents",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(
                usize::try_from(state.config().inquiry.max_file_bytes)
                    .unwrap_or(usize::MAX)
                    .saturating_add(64 * 1024),
            )),
        )
}

/// A signed-in applicant.
struct ApplicantIn(Applicant);

impl FromRequestParts<AppState> for ApplicantIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let to_login = || Redirect::to("/apply/login").into_response();
        let Some(token) = state.cookies().get(&parts.headers, APPLY_COOKIE) else {
            return Err(to_login());
        };
        match registration::resume(state, &token).await {
            Ok(Some(a)) => Ok(ApplicantIn(a)),
            Ok(None) => Err(Redirect::to("/apply/login?timeout=1").into_response()),
            Err(e) => Err(WebError::from(e).into_response()),
        }
    }
}

fn message(
    title: &str,
    notice: Option<Notice>,
    lines: Vec<String>,
    links: Vec<Link>,
) -> MessagePage {
    MessagePage {
        chrome: Chrome::titled(title),
        heading: title.to_owned(),
        notice,
        lines,
        links,
    }
}

async fn top() -> WebResult<Response> {
    html(
        StatusCode::OK,
        &ApplyTopPage {
            chrome: Chrome::titled("技能者登録の申請"),
        },
    )
}

fn start_page(csrf: String, email: &str) -> FormPage {
    FormPage {
        chrome: Chrome::titled("申請用IDの作成"),
        heading: "申請用IDの作成".into(),
        notice: None,
        intro: vec![
            "申請の連絡に使うメールアドレスを入力してください。確認のメールをお送りします。".into(),
            "メールのリンクから申請用のパスワードを決めると、申請用IDができあがります。".into(),
        ],
        action: "/apply/start".into(),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![
            crate::views::Field::new("email", "メールアドレス", "email", "email")
                .hint("例: taro@example.jp（携帯電話のメールアドレスも使えます）")
                .value(email),
        ],
        submit: "確認メールを送る".into(),
        links: vec![Link::new("/apply/login", "申請用IDをお持ちの方はこちら")],
        passkey: None,
    }
}

async fn start_form(CsrfToken(csrf): CsrfToken) -> WebResult<Response> {
    html(StatusCode::OK, &start_page(csrf, ""))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EmailForm {
    email: String,
}

async fn start(
    State(state): State<AppState>,
    Client(client): Client,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<EmailForm>,
) -> WebResult<Response> {
    match registration::start(&state, &form.email, &client, crate::i18n::lang()).await? {
        StartOutcome::InvalidEmail => {
            let mut page = start_page(csrf, form.email.trim());
            page.error(
                "email",
                "メールアドレスの形式が正しくありません。入力内容をご確認ください。",
            );
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        StartOutcome::TooMany => html(
            StatusCode::TOO_MANY_REQUESTS,
            &message(
                "しばらくお待ちください",
                Some(Notice::new("error", "短時間に多くの申請用IDの作成が試みられました")),
                vec!["しばらく時間をおいてから、もう一度お試しください。".into()],
                vec![],
            ),
        ),
        StartOutcome::Sent => html(
            StatusCode::OK,
            &message(
                "確認メールを送信しました",
                Some(Notice::new("success", "確認メールを送信しました").line(format!(
                    "{} 宛てのメールのリンクを開いて、申請用のパスワードを決めてください。",
                    form.email.trim()
                ))),
                vec![
                    "メールが届かない場合は、迷惑メールフォルダをご確認ください。すでに申請用IDがある場合は、その旨のメールが届きます。".into(),
                ],
                vec![Link::new("/apply", "技能者登録の申請のトップへ")],
            ),
        ),
    }
}

fn password_page(csrf: String, token: &str, email: &str) -> FormPage {
    FormPage {
        chrome: Chrome::titled("申請用パスワードの設定"),
        heading: "申請用パスワードの設定".into(),
        notice: None,
        intro: vec![format!(
            "申請用ID（{email}）のパスワードを決めてください。8文字以上で、ほかの人が思いつかない言葉の組み合わせにしてください。"
        )],
        action: "/apply/confirm".into(),
        csrf_token: csrf,
        hidden: vec![("token", token.to_owned())],
        fields: vec![crate::views::Field::new(
            "password",
            "申請用パスワード",
            "password",
            "new-password",
        )],
        submit: "パスワードを設定して申請を始める".into(),
        links: vec![],
        passkey: None,
    }
}

fn bad_link() -> MessagePage {
    message(
        "このリンクは使えません",
        Some(Notice::new("error", "このリンクは有効期限が切れているか、すでに使われています")),
        vec!["お手数ですが、もう一度メールアドレスを入力して、新しい確認メールを受け取ってください。".into()],
        vec![
            Link::new("/apply/start", "申請用IDの作成へ"),
            Link::new("/apply/login", "申請用IDでログイン"),
        ],
    )
}

async fn confirm_form(
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
struct PasswordForm {
    token: String,
    password: String,
}

fn signed_in(state: &AppState, session_token: &str, to: &str) -> Response {
    let mut resp = Redirect::to(to).into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        state.cookies().set(APPLY_COOKIE, session_token),
    );
    resp
}

async fn confirm(
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
            page.error("password", why);
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)?
        }
    };
    Ok(token_page(resp))
}

fn login_page(csrf: String, email: &str) -> FormPage {
    FormPage {
        chrome: Chrome::titled("申請用IDでログイン"),
        heading: "申請用IDでログイン".into(),
        notice: None,
        intro: vec!["申請用IDのメールアドレスと、申請用のパスワードを入力してください。".into()],
        action: "/apply/login".into(),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![
            crate::views::Field::new("email", "申請用ID（メールアドレス）", "email", "username")
                .value(email),
            crate::views::Field::new(
                "password",
                "申請用パスワード",
                "password",
                "current-password",
            ),
        ],
        submit: "ログイン".into(),
        links: vec![
            Link::new("/apply/start", "申請用IDをお持ちでない方（作成する）"),
            Link::new("/inquiry", "パスワードを忘れた場合はお問い合わせください"),
        ],
        passkey: None,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TimeoutQuery {
    timeout: String,
}

async fn login_form(CsrfToken(csrf): CsrfToken, uri: Uri) -> WebResult<Response> {
    let q: TimeoutQuery = lenient_query(&uri);
    let mut page = login_page(csrf, "");
    if q.timeout == "1" {
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
    email: String,
    password: String,
}

async fn login(
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
                Notice::new("error", "申請用IDまたはパスワードが違います")
                    .line("入力内容をご確認のうえ、もう一度お試しください。"),
            );
            html(StatusCode::UNAUTHORIZED, &page)
        }
        LoginOutcome::Locked { until } => {
            page.notice = Some(crate::routes::portal::locked_notice(until));
            html(StatusCode::LOCKED, &page)
        }
    }
}

async fn logout(
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

async fn home(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    CsrfToken(csrf): CsrfToken,
) -> WebResult<Response> {
    let proxy_for = registration::proxy_business(&state, &applicant)
        .await?
        .map(|b| format!("{}（事業者ID {}）", b.name, b.login_id.grouped()));
    let rows = state
        .store()
        .applications_of(applicant.id)
        .await?
        .into_iter()
        .map(|a| ApplicationRow {
            id: a.id,
            kind: ApplicationKind::parse(&a.kind).map_or("登録", ApplicationKind::label_ja),
            status: a.status.label_ja(),
            updated: a.updated_at.jst(),
        })
        .collect();
    html(
        StatusCode::OK,
        &ApplyHomePage {
            chrome: Chrome::titled("申請の状況"),
            email: applicant.email,
            proxy_for,
            rows,
            csrf_token: csrf,
        },
    )
}

async fn new_application(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    CheckedForm(form): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let kind = form
        .get("kind")
        .and_then(|k| ApplicationKind::parse(k))
        .unwrap_or(ApplicationKind::Technician);
    let id = registration::new_application(&state, &applicant, kind).await?;
    Ok(Redirect::to(&format!("/apply/{id}")).into_response())
}

/// How each item is asked for.
pub(crate) fn item(f: Field, value: &str) -> ApplyItem {
    let (input, autocomplete, hint, choices): (_, _, Option<&'static str>, Vec<(&str, &str)>) =
        match f {
            Field::Plan => (
                "select",
                "off",
                Some("簡略型 2,500円、詳細型 4,900円（10年間有効）"),
                vec![("basic", "簡略型"), ("detailed", "詳細型")],
            ),
            Field::Name => (
                "text",
                "name",
                Some("本人確認書類のとおりに入力してください。"),
                vec![],
            ),
            Field::Furigana => (
                "text",
                "off",
                Some("カタカナで入力してください（例: ケンセツ タロウ）。"),
                vec![],
            ),
            Field::BirthDate => ("text", "bday", Some("例: 1985-04-01"), vec![]),
            Field::Gender => ("select", "sex", None, GENDERS.to_vec()),
            Field::Nationality => ("text", "country-name", Some("例: 日本、ベトナム"), vec![]),
            Field::ResidenceCard => (
                "text",
                "off",
                Some("日本国籍以外の方のみ。英字2文字・数字8桁・英字2文字（例: AB12345678CD）"),
                vec![],
            ),
            Field::PostalCode => ("text", "postal-code", Some("例: 100-0013"), vec![]),
            Field::Address => ("text", "street-address", None, vec![]),
            Field::Phone => ("tel", "tel", Some("例: 090-1234-5678"), vec![]),
            Field::Email => (
                "email",
                "email",
                Some("登録完了のお知らせ（技能者ID）を送るアドレスです。空欄なら申請用IDのアドレスに送ります。代行申請では本人のアドレスが必要です。"),
                vec![],
            ),
            Field::Employer => (
                "text",
                "off",
                Some("所属する事業者の事業者ID（14桁）。分からない場合は空欄で構いません。"),
                vec![],
            ),
            Field::Insurance => ("select", "off", None, INSURANCE.to_vec()),
            Field::Qualifications => (
                "textarea",
                "off",
                Some(
                    "1行に1つ、資格名と取得日を入力してください（例: 玉掛け技能講習 2015-06-01）。",
                ),
                vec![],
            ),
            Field::CompanyName => (
                "text",
                "organization",
                Some("登記のとおり（個人事業主は屋号または氏名）。例: 株式会社 見本建設"),
                vec![],
            ),
            Field::CompanyFurigana => ("text", "off", Some("カタカナで入力してください。"), vec![]),
            Field::Representative => ("text", "off", None, vec![]),
            Field::SoleProprietor => (
                "select",
                "off",
                Some("一人親方（従業員のいない個人事業主）は登録料がかかりません。"),
                SOLE.to_vec(),
            ),
            Field::Capital => (
                "text",
                "off",
                Some("円単位（例: 3,000,000 または 300万）。個人事業主は0。登録料は資本金で決まります（5年間有効）。"),
                vec![],
            ),
            Field::Permit => (
                "text",
                "off",
                Some("例: 東京都知事許可（般-5）第123456号。建設業許可がない場合は空欄にしてください。"),
                vec![],
            ),
            Field::Trades => ("text", "off", Some("例: 土木一式、とび・土工"), vec![]),
            Field::Contact => (
                "text",
                "name",
                Some("登録の連絡と事業者IDのお知らせは、申請用IDのメールアドレスに送ります。"),
                vec![],
            ),
        };
    let shown = if choices.is_empty() {
        value.to_owned()
    } else {
        choice_label(&choices, value)
    };
    ApplyItem {
        key: f.key(),
        label: f.label_ja(),
        input,
        autocomplete,
        hint,
        choices,
        value: value.to_owned(),
        shown,
        required: !matches!(
            f,
            Field::Employer
                | Field::Email
                | Field::Qualifications
                | Field::ResidenceCard
                | Field::Permit
                | Field::Trades
        ),
        error: None,
        defect: None,
        editable: true,
    }
}

fn steps(status: Status) -> Vec<(&'static str, bool)> {
    let reached = match status {
        Status::Draft => 0,
        Status::Submitted | Status::Returned => 1,
        Status::Approved => 2,
        Status::Issued => 4,
        Status::Closed => 0,
    };
    ["入力", "申請", "審査完了", "入金", "登録完了"]
        .into_iter()
        .enumerate()
        .map(|(i, s)| (s, i <= reached && !(status == Status::Draft && i > 0)))
        .collect()
}

fn application_page(
    state: &AppState,
    view: &ApplicationView,
    documents: &[ccus_storage::ApplicationDocument],
    typed: Option<&HashMap<String, String>>,
    csrf: String,
) -> ApplicationPage {
    let a = &view.application;
    let returned = a.status == Status::Returned;
    let items = view
        .kind()
        .fields()
        .iter()
        .copied()
        .map(|f| {
            let value = typed
                .and_then(|t| t.get(f.key()).cloned())
                .unwrap_or_else(|| view.value(f));
            let mut it = item(f, &value);
            it.required |= f == Field::Email && view.is_proxy();
            if let Some(d) = view.open_defect(f) {
                it.defect = Some(if d.comment.is_empty() {
                    d.code.label_ja().to_owned()
                } else {
                    format!("{}（{}）", d.code.label_ja(), d.comment)
                });
            }
            it.editable = a.status.editable() && (!returned || it.defect.is_some());
            it
        })
        .collect();
    let fee = view.fee_yen().map(ccus_app::mails::yen).unwrap_or_default();
    ApplicationPage {
        chrome: Chrome::titled(format!(
            "{}の申請（申請番号 {}）",
            view.kind().label_ja(),
            a.id
        )),
        kind_label: view.kind().label_ja(),
        notice: None,
        id: a.id,
        status: a.status.label_ja(),
        status_code: a.status.as_str(),
        editable: a.status.editable(),
        withdrawable: matches!(
            a.status,
            Status::Draft | Status::Submitted | Status::Returned
        ),
        returned,
        fee,
        items,
        csrf_token: csrf,
        steps: steps(a.status),
        documents: documents
            .iter()
            .map(|d| {
                (
                    registration::document_label(&d.kind),
                    d.original_name.clone(),
                    crate::routes::helpdesk::size_label(d.size),
                )
            })
            .collect(),
        document_kinds: registration::document_kinds(view.kind(), view.is_proxy()),
        max_mb: state.config().inquiry.max_file_bytes / (1024 * 1024),
        document_error: None,
        proxy: view.business.as_ref().map(|b| {
            let consent = view.consent_label(documents, state.clock().now());
            ProxyPanel {
                business: format!("{}（事業者ID {}）", b.name, b.login_id.grouped()),
                consent,
                consented: view.consent_on_record(documents),
            }
        }),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: String,
}

async fn application(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<i64>,
    uri: Uri,
) -> WebResult<Response> {
    let Some(view) = registration::own(&state, &applicant, id).await? else {
        return Err(WebError::NotFound);
    };
    let documents = state.store().application_documents(id).await?;
    let mut page = application_page(&state, &view, &documents, None, csrf);
    let q: DoneQuery = lenient_query(&uri);
    page.notice = match (q.done.as_str(), view.application.status) {
        ("document", _) => Some(Notice::new("success", "書類をアップロードしました")),
        ("withdrawn", _) => Some(Notice::new("success", "申請を取り下げました").line(
            "申請の内容と書類は、一定期間ののちに削除されます。もう一度申請する場合は、新しく申請を始めてください。",
        )),
        ("consent", _) => Some(Notice::new("success", "本人に同意を依頼するメールを送りました").line(
            "本人がメールのリンクから同意すると、この画面に表示されます。同意の結果はメールでもお知らせします。",
        )),
        ("saved", _) => Some(Notice::new("success", "一時保存しました").line(
            "続きは、申請用IDでログインして「申請の状況」からいつでも入力できます。",
        )),
        ("submitted", _) => Some(
            Notice::new("success", "申請を受け付けました")
                .line("審査の結果はメールでお知らせします。この画面で状況を確認することもできます。"),
        ),
        (_, Status::Returned) => Some(
            Notice::new("error", "申請内容に不備があります")
                .line("赤く表示された項目を修正して、もう一度「申請する」を押してください。"),
        ),
        (_, Status::Approved) => Some(Notice::new("success", "審査が完了しました").line(format!(
            "登録料 {}円を銀行振込でお支払いください。振込名義の前に申請番号「{}」を付けてください。",
            ccus_app::mails::yen(view.application.fee_yen),
            view.application.id
        ))),
        (_, Status::Issued) if view.is_proxy() => Some(Notice::new("success", "登録が完了しました").line(
            "技能者IDを本人のメールアドレスへお知らせしました。初期パスワードと本人確認番号は、本人あての登録カードに記載しています。ログインは本人だけが行います。",
        )),
        (_, Status::Issued) => Some(Notice::new("success", "登録が完了しました").line(
            "技能者IDを登録完了メールでお知らせしました。初期パスワードと本人確認番号は、郵送する登録カードに記載しています。",
        ).link("/ccus_skill/login", "技能者ログインへ")),
        (_, Status::Closed) => Some(Notice::new("warning", "この申請は終了しています").line(
            "取り下げられた申請です。申請の内容と書類は、一定期間ののちに削除されます。",
        )),
        _ => None,
    };
    html(StatusCode::OK, &page)
}

async fn save(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<i64>,
    CheckedForm(form): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let submit = form.get("action").map(String::as_str) == Some("submit");
    let typed: Vec<(Field, String)> = Field::ALL
        .iter()
        .copied()
        .filter_map(|f| form.get(f.key()).map(|v| (f, v.clone())))
        .collect();
    let outcome =
        registration::save(&state, &applicant, id, typed, submit, crate::i18n::lang()).await?;
    let Some(view) = registration::own(&state, &applicant, id).await? else {
        return Err(WebError::NotFound);
    };
    let documents = state.store().application_documents(id).await?;
    match outcome {
        SaveOutcome::Saved => Ok(Redirect::to(&format!("/apply/{id}?done=saved")).into_response()),
        SaveOutcome::Submitted => {
            Ok(Redirect::to(&format!("/apply/{id}?done=submitted")).into_response())
        }
        SaveOutcome::NotEditable => Ok(Redirect::to(&format!("/apply/{id}")).into_response()),
        SaveOutcome::Invalid(errors) => {
            // What was typed stays on the form, next to what is wrong with it.
            let mut page = application_page(&state, &view, &documents, Some(&form), csrf);
            for (f, e) in &errors {
                if let Some(it) = page.items.iter_mut().find(|i| i.key == f.key()) {
                    it.error = Some(e.clone());
                }
            }
            page.notice = Some(
                Notice::new(
                    "error",
                    format!("入力内容を確認してください（{}か所）", errors.len()),
                )
                .line(if submit {
                    "申請はまだ完了していません。表示された項目を直して、もう一度「申請する」を押してください。"
                } else {
                    "保存はまだ完了していません。表示された項目を直して、もう一度「一時保存」を押してください。"
                }),
            );
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        SaveOutcome::MissingDocuments(missing) => {
            let mut page = application_page(&state, &view, &documents, Some(&form), csrf);
            let mut n = Notice::new("error", "申請に必要な書類がまだ提出されていません")
                .line("入力した内容は保存していません。次の書類を「書類の提出」からアップロードしてから、もう一度「申請する」を押してください。");
            for m in missing {
                n = n.line(format!("・{m}"));
            }
            page.notice = Some(n);
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        SaveOutcome::NoConsent => {
            let mut page = application_page(&state, &view, &documents, Some(&form), csrf);
            page.notice = Some(
                Notice::new("error", "本人の同意がまだ確認できません")
                    .line("入力した内容は保存していません。代行申請には本人の同意が必要です。「本人に同意を依頼するメールを送る」で本人に依頼するか、本人が署名した代行申請同意書をアップロードしてから、もう一度「申請する」を押してください。"),
            );
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        SaveOutcome::AlreadyRegistered => {
            let mut page = application_page(&state, &view, &documents, Some(&form), csrf);
            page.notice = Some(
                Notice::new("error", "この方は、すでに技能者として登録されています")
                    .line("同じ氏名・フリガナ・生年月日の技能者が登録済みのため、申請できません。技能者IDが分からない場合は、登録メールアドレスで「IDをお忘れの方」をお使いください。")
                    .link("/ccus_skill/id/forgot", "IDをお忘れの方"),
            );
            html(StatusCode::CONFLICT, &page)
        }
    }
}

const NOT_ALLOWED: &str =
    "このファイルは受け付けられません。JPEG・PNGの画像か、PDFを選んでください。";

/// 書類の提出: one file with its kind, typed by its content, within the size limit; nothing is
/// left on disk unless it is recorded.
async fn upload(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    csrf_cookie: Option<axum::Extension<crate::middleware::CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<i64>,
    mut multipart: axum::extract::Multipart,
) -> WebResult<Response> {
    use ccus_app::attachments::{FileStore, UploadError};
    let Some(view) = registration::own(&state, &applicant, id).await? else {
        return Err(WebError::NotFound);
    };
    let max = state.config().inquiry.max_file_bytes;
    let files = FileStore::new(&state.config().inquiry.attachments_dir);
    let (mut kind, mut token, mut upload) = (String::new(), String::new(), None);
    let mut problem: Option<String> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(_) => {
                problem = Some(format!(
                    "送信できませんでした。ファイルは1件{}MBまでです。",
                    max / (1024 * 1024)
                ));
                break;
            }
        };
        match field.name().unwrap_or("") {
            "kind" => kind = field.text().await.unwrap_or_default(),
            "csrf_token" => token = field.text().await.unwrap_or_default(),
            "file" => {
                let name = field.file_name().unwrap_or("").to_owned();
                let mut field = field;
                if name.is_empty() {
                    while let Ok(Some(_)) = field.chunk().await {}
                    continue;
                }
                let mut u = files
                    .begin(&name)
                    .map_err(|e| WebError::Unavailable(e.to_string()))?;
                loop {
                    match field.chunk().await {
                        Ok(Some(chunk)) => match u.write(&chunk, max) {
                            Ok(()) => {}
                            Err(UploadError::TooLarge) => {
                                problem = Some(format!(
                                    "ファイルが大きすぎます。1件{}MBまでです。",
                                    max / (1024 * 1024)
                                ));
                                break;
                            }
                            Err(UploadError::NotAllowed) => {
                                problem = Some(NOT_ALLOWED.to_owned());
                                break;
                            }
                            Err(e) => return Err(WebError::Unavailable(e.to_string())),
                        },
                        Ok(None) => break,
                        Err(_) => {
                            problem =
                                Some("送信が途中で切れました。もう一度お試しください。".into());
                            break;
                        }
                    }
                }
                upload = Some(u);
            }
            _ => {}
        }
        if problem.is_some() {
            break;
        }
    }
    crate::session::check_csrf(&state, csrf_cookie.as_deref(), &token)?;
    let outcome = match (problem, upload) {
        (Some(p), _) => Err(p),
        (None, None) => Err("ファイルを選んでください。".to_owned()),
        (None, Some(u)) => match u.store(&files) {
            Ok(stored) => {
                match registration::add_document(&state, &applicant, id, &kind, stored).await? {
                    registration::DocumentOutcome::Added => Ok(()),
                    registration::DocumentOutcome::NotEditable => {
                        Err("この申請には、いまは書類を追加できません。".to_owned())
                    }
                    registration::DocumentOutcome::UnknownKind => {
                        Err("書類の種類を選んでください。".to_owned())
                    }
                    registration::DocumentOutcome::PhotoMustBeImage => {
                        Err("顔写真は、JPEGまたはPNGの画像でアップロードしてください。".to_owned())
                    }
                    registration::DocumentOutcome::PhotoRefused(why) => Err(why),
                }
            }
            Err(UploadError::NotAllowed) => Err(NOT_ALLOWED.to_owned()),
            Err(e) => return Err(WebError::Unavailable(e.to_string())),
        },
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/apply/{id}?done=document#documents")).into_response()),
        Err(message) => {
            let documents = state.store().application_documents(id).await?;
            let mut page = application_page(&state, &view, &documents, None, csrf);
            page.document_error = Some(message);
            page.notice = Some(Notice::new("error", "書類をアップロードできませんでした"));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

async fn withdraw(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    Path(id): Path<i64>,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let done = if registration::withdraw(&state, &applicant, id).await? {
        "?done=withdrawn"
    } else {
        ""
    };
    Ok(Redirect::to(&format!("/apply/{id}{done}")).into_response())
}

// ---- 代行申請 -----------------------------------------------------------------------------------

/// The business portal's entry to 代行申請: what it is, and the button that opens it.
async fn proxy_top(
    State(state): State<AppState>,
    signed_in: SignedIn,
    CsrfToken(csrf): CsrfToken,
) -> WebResult<Response> {
    let may = ccus_app::org::standing(&state, &signed_in.session.account)
        .await?
        .is_some_and(|c| c.can(ccus_domain::org::Action::ProxyApply));
    if !may {
        return Err(WebError::NotFound);
    }
    let page = FormPage {
        chrome: Chrome::titled("技能者の代行申請"),
        heading: "技能者の代行申請".into(),
        notice: None,
        intro: vec![
            "雇用している技能者や下請の技能者に代わって、技能者登録を申請できます。".into(),
            "申請には本人の同意が必要です。申請画面から本人へ同意を依頼するメールを送るか、本人が署名した代行申請同意書をアップロードしてください。".into(),
            "登録が完了すると、技能者IDは本人のメールアドレスへ、初期パスワードと本人確認番号は本人あての登録カードでお知らせします。ログインは本人だけが行います。".into(),
        ],
        action: format!("/{}/proxy", ccus_domain::AccountKind::Business.portal()),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![],
        submit: "代行申請の画面を開く".into(),
        links: vec![Link::new(
            format!("/{}/home", ccus_domain::AccountKind::Business.portal()),
            "メニューに戻る",
        )],
        passkey: None,
    };
    html(StatusCode::OK, &page)
}

/// Opens the business's 代行申請 login in this browser.
async fn proxy_start(
    State(state): State<AppState>,
    me: SignedIn,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    match registration::proxy_session(&state, &me.session.account).await? {
        Some(token) => Ok(signed_in(&state, &token, "/apply/home")),
        None => Err(WebError::NotFound),
    }
}

async fn ask_consent(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<i64>,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    use registration::ConsentRequestOutcome as O;
    let outcome =
        registration::request_consent(&state, &applicant, id, crate::i18n::lang()).await?;
    if outcome == O::Sent {
        return Ok(Redirect::to(&format!("/apply/{id}?done=consent")).into_response());
    }
    let Some(view) = registration::own(&state, &applicant, id).await? else {
        return Err(WebError::NotFound);
    };
    let documents = state.store().application_documents(id).await?;
    let mut page = application_page(&state, &view, &documents, None, csrf);
    let (status, notice) = match outcome {
        O::Incomplete(field, why) => {
            if let Some(it) = page.items.iter_mut().find(|i| i.key == field.key()) {
                it.error = Some(why.clone());
            }
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Notice::new("error", "同意を依頼できませんでした").line(why),
            )
        }
        O::TooMany => (
            StatusCode::TOO_MANY_REQUESTS,
            Notice::new("error", "同意の依頼が続いています")
                .line("しばらく待ってから、もう一度お試しください。"),
        ),
        O::NotPossible | O::Sent => (
            StatusCode::CONFLICT,
            Notice::new("error", "この申請では、いまは同意を依頼できません"),
        ),
    };
    page.notice = Some(notice);
    html(status, &page)
}

fn consent_gone() -> MessagePage {
    message(
        "このリンクは使えません",
        Some(Notice::new(
            "error",
            "このリンクは有効期限が切れているか、すでに回答済みです",
        )),
        vec!["もう一度同意が必要な場合は、代行申請した事業者に依頼のメールを送り直してもらってください。".into()],
        vec![Link::new("/", "トップページへ")],
    )
}

async fn consent_form(
    State(state): State<AppState>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: TokenQuery = lenient_query(&uri);
    let resp = match registration::consent_request(&state, &q.token).await? {
        Some(cv) if cv.open => {
            let v = &cv.view;
            let plan = v
                .plan()
                .map(|p| p.label_ja().to_owned())
                .unwrap_or_default();
            let page = ConsentPage {
                chrome: Chrome::titled("代行申請への同意"),
                business: format!("{}（事業者ID {}）", cv.business_name, cv.business_id),
                number: v.application.id,
                summary: vec![
                    ("氏名", v.value(Field::Name)),
                    ("フリガナ", v.value(Field::Furigana)),
                    ("生年月日", v.value(Field::BirthDate)),
                    ("メールアドレス", cv.consent.email.clone()),
                    ("登録の種類", plan),
                ],
                token: q.token.clone(),
                csrf_token: csrf,
            };
            html(StatusCode::OK, &page)?
        }
        _ => html(StatusCode::GONE, &consent_gone())?,
    };
    Ok(token_page(resp))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ConsentForm {
    token: String,
    answer: String,
}

async fn consent_answer(
    State(state): State<AppState>,
    Client(client): Client,
    CheckedForm(form): CheckedForm<ConsentForm>,
) -> WebResult<Response> {
    let yes = form.answer == "yes";
    let resp = if registration::answer_consent(&state, &form.token, yes, &client).await? {
        let (title, line) = if yes {
            (
                "代行申請に同意しました",
                "登録が完了すると、技能者IDをこのメールアドレスでお知らせします。初期パスワードと本人確認番号は登録カードでお知らせします。",
            )
        } else {
            (
                "代行申請に同意しませんでした",
                "この代行申請は提出できなくなりました。代行申請した事業者にもお知らせしました。",
            )
        };
        html(
            StatusCode::OK,
            &message(
                title,
                Some(Notice::new("success", title)),
                vec![line.into()],
                vec![Link::new("/", "トップページへ")],
            ),
        )?
    } else {
        html(StatusCode::GONE, &consent_gone())?
    };
    Ok(token_page(resp))
}
