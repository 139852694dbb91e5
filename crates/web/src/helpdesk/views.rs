//! The console's templates: look-up, an account, the audit, the inquiry queue and an inquiry.

use crate::auth::views::PasskeyRow;
use askama::Template;

use crate::present::filters;
#[allow(unused_imports)]
use crate::present::*;

#[derive(Template)]
#[template(path = "helpdesk/home.html")]
pub struct HelpdeskHomePage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub q_login_id: String,
    pub q_name: String,
    pub q_birth: String,
    pub q_employer: String,
    pub q_email: String,
    pub searched: bool,
    pub results: Vec<LookupRow>,
}

#[derive(Debug, Clone)]
pub struct StaffAction {
    pub path: &'static str,
    pub title: String,
    pub help: String,
}

#[derive(Template)]
#[template(path = "helpdesk/account.html")]
pub struct HelpdeskAccountPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub login_id: String,
    pub furigana: String,
    pub birth_date: String,
    pub employer: String,
    pub email: String,
    pub lock: String,
    pub actions: Vec<StaffAction>,
    pub history: Vec<String>,
    pub csrf_token: String,
    /// The inquiry being handled when the account was opened from it.
    pub inquiry: Option<InquiryContext>,
    /// A business's organisation (level, place, people), or a 管理者ID's place in one.
    pub org_tree: Vec<ccus_app::org::HelpdeskPlace>,
    pub membership: Option<(i64, String)>,
    /// The account's passkeys, each removable with a reason.
    pub passkeys: Vec<PasskeyRow>,
    pub technician: bool,
    /// A technician's IC card in use: (number, expiry).
    pub card: Option<(String, String)>,
}

/// The inquiry a staff member came from, so the account page links back to it.
#[derive(Debug, Clone)]
pub struct InquiryContext {
    pub id: i64,
    pub receipt: String,
}

#[derive(Debug, Clone)]
pub struct AuditRow {
    pub at: String,
    pub staff: String,
    pub action: String,
    pub account: String,
    pub reason: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "helpdesk/audit.html")]
pub struct HelpdeskAuditPage {
    pub chrome: Chrome,
    pub entries: Vec<AuditRow>,
}

#[derive(Debug, Clone)]
pub struct QueueRow {
    pub id: i64,
    pub receipt: String,
    pub received: String,
    pub due: String,
    pub overdue: bool,
    pub category: String,
    pub name: String,
    pub status: String,
    pub assignee: String,
}

#[derive(Template)]
#[template(path = "helpdesk/queue.html")]
pub struct HelpdeskQueuePage {
    pub chrome: Chrome,
    /// (query string, label)
    pub filters: Vec<(String, String)>,
    pub rows: Vec<QueueRow>,
}

#[derive(Template)]
#[template(path = "helpdesk/inquiry.html")]
pub struct HelpdeskInquiryPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub q: ccus_app::helpdesk::Inquiry,
    pub status: String,
    pub current_status: &'static str,
    pub statuses: Vec<(&'static str, String)>,
    pub received: String,
    pub overdue: bool,
    pub assignee: String,
    /// (id, cleaned original name, size)
    pub files: Vec<(i64, String, String)>,
    pub candidates: Vec<LookupRow>,
    pub notes: Vec<String>,
    pub csrf_token: String,
}

/// A record as the helpdesk sees it, with what its 補正 form needs.
#[derive(Debug, Clone)]
pub struct StaffRecordRow {
    pub id: i64,
    /// `YYYY-MM-DD`.
    pub day: String,
    pub site: String,
    pub company: String,
    pub how: String,
    pub state: String,
    /// `HH:MM`, or empty.
    pub first_in: String,
    pub last_out: String,
    /// Withdrawn already: nothing to correct.
    pub withdrawn: bool,
}

/// A worker's 就業履歴 in the console, each record with its 補正.
#[derive(Template)]
#[template(path = "helpdesk/records.html")]
pub struct HelpdeskRecordsPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub csrf_token: String,
    pub account_id: i64,
    pub heading: String,
    pub total: String,
    pub month_label: String,
    /// `YYYY-MM`.
    pub month: String,
    pub previous: String,
    pub next: Option<String>,
    pub rows: Vec<StaffRecordRow>,
}
