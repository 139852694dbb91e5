//! The account pages' templates: home, アクセス履歴, logged-in devices.

use askama::Template;

use crate::present::filters;
#[allow(unused_imports)]
use crate::present::*;

#[derive(Template)]
#[template(path = "portal/home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub kind_label: String,
    pub portal: &'static str,
    pub name: String,
    pub grouped_id: String,
    /// 技能者ID / 事業者ID / 管理者ID.
    pub id_label: String,
    /// For a 管理者ID: the business, role and tier.
    pub org_line: Option<String>,
    /// Menu items the permission table allows.
    pub show_org: bool,
    pub show_proxy: bool,
    pub show_technicians: bool,
    pub signed_in_since: String,
}

#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub at: String,
    pub label: String,
    pub failure: bool,
    pub address: String,
    pub browser: String,
    pub user_agent: String,
}

#[derive(Template)]
#[template(path = "portal/history.html")]
pub struct HistoryPage {
    pub chrome: Chrome,
    pub portal: &'static str,
    pub rows: Vec<HistoryRow>,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    /// 「1 / 3 ページ（全42件）」 in the page's language.
    pub page_label: String,
}

#[derive(Debug, Clone)]
pub struct SessionRow {
    pub browser: String,
    pub user_agent: String,
    pub address: String,
    pub since: String,
    pub last_seen: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "portal/sessions.html")]
pub struct SessionsPage {
    pub chrome: Chrome,
    pub portal: &'static str,
    pub notice: Option<Notice>,
    pub rows: Vec<SessionRow>,
    pub others: usize,
    pub csrf_token: String,
}
