//! 登録審査 in the console: the queue of applications, one application with the registered
//! people and other applications that look like the same person, and the decisions — approve,
//! return with 不備 per item, refuse, correct an item, record the fee, issue the ID (with the
//! card notice to print) and make a lost card again. Screeners and supervisors only; every
//! decision is audited with its reason. A decision refused for what it lacks shows the page
//! again (422) with the reason next to the box and everything typed kept.

use crate::forms::lenient_query;
use crate::forms::CheckedForm;
use crate::pages::html;
use crate::present::labels::defect_label;
use crate::present::labels::document_label;
use crate::present::labels::field_label;
use crate::present::labels::id_kind_of;
use crate::present::labels::size_label;
use crate::present::lookup_row;
use crate::present::Chrome;
use crate::present::Link;
use crate::present::MessagePage;
use crate::present::Notice;
use crate::registration::views::CardNoticePage;
use crate::registration::views::CardWords;
use crate::registration::views::IssuedPanel;
use crate::registration::views::SamePersonRow;
use crate::registration::views::ScreenItem;
use crate::registration::views::ScreeningPage;
use crate::registration::views::ScreeningQueuePage;
use crate::registration::views::ScreeningRow;
use crate::registration::views::TextField;
use crate::session::StaffIn;
use axum::routing::{get, post};
use axum::Router;
use ccus_domain::ApplicationId;
use ccus_domain::DocumentId;

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use ccus_app::account::provisioning::CreatedAccount;
use ccus_app::registration::{
    self, ApplicationView, CorrectOutcome, DecideOutcome, Decision, DecisionProblem, IssueOutcome,
    PaymentOutcome, ReissueOutcome,
};
use ccus_domain::registration::{ApplicationKind, DefectCode, Field};

use crate::error::WebResult;
use crate::i18n::{self, text_in, Lang};
use crate::session::CsrfToken;
use crate::AppState;

mod card;
use card::card_page;

/// The console's answer to staff whose role does not screen: what was refused and why (not
/// the anti-forgery page).
fn not_a_screener(staff: &StaffIn, csrf: &str) -> WebResult<Response> {
    let page = MessagePage {
        chrome: staff.chrome(&i18n::t("helpdesk-nav-registrations"), csrf),
        heading: i18n::t("helpdesk-nav-registrations"),
        notice: Some(
            Notice::new("error", i18n::t("helpdesk-reg-not-screener"))
                .line(i18n::t("helpdesk-reg-not-screener-why")),
        ),
        lines: vec![],
        links: vec![Link::new(
            "/helpdesk".to_owned(),
            i18n::t("helpdesk-back-home"),
        )],
    };
    html(StatusCode::FORBIDDEN, &page)
}

fn screens(staff: &StaffIn) -> bool {
    registration::may_screen(&staff.session.staff)
}

/// 技能者 / 事業者 / 代行申請, in the page's language.
fn kind_of(v: &ApplicationView) -> String {
    i18n::t(match v.kind() {
        _ if v.is_proxy() => "helpdesk-reg-kind-proxy",
        ApplicationKind::Technician => "helpdesk-reg-kind-technician",
        ApplicationKind::Business => "helpdesk-reg-kind-business",
    })
}

pub(super) async fn registrations(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
) -> WebResult<Response> {
    if !screens(&staff) {
        return not_a_screener(&staff, &csrf);
    }
    let rows = registration::screening_queue(&state, &staff.session.staff)
        .await?
        .into_iter()
        .map(|e| {
            let v = &e.view;
            ScreeningRow {
                id: v.application.id,
                name: v.display_name(),
                furigana: match v.kind() {
                    ApplicationKind::Business => v.value(Field::CompanyFurigana),
                    ApplicationKind::Technician => v.value(Field::Furigana),
                },
                kind: kind_of(v),
                language: e.language.name().to_owned(),
                status: crate::present::labels::status_label(v.application.status),
                submitted: v
                    .application
                    .submitted_at
                    .map(|t| t.jst())
                    .unwrap_or_default(),
                fee: ccus_app::i18n::yen(v.application.fee_yen),
                paid: v.application.paid_at.is_some(),
            }
        })
        .collect();
    html(
        StatusCode::OK,
        &ScreeningQueuePage {
            chrome: staff.chrome(&i18n::t("helpdesk-nav-registrations"), &csrf),
            rows,
        },
    )
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: String,
}

/// A form of the page that was refused: what was typed into it, and what each box lacks
/// (by field name; `""` for the form as a whole).
#[derive(Debug, Default)]
struct Refused {
    action: String,
    typed: HashMap<String, String>,
    errors: HashMap<String, String>,
}

impl Refused {
    fn new(action: &str, typed: &HashMap<String, String>) -> Self {
        Refused {
            action: action.to_owned(),
            typed: typed.clone(),
            errors: HashMap::new(),
        }
    }
    fn error(mut self, field: &str, text: String) -> Self {
        self.errors.insert(field.to_owned(), text);
        self
    }
}

/// A text box of the page's form `action`, filled again when that form was refused.
fn text_field(
    refused: Option<&Refused>,
    action: &str,
    name: &str,
    label_key: &str,
    hint_key: Option<&str>,
    maxlength: u32,
) -> TextField {
    let mine = refused.filter(|r| r.action == action);
    TextField {
        id: format!("{action}_{name}"),
        name: name.to_owned(),
        label: i18n::t(label_key),
        hint: hint_key.map(i18n::t).unwrap_or_default(),
        value: mine
            .and_then(|r| r.typed.get(name).cloned())
            .unwrap_or_default(),
        error: mine
            .and_then(|r| r.errors.get(name).cloned())
            .unwrap_or_default(),
        maxlength,
    }
}

use crate::registration::field_problem;

/// The application's page, with `notice` above and, when a form was refused, that form as it
/// was typed with the reasons.
async fn screening_page(
    state: &AppState,
    staff: &StaffIn,
    csrf: &str,
    id: ApplicationId,
    notice: Option<Notice>,
    refused: Option<&Refused>,
    status: StatusCode,
) -> WebResult<Response> {
    let Some(s) = registration::screening_view(state, &staff.session.staff, id).await? else {
        return Err(crate::error::WebError::NotFound);
    };
    let v = &s.view;
    let a = &v.application;
    let documents = &v.documents;
    let returning = refused.filter(|r| r.action == "return");
    let typed = |name: &str| {
        returning
            .and_then(|r| r.typed.get(name).cloned())
            .unwrap_or_default()
    };
    let items = v
        .kind()
        .fields()
        .iter()
        .map(|f| {
            let comment_name = format!("comment_{}", f.key());
            ScreenItem {
                key: f.key(),
                label: field_label(*f),
                // A choice reads as its label, as the applicant chose it.
                shown: crate::registration::item(*f, &v.value(*f)).shown,
                flagged: typed(&format!("flag_{}", f.key())) == "1",
                code: typed(&format!("code_{}", f.key())),
                comment: TextField {
                    id: comment_name.clone(),
                    label: i18n::ta("helpdesk-defect-comment", &[("field", &field_label(*f))]),
                    value: typed(&comment_name),
                    error: returning
                        .and_then(|r| r.errors.get(&comment_name).cloned())
                        .unwrap_or_default(),
                    name: comment_name,
                    hint: String::new(),
                    maxlength: 200,
                },
            }
        })
        .collect();
    let defects = v
        .defects
        .iter()
        .map(|d| {
            (
                Field::parse(&d.field).map_or_else(|| d.field.clone(), field_label),
                defect_label(d.code),
                d.comment.clone(),
                d.resolved_at.is_some(),
            )
        })
        .collect();
    let page_lang = i18n::lang();
    let reader = s.language;
    // The 不備 reach the applicant as the code's own words in their language, and the comment
    // as written: when they read another language, each code says what they will read.
    let codes = DefectCode::ALL
        .into_iter()
        .map(|c| {
            let here = defect_label(c);
            let label = if reader == page_lang {
                here
            } else {
                i18n::ta(
                    "helpdesk-defect-as-read",
                    &[
                        ("code", &here),
                        ("language", reader.name()),
                        (
                            "read",
                            &text_in(reader, &ccus_app::i18n::defect_key(c), &[]),
                        ),
                    ],
                )
            };
            (c.as_str(), label)
        })
        .collect();
    let language_hint = if reader == page_lang {
        String::new()
    } else {
        i18n::ta("helpdesk-reg-language-hint", &[("language", reader.name())])
    };
    let issued = s.issued_account.as_ref().map(|acc| IssuedPanel {
        account_id: acc.id,
        login_id: acc.login_id.grouped(),
        reissuable: s.card_reissuable(),
        reason: text_field(
            refused,
            "reissue",
            "reason",
            "helpdesk-reissue-reason",
            Some("helpdesk-reissue-reason-hint"),
            200,
        ),
    });
    let page = ScreeningPage {
        chrome: Chrome {
            // A page shown again after a refused form: the switch comes back here.
            back: format!("/helpdesk/registrations/{id}"),
            ..staff.chrome(
                &i18n::ta("helpdesk-application", &[("id", &id.to_string())]),
                csrf,
            )
        },
        id_label: id_kind_of(v.kind().account_kind()),
        notice,
        id,
        kind: kind_of(v),
        status: crate::present::labels::status_label(a.status),
        status_code: a.status.as_str(),
        applicant_email: s.applicant_email.clone(),
        language: reader.name().to_owned(),
        language_hint,
        proxy: match &v.business {
            Some(b) => i18n::ta(
                "helpdesk-proxy",
                &[
                    ("business", &b.name),
                    ("id", &b.login_id.grouped()),
                    (
                        "consent",
                        &i18n::msg(&v.consent_msg(documents, state.clock().now())),
                    ),
                ],
            ),
            None => String::new(),
        },
        fee: ccus_app::i18n::yen(a.fee_yen),
        payment: a
            .paid_at
            .map(|t| {
                i18n::ta(
                    "helpdesk-payment",
                    &[("at", &t.jst()), ("reference", &a.payment_reference)],
                )
            })
            .unwrap_or_default(),
        items,
        lookalikes: s
            .registered_lookalikes
            .iter()
            .cloned()
            .map(lookup_row)
            .collect(),
        others: s
            .other_applications
            .iter()
            .map(|o| (o.id, crate::present::labels::status_label(o.status)))
            .collect(),
        same_registered: s
            .same_person_registered
            .iter()
            .map(|p| {
                let row = lookup_row(p.account.clone());
                SamePersonRow {
                    account_id: p.account.id,
                    login_id: row.login_id.clone(),
                    person: row.person(),
                    application: p
                        .application
                        .map(ApplicationId::get)
                        .map(ApplicationId::new),
                }
            })
            .collect(),
        same_applications: s.same_person_applications.clone(),
        defects,
        fields: v
            .kind()
            .fields()
            .iter()
            .map(|f| (f.key(), field_label(*f)))
            .collect(),
        codes,
        csrf_token: csrf.to_owned(),
        documents: documents
            .iter()
            .map(|d| {
                (
                    d.id,
                    document_label(&d.kind),
                    d.original_name.clone(),
                    size_label(d.size),
                )
            })
            .collect(),
        return_error: returning
            .and_then(|r| r.errors.get("").cloned())
            .unwrap_or_default(),
        return_reason: text_field(
            refused,
            "return",
            "reason",
            "helpdesk-return-reason",
            None,
            200,
        ),
        correct_field: refused
            .filter(|r| r.action == "correct")
            .and_then(|r| r.typed.get("field").cloned())
            .unwrap_or_default(),
        correct_value: text_field(
            refused,
            "correct",
            "value",
            "helpdesk-correct-value",
            None,
            200,
        ),
        correct_reason: text_field(
            refused,
            "correct",
            "reason",
            "helpdesk-correct-reason",
            None,
            200,
        ),
        approve_reason: text_field(
            refused,
            "approve",
            "reason",
            "helpdesk-approve-reason",
            None,
            200,
        ),
        reject_reason: text_field(
            refused,
            "reject",
            "reason",
            "helpdesk-reject-reason",
            Some("helpdesk-reject-reason-hint"),
            500,
        ),
        reference: text_field(
            refused,
            "payment",
            "reference",
            "helpdesk-payment-reference",
            None,
            100,
        ),
        issue_error: refused
            .filter(|r| r.action == "issue")
            .and_then(|r| r.errors.get("").cloned())
            .unwrap_or_default(),
        issued,
        deleted_after: s
            .deleted_after
            .map(|t| t.jst_not_before())
            .unwrap_or_default(),
        rejection: a.rejection.clone(),
    };
    html(status, &page)
}

pub(super) async fn registration(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<ApplicationId>,
    uri: axum::http::Uri,
) -> WebResult<Response> {
    if !screens(&staff) {
        return not_a_screener(&staff, &csrf);
    }
    let q: DoneQuery = lenient_query(&uri);
    let notice = match q.done.as_str() {
        "approved" => Some(Notice::new("success", i18n::t("helpdesk-reg-approved"))),
        "returned" => Some(Notice::new("success", i18n::t("helpdesk-reg-returned"))),
        "rejected" => Some(Notice::new("success", i18n::t("helpdesk-reg-rejected"))),
        "corrected" => Some(Notice::new("success", i18n::t("helpdesk-reg-corrected"))),
        "paid" => Some(Notice::new("success", i18n::t("helpdesk-reg-paid"))),
        "stale" => Some(Notice::new("warning", i18n::t("helpdesk-reg-stale"))),
        "issued" => Some(
            Notice::new("info", i18n::t("helpdesk-reg-issued-already"))
                .line(i18n::t("helpdesk-reg-issued-already-card")),
        ),
        _ => None,
    };
    screening_page(&state, &staff, &csrf, id, notice, None, StatusCode::OK).await
}

/// A document of an application, for a screener (audited).
pub(super) async fn registration_document(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    Path((id, doc)): Path<(ApplicationId, DocumentId)>,
) -> WebResult<Response> {
    if !screens(&staff) {
        return not_a_screener(&staff, &csrf);
    }
    let Some((d, bytes)) =
        registration::document_for_screener(&state, &staff.session.staff, id, doc).await?
    else {
        return Err(crate::error::WebError::NotFound);
    };
    let file_type = ccus_app::attachments::FileType::from_content_type(&d.content_type);
    let content_type = file_type
        .map(|t| t.content_type())
        .unwrap_or("application/octet-stream");
    let disposition =
        axum::http::HeaderValue::from_str(&ccus_app::attachments::content_disposition(
            &ccus_app::attachments::download_name(&d.original_name, file_type),
        ))
        .unwrap_or_else(|_| axum::http::HeaderValue::from_static("attachment"));
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static(content_type),
            ),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// 「同じ人がすでに登録されています」, naming the ID and the application that issued it.
fn already_registered(login_id: &str, application: Option<i64>) -> String {
    match application {
        Some(n) => i18n::ta(
            "helpdesk-reg-same-person-by-application",
            &[("id", login_id), ("application", &n.to_string())],
        ),
        None => i18n::ta("helpdesk-reg-same-person", &[("id", login_id)]),
    }
}

pub(super) async fn registration_act(
    State(state): State<AppState>,
    staff: StaffIn,
    Path((id, action)): Path<(ApplicationId, String)>,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    if !screens(&staff) {
        return not_a_screener(&staff, &csrf);
    }
    let me = &staff.session.staff;
    // A draft, or an application that does not exist, is nobody's to act on here.
    if !registration::may_see(&state, me, id).await? {
        return Err(crate::error::WebError::NotFound);
    }
    let get = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let back = |done: &str| {
        Ok(Redirect::to(&format!("/helpdesk/registrations/{id}?done={done}")).into_response())
    };
    let reason_needed = || i18n::t("helpdesk-reason-required");
    // The page again, with the form as typed and what it lacks.
    let again = |refused: Refused, notice: Option<Notice>, status: StatusCode| {
        let (state, staff, csrf) = (&state, &staff, csrf.clone());
        async move { screening_page(state, staff, &csrf, id, notice, Some(&refused), status).await }
    };
    let check_input = || Some(Notice::new("error", i18n::t("helpdesk-check-input")));
    let decided = |outcome: DecideOutcome, done: &'static str, refused: Refused| async move {
        match outcome {
            DecideOutcome::Done => back(done),
            DecideOutcome::Stale => back("stale"),
            DecideOutcome::AlreadyRegistered {
                login_id,
                application,
            } => {
                let why = already_registered(&login_id, application);
                let notice =
                    Notice::new("error", why).line(i18n::t("helpdesk-reg-same-person-then"));
                again(refused, Some(notice), StatusCode::CONFLICT).await
            }
            DecideOutcome::Invalid(problems) => {
                let mut refused = refused;
                for p in problems {
                    refused = match p {
                        DecisionProblem::NeedsReason => refused.error("reason", reason_needed()),
                        DecisionProblem::NoItems => {
                            refused.error("", i18n::t("helpdesk-reg-nothing"))
                        }
                        DecisionProblem::NeedsComment(f) => refused.error(
                            &format!("comment_{}", f.key()),
                            i18n::ta(
                                "helpdesk-defect-comment-required",
                                &[("field", &field_label(f))],
                            ),
                        ),
                    };
                }
                again(refused, check_input(), StatusCode::UNPROCESSABLE_ENTITY).await
            }
        }
    };
    match action.as_str() {
        "approve" => {
            let outcome =
                registration::decide(&state, me, id, Decision::Approve, &get("reason")).await?;
            decided(outcome, "approved", Refused::new("approve", &form)).await
        }
        "reject" => {
            let outcome =
                registration::decide(&state, me, id, Decision::Reject, &get("reason")).await?;
            decided(outcome, "rejected", Refused::new("reject", &form)).await
        }
        "return" => {
            let defects: Vec<(Field, DefectCode, String)> = Field::ALL
                .into_iter()
                .filter(|f| get(&format!("flag_{}", f.key())) == "1")
                .map(|f| {
                    let code = DefectCode::parse(&get(&format!("code_{}", f.key())))
                        .unwrap_or(DefectCode::Other);
                    let comment: String = get(&format!("comment_{}", f.key()))
                        .chars()
                        .take(200)
                        .collect();
                    (f, code, comment)
                })
                .collect();
            let outcome =
                registration::decide(&state, me, id, Decision::Return(defects), &get("reason"))
                    .await?;
            decided(outcome, "returned", Refused::new("return", &form)).await
        }
        "correct" => {
            let refused = Refused::new("correct", &form);
            let Some(field) = Field::parse(&get("field")) else {
                let why = i18n::t("helpdesk-correct-not-an-item");
                return again(
                    refused.error("value", why),
                    check_input(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            };
            match registration::correct_item(&state, me, id, field, &get("value"), &get("reason"))
                .await?
            {
                CorrectOutcome::Corrected => back("corrected"),
                CorrectOutcome::NotWaiting => back("stale"),
                CorrectOutcome::NoReason => {
                    again(
                        refused.error("reason", i18n::t("helpdesk-correct-reason-required")),
                        check_input(),
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await
                }
                CorrectOutcome::Invalid(why) => {
                    again(
                        refused.error("value", field_problem(field, &why)),
                        check_input(),
                        StatusCode::UNPROCESSABLE_ENTITY,
                    )
                    .await
                }
            }
        }
        "payment" => match registration::record_payment(&state, me, id, &get("reference")).await? {
            PaymentOutcome::Recorded => back("paid"),
            PaymentOutcome::Stale => back("stale"),
            PaymentOutcome::NeedsReference => {
                again(
                    Refused::new("payment", &form)
                        .error("reference", i18n::t("helpdesk-payment-reference-required")),
                    check_input(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
        },
        "issue" => match registration::issue(&state, me, id).await? {
            IssueOutcome::Issued(created) => {
                card_page(&state, &staff, &csrf, id, &created, false).await
            }
            // A second click, or another screener's: the card is offered again on the page.
            IssueOutcome::AlreadyIssued => back("issued"),
            IssueOutcome::NotReady => back("stale"),
            IssueOutcome::AlreadyRegistered {
                login_id,
                application,
            } => {
                let why = already_registered(&login_id, application);
                let notice = Notice::new("error", why.clone())
                    .line(i18n::t("helpdesk-reg-same-person-then"));
                again(
                    Refused::new("issue", &form).error("", why),
                    Some(notice),
                    StatusCode::CONFLICT,
                )
                .await
            }
        },
        "reissue" => match registration::reissue_card(&state, me, id, &get("reason")).await? {
            ReissueOutcome::Reissued(created) => {
                card_page(&state, &staff, &csrf, id, &created, true).await
            }
            ReissueOutcome::NeedsReason => {
                again(
                    Refused::new("reissue", &form).error("reason", reason_needed()),
                    check_input(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            ReissueOutcome::FirstLoginDone => {
                let notice = Notice::new("error", i18n::t("helpdesk-reissue-refused"))
                    .line(i18n::t("helpdesk-reissue-closed"));
                again(
                    Refused::new("reissue", &form),
                    Some(notice),
                    StatusCode::CONFLICT,
                )
                .await
            }
            ReissueOutcome::NotIssued => back("stale"),
        },
        _ => Err(crate::error::WebError::NotFound),
    }
}

/// 登録審査 in the console: the queue, an application, its documents and decisions.
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/helpdesk/registrations", get(registrations))
        .route("/helpdesk/registrations/{id}", get(registration))
        .route(
            "/helpdesk/registrations/{id}/documents/{doc}",
            get(registration_document),
        )
        .route(
            "/helpdesk/registrations/{id}/{action}",
            post(registration_act),
        )
}
