//! Connections that never finish a request cannot hold the server: silent and slowloris
//! clients are let go after the header timeout, a stalled body after the body timeout (a
//! stalled upload leaves no file behind), a body that falls behind the minimum rate or
//! overruns the deadline is closed; at the connection cap the oldest connection that has not
//! begun a request, else the slowest body, makes room — hundreds of trickling bodies cannot
//! keep real users out — and only when every slot handles a complete request does a client
//! get a short 503 with Retry-After, after which `/healthz` and logins are answered again.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
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

/// The login of the slow-body probe: headers at once, then a body that claims 100,000 bytes.
const TRICKLED_LOGIN: &[u8] = b"POST /ccus_skill/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nlogin_id=";

/// Sends `piece` every `every` after `head` until the server closes the connection (or
/// `limit` passes); how long the connection lasted, or None if it outlived `limit`.
async fn trickle(
    app: &TestApp,
    head: &[u8],
    piece: &[u8],
    every: Duration,
    limit: Duration,
) -> Option<Duration> {
    let started = Instant::now();
    let mut s = TcpStream::connect(addr(app)).await.unwrap();
    s.write_all(head).await.unwrap();
    let mut buf = [0u8; 1024];
    while started.elapsed() < limit {
        match tokio::time::timeout(every, s.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => {}
            Err(_) => {
                if s.write_all(piece).await.is_err() {
                    return Some(started.elapsed());
                }
            }
        }
    }
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_falls_behind_or_overruns_the_deadline_is_closed() {
    let app = TestApp::builder()
        .config(|c| {
            // Only the rate and the deadline can act here.
            c.server.body_timeout = Duration::from_secs(30);
            c.server.body_grace = Duration::from_millis(300);
            c.server.body_min_rate = 200;
            c.server.body_deadline = Duration::from_secs(2);
        })
        .start()
        .await;
    let limit = Duration::from_secs(10);
    // The probe's trickle (here 10 bytes a second): closed soon after the grace period,
    // long before the pause limit.
    let held = trickle(
        &app,
        TRICKLED_LOGIN,
        b"1",
        Duration::from_millis(100),
        limit,
    )
    .await
    .expect("the trickle is closed");
    assert!(
        held >= Duration::from_millis(300) && held < Duration::from_millis(1500),
        "closed after the grace period, by the rate: {held:?}"
    );
    // Fast enough, but it never ends: closed at the deadline.
    let held = trickle(
        &app,
        TRICKLED_LOGIN,
        &[b'1'; 100],
        Duration::from_millis(100),
        limit,
    )
    .await
    .expect("the long body is closed");
    assert!(
        held >= Duration::from_secs(2) && held < Duration::from_secs(4),
        "closed at the deadline: {held:?}"
    );

    // A real login sent in small pieces, above the minimum rate, goes through.
    let acct = app.account(ccus_domain::AccountKind::Technician).await;
    let page = reqwest::get(app.url("/ccus_skill/login")).await.unwrap();
    let cookie = format!(
        "ccus_csrf={}",
        cookie_value(page.headers(), "ccus_csrf").unwrap()
    );
    let token = csrf_in(&page.text().await.unwrap());
    let body = serde_urlencoded::to_string([
        ("login_id", acct.login_id.as_str()),
        ("password", acct.password.as_str()),
        ("csrf_token", token.as_str()),
    ])
    .unwrap();
    let mut s = TcpStream::connect(addr(&app)).await.unwrap();
    s.write_all(
        format!(
            "POST /ccus_skill/login HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nConnection: close\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let started = Instant::now();
    for piece in body.as_bytes().chunks(20) {
        tokio::time::sleep(Duration::from_millis(50)).await;
        s.write_all(piece).await.unwrap();
    }
    let answer = read_to_close(&mut s, Duration::from_secs(5)).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    assert!(
        started.elapsed() > Duration::from_millis(300),
        "it was slow"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_cap_a_silent_connection_makes_room_then_the_slowest_body() {
    let app = TestApp::builder()
        .config(|c| {
            c.server.header_read_timeout = Duration::from_secs(30);
            c.server.body_timeout = Duration::from_secs(30);
            c.server.body_grace = Duration::from_secs(30);
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

    // Every slot is reading a body that will not come: the slowest body makes room.
    let mut slow = Vec::new();
    for _ in 0..3 {
        slow.push(slow_body(&app).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let b = app.browser();
    let started = Instant::now();
    assert_eq!(app.get(&b, "/healthz").await.status(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "not by a timeout"
    );
    // All three brought as much, so the one that has taken longest is the slowest.
    assert!(
        read_to_close(&mut slow[0], Duration::from_secs(2))
            .await
            .is_some(),
        "the slowest body was closed"
    );
    let mut rest = Vec::new();
    for s in &mut slow[1..] {
        rest.push(read_to_close(s, Duration::from_millis(200)).await);
    }
    assert!(rest.iter().all(Option::is_none), "only one made room");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_cap_only_requests_being_handled_refuse_and_health_returns() {
    let app = TestApp::builder()
        .config(|c| {
            c.server.max_connections = 3;
            c.hashing.workers = 1;
        })
        .start()
        .await;
    let acct = app.account(ccus_domain::AccountKind::Technician).await;
    // The one hashing worker is held, so three logins wait for it with their bodies complete.
    let held = app.state.hasher().permit().await.unwrap();
    let mut logins = Vec::new();
    for _ in 0..3 {
        let (b, base, id, pw) = (
            app.browser(),
            app.base.clone(),
            acct.login_id.as_str().to_owned(),
            acct.password.clone(),
        );
        logins.push(tokio::spawn(async move {
            let html = b
                .get(format!("{base}/ccus_skill/login"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let token = csrf_in(&html);
            b.post(format!("{base}/ccus_skill/login"))
                .form(&[
                    ("login_id", id.as_str()),
                    ("password", pw.as_str()),
                    ("csrf_token", token.as_str()),
                ])
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    let waiting = Instant::now();
    while {
        let (a, b, c) = app.state.hasher().waiting();
        a + b + c < 3
    } {
        assert!(waiting.elapsed() < Duration::from_secs(5), "logins wait");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let mut extra = TcpStream::connect(addr(&app)).await.unwrap();
    let _ = extra
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await;
    let answer = read_to_close(&mut extra, Duration::from_secs(2))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("Retry-After:"), "{answer}");
    // The requests being handled were not cut off; once they are answered, health and
    // logins work again.
    drop(held);
    for l in logins {
        assert_eq!(l.await.unwrap(), 303);
    }
    let b = app.browser();
    assert_eq!(app.get(&b, "/healthz").await.status(), 200);
    let r = app
        .login(
            &b,
            ccus_domain::AccountKind::Technician,
            acct.login_id.as_str(),
            &acct.password,
        )
        .await;
    assert_eq!(r.status(), 303);
}

/// Hundreds of connections trickle a login body (a byte a second, reconnecting when closed)
/// against 40 slots, as the probe did with 800 at 1 byte per 20 s: real people — `/healthz`,
/// a page, a login, each from a new connection — are answered at once throughout.
async fn trickling_bodies_against_real_users(app: TestApp) {
    const TRICKLERS: usize = 300;
    let stop = Arc::new(AtomicBool::new(false));
    let closed = Arc::new(AtomicU64::new(0));
    let mut tricklers = Vec::new();
    for _ in 0..TRICKLERS {
        let (addr, stop, closed) = (addr(&app), stop.clone(), closed.clone());
        tricklers.push(tokio::spawn(async move {
            let mut buf = [0u8; 1024];
            while !stop.load(Ordering::Relaxed) {
                let Ok(mut s) = TcpStream::connect(&addr).await else {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                };
                let _ = s.write_all(TRICKLED_LOGIN).await;
                while !stop.load(Ordering::Relaxed) {
                    match tokio::time::timeout(Duration::from_secs(1), s.read(&mut buf)).await {
                        Ok(Ok(0)) | Ok(Err(_)) => {
                            closed.fetch_add(1, Ordering::Relaxed);
                            break;
                        }
                        Ok(Ok(_)) => {}
                        Err(_) => {
                            if s.write_all(b"1").await.is_err() {
                                closed.fetch_add(1, Ordering::Relaxed);
                                break;
                            }
                        }
                    }
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let acct = app.account(ccus_domain::AccountKind::Technician).await;
    let mut took = Vec::new();
    let until = Instant::now() + Duration::from_secs(4);
    while Instant::now() < until {
        // A new browser each time: a new connection has to get in.
        let b = app.browser();
        let t = Instant::now();
        assert_eq!(app.get(&b, "/healthz").await.status(), 200);
        took.push(t.elapsed());
        let b = app.browser();
        let t = Instant::now();
        assert_eq!(app.get(&b, "/").await.status(), 200);
        took.push(t.elapsed());
        let b = app.browser();
        let t = Instant::now();
        let r = app
            .login(
                &b,
                ccus_domain::AccountKind::Technician,
                acct.login_id.as_str(),
                &acct.password,
            )
            .await;
        assert_eq!(r.status(), 303);
        took.push(t.elapsed());
    }
    stop.store(true, Ordering::Relaxed);
    took.sort();
    let worst = *took.last().unwrap();
    eprintln!(
        "{TRICKLERS} trickling bodies, 40 slots: {} requests of real users answered, p50 {:?}, slowest {worst:?}; trickling connections closed: {}",
        took.len(),
        took[took.len() / 2],
        closed.load(Ordering::Relaxed)
    );
    assert!(
        worst < Duration::from_secs(3),
        "never by a timeout: {worst:?}"
    );
    assert!(
        closed.load(Ordering::Relaxed) >= 100,
        "the trickling bodies made room"
    );
    for t in tricklers {
        let _ = t.await;
    }
}

fn trickle_config(c: &mut ccus_app::Config) {
    c.server.max_connections = 40;
    // The probe's case: the rate rule alone would need the grace period to pass; making
    // room must work at once.
    c.server.body_grace = Duration::from_secs(30);
    c.server.body_timeout = Duration::from_secs(30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_trickling_bodies_cannot_keep_real_users_out() {
    trickling_bodies_against_real_users(TestApp::builder().config(trickle_config).start().await)
        .await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_trickling_bodies_cannot_keep_real_users_out_postgres() {
    let Some(url) = ccus_storage::testdb::postgres_url().await else {
        return;
    };
    trickling_bodies_against_real_users(
        TestApp::builder()
            .database(url)
            .config(trickle_config)
            .start()
            .await,
    )
    .await;
}
