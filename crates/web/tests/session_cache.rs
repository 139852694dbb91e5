//! Each instance keeps resumed sessions in memory for a moment (`session.cache_ttl`), and an
//! ended session never serves a page anywhere: ending it drops it from every instance's cache
//! at once, not after the TTL. Two instances on one database; on PostgreSQL when
//! `CCUS_TEST_POSTGRES_URL` is set (the other instance hears of it by `NOTIFY`), always on
//! SQLite (two instances sharing one file in one process).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use base64::Engine;
use ccus_domain::AccountKind;
use ccus_storage::{testdb, StaffRole};
use ccus_testkit::*;

const TECH: AccountKind = AccountKind::Technician;

async fn pair(url: String) -> (TestApp, TestApp) {
    let tweak = |c: &mut ccus_app::config::Config| {
        // Far longer than the test: only an eviction can make a cached session go.
        c.session.cache_ttl = Duration::from_secs(600);
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    };
    let a = spawn_app_with(url, tweak).await;
    let b = a.second_instance(tweak).await;
    // On PostgreSQL the cache is on once the instance listens.
    let start = Instant::now();
    while !(a.state.session_cache().is_on() && b.state.session_cache().is_on()) {
        assert!(start.elapsed() < Duration::from_secs(10), "listeners");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    (a, b)
}

/// How soon `path` must send the browser to a login page: at once on one process (SQLite);
/// on PostgreSQL as soon as the notification is delivered (well within a second; the TTL is
/// ten minutes).
async fn refused(app: &TestApp, b: &reqwest::Client, path: &str, postgres: bool) {
    let start = Instant::now();
    loop {
        let r = app.get(b, path).await;
        if r.status() == 303 && location(&r).contains("login") {
            return;
        }
        assert!(
            postgres && start.elapsed() < Duration::from_secs(1),
            "{path} still served ({}) after the session ended",
            r.status()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

async fn ended_sessions_serve_nothing(a: TestApp, b: TestApp, postgres: bool) {
    let acct = a.account(TECH).await;
    let br = a.browser();

    // ログアウト on A: B, which has the session cached, refuses it too.
    let r = a
        .login(&br, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    assert_eq!(r.status(), 303);
    for app in [&a, &b] {
        assert_eq!(app.get(&br, "/ccus_skill/home").await.status(), 200);
        assert_eq!(app.get(&br, "/ccus_skill/home").await.status(), 200);
    }
    assert!(!b.state.session_cache().is_empty(), "B keeps the session");
    let home = a.get(&br, "/ccus_skill/home").await.text().await.unwrap();
    let out = br
        .post(a.url("/ccus_skill/logout"))
        .form(&[("csrf_token", csrf_in(&home).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    refused(&b, &br, "/ccus_skill/home", postgres).await;
    refused(&a, &br, "/ccus_skill/home", postgres).await;

    // Every session of the account ended on A (as a password reset or a lock does).
    let r = a
        .login(&br, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    assert_eq!(r.status(), 303);
    for app in [&b, &a] {
        assert_eq!(app.get(&br, "/ccus_skill/home").await.status(), 200);
    }
    let id = a
        .state
        .store_for_tools()
        .accounts()
        .account_by_login_id(&acct.login_id)
        .await
        .unwrap()
        .unwrap()
        .id;
    a.state
        .store_for_tools()
        .sessions()
        .delete_sessions_of(id)
        .await
        .unwrap();
    refused(&b, &br, "/ccus_skill/home", postgres).await;

    // A staff member stopped (利用停止) on B: A refuses the console at once.
    let (sb, _, staff_id) = a.staff_browser_with_id(StaffRole::Operator).await;
    for app in [&a, &b] {
        assert_eq!(app.get(&sb, "/helpdesk").await.status(), 200);
    }
    assert_eq!(
        ccus_app::auth::staff::set_disabled(&b.state, &staff_id, true)
            .await
            .unwrap(),
        Some(true)
    );
    refused(&a, &sb, "/helpdesk", postgres).await;
    refused(&b, &sb, "/helpdesk", postgres).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_ended_session_serves_no_page_on_any_postgres_instance() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    let (a, b) = pair(url).await;
    ended_sessions_serve_nothing(a, b, true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_ended_session_serves_no_page_on_any_sqlite_instance() {
    let (a, b) = pair(testdb::sqlite_url()).await;
    ended_sessions_serve_nothing(a, b, false).await;
}

/// The listener's connection is cut (a database restart, a network blip): notifications sent
/// meanwhile are lost, so the instance empties its cache, stops caching until it listens
/// again, and then ends sessions everywhere as before.
#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lost_listener_empties_the_cache_until_it_listens_again() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    let (a, b) = pair(url.clone()).await;
    let acct = a.account(TECH).await;
    let br = a.browser();
    let r = a
        .login(&br, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(b.get(&br, "/ccus_skill/home").await.status(), 200);
    assert!(!b.state.session_cache().is_empty());

    let db = url.rsplit('/').next().unwrap().split('?').next().unwrap();
    let admin = sqlx::AnyPool::connect(&std::env::var(testdb::POSTGRES_ENV).unwrap())
        .await
        .unwrap();
    sqlx::query(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = '{db}' AND query ILIKE 'LISTEN%' AND pid <> pg_backend_pid()"
    ))
    .execute(&admin)
    .await
    .unwrap();
    admin.close().await;
    let start = Instant::now();
    while !b.state.session_cache().is_empty() {
        assert!(start.elapsed() < Duration::from_secs(5), "emptied");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    while !(a.state.session_cache().is_on() && b.state.session_cache().is_on()) {
        assert!(start.elapsed() < Duration::from_secs(10), "listening again");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Listening again: cached, and ended everywhere at once.
    assert_eq!(b.get(&br, "/ccus_skill/home").await.status(), 200);
    assert!(!b.state.session_cache().is_empty());
    let home = a.get(&br, "/ccus_skill/home").await.text().await.unwrap();
    let out = br
        .post(a.url("/ccus_skill/logout"))
        .form(&[("csrf_token", csrf_in(&home).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    refused(&b, &br, "/ccus_skill/home", true).await;
}
