//! Read replicas (PostgreSQL streaming replicas) for reads that tolerate a second of staleness:
//! record pages, statements, site searches. Writes, and every read that security rests on
//! (sessions, lock counters, tokens), never come here: they use the primary's pool directly,
//! and a repository method opts in to a replica by reading through [`crate::Store::read`].
//!
//! A watcher samples the primary's flushed WAL position five times a second (on a connection of
//! its own, so a busy pool cannot starve it), and each replica's replayed position beside it.
//! Positions are compared, not replay times, so an idle primary does not make a caught-up
//! replica look old. When a replica has replayed what the primary had flushed at time `t`, it
//! holds everything committed by `t`, so it is *fresh* until `t + max_lag`: the deadline is
//! stored and checked at each read, so a watcher slowed by a dead server never stretches it. A
//! replica must be a standby of the primary's own cluster (the same system identifier) serving
//! the same database. Reads go round the fresh replicas; with none fresh — a replica that lags,
//! was promoted, stopped answering, or has its breaker open — they go to the primary. A read
//! that fails on a replica is run again on the primary at once, and the replica is left out
//! until the watcher sees it fresh again: its loss costs a user nothing but that one retry.
//!
//! A repository method reads through the `read!` macro: `read!(self, |db| query.fetch_all(db)
//! .await)`, whose body runs on a fresh replica, and again on the primary when there is none or
//! the replica failed.
//!
//! A person who has just changed something reads from the primary for a moment (see
//! [`on_primary`]), so the page after their change always shows it.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
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

/// What a server named as a replica is, as `ccus check-config` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplicaProbe {
    /// A standby of the primary's cluster, serving the primary's database.
    Follows,
    /// Not in recovery: a primary of its own.
    NotStandby,
    /// A standby of another cluster.
    OtherCluster,
    /// A standby of the primary's cluster, but the URL names another database.
    OtherDatabase,
}

/// The identity a replica must share with the primary: the cluster's system identifier and the
/// database's name; and whether the server is in recovery.
const IDENTITY: &str =
    "SELECT (SELECT system_identifier FROM pg_control_system())::text AS system, \
                        current_database()::text AS db, pg_is_in_recovery() AS following";

async fn identity(pool: &AnyPool) -> Result<(String, String, bool), sqlx::Error> {
    let row = sqlx::query(IDENTITY).fetch_one(pool).await?;
    Ok((
        row.try_get("system")?,
        row.try_get("db")?,
        row.try_get("following")?,
    ))
}

/// Asks the server at `url` whether it is a streaming replica of the database at `primary`
/// (`ccus check-config`).
pub async fn probe_replica(primary: &str, url: &str) -> crate::Result<ReplicaProbe> {
    sqlx::any::install_default_drivers();
    let open = |u: &str| {
        AnyPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(3))
            .connect_lazy(u)
    };
    let (p, r) = (open(primary)?, open(url)?);
    let answer = async {
        let (p_system, p_db, _) = identity(&p).await?;
        let (r_system, r_db, following) = identity(&r).await?;
        Ok::<_, sqlx::Error>(if !following {
            ReplicaProbe::NotStandby
        } else if r_system != p_system {
            ReplicaProbe::OtherCluster
        } else if r_db != p_db {
            ReplicaProbe::OtherDatabase
        } else {
            ReplicaProbe::Follows
        })
    }
    .await;
    p.close().await;
    r.close().await;
    Ok(answer?)
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
    /// The watcher's own connection to the primary.
    primary: AnyPool,
}

impl Drop for Set {
    fn drop(&mut self) {
        self.watcher.abort();
    }
}

/// Microseconds since `epoch`, for deadlines kept in atomics.
fn micros_since(epoch: Instant, t: Instant) -> u64 {
    u64::try_from(t.saturating_duration_since(epoch).as_micros()).unwrap_or(u64::MAX)
}

#[derive(Debug)]
pub(crate) struct Replica {
    name: String,
    pool: AnyPool,
    budget: Budget,
    epoch: Instant,
    /// Reads may come here until this moment (microseconds since `epoch`; 0: not fresh).
    fresh_until: AtomicU64,
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

    /// Within its deadline, and not refusing calls (its breaker closed).
    fn fresh(&self) -> bool {
        micros_since(self.epoch, Instant::now()) < self.fresh_until.load(Ordering::Relaxed)
            && !self.budget.stats().open
    }

    pub(crate) fn served(&self) {
        self.reads.fetch_add(1, Ordering::Relaxed);
    }

    /// A read failed here: the primary answers it, and this replica is left out until the
    /// watcher finds it fresh again.
    pub(crate) fn failed(&self, e: &sqlx::Error) {
        self.failures.fetch_add(1, Ordering::Relaxed);
        self.fresh_until.store(0, Ordering::Relaxed);
        tracing::warn!(replica = %self.name, error = %e, "a read failed on a replica; the primary answers it");
    }

    /// What the watcher found: `reached`, the time of the newest primary sample this replica
    /// has replayed (`None`: it does not answer, lags behind every sample kept, or is not the
    /// primary's standby — `why` says which).
    fn sampled(&self, reached: Option<Instant>, max_lag: Duration, why: &str) {
        let now = Instant::now();
        let lag = reached.map(|t| now.saturating_duration_since(t));
        let micros = lag.map_or(u64::MAX, |l| {
            u64::try_from(l.as_micros()).unwrap_or(u64::MAX)
        });
        self.lag_micros.store(micros, Ordering::Relaxed);
        let was = self.fresh();
        let until = reached.map_or(0, |t| micros_since(self.epoch, t + max_lag));
        self.fresh_until.store(until, Ordering::Relaxed);
        let fresh = self.fresh();
        if was != fresh {
            if fresh {
                tracing::info!(replica = %self.name, "read replica is fresh; reads go to it");
            } else {
                tracing::warn!(replica = %self.name, lag = ?lag, why, "read replica left out; its reads go to the primary");
            }
        }
    }
}

/// `host:port/database` of a PostgreSQL URL: what logs and metrics name a replica by. The query
/// (which may carry a password) and the user part are left out.
pub(crate) fn display_name(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if path.is_empty() {
        host.to_owned()
    } else {
        format!("{host}/{path}")
    }
}

/// A WAL position (`16/B374D848`) as a number.
fn parse_lsn(text: &str) -> Option<u64> {
    let (high, low) = text.split_once('/')?;
    Some((u64::from_str_radix(high, 16).ok()? << 32) | u64::from_str_radix(low, 16).ok()?)
}

impl Replicas {
    /// Starts reading from `urls` (PostgreSQL streaming replicas of the database at
    /// `primary_url`). Connections open when first needed, so a replica that is down at start
    /// is only left out.
    pub(crate) fn attach(
        &self,
        primary_url: &str,
        urls: &[String],
        max_lag: Duration,
        limits: DbTimeouts,
    ) -> Result<(), crate::StoreError> {
        // A replica gets the primary's limits, with less time to connect: a read it cannot
        // answer is answered by the primary after it, within one request.
        let limits = DbTimeouts {
            acquire: limits.acquire.min(Duration::from_millis(500)),
            ..limits
        };
        let epoch = Instant::now();
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
                epoch,
                fresh_until: AtomicU64::new(0),
                lag_micros: AtomicU64::new(u64::MAX),
                reads: AtomicU64::new(0),
                failures: AtomicU64::new(0),
            }));
        }
        let primary = AnyPoolOptions::new()
            .max_connections(1)
            .acquire_timeout(SAMPLE_TIMEOUT)
            .connect_lazy(primary_url)
            .map_err(crate::StoreError::Database)?;
        let watcher = tokio::spawn(watch(primary.clone(), replicas.clone(), max_lag));
        let set = Set {
            replicas,
            next: AtomicUsize::new(0),
            to_primary: AtomicU64::new(0),
            watcher,
            primary,
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
            .find(|r| r.fresh())
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
                    fresh: r.fresh(),
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
            set.primary.close().await;
            for r in &set.replicas {
                r.pool.close().await;
            }
        }
    }
}

/// The primary's flushed WAL positions as sampled, oldest first, each with a moment by which
/// everything up to it had been committed.
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

    /// The moment of the newest sample a replica that has replayed up to `replayed` has
    /// reached (everything committed by then, it holds); `None` when it is behind every
    /// sample kept.
    fn reached(&self, replayed: u64) -> Option<Instant> {
        let s = self.0.lock().unwrap_or_else(|p| p.into_inner());
        s.iter()
            .rev()
            .find(|(_, lsn)| *lsn <= replayed)
            .map(|(t, _)| *t)
    }
}

/// The primary's identity and flushed position; the moment is taken before asking, so that
/// everything committed by then is at or before the position.
async fn sample_primary(primary: &AnyPool) -> Option<(Instant, String, String, u64)> {
    let at = Instant::now();
    let ask = async {
        let (system, db, _) = identity(primary).await?;
        let row = sqlx::query("SELECT pg_current_wal_flush_lsn()::text AS lsn")
            .fetch_one(primary)
            .await?;
        Ok::<_, sqlx::Error>((system, db, row.try_get::<String, _>("lsn")?))
    };
    let (system, db, lsn) = tokio::time::timeout(SAMPLE_TIMEOUT, ask).await.ok()?.ok()?;
    Some((at, system, db, parse_lsn(&lsn)?))
}

/// One replica's replayed position, if it is a standby of `system` serving `db`.
async fn sample_replica(r: &Replica, system: &str, db: &str) -> Result<u64, &'static str> {
    let ask = async {
        let (r_system, r_db, following) = identity(&r.pool).await?;
        let row = sqlx::query("SELECT pg_last_wal_replay_lsn()::text AS replayed")
            .fetch_one(&r.pool)
            .await?;
        let replayed = row.try_get::<Option<String>, _>("replayed")?;
        Ok::<_, sqlx::Error>((r_system, r_db, following, replayed))
    };
    match tokio::time::timeout(SAMPLE_TIMEOUT, ask).await {
        Err(_) | Ok(Err(_)) => Err("does not answer"),
        Ok(Ok((_, _, false, _))) => Err("is not a standby (promoted, or a primary)"),
        Ok(Ok((s, _, _, _))) if s != system => Err("is a standby of another cluster"),
        Ok(Ok((_, d, _, _))) if d != db => Err("serves another database than the primary's"),
        Ok(Ok((_, _, _, replayed))) => replayed
            .as_deref()
            .and_then(parse_lsn)
            .ok_or("has replayed nothing"),
    }
}

async fn watch(primary: AnyPool, replicas: Vec<Arc<Replica>>, max_lag: Duration) {
    let samples = Samples::default();
    let keep = (max_lag * 4).max(Duration::from_secs(10));
    let mut tick = tokio::time::interval(SAMPLE_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let Some((at, system, db, lsn)) = sample_primary(&primary).await else {
            // Without the primary's position no replica can be judged; the reads will find
            // the primary's own state.
            for r in &replicas {
                r.sampled(None, max_lag, "the primary's position is unknown");
            }
            continue;
        };
        samples.push(at, lsn, keep);
        // Every replica at once: a dead one costs the others nothing.
        let answers = futures_util::future::join_all(
            replicas.iter().map(|r| sample_replica(r, &system, &db)),
        )
        .await;
        for (r, answer) in replicas.iter().zip(answers) {
            match answer {
                Ok(replayed) => r.sampled(samples.reached(replayed), max_lag, "it lags"),
                Err(why) => r.sampled(None, max_lag, why),
            }
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
        // A password in the query (which may hold an @) never shows.
        assert_eq!(
            display_name("postgres://db2:5433/ccus?user=r&password=a@b"),
            "db2:5433/ccus"
        );
        assert_eq!(display_name("postgresql://u:p@db3"), "db3");
    }

    #[test]
    fn a_replica_reaches_the_newest_sample_it_has_replayed() {
        let samples = Samples::default();
        let t0 = Instant::now();
        let t1 = t0 + Duration::from_millis(200);
        let t2 = t0 + Duration::from_millis(400);
        samples.push(t0, 100, Duration::from_secs(10));
        samples.push(t1, 100, Duration::from_secs(10));
        samples.push(t2, 250, Duration::from_secs(10));
        // Caught up: the newest sample.
        assert_eq!(samples.reached(250), Some(t2));
        // An idle primary: the same position sampled twice, the newer one counts.
        assert_eq!(samples.reached(100), Some(t1));
        // Behind everything kept: unknown, so not fresh.
        assert_eq!(samples.reached(50), None);
    }
}
