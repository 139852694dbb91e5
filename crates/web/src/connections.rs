//! What [`crate::serve`] knows of each connection: whether it has begun a request, how its
//! request body is arriving, or whether the request is being handled. From that it decides
//! which connection makes room at the connection cap, and when a body is too slow to wait for.
//!
//! A request body is counted as it is read (a wrapper around hyper's body), and the rules are
//! checked by a tick in each connection's task, so a body that falls behind is closed even
//! while nothing reads it. A request without a body is complete at once.

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper::body::{Body, Bytes, Frame, Incoming, SizeHint};

/// How long a connection is young: a new connection that has waited less than this for its
/// request, or a body that began less than this ago, is closed to make room only after every
/// older one. A real client sends its request as soon as the connection is made, and a body's
/// speed cannot be told before it has had a moment.
const SETTLE: Duration = Duration::from_secs(1);

/// The rules a request body must keep (`server.body_grace`, `body_min_rate`, `body_deadline`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct BodyRules {
    pub grace: Duration,
    /// Bytes per second.
    pub min_rate: u64,
    pub deadline: Duration,
}

/// Why a body was cut off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TooSlow {
    /// Fell behind the minimum rate after the grace period.
    Rate,
    /// Still incomplete at the deadline.
    Deadline,
}

impl BodyRules {
    pub fn of(cfg: &ccus_app::config::ServerConfig) -> BodyRules {
        BodyRules {
            grace: cfg.body_grace,
            min_rate: cfg.body_min_rate,
            deadline: cfg.body_deadline,
        }
    }

    /// Whether a body that began `elapsed` ago and has brought `bytes` must be cut off.
    pub fn verdict(&self, bytes: u64, elapsed: Duration) -> Option<TooSlow> {
        if elapsed > self.deadline {
            return Some(TooSlow::Deadline);
        }
        let late = elapsed.saturating_sub(self.grace);
        let owed = late.as_millis().saturating_mul(u128::from(self.min_rate)) / 1000;
        (u128::from(bytes) < owed).then_some(TooSlow::Rate)
    }

    /// How often each connection checks its body: often enough to act within a fraction of
    /// the grace period, at most once a second.
    pub fn tick(&self) -> Duration {
        let base = if self.grace.is_zero() {
            self.deadline
        } else {
            self.grace.min(self.deadline)
        };
        (base / 4).clamp(Duration::from_millis(50), Duration::from_secs(1))
    }
}

/// No request has begun (a new connection, waiting for headers).
const WAITING: u8 = 0;
/// A request's headers arrived and its body is arriving.
const BODY: u8 = 1;
/// A request is complete and being handled, or has been answered. Such a connection is never
/// closed to make room (an idle kept-alive one ends at `server.header_read_timeout`).
const HANDLING: u8 = 2;
/// Chosen to make room or cut off; its task closes it.
const CLOSING: u8 = 3;

/// One connection, as far as making room and slow bodies go.
pub(crate) struct Connection {
    phase: AtomicU8,
    /// When the current phase began, in µs since [`Connections::epoch`].
    since: AtomicU64,
    /// Bytes of the current request's body read so far.
    bytes: AtomicU64,
    /// Its length as announced (`u64::MAX` when not announced).
    expected: AtomicU64,
    epoch: Instant,
    close: tokio::sync::Notify,
}

impl Connection {
    fn now(&self) -> u64 {
        u64::try_from(self.epoch.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    /// A request's headers have arrived; `length` is its body's announced length, if any.
    pub fn begin(&self, has_body: bool, length: Option<u64>) {
        self.bytes.store(0, Ordering::Relaxed);
        self.expected
            .store(length.unwrap_or(u64::MAX), Ordering::Relaxed);
        self.since.store(self.now(), Ordering::Relaxed);
        let next = if has_body { BODY } else { HANDLING };
        // Not when it is being closed already.
        let _ = self
            .phase
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |p| {
                (p != CLOSING).then_some(next)
            });
    }

    fn add(&self, n: usize) {
        self.bytes
            .fetch_add(u64::try_from(n).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// The body is complete (or no longer read: the request is being answered).
    fn body_done(&self) {
        let _ = self
            .phase
            .compare_exchange(BODY, HANDLING, Ordering::AcqRel, Ordering::Acquire);
    }

    /// Resolves when this connection has been chosen to make room.
    pub async fn closed_to_make_room(&self) {
        self.close.notified().await;
    }

    /// Whether the body in progress breaks `rules`; if so the connection is marked for closing
    /// (a body that has just completed is left alone).
    pub fn too_slow(&self, rules: &BodyRules) -> Option<TooSlow> {
        if self.phase.load(Ordering::Acquire) != BODY {
            return None;
        }
        let elapsed = Duration::from_micros(
            self.now()
                .saturating_sub(self.since.load(Ordering::Relaxed)),
        );
        let why = rules.verdict(self.bytes.load(Ordering::Relaxed), elapsed)?;
        self.phase
            .compare_exchange(BODY, CLOSING, Ordering::AcqRel, Ordering::Acquire)
            .ok()
            .map(|_| why)
    }

    fn snapshot(&self, now: u64) -> Snapshot {
        Snapshot {
            phase: self.phase.load(Ordering::Acquire),
            age: Duration::from_micros(now.saturating_sub(self.since.load(Ordering::Relaxed))),
            bytes: self.bytes.load(Ordering::Relaxed),
            expected: self.expected.load(Ordering::Relaxed),
        }
    }
}

/// A connection's state at one moment, for choosing which one makes room.
#[derive(Debug, Clone, Copy)]
struct Snapshot {
    phase: u8,
    /// Time in this phase (for a body: since its headers arrived).
    age: Duration,
    bytes: u64,
    expected: u64,
}

/// Which of `conns` makes room, in this order: the connection that has waited longest for its
/// request, if at least [`SETTLE`]; the body arriving slowest (bytes per second since its
/// headers) among those older than that; among younger bodies, the one with the most still to
/// come; the connection that has waited longest for its request. Never one whose request is
/// complete and being handled.
fn choose(conns: &[Snapshot]) -> Option<usize> {
    let of = |phase: u8, settled: bool| {
        conns
            .iter()
            .enumerate()
            .filter(move |(_, c)| c.phase == phase && (c.age >= SETTLE) == settled)
    };
    let oldest = |settled: bool| {
        of(WAITING, settled)
            .max_by_key(|(_, c)| c.age)
            .map(|(i, _)| i)
    };
    let slowest = || {
        of(BODY, true)
            .min_by(|(_, a), (_, b)| rate(a).total_cmp(&rate(b)))
            .map(|(i, _)| i)
    };
    let most_to_come = || {
        of(BODY, false)
            .max_by_key(|(_, c)| (c.expected.saturating_sub(c.bytes), c.age))
            .map(|(i, _)| i)
    };
    oldest(true)
        .or_else(slowest)
        .or_else(most_to_come)
        .or_else(|| oldest(false))
}

/// A body's average rate since its headers, in bytes per second.
fn rate(c: &Snapshot) -> f64 {
    c.bytes as f64 / c.age.as_secs_f64().max(1e-3)
}

/// Every open connection, for choosing which one makes room at the cap.
pub(crate) struct Connections {
    epoch: Instant,
    list: Mutex<Vec<Weak<Connection>>>,
}

impl Connections {
    pub fn new() -> Connections {
        Connections {
            epoch: Instant::now(),
            list: Mutex::new(Vec::new()),
        }
    }

    /// A newly accepted connection.
    pub fn register(&self) -> Arc<Connection> {
        let c = Arc::new(Connection {
            phase: AtomicU8::new(WAITING),
            since: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            expected: AtomicU64::new(0),
            epoch: self.epoch,
            close: tokio::sync::Notify::new(),
        });
        c.since.store(c.now(), Ordering::Relaxed);
        if let Ok(mut list) = self.list.lock() {
            // Keep the list from growing with connections that came and went.
            if list.len() >= 64 && list.len() % 64 == 0 {
                list.retain(|w| w.strong_count() > 0);
            }
            list.push(Arc::downgrade(&c));
        }
        c
    }

    /// Closes one connection to make room (see [`choose`]); false if none may be closed.
    pub fn make_room(&self) -> bool {
        let Ok(mut list) = self.list.lock() else {
            return false;
        };
        list.retain(|w| w.strong_count() > 0);
        let now = u64::try_from(self.epoch.elapsed().as_micros()).unwrap_or(u64::MAX);
        // A connection can move on between the look and the choice (a body completes): then
        // look again.
        for _ in 0..4 {
            let live: Vec<Arc<Connection>> = list.iter().filter_map(Weak::upgrade).collect();
            let snaps: Vec<Snapshot> = live.iter().map(|c| c.snapshot(now)).collect();
            let Some(i) = choose(&snaps) else {
                return false;
            };
            let c = &live[i];
            if c.phase
                .compare_exchange(snaps[i].phase, CLOSING, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                c.close.notify_one();
                return true;
            }
        }
        false
    }
}

/// A request body that counts its bytes into its connection and says when it is complete.
pub(crate) struct CountedBody {
    inner: Incoming,
    conn: Arc<Connection>,
}

impl CountedBody {
    pub fn new(inner: Incoming, conn: Arc<Connection>) -> CountedBody {
        CountedBody { inner, conn }
    }
}

impl Body for CountedBody {
    type Data = Bytes;
    type Error = hyper::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, hyper::Error>>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    this.conn.add(data.len());
                }
                if this.inner.is_end_stream() {
                    this.conn.body_done();
                }
            }
            Poll::Ready(None) => this.conn.body_done(),
            Poll::Ready(Some(Err(_))) | Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for CountedBody {
    /// A body dropped before its end is no longer waited for: the request is being answered
    /// (a refusal, say), and the connection is closed after the answer.
    fn drop(&mut self) {
        self.conn.body_done();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> BodyRules {
        BodyRules {
            grace: Duration::from_secs(10),
            min_rate: 4096,
            deadline: Duration::from_secs(600),
        }
    }

    #[test]
    fn a_body_may_start_late_then_must_keep_the_rate() {
        let r = rules();
        // Nothing yet, within the grace period.
        assert_eq!(r.verdict(0, Duration::from_secs(10)), None);
        // One second past it, 4 KiB are owed.
        assert_eq!(
            r.verdict(4095, Duration::from_secs(11)),
            Some(TooSlow::Rate)
        );
        assert_eq!(r.verdict(4096, Duration::from_secs(11)), None);
        // One byte every 20 s (the trickle) falls behind right after the grace period.
        assert_eq!(
            r.verdict(1, Duration::from_millis(10_500)),
            Some(TooSlow::Rate)
        );
    }

    #[test]
    fn a_phone_on_a_slow_network_uploads_five_megabytes() {
        let r = rules();
        // Slow 3G, 400 kbit/s, after a slow start of 5 s: done after about 110 s.
        let rate = 400_000 / 8;
        for s in 5..=110u64 {
            assert_eq!(
                r.verdict((s - 5) * rate, Duration::from_secs(s)),
                None,
                "{s}"
            );
        }
        // 70 kbit/s all the way: 5 MB within the 10 minutes.
        let rate = 70_000 / 8;
        assert!(5_000_000 / rate < 600);
        assert_eq!(r.verdict(590 * rate, Duration::from_secs(590)), None);
        // But nothing takes longer than the deadline.
        assert_eq!(
            r.verdict(u64::MAX / 2, Duration::from_secs(601)),
            Some(TooSlow::Deadline)
        );
    }

    fn snap(phase: u8, age_ms: u64, bytes: u64) -> Snapshot {
        Snapshot {
            phase,
            age: Duration::from_millis(age_ms),
            bytes,
            expected: 100_000,
        }
    }

    #[test]
    fn room_is_made_by_a_silent_connection_then_the_slowest_body() {
        // The oldest silent connection first.
        let conns = [
            snap(BODY, 60_000, 3),
            snap(WAITING, 5_000, 0),
            snap(WAITING, 9_000, 0),
            snap(HANDLING, 90_000, 0),
        ];
        assert_eq!(choose(&conns), Some(2));
        // No silent one: the body arriving slowest, not the one that has just begun.
        let conns = [
            snap(BODY, 5, 0),
            snap(BODY, 60_000, 3),
            snap(BODY, 40_000, 4),
            snap(BODY, 20_000, 5_000_000),
            snap(HANDLING, 90_000, 0),
        ];
        assert_eq!(choose(&conns), Some(1));
        // A connection made a moment ago is waited for, before the trickling bodies.
        let conns = [snap(WAITING, 2, 0), snap(BODY, 30_000, 2)];
        assert_eq!(choose(&conns), Some(1));
        // Only when nothing else may go.
        let conns = [snap(WAITING, 2, 0), snap(HANDLING, 1, 0)];
        assert_eq!(choose(&conns), Some(0));
        // Requests being handled never make room.
        let conns = [snap(HANDLING, 90_000, 0), snap(CLOSING, 1, 0)];
        assert_eq!(choose(&conns), None);
    }

    #[test]
    fn among_young_bodies_the_one_with_most_to_come_makes_room() {
        // Trickling bodies that reconnect all the time are all young: a login whose few
        // bytes are on their way is not the one closed.
        let login = Snapshot {
            expected: 150,
            ..snap(BODY, 1, 0)
        };
        let conns = [login, snap(BODY, 300, 9), snap(BODY, 200, 9)];
        assert_eq!(choose(&conns), Some(1));
        // A body with no announced length counts as the longest.
        let chunked = Snapshot {
            expected: u64::MAX,
            ..snap(BODY, 10, 0)
        };
        assert_eq!(choose(&[login, snap(BODY, 300, 9), chunked]), Some(2));
        // But any settled body goes first.
        assert_eq!(choose(&[login, snap(BODY, 1_000, 500)]), Some(1));
    }
}
