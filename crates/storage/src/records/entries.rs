//! Days entered by hand (直接入力) and their approval, 補正 asked for and answered, and the
//! helpdesk's 補正.

use super::*;

impl Records<&Store> {
    /// A site's 補正 waiting for an answer, oldest first.
    pub async fn corrections_of_site(
        self,
        site: SiteKey,
        limit: u32,
    ) -> Result<Vec<PendingCorrection>> {
        let rows = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS}, t.name AS worker_name, t.login_id AS worker_login_id, \
             c.id AS correction_id, c.first_in AS asked_in, c.last_out AS asked_out \
             FROM record_corrections c \
             JOIN work_records w ON w.work_day = c.work_day AND w.id = c.record_id \
             {RECORD_JOINS} JOIN accounts t ON t.id = w.account_id \
             WHERE c.site_id = $1 AND c.state = 'pending' ORDER BY c.id LIMIT $2"
        ))
        .bind(site.get())
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PendingCorrection {
                    id: r.try_get("correction_id")?,
                    record: record_from(r)?,
                    worker_name: r.try_get("worker_name")?,
                    worker_login_id: r.try_get("worker_login_id")?,
                    first_in: r.try_get::<Option<i64>, _>("asked_in")?.map(Timestamp),
                    last_out: r.try_get::<Option<i64>, _>("asked_out")?.map(Timestamp),
                })
            })
            .collect()
    }

    /// The records of a worker with a 補正 waiting, among `from` to `to`.
    pub async fn corrections_waiting(
        self,
        account: AccountId,
        from: Date,
        to: Date,
    ) -> Result<Vec<RecordId>> {
        let rows = sqlx::query(
            "SELECT record_id FROM record_corrections WHERE account_id = $1 \
             AND work_day >= $2 AND work_day <= $3 AND state = 'pending'",
        )
        .bind(account.get())
        .bind(day_number(from))
        .bind(day_number(to))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| Ok(RecordId::new(r.try_get("record_id")?)))
            .collect()
    }
}

impl Records<&mut StoreTx> {
    /// A 補正 by the helpdesk: new times for a record, or the record withdrawn. False when
    /// there is no such record of that worker.
    #[allow(clippy::too_many_arguments)]
    pub async fn correct(
        &mut self,
        account: AccountId,
        day: Date,
        id: RecordId,
        first_in: Option<Timestamp>,
        last_out: Option<Timestamp>,
        withdraw: bool,
        now: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE work_records SET first_in = CASE WHEN $3 = 1 THEN first_in ELSE $1 END, \
             last_out = CASE WHEN $3 = 1 THEN last_out ELSE $2 END, \
             state = CASE WHEN $3 = 1 THEN 'withdrawn' ELSE state END, updated_at = $4 \
             WHERE work_day = $5 AND id = $6 AND account_id = $7",
        )
        .bind(first_in.map(|t| t.0))
        .bind(last_out.map(|t| t.0))
        .bind(i64::from(withdraw))
        .bind(now.0)
        .bind(day_number(day))
        .bind(id.get())
        .bind(account.get())
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Asks for a 補正 of a record: false when one is already waiting for it.
    pub async fn ask_correction(
        &mut self,
        record: &WorkRecord,
        first_in: Option<Timestamp>,
        last_out: Option<Timestamp>,
        by: AccountId,
        now: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query(
            "INSERT INTO record_corrections (record_id, work_day, account_id, site_id, first_in, \
             last_out, requested_by, requested_at, state) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending') ON CONFLICT DO NOTHING",
        )
        .bind(record.id.get())
        .bind(day_number(record.day))
        .bind(record.account.get())
        .bind(record.site.get())
        .bind(first_in.map(|t| t.0))
        .bind(last_out.map(|t| t.0))
        .bind(by.get())
        .bind(now.0)
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Answers a 補正 waiting on a site: approved, the record takes the times asked for (a time
    /// not asked for stays as it was).
    /// The record's worker, day and id, or `None` when no such request is waiting there.
    pub async fn decide_correction(
        &mut self,
        site: SiteKey,
        id: i64,
        approve: bool,
        reason: &str,
        by: AccountId,
        now: Timestamp,
    ) -> Result<Option<(AccountId, Date, RecordId)>> {
        let row = sqlx::query(
            "UPDATE record_corrections SET state = $1, decided_by = $2, decided_at = $3, \
             reason = $4 WHERE id = $5 AND site_id = $6 AND state = 'pending' \
             RETURNING account_id, work_day, record_id, first_in, last_out",
        )
        .bind(if approve { "approved" } else { "rejected" })
        .bind(by.get())
        .bind(now.0)
        .bind(reason)
        .bind(id)
        .bind(site.get())
        .fetch_optional(self.conn())
        .await?;
        let Some(r) = row else {
            return Ok(None);
        };
        let account = AccountId::new(r.try_get("account_id")?);
        let day = day_from(r.try_get::<i64, _>("work_day")?)?;
        let record = RecordId::new(r.try_get("record_id")?);
        if approve {
            sqlx::query(
                "UPDATE work_records SET first_in = COALESCE($1, first_in), \
                 last_out = COALESCE($2, last_out), updated_at = $3 WHERE work_day = $4 AND id = $5",
            )
            .bind(r.try_get::<Option<i64>, _>("first_in")?)
            .bind(r.try_get::<Option<i64>, _>("last_out")?)
            .bind(now.0)
            .bind(day_number(day))
            .bind(record.get())
            .execute(self.conn())
            .await?;
        }
        Ok(Some((account, day, record)))
    }

    /// Records a day entered by hand (直接入力), waiting for the site's approval. False when the
    /// worker already has a record of that day at the site (one that was rejected is replaced).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_direct(
        &mut self,
        account: AccountId,
        site: SiteKey,
        day: Date,
        first_in: Option<Timestamp>,
        last_out: Option<Timestamp>,
        roster: &RosterSnapshot,
        entered_by: AccountId,
        now: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query(
            "INSERT INTO work_records (account_id, site_id, work_day, source, state, first_in, \
             last_out, business_id, trade, position, work, entered_by, created_at, updated_at) \
             VALUES ($1, $2, $3, 'direct', 'pending', $4, $5, $6, $7, $8, $9, $10, $11, $11) \
             ON CONFLICT (work_day, account_id, site_id) DO UPDATE SET source = 'direct', \
             state = 'pending', first_in = excluded.first_in, last_out = excluded.last_out, \
             business_id = excluded.business_id, trade = excluded.trade, \
             position = excluded.position, work = excluded.work, entered_by = excluded.entered_by, \
             decided_by = NULL, decided_at = NULL, reason = '', updated_at = excluded.updated_at \
             WHERE work_records.state = 'rejected'",
        )
        .bind(account.get())
        .bind(site.get())
        .bind(day_number(day))
        .bind(first_in.map(|t| t.0))
        .bind(last_out.map(|t| t.0))
        .bind(roster.business.get())
        .bind(roster.trade.as_str())
        .bind(roster.position.as_str())
        .bind(roster.work.as_str())
        .bind(entered_by.get())
        .bind(now.0)
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Approves (it counts from now on) or rejects a record waiting on a site; the worker it is
    /// of, or `None` when the site has no such record waiting (decided already, or none).
    #[allow(clippy::too_many_arguments)]
    pub async fn decide(
        &mut self,
        site: SiteKey,
        day: Date,
        id: RecordId,
        approve: bool,
        reason: &str,
        by: AccountId,
        now: Timestamp,
    ) -> Result<Option<AccountId>> {
        let row = sqlx::query(
            "UPDATE work_records SET state = $1, decided_by = $2, decided_at = $3, reason = $4, \
             updated_at = $3 WHERE work_day = $5 AND id = $6 AND site_id = $7 AND state = 'pending' \
             RETURNING account_id",
        )
        .bind(if approve { "counted" } else { "rejected" })
        .bind(by.get())
        .bind(now.0)
        .bind(reason)
        .bind(day_number(day))
        .bind(id.get())
        .bind(site.get())
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| Ok(AccountId::new(r.try_get("account_id")?)))
            .transpose()
    }
}
