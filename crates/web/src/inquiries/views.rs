//! The inquiry form's template.

use askama::Template;

use crate::present::filters;
#[allow(unused_imports)]
use crate::present::*;

/// One text input of the inquiry form.
#[derive(Debug, Clone)]
pub struct InquiryField {
    pub name: &'static str,
    pub label: String,
    pub input_type: &'static str,
    pub autocomplete: &'static str,
    pub inputmode: &'static str,
    pub required: bool,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub value: String,
}

/// What was typed into the inquiry form (kept when the form comes back with an error).
#[derive(Debug, Clone, Default)]
pub struct InquiryValues {
    pub category: String,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct InquiryErrors {
    pub category: Option<String>,
    pub message: Option<String>,
    pub files: Option<String>,
}

#[derive(Template)]
#[template(path = "public/inquiry_form.html")]
pub struct InquiryFormPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub csrf_token: String,
    /// (stored value, label) of each kind of inquiry.
    pub categories: Vec<(&'static str, String)>,
    pub form: InquiryValues,
    pub fields: Vec<InquiryField>,
    pub errors: InquiryErrors,
    pub max_files: usize,
    pub max_mb: u64,
    /// The message limit, written for people (`8,000`).
    pub message_limit: String,
    /// From 「ログインできない方へ」: what was already tried, and its answers to send along.
    pub tried: Vec<String>,
    pub guide: Vec<(&'static str, String)>,
}
