//! What the pages read from the records: a worker's, a business's, a site's day and month, the
//! 元請's counts, the days that count toward a レベル and the standards.

use super::*;

impl Records<&Store> {
    /// A worker's records from `from` to `to` (both included), newest first.
    pub async fn records_of(
        self,
        account: AccountId,
        from: Date,
        to: Date,
    ) -> Result<Vec<WorkRecord>> {
        let sql = format!(
            "SELECT {RECORD_COLUMNS} FROM work_records w {RECORD_JOINS} \
             WHERE w.account_id = $1 AND w.work_day >= $2 AND w.work_day <= $3 \
             ORDER BY w.work_day DESC, w.id DESC"
        );
        let rows = replicas::read!(self, |db| sqlx::query(&sql)
            .bind(account.get())
            .bind(day_number(from))
            .bind(day_number(to))
            .fetch_all(db)
            .await)?;
        rows.iter().map(record_from).collect()
    }

    /// The records made under a business's places from `from` to `to`, newest first, after the
    /// keyset `after` (`(work day, id)` of the last row of the page before).
    pub async fn business_records(
        self,
        business: AccountId,
        from: Date,
        to: Date,
        after: Option<(Date, RecordId)>,
        limit: u32,
    ) -> Result<Vec<BusinessRecord>> {
        let (day, id) = after.map_or((day_number(to) + 1, 0), |(d, i)| (day_number(d), i.get()));
        let sql = format!(
            "SELECT {RECORD_COLUMNS}, t.name AS worker_name, t.login_id AS worker_login_id, \
             t.employer_id AS worker_employer, COALESCE(d.level, 'private') AS disclosure \
             FROM work_records w {RECORD_JOINS} JOIN accounts t ON t.id = w.account_id \
             LEFT JOIN disclosures d ON d.account_id = w.account_id \
             WHERE w.business_id = $1 AND w.work_day >= $2 AND w.work_day <= $3 \
             AND (w.work_day < $4 OR (w.work_day = $4 AND w.id < $5)) \
             ORDER BY w.work_day DESC, w.id DESC LIMIT $6"
        );
        let rows = replicas::read!(self, |db| sqlx::query(&sql)
            .bind(business.get())
            .bind(day_number(from))
            .bind(day_number(to))
            .bind(day)
            .bind(if after.is_some() { id } else { i64::MAX })
            .bind(i64::from(limit))
            .fetch_all(db)
            .await)?;
        rows.iter()
            .map(|r| {
                Ok(BusinessRecord {
                    record: record_from(r)?,
                    worker_login_id: r.try_get("worker_login_id")?,
                    worker_name: r.try_get("worker_name")?,
                    worker_employer: r
                        .try_get::<Option<i64>, _>("worker_employer")?
                        .map(AccountId::new),
                    disclosure: r.try_get("disclosure")?,
                })
            })
            .collect()
    }

    /// 未配置 days of a business's own workers (所属) from `since` on, oldest first.
    pub async fn unplaced_of_employer(
        self,
        employer: AccountId,
        since: Date,
        limit: u32,
    ) -> Result<Vec<UnplacedDay>> {
        let rows = sqlx::query(
            "SELECT t.account_id, a.login_id, a.name, t.site_id, s.site_id AS site_site_id, \
             s.name AS site_name, t.work_day, COUNT(*) AS touches, MIN(t.touched_at) AS first_at \
             FROM accounts a JOIN touches t ON t.account_id = a.id \
             JOIN sites s ON s.id = t.site_id \
             WHERE a.employer_id = $1 AND t.outcome = 'not_listed' AND t.placed_at IS NULL \
             AND t.work_day >= $2 \
             GROUP BY t.account_id, a.login_id, a.name, t.site_id, s.site_id, s.name, t.work_day \
             ORDER BY t.work_day, t.site_id, t.account_id LIMIT $3",
        )
        .bind(employer.get())
        .bind(day_number(since))
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(UnplacedDay {
                    account: AccountId::new(r.try_get("account_id")?),
                    worker_login_id: r.try_get("login_id")?,
                    worker_name: r.try_get("name")?,
                    site: SiteKey::new(r.try_get("site_id")?),
                    site_id: r.try_get("site_site_id")?,
                    site_name: r.try_get("site_name")?,
                    day: day_from(r.try_get::<i64, _>("work_day")?)?,
                    touches: r.try_get("touches")?,
                    first_at: Timestamp(r.try_get("first_at")?),
                })
            })
            .collect()
    }

    /// One record of a worker, by its day and id.
    pub async fn record(self, day: Date, id: RecordId) -> Result<Option<WorkRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS} FROM work_records w {RECORD_JOINS} \
             WHERE w.work_day = $1 AND w.id = $2"
        ))
        .bind(day_number(day))
        .bind(id.get())
        .fetch_optional(self.db())
        .await?;
        row.as_ref().map(record_from).transpose()
    }

    /// The company a record was made under.
    pub async fn business_of(self, day: Date, id: RecordId) -> Result<Option<AccountId>> {
        let row =
            sqlx::query("SELECT business_id FROM work_records WHERE work_day = $1 AND id = $2")
                .bind(day_number(day))
                .bind(id.get())
                .fetch_optional(self.db())
                .await?;
        Ok(match row {
            Some(r) => r
                .try_get::<Option<i64>, _>("business_id")?
                .map(AccountId::new),
            None => None,
        })
    }

    /// A site's records waiting for approval, oldest day first.
    pub async fn pending_of_site(self, site: SiteKey, limit: u32) -> Result<Vec<PendingRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {RECORD_COLUMNS}, t.name AS worker_name, t.login_id AS worker_login_id \
             FROM work_records w {RECORD_JOINS} JOIN accounts t ON t.id = w.account_id \
             WHERE w.site_id = $1 AND w.state = 'pending' ORDER BY w.work_day, w.id LIMIT $2"
        ))
        .bind(site.get())
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PendingRecord {
                    record: record_from(r)?,
                    worker_name: r.try_get("worker_name")?,
                    worker_login_id: r.try_get("worker_login_id")?,
                })
            })
            .collect()
    }

    /// A site's counted records from `from` to `to`, by day, company and worker.
    pub async fn site_records(
        self,
        site: SiteKey,
        from: Date,
        to: Date,
    ) -> Result<Vec<SiteRecordRow>> {
        let sql =
            "SELECT w.work_day, t.login_id, t.name, b.name AS company_name, w.trade, w.position, \
             w.source, w.first_in, w.last_out, t.employer_id AS worker_employer, \
             COALESCE(d.level, 'private') AS disclosure FROM work_records w \
             JOIN accounts t ON t.id = w.account_id LEFT JOIN accounts b ON b.id = w.business_id \
             LEFT JOIN disclosures d ON d.account_id = w.account_id \
             WHERE w.site_id = $1 AND w.work_day >= $2 AND w.work_day <= $3 AND w.state = 'counted' \
             ORDER BY w.work_day, b.name, t.name, w.id";
        let rows = replicas::read!(self, |db| sqlx::query(sql)
            .bind(site.get())
            .bind(day_number(from))
            .bind(day_number(to))
            .fetch_all(db)
            .await)?;
        rows.iter()
            .map(|r| {
                let source: String = r.try_get("source")?;
                let position: String = r.try_get("position")?;
                Ok(SiteRecordRow {
                    day: day_from(r.try_get::<i64, _>("work_day")?)?,
                    worker_login_id: r.try_get("login_id")?,
                    worker_name: r.try_get("name")?,
                    company: r
                        .try_get::<Option<String>, _>("company_name")?
                        .unwrap_or_default(),
                    trade: r.try_get("trade")?,
                    position: Position::parse(&position),
                    source: Source::parse(&source)
                        .ok_or_else(|| StoreError::Corrupt(format!("record source {source:?}")))?,
                    first_in: r.try_get::<Option<i64>, _>("first_in")?.map(Timestamp),
                    last_out: r.try_get::<Option<i64>, _>("last_out")?.map(Timestamp),
                    worker_employer: r
                        .try_get::<Option<i64>, _>("worker_employer")?
                        .map(AccountId::new),
                    disclosure: r.try_get("disclosure")?,
                })
            })
            .collect()
    }

    /// The counted records on each site a 元請 runs, from `from` to `to`: (site key, 現場ID,
    /// name, records), by 現場ID.
    pub async fn prime_counts(
        self,
        prime: AccountId,
        from: Date,
        to: Date,
    ) -> Result<Vec<(SiteKey, String, String, i64)>> {
        let sql = "SELECT s.id, s.site_id, s.name, COUNT(w.id) AS n FROM sites s \
             JOIN work_records w ON w.site_id = s.id AND w.work_day >= $2 AND w.work_day <= $3 \
             AND w.state = 'counted' WHERE s.prime_id = $1 GROUP BY s.id, s.site_id, s.name \
             ORDER BY s.site_id";
        let rows = replicas::read!(self, |db| sqlx::query(sql)
            .bind(prime.get())
            .bind(day_number(from))
            .bind(day_number(to))
            .fetch_all(db)
            .await)?;
        rows.iter()
            .map(|r| {
                Ok((
                    SiteKey::new(r.try_get("id")?),
                    r.try_get("site_id")?,
                    r.try_get("name")?,
                    r.try_get("n")?,
                ))
            })
            .collect()
    }

    /// Every counted day of a worker, as the day count needs it (a few thousand at most).
    pub async fn counted_days(self, account: AccountId) -> Result<Vec<CountedDay>> {
        let rows = replicas::read!(self, |db| sqlx::query(
            "SELECT work_day, source, trade, position FROM work_records \
                     WHERE account_id = $1 AND state = 'counted'",
        )
        .bind(account.get())
        .fetch_all(db)
        .await)?;
        rows.iter()
            .map(|r| {
                let source: String = r.try_get("source")?;
                let position: String = r.try_get("position")?;
                Ok(CountedDay {
                    day: day_from(r.try_get::<i64, _>("work_day")?)?,
                    source: Source::parse(&source)
                        .ok_or_else(|| StoreError::Corrupt(format!("record source {source:?}")))?,
                    trade: r.try_get("trade")?,
                    position: Position::parse(&position),
                })
            })
            .collect()
    }

    /// Every レベル standard, as data.
    pub async fn level_standards(self) -> Result<Vec<LevelStandard>> {
        let rows = sqlx::query(
            "SELECT trade, level, applies_from, days, leader_days, leader_role, qualifications \
             FROM level_standards ORDER BY trade, level, applies_from",
        )
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                let from: String = r.try_get("applies_from")?;
                let role: String = r.try_get("leader_role")?;
                let n = |c: &str| -> Result<u32> {
                    u32::try_from(r.try_get::<i64, _>(c)?)
                        .map_err(|_| StoreError::Corrupt(format!("level standard {c}")))
                };
                Ok(LevelStandard {
                    trade: r.try_get("trade")?,
                    level: u8::try_from(r.try_get::<i64, _>("level")?)
                        .map_err(|_| StoreError::Corrupt("level".into()))?,
                    applies_from: date_from(&from)?,
                    days: n("days")?,
                    leader_days: n("leader_days")?,
                    leader_role: LeaderRole::parse(&role)
                        .ok_or_else(|| StoreError::Corrupt(format!("leader role {role:?}")))?,
                    qualifications: r.try_get("qualifications")?,
                })
            })
            .collect()
    }
}
