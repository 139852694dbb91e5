//! A database outage is answered fast: 503 with `Retry-After` within the query budget (never
//! the old 5–10 s pool wait), at once for the requests right after it (the circuit breaker),
//! and the instance recovers without a restart. Covers a database that stops answering
//! (SQLite: a fault switch and a held write lock; PostgreSQL: a TCP proxy that stops
//! forwarding — a network partition) and one that refuses connections (PostgreSQL: the proxy
//! closes every connection).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use ccus_domain::AccountKind;
use ccus_storage::testdb;
use ccus_testkit::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

const TECH: AccountKind = AccountKind::Technician;
/// Generous bound for "fast": the query budget is 1.5 s, the old behaviour 5–10 s.
const FAST: Duration = Duration::from_secs(3);

/// One request: its status, whether it carried `Retry-After`, and how long it took.
async fn timed_get(app: &TestApp, b: &reqwest::Client, path: &str) -> (u16, bool, Duration) {
    let t = Instant::now();
    let r = app.get(b, path).await;
    let retry = r.headers().contains_key("retry-after");
    (r.status().as_u16(), retry, t.elapsed())
}

/// The database is out: the first request answers 503 fast, the next ones at once, `/readyz`
/// too; all with `Retry-After`.
async fn answers_fast_while_down(app: &TestApp, b: &reqwest::Client) {
    let (status, retry, took) = timed_get(app, b, "/ccus_skill/home").await;
    assert_eq!(status, 503);
    assert!(retry, "503 carries Retry-After");
    assert!(took < FAST, "first request answered in {took:?}");
    // The breaker is open: ten more requests take together less than one budget would
    // have taken each.
    let t = Instant::now();
    for _ in 0..10 {
        let (status, retry, _) = timed_get(app, b, "/ccus_skill/home").await;
        assert_eq!(status, 503);
        assert!(retry);
    }
    assert!(t.elapsed() < FAST, "ten requests took {:?}", t.elapsed());
    let (status, retry, took) = timed_get(app, b, "/readyz").await;
    assert_eq!(status, 503);
    assert!(retry, "/readyz 503 carries Retry-After");
    assert!(took < FAST, "/readyz answered in {took:?}");
}

/// The database is back: the instance serves again without a restart.
async fn recovers(app: &TestApp, b: &reqwest::Client) {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut statuses = Vec::new();
    loop {
        let s = app.get(b, "/ccus_skill/home").await.status().as_u16();
        statuses.push(s);
        if s == 200 || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(statuses.last(), Some(&200), "recovered: {statuses:?}");
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "only 503 while down: {statuses:?}"
    );
    assert_eq!(app.get(b, "/readyz").await.status(), 200);
}

async fn logged_in(app: &TestApp) -> reqwest::Client {
    let acct = app.account(TECH).await;
    let b = app.browser();
    assert_eq!(
        app.login(&b, TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303
    );
    b
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_sqlite_database_answers_503_fast_and_recovers() {
    let app = spawn_app().await;
    let b = logged_in(&app).await;
    app.state.store_for_tools().simulate_silent_database(true);
    answers_fast_while_down(&app, &b).await;
    app.state.store_for_tools().simulate_silent_database(false);
    recovers(&app, &b).await;
}

/// Another process holds SQLite's write lock: a login (which writes its attempt first) gives
/// up within the budget with 503, and nothing of it is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_held_sqlite_write_lock_answers_503_fast() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    let token = app.csrf(&b, TECH).await;
    let mut holder = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.database_url)
        .await
        .unwrap();
    sqlx::raw_sql("BEGIN EXCLUSIVE")
        .execute(&mut holder)
        .await
        .unwrap();
    let t = Instant::now();
    let r = b
        .post(app.url(TECH.login_path()))
        .form(&[
            ("login_id", acct.login_id.as_str()),
            ("password", "wrong"),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503);
    assert!(r.headers().contains_key("retry-after"));
    assert!(t.elapsed() < FAST, "answered in {:?}", t.elapsed());
    sqlx::raw_sql("COMMIT").execute(&mut holder).await.unwrap();
    drop(holder);
    // The refused attempt was not counted.
    let deadline = Instant::now() + Duration::from_secs(20);
    let st = loop {
        match app
            .state
            .store_for_tools()
            .guards()
            .guard_state(acct.login_id.as_str())
            .await
        {
            Ok(st) => break st,
            Err(e) if Instant::now() < deadline => {
                eprintln!("waiting for the breaker: {e}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("{e}"),
        }
    };
    assert_eq!(st.consecutive, 0);
    let b2 = logged_in(&app).await;
    recovers(&app, &b2).await;
}

/// What the proxy does with traffic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Forward,
    /// A network partition: connections are accepted and kept, nothing is passed on.
    Silent,
    /// The server is gone: every connection is closed at once.
    Refuse,
}

/// A TCP proxy in front of PostgreSQL whose behaviour the test switches.
struct Proxy {
    addr: std::net::SocketAddr,
    mode: watch::Sender<Mode>,
}

impl Proxy {
    async fn start(upstream: String) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (mode, rx) = watch::channel(Mode::Forward);
        tokio::spawn(async move {
            loop {
                let Ok((client, _)) = listener.accept().await else {
                    return;
                };
                if *rx.borrow() == Mode::Refuse {
                    drop(client);
                    continue;
                }
                let rx = rx.clone();
                let upstream = upstream.clone();
                tokio::spawn(async move {
                    let Ok(server) = TcpStream::connect(&upstream).await else {
                        return;
                    };
                    let (cr, cw) = client.into_split();
                    let (sr, sw) = server.into_split();
                    tokio::spawn(pipe(cr, sw, rx.clone()));
                    tokio::spawn(pipe(sr, cw, rx));
                });
            }
        });
        Proxy { addr, mode }
    }

    fn set(&self, mode: Mode) {
        self.mode.send_replace(mode);
    }
}

/// Copies one direction, holding data while silent and stopping when refusing.
async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut mode: watch::Receiver<Mode>,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = tokio::select! {
            r = from.read(&mut buf) => match r {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            },
            _ = mode.changed() => {
                if *mode.borrow() == Mode::Refuse {
                    return;
                }
                continue;
            }
        };
        loop {
            let m = *mode.borrow_and_update();
            match m {
                Mode::Forward => break,
                Mode::Refuse => return,
                Mode::Silent => {
                    if mode.changed().await.is_err() {
                        return;
                    }
                }
            }
        }
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

/// `postgres://user@host:port/db?q` with `host:port` replaced.
fn via(url: &str, addr: std::net::SocketAddr) -> (String, String) {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (auth, tail) = match rest.split_once('@') {
        Some((a, t)) => (format!("{a}@"), t),
        None => (String::new(), rest),
    };
    let cut = tail.find(['/', '?']).unwrap_or(tail.len());
    let upstream = tail[..cut].to_owned();
    let upstream = if upstream.contains(':') {
        upstream
    } else {
        format!("{upstream}:5432")
    };
    (format!("{scheme}://{auth}{addr}{}", &tail[cut..]), upstream)
}

async fn postgres_outage(mode: Mode) {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    let (_, upstream) = via(&url, "127.0.0.1:1".parse().unwrap());
    let proxy = Proxy::start(upstream).await;
    let (proxied, _) = via(&url, proxy.addr);
    let app = spawn_app_with(proxied, |_| {}).await;
    let b = logged_in(&app).await;
    proxy.set(mode);
    answers_fast_while_down(&app, &b).await;
    proxy.set(Mode::Forward);
    recovers(&app, &b).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_network_partition_from_postgres_answers_503_fast_and_recovers() {
    postgres_outage(Mode::Silent).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusing_postgres_answers_503_fast_and_recovers() {
    postgres_outage(Mode::Refuse).await;
}

/// The busy page speaks the reader's language, like every other page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_busy_page_speaks_the_reader_s_language() {
    let app = spawn_app().await;
    let b = logged_in(&app).await;
    let easy = app.browser();
    app.get(&b, "/lang/en?back=/").await;
    app.get(&easy, "/lang/easy?back=/").await;
    app.state.store_for_tools().simulate_silent_database(true);
    let r = app.get(&b, "/ccus_skill/home").await;
    assert_eq!(r.status(), 503);
    let html = r.text().await.unwrap();
    assert!(html.contains("<h1>The system is busy</h1>"), "{html}");
    assert!(html.contains("What you entered was not saved."));
    assert!(html.contains("Reference number (受付番号)"));
    assert!(!html.contains("ただいま混み合っています"));
    let r = app.get(&easy, "/ccus_owner/login").await;
    assert_eq!(r.status(), 503);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("<h1>いま こんで います</h1>"));
    app.state.store_for_tools().simulate_silent_database(false);
    recovers(&app, &b).await;
}
