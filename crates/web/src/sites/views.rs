//! The sites pages' templates: a business's site list, a site's form, a site with its
//! 施工体制 and 作業員名簿, what waits for the business, 事業者間合意, fees; the technician's
//! sites; the helpdesk's view of a site.

use askama::Template;

use crate::present::filters;
#[allow(unused_imports)]
use crate::present::*;

/// One input of a sites form: a text or date box, a choice list or radio buttons.
#[derive(Debug, Clone)]
pub struct Input {
    /// Its name in the form, and its id on the page.
    pub name: String,
    pub label: String,
    /// `text`, `date`, `select` or `radio`.
    pub kind: &'static str,
    /// (value, label) for `select` and `radio`.
    pub options: Vec<(String, String)>,
    pub value: String,
    pub error: Option<String>,
    pub hint: Option<String>,
    pub optional: bool,
    pub inputmode: &'static str,
}

impl Input {
    pub fn new(name: impl Into<String>, label: impl Into<String>, kind: &'static str) -> Input {
        Input {
            name: name.into(),
            label: label.into(),
            kind,
            options: Vec::new(),
            value: String::new(),
            error: None,
            hint: None,
            optional: false,
            inputmode: "",
        }
    }
    pub fn optional(mut self) -> Input {
        self.optional = true;
        self
    }
    pub fn options(mut self, o: Vec<(String, String)>) -> Input {
        self.options = o;
        self
    }
    pub fn value(mut self, v: impl Into<String>) -> Input {
        self.value = v.into();
        self
    }
    pub fn hint(mut self, h: impl Into<String>) -> Input {
        self.hint = Some(h.into());
        self
    }
    pub fn numeric(mut self) -> Input {
        self.inputmode = "numeric";
        self
    }
}

/// A group of inputs under a heading.
#[derive(Debug, Clone)]
pub struct Section {
    pub heading: String,
    pub intro: Option<String>,
    pub inputs: Vec<Input>,
}

/// A site in a business's list.
#[derive(Debug, Clone)]
pub struct SiteRow {
    pub site_id: String,
    pub grouped: String,
    pub name: String,
    pub prime: String,
    pub period: String,
    pub state: String,
    /// Where the business stands: 元請, or its answer still owed.
    pub standing: String,
    pub waiting: bool,
}

/// 現場一覧: the business's sites, the search, the next page.
#[derive(Template)]
#[template(path = "sites/list.html")]
pub struct SitesPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub search: Vec<Input>,
    pub rows: Vec<SiteRow>,
    pub searched: bool,
    pub next: Option<String>,
    pub may_register: bool,
    pub pending: usize,
}

/// 現場の登録 and 現場情報の変更.
#[derive(Template)]
#[template(path = "sites/form.html")]
pub struct SiteFormPage {
    pub chrome: Chrome,
    pub heading: String,
    pub notice: Option<Notice>,
    pub intro: String,
    pub action: String,
    pub sections: Vec<Section>,
    pub submit: String,
    pub back: String,
    pub csrf_token: String,
}

/// A worker on a 名簿, as the reader may see them.
#[derive(Debug, Clone)]
pub struct WorkerRow {
    pub id: i64,
    pub login_id: String,
    pub name: String,
    pub trade: String,
    pub position: String,
    pub work: String,
    pub hazardous: String,
    pub qualifications: String,
    pub basis: String,
    pub asked: bool,
}

/// A form on the site page that belongs to one place (asking a company, listing a worker).
#[derive(Debug, Clone)]
pub struct PlaceForm {
    pub action: String,
    pub inputs: Vec<Input>,
    pub error: Option<String>,
    /// Open on the page (it was just sent back with a problem).
    pub open: bool,
}

/// One company's place on the site page.
#[derive(Debug, Clone)]
pub struct PlaceRow {
    pub id: i64,
    /// 0 for the 元請.
    pub depth: usize,
    /// 元請, 一次, 二次, … in the page's language.
    pub tier: String,
    pub company: String,
    pub state: String,
    pub requested: bool,
    /// Who must act for this place to count, when it waits.
    pub waiting_on: Option<String>,
    pub via: String,
    pub may_answer: bool,
    pub may_cancel: bool,
    pub invite: Option<PlaceForm>,
    pub add_worker: Option<PlaceForm>,
    pub shows_roster: bool,
    pub workers: Vec<WorkerRow>,
    pub may_edit_workers: bool,
    /// (pattern id, name) the reader may apply here.
    pub patterns: Vec<(i64, String)>,
}

/// A site with its 施工体制 and the 名簿 the reader sees.
#[derive(Template)]
#[template(path = "sites/site.html")]
pub struct SitePage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub site_id: String,
    pub name: String,
    pub facts: Vec<(String, String)>,
    pub contracts: Vec<Vec<(String, String)>>,
    pub runs: bool,
    pub closed: bool,
    pub places: Vec<PlaceRow>,
    /// The reader's own place may be saved as a pattern.
    pub may_save: bool,
    /// The business's saved patterns, each with its button to delete it.
    pub saved_patterns: Vec<SavedPattern>,
    pub csrf_token: String,
}

/// A saved 施工体制パターン or 作業員名簿パターン.
#[derive(Debug, Clone)]
pub struct SavedPattern {
    pub id: i64,
    pub name: String,
    /// Its kind, in the page's language.
    pub kind: String,
}

/// A 要請 on the pending page.
#[derive(Debug, Clone)]
pub struct RequestRow {
    pub place: i64,
    pub site_id: String,
    pub grouped: String,
    pub site_name: String,
    pub company: String,
    pub at: String,
}

/// An agreement on the pending and agreements pages.
#[derive(Debug, Clone)]
pub struct AgreementRow {
    pub id: i64,
    pub other: String,
    /// We are the upper (or lower) tier, in the page's language.
    pub side: String,
    pub proxy: bool,
    pub state: String,
    pub may_answer: bool,
    pub may_end: bool,
    pub end_label: String,
}

/// 対応が必要なこと: 要請 to answer, 要請 waiting for others, 合意 offered.
#[derive(Template)]
#[template(path = "sites/pending.html")]
pub struct PendingPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub to_answer: Vec<RequestRow>,
    pub waiting: Vec<RequestRow>,
    pub offers: Vec<AgreementRow>,
    pub csrf_token: String,
}

/// 事業者間合意.
#[derive(Template)]
#[template(path = "sites/agreements.html")]
pub struct AgreementsPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub rows: Vec<AgreementRow>,
    pub offer: Vec<Input>,
    pub csrf_token: String,
}

/// 利用料.
#[derive(Template)]
#[template(path = "sites/fees.html")]
pub struct FeesPage {
    pub chrome: Chrome,
    pub year: String,
    pub lines: Vec<(String, String)>,
    pub notes: Vec<String>,
}

/// A site on the technician's page.
#[derive(Debug, Clone)]
pub struct MySiteRow {
    pub listing: i64,
    pub grouped: String,
    pub name: String,
    pub prime: String,
    pub company: String,
    pub period: String,
    pub trade: String,
    pub position: String,
    pub asked: bool,
    pub closed: bool,
}

/// 就業する現場 (the technician's page).
#[derive(Template)]
#[template(path = "sites/mine.html")]
pub struct MySitesPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub rows: Vec<MySiteRow>,
    pub csrf_token: String,
}

/// A site in the console: its facts, its tree and 名簿, and the correction form.
#[derive(Template)]
#[template(path = "helpdesk/site.html")]
pub struct HelpdeskSitePage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub typed: String,
    pub error: Option<String>,
    pub site: Option<HelpdeskSite>,
    pub csrf_token: String,
}

#[derive(Debug, Clone)]
pub struct HelpdeskSite {
    pub site_id: String,
    pub grouped: String,
    pub name: String,
    pub facts: Vec<(String, String)>,
    pub places: Vec<PlaceRow>,
    /// (place id, label) of every live place, for the correction form.
    pub choices: Vec<(String, String)>,
    pub correction_error: Option<String>,
}
