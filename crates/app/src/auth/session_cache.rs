//! This instance's cache of resumed sessions: token hash → the session as last read (with its
//! person and whether that person may still use it), kept for `session.cache_ttl`.
//!
//! Safety comes from eviction, not from the TTL: every write that ends sessions (or changes
//! what a session shows of its person) names them ([`SessionEnd`]); this instance evicts at
//! once and, on PostgreSQL, every other instance evicts on `NOTIFY ccus_sessions` (see
//! [`listen`]). While an instance's listener is not connected its cache is off and emptied,
//! so a missed notification can never leave an ended session usable. A read that raced with
//! an eviction is not cached (an eviction counter is compared before and after the read).

use ccus_domain::{AccountId, ApplicantId, StaffId};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use ccus_storage::{ApplicantSession, Listening, SessionEnd, SessionRecord, StaffSession, Store};

/// A resumed session as cached.
#[derive(Debug, Clone)]
pub enum CachedSession {
    Account(SessionRecord),
    Applicant(ApplicantSession),
    Staff(StaffSession),
}

impl CachedSession {
    /// Whether `end` names this session's person (the token is matched by the key).
    fn owned_by(&self, end: &SessionEnd) -> bool {
        match (self, end) {
            (CachedSession::Account(s), SessionEnd::Account(id)) => {
                s.account.id == AccountId::new(*id)
            }
            (CachedSession::Applicant(s), SessionEnd::Applicant(id)) => {
                s.applicant.id == ApplicantId::new(*id)
            }
            // A 代行申請 login stands or falls with the person who opened it.
            (CachedSession::Applicant(s), SessionEnd::Account(id)) => {
                s.opened_by == Some(AccountId::new(*id))
                    || s.applicant.business_account_id == Some(AccountId::new(*id))
            }
            (CachedSession::Staff(s), SessionEnd::Staff(id)) => s.staff.id == StaffId::new(*id),
            _ => false,
        }
    }
}

struct Entry {
    session: CachedSession,
    stored: Instant,
}

/// The cache (one per [`crate::App`]).
pub struct SessionCache {
    ttl: Duration,
    entries: Mutex<HashMap<String, Entry>>,
    /// Counts evictions: a read that started before one is not stored.
    evictions: AtomicU64,
    /// Off while the cross-instance listener is not connected (PostgreSQL).
    on: AtomicBool,
}

impl SessionCache {
    /// A cache keeping entries for `ttl` (zero: no caching), on or off from the start.
    pub fn new(ttl: Duration, on: bool) -> SessionCache {
        SessionCache {
            ttl,
            entries: Mutex::default(),
            evictions: AtomicU64::new(0),
            on: AtomicBool::new(on && !ttl.is_zero()),
        }
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        match self.entries.lock() {
            Ok(e) => e,
            Err(p) => p.into_inner(),
        }
    }

    /// A ticket taken before reading a session from the database, for [`SessionCache::put`].
    pub fn ticket(&self) -> u64 {
        self.evictions.load(Ordering::SeqCst)
    }

    pub fn get(&self, hash: &str) -> Option<CachedSession> {
        if !self.on.load(Ordering::SeqCst) {
            return None;
        }
        let mut entries = self.entries();
        match entries.get(hash) {
            Some(e) if e.stored.elapsed() < self.ttl => Some(e.session.clone()),
            Some(_) => {
                entries.remove(hash);
                None
            }
            None => None,
        }
    }

    /// Stores a session read from the database, unless anything was evicted since `ticket`.
    pub fn put(&self, hash: &str, session: CachedSession, ticket: u64) {
        if !self.on.load(Ordering::SeqCst) {
            return;
        }
        let mut entries = self.entries();
        // Checked under the lock that evictions take too.
        if self.evictions.load(Ordering::SeqCst) != ticket {
            return;
        }
        if entries.len() >= 100_000 {
            let ttl = self.ttl;
            entries.retain(|_, e| e.stored.elapsed() < ttl);
        }
        entries.insert(
            hash.to_owned(),
            Entry {
                session,
                stored: Instant::now(),
            },
        );
    }

    /// Drops what `end` names.
    pub fn evict(&self, end: &SessionEnd) {
        let mut entries = self.entries();
        self.evictions.fetch_add(1, Ordering::SeqCst);
        match end {
            SessionEnd::Token(h) => {
                entries.remove(h);
            }
            SessionEnd::All => entries.clear(),
            other => entries.retain(|_, e| !e.session.owned_by(other)),
        }
    }

    /// Turns the cache on or off; either way it starts empty.
    pub fn set_on(&self, on: bool) {
        self.evict(&SessionEnd::All);
        self.on.store(on && !self.ttl.is_zero(), Ordering::SeqCst);
        self.evict(&SessionEnd::All);
    }

    pub fn is_on(&self) -> bool {
        self.on.load(Ordering::SeqCst)
    }

    pub fn len(&self) -> usize {
        self.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Evicts from `cache` whenever `store` reports sessions ended on this instance.
pub(crate) fn hook(store: &Store, cache: &Arc<SessionCache>) {
    let weak: Weak<SessionCache> = Arc::downgrade(cache);
    store.on_session_end(move |end| {
        if let Some(c) = weak.upgrade() {
            c.evict(end);
        }
    });
}

/// Keeps this instance's cache in step with every other instance on PostgreSQL: evicts what
/// each `ccus_sessions` notification names. The cache is on only while the listener is
/// connected; a lost connection empties it and turns it off until listening again. Ends when
/// the cache is dropped.
pub async fn listen(database_url: String, cache: Weak<SessionCache>) {
    ccus_storage::listen_for_session_ends(&database_url, |event| {
        let Some(c) = cache.upgrade() else {
            return false;
        };
        match event {
            // Nothing sent while not listening can be known: start empty.
            Listening::Connected => c.set_on(true),
            Listening::Lost => c.set_on(false),
            Listening::Ended(end) => c.evict(&end),
        }
        true
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use ccus_domain::Timestamp;
    use ccus_storage::{Staff, StaffRole};

    fn staff_session(id: i64) -> CachedSession {
        CachedSession::Staff(StaffSession {
            staff: Staff {
                id: StaffId::new(id),
                staff_id: format!("S{id}"),
                name: String::new(),
                email: String::new(),
                role: StaffRole::Operator,
                totp_enrolled: true,
                must_change_password: false,
                disabled: false,
            },
            created_at: Timestamp(0),
            last_seen_at: Timestamp(0),
            mfa_done: true,
        })
    }

    #[test]
    fn entries_last_their_ttl() {
        let c = SessionCache::new(Duration::from_millis(50), true);
        c.put("h", staff_session(1), c.ticket());
        assert!(c.get("h").is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert!(c.get("h").is_none(), "expired");
        assert!(c.is_empty());
    }

    #[test]
    fn evictions_by_token_person_and_all() {
        let c = SessionCache::new(Duration::from_secs(60), true);
        c.put("a", staff_session(1), c.ticket());
        c.put("b", staff_session(2), c.ticket());
        c.put("c", staff_session(2), c.ticket());
        c.evict(&SessionEnd::Token("a".into()));
        assert!(c.get("a").is_none() && c.get("b").is_some());
        c.evict(&SessionEnd::Staff(2));
        assert!(c.get("b").is_none() && c.get("c").is_none());
        c.put("d", staff_session(3), c.ticket());
        c.evict(&SessionEnd::All);
        assert!(c.is_empty());
    }

    #[test]
    fn a_read_that_raced_an_eviction_is_not_kept() {
        let c = SessionCache::new(Duration::from_secs(60), true);
        let ticket = c.ticket();
        c.evict(&SessionEnd::Token("h".into()));
        c.put("h", staff_session(1), ticket);
        assert!(c.get("h").is_none());
    }

    #[test]
    fn off_means_empty_and_nothing_kept() {
        let c = SessionCache::new(Duration::from_secs(60), true);
        c.put("h", staff_session(1), c.ticket());
        // The listener lost its connection.
        c.set_on(false);
        assert!(c.is_empty() && c.get("h").is_none());
        c.put("h", staff_session(1), c.ticket());
        assert!(c.get("h").is_none());
        // Listening again: on, and empty.
        c.set_on(true);
        assert!(c.is_on() && c.get("h").is_none());
    }
}
