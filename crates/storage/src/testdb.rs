//! Fresh databases for tests: a new SQLite file, or a new PostgreSQL database on the server
//! named by `CCUS_TEST_POSTGRES_URL`. Tests that need PostgreSQL carry
//! `#[ccus_test_macros::postgres_variant]`: when the variable is unset they are compiled as
//! ignored, so `cargo test` reports them as not run (a test in `ccus-test-macros` finds any that
//! lacks it). Under CI (`CI` set) they always run, and an unset variable or a server that cannot
//! be reached is a failure.

use rand::Rng;

/// The environment variable naming a PostgreSQL server for tests.
pub const POSTGRES_ENV: &str = "CCUS_TEST_POSTGRES_URL";

/// The environment variable naming a streaming replica of that server (`tools/postgres/replica.sh`
/// makes one), for the read replica tests.
pub const REPLICA_ENV: &str = "CCUS_TEST_POSTGRES_REPLICA_URL";

/// The replica's URL of the database `primary_db` (made by [`postgres_url`]), once the replica
/// has it; `None` when no replica is configured. Under CI a missing replica is a failure.
pub async fn replica_url(primary_db: &str) -> Option<String> {
    let Some(server) = std::env::var(REPLICA_ENV).ok().filter(|s| !s.is_empty()) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{REPLICA_ENV} is not set, but CI is: the replica variants must run in CI"
        );
        return None;
    };
    let name = primary_db.rsplit('/').next().unwrap_or_default();
    let name = name.split('?').next().unwrap_or_default();
    let url = format!("{}/{name}", server.trim_end_matches('/'));
    sqlx::any::install_default_drivers();
    // The database reaches the replica with the primary's next WAL records.
    for _ in 0..100 {
        if let Ok(pool) = sqlx::AnyPool::connect(&url).await {
            pool.close().await;
            return Some(url);
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{REPLICA_ENV} names {server}, which did not receive the database {name} in 10 s");
}

fn unique_name(prefix: &str) -> String {
    let n: u64 = rand::thread_rng().gen();
    format!("{prefix}_{n:016x}")
}

/// A URL for a new SQLite database in a fresh temporary folder.
pub fn sqlite_url() -> String {
    let dir = std::env::temp_dir().join(unique_name("ccus_test"));
    format!("sqlite://{}", dir.join("ccus.db").display())
}

/// A URL for a new, empty PostgreSQL database, or `None` when no server is configured.
pub async fn postgres_url() -> Option<String> {
    let Some(server) = std::env::var(POSTGRES_ENV).ok().filter(|s| !s.is_empty()) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{POSTGRES_ENV} is not set, but CI is: the PostgreSQL variants must run in CI"
        );
        return None;
    };
    let name = unique_name("ccus_t");
    sqlx::any::install_default_drivers();
    let admin = match sqlx::AnyPool::connect(&server).await {
        Ok(pool) => pool,
        Err(e) => panic!("{POSTGRES_ENV} names {server}, which cannot be reached: {e}"),
    };
    if let Err(e) = sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&admin)
        .await
    {
        panic!("cannot create a test database on {server}: {e}");
    }
    admin.close().await;
    let (base, query) = match server.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (server.as_str(), String::new()),
    };
    let root = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    Some(format!("{root}/{name}{query}"))
}
