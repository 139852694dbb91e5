//! Passkeys: each account's WebAuthn user handle, its credentials, and the ceremonies in
//! progress (single-use: taking one deletes it).

use ccus_domain::Timestamp;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{Result, Store, StoreTx};

/// A registered passkey. `credential` is the library's serialised credential (with its
/// signature counter), opaque here.
#[derive(Debug, Clone)]
pub struct StoredPasskey {
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub credential_id: String,
    pub credential: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

const PASSKEY_COLUMNS: &str =
    "id, account_id, name, credential_id, credential, created_at, last_used_at";

fn passkey_from_row(r: &AnyRow) -> Result<StoredPasskey> {
    Ok(StoredPasskey {
        id: r.try_get("id")?,
        account_id: r.try_get("account_id")?,
        name: r.try_get("name")?,
        credential_id: r.try_get("credential_id")?,
        credential: r.try_get("credential")?,
        created_at: Timestamp(r.try_get("created_at")?),
        last_used_at: r.try_get::<Option<i64>, _>("last_used_at")?.map(Timestamp),
    })
}

impl Store {
    /// The user handle of an account, if it has one.
    pub async fn passkey_user_handle(&self, account_id: i64) -> Result<Option<String>> {
        let row = sqlx::query("SELECT user_handle FROM passkey_users WHERE account_id = $1")
            .bind(account_id)
            .fetch_optional(self.db())
            .await?;
        row.map(|r| Ok(r.try_get("user_handle")?)).transpose()
    }

    /// The account of a user handle.
    pub async fn account_of_user_handle(&self, handle: &str) -> Result<Option<i64>> {
        let row = sqlx::query("SELECT account_id FROM passkey_users WHERE user_handle = $1")
            .bind(handle)
            .fetch_optional(self.db())
            .await?;
        row.map(|r| Ok(r.try_get("account_id")?)).transpose()
    }

    /// Gives an account its user handle, or returns the one it has.
    pub async fn ensure_user_handle(
        &self,
        account_id: i64,
        new_handle: &str,
        now: Timestamp,
    ) -> Result<String> {
        sqlx::query(
            "INSERT INTO passkey_users (account_id, user_handle, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id) DO NOTHING",
        )
        .bind(account_id)
        .bind(new_handle)
        .bind(now.0)
        .execute(self.db())
        .await?;
        Ok(self
            .passkey_user_handle(account_id)
            .await?
            .unwrap_or_else(|| new_handle.to_owned()))
    }

    pub async fn passkeys_of(&self, account_id: i64) -> Result<Vec<StoredPasskey>> {
        let rows = sqlx::query(&format!(
            "SELECT {PASSKEY_COLUMNS} FROM passkeys WHERE account_id = $1 ORDER BY id"
        ))
        .bind(account_id)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(passkey_from_row).collect()
    }

    /// Starts a ceremony: its state, for `ttl`, under the hash of its id.
    pub async fn begin_ceremony(
        &self,
        id_hash: &str,
        purpose: &str,
        account_id: Option<i64>,
        state: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        sqlx::query("DELETE FROM webauthn_ceremonies WHERE expires_at <= $1")
            .bind(now.0)
            .execute(self.db())
            .await?;
        sqlx::query(
            "INSERT INTO webauthn_ceremonies (id_hash, purpose, account_id, state, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id_hash)
        .bind(purpose)
        .bind(account_id)
        .bind(state)
        .bind(now.0)
        .bind(expires_at.0)
        .execute(self.db())
        .await?;
        Ok(())
    }

    /// Takes a ceremony once: its account and state, if it is of `purpose` and unexpired.
    pub async fn take_ceremony(
        &self,
        id_hash: &str,
        purpose: &str,
        now: Timestamp,
    ) -> Result<Option<(Option<i64>, String)>> {
        let row = sqlx::query(
            "DELETE FROM webauthn_ceremonies WHERE id_hash = $1 AND purpose = $2 AND expires_at > $3 \
             RETURNING account_id, state",
        )
        .bind(id_hash)
        .bind(purpose)
        .bind(now.0)
        .fetch_optional(self.db())
        .await?;
        row.map(|r| Ok((r.try_get("account_id")?, r.try_get("state")?)))
            .transpose()
    }
}

impl StoreTx {
    pub async fn add_passkey(
        &mut self,
        account_id: i64,
        name: &str,
        credential_id: &str,
        credential: &str,
        now: Timestamp,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO passkeys (account_id, name, credential_id, credential, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(account_id)
        .bind(name)
        .bind(credential_id)
        .bind(credential)
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Removes one of an account's passkeys; false when it was not there.
    pub async fn remove_passkey(&mut self, account_id: i64, id: i64) -> Result<bool> {
        let r = sqlx::query("DELETE FROM passkeys WHERE id = $1 AND account_id = $2")
            .bind(id)
            .bind(account_id)
            .execute(self.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Records a use: the credential with its new counter, and when.
    pub async fn passkey_used(&mut self, id: i64, credential: &str, now: Timestamp) -> Result<()> {
        sqlx::query("UPDATE passkeys SET credential = $1, last_used_at = $2 WHERE id = $3")
            .bind(credential)
            .bind(now.0)
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}
