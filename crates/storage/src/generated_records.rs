//! Generated 就業履歴 for measurements (`ccus admin generate-records`): the technicians and
//! sites to draw on, and a loader that writes a day's records at a time — by COPY on
//! PostgreSQL over one connection held for the whole run, by multi-row inserts on SQLite. On an
//! empty PostgreSQL table the loader drops the secondary indexes first and builds each once at
//! the end, which is what makes hundreds of millions of rows a matter of minutes.

use std::fmt::Write as _;

use ccus_domain::records::day_number;
use ccus_domain::{AccountId, Date, Timestamp};
use sqlx::{Connection, Row};

use crate::sites::date_from;
use crate::{Backend, Records, Result, Store, StoreTx};

/// A generated record (always counted; no reader, since readers are not generated).
#[derive(Debug, Clone)]
pub struct GeneratedRecord {
    pub id: i64,
    pub account: AccountId,
    pub site: i64,
    pub day: Date,
    /// `touch` or `direct`.
    pub source: &'static str,
    pub first_in: i64,
    pub last_out: i64,
    pub business: AccountId,
    pub trade: &'static str,
    pub position: &'static str,
}

/// A site as the generator draws on it: its key and 就業履歴蓄積期間.
#[derive(Debug, Clone, Copy)]
pub struct SitePeriod {
    pub key: i64,
    pub from: Date,
    pub to: Date,
}

/// The secondary indexes a bulk load into an empty table builds at the end, and how.
const DEFERRED_INDEXES: &[(&str, &str)] = &[
    (
        "work_records_by_worker",
        "CREATE INDEX work_records_by_worker ON work_records(account_id, work_day)",
    ),
    (
        "work_records_by_site",
        "CREATE INDEX work_records_by_site ON work_records(site_id, work_day)",
    ),
    (
        "work_records_by_business",
        "CREATE INDEX work_records_by_business ON work_records(business_id, work_day)",
    ),
];
const DEFERRED_UNIQUE: &str = "work_records_work_day_account_id_site_id_key";

impl Records<&Store> {
    /// Every technician with their employer, by key.
    pub async fn technicians_with_employer(self) -> Result<Vec<(AccountId, Option<AccountId>)>> {
        let rows = sqlx::query(
            "SELECT id, employer_id FROM accounts WHERE kind = 'technician' ORDER BY id",
        )
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    AccountId::new(r.try_get("id")?),
                    r.try_get::<Option<i64>, _>("employer_id")?
                        .map(AccountId::new),
                ))
            })
            .collect()
    }

    /// Every site's period, by key.
    pub async fn site_periods(self) -> Result<Vec<SitePeriod>> {
        let rows = sqlx::query("SELECT id, records_from, records_to FROM sites ORDER BY id")
            .fetch_all(self.db())
            .await?;
        rows.iter()
            .map(|r| {
                let from: String = r.try_get("records_from")?;
                let to: String = r.try_get("records_to")?;
                Ok(SitePeriod {
                    key: r.try_get("id")?,
                    from: date_from(&from)?,
                    to: date_from(&to)?,
                })
            })
            .collect()
    }

    /// About how many records there are (the planner's count on PostgreSQL, where counting
    /// hundreds of millions of rows takes longer than a call may).
    pub async fn approximate_count(self) -> Result<i64> {
        let sql = match self.backend() {
            Backend::Postgres => {
                "SELECT COALESCE(SUM(c.reltuples), 0)::BIGINT AS n FROM pg_inherits i \
                 JOIN pg_class c ON c.oid = i.inhrelid \
                 WHERE i.inhparent = 'work_records'::regclass"
            }
            Backend::Sqlite => "SELECT COUNT(*) AS n FROM work_records",
        };
        let row = sqlx::query(sql).fetch_one(self.db()).await?;
        Ok(row.try_get("n")?)
    }

    /// Takes `n` record ids for generated records: the first of them.
    pub async fn reserve_ids(self, n: i64) -> Result<i64> {
        let row = match self.backend() {
            Backend::Postgres => sqlx::query(
                "SELECT setval('work_records_id_seq', nextval('work_records_id_seq') + $1 - 1) \
                     AS last",
            )
            .bind(n.max(1))
            .fetch_one(self.db())
            .await?,
            Backend::Sqlite => {
                sqlx::query("SELECT COALESCE(MAX(id), 0) + $1 AS last FROM work_records")
                    .bind(n.max(1))
                    .fetch_one(self.db())
                    .await?
            }
        };
        let last: i64 = row.try_get("last")?;
        Ok(last - n.max(1) + 1)
    }

    /// How many records there are, and the largest id.
    pub async fn count_and_last_id(self) -> Result<(i64, i64)> {
        let row = sqlx::query("SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS m FROM work_records")
            .fetch_one(self.db())
            .await?;
        Ok((row.try_get("n")?, row.try_get("m")?))
    }
}

/// Writes generated records, a batch (one transaction) at a time.
pub struct RecordLoader {
    store: Store,
    pg: Option<sqlx::postgres::PgConnection>,
    deferred: bool,
    buf: String,
}

impl Store {
    /// A loader for generated records. `defer_indexes` (PostgreSQL, empty table only) drops the
    /// secondary indexes now and builds them in [`RecordLoader::finish`].
    pub async fn record_loader(&self, defer_indexes: bool) -> Result<RecordLoader> {
        let mut loader = RecordLoader {
            store: self.clone(),
            pg: None,
            deferred: false,
            buf: String::new(),
        };
        if self.backend() == Backend::Postgres {
            let mut conn = sqlx::postgres::PgConnection::connect(&self.url).await?;
            for set in [
                "SET synchronous_commit = off",
                "SET maintenance_work_mem = '1GB'",
                "SET statement_timeout = 0",
            ] {
                sqlx::Executor::execute(&mut conn, set).await?;
            }
            if defer_indexes {
                for (name, _) in DEFERRED_INDEXES {
                    sqlx::Executor::execute(&mut conn, &*format!("DROP INDEX IF EXISTS {name}"))
                        .await?;
                }
                sqlx::Executor::execute(
                    &mut conn,
                    &*format!(
                        "ALTER TABLE work_records DROP CONSTRAINT IF EXISTS {DEFERRED_UNIQUE}"
                    ),
                )
                .await?;
                loader.deferred = true;
            }
            loader.pg = Some(conn);
        }
        Ok(loader)
    }
}

impl RecordLoader {
    /// Writes one batch in one transaction.
    pub async fn load(&mut self, rows: &[GeneratedRecord], now: Timestamp) -> Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let Some(conn) = self.pg.as_mut() else {
            return load_sqlite(&self.store, rows, now).await;
        };
        // COPY's text format: tab-separated, \N for NULL (every value here is the generator's
        // own number or word: nothing to escape).
        self.buf.clear();
        for r in rows {
            let entered_by = if r.source == "direct" {
                r.account.get().to_string()
            } else {
                "\\N".to_owned()
            };
            let _ = writeln!(
                self.buf,
                "{}\t{}\t{}\t{}\t{}\tcounted\t{}\t{}\t\\N\t{}\t{}\t{}\t\t{}\t\\N\t\\N\t\t{}\t{}",
                r.id,
                r.account.get(),
                r.site,
                day_number(r.day),
                r.source,
                r.first_in,
                r.last_out,
                r.business.get(),
                r.trade,
                r.position,
                entered_by,
                now.0,
                now.0,
            );
        }
        let mut tx = conn.begin().await?;
        let mut copy = tx
            .copy_in_raw(
                "COPY work_records (id, account_id, site_id, work_day, source, state, first_in, \
                 last_out, reader_id, business_id, trade, position, work, entered_by, decided_by, \
                 decided_at, reason, created_at, updated_at) FROM STDIN",
            )
            .await?;
        copy.send(self.buf.as_bytes()).await?;
        copy.finish().await?;
        tx.commit().await?;
        Ok(())
    }

    /// After a bulk load into an empty table: builds the indexes put off, moves the id sequence
    /// past the generated ids and has the planner learn the new size. (Records added to a
    /// full table take their ids from [`Records::reserve_ids`] and need none of it.)
    pub async fn finish(mut self) -> Result<()> {
        let Some(mut conn) = self.pg.take() else {
            sqlx::query("ANALYZE").execute(self.store.db()).await?;
            return Ok(());
        };
        if !self.deferred {
            conn.close().await?;
            return Ok(());
        }
        {
            sqlx::Executor::execute(
                &mut conn,
                &*format!(
                    "ALTER TABLE work_records ADD CONSTRAINT {DEFERRED_UNIQUE} \
                     UNIQUE (work_day, account_id, site_id)"
                ),
            )
            .await?;
            for (_, create) in DEFERRED_INDEXES {
                sqlx::Executor::execute(&mut conn, *create).await?;
            }
        }
        sqlx::Executor::execute(
            &mut conn,
            "SELECT setval('work_records_id_seq', (SELECT COALESCE(MAX(id), 1) FROM work_records))",
        )
        .await?;
        sqlx::Executor::execute(&mut conn, "ANALYZE work_records").await?;
        conn.close().await?;
        Ok(())
    }
}

/// Rows per statement on SQLite.
const ROWS: usize = 500;

async fn load_sqlite(store: &Store, rows: &[GeneratedRecord], now: Timestamp) -> Result<()> {
    let mut tx: StoreTx = store.begin_bulk().await?;
    for chunk in rows.chunks(ROWS) {
        let mut sql = String::from(
            "INSERT INTO work_records (id, account_id, site_id, work_day, source, state, \
             first_in, last_out, business_id, trade, position, entered_by, created_at, \
             updated_at) VALUES ",
        );
        for (i, r) in chunk.iter().enumerate() {
            let entered_by = if r.source == "direct" {
                r.account.get().to_string()
            } else {
                "NULL".to_owned()
            };
            let _ = write!(
                sql,
                "{}({}, {}, {}, {}, '{}', 'counted', {}, {}, {}, '{}', '{}', {}, {}, {})",
                if i == 0 { "" } else { ", " },
                r.id,
                r.account.get(),
                r.site,
                day_number(r.day),
                r.source,
                r.first_in,
                r.last_out,
                r.business.get(),
                r.trade,
                r.position,
                entered_by,
                now.0,
                now.0,
            );
        }
        sqlx::query(&sql).execute(tx.conn()).await?;
    }
    tx.commit().await?;
    Ok(())
}
