//! The page structs of the business's 連携システム page, the console's clients, and
//! 「CCUSでログイン」's consent, logout and 連携サービス pages.

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

/// A registered client, for the console.
pub struct ClientRow {
    pub client_id: String,
    pub name: String,
    pub vendor: String,
    pub contact: String,
    /// The state's code, and in words.
    pub state: String,
    pub state_label: String,
    pub auth_label: String,
    pub scopes: String,
}

/// The console's 連携システム (partner-API clients).
#[derive(Template)]
#[template(path = "helpdesk/api_clients.html")]
pub struct ClientsPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub rows: Vec<ClientRow>,
    /// Every scope: its code and words.
    pub scopes: Vec<(&'static str, String)>,
    /// Every state: its code and words.
    pub states: Vec<(&'static str, String)>,
    /// A secret made now: the client and the secret, shown this once.
    pub secret: Option<(String, String)>,
    pub csrf_token: String,
}

/// The consent page of a system asking for a business's data.
#[derive(Template)]
#[template(path = "api/consent.html")]
pub struct ConsentPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    /// The system's name and maker (none when the request was stopped).
    pub system: Option<(String, String)>,
    /// What it asks for, in words.
    pub scopes: Vec<String>,
    pub business: String,
    /// The request's parameters, carried by the form.
    pub fields: Vec<(&'static str, String)>,
    pub may_grant: bool,
    pub csrf_token: String,
}

/// The consent page of a service asking a technician to log in with CCUS.
#[derive(Template)]
#[template(path = "api/login_consent.html")]
pub struct LoginConsentPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    /// The service's name and maker (none when the request was stopped).
    pub service: Option<(String, String)>,
    /// What it will learn, in words.
    pub claims: Vec<String>,
    /// The request's parameters, carried by the form.
    pub fields: Vec<(&'static str, String)>,
    pub csrf_token: String,
}

/// A service the person allowed.
pub struct ServiceRow {
    pub id: i64,
    pub name: String,
    pub vendor: String,
    /// What it learns, in words.
    pub claims: String,
    pub granted_at: String,
    /// When it last used the login (empty: never yet).
    pub last_used_at: String,
}

/// 連携サービス: the services a technician lets use 「CCUSでログイン」.
#[derive(Template)]
#[template(path = "api/services.html")]
pub struct ServicesPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub rows: Vec<ServiceRow>,
    pub csrf_token: String,
}

/// A service logs the person out, without saying it is them: asked first.
#[derive(Template)]
#[template(path = "api/logout.html")]
pub struct LogoutPage {
    pub chrome: Chrome,
    pub service: Option<String>,
    pub fields: Vec<(&'static str, String)>,
    pub csrf_token: String,
}
