//! Connections that never finish a request cannot hold the server: silent and slowloris
//! clients are let go after the header timeout, slow bodies after the body timeout (a stalled
//! upload leaves no file behind); at the connection cap the oldest connection that has not
//! begun a request makes room, and only when every slot serves a request does a client get a
//! short 503 with Retry-After — after which `/healthz` and logins are answered again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use ccus_testkit::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn app_with_limits(max_connections: usize) -> TestApp {
    TestApp::builder()
        .config(move |c| {
            c.server.header_read_timeout = Duration::from_millis(300);
            c.server.body_timeout = Duration::from_millis(300);
            c.server.max_connections = max_connections;
        })
        .start()
        .await
}

fn addr(app: &TestApp) -> String {
    app.base.trim_start_matches("http://").to_owned()
}

/// A login whose headers arrived but whose body never will (a request in progress).
async fn slow_body(app: &TestApp) -> TcpStream {
    let mut s = TcpStream::connect(addr(app)).await.unwrap();
    s.write_all(
        b"POST /ccus_skill/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nlogin_id=1",
    )
    .await
    .unwrap();
    s
}

/// Reads until the server closes the connection (or `limit` passes); returns what came.
async fn read_to_close(s: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut buf = Vec::new();
    match tokio::time::timeout(limit, s.read_to_end(&mut buf)).await {
        Ok(_) => Some(String::from_utf8_lossy(&buf).into_owned()),
        Err(_) => None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_slowloris_clients_are_let_go() {
    let app = app_with_limits(100).await;
    let mut silent = TcpStream::connect(addr(&app)).await.unwrap();
    let mut slowloris = TcpStream::connect(addr(&app)).await.unwrap();
    slowloris
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let started = Instant::now();
    assert!(read_to_close(&mut silent, Duration::from_secs(5))
        .await
        .is_some());
    assert!(read_to_close(&mut slowloris, Duration::from_secs(5))
        .await
        .is_some());
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "closed by the timeout"
    );
    // A kept-alive connection that goes quiet is closed too.
    let mut kept = TcpStream::connect(addr(&app)).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let answer = read_to_close(&mut kept, Duration::from_secs(5))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_body_is_refused_and_a_stalled_upload_leaves_nothing() {
    let app = app_with_limits(100).await;
    let mut s = slow_body(&app).await;
    let answer = read_to_close(&mut s, Duration::from_secs(5)).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 4"), "a clear 4xx: {answer}");

    // An upload that stalls half-way.
    let b = app.browser();
    let html = app.get(&b, "/inquiry").await.text().await.unwrap();
    // The token check comes after the body, which never completes here.
    let token = csrf_in(&html);
    let boundary = "XyZ";
    let mut part = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    part.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    part.extend_from_slice(&[0u8; 4096]);
    let mut s = TcpStream::connect(addr(&app)).await.unwrap();
    s.write_all(
        format!(
            "POST /inquiry HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: 1000000\r\n\r\n"
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    s.write_all(&part).await.unwrap();
    let answer = read_to_close(&mut s, Duration::from_secs(5)).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 4"), "{answer}");
    let left: Vec<_> = std::fs::read_dir(&app.attachments_dir)
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "no file left behind: {left:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_cap_a_silent_connection_makes_room_and_only_busy_slots_refuse() {
    let app = TestApp::builder()
        .config(|c| {
            c.server.header_read_timeout = Duration::from_secs(30);
            c.server.body_timeout = Duration::from_secs(30);
            c.server.max_connections = 3;
        })
        .start()
        .await;
    let mut silent = Vec::new();
    for _ in 0..3 {
        silent.push(TcpStream::connect(addr(&app)).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    // Every slot is taken by a client that never spoke: the oldest makes room for a real one.
    let b = app.browser();
    let started = Instant::now();
    assert_eq!(app.get(&b, "/healthz").await.status(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "not by a timeout"
    );
    assert!(
        read_to_close(&mut silent[0], Duration::from_secs(2))
            .await
            .is_some(),
        "the oldest silent connection was closed"
    );
    drop(silent);
    drop(b);
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Every slot serves a request (slow bodies): a new client gets a clear 503.
    let mut slow = Vec::new();
    for _ in 0..3 {
        slow.push(slow_body(&app).await);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut extra = TcpStream::connect(addr(&app)).await.unwrap();
    let _ = extra
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let answer = read_to_close(&mut extra, Duration::from_secs(3))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("Retry-After:"), "{answer}");
    drop(slow);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_cap_a_clear_503_and_health_returns_when_slots_free() {
    let app = app_with_limits(3).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(slow_body(&app).await);
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    let mut extra = TcpStream::connect(addr(&app)).await.unwrap();
    let _ = extra
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let answer = read_to_close(&mut extra, Duration::from_secs(2))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("Retry-After:"), "{answer}");
    // The slow bodies are let go by the body timeout; then health and logins work.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let b = app.browser();
    assert_eq!(app.get(&b, "/healthz").await.status(), 200);
    let acct = app.account(ccus_domain::AccountKind::Technician).await;
    let r = app
        .login(
            &b,
            ccus_domain::AccountKind::Technician,
            acct.login_id.as_str(),
            &acct.password,
        )
        .await;
    assert_eq!(r.status(), 303);
    drop(held);
}
