//! One typed struct per page, rendered by askama templates in `templates/`. All output is
//! escaped by the template engine.

use askama::Template;

/// What every page's frame needs.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    pub title: String,
    /// Set when someone is signed in: shows their name and the ログアウト button.
    pub signed_in: Option<SignedInNav>,
}

#[derive(Debug, Clone)]
pub struct SignedInNav {
    /// `ccus_skill` or `ccus_owner`.
    pub portal: &'static str,
    pub name: String,
    pub csrf_token: String,
}

impl Chrome {
    pub fn titled(title: impl Into<String>) -> Self {
        Chrome {
            title: title.into(),
            signed_in: None,
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
#[template(path = "top.html")]
pub struct TopPage {
    pub chrome: Chrome,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub chrome: Chrome,
    /// 技能者 / 事業者
    pub kind_label: &'static str,
    pub action: &'static str,
    pub other_label: &'static str,
    pub other_login_path: &'static str,
    pub csrf_token: String,
    pub login_id: String,
    pub next: String,
    pub notice: Option<Notice>,
    pub id_error: Option<String>,
    pub password_error: Option<String>,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub chrome: Chrome,
    pub kind_label: &'static str,
    pub portal: &'static str,
    pub name: String,
    pub grouped_id: String,
    pub signed_in_since: String,
}

#[derive(Debug, Clone)]
pub struct HistoryRow {
    pub at: String,
    pub label: &'static str,
    pub failure: bool,
    pub address: String,
    pub browser: &'static str,
    pub user_agent: String,
}

#[derive(Template)]
#[template(path = "history.html")]
pub struct HistoryPage {
    pub chrome: Chrome,
    pub portal: &'static str,
    pub rows: Vec<HistoryRow>,
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    pub prev_href: Option<String>,
    pub next_href: Option<String>,
}

#[derive(Template)]
#[template(path = "error.html")]
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
#[template(path = "unsupported_browser.html")]
pub struct UnsupportedBrowserPage {
    pub chrome: Chrome,
}

impl Default for UnsupportedBrowserPage {
    fn default() -> Self {
        UnsupportedBrowserPage {
            chrome: Chrome::titled("Internet Explorerはご利用いただけません"),
        }
    }
}
