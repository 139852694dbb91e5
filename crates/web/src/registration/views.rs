//! The registration pages' templates, for applicants and for 登録審査.

use askama::Template;
use ccus_domain::{AccountId, ApplicationId, DocumentId};

use crate::present::filters;
#[allow(unused_imports)]
use crate::present::*;

// ---- registration ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "apply/top.html")]
pub struct ApplyTopPage {
    pub chrome: Chrome,
}

/// One of an applicant's applications on their page.
#[derive(Debug, Clone)]
pub struct ApplicationRow {
    pub id: ApplicationId,
    pub kind: String,
    pub status: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "apply/home.html")]
pub struct ApplyHomePage {
    pub chrome: Chrome,
    /// Why a new application could not be started, if it could not.
    pub notice: Option<Notice>,
    pub email: String,
    /// For a business's 代行申請 login: the business (商号 and 事業者ID).
    pub proxy_for: Option<String>,
    pub rows: Vec<ApplicationRow>,
    pub csrf_token: String,
}

/// One step of an application's progress (a step indicator, not a control).
#[derive(Debug, Clone)]
pub struct ApplyStep {
    pub label: String,
    pub done: bool,
    /// The step the application is at now.
    pub current: bool,
}

/// A kind of document on the application form.
#[derive(Debug, Clone)]
pub struct DocumentKindRow {
    pub code: &'static str,
    /// What it is, in full (which documents count).
    pub label: String,
    /// A short name for the choice (fits a phone's select).
    pub short: String,
    /// This application needs it before 申請.
    pub required: bool,
    /// How many of it were sent.
    pub sent: usize,
    /// Chosen in the select.
    pub selected: bool,
}

/// The 代行申請 part of an application page: who applies, and the worker's consent.
#[derive(Debug, Clone)]
pub struct ProxyPanel {
    pub business: String,
    /// The consent as it stands, in words.
    pub consent: String,
    pub consented: bool,
}

/// 代行申請への同意: what a worker sees from the mailed link.
#[derive(Template)]
#[template(path = "apply/consent.html")]
pub struct ConsentPage {
    pub chrome: Chrome,
    pub business: String,
    pub number: i64,
    /// (label, value) of what the application says about the worker.
    pub summary: Vec<(String, String)>,
    pub token: String,
    pub csrf_token: String,
}

/// One item of the application form.
#[derive(Debug, Clone)]
pub struct ApplyItem {
    pub key: &'static str,
    pub label: String,
    /// `text`, `date`, `tel`, `select`, `textarea`.
    pub input: &'static str,
    pub autocomplete: &'static str,
    pub hint: Option<String>,
    /// (value, label) of a select's choices.
    pub choices: Vec<(&'static str, String)>,
    pub value: String,
    /// The value as read on a summary (a choice's label).
    pub shown: String,
    pub required: bool,
    /// When an optional item is required in some cases, which (「日本国籍以外の方は必須」).
    pub required_when: Option<String>,
    pub error: Option<String>,
    /// The screener's 不備 on this item, to fix.
    pub defect: Option<String>,
    /// May be changed now.
    pub editable: bool,
}

#[derive(Template)]
#[template(path = "apply/application.html")]
pub struct ApplicationPage {
    pub chrome: Chrome,
    /// 技能者登録 / 事業者登録.
    pub kind_label: String,
    /// A 事業者登録 (its documents differ).
    pub business: bool,
    pub notice: Option<Notice>,
    pub id: ApplicationId,
    pub status: String,
    pub status_code: &'static str,
    pub editable: bool,
    /// The applicant may still withdraw it.
    pub withdrawable: bool,
    pub returned: bool,
    pub fee: String,
    pub items: Vec<ApplyItem>,
    pub csrf_token: String,
    pub steps: Vec<ApplyStep>,
    /// 「kind: file name (size)」 of each document sent.
    pub documents: Vec<String>,
    /// The kinds of documents that may be sent, those needed first.
    pub document_kinds: Vec<DocumentKindRow>,
    pub max_mb: u64,
    /// The upload form's error, if any.
    pub document_error: Option<String>,
    /// For a 代行申請.
    pub proxy: Option<ProxyPanel>,
}

/// A row of the screening queue.
#[derive(Debug, Clone)]
pub struct ScreeningRow {
    pub id: ApplicationId,
    /// 氏名, or a business's 商号: the row's link, with the application number.
    pub name: String,
    pub furigana: String,
    /// 技能者 / 事業者 / 代行申請, in the page's language.
    pub kind: String,
    /// The language the applicant reads (its own name).
    pub language: String,
    pub status: String,
    pub submitted: String,
    pub fee: String,
    pub paid: bool,
}

#[derive(Template)]
#[template(path = "helpdesk/registrations.html")]
pub struct ScreeningQueuePage {
    pub chrome: Chrome,
    pub rows: Vec<ScreeningRow>,
}

/// A text box of a console form, with what was typed into it and what is wrong with it.
#[derive(Debug, Clone, Default)]
pub struct TextField {
    /// The element's id (unique on the page).
    pub id: String,
    /// The form's field name.
    pub name: String,
    pub label: String,
    /// Said under the label (empty: nothing).
    pub hint: String,
    pub value: String,
    /// Why it was refused (empty: nothing).
    pub error: String,
    pub maxlength: u32,
}

/// One item of an application as a screener reads it, with its part of the 不備 form.
#[derive(Debug, Clone)]
pub struct ScreenItem {
    pub key: &'static str,
    pub label: String,
    /// The value as read (a choice's label), empty when not entered.
    pub shown: String,
    /// Ticked to be returned as 不備 (kept when the form is shown again).
    pub flagged: bool,
    /// The 不備 code chosen.
    pub code: String,
    pub comment: TextField,
}

/// A registered technician who is exactly the person of the application.
#[derive(Debug, Clone)]
pub struct SamePersonRow {
    pub account_id: AccountId,
    pub login_id: String,
    pub person: String,
    /// The application that issued it, if any.
    pub application: Option<ApplicationId>,
}

/// An issued application: its ID, and whether the card can be made again.
#[derive(Debug, Clone)]
pub struct IssuedPanel {
    pub account_id: AccountId,
    pub login_id: String,
    /// The holder has not yet replaced the initial password.
    pub reissuable: bool,
    pub reason: TextField,
}

#[derive(Template)]
#[template(path = "helpdesk/registration.html")]
pub struct ScreeningPage {
    pub chrome: Chrome,
    /// 技能者ID / 事業者ID: what is issued, in the page's language.
    pub id_label: String,
    pub notice: Option<Notice>,
    pub id: ApplicationId,
    /// 技能者 / 事業者 / 代行申請, in the page's language.
    pub kind: String,
    pub status: String,
    pub status_code: &'static str,
    pub applicant_email: String,
    /// The language the applicant reads the 不備 and the mails in (its own name).
    pub language: String,
    /// When that is not the page's language: how the 不備 reach the applicant.
    pub language_hint: String,
    /// For a 代行申請: who applies and the worker's consent; empty otherwise.
    pub proxy: String,
    pub fee: String,
    pub payment: String,
    pub items: Vec<ScreenItem>,
    pub lookalikes: Vec<LookupRow>,
    pub others: Vec<(ApplicationId, String)>,
    pub same_registered: Vec<SamePersonRow>,
    pub same_applications: Vec<ApplicationId>,
    pub defects: Vec<(String, String, String, bool)>,
    /// (key, label) of every item, for a correction.
    pub fields: Vec<(&'static str, String)>,
    /// (code, label in the page's language with, when the applicant reads another, what they
    /// read).
    pub codes: Vec<(&'static str, String)>,
    pub csrf_token: String,
    /// (id, kind label, file name, size) of the documents.
    pub documents: Vec<(DocumentId, String, String, String)>,
    /// The 不備 form's problem that concerns no single box (no item ticked).
    pub return_error: String,
    pub return_reason: TextField,
    pub correct_field: String,
    pub correct_value: TextField,
    pub correct_reason: TextField,
    pub approve_reason: TextField,
    pub reject_reason: TextField,
    pub reference: TextField,
    /// Why 登録完了 was refused (empty: nothing).
    pub issue_error: String,
    pub issued: Option<IssuedPanel>,
    /// For a returned application: when it is deleted unless sent again.
    pub deleted_after: String,
    /// For a refused application: what the applicant was told.
    pub rejection: String,
}

#[derive(Template)]
#[template(path = "helpdesk/card.html")]
pub struct CardNoticePage {
    pub chrome: Chrome,
    pub login_id: String,
    pub initial_password: String,
    pub security_code: String,
    pub issued: String,
    pub expires: String,
    pub application: i64,
    /// 技能者 / 事業者, in the page's language.
    pub kind_label: String,
    /// A card made again: the earlier one's secrets no longer work.
    pub reissued: bool,
    /// The card as printed: in Japanese, like the PDF.
    pub card: CardWords,
    /// The card notice as a PDF, inline (it holds secrets, so it is never stored or served).
    pub pdf_href: String,
    pub pdf_name: String,
}

/// The words of the registration card as printed for the worker.
#[derive(Debug, Clone)]
pub struct CardWords {
    pub heading: String,
    /// 氏名 or 商号.
    pub name: String,
    /// The name with its フリガナ.
    pub person: String,
    pub id: String,
    pub password: String,
    pub issued: String,
    pub expires: String,
    pub code: String,
    pub first_login: String,
}
