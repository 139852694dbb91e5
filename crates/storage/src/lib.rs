//! CCUS Portal storage. One [`Store`] over SQLite (embedded, the default) or PostgreSQL
//! (several instances sharing one database). Every piece of security state — lock counters,
//! sessions, the access history, the application secret — lives here and nowhere else, so
//! instances behind a load balancer behave as one.
//!
//! Both databases run the same SQL (numbered `$n` parameters, `ON CONFLICT`, `RETURNING`,
//! integers for times); only the migrations differ. Atomic read-modify-write of lock state
//! uses a transaction whose *first* statement is an upsert: on PostgreSQL it takes the row
//! lock, on SQLite the database write lock, so concurrent attempts are serialised and never
//! undercount.

mod inquiries;
mod lookup;
mod migrate;
mod outbox;
mod public_info;
mod recovery;
mod staff;
pub mod testdb;

pub use inquiries::{Inquiry, InquiryFile, InquiryNote, InquiryStatus, NewInquiry, NewInquiryFile};
pub use lookup::Lookup;
pub use outbox::{MailStatus, NewMail, OutboxMail, OutboxRow};
pub use public_info::{FaqEntry, MaintenanceWindow, Notice};
pub use recovery::{SessionInfo, TokenPurpose, TokenRecord};
pub use staff::{AuditEntry, NewStaff, Staff, StaffRole, StaffSession};

use std::time::Duration;

use ccus_domain::{
    AccessEventKind, AccountKind, AttemptDecision, GuardState, LockoutPolicy, LoginId, Timestamp,
};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database cannot be reached or is overloaded; callers answer 503.
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// A unique key already exists.
    #[error("already exists")]
    Conflict,
    #[error("unsupported database URL {0:?} (use sqlite://… or postgres://…)")]
    BadUrl(String),
    #[error("could not prepare the database directory: {0}")]
    Directory(#[source] std::io::Error),
    #[error("stored data is not valid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
            | sqlx::Error::Tls(_) => StoreError::Unavailable(e),
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict,
            sqlx::Error::Database(db) => {
                // SQLITE_BUSY / SQLITE_LOCKED, PostgreSQL admin shutdown / too many connections.
                let code = db.code().map(|c| c.into_owned()).unwrap_or_default();
                if matches!(
                    code.as_str(),
                    "5" | "6" | "517" | "57P01" | "53300" | "57P03"
                ) {
                    StoreError::Unavailable(e)
                } else {
                    StoreError::Database(e)
                }
            }
            _ => StoreError::Database(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A stored account.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub login_id: LoginId,
    pub name: String,
    pub email: String,
    pub password_hash: String,
    pub created_at: Timestamp,
    /// Set for an initial password: it must be replaced before anything else.
    pub must_change_password: bool,
    pub profile: Profile,
}

/// What the helpdesk looks an account up by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// フリガナ as entered.
    pub furigana: String,
    /// 生年月日, `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    /// For a technician: the business account they work for.
    pub employer_id: Option<i64>,
}

impl Account {
    pub fn kind(&self) -> AccountKind {
        self.login_id.kind()
    }
}

/// What is needed to create an account; hashes are made by the caller.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub login_id: LoginId,
    pub name: String,
    pub email: String,
    pub password_hash: String,
    pub security_code_hash: String,
    pub must_change_password: bool,
    pub profile: Profile,
}

/// One row of the access history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEvent {
    pub at: Timestamp,
    pub kind: AccessEventKind,
    pub client_address: String,
    pub user_agent: String,
}

/// A session found by its token hash, with its account.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub token_hash: String,
    pub account: Account,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
}

/// Where a session was opened from (also recorded for access events).
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub address: String,
    pub user_agent: String,
}

/// The database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

pub(crate) const ACCOUNT_COLUMNS: &str =
    "a.id, a.login_id, a.name, a.email, a.password_hash, a.created_at, \
     a.must_change_password, a.furigana, a.birth_date, a.employer_id";
pub(crate) const ACCOUNT_WIDTH: usize = 10;

/// Longest user agent kept; the rest is cut (it is shown, never trusted).
const MAX_USER_AGENT: usize = 400;

impl Store {
    /// Connects to `database_url` (`sqlite://path` or `postgres://…`). For SQLite the file
    /// and its folder are created when missing. Does not migrate; call [`Store::migrate`].
    pub async fn connect(database_url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if let Some(rest) = database_url
            .strip_prefix("sqlite://")
            .or_else(|| database_url.strip_prefix("sqlite:"))
        {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(StoreError::BadUrl(database_url.to_owned()));
            }
            if let Some(parent) = std::path::Path::new(path).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent).map_err(StoreError::Directory)?;
                }
            }
            (Backend::Sqlite, format!("sqlite://{path}?mode=rwc"))
        } else if database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://")
        {
            (Backend::Postgres, database_url.to_owned())
        } else {
            return Err(StoreError::BadUrl(database_url.to_owned()));
        };
        let options = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 8,
                Backend::Postgres => 16,
            })
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; NORMAL is durable across
                        // process crashes in WAL mode; busy_timeout queues writers instead of
                        // failing them.
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = NORMAL",
                            "PRAGMA busy_timeout = 10000",
                            "PRAGMA foreign_keys = ON",
                        ] {
                            sqlx::Executor::execute(&mut *conn, pragma).await?;
                        }
                    }
                    Ok(())
                })
            });
        let pool = options.connect(&url).await?;
        Ok(Store { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Brings the schema up to date. Safe to run from several instances at once.
    pub async fn migrate(&self) -> Result<()> {
        migrate::run(&self.pool, self.backend).await
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Is the database reachable? (for `/readyz`)
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    // ---- application secret ------------------------------------------------------------

    /// Returns the named secret, creating it from `make` the first time. Every instance sees
    /// the same value (the first writer wins).
    pub async fn secret(&self, name: &str, make: impl FnOnce() -> String) -> Result<String> {
        sqlx::query(
            "INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(make())
        .execute(&self.pool)
        .await?;
        let row = sqlx::query("SELECT value FROM app_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<String, _>(0)?)
    }

    // ---- accounts ----------------------------------------------------------------------

    /// Creates an account. [`StoreError::Conflict`] when the login ID is taken.
    pub async fn create_account(&self, new: &NewAccount, now: Timestamp) -> Result<Account> {
        let mut tx = self.begin().await?;
        let a = tx.create_account(new, now).await?;
        tx.commit().await?;
        Ok(a)
    }

    pub async fn account_by_login_id(&self, login_id: &LoginId) -> Result<Option<Account>> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.login_id = $1"
        ))
        .bind(login_id.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| account_from_row(&r, 0)).transpose()
    }

    /// Replaces the password hash (rehash with new parameters, or a password change).
    pub async fn set_password_hash(
        &self,
        account_id: i64,
        hash: &str,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(now.0)
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    // ---- lockout -----------------------------------------------------------------------

    /// Reserves one login attempt for `login_id` under `policy` (see
    /// [`ccus_domain::lockout`]): atomically reads the lock state, applies the policy and
    /// stores the result. Concurrent calls are serialised by the database.
    pub async fn begin_attempt(
        &self,
        key: &str,
        policy: &LockoutPolicy,
        now: Timestamp,
    ) -> Result<AttemptDecision> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "INSERT INTO login_guards (login_id, updated_at) VALUES ($1, $2) \
             ON CONFLICT (login_id) DO UPDATE SET updated_at = excluded.updated_at \
             RETURNING failures, consecutive, locks, locked_until, refused",
        )
        .bind(key)
        .bind(now.0)
        .fetch_one(&mut *tx)
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
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(decision)
    }

    /// The attempt holding `ticket` succeeded: settle it under `policy` (see
    /// [`LockoutPolicy::after_success`]) atomically.
    pub async fn settle_success(
        &self,
        key: &str,
        policy: &LockoutPolicy,
        ticket: u32,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "UPDATE login_guards SET updated_at = updated_at WHERE login_id = $1 \
             RETURNING failures, consecutive, locks, locked_until, refused",
        )
        .bind(key)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = row {
            match policy.after_success(guard_from_row(&row)?, ticket) {
                None => {
                    sqlx::query("DELETE FROM login_guards WHERE login_id = $1")
                        .bind(key)
                        .execute(&mut *tx)
                        .await?;
                }
                Some(s) => {
                    sqlx::query("UPDATE login_guards SET failures = $2, consecutive = $3 WHERE login_id = $1")
                        .bind(key)
                        .bind(i64::from(s.failures))
                        .bind(i64::from(s.consecutive))
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(())
    }

    /// Forgets the failure count, locks and growth under `key`.
    pub async fn clear_guard(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_guards WHERE login_id = $1")
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The lock of every browser in which `login_id` has logged in (device counters) that is
    /// still in force at `now`: how many, and the latest end.
    pub async fn device_locks(&self, login_id: &LoginId, now: Timestamp) -> Result<DeviceLocks> {
        let rows = sqlx::query(
            "SELECT g.locked_until AS locked_until FROM login_guards g \
             JOIN devices d ON g.login_id = 'device:' || d.token_hash \
             WHERE d.login_id = $1 AND g.locked_until IS NOT NULL AND g.locked_until > $2",
        )
        .bind(login_id.as_str())
        .bind(now.0)
        .fetch_all(&self.pool)
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
    pub async fn guard_state(&self, key: &str) -> Result<GuardState> {
        let row = sqlx::query(
            "SELECT failures, consecutive, locks, locked_until, refused FROM login_guards WHERE login_id = $1",
        )
        .bind(key)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| guard_from_row(&r))
            .transpose()
            .map(Option::unwrap_or_default)
    }

    /// Counts one hit under `key` (e.g. a client address) within a fixed window; returns how
    /// many hits (including this one) the key has had in the current window.
    pub async fn hit_window(&self, key: &str, window: Duration, now: Timestamp) -> Result<u64> {
        let row = sqlx::query(
            "INSERT INTO address_guards (address, window_start, attempts) VALUES ($1, $2, 1) \
             ON CONFLICT (address) DO UPDATE SET \
               attempts = CASE WHEN address_guards.window_start <= $3 THEN 1 ELSE address_guards.attempts + 1 END, \
               window_start = CASE WHEN address_guards.window_start <= $3 THEN $2 ELSE address_guards.window_start END \
             RETURNING attempts",
        )
        .bind(key)
        .bind(now.0)
        .bind(now.minus(window).0)
        .fetch_one(&self.pool)
        .await?;
        let n: i64 = row.try_get(0)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Gives back a hit (an attempt that turned out to be a successful login).
    pub async fn release_window(&self, address: &str) -> Result<()> {
        sqlx::query(
            "UPDATE address_guards SET attempts = attempts - 1 WHERE address = $1 AND attempts > 0",
        )
        .bind(address)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Removes counters that no longer matter: address windows that ended, and lock state
    /// of IDs that are not locked and saw no attempt for a long time.
    pub async fn prune_guards(
        &self,
        now: Timestamp,
        windows_before: Timestamp,
        idle_before: Timestamp,
    ) -> Result<()> {
        sqlx::query("DELETE FROM address_guards WHERE window_start < $1")
            .bind(windows_before.0)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "DELETE FROM login_guards WHERE updated_at < $1 AND (locked_until IS NULL OR locked_until <= $2) AND consecutive < 100",
        )
        .bind(idle_before.0)
        .bind(now.0)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The stored hash of an account's 本人確認番号.
    pub async fn security_code_hash(&self, account_id: i64) -> Result<String> {
        let row = sqlx::query("SELECT security_code_hash FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get(0)?)
    }

    // ---- sessions ----------------------------------------------------------------------

    pub async fn create_session(
        &self,
        token_hash: &str,
        account_id: i64,
        client: &ClientInfo,
        now: Timestamp,
    ) -> Result<()> {
        insert_session(&self.pool, token_hash, account_id, client, now).await
    }

    pub async fn session(&self, token_hash: &str) -> Result<Option<SessionRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, s.token_hash, s.created_at, s.last_seen_at \
             FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(SessionRecord {
            account: account_from_row(&r, 0)?,
            token_hash: r.try_get(ACCOUNT_WIDTH)?,
            created_at: Timestamp(r.try_get(ACCOUNT_WIDTH + 1)?),
            last_seen_at: Timestamp(r.try_get(ACCOUNT_WIDTH + 2)?),
        }))
    }

    /// Records activity on a session (called at most about once a minute per session).
    pub async fn touch_session(&self, token_hash: &str, now: Timestamp) -> Result<()> {
        sqlx::query(
            "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at < $1",
        )
        .bind(now.0)
        .bind(token_hash)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Ends one session; returns whether it existed.
    pub async fn delete_session(&self, token_hash: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    /// Ends every session of an account; returns how many ended.
    pub async fn delete_sessions_of(&self, account_id: i64) -> Result<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }

    /// Removes sessions nobody can use any more; returns how many.
    pub async fn delete_expired_sessions(
        &self,
        idle_before: Timestamp,
        created_before: Timestamp,
    ) -> Result<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(idle_before.0)
            .bind(created_before.0)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected())
    }

    // ---- access history ------------------------------------------------------------------

    /// Records a security event for an entered ID (whether or not an account has it, so that
    /// existing and non-existing IDs cost the same).
    pub async fn record_event(
        &self,
        login_id: &LoginId,
        kind: AccessEventKind,
        client: &ClientInfo,
        now: Timestamp,
    ) -> Result<()> {
        insert_event(&self.pool, login_id, kind, client, now).await
    }

    /// An account's history, newest first: `limit` rows after skipping `offset`.
    /// Events recorded before the account existed are never shown to it.
    pub async fn access_history(
        &self,
        account: &Account,
        offset: u64,
        limit: u64,
    ) -> Result<Vec<AccessEvent>> {
        let rows = sqlx::query(
            "SELECT at, event, client_address, user_agent FROM access_events \
             WHERE login_id = $1 AND at >= $2 ORDER BY at DESC, id DESC LIMIT $3 OFFSET $4",
        )
        .bind(account.login_id.as_str())
        .bind(account.created_at.0)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let name: String = r.try_get(1)?;
                Ok(AccessEvent {
                    at: Timestamp(r.try_get(0)?),
                    kind: AccessEventKind::parse(&name)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown event {name:?}")))?,
                    client_address: r.try_get(2)?,
                    user_agent: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// How many history rows an account has (for pagination).
    pub async fn access_history_len(&self, account: &Account) -> Result<u64> {
        let row =
            sqlx::query("SELECT COUNT(*) FROM access_events WHERE login_id = $1 AND at >= $2")
                .bind(account.login_id.as_str())
                .bind(account.created_at.0)
                .fetch_one(&self.pool)
                .await?;
        let n: i64 = row.try_get(0)?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// Several writes that stand or fall together (an event and the mail it causes, a password
/// and the end of every session…). Dropped without [`StoreTx::commit`], nothing is written.
pub struct StoreTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
}

impl Store {
    pub async fn begin(&self) -> Result<StoreTx> {
        Ok(StoreTx {
            tx: self.pool.begin().await?,
        })
    }
}

impl StoreTx {
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        Ok(())
    }

    pub async fn create_account(&mut self, new: &NewAccount, now: Timestamp) -> Result<Account> {
        let row = sqlx::query(
            "INSERT INTO accounts (login_id, kind, name, email, password_hash, security_code_hash, created_at, updated_at, must_change_password, \
                                   furigana, name_key, furigana_key, birth_date, employer_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(new.login_id.as_str())
        .bind(new.login_id.kind().as_str())
        .bind(&new.name)
        .bind(&new.email)
        .bind(&new.password_hash)
        .bind(&new.security_code_hash)
        .bind(now.0)
        .bind(i64::from(new.must_change_password))
        .bind(&new.profile.furigana)
        .bind(ccus_domain::profile::search_key(&new.name))
        .bind(ccus_domain::profile::search_key(&new.profile.furigana))
        .bind(new.profile.birth_date.as_deref())
        .bind(new.profile.employer_id)
        .fetch_one(&mut *self.tx)
        .await?;
        Ok(Account {
            id: row.try_get(0)?,
            login_id: new.login_id.clone(),
            name: new.name.clone(),
            email: new.email.clone(),
            password_hash: new.password_hash.clone(),
            created_at: now,
            must_change_password: new.must_change_password,
            profile: new.profile.clone(),
        })
    }

    pub async fn record_event(
        &mut self,
        login_id: &LoginId,
        kind: AccessEventKind,
        client: &ClientInfo,
        now: Timestamp,
    ) -> Result<()> {
        insert_event(&mut *self.tx, login_id, kind, client, now).await
    }

    /// Sets a new password hash; `must_change` marks it as an initial password.
    pub async fn set_password(
        &mut self,
        account_id: i64,
        hash: &str,
        must_change: bool,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query("UPDATE accounts SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4")
            .bind(hash)
            .bind(i64::from(must_change))
            .bind(now.0)
            .bind(account_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    pub async fn set_email(&mut self, account_id: i64, email: &str, now: Timestamp) -> Result<()> {
        sqlx::query("UPDATE accounts SET email = $1, updated_at = $2 WHERE id = $3")
            .bind(email)
            .bind(now.0)
            .bind(account_id)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
    }

    /// Ends every session of an account except `keep` (a token hash); returns how many ended.
    pub async fn delete_sessions_of(&mut self, account_id: i64, keep: Option<&str>) -> Result<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2")
            .bind(account_id)
            .bind(keep.unwrap_or(""))
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected())
    }

    pub async fn create_session(
        &mut self,
        token_hash: &str,
        account_id: i64,
        client: &ClientInfo,
        now: Timestamp,
    ) -> Result<()> {
        insert_session(&mut *self.tx, token_hash, account_id, client, now).await
    }

    /// Ends one session; returns whether it existed.
    pub async fn delete_session(&mut self, token_hash: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *self.tx)
            .await?;
        Ok(r.rows_affected() > 0)
    }

    /// Forgets the failure count and lock under `key`.
    pub async fn clear_guard(&mut self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_guards WHERE login_id = $1")
            .bind(key)
            .execute(&mut *self.tx)
            .await?;
        Ok(())
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
        .fetch_all(&mut *self.tx)
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

/// What [`StoreTx::lift_locks`] found locked.
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

/// Locks in force on the owner's own browsers (see [`Store::device_locks`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeviceLocks {
    pub count: u32,
    pub latest_until: Option<Timestamp>,
}

async fn insert_session<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    e: E,
    token_hash: &str,
    account_id: i64,
    client: &ClientInfo,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, created_at, last_seen_at, client_address, user_agent) \
         VALUES ($1, $2, $3, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(account_id)
    .bind(now.0)
    .bind(&client.address)
    .bind(truncate(&client.user_agent, MAX_USER_AGENT))
    .execute(e)
    .await?;
    Ok(())
}

async fn insert_event<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    e: E,
    login_id: &LoginId,
    kind: AccessEventKind,
    client: &ClientInfo,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO access_events (login_id, at, event, client_address, user_agent) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(login_id.as_str())
    .bind(now.0)
    .bind(kind.as_str())
    .bind(&client.address)
    .bind(truncate(&client.user_agent, MAX_USER_AGENT))
    .execute(e)
    .await?;
    Ok(())
}

fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

pub(crate) fn account_from_row(r: &AnyRow, at: usize) -> Result<Account> {
    let login: String = r.try_get(at + 1)?;
    let login_id = LoginId::parse(&login)
        .map_err(|e| StoreError::Corrupt(format!("login id {login:?}: {e}")))?;
    Ok(Account {
        id: r.try_get(at)?,
        login_id,
        name: r.try_get(at + 2)?,
        email: r.try_get(at + 3)?,
        password_hash: r.try_get(at + 4)?,
        created_at: Timestamp(r.try_get(at + 5)?),
        must_change_password: r.try_get::<i64, _>(at + 6)? != 0,
        profile: Profile {
            furigana: r.try_get(at + 7)?,
            birth_date: r.try_get(at + 8)?,
            employer_id: r.try_get(at + 9)?,
        },
    })
}

fn guard_from_row(r: &AnyRow) -> Result<GuardState> {
    let small = |i: usize| -> Result<u32> {
        let v: i64 = r.try_get(i)?;
        Ok(u32::try_from(v.max(0)).unwrap_or(u32::MAX))
    };
    let refused: i64 = r.try_get(4)?;
    Ok(GuardState {
        failures: small(0)?,
        consecutive: small(1)?,
        locks: small(2)?,
        locked_until: r.try_get::<Option<i64>, _>(3)?.map(Timestamp),
        refused: u64::try_from(refused.max(0)).unwrap_or(0),
    })
}
