//! The one session kernel: who a session belongs to ([`Principal`]), its timeouts
//! ([`TimeoutPolicy`]), how a browser's token is resumed ([`resume`]) and how a session is
//! ended by ログアウト ([`log_out`]). The portals' accounts, the applicants' logins and the
//! helpdesk staff differ only in where their sessions are kept and in what must still hold
//! of the person behind one (a 管理者ID not stopped, a staff member not disabled, the opener
//! of a 代行申請 login still allowed); those differences are the [`Kind`] implementations in
//! `auth::login`, `auth::staff` and `registration`.

use std::time::Duration;

use ccus_domain::Timestamp;
use ccus_storage::{ClientInfo, SessionEnd};

use crate::auth::session_cache::CachedSession;

use crate::config::Config;
use crate::tokens::token_hash;
use crate::{App, AppResult};

/// Whose session it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Principal {
    /// A 技能者 or 事業者 account (either portal, 管理者ID included).
    Account,
    /// An application login (本人申請 or a business's 代行申請 login).
    Applicant,
    /// A helpdesk staff member.
    Staff,
}

impl Principal {
    /// The timeouts of this kind of session, from the configuration.
    pub fn policy(self, config: &Config) -> TimeoutPolicy {
        let touch_every = config.session.touch_interval;
        match self {
            Principal::Account | Principal::Applicant => TimeoutPolicy {
                idle: config.session.idle_timeout,
                absolute: config.session.absolute_timeout,
                touch_every,
            },
            Principal::Staff => TimeoutPolicy {
                idle: config.staff.idle_timeout,
                absolute: config.staff.absolute_timeout,
                touch_every,
            },
        }
    }
}

/// When a session ends by itself, and how often its use is written down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeoutPolicy {
    /// Unused this long, it ends.
    pub idle: Duration,
    /// No session lives longer.
    pub absolute: Duration,
    /// "Last seen" is written at most this often.
    pub touch_every: Duration,
}

/// A session's times judged against its policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    /// Still running; `touch` when its "last seen" is due to be written.
    Live { touch: bool },
    /// Over: unused too long (`idle`) or too old (`absolute`), or both.
    Over { idle: bool, absolute: bool },
}

impl TimeoutPolicy {
    pub fn judge(
        &self,
        created_at: Timestamp,
        last_seen_at: Timestamp,
        now: Timestamp,
    ) -> Liveness {
        let idle = now >= last_seen_at.plus(self.idle);
        let absolute = now >= created_at.plus(self.absolute);
        if idle || absolute {
            Liveness::Over { idle, absolute }
        } else {
            Liveness::Live {
                touch: now >= last_seen_at.plus(self.touch_every),
            }
        }
    }
}

/// Whether the person behind a session may still use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Allowed,
    /// Stopped (利用停止 of a 管理者ID, a disabled staff member).
    Stopped,
    /// No longer allowed for another reason (a 代行申請 opener who may no longer, a
    /// password-only staff session of someone who has since enrolled).
    NotAllowed,
}

/// What resuming a token found.
#[derive(Debug)]
pub enum Outcome<R> {
    Active(R),
    /// Over by a timeout; the session's record, now ended.
    TimedOut(R),
    /// No such session: `logged_out` when it was ended by ログアウト (remembered by hash).
    Unknown {
        logged_out: bool,
    },
    /// Its person is stopped: the session has ended.
    Stopped(R),
    /// Its person may no longer use it: the session has ended.
    NotAllowed(R),
}

/// One kind of session: where it is kept and what must still hold of its person.
pub(crate) trait Kind {
    type Record: Send;
    const PRINCIPAL: Principal;

    fn to_cached(record: &Self::Record) -> CachedSession;
    fn from_cached(cached: CachedSession) -> Option<Self::Record>;
    /// The record after its "last seen" was written.
    fn touched(record: &mut Self::Record, now: Timestamp);

    async fn load(app: &App, hash: &str) -> AppResult<Option<Self::Record>>;
    /// `(created_at, last_seen_at)`.
    fn times(record: &Self::Record) -> (Timestamp, Timestamp);
    async fn standing(app: &App, record: &Self::Record) -> AppResult<Standing>;
    /// Ends the session; whether it was still there (so only one request records its end).
    async fn end(app: &App, hash: &str) -> AppResult<bool>;
    async fn touch(app: &App, hash: &str, now: Timestamp) -> AppResult<()>;
    /// Records a timeout that this request ended (once per session).
    async fn record_timeout(
        _app: &App,
        _record: &Self::Record,
        _client: &ClientInfo,
        _now: Timestamp,
    ) -> AppResult<()> {
        Ok(())
    }
    /// Whether an unknown token was ended by ログアウト (kinds that remember it).
    async fn logged_out(_app: &App, _hash: &str) -> AppResult<bool> {
        Ok(false)
    }
    /// Ends the session by ログアウト, recording it (history or audit) in the same
    /// transaction; whether it was still there.
    async fn log_out(
        app: &App,
        hash: &str,
        record: &Self::Record,
        client: &ClientInfo,
    ) -> AppResult<bool>;
}

/// Looks up the session behind a browser's token and enforces, on the server, its timeouts
/// and that its person may still use it. A session that is over is ended here.
pub(crate) async fn resume<K: Kind>(
    app: &App,
    token: &str,
    client: &ClientInfo,
) -> AppResult<Outcome<K::Record>> {
    let hash = token_hash(token);
    let policy = K::PRINCIPAL.policy(app.config());
    let cache = app.session_cache();
    if let Some(record) = cache.get(&hash).and_then(K::from_cached) {
        let (created_at, last_seen_at) = K::times(&record);
        if policy.judge(created_at, last_seen_at, app.clock().now())
            == (Liveness::Live { touch: false })
        {
            return Ok(Outcome::Active(record));
        }
        // Due for a touch, or over by the cached times: decided on what the database holds
        // (another instance may have seen it since).
        cache.evict(&SessionEnd::Token(hash.clone()));
    }
    // Taken before the read: a session ended meanwhile is not cached.
    let ticket = cache.ticket();
    let Some(mut record) = K::load(app, &hash).await? else {
        return Ok(Outcome::Unknown {
            logged_out: K::logged_out(app, &hash).await?,
        });
    };
    let now = app.clock().now();
    let (created_at, last_seen_at) = K::times(&record);
    let touch = match policy.judge(created_at, last_seen_at, now) {
        Liveness::Over { idle, absolute } => {
            // Only the request that actually ends the session records it (parallel requests
            // on the same expired session record one timeout, not several).
            if K::end(app, &hash).await? {
                K::record_timeout(app, &record, client, now).await?;
                tracing::info!(principal = ?K::PRINCIPAL, idle, absolute, "session timed out");
            }
            return Ok(Outcome::TimedOut(record));
        }
        Liveness::Live { touch } => touch,
    };
    match K::standing(app, &record).await? {
        Standing::Allowed => {}
        Standing::Stopped => {
            K::end(app, &hash).await?;
            return Ok(Outcome::Stopped(record));
        }
        Standing::NotAllowed => {
            K::end(app, &hash).await?;
            return Ok(Outcome::NotAllowed(record));
        }
    }
    if touch {
        K::touch(app, &hash, now).await?;
        K::touched(&mut record, now);
    }
    cache.put(&hash, K::to_cached(&record), ticket);
    Ok(Outcome::Active(record))
}

/// Ends the session behind a browser's token (ログアウト), recorded once even on a double
/// click: in the access history for accounts, in the staff audit for staff.
pub(crate) async fn log_out<K: Kind>(app: &App, token: &str, client: &ClientInfo) -> AppResult<()> {
    let hash = token_hash(token);
    if let Some(record) = K::load(app, &hash).await? {
        if K::log_out(app, &hash, &record, client).await? {
            tracing::info!(principal = ?K::PRINCIPAL, "logout");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_and_touches() {
        let p = TimeoutPolicy {
            idle: Duration::from_secs(30 * 60),
            absolute: Duration::from_secs(12 * 3600),
            touch_every: Duration::from_secs(60),
        };
        let t0 = Timestamp(1_000_000_000);
        let at = |ms: i64| Timestamp(t0.0 + ms);
        assert_eq!(p.judge(t0, t0, at(59_999)), Liveness::Live { touch: false });
        assert_eq!(p.judge(t0, t0, at(60_000)), Liveness::Live { touch: true });
        assert_eq!(
            p.judge(t0, t0, at(30 * 60_000)),
            Liveness::Over {
                idle: true,
                absolute: false
            }
        );
        assert_eq!(
            p.judge(t0, at(12 * 3_600_000 - 1), at(12 * 3_600_000)),
            Liveness::Over {
                idle: false,
                absolute: true
            }
        );
    }

    #[test]
    fn each_kind_has_its_policy() {
        let c = Config::default();
        assert_eq!(
            Principal::Applicant.policy(&c),
            Principal::Account.policy(&c)
        );
        assert_eq!(
            Principal::Applicant.policy(&c).touch_every,
            Duration::from_secs(60)
        );
        assert_eq!(
            Principal::Staff.policy(&c).idle,
            Duration::from_secs(15 * 60)
        );
    }
}
