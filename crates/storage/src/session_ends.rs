//! Telling every instance that sessions ended (or that what a session shows of its person
//! changed), so that an instance's cache of resumed sessions drops them at once.
//!
//! Every write here that ends sessions calls [`Store::sessions_ended`] or
//! [`StoreTx::sessions_ended`]. On PostgreSQL that sends `NOTIFY ccus_sessions` — in the
//! same transaction as the delete, so it is delivered exactly when the delete is visible —
//! and every instance's listener evicts; on this instance the hooks registered with
//! [`Store::on_session_end`] run at once (after the commit, for a transaction).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::{Backend, Result, Store, StoreTx};

/// The PostgreSQL channel of session ends.
pub const SESSION_CHANNEL: &str = "ccus_sessions";

/// Which sessions ended, or whose cached view is stale.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SessionEnd {
    /// One session, by its token hash (any kind).
    Token(String),
    /// Every session of an account, and every 代行申請 session it opened.
    Account(i64),
    /// Every session of an application login.
    Applicant(i64),
    /// Every session of a staff member (by the staff row's id).
    Staff(i64),
    /// Everything (a listener that lost its connection, a bulk change).
    All,
}

impl SessionEnd {
    /// The `NOTIFY` payload.
    pub fn payload(&self) -> String {
        match self {
            SessionEnd::Token(h) => format!("t:{h}"),
            SessionEnd::Account(id) => format!("a:{id}"),
            SessionEnd::Applicant(id) => format!("p:{id}"),
            SessionEnd::Staff(id) => format!("s:{id}"),
            SessionEnd::All => "*".into(),
        }
    }

    /// Reads a payload; anything unknown reads as [`SessionEnd::All`] (evicting too much is
    /// safe, too little is not).
    pub fn parse(payload: &str) -> SessionEnd {
        let id = |s: &str| s.parse::<i64>().ok();
        match payload.split_once(':') {
            Some(("t", h)) if !h.is_empty() => SessionEnd::Token(h.to_owned()),
            Some(("a", n)) => id(n).map_or(SessionEnd::All, SessionEnd::Account),
            Some(("p", n)) => id(n).map_or(SessionEnd::All, SessionEnd::Applicant),
            Some(("s", n)) => id(n).map_or(SessionEnd::All, SessionEnd::Staff),
            _ => SessionEnd::All,
        }
    }
}

type Hook = Arc<dyn Fn(&SessionEnd) + Send + Sync>;

/// The hooks of this instance.
#[derive(Default)]
pub(crate) struct SessionEnds {
    hooks: Mutex<Vec<Hook>>,
}

impl std::fmt::Debug for SessionEnds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionEnds")
    }
}

impl SessionEnds {
    /// The hooks of every store of this SQLite file in this process.
    pub(crate) fn of_file(url: &str) -> Arc<SessionEnds> {
        static FILES: std::sync::OnceLock<Mutex<HashMap<String, Arc<SessionEnds>>>> =
            std::sync::OnceLock::new();
        let files = FILES.get_or_init(Mutex::default);
        let mut files = match files.lock() {
            Ok(f) => f,
            Err(p) => p.into_inner(),
        };
        files.entry(url.to_owned()).or_default().clone()
    }

    pub(crate) fn fire(&self, end: &SessionEnd) {
        let hooks: Vec<Hook> = match self.hooks.lock() {
            Ok(h) => h.clone(),
            Err(p) => p.into_inner().clone(),
        };
        for h in hooks {
            h(end);
        }
    }
}

async fn notify<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    e: E,
    end: &SessionEnd,
) -> Result<()> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(SESSION_CHANNEL)
        .bind(end.payload())
        .execute(e)
        .await?;
    Ok(())
}

impl Store {
    /// Runs `hook` on this instance whenever sessions end (see the module docs).
    pub fn on_session_end(&self, hook: impl Fn(&SessionEnd) + Send + Sync + 'static) {
        let mut hooks = match self.ends.hooks.lock() {
            Ok(h) => h,
            Err(p) => p.into_inner(),
        };
        hooks.push(Arc::new(hook));
    }

    /// Sessions ended by a write already committed: tells this instance at once and, on
    /// PostgreSQL, every instance.
    pub(crate) async fn sessions_ended(&self, end: SessionEnd) -> Result<()> {
        self.ends.fire(&end);
        if self.backend == Backend::Postgres {
            notify(self.db(), &end).await?;
        }
        Ok(())
    }
}

impl StoreTx {
    /// Sessions end with this transaction: every instance is told when it commits.
    pub(crate) async fn sessions_ended(&mut self, end: SessionEnd) -> Result<()> {
        if self.backend == Backend::Postgres {
            notify(self.conn(), &end).await?;
        }
        self.ended.push(end);
        Ok(())
    }
}

/// What a session-end listener hears.
#[derive(Debug)]
pub enum Listening {
    /// Listening (again): anything sent before is unknown.
    Connected,
    /// The connection was lost: notifications may be missed until [`Listening::Connected`].
    Lost,
    Ended(SessionEnd),
}

/// Listens on [`SESSION_CHANNEL`] of the PostgreSQL database at `database_url`, reconnecting
/// after a lost connection (waiting up to 5 s between tries), and calls `on` with what it
/// hears; stops when `on` returns false.
pub async fn listen_for_session_ends(database_url: &str, mut on: impl FnMut(Listening) -> bool) {
    let mut wait = std::time::Duration::from_millis(200);
    loop {
        let listener = async {
            let mut l = sqlx::postgres::PgListener::connect(database_url).await?;
            l.listen(SESSION_CHANNEL).await?;
            Ok::<_, sqlx::Error>(l)
        }
        .await;
        match listener {
            Ok(mut l) => {
                if !on(Listening::Connected) {
                    return;
                }
                wait = std::time::Duration::from_millis(200);
                loop {
                    match l.try_recv().await {
                        Ok(Some(n)) => {
                            if !on(Listening::Ended(SessionEnd::parse(n.payload()))) {
                                return;
                            }
                        }
                        Ok(None) | Err(_) => {
                            tracing::warn!("session-end listener lost its connection");
                            break;
                        }
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "session-end listener cannot listen"),
        }
        if !on(Listening::Lost) {
            return;
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(std::time::Duration::from_secs(5));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_read_back() {
        for e in [
            SessionEnd::Token("ab12".into()),
            SessionEnd::Account(7),
            SessionEnd::Applicant(8),
            SessionEnd::Staff(9),
            SessionEnd::All,
        ] {
            assert_eq!(SessionEnd::parse(&e.payload()), e);
        }
        assert_eq!(SessionEnd::parse("a:x"), SessionEnd::All);
        assert_eq!(SessionEnd::parse("zz"), SessionEnd::All);
    }
}
