//! Schema migrations, embedded in the binary: one ordered list per database. Each applied
//! migration is recorded with the SHA-256 of its SQL, so that a migration edited after a
//! database applied it is refused at start instead of leaving that database on a schema the
//! code no longer describes.

use sha2::{Digest, Sha256};
use sqlx::{AnyPool, Row};

use crate::{Backend, Result, StoreError};

struct Migration {
    version: i64,
    sqlite: &'static str,
    postgres: &'static str,
}

impl Migration {
    fn sql(&self, backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => self.sqlite,
            Backend::Postgres => self.postgres,
        }
    }
}

/// The checksum recorded for a migration: SHA-256 of its SQL for that database, in hex.
fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        sqlite: include_str!("../migrations/sqlite/0001_login_core.sql"),
        postgres: include_str!("../migrations/postgres/0001_login_core.sql"),
    },
    Migration {
        version: 2,
        sqlite: include_str!("../migrations/sqlite/0002_recovery_and_mail.sql"),
        postgres: include_str!("../migrations/postgres/0002_recovery_and_mail.sql"),
    },
    Migration {
        version: 3,
        sqlite: include_str!("../migrations/sqlite/0003_notices_and_maintenance.sql"),
        postgres: include_str!("../migrations/postgres/0003_notices_and_maintenance.sql"),
    },
    Migration {
        version: 4,
        sqlite: include_str!("../migrations/sqlite/0004_profiles.sql"),
        postgres: include_str!("../migrations/postgres/0004_profiles.sql"),
    },
    Migration {
        version: 5,
        sqlite: include_str!("../migrations/sqlite/0005_staff.sql"),
        postgres: include_str!("../migrations/postgres/0005_staff.sql"),
    },
    Migration {
        version: 6,
        sqlite: include_str!("../migrations/sqlite/0006_inquiries.sql"),
        postgres: include_str!("../migrations/postgres/0006_inquiries.sql"),
    },
    Migration {
        version: 7,
        sqlite: include_str!("../migrations/sqlite/0007_staff_initial_password.sql"),
        postgres: include_str!("../migrations/postgres/0007_staff_initial_password.sql"),
    },
    Migration {
        version: 8,
        sqlite: include_str!("../migrations/sqlite/0008_audit_actor.sql"),
        postgres: include_str!("../migrations/postgres/0008_audit_actor.sql"),
    },
    Migration {
        version: 9,
        sqlite: include_str!("../migrations/sqlite/0009_email_index.sql"),
        postgres: include_str!("../migrations/postgres/0009_email_index.sql"),
    },
    Migration {
        version: 10,
        sqlite: include_str!("../migrations/sqlite/0010_history_by_time.sql"),
        postgres: include_str!("../migrations/postgres/0010_history_by_time.sql"),
    },
    Migration {
        version: 11,
        sqlite: include_str!("../migrations/sqlite/0011_ended_sessions.sql"),
        postgres: include_str!("../migrations/postgres/0011_ended_sessions.sql"),
    },
    Migration {
        version: 12,
        sqlite: include_str!("../migrations/sqlite/0012_mail_claimed_by.sql"),
        postgres: include_str!("../migrations/postgres/0012_mail_claimed_by.sql"),
    },
    Migration {
        version: 13,
        sqlite: include_str!("../migrations/sqlite/0013_attachment_blobs.sql"),
        postgres: include_str!("../migrations/postgres/0013_attachment_blobs.sql"),
    },
    Migration {
        version: 14,
        sqlite: include_str!("../migrations/sqlite/0014_name_search_index.sql"),
        postgres: include_str!("../migrations/postgres/0014_name_search_index.sql"),
    },
    Migration {
        version: 15,
        sqlite: include_str!("../migrations/sqlite/0015_registration.sql"),
        postgres: include_str!("../migrations/postgres/0015_registration.sql"),
    },
    Migration {
        version: 16,
        sqlite: include_str!("../migrations/sqlite/0016_proxy_applications.sql"),
        postgres: include_str!("../migrations/postgres/0016_proxy_applications.sql"),
    },
    Migration {
        version: 17,
        sqlite: include_str!("../migrations/sqlite/0017_organisations.sql"),
        postgres: include_str!("../migrations/postgres/0017_organisations.sql"),
    },
    Migration {
        version: 18,
        sqlite: include_str!("../migrations/sqlite/0018_affiliations.sql"),
        postgres: include_str!("../migrations/postgres/0018_affiliations.sql"),
    },
    Migration {
        version: 19,
        sqlite: include_str!("../migrations/sqlite/0019_guide_endings.sql"),
        postgres: include_str!("../migrations/postgres/0019_guide_endings.sql"),
    },
    Migration {
        version: 20,
        sqlite: include_str!("../migrations/sqlite/0020_passkeys.sql"),
        postgres: include_str!("../migrations/postgres/0020_passkeys.sql"),
    },
    Migration {
        version: 21,
        sqlite: include_str!("../migrations/sqlite/0021_staff_passkeys.sql"),
        postgres: include_str!("../migrations/postgres/0021_staff_passkeys.sql"),
    },
    Migration {
        version: 22,
        sqlite: include_str!("../migrations/sqlite/0022_account_languages.sql"),
        postgres: include_str!("../migrations/postgres/0022_account_languages.sql"),
    },
    Migration {
        version: 23,
        sqlite: include_str!("../migrations/sqlite/0023_faq_languages.sql"),
        postgres: include_str!("../migrations/postgres/0023_faq_languages.sql"),
    },
    Migration {
        version: 24,
        sqlite: include_str!("../migrations/sqlite/0024_request_languages.sql"),
        postgres: include_str!("../migrations/postgres/0024_request_languages.sql"),
    },
    Migration {
        version: 25,
        sqlite: include_str!("../migrations/sqlite/0025_mail_hand_over.sql"),
        postgres: include_str!("../migrations/postgres/0025_mail_hand_over.sql"),
    },
    Migration {
        version: 26,
        sqlite: include_str!("../migrations/sqlite/0026_screening_outcomes.sql"),
        postgres: include_str!("../migrations/postgres/0026_screening_outcomes.sql"),
    },
    Migration {
        version: 27,
        sqlite: include_str!("../migrations/sqlite/0027_applicant_reset.sql"),
        postgres: include_str!("../migrations/postgres/0027_applicant_reset.sql"),
    },
    Migration {
        version: 28,
        sqlite: include_str!("../migrations/sqlite/0028_session_holders.sql"),
        postgres: include_str!("../migrations/postgres/0028_session_holders.sql"),
    },
    Migration {
        version: 29,
        sqlite: include_str!("../migrations/sqlite/0029_typed_audit.sql"),
        postgres: include_str!("../migrations/postgres/0029_typed_audit.sql"),
    },
    Migration {
        version: 30,
        sqlite: include_str!("../migrations/sqlite/0030_sites.sql"),
        postgres: include_str!("../migrations/postgres/0030_sites.sql"),
    },
    Migration {
        version: 31,
        sqlite: include_str!("../migrations/sqlite/0031_site_requests_index.sql"),
        postgres: include_str!("../migrations/postgres/0031_site_requests_index.sql"),
    },
    Migration {
        version: 32,
        sqlite: include_str!("../migrations/sqlite/0032_work_records.sql"),
        postgres: include_str!("../migrations/postgres/0032_work_records.sql"),
    },
    Migration {
        version: 33,
        sqlite: include_str!("../migrations/sqlite/0033_business_records.sql"),
        postgres: include_str!("../migrations/postgres/0033_business_records.sql"),
    },
    Migration {
        version: 34,
        sqlite: include_str!("../migrations/sqlite/0034_record_corrections.sql"),
        postgres: include_str!("../migrations/postgres/0034_record_corrections.sql"),
    },
    Migration {
        version: 35,
        sqlite: include_str!("../migrations/sqlite/0035_partner_api.sql"),
        postgres: include_str!("../migrations/postgres/0035_partner_api.sql"),
    },
    Migration {
        version: 36,
        sqlite: include_str!("../migrations/sqlite/0036_login_with_ccus.sql"),
        postgres: include_str!("../migrations/postgres/0036_login_with_ccus.sql"),
    },
];

/// An arbitrary constant that names our migration lock on PostgreSQL.
const PG_MIGRATION_LOCK: i64 = 0x0cc0_5001;

pub(crate) async fn run(pool: &AnyPool, backend: Backend) -> Result<()> {
    let mut conn = pool.acquire().await?;
    if backend == Backend::Postgres {
        // Two instances starting together must not both migrate.
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(PG_MIGRATION_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    let result = apply(&mut conn, backend).await;
    if backend == Backend::Postgres {
        let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
            .bind(PG_MIGRATION_LOCK)
            .execute(&mut *conn)
            .await;
        if result.is_ok() {
            warn_unless_names_are_indexed(&mut conn).await;
        }
    }
    result
}

/// `pg_trgm` indexes only what the database's `LC_CTYPE` counts as letters and digits: under
/// `C`, no Japanese at all. Look-ups by name then still find the right accounts, but by reading
/// every one; this is said at start rather than found out at CCUS size.
async fn warn_unless_names_are_indexed(conn: &mut sqlx::AnyConnection) {
    let trigrams = sqlx::query("SELECT CAST(cardinality(show_trgm('田中')) AS BIGINT) AS n")
        .fetch_one(&mut *conn)
        .await
        .and_then(|row| row.try_get::<i64, _>("n"));
    match trigrams {
        Ok(0) => tracing::warn!(
            "pg_trgm finds no trigrams in Japanese text: the database's LC_CTYPE is not a UTF-8 \
             locale, so the helpdesk's look-ups by name read the whole accounts table \
             (create the database with LC_CTYPE C.UTF-8 or ja_JP.UTF-8)"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!(error = %e, "could not check that pg_trgm indexes Japanese names"),
    }
}

async fn apply(conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<()> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL, checksum TEXT)",
    )
    .execute(&mut *conn)
    .await?;
    add_checksum_column(conn, backend).await?;
    let rows = sqlx::query("SELECT version, checksum FROM schema_migrations")
        .fetch_all(&mut *conn)
        .await?;
    let mut applied = Vec::with_capacity(rows.len());
    for r in &rows {
        let version: i64 = r.try_get("version")?;
        let stored: Option<String> = r.try_get("checksum")?;
        applied.push(version);
        // A version this build does not know (a newer build migrated) is left alone.
        let Some(m) = MIGRATIONS.iter().find(|m| m.version == version) else {
            continue;
        };
        let embedded = checksum(m.sql(backend));
        match stored {
            // Applied before checksums were recorded: trust it and record the current one.
            None => {
                sqlx::query(
                    "UPDATE schema_migrations SET checksum = $1 WHERE version = $2 AND checksum IS NULL",
                )
                .bind(&embedded)
                .bind(version)
                .execute(&mut *conn)
                .await?;
            }
            Some(stored) if stored == embedded => {}
            Some(stored) => {
                return Err(StoreError::MigrationChanged {
                    version,
                    applied: stored,
                    embedded,
                })
            }
        }
    }
    for m in MIGRATIONS {
        if applied.contains(&m.version) {
            continue;
        }
        let sql = m.sql(backend);
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO schema_migrations (version, applied_at, checksum) VALUES ($1, $2, $3)",
        )
        .bind(m.version)
        .bind(ccus_domain::Clock::now(&ccus_domain::SystemClock).0)
        .bind(checksum(sql))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(version = m.version, "applied migration");
    }
    Ok(())
}

/// Databases migrated before checksums were recorded have `schema_migrations` without the
/// `checksum` column; it is added (empty) once. Looked up first, so that a database that has
/// it is not altered (nor locked) at every start.
async fn add_checksum_column(conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<()> {
    if has_checksum_column(conn, backend).await? {
        return Ok(());
    }
    let alter = match backend {
        Backend::Postgres => "ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum TEXT",
        Backend::Sqlite => "ALTER TABLE schema_migrations ADD COLUMN checksum TEXT",
    };
    if let Err(e) = sqlx::raw_sql(alter).execute(&mut *conn).await {
        // SQLite has no `IF NOT EXISTS` here and no migration lock: another process may have
        // added the column since we looked.
        if !has_checksum_column(conn, backend).await? {
            return Err(e.into());
        }
    }
    Ok(())
}

async fn has_checksum_column(conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<bool> {
    let look = match backend {
        Backend::Sqlite => {
            "SELECT COUNT(*) AS n FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) AS n FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = 'schema_migrations' \
               AND column_name = 'checksum'"
        }
    };
    let row = sqlx::query(look).fetch_one(&mut *conn).await?;
    Ok(row.try_get::<i64, _>("n")? > 0)
}

/// The last migration from before releases were upgraded by rolling (old and new instances
/// serving together): every later one only expands the schema, unless it is a contract
/// migration (see [`destructive`]).
#[cfg(test)]
const ROLLING_SINCE: i64 = 36;

/// What in a PostgreSQL migration's SQL would break the release before it, which still serves
/// beside the new one during a rolling upgrade (several instances need PostgreSQL; SQLite is
/// one process and upgrades by a restart):
///
/// * taking away: a table, column, view, function, type, trigger or sequence dropped, or
///   anything renamed;
/// * changing: a column's type changed, or a column made required;
/// * tightening: a new constraint or unique index (the old release's writes may break it);
/// * a new required column without a default (the old release's inserts leave it out).
///
/// A *contract* migration — its first line `-- contract: …`, naming what it removes and the
/// release since which nothing uses it — may take away, change and tighten; it ships at least
/// one release after the code stopped depending on what it changes. A required column without
/// a default is refused even there.
#[cfg(test)]
fn destructive(sql: &str) -> Vec<String> {
    let contract = sql.trim_start().starts_with("-- contract:");
    let code: String = sql
        .lines()
        .map(|l| l.split("--").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase();
    let mut found = Vec::new();
    for statement in code.split(';') {
        let text = statement.split_whitespace().collect::<Vec<_>>().join(" ");
        let (breaks, required_without_default) = if let Some(rest) =
            text.strip_prefix("ALTER TABLE ").map(|r| {
                r.trim_start_matches("IF EXISTS ")
                    .trim_start_matches("ONLY ")
            }) {
            let mut breaks = false;
            let mut required = false;
            for action in top_level_parts(rest) {
                let a = action.trim();
                // The first action follows the table's name.
                let a = a
                    .find(|c: char| c.is_whitespace())
                    .filter(|_| !starts_with_action(a))
                    .map_or(a, |i| a[i..].trim_start());
                if a.starts_with("RENAME") {
                    breaks = true;
                } else if let Some(d) = a.strip_prefix("DROP ") {
                    let relaxes = [
                        "DEFAULT",
                        "NOT NULL",
                        "CONSTRAINT",
                        "IDENTITY",
                        "EXPRESSION",
                    ];
                    breaks |= !relaxes.iter().any(|r| d.starts_with(r));
                } else if a.starts_with("ALTER ") {
                    breaks |= a.contains(" TYPE ") || a.contains("SET NOT NULL");
                } else if let Some(added) = a.strip_prefix("ADD ") {
                    let constraint = [
                        "CONSTRAINT",
                        "UNIQUE",
                        "CHECK",
                        "FOREIGN KEY",
                        "PRIMARY KEY",
                        "EXCLUDE",
                    ];
                    if constraint.iter().any(|c| added.starts_with(c)) {
                        breaks = true;
                    } else {
                        required |= added.contains("NOT NULL") && !added.contains("DEFAULT");
                    }
                }
            }
            (breaks, required)
        } else {
            let removes = [
                "DROP TABLE",
                "DROP VIEW",
                "DROP MATERIALIZED VIEW",
                "DROP FUNCTION",
                "DROP TYPE",
                "DROP TRIGGER",
                "DROP SEQUENCE",
                "CREATE UNIQUE INDEX",
            ];
            let renames = text.starts_with("ALTER ") && text.contains(" RENAME ");
            (
                removes.iter().any(|w| text.starts_with(w)) || renames,
                false,
            )
        };
        if (breaks && !contract) || required_without_default {
            found.push(text);
        }
    }
    found
}

/// Whether an `ALTER TABLE` part begins with an action (not with the table's name).
#[cfg(test)]
fn starts_with_action(part: &str) -> bool {
    [
        "ADD ",
        "DROP ",
        "ALTER ",
        "RENAME",
        "SET ",
        "RESET ",
        "VALIDATE ",
        "ENABLE ",
        "DISABLE ",
    ]
    .iter()
    .any(|a| part.starts_with(a))
}

/// The comma-separated parts of `text` outside parentheses.
#[cfg(test)]
fn top_level_parts(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Migrations since rolling upgrades began only expand the schema (or are marked contract
    /// migrations), so the release before each still works beside it.
    #[test]
    fn migrations_since_rolling_upgrades_only_expand() {
        let mut problems = Vec::new();
        for m in MIGRATIONS.iter().filter(|m| m.version > ROLLING_SINCE) {
            for statement in destructive(m.sql(Backend::Postgres)) {
                problems.push(format!("{}: {statement}", m.version));
            }
        }
        assert!(
            problems.is_empty(),
            "these would break the release before during a rolling upgrade \
             (docs/operations.md, \"Upgrading\"):\n{}",
            problems.join("\n")
        );
    }

    #[test]
    fn destructive_statements_are_found() {
        assert!(
            destructive("CREATE TABLE t (a INTEGER);\nALTER TABLE u ADD COLUMN b TEXT;").is_empty()
        );
        assert!(destructive("ALTER TABLE u ADD COLUMN b TEXT NOT NULL DEFAULT '';").is_empty());
        assert_eq!(destructive("-- note\nDROP TABLE old;").len(), 1);
        assert_eq!(destructive("ALTER TABLE t RENAME COLUMN a TO b;").len(), 1);
        assert_eq!(
            destructive("ALTER TABLE t ALTER COLUMN a TYPE BIGINT;").len(),
            1
        );
        assert_eq!(
            destructive("ALTER TABLE t ADD COLUMN c TEXT NOT NULL;").len(),
            1
        );
        // PostgreSQL lets `COLUMN` be left out; several actions in one statement.
        assert_eq!(destructive("ALTER TABLE t DROP c;").len(), 1);
        assert_eq!(destructive("ALTER TABLE IF EXISTS ONLY t DROP c;").len(), 1);
        assert_eq!(
            destructive("alter table t add x int, alter y type bigint;").len(),
            1
        );
        assert_eq!(destructive("ALTER TABLE t ADD c TEXT NOT NULL;").len(), 1);
        assert!(
            destructive("ALTER TABLE t ALTER c DROP NOT NULL, ALTER d SET DEFAULT 0;").is_empty()
        );
        // Tightening: a new constraint or unique index.
        assert_eq!(
            destructive("ALTER TABLE t ADD CONSTRAINT k CHECK (a > 0);").len(),
            1
        );
        assert_eq!(destructive("CREATE UNIQUE INDEX u ON t (a);").len(), 1);
        assert!(destructive("CREATE INDEX i ON t (a);").is_empty());
        assert_eq!(destructive("DROP TRIGGER tr ON t;").len(), 1);
        // A contract migration may remove; it may still not add a required column bare.
        assert!(destructive("-- contract: old, unused since 0.2\nDROP TABLE old;").is_empty());
        assert_eq!(
            destructive("-- contract: x\nALTER TABLE t ADD COLUMN c TEXT NOT NULL;").len(),
            1
        );
    }

    /// Every file in each migrations folder is in the list, in order, as its version.
    #[test]
    fn every_migration_file_is_listed() {
        for (folder, backend) in [("sqlite", Backend::Sqlite), ("postgres", Backend::Postgres)] {
            let dir = format!("{}/migrations/{folder}", env!("CARGO_MANIFEST_DIR"));
            let mut files: Vec<(i64, String)> = std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{dir}: {e}"))
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "sql"))
                .map(|p| {
                    let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
                    let name = name.unwrap_or_default();
                    let version = name[..4].parse().unwrap_or(-1);
                    (version, std::fs::read_to_string(&p).unwrap_or_default())
                })
                .collect();
            files.sort();
            let listed: Vec<(i64, String)> = MIGRATIONS
                .iter()
                .map(|m| (m.version, m.sql(backend).to_owned()))
                .collect();
            assert_eq!(
                files.iter().map(|f| f.0).collect::<Vec<_>>(),
                listed.iter().map(|m| m.0).collect::<Vec<_>>(),
                "{folder}: the files and the list differ"
            );
            assert_eq!(
                files, listed,
                "{folder}: a listed migration is not its file"
            );
        }
    }
}
