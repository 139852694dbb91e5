//! A technician's own records: a month's days by site, their 就業日数 (in all, per year and per
//! 職種, as 職長 / 班長) and their progress toward each レベル of each 職種 they worked in.

use std::collections::{BTreeMap, BTreeSet};

use ccus_domain::records::{
    count_days, count_for_trade, month_span, progress, CountedDay, DayCount, LevelProgress,
};
use ccus_domain::{AccountKind, Date};
use ccus_storage::{Account, Card, WorkRecord};

use crate::error::AppError;
use crate::{App, AppResult};

/// What the technician's records page shows.
#[derive(Debug, Clone)]
pub struct MyRecords {
    /// The month shown (its first day), and the months before and after it.
    pub month: Date,
    pub previous: Date,
    pub next: Option<Date>,
    /// The month's records, newest first.
    pub records: Vec<WorkRecord>,
    /// Days with a counted record in the month.
    pub month_days: u32,
    /// Every counted day.
    pub total: DayCount,
    /// Counted days per calendar year, newest first.
    pub per_year: Vec<(i32, u32)>,
    /// Per 職種 worked in: its days, and the progress toward each of its レベル.
    pub trades: Vec<TradeProgress>,
    /// The card in use.
    pub card: Option<Card>,
    /// The month's records with a 補正 waiting.
    pub waiting: Vec<ccus_domain::RecordId>,
}

/// A 職種's days and the レベル standards they count toward.
#[derive(Debug, Clone)]
pub struct TradeProgress {
    /// The 職種 code; empty for the common standard (no 職種 worked yet).
    pub trade: String,
    pub count: DayCount,
    pub levels: Vec<LevelProgress>,
}

/// The records page of `me` for the month `month` falls in (this month when `None`).
pub async fn my_records(app: &App, me: &Account, month: Option<Date>) -> AppResult<MyRecords> {
    if me.kind() != AccountKind::Technician {
        return Err(AppError::Forbidden);
    }
    let today = crate::sites::today(app.clock().now());
    let (this_month, _) = month_span(today);
    let (first, last) = month_span(month.unwrap_or(today).min(today));
    let store = app.store();
    let records = store.records().records_of(me.id, first, last).await?;
    let days = store.records().counted_days(me.id).await?;
    let standards = store.records().level_standards().await?;
    let card = store.records().card_of(me.id).await?;
    let waiting = store
        .records()
        .corrections_waiting(me.id, first, last)
        .await?;
    let month_days = count_days(&days, |d| d.day >= first && d.day <= last).days;
    let mut per_year: BTreeMap<i32, BTreeSet<Date>> = BTreeMap::new();
    for d in days.iter().filter(|d| {
        d.source != ccus_domain::records::Source::Training
            || d.day >= ccus_domain::records::TRAINING_COUNTS_FROM
    }) {
        per_year.entry(d.day.year()).or_default().insert(d.day);
    }
    Ok(MyRecords {
        month: first,
        previous: month_span(first.previous_day().unwrap_or(first)).0,
        next: (first < this_month).then(|| month_span(last.next_day().unwrap_or(last)).0),
        records,
        month_days,
        total: count_days(&days, |_| true),
        per_year: per_year
            .into_iter()
            .rev()
            .map(|(y, d)| (y, u32::try_from(d.len()).unwrap_or(u32::MAX)))
            .collect(),
        trades: trades(&days)
            .into_iter()
            .map(|trade| {
                let count = if trade.is_empty() {
                    count_days(&days, |_| true)
                } else {
                    count_for_trade(&days, &trade)
                };
                let levels = progress(&standards, &trade, today, &count);
                TradeProgress {
                    trade,
                    count,
                    levels,
                }
            })
            .collect(),
        card,
        waiting,
    })
}

/// A 就業履歴 certificate: the counted records of a period, oldest first, and its days.
#[derive(Debug, Clone)]
pub struct Certificate {
    pub from: Date,
    pub to: Date,
    pub records: Vec<WorkRecord>,
    pub count: DayCount,
}

/// The certificate of `me` from `from` (their first counted day when `None`) to `to` (today
/// when `None`, and never after it).
pub async fn certificate(
    app: &App,
    me: &Account,
    from: Option<Date>,
    to: Option<Date>,
) -> AppResult<Certificate> {
    if me.kind() != AccountKind::Technician {
        return Err(AppError::Forbidden);
    }
    let today = crate::sites::today(app.clock().now());
    let store = app.store();
    let days = store.records().counted_days(me.id).await?;
    let to = to.unwrap_or(today).min(today);
    let from = from
        .or_else(|| days.iter().map(|d| d.day).min())
        .unwrap_or(today)
        .min(to);
    let mut records: Vec<WorkRecord> = store
        .records()
        .records_of(me.id, from, to)
        .await?
        .into_iter()
        .filter(|r| r.state == ccus_domain::records::RecordState::Counted)
        .collect();
    records.reverse();
    Ok(Certificate {
        from,
        to,
        records,
        count: count_days(&days, |d| d.day >= from && d.day <= to),
    })
}

/// The 職種 a worker has counted days in, most days first; the common standard alone when
/// there are none yet.
fn trades(days: &[CountedDay]) -> Vec<String> {
    let mut per: BTreeMap<&str, BTreeSet<Date>> = BTreeMap::new();
    for d in days.iter().filter(|d| !d.trade.is_empty()) {
        per.entry(d.trade.as_str()).or_default().insert(d.day);
    }
    let mut v: Vec<(&str, usize)> = per.into_iter().map(|(t, d)| (t, d.len())).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if v.is_empty() {
        return vec![String::new()];
    }
    v.into_iter().map(|(t, _)| t.to_owned()).collect()
}
