//! Lock counters (`login_guards`: per entered ID, per device, per recovery form) and address
//! windows (`address_guards`). They live in the database so that every instance counts the
//! same attempts; each change is one atomic statement or one transaction.

use std::time::Duration;

use ccus_domain::{AttemptDecision, GuardState, LockoutPolicy, LoginId, Timestamp};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{Guards, Result, Store, StoreTx};

/// What [`Guards::lift_locks`] found locked.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LiftedLocks {
    pub id_was_locked: bool,
    /// Browsers of the owner that were locked on their own counters.
    pub devices_were_locked: u32,
}

impl LiftedLocks {
    pub fn any(&self) -> bool {
        self.id_was_locked || self.devices_were_locked > 0
    }
}

/// Locks in force on the owner's own browsers (see [`Guards::device_locks`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeviceLocks {
    pub count: u32,
    pub latest_until: Option<Timestamp>,
}

/// The columns [`guard_from_row`] reads.
const GUARD_COLUMNS: &str = "failures, consecutive, locks, locked_until, refused";

fn guard_from_row(r: &AnyRow) -> Result<GuardState> {
    let small = |column: &str| -> Result<u32> {
        let v: i64 = r.try_get(column)?;
        Ok(u32::try_from(v.max(0)).unwrap_or(u32::MAX))
    };
    let refused: i64 = r.try_get("refused")?;
    Ok(GuardState {
        failures: small("failures")?,
        consecutive: small("consecutive")?,
        locks: small("locks")?,
        locked_until: r.try_get::<Option<i64>, _>("locked_until")?.map(Timestamp),
        refused: u64::try_from(refused.max(0)).unwrap_or(0),
    })
}

async fn delete_guard<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    e: E,
    key: &str,
) -> Result<()> {
    sqlx::query("DELETE FROM login_guards WHERE login_id = $1")
        .bind(key)
        .execute(e)
        .await?;
    Ok(())
}

/// Counts one more under a key in its window (a new window when the last one ended).
const HIT_WINDOW: &str = "INSERT INTO address_guards (address, window_start, attempts) \
     VALUES ($1, $2, 1) ON CONFLICT (address) DO UPDATE SET \
     attempts = CASE WHEN address_guards.window_start <= $3 THEN 1 \
       ELSE address_guards.attempts + 1 END, \
     window_start = CASE WHEN address_guards.window_start <= $3 THEN $2 \
       ELSE address_guards.window_start END \
     RETURNING attempts";

impl Guards<&Store> {
    /// Reserves one login attempt for `login_id` under `policy` (see
    /// [`ccus_domain::lockout`]): atomically reads the lock state, applies the policy and
    /// stores the result. Concurrent calls are serialised by the database.
    pub async fn begin_attempt(
        self,
        key: &str,
        policy: &LockoutPolicy,
        now: Timestamp,
    ) -> Result<AttemptDecision> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(&format!(
            "INSERT INTO login_guards (login_id, updated_at) VALUES ($1, $2) \
             ON CONFLICT (login_id) DO UPDATE SET updated_at = excluded.updated_at \
             RETURNING {GUARD_COLUMNS}"
        ))
        .bind(key)
        .bind(now.0)
        .fetch_one(tx.conn())
        .await?;
        let state = guard_from_row(&row)?;
        let (next, decision) = policy.begin_attempt(state, now);
        sqlx::query(
            "UPDATE login_guards SET failures = $2, consecutive = $3, locks = $4, locked_until = $5, refused = $6 \
             WHERE login_id = $1",
        )
        .bind(key)
        .bind(i64::from(next.failures))
        .bind(i64::from(next.consecutive))
        .bind(i64::from(next.locks))
        .bind(next.locked_until.map(|t| t.0))
        .bind(i64::try_from(next.refused).unwrap_or(i64::MAX))
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(decision)
    }

    /// The attempt holding `ticket` succeeded: settle it under `policy` (see
    /// [`LockoutPolicy::after_success`]) atomically.
    pub async fn settle_success(
        self,
        key: &str,
        policy: &LockoutPolicy,
        ticket: u32,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.guards().settle_success(key, policy, ticket).await?;
        tx.commit().await
    }

    /// Forgets the failure count, locks and growth under `key`.
    pub async fn clear_guard(self, key: &str) -> Result<()> {
        delete_guard(self.db(), key).await
    }

    /// The lock of every browser in which `login_id` has logged in (device counters) that is
    /// still in force at `now`: how many, and the latest end.
    pub async fn device_locks(self, login_id: &LoginId, now: Timestamp) -> Result<DeviceLocks> {
        let rows = sqlx::query(
            "SELECT g.locked_until AS locked_until FROM login_guards g \
             JOIN devices d ON g.login_id = 'device:' || d.token_hash \
             WHERE d.login_id = $1 AND g.locked_until IS NOT NULL AND g.locked_until > $2",
        )
        .bind(login_id.as_str())
        .bind(now.0)
        .fetch_all(self.db())
        .await?;
        let mut locks = DeviceLocks::default();
        for r in rows {
            let until: i64 = r.try_get("locked_until")?;
            locks.count += 1;
            locks.latest_until = locks.latest_until.max(Some(Timestamp(until)));
        }
        Ok(locks)
    }

    /// The stored lock state under `key` — an entered ID, or a device (default when none).
    pub async fn guard_state(self, key: &str) -> Result<GuardState> {
        let row = sqlx::query(&format!(
            "SELECT {GUARD_COLUMNS} FROM login_guards WHERE login_id = $1"
        ))
        .bind(key)
        .fetch_optional(self.db())
        .await?;
        row.map(|r| guard_from_row(&r))
            .transpose()
            .map(Option::unwrap_or_default)
    }

    /// Counts one hit under `key` (e.g. a client address) within a fixed window; returns how
    /// many hits (including this one) the key has had in the current window.
    pub async fn hit_window(self, key: &str, window: Duration, now: Timestamp) -> Result<u64> {
        let row = sqlx::query(HIT_WINDOW)
            .bind(key)
            .bind(now.0)
            .bind(now.minus(window).0)
            .fetch_one(self.db())
            .await?;
        let n: i64 = row.try_get("attempts")?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// [`Self::hit_window`] for a count whose loss in a crash harms nothing (a client's calls
    /// this minute): on PostgreSQL its commit does not wait for the disk (`synchronous_commit`
    /// off for this transaction alone), which saves a flush on every API call. The next
    /// durable commit flushes it anyway.
    pub async fn hit_window_unsynced(
        self,
        key: &str,
        window: Duration,
        now: Timestamp,
    ) -> Result<u64> {
        if self.backend() != crate::Backend::Postgres {
            return self.hit_window(key, window, now).await;
        }
        let mut tx = self.begin_write().await?;
        tx.without_flush().await?;
        let row = sqlx::query(HIT_WINDOW)
            .bind(key)
            .bind(now.0)
            .bind(now.minus(window).0)
            .fetch_one(tx.conn())
            .await?;
        tx.commit().await?;
        let n: i64 = row.try_get("attempts")?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// The count under `key` in its current window, and when that window ends; nothing is
    /// counted. `(0, now)` when there is no window or it has ended.
    pub async fn window_count(
        self,
        key: &str,
        window: Duration,
        now: Timestamp,
    ) -> Result<(u64, Timestamp)> {
        let row = sqlx::query(
            "SELECT attempts, window_start FROM address_guards WHERE address = $1 AND window_start > $2",
        )
        .bind(key)
        .bind(now.minus(window).0)
        .fetch_optional(self.db())
        .await?;
        Ok(match row {
            Some(r) => {
                let n: i64 = r.try_get("attempts")?;
                let start: i64 = r.try_get("window_start")?;
                (u64::try_from(n).unwrap_or(0), Timestamp(start).plus(window))
            }
            None => (0, now),
        })
    }

    /// Gives back a hit (an attempt that turned out to be a successful login).
    pub async fn release_window(self, address: &str) -> Result<()> {
        sqlx::query(
            "UPDATE address_guards SET attempts = attempts - 1 WHERE address = $1 AND attempts > 0",
        )
        .bind(address)
        .execute(self.db())
        .await?;
        Ok(())
    }

    /// Removes counters that no longer matter: address windows that ended, and lock state
    /// of IDs that are not locked and saw no attempt for a long time.
    pub async fn prune_guards(
        self,
        now: Timestamp,
        windows_before: Timestamp,
        idle_before: Timestamp,
    ) -> Result<()> {
        sqlx::query("DELETE FROM address_guards WHERE window_start < $1")
            .bind(windows_before.0)
            .execute(self.db())
            .await?;
        sqlx::query(
            "DELETE FROM login_guards WHERE updated_at < $1 AND (locked_until IS NULL OR locked_until <= $2) AND consecutive < 100",
        )
        .bind(idle_before.0)
        .bind(now.0)
        .execute(self.db())
        .await?;
        Ok(())
    }
}

impl Guards<&mut StoreTx> {
    /// Forgets the failure count and lock under `key`.
    pub async fn clear_guard(&mut self, key: &str) -> Result<()> {
        delete_guard(self.conn(), key).await
    }

    /// Lifts every lock of `login_id`: the counter of the ID itself and the counters of every
    /// browser in which it has logged in (`device:<hash>`). Says what was locked at `now`.
    pub async fn lift_locks(&mut self, login_id: &LoginId, now: Timestamp) -> Result<LiftedLocks> {
        let rows = sqlx::query(
            "DELETE FROM login_guards WHERE login_id = $1 \
             OR login_id IN (SELECT 'device:' || token_hash FROM devices WHERE login_id = $1) \
             RETURNING login_id, locked_until",
        )
        .bind(login_id.as_str())
        .fetch_all(self.conn())
        .await?;
        let mut lifted = LiftedLocks::default();
        for r in rows {
            let key: String = r.try_get("login_id")?;
            let until: Option<i64> = r.try_get("locked_until")?;
            if until.is_some_and(|u| u > now.0) {
                if key == login_id.as_str() {
                    lifted.id_was_locked = true;
                } else {
                    lifted.devices_were_locked += 1;
                }
            }
        }
        Ok(lifted)
    }
}

impl Guards<&mut StoreTx> {
    /// [`Guards::settle_success`] inside a transaction that writes more (a login's session):
    /// its first statement writes, so on SQLite it takes the write lock before anything else.
    pub async fn settle_success(
        &mut self,
        key: &str,
        policy: &LockoutPolicy,
        ticket: u32,
    ) -> Result<()> {
        let row = sqlx::query(&format!(
            "UPDATE login_guards SET updated_at = updated_at WHERE login_id = $1 \
             RETURNING {GUARD_COLUMNS}"
        ))
        .bind(key)
        .fetch_optional(self.conn())
        .await?;
        if let Some(row) = row {
            match policy.after_success(guard_from_row(&row)?, ticket) {
                None => delete_guard(self.conn(), key).await?,
                Some(s) => {
                    sqlx::query(
                        "UPDATE login_guards SET failures = $2, consecutive = $3 WHERE login_id = $1",
                    )
                    .bind(key)
                    .bind(i64::from(s.failures))
                    .bind(i64::from(s.consecutive))
                    .execute(self.conn())
                    .await?;
                }
            }
        }
        Ok(())
    }
}
