//! Login sessions of accounts, stored by the hash of their cookie so that every instance
//! knows every session and a stolen database holds no usable cookie.

use ccus_domain::{AccountId, Timestamp};
use sqlx::Row;

use crate::accounts::{account_from_row, ACCOUNT_COLUMNS};
use crate::{Account, ClientInfo, Result, SessionEnd, Sessions, Store, StoreTx};

/// A session found by its token hash, with its account.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub token_hash: String,
    pub account: Account,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    /// The account is a 管理者ID its business has stopped (利用停止): the session must end.
    pub stopped: bool,
}

/// An open session as its owner sees it.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    pub token_hash: String,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub client_address: String,
    pub user_agent: String,
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
    .bind(client.stored_user_agent())
    .execute(e)
    .await?;
    Ok(())
}

/// Remembers, by its hash only, that a session (an account's or an applicant's) was ended by
/// ログアウト, so that the same cookie coming back reads as logged out, not timed out.
pub(crate) async fn remember_logged_out<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    e: E,
    token_hash: &str,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO ended_sessions (token_hash, ended_at) VALUES ($1, $2) \
         ON CONFLICT (token_hash) DO NOTHING",
    )
    .bind(token_hash)
    .bind(now.0)
    .execute(e)
    .await?;
    Ok(())
}

async fn remove_session<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    e: E,
    token_hash: &str,
) -> Result<bool> {
    let r = sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(e)
        .await?;
    Ok(r.rows_affected() > 0)
}

/// Ends the sessions of an account, except `keep` (a token hash) when given.
async fn remove_sessions_of<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    e: E,
    account_id: i64,
    keep: Option<&str>,
) -> Result<u64> {
    let r = match keep {
        None => {
            sqlx::query("DELETE FROM sessions WHERE account_id = $1")
                .bind(account_id)
                .execute(e)
                .await?
        }
        Some(keep) => {
            sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2")
                .bind(account_id)
                .bind(keep)
                .execute(e)
                .await?
        }
    };
    Ok(r.rows_affected())
}

impl Sessions<&Store> {
    /// Sessions seen since `since` (those not idle longer than the timeout), for the metrics.
    pub async fn count_active(self, since: Timestamp) -> Result<u64> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM sessions WHERE last_seen_at > $1")
            .bind(since.0)
            .fetch_one(self.db())
            .await?;
        let n: i64 = r.try_get("n")?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    pub async fn create_session(
        self,
        token_hash: &str,
        account_id: AccountId,
        client: &ClientInfo,
        now: Timestamp,
    ) -> Result<()> {
        insert_session(self.db(), token_hash, account_id.get(), client, now).await
    }

    pub async fn session(self, token_hash: &str) -> Result<Option<SessionRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, s.token_hash AS token_hash, s.created_at AS created_at, \
                    s.last_seen_at AS last_seen_at, m.disabled_at AS member_disabled_at \
             FROM sessions s JOIN accounts a ON a.id = s.account_id \
             LEFT JOIN org_members m ON m.account_id = a.id \
             WHERE s.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(self.db())
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(SessionRecord {
            account: account_from_row(&r)?,
            token_hash: r.try_get("token_hash")?,
            created_at: Timestamp(r.try_get("created_at")?),
            last_seen_at: Timestamp(r.try_get("last_seen_at")?),
            stopped: r.try_get::<Option<i64>, _>("member_disabled_at")?.is_some(),
        }))
    }

    /// Records activity on a session (called at most about once a minute per session).
    pub async fn touch_session(self, token_hash: &str, now: Timestamp) -> Result<()> {
        sqlx::query(
            "UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2 AND last_seen_at < $1",
        )
        .bind(now.0)
        .bind(token_hash)
        .execute(self.db())
        .await?;
        Ok(())
    }

    /// Ends one session; returns whether it existed.
    pub async fn delete_session(self, token_hash: &str) -> Result<bool> {
        let removed = remove_session(self.db(), token_hash).await?;
        if removed {
            self.sessions_ended(SessionEnd::Token(token_hash.to_owned()))
                .await?;
        }
        Ok(removed)
    }

    /// Ends every session of an account; returns how many ended.
    pub async fn delete_sessions_of(self, account_id: AccountId) -> Result<u64> {
        let n = remove_sessions_of(self.db(), account_id.get(), None).await?;
        self.sessions_ended(SessionEnd::Account(account_id.get()))
            .await?;
        Ok(n)
    }

    /// Removes sessions nobody can use any more; returns how many.
    pub async fn delete_expired_sessions(
        self,
        idle_before: Timestamp,
        created_before: Timestamp,
    ) -> Result<u64> {
        let r = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(idle_before.0)
            .bind(created_before.0)
            .execute(self.db())
            .await?;
        Ok(r.rows_affected())
    }

    /// Whether the session of this token hash was ended by ログアウト (and the record has not
    /// been pruned yet).
    pub async fn ended_by_logout(self, token_hash: &str) -> Result<bool> {
        let row = sqlx::query("SELECT ended_at FROM ended_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(self.db())
            .await?;
        Ok(row.is_some())
    }

    /// Forgets logouts older than `before`; returns how many.
    pub async fn prune_ended_sessions(self, before: Timestamp) -> Result<u64> {
        let r = sqlx::query("DELETE FROM ended_sessions WHERE ended_at < $1")
            .bind(before.0)
            .execute(self.db())
            .await?;
        Ok(r.rows_affected())
    }

    /// The open sessions of an account, most recently used first.
    pub async fn sessions_of(self, account_id: AccountId) -> Result<Vec<SessionInfo>> {
        let rows = sqlx::query(
            "SELECT token_hash, created_at, last_seen_at, client_address, user_agent FROM sessions \
             WHERE account_id = $1 ORDER BY last_seen_at DESC, created_at DESC",
        )
        .bind(account_id.get())
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SessionInfo {
                    token_hash: r.try_get("token_hash")?,
                    created_at: Timestamp(r.try_get("created_at")?),
                    last_seen_at: Timestamp(r.try_get("last_seen_at")?),
                    client_address: r.try_get("client_address")?,
                    user_agent: r.try_get("user_agent")?,
                })
            })
            .collect()
    }
}

impl Sessions<&mut StoreTx> {
    pub async fn create_session(
        &mut self,
        token_hash: &str,
        account_id: AccountId,
        client: &ClientInfo,
        now: Timestamp,
    ) -> Result<()> {
        insert_session(self.conn(), token_hash, account_id.get(), client, now).await
    }

    /// Ends one session; returns whether it existed.
    pub async fn delete_session(&mut self, token_hash: &str) -> Result<bool> {
        let removed = remove_session(self.conn(), token_hash).await?;
        if removed {
            self.sessions_ended(SessionEnd::Token(token_hash.to_owned()))
                .await?;
        }
        Ok(removed)
    }

    /// Ends one session by ログアウト: removes it and remembers (by hash only) that it was
    /// logged out; returns whether it existed.
    pub async fn log_out_session(&mut self, token_hash: &str, now: Timestamp) -> Result<bool> {
        if !remove_session(self.conn(), token_hash).await? {
            return Ok(false);
        }
        remember_logged_out(self.conn(), token_hash, now).await?;
        self.sessions_ended(SessionEnd::Token(token_hash.to_owned()))
            .await?;
        Ok(true)
    }

    /// Ends every session of an account except `keep` (a token hash); returns how many ended.
    pub async fn delete_sessions_of(
        &mut self,
        account_id: AccountId,
        keep: Option<&str>,
    ) -> Result<u64> {
        let n = remove_sessions_of(self.conn(), account_id.get(), keep).await?;
        // The kept session is evicted too: it is read again, fresh, on its next request.
        self.sessions_ended(SessionEnd::Account(account_id.get()))
            .await?;
        Ok(n)
    }
}
