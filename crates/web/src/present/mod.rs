//! Shared presentation: the page frame (header, menu, footer), notices, form fields, the
//! catalog filters of every template, and words used on many pages ([`labels`]).

pub mod labels;

use crate::i18n;
use crate::security::CsrfCookie;
use crate::AppState;
use askama::Template;
use axum::Extension;
use ccus_app::auth::SessionRecord;
use ccus_domain::AccountKind;

/// Text from the message catalog in templates: `{{ "key"|t }}`, `{{ "key"|ta("name", value) }}`.
pub mod filters {
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

impl Link {
    pub fn new(href: impl Into<String>, text: impl Into<String>) -> Self {
        Link {
            href: href.into(),
            text: text.into(),
        }
    }
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

/// The frame of a console page before sign-in completes: staff header and footer, no menu.
pub fn staff_chrome(title: &str) -> Chrome {
    Chrome {
        staff_area: true,
        ..Chrome::titled(i18n::ta("helpdesk-page-title", &[("title", title)]))
    }
}

pub fn chrome(
    state: &AppState,
    title: &str,
    kind: AccountKind,
    s: &SessionRecord,
    csrf: &Option<Extension<CsrfCookie>>,
) -> Chrome {
    Chrome {
        banner: None,
        title: title.to_owned(),
        signed_in: Some(SignedInNav {
            portal: kind.portal(),
            name: s.account.name.clone(),
            csrf_token: csrf
                .as_ref()
                .map(|c| state.csrf().token_for(&c.0 .0))
                .unwrap_or_default(),
        }),
        ..Chrome::default()
    }
}

/// An account as a row of look-up results or inquiry candidates.
pub fn lookup_row(a: ccus_app::account::AccountSummary) -> LookupRow {
    LookupRow {
        id: a.id.get(),
        login_id: a.login_id.grouped(),
        kind: i18n::kind(a.kind),
        name: a.name,
        furigana: a.furigana,
        birth_date: a
            .birth_date
            .map(ccus_domain::profile::format_date)
            .unwrap_or_default(),
    }
}
