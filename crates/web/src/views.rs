//! One typed struct per page, rendered by askama templates in `templates/`. All output is
//! escaped by the template engine.

use askama::Template;

mod screening;
pub use screening::*;

/// Text from the message catalog in templates: `{{ "key"|t }}`, `{{ "key"|ta("name", value) }}`.
mod filters {
    pub fn t<T: std::fmt::Display>(key: T, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(crate::i18n::t(&key.to_string()))
    }

    pub fn ta<T: std::fmt::Display, V: std::fmt::Display>(
        key: T,
        _: &dyn askama::Values,
        name: &str,
        value: V,
    ) -> askama::Result<String> {
        Ok(crate::i18n::ta(
            &key.to_string(),
            &[(name, &value.to_string())],
        ))
    }

    #[allow(clippy::too_many_arguments)]
    pub fn ta2<T: std::fmt::Display, V: std::fmt::Display, W: std::fmt::Display>(
        key: T,
        _: &dyn askama::Values,
        name: &str,
        value: V,
        name2: &str,
        value2: W,
    ) -> askama::Result<String> {
        Ok(crate::i18n::ta(
            &key.to_string(),
            &[(name, &value.to_string()), (name2, &value2.to_string())],
        ))
    }
}

/// What every page's frame needs.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// The request's language (the switch, `<html lang>`), and where the switch returns.
    pub lang: crate::i18n::Lang,
    pub back: String,
    pub title: String,
    /// A maintenance announcement shown above the page.
    pub banner: Option<String>,
    /// Set when someone is signed in: shows their name and the ログアウト button.
    pub signed_in: Option<SignedInNav>,
    /// A helpdesk console page: the staff header and footer instead of the public ones.
    pub staff_area: bool,
    /// The signed-in staff member on a console page: name, the console menu and ログアウト.
    pub staff: Option<StaffNav>,
}

#[derive(Debug, Clone)]
pub struct StaffNav {
    pub name: String,
    pub staff_id: String,
    pub supervisor: bool,
    /// Screens registration applications (登録審査).
    pub screener: bool,
    pub csrf_token: String,
}

#[derive(Debug, Clone)]
pub struct SignedInNav {
    /// `ccus_skill` or `ccus_owner`.
    pub portal: &'static str,
    pub name: String,
    pub csrf_token: String,
}

impl Default for Chrome {
    fn default() -> Self {
        Chrome {
            lang: crate::i18n::lang(),
            back: crate::i18n::path(),
            title: String::new(),
            banner: None,
            signed_in: None,
            staff_area: false,
            staff: None,
        }
    }
}

impl Chrome {
    /// The languages of the switch: (code, name, current).
    pub fn languages(&self) -> Vec<(&'static str, &'static str, bool)> {
        crate::i18n::Lang::ALL
            .into_iter()
            .map(|l| (l.code(), l.name(), l == self.lang))
            .collect()
    }

    pub fn titled(title: impl Into<String>) -> Self {
        Chrome {
            title: title.into(),
            ..Chrome::default()
        }
    }
}

/// A boxed message on a page.
#[derive(Debug, Clone)]
pub struct Notice {
    /// `info`, `success`, `warning` or `error` (a CSS class).
    pub level: &'static str,
    pub title: String,
    pub lines: Vec<String>,
    pub link: Option<Link>,
}

#[derive(Debug, Clone)]
pub struct Link {
    pub href: String,
    pub text: String,
}

impl Notice {
    pub fn new(level: &'static str, title: impl Into<String>) -> Self {
        Notice {
            level,
            title: title.into(),
            lines: Vec::new(),
            link: None,
        }
    }

    pub fn line(mut self, l: impl Into<String>) -> Self {
        self.lines.push(l.into());
        self
    }

    pub fn link(mut self, href: impl Into<String>, text: impl Into<String>) -> Self {
        self.link = Some(Link {
            href: href.into(),
            text: text.into(),
        });
        self
    }
}

#[derive(Template)]
#[template(path = "public/top.html")]
pub struct TopPage {
    pub chrome: Chrome,
}

#[derive(Template)]
#[template(path = "portal/login.html")]
pub struct LoginPage {
    pub chrome: Chrome,
    /// 技能者 / 事業者, in the page's language.
    pub kind_label: String,
    pub action: &'static str,
    pub other_label: &'static str,
    pub other_login_path: &'static str,
    pub csrf_token: String,
    pub login_id: String,
    pub next: String,
    pub notice: Option<Notice>,
    /// `ccus_skill` or `ccus_owner`, for the recovery links.
    pub portal: &'static str,
    pub id_error: Option<String>,
    pub password_error: Option<String>,
    /// Proof of work asked for while the portal is under pressure.
    pub challenge: Option<ccus_app::auth::challenge::Challenge>,
    /// Passkeys can be used here (the site has a domain name).
    pub passkeys: bool,
    /// A passkey was just refused: the autofill is not started again by itself.
    pub passkey_refused: bool,
    /// 「…の方は …ログイン からログインしてください」 in the page's language (holds a link).
    pub other_entrance: String,
}

/// A registered passkey on the passkey page.
#[derive(Debug, Clone)]
pub struct PasskeyRow {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: String,
}

/// パスキー: the account's passkeys, and registering one.
#[derive(Template)]
#[template(path = "portal/passkeys.html")]
pub struct PasskeysPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub portal: &'static str,
    pub rows: Vec<PasskeyRow>,
    /// The registration options as JSON for the page's script, when passkeys can be used.
    pub options_json: Option<String>,
    pub ceremony: String,
    pub csrf_token: String,
}

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
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
    /// 「1 / 3 ページ（全42件）」 in the page's language.
    pub page_label: String,
}

#[derive(Template)]
#[template(path = "layout/error.html")]
pub struct ErrorPage {
    pub chrome: Chrome,
    pub heading: String,
    pub message: String,
    pub request_id: String,
}

impl ErrorPage {
    pub fn new(title: &str, message: &str, request_id: &str) -> Self {
        ErrorPage {
            chrome: Chrome::titled(title),
            heading: title.to_owned(),
            message: message.to_owned(),
            request_id: request_id.to_owned(),
        }
    }
}

#[derive(Template)]
#[template(path = "public/unsupported_browser.html")]
pub struct UnsupportedBrowserPage {
    pub chrome: Chrome,
}

impl Default for UnsupportedBrowserPage {
    fn default() -> Self {
        UnsupportedBrowserPage {
            chrome: Chrome::titled(crate::i18n::t("public-ie-title")),
        }
    }
}

/// One input of a [`FormPage`].
#[derive(Debug, Clone)]
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub input_type: &'static str,
    pub autocomplete: &'static str,
    pub inputmode: &'static str,
    pub hint: Option<String>,
    pub error: Option<String>,
    pub value: String,
    /// Shown as 任意 instead of 必須, and not `required`.
    pub optional: bool,
}

impl Field {
    pub fn new(
        name: &'static str,
        label: impl Into<String>,
        input_type: &'static str,
        autocomplete: &'static str,
    ) -> Self {
        Field {
            name,
            label: label.into(),
            input_type,
            autocomplete,
            inputmode: "",
            hint: None,
            error: None,
            value: String::new(),
            optional: false,
        }
    }
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }
    pub fn numeric(mut self) -> Self {
        self.inputmode = "numeric";
        self
    }
    pub fn hint(mut self, h: impl Into<String>) -> Self {
        self.hint = Some(h.into());
        self
    }
    pub fn value(mut self, v: impl Into<String>) -> Self {
        self.value = v.into();
        self
    }
}

/// A page with one form: recovery requests, new passwords, confirmations.
#[derive(Template)]
#[template(path = "layout/form_page.html")]
pub struct FormPage {
    pub chrome: Chrome,
    pub heading: String,
    pub notice: Option<Notice>,
    pub intro: Vec<String>,
    pub action: String,
    pub csrf_token: String,
    pub hidden: Vec<(&'static str, String)>,
    pub fields: Vec<Field>,
    pub submit: String,
    pub links: Vec<Link>,
    /// A passkey can answer this form's second factor: the address of its options.
    pub passkey: Option<&'static str>,
}

impl FormPage {
    /// Sets the error of field `name`.
    pub fn error(&mut self, name: &str, message: impl Into<String>) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.name == name) {
            f.error = Some(message.into());
        }
    }
    pub fn has_errors(&self) -> bool {
        self.fields.iter().any(|f| f.error.is_some())
    }
}

/// A page that only tells something: "mail sent", "link expired", "done".
#[derive(Template)]
#[template(path = "layout/message_page.html")]
pub struct MessagePage {
    pub chrome: Chrome,
    pub heading: String,
    pub notice: Option<Notice>,
    pub lines: Vec<String>,
    pub links: Vec<Link>,
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

impl Link {
    pub fn new(href: impl Into<String>, text: impl Into<String>) -> Self {
        Link {
            href: href.into(),
            text: text.into(),
        }
    }
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

#[derive(Template)]
#[template(path = "helpdesk/enroll.html")]
pub struct HelpdeskEnrollPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    /// Generated by the `qrcode` crate from our own otpauth URI: markup, no script.
    pub qr_svg: String,
    pub secret: String,
    pub csrf_token: String,
}

#[derive(Debug, Clone)]
pub struct LookupRow {
    pub id: i64,
    pub login_id: String,
    pub name: String,
    pub furigana: String,
    pub birth_date: String,
    /// 技能者 / 事業者, in the page's language.
    pub kind: String,
}

impl LookupRow {
    /// Name with フリガナ and birth date.
    pub fn person(&self) -> String {
        crate::i18n::ta(
            "helpdesk-person",
            &[
                ("name", &self.name),
                ("furigana", &self.furigana),
                ("birth", &self.birth_date),
            ],
        )
    }
    /// Name with フリガナ, birth date and kind.
    pub fn person_kind(&self) -> String {
        crate::i18n::ta(
            "helpdesk-person-kind",
            &[
                ("name", &self.name),
                ("furigana", &self.furigana),
                ("birth", &self.birth_date),
                ("kind", &self.kind),
            ],
        )
    }
}

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
    pub csrf_token: String,
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
    pub q: ccus_storage::Inquiry,
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

// ---- registration ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "apply/top.html")]
pub struct ApplyTopPage {
    pub chrome: Chrome,
}

/// One of an applicant's applications on their page.
#[derive(Debug, Clone)]
pub struct ApplicationRow {
    pub id: i64,
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
    pub id: i64,
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

/// A person on the organisation page.
#[derive(Debug, Clone)]
pub struct OrgMemberRow {
    pub id: i64,
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
    pub target: String,
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
    pub id: i64,
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
    pub id: i64,
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

/// The counts of the questionnaire's endings (supervisors).
#[derive(Template)]
#[template(path = "helpdesk/guide.html")]
pub struct GuideCountsPage {
    pub chrome: Chrome,
    pub rows: Vec<(String, i64)>,
    pub total: i64,
}
