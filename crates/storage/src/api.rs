//! The partner API's tables: registered clients, their access tokens (as hashes), the client
//! assertions already used, businesses' grants, and the answers kept for `Idempotency-Key`.

use ccus_domain::{AccountId, ClientId, GrantId, LoginId, ReaderId, SiteKey, Timestamp};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{Api, Result, Store, StoreError, StoreTx};

/// A registered system.
#[derive(Debug, Clone)]
pub struct ApiClient {
    pub id: ClientId,
    /// The public identifier it names itself by (`ccusc_…`).
    pub client_id: String,
    pub name: String,
    pub vendor: String,
    /// The vendor's contact address.
    pub contact: String,
    /// The scopes it may ask for, as a space-separated list.
    pub scopes: String,
    /// `sandbox`, `certified` or `suspended`.
    pub state: String,
    /// `private_key_jwt` or `client_secret`.
    pub auth_method: String,
    /// The JWK Set it registered (JSON), or empty.
    pub jwks: String,
    /// Where it publishes its JWK Set, or empty.
    pub jwks_url: String,
    /// The hash of its secret, or empty. Never leaves the application layer.
    pub secret_hash: String,
    /// Where a business's consent may send it back to, space-separated.
    pub redirect_uris: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A client to register.
#[derive(Debug, Clone)]
pub struct NewApiClient<'a> {
    pub client_id: &'a str,
    pub name: &'a str,
    pub vendor: &'a str,
    pub contact: &'a str,
    pub scopes: &'a str,
    pub state: &'a str,
    pub auth_method: &'a str,
    pub jwks: &'a str,
    pub jwks_url: &'a str,
    pub secret_hash: &'a str,
    pub redirect_uris: &'a str,
}

/// A live access token, with its client as it is now.
#[derive(Debug, Clone)]
pub struct ApiTokenRow {
    pub client: ApiClient,
    pub scopes: String,
    /// The business whose consent made the token; `None` for client credentials.
    pub business: Option<AccountId>,
    pub issued_at: Timestamp,
    pub expires_at: Timestamp,
}

/// A business's grant to a client.
#[derive(Debug, Clone)]
pub struct ApiGrant {
    pub id: GrantId,
    pub business: AccountId,
    pub client: ClientId,
    pub client_name: String,
    pub vendor: String,
    pub scopes: String,
    pub granted_by: AccountId,
    /// The 管理者ID that granted it, as its login ID and name.
    pub granted_by_login: String,
    pub granted_by_name: String,
    /// The business, as its 事業者ID and name.
    pub business_login: String,
    pub business_name: String,
    pub granted_at: Timestamp,
}

/// An authorization code being redeemed: what the consent was for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiCode {
    pub client: ClientId,
    pub business: AccountId,
    pub scopes: String,
    pub redirect_uri: String,
    pub code_challenge: String,
}

/// What a key's first request left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdempotencyClaim {
    /// The key is new: this request is its first and is now being answered.
    First,
    /// The first request with this key is still being answered.
    InProgress { request_hash: String },
    /// The first request was answered so.
    Answered {
        request_hash: String,
        status: u16,
        body: String,
    },
}

pub(crate) const CLIENT_COLUMNS: &str =
    "c.id AS c_id, c.client_id AS c_client_id, c.name AS c_name, \
     c.vendor AS c_vendor, c.contact AS c_contact, c.scopes AS c_scopes, c.state AS c_state, \
     c.auth_method AS c_auth_method, c.jwks AS c_jwks, c.jwks_url AS c_jwks_url, \
     c.secret_hash AS c_secret_hash, c.redirect_uris AS c_redirect_uris, \
     c.created_at AS c_created_at, c.updated_at AS c_updated_at";

pub(crate) fn client_from(r: &AnyRow) -> Result<ApiClient> {
    Ok(ApiClient {
        id: ClientId::new(r.try_get("c_id")?),
        client_id: r.try_get("c_client_id")?,
        name: r.try_get("c_name")?,
        vendor: r.try_get("c_vendor")?,
        contact: r.try_get("c_contact")?,
        scopes: r.try_get("c_scopes")?,
        state: r.try_get("c_state")?,
        auth_method: r.try_get("c_auth_method")?,
        jwks: r.try_get("c_jwks")?,
        jwks_url: r.try_get("c_jwks_url")?,
        secret_hash: r.try_get("c_secret_hash")?,
        redirect_uris: r.try_get("c_redirect_uris")?,
        created_at: Timestamp(r.try_get("c_created_at")?),
        updated_at: Timestamp(r.try_get("c_updated_at")?),
    })
}

/// The key column of a client's reader on a site: unique, and never a key anyone holds.
pub fn client_reader_key(client: ClientId, site: SiteKey) -> String {
    format!("api:{}:{}", client.get(), site.get())
}

impl Api<&Store> {
    /// A client by its public identifier.
    pub async fn client_by_client_id(self, client_id: &str) -> Result<Option<ApiClient>> {
        let sql = format!("SELECT {CLIENT_COLUMNS} FROM api_clients c WHERE c.client_id = $1");
        let row = sqlx::query(&sql)
            .bind(client_id)
            .fetch_optional(self.db())
            .await?;
        row.as_ref().map(client_from).transpose()
    }

    pub async fn client(self, id: ClientId) -> Result<Option<ApiClient>> {
        let sql = format!("SELECT {CLIENT_COLUMNS} FROM api_clients c WHERE c.id = $1");
        let row = sqlx::query(&sql)
            .bind(id.get())
            .fetch_optional(self.db())
            .await?;
        row.as_ref().map(client_from).transpose()
    }

    /// Every client, newest first.
    pub async fn clients(self) -> Result<Vec<ApiClient>> {
        let sql = format!("SELECT {CLIENT_COLUMNS} FROM api_clients c ORDER BY c.id DESC");
        let rows = sqlx::query(&sql).fetch_all(self.db()).await?;
        rows.iter().map(client_from).collect()
    }

    /// The live token with this hash, with its client.
    pub async fn token(self, token_hash: &str, now: Timestamp) -> Result<Option<ApiTokenRow>> {
        let sql = format!(
            "SELECT {CLIENT_COLUMNS}, t.scopes AS t_scopes, t.business_id AS t_business, \
             t.issued_at AS t_issued, t.expires_at AS t_expires \
             FROM api_tokens t JOIN api_clients c ON c.id = t.client_pk \
             WHERE t.token_hash = $1 AND t.expires_at > $2"
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .bind(now.0)
            .fetch_optional(self.db())
            .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        let business: Option<i64> = r.try_get("t_business")?;
        Ok(Some(ApiTokenRow {
            client: client_from(&r)?,
            scopes: r.try_get("t_scopes")?,
            business: business.map(AccountId::new),
            issued_at: Timestamp(r.try_get("t_issued")?),
            expires_at: Timestamp(r.try_get("t_expires")?),
        }))
    }

    /// The live grants of a business (newest first).
    pub async fn grants_of(self, business: AccountId) -> Result<Vec<ApiGrant>> {
        self.grants_where("g.business_id = $1", business.get())
            .await
    }

    /// The live grants made to a client (newest first).
    pub async fn grants_to(self, client: ClientId) -> Result<Vec<ApiGrant>> {
        self.grants_where("g.client_pk = $1", client.get()).await
    }

    async fn grants_where(self, filter: &str, value: i64) -> Result<Vec<ApiGrant>> {
        let sql = format!(
            "SELECT g.id, g.business_id, g.client_pk, c.name AS client_name, c.vendor, g.scopes, \
             g.granted_by, a.login_id AS granted_by_login, a.name AS granted_by_name, \
             g.granted_at, b.login_id AS business_login, b.name AS business_name \
             FROM api_grants g JOIN api_clients c ON c.id = g.client_pk \
             JOIN accounts a ON a.id = g.granted_by JOIN accounts b ON b.id = g.business_id \
             WHERE g.revoked_at IS NULL AND {filter} ORDER BY g.id DESC"
        );
        let rows = sqlx::query(&sql).bind(value).fetch_all(self.db()).await?;
        rows.iter()
            .map(|r| {
                Ok(ApiGrant {
                    id: GrantId::new(r.try_get("id")?),
                    business: AccountId::new(r.try_get("business_id")?),
                    client: ClientId::new(r.try_get("client_pk")?),
                    client_name: r.try_get("client_name")?,
                    vendor: r.try_get("vendor")?,
                    scopes: r.try_get("scopes")?,
                    granted_by: AccountId::new(r.try_get("granted_by")?),
                    granted_by_login: r.try_get("granted_by_login")?,
                    granted_by_name: r.try_get("granted_by_name")?,
                    business_login: r.try_get("business_login")?,
                    business_name: r.try_get("business_name")?,
                    granted_at: Timestamp(r.try_get("granted_at")?),
                })
            })
            .collect()
    }

    /// The live grant to a client of the business with this 事業者ID: the business, the scopes
    /// and the 管理者ID that made it.
    pub async fn grant_by_login(
        self,
        business: &LoginId,
        client: ClientId,
    ) -> Result<Option<(AccountId, String, AccountId)>> {
        let row = sqlx::query(
            "SELECT g.business_id, g.scopes, g.granted_by FROM accounts b \
             JOIN api_grants g ON g.business_id = b.id \
             WHERE b.login_id = $1 AND g.client_pk = $2 AND g.revoked_at IS NULL",
        )
        .bind(business.as_str())
        .bind(client.get())
        .fetch_optional(self.db())
        .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        Ok(Some((
            AccountId::new(r.try_get("business_id")?),
            r.try_get("scopes")?,
            AccountId::new(r.try_get("granted_by")?),
        )))
    }

    /// The live grant of a business to a client: its scopes and the 管理者ID that made it.
    pub async fn grant_of(
        self,
        business: AccountId,
        client: ClientId,
    ) -> Result<Option<(String, AccountId)>> {
        let row = sqlx::query(
            "SELECT scopes, granted_by FROM api_grants WHERE business_id = $1 AND client_pk = $2 \
             AND revoked_at IS NULL",
        )
        .bind(business.get())
        .bind(client.get())
        .fetch_optional(self.db())
        .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        Ok(Some((
            r.try_get("scopes")?,
            AccountId::new(r.try_get("granted_by")?),
        )))
    }
}

impl Api<&mut StoreTx> {
    pub async fn add_client(&mut self, c: &NewApiClient<'_>, now: Timestamp) -> Result<ClientId> {
        let row = sqlx::query(
            "INSERT INTO api_clients (client_id, name, vendor, contact, scopes, state, \
             auth_method, jwks, jwks_url, secret_hash, redirect_uris, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $12, $11, $11) RETURNING id",
        )
        .bind(c.client_id)
        .bind(c.name)
        .bind(c.vendor)
        .bind(c.contact)
        .bind(c.scopes)
        .bind(c.state)
        .bind(c.auth_method)
        .bind(c.jwks)
        .bind(c.jwks_url)
        .bind(c.secret_hash)
        .bind(now.0)
        .bind(c.redirect_uris)
        .fetch_one(self.conn())
        .await?;
        Ok(ClientId::new(row.try_get("id")?))
    }

    /// The client, its row locked until the transaction ends (changes to it take turns).
    pub async fn lock_client(&mut self, client_id: &str) -> Result<Option<ApiClient>> {
        // A write first: it takes the row lock on PostgreSQL, the write lock on SQLite.
        let touched =
            sqlx::query("UPDATE api_clients SET updated_at = updated_at WHERE client_id = $1")
                .bind(client_id)
                .execute(self.conn())
                .await?;
        if touched.rows_affected() == 0 {
            return Ok(None);
        }
        let sql = format!("SELECT {CLIENT_COLUMNS} FROM api_clients c WHERE c.client_id = $1");
        let row = sqlx::query(&sql)
            .bind(client_id)
            .fetch_one(self.conn())
            .await?;
        client_from(&row).map(Some)
    }

    /// Changes what may be changed of a client: its state, scopes and keys.
    pub async fn update_client(&mut self, c: &ApiClient, now: Timestamp) -> Result<()> {
        sqlx::query(
            "UPDATE api_clients SET name = $2, vendor = $3, contact = $4, scopes = $5, \
             state = $6, auth_method = $7, jwks = $8, jwks_url = $9, secret_hash = $10, \
             updated_at = $11, redirect_uris = $12 WHERE id = $1",
        )
        .bind(c.id.get())
        .bind(&c.name)
        .bind(&c.vendor)
        .bind(&c.contact)
        .bind(&c.scopes)
        .bind(&c.state)
        .bind(&c.auth_method)
        .bind(&c.jwks)
        .bind(&c.jwks_url)
        .bind(&c.secret_hash)
        .bind(now.0)
        .bind(&c.redirect_uris)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Ends every token of a client (suspended, or its keys replaced after a leak).
    pub async fn end_tokens(&mut self, client: ClientId) -> Result<u64> {
        let done = sqlx::query("DELETE FROM api_tokens WHERE client_pk = $1")
            .bind(client.get())
            .execute(self.conn())
            .await?;
        Ok(done.rows_affected())
    }

    /// Ends the tokens a business's consent made for a client (the grant was revoked).
    pub async fn end_business_tokens(
        &mut self,
        client: ClientId,
        business: AccountId,
    ) -> Result<()> {
        sqlx::query("DELETE FROM api_tokens WHERE client_pk = $1 AND business_id = $2")
            .bind(client.get())
            .bind(business.get())
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Notes a client assertion's id as used; false when it was used before. (The periodic
    /// clean-up forgets ids past `expires_at`: by then their assertion is refused as expired.)
    pub async fn use_assertion(
        &mut self,
        client: ClientId,
        jti: &str,
        expires_at: Timestamp,
    ) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO api_assertions (client_pk, jti, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (client_pk, jti) DO NOTHING",
        )
        .bind(client.get())
        .bind(jti)
        .bind(expires_at.0)
        .execute(self.conn())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn add_token(
        &mut self,
        token_hash: &str,
        client: ClientId,
        scopes: &str,
        business: Option<AccountId>,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, client_pk, scopes, business_id, issued_at, \
             expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(client.get())
        .bind(scopes)
        .bind(business.map(AccountId::get))
        .bind(now.0)
        .bind(expires_at.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Ends one token (revocation, RFC 7009); false when it was not live.
    pub async fn end_token(&mut self, token_hash: &str, client: ClientId) -> Result<bool> {
        let done = sqlx::query("DELETE FROM api_tokens WHERE token_hash = $1 AND client_pk = $2")
            .bind(token_hash)
            .bind(client.get())
            .execute(self.conn())
            .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Grants a client `scopes` of a business's data, replacing a live grant; returns it.
    pub async fn grant(
        &mut self,
        business: AccountId,
        client: ClientId,
        scopes: &str,
        by: AccountId,
        now: Timestamp,
    ) -> Result<GrantId> {
        sqlx::query(
            "UPDATE api_grants SET revoked_at = $3, revoked_by = $4 \
             WHERE business_id = $1 AND client_pk = $2 AND revoked_at IS NULL",
        )
        .bind(business.get())
        .bind(client.get())
        .bind(now.0)
        .bind(by.get())
        .execute(self.conn())
        .await?;
        let row = sqlx::query(
            "INSERT INTO api_grants (business_id, client_pk, scopes, granted_by, granted_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(business.get())
        .bind(client.get())
        .bind(scopes)
        .bind(by.get())
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        Ok(GrantId::new(row.try_get("id")?))
    }

    /// Revokes a business's live grant; the client it was made to, or `None` when there was
    /// no such live grant.
    pub async fn revoke_grant(
        &mut self,
        business: AccountId,
        grant: GrantId,
        by: AccountId,
        now: Timestamp,
    ) -> Result<Option<ClientId>> {
        let row = sqlx::query(
            "UPDATE api_grants SET revoked_at = $3, revoked_by = $4 \
             WHERE id = $1 AND business_id = $2 AND revoked_at IS NULL RETURNING client_pk",
        )
        .bind(grant.get())
        .bind(business.get())
        .bind(now.0)
        .bind(by.get())
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| {
            r.try_get("client_pk")
                .map(ClientId::new)
                .map_err(StoreError::from)
        })
        .transpose()
    }

    /// The client's own reader on a site, made the first time it sends touches there.
    pub async fn client_reader(
        &mut self,
        site: SiteKey,
        client: ClientId,
        name: &str,
        by: AccountId,
        now: Timestamp,
    ) -> Result<ReaderId> {
        // The key hash only has to be unique: the reader is reached through the client.
        sqlx::query(
            "INSERT INTO site_readers (site_id, name, key_hash, key_hint, created_by, \
             created_at, api_client_id) VALUES ($1, $2, $3, '', $4, $5, $6) \
             ON CONFLICT DO NOTHING",
        )
        .bind(site.get())
        .bind(name)
        .bind(client_reader_key(client, site))
        .bind(by.get())
        .bind(now.0)
        .bind(client.get())
        .execute(self.conn())
        .await?;
        let row = sqlx::query(
            "SELECT id FROM site_readers WHERE site_id = $1 AND api_client_id = $2 \
             AND revoked_at IS NULL",
        )
        .bind(site.get())
        .bind(client.get())
        .fetch_one(self.conn())
        .await?;
        Ok(ReaderId::new(row.try_get("id")?))
    }

    /// Keeps an authorization code (its hash) until `expires_at`.
    pub async fn add_code(
        &mut self,
        code_hash: &str,
        code: &ApiCode,
        expires_at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO api_codes (code_hash, client_pk, business_id, scopes, redirect_uri, \
             code_challenge, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(code_hash)
        .bind(code.client.get())
        .bind(code.business.get())
        .bind(&code.scopes)
        .bind(&code.redirect_uri)
        .bind(&code.code_challenge)
        .bind(expires_at.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Uses an authorization code: what it was for, if it was live and unused (of two uses at
    /// once, one gets it); `None` for a code unknown, expired or used before, alike.
    pub async fn use_code(&mut self, code_hash: &str, now: Timestamp) -> Result<Option<ApiCode>> {
        let row = sqlx::query(
            "UPDATE api_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL \
             AND expires_at > $2 \
             RETURNING client_pk, business_id, scopes, redirect_uri, code_challenge",
        )
        .bind(code_hash)
        .bind(now.0)
        .fetch_optional(self.conn())
        .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        Ok(Some(ApiCode {
            client: ClientId::new(r.try_get("client_pk")?),
            business: AccountId::new(r.try_get("business_id")?),
            scopes: r.try_get("scopes")?,
            redirect_uri: r.try_get("redirect_uri")?,
            code_challenge: r.try_get("code_challenge")?,
        }))
    }

    /// Forgets expired tokens and assertions, and idempotency answers older than `before`.
    pub async fn prune(&mut self, now: Timestamp, before: Timestamp) -> Result<u64> {
        let mut n = 0;
        for (sql, at) in [
            ("DELETE FROM api_tokens WHERE expires_at <= $1", now),
            ("DELETE FROM api_assertions WHERE expires_at <= $1", now),
            ("DELETE FROM api_codes WHERE expires_at <= $1", now),
            ("DELETE FROM api_idempotency WHERE created_at <= $1", before),
        ] {
            n += sqlx::query(sql)
                .bind(at.0)
                .execute(self.conn())
                .await?
                .rows_affected();
        }
        Ok(n)
    }
}

/// `Idempotency-Key`: each statement on its own (autocommit), one round trip in the usual case.
impl Api<&Store> {
    /// Claims an idempotency key for this request, or says what its first request left. A
    /// first request still unanswered since before `stale_before` (its instance stopped
    /// half-way) is taken over: this one becomes the first.
    pub async fn claim_key(
        self,
        client: ClientId,
        key: &str,
        request_hash: &str,
        now: Timestamp,
        stale_before: Timestamp,
    ) -> Result<IdempotencyClaim> {
        let claim = sqlx::query(
            "INSERT INTO api_idempotency (client_pk, idem_key, request_hash, status, body, \
             created_at) VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (client_pk, idem_key) \
             DO NOTHING",
        )
        .bind(client.get())
        .bind(key)
        .bind(request_hash)
        .bind(now.0);
        // On PostgreSQL the claim's commit does not wait for the disk: the write it guards
        // commits durably after it, and WAL order flushes the claim with that commit. (A claim
        // lost in a crash before any write is only a key that works again.)
        let done = if self.backend() == crate::Backend::Postgres {
            let mut tx = self.begin_write().await?;
            tx.without_flush().await?;
            let done = claim.execute(tx.conn()).await?;
            tx.commit().await?;
            done
        } else {
            claim.execute(self.db()).await?
        };
        if done.rows_affected() == 1 {
            return Ok(IdempotencyClaim::First);
        }
        let taken_over = sqlx::query(
            "UPDATE api_idempotency SET request_hash = $3, created_at = $4 \
             WHERE client_pk = $1 AND idem_key = $2 AND status = 0 AND created_at < $5",
        )
        .bind(client.get())
        .bind(key)
        .bind(request_hash)
        .bind(now.0)
        .bind(stale_before.0)
        .execute(self.db())
        .await?;
        if taken_over.rows_affected() == 1 {
            return Ok(IdempotencyClaim::First);
        }
        let r = sqlx::query(
            "SELECT request_hash, status, body FROM api_idempotency \
             WHERE client_pk = $1 AND idem_key = $2",
        )
        .bind(client.get())
        .bind(key)
        .fetch_one(self.db())
        .await?;
        let request_hash: String = r.try_get("request_hash")?;
        let status: i64 = r.try_get("status")?;
        Ok(match u16::try_from(status).unwrap_or(0) {
            0 => IdempotencyClaim::InProgress { request_hash },
            status => IdempotencyClaim::Answered {
                request_hash,
                status,
                body: r.try_get("body")?,
            },
        })
    }

    /// Keeps the answer to a key's first request.
    pub async fn keep_answer(
        self,
        client: ClientId,
        key: &str,
        status: u16,
        body: &str,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE api_idempotency SET status = $3, body = $4 \
             WHERE client_pk = $1 AND idem_key = $2",
        )
        .bind(client.get())
        .bind(key)
        .bind(i64::from(status))
        .bind(body)
        .execute(self.db())
        .await?;
        Ok(())
    }

    /// Gives a key back (its first request failed before it was answered).
    pub async fn release_key(self, client: ClientId, key: &str) -> Result<()> {
        sqlx::query(
            "DELETE FROM api_idempotency WHERE client_pk = $1 AND idem_key = $2 AND status = 0",
        )
        .bind(client.get())
        .bind(key)
        .execute(self.db())
        .await?;
        Ok(())
    }
}
