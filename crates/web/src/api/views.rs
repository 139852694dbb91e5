//! The page structs of the business's 連携システム page.

use askama::Template;

use crate::present::filters;
use crate::present::{Chrome, Notice};

/// A grant in force.
pub struct GrantRow {
    pub id: i64,
    pub system: String,
    pub vendor: String,
    /// The scopes in words.
    pub scopes: String,
    pub granted_by: String,
    pub granted_at: String,
}

/// A scope offered for a grant.
pub struct ScopeChoice {
    pub code: &'static str,
    pub label: String,
}

/// 連携システム.
#[derive(Template)]
#[template(path = "api/systems.html")]
pub struct SystemsPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub rows: Vec<GrantRow>,
    /// The client ID typed to look a system up.
    pub client_id: String,
    pub client_error: Option<String>,
    /// The system found: its name and maker.
    pub found: Option<(String, String)>,
    pub choices: Vec<ScopeChoice>,
    pub csrf_token: String,
}
