//! 就業履歴: technicians' IC cards, the readers of each site with their keys, the touches
//! they send, the records (one per worker, site and work day) and the レベル standards.

use ccus_domain::records::{
    day_number, from_day_number, CountedDay, Direction, LeaderRole, LevelStandard, RecordState,
    Source,
};
use ccus_domain::site::Position;
use ccus_domain::{AccountId, Date, ReaderId, RecordId, SiteKey, Timestamp};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::sites::date_from;
use crate::{replicas, Records, Result, Store, StoreError, StoreTx};

mod cards;
mod entries;
mod reading;
mod touches;

/// A technician's IC card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    pub number: String,
    pub account: AccountId,
    /// `active`, `lost` or `replaced`.
    pub state: String,
    pub issued_at: Timestamp,
    pub expires_on: Date,
}

/// A reader of a site, as its list shows it (never its key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reader {
    pub id: ReaderId,
    pub site: SiteKey,
    pub name: String,
    /// The key's first characters, to tell keys apart.
    pub hint: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
    pub last_seen_at: Option<Timestamp>,
}

/// A reader found by its key, with what a touch is checked against.
#[derive(Debug, Clone)]
pub struct ReaderAuth {
    pub id: ReaderId,
    pub site: SiteKey,
    pub site_open: bool,
    pub records_from: Date,
    pub records_to: Date,
}

/// A worker's line on a site's 名簿 as a record keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterSnapshot {
    pub business: AccountId,
    pub trade: String,
    pub position: String,
    pub work: String,
}

/// A line of a site's 名簿 a touch may be recorded under (see `ingest`'s choice among them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterLine {
    pub id: i64,
    pub technician: AccountId,
    pub state: String,
    pub added_at: Timestamp,
    pub answered_at: Option<Timestamp>,
    pub removed_at: Option<Timestamp>,
    pub snapshot: RosterSnapshot,
}

/// A worker's touches of one day at one site, folded before they are written: the earliest
/// entry and the latest exit among them, and the 名簿 line of the first.
#[derive(Debug, Clone)]
pub struct FoldedTouches {
    pub account: AccountId,
    pub day: Date,
    pub first_in: Option<Timestamp>,
    pub last_out: Option<Timestamp>,
    pub roster: RosterSnapshot,
}

/// A touch as a reader sent it, and how it was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewTouch {
    pub reader: ReaderId,
    pub seq: i64,
    pub card_number: String,
    pub direction: Direction,
    pub touched_at: Timestamp,
    /// `accepted` or a refusal's code.
    pub outcome: String,
    pub account: Option<AccountId>,
    pub site: SiteKey,
    pub work_day: Option<Date>,
}

/// One 就業履歴 as the worker's pages read it.
#[derive(Debug, Clone)]
pub struct WorkRecord {
    pub id: RecordId,
    pub account: AccountId,
    pub site: SiteKey,
    pub site_id: String,
    pub site_name: String,
    pub day: Date,
    pub source: Source,
    pub state: RecordState,
    pub first_in: Option<Timestamp>,
    pub last_out: Option<Timestamp>,
    /// The company the worker was listed under that day, by name.
    pub company: String,
    pub trade: String,
    pub position: Option<Position>,
    pub work: String,
    /// Why it was rejected (empty otherwise).
    pub reason: String,
}

/// A record waiting for the site's approval, with the worker it is of.
#[derive(Debug, Clone)]
pub struct PendingRecord {
    pub record: WorkRecord,
    pub worker_name: String,
    pub worker_login_id: String,
}

/// A 補正 waiting for the site's answer: the record as it is, and the times asked for.
#[derive(Debug, Clone)]
pub struct PendingCorrection {
    pub id: i64,
    pub record: WorkRecord,
    pub worker_name: String,
    pub worker_login_id: String,
    pub first_in: Option<Timestamp>,
    pub last_out: Option<Timestamp>,
}

/// A counted record as a site's day view and monthly statement list it.
#[derive(Debug, Clone)]
pub struct SiteRecordRow {
    pub day: Date,
    pub worker_login_id: String,
    pub worker_name: String,
    pub company: String,
    pub trade: String,
    pub position: Option<Position>,
    pub source: Source,
    pub first_in: Option<Timestamp>,
    pub last_out: Option<Timestamp>,
    /// The worker's employer (所属), for what another business is shown of them.
    pub worker_employer: Option<AccountId>,
    /// The worker's disclosure setting (`private` when never set).
    pub disclosure: String,
}

/// A record of the days a worker was listed under a business, with what the business may be
/// shown of the worker (its page applies the worker's disclosure setting).
#[derive(Debug, Clone)]
pub struct BusinessRecord {
    pub record: WorkRecord,
    pub worker_login_id: String,
    pub worker_name: String,
    pub worker_employer: Option<AccountId>,
    /// The worker's disclosure setting (`private` when never set).
    pub disclosure: String,
}

/// 未配置: a worker's touches at a site on one day that found them on no 名簿, not yet placed.
#[derive(Debug, Clone)]
pub struct UnplacedDay {
    pub account: AccountId,
    pub worker_login_id: String,
    pub worker_name: String,
    pub site: SiteKey,
    pub site_id: String,
    pub site_name: String,
    pub day: Date,
    pub touches: i64,
    pub first_at: Timestamp,
}

/// One touch kept as 未配置.
#[derive(Debug, Clone, Copy)]
pub struct UnplacedTouch {
    pub reader: ReaderId,
    pub seq: i64,
    pub direction: Direction,
    pub at: Timestamp,
    pub day: Date,
}

/// Values bound to one statement at most (SQLite allows 32,766; PostgreSQL 65,535).
const CHUNK: usize = 1000;

/// `$from, $from+1, …` for `n` values.
fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a touch folds into the record of its worker, site and day: the earliest entry and the
/// latest exit are kept; a day entered by hand becomes a touched day (the touch's times replace
/// the typed ones, the decision is cleared, and it counts); a withdrawn record stays withdrawn.
const FOLD_CONFLICT: &str = "ON CONFLICT (work_day, account_id, site_id) DO UPDATE SET \
    first_in = CASE WHEN work_records.source <> 'touch' THEN excluded.first_in \
        WHEN excluded.first_in IS NULL THEN work_records.first_in \
        WHEN work_records.first_in IS NULL OR excluded.first_in < work_records.first_in \
        THEN excluded.first_in ELSE work_records.first_in END, \
    last_out = CASE WHEN work_records.source <> 'touch' THEN excluded.last_out \
        WHEN excluded.last_out IS NULL THEN work_records.last_out \
        WHEN work_records.last_out IS NULL OR excluded.last_out > work_records.last_out \
        THEN excluded.last_out ELSE work_records.last_out END, \
    decided_by = CASE WHEN work_records.source <> 'touch' THEN NULL ELSE work_records.decided_by END, \
    decided_at = CASE WHEN work_records.source <> 'touch' THEN NULL ELSE work_records.decided_at END, \
    reason = CASE WHEN work_records.source <> 'touch' THEN '' ELSE work_records.reason END, \
    state = CASE WHEN work_records.state = 'withdrawn' THEN 'withdrawn' ELSE 'counted' END, \
    source = 'touch', \
    reader_id = COALESCE(work_records.reader_id, excluded.reader_id), \
    updated_at = excluded.updated_at";

fn card_from(r: &AnyRow) -> Result<Card> {
    let expires: String = r.try_get("expires_on")?;
    Ok(Card {
        number: r.try_get("card_number")?,
        account: AccountId::new(r.try_get("account_id")?),
        state: r.try_get("state")?,
        issued_at: Timestamp(r.try_get("issued_at")?),
        expires_on: date_from(&expires)?,
    })
}

fn reader_from(r: &AnyRow) -> Result<Reader> {
    Ok(Reader {
        id: ReaderId::new(r.try_get("id")?),
        site: SiteKey::new(r.try_get("site_id")?),
        name: r.try_get("name")?,
        hint: r.try_get("key_hint")?,
        created_at: Timestamp(r.try_get("created_at")?),
        revoked_at: r.try_get::<Option<i64>, _>("revoked_at")?.map(Timestamp),
        last_seen_at: r.try_get::<Option<i64>, _>("last_seen_at")?.map(Timestamp),
    })
}

fn day_from(n: i64) -> Result<Date> {
    from_day_number(n).ok_or_else(|| StoreError::Corrupt(format!("work day {n}")))
}

fn record_from(r: &AnyRow) -> Result<WorkRecord> {
    let source: String = r.try_get("source")?;
    let state: String = r.try_get("state")?;
    let position: String = r.try_get("position")?;
    Ok(WorkRecord {
        id: RecordId::new(r.try_get("id")?),
        account: AccountId::new(r.try_get("account_id")?),
        site: SiteKey::new(r.try_get("site_key")?),
        site_id: r.try_get("site_site_id")?,
        site_name: r.try_get("site_name")?,
        day: day_from(r.try_get::<i64, _>("work_day")?)?,
        source: Source::parse(&source)
            .ok_or_else(|| StoreError::Corrupt(format!("record source {source:?}")))?,
        state: RecordState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("record state {state:?}")))?,
        first_in: r.try_get::<Option<i64>, _>("first_in")?.map(Timestamp),
        last_out: r.try_get::<Option<i64>, _>("last_out")?.map(Timestamp),
        company: r
            .try_get::<Option<String>, _>("company_name")?
            .unwrap_or_default(),
        trade: r.try_get("trade")?,
        position: Position::parse(&position),
        work: r.try_get("work")?,
        reason: r.try_get("reason")?,
    })
}

const RECORD_COLUMNS: &str =
    "w.id, w.account_id, w.site_id AS site_key, s.site_id AS site_site_id, \
     s.name AS site_name, w.work_day, w.source, w.state, w.first_in, w.last_out, \
     b.name AS company_name, w.trade, w.position, w.work, w.reason";

const RECORD_JOINS: &str =
    "JOIN sites s ON s.id = w.site_id LEFT JOIN accounts b ON b.id = w.business_id";
