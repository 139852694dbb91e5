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
        kind: a.kind().label_ja(),
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
pub(super) fn staff_chrome(title: &str) -> Chrome {
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
                screener: ccus_app::registration::may_screen(s),
                csrf_token: csrf.to_owned(),
            }),
            ..staff_chrome(title)
        }
    }
}
