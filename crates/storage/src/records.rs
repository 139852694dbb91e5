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
use crate::{Records, Result, Store, StoreError, StoreTx};

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

impl Records<&Store> {
    /// The card in use with this number, or a stopped one (its state says so).
    pub async fn card(self, number: &str) -> Result<Option<Card>> {
        let row = sqlx::query(
            "SELECT card_number, account_id, state, issued_at, expires_on FROM ic_cards WHERE card_number = $1",
        )
        .bind(number)
        .fetch_optional(self.db())
        .await?;
        row.as_ref().map(card_from).transpose()
    }

    /// The cards with these numbers (those that exist).
    pub async fn cards(self, numbers: &[String]) -> Result<Vec<Card>> {
        let mut out = Vec::with_capacity(numbers.len());
        for chunk in numbers.chunks(CHUNK) {
            let sql = format!(
                "SELECT card_number, account_id, state, issued_at, expires_on FROM ic_cards \
                 WHERE card_number IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for n in chunk {
                q = q.bind(n.as_str());
            }
            for r in q.fetch_all(self.db()).await? {
                out.push(card_from(&r)?);
            }
        }
        Ok(out)
    }

    /// A technician's card in use.
    pub async fn card_of(self, account: AccountId) -> Result<Option<Card>> {
        let row = sqlx::query(
            "SELECT card_number, account_id, state, issued_at, expires_on FROM ic_cards \
             WHERE account_id = $1 AND state = 'active'",
        )
        .bind(account.get())
        .fetch_optional(self.db())
        .await?;
        row.as_ref().map(card_from).transpose()
    }

    /// The reader a key's hash belongs to, unless revoked.
    pub async fn reader_by_key(self, key_hash: &str) -> Result<Option<ReaderAuth>> {
        let row = sqlx::query(
            "SELECT r.id, r.site_id, s.state, s.records_from, s.records_to FROM site_readers r \
             JOIN sites s ON s.id = r.site_id WHERE r.key_hash = $1 AND r.revoked_at IS NULL",
        )
        .bind(key_hash)
        .fetch_optional(self.db())
        .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        let state: String = r.try_get("state")?;
        let from: String = r.try_get("records_from")?;
        let to: String = r.try_get("records_to")?;
        Ok(Some(ReaderAuth {
            id: ReaderId::new(r.try_get("id")?),
            site: SiteKey::new(r.try_get("site_id")?),
            site_open: state == "open",
            records_from: date_from(&from)?,
            records_to: date_from(&to)?,
        }))
    }

    /// A site's readers, newest first.
    pub async fn readers_of(self, site: SiteKey) -> Result<Vec<Reader>> {
        let rows = sqlx::query(
            "SELECT id, site_id, name, key_hint, created_at, revoked_at, last_seen_at \
             FROM site_readers WHERE site_id = $1 ORDER BY id DESC",
        )
        .bind(site.get())
        .fetch_all(self.db())
        .await?;
        rows.iter().map(reader_from).collect()
    }

    /// A worker's records from `from` to `to` (both included), newest first.
    pub async fn records_of(
        self,
        account: AccountId,
        from: Date,
        to: Date,
    ) -> Result<Vec<WorkRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS} FROM work_records w {RECORD_JOINS} \
             WHERE w.account_id = $1 AND w.work_day >= $2 AND w.work_day <= $3 \
             ORDER BY w.work_day DESC, w.id DESC"
        ))
        .bind(account.get())
        .bind(day_number(from))
        .bind(day_number(to))
        .fetch_all(self.db())
        .await?;
        rows.iter().map(record_from).collect()
    }

    /// The records made under a business's places from `from` to `to`, newest first, after the
    /// keyset `after` (`(work day, id)` of the last row of the page before).
    pub async fn business_records(
        self,
        business: AccountId,
        from: Date,
        to: Date,
        after: Option<(Date, RecordId)>,
        limit: u32,
    ) -> Result<Vec<BusinessRecord>> {
        let (day, id) = after.map_or((day_number(to) + 1, 0), |(d, i)| (day_number(d), i.get()));
        let rows = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS}, t.name AS worker_name, t.login_id AS worker_login_id, \
             t.employer_id AS worker_employer, COALESCE(d.level, 'private') AS disclosure \
             FROM work_records w {RECORD_JOINS} JOIN accounts t ON t.id = w.account_id \
             LEFT JOIN disclosures d ON d.account_id = w.account_id \
             WHERE w.business_id = $1 AND w.work_day >= $2 AND w.work_day <= $3 \
             AND (w.work_day < $4 OR (w.work_day = $4 AND w.id < $5)) \
             ORDER BY w.work_day DESC, w.id DESC LIMIT $6"
        ))
        .bind(business.get())
        .bind(day_number(from))
        .bind(day_number(to))
        .bind(day)
        .bind(if after.is_some() { id } else { i64::MAX })
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(BusinessRecord {
                    record: record_from(r)?,
                    worker_login_id: r.try_get("worker_login_id")?,
                    worker_name: r.try_get("worker_name")?,
                    worker_employer: r
                        .try_get::<Option<i64>, _>("worker_employer")?
                        .map(AccountId::new),
                    disclosure: r.try_get("disclosure")?,
                })
            })
            .collect()
    }

    /// 未配置 days of a business's own workers (所属) from `since` on, oldest first.
    pub async fn unplaced_of_employer(
        self,
        employer: AccountId,
        since: Date,
        limit: u32,
    ) -> Result<Vec<UnplacedDay>> {
        let rows = sqlx::query(
            "SELECT t.account_id, a.login_id, a.name, t.site_id, s.site_id AS site_site_id, \
             s.name AS site_name, t.work_day, COUNT(*) AS touches, MIN(t.touched_at) AS first_at \
             FROM accounts a JOIN touches t ON t.account_id = a.id \
             JOIN sites s ON s.id = t.site_id \
             WHERE a.employer_id = $1 AND t.outcome = 'not_listed' AND t.placed_at IS NULL \
             AND t.work_day >= $2 \
             GROUP BY t.account_id, a.login_id, a.name, t.site_id, s.site_id, s.name, t.work_day \
             ORDER BY t.work_day, t.site_id, t.account_id LIMIT $3",
        )
        .bind(employer.get())
        .bind(day_number(since))
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(UnplacedDay {
                    account: AccountId::new(r.try_get("account_id")?),
                    worker_login_id: r.try_get("login_id")?,
                    worker_name: r.try_get("name")?,
                    site: SiteKey::new(r.try_get("site_id")?),
                    site_id: r.try_get("site_site_id")?,
                    site_name: r.try_get("site_name")?,
                    day: day_from(r.try_get::<i64, _>("work_day")?)?,
                    touches: r.try_get("touches")?,
                    first_at: Timestamp(r.try_get("first_at")?),
                })
            })
            .collect()
    }

    /// One record of a worker, by its day and id.
    pub async fn record(self, day: Date, id: RecordId) -> Result<Option<WorkRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS} FROM work_records w {RECORD_JOINS} \
             WHERE w.work_day = $1 AND w.id = $2"
        ))
        .bind(day_number(day))
        .bind(id.get())
        .fetch_optional(self.db())
        .await?;
        row.as_ref().map(record_from).transpose()
    }

    /// A site's 補正 waiting for an answer, oldest first.
    pub async fn corrections_of_site(
        self,
        site: SiteKey,
        limit: u32,
    ) -> Result<Vec<PendingCorrection>> {
        let rows = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS}, t.name AS worker_name, t.login_id AS worker_login_id, \
             c.id AS correction_id, c.first_in AS asked_in, c.last_out AS asked_out \
             FROM record_corrections c \
             JOIN work_records w ON w.work_day = c.work_day AND w.id = c.record_id \
             {RECORD_JOINS} JOIN accounts t ON t.id = w.account_id \
             WHERE c.site_id = $1 AND c.state = 'pending' ORDER BY c.id LIMIT $2"
        ))
        .bind(site.get())
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PendingCorrection {
                    id: r.try_get("correction_id")?,
                    record: record_from(r)?,
                    worker_name: r.try_get("worker_name")?,
                    worker_login_id: r.try_get("worker_login_id")?,
                    first_in: r.try_get::<Option<i64>, _>("asked_in")?.map(Timestamp),
                    last_out: r.try_get::<Option<i64>, _>("asked_out")?.map(Timestamp),
                })
            })
            .collect()
    }

    /// The company a record was made under.
    pub async fn business_of(self, day: Date, id: RecordId) -> Result<Option<AccountId>> {
        let row =
            sqlx::query("SELECT business_id FROM work_records WHERE work_day = $1 AND id = $2")
                .bind(day_number(day))
                .bind(id.get())
                .fetch_optional(self.db())
                .await?;
        Ok(match row {
            Some(r) => r
                .try_get::<Option<i64>, _>("business_id")?
                .map(AccountId::new),
            None => None,
        })
    }

    /// The records of a worker with a 補正 waiting, among `from` to `to`.
    pub async fn corrections_waiting(
        self,
        account: AccountId,
        from: Date,
        to: Date,
    ) -> Result<Vec<RecordId>> {
        let rows = sqlx::query(
            "SELECT record_id FROM record_corrections WHERE account_id = $1 \
             AND work_day >= $2 AND work_day <= $3 AND state = 'pending'",
        )
        .bind(account.get())
        .bind(day_number(from))
        .bind(day_number(to))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| Ok(RecordId::new(r.try_get("record_id")?)))
            .collect()
    }

    /// A site's records waiting for approval, oldest day first.
    pub async fn pending_of_site(self, site: SiteKey, limit: u32) -> Result<Vec<PendingRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS}, t.name AS worker_name, t.login_id AS worker_login_id \
             FROM work_records w {RECORD_JOINS} JOIN accounts t ON t.id = w.account_id \
             WHERE w.site_id = $1 AND w.state = 'pending' ORDER BY w.work_day, w.id LIMIT $2"
        ))
        .bind(site.get())
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PendingRecord {
                    record: record_from(r)?,
                    worker_name: r.try_get("worker_name")?,
                    worker_login_id: r.try_get("worker_login_id")?,
                })
            })
            .collect()
    }

    /// A site's counted records from `from` to `to`, by day, company and worker.
    pub async fn site_records(
        self,
        site: SiteKey,
        from: Date,
        to: Date,
    ) -> Result<Vec<SiteRecordRow>> {
        let rows = sqlx::query(
            "SELECT w.work_day, t.login_id, t.name, b.name AS company_name, w.trade, w.position, \
             w.source, w.first_in, w.last_out FROM work_records w \
             JOIN accounts t ON t.id = w.account_id LEFT JOIN accounts b ON b.id = w.business_id \
             WHERE w.site_id = $1 AND w.work_day >= $2 AND w.work_day <= $3 AND w.state = 'counted' \
             ORDER BY w.work_day, b.name, t.name, w.id",
        )
        .bind(site.get())
        .bind(day_number(from))
        .bind(day_number(to))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                let source: String = r.try_get("source")?;
                let position: String = r.try_get("position")?;
                Ok(SiteRecordRow {
                    day: day_from(r.try_get::<i64, _>("work_day")?)?,
                    worker_login_id: r.try_get("login_id")?,
                    worker_name: r.try_get("name")?,
                    company: r
                        .try_get::<Option<String>, _>("company_name")?
                        .unwrap_or_default(),
                    trade: r.try_get("trade")?,
                    position: Position::parse(&position),
                    source: Source::parse(&source)
                        .ok_or_else(|| StoreError::Corrupt(format!("record source {source:?}")))?,
                    first_in: r.try_get::<Option<i64>, _>("first_in")?.map(Timestamp),
                    last_out: r.try_get::<Option<i64>, _>("last_out")?.map(Timestamp),
                })
            })
            .collect()
    }

    /// The counted records on each site a 元請 runs, from `from` to `to`: (site key, 現場ID,
    /// name, records), by 現場ID.
    pub async fn prime_counts(
        self,
        prime: AccountId,
        from: Date,
        to: Date,
    ) -> Result<Vec<(SiteKey, String, String, i64)>> {
        let rows = sqlx::query(
            "SELECT s.id, s.site_id, s.name, COUNT(w.id) AS n FROM sites s \
             JOIN work_records w ON w.site_id = s.id AND w.work_day >= $2 AND w.work_day <= $3 \
             AND w.state = 'counted' WHERE s.prime_id = $1 GROUP BY s.id, s.site_id, s.name \
             ORDER BY s.site_id",
        )
        .bind(prime.get())
        .bind(day_number(from))
        .bind(day_number(to))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    SiteKey::new(r.try_get("id")?),
                    r.try_get("site_id")?,
                    r.try_get("name")?,
                    r.try_get("n")?,
                ))
            })
            .collect()
    }

    /// Every counted day of a worker, as the day count needs it (a few thousand at most).
    pub async fn counted_days(self, account: AccountId) -> Result<Vec<CountedDay>> {
        let rows = sqlx::query(
            "SELECT work_day, source, trade, position FROM work_records \
             WHERE account_id = $1 AND state = 'counted'",
        )
        .bind(account.get())
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                let source: String = r.try_get("source")?;
                let position: String = r.try_get("position")?;
                Ok(CountedDay {
                    day: day_from(r.try_get::<i64, _>("work_day")?)?,
                    source: Source::parse(&source)
                        .ok_or_else(|| StoreError::Corrupt(format!("record source {source:?}")))?,
                    trade: r.try_get("trade")?,
                    position: Position::parse(&position),
                })
            })
            .collect()
    }

    /// Every レベル standard, as data.
    pub async fn level_standards(self) -> Result<Vec<LevelStandard>> {
        let rows = sqlx::query(
            "SELECT trade, level, applies_from, days, leader_days, leader_role, qualifications \
             FROM level_standards ORDER BY trade, level, applies_from",
        )
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                let from: String = r.try_get("applies_from")?;
                let role: String = r.try_get("leader_role")?;
                let n = |c: &str| -> Result<u32> {
                    u32::try_from(r.try_get::<i64, _>(c)?)
                        .map_err(|_| StoreError::Corrupt(format!("level standard {c}")))
                };
                Ok(LevelStandard {
                    trade: r.try_get("trade")?,
                    level: u8::try_from(r.try_get::<i64, _>("level")?)
                        .map_err(|_| StoreError::Corrupt("level".into()))?,
                    applies_from: date_from(&from)?,
                    days: n("days")?,
                    leader_days: n("leader_days")?,
                    leader_role: LeaderRole::parse(&role)
                        .ok_or_else(|| StoreError::Corrupt(format!("leader role {role:?}")))?,
                    qualifications: r.try_get("qualifications")?,
                })
            })
            .collect()
    }
}

impl Records<&mut StoreTx> {
    /// The lines of a site's 名簿 these workers may be recorded under: live ones, and removed
    /// ones that were once listed.
    pub async fn roster_lines(
        &mut self,
        site: SiteKey,
        accounts: &[AccountId],
    ) -> Result<Vec<RosterLine>> {
        let mut out = Vec::new();
        for chunk in accounts.chunks(CHUNK) {
            let sql = format!(
                "SELECT l.id, l.technician_id, l.state, l.added_at, l.answered_at, l.removed_at, \
                 p.business_id, l.trade, l.position, l.work FROM site_listings l \
                 JOIN site_placements p ON p.id = l.placement_id \
                 WHERE l.site_id = $1 AND l.technician_id IN ({}) \
                 AND (l.state = 'listed' OR (l.state = 'removed' AND l.answered_at IS NOT NULL))",
                placeholders(2, chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(site.get());
            for a in chunk {
                q = q.bind(a.get());
            }
            for r in q.fetch_all(self.conn()).await? {
                out.push(RosterLine {
                    id: r.try_get("id")?,
                    technician: AccountId::new(r.try_get("technician_id")?),
                    state: r.try_get("state")?,
                    added_at: Timestamp(r.try_get("added_at")?),
                    answered_at: r.try_get::<Option<i64>, _>("answered_at")?.map(Timestamp),
                    removed_at: r.try_get::<Option<i64>, _>("removed_at")?.map(Timestamp),
                    snapshot: RosterSnapshot {
                        business: AccountId::new(r.try_get("business_id")?),
                        trade: r.try_get("trade")?,
                        position: r.try_get("position")?,
                        work: r.try_get("work")?,
                    },
                });
            }
        }
        Ok(out)
    }

    /// Keeps a batch's touches as received; the `seq` of those kept now (the others were
    /// sent before).
    pub async fn add_touches(&mut self, touches: &[NewTouch], now: Timestamp) -> Result<Vec<i64>> {
        let mut kept = Vec::with_capacity(touches.len());
        for chunk in touches.chunks(CHUNK / 10) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let b = 1 + i * 10;
                    format!(
                        "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                        b,
                        b + 1,
                        b + 2,
                        b + 3,
                        b + 4,
                        b + 5,
                        b + 6,
                        b + 7,
                        b + 8,
                        b + 9
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO touches (reader_id, seq, card_number, direction, touched_at, \
                 received_at, outcome, account_id, site_id, work_day) VALUES {} \
                 ON CONFLICT (reader_id, seq) DO NOTHING RETURNING seq",
                rows.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for t in chunk {
                q = q
                    .bind(t.reader.get())
                    .bind(t.seq)
                    .bind(t.card_number.as_str())
                    .bind(t.direction.as_str())
                    .bind(t.touched_at.0)
                    .bind(now.0)
                    .bind(t.outcome.as_str())
                    .bind(t.account.map(AccountId::get))
                    .bind(t.site.get())
                    .bind(t.work_day.map(day_number));
            }
            for r in q.fetch_all(self.conn()).await? {
                kept.push(r.try_get("seq")?);
            }
        }
        Ok(kept)
    }

    /// How touches a reader sent before were answered, by `seq`.
    pub async fn touch_outcomes(
        &mut self,
        reader: ReaderId,
        seqs: &[i64],
    ) -> Result<Vec<(i64, String)>> {
        let mut out = Vec::with_capacity(seqs.len());
        for chunk in seqs.chunks(CHUNK) {
            let sql = format!(
                "SELECT seq, outcome FROM touches WHERE reader_id = $1 AND seq IN ({})",
                placeholders(2, chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(reader.get());
            for s in chunk {
                q = q.bind(*s);
            }
            for r in q.fetch_all(self.conn()).await? {
                out.push((r.try_get("seq")?, r.try_get("outcome")?));
            }
        }
        Ok(out)
    }

    /// Folds a batch's touches, already folded per worker and day, into the records of the
    /// site (as [`Records::fold_touch`] does one at a time).
    pub async fn fold_touches(
        &mut self,
        site: SiteKey,
        reader: ReaderId,
        folded: &[FoldedTouches],
        now: Timestamp,
    ) -> Result<()> {
        for chunk in folded.chunks(CHUNK / 10) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let b = 4 + i * 8;
                    format!(
                        "(${}, $1, ${}, 'touch', 'counted', ${}, ${}, $2, ${}, ${}, ${}, ${}, $3, $3)",
                        b,
                        b + 1,
                        b + 2,
                        b + 3,
                        b + 4,
                        b + 5,
                        b + 6,
                        b + 7
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO work_records (account_id, site_id, work_day, source, state, first_in, \
                 last_out, reader_id, business_id, trade, position, work, created_at, updated_at) \
                 VALUES {} {FOLD_CONFLICT}",
                rows.join(", ")
            );
            let mut q = sqlx::query(&sql)
                .bind(site.get())
                .bind(reader.get())
                .bind(now.0);
            for f in chunk {
                q = q
                    .bind(f.account.get())
                    .bind(day_number(f.day))
                    .bind(f.first_in.map(|t| t.0))
                    .bind(f.last_out.map(|t| t.0))
                    .bind(f.roster.business.get())
                    .bind(f.roster.trade.as_str())
                    .bind(f.roster.position.as_str())
                    .bind(f.roster.work.as_str());
            }
            q.execute(self.conn()).await?;
        }
        Ok(())
    }

    /// Records a technician's new card (at 登録完了).
    pub async fn add_card(
        &mut self,
        account: AccountId,
        number: &str,
        expires_on: Date,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO ic_cards (card_number, account_id, state, issued_at, expires_on) \
             VALUES ($1, $2, 'active', $3, $4)",
        )
        .bind(number)
        .bind(account.get())
        .bind(now.0)
        .bind(ccus_domain::profile::format_date(expires_on))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Stops a technician's card in use (`lost`, or `replaced` by a new one): its touches are
    /// refused from now on. The card's number, or `None` when no card was in use.
    pub async fn stop_card(
        &mut self,
        account: AccountId,
        state: &str,
        by: &str,
        now: Timestamp,
    ) -> Result<Option<String>> {
        let row = sqlx::query(
            "UPDATE ic_cards SET state = $1, stopped_at = $2, stopped_by = $3 \
             WHERE account_id = $4 AND state = 'active' RETURNING card_number",
        )
        .bind(state)
        .bind(now.0)
        .bind(by)
        .bind(account.get())
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| r.try_get("card_number"))
            .transpose()
            .map_err(Into::into)
    }

    /// Adds a reader with its key's hash.
    pub async fn add_reader(
        &mut self,
        site: SiteKey,
        name: &str,
        key_hash: &str,
        hint: &str,
        by: AccountId,
        now: Timestamp,
    ) -> Result<ReaderId> {
        let row = sqlx::query(
            "INSERT INTO site_readers (site_id, name, key_hash, key_hint, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(site.get())
        .bind(name)
        .bind(key_hash)
        .bind(hint)
        .bind(by.get())
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        Ok(ReaderId::new(row.try_get("id")?))
    }

    /// Revokes a site's reader; the reader as it was, or `None` when the site has no such
    /// reader still in use.
    pub async fn revoke_reader(
        &mut self,
        site: SiteKey,
        reader: ReaderId,
        by: AccountId,
        now: Timestamp,
    ) -> Result<Option<Reader>> {
        let row = sqlx::query(
            "UPDATE site_readers SET revoked_at = $1, revoked_by = $2 \
             WHERE id = $3 AND site_id = $4 AND revoked_at IS NULL \
             RETURNING id, site_id, name, key_hint, created_at, revoked_at, last_seen_at",
        )
        .bind(now.0)
        .bind(by.get())
        .bind(reader.get())
        .bind(site.get())
        .fetch_optional(self.conn())
        .await?;
        row.as_ref().map(reader_from).transpose()
    }

    /// Notes that a reader was heard from.
    pub async fn reader_seen(&mut self, reader: ReaderId, now: Timestamp) -> Result<()> {
        sqlx::query("UPDATE site_readers SET last_seen_at = $1 WHERE id = $2")
            .bind(now.0)
            .bind(reader.get())
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// The outcome a touch already received was given (a batch sent again).
    pub async fn touch_outcome(&mut self, reader: ReaderId, seq: i64) -> Result<Option<String>> {
        let row = sqlx::query("SELECT outcome FROM touches WHERE reader_id = $1 AND seq = $2")
            .bind(reader.get())
            .bind(seq)
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| r.try_get("outcome"))
            .transpose()
            .map_err(Into::into)
    }

    /// Keeps a touch as received; false when the reader already sent this one.
    pub async fn add_touch(&mut self, t: &NewTouch, now: Timestamp) -> Result<bool> {
        let r = sqlx::query(
            "INSERT INTO touches (reader_id, seq, card_number, direction, touched_at, received_at, \
             outcome, account_id, site_id, work_day) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
             ON CONFLICT (reader_id, seq) DO NOTHING",
        )
        .bind(t.reader.get())
        .bind(t.seq)
        .bind(t.card_number.as_str())
        .bind(t.direction.as_str())
        .bind(t.touched_at.0)
        .bind(now.0)
        .bind(t.outcome.as_str())
        .bind(t.account.map(AccountId::get))
        .bind(t.site.get())
        .bind(t.work_day.map(day_number))
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// The worker's line on the site's 名簿 that held at `at` (a worker moved from one company
    /// to another is the first one's before the move); else the live one, else the last one
    /// removed after that moment.
    pub async fn roster_at(
        &mut self,
        site: SiteKey,
        account: AccountId,
        at: Timestamp,
    ) -> Result<Option<RosterSnapshot>> {
        let row = sqlx::query(
            "SELECT p.business_id, l.trade, l.position, l.work FROM site_listings l \
             JOIN site_placements p ON p.id = l.placement_id \
             WHERE l.site_id = $1 AND l.technician_id = $2 \
             AND (l.state = 'listed' OR (l.state = 'removed' AND l.answered_at IS NOT NULL AND l.removed_at >= $3)) \
             ORDER BY CASE WHEN l.added_at <= $3 AND (l.removed_at IS NULL OR l.removed_at >= $3) \
             THEN 0 ELSE 1 END, l.id DESC LIMIT 1",
        )
        .bind(site.get())
        .bind(account.get())
        .bind(at.0)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| {
            Ok(RosterSnapshot {
                business: AccountId::new(r.try_get("business_id")?),
                trade: r.try_get("trade")?,
                position: r.try_get("position")?,
                work: r.try_get("work")?,
            })
        })
        .transpose()
    }

    /// A worker's 未配置 touches at a site from `since` on, in the order touched.
    pub async fn unplaced_touches(
        &mut self,
        account: AccountId,
        site: SiteKey,
        since: Date,
    ) -> Result<Vec<UnplacedTouch>> {
        let rows = sqlx::query(
            "SELECT reader_id, seq, direction, touched_at, work_day FROM touches \
             WHERE account_id = $1 AND outcome = 'not_listed' AND placed_at IS NULL \
             AND work_day >= $2 AND site_id = $3 ORDER BY touched_at",
        )
        .bind(account.get())
        .bind(day_number(since))
        .bind(site.get())
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                let direction: String = r.try_get("direction")?;
                Ok(UnplacedTouch {
                    reader: ReaderId::new(r.try_get("reader_id")?),
                    seq: r.try_get("seq")?,
                    direction: Direction::parse(&direction)
                        .ok_or_else(|| StoreError::Corrupt(format!("direction {direction:?}")))?,
                    at: Timestamp(r.try_get("touched_at")?),
                    day: day_from(r.try_get::<i64, _>("work_day")?)?,
                })
            })
            .collect()
    }

    /// Marks a 未配置 touch placed: it is in a record now (sent again, it answers duplicate).
    pub async fn mark_placed(&mut self, reader: ReaderId, seq: i64, now: Timestamp) -> Result<()> {
        sqlx::query(
            "UPDATE touches SET outcome = 'placed', placed_at = $1 WHERE reader_id = $2 AND seq = $3",
        )
        .bind(now.0)
        .bind(reader.get())
        .bind(seq)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// A 補正 by the helpdesk: new times for a record, or the record withdrawn. False when
    /// there is no such record of that worker.
    #[allow(clippy::too_many_arguments)]
    pub async fn correct(
        &mut self,
        account: AccountId,
        day: Date,
        id: RecordId,
        first_in: Option<Timestamp>,
        last_out: Option<Timestamp>,
        withdraw: bool,
        now: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE work_records SET first_in = CASE WHEN $3 = 1 THEN first_in ELSE $1 END, \
             last_out = CASE WHEN $3 = 1 THEN last_out ELSE $2 END, \
             state = CASE WHEN $3 = 1 THEN 'withdrawn' ELSE state END, updated_at = $4 \
             WHERE work_day = $5 AND id = $6 AND account_id = $7",
        )
        .bind(first_in.map(|t| t.0))
        .bind(last_out.map(|t| t.0))
        .bind(i64::from(withdraw))
        .bind(now.0)
        .bind(day_number(day))
        .bind(id.get())
        .bind(account.get())
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Asks for a 補正 of a record: false when one is already waiting for it.
    pub async fn ask_correction(
        &mut self,
        record: &WorkRecord,
        first_in: Option<Timestamp>,
        last_out: Option<Timestamp>,
        by: AccountId,
        now: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query(
            "INSERT INTO record_corrections (record_id, work_day, account_id, site_id, first_in, \
             last_out, requested_by, requested_at, state) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending') ON CONFLICT DO NOTHING",
        )
        .bind(record.id.get())
        .bind(day_number(record.day))
        .bind(record.account.get())
        .bind(record.site.get())
        .bind(first_in.map(|t| t.0))
        .bind(last_out.map(|t| t.0))
        .bind(by.get())
        .bind(now.0)
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Answers a 補正 waiting on a site: approved, the record takes the times asked for (a time
    /// not asked for stays as it was).
    /// The record's worker, day and id, or `None` when no such request is waiting there.
    pub async fn decide_correction(
        &mut self,
        site: SiteKey,
        id: i64,
        approve: bool,
        reason: &str,
        by: AccountId,
        now: Timestamp,
    ) -> Result<Option<(AccountId, Date, RecordId)>> {
        let row = sqlx::query(
            "UPDATE record_corrections SET state = $1, decided_by = $2, decided_at = $3, \
             reason = $4 WHERE id = $5 AND site_id = $6 AND state = 'pending' \
             RETURNING account_id, work_day, record_id, first_in, last_out",
        )
        .bind(if approve { "approved" } else { "rejected" })
        .bind(by.get())
        .bind(now.0)
        .bind(reason)
        .bind(id)
        .bind(site.get())
        .fetch_optional(self.conn())
        .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        let account = AccountId::new(r.try_get("account_id")?);
        let day = day_from(r.try_get::<i64, _>("work_day")?)?;
        let record = RecordId::new(r.try_get("record_id")?);
        if approve {
            sqlx::query(
                "UPDATE work_records SET first_in = COALESCE($1, first_in), \
                 last_out = COALESCE($2, last_out), updated_at = $3 WHERE work_day = $4 AND id = $5",
            )
            .bind(r.try_get::<Option<i64>, _>("first_in")?)
            .bind(r.try_get::<Option<i64>, _>("last_out")?)
            .bind(now.0)
            .bind(day_number(day))
            .bind(record.get())
            .execute(self.conn())
            .await?;
        }
        Ok(Some((account, day, record)))
    }

    /// Records a day entered by hand (直接入力), waiting for the site's approval. False when the
    /// worker already has a record of that day at the site (one that was rejected is replaced).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_direct(
        &mut self,
        account: AccountId,
        site: SiteKey,
        day: Date,
        first_in: Option<Timestamp>,
        last_out: Option<Timestamp>,
        roster: &RosterSnapshot,
        entered_by: AccountId,
        now: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query(
            "INSERT INTO work_records (account_id, site_id, work_day, source, state, first_in, \
             last_out, business_id, trade, position, work, entered_by, created_at, updated_at) \
             VALUES ($1, $2, $3, 'direct', 'pending', $4, $5, $6, $7, $8, $9, $10, $11, $11) \
             ON CONFLICT (work_day, account_id, site_id) DO UPDATE SET source = 'direct', \
             state = 'pending', first_in = excluded.first_in, last_out = excluded.last_out, \
             business_id = excluded.business_id, trade = excluded.trade, \
             position = excluded.position, work = excluded.work, entered_by = excluded.entered_by, \
             decided_by = NULL, decided_at = NULL, reason = '', updated_at = excluded.updated_at \
             WHERE work_records.state = 'rejected'",
        )
        .bind(account.get())
        .bind(site.get())
        .bind(day_number(day))
        .bind(first_in.map(|t| t.0))
        .bind(last_out.map(|t| t.0))
        .bind(roster.business.get())
        .bind(roster.trade.as_str())
        .bind(roster.position.as_str())
        .bind(roster.work.as_str())
        .bind(entered_by.get())
        .bind(now.0)
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Approves (it counts from now on) or rejects a record waiting on a site; the worker it is
    /// of, or `None` when the site has no such record waiting (decided already, or none).
    #[allow(clippy::too_many_arguments)]
    pub async fn decide(
        &mut self,
        site: SiteKey,
        day: Date,
        id: RecordId,
        approve: bool,
        reason: &str,
        by: AccountId,
        now: Timestamp,
    ) -> Result<Option<AccountId>> {
        let row = sqlx::query(
            "UPDATE work_records SET state = $1, decided_by = $2, decided_at = $3, reason = $4, \
             updated_at = $3 WHERE work_day = $5 AND id = $6 AND site_id = $7 AND state = 'pending' \
             RETURNING account_id",
        )
        .bind(if approve { "counted" } else { "rejected" })
        .bind(by.get())
        .bind(now.0)
        .bind(reason)
        .bind(day_number(day))
        .bind(id.get())
        .bind(site.get())
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| Ok(AccountId::new(r.try_get("account_id")?)))
            .transpose()
    }

    /// Folds a touch into the worker's record of that day at the site, making it when it is
    /// the day's first: the earliest entry and the latest exit are kept. A day entered by hand
    /// (waiting, approved or rejected) becomes a touched day: the touch's times replace the
    /// typed ones, and it counts. A record the helpdesk withdrew stays withdrawn.
    #[allow(clippy::too_many_arguments)]
    pub async fn fold_touch(
        &mut self,
        account: AccountId,
        site: SiteKey,
        day: Date,
        direction: Direction,
        at: Timestamp,
        reader: ReaderId,
        roster: &RosterSnapshot,
        now: Timestamp,
    ) -> Result<()> {
        let (first_in, last_out) = match direction {
            Direction::In => (Some(at.0), None),
            Direction::Out => (None, Some(at.0)),
        };
        sqlx::query(&format!(
            "INSERT INTO work_records (account_id, site_id, work_day, source, state, first_in, \
             last_out, reader_id, business_id, trade, position, work, created_at, updated_at) \
             VALUES ($1, $2, $3, 'touch', 'counted', $4, $5, $6, $7, $8, $9, $10, $11, $11) {FOLD_CONFLICT}"
        ))
        .bind(account.get())
        .bind(site.get())
        .bind(day_number(day))
        .bind(first_in)
        .bind(last_out)
        .bind(reader.get())
        .bind(roster.business.get())
        .bind(roster.trade.as_str())
        .bind(roster.position.as_str())
        .bind(roster.work.as_str())
        .bind(now.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
