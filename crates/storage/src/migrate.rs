//! Schema migrations, embedded in the binary: one ordered list per database.

use sqlx::{AnyPool, Row};

use crate::{Backend, Result};

struct Migration {
    version: i64,
    sqlite: &'static str,
    postgres: &'static str,
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
    }
    result
}

async fn apply(conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<()> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)",
    )
    .execute(&mut *conn)
    .await?;
    let rows = sqlx::query("SELECT version FROM schema_migrations")
        .fetch_all(&mut *conn)
        .await?;
    let applied: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get::<i64, _>("version"))
        .collect::<Result<_, _>>()?;
    for m in MIGRATIONS {
        if applied.contains(&m.version) {
            continue;
        }
        let sql = match backend {
            Backend::Sqlite => m.sqlite,
            Backend::Postgres => m.postgres,
        };
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)")
            .bind(m.version)
            .bind(ccus_domain::Clock::now(&ccus_domain::SystemClock).0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(version = m.version, "applied migration");
    }
    Ok(())
}
