//! Two instances on one database behave as one: locks, failure counts and sessions are
//! shared. Runs on PostgreSQL when `CCUS_TEST_POSTGRES_URL` is set, and always on SQLite
//! (two instances sharing one file).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use ccus_domain::AccountKind;
use ccus_storage::testdb;
use ccus_testkit::*;

const TECH: AccountKind = AccountKind::Technician;

async fn pair(url: String) -> (TestApp, TestApp) {
    let a = spawn_app_with(url, |_| {}).await;
    let b = a.second_instance(|_| {}).await;
    (a, b)
}

async fn shared_state(a: TestApp, b: TestApp) {
    let acct = a.account(TECH).await;
    let (ba, bb) = (a.browser(), b.browser());
    // Failures on either instance add up to one count.
    for i in 0..4 {
        let app = if i % 2 == 0 { &a } else { &b };
        let br = if i % 2 == 0 { &ba } else { &bb };
        assert_eq!(
            app.login(br, TECH, acct.login_id.as_str(), "wrong")
                .await
                .status(),
            401
        );
    }
    assert_eq!(
        b.login(&bb, TECH, acct.login_id.as_str(), "wrong")
            .await
            .status(),
        423
    );
    assert_eq!(
        a.login(&ba, TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        423
    );
    a.clock.advance(Duration::from_secs(30 * 60));

    // Cookies do not depend on the port, so one browser talks to both instances like a
    // user behind a load balancer. A session opened on one instance works on the other, and
    // a logout on one ends it on both.
    let r = a
        .login(&ba, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(b.get(&ba, "/ccus_skill/home").await.status(), 200);
    // Forms made by one instance are accepted by the other (the key is in the database).
    let home = a.get(&ba, "/ccus_skill/home").await.text().await.unwrap();
    let csrf = csrf_in(&home);
    let out = ba
        .post(b.url("/ccus_skill/logout"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 303);
    assert_eq!(a.get(&ba, "/ccus_skill/home").await.status(), 303);

    // Fifty parallel wrong passwords spread over both instances: exact count, one lock.
    let victim = a.account(TECH).await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let app = if i % 2 == 0 { &a } else { &b };
        let br = app.browser();
        let token = app.csrf(&br, TECH).await;
        let url = app.url(TECH.login_path());
        let id = victim.login_id.as_str().to_owned();
        tasks.push(tokio::spawn(async move {
            br.post(url)
                .form(&[
                    ("login_id", id.as_str()),
                    ("password", "nope"),
                    ("csrf_token", token.as_str()),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        4,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 423).count(),
        46,
        "{statuses:?}"
    );
    let st = a
        .state
        .store_for_tools()
        .guards()
        .guard_state(victim.login_id.as_str())
        .await
        .unwrap();
    assert_eq!(st.consecutive, 5);
    assert_eq!(u64::from(st.consecutive) + st.refused, 50);
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_postgres_behave_as_one() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    let (a, b) = pair(url).await;
    shared_state(a, b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_sqlite_file_behave_as_one() {
    let (a, b) = pair(testdb::sqlite_url()).await;
    shared_state(a, b).await;
}

/// The database goes away under a running instance: requests answer 503 (never 500, never a
/// half-written login), and the instance recovers without a restart.
#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_database_connection_answers_503_and_recovers() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    // Every page reads the database (no session served from the instance's cache), so what is
    // measured is the database path.
    let app = spawn_app_with(url.clone(), |c| {
        c.session.cache_ttl = std::time::Duration::ZERO
    })
    .await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    assert_eq!(
        app.login(&b, TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303
    );
    // Cut every connection of this database, as a database restart would.
    let db = url
        .rsplit('/')
        .next()
        .unwrap()
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let admin = sqlx::AnyPool::connect(&std::env::var(testdb::POSTGRES_ENV).unwrap())
        .await
        .unwrap();
    sqlx::query(&format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}' AND pid <> pg_backend_pid()"
    ))
    .execute(&admin)
    .await
    .unwrap();
    admin.close().await;
    let mut statuses = Vec::new();
    for _ in 0..20 {
        let s = app.get(&b, "/ccus_skill/home").await.status().as_u16();
        statuses.push(s);
        if s == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(statuses.last(), Some(&200), "recovered: {statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "only 503 while down: {statuses:?}"
    );
    assert_eq!(app.get(&b, "/readyz").await.status(), 200);
}
