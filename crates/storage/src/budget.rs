//! A time budget and a circuit breaker around every database call.
//!
//! During an outage — a database that refuses connections, or a network partition where
//! connections stay open and nothing comes back — a call must not wait for long, and the calls
//! after it must not wait at all. Every query of [`crate::Store`] and [`crate::StoreTx`] runs
//! through [`Timed`], an executor that
//!
//! * refuses at once while the breaker is open (a recent call failed for lack of a database);
//! * lets one call through as a probe once the breaker's time is up — the others keep being
//!   refused until the probe answers — and closes the breaker when a call succeeds;
//! * gives each call (connection acquisition included) at most the query budget, then gives up
//!   and opens the breaker.
//!
//! A call that gave up is dropped: a query run on its own is abandoned, and a query inside a
//! transaction fails the transaction, which is rolled back when it is dropped. Nothing is half
//! written.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use sqlx::any::{AnyQueryResult, AnyRow, AnyStatement, AnyTypeInfo};
use sqlx::{Any, AnyConnection, AnyPool, Describe, Either, Execute, Executor};

/// Time limits for database calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DbTimeouts {
    /// Longest wait for a pooled connection (opening one included).
    pub acquire: Duration,
    /// Longest a single call may take, the wait for a connection included.
    pub query: Duration,
    /// After a call failed for lack of a database, calls are refused at once for this long;
    /// then one call probes.
    pub breaker_open_for: Duration,
}

impl Default for DbTimeouts {
    fn default() -> Self {
        DbTimeouts {
            acquire: Duration::from_secs(1),
            query: Duration::from_millis(1500),
            breaker_open_for: Duration::from_secs(2),
        }
    }
}

#[derive(Debug, Default)]
struct Breaker {
    /// `Some` after a failure: until then calls are refused.
    open_until: Option<Instant>,
    /// A probe is under way (since then); other calls wait for its answer by being refused.
    probing_since: Option<Instant>,
}

/// The shared state: limits, the breaker, and a fault switch for tests.
#[derive(Debug)]
pub(crate) struct Budget {
    limits: DbTimeouts,
    breaker: Mutex<Breaker>,
    stalled: AtomicBool,
    /// Calls that ran out of the budget, and calls refused while the breaker was open (for the
    /// metrics).
    timeouts: AtomicU64,
    refused: AtomicU64,
}

/// What the budget has seen, for the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BudgetStats {
    /// Calls that did not answer within the budget.
    pub timeouts: u64,
    /// Calls refused at once because the breaker was open.
    pub refused: u64,
    /// Whether the breaker is open now.
    pub open: bool,
}

/// Whether an error means the database is out of reach (as opposed to a bad query).
pub(crate) fn is_outage(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Io(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Tls(_) => true,
        sqlx::Error::Database(db) => {
            // SQLITE_BUSY / SQLITE_LOCKED, PostgreSQL admin shutdown / too many connections /
            // starting up.
            let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
            matches!(
                code.as_str(),
                "5" | "6" | "517" | "57P01" | "53300" | "57P03"
            )
        }
        _ => false,
    }
}

fn unavailable(what: String) -> sqlx::Error {
    sqlx::Error::Io(std::io::Error::new(std::io::ErrorKind::TimedOut, what))
}

impl Budget {
    pub(crate) fn new(limits: DbTimeouts) -> Self {
        Budget {
            limits,
            breaker: Mutex::new(Breaker::default()),
            stalled: AtomicBool::new(false),
            timeouts: AtomicU64::new(0),
            refused: AtomicU64::new(0),
        }
    }

    pub(crate) fn stats(&self) -> BudgetStats {
        BudgetStats {
            timeouts: self.timeouts.load(Ordering::Relaxed),
            refused: self.refused.load(Ordering::Relaxed),
            open: self
                .breaker()
                .open_until
                .is_some_and(|until| Instant::now() < until),
        }
    }

    pub(crate) fn limits(&self) -> DbTimeouts {
        self.limits
    }

    pub(crate) fn set_stalled(&self, stalled: bool) {
        self.stalled.store(stalled, Ordering::SeqCst);
    }

    fn breaker(&self) -> std::sync::MutexGuard<'_, Breaker> {
        // The state is two timestamps; a panic elsewhere cannot leave it inconsistent.
        self.breaker.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// May a call go to the database now?
    fn admit(&self) -> Result<(), sqlx::Error> {
        let now = Instant::now();
        let mut b = self.breaker();
        let Some(until) = b.open_until else {
            return Ok(());
        };
        if now < until {
            return Err(unavailable(
                "database unavailable a moment ago; not tried (circuit open)".into(),
            ));
        }
        // A probe that never reported (its caller went away) no longer blocks the others.
        let abandoned = self.limits.query + Duration::from_secs(1);
        match b.probing_since {
            Some(since) if now.duration_since(since) < abandoned => Err(unavailable(
                "database unavailable a moment ago; waiting for a probe (circuit open)".into(),
            )),
            _ => {
                b.probing_since = Some(now);
                Ok(())
            }
        }
    }

    fn succeeded(&self) {
        let mut b = self.breaker();
        if b.open_until.is_some() {
            tracing::info!("database answers again (circuit closed)");
        }
        *b = Breaker::default();
    }

    fn failed(&self) {
        let mut b = self.breaker();
        if b.open_until.is_none() {
            tracing::warn!(
                open_for = ?self.limits.breaker_open_for,
                "database unavailable; refusing database calls at once for a while (circuit open)"
            );
        }
        b.open_until = Some(Instant::now() + self.limits.breaker_open_for);
        b.probing_since = None;
    }

    /// Runs one database call within the budget, through the breaker.
    pub(crate) async fn run<T>(
        &self,
        call: impl Future<Output = Result<T, sqlx::Error>>,
    ) -> Result<T, sqlx::Error> {
        if let Err(e) = self.admit() {
            self.refused.fetch_add(1, Ordering::Relaxed);
            return Err(e);
        }
        let stalled = self.stalled.load(Ordering::SeqCst);
        let call = async move {
            if stalled {
                // Test fault: the database "stops answering".
                std::future::pending::<()>().await;
            }
            call.await
        };
        match tokio::time::timeout(self.limits.query, call).await {
            Ok(Ok(v)) => {
                self.succeeded();
                Ok(v)
            }
            Ok(Err(e)) => {
                if is_outage(&e) {
                    self.failed();
                } else {
                    // The database answered, even if with an error.
                    self.succeeded();
                }
                Err(e)
            }
            Err(_) => {
                self.timeouts.fetch_add(1, Ordering::Relaxed);
                self.failed();
                Err(unavailable(format!(
                    "database did not answer within {:?}",
                    self.limits.query
                )))
            }
        }
    }
}

/// An executor (the pool, or a transaction's connection) whose every call runs within the
/// [`Budget`].
#[derive(Debug)]
pub(crate) struct Timed<'c, X> {
    pub(crate) inner: X,
    pub(crate) budget: &'c Budget,
}

/// The rows and results of a call, collected within the budget, then handed out as a stream.
fn collected<'e>(
    budget: &'e Budget,
    call: BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>>,
) -> BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>> {
    stream::once(async move { budget.run(call.try_collect::<Vec<_>>()).await })
        .map(|all| match all {
            Ok(items) => stream::iter(items.into_iter().map(Ok)).left_stream(),
            Err(e) => stream::once(async move { Err(e) }).right_stream(),
        })
        .flatten()
        .boxed()
}

macro_rules! timed_executor {
    ($inner:ty) => {
        impl<'c> Executor<'c> for Timed<'c, $inner> {
            type Database = Any;

            fn fetch_many<'e, 'q: 'e, E>(
                self,
                query: E,
            ) -> BoxStream<'e, Result<Either<AnyQueryResult, AnyRow>, sqlx::Error>>
            where
                'c: 'e,
                E: 'q + Execute<'q, Any>,
            {
                collected(self.budget, self.inner.fetch_many(query))
            }

            fn fetch_optional<'e, 'q: 'e, E>(
                self,
                query: E,
            ) -> BoxFuture<'e, Result<Option<AnyRow>, sqlx::Error>>
            where
                'c: 'e,
                E: 'q + Execute<'q, Any>,
            {
                let budget = self.budget;
                let call = self.inner.fetch_optional(query);
                Box::pin(async move { budget.run(call).await })
            }

            fn prepare_with<'e, 'q: 'e>(
                self,
                sql: &'q str,
                parameters: &'e [AnyTypeInfo],
            ) -> BoxFuture<'e, Result<AnyStatement<'q>, sqlx::Error>>
            where
                'c: 'e,
            {
                let budget = self.budget;
                let call = self.inner.prepare_with(sql, parameters);
                Box::pin(async move { budget.run(call).await })
            }

            fn describe<'e, 'q: 'e>(
                self,
                sql: &'q str,
            ) -> BoxFuture<'e, Result<Describe<Any>, sqlx::Error>>
            where
                'c: 'e,
            {
                let budget = self.budget;
                let call = self.inner.describe(sql);
                Box::pin(async move { budget.run(call).await })
            }
        }
    };
}

timed_executor!(&'c AnyPool);
timed_executor!(&'c mut AnyConnection);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn budget() -> Budget {
        Budget::new(DbTimeouts {
            acquire: Duration::from_millis(50),
            query: Duration::from_millis(100),
            breaker_open_for: Duration::from_millis(300),
        })
    }

    async fn answers(b: &Budget) -> Result<u8, sqlx::Error> {
        b.run(async { Ok(1) }).await
    }

    #[tokio::test]
    async fn a_timeout_opens_the_breaker_then_one_probe_closes_it() {
        let b = budget();
        assert_eq!(answers(&b).await.unwrap(), 1);
        let silent = b
            .run(std::future::pending::<Result<u8, sqlx::Error>>())
            .await;
        assert!(is_outage(&silent.unwrap_err()));
        // Open: refused without being run.
        let mut ran = false;
        let r = b
            .run(async {
                ran = true;
                Ok(1)
            })
            .await;
        assert!(r.is_err() && !ran);
        // After the open time, one call probes; it succeeds and closes the breaker.
        tokio::time::sleep(Duration::from_millis(350)).await;
        assert_eq!(answers(&b).await.unwrap(), 1);
        assert_eq!(answers(&b).await.unwrap(), 1);
    }

    #[tokio::test]
    async fn while_a_probe_runs_the_others_are_refused() {
        let b = budget();
        let _ = b
            .run(std::future::pending::<Result<u8, sqlx::Error>>())
            .await;
        tokio::time::sleep(Duration::from_millis(350)).await;
        let probe = b.run(async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            Ok(1)
        });
        let other = async {
            tokio::time::sleep(Duration::from_millis(10)).await;
            answers(&b).await
        };
        let (p, o) = tokio::join!(probe, other);
        assert_eq!(p.unwrap(), 1);
        assert!(o.is_err());
        assert_eq!(answers(&b).await.unwrap(), 1);
    }

    #[tokio::test]
    async fn a_query_error_is_not_an_outage() {
        let b = budget();
        let r = b
            .run(async { Err::<u8, _>(sqlx::Error::RowNotFound) })
            .await;
        assert!(r.is_err());
        assert_eq!(answers(&b).await.unwrap(), 1);
    }
}
