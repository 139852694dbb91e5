//! Generated sites for measurements (`ccus admin generate-sites`): whole batches of sites,
//! their trees and 名簿 with keys chosen by the generator, written as literal multi-row
//! inserts in one transaction per batch. Only generated values (numbers, dates, the
//! generator's own names) are written this way, each quoted.

use ccus_domain::profile::{format_date, search_key};
use ccus_domain::site::Position;
use ccus_domain::{AccountId, Date, SiteId, Timestamp};
use sqlx::Row;

use crate::{Backend, Result, Sites, Store};

#[derive(Debug, Clone)]
pub struct GeneratedSite {
    pub key: i64,
    pub site_id: SiteId,
    pub prime: AccountId,
    pub name: String,
    pub address: String,
    pub public: bool,
    pub records_from: Date,
    pub records_to: Date,
    pub hazardous: bool,
    pub open: bool,
}

#[derive(Debug, Clone)]
pub struct GeneratedPlacement {
    pub key: i64,
    pub site: i64,
    pub business: AccountId,
    pub parent: Option<i64>,
    /// Still waiting for its 承認.
    pub requested: bool,
}

#[derive(Debug, Clone)]
pub struct GeneratedListing {
    pub key: i64,
    pub site: i64,
    pub place: i64,
    pub technician: AccountId,
    pub added_by: AccountId,
    pub trade: &'static str,
    pub position: Position,
}

/// One transaction's worth of generated rows.
#[derive(Debug, Clone, Default)]
pub struct SiteBatch {
    pub sites: Vec<GeneratedSite>,
    pub placements: Vec<GeneratedPlacement>,
    pub listings: Vec<GeneratedListing>,
}

/// A text literal.
/// The secondary indexes of the places and 名簿 lines, exactly as migrations 0030 and 0031 make
/// them: put off while generating into empty tables.
const DEFERRED_INDEXES: &[(&str, &str)] = &[
    (
        "site_placements_one_live",
        "CREATE UNIQUE INDEX IF NOT EXISTS site_placements_one_live ON site_placements(site_id, business_id) \
         WHERE state IN ('requested', 'active')",
    ),
    (
        "site_placements_by_site",
        "CREATE INDEX IF NOT EXISTS site_placements_by_site ON site_placements(site_id, id)",
    ),
    (
        "site_placements_by_business",
        "CREATE INDEX IF NOT EXISTS site_placements_by_business ON site_placements(business_id, site_id)",
    ),
    (
        "site_placements_waiting",
        "CREATE INDEX IF NOT EXISTS site_placements_waiting ON site_placements(parent_id) \
         WHERE state = 'requested'",
    ),
    (
        "site_listings_one_live",
        "CREATE UNIQUE INDEX IF NOT EXISTS site_listings_one_live ON site_listings(site_id, technician_id) \
         WHERE state IN ('asked', 'listed')",
    ),
    (
        "site_listings_by_placement",
        "CREATE INDEX IF NOT EXISTS site_listings_by_placement ON site_listings(placement_id, id)",
    ),
    (
        "site_listings_by_technician",
        "CREATE INDEX IF NOT EXISTS site_listings_by_technician ON site_listings(technician_id, state, site_id)",
    ),
];

fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Rows per statement.
const ROWS: usize = 1000;

impl Sites<&Store> {
    /// The last key of sites, places and 名簿 lines (generated ones continue after them).
    pub async fn next_keys(self) -> Result<(i64, i64, i64)> {
        let mut out = [0_i64; 3];
        for (i, t) in ["sites", "site_placements", "site_listings"]
            .iter()
            .enumerate()
        {
            let row = sqlx::query(&format!("SELECT COALESCE(MAX(id), 0) AS m FROM {t}"))
                .fetch_one(self.db())
                .await?;
            out[i] = row.try_get("m")?;
        }
        Ok((out[0], out[1], out[2]))
    }

    /// Every 現場ID already given (so that generated ones never repeat one).
    pub async fn all_site_ids(self) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT site_id FROM sites")
            .fetch_all(self.db())
            .await?;
        rows.iter().map(|r| Ok(r.try_get("site_id")?)).collect()
    }

    /// Writes one batch in one transaction: by COPY on PostgreSQL, by multi-row inserts on
    /// SQLite.
    pub async fn insert_generated(self, b: &SiteBatch, now: Timestamp) -> Result<()> {
        if self.backend() == Backend::Postgres {
            return self.copy_generated(b, now).await;
        }
        let overriding = "";
        let mut tx = self.begin_bulk().await?;
        for chunk in b.sites.chunks(ROWS) {
            let values: Vec<String> = chunk
                .iter()
                .map(|s| {
                    format!(
                        "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                        s.key,
                        q(s.site_id.as_str()),
                        s.prime.get(),
                        s.prime.get(),
                        q(&s.name),
                        q(&search_key(&s.name)),
                        q(&search_key(&s.address)),
                        q(if s.public { "public" } else { "private" }),
                        q(&format_date(s.records_from)),
                        q(&format_date(s.records_to)),
                        i64::from(s.hazardous),
                        q(if s.open { "open" } else { "closed" }),
                        s.prime.get(),
                        now.0,
                        now.0,
                        if s.open {
                            "NULL".to_owned()
                        } else {
                            now.0.to_string()
                        },
                    )
                })
                .collect();
            sqlx::query(&format!(
                "INSERT INTO sites (id, site_id, prime_id, manager_id, name, name_key, address_key, \
                 order_kind, records_from, records_to, hazardous, state, created_by, created_at, \
                 updated_at, closed_at){overriding} VALUES {}",
                values.join(", ")
            ))
            .execute(tx.conn())
            .await?;
        }
        for chunk in b.placements.chunks(ROWS) {
            let values: Vec<String> = chunk
                .iter()
                .map(|p| {
                    let state = if p.requested { "requested" } else { "active" };
                    let via = if p.parent.is_none() {
                        "prime"
                    } else {
                        "request"
                    };
                    format!(
                        "({}, {}, {}, {}, '{state}', '{via}', {}, {}, {})",
                        p.key,
                        p.site,
                        p.business.get(),
                        p.parent
                            .map_or_else(|| "NULL".to_owned(), |x| x.to_string()),
                        p.business.get(),
                        now.0,
                        if p.requested {
                            "NULL".to_owned()
                        } else {
                            now.0.to_string()
                        },
                    )
                })
                .collect();
            sqlx::query(&format!(
                "INSERT INTO site_placements (id, site_id, business_id, parent_id, state, via, \
                 asked_by, asked_at, answered_at){overriding} VALUES {}",
                values.join(", ")
            ))
            .execute(tx.conn())
            .await?;
        }
        for chunk in b.listings.chunks(ROWS) {
            let values: Vec<String> = chunk
                .iter()
                .map(|l| {
                    format!(
                        "({}, {}, {}, {}, {}, {}, 'listed', {}, {})",
                        l.key,
                        l.site,
                        l.place,
                        l.technician.get(),
                        q(l.trade),
                        q(l.position.as_str()),
                        l.added_by.get(),
                        now.0,
                    )
                })
                .collect();
            sqlx::query(&format!(
                "INSERT INTO site_listings (id, site_id, placement_id, technician_id, trade, \
                 position, state, added_by, added_at){overriding} VALUES {}",
                values.join(", ")
            ))
            .execute(tx.conn())
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn copy_generated(self, b: &SiteBatch, now: Timestamp) -> Result<()> {
        use sqlx::Connection;
        // COPY's text format: tab-separated, \N for NULL, backslash escapes.
        fn t(s: &str) -> String {
            s.replace('\\', "\\\\")
                .replace('\t', "\\t")
                .replace('\n', "\\n")
                .replace('\r', "\\r")
        }
        let null = |v: Option<i64>| v.map_or_else(|| "\\N".to_owned(), |x| x.to_string());
        let mut sites = String::new();
        for s in &b.sites {
            sites.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                s.key,
                s.site_id.as_str(),
                s.prime.get(),
                s.prime.get(),
                t(&s.name),
                t(&search_key(&s.name)),
                t(&search_key(&s.address)),
                if s.public { "public" } else { "private" },
                format_date(s.records_from),
                format_date(s.records_to),
                i64::from(s.hazardous),
                if s.open { "open" } else { "closed" },
                s.prime.get(),
                now.0,
                now.0,
                null((!s.open).then_some(now.0)),
            ));
        }
        let mut places = String::new();
        for p in &b.placements {
            places.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                p.key,
                p.site,
                p.business.get(),
                null(p.parent),
                if p.requested { "requested" } else { "active" },
                if p.parent.is_none() {
                    "prime"
                } else {
                    "request"
                },
                p.business.get(),
                now.0,
                null((!p.requested).then_some(now.0)),
            ));
        }
        let mut lines = String::new();
        for l in &b.listings {
            lines.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\tlisted\t{}\t{}\n",
                l.key,
                l.site,
                l.place,
                l.technician.get(),
                l.trade,
                l.position.as_str(),
                l.added_by.get(),
                now.0,
            ));
        }
        let mut conn = sqlx::postgres::PgConnection::connect(&self.url).await?;
        // The generator made every reference itself: a superuser's connection skips the
        // foreign-key triggers, the most of a bulk load's cost (anyone else keeps them).
        let _ = sqlx::Executor::execute(&mut conn, "SET session_replication_role = replica").await;
        let _ = sqlx::Executor::execute(&mut conn, "SET synchronous_commit = off").await;
        let mut tx = conn.begin().await?;
        for (sql, data) in [
            (
                "COPY sites (id, site_id, prime_id, manager_id, name, name_key, address_key, \
                 order_kind, records_from, records_to, hazardous, state, created_by, created_at, \
                 updated_at, closed_at) FROM STDIN",
                sites,
            ),
            (
                "COPY site_placements (id, site_id, business_id, parent_id, state, via, asked_by, \
                 asked_at, answered_at) FROM STDIN",
                places,
            ),
            (
                "COPY site_listings (id, site_id, placement_id, technician_id, trade, position, \
                 state, added_by, added_at) FROM STDIN",
                lines,
            ),
        ] {
            let mut copy = tx.copy_in_raw(sql).await?;
            copy.send(data.into_bytes()).await?;
            copy.finish().await?;
        }
        tx.commit().await?;
        conn.close().await?;
        Ok(())
    }

    /// Before loading into empty tables (PostgreSQL): drops the secondary indexes of the
    /// places and 名簿 lines, for [`Sites::after_generated`] to build once at the end — a
    /// load then writes rows only, not every index page of 100 M lines. False (nothing
    /// dropped) when either table holds rows or on SQLite.
    pub async fn defer_generated_indexes(self) -> Result<bool> {
        if self.backend() != Backend::Postgres {
            return Ok(false);
        }
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM site_placements LIMIT 1) p) \
             + (SELECT COUNT(*) FROM (SELECT 1 FROM site_listings LIMIT 1) l) AS n",
        )
        .fetch_one(self.db())
        .await?;
        let n: i64 = row.try_get("n")?;
        if n > 0 {
            return Ok(false);
        }
        for (name, _) in DEFERRED_INDEXES {
            sqlx::query(&format!("DROP INDEX IF EXISTS {name}"))
                .execute(self.db())
                .await?;
        }
        Ok(true)
    }

    /// After generating (also after a failed run): the secondary indexes a load put off are
    /// built (those present are left as they are), the identity sequences continue after the
    /// generated keys, and the planner learns the new sizes.
    pub async fn after_generated(self) -> Result<()> {
        match self.backend() {
            Backend::Postgres => {
                use sqlx::Connection;
                // Its own connection: building an index over 100 M lines outlasts any page's
                // time budget.
                let mut conn = sqlx::postgres::PgConnection::connect(&self.url).await?;
                for set in [
                    "SET maintenance_work_mem = '1GB'",
                    "SET statement_timeout = 0",
                ] {
                    sqlx::Executor::execute(&mut conn, set).await?;
                }
                for (_, create) in DEFERRED_INDEXES {
                    sqlx::Executor::execute(&mut conn, *create).await?;
                }
                for t in ["sites", "site_placements", "site_listings"] {
                    sqlx::Executor::execute(
                        &mut conn,
                        &*format!(
                            "SELECT setval(pg_get_serial_sequence('{t}', 'id'), \
                             (SELECT COALESCE(MAX(id), 1) FROM {t}))"
                        ),
                    )
                    .await?;
                }
                sqlx::Executor::execute(&mut conn, "ANALYZE sites, site_placements, site_listings")
                    .await?;
                conn.close().await?;
            }
            Backend::Sqlite => {
                sqlx::query("ANALYZE").execute(self.db()).await?;
            }
        }
        Ok(())
    }

    /// The newest sites with a live tree (for measurements): (現場ID, its 元請).
    pub async fn newest(self, limit: u32) -> Result<Vec<(SiteId, AccountId)>> {
        let rows = sqlx::query(
            "SELECT site_id, prime_id FROM sites WHERE state = 'open' ORDER BY id DESC LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                let s: String = r.try_get("site_id")?;
                Ok((
                    SiteId::parse(&s)
                        .map_err(|e| crate::StoreError::Corrupt(format!("{s:?}: {e}")))?,
                    AccountId::new(r.try_get("prime_id")?),
                ))
            })
            .collect()
    }
}
