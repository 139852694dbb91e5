//! The operations pages' templates.

use askama::Template;

use crate::present::filters;
#[allow(unused_imports)]
use crate::present::*;

#[derive(Template)]
#[template(path = "helpdesk/operations.html")]
pub struct HelpdeskOperationsPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    /// (id, when with the message to users)
    pub windows: Vec<(i64, String)>,
    pub announce_hours: u64,
    pub csrf_token: String,
    /// The Japanese FAQ entries: (number, category, question, languages it is translated into).
    pub faq: Vec<(i64, String, String, String)>,
    /// (code, name) of each language, for the FAQ entry's language.
    pub langs: Vec<(&'static str, &'static str)>,
    /// What was typed, given back with a refusal.
    pub typed: OpsTyped,
}

/// What a supervisor typed into the operations forms.
#[derive(Debug, Clone, Default)]
pub struct OpsTyped {
    pub from: String,
    pub to: String,
    pub message: String,
    pub title: String,
    pub body: String,
    pub category: String,
    pub question: String,
    pub answer: String,
    pub lang: String,
    pub translates: String,
}

/// The counts of the questionnaire's endings (supervisors).
#[derive(Template)]
#[template(path = "helpdesk/guide.html")]
pub struct GuideCountsPage {
    pub chrome: Chrome,
    pub rows: Vec<(String, i64)>,
    pub total: i64,
}
