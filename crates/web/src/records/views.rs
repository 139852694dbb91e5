//! The 就業履歴 pages' structs; their templates are in `templates/records/`.

use askama::Template;

use crate::present::filters;
#[allow(unused_imports)]
use crate::present::*;
use crate::sites::views::Input;

/// The technician's card line.
#[derive(Debug, Clone)]
pub struct CardLine {
    pub number: String,
    pub expires: String,
    /// Said when the card expires soon, or has.
    pub reminder: Option<String>,
}

/// One record in the month's table.
#[derive(Debug, Clone)]
pub struct RecordRow {
    pub day: String,
    pub site: String,
    pub company: String,
    pub trade: String,
    pub position: String,
    pub first_in: String,
    pub last_out: String,
    /// How it came (a touch, 直接入力, training).
    pub how: String,
    pub state: String,
}

/// One レベル's progress.
#[derive(Debug, Clone)]
pub struct LevelLine {
    pub level: u8,
    pub reached: bool,
    pub days: String,
    pub leader: Option<String>,
    pub missing: Option<String>,
    pub qualifications: Vec<String>,
    /// For the progress bar.
    pub value: u32,
    pub max: u32,
}

/// A 職種 and its レベル.
#[derive(Debug, Clone)]
pub struct TradeBlock {
    pub name: String,
    pub days: u32,
    pub levels: Vec<LevelLine>,
}

/// 就業履歴 (the technician's page).
#[derive(Template)]
#[template(path = "records/mine.html")]
pub struct MyRecordsPage {
    pub chrome: Chrome,
    pub heading: String,
    /// The page's path: the months are `?month=` of it.
    pub base: String,
    pub card_action: Option<String>,
    pub correction_action: Option<String>,
    /// The month's days that may be corrected: (`YYYY-MM-DD.id`, how the choice reads).
    pub correctable: Vec<(String, String)>,
    pub back: String,
    /// The worker's own page.
    pub own: bool,
    pub notice: Option<Notice>,
    /// The 直接入力 form (none while the worker is on no site's 名簿).
    pub inputs: Vec<Input>,
    pub csrf_token: String,
    pub card: Option<CardLine>,
    pub month_label: String,
    pub month_days: String,
    /// `YYYY-MM` of the months before and after (none after this month).
    pub previous: String,
    pub next: Option<String>,
    pub rows: Vec<RecordRow>,
    pub total_days: u32,
    pub total_years: String,
    pub leader_days: u32,
    pub foreman_days: u32,
    pub training_days: u32,
    pub per_year: Vec<(String, String)>,
    pub trades: Vec<TradeBlock>,
}

/// A reader in a site's list.
#[derive(Debug, Clone)]
pub struct ReaderRow {
    pub id: i64,
    pub name: String,
    pub hint: String,
    pub created: String,
    pub last_seen: String,
    pub revoked: Option<String>,
}

/// A site's card readers and their keys.
#[derive(Template)]
#[template(path = "records/readers.html")]
pub struct ReadersPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub site_id: String,
    pub site_name: String,
    pub closed: bool,
    /// A key just issued, shown this once.
    pub new_key: Option<(String, String)>,
    pub name_value: String,
    pub name_error: Option<String>,
    pub rows: Vec<ReaderRow>,
    /// Where readers post, for the vendor.
    pub endpoint: String,
    pub csrf_token: String,
}

/// A day waiting for the site's approval.
#[derive(Debug, Clone)]
pub struct PendingRow {
    pub id: i64,
    /// The day as the address has it.
    pub day_param: String,
    pub day: String,
    pub worker: String,
    pub company: String,
    pub first_in: String,
    pub last_out: String,
}

/// A 補正 waiting for the site's answer.
#[derive(Debug, Clone)]
pub struct CorrectionRow {
    pub id: i64,
    pub day: String,
    pub worker: String,
    pub company: String,
    /// The record's times now, and those asked for.
    pub was: String,
    pub asked: String,
}

/// A site's 直接入力 and approvals.
#[derive(Template)]
#[template(path = "records/direct.html")]
pub struct DirectPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub site_id: String,
    pub site_name: String,
    /// The reader runs the site: the days waiting are theirs to decide.
    pub runs: bool,
    pub pending: Vec<PendingRow>,
    pub corrections: Vec<CorrectionRow>,
    pub inputs: Vec<Input>,
    pub csrf_token: String,
}

/// A record in a site's day view.
#[derive(Debug, Clone)]
pub struct SiteRecordsRow {
    pub day: String,
    pub worker: String,
    pub company: String,
    pub trade: String,
    pub position: String,
    pub first_in: String,
    pub last_out: String,
    pub how: String,
}

/// A site's records over a day (who was on site) or a month (the 現場利用料 statement).
#[derive(Template)]
#[template(path = "records/site_records.html")]
pub struct SiteRecordsPage {
    pub chrome: Chrome,
    pub heading: String,
    pub site_id: String,
    pub site_name: String,
    pub period: String,
    /// (company, records).
    pub per_company: Vec<(String, String)>,
    pub records: String,
    pub fee: String,
    /// The query of the day or month before and after (none after today's).
    pub previous: String,
    pub next: Option<String>,
    /// A day's view lists its records; a month's links its CSV.
    pub day_view: bool,
    pub csv: Option<String>,
    pub pdf: Option<String>,
    pub rows: Vec<SiteRecordsRow>,
}

/// The month's 現場利用料 over all the 元請's sites.
#[derive(Template)]
#[template(path = "records/statements.html")]
pub struct PrimeMonthPage {
    pub chrome: Chrome,
    pub heading: String,
    /// `YYYY-MM`.
    pub month: String,
    /// (現場ID, name, records, yen).
    pub lines: Vec<(String, String, String, String)>,
    pub fee: String,
    pub previous: String,
    pub next: Option<String>,
}

/// A record under the business.
#[derive(Debug, Clone)]
pub struct BusinessRecordRow {
    pub day: String,
    pub site: String,
    /// The 技能者ID, grouped.
    pub login_id: String,
    /// The worker's name, or why it is not shown.
    pub worker: String,
    /// The business's own worker: their page's path.
    pub link: Option<String>,
    pub trade: String,
    pub position: String,
    pub first_in: String,
    pub last_out: String,
    pub state: String,
}

/// A 未配置 day of one of the business's own workers.
#[derive(Debug, Clone)]
pub struct UnplacedRow {
    pub day: String,
    /// `YYYY-MM-DD`, for the form.
    pub day_value: String,
    pub site_id: String,
    pub site: String,
    pub login_id: String,
    pub worker: String,
    pub touches: String,
}

/// The business's 就業履歴: the month's records under it and its workers' 未配置 days.
#[derive(Template)]
#[template(path = "records/business.html")]
pub struct BusinessRecordsPage {
    pub chrome: Chrome,
    pub notice: Option<Notice>,
    pub csrf_token: String,
    pub month_label: String,
    pub unplaced: Vec<UnplacedRow>,
    pub may_place: bool,
    pub rows: Vec<BusinessRecordRow>,
    /// The query of the month's next page, when there is one.
    pub more: Option<String>,
    pub previous: String,
    pub next: Option<String>,
}
