//! The account pages' templates: home, アクセス履歴, logged-in devices.

use askama::Template;

use crate::present::filters;
#[allow(unused_imports)]
use crate::present::*;

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
