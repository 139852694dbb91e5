//! The helpdesk console at `/helpdesk`: staff log in with ID, password and a TOTP code
//! (enrolled with a QR code at first login), look accounts up by name, kana, birth date,
//! employer or email, and act on them — send the ID, lift a lock, change the registered
//! email, send a reset link. Every action is audited with its reason and shows in the
//! account's own アクセス履歴. Staff sessions have their own cookie (scoped to `/helpdesk`),
//! shorter timeouts and their own lockout; the console keeps working during maintenance.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::i18n;
use crate::session::CsrfToken;
use crate::AppState;
use ccus_app::helpdesk::{
    self, AccountAction, ActionOutcome, InquiryAction, InquiryStatus, Lookup, StaffRole,
};

pub mod accounts;
pub mod inquiries;
pub mod records;
pub mod views;

use accounts::{account, act, audit, home};
use inquiries::{file, inquiry, inquiry_act, queue};
// Shared by the areas of the console.
use crate::forms::DoneQuery;

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/helpdesk", get(home))
        .route("/helpdesk/audit", get(audit))
        .route("/helpdesk/accounts/{id}", get(account))
        .route(
            "/helpdesk/accounts/{id}/records",
            get(records::page).post(records::correct),
        )
        .route("/helpdesk/accounts/{id}/{action}", post(act))
        .route("/helpdesk/inquiries", get(queue))
        .route("/helpdesk/inquiries/{id}", get(inquiry))
        .route("/helpdesk/inquiries/{id}/{action}", post(inquiry_act))
        .route("/helpdesk/files/{id}", get(file))
}

// ---- cookie and session ----------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{text_in, Lang};
    use crate::present::labels::*;
    use ccus_domain::registration::{DefectCode, Field};

    /// Every code the console puts into words has them in every language, and the Japanese is
    /// the domain's own.
    #[test]
    fn every_code_reads_as_before_in_japanese_and_has_words_in_every_language() {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for s in InquiryStatus::ALL {
            pairs.push((code_key("inquiry", s.as_str()), s.label_ja().into()));
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
    }
}
