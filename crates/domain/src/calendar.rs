//! The Japanese business calendar: public holidays by the rules of 国民の祝日に関する法律
//! (fixed days, Happy Monday days, the equinoxes, 振替休日 and 国民の休日), the year-end
//! closure (12/29–1/3), business days, due dates, and the helpdesk's phone window.

use time::{Date, Duration as Days, Month, OffsetDateTime, UtcOffset, Weekday};

use crate::clock::Timestamp;

/// The n-th `weekday` of a month (n ≥ 1).
fn nth_weekday(year: i32, month: Month, weekday: Weekday, n: u8) -> Option<Date> {
    let first = Date::from_calendar_date(year, month, 1).ok()?;
    let offset = (7 + weekday.number_days_from_monday() as i16
        - first.weekday().number_days_from_monday() as i16)
        % 7;
    first.checked_add(Days::days(i64::from(offset) + 7 * (i64::from(n) - 1)))
}

fn ymd(year: i32, month: Month, day: u8) -> Option<Date> {
    Date::from_calendar_date(year, month, day).ok()
}

/// 春分日 and 秋分日 by the usual approximation (valid 1980–2099; the Cabinet Office
/// announces them a year ahead and they have matched it).
fn equinox_day(year: i32, autumn: bool) -> u8 {
    let y = f64::from(year - 1980);
    let base = if autumn { 23.2488 } else { 20.8431 };
    (base + 0.242194 * y - (y / 4.0).floor()).floor() as u8
}

/// The holidays the law names directly for `year` (before 振替休日 and 国民の休日).
fn named_holidays(year: i32) -> Vec<(Date, &'static str)> {
    use Month::*;
    let mut v: Vec<(Option<Date>, &'static str)> = vec![
        (ymd(year, January, 1), "元日"),
        (nth_weekday(year, January, Weekday::Monday, 2), "成人の日"),
        (ymd(year, February, 11), "建国記念の日"),
        (ymd(year, March, equinox_day(year, false)), "春分の日"),
        (ymd(year, April, 29), "昭和の日"),
        (ymd(year, May, 3), "憲法記念日"),
        (ymd(year, May, 4), "みどりの日"),
        (ymd(year, May, 5), "こどもの日"),
        (nth_weekday(year, September, Weekday::Monday, 3), "敬老の日"),
        (ymd(year, September, equinox_day(year, true)), "秋分の日"),
        (ymd(year, November, 3), "文化の日"),
        (ymd(year, November, 23), "勤労感謝の日"),
    ];
    if year >= 2020 {
        v.push((ymd(year, February, 23), "天皇誕生日"));
    }
    // The Olympic years moved three holidays by special law.
    match year {
        2020 => {
            v.push((ymd(year, July, 23), "海の日"));
            v.push((ymd(year, July, 24), "スポーツの日"));
            v.push((ymd(year, August, 10), "山の日"));
        }
        2021 => {
            v.push((ymd(year, July, 22), "海の日"));
            v.push((ymd(year, July, 23), "スポーツの日"));
            v.push((ymd(year, August, 8), "山の日"));
        }
        _ => {
            v.push((nth_weekday(year, July, Weekday::Monday, 3), "海の日"));
            v.push((ymd(year, August, 11), "山の日"));
            v.push((
                nth_weekday(year, October, Weekday::Monday, 2),
                "スポーツの日",
            ));
        }
    }
    let mut out: Vec<(Date, &'static str)> = v
        .into_iter()
        .filter_map(|(d, n)| d.map(|d| (d, n)))
        .collect();
    out.sort_by_key(|(d, _)| *d);
    out
}

/// Every public holiday of `year`, in date order, with its name.
pub fn holidays(year: i32) -> Vec<(Date, &'static str)> {
    let named = named_holidays(year);
    let is_named = |d: Date| named.iter().any(|(h, _)| *h == d);
    let mut out = named.clone();
    // 振替休日: a holiday on a Sunday moves to the next day that is not a holiday.
    for (d, _) in &named {
        if d.weekday() == Weekday::Sunday {
            let mut next = d.next_day();
            while let Some(n) = next {
                if !is_named(n) {
                    out.push((n, "休日（振替休日）"));
                    break;
                }
                next = n.next_day();
            }
        }
    }
    // 国民の休日: a day between two holidays is a holiday too.
    for w in named.windows(2) {
        let (a, b) = (w[0].0, w[1].0);
        if let (Some(mid), Some(after)) = (a.next_day(), a.next_day().and_then(|m| m.next_day())) {
            if after == b && !is_named(mid) && mid.weekday() != Weekday::Sunday {
                out.push((mid, "休日（国民の休日）"));
            }
        }
    }
    out.sort_by_key(|(d, _)| *d);
    out.dedup_by_key(|(d, _)| *d);
    out
}

/// The name of the holiday on `date`, if it is one.
pub fn holiday_name(date: Date) -> Option<&'static str> {
    holidays(date.year())
        .into_iter()
        .find(|(d, _)| *d == date)
        .map(|(_, n)| n)
}

/// 12/29–1/3: the year-end closure.
pub fn is_year_end_closure(date: Date) -> bool {
    matches!(
        (date.month(), date.day()),
        (Month::December, 29..=31) | (Month::January, 1..=3)
    )
}

/// Monday to Friday, not a public holiday, not in the year-end closure.
pub fn is_business_day(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
        && !is_year_end_closure(date)
        && holiday_name(date).is_none()
}

/// The `n`-th business day after `date` (n = 0: `date` itself if it is a business day, else
/// the next one).
pub fn add_business_days(date: Date, n: u32) -> Date {
    let mut d = date;
    if n == 0 {
        while !is_business_day(d) {
            d = d.next_day().unwrap_or(d);
        }
        return d;
    }
    let mut left = n;
    while left > 0 {
        match d.next_day() {
            Some(next) => d = next,
            None => return d,
        }
        if is_business_day(d) {
            left -= 1;
        }
    }
    d
}

fn jst() -> UtcOffset {
    UtcOffset::from_hms(9, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// The JST calendar date and time of a timestamp.
pub fn jst_datetime(t: Timestamp) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(t.0) * 1_000_000)
        .ok()
        .map(|d| d.to_offset(jst()))
}

/// Parses a JST date and time as people write it: `2026-12-01 22:00`, `2026-12-01T22:00`,
/// `2026/12/01 22:00` (full-width digits allowed).
pub fn parse_jst(s: &str) -> Option<Timestamp> {
    let s = crate::input::nfkc(s.trim());
    let (d, t) = s.split_once([' ', 'T'])?;
    let mut dp = d.split(['-', '/']).map(|x| x.parse::<i64>().ok());
    let (y, m, day) = (dp.next()??, dp.next()??, dp.next()??);
    let mut tp = t.split(':').map(|x| x.parse::<u8>().ok());
    let (h, min) = (tp.next()??, tp.next()??);
    let month = Month::try_from(u8::try_from(m).ok()?).ok()?;
    let date =
        Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(day).ok()?).ok()?;
    let dt = date.with_hms(h, min, 0).ok()?.assume_offset(jst());
    Some(Timestamp(
        i64::try_from(dt.unix_timestamp_nanos() / 1_000_000).ok()?,
    ))
}

/// The phone window: business days, 9:00–17:00 JST (17:00 itself is closed).
pub fn phone_open(t: Timestamp) -> bool {
    let Some(d) = jst_datetime(t) else {
        return false;
    };
    is_business_day(d.date()) && (9..17).contains(&d.hour())
}

/// The business day an inquiry received at `t` is due: `days` business days after receipt.
pub fn due_date(t: Timestamp, days: u32) -> Option<Date> {
    jst_datetime(t).map(|d| add_business_days(d.date(), days))
}

/// A date as it is stored, `YYYY-MM-DD` (what [`crate::profile::format_date`] writes).
pub fn parse_iso_date(s: &str) -> Option<Date> {
    let mut parts = s.splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = Month::try_from(parts.next()?.parse::<u8>().ok()?).ok()?;
    let day = parts.next()?.parse().ok()?;
    Date::from_calendar_date(year, month, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn dates(year: i32) -> Vec<Date> {
        holidays(year).into_iter().map(|(d, _)| d).collect()
    }

    /// The Cabinet Office's published lists (内閣府「国民の祝日について」).
    #[test]
    fn matches_the_published_holidays_2024_to_2027() {
        assert_eq!(
            dates(2024),
            vec![
                date!(2024 - 01 - 01),
                date!(2024 - 01 - 08),
                date!(2024 - 02 - 11),
                date!(2024 - 02 - 12),
                date!(2024 - 02 - 23),
                date!(2024 - 03 - 20),
                date!(2024 - 04 - 29),
                date!(2024 - 05 - 03),
                date!(2024 - 05 - 04),
                date!(2024 - 05 - 05),
                date!(2024 - 05 - 06),
                date!(2024 - 07 - 15),
                date!(2024 - 08 - 11),
                date!(2024 - 08 - 12),
                date!(2024 - 09 - 16),
                date!(2024 - 09 - 22),
                date!(2024 - 09 - 23),
                date!(2024 - 10 - 14),
                date!(2024 - 11 - 03),
                date!(2024 - 11 - 04),
                date!(2024 - 11 - 23),
            ]
        );
        assert_eq!(
            dates(2025),
            vec![
                date!(2025 - 01 - 01),
                date!(2025 - 01 - 13),
                date!(2025 - 02 - 11),
                date!(2025 - 02 - 23),
                date!(2025 - 02 - 24),
                date!(2025 - 03 - 20),
                date!(2025 - 04 - 29),
                date!(2025 - 05 - 03),
                date!(2025 - 05 - 04),
                date!(2025 - 05 - 05),
                date!(2025 - 05 - 06),
                date!(2025 - 07 - 21),
                date!(2025 - 08 - 11),
                date!(2025 - 09 - 15),
                date!(2025 - 09 - 23),
                date!(2025 - 10 - 13),
                date!(2025 - 11 - 03),
                date!(2025 - 11 - 23),
                date!(2025 - 11 - 24),
            ]
        );
        assert_eq!(
            dates(2026),
            vec![
                date!(2026 - 01 - 01),
                date!(2026 - 01 - 12),
                date!(2026 - 02 - 11),
                date!(2026 - 02 - 23),
                date!(2026 - 03 - 20),
                date!(2026 - 04 - 29),
                date!(2026 - 05 - 03),
                date!(2026 - 05 - 04),
                date!(2026 - 05 - 05),
                date!(2026 - 05 - 06),
                date!(2026 - 07 - 20),
                date!(2026 - 08 - 11),
                date!(2026 - 09 - 21),
                date!(2026 - 09 - 22),
                date!(2026 - 09 - 23),
                date!(2026 - 10 - 12),
                date!(2026 - 11 - 03),
                date!(2026 - 11 - 23),
            ]
        );
        assert_eq!(
            dates(2027),
            vec![
                date!(2027 - 01 - 01),
                date!(2027 - 01 - 11),
                date!(2027 - 02 - 11),
                date!(2027 - 02 - 23),
                date!(2027 - 03 - 21),
                date!(2027 - 03 - 22),
                date!(2027 - 04 - 29),
                date!(2027 - 05 - 03),
                date!(2027 - 05 - 04),
                date!(2027 - 05 - 05),
                date!(2027 - 07 - 19),
                date!(2027 - 08 - 11),
                date!(2027 - 09 - 20),
                date!(2027 - 09 - 23),
                date!(2027 - 10 - 11),
                date!(2027 - 11 - 03),
                date!(2027 - 11 - 23),
            ]
        );
        assert_eq!(
            holiday_name(date!(2026 - 09 - 22)),
            Some("休日（国民の休日）")
        );
        assert_eq!(
            holiday_name(date!(2027 - 03 - 22)),
            Some("休日（振替休日）")
        );
        assert_eq!(holiday_name(date!(2026 - 11 - 25)), None);
    }

    #[test]
    fn due_dates_skip_golden_week_and_the_year_end() {
        // Received Thursday 2026-04-30: May 1 (Fri) is day 1, then 5/3–5/6 are holidays.
        assert_eq!(
            add_business_days(date!(2026 - 04 - 30), 3),
            date!(2026 - 05 - 08)
        );
        // Received Friday 2026-12-25: 12/28 is day 1, 12/29–1/3 closed, then 1/4, 1/5.
        assert_eq!(
            add_business_days(date!(2026 - 12 - 25), 3),
            date!(2027 - 01 - 05)
        );
        // Received on a Sunday: counting starts with Monday.
        assert_eq!(
            add_business_days(date!(2026 - 11 - 22), 3),
            date!(2026 - 11 - 26),
            "11/23 is a holiday"
        );
        assert_eq!(
            add_business_days(date!(2026 - 05 - 03), 0),
            date!(2026 - 05 - 07)
        );
    }

    fn at_jst(y: i32, m: Month, d: u8, h: u8, min: u8) -> Timestamp {
        let date = Date::from_calendar_date(y, m, d).unwrap();
        let dt = date.with_hms(h, min, 0).unwrap().assume_offset(jst());
        Timestamp(i64::try_from(dt.unix_timestamp_nanos() / 1_000_000).unwrap())
    }

    #[test]
    fn parses_jst_times() {
        let t = parse_jst("2026-11-25 09:30").unwrap();
        assert_eq!(t, Timestamp(1_795_566_600_000));
        assert_eq!(parse_jst("２０２６/１１/２５T０９:３０"), Some(t));
        assert_eq!(parse_jst("2026-13-01 10:00"), None);
        assert_eq!(parse_jst("tomorrow"), None);
    }

    #[test]
    fn phone_window_edges() {
        use Month::*;
        // Wednesday 2026-11-25.
        assert!(!phone_open(at_jst(2026, November, 25, 8, 59)));
        assert!(phone_open(at_jst(2026, November, 25, 9, 0)));
        assert!(phone_open(at_jst(2026, November, 25, 16, 59)));
        assert!(!phone_open(at_jst(2026, November, 25, 17, 0)));
        // 勤労感謝の日 (Monday 2026-11-23), a Saturday, and the year-end closure.
        assert!(!phone_open(at_jst(2026, November, 23, 10, 0)));
        assert!(!phone_open(at_jst(2026, November, 28, 10, 0)));
        assert!(!phone_open(at_jst(2026, December, 29, 10, 0)));
        assert!(!phone_open(at_jst(2027, January, 4, 8, 0)));
        assert!(phone_open(at_jst(2027, January, 4, 9, 0)));
    }
}
