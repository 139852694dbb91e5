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
use crate::i18n;
use crate::security::token_hash;
use crate::session::{Client, CsrfToken};
use crate::views::{
    AuditRow, Chrome, Field, FormPage, HelpdeskAccountPage, HelpdeskAuditPage, HelpdeskEnrollPage,
    HelpdeskHomePage, HelpdeskInquiryPage, HelpdeskOperationsPage, HelpdeskQueuePage,
    InquiryContext, Link, LookupRow, MessagePage, Notice, OpsTyped, QueueRow, StaffAction,
    StaffNav,
};
use crate::AppState;
use ccus_app::auth::staff::StaffResumed;
use ccus_app::auth::staff::{self, Enrolment, StaffLogin};
use ccus_app::helpdesk::{self, AccountAction, ActionOutcome, InquiryAction};
use ccus_app::ops::operations::{self, Operation, OperationError, OperationOutcome, Operator};

const STAFF_COOKIE: &str = "ccus_staff";

mod accounts;
mod inquiries;
mod login;
mod ops;
mod registrations;
pub(crate) use registrations::size_label;

use accounts::{account, act, audit, home};
use inquiries::{file, inquiry, inquiry_act, queue};
use login::{
    add_passkey, enroll, enroll_form, login, login_form, logout, passkey_options, passkeys,
    password_form, remove_passkey, set_password,
};
use ops::{cancel_maintenance, guide_counts, operate, operations};
use registrations::{registration, registration_act, registration_document, registrations};
// Shared by the areas of the console.
use accounts::DoneQuery;
use login::CodeForm;

pub(in crate::routes) fn routes() -> Router<AppState> {
    Router::new()
        .route("/helpdesk", get(home))
        .route("/helpdesk/login", get(login_form).post(login))
        .route("/helpdesk/enroll", get(enroll_form).post(enroll))
        .route("/helpdesk/logout", post(logout))
        .route("/helpdesk/password", get(password_form).post(set_password))
        .route("/helpdesk/audit", get(audit))
        .route("/helpdesk/passkey/options", get(passkey_options))
        .route("/helpdesk/passkeys", get(passkeys).post(add_passkey))
        .route("/helpdesk/passkeys/{id}/remove", post(remove_passkey))
        .route("/helpdesk/guide", get(guide_counts))
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

// ---- cookie and session ----------------------------------------------------------------------

pub(super) fn set_cookie(state: &AppState, value: &str, max_age: Option<u64>) -> HeaderValue {
    state
        .cookies()
        .set_scoped(STAFF_COOKIE, value, "/helpdesk", max_age)
}

pub(super) fn staff_token(state: &AppState, headers: &HeaderMap) -> Option<String> {
    state.cookies().get_scoped(headers, STAFF_COOKIE)
}

/// An account as a row of look-up results or inquiry candidates.
pub(super) fn lookup_row(a: ccus_storage::Account) -> LookupRow {
    LookupRow {
        id: a.id,
        login_id: a.login_id.grouped(),
        kind: i18n::kind(a.kind()),
        name: a.name,
        furigana: a.profile.furigana,
        birth_date: a.profile.birth_date.unwrap_or_default(),
    }
}

/// A signed-in staff member (second factor done, unless the path is the enrolment page).
pub(super) struct StaffIn {
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
        let session = match ccus_app::auth::staff::resume_session(state, &token)
            .await
            .map_err(|e| WebError::from(e).into_response())?
        {
            StaffResumed::Active(s) => *s,
            StaffResumed::TimedOut => {
                return Err(Redirect::to("/helpdesk/login?timeout=1").into_response())
            }
            StaffResumed::Ended => return Err(to_login()),
        };
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
        Ok(StaffIn {
            session,
            token_hash: hash,
        })
    }
}

/// The frame of a console page before sign-in completes: staff header and footer, no menu.
pub(super) fn staff_chrome(title: &str) -> Chrome {
    Chrome {
        staff_area: true,
        ..Chrome::titled(i18n::ta("helpdesk-page-title", &[("title", title)]))
    }
}

/// `main（detail）` in the page's language.
pub(super) fn paren(main: &str, detail: &str) -> String {
    i18n::ta("helpdesk-paren", &[("main", main), ("detail", detail)])
}

/// 技能者ID / 事業者ID in the page's language.
pub(super) fn id_kind_of(kind: ccus_domain::AccountKind) -> String {
    i18n::t(match kind {
        ccus_domain::AccountKind::Technician => "id-technician",
        ccus_domain::AccountKind::Business => "id-business",
    })
}

/// The catalog key of a code: `helpdesk-<prefix>-<code>`, underscores as hyphens.
fn code_key(prefix: &str, code: &str) -> String {
    format!("helpdesk-{prefix}-{}", code.replace('_', "-"))
}

/// An inquiry's status in the page's language.
pub(super) fn inquiry_status(s: InquiryStatus) -> String {
    i18n::t(&code_key("inquiry", s.as_str()))
}

/// An audit action in the page's language; an unknown code is shown as it is.
pub(super) fn audit_action(code: &str) -> String {
    if ccus_domain::audit::action_label(code) == code {
        code.to_owned()
    } else {
        i18n::t(&code_key("audit", code))
    }
}

/// An ending of 「ログインできない方へ」 in the page's language.
pub(super) fn guide_ending(e: ccus_domain::guide::Ending) -> String {
    i18n::t(&code_key("ending", e.as_str()))
}

/// Where an application stands, in the page's language.
pub(super) fn application_status(s: ccus_domain::registration::Status) -> String {
    super::apply::status_label(s)
}

/// An item of an application, in the page's language.
pub(super) fn field_label(f: ccus_domain::registration::Field) -> String {
    i18n::t(&ccus_app::i18n::field_key(f))
}

/// A reason for 不備, in the page's language.
pub(super) fn defect_label(c: ccus_domain::registration::DefectCode) -> String {
    i18n::t(&ccus_app::i18n::defect_key(c))
}

/// A kind of application document, in the page's language.
pub(super) fn document_label(kind: &str) -> String {
    super::apply::document_label(kind)
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
                screener: ccus_app::registration::may_screen(s),
                csrf_token: csrf.to_owned(),
            }),
            ..staff_chrome(title)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{text_in, Lang};
    use ccus_domain::registration::{DefectCode, Field};

    /// Every code the console puts into words has them in every language, and the Japanese is
    /// the domain's own.
    #[test]
    fn every_code_reads_as_before_in_japanese_and_has_words_in_every_language() {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for s in InquiryStatus::ALL {
            pairs.push((code_key("inquiry", s.as_str()), s.label_ja().into()));
        }
        for code in [
            "login",
            "logout",
            "password-set",
            "send-id",
            "unlock",
            "reset",
            "email",
            "inquiry-status",
            "inquiry-note",
            "inquiry-reply",
            "file-download",
            "operations-maintenance",
            "operations-cancel",
            "operations-notice",
            "operations-faq",
            "registration-return",
            "registration-approve",
            "registration-paid",
            "registration-issue",
            "registration-document",
            "registration-correct",
            "registration-reject",
            "registration-reissue",
        ] {
            assert_ne!(ccus_domain::audit::action_label(code), code, "{code}");
            pairs.push((
                code_key("audit", code),
                ccus_domain::audit::action_label(code).into(),
            ));
        }
        for e in ccus_domain::guide::Ending::ALL {
            pairs.push((code_key("ending", e.as_str()), e.label_ja().into()));
        }
        for f in Field::ALL {
            pairs.push((ccus_app::i18n::field_key(f), f.label_ja().into()));
        }
        for c in DefectCode::ALL {
            pairs.push((ccus_app::i18n::defect_key(c), c.label_ja().into()));
        }
        for (key, ja) in pairs {
            assert_eq!(text_in(Lang::Ja, &key, &[]), ja, "{key}");
            for lang in Lang::ALL {
                assert_ne!(text_in(lang, &key, &[]), key, "{key} in {lang:?}");
            }
        }
        assert_eq!(audit_action("something-new"), "something-new");
    }
}
