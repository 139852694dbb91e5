//! 登録審査 in the console: the queue of applications, one application with the registered
//! people and other applications that look like the same person, and the decisions — approve,
//! return with 不備 per item, record the fee, issue the ID (with the card notice to print).
//! Screeners and supervisors only; every decision is audited.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use ccus_domain::registration::{DefectCode, Field};

use super::{
    application_status, defect_label, document_label, field_label, html, id_kind_of, lenient_query,
    lookup_row, CheckedForm, StaffIn,
};
use crate::error::{WebError, WebResult};
use crate::i18n::{self, text_in, Lang};
use crate::session::CsrfToken;
use crate::views::{
    CardNoticePage, CardWords, Notice, ScreenItem, ScreeningPage, ScreeningQueuePage, ScreeningRow,
};
use crate::AppState;
use ccus_app::registration::{self, Decision};

fn screener(staff: &StaffIn) -> WebResult<()> {
    if registration::may_screen(&staff.session.staff) {
        Ok(())
    } else {
        Err(WebError::NotPermitted("helpdesk-refused-screening"))
    }
}

pub(super) async fn registrations(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
) -> WebResult<Response> {
    screener(&staff)?;
    let rows = registration::screening_queue(&state, &staff.session.staff)
        .await?
        .into_iter()
        .map(|v| ScreeningRow {
            id: v.application.id,
            name: v.display_name(),
            furigana: match v.kind() {
                ccus_domain::registration::ApplicationKind::Business => {
                    v.value(Field::CompanyFurigana)
                }
                ccus_domain::registration::ApplicationKind::Technician => v.value(Field::Furigana),
            },
            status: application_status(v.application.status),
            submitted: v
                .application
                .submitted_at
                .map(|t| t.jst())
                .unwrap_or_default(),
            fee: ccus_app::mails::yen(v.application.fee_yen),
            paid: v.application.paid_at.is_some(),
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

pub(super) async fn registration(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<i64>,
    uri: axum::http::Uri,
) -> WebResult<Response> {
    screener(&staff)?;
    let Some(s) = registration::screening_view(&state, &staff.session.staff, id).await? else {
        return Err(WebError::NotFound);
    };
    let v = &s.view;
    let a = &v.application;
    let q: DoneQuery = lenient_query(&uri);
    let notice = match q.done.as_str() {
        "approved" => Some(Notice::new("success", i18n::t("helpdesk-reg-approved"))),
        "returned" => Some(Notice::new("success", i18n::t("helpdesk-reg-returned"))),
        "paid" => Some(Notice::new("success", i18n::t("helpdesk-reg-paid"))),
        "stale" => Some(Notice::new("warning", i18n::t("helpdesk-reg-stale"))),
        "nothing" => Some(Notice::new("error", i18n::t("helpdesk-reg-nothing"))),
        _ => None,
    };
    let documents = state.store().application_documents(id).await?;
    let items = v
        .kind()
        .fields()
        .iter()
        .map(|f| ScreenItem {
            key: f.key(),
            label: field_label(*f),
            // A choice reads as its label, as the applicant chose it.
            shown: super::super::apply::item(*f, &v.value(*f)).shown,
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
    html(
        StatusCode::OK,
        &ScreeningPage {
            chrome: staff.chrome(
                &i18n::ta("helpdesk-application", &[("id", &id.to_string())]),
                &csrf,
            ),
            id_label: id_kind_of(v.kind().account_kind()),
            notice,
            id,
            status: application_status(a.status),
            status_code: a.status.as_str(),
            applicant_email: s.applicant_email.clone(),
            proxy: match &v.business {
                Some(b) => i18n::ta(
                    "helpdesk-proxy",
                    &[
                        ("business", &b.name),
                        ("id", &b.login_id.grouped()),
                        (
                            "consent",
                            &i18n::msg(&v.consent_msg(&documents, state.clock().now())),
                        ),
                    ],
                ),
                None => String::new(),
            },
            fee: ccus_app::mails::yen(a.fee_yen),
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
                .map(|o| (o.id, application_status(o.status)))
                .collect(),
            defects,
            fields: v
                .kind()
                .fields()
                .iter()
                .map(|f| (f.key(), field_label(*f)))
                .collect(),
            codes: DefectCode::ALL
                .into_iter()
                .map(|c| (c.as_str(), defect_label(c)))
                .collect(),
            csrf_token: csrf,
            documents: documents
                .into_iter()
                .map(|d| {
                    (
                        d.id,
                        document_label(&d.kind),
                        d.original_name,
                        size_label(d.size),
                    )
                })
                .collect(),
        },
    )
}

/// The registration card's words as printed for the worker: Japanese, like the PDF.
fn card_words(kind: ccus_domain::AccountKind, name: &str, furigana: &str) -> CardWords {
    let ja = |key: &str| text_in(Lang::Ja, key, &[]);
    let kind_ja = text_in(
        Lang::Ja,
        match kind {
            ccus_domain::AccountKind::Technician => "kind-technician",
            ccus_domain::AccountKind::Business => "kind-business",
        },
        &[],
    );
    let with_kind = |key: &str| text_in(Lang::Ja, key, &[("kind", &kind_ja)]);
    CardWords {
        heading: with_kind("helpdesk-card-notice"),
        name: ja(match kind {
            ccus_domain::AccountKind::Business => "helpdesk-card-company",
            ccus_domain::AccountKind::Technician => "helpdesk-card-name",
        }),
        person: text_in(
            Lang::Ja,
            "helpdesk-paren",
            &[("main", name), ("detail", furigana)],
        ),
        id: with_kind("helpdesk-card-id"),
        password: ja("helpdesk-card-password"),
        issued: ja("helpdesk-card-issued"),
        expires: ja("helpdesk-card-expires"),
        code: ja("helpdesk-card-code"),
        first_login: with_kind("helpdesk-card-first-login"),
    }
}

/// `123 KB`, `1.2 MB`.
pub(crate) fn size_label(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// A document of an application, for a screener (audited).
pub(super) async fn registration_document(
    State(state): State<AppState>,
    staff: StaffIn,
    Path((id, doc)): Path<(i64, i64)>,
) -> WebResult<Response> {
    screener(&staff)?;
    let Some((d, bytes)) =
        registration::document_for_screener(&state, &staff.session.staff, id, doc).await?
    else {
        return Err(WebError::NotFound);
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

pub(super) async fn registration_act(
    State(state): State<AppState>,
    staff: StaffIn,
    Path((id, action)): Path<(i64, String)>,
    CheckedForm(form): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    screener(&staff)?;
    let me = &staff.session.staff;
    let get = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let back = |done: &str| {
        Ok(Redirect::to(&format!("/helpdesk/registrations/{id}?done={done}")).into_response())
    };
    match action.as_str() {
        "approve" => {
            if registration::decide(&state, me, id, Decision::Approve, &get("reason")).await? {
                back("approved")
            } else {
                back("stale")
            }
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
            if defects.is_empty() {
                return back("nothing");
            }
            if registration::decide(&state, me, id, Decision::Return(defects), &get("reason"))
                .await?
            {
                back("returned")
            } else {
                back("stale")
            }
        }
        "correct" => {
            let Some(field) = Field::parse(&get("field")) else {
                return back("invalid");
            };
            match registration::correct_item(&state, me, id, field, &get("value"), &get("reason"))
                .await?
            {
                registration::CorrectOutcome::Corrected => back("corrected"),
                registration::CorrectOutcome::NoReason => back("noreason"),
                registration::CorrectOutcome::Invalid(_) => back("invalid"),
                registration::CorrectOutcome::NotWaiting => back("stale"),
            }
        }
        "payment" => {
            if registration::record_payment(&state, me, id, &get("reference")).await? {
                back("paid")
            } else {
                back("stale")
            }
        }
        "issue" => {
            let Some(created) = registration::issue(&state, me, id).await? else {
                return back("stale");
            };
            let acct = &created.account;
            let card = registration::card_notice(&state, me, id, &created).await?;
            let page = CardNoticePage {
                chrome: crate::views::Chrome {
                    // No language switch: the secrets on this page are shown only once, and
                    // leaving it would lose them.
                    back: String::new(),
                    ..staff.chrome(&i18n::t("helpdesk-card-title"), "")
                },
                login_id: acct.login_id.grouped(),
                initial_password: created
                    .initial_password
                    .as_ref()
                    .map(|p| p.expose().to_owned())
                    .unwrap_or_default(),
                security_code: created
                    .security_code
                    .as_ref()
                    .map(|c| c.expose().to_owned())
                    .unwrap_or_default(),
                card: card_words(acct.kind(), &acct.name, &acct.profile.furigana),
                issued: card.issued,
                expires: card.expires,
                application: id,
                kind_label: i18n::kind(acct.kind()),
                pdf_href: format!(
                    "data:application/pdf;base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(&card.pdf)
                ),
                pdf_name: i18n::ta("helpdesk-card-file", &[("id", &id.to_string())]),
            };
            let mut resp = html(StatusCode::OK, &page)?;
            // Secrets on this page: never kept by a cache.
            resp.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            Ok(resp)
        }
        _ => Err(WebError::NotFound),
    }
}
