//! A business's pages' templates: 管理者ID, tiers, 操作の記録, 所属.

use crate::auth::views::HistoryRow;
use askama::Template;
use ccus_domain::AccountId;

use crate::present::filters;
#[allow(unused_imports)]
use crate::present::*;

/// A person on the organisation page.
#[derive(Debug, Clone)]
pub struct OrgMemberRow {
    pub id: AccountId,
    pub name: String,
    pub login_id: String,
    /// The role, in the page's language.
    pub role: String,
    /// 利用中 / 利用停止中, in the page's language.
    pub status: String,
    pub disabled: bool,
}

/// One place of the organisation (事業者全体 or a tier) with its people.
#[derive(Debug, Clone)]
pub struct OrgGroup {
    pub label: String,
    /// 0 for 事業者全体, else the tier level (for indentation).
    pub level: u8,
    pub members: Vec<OrgMemberRow>,
}

#[derive(Debug, Clone)]
pub struct OrgAuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

/// 組織と管理者ID: the tiers and people the signed-in person may see, and what they may add.
#[derive(Template)]
#[template(path = "portal/org.html")]
pub struct OrgPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub business: String,
    pub me: String,
    pub groups: Vec<OrgGroup>,
    /// (value, label) of where a tier may be added; empty when none.
    pub tier_places: Vec<(String, String)>,
    pub tier_error: Option<String>,
    pub tier_name: String,
    /// (value, label) of where a person may be placed; empty when none.
    pub member_places: Vec<(String, String)>,
    /// (value, label) of the roles a new person may have.
    pub roles: Vec<(&'static str, String)>,
    pub member_error: Option<String>,
    pub member_name: String,
    pub member_email: String,
    /// The role and place chosen before a refusal (empty: the first, least powerful one).
    pub member_role: String,
    pub member_tier: String,
    pub tier_parent: String,
    pub audit: Vec<OrgAuditRow>,
    pub show_audit: bool,
    pub csrf_token: String,
}

/// One person of the business, as their 責任者 or 階層管理者 sees them.
#[derive(Template)]
#[template(path = "portal/member.html")]
pub struct MemberPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub id: AccountId,
    pub name: String,
    pub login_id: String,
    pub email: String,
    pub role: String,
    pub place: String,
    pub disabled: bool,
    pub locked: bool,
    /// (action, button label) the viewer may do, stopping aside.
    pub actions: Vec<(&'static str, String)>,
    /// The viewer may stop (利用停止) this person: a section of its own, with a reason.
    pub may_stop: bool,
    pub stop_error: Option<String>,
    pub stop_reason: String,
    pub show_history: bool,
    pub history: Vec<HistoryRow>,
    pub csrf_token: String,
}

/// A 所属 request waiting for the technician: (request id, business label, requested at).
#[derive(Debug, Clone)]
pub struct AffiliationRequestRow {
    pub id: i64,
    pub business: String,
    pub at: String,
}

/// 所属事業者と情報の開示 (the technician's page).
#[derive(Template)]
#[template(path = "portal/affiliation.html")]
pub struct AffiliationPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub employer: Option<String>,
    pub requests: Vec<AffiliationRequestRow>,
    pub public: bool,
    pub csrf_token: String,
}

/// A technician on a business's page, as much as the rules show.
#[derive(Debug, Clone)]
pub struct SeenRow {
    pub id: AccountId,
    pub login_id: String,
    pub name: String,
    pub furigana: String,
    pub birth_date: String,
    /// Why this much is shown, in the page's language.
    pub basis: String,
}

/// 所属技能者 (the business's page).
#[derive(Template)]
#[template(path = "portal/technicians.html")]
pub struct TechniciansPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub technicians: Vec<SeenRow>,
    pub pending: Vec<SeenRow>,
    pub may_manage: bool,
    pub request_error: Option<String>,
    pub typed_id: String,
    pub csrf_token: String,
}
