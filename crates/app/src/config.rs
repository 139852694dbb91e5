//! Configuration: every key has a default that serves one machine. The binary layers a TOML
//! file and `CCUS_*` environment variables over these defaults (see the README's table).

use std::net::SocketAddr;
use std::time::Duration;

use ccus_domain::LockoutPolicy;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Address and port to listen on.
    pub listen: SocketAddr,
    /// `sqlite://path` (default) or `postgres://…`.
    pub database_url: String,
    /// Time limits for database calls (how fast an outage is answered with 503).
    pub database: DatabaseConfig,
    /// The address users reach the portal at. Under `https://` cookies get `Secure` and the
    /// `__Host-` prefix and HSTS is sent.
    pub public_url: String,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_forwarded_for: bool,
    pub session: SessionConfig,
    pub lockout: LockoutConfig,
    pub hashing: HashingConfig,
    pub mail: ccus_mail::MailConfig,
    pub recovery: RecoveryConfig,
    pub maintenance: MaintenanceConfig,
    pub support: SupportConfig,
    pub staff: StaffConfig,
    pub inquiry: InquiryConfig,
    pub server: ServerConfig,
    pub history: HistoryConfig,
    pub registration: RegistrationConfig,
    pub api: ApiConfig,
    pub metrics: MetricsConfig,
    pub records: RecordsConfig,
}

/// The metrics (Prometheus text format at `/metrics`), on an address of their own.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsConfig {
    /// Where to serve them, e.g. `127.0.0.1:9464`; off when unset. Never the public port: the
    /// figures are for operators.
    pub listen: Option<std::net::SocketAddr>,
}

/// How long database calls may take. During an outage (the database refuses connections or
/// stops answering) a request answers 503 within `query_timeout`, and for `breaker_open_for`
/// after that requests needing the database answer 503 at once; then one request probes.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// Longest wait for a pooled connection, opening one included.
    #[serde(with = "humantime_serde")]
    pub acquire_timeout: Duration,
    /// Longest a single database call may take, the wait for a connection included.
    #[serde(with = "humantime_serde")]
    pub query_timeout: Duration,
    /// How long database calls are refused at once after one failed for lack of a database.
    #[serde(with = "humantime_serde")]
    pub breaker_open_for: Duration,
    /// PostgreSQL streaming replicas (`postgres://…` each) for the reads that tolerate a moment's
    /// staleness: record pages, statements and certificates, site searches. Writes, sessions,
    /// lock counters and tokens always use `database_url`. None by default. One URL may be
    /// given as a plain string.
    #[serde(deserialize_with = "one_or_many")]
    pub replicas: Vec<String>,
    /// A replica further behind the primary than this is left out until it catches up.
    #[serde(with = "humantime_serde")]
    pub replica_max_lag: Duration,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        let d = ccus_storage::DbTimeouts::default();
        DatabaseConfig {
            acquire_timeout: d.acquire,
            query_timeout: d.query,
            breaker_open_for: d.breaker_open_for,
            replicas: Vec::new(),
            replica_max_lag: Duration::from_secs(1),
        }
    }
}

/// A list of strings, or one string for a list of one (`CCUS_DATABASE__REPLICAS=postgres://…`).
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    Ok(match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    })
}

impl DatabaseConfig {
    /// The limits as the store takes them.
    pub fn timeouts(&self) -> ccus_storage::DbTimeouts {
        ccus_storage::DbTimeouts {
            acquire: self.acquire_timeout,
            query: self.query_timeout,
            breaker_open_for: self.breaker_open_for,
        }
    }
}

/// Registration applications (personal information: kept no longer than needed).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RegistrationConfig {
    /// A draft nobody has touched for this long is deleted with everything in it.
    #[serde(with = "humantime_serde")]
    pub draft_retention: Duration,
    /// A closed (withdrawn or refused) application is deleted this long after it closed.
    #[serde(with = "humantime_serde")]
    pub closed_retention: Duration,
    /// Open applications (draft, sent, returned or approved) one application login may hold.
    pub max_open_applications: u64,
    /// Open applications a business's 代行申請 login may hold (one per worker).
    pub max_open_proxy_applications: u64,
    /// Documents one application may carry, in all.
    pub max_documents: u64,
    /// Documents of one kind one application may carry (face photos: at most 3).
    pub max_documents_per_kind: u64,
    /// Uploads one application login may make per `upload_window` (counted in the database,
    /// so every instance agrees).
    pub upload_limit: u64,
    #[serde(with = "humantime_serde")]
    pub upload_window: Duration,
    /// A returned application (不備) not sent again is deleted this long after it was returned.
    #[serde(with = "humantime_serde")]
    pub returned_retention: Duration,
    /// Its applicant is warned by mail this long before.
    #[serde(with = "humantime_serde")]
    pub returned_warning: Duration,
}

impl Default for RegistrationConfig {
    fn default() -> Self {
        RegistrationConfig {
            draft_retention: Duration::from_secs(180 * 24 * 60 * 60),
            closed_retention: Duration::from_secs(90 * 24 * 60 * 60),
            max_open_applications: 3,
            max_open_proxy_applications: 500,
            max_documents: 20,
            max_documents_per_kind: 10,
            upload_limit: 60,
            upload_window: Duration::from_secs(60 * 60),
            returned_retention: Duration::from_secs(90 * 24 * 60 * 60),
            returned_warning: Duration::from_secs(14 * 24 * 60 * 60),
        }
    }
}

/// The partner API (`/oauth/token`, `/api/v1`).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ApiConfig {
    /// How long an access token lives.
    #[serde(with = "humantime_serde")]
    pub token_ttl: Duration,
    /// Calls one client may make per minute, across every instance; more are answered 429.
    pub calls_per_minute: u64,
    /// Failed proofs per minute naming one client, after which its token requests wait.
    pub failed_proofs_per_minute: u64,
    /// This portal is the sandbox: clients still in the `sandbox` state get tokens here.
    pub sandbox: bool,
    /// How long an `Idempotency-Key`'s answer is kept for retries.
    #[serde(with = "humantime_serde")]
    pub idempotency_retention: Duration,
    /// 「CCUSでログイン」: how long a refresh token lives (each use gives a new one).
    #[serde(with = "humantime_serde")]
    pub login_refresh_ttl: Duration,
    /// 「CCUSでログイン」: how old the ID-token signing key gets before a new one replaces it.
    #[serde(with = "humantime_serde")]
    pub login_key_rotation: Duration,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            token_ttl: Duration::from_secs(10 * 60),
            calls_per_minute: 1200,
            failed_proofs_per_minute: 60,
            sandbox: false,
            idempotency_retention: Duration::from_secs(24 * 60 * 60),
            login_refresh_ttl: Duration::from_secs(30 * 24 * 60 * 60),
            login_key_rotation: Duration::from_secs(30 * 24 * 60 * 60),
        }
    }
}

/// How long the access history is kept.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HistoryConfig {
    /// Events older than this are deleted by the periodic clean-up.
    #[serde(with = "humantime_serde")]
    pub retention: Duration,
}

impl Default for HistoryConfig {
    fn default() -> Self {
        HistoryConfig {
            // Three years.
            retention: Duration::from_secs(3 * 365 * 24 * 60 * 60),
        }
    }
}

/// Limits on connections, so that idle, slow or silent clients cannot hold the server.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// A client must send a request's headers within this time. It is also the longest a
    /// kept-alive connection may sit idle between requests.
    #[serde(with = "humantime_serde")]
    pub header_read_timeout: Duration,
    /// The longest pause between two pieces of a request's body (a stalled upload is cut off
    /// with a 4xx page).
    #[serde(with = "humantime_serde")]
    pub body_timeout: Duration,
    /// How late a body may start: for this long after its headers, a body need not have
    /// sent anything.
    #[serde(with = "humantime_serde")]
    pub body_grace: Duration,
    /// After [`ServerConfig::body_grace`], a body must keep up this average rate, in bytes
    /// per second: by `body_grace + t` at least `body_min_rate × t` bytes must have arrived.
    /// A body that falls behind is closed, even while the handler is not reading it.
    pub body_min_rate: u64,
    /// Every request's body must be complete within this time, however fast it goes.
    #[serde(with = "humantime_serde")]
    pub body_deadline: Duration,
    /// On SIGTERM, how long the instance keeps taking requests after `/readyz` begins to answer
    /// 503, so that a load balancer checking it stops sending new ones first.
    #[serde(with = "humantime_serde")]
    pub drain_delay: Duration,
    /// Most connections served at once. At the cap a connection that has not begun a request,
    /// else the one whose body arrives slowest, is closed to make room; only when every
    /// connection is handling a complete request is a new one answered 503 with Retry-After.
    /// Keep it below the process's file-descriptor limit.
    pub max_connections: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            header_read_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(60),
            // A phone's radio may take a few seconds to get going.
            body_grace: Duration::from_secs(10),
            // 32 kbit/s: slower than any mobile network still in service in Japan.
            body_min_rate: 4096,
            // A 5 MB document needs 70 kbit/s on average to make it (slow 3G, 400 kbit/s,
            // takes about 100 s); three 5 MB attachments need 200 kbit/s.
            body_deadline: Duration::from_secs(10 * 60),
            drain_delay: Duration::from_secs(5),
            max_connections: 800,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InquiryConfig {
    /// Where attachments are kept: outside any served path.
    pub attachments_dir: String,
    /// Largest attachment, in bytes.
    pub max_file_bytes: u64,
    /// Most attachments per inquiry.
    pub max_files: usize,
    /// Business days after receipt an inquiry is due.
    pub due_business_days: u32,
    /// Inquiries one client address may send per hour.
    pub per_address_limit: u64,
    /// A finished (完了) inquiry is deleted, with its notes and files, this long after it was
    /// finished.
    #[serde(with = "humantime_serde")]
    pub closed_retention: Duration,
}

impl Default for InquiryConfig {
    fn default() -> Self {
        InquiryConfig {
            attachments_dir: "./data/attachments".into(),
            max_file_bytes: 5 * 1024 * 1024,
            max_files: 3,
            due_business_days: 3,
            per_address_limit: 10,
            // Three years, like the access history.
            closed_retention: Duration::from_secs(3 * 365 * 24 * 60 * 60),
        }
    }
}

/// 就業履歴's raw material.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecordsConfig {
    /// Raw touches (a reader's or a system's, with their answers) are deleted this long after
    /// they were received; the work records made of them stay. Longer than every window in
    /// which a touch still matters (a day placed by the end of the month after, a correction).
    #[serde(with = "humantime_serde")]
    pub touch_retention: Duration,
}

impl Default for RecordsConfig {
    fn default() -> Self {
        RecordsConfig {
            // Thirteen months.
            touch_retention: Duration::from_secs(395 * 24 * 60 * 60),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StaffConfig {
    /// Base64 of 32 random bytes: the key that encrypts staff TOTP secrets at rest. Without it
    /// the helpdesk console is closed. Make one with `openssl rand -base64 32`.
    pub totp_key: String,
    #[serde(with = "humantime_serde")]
    pub idle_timeout: Duration,
    #[serde(with = "humantime_serde")]
    pub absolute_timeout: Duration,
}

impl Default for StaffConfig {
    fn default() -> Self {
        StaffConfig {
            totp_key: String::new(),
            idle_timeout: Duration::from_secs(15 * 60),
            absolute_timeout: Duration::from_secs(8 * 60 * 60),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MaintenanceConfig {
    /// How long before a window the login pages show its banner.
    #[serde(with = "humantime_serde")]
    pub announce_before: Duration,
}

impl Default for MaintenanceConfig {
    fn default() -> Self {
        MaintenanceConfig {
            announce_before: Duration::from_secs(72 * 60 * 60),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct SupportConfig {
    /// The helpdesk's phone number, shown on the support page (hidden when empty).
    pub phone: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RecoveryConfig {
    /// How long a link in a password-reset, unlock or email-change mail works.
    #[serde(with = "humantime_serde")]
    pub token_ttl: Duration,
    /// Recovery forms answer no sooner than this, whether or not an account matched, so the
    /// answer's timing tells nothing.
    #[serde(with = "humantime_serde")]
    pub response_floor: Duration,
    /// Requests per login ID (reset) or per email address (ID reminder) per window.
    pub per_account_limit: u64,
    /// Recovery requests per client address per window.
    pub per_address_limit: u64,
    #[serde(with = "humantime_serde")]
    pub window: Duration,
    /// How the helpdesk is reached, shown where self-service cannot help.
    pub helpdesk: String,
}

impl Default for RecoveryConfig {
    fn default() -> Self {
        RecoveryConfig {
            token_ttl: Duration::from_secs(30 * 60),
            response_floor: Duration::from_millis(300),
            per_account_limit: 5,
            per_address_limit: 30,
            window: Duration::from_secs(60 * 60),
            helpdesk: "CCUSヘルプデスク（受付時間: 平日 9:00〜17:00、土日祝日・年末年始を除く）"
                .into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SessionConfig {
    /// A session unused this long ends.
    #[serde(with = "humantime_serde")]
    pub idle_timeout: Duration,
    /// No session lives longer than this.
    #[serde(with = "humantime_serde")]
    pub absolute_timeout: Duration,
    /// "Last seen" of a busy session (of any kind: account, applicant, staff) is written at
    /// most this often; the idle timeout is enforced to within this much.
    #[serde(with = "humantime_serde")]
    pub touch_interval: Duration,
    /// How long an instance keeps a resumed session (any kind) in memory before reading it
    /// again; `0s` turns the cache off. Ending a session drops it on every instance at once.
    #[serde(with = "humantime_serde")]
    pub cache_ttl: Duration,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LockoutConfig {
    /// Wrong passwords in a row that lock an ID.
    pub threshold: u32,
    /// Length of the first lock; each repeat doubles it.
    #[serde(with = "humantime_serde")]
    pub duration: Duration,
    /// Cap on a single lock.
    #[serde(with = "humantime_serde")]
    pub max_duration: Duration,
    /// Failed attempts without a success after which only an unlock helps (NIST: ≤ 100).
    pub max_consecutive: u32,
    /// Login attempts one client address may make per window, across all IDs.
    pub address_limit: u64,
    #[serde(with = "humantime_serde")]
    pub address_window: Duration,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HashingConfig {
    /// Argon2id memory in KiB.
    pub memory_kib: u32,
    /// Argon2id passes.
    pub iterations: u32,
    /// Argon2id lanes.
    pub parallelism: u32,
    /// Hashes computed at once; 0 means one per CPU core.
    pub workers: usize,
    /// Logins allowed to wait for a hashing worker before new ones are refused with 503.
    pub max_queue: usize,
    /// Longest a login waits for a hashing worker.
    #[serde(with = "humantime_serde")]
    pub queue_timeout: Duration,
    /// A worker idle this long gives its Argon2 memory back to the system.
    #[serde(with = "humantime_serde")]
    pub release_after: Duration,
    /// When login pages carry a proof-of-work challenge: `pressure` (while attempts wait for
    /// a worker, and `challenge_hold` after), `always`, or `off`.
    pub challenge: ChallengeMode,
    /// Leading zero bits of SHA-256 a proof needs (about 2^bits hashes to find one).
    pub challenge_bits: u8,
    /// How long after the last wait new login pages still carry a challenge.
    #[serde(with = "humantime_serde")]
    pub challenge_hold: Duration,
}

/// See [`HashingConfig::challenge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChallengeMode {
    Pressure,
    Always,
    Off,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: "sqlite://./data/ccus.db".into(),
            database: DatabaseConfig::default(),
            public_url: "http://localhost:8080".into(),
            trust_forwarded_for: false,
            session: SessionConfig::default(),
            lockout: LockoutConfig::default(),
            hashing: HashingConfig::default(),
            mail: ccus_mail::MailConfig::default(),
            recovery: RecoveryConfig::default(),
            maintenance: MaintenanceConfig::default(),
            support: SupportConfig::default(),
            staff: StaffConfig::default(),
            inquiry: InquiryConfig::default(),
            server: ServerConfig::default(),
            history: HistoryConfig::default(),
            registration: RegistrationConfig::default(),
            api: ApiConfig::default(),
            metrics: MetricsConfig::default(),
            records: RecordsConfig::default(),
        }
    }
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig {
            idle_timeout: Duration::from_secs(30 * 60),
            absolute_timeout: Duration::from_secs(12 * 60 * 60),
            touch_interval: Duration::from_secs(60),
            cache_ttl: Duration::from_secs(3),
        }
    }
}

impl Default for LockoutConfig {
    fn default() -> Self {
        LockoutConfig {
            threshold: 5,
            duration: Duration::from_secs(30 * 60),
            max_duration: Duration::from_secs(24 * 60 * 60),
            max_consecutive: 100,
            address_limit: 100,
            address_window: Duration::from_secs(15 * 60),
        }
    }
}

impl Default for HashingConfig {
    fn default() -> Self {
        HashingConfig {
            memory_kib: 19_456,
            iterations: 2,
            parallelism: 1,
            workers: 0,
            max_queue: 256,
            queue_timeout: Duration::from_secs(10),
            release_after: Duration::from_secs(30),
            challenge: ChallengeMode::Pressure,
            challenge_bits: 18,
            challenge_hold: Duration::from_secs(120),
        }
    }
}

/// A configuration value that cannot work, named by its key.
#[derive(Debug, thiserror::Error)]
#[error("invalid configuration value for `{key}`: {reason}")]
pub struct ConfigError {
    pub key: &'static str,
    pub reason: String,
}

impl Config {
    /// Checks what serde cannot: ranges and relations between values.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |key, reason: &str| {
            Err(ConfigError {
                key,
                reason: reason.to_owned(),
            })
        };
        if !(self.public_url.starts_with("http://") || self.public_url.starts_with("https://")) {
            return bad("public_url", "must start with http:// or https://");
        }
        if !(self.database_url.starts_with("sqlite:")
            || self.database_url.starts_with("postgres://")
            || self.database_url.starts_with("postgresql://"))
        {
            return bad("database_url", "must be sqlite://PATH or postgres://…");
        }
        if !self.database.replicas.is_empty() {
            if self.database_url.starts_with("sqlite:") {
                return bad(
                    "database.replicas",
                    "needs a PostgreSQL database_url (SQLite has no replicas)",
                );
            }
            if self
                .database
                .replicas
                .iter()
                .any(|r| !(r.starts_with("postgres://") || r.starts_with("postgresql://")))
            {
                return bad("database.replicas", "each must be postgres://…");
            }
        }
        if self.database.replica_max_lag < Duration::from_millis(500) {
            return bad(
                "database.replica_max_lag",
                "must be at least 500ms (replicas are sampled every 200ms)",
            );
        }
        if self.api.token_ttl < Duration::from_secs(60)
            || self.api.token_ttl > Duration::from_secs(60 * 60)
        {
            return bad("api.token_ttl", "must be between one minute and one hour");
        }
        if self.records.touch_retention < Duration::from_secs(62 * 24 * 60 * 60) {
            return bad(
                "records.touch_retention",
                "must be at least two months (a day may be placed until the end of the next month)",
            );
        }
        if self.metrics.listen.is_some_and(|m| m == self.listen) {
            return bad(
                "metrics.listen",
                "must not be the public address (listen): the metrics are for operators",
            );
        }
        if self.api.login_refresh_ttl < Duration::from_secs(60 * 60) {
            return bad("api.login_refresh_ttl", "must be at least an hour");
        }
        if self.api.login_key_rotation < Duration::from_secs(24 * 60 * 60) {
            return bad("api.login_key_rotation", "must be at least a day");
        }
        if self.api.calls_per_minute == 0 || self.api.failed_proofs_per_minute == 0 {
            return bad("api.calls_per_minute", "limits must be at least 1");
        }
        if self.history.retention < Duration::from_secs(24 * 60 * 60) {
            return bad("history.retention", "must be at least one day");
        }
        let r = &self.registration;
        if r.returned_warning.is_zero() || r.returned_warning >= r.returned_retention {
            return bad(
                "registration.returned_warning",
                "must be longer than 0 and shorter than registration.returned_retention",
            );
        }
        let db = &self.database;
        if db.acquire_timeout.is_zero() || db.query_timeout.is_zero() {
            return bad(
                "database.query_timeout",
                "database.acquire_timeout and database.query_timeout must be longer than 0",
            );
        }
        if db.acquire_timeout > db.query_timeout {
            return bad(
                "database.acquire_timeout",
                "must not be longer than database.query_timeout",
            );
        }
        if self.hashing.release_after.is_zero() {
            return bad("hashing.release_after", "must be longer than 0");
        }
        if !(8..=28).contains(&self.hashing.challenge_bits) {
            return bad(
                "hashing.challenge_bits",
                "must be between 8 and 28 (each bit doubles a browser's work)",
            );
        }
        if self.server.header_read_timeout.is_zero() {
            return bad("server.header_read_timeout", "must be longer than 0");
        }
        if self.server.body_timeout.is_zero() {
            return bad("server.body_timeout", "must be longer than 0");
        }
        if self.server.body_min_rate == 0 {
            return bad(
                "server.body_min_rate",
                "must be at least 1 (bytes per second)",
            );
        }
        if self.server.body_deadline <= self.server.body_grace {
            return bad(
                "server.body_deadline",
                "must be longer than server.body_grace",
            );
        }
        if self.server.max_connections == 0 {
            return bad("server.max_connections", "must be at least 1");
        }
        if self.session.idle_timeout.is_zero() {
            return bad("session.idle_timeout", "must be longer than 0");
        }
        if self.session.absolute_timeout < self.session.idle_timeout {
            return bad(
                "session.absolute_timeout",
                "must not be shorter than session.idle_timeout",
            );
        }
        if self.session.touch_interval.is_zero() {
            return bad("session.touch_interval", "must be longer than 0");
        }
        if self.lockout.threshold == 0 || self.lockout.threshold > 100 {
            return bad("lockout.threshold", "must be between 1 and 100");
        }
        if self.lockout.duration.is_zero() {
            return bad("lockout.duration", "must be longer than 0");
        }
        if self.lockout.max_duration < self.lockout.duration {
            return bad(
                "lockout.max_duration",
                "must not be shorter than lockout.duration",
            );
        }
        if self.lockout.max_consecutive == 0 || self.lockout.max_consecutive > 100 {
            return bad(
                "lockout.max_consecutive",
                "must be between 1 and 100 (NIST SP 800-63B)",
            );
        }
        if self.lockout.address_limit == 0 {
            return bad("lockout.address_limit", "must be at least 1");
        }
        if self.lockout.address_window.is_zero() {
            return bad("lockout.address_window", "must be longer than 0");
        }
        if !self.staff.totp_key.is_empty()
            && crate::staff_crypto::SecretBox::from_config(&self.staff.totp_key).is_none()
        {
            return bad(
                "staff.totp_key",
                "must be the base64 of exactly 32 bytes (openssl rand -base64 32)",
            );
        }
        if self.recovery.token_ttl.is_zero() {
            return bad("recovery.token_ttl", "must be longer than 0");
        }
        if !ccus_mail::valid_sender(&self.mail.from) {
            return bad(
                "mail.from",
                "must be an address such as `CCUS Portal <no-reply@example.jp>`",
            );
        }
        if self.mail.lease < Duration::from_millis(300) {
            return bad("mail.lease", "must be at least 300ms");
        }
        let r = &self.registration;
        if r.max_open_applications == 0 || r.max_open_proxy_applications == 0 {
            return bad(
                "registration.max_open_applications",
                "max_open_applications and max_open_proxy_applications must be at least 1",
            );
        }
        if r.max_documents == 0 || r.max_documents_per_kind == 0 || r.upload_limit == 0 {
            return bad(
                "registration.max_documents",
                "max_documents, max_documents_per_kind and upload_limit must be at least 1",
            );
        }
        if r.upload_window.is_zero() {
            return bad("registration.upload_window", "must be longer than 0");
        }
        if let Err(e) = ccus_mail::Transport::from_url(&self.mail.url) {
            return bad("mail.url", &e.to_string());
        }
        if argon2::Params::new(
            self.hashing.memory_kib,
            self.hashing.iterations,
            self.hashing.parallelism,
            None,
        )
        .is_err()
        {
            return bad(
                "hashing",
                "memory_kib, iterations and parallelism are not valid Argon2 parameters",
            );
        }
        Ok(())
    }

    pub fn lockout_policy(&self) -> LockoutPolicy {
        LockoutPolicy {
            threshold: self.lockout.threshold,
            duration: self.lockout.duration,
            max_duration: self.lockout.max_duration,
            max_consecutive: self.lockout.max_consecutive,
        }
    }

    /// Whether users reach us over https (cookies get `Secure` and `__Host-`).
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// `scheme://host[:port]` of the public URL.
    pub fn public_origin(&self) -> &str {
        let url = self.public_url.trim_end_matches('/');
        let after_scheme = url.find("://").map(|i| i + 3).unwrap_or(0);
        match url[after_scheme..].find('/') {
            Some(i) => &url[..after_scheme + i],
            None => url,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid() {
        let c = Config::default();
        c.validate().unwrap();
        assert_eq!(c.public_origin(), "http://localhost:8080");
        assert!(!c.is_https());
    }

    #[test]
    fn bad_values_name_their_key() {
        let mut c = Config::default();
        c.lockout.threshold = 0;
        assert_eq!(c.validate().unwrap_err().key, "lockout.threshold");
        let c = Config {
            public_url: "ftp://x".into(),
            ..Config::default()
        };
        assert_eq!(c.validate().unwrap_err().key, "public_url");
        let mut c = Config::default();
        c.server.body_min_rate = 0;
        assert_eq!(c.validate().unwrap_err().key, "server.body_min_rate");
        let mut c = Config::default();
        c.server.body_deadline = c.server.body_grace;
        assert_eq!(c.validate().unwrap_err().key, "server.body_deadline");
    }

    #[test]
    fn origin_of_a_public_url_with_a_path() {
        let c = Config {
            public_url: "https://ccus.example.jp/portal/".into(),
            ..Config::default()
        };
        assert_eq!(c.public_origin(), "https://ccus.example.jp");
        assert!(c.is_https());
    }
}
