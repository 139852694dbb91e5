//! What `ccus admin backup` and `restore` need from the database itself: an online copy of a
//! SQLite file, a PostgreSQL snapshot that `pg_dump` can share, and a description of what a
//! copy holds (schema version, row counts of the main tables, the attachment files its rows
//! name) read inside the very snapshot that was copied.
//!
//! SQLite is copied with `VACUUM INTO` through one of the store's own connections. It runs as a
//! single read transaction, so the copy is one consistent moment of the database; in WAL mode
//! that read never blocks the portal's writers; the copy is a compact, ordinary database file.
//! SQLite's backup API would do the same but is reached only through the C interface (this
//! workspace forbids `unsafe`), and copied step by step it starts over whenever a writer
//! commits — under steady load it may never finish.
//!
//! These calls run outside the per-call time budget of a serving store: a copy or a count over
//! millions of rows takes as long as it takes.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Connection, Row};

use crate::{Backend, Result, Store, StoreError};

/// The tables whose row counts a backup's manifest records and a restore compares: the data a
/// registry cannot lose. (Counted when present, so an older schema still describes itself.)
pub const COUNTED_TABLES: &[&str] = &[
    "accounts",
    "staff",
    "applications",
    "application_documents",
    "inquiries",
    "inquiry_files",
    "mail_outbox",
    "org_members",
    "sites",
    "site_placements",
    "site_listings",
    "ic_cards",
    "touches",
    "work_records",
    "access_events",
    "audit_log",
    "api_clients",
    "attachment_blobs",
];

/// What a database (or a copy of one) holds, as one consistent moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contents {
    /// The newest applied migration.
    pub schema_version: i64,
    /// Rows of each of [`COUNTED_TABLES`] that exists.
    pub row_counts: BTreeMap<String, i64>,
    /// The attachment files the rows name (inquiries' and applications' documents).
    pub stored_files: Vec<StoredFile>,
}

/// An attachment file named by a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub name: String,
    /// Its bytes are in the database too (PostgreSQL's `attachment_blobs`), so a copy of the
    /// database holds the file even where the folder does not.
    pub in_database: bool,
}

/// A PostgreSQL transaction that exported its snapshot: `pg_dump --snapshot=ID` sees exactly
/// what [`ExportedSnapshot::contents`] reads, for as long as this is held.
pub struct ExportedSnapshot {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    id: String,
}

impl ExportedSnapshot {
    /// The snapshot's name, for `pg_dump --snapshot`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// What the snapshot holds.
    pub async fn contents(&mut self) -> Result<Contents> {
        contents(&mut self.tx, Backend::Postgres).await
    }

    /// Ends the transaction (nothing was written).
    pub async fn finish(self) -> Result<()> {
        self.tx.rollback().await?;
        Ok(())
    }
}

impl Store {
    /// Writes a consistent copy of this SQLite database to `dest`, a file that must not exist.
    pub async fn copy_sqlite_into(&self, dest: &Path) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Err(StoreError::Corrupt("VACUUM INTO is for SQLite only".into()));
        }
        let dest = dest
            .to_str()
            .ok_or_else(|| StoreError::Corrupt(format!("{} is not UTF-8", dest.display())))?;
        sqlx::query("VACUUM INTO $1")
            .bind(dest)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Starts a read-only repeatable-read transaction on PostgreSQL and exports its snapshot.
    pub async fn export_snapshot(&self) -> Result<ExportedSnapshot> {
        if self.backend != Backend::Postgres {
            return Err(StoreError::Corrupt(
                "snapshots are exported on PostgreSQL".into(),
            ));
        }
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query("SELECT pg_export_snapshot() AS id")
            .fetch_one(&mut *tx)
            .await?;
        let id = row.try_get("id")?;
        Ok(ExportedSnapshot { tx, id })
    }

    /// What this database holds now (after a restore, to compare with the manifest).
    pub async fn contents(&self) -> Result<Contents> {
        let mut conn = self.pool.acquire().await?;
        contents(&mut conn, self.backend).await
    }

    /// How many tables the database has (in PostgreSQL's current schema): a restore goes only
    /// into an empty one unless forced.
    pub async fn table_count(&self) -> Result<i64> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%'"
            }
            Backend::Postgres => {
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM information_schema.tables \
                 WHERE table_schema = current_schema()"
            }
        };
        let row = sqlx::query(sql).fetch_one(&self.pool).await?;
        Ok(row.try_get("n")?)
    }
}

impl Store {
    /// PostgreSQL: drops the current schema with everything in it and makes it again, empty,
    /// for a forced restore (`pg_restore --clean` cannot drop the constraints of partitions).
    pub async fn drop_current_schema(&self) -> Result<()> {
        if self.backend != Backend::Postgres {
            return Err(StoreError::Corrupt(
                "only a PostgreSQL schema is dropped".into(),
            ));
        }
        let mut conn = self.pool.acquire().await?;
        let name: String = sqlx::query("SELECT CAST(current_schema() AS TEXT) AS name")
            .fetch_one(&mut *conn)
            .await?
            .try_get("name")?;
        let quoted = format!("\"{}\"", name.replace('"', "\"\""));
        sqlx::raw_sql(&format!(
            "DROP SCHEMA {quoted} CASCADE; CREATE SCHEMA {quoted}"
        ))
        .execute(&mut *conn)
        .await?;
        Ok(())
    }
}

/// Opens the SQLite copy at `path` (made by [`Store::copy_sqlite_into`]), makes it a
/// self-contained file (rollback journal, not WAL), checks it (`PRAGMA quick_check`) and says
/// what it holds.
pub async fn sqlite_file_contents(path: &Path) -> Result<Contents> {
    sqlx::any::install_default_drivers();
    let url = format!("sqlite://{}?mode=rw", path.display());
    let mut conn = AnyConnection::connect(&url).await?;
    sqlx::query("PRAGMA journal_mode = DELETE")
        .execute(&mut conn)
        .await?;
    let check = sqlx::query("PRAGMA quick_check")
        .fetch_all(&mut conn)
        .await?;
    let verdict: Vec<String> = check
        .iter()
        .map(|r| r.try_get::<String, _>("quick_check"))
        .collect::<std::result::Result<_, _>>()?;
    if verdict != ["ok"] {
        return Err(StoreError::Corrupt(format!(
            "the copy fails its check: {}",
            verdict.join("; ")
        )));
    }
    let c = contents(&mut conn, Backend::Sqlite).await;
    conn.close().await?;
    c
}

async fn contents(conn: &mut AnyConnection, backend: Backend) -> Result<Contents> {
    let tables_sql = match backend {
        Backend::Sqlite => "SELECT name FROM sqlite_master WHERE type = 'table'",
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = current_schema()"
        }
    };
    let present: Vec<String> = sqlx::query(tables_sql)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get("name"))
        .collect::<std::result::Result<_, _>>()?;
    let mut row_counts = BTreeMap::new();
    for table in COUNTED_TABLES {
        if present.iter().any(|p| p == table) {
            // The name is one of ours, never input.
            let row = sqlx::query(&format!(
                "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table}"
            ))
            .fetch_one(&mut *conn)
            .await?;
            row_counts.insert((*table).to_owned(), row.try_get("n")?);
        }
    }
    let version = sqlx::query("SELECT CAST(MAX(version) AS BIGINT) AS v FROM schema_migrations")
        .fetch_one(&mut *conn)
        .await?
        .try_get::<Option<i64>, _>("v")?
        .unwrap_or(0);
    let has = |t: &str| present.iter().any(|p| p == t);
    let mut names = Vec::new();
    if has("inquiry_files") {
        names.push("SELECT stored_name FROM inquiry_files");
    }
    if has("application_documents") {
        names.push("SELECT stored_name FROM application_documents");
    }
    let mut stored_files = Vec::new();
    if !names.is_empty() {
        let blobs = if has("attachment_blobs") {
            "EXISTS (SELECT 1 FROM attachment_blobs b WHERE b.stored_name = f.stored_name)"
        } else {
            "0 = 1"
        };
        let sql = format!(
            "SELECT f.stored_name AS name, CAST(CASE WHEN {blobs} THEN 1 ELSE 0 END AS BIGINT) AS in_db \
             FROM ({}) f ORDER BY f.stored_name",
            names.join(" UNION ")
        );
        for r in sqlx::query(&sql).fetch_all(&mut *conn).await? {
            stored_files.push(StoredFile {
                name: r.try_get("name")?,
                in_database: r.try_get::<i64, _>("in_db")? == 1,
            });
        }
    }
    Ok(Contents {
        schema_version: version,
        row_counts,
        stored_files,
    })
}

/// The SHA-256 (hex) and length of a file, read in pieces.
pub fn file_sha256(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut len = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        len += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), len))
}
