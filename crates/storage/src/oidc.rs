//! 「CCUSでログイン」's tables: the keys ID tokens are signed with, each person's consent to a
//! service, the login's codes, refresh tokens (by family) and the access tokens for userinfo.

use ccus_domain::{AccountId, Timestamp};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::api::{client_from, CLIENT_COLUMNS};
use crate::{ApiClient, Oidc, Result, Store, StoreTx};

/// A signing key.
#[derive(Clone)]
pub struct OidcKey {
    pub kid: String,
    /// The JWS algorithm (`RS256`).
    pub alg: String,
    /// The private key (PKCS#1 DER, base64). Never leaves the application layer.
    pub private_der: String,
    /// The public JWK (JSON).
    pub public_jwk: String,
    pub created_at: Timestamp,
    pub retired_at: Option<Timestamp>,
}

impl std::fmt::Debug for OidcKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcKey")
            .field("kid", &self.kid)
            .field("alg", &self.alg)
            .field("created_at", &self.created_at)
            .field("retired_at", &self.retired_at)
            .finish_non_exhaustive()
    }
}

/// A person's consent to a service, with the service as it is now.
#[derive(Debug, Clone)]
pub struct OidcConsent {
    pub id: i64,
    pub account: AccountId,
    pub client: ApiClient,
    /// The subject (`sub`) the service knows the person by.
    pub subject: String,
    /// The scopes consented to, space-separated.
    pub scopes: String,
    pub granted_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

/// A login code, spent.
#[derive(Debug, Clone)]
pub struct OidcCode {
    pub consent: OidcConsent,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub nonce: String,
    pub auth_time: Timestamp,
}

/// What spending a code found.
#[derive(Debug, Clone)]
pub enum CodeUse {
    Fresh(Box<OidcCode>),
    /// Spent before: the family its first exchange began.
    Replayed {
        family: Option<String>,
    },
    /// Unknown or expired.
    Unknown,
}

/// What spending a refresh token found.
#[derive(Debug, Clone)]
pub enum RefreshUse {
    /// Live and now spent: its family, consent and the person's time of login.
    Fresh {
        family: String,
        consent: Box<OidcConsent>,
        auth_time: Timestamp,
    },
    /// Spent before: someone holds a copy. Its family.
    Replayed { family: String, consent_id: i64 },
    /// Unknown or expired.
    Unknown,
}

const CONSENT_COLUMNS: &str = "o.id AS o_id, o.account_id AS o_account, o.subject AS o_subject, \
     o.scopes AS o_scopes, o.granted_at AS o_granted, o.last_used_at AS o_used, \
     o.revoked_at AS o_revoked";

fn consent_from(r: &AnyRow) -> Result<OidcConsent> {
    Ok(OidcConsent {
        id: r.try_get("o_id")?,
        account: AccountId::new(r.try_get("o_account")?),
        client: client_from(r)?,
        subject: r.try_get("o_subject")?,
        scopes: r.try_get("o_scopes")?,
        granted_at: Timestamp(r.try_get("o_granted")?),
        last_used_at: r.try_get::<Option<i64>, _>("o_used")?.map(Timestamp),
        revoked_at: r.try_get::<Option<i64>, _>("o_revoked")?.map(Timestamp),
    })
}

fn key_from(r: &AnyRow) -> Result<OidcKey> {
    Ok(OidcKey {
        kid: r.try_get("kid")?,
        alg: r.try_get("alg")?,
        private_der: r.try_get("private_der")?,
        public_jwk: r.try_get("public_jwk")?,
        created_at: Timestamp(r.try_get("created_at")?),
        retired_at: r.try_get::<Option<i64>, _>("retired_at")?.map(Timestamp),
    })
}

fn consent_sql(filter: &str) -> String {
    format!(
        "SELECT {CONSENT_COLUMNS}, {CLIENT_COLUMNS} FROM oidc_consents o \
         JOIN api_clients c ON c.id = o.client_pk WHERE {filter}"
    )
}

impl Oidc<&Store> {
    /// The keys to publish: the one in use and those retired after `retired_after`.
    pub async fn published_keys(self, retired_after: Timestamp) -> Result<Vec<OidcKey>> {
        let rows = sqlx::query(
            "SELECT kid, alg, private_der, public_jwk, created_at, retired_at FROM oidc_keys \
             WHERE retired_at IS NULL OR retired_at > $1 ORDER BY created_at DESC, kid",
        )
        .bind(retired_after.0)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(key_from).collect()
    }

    /// The key ID tokens are signed with now: the newest not retired.
    pub async fn signing_key(self) -> Result<Option<OidcKey>> {
        let row = sqlx::query(
            "SELECT kid, alg, private_der, public_jwk, created_at, retired_at FROM oidc_keys \
             WHERE retired_at IS NULL ORDER BY created_at DESC, kid DESC LIMIT 1",
        )
        .fetch_optional(self.db())
        .await?;
        row.as_ref().map(key_from).transpose()
    }

    /// A person's live consents, newest first.
    pub async fn consents_of(self, account: AccountId) -> Result<Vec<OidcConsent>> {
        let sql = consent_sql("o.account_id = $1 AND o.revoked_at IS NULL ORDER BY o.id DESC");
        let rows = sqlx::query(&sql)
            .bind(account.get())
            .fetch_all(self.db())
            .await?;
        rows.iter().map(consent_from).collect()
    }

    /// A person's live consent to a client.
    pub async fn live_consent(
        self,
        account: AccountId,
        client: ccus_domain::ClientId,
    ) -> Result<Option<OidcConsent>> {
        let sql = consent_sql("o.account_id = $1 AND o.client_pk = $2 AND o.revoked_at IS NULL");
        let row = sqlx::query(&sql)
            .bind(account.get())
            .bind(client.get())
            .fetch_optional(self.db())
            .await?;
        row.as_ref().map(consent_from).transpose()
    }

    /// The person a client knows by `subject`.
    pub async fn subject_account(
        self,
        client: ccus_domain::ClientId,
        subject: &str,
    ) -> Result<Option<AccountId>> {
        let row = sqlx::query(
            "SELECT account_id FROM oidc_consents WHERE client_pk = $1 AND subject = $2 LIMIT 1",
        )
        .bind(client.get())
        .bind(subject)
        .fetch_optional(self.db())
        .await?;
        row.map(|r| r.try_get::<i64, _>("account_id").map(AccountId::new))
            .transpose()
            .map_err(Into::into)
    }

    /// The live consent an access token was made under.
    pub async fn access(self, token_hash: &str, now: Timestamp) -> Result<Option<OidcConsent>> {
        let sql = consent_sql(
            "o.id = (SELECT a.consent_id FROM oidc_access a \
             WHERE a.token_hash = $1 AND a.expires_at > $2) AND o.revoked_at IS NULL",
        );
        let row = sqlx::query(&sql)
            .bind(token_hash)
            .bind(now.0)
            .fetch_optional(self.db())
            .await?;
        row.as_ref().map(consent_from).transpose()
    }
}

impl Oidc<&mut StoreTx> {
    /// Adds a signing key and retires every other one still in use.
    pub async fn add_key(&mut self, key: &OidcKey) -> Result<()> {
        sqlx::query("UPDATE oidc_keys SET retired_at = $1 WHERE retired_at IS NULL")
            .bind(key.created_at.0)
            .execute(self.conn())
            .await?;
        sqlx::query(
            "INSERT INTO oidc_keys (kid, alg, private_der, public_jwk, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&key.kid)
        .bind(&key.alg)
        .bind(&key.private_der)
        .bind(&key.public_jwk)
        .bind(key.created_at.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// The key in use, read in the transaction (after [`Self::add_key`] by another instance).
    pub async fn signing_key(&mut self) -> Result<Option<OidcKey>> {
        let row = sqlx::query(
            "SELECT kid, alg, private_der, public_jwk, created_at, retired_at FROM oidc_keys \
             WHERE retired_at IS NULL ORDER BY created_at DESC, kid DESC LIMIT 1",
        )
        .fetch_optional(self.conn())
        .await?;
        row.as_ref().map(key_from).transpose()
    }

    /// Records a person's consent to a client for `scopes`, replacing a live one (the
    /// subject is kept, as it is from an earlier consent); returns the consent's id and subject.
    /// `new_subject` is used when the person never consented to this client before.
    pub async fn consent(
        &mut self,
        account: AccountId,
        client: ccus_domain::ClientId,
        scopes: &str,
        new_subject: &str,
        now: Timestamp,
    ) -> Result<(i64, String)> {
        let live = sqlx::query(
            "SELECT id, subject FROM oidc_consents \
             WHERE account_id = $1 AND client_pk = $2 AND revoked_at IS NULL",
        )
        .bind(account.get())
        .bind(client.get())
        .fetch_optional(self.conn())
        .await?;
        if let Some(r) = live {
            let id: i64 = r.try_get("id")?;
            sqlx::query("UPDATE oidc_consents SET scopes = $2 WHERE id = $1")
                .bind(id)
                .bind(scopes)
                .execute(self.conn())
                .await?;
            return Ok((id, r.try_get("subject")?));
        }
        let earlier: Option<String> = sqlx::query(
            "SELECT subject FROM oidc_consents WHERE account_id = $1 AND client_pk = $2 \
             ORDER BY id LIMIT 1",
        )
        .bind(account.get())
        .bind(client.get())
        .fetch_optional(self.conn())
        .await?
        .map(|r| r.try_get("subject"))
        .transpose()?;
        let subject = earlier.unwrap_or_else(|| new_subject.to_owned());
        let r = sqlx::query(
            "INSERT INTO oidc_consents (account_id, client_pk, subject, scopes, granted_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(account.get())
        .bind(client.get())
        .bind(&subject)
        .bind(scopes)
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        Ok((r.try_get("id")?, subject))
    }

    /// Ends a person's consent and every token made under it; the consent when it was live.
    pub async fn revoke_consent(
        &mut self,
        id: i64,
        account: AccountId,
        now: Timestamp,
    ) -> Result<Option<OidcConsent>> {
        let sql = consent_sql("o.id = $1 AND o.account_id = $2 AND o.revoked_at IS NULL");
        let row = sqlx::query(&sql)
            .bind(id)
            .bind(account.get())
            .fetch_optional(self.conn())
            .await?;
        let Some(consent) = row.as_ref().map(consent_from).transpose()? else {
            return Ok(None);
        };
        sqlx::query("UPDATE oidc_consents SET revoked_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now.0)
            .execute(self.conn())
            .await?;
        for sql in [
            "DELETE FROM oidc_refresh WHERE consent_id = $1",
            "DELETE FROM oidc_access WHERE consent_id = $1",
            "DELETE FROM oidc_codes WHERE consent_id = $1",
        ] {
            sqlx::query(sql).bind(id).execute(self.conn()).await?;
        }
        Ok(Some(consent))
    }

    /// A consent by its id, when it is live, read in the transaction.
    async fn live_consent_by_id(&mut self, id: i64) -> Result<Option<OidcConsent>> {
        let sql = consent_sql("o.id = $1 AND o.revoked_at IS NULL");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.conn())
            .await?;
        row.as_ref().map(consent_from).transpose()
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn add_code(
        &mut self,
        code_hash: &str,
        consent_id: i64,
        redirect_uri: &str,
        code_challenge: &str,
        nonce: &str,
        auth_time: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO oidc_codes (code_hash, consent_id, redirect_uri, code_challenge, nonce, \
             auth_time, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(code_hash)
        .bind(consent_id)
        .bind(redirect_uri)
        .bind(code_challenge)
        .bind(nonce)
        .bind(auth_time.0)
        .bind(expires_at.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Spends a code, naming the token family its exchange begins.
    pub async fn use_code(
        &mut self,
        code_hash: &str,
        family: &str,
        now: Timestamp,
    ) -> Result<CodeUse> {
        let row = sqlx::query(
            "UPDATE oidc_codes SET used_at = $2, family = $3 \
             WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 \
             RETURNING consent_id, redirect_uri, code_challenge, nonce, auth_time",
        )
        .bind(code_hash)
        .bind(now.0)
        .bind(family)
        .fetch_optional(self.conn())
        .await?;
        let Some(r) = row else {
            let spent = sqlx::query(
                "SELECT family FROM oidc_codes WHERE code_hash = $1 AND used_at IS NOT NULL",
            )
            .bind(code_hash)
            .fetch_optional(self.conn())
            .await?;
            return Ok(match spent {
                Some(s) => CodeUse::Replayed {
                    family: s.try_get("family")?,
                },
                None => CodeUse::Unknown,
            });
        };
        let Some(consent) = self.live_consent_by_id(r.try_get("consent_id")?).await? else {
            return Ok(CodeUse::Unknown);
        };
        Ok(CodeUse::Fresh(Box::new(OidcCode {
            consent,
            redirect_uri: r.try_get("redirect_uri")?,
            code_challenge: r.try_get("code_challenge")?,
            nonce: r.try_get("nonce")?,
            auth_time: Timestamp(r.try_get("auth_time")?),
        })))
    }

    #[allow(clippy::too_many_arguments)]
    pub async fn add_refresh(
        &mut self,
        token_hash: &str,
        family: &str,
        consent_id: i64,
        auth_time: Timestamp,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO oidc_refresh (token_hash, family, consent_id, auth_time, issued_at, \
             expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(token_hash)
        .bind(family)
        .bind(consent_id)
        .bind(auth_time.0)
        .bind(now.0)
        .bind(expires_at.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Spends a refresh token.
    pub async fn use_refresh(&mut self, token_hash: &str, now: Timestamp) -> Result<RefreshUse> {
        let row = sqlx::query(
            "UPDATE oidc_refresh SET used_at = $2 \
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 \
             RETURNING family, consent_id, auth_time",
        )
        .bind(token_hash)
        .bind(now.0)
        .fetch_optional(self.conn())
        .await?;
        let Some(r) = row else {
            let spent = sqlx::query(
                "SELECT family, consent_id FROM oidc_refresh \
                 WHERE token_hash = $1 AND used_at IS NOT NULL",
            )
            .bind(token_hash)
            .fetch_optional(self.conn())
            .await?;
            return Ok(match spent {
                Some(s) => RefreshUse::Replayed {
                    family: s.try_get("family")?,
                    consent_id: s.try_get("consent_id")?,
                },
                None => RefreshUse::Unknown,
            });
        };
        let Some(consent) = self.live_consent_by_id(r.try_get("consent_id")?).await? else {
            return Ok(RefreshUse::Unknown);
        };
        Ok(RefreshUse::Fresh {
            family: r.try_get("family")?,
            consent: Box::new(consent),
            auth_time: Timestamp(r.try_get("auth_time")?),
        })
    }

    /// The family of a client's refresh or userinfo access token (for revocation).
    pub async fn family_of(
        &mut self,
        token_hash: &str,
        client: ccus_domain::ClientId,
    ) -> Result<Option<String>> {
        let row = sqlx::query(
            "SELECT t.family FROM (SELECT family, consent_id FROM oidc_refresh              WHERE token_hash = $1 UNION ALL SELECT family, consent_id FROM oidc_access              WHERE token_hash = $1) t JOIN oidc_consents o ON o.id = t.consent_id              WHERE o.client_pk = $2 LIMIT 1",
        )
        .bind(token_hash)
        .bind(client.get())
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| r.try_get("family"))
            .transpose()
            .map_err(Into::into)
    }

    /// Ends every refresh and access token of a family; the person's account, when known.
    pub async fn end_family(&mut self, family: &str) -> Result<Option<AccountId>> {
        let account = sqlx::query(
            "SELECT o.account_id FROM oidc_refresh r JOIN oidc_consents o \
             ON o.id = r.consent_id WHERE r.family = $1 LIMIT 1",
        )
        .bind(family)
        .fetch_optional(self.conn())
        .await?
        .map(|r| r.try_get::<i64, _>("account_id"))
        .transpose()?
        .map(AccountId::new);
        for sql in [
            "DELETE FROM oidc_refresh WHERE family = $1",
            "DELETE FROM oidc_access WHERE family = $1",
        ] {
            sqlx::query(sql).bind(family).execute(self.conn()).await?;
        }
        Ok(account)
    }

    pub async fn add_access(
        &mut self,
        token_hash: &str,
        consent_id: i64,
        family: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO oidc_access (token_hash, consent_id, family, issued_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(token_hash)
        .bind(consent_id)
        .bind(family)
        .bind(now.0)
        .bind(expires_at.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Ends every login token (refresh and userinfo) of a client: it was suspended or its keys
    /// changed. The people's consents stay.
    pub async fn end_client_tokens(&mut self, client: ccus_domain::ClientId) -> Result<()> {
        for sql in [
            "DELETE FROM oidc_refresh WHERE consent_id IN \
             (SELECT id FROM oidc_consents WHERE client_pk = $1)",
            "DELETE FROM oidc_access WHERE consent_id IN \
             (SELECT id FROM oidc_consents WHERE client_pk = $1)",
        ] {
            sqlx::query(sql)
                .bind(client.get())
                .execute(self.conn())
                .await?;
        }
        Ok(())
    }

    /// Notes that a consent was used (a login or a refresh).
    pub async fn used(&mut self, consent_id: i64, now: Timestamp) -> Result<()> {
        sqlx::query("UPDATE oidc_consents SET last_used_at = $2 WHERE id = $1")
            .bind(consent_id)
            .bind(now.0)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Forgets expired codes and tokens, and keys retired before `retired_before`.
    pub async fn prune(&mut self, now: Timestamp, retired_before: Timestamp) -> Result<u64> {
        let mut n = 0;
        for (sql, at) in [
            ("DELETE FROM oidc_codes WHERE expires_at <= $1", now),
            ("DELETE FROM oidc_refresh WHERE expires_at <= $1", now),
            ("DELETE FROM oidc_access WHERE expires_at <= $1", now),
            (
                "DELETE FROM oidc_keys WHERE retired_at <= $1",
                retired_before,
            ),
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
