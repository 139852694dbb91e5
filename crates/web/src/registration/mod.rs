//! 技能者登録の申請 at `/apply`: the application login (申請用ID by a mailed link, and
//! パスワードをお忘れの方), the application form with 一時保存, its documents and 申請, and the
//! applicant's status page. No JavaScript is needed; every check also runs on the server.
//!
//! The form is one multipart form: the items, the document to add, and the buttons 一時保存,
//! 書類をアップロードする and 申請する. Whichever is pressed, what was typed is saved (or shown
//! again with what is wrong), so no button loses anything; a document is added after the items
//! are saved. Its anti-forgery token is its first part, checked before any file is read.

pub mod password;
pub mod screening;
pub mod views;

use crate::forms::lenient_query;
use crate::forms::CheckedForm;
use crate::forms::CheckedMultipart;
use crate::forms::TokenQuery;
use crate::pages::html;
use crate::pages::token_page;
use crate::present::labels::defect_label;
use crate::present::labels::document_label;
use crate::present::labels::field_label;
use crate::present::labels::status_label;
use crate::present::Chrome;
use crate::present::FormPage;
use crate::present::Link;
use crate::present::MessagePage;
use crate::present::Notice;
use crate::registration::views::ApplicationPage;
use crate::registration::views::ApplicationRow;
use crate::registration::views::ApplyHomePage;
use crate::registration::views::ApplyItem;
use crate::registration::views::ApplyStep;
use crate::registration::views::ApplyTopPage;
use crate::registration::views::ConsentPage;
use crate::registration::views::DocumentKindRow;
use crate::registration::views::ProxyPanel;
use std::collections::HashMap;

use axum::extract::{FromRequest, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use ccus_app::registration::Applicant;
use ccus_domain::registration::{ApplicationKind, Field, Plan, Status, GENDERS, INSURANCE, SOLE};
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::i18n::{msg, t, ta, Msg};
use crate::session::{Client, CsrfToken, SignedIn};
use crate::AppState;
use ccus_app::registration::{
    self, ApplicationView, ConfirmOutcome, DocumentOutcome, LoginOutcome, NewApplication, Resumed,
    SaveOutcome, StartOutcome, UploadLimit,
};

use password::{forgot_password, forgot_password_form, reset_password, reset_password_form};

/// The applicant's session cookie.
const APPLY_COOKIE: &str = "ccus_apply";

pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/apply", get(top))
        .route("/apply/start", get(start_form).post(start))
        .route("/apply/confirm", get(confirm_form).post(confirm))
        .route("/apply/login", get(login_form).post(login))
        .route(
            "/apply/password/forgot",
            get(forgot_password_form).post(forgot_password),
        )
        .route(
            "/apply/password/reset",
            get(reset_password_form).post(reset_password),
        )
        .route("/apply/logout", post(logout))
        .route("/apply/home", get(home))
        .route("/apply/new", post(new_application))
        .route(
            "/apply/{id}",
            get(application)
                .post(save)
                .layer(axum::extract::DefaultBodyLimit::max(upload_body_limit(
                    state,
                ))),
        )
        .route("/apply/{id}/withdraw", post(withdraw))
        .route("/apply/{id}/consent", post(ask_consent))
        .route("/apply/consent", get(consent_form).post(consent_answer))
        .route(
            &format!("/{}/proxy", ccus_domain::AccountKind::Business.portal()),
            get(proxy_top).post(proxy_start),
        )
        .route(
            "/apply/{id}/documents",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(upload_body_limit(
                state,
            ))),
        )
}

/// The largest body of the application form: one file and the items typed with it.
fn upload_body_limit(state: &AppState) -> usize {
    usize::try_from(state.config().inquiry.max_file_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(TEXT_BYTES)
}

/// The most the items of the form (and its other text parts) may take together.
const TEXT_BYTES: usize = 64 * 1024;

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
        // A session that is over: say why, and drop the cookie that names it.
        let ended = |to: &str| {
            let mut resp = Redirect::to(to).into_response();
            resp.headers_mut()
                .append(header::SET_COOKIE, state.cookies().clear(APPLY_COOKIE));
            resp
        };
        match registration::resume(state, &token).await {
            Ok(Resumed::Active(a)) => Ok(ApplicantIn(*a)),
            Ok(Resumed::TimedOut) => Err(ended("/apply/login?timeout=1")),
            Ok(Resumed::LoggedOut) => Err(ended("/apply/login?logged_out=1")),
            // The business's own portal says why (a stopped 管理者ID is told so there).
            Ok(Resumed::NotAllowed) => Err(ended("/ccus_owner/home")),
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
            chrome: Chrome::titled(t("apply-title")),
        },
    )
}

fn start_page(csrf: String, email: &str) -> FormPage {
    FormPage {
        chrome: Chrome::titled(t("apply-start-title")),
        heading: t("apply-start-title"),
        notice: None,
        intro: vec![t("apply-start-intro"), t("apply-start-intro-link")],
        action: "/apply/start".into(),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![
            crate::present::Field::new("email", t("apply-email"), "email", "email")
                .hint(t("apply-email-hint"))
                .value(email),
        ],
        submit: t("apply-start-send"),
        links: vec![Link::new("/apply/login", t("apply-start-have-login"))],
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
            page.error("email", t("apply-email-invalid"));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        StartOutcome::TooMany => html(
            StatusCode::TOO_MANY_REQUESTS,
            &message(
                &t("apply-too-many-title"),
                Some(Notice::new("error", t("apply-too-many"))),
                vec![t("apply-too-many-line")],
                vec![],
            ),
        ),
        StartOutcome::Sent => html(
            StatusCode::OK,
            &message(
                &t("apply-sent"),
                Some(
                    Notice::new("success", t("apply-sent"))
                        .line(ta("apply-sent-open", &[("email", form.email.trim())])),
                ),
                vec![t("apply-sent-spam")],
                vec![Link::new("/apply", t("apply-to-top"))],
            ),
        ),
    }
}

fn password_page(csrf: String, token: &str, email: &str) -> FormPage {
    FormPage {
        chrome: Chrome::titled(t("apply-password-title")),
        heading: t("apply-password-title"),
        notice: None,
        intro: vec![ta("apply-password-intro", &[("email", email)])],
        action: "/apply/confirm".into(),
        csrf_token: csrf,
        hidden: vec![("token", token.to_owned())],
        fields: vec![crate::present::Field::new(
            "password",
            t("apply-password"),
            "password",
            "new-password",
        )],
        submit: t("apply-password-submit"),
        links: vec![],
        passkey: None,
    }
}

fn bad_link() -> MessagePage {
    message(
        &t("apply-link-unusable-title"),
        Some(Notice::new("error", t("apply-link-unusable"))),
        vec![t("apply-link-unusable-line")],
        vec![
            Link::new("/apply/start", t("apply-to-start")),
            Link::new("/apply/login", t("apply-login-title")),
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
            page.error("password", msg(&why));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)?
        }
    };
    Ok(token_page(resp))
}

fn login_page(csrf: String, email: &str) -> FormPage {
    FormPage {
        chrome: Chrome::titled(t("apply-login-title")),
        heading: t("apply-login-title"),
        notice: None,
        intro: vec![t("apply-login-intro")],
        action: "/apply/login".into(),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![
            crate::present::Field::new("email", t("apply-login-id"), "email", "username")
                .value(email),
            crate::present::Field::new(
                "password",
                t("apply-password"),
                "password",
                "current-password",
            ),
        ],
        submit: t("login-button"),
        links: vec![
            Link::new("/apply/password/forgot", t("apply-login-forgot")),
            Link::new("/apply/start", t("apply-login-create")),
        ],
        passkey: None,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TimeoutQuery {
    timeout: String,
    logged_out: String,
}

async fn login_form(CsrfToken(csrf): CsrfToken, uri: Uri) -> WebResult<Response> {
    let q: TimeoutQuery = lenient_query(&uri);
    let mut page = login_page(csrf, "");
    if q.timeout == "1" {
        page.notice = Some(Notice::new("warning", t("timed-out")));
    } else if q.logged_out == "1" {
        page.notice = Some(Notice::new("success", t("account-logged-out")));
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
                Notice::new("error", t("apply-wrong-credentials"))
                    .line(t("apply-wrong-credentials-line")),
            );
            html(StatusCode::UNAUTHORIZED, &page)
        }
        LoginOutcome::Locked { until } => {
            page.notice = Some(crate::present::labels::locked_notice(until));
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

async fn home_page(
    state: &AppState,
    applicant: Applicant,
    csrf: String,
    notice: Option<Notice>,
) -> WebResult<ApplyHomePage> {
    let proxy_for = registration::proxy_business(state, &applicant)
        .await?
        .map(|b| business_with_id(&b.name, &b.login_id.grouped()));
    let rows = registration::applications_of(state, &applicant)
        .await?
        .into_iter()
        .map(|a| ApplicationRow {
            id: a.id,
            kind: ApplicationKind::parse(&a.kind)
                .map_or_else(|| t("apply-kind-unknown"), kind_label),
            status: status_label(a.status),
            updated: a.updated_at.jst(),
        })
        .collect();
    Ok(ApplyHomePage {
        chrome: Chrome::titled(t("apply-home-title")),
        notice,
        email: applicant.email,
        proxy_for,
        rows,
        csrf_token: csrf,
    })
}

async fn home(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    CsrfToken(csrf): CsrfToken,
) -> WebResult<Response> {
    html(
        StatusCode::OK,
        &home_page(&state, applicant, csrf, None).await?,
    )
}

async fn new_application(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let kind = form
        .get("kind")
        .and_then(|k| ApplicationKind::parse(k))
        .unwrap_or(ApplicationKind::Technician);
    match registration::new_application(&state, &applicant, kind).await? {
        NewApplication::Created(id) => Ok(Redirect::to(&format!("/apply/{id}")).into_response()),
        NewApplication::TooMany { max } => {
            let notice = Notice::new(
                "error",
                ta("apply-too-many-applications", &[("max", &max.to_string())]),
            )
            .line(t("apply-too-many-applications-line"));
            html(
                StatusCode::UNPROCESSABLE_ENTITY,
                &home_page(&state, applicant, csrf, Some(notice)).await?,
            )
        }
    }
}

/// 技能者登録 / 事業者登録 in the page's language.
pub(crate) fn kind_label(kind: ApplicationKind) -> String {
    t(&crate::present::labels::apply_key("kind", kind.as_str()))
}

/// 「商号（事業者ID …）」.
fn business_with_id(name: &str, id: &str) -> String {
    ta("apply-business-with-id", &[("name", name), ("id", id)])
}

/// A problem with an item, with the item's label in the page's language (the applicant's page
/// and the screener's console alike).
pub(crate) fn field_problem(f: Field, m: &Msg) -> String {
    let label = field_label(f);
    let mut args: Vec<(&str, &str)> = m
        .args
        .iter()
        .filter(|(k, _)| *k != "label")
        .map(|(k, v)| (*k, v.as_str()))
        .collect();
    args.push(("label", &label));
    ta(m.key, &args)
}

/// The choices of a select item: (value, label in the page's language).
fn choices(f: Field) -> Vec<(&'static str, String)> {
    let (prefix, values): (&str, Vec<&'static str>) = match f {
        Field::Plan => (
            "plan",
            [Plan::Basic, Plan::Detailed].map(Plan::as_str).to_vec(),
        ),
        Field::Gender => ("gender", GENDERS.iter().map(|(v, _)| *v).collect()),
        Field::Insurance => ("insurance", INSURANCE.iter().map(|(v, _)| *v).collect()),
        Field::SoleProprietor => ("sole", SOLE.iter().map(|(v, _)| *v).collect()),
        _ => return Vec::new(),
    };
    values
        .into_iter()
        .map(|v| (v, t(&crate::present::labels::apply_key(prefix, v))))
        .collect()
}

/// How each item is asked for.
pub(crate) fn item(f: Field, value: &str) -> ApplyItem {
    let (input, autocomplete, hint) = match f {
        Field::Plan => ("select", "off", true),
        Field::Name => ("text", "name", true),
        Field::Furigana => ("text", "off", true),
        Field::BirthDate => ("text", "bday", true),
        Field::Gender => ("select", "sex", false),
        Field::Nationality => ("text", "country-name", true),
        Field::ResidenceCard => ("text", "off", true),
        Field::PostalCode => ("text", "postal-code", true),
        Field::Address => ("text", "street-address", false),
        Field::Phone => ("tel", "tel", true),
        Field::Email => ("email", "email", true),
        Field::Employer => ("text", "off", true),
        Field::Insurance => ("select", "off", false),
        Field::Qualifications => ("textarea", "off", true),
        Field::CompanyName => ("text", "organization", true),
        Field::CompanyFurigana => ("text", "off", true),
        Field::Representative => ("text", "off", false),
        Field::SoleProprietor => ("select", "off", true),
        Field::Capital => ("text", "off", true),
        Field::Permit => ("text", "off", true),
        Field::Trades => ("text", "off", true),
        Field::Contact => ("text", "name", true),
    };
    let choices = choices(f);
    let shown = choices
        .iter()
        .find(|(v, _)| *v == value)
        .map_or_else(|| value.to_owned(), |(_, l)| l.clone());
    ApplyItem {
        key: f.key(),
        label: field_label(f),
        input,
        autocomplete,
        hint: hint.then(|| t(&crate::present::labels::apply_key("hint", f.key()))),
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
                | Field::Capital
        ),
        // Optional for some, required for others: said next to the label, and checked on 申請.
        required_when: match f {
            Field::ResidenceCard => Some(t("apply-required-foreign")),
            Field::Capital => Some(t("apply-required-unless-sole")),
            _ => None,
        },
        error: None,
        defect: None,
        editable: true,
    }
}

fn steps(status: Status) -> Vec<ApplyStep> {
    let reached = match status {
        Status::Draft => 0,
        Status::Submitted | Status::Returned => 1,
        Status::Approved => 2,
        Status::Issued => 4,
        Status::Closed => 0,
    };
    ["input", "submit", "screened", "paid", "issued"]
        .into_iter()
        .enumerate()
        .map(|(i, s)| ApplyStep {
            label: t(&crate::present::labels::apply_key("step", s)),
            done: i <= reached && !(status == Status::Draft && i > 0),
            current: i == reached && status != Status::Closed,
        })
        .collect()
}

/// The kinds of documents of an application, those it needs (by what is typed now) first; the
/// select starts on the first needed one not sent yet, or on what was chosen last.
fn document_rows(
    view: &ApplicationView,
    documents: &[registration::ApplicationDocument],
    typed: Option<&HashMap<String, String>>,
) -> Vec<DocumentKindRow> {
    let mut values = view.values.clone();
    if let Some(typed) = typed {
        for f in view.kind().fields() {
            if let Some(v) = typed.get(f.key()) {
                values.insert(*f, v.clone());
            }
        }
    }
    let needed = registration::required_documents(view.kind(), &values);
    let mut rows: Vec<DocumentKindRow> = registration::document_kinds(view.kind(), view.is_proxy())
        .into_iter()
        .map(|(code, _)| DocumentKindRow {
            code,
            label: document_label(code),
            short: t(&crate::present::labels::apply_key("document-short", code)),
            required: needed.contains(&code),
            sent: documents.iter().filter(|d| d.kind == code).count(),
            selected: false,
        })
        .collect();
    // Needed first, each group in its own order.
    rows.sort_by_key(|r| !r.required);
    let chosen = typed.and_then(|t| t.get("kind")).map(String::as_str);
    let pick = rows
        .iter()
        .position(|r| Some(r.code) == chosen)
        .or_else(|| rows.iter().position(|r| r.required && r.sent == 0))
        .unwrap_or(0);
    if let Some(r) = rows.get_mut(pick) {
        r.selected = true;
    }
    rows
}

fn application_page(
    state: &AppState,
    view: &ApplicationView,
    documents: &[registration::ApplicationDocument],
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
                    defect_label(d.code)
                } else {
                    ta(
                        "apply-defect-comment",
                        &[("code", &defect_label(d.code)), ("comment", &d.comment)],
                    )
                });
            }
            it.editable = a.status.editable() && (!returned || it.defect.is_some());
            it
        })
        .collect();
    let fee = view.fee_yen().map(ccus_app::i18n::yen).unwrap_or_default();
    let kind = kind_label(view.kind());
    ApplicationPage {
        chrome: Chrome::titled(ta(
            "apply-application-title",
            &[("kind", &kind), ("id", &a.id.to_string())],
        )),
        kind_label: kind,
        business: view.kind() == ApplicationKind::Business,
        notice: None,
        id: a.id,
        status: status_label(a.status),
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
                ta(
                    "apply-document-row",
                    &[
                        ("kind", &document_label(&d.kind)),
                        ("name", &d.original_name),
                        ("size", &crate::present::labels::size_label(d.size)),
                    ],
                )
            })
            .collect(),
        document_kinds: document_rows(view, documents, typed),
        max_mb: state.config().inquiry.max_file_bytes / (1024 * 1024),
        document_error: None,
        proxy: view.business.as_ref().map(|b| {
            let consent = msg(&view.consent_msg(documents, state.clock().now()));
            ProxyPanel {
                business: business_with_id(&b.name, &b.login_id.grouped()),
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
    let mut page = application_page(&state, &view, &view.documents, None, csrf);
    let q: DoneQuery = lenient_query(&uri);
    let done = |title: &str, line: &str| Some(Notice::new("success", t(title)).line(t(line)));
    page.notice = match (q.done.as_str(), view.application.status) {
        ("document", _) => done("apply-done-document", "apply-done-document-line"),
        ("withdrawn", _) => done("apply-done-withdrawn", "apply-done-withdrawn-line"),
        ("consent", _) => done("apply-done-consent", "apply-done-consent-line"),
        ("saved", _) => done("apply-done-saved", "apply-done-saved-line"),
        ("submitted", _) => done("apply-done-submitted", "apply-done-submitted-line"),
        (_, Status::Returned) => {
            let notice = Notice::new("error", t("apply-returned")).line(t("apply-returned-line"));
            Some(
                match registration::returned_deleted_after(&state, &view.application) {
                    Some(at) => notice.line(ta(
                        "apply-returned-deadline",
                        &[("date", &at.jst_not_before())],
                    )),
                    None => notice,
                },
            )
        }
        (_, Status::Approved) => Some(Notice::new("success", t("apply-approved")).line(ta(
            "apply-approved-line",
            &[
                ("fee", &ccus_app::i18n::yen(view.application.fee_yen)),
                ("id", &view.application.id.to_string()),
            ],
        ))),
        (_, Status::Issued) if view.is_proxy() => done("apply-issued", "apply-issued-proxy-line"),
        (_, Status::Issued) => Some(
            Notice::new("success", t("apply-issued"))
                .line(t("apply-issued-line"))
                .link("/ccus_skill/login", t("apply-to-technician-login")),
        ),
        (_, Status::Closed) if !view.application.rejection.is_empty() => {
            Some(Notice::new("warning", t("apply-rejected")).line(ta(
                "apply-rejected-line",
                &[("reason", &view.application.rejection)],
            )))
        }
        (_, Status::Closed) => {
            Some(Notice::new("warning", t("apply-closed")).line(t("apply-closed-line")))
        }
        _ => None,
    };
    html(StatusCode::OK, &page)
}

/// The body of the application form: multipart, as the page sends it (items, the document to
/// add, the button pressed), or a plain form (items and the button). Either way its
/// anti-forgery token is checked before anything else is read.
enum ApplicationBody {
    Form(HashMap<String, String>),
    Multipart(axum::extract::Multipart),
}

impl FromRequest<AppState> for ApplicationBody {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("multipart/form-data")
            });
        if multipart {
            let CheckedMultipart(m) = CheckedMultipart::from_request(req, state).await?;
            return Ok(ApplicationBody::Multipart(m));
        }
        // A plain form keeps the limit of every form, whatever this route allows for a file.
        let (parts, body) = req.into_parts();
        let bytes = axum::body::to_bytes(body, crate::MAX_FORM_BYTES)
            .await
            .map_err(|e| WebError::BadRequest {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                detail: e.to_string(),
            })?;
        let req = Request::from_parts(parts, axum::body::Body::from(bytes));
        let CheckedForm(form) = CheckedForm::from_request(req, state).await?;
        Ok(ApplicationBody::Form(form))
    }
}

/// What the application form sent.
struct Sent {
    /// The items and the other text parts (`action`, `kind`).
    form: HashMap<String, String>,
    file: SentFile,
}

/// The document of the application form.
enum SentFile {
    /// No file chosen.
    None,
    /// Received whole into a temporary file (removed unless it is recorded).
    Upload(ccus_app::attachments::Upload),
    /// Refused while it arrived.
    Refused(Refusal),
}

/// Why a document was not added: the answer's status, the reason, and (past the upload limit)
/// when to try again, in seconds.
struct Refusal {
    status: StatusCode,
    why: String,
    retry_after: Option<u64>,
}

impl Refusal {
    fn new(status: StatusCode, why: String) -> Refusal {
        Refusal {
            status,
            why,
            retry_after: None,
        }
    }

    /// A refusal by a limit on documents or uploads.
    fn limit(limit: UploadLimit, kind: &str) -> Refusal {
        let (status, retry_after) = match limit {
            UploadLimit::TooFast { minutes } => (
                StatusCode::TOO_MANY_REQUESTS,
                Some(minutes.saturating_mul(60)),
            ),
            UploadLimit::OfKind { .. } | UploadLimit::InAll { .. } => {
                (StatusCode::UNPROCESSABLE_ENTITY, None)
            }
        };
        Refusal {
            status,
            why: limit_text(limit, kind),
            retry_after,
        }
    }
}

/// Reads the application form part by part. Text parts share [`TEXT_BYTES`]; the file is
/// streamed to a temporary file within `inquiry.max_file_bytes`, and not even that when the
/// applicant is past a limit already. A refused file leaves what was typed readable.
async fn read_form(
    state: &AppState,
    applicant: &Applicant,
    id: i64,
    mut multipart: axum::extract::Multipart,
) -> WebResult<Sent> {
    use ccus_app::attachments::{FileStore, UploadError};
    let max = state.config().inquiry.max_file_bytes;
    let mb = (max / (1024 * 1024)).to_string();
    let files = FileStore::new(&state.config().inquiry.attachments_dir);
    let mut form: HashMap<String, String> = HashMap::new();
    let mut file = SentFile::None;
    let mut text_left = TEXT_BYTES;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => {
                // Too large or cut off: what arrived before stays on the form.
                if !matches!(file, SentFile::Refused(..)) {
                    file = SentFile::Refused(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        Refusal::new(
                            StatusCode::PAYLOAD_TOO_LARGE,
                            ta("apply-file-unsent", &[("mb", &mb)]),
                        )
                    } else {
                        Refusal::new(StatusCode::BAD_REQUEST, t("apply-file-cut"))
                    });
                }
                break;
            }
        };
        let name = field.name().unwrap_or("").to_owned();
        let mut field = field;
        if name == "file" {
            let file_name = field.file_name().unwrap_or("").to_owned();
            if file_name.is_empty() || !matches!(file, SentFile::None) {
                // No file chosen (an empty part), or a second file: nothing to keep.
                while let Ok(Some(_)) = field.chunk().await {}
                continue;
            }
            if let Some(limit) = registration::limits::before_upload(state, applicant, id).await? {
                while let Ok(Some(_)) = field.chunk().await {}
                let kind = form.get("kind").cloned().unwrap_or_default();
                file = SentFile::Refused(Refusal::limit(limit, &kind));
                continue;
            }
            let mut upload = files
                .begin(&file_name)
                .map_err(|e| WebError::unavailable("document storage", e))?;
            let mut refused = None;
            loop {
                match field.chunk().await {
                    Ok(Some(chunk)) => match upload.write(&chunk, max) {
                        Ok(()) => {}
                        Err(UploadError::TooLarge) => {
                            refused = Some((
                                StatusCode::PAYLOAD_TOO_LARGE,
                                ta("apply-file-too-large", &[("mb", &mb)]),
                            ));
                            break;
                        }
                        Err(UploadError::NotAllowed) => {
                            refused = Some((StatusCode::UNPROCESSABLE_ENTITY, t(NOT_ALLOWED)));
                            break;
                        }
                        Err(e) => return Err(WebError::unavailable("document storage", e)),
                    },
                    Ok(None) => break,
                    Err(_) => {
                        refused = Some((StatusCode::BAD_REQUEST, t("apply-file-cut")));
                        break;
                    }
                }
            }
            file = match refused {
                Some((status, why)) => SentFile::Refused(Refusal::new(status, why)),
                None if upload.size == 0 => SentFile::Refused(Refusal::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    t(NOT_ALLOWED),
                )),
                None => SentFile::Upload(upload),
            };
            continue;
        }
        let mut bytes: Vec<u8> = Vec::new();
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) if chunk.len() <= text_left => {
                    text_left -= chunk.len();
                    bytes.extend_from_slice(&chunk);
                }
                Ok(Some(_)) => {
                    return Err(WebError::BadRequest {
                        status: StatusCode::PAYLOAD_TOO_LARGE,
                        detail: format!("text parts over {TEXT_BYTES} bytes"),
                    })
                }
                Ok(None) => break,
                Err(e) => {
                    return Err(WebError::BadRequest {
                        status: StatusCode::BAD_REQUEST,
                        detail: e.to_string(),
                    })
                }
            }
        }
        // Invalid UTF-8 is refused, never turned into U+FFFD.
        let text = String::from_utf8(bytes).map_err(|_| WebError::BadRequest {
            status: StatusCode::BAD_REQUEST,
            detail: format!("multipart field {name:?} is not valid UTF-8"),
        })?;
        form.insert(name, text.replace("\r\n", "\n"));
    }
    Ok(Sent { form, file })
}

const NOT_ALLOWED: &str = "apply-file-not-allowed";

/// Why a limit refused a document of `kind`, in the page's language.
fn limit_text(limit: UploadLimit, kind: &str) -> String {
    match limit {
        UploadLimit::OfKind { max } => ta(
            "apply-document-too-many-of-kind",
            &[
                (
                    "document",
                    &t(&crate::present::labels::apply_key("document-short", kind)),
                ),
                ("max", &max.to_string()),
            ],
        ),
        UploadLimit::InAll { max } => ta("apply-document-too-many", &[("max", &max.to_string())]),
        UploadLimit::TooFast { minutes } => ta(
            "apply-upload-too-fast",
            &[("minutes", &minutes.to_string())],
        ),
    }
}

/// 一時保存, 書類をアップロードする or 申請する (`action`, else `default_action`) on the
/// application form: a document sent along is added first, then what was typed is saved —
/// as a draft, or sent when 申請する was pressed and the document (if any) was taken. Every
/// answer that is not a redirect shows the form again with everything typed.
async fn answer_form(
    state: &AppState,
    applicant: &Applicant,
    csrf: String,
    id: i64,
    sent: Sent,
    default_action: &str,
) -> WebResult<Response> {
    use ccus_app::attachments::{FileStore, UploadError};
    let Sent { form, file } = sent;
    let action = form
        .get("action")
        .map_or(default_action, String::as_str)
        .to_owned();
    let kind = form.get("kind").cloned().unwrap_or_default();
    let mut added = false;
    let unprocessable = |why: String| Some(Refusal::new(StatusCode::UNPROCESSABLE_ENTITY, why));
    let refused: Option<Refusal> = match file {
        SentFile::Refused(r) => Some(r),
        SentFile::None if action == "upload" => unprocessable(t("apply-file-none")),
        SentFile::None => None,
        SentFile::Upload(upload) => {
            let files = FileStore::new(&state.config().inquiry.attachments_dir);
            match upload.store(&files) {
                Ok(stored) => {
                    match registration::add_document(state, applicant, id, &kind, stored).await? {
                        DocumentOutcome::Added => {
                            added = true;
                            None
                        }
                        DocumentOutcome::NotEditable => Some(Refusal::new(
                            StatusCode::CONFLICT,
                            t("apply-document-not-editable"),
                        )),
                        DocumentOutcome::UnknownKind => {
                            unprocessable(t("apply-document-kind-none"))
                        }
                        DocumentOutcome::PhotoMustBeImage => {
                            unprocessable(t("apply-photo-not-image"))
                        }
                        DocumentOutcome::PhotoRefused(why) => unprocessable(msg(&why)),
                        DocumentOutcome::Limited(limit) => Some(Refusal::limit(limit, &kind)),
                    }
                }
                Err(UploadError::NotAllowed) => unprocessable(t(NOT_ALLOWED)),
                Err(e) => return Err(WebError::unavailable("document storage", e)),
            }
        }
    };
    // A refused document stops a 申請 (it may be the one needed), never the saving.
    let submit = action == "submit" && refused.is_none();
    let typed: Vec<(Field, String)> = Field::ALL
        .iter()
        .copied()
        .filter_map(|f| form.get(f.key()).map(|v| (f, v.clone())))
        .collect();
    let outcome =
        registration::save(state, applicant, id, typed, submit, crate::i18n::lang()).await?;
    let Some(view) = registration::own(state, applicant, id).await? else {
        return Err(WebError::NotFound);
    };
    let mut page = application_page(state, &view, &view.documents, Some(&form), csrf);
    let field_errors = |page: &mut ApplicationPage, errors: &[(Field, Msg)]| {
        for (f, e) in errors {
            if let Some(it) = page.items.iter_mut().find(|i| i.key == f.key()) {
                it.error = Some(field_problem(*f, e));
            }
        }
    };
    if let Some(Refusal {
        status,
        why,
        retry_after,
    }) = refused
    {
        let mut n = Notice::new("error", t("apply-upload-failed"));
        match &outcome {
            SaveOutcome::Saved => n = n.line(t("apply-upload-failed-saved")),
            SaveOutcome::Invalid(errors) => {
                field_errors(&mut page, errors);
                n = n.line(ta(
                    "apply-upload-failed-invalid",
                    &[("count", &errors.len().to_string())],
                ));
            }
            _ => {}
        }
        page.notice = Some(n);
        page.document_error = Some(why);
        let mut resp = html(status, &page)?;
        if let Some(secs) = retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
        }
        return Ok(resp);
    }
    let added_line = |n: Notice| {
        if added {
            n.line(t("apply-document-added-anyway"))
        } else {
            n
        }
    };
    match outcome {
        SaveOutcome::Saved if added => {
            Ok(Redirect::to(&format!("/apply/{id}?done=document#documents")).into_response())
        }
        SaveOutcome::Saved => Ok(Redirect::to(&format!("/apply/{id}?done=saved")).into_response()),
        SaveOutcome::Submitted => {
            Ok(Redirect::to(&format!("/apply/{id}?done=submitted")).into_response())
        }
        SaveOutcome::NotEditable => Ok(Redirect::to(&format!("/apply/{id}")).into_response()),
        SaveOutcome::Invalid(errors) => {
            // What was typed stays on the form, next to what is wrong with it.
            field_errors(&mut page, &errors);
            page.notice = Some(added_line(
                Notice::new(
                    "error",
                    ta("apply-invalid", &[("count", &errors.len().to_string())]),
                )
                .line(t(if submit {
                    "apply-invalid-submit"
                } else {
                    "apply-invalid-save"
                })),
            ));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        SaveOutcome::MissingDocuments(missing) => {
            let mut n = Notice::new("error", t("apply-missing-documents"))
                .line(t("apply-missing-documents-line"));
            for kind in missing {
                n = n.line(ta(
                    "apply-missing-document",
                    &[("document", &document_label(kind))],
                ));
            }
            page.notice = Some(added_line(n));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        SaveOutcome::NoConsent => {
            page.notice = Some(added_line(
                Notice::new("error", t("apply-no-consent")).line(t("apply-no-consent-line")),
            ));
            html(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        SaveOutcome::AlreadyRegistered => {
            page.notice = Some(added_line(
                Notice::new("error", t("apply-already-registered"))
                    .line(t("apply-already-registered-line"))
                    .link("/ccus_skill/id/forgot", t("apply-forgot-id")),
            ));
            html(StatusCode::CONFLICT, &page)
        }
    }
}

/// The application form (see [`answer_form`]).
async fn save(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<i64>,
    body: ApplicationBody,
) -> WebResult<Response> {
    if registration::own(&state, &applicant, id).await?.is_none() {
        return Err(WebError::NotFound);
    }
    let sent = match body {
        ApplicationBody::Form(form) => Sent {
            form,
            file: SentFile::None,
        },
        ApplicationBody::Multipart(m) => read_form(&state, &applicant, id, m).await?,
    };
    answer_form(&state, &applicant, csrf, id, sent, "save").await
}

/// 書類の提出 from a form of its own (a kind and a file): as the application form's
/// 書類をアップロードする.
async fn upload(
    State(state): State<AppState>,
    ApplicantIn(applicant): ApplicantIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<i64>,
    CheckedMultipart(multipart): CheckedMultipart,
) -> WebResult<Response> {
    if registration::own(&state, &applicant, id).await?.is_none() {
        return Err(WebError::NotFound);
    }
    let sent = read_form(&state, &applicant, id, multipart).await?;
    answer_form(&state, &applicant, csrf, id, sent, "upload").await
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
        chrome: Chrome::titled(t("apply-proxy-title")),
        heading: t("apply-proxy-title"),
        notice: None,
        intro: vec![
            t("apply-proxy-intro"),
            t("apply-proxy-intro-consent"),
            t("apply-proxy-intro-login"),
        ],
        action: format!("/{}/proxy", ccus_domain::AccountKind::Business.portal()),
        csrf_token: csrf,
        hidden: vec![],
        fields: vec![],
        submit: t("apply-proxy-open"),
        links: vec![Link::new(
            format!("/{}/home", ccus_domain::AccountKind::Business.portal()),
            t("menu-back"),
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
    let mut page = application_page(&state, &view, &view.documents, None, csrf);
    let (status, notice) = match outcome {
        O::Incomplete(field, why) => {
            let why = field_problem(field, &why);
            if let Some(it) = page.items.iter_mut().find(|i| i.key == field.key()) {
                it.error = Some(why.clone());
            }
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Notice::new("error", t("apply-consent-failed")).line(why),
            )
        }
        O::TooMany => (
            StatusCode::TOO_MANY_REQUESTS,
            Notice::new("error", t("apply-consent-too-many"))
                .line(t("apply-consent-too-many-line")),
        ),
        O::NotPossible | O::Sent => (
            StatusCode::CONFLICT,
            Notice::new("error", t("apply-consent-not-possible")),
        ),
    };
    page.notice = Some(notice);
    html(status, &page)
}

fn consent_gone() -> MessagePage {
    message(
        &t("apply-link-unusable-title"),
        Some(Notice::new("error", t("apply-consent-gone"))),
        vec![t("apply-consent-gone-line")],
        vec![Link::new("/", t("apply-to-site-top"))],
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
                .map(|p| t(&crate::present::labels::apply_key("plan", p.as_str())))
                .unwrap_or_default();
            let page = ConsentPage {
                chrome: Chrome::titled(t("apply-consent-title")),
                business: business_with_id(&cv.business_name, &cv.business_id),
                number: v.application.id,
                summary: vec![
                    (field_label(Field::Name), v.value(Field::Name)),
                    (field_label(Field::Furigana), v.value(Field::Furigana)),
                    (field_label(Field::BirthDate), v.value(Field::BirthDate)),
                    (t("apply-email"), cv.consent.email.clone()),
                    (field_label(Field::Plan), plan),
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
            (t("apply-consented"), t("apply-consented-line"))
        } else {
            (t("apply-declined"), t("apply-declined-line"))
        };
        html(
            StatusCode::OK,
            &message(
                &title,
                Some(Notice::new("success", title.clone())),
                vec![line],
                vec![Link::new("/", t("apply-to-site-top"))],
            ),
        )?
    } else {
        html(StatusCode::GONE, &consent_gone())?
    };
    Ok(token_page(resp))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{text_in, Lang};
    use ccus_domain::registration::FieldProblem;

    /// Every word of the domain that reaches the applicant has its key in every language, and
    /// the Japanese stays what the domain (and the screener's console) says.
    #[test]
    fn the_domain_s_words_have_keys_in_every_language() {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for f in Field::ALL {
            pairs.push((ccus_app::i18n::field_key(f), f.label_ja().to_owned()));
        }
        for s in Status::ALL {
            pairs.push((
                crate::present::labels::apply_key("status", s.as_str()),
                s.label_ja().to_owned(),
            ));
        }
        for c in ccus_domain::registration::DefectCode::ALL {
            pairs.push((ccus_app::i18n::defect_key(c), c.label_ja().to_owned()));
        }
        for k in [ApplicationKind::Technician, ApplicationKind::Business] {
            pairs.push((
                crate::present::labels::apply_key("kind", k.as_str()),
                k.label_ja().to_owned(),
            ));
        }
        for p in [Plan::Basic, Plan::Detailed] {
            pairs.push((
                crate::present::labels::apply_key("plan", p.as_str()),
                p.label_ja().to_owned(),
            ));
        }
        for (prefix, list) in [
            ("gender", GENDERS),
            ("insurance", INSURANCE),
            ("sole", SOLE),
        ] {
            for (v, l) in list {
                pairs.push((
                    crate::present::labels::apply_key(prefix, v),
                    (*l).to_owned(),
                ));
            }
        }
        for (k, l) in registration::DOCUMENT_KINDS {
            pairs.push((
                crate::present::labels::apply_key("document", k),
                (*l).to_owned(),
            ));
        }
        for (k, ja) in &pairs {
            assert_eq!(&text_in(Lang::Ja, k, &[]), ja, "{k}");
            for lang in [Lang::En, Lang::Easy] {
                assert_ne!(&text_in(lang, k, &[]), k, "{k} in {lang:?}");
            }
        }
    }

    /// Why a face photo was refused reads in Japanese as the domain says it.
    #[test]
    fn photo_problems_read_as_the_domain_says_in_japanese() {
        use ccus_documents::photo::PhotoProblem;
        let day = ccus_domain::profile::parse_birth_date("2031-01-02").unwrap();
        for p in [
            PhotoProblem::TooSmall {
                width: 100,
                height: 120,
            },
            PhotoProblem::Sideways,
            PhotoProblem::Unreadable,
            PhotoProblem::TooOld { taken: day },
            PhotoProblem::TakenInFuture { taken: day },
            PhotoProblem::ImpossibleSize {
                width: 0,
                height: 640,
            },
            PhotoProblem::TooManyPixels {
                width: 4000,
                height: 4000,
                max: ccus_documents::photo::MAX_DECODED_PIXELS,
            },
        ] {
            let m = registration::photo_problem_msg(p);
            assert_eq!(m.text(Lang::Ja), p.message_ja(), "{p:?}");
            assert_ne!(m.text(Lang::En), m.key, "{p:?}");
        }
    }

    /// A problem with an item reads as before in Japanese.
    #[test]
    fn field_problems_read_as_the_domain_says_in_japanese() {
        let problems = [
            FieldProblem::TooLong,
            FieldProblem::BadCharacters,
            FieldProblem::Required,
            FieldProblem::Choose,
            FieldProblem::ResidenceCardRequired,
            FieldProblem::FuriganaNotKana,
            FieldProblem::BirthDateFormat,
            FieldProblem::BirthDateInFuture,
            FieldProblem::TooYoung,
            FieldProblem::TooOld,
            FieldProblem::PostalCode,
            FieldProblem::Phone,
            FieldProblem::ResidenceCardFormat,
            FieldProblem::EmployerFormat,
            FieldProblem::EmployerIsTechnician,
            FieldProblem::CapitalFormat,
            FieldProblem::CapitalTooLarge,
        ];
        for f in Field::ALL {
            for p in problems {
                let m = registration::field_problem_msg(f, p);
                assert_eq!(m.text(Lang::Ja), p.message_ja(f), "{f:?} {p:?}");
                assert_eq!(field_problem(f, &m), p.message_ja(f), "{f:?} {p:?}");
            }
        }
    }
}
