//! Registration (技能者登録): an applicant makes an application login (申請用ID: an email
//! address confirmed by a mailed link, and a password), fills in the application with 一時保存,
//! sends it (申請); a screener approves it or returns it with 不備 per item; the applicant
//! fixes only those items and sends it again; the fee is recorded as received; and 登録完了
//! issues the 技能者ID with an initial password and 本人確認番号 for the card notice, the
//! 登録完了 mail carrying the ID (never the password). Every screening step is audited.
//! Screening is in `registration/screening.rs`, 登録完了 and the card in `issuing.rs`, and how
//! long a returned application is kept in `retention.rs`; this file holds the applicant's side.

mod applicant;
pub use applicant::*;
mod problems;
pub use problems::*;
mod session;
pub use session::*;
mod applications;
pub use applications::*;
mod proxy;
pub use proxy::*;
mod saving;
pub use saving::*;
mod documents;
pub use documents::*;
mod import;
pub use import::*;

pub mod mails;

use std::collections::HashMap;
use std::time::Instant;

use ccus_documents::photo::PhotoProblem;
use ccus_domain::password_policy::{ContextWord, PolicyViolation};
use ccus_domain::profile::{format_date, parse_birth_date, search_key};
use ccus_domain::registration::{
    business_fee_yen, field_problem, parse_yen, person_key, ApplicationKind, Field, FieldProblem,
    Plan, Status,
};
use ccus_domain::{AccountKind, GuardKey, Password, PasswordContext, Timestamp};
use ccus_storage::{Account, ApplicationConsent, ClientInfo, Defect, Staff, StoreError};

/// Read models of the registration pages: the signed-in applicant (handed back to the services
/// that act for it), an application and a document sent with it.
pub use ccus_storage::{Applicant, Application, ApplicationDocument};

use crate::account::provisioning::{AccountRequest, CreatedAccount, ProfileRequest};
use crate::auth::session_cache::CachedSession;
use crate::auth::sessions::{self, Kind, Outcome, Principal, Standing};
use crate::guard::{check_secret, Check};
use crate::i18n::Msg;
use crate::links::{self, LinkFor, LinkPurpose, NewLink};
use crate::tokens::{random_token, token_hash};
use crate::{App, AppError, AppResult};

pub mod limits;
mod password;

pub use limits::{UploadLimit, MAX_PHOTOS};
pub use password::{
    request_reset, reset_password, reset_target, ResetOutcome, ResetRequestOutcome,
};
mod issuing;
mod retention;
mod screening;
pub use issuing::*;
pub use retention::*;
pub use screening::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_files_are_read_as_csv() {
        let rows = parse_import(
            "\u{feff}name,furigana,birth_date,email,employer\n\
             田中 一郎,タナカ イチロウ,1988-07-15,a@example.jp,\n\
             \"山田, 花子\",ヤマダ ハナコ,1990/1/2,\"b@example.jp\",\n",
        )
        .unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].name, "山田, 花子");
        assert_eq!(rows[1].line, 3);
        assert!(parse_import("name,email\nx,y").is_err());
        assert!(
            parse_import("name,furigana,birth_date,email,employer\n\"open,b,c,d,e")
                .unwrap_err()
                .contains("line 2")
        );
        assert_eq!(
            csv_fields("a,\"b \"\"c\"\"\",").unwrap(),
            vec!["a", "b \"c\"", ""]
        );
    }
}
