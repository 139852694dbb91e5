//! Passkeys: each account's WebAuthn user handle, its credentials, and the ceremonies in
//! progress (single-use: taking one deletes it).

use ccus_domain::{AccountId, StaffId, Timestamp};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{Passkeys, Result, Store, StoreTx};

/// Whose passkeys: a portal account's, or a helpdesk staff member's (a second factor).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasskeyOwner {
    Account(i64),
    Staff(i64),
}

impl PasskeyOwner {
    /// (user handles table, its owner column, credentials table, its owner column)
    fn tables(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            PasskeyOwner::Account(_) => ("passkey_users", "account_id", "passkeys", "account_id"),
            PasskeyOwner::Staff(_) => (
                "staff_passkey_users",
                "owner_id",
                "staff_passkeys",
                "owner_id",
            ),
        }
    }
    pub fn id(self) -> i64 {
        match self {
            PasskeyOwner::Account(id) | PasskeyOwner::Staff(id) => id,
        }
    }
}

/// A registered passkey. `credential` is the library's serialised credential (with its
/// signature counter), opaque here.
#[derive(Debug, Clone)]
pub struct StoredPasskey {
    pub id: i64,
    /// The account or staff member it belongs to.
    pub owner_id: i64,
    pub name: String,
    pub credential_id: String,
    pub credential: String,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

const PASSKEY_COLUMNS: &str = "id, name, credential_id, credential, created_at, last_used_at";

fn passkey_from_row(r: &AnyRow) -> Result<StoredPasskey> {
    Ok(StoredPasskey {
        id: r.try_get("id")?,
        owner_id: r.try_get("owner")?,
        name: r.try_get("name")?,
        credential_id: r.try_get("credential_id")?,
        credential: r.try_get("credential")?,
        created_at: Timestamp(r.try_get("created_at")?),
        last_used_at: r.try_get::<Option<i64>, _>("last_used_at")?.map(Timestamp),
    })
}

impl Passkeys<&Store> {
    /// The user handle of an owner, if it has one.
    pub async fn passkey_user_handle(self, owner: PasskeyOwner) -> Result<Option<String>> {
        let (users, col, _, _) = owner.tables();
        let row = sqlx::query(&format!("SELECT user_handle FROM {users} WHERE {col} = $1"))
            .bind(owner.id())
            .fetch_optional(self.db())
            .await?;
        row.map(|r| Ok(r.try_get("user_handle")?)).transpose()
    }

    /// The staff member of a user handle.
    pub async fn staff_of_user_handle(self, handle: &str) -> Result<Option<StaffId>> {
        let row = sqlx::query("SELECT owner_id FROM staff_passkey_users WHERE user_handle = $1")
            .bind(handle)
            .fetch_optional(self.db())
            .await?;
        row.map(|r| Ok(StaffId::new(r.try_get("owner_id")?)))
            .transpose()
    }

    /// The account of a user handle.
    pub async fn account_of_user_handle(self, handle: &str) -> Result<Option<AccountId>> {
        let row = sqlx::query("SELECT account_id FROM passkey_users WHERE user_handle = $1")
            .bind(handle)
            .fetch_optional(self.db())
            .await?;
        row.map(|r| Ok(AccountId::new(r.try_get("account_id")?)))
            .transpose()
    }

    /// Gives an owner its user handle, or returns the one it has.
    pub async fn ensure_user_handle(
        self,
        owner: PasskeyOwner,
        new_handle: &str,
        now: Timestamp,
    ) -> Result<String> {
        let (users, col, _, _) = owner.tables();
        sqlx::query(&format!(
            "INSERT INTO {users} ({col}, user_handle, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT ({col}) DO NOTHING"
        ))
        .bind(owner.id())
        .bind(new_handle)
        .bind(now.0)
        .execute(self.db())
        .await?;
        Ok(self
            .passkey_user_handle(owner)
            .await?
            .unwrap_or_else(|| new_handle.to_owned()))
    }

    pub async fn passkeys_of(self, owner: PasskeyOwner) -> Result<Vec<StoredPasskey>> {
        let (_, _, creds, col) = owner.tables();
        let rows = sqlx::query(&format!(
            "SELECT {PASSKEY_COLUMNS}, {col} AS owner FROM {creds} WHERE {col} = $1 ORDER BY id"
        ))
        .bind(owner.id())
        .fetch_all(self.db())
        .await?;
        rows.iter().map(passkey_from_row).collect()
    }

    /// Starts a ceremony: its state, for `ttl`, under the hash of its id.
    pub async fn begin_ceremony(
        self,
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
        self,
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

impl Passkeys<&mut StoreTx> {
    pub async fn add_passkey(
        &mut self,
        owner: PasskeyOwner,
        name: &str,
        credential_id: &str,
        credential: &str,
        now: Timestamp,
    ) -> Result<i64> {
        let (_, _, creds, col) = owner.tables();
        let row = sqlx::query(&format!(
            "INSERT INTO {creds} ({col}, name, credential_id, credential, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id"
        ))
        .bind(owner.id())
        .bind(name)
        .bind(credential_id)
        .bind(credential)
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Removes one of an owner's passkeys; false when it was not there.
    pub async fn remove_passkey(&mut self, owner: PasskeyOwner, id: i64) -> Result<bool> {
        let (_, _, creds, col) = owner.tables();
        let r = sqlx::query(&format!("DELETE FROM {creds} WHERE id = $1 AND {col} = $2"))
            .bind(id)
            .bind(owner.id())
            .execute(self.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Removes every passkey of an owner; returns how many there were.
    pub async fn remove_all_passkeys(&mut self, owner: PasskeyOwner) -> Result<u64> {
        let (_, _, creds, col) = owner.tables();
        let r = sqlx::query(&format!("DELETE FROM {creds} WHERE {col} = $1"))
            .bind(owner.id())
            .execute(self.conn())
            .await?;
        Ok(r.rows_affected())
    }

    /// Records a use: the credential with its new counter, and when.
    pub async fn passkey_used(
        &mut self,
        owner: PasskeyOwner,
        id: i64,
        credential: &str,
        now: Timestamp,
    ) -> Result<()> {
        let (_, _, creds, _) = owner.tables();
        sqlx::query(&format!(
            "UPDATE {creds} SET credential = $1, last_used_at = $2 WHERE id = $3"
        ))
        .bind(credential)
        .bind(now.0)
        .bind(id)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
