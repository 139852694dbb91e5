//! Time as the system sees it: UTC milliseconds, shown to people in JST. The clock is injected
//! so that expiry (sessions, locks, tokens) is tested by moving time, not by sleeping.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use time::{OffsetDateTime, UtcOffset};

/// Milliseconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn millis(self) -> i64 {
        self.0
    }

    /// `self + d`, saturating instead of overflowing.
    pub fn plus(self, d: Duration) -> Timestamp {
        let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        Timestamp(self.0.saturating_add(ms))
    }

    /// `self - d`, saturating.
    pub fn minus(self, d: Duration) -> Timestamp {
        let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        Timestamp(self.0.saturating_sub(ms))
    }

    /// Formats as Japan Standard Time: `2026年11月25日 09:05`.
    pub fn jst(self) -> String {
        self.jst_with(false)
    }

    /// JST to the minute, rounded *up*: for a moment something ends or becomes possible
    /// (a lock's end), so that the time shown is never one at which it is still too early.
    /// Every place that shows such a moment uses this, so page and mail agree.
    pub fn jst_not_before(self) -> String {
        Timestamp(self.0.saturating_add(59_999).div_euclid(60_000) * 60_000).jst()
    }

    /// JST with seconds: `2026年11月25日 09:05:07`.
    pub fn jst_seconds(self) -> String {
        self.jst_with(true)
    }

    /// RFC 3339 in Japan Standard Time, to the second: `2026-11-25T09:05:07+09:00` (what the
    /// partner API answers).
    pub fn rfc3339_jst(self) -> String {
        let jst = UtcOffset::from_hms(9, 0, 0).unwrap_or(UtcOffset::UTC);
        let nanos = i128::from(self.0) * 1_000_000;
        let Ok(t) = OffsetDateTime::from_unix_timestamp_nanos(nanos) else {
            return String::new();
        };
        let t = t.to_offset(jst);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+09:00",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }

    fn jst_with(self, seconds: bool) -> String {
        let jst = UtcOffset::from_hms(9, 0, 0).unwrap_or(UtcOffset::UTC);
        let nanos = i128::from(self.0) * 1_000_000;
        let Ok(t) = OffsetDateTime::from_unix_timestamp_nanos(nanos) else {
            return "—".to_owned();
        };
        let t = t.to_offset(jst);
        let mut s = format!(
            "{}年{}月{}日 {:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute()
        );
        if seconds {
            s.push_str(&format!(":{:02}", t.second()));
        }
        s
    }
}

/// Where the current time comes from.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        let ms = OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000;
        Timestamp(i64::try_from(ms).unwrap_or(i64::MAX))
    }
}

/// A clock that tests move by hand; starts at the real time.
#[derive(Debug)]
pub struct ManualClock(AtomicI64);

impl Default for ManualClock {
    fn default() -> Self {
        ManualClock(AtomicI64::new(SystemClock.now().0))
    }
}

impl ManualClock {
    pub fn at(t: Timestamp) -> Self {
        ManualClock(AtomicI64::new(t.0))
    }

    pub fn advance(&self, d: Duration) {
        let ms = i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.0.load(Ordering::SeqCst))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jst_is_nine_hours_ahead() {
        // 2026-11-25T00:30:00Z
        let t = Timestamp(1_795_566_600_000);
        assert_eq!(t.jst(), "2026年11月25日 09:30");
        assert_eq!(t.jst_seconds(), "2026年11月25日 09:30:00");
        assert_eq!(t.rfc3339_jst(), "2026-11-25T09:30:00+09:00");
    }

    #[test]
    fn ends_are_shown_rounded_up() {
        let t = Timestamp(1_795_566_600_000); // 09:30:00 JST
        assert_eq!(t.jst_not_before(), "2026年11月25日 09:30");
        assert_eq!(Timestamp(t.0 + 1).jst_not_before(), "2026年11月25日 09:31");
        assert_eq!(
            Timestamp(t.0 + 59_999).jst_not_before(),
            "2026年11月25日 09:31"
        );
        assert_eq!(Timestamp(t.0 + 1).jst(), "2026年11月25日 09:30");
    }

    #[test]
    fn manual_clock_moves() {
        let c = ManualClock::at(Timestamp(1000));
        c.advance(Duration::from_secs(2));
        assert_eq!(c.now(), Timestamp(3000));
        assert_eq!(Timestamp(5).plus(Duration::MAX), Timestamp(i64::MAX));
    }
}
