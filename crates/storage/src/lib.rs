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
//!
//! Columns are always read by name (`row.try_get("column")`), never by position, so a query
//! can gain or reorder columns without silently shifting what is read. A write that both
//! the pool and a transaction offer is written once, in a helper generic over the executor or
//! as the transaction method run in its own transaction.
//!
//! The tables are reached through one repository per context, never through [`Store`] itself:
//! `store.accounts()` over the pool, `tx.accounts()` inside a [`StoreTx`]. [`Store`] keeps only
//! the kernel (connecting, migrating, transactions, secrets, the session-end hooks). The
//! repositories and their modules: [`Accounts`] (`accounts`), [`Applicants`] and
//! [`Registrations`] (`applicants`, `registration`), [`Guards`] (lock counters and address
//! windows), [`Sessions`], [`History`] (the access history), [`Recovery`] (mailed links and
//! device cookies), [`Lookups`], [`StaffMembers`] (`staff`), [`Audits`] (`audit`: every
//! actor's audit log), [`Organisations`] (`org`), [`Outbox`], [`PublicInfo`], [`Inquiries`],
//! [`Passkeys`], [`Languages`], [`Sites`], [`Placements`], [`Listings`], [`Records`] (`records`:
//! 就業履歴), [`Api`] (`api`: the partner API's clients, tokens and grants), [`Oidc`] (`oidc`: 「CCUSでログイン」); `migrate` holds the
//! embedded schema. A new context adds its
//! module and one line to `repositories!` below.

mod accounts;
mod api;
mod applicants;
mod audit;
pub mod backup;
mod budget;
pub mod generated;
pub mod generated_records;
mod guards;
mod history;
mod inquiries;
mod languages;
mod listings;
mod lookup;
mod migrate;
mod oidc;
mod org;
mod outbox;
mod passkeys;
mod placements;
mod public_info;
mod records;
mod recovery;
mod registration;
mod replicas;
mod session_ends;
mod sessions;
mod sites;
mod staff;
pub mod testdb;

pub use accounts::{Account, Credentials, NewAccount, Profile};
pub use api::{
    client_reader_key, ApiClient, ApiCode, ApiGrant, ApiTokenRow, IdempotencyClaim, NewApiClient,
};
pub use audit::{AuditScope, NewAuditEntry, StoredAuditEntry};
pub use budget::{BudgetStats, DbTimeouts};
pub use guards::{DeviceLocks, LiftedLocks};
pub use history::AccessEvent;
pub use inquiries::{Inquiry, InquiryFile, InquiryNote, InquiryStatus, NewInquiry, NewInquiryFile};
pub use listings::{ListedSite, Listing, ListingFields, Pattern};
pub use lookup::Lookup;
pub use oidc::{CodeUse, OidcCode, OidcConsent, OidcKey, RefreshUse};
pub use org::{AffiliationRequest, Member};
pub use outbox::{HandOver, MailStatus, NewMail, OutboxMail, OutboxRow};
pub use passkeys::{PasskeyOwner, StoredPasskey};
pub use placements::{Agreement, OpenRequest, Placement};
pub use public_info::{FaqEntry, MaintenanceWindow, Notice};
pub use records::{
    BusinessRecord, Card, FoldedTouches, NewTouch, PendingCorrection, PendingRecord, Reader,
    ReaderAuth, RosterLine, RosterSnapshot, SiteRecordRow, UnplacedDay, UnplacedTouch, WorkRecord,
};
pub use recovery::{TokenPurpose, TokenRecord};
pub use registration::{
    Applicant, ApplicantSession, Application, ApplicationConsent, ApplicationDocument, Defect,
};
pub use replicas::{on_primary, probe_replica, ReplicaProbe, ReplicaStats};
pub use session_ends::{listen_for_session_ends, Listening, SessionEnd, SESSION_CHANNEL};
pub use sessions::{SessionInfo, SessionRecord};
pub use sites::{Contract, Party, Site, SiteFields, SiteListRow, SiteQuery};
pub use staff::{NewStaff, Staff, StaffRole, StaffSession};

use std::sync::Arc;

use budget::{Budget, Timed};
use sqlx::any::AnyPoolOptions;
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
    /// A migration was edited after this database applied it: the schema the code expects
    /// may not be the one the database has. Restore the migration and add a new one instead.
    #[error(
        "migration {version} differs from the one this database applied \
         (applied checksum {applied}, embedded {embedded}); \
         restore the original migration and put the change in a new one"
    )]
    MigrationChanged {
        version: i64,
        applied: String,
        embedded: String,
    },
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict,
            _ if budget::is_outage(&e) => StoreError::Unavailable(e),
            _ => StoreError::Database(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Where a session was opened from (also recorded for access events).
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub address: String,
    pub user_agent: String,
}

/// Longest user agent kept; the rest is cut (it is shown, never trusted).
const MAX_USER_AGENT: usize = 400;

impl ClientInfo {
    /// The user agent as stored: at most [`MAX_USER_AGENT`] bytes, cut at a character.
    pub(crate) fn stored_user_agent(&self) -> &str {
        let s = self.user_agent.as_str();
        if s.len() <= MAX_USER_AGENT {
            return s;
        }
        let mut end = MAX_USER_AGENT;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        &s[..end]
    }
}

/// The database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    budget: Arc<Budget>,
    maintenance: Arc<public_info::MaintenanceCache>,
    ends: Arc<session_ends::SessionEnds>,
    /// The URL connected to, for a connection of its own (PostgreSQL's COPY for bulk loads).
    url: Arc<str>,
    /// Streaming replicas for reads that tolerate a second of staleness; none by default.
    replicas: Arc<replicas::Replicas>,
}

impl Store {
    /// Connects to `database_url` (`sqlite://path` or `postgres://…`). For SQLite the file
    /// and its folder are created when missing. Does not migrate; call [`Store::migrate`].
    /// Uses the default [`DbTimeouts`].
    pub async fn connect(database_url: &str) -> Result<Store> {
        Store::connect_with(database_url, DbTimeouts::default()).await
    }

    /// [`Store::connect`] with other time limits.
    pub async fn connect_with(database_url: &str, timeouts: DbTimeouts) -> Result<Store> {
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
            .acquire_timeout(timeouts.acquire)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // busy_timeout first: it queues writers instead of failing them, also
                        // while this new connection switches to WAL beside another instance's
                        // write. WAL lets readers run beside the writer; NORMAL is durable
                        // across process crashes in WAL mode.
                        for pragma in [
                            "PRAGMA busy_timeout = 10000",
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = NORMAL",
                            "PRAGMA foreign_keys = ON",
                        ] {
                            sqlx::Executor::execute(&mut *conn, pragma).await?;
                        }
                    } else {
                        // JIT compiling pays off only for long analytic queries, which the
                        // portal does not run; for a page it costs more than it saves.
                        sqlx::Executor::execute(&mut *conn, "SET jit = off").await?;
                    }
                    Ok(())
                })
            });
        let pool = options.connect(&url).await?;
        let ends = match backend {
            // One process per SQLite file: stores of the same file share their hooks.
            Backend::Sqlite => session_ends::SessionEnds::of_file(&url),
            Backend::Postgres => Arc::default(),
        };
        Ok(Store {
            url: Arc::from(url.as_str()),
            pool,
            backend,
            budget: Arc::new(Budget::new(timeouts)),
            maintenance: Arc::default(),
            ends,
            replicas: Arc::default(),
        })
    }

    /// Sends the reads that tolerate staleness (record pages, statements, site searches) to
    /// these PostgreSQL streaming replicas while they are at most `max_lag` behind; see
    /// `replicas`. Every clone of this store shares them. Call once, on PostgreSQL.
    pub fn attach_replicas(&self, urls: &[String], max_lag: std::time::Duration) -> Result<()> {
        if urls.is_empty() {
            return Ok(());
        }
        if self.backend != Backend::Postgres {
            return Err(StoreError::BadUrl(
                "read replicas need a PostgreSQL primary".into(),
            ));
        }
        self.replicas
            .attach(&self.url, urls, max_lag, self.budget.limits())
    }

    /// The replicas' state and the reads that went to the primary for want of a fresh one.
    pub fn replica_stats(&self) -> (Vec<ReplicaStats>, u64) {
        self.replicas.stats()
    }

    /// A fresh replica for a read that tolerates staleness, if any (see `replicas::read!`).
    pub(crate) fn replica_for_read(&self) -> Option<Arc<replicas::Replica>> {
        self.replicas.pick()
    }

    /// The pool's connections (open, idle) and what the time budget has seen, for the metrics.
    pub fn db_stats(&self) -> (u32, usize, BudgetStats) {
        (self.pool.size(), self.pool.num_idle(), self.budget.stats())
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The time limits this store was opened with.
    pub fn timeouts(&self) -> DbTimeouts {
        self.budget.limits()
    }

    /// Test fault: while set, every database call of this store (and its clones) behaves as
    /// if the database had stopped answering — it waits out the query budget and fails.
    #[doc(hidden)]
    pub fn simulate_silent_database(&self, silent: bool) {
        self.budget.set_stalled(silent);
    }

    /// The pool as an executor whose calls run within the time budget and the breaker.
    pub(crate) fn db(&self) -> Timed<'_, &AnyPool> {
        Timed {
            inner: &self.pool,
            budget: &self.budget,
        }
    }

    /// Brings the schema up to date. Safe to run from several instances at once. Refuses
    /// with [`StoreError::MigrationChanged`] when an applied migration has since been edited.
    pub async fn migrate(&self) -> Result<()> {
        migrate::run(&self.pool, self.backend).await
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.replicas.close().await;
        self.pool.close().await;
    }

    /// Is the database reachable? (for `/readyz`)
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(self.db()).await?;
        Ok(())
    }

    /// Returns the named secret, creating it from `make` the first time. Every instance sees
    /// the same value (the first writer wins).
    pub async fn secret(&self, name: &str, make: impl FnOnce() -> String) -> Result<String> {
        sqlx::query(
            "INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(make())
        .execute(self.db())
        .await?;
        let row = sqlx::query("SELECT value FROM app_secrets WHERE name = $1")
            .bind(name)
            .fetch_one(self.db())
            .await?;
        Ok(row.try_get("value")?)
    }

    /// Starts a transaction; see [`StoreTx`].
    pub async fn begin(&self) -> Result<StoreTx> {
        Ok(StoreTx {
            tx: self.budget.run(self.pool.begin()).await?,
            budget: self.budget.clone(),
            maintenance: self.maintenance.clone(),
            maintenance_changed: false,
            backend: self.backend,
            ends: self.ends.clone(),
            ended: Vec::new(),
        })
    }

    /// Starts a transaction that writes. On SQLite it takes the write lock at its start
    /// (`BEGIN IMMEDIATE`, waiting its turn like any writer): a transaction that reads before
    /// its first write — an insert into `accounts` does, for its full-text index — would
    /// otherwise be refused at once ("database is locked") when another writer came between.
    /// On PostgreSQL the same as [`Store::begin`].
    pub async fn begin_write(&self) -> Result<StoreTx> {
        let tx = match self.backend {
            Backend::Sqlite => {
                self.budget
                    .run(self.pool.begin_with("BEGIN IMMEDIATE"))
                    .await?
            }
            Backend::Postgres => self.budget.run(self.pool.begin()).await?,
        };
        Ok(StoreTx {
            tx,
            budget: self.budget.clone(),
            maintenance: self.maintenance.clone(),
            maintenance_changed: false,
            backend: self.backend,
            ends: self.ends.clone(),
            ended: Vec::new(),
        })
    }

    /// A transaction for bulk loading (`ccus admin generate`): on SQLite its connection keeps a
    /// 128 MiB page cache, so index pages are not written out and read back between batches.
    pub(crate) async fn begin_bulk(&self) -> Result<StoreTx> {
        let mut tx = self.begin().await?;
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA cache_size = -131072")
                .execute(tx.conn())
                .await?;
        }
        Ok(tx)
    }
}

/// Several writes that stand or fall together (an event and the mail it causes, a password
/// and the end of every session…). Dropped without [`StoreTx::commit`], nothing is written.
pub struct StoreTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    budget: Arc<Budget>,
    maintenance: Arc<public_info::MaintenanceCache>,
    /// A maintenance window was scheduled or cancelled: this instance forgets its cached one
    /// at commit.
    maintenance_changed: bool,
    backend: Backend,
    ends: Arc<session_ends::SessionEnds>,
    /// Sessions this transaction ends: this instance's hooks run at commit.
    ended: Vec<SessionEnd>,
}

impl StoreTx {
    pub async fn commit(self) -> Result<()> {
        let StoreTx {
            tx,
            budget,
            maintenance,
            maintenance_changed,
            backend: _,
            ends,
            ended,
        } = self;
        budget.run(tx.commit()).await?;
        if maintenance_changed {
            maintenance.forget();
        }
        for end in &ended {
            ends.fire(end);
        }
        Ok(())
    }

    /// The transaction's connection as an executor within the time budget and the breaker.
    /// PostgreSQL: this transaction's commit does not wait for the disk (for writes whose loss
    /// in a crash harms nothing, or that a durable commit after them flushes anyway).
    pub(crate) async fn without_flush(&mut self) -> Result<()> {
        sqlx::query("SET LOCAL synchronous_commit TO OFF")
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub(crate) fn conn(&mut self) -> Timed<'_, &mut sqlx::AnyConnection> {
        Timed {
            inner: &mut *self.tx,
            budget: &self.budget,
        }
    }
}

/// Declares the repositories: one per context (a group of tables and the rows read from them).
/// `store.accounts()` reads and writes over the pool, `tx.accounts()` inside a transaction; a
/// repository reaches the store's kernel (its pool, its transaction, the session-end hooks)
/// and no other context's methods except through their own repository.
macro_rules! repositories {
    ($($(#[$doc:meta])* $name:ident => $accessor:ident;)*) => {
        $(
            $(#[$doc])*
            #[derive(Clone, Copy)]
            pub struct $name<H>(H);

            impl Store {
                $(#[$doc])*
                pub fn $accessor(&self) -> $name<&Store> {
                    $name(self)
                }
            }

            impl StoreTx {
                $(#[$doc])*
                pub fn $accessor(&mut self) -> $name<&mut StoreTx> {
                    $name(self)
                }
            }

            impl std::ops::Deref for $name<&Store> {
                type Target = Store;
                fn deref(&self) -> &Store {
                    self.0
                }
            }

            impl std::ops::Deref for $name<&mut StoreTx> {
                type Target = StoreTx;
                fn deref(&self) -> &StoreTx {
                    self.0
                }
            }

            impl std::ops::DerefMut for $name<&mut StoreTx> {
                fn deref_mut(&mut self) -> &mut StoreTx {
                    self.0
                }
            }
        )*
    };
}

repositories! {
    /// Accounts: who may log in, their hashes and profile.
    Accounts => accounts;
    /// The partner API: clients, tokens, grants, idempotency keys.
    Api => api;
    /// 「CCUSでログイン」: signing keys, consents, codes and tokens of the login.
    Oidc => oidc;
    /// The application login of people applying to register.
    Applicants => applicants;
    /// Lock counters and address windows.
    Guards => guards;
    /// The access history.
    History => history;
    /// Inquiries to the helpdesk and their files.
    Inquiries => inquiries;
    /// The language of requests made without an account.
    Languages => languages;
    /// The helpdesk's account look-up.
    Lookups => lookup;
    /// Businesses: tiers, 管理者ID, affiliation and the 操作の記録.
    Organisations => org;
    /// The mail outbox.
    Outbox => outbox;
    /// Passkeys and their ceremonies.
    Passkeys => passkeys;
    /// お知らせ, FAQ and maintenance windows.
    PublicInfo => public_info;
    /// Mailed links, device cookies and the look-ups account recovery needs.
    Recovery => recovery;
    /// Applications to register, their documents, consents, screening and issuing.
    Registrations => registrations;
    /// Account sessions.
    Sessions => sessions;
    /// Staff members and their sessions.
    StaffMembers => staff;
    /// The audit log of every actor (the helpdesk's, and each business's 操作の記録).
    Audits => audit;
    /// 現場: sites, their contracts, the site list and fees.
    Sites => sites;
    /// 施工体制: each company's place in a site's tree, and 事業者間合意.
    Placements => placements;
    /// 作業員名簿, a technician's sites, and saved patterns.
    Listings => listings;
    /// 就業履歴: IC cards, site readers and their touches, work records, レベル standards.
    Records => records;
}
