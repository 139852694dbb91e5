//! Single-use recovery tokens (password reset, unlock by mail, email change), device cookies,
//! and the look-ups account recovery needs.

use ccus_domain::{AccountId, Timestamp};
use sqlx::Row;

use crate::accounts::{account_from_row, ACCOUNT_COLUMNS};
use crate::{Account, Recovery, Result, Store, StoreTx};

/// What a recovery token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// パスワード再設定
    Reset,
    /// ロック解除
    Unlock,
    /// メールアドレス変更の確認
    EmailChange,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Reset => "reset",
            TokenPurpose::Unlock => "unlock",
            TokenPurpose::EmailChange => "email_change",
        }
    }
}

/// A valid, unused token with its account.
#[derive(Debug, Clone)]
pub struct TokenRecord {
    pub account: Account,
    pub expires_at: Timestamp,
    /// For [`TokenPurpose::EmailChange`]: the address being confirmed.
    pub new_email: Option<String>,
}

impl Recovery<&mut StoreTx> {
    /// Stores a new token (only its hash) and voids every older unused token of the same
    /// purpose for the account: a newer link always replaces older ones.
    pub async fn create_token(
        &mut self,
        token_hash: &str,
        purpose: TokenPurpose,
        account_id: AccountId,
        new_email: Option<&str>,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE recovery_tokens SET used_at = $1 WHERE account_id = $2 AND purpose = $3 AND used_at IS NULL",
        )
        .bind(now.0)
        .bind(account_id.get())
        .bind(purpose.as_str())
        .execute(self.conn())
        .await?;
        sqlx::query(
            "INSERT INTO recovery_tokens (token_hash, purpose, account_id, created_at, expires_at, new_email) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(purpose.as_str())
        .bind(account_id.get())
        .bind(now.0)
        .bind(expires_at.0)
        .bind(new_email)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Voids every unused token of an account (its email changed: links sent to the old
    /// address must stop working).
    pub async fn void_tokens(&mut self, account_id: AccountId, now: Timestamp) -> Result<u64> {
        let r = sqlx::query(
            "UPDATE recovery_tokens SET used_at = $1 WHERE account_id = $2 AND used_at IS NULL",
        )
        .bind(now.0)
        .bind(account_id.get())
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected())
    }

    /// Uses a token up: of two simultaneous uses exactly one gets it. `None` when it is
    /// unknown, used, expired or for another purpose.
    pub async fn consume_token(
        &mut self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: Timestamp,
    ) -> Result<Option<TokenRecord>> {
        let row = sqlx::query(
            "UPDATE recovery_tokens SET used_at = $1 \
             WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
             RETURNING account_id, expires_at, new_email",
        )
        .bind(now.0)
        .bind(token_hash)
        .bind(purpose.as_str())
        .fetch_optional(self.conn())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let account_id: i64 = row.try_get("account_id")?;
        let expires_at = Timestamp(row.try_get("expires_at")?);
        let new_email: Option<String> = row.try_get("new_email")?;
        let a = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1"
        ))
        .bind(account_id)
        .fetch_one(self.conn())
        .await?;
        Ok(Some(TokenRecord {
            account: account_from_row(&a)?,
            expires_at,
            new_email,
        }))
    }
}

impl Recovery<&Store> {
    /// Looks at a token without using it (to show the form it opens).
    pub async fn peek_token(
        self,
        token_hash: &str,
        purpose: TokenPurpose,
        now: Timestamp,
    ) -> Result<Option<TokenRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, t.expires_at AS expires_at, t.new_email AS new_email FROM recovery_tokens t \
             JOIN accounts a ON a.id = t.account_id \
             WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > $3"
        ))
        .bind(token_hash)
        .bind(purpose.as_str())
        .bind(now.0)
        .fetch_optional(self.db())
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(TokenRecord {
            account: account_from_row(&r)?,
            expires_at: Timestamp(r.try_get("expires_at")?),
            new_email: r.try_get("new_email")?,
        }))
    }

    /// Every account registered with `email` (compared without regard to case).
    pub async fn accounts_by_email(self, email: &str) -> Result<Vec<Account>> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE LOWER(a.email) = LOWER($1) ORDER BY a.id"
        ))
        .bind(email)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(account_from_row).collect()
    }

    /// Remembers a browser in which `login_id` has logged in (a device cookie's hash).
    pub async fn remember_device(
        self,
        token_hash: &str,
        login_id: &str,
        now: Timestamp,
    ) -> Result<()> {
        remember_device(self.db(), token_hash, login_id, now).await
    }

    /// The login ID a device cookie was issued for, if it is known.
    pub async fn device_login_id(self, token_hash: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT login_id FROM devices WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(self.db())
            .await?;
        Ok(row.map(|r| r.try_get("login_id")).transpose()?)
    }
}

impl Recovery<&mut StoreTx> {
    /// [`Recovery::remember_device`] with the login that opened the session.
    pub async fn remember_device(
        &mut self,
        token_hash: &str,
        login_id: &str,
        now: Timestamp,
    ) -> Result<()> {
        remember_device(self.conn(), token_hash, login_id, now).await
    }
}

async fn remember_device<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    e: E,
    token_hash: &str,
    login_id: &str,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO devices (token_hash, login_id, created_at, last_used_at) VALUES ($1, $2, $3, $3) \
         ON CONFLICT (token_hash) DO UPDATE SET login_id = excluded.login_id, last_used_at = excluded.last_used_at",
    )
    .bind(token_hash)
    .bind(login_id)
    .bind(now.0)
    .execute(e)
    .await?;
    Ok(())
}
