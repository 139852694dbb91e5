//! The look-ups anyone can trigger without logging in use an index, not a scan of millions of
//! accounts (checked with SQLite's query planner; PostgreSQL gets the same index).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_storage::{testdb, Store};
use sqlx::Row;

#[tokio::test]
async fn the_id_reminder_looks_up_the_email_by_index() {
    let url = testdb::sqlite_url();
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    store.close().await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&format!("{url}?mode=rwc"))
        .await
        .unwrap();
    let plan = sqlx::query(
        "EXPLAIN QUERY PLAN SELECT a.id FROM accounts a WHERE LOWER(a.email) = LOWER('x@example.jp')",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let detail: Vec<String> = plan
        .iter()
        .map(|r| r.try_get::<String, _>("detail").unwrap())
        .collect();
    assert!(
        detail.iter().any(|d| d.contains("accounts_email_lower")),
        "{detail:?}"
    );
}
