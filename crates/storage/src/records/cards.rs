//! Technicians' IC cards and the readers of each site with their keys.

use super::*;

impl Records<&Store> {
    /// The card in use with this number, or a stopped one (its state says so).
    pub async fn card(self, number: &str) -> Result<Option<Card>> {
        let row = sqlx::query(
            "SELECT card_number, account_id, state, issued_at, expires_on FROM ic_cards WHERE card_number = $1",
        )
        .bind(number)
        .fetch_optional(self.db())
        .await?;
        row.as_ref().map(card_from).transpose()
    }

    /// The cards with these numbers (those that exist).
    pub async fn cards(self, numbers: &[String]) -> Result<Vec<Card>> {
        let mut out = Vec::with_capacity(numbers.len());
        for chunk in numbers.chunks(CHUNK) {
            let sql = format!(
                "SELECT card_number, account_id, state, issued_at, expires_on FROM ic_cards \
                 WHERE card_number IN ({})",
                placeholders(1, chunk.len())
            );
            let mut q = sqlx::query(&sql);
            for n in chunk {
                q = q.bind(n.as_str());
            }
            for r in q.fetch_all(self.db()).await? {
                out.push(card_from(&r)?);
            }
        }
        Ok(out)
    }

    /// A technician's card in use.
    pub async fn card_of(self, account: AccountId) -> Result<Option<Card>> {
        let row = sqlx::query(
            "SELECT card_number, account_id, state, issued_at, expires_on FROM ic_cards \
             WHERE account_id = $1 AND state = 'active'",
        )
        .bind(account.get())
        .fetch_optional(self.db())
        .await?;
        row.as_ref().map(card_from).transpose()
    }

    /// The reader a key's hash belongs to, unless revoked.
    pub async fn reader_by_key(self, key_hash: &str) -> Result<Option<ReaderAuth>> {
        let row = sqlx::query(
            "SELECT r.id, r.site_id, s.state, s.records_from, s.records_to FROM site_readers r \
             JOIN sites s ON s.id = r.site_id WHERE r.key_hash = $1 AND r.revoked_at IS NULL",
        )
        .bind(key_hash)
        .fetch_optional(self.db())
        .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        let state: String = r.try_get("state")?;
        let from: String = r.try_get("records_from")?;
        let to: String = r.try_get("records_to")?;
        Ok(Some(ReaderAuth {
            id: ReaderId::new(r.try_get("id")?),
            site: SiteKey::new(r.try_get("site_id")?),
            site_open: state == "open",
            records_from: date_from(&from)?,
            records_to: date_from(&to)?,
        }))
    }

    /// A site's readers, newest first.
    pub async fn readers_of(self, site: SiteKey) -> Result<Vec<Reader>> {
        let rows = sqlx::query(
            "SELECT id, site_id, name, key_hint, created_at, revoked_at, last_seen_at \
             FROM site_readers WHERE site_id = $1 ORDER BY id DESC",
        )
        .bind(site.get())
        .fetch_all(self.db())
        .await?;
        rows.iter().map(reader_from).collect()
    }
}

impl Records<&mut StoreTx> {
    /// Records a technician's new card (at 登録完了).
    pub async fn add_card(
        &mut self,
        account: AccountId,
        number: &str,
        expires_on: Date,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO ic_cards (card_number, account_id, state, issued_at, expires_on) \
             VALUES ($1, $2, 'active', $3, $4)",
        )
        .bind(number)
        .bind(account.get())
        .bind(now.0)
        .bind(ccus_domain::profile::format_date(expires_on))
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Stops a technician's card in use (`lost`, or `replaced` by a new one): its touches are
    /// refused from now on. The card's number, or `None` when no card was in use.
    pub async fn stop_card(
        &mut self,
        account: AccountId,
        state: &str,
        by: &str,
        now: Timestamp,
    ) -> Result<Option<String>> {
        let row = sqlx::query(
            "UPDATE ic_cards SET state = $1, stopped_at = $2, stopped_by = $3 \
             WHERE account_id = $4 AND state = 'active' RETURNING card_number",
        )
        .bind(state)
        .bind(now.0)
        .bind(by)
        .bind(account.get())
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| r.try_get("card_number"))
            .transpose()
            .map_err(Into::into)
    }

    /// Adds a reader with its key's hash.
    pub async fn add_reader(
        &mut self,
        site: SiteKey,
        name: &str,
        key_hash: &str,
        hint: &str,
        by: AccountId,
        now: Timestamp,
    ) -> Result<ReaderId> {
        let row = sqlx::query(
            "INSERT INTO site_readers (site_id, name, key_hash, key_hint, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(site.get())
        .bind(name)
        .bind(key_hash)
        .bind(hint)
        .bind(by.get())
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        Ok(ReaderId::new(row.try_get("id")?))
    }

    /// Revokes a site's reader; the reader as it was, or `None` when the site has no such
    /// reader still in use.
    pub async fn revoke_reader(
        &mut self,
        site: SiteKey,
        reader: ReaderId,
        by: AccountId,
        now: Timestamp,
    ) -> Result<Option<Reader>> {
        let row = sqlx::query(
            "UPDATE site_readers SET revoked_at = $1, revoked_by = $2 \
             WHERE id = $3 AND site_id = $4 AND revoked_at IS NULL \
             RETURNING id, site_id, name, key_hint, created_at, revoked_at, last_seen_at",
        )
        .bind(now.0)
        .bind(by.get())
        .bind(reader.get())
        .bind(site.get())
        .fetch_optional(self.conn())
        .await?;
        row.as_ref().map(reader_from).transpose()
    }

    /// Notes that a reader was heard from.
    pub async fn reader_seen(&mut self, reader: ReaderId, now: Timestamp) -> Result<()> {
        sqlx::query("UPDATE site_readers SET last_seen_at = $1 WHERE id = $2")
            .bind(now.0)
            .bind(reader.get())
            .execute(self.conn())
            .await?;
        Ok(())
    }
}
