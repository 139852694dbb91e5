//! Touches as readers send them, the 名簿 lines they are recorded under, and the records they
//! fold into (a batch at a time, or one placed 未配置 touch at a time).

use super::*;

impl Records<&mut StoreTx> {
    /// The lines of a site's 名簿 these workers may be recorded under: live ones, and removed
    /// ones that were once listed.
    pub async fn roster_lines(
        &mut self,
        site: SiteKey,
        accounts: &[AccountId],
    ) -> Result<Vec<RosterLine>> {
        let mut out = Vec::new();
        for chunk in accounts.chunks(CHUNK) {
            let sql = format!(
                "SELECT l.id, l.technician_id, l.state, l.added_at, l.answered_at, l.removed_at, \
                 p.business_id, l.trade, l.position, l.work FROM site_listings l \
                 JOIN site_placements p ON p.id = l.placement_id \
                 WHERE l.site_id = $1 AND l.technician_id IN ({}) \
                 AND (l.state = 'listed' OR (l.state = 'removed' AND l.answered_at IS NOT NULL))",
                placeholders(2, chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(site.get());
            for a in chunk {
                q = q.bind(a.get());
            }
            for r in q.fetch_all(self.conn()).await? {
                out.push(RosterLine {
                    id: r.try_get("id")?,
                    technician: AccountId::new(r.try_get("technician_id")?),
                    state: r.try_get("state")?,
                    added_at: Timestamp(r.try_get("added_at")?),
                    answered_at: r.try_get::<Option<i64>, _>("answered_at")?.map(Timestamp),
                    removed_at: r.try_get::<Option<i64>, _>("removed_at")?.map(Timestamp),
                    snapshot: RosterSnapshot {
                        business: AccountId::new(r.try_get("business_id")?),
                        trade: r.try_get("trade")?,
                        position: r.try_get("position")?,
                        work: r.try_get("work")?,
                    },
                });
            }
        }
        Ok(out)
    }

    /// Keeps a batch's touches as received; the `seq` of those kept now (the others were
    /// sent before).
    pub async fn add_touches(&mut self, touches: &[NewTouch], now: Timestamp) -> Result<Vec<i64>> {
        let mut kept = Vec::with_capacity(touches.len());
        for chunk in touches.chunks(CHUNK / 10) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let b = 1 + i * 10;
                    format!(
                        "(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                        b,
                        b + 1,
                        b + 2,
                        b + 3,
                        b + 4,
                        b + 5,
                        b + 6,
                        b + 7,
                        b + 8,
                        b + 9
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO touches (reader_id, seq, card_number, direction, touched_at, \
                 received_at, outcome, account_id, site_id, work_day) VALUES {} \
                 ON CONFLICT (reader_id, seq) DO NOTHING RETURNING seq",
                rows.join(", ")
            );
            let mut q = sqlx::query(&sql);
            for t in chunk {
                q = q
                    .bind(t.reader.get())
                    .bind(t.seq)
                    .bind(t.card_number.as_str())
                    .bind(t.direction.as_str())
                    .bind(t.touched_at.0)
                    .bind(now.0)
                    .bind(t.outcome.as_str())
                    .bind(t.account.map(AccountId::get))
                    .bind(t.site.get())
                    .bind(t.work_day.map(day_number));
            }
            for r in q.fetch_all(self.conn()).await? {
                kept.push(r.try_get("seq")?);
            }
        }
        Ok(kept)
    }

    /// How touches a reader sent before were answered, by `seq`.
    pub async fn touch_outcomes(
        &mut self,
        reader: ReaderId,
        seqs: &[i64],
    ) -> Result<Vec<(i64, String)>> {
        let mut out = Vec::with_capacity(seqs.len());
        for chunk in seqs.chunks(CHUNK) {
            let sql = format!(
                "SELECT seq, outcome FROM touches WHERE reader_id = $1 AND seq IN ({})",
                placeholders(2, chunk.len())
            );
            let mut q = sqlx::query(&sql).bind(reader.get());
            for s in chunk {
                q = q.bind(*s);
            }
            for r in q.fetch_all(self.conn()).await? {
                out.push((r.try_get("seq")?, r.try_get("outcome")?));
            }
        }
        Ok(out)
    }

    /// Folds a batch's touches, already folded per worker and day, into the records of the
    /// site (as [`Records::fold_touch`] does one at a time).
    pub async fn fold_touches(
        &mut self,
        site: SiteKey,
        reader: ReaderId,
        folded: &[FoldedTouches],
        now: Timestamp,
    ) -> Result<()> {
        for chunk in folded.chunks(CHUNK / 10) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|i| {
                    let b = 4 + i * 8;
                    format!(
                        "(${}, $1, ${}, 'touch', 'counted', ${}, ${}, $2, ${}, ${}, ${}, ${}, $3, $3)",
                        b,
                        b + 1,
                        b + 2,
                        b + 3,
                        b + 4,
                        b + 5,
                        b + 6,
                        b + 7
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO work_records (account_id, site_id, work_day, source, state, first_in, \
                 last_out, reader_id, business_id, trade, position, work, created_at, updated_at) \
                 VALUES {} {FOLD_CONFLICT}",
                rows.join(", ")
            );
            let mut q = sqlx::query(&sql)
                .bind(site.get())
                .bind(reader.get())
                .bind(now.0);
            for f in chunk {
                q = q
                    .bind(f.account.get())
                    .bind(day_number(f.day))
                    .bind(f.first_in.map(|t| t.0))
                    .bind(f.last_out.map(|t| t.0))
                    .bind(f.roster.business.get())
                    .bind(f.roster.trade.as_str())
                    .bind(f.roster.position.as_str())
                    .bind(f.roster.work.as_str());
            }
            q.execute(self.conn()).await?;
        }
        Ok(())
    }

    /// The worker's line on the site's 名簿 that held at `at` (a worker moved from one company
    /// to another is the first one's before the move); else the live one, else the last one
    /// removed after that moment.
    pub async fn roster_at(
        &mut self,
        site: SiteKey,
        account: AccountId,
        at: Timestamp,
    ) -> Result<Option<RosterSnapshot>> {
        let row = sqlx::query(
            "SELECT p.business_id, l.trade, l.position, l.work FROM site_listings l \
             JOIN site_placements p ON p.id = l.placement_id \
             WHERE l.site_id = $1 AND l.technician_id = $2 \
             AND (l.state = 'listed' OR (l.state = 'removed' AND l.answered_at IS NOT NULL AND l.removed_at >= $3)) \
             ORDER BY CASE WHEN l.added_at <= $3 AND (l.removed_at IS NULL OR l.removed_at >= $3) \
             THEN 0 ELSE 1 END, l.id DESC LIMIT 1",
        )
        .bind(site.get())
        .bind(account.get())
        .bind(at.0)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| {
            Ok(RosterSnapshot {
                business: AccountId::new(r.try_get("business_id")?),
                trade: r.try_get("trade")?,
                position: r.try_get("position")?,
                work: r.try_get("work")?,
            })
        })
        .transpose()
    }

    /// A worker's 未配置 touches at a site from `since` on, in the order touched.
    pub async fn unplaced_touches(
        &mut self,
        account: AccountId,
        site: SiteKey,
        since: Date,
    ) -> Result<Vec<UnplacedTouch>> {
        let rows = sqlx::query(
            "SELECT reader_id, seq, direction, touched_at, work_day FROM touches \
             WHERE account_id = $1 AND outcome = 'not_listed' AND placed_at IS NULL \
             AND work_day >= $2 AND site_id = $3 ORDER BY touched_at",
        )
        .bind(account.get())
        .bind(day_number(since))
        .bind(site.get())
        .fetch_all(self.conn())
        .await?;
        rows.iter()
            .map(|r| {
                let direction: String = r.try_get("direction")?;
                Ok(UnplacedTouch {
                    reader: ReaderId::new(r.try_get("reader_id")?),
                    seq: r.try_get("seq")?,
                    direction: Direction::parse(&direction)
                        .ok_or_else(|| StoreError::Corrupt(format!("direction {direction:?}")))?,
                    at: Timestamp(r.try_get("touched_at")?),
                    day: day_from(r.try_get::<i64, _>("work_day")?)?,
                })
            })
            .collect()
    }

    /// Marks a 未配置 touch placed: it is in a record now (sent again, it answers duplicate).
    pub async fn mark_placed(&mut self, reader: ReaderId, seq: i64, now: Timestamp) -> Result<()> {
        sqlx::query(
            "UPDATE touches SET outcome = 'placed', placed_at = $1 WHERE reader_id = $2 AND seq = $3",
        )
        .bind(now.0)
        .bind(reader.get())
        .bind(seq)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Folds a touch into the worker's record of that day at the site, making it when it is
    /// the day's first: the earliest entry and the latest exit are kept. A day entered by hand
    /// (waiting, approved or rejected) becomes a touched day: the touch's times replace the
    /// typed ones, and it counts. A record the helpdesk withdrew stays withdrawn.
    #[allow(clippy::too_many_arguments)]
    pub async fn fold_touch(
        &mut self,
        account: AccountId,
        site: SiteKey,
        day: Date,
        direction: Direction,
        at: Timestamp,
        reader: ReaderId,
        roster: &RosterSnapshot,
        now: Timestamp,
    ) -> Result<()> {
        let (first_in, last_out) = match direction {
            Direction::In => (Some(at.0), None),
            Direction::Out => (None, Some(at.0)),
        };
        sqlx::query(&format!(
            "INSERT INTO work_records (account_id, site_id, work_day, source, state, first_in, \
             last_out, reader_id, business_id, trade, position, work, created_at, updated_at) \
             VALUES ($1, $2, $3, 'touch', 'counted', $4, $5, $6, $7, $8, $9, $10, $11, $11) {FOLD_CONFLICT}"
        ))
        .bind(account.get())
        .bind(site.get())
        .bind(day_number(day))
        .bind(first_in)
        .bind(last_out)
        .bind(reader.get())
        .bind(roster.business.get())
        .bind(roster.trade.as_str())
        .bind(roster.position.as_str())
        .bind(roster.work.as_str())
        .bind(now.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

/// Retention: raw touches received before a time are deleted, a batch at a time (the work
/// records made of them stay).
impl Records<&Store> {
    /// Deletes up to `batch` touches received before `before`; how many.
    pub async fn prune_touches(self, before: Timestamp, batch: u32) -> Result<u64> {
        let done = sqlx::query(
            "DELETE FROM touches WHERE (reader_id, seq) IN (SELECT reader_id, seq FROM touches \
             WHERE received_at < $1 LIMIT $2)",
        )
        .bind(before.0)
        .bind(i64::from(batch))
        .execute(self.db())
        .await?;
        Ok(done.rows_affected())
    }
}
