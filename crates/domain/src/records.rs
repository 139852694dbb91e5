//! 就業履歴, the rules without storage: which day a touch belongs to, how a worker's touches at
//! one site on one day become one record, what a reader's touch is refused for, until when a
//! day may be entered by hand (直接入力), how 就業日数 are counted, and the レベル standards as
//! data with the progress a worker has made toward each.
//!
//! Decisions:
//! - **The work day starts at 04:00 JST.** A touch before 04:00 belongs to the day before, so a
//!   night shift (21:00–03:00) is one record on the day it began, not two half days.
//! - **Days toward a 職種's レベル** are the days worked in that 職種 plus days of training at a
//!   registered training body (counted since 2025-10-01); days as 職長 or 班長 likewise.
//! - **Progress, never a verdict**: [`progress`] says how many days are had and needed; the
//!   能力評価 itself is applied for separately and also asks for the listed 資格.

use std::collections::BTreeSet;

use time::{Date, Month, Time};

use crate::calendar::jst_datetime;
use crate::clock::Timestamp;
use crate::site::Position;

/// The hour (JST) at which a work day begins.
pub const DAY_STARTS_AT_HOUR: u8 = 4;

/// Days that count as one year of experience in the レベル standards.
pub const DAYS_PER_YEAR: u32 = 215;

/// The day training at a registered training body began to count as 就業日数.
pub const TRAINING_COUNTS_FROM: Date = time::macros::date!(2025 - 10 - 01);

/// How long a reader may hold touches before sending them: older ones are refused as too old.
pub const OLDEST_TOUCH_DAYS: i64 = 31;

/// A touch up to this many seconds ahead of the server's clock is taken (readers' clocks
/// drift); further ahead it is refused as in the future.
pub const CLOCK_SKEW_SECONDS: i64 = 300;

/// Which way a reader was passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// 入場.
    In,
    /// 退場.
    Out,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::In, Direction::Out];
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::In => "in",
            Direction::Out => "out",
        }
    }
    pub fn parse(s: &str) -> Option<Direction> {
        Direction::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// How a record came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// Card touches at a reader (gate, phone app, face or QR gate).
    Touch,
    /// 直接入力 by the worker or their employer, approved by the site's 現場管理者.
    Direct,
    /// A day of training at a registered training body.
    Training,
}

impl Source {
    pub const ALL: [Source; 3] = [Source::Touch, Source::Direct, Source::Training];
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Touch => "touch",
            Source::Direct => "direct",
            Source::Training => "training",
        }
    }
    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Where a record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordState {
    /// Counts toward the worker's days (and the site's fee).
    Counted,
    /// A 直接入力 or 補正 waiting for the 現場管理者.
    Pending,
    /// Refused by the 現場管理者; kept for the record, never counted.
    Rejected,
    /// Taken back by the helpdesk as a 補正 (a record that should not have been made); kept,
    /// with the reason in the 操作の記録, never counted.
    Withdrawn,
}

impl RecordState {
    pub const ALL: [RecordState; 4] = [
        RecordState::Counted,
        RecordState::Pending,
        RecordState::Rejected,
        RecordState::Withdrawn,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            RecordState::Counted => "counted",
            RecordState::Pending => "pending",
            RecordState::Rejected => "rejected",
            RecordState::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<RecordState> {
        RecordState::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// A date as records store it: the integer YYYYMMDD (ordered as the dates are).
pub fn day_number(d: Date) -> i64 {
    i64::from(d.year()) * 10_000 + i64::from(u8::from(d.month())) * 100 + i64::from(d.day())
}

/// The date a stored YYYYMMDD names.
pub fn from_day_number(n: i64) -> Option<Date> {
    let year = i32::try_from(n / 10_000).ok()?;
    let month = Month::try_from(u8::try_from(n / 100 % 100).ok()?).ok()?;
    Date::from_calendar_date(year, month, u8::try_from(n % 100).ok()?).ok()
}

/// How long an IC card is valid, in years.
pub const CARD_YEARS: i32 = 10;

/// The day a card issued on `issued` expires (29 February: the 28th, in a year without one).
pub fn card_expiry(issued: Date) -> Date {
    let year = issued.year() + CARD_YEARS;
    issued
        .replace_year(year)
        .or_else(|_| Date::from_calendar_date(year, issued.month(), 28))
        .unwrap_or(issued)
}

/// The JST date and time of a moment.
fn jst(t: Timestamp) -> Option<(Date, Time)> {
    jst_datetime(t).map(|d| (d.date(), d.time()))
}

/// The work day a touch at `t` belongs to (the day begins at [`DAY_STARTS_AT_HOUR`] JST).
pub fn work_day(t: Timestamp) -> Option<Date> {
    let (date, time) = jst(t)?;
    if time.hour() < DAY_STARTS_AT_HOUR {
        date.previous_day()
    } else {
        Some(date)
    }
}

/// The first entry and the last exit of one worker at one site on one work day: every touch
/// of that day folds into it, in any order and any number of times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayTimes {
    pub first_in: Option<Timestamp>,
    pub last_out: Option<Timestamp>,
}

impl DayTimes {
    /// Folds one touch in; true when the day changed.
    pub fn fold(&mut self, direction: Direction, t: Timestamp) -> bool {
        let slot = match direction {
            Direction::In => &mut self.first_in,
            Direction::Out => &mut self.last_out,
        };
        let better = match (*slot, direction) {
            (None, _) => true,
            (Some(old), Direction::In) => t < old,
            (Some(old), Direction::Out) => t > old,
        };
        if better {
            *slot = Some(t);
        }
        better
    }
}

/// Why a reader's touch is not made into a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TouchRefusal {
    /// No technician has this card number.
    UnknownCard,
    /// The card was reported lost or replaced: it stopped counting when reported.
    CardStopped,
    /// The worker is on no 名簿 of this site: kept as 未配置 for their employer to place.
    NotListed,
    /// The site is closed.
    SiteClosed,
    /// The day is outside the site's 就業履歴蓄積期間.
    OutsidePeriod,
    /// Later than the server's clock allows.
    InFuture,
    /// Older than a reader may hold touches ([`OLDEST_TOUCH_DAYS`]).
    TooOld,
    /// The touch itself cannot be read (no card, no time, an unknown direction).
    Malformed,
}

impl TouchRefusal {
    pub const ALL: [TouchRefusal; 8] = [
        TouchRefusal::UnknownCard,
        TouchRefusal::CardStopped,
        TouchRefusal::NotListed,
        TouchRefusal::SiteClosed,
        TouchRefusal::OutsidePeriod,
        TouchRefusal::InFuture,
        TouchRefusal::TooOld,
        TouchRefusal::Malformed,
    ];
    /// The stable code a reader is answered with.
    pub fn code(self) -> &'static str {
        match self {
            TouchRefusal::UnknownCard => "unknown_card",
            TouchRefusal::CardStopped => "card_stopped",
            TouchRefusal::NotListed => "not_listed",
            TouchRefusal::SiteClosed => "site_closed",
            TouchRefusal::OutsidePeriod => "outside_period",
            TouchRefusal::InFuture => "in_future",
            TouchRefusal::TooOld => "too_old",
            TouchRefusal::Malformed => "malformed",
        }
    }
    pub fn parse(s: &str) -> Option<TouchRefusal> {
        TouchRefusal::ALL.into_iter().find(|r| r.code() == s)
    }
}

/// The checks of a touch's time against the server's clock, before anything is looked up.
pub fn check_touch_time(t: Timestamp, now: Timestamp) -> Result<Date, TouchRefusal> {
    if t.0 > now.0.saturating_add(CLOCK_SKEW_SECONDS * 1000) {
        return Err(TouchRefusal::InFuture);
    }
    if t.0 < now.0.saturating_sub(OLDEST_TOUCH_DAYS * 86_400_000) {
        return Err(TouchRefusal::TooOld);
    }
    work_day(t).ok_or(TouchRefusal::Malformed)
}

/// The last day on which a day worked on `day` may be entered, approved or corrected by hand:
/// the end of the month after the work day.
pub fn entry_deadline(day: Date) -> Date {
    let (year, month) = match day.month() {
        Month::December => (day.year() + 1, Month::January),
        m => (day.year(), m.next()),
    };
    let first_after = match month {
        Month::December => Date::from_calendar_date(year + 1, Month::January, 1),
        m => Date::from_calendar_date(year, m.next(), 1),
    };
    first_after.ok().and_then(Date::previous_day).unwrap_or(day)
}

/// Why a day may not be entered (or approved, or corrected) by hand today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryRefusal {
    /// The day has not come yet.
    InFuture,
    /// The end of the month after the work day has passed; the date it closed is given.
    TooLate(Date),
}

/// Whether a day worked on `day` may be entered, approved or corrected on `today` (JST dates).
pub fn check_entry(day: Date, today: Date) -> Result<(), EntryRefusal> {
    if day > today {
        return Err(EntryRefusal::InFuture);
    }
    let deadline = entry_deadline(day);
    if today > deadline {
        return Err(EntryRefusal::TooLate(deadline));
    }
    Ok(())
}

/// One counted day of a worker, as the count needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountedDay {
    pub day: Date,
    pub source: Source,
    /// The 職種 code the worker was listed with (empty for training).
    pub trade: String,
    pub position: Option<Position>,
}

/// A worker's 就業日数: calendar days with at least one counted record (two sites on one day
/// are one day), in all and per kind.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DayCount {
    pub days: u32,
    /// Days as 職長 or 班長.
    pub leader_days: u32,
    /// Days as 職長.
    pub foreman_days: u32,
    /// Days of training (within `days`).
    pub training_days: u32,
}

/// Counts `records`, keeping those `keep` accepts (training days only from
/// [`TRAINING_COUNTS_FROM`]).
pub fn count_days<'a>(
    records: impl IntoIterator<Item = &'a CountedDay>,
    keep: impl Fn(&CountedDay) -> bool,
) -> DayCount {
    let mut all = BTreeSet::new();
    let mut leader = BTreeSet::new();
    let mut foreman = BTreeSet::new();
    let mut training = BTreeSet::new();
    for r in records {
        if !keep(r) || (r.source == Source::Training && r.day < TRAINING_COUNTS_FROM) {
            continue;
        }
        all.insert(r.day);
        match r.position {
            Some(Position::Foreman) => {
                foreman.insert(r.day);
                leader.insert(r.day);
            }
            Some(Position::Leader) => {
                leader.insert(r.day);
            }
            _ => {}
        }
        if r.source == Source::Training {
            training.insert(r.day);
        }
    }
    let n = |s: &BTreeSet<Date>| u32::try_from(s.len()).unwrap_or(u32::MAX);
    DayCount {
        days: n(&all),
        leader_days: n(&leader),
        foreman_days: n(&foreman),
        training_days: n(&training),
    }
}

/// The days toward one 職種: worked in it, plus training.
pub fn count_for_trade(records: &[CountedDay], trade: &str) -> DayCount {
    count_days(records, |r| {
        r.source == Source::Training || r.trade == trade
    })
}

/// Which 立場 the leadership days of a standard must be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaderRole {
    /// 職長 or 班長.
    ForemanOrLeader,
    /// 職長 only.
    Foreman,
}

impl LeaderRole {
    pub fn as_str(self) -> &'static str {
        match self {
            LeaderRole::ForemanOrLeader => "foreman_or_leader",
            LeaderRole::Foreman => "foreman",
        }
    }
    pub fn parse(s: &str) -> Option<LeaderRole> {
        [LeaderRole::ForemanOrLeader, LeaderRole::Foreman]
            .into_iter()
            .find(|r| r.as_str() == s)
    }
}

/// One レベル's standard for a 職種 (or the common one), from the day it applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelStandard {
    /// The 職種 code; empty for the common standard, used where a 職種 has none of its own.
    pub trade: String,
    /// 2, 3 or 4 (レベル1 is every registered technician).
    pub level: u8,
    pub applies_from: Date,
    pub days: u32,
    pub leader_days: u32,
    pub leader_role: LeaderRole,
    /// The 資格 the standard also asks for, as words (shown, not checked).
    pub qualifications: String,
}

/// The standards in force on `on` for `trade`: per level, the trade's own newest standard
/// that applies by then, else the common one.
pub fn standards_for<'a>(
    all: &'a [LevelStandard],
    trade: &str,
    on: Date,
) -> Vec<&'a LevelStandard> {
    let pick = |level: u8, of: &str| {
        all.iter()
            .filter(|s| s.level == level && s.trade == of && s.applies_from <= on)
            .max_by_key(|s| s.applies_from)
    };
    (2..=4)
        .filter_map(|level| pick(level, trade).or_else(|| pick(level, "")))
        .collect()
}

/// How far a worker is toward one レベル.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelProgress {
    pub level: u8,
    pub days_had: u32,
    pub days_needed: u32,
    pub leader_had: u32,
    pub leader_needed: u32,
    pub leader_role: LeaderRole,
    pub qualifications: String,
}

impl LevelProgress {
    /// Whether the days (not the 資格, which are not checked here) are reached.
    pub fn days_reached(&self) -> bool {
        self.days_had >= self.days_needed && self.leader_had >= self.leader_needed
    }
    /// The days still missing, in all and in the leading 立場.
    pub fn missing(&self) -> (u32, u32) {
        (
            self.days_needed.saturating_sub(self.days_had),
            self.leader_needed.saturating_sub(self.leader_had),
        )
    }
}

/// Progress toward each レベル of `trade` on `on`, from the days counted for it.
pub fn progress(
    all: &[LevelStandard],
    trade: &str,
    on: Date,
    count: &DayCount,
) -> Vec<LevelProgress> {
    standards_for(all, trade, on)
        .into_iter()
        .map(|s| LevelProgress {
            level: s.level,
            days_had: count.days,
            days_needed: s.days,
            leader_had: match s.leader_role {
                LeaderRole::ForemanOrLeader => count.leader_days,
                LeaderRole::Foreman => count.foreman_days,
            },
            leader_needed: s.leader_days,
            leader_role: s.leader_role,
            qualifications: s.qualifications.clone(),
        })
        .collect()
}

/// `days` as years of experience (215 days a year), rounded down to a tenth.
pub fn years_tenths(days: u32) -> u32 {
    days * 10 / DAYS_PER_YEAR
}

/// The first and last day of the month `day` falls in.
pub fn month_span(day: Date) -> (Date, Date) {
    let first = day.replace_day(1).unwrap_or(day);
    // The deadline of the month before's last day is this month's last day.
    let last = first.previous_day().map_or(first, entry_deadline);
    (first, last)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;
    use time::Duration as Days;

    fn at(y: i32, m: u8, d: u8, h: u8, min: u8) -> Timestamp {
        let date = Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap();
        let jst = time::PrimitiveDateTime::new(date, Time::from_hms(h, min, 0).unwrap())
            .assume_offset(time::UtcOffset::from_hms(9, 0, 0).unwrap());
        Timestamp(i64::try_from(jst.unix_timestamp_nanos() / 1_000_000).unwrap())
    }

    #[test]
    fn a_night_shift_is_one_day_from_its_start() {
        assert_eq!(work_day(at(2026, 3, 2, 21, 0)), Some(date!(2026 - 03 - 02)));
        assert_eq!(work_day(at(2026, 3, 3, 3, 59)), Some(date!(2026 - 03 - 02)));
        assert_eq!(work_day(at(2026, 3, 3, 4, 0)), Some(date!(2026 - 03 - 03)));
        assert_eq!(work_day(at(2026, 1, 1, 2, 0)), Some(date!(2025 - 12 - 31)));
    }

    #[test]
    fn the_deadline_is_the_end_of_the_next_month() {
        assert_eq!(entry_deadline(date!(2026 - 01 - 31)), date!(2026 - 02 - 28));
        assert_eq!(entry_deadline(date!(2028 - 01 - 15)), date!(2028 - 02 - 29));
        assert_eq!(entry_deadline(date!(2026 - 11 - 01)), date!(2026 - 12 - 31));
        assert_eq!(entry_deadline(date!(2026 - 12 - 31)), date!(2027 - 01 - 31));
        let day = date!(2026 - 10 - 20);
        assert_eq!(check_entry(day, date!(2026 - 11 - 30)), Ok(()));
        assert_eq!(
            check_entry(day, date!(2026 - 12 - 01)),
            Err(EntryRefusal::TooLate(date!(2026 - 11 - 30)))
        );
        assert_eq!(
            check_entry(date!(2026 - 12 - 02), date!(2026 - 12 - 01)),
            Err(EntryRefusal::InFuture)
        );
    }

    #[test]
    fn a_day_number_is_the_date_as_digits() {
        assert_eq!(day_number(date!(2026 - 12 - 06)), 20_261_206);
        assert_eq!(from_day_number(20_261_206), Some(date!(2026 - 12 - 06)));
        assert_eq!(from_day_number(20_261_232), None);
    }

    #[test]
    fn a_card_lasts_ten_years() {
        assert_eq!(card_expiry(date!(2026 - 12 - 07)), date!(2036 - 12 - 07));
        assert_eq!(card_expiry(date!(2028 - 02 - 29)), date!(2038 - 02 - 28));
    }

    #[test]
    fn month_span_covers_the_month() {
        assert_eq!(
            month_span(date!(2026 - 02 - 14)),
            (date!(2026 - 02 - 01), date!(2026 - 02 - 28))
        );
        assert_eq!(
            month_span(date!(2026 - 12 - 31)),
            (date!(2026 - 12 - 01), date!(2026 - 12 - 31))
        );
    }

    #[test]
    fn touch_times_are_checked_against_the_clock() {
        let now = at(2026, 12, 6, 12, 0);
        assert_eq!(check_touch_time(now, now), Ok(date!(2026 - 12 - 06)));
        assert_eq!(
            check_touch_time(now.plus(std::time::Duration::from_secs(299)), now),
            Ok(date!(2026 - 12 - 06))
        );
        assert_eq!(
            check_touch_time(now.plus(std::time::Duration::from_secs(301)), now),
            Err(TouchRefusal::InFuture)
        );
        assert_eq!(
            check_touch_time(at(2026, 11, 4, 12, 0), now),
            Err(TouchRefusal::TooOld)
        );
    }

    fn day(d: Date, trade: &str, position: Option<Position>, source: Source) -> CountedDay {
        CountedDay {
            day: d,
            source,
            trade: trade.into(),
            position,
        }
    }

    #[test]
    fn two_sites_on_one_day_are_one_day() {
        let d = date!(2026 - 04 - 01);
        let records = [
            day(d, "tobi", Some(Position::Worker), Source::Touch),
            day(d, "tobi", Some(Position::Foreman), Source::Direct),
            day(
                d + Days::days(1),
                "electrical",
                Some(Position::Leader),
                Source::Touch,
            ),
            day(date!(2025 - 09 - 30), "", None, Source::Training),
            day(date!(2025 - 10 - 01), "", None, Source::Training),
        ];
        let all = count_days(&records, |_| true);
        assert_eq!(
            all,
            DayCount {
                days: 3,
                leader_days: 2,
                foreman_days: 1,
                training_days: 1
            }
        );
        let tobi = count_for_trade(&records, "tobi");
        assert_eq!((tobi.days, tobi.foreman_days), (2, 1));
    }

    fn standard(trade: &str, level: u8, from: Date, days: u32, leader: u32) -> LevelStandard {
        LevelStandard {
            trade: trade.into(),
            level,
            applies_from: from,
            days,
            leader_days: leader,
            leader_role: LeaderRole::Foreman,
            qualifications: String::new(),
        }
    }

    #[test]
    fn a_trade_s_own_standard_wins_from_its_date() {
        let from = date!(2019 - 04 - 01);
        let all = [
            standard("", 2, from, 645, 0),
            standard("", 3, from, 1505, 215),
            standard("", 4, from, 2150, 645),
            standard("tobi", 3, from, 1720, 430),
            standard("tobi", 3, date!(2030 - 01 - 01), 1800, 430),
        ];
        let today = date!(2026 - 12 - 06);
        let levels: Vec<(u8, u32)> = standards_for(&all, "tobi", today)
            .iter()
            .map(|s| (s.level, s.days))
            .collect();
        assert_eq!(levels, vec![(2, 645), (3, 1720), (4, 2150)]);
        let count = DayCount {
            days: 700,
            leader_days: 300,
            foreman_days: 100,
            training_days: 0,
        };
        let p = progress(&all, "tobi", today, &count);
        assert!(p[0].days_reached());
        assert!(!p[1].days_reached());
        assert_eq!(p[1].missing(), (1020, 330));
        assert_eq!(years_tenths(645), 30);
    }

    proptest! {
        #[test]
        fn folding_touches_in_any_order_gives_the_same_day(
            mut touches in proptest::collection::vec((any::<bool>(), 0i64..86_400_000), 1..20)
        ) {
            let fold = |ts: &[(bool, i64)]| {
                let mut d = DayTimes::default();
                for (inward, ms) in ts {
                    let dir = if *inward { Direction::In } else { Direction::Out };
                    d.fold(dir, Timestamp(*ms));
                }
                d
            };
            let first = fold(&touches);
            touches.reverse();
            prop_assert_eq!(first, fold(&touches));
            let doubled: Vec<_> = touches.iter().chain(touches.iter()).copied().collect();
            prop_assert_eq!(first, fold(&doubled));
        }

        #[test]
        fn a_deadline_is_a_month_end_after_the_day(days in 0i64..20_000) {
            let d = date!(2000 - 01 - 01) + Days::days(days);
            let end = entry_deadline(d);
            prop_assert!(end > d);
            prop_assert!(end.next_day().unwrap().day() == 1);
            prop_assert!(end - d <= Days::days(62));
        }
    }
}
