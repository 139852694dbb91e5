//! The access history (`access_events`): every login, lock and unlock per entered ID, kept by
//! ID rather than by account so that existing and unknown IDs cost the same to record.

use ccus_domain::{AccessEventKind, LoginId, Timestamp};
use sqlx::Row;

use crate::{Account, ClientInfo, History, Result, Store, StoreError, StoreTx};

/// One row of the access history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEvent {
    pub at: Timestamp,
    pub kind: AccessEventKind,
    pub client_address: String,
    pub user_agent: String,
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
    .bind(client.stored_user_agent())
    .execute(e)
    .await?;
    Ok(())
}

impl History<&Store> {
    /// Inserts many history rows at once (multi-row statements in one transaction), for
    /// filling a database to CCUS size. Returns how many were inserted.
    pub async fn insert_events_bulk(
        self,
        events: &[(LoginId, AccessEventKind, ClientInfo, Timestamp)],
    ) -> Result<u64> {
        // Short statements on SQLite (see `insert_accounts_bulk`).
        let rows = match self.backend() {
            crate::Backend::Sqlite => 60,
            crate::Backend::Postgres => 1000,
        };
        let mut inserted = 0;
        let mut tx = self.begin_bulk().await?;
        for chunk in events.chunks(rows) {
            let mut sql = String::from(
                "INSERT INTO access_events (login_id, at, event, client_address, user_agent) VALUES ",
            );
            for i in 0..chunk.len() {
                let b = i * 5;
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5
                ));
            }
            let mut q = sqlx::query(&sql);
            for (login_id, kind, client, at) in chunk {
                q = q
                    .bind(login_id.as_str())
                    .bind(at.0)
                    .bind(kind.as_str())
                    .bind(&client.address)
                    .bind(client.stored_user_agent());
            }
            inserted += q.execute(tx.conn()).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(inserted)
    }

    /// Deletes at most `batch` history rows recorded before `before`; returns how many. Small
    /// batches keep each write short, so pruning a large history never stalls logins.
    pub async fn prune_history(self, before: Timestamp, batch: u32) -> Result<u64> {
        let r = sqlx::query(
            "DELETE FROM access_events WHERE id IN \
             (SELECT id FROM access_events WHERE at < $1 ORDER BY at LIMIT $2)",
        )
        .bind(before.0)
        .bind(i64::from(batch))
        .execute(self.db())
        .await?;
        Ok(r.rows_affected())
    }

    /// Records a security event for an entered ID (whether or not an account has it, so that
    /// existing and non-existing IDs cost the same).
    pub async fn record_event(
        self,
        login_id: &LoginId,
        kind: AccessEventKind,
        client: &ClientInfo,
        now: Timestamp,
    ) -> Result<()> {
        insert_event(self.db(), login_id, kind, client, now).await
    }

    /// An account's history, newest first: `limit` rows after skipping `offset`.
    /// Events recorded before the account existed are never shown to it.
    pub async fn access_history(
        self,
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
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                let name: String = r.try_get("event")?;
                Ok(AccessEvent {
                    at: Timestamp(r.try_get("at")?),
                    kind: AccessEventKind::parse(&name)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown event {name:?}")))?,
                    client_address: r.try_get("client_address")?,
                    user_agent: r.try_get("user_agent")?,
                })
            })
            .collect()
    }

    /// How many history rows an account has (for pagination).
    pub async fn access_history_len(self, account: &Account) -> Result<u64> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM access_events WHERE login_id = $1 AND at >= $2")
                .bind(account.login_id.as_str())
                .bind(account.created_at.0)
                .fetch_one(self.db())
                .await?;
        let n: i64 = row.try_get("n")?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

impl History<&mut StoreTx> {
    /// Records a security event in the transaction (see [`History::record_event`]).
    pub async fn record_event(
        &mut self,
        login_id: &LoginId,
        kind: AccessEventKind,
        client: &ClientInfo,
        now: Timestamp,
    ) -> Result<()> {
        insert_event(self.conn(), login_id, kind, client, now).await
    }
}
