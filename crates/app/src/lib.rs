//! The CCUS Portal application layer, between the front ends (`ccus-web`'s pages, the `ccus`
//! CLI, tests and benchmarks) and `ccus-storage`.
//!
//! A service takes plain inputs, opens the transaction, queues the mail, writes the access
//! history and the audit entry, and returns an outcome that says what happened
//! (`LoginOutcome::Locked { until }`), never an HTTP status. Every front end calls the same
//! service, so each flow exists once — with its timing equalisation and enumeration safety.
//!
//! Feature folders over a kernel (docs/architecture.md has the map):
//!
//! | area | module |
//! |---|---|
//! | logging in, passkeys, the console's sign-in, lifting a lock | [`auth`] |
//! | an account's own changes; creating accounts and staff | [`account`] |
//! | password reset, ID reminder | [`recovery`] |
//! | 管理者ID, tiers, 所属 | [`org`] |
//! | inquiries and their attachments | [`inquiries`] |
//! | applications, 登録審査, 登録完了 | [`registration`] |
//! | what staff do for people | [`helpdesk`] |
//! | 「ログインできない方へ」 | [`public`] |
//! | maintenance, notices, FAQ, generated data | [`ops`] |
//! | the partner API: clients, tokens, grants, idempotency | [`api`] |
//! | kernel: counting before a secret, hashing, admission, mailed links, mail parts, languages, config | [`guard`], [`hashing`], [`admission`], [`links`], [`mail`], [`i18n`], [`config`] |

pub mod account;
pub mod actor;
pub mod admission;
pub mod api;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod config;
pub mod error;
pub mod guard;
pub mod hashing;
pub mod helpdesk;
pub mod i18n;
pub mod inquiries;
pub mod links;
pub mod mail;
pub mod metrics;
pub mod ops;
pub mod org;
pub mod public;
pub mod records;
pub mod recovery;
pub mod registration;
pub mod sites;
pub mod staff_crypto;
pub mod tokens;

use std::sync::Arc;
use std::time::Duration;

use ccus_domain::{Clock, LockoutPolicy};
use ccus_storage::Store;

pub use ccus_storage::on_primary;
pub use config::Config;
pub use error::{AppError, AppResult};
use hashing::Hasher;

/// The application: configuration, database, clock, password hashing and the mail worker's
/// wake-up. Cheap to clone; one per process, shared by every front end.
#[derive(Clone)]
pub struct App(Arc<Inner>);

struct Inner {
    config: Config,
    store: Store,
    clock: Arc<dyn Clock>,
    hasher: Hasher,
    policy: LockoutPolicy,
    mail_waker: ccus_mail::MailWaker,
    sessions: Arc<auth::session_cache::SessionCache>,
    remote_keys: api::remote_keys::RemoteKeys,
    metrics: metrics::Metrics,
    /// Set when the process is stopping: `/readyz` answers 503 from then on.
    draining: std::sync::atomic::AtomicBool,
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Store(#[from] ccus_storage::StoreError),
    #[error(transparent)]
    Hash(#[from] hashing::HashError),
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Mail(#[from] ccus_mail::MailSetupError),
}

impl App {
    /// Builds the application over a migrated store. Nothing is written to the database.
    pub async fn new(
        config: Config,
        store: Store,
        clock: Arc<dyn Clock>,
    ) -> Result<App, StartError> {
        config.validate()?;
        let hashing_cfg = config.hashing.clone();
        let hasher = tokio::task::spawn_blocking(move || Hasher::new(&hashing_cfg))
            .await
            .map_err(|e| hashing::HashError::Failed(e.to_string()))??;
        let postgres = store.backend() == ccus_storage::Backend::Postgres;
        store.attach_replicas(&config.database.replicas, config.database.replica_max_lag)?;
        // On SQLite (one process) this instance's own evictions are all there are; on
        // PostgreSQL the cache is on only while the listener hears the other instances.
        let sessions = Arc::new(auth::session_cache::SessionCache::new(
            config.session.cache_ttl,
            !postgres,
        ));
        auth::session_cache::hook(&store, &sessions);
        if postgres && !config.session.cache_ttl.is_zero() {
            tokio::spawn(auth::session_cache::listen(
                config.database_url.clone(),
                Arc::downgrade(&sessions),
            ));
        }
        Ok(App(Arc::new(Inner {
            sessions,
            policy: config.lockout_policy(),
            config,
            store,
            clock,
            hasher,
            mail_waker: ccus_mail::MailWaker::default(),
            remote_keys: api::remote_keys::RemoteKeys::default(),
            metrics: metrics::Metrics::default(),
            draining: std::sync::atomic::AtomicBool::new(false),
        })))
    }

    pub fn config(&self) -> &Config {
        &self.0.config
    }
    /// The database, for the services of this crate.
    pub(crate) fn store(&self) -> &Store {
        &self.0.store
    }
    /// The database, for the command line, the test kit, tests and benchmarks; pages never
    /// use it (they call a service, which hands them read models, never storage rows).
    pub fn store_for_tools(&self) -> &Store {
        &self.0.store
    }
    pub fn clock(&self) -> &dyn Clock {
        self.0.clock.as_ref()
    }
    /// Deletes raw touches past `records.touch_retention` and finished inquiries past
    /// `inquiry.closed_retention`, a batch at a time until none is left (each batch short, so
    /// that the requests around it do not wait): (touches, inquiries) removed.
    pub async fn prune_retained(
        &self,
        now: ccus_domain::Timestamp,
    ) -> Result<(u64, u64), ccus_storage::StoreError> {
        const BATCH: u32 = 5_000;
        let cfg = self.config();
        let mut touches = 0;
        loop {
            let n = self
                .store()
                .records()
                .prune_touches(now.minus(cfg.records.touch_retention), BATCH)
                .await?;
            touches += n;
            if n < u64::from(BATCH) {
                break;
            }
        }
        let mut inquiries = 0;
        loop {
            let mut tx = self.store().begin_write().await?;
            let n = tx
                .inquiries()
                .delete_closed(now.minus(cfg.inquiry.closed_retention), 200)
                .await?;
            tx.commit().await?;
            inquiries += n;
            if n < 200 {
                break;
            }
        }
        Ok((touches, inquiries))
    }

    /// The process is stopping: from now on it is not ready (`/readyz`), while the requests in
    /// progress, and those a balancer still sends for a moment, are served.
    pub fn start_draining(&self) {
        self.0
            .draining
            .store(true, std::sync::atomic::Ordering::SeqCst);
    }
    pub fn draining(&self) -> bool {
        self.0.draining.load(std::sync::atomic::Ordering::SeqCst)
    }
    /// What this instance counts (served by the metrics address).
    pub fn metrics(&self) -> &metrics::Metrics {
        &self.0.metrics
    }
    /// The key sets clients publish at their own addresses, as this instance fetched them.
    pub(crate) fn remote_keys(&self) -> &api::remote_keys::RemoteKeys {
        &self.0.remote_keys
    }
    pub fn hasher(&self) -> &Hasher {
        &self.0.hasher
    }
    pub fn policy(&self) -> &LockoutPolicy {
        &self.0.policy
    }
    /// A random key kept in the database under `name`, made on first use, so every instance
    /// on the same database has the same one (the web's anti-forgery and challenge keys).
    pub async fn shared_key(&self, name: &str) -> Result<String, ccus_storage::StoreError> {
        self.0.store.secret(name, tokens::random_token).await
    }
    /// This instance's cache of resumed sessions.
    pub fn session_cache(&self) -> &auth::session_cache::SessionCache {
        &self.0.sessions
    }
    /// Call after committing a mail so it goes out at once.
    pub fn wake_mail(&self) {
        self.0.mail_waker.wake();
    }

    /// The first よくある質問 in each language, once per database and language (for a portal
    /// about to serve).
    pub async fn seed_faq(&self) -> Result<(), ccus_storage::StoreError> {
        self.0
            .store
            .public_info()
            .seed_faq(ops::faq_seed::ENTRIES)
            .await?;
        for (lang, entries) in [
            ("en", ops::faq_seed::ENTRIES_EN),
            ("easy", ops::faq_seed::ENTRIES_EASY),
        ] {
            let with_originals: Vec<(&str, &str, &str, &str)> = ops::faq_seed::ENTRIES
                .iter()
                .zip(entries)
                .map(|(ja, (c, q, a))| (ja.1, *c, *q, *a))
                .collect();
            self.0
                .store
                .public_info()
                .seed_faq_translations(lang, &with_originals)
                .await?;
        }
        Ok(())
    }

    /// Starts the outbox delivery worker for this instance.
    pub fn spawn_mail_delivery(
        &self,
    ) -> Result<ccus_mail::MailDelivery, ccus_mail::MailSetupError> {
        let mut mail = self.0.config.mail.clone();
        if mail.instance_id.is_empty() {
            mail.instance_id = default_instance_id(self.0.config.listen.port());
        }
        let d = ccus_mail::Deliverer::new(
            self.0.store.clone(),
            mail,
            self.0.clock.clone(),
            self.0.mail_waker.clone(),
        )?
        .with_stats(self.0.metrics.mail.clone());
        Ok(d.spawn())
    }

    /// Starts the clean-up that removes what nobody can use any more: expired sessions, old
    /// counters, orphan attachment files. The first pass runs at once, at start, so temporary
    /// upload files of an instance that was killed are gone before this one serves for long;
    /// then every ten minutes until the process ends. Each instance may run it (the deletes
    /// are idempotent, and uploads in progress on other instances are left alone).
    pub fn spawn_cleanup(&self) -> tokio::task::JoinHandle<()> {
        let app = self.clone();
        tokio::spawn(async move {
            app.clean_up_once().await;
            let every = Duration::from_secs(600);
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            loop {
                tick.tick().await;
                app.clean_up_once().await;
            }
        })
    }

    /// Deletes the access history older than `history.retention`, in small batches with a
    /// pause between them, so that logins never wait behind a long delete.
    pub async fn prune_history(
        &self,
        now: ccus_domain::Timestamp,
    ) -> Result<u64, ccus_storage::StoreError> {
        const BATCH: u32 = 5_000;
        let before = now.minus(self.config().history.retention);
        let mut removed = 0;
        loop {
            let n = self.store().history().prune_history(before, BATCH).await?;
            removed += n;
            if n < u64::from(BATCH) {
                return Ok(removed);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// One pass of the clean-up (also run at start); public for tests and operators.
    pub async fn clean_up_once(&self) {
        let now = self.clock().now();
        let s = &self.config().session;
        match self
            .store()
            .sessions()
            .delete_expired_sessions(now.minus(s.idle_timeout), now.minus(s.absolute_timeout))
            .await
        {
            Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "session clean-up failed; will retry"),
        }
        // A logged-out session would have timed out by now anyway.
        if let Err(e) = self
            .store()
            .sessions()
            .prune_ended_sessions(now.minus(s.absolute_timeout))
            .await
        {
            tracing::warn!(error = %e, "logout record clean-up failed; will retry");
        }
        let l = &self.config().lockout;
        let window = l
            .address_window
            .max(self.config().recovery.window)
            .max(self.config().registration.upload_window);
        if let Err(e) = self
            .store()
            .guards()
            .prune_guards(now, now.minus(window), now.minus(l.max_duration * 2))
            .await
        {
            tracing::warn!(error = %e, "guard clean-up failed; will retry");
        }
        let removed = &self.metrics().retention_removed;
        // Every retention step below finished: the pass counts as done (for the metrics).
        let mut retention_done = true;
        match self.prune_history(now).await {
            Ok(n) => {
                removed.add(&["access_history"], n);
                if n > 0 {
                    tracing::info!(removed = n, "old access history removed");
                }
            }
            Err(e) => {
                retention_done = false;
                tracing::warn!(error = %e, "history clean-up failed; will retry");
            }
        }
        // A returned application is warned about before it can be deleted.
        match registration::warn_before_deleting_returned(self).await {
            Ok(n) if n > 0 => {
                tracing::info!(warned = n, "applicants of returned applications warned")
            }
            Ok(_) => {}
            Err(e) => {
                retention_done = false;
                tracing::warn!(error = %e, "returned application warning failed; will retry");
            }
        }
        let r = &self.config().registration;
        match self
            .store()
            .registrations()
            .delete_stale_applications(
                now.minus(r.draft_retention),
                now.minus(r.closed_retention),
                now.minus(r.returned_retention),
                now.minus(r.returned_warning),
            )
            .await
        {
            Ok((n, files)) => {
                removed.add(&["applications"], n);
                let dir = std::path::Path::new(&self.config().inquiry.attachments_dir);
                for f in &files {
                    let _ = std::fs::remove_file(dir.join(f));
                }
                if n > 0 {
                    tracing::info!(
                        removed = n,
                        documents = files.len(),
                        "stale registration applications removed"
                    );
                }
            }
            Err(e) => {
                retention_done = false;
                tracing::warn!(error = %e, "registration clean-up failed; will retry");
            }
        }
        match attachments::sweep_orphans(
            self,
            attachments::upload_max_age(self.config()),
            attachments::STORED_GRACE,
        )
        .await
        {
            Ok(n) if n > 0 => tracing::info!(removed = n, "orphan attachment files removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "attachment clean-up failed; will retry"),
        }
        match self.prune_retained(now).await {
            Ok((t, q)) => {
                removed.add(&["touches"], t);
                removed.add(&["closed_inquiries"], q);
                if t + q > 0 {
                    tracing::info!(
                        touches = t,
                        inquiries = q,
                        "kept past their retention: removed"
                    );
                }
            }
            Err(e) => {
                retention_done = false;
                tracing::warn!(error = %e, "retention clean-up failed; will retry");
            }
        }
        if retention_done {
            self.metrics().cleanup_finished.store(
                self.clock().now().0 / 1000,
                std::sync::atomic::Ordering::Relaxed,
            );
        }
        let kept_for = self.config().api.idempotency_retention;
        let pruned = async {
            let mut tx = self.store().begin_write().await?;
            let mut n = tx.api().prune(now, now.minus(kept_for)).await?;
            n += tx
                .oidc()
                .prune(
                    now,
                    now.minus(crate::api::login::keys::PUBLISHED_AFTER_REPLACED),
                )
                .await?;
            tx.commit().await?;
            Ok::<u64, ccus_storage::StoreError>(n)
        };
        match pruned.await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "expired API tokens and answers removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "API clean-up failed; will retry"),
        }
    }
}

/// This machine's host name and the listening port: unique among instances (one port per
/// instance on a host) and the same after a restart.
fn default_instance_id(port: u16) -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_owned());
    format!("{host}:{port}")
}
