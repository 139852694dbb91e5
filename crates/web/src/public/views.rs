//! The public pages' templates.

use askama::Template;

use crate::present::filters;
#[allow(unused_imports)]
use crate::present::*;

#[derive(Template)]
#[template(path = "public/top.html")]
pub struct TopPage {
    pub chrome: Chrome,
}

#[derive(Debug, Clone)]
pub struct NoticeItem {
    pub date: String,
    pub title: String,
    /// Sanitised HTML from [`crate::markdown::render`].
    pub body_html: String,
}

#[derive(Template)]
#[template(path = "public/notices.html")]
pub struct NoticesPage {
    pub chrome: Chrome,
    pub items: Vec<NoticeItem>,
}

#[derive(Debug, Clone)]
pub struct FaqItem {
    pub question: String,
    /// Sanitised HTML from [`crate::markdown::render`].
    pub answer_html: String,
    /// Shown in Japanese to a reader of another language (not translated yet).
    pub japanese: bool,
}

#[derive(Debug, Clone)]
pub struct FaqGroup {
    pub category: String,
    pub items: Vec<FaqItem>,
}

#[derive(Template)]
#[template(path = "public/faq.html")]
pub struct FaqPage {
    pub chrome: Chrome,
    pub query: String,
    pub groups: Vec<FaqGroup>,
    pub shown: usize,
    /// Some entry shown is still only in Japanese.
    pub untranslated: bool,
}

#[derive(Template)]
#[template(path = "public/support.html")]
pub struct SupportPage {
    pub chrome: Chrome,
    pub helpdesk: String,
    pub phone: String,
    pub phone_open: bool,
    pub holiday_today: String,
    pub next_open: String,
}

/// An answer on a 「ログインできない方へ」 page: where it leads, its words, a line under them.
#[derive(Debug, Clone)]
pub struct GuideChoice {
    pub href: String,
    pub label: String,
    pub sub: String,
}

/// One page of 「ログインできない方へ」: a question with its answers, the ID question, or an
/// ending with the fix.
#[derive(Template)]
#[template(path = "public/guide.html")]
pub struct GuidePage {
    pub chrome: Chrome,
    pub step: usize,
    pub question: String,
    pub lines: Vec<String>,
    pub choices: Vec<GuideChoice>,
    /// For the ID question: the answers so far, carried by the form.
    pub ask_id: bool,
    pub hidden: Vec<(&'static str, String)>,
    pub id_error: Option<String>,
    pub typed_id: String,
    /// For an ending: the fix, and other ways.
    pub fix: Option<Link>,
    pub more: Vec<Link>,
    pub restart: bool,
}
