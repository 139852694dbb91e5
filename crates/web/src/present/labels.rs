//! Words shown on many pages, in the page's language: kinds of ID, roles, statuses, an
//! application's items and documents, sizes, the lock notice.

use ccus_app::helpdesk::InquiryStatus;
use ccus_domain::{lockout::LOCKED_FOREVER, org::Role, registration::Status, Timestamp};

use crate::i18n::{self, t};
use crate::present::Notice;
use ccus_app::registration;

/// `main（detail）` in the page's language.
pub fn paren(main: &str, detail: &str) -> String {
    i18n::ta("helpdesk-paren", &[("main", main), ("detail", detail)])
}

/// 技能者ID / 事業者ID in the page's language.
pub fn id_kind_of(kind: ccus_domain::AccountKind) -> String {
    i18n::t(match kind {
        ccus_domain::AccountKind::Technician => "id-technician",
        ccus_domain::AccountKind::Business => "id-business",
    })
}

/// The catalog key of a code: `helpdesk-<prefix>-<code>`, underscores as hyphens.
pub fn code_key(prefix: &str, code: &str) -> String {
    format!("helpdesk-{prefix}-{}", code.replace('_', "-"))
}

/// An inquiry's status in the page's language.
pub fn inquiry_status(s: InquiryStatus) -> String {
    i18n::t(&code_key("inquiry", s.as_str()))
}

/// An ending of 「ログインできない方へ」 in the page's language.
pub fn guide_ending(e: ccus_domain::guide::Ending) -> String {
    i18n::t(&code_key("ending", e.as_str()))
}

/// An item of an application, in the page's language.
pub fn field_label(f: ccus_domain::registration::Field) -> String {
    i18n::t(&ccus_app::i18n::field_key(f))
}

/// A reason for 不備, in the page's language.
pub fn defect_label(c: ccus_domain::registration::DefectCode) -> String {
    i18n::t(&ccus_app::i18n::defect_key(c))
}

/// Where an application stands, in the page's language.
pub fn status_label(status: Status) -> String {
    t(&apply_key("status", status.as_str()))
}

/// A kind of document, in the page's language.
pub fn document_label(kind: &str) -> String {
    if registration::DOCUMENT_KINDS.iter().any(|(k, _)| *k == kind) {
        t(&apply_key("document", kind))
    } else {
        t("apply-document-other")
    }
}

/// The catalog key of a word of this area: `prefix` and a code (`birth_date` →
/// `apply-status-draft`).
pub fn apply_key(prefix: &str, code: &str) -> String {
    format!("apply-{prefix}-{}", code.replace('_', "-"))
}

/// `123 KB`, `1.2 MB`.
pub fn size_label(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

/// 事業者責任者, 階層管理者, … in the page's language (the Japanese is [`Role::label_ja`]).
pub fn role_label(role: Role) -> String {
    i18n::t(ccus_app::org::role_key(role))
}

/// Rounds up to the next whole minute, so the time shown is never before the lock ends.
pub fn locked_notice(until: Timestamp) -> Notice {
    // When it ends comes first: it is what the person needs to know.
    let when = if until == LOCKED_FOREVER {
        i18n::t("account-locked-forever")
    } else {
        i18n::ta(
            "account-locked-until",
            &[("until", &until.jst_not_before())],
        )
    };
    Notice::new("error", i18n::t("account-locked"))
        .line(when)
        .line(i18n::t("account-locked-why"))
        .line(i18n::t("account-locked-mail"))
        .link("/help/login?s=locked", i18n::t("account-locked-help"))
}
