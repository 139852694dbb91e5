//! Read replicas (PostgreSQL streaming replicas) for reads that tolerate a second of staleness:
//! record pages, statements, site searches. Writes, and every read that security rests on
//! (sessions, lock counters, tokens), never come here: they use the primary's pool directly,
//! and a repository method opts in to a replica by reading through [`crate::Store::read`].
//!
//! A watcher samples the primary's flushed WAL position and each replica's replayed position a
//! few times a second. Positions are compared, not replay times, so an idle primary does not
//! make a caught-up replica look old: a replica is *fresh* while everything the primary had
//! flushed `max_lag` ago (less one sampling interval, so the answer holds until the next
//! sample) has been replayed on it. Reads go round the fresh replicas; with none fresh — a
//! replica that lags, was promoted, or stopped answering — they go to the primary. A read that
//! fails on a replica is run again on the primary at once, and the replica is left out until
//! the watcher sees it fresh again: its loss costs a user nothing but that one retry.
//!
//! A repository method reads through the `read!` macro: `read!(self, |db| query.fetch_all(db)
//! .await)`, whose body runs on a fresh replica, and again on the primary when there is none or
//! the replica failed.
//!
//! A person who has just changed something reads from the primary for a moment (see
//! [`on_primary`]), so the page after their change always shows it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Row};

use crate::budget::{Budget, DbTimeouts, Timed};

/// How often the watcher samples the primary and the replicas.
const SAMPLE_EVERY: Duration = Duration::from_millis(200);
/// Runs a read that tolerates a second of staleness (`$body`, an expression over the executor
/// `$db` giving `Result<_, sqlx::Error>`) on a fresh replica of `$store`, or on the primary when
/// none is fresh or the replica fails; the body may run twice.
macro_rules! read {
    ($store:expr, |$db:ident| $body:expr) => {{
        let store: &$crate::Store = &$store;
        let mut answer = None;
        if let Some(replica) = store.replica_for_read() {
            let $db = replica.db();
            match $body {
                Ok(v) => {
                    replica.served();
                    answer = Some(v);
                }
                Err(e) => replica.failed(&e),
            }
        }
        match answer {
            Some(v) => Ok::<_, ::sqlx::Error>(v),
            None => {
                let $db = store.db();
                $body
            }
        }
    }};
}
pub(crate) use read;

/// Longest a sample may take before the replica counts as not answering.
const SAMPLE_TIMEOUT: Duration = Duration::from_millis(500);

tokio::task_local! {
    static PRIMARY_ONLY: ();
}

/// Runs `f` with every read it makes on the primary: for the request right after a person's
/// own change, so that it shows that change even where a replica is a moment behind.
pub async fn on_primary<F: std::future::Future>(f: F) -> F::Output {
    PRIMARY_ONLY.scope((), f).await
}

fn primary_only() -> bool {
    PRIMARY_ONLY.try_with(|_| ()).is_ok()
}

/// Asks the server at `url` whether it follows a primary (`ccus check-config`): `Ok(true)` for a
/// streaming replica, `Ok(false)` for a server that is not one.
pub async fn probe_replica(url: &str) -> crate::Result<bool> {
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(3))
        .connect(url)
        .await?;
    let row = sqlx::query("SELECT pg_is_in_recovery() AS following")
        .fetch_one(&pool)
        .await;
    pool.close().await;
    Ok(row?.try_get("following")?)
}

/// What the replicas have done, for the metrics: one entry per replica.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicaStats {
    /// The replica's address without its credentials (`host:port/database`).
    pub name: String,
    /// Fresh now: reads may go to it.
    pub fresh: bool,
    /// The most its data may lag behind the primary's, as last sampled; `None` while it does
    /// not answer or is not following the primary.
    pub lag: Option<Duration>,
    /// Reads it answered.
    pub reads: u64,
    /// Reads it failed, each then answered by the primary.
    pub failures: u64,
}

/// The replica set of a store; empty unless [`crate::Store::attach_replicas`] was called.
#[derive(Debug, Default)]
pub(crate) struct Replicas {
    set: OnceLock<Set>,
}

#[derive(Debug)]
struct Set {
    replicas: Vec<Arc<Replica>>,
    next: AtomicUsize,
    /// Reads that wanted a replica and went to the primary because none was fresh.
    to_primary: AtomicU64,
    watcher: tokio::task::JoinHandle<()>,
}

impl Drop for Set {
    fn drop(&mut self) {
        self.watcher.abort();
    }
}

#[derive(Debug)]
pub(crate) struct Replica {
    name: String,
    pool: AnyPool,
    budget: Budget,
    fresh: AtomicBool,
    /// The lag bound in microseconds; `u64::MAX` while unknown.
    lag_micros: AtomicU64,
    reads: AtomicU64,
    failures: AtomicU64,
}

impl Replica {
    pub(crate) fn db(&self) -> Timed<'_, &AnyPool> {
        Timed {
            inner: &self.pool,
            budget: &self.budget,
        }
    }

    pub(crate) fn served(&self) {
        self.reads.fetch_add(1, Ordering::Relaxed);
    }

    /// A read failed here: the primary answers it, and this replica is left out until the
    /// watcher finds it fresh again.
    pub(crate) fn failed(&self, e: &sqlx::Error) {
        self.failures.fetch_add(1, Ordering::Relaxed);
        self.fresh.store(false, Ordering::Relaxed);
        tracing::warn!(replica = %self.name, error = %e, "a read failed on a replica; the primary answers it");
    }

    fn set_lag(&self, lag: Option<Duration>, max_lag: Duration) {
        let micros = lag.map_or(u64::MAX, |l| {
            u64::try_from(l.as_micros()).unwrap_or(u64::MAX)
        });
        self.lag_micros.store(micros, Ordering::Relaxed);
        let fresh = lag.is_some_and(|l| l + SAMPLE_EVERY <= max_lag);
        let was = self.fresh.swap(fresh, Ordering::Relaxed);
        if was != fresh {
            if fresh {
                tracing::info!(replica = %self.name, "read replica is fresh; reads go to it");
            } else {
                tracing::warn!(replica = %self.name, lag = ?lag, "read replica is behind or not answering; its reads go to the primary");
            }
        }
    }
}

/// `host:port/database` of a PostgreSQL URL: what logs and metrics name a replica by.
fn display_name(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
    rest.split('?').next().unwrap_or(rest).to_owned()
}

/// A WAL position (`16/B374D848`) as a number.
fn parse_lsn(text: &str) -> Option<u64> {
    let (high, low) = text.split_once('/')?;
    Some((u64::from_str_radix(high, 16).ok()? << 32) | u64::from_str_radix(low, 16).ok()?)
}

impl Replicas {
    /// Starts reading from `urls` (PostgreSQL streaming replicas of `primary`). Connections
    /// open when first needed, so a replica that is down at start is only left out.
    pub(crate) fn attach(
        &self,
        primary: AnyPool,
        urls: &[String],
        max_lag: Duration,
        limits: DbTimeouts,
    ) -> Result<(), crate::StoreError> {
        // A replica gets less time than the primary: a read it cannot answer is answered by
        // the primary after it, within one request.
        let limits = DbTimeouts {
            acquire: limits.acquire.min(Duration::from_millis(500)),
            query: limits.query.min(Duration::from_secs(1)),
            breaker_open_for: limits.breaker_open_for,
        };
        let mut replicas = Vec::new();
        for url in urls {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return Err(crate::StoreError::BadUrl(display_name(url)));
            }
            let pool = AnyPoolOptions::new()
                .max_connections(16)
                .min_connections(0)
                .acquire_timeout(limits.acquire)
                .after_connect(|conn, _meta| {
                    Box::pin(async move {
                        sqlx::Executor::execute(&mut *conn, "SET jit = off").await?;
                        Ok(())
                    })
                })
                .connect_lazy(url)
                .map_err(crate::StoreError::Database)?;
            replicas.push(Arc::new(Replica {
                name: display_name(url),
                pool,
                budget: Budget::new(limits),
                fresh: AtomicBool::new(false),
                lag_micros: AtomicU64::new(u64::MAX),
                reads: AtomicU64::new(0),
                failures: AtomicU64::new(0),
            }));
        }
        let watcher = tokio::spawn(watch(primary, replicas.clone(), max_lag));
        let set = Set {
            replicas,
            next: AtomicUsize::new(0),
            to_primary: AtomicU64::new(0),
            watcher,
        };
        self.set
            .set(set)
            .map_err(|_| crate::StoreError::Corrupt("read replicas were attached twice".into()))
    }

    /// A fresh replica for the next read, taken in turn; `None` sends it to the primary.
    pub(crate) fn pick(&self) -> Option<Arc<Replica>> {
        let set = self.set.get()?;
        if primary_only() {
            return None;
        }
        let n = set.replicas.len();
        let start = set.next.fetch_add(1, Ordering::Relaxed);
        let found = (0..n)
            .map(|i| &set.replicas[(start + i) % n])
            .find(|r| r.fresh.load(Ordering::Relaxed))
            .cloned();
        if found.is_none() {
            set.to_primary.fetch_add(1, Ordering::Relaxed);
        }
        found
    }

    /// Each replica's state, and the reads sent to the primary for want of a fresh one.
    pub(crate) fn stats(&self) -> (Vec<ReplicaStats>, u64) {
        let Some(set) = self.set.get() else {
            return (Vec::new(), 0);
        };
        let replicas = set
            .replicas
            .iter()
            .map(|r| {
                let micros = r.lag_micros.load(Ordering::Relaxed);
                ReplicaStats {
                    name: r.name.clone(),
                    fresh: r.fresh.load(Ordering::Relaxed),
                    lag: (micros != u64::MAX).then(|| Duration::from_micros(micros)),
                    reads: r.reads.load(Ordering::Relaxed),
                    failures: r.failures.load(Ordering::Relaxed),
                }
            })
            .collect();
        (replicas, set.to_primary.load(Ordering::Relaxed))
    }

    pub(crate) async fn close(&self) {
        if let Some(set) = self.set.get() {
            set.watcher.abort();
            for r in &set.replicas {
                r.pool.close().await;
            }
        }
    }
}

/// The primary's flushed WAL positions as sampled, oldest first.
#[derive(Debug, Default)]
struct Samples(Mutex<VecDeque<(Instant, u64)>>);

impl Samples {
    fn push(&self, at: Instant, lsn: u64, keep: Duration) {
        let mut s = self.0.lock().unwrap_or_else(|p| p.into_inner());
        s.push_back((at, lsn));
        while s.front().is_some_and(|(t, _)| at.duration_since(*t) > keep) {
            s.pop_front();
        }
    }

    /// The most a replica that has replayed up to `replayed` may lag: the time since the newest
    /// sample it has reached (everything flushed by then, it holds). `None` when it is behind
    /// every sample kept.
    fn lag(&self, replayed: u64, now: Instant) -> Option<Duration> {
        let s = self.0.lock().unwrap_or_else(|p| p.into_inner());
        s.iter()
            .rev()
            .find(|(_, lsn)| *lsn <= replayed)
            .map(|(t, _)| now.duration_since(*t))
    }
}

async fn watch(primary: AnyPool, replicas: Vec<Arc<Replica>>, max_lag: Duration) {
    let samples = Samples::default();
    let keep = (max_lag * 4).max(Duration::from_secs(10));
    let mut tick = tokio::time::interval(SAMPLE_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let primary_lsn = tokio::time::timeout(
            SAMPLE_TIMEOUT,
            sqlx::query("SELECT pg_current_wal_flush_lsn()::text AS lsn").fetch_one(&primary),
        )
        .await;
        let Ok(Ok(row)) = primary_lsn else {
            // Without the primary's position no replica can be judged; the reads will find
            // the primary's own state.
            for r in &replicas {
                r.set_lag(None, max_lag);
            }
            continue;
        };
        let Some(lsn) = row
            .try_get::<String, _>("lsn")
            .ok()
            .and_then(|t| parse_lsn(&t))
        else {
            continue;
        };
        samples.push(Instant::now(), lsn, keep);
        for r in &replicas {
            let answer = tokio::time::timeout(
                SAMPLE_TIMEOUT,
                sqlx::query(
                    "SELECT pg_is_in_recovery() AS following, \
                     pg_last_wal_replay_lsn()::text AS replayed",
                )
                .fetch_one(&r.pool),
            )
            .await;
            let lag = match answer {
                Ok(Ok(row)) => {
                    let following = row.try_get::<bool, _>("following").unwrap_or(false);
                    let replayed = row
                        .try_get::<Option<String>, _>("replayed")
                        .ok()
                        .flatten()
                        .and_then(|t| parse_lsn(&t));
                    match replayed {
                        // A promoted or stand-alone server is not this primary's replica.
                        Some(replayed) if following => samples.lag(replayed, Instant::now()),
                        _ => None,
                    }
                }
                _ => None,
            };
            r.set_lag(lag, max_lag);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_and_names_are_read() {
        assert_eq!(parse_lsn("0/3000060"), Some(0x3000060));
        assert_eq!(parse_lsn("16/B374D848"), Some((0x16 << 32) | 0xB374D848));
        assert_eq!(parse_lsn("nonsense"), None);
        assert_eq!(
            display_name("postgres://reader:secret@db2:5433/ccus?sslmode=require"),
            "db2:5433/ccus"
        );
    }

    #[test]
    fn lag_is_the_time_since_the_newest_sample_replayed() {
        let samples = Samples::default();
        let t0 = Instant::now();
        samples.push(t0, 100, Duration::from_secs(10));
        samples.push(
            t0 + Duration::from_millis(200),
            100,
            Duration::from_secs(10),
        );
        samples.push(
            t0 + Duration::from_millis(400),
            250,
            Duration::from_secs(10),
        );
        let now = t0 + Duration::from_millis(500);
        // Caught up: only the time since the last sample.
        assert_eq!(samples.lag(250, now), Some(Duration::from_millis(100)));
        // An idle primary: the same position sampled twice, the newer one counts.
        assert_eq!(samples.lag(100, now), Some(Duration::from_millis(300)));
        // Behind everything kept: unknown, so not fresh.
        assert_eq!(samples.lag(50, now), None);
    }
}
