//! Accounts: who may log in, their hashes and profile. Other modules that join `accounts`
//! select [`ACCOUNT_COLUMNS`] and read them with [`account_from_row`], so an account is read
//! the same way everywhere.

use ccus_domain::calendar::parse_iso_date;
use ccus_domain::profile::format_date;
use ccus_domain::{AccountId, AccountKind, Date, LoginId, Timestamp};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{Accounts, Result, Store, StoreError, StoreTx};

/// The columns an account insert writes, in the order [`Accounts::<&Store>::bind_account`] binds them.
const ACCOUNT_INSERT: &str = "(login_id, kind, name, email, password_hash, security_code_hash, \
     created_at, updated_at, must_change_password, furigana, name_key, furigana_key, birth_date, \
     employer_id)";

/// An account as the application sees it. Its password hash is not part of it: only a login
/// reads it ([`Accounts::credentials`], [`Accounts::password_hash`]), so no page, session or
/// cache can hold one.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: AccountId,
    pub login_id: LoginId,
    pub name: String,
    pub email: String,
    pub created_at: Timestamp,
    /// Set for an initial password: it must be replaced before anything else.
    pub must_change_password: bool,
    pub profile: Profile,
}

/// What the helpdesk looks an account up by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// フリガナ as entered.
    pub furigana: String,
    /// 生年月日, `YYYY-MM-DD`.
    pub birth_date: Option<Date>,
    /// For a technician: the business account they work for.
    pub employer_id: Option<AccountId>,
}

/// Someone who logs in (an account, a staff member, an applicant) with the hash of their
/// password: what a login checks, and nothing else reads. The rows themselves carry no hash.
#[derive(Clone)]
pub struct Credentials<T> {
    pub holder: T,
    pub password_hash: String,
}

impl<T: std::fmt::Debug> std::fmt::Debug for Credentials<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("holder", &self.holder)
            .finish_non_exhaustive()
    }
}

impl Account {
    pub fn kind(&self) -> AccountKind {
        self.login_id.kind()
    }
}

/// What is needed to create an account; hashes are made by the caller.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub login_id: LoginId,
    pub name: String,
    pub email: String,
    pub password_hash: String,
    pub security_code_hash: String,
    pub must_change_password: bool,
    pub profile: Profile,
}

/// The columns of an account (table alias `a`), named `account_*` so that they never collide
/// with the columns of a table they are joined with. Read them with [`account_from_row`].
pub(crate) const ACCOUNT_COLUMNS: &str = "a.id AS account_id, a.login_id AS account_login_id, \
     a.name AS account_name, a.email AS account_email, \
     a.created_at AS account_created_at, \
     a.must_change_password AS account_must_change_password, \
     a.furigana AS account_furigana, a.birth_date AS account_birth_date, \
     a.employer_id AS account_employer_id";

/// Reads the account selected with [`ACCOUNT_COLUMNS`].
pub(crate) fn account_from_row(r: &AnyRow) -> Result<Account> {
    let login: String = r.try_get("account_login_id")?;
    let login_id = LoginId::parse(&login)
        .map_err(|e| StoreError::Corrupt(format!("login id {login:?}: {e}")))?;
    Ok(Account {
        id: AccountId::new(r.try_get("account_id")?),
        login_id,
        name: r.try_get("account_name")?,
        email: r.try_get("account_email")?,
        created_at: Timestamp(r.try_get("account_created_at")?),
        must_change_password: r.try_get::<i64, _>("account_must_change_password")? != 0,
        profile: Profile {
            furigana: r.try_get("account_furigana")?,
            birth_date: r
                .try_get::<Option<String>, _>("account_birth_date")?
                .map(|s| {
                    parse_iso_date(&s)
                        .ok_or_else(|| StoreError::Corrupt(format!("birth date {s:?}")))
                })
                .transpose()?,
            employer_id: r
                .try_get::<Option<i64>, _>("account_employer_id")?
                .map(AccountId::new),
        },
    })
}

impl Accounts<&Store> {
    /// Creates an account. [`StoreError::Conflict`] when the login ID is taken.
    pub async fn create_account(self, new: &NewAccount, now: Timestamp) -> Result<Account> {
        let mut tx = self.begin().await?;
        let a = tx.accounts().create_account(new, now).await?;
        tx.commit().await?;
        Ok(a)
    }

    pub async fn account_by_login_id(self, login_id: &LoginId) -> Result<Option<Account>> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.login_id = $1"
        ))
        .bind(login_id.as_str())
        .fetch_optional(self.db())
        .await?;
        row.map(|r| account_from_row(&r)).transpose()
    }

    /// The account with its password hash, for checking a password (a login).
    pub async fn credentials(self, login_id: &LoginId) -> Result<Option<Credentials<Account>>> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, a.password_hash AS password_hash FROM accounts a \
             WHERE a.login_id = $1"
        ))
        .bind(login_id.as_str())
        .fetch_optional(self.db())
        .await?;
        row.map(|r| {
            Ok(Credentials {
                holder: account_from_row(&r)?,
                password_hash: r.try_get("password_hash")?,
            })
        })
        .transpose()
    }

    /// The password hash of an account (checking the current password before a change).
    pub async fn password_hash(self, id: AccountId) -> Result<Option<String>> {
        let row = sqlx::query("SELECT password_hash FROM accounts WHERE id = $1")
            .bind(id.get())
            .fetch_optional(self.db())
            .await?;
        row.map(|r| Ok(r.try_get("password_hash")?)).transpose()
    }

    pub async fn account_by_id(self, id: AccountId) -> Result<Option<Account>> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1"
        ))
        .bind(id.get())
        .fetch_optional(self.db())
        .await?;
        row.map(|r| account_from_row(&r)).transpose()
    }

    /// Replaces the hash of the same password (new hashing parameters after a login).
    /// Whether the password must be changed stays as it was; to set a new password use
    /// [`Accounts::set_password`].
    pub async fn rehash_password(
        self,
        account_id: AccountId,
        hash: &str,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(now.0)
            .bind(account_id.get())
            .execute(self.db())
            .await?;
        Ok(())
    }

    /// Binds the 13 values of a new account in the order of [`ACCOUNT_INSERT`] (`created_at`
    /// is bound once and used for `updated_at` too).
    fn bind_account<'q>(
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
        new: &'q NewAccount,
        now: Timestamp,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        q.bind(new.login_id.as_str())
            .bind(new.login_id.kind().as_str())
            .bind(&new.name)
            .bind(&new.email)
            .bind(&new.password_hash)
            .bind(&new.security_code_hash)
            .bind(now.0)
            .bind(i64::from(new.must_change_password))
            .bind(&new.profile.furigana)
            .bind(ccus_domain::profile::search_key(&new.name))
            .bind(ccus_domain::profile::search_key(&new.profile.furigana))
            .bind(new.profile.birth_date.map(format_date))
            .bind(new.profile.employer_id.map(AccountId::get))
    }

    /// Inserts many accounts at once (multi-row statements in one transaction), for filling a
    /// database to CCUS size. A login ID that is already taken is skipped. Returns how many
    /// were inserted.
    pub async fn insert_accounts_bulk(
        self,
        accounts: &[NewAccount],
        now: Timestamp,
    ) -> Result<u64> {
        // SQLite looks each numbered parameter up by a linear scan, so a statement's cost grows
        // with the square of its parameters: short statements there, long ones on PostgreSQL.
        let rows = match self.backend() {
            crate::Backend::Sqlite => 25,
            crate::Backend::Postgres => 400,
        };
        let mut inserted = 0;
        let mut tx = self.begin_bulk().await?;
        let before: i64 = sqlx::query("SELECT COALESCE(MAX(id), 0) AS n FROM accounts")
            .fetch_one(tx.conn())
            .await?
            .try_get("n")?;
        for chunk in accounts.chunks(rows) {
            let mut sql = format!("INSERT INTO accounts {ACCOUNT_INSERT} VALUES ");
            for i in 0..chunk.len() {
                let b = i * 13;
                if i > 0 {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    b + 7,
                    b + 8,
                    b + 9,
                    b + 10,
                    b + 11,
                    b + 12,
                    b + 13
                ));
            }
            sql.push_str(" ON CONFLICT (login_id) DO NOTHING");
            let mut q = sqlx::query(&sql);
            for new in chunk {
                q = Accounts::<&Store>::bind_account(q, new, now);
            }
            inserted += q.execute(tx.conn()).await?.rows_affected();
        }
        // Every technician has its IC card from the start, as one made by the portal does.
        let random_number = match self.backend() {
            crate::Backend::Sqlite => "upper(hex(randomblob(8)))",
            crate::Backend::Postgres => {
                "upper(substr(md5(random()::text || a.id::text || clock_timestamp()::text), 1, 16))"
            }
        };
        let expires = now
            .0
            .checked_add(10 * 365 * 86_400_000)
            .and_then(|ms| ccus_domain::calendar::jst_datetime(Timestamp(ms)))
            .map(|d| format_date(d.date()))
            .unwrap_or_default();
        sqlx::query(&format!(
            "INSERT INTO ic_cards (card_number, account_id, state, issued_at, expires_on) \
             SELECT {random_number}, a.id, 'active', $1, $2 FROM accounts a \
             WHERE a.id > $3 AND a.kind = 'technician'"
        ))
        .bind(now.0)
        .bind(expires)
        .bind(before)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(inserted)
    }

    /// The ids of the accounts of one kind (for linking generated technicians to employers).
    pub async fn account_ids_of_kind(
        self,
        kind: AccountKind,
        limit: u32,
    ) -> Result<Vec<AccountId>> {
        let rows = sqlx::query("SELECT id FROM accounts WHERE kind = $1 ORDER BY id LIMIT $2")
            .bind(kind.as_str())
            .bind(i64::from(limit))
            .fetch_all(self.db())
            .await?;
        rows.iter()
            .map(|r| Ok(AccountId::new(r.try_get("id")?)))
            .collect()
    }

    /// The stored hash of an account's 本人確認番号.
    pub async fn security_code_hash(self, account_id: AccountId) -> Result<String> {
        let row = sqlx::query("SELECT security_code_hash FROM accounts WHERE id = $1")
            .bind(account_id.get())
            .fetch_one(self.db())
            .await?;
        Ok(row.try_get("security_code_hash")?)
    }
}

impl Accounts<&mut StoreTx> {
    /// Creates an account. [`StoreError::Conflict`] when the login ID is taken.
    pub async fn create_account(&mut self, new: &NewAccount, now: Timestamp) -> Result<Account> {
        let sql = format!(
            "INSERT INTO accounts {ACCOUNT_INSERT} VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12, $13) RETURNING id"
        );
        let row = Accounts::<&Store>::bind_account(sqlx::query(&sql), new, now)
            .fetch_one(self.conn())
            .await?;
        Ok(Account {
            id: AccountId::new(row.try_get("id")?),
            login_id: new.login_id.clone(),
            name: new.name.clone(),
            email: new.email.clone(),
            created_at: now,
            must_change_password: new.must_change_password,
            profile: new.profile.clone(),
        })
    }

    /// Sets a new password hash; `must_change` marks it as an initial password (to keep the
    /// flag while only rehashing, use [`Accounts::rehash_password`]).
    pub async fn set_password(
        &mut self,
        account_id: AccountId,
        hash: &str,
        must_change: bool,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query("UPDATE accounts SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4")
            .bind(hash)
            .bind(i64::from(must_change))
            .bind(now.0)
            .bind(account_id.get())
            .execute(self.conn())
            .await?;
        self.sessions_ended(crate::SessionEnd::Account(account_id.get()))
            .await?;
        Ok(())
    }

    pub async fn set_email(
        &mut self,
        account_id: AccountId,
        email: &str,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query("UPDATE accounts SET email = $1, updated_at = $2 WHERE id = $3")
            .bind(email)
            .bind(now.0)
            .bind(account_id.get())
            .execute(self.conn())
            .await?;
        self.sessions_ended(crate::SessionEnd::Account(account_id.get()))
            .await?;
        Ok(())
    }
}

const ACCOUNT_LANGUAGE: &str = "SELECT lang FROM account_languages WHERE account_id = $1";

impl Accounts<&mut StoreTx> {
    /// [`Accounts::account_language`] inside a transaction (on its own connection).
    pub async fn account_language(&mut self, account_id: AccountId) -> Result<Option<String>> {
        let row = sqlx::query(ACCOUNT_LANGUAGE)
            .bind(account_id.get())
            .fetch_optional(self.conn())
            .await?;
        row.map(|r| Ok(r.try_get("lang")?)).transpose()
    }
}

impl Accounts<&Store> {
    /// The language an account reads its mail in, if one was recorded.
    pub async fn account_language(self, account_id: AccountId) -> Result<Option<String>> {
        let row = sqlx::query(ACCOUNT_LANGUAGE)
            .bind(account_id.get())
            .fetch_optional(self.db())
            .await?;
        row.map(|r| Ok(r.try_get("lang")?)).transpose()
    }

    /// Records the language an account uses (one statement; the last one wins, and an unchanged
    /// language writes nothing).
    pub async fn set_account_language(
        self,
        account_id: AccountId,
        lang: &str,
        now: Timestamp,
    ) -> Result<()> {
        set_account_language(self.db(), account_id.get(), lang, now).await
    }
}

impl Accounts<&mut StoreTx> {
    /// [`Accounts::set_account_language`] with the login that opened a session.
    pub async fn set_account_language(
        &mut self,
        account_id: AccountId,
        lang: &str,
        now: Timestamp,
    ) -> Result<()> {
        set_account_language(self.conn(), account_id.get(), lang, now).await
    }
}

async fn set_account_language<'e, E: sqlx::Executor<'e, Database = sqlx::Any>>(
    e: E,
    account_id: i64,
    lang: &str,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO account_languages (account_id, lang, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (account_id) DO UPDATE SET lang = excluded.lang, updated_at = excluded.updated_at \
         WHERE account_languages.lang <> excluded.lang",
    )
    .bind(account_id)
    .bind(lang)
    .bind(now.0)
    .execute(e)
    .await?;
    Ok(())
}
