//! `cargo run --release -p ccus-bench [-- --seconds N]`
//!
//! Runs the real application (SQLite in a temporary folder, real TCP on 127.0.0.1) in this
//! process and prints figures:
//! 1. the Argon2id bound — how many hashes per second this machine can do with the configured
//!    parameters on all cores — and how close full logins over HTTP come to it;
//! 2. a real user's login time alone, and while a flood of bad logins runs (unknown IDs from
//!    one address; a locked ID hammered from many addresses);
//! 3. many people logging in correctly from one shared address (an office, a carrier's NAT);
//! 4. credential stuffing from a botnet (64 clients, every POST from another address) while
//!    returning browsers and browsers seen for the first time (with the login page's proof of
//!    work, and without any script) log in once a second, with the process's memory before,
//!    during and after;
//! 5. the cost of a logged-in page.
//!
//! Client and server share the machine's cores, so every figure includes the client's work.
// A measuring harness: any failure should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ccus_app::accounts::{create_account, AccountRequest};
use ccus_app::Config;
use ccus_domain::{AccountKind, LoginId, Password};
use rand::rngs::StdRng;
use rand::SeedableRng;

use ccus_testkit::TestApp as App;

/// The real application with production settings (real Argon2 parameters, the real clock);
/// distinct client addresses are simulated with X-Forwarded-For.
async fn start(database: Option<String>) -> App {
    let mut b = App::builder();
    if let Some(url) = database {
        b = b.database(url);
    }
    b.system_clock()
        .config(|c| {
            c.hashing = Config::default().hashing;
            c.recovery.response_floor = Config::default().recovery.response_floor;
            c.trust_forwarded_for = true;
        })
        .start()
        .await
}

async fn account(app: &App, kind: AccountKind) -> (LoginId, String) {
    let pw = "bench password 123".to_owned();
    let c = create_account(
        &app.state,
        AccountRequest {
            kind,
            name: "ベンチ 太郎".into(),
            email: "bench@example.jp".into(),
            password: Some(pw.clone()),
            security_code: Some("1234".into()),
            must_change_password: false,
            profile: Default::default(),
        },
    )
    .await
    .unwrap();
    (c.account.login_id, pw)
}

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(4)
        .build()
        .unwrap()
}

async fn csrf(b: &reqwest::Client, app: &App) -> String {
    let html = b
        .get(format!("{}/ccus_skill/login", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf_token\" value=\"";
    let s = html.find(marker).unwrap() + marker.len();
    let e = html[s..].find('"').unwrap() + s;
    html[s..e].to_owned()
}

async fn post_login(
    b: &reqwest::Client,
    app: &App,
    token: &str,
    id: &str,
    pw: &str,
    from: &str,
) -> u16 {
    b.post(format!("{}/ccus_skill/login", app.base))
        .header("x-forwarded-for", from)
        .form(&[("login_id", id), ("password", pw), ("csrf_token", token)])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// A real user logging in again and again for `secs`; returns sorted latencies.
async fn real_user(app: &App, secs: f64) -> Vec<Duration> {
    let (id, pw) = account(app, AccountKind::Technician).await;
    let b = browser();
    let token = csrf(&b, app).await;
    let mut lat = Vec::new();
    let end = Instant::now() + Duration::from_secs_f64(secs);
    while Instant::now() < end {
        let t = Instant::now();
        let s = post_login(&b, app, &token, id.as_str(), &pw, "192.0.2.10").await;
        assert_eq!(s, 303, "the real user must get in");
        lat.push(t.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    lat.sort();
    lat
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let secs: f64 = args
        .iter()
        .position(|a| a == "--seconds")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let database = arg("--database");
    let big = arg("--big");
    let big_password = arg("--big-password").unwrap_or_else(|| "generated accounts 2026".into());
    let only: Vec<u32> = arg("--only")
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_default();
    let run = |n: u32| only.is_empty() || only.contains(&n);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let app = start(database.clone()).await;
    let cfg = app.state.config().hashing.clone();
    println!(
        "CCUS Portal benchmark — {cores} cores, Argon2id m={} KiB t={} p={}, {secs} s per run, {}",
        cfg.memory_kib,
        cfg.iterations,
        cfg.parallelism,
        if database
            .as_deref()
            .is_some_and(|u| u.starts_with("postgres"))
        {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    println!();

    // 1. The hash bound.
    let n = 20;
    let t = Instant::now();
    for _ in 0..n {
        app.state
            .hasher()
            .hash(Password::parse("bench password 123").unwrap())
            .await
            .unwrap();
    }
    let per_hash = t.elapsed() / n;
    let bound = cores as f64 / per_hash.as_secs_f64();
    println!(
        "1. Argon2id hash: {} each on one core → bound {bound:.1} logins/s on {cores} cores",
        ms(per_hash)
    );

    let app = Arc::new(app);
    if run(1) {
        // Full logins over HTTP: 2 clients per core, each its own account, for `secs`.
        let clients = cores * 2;
        let done = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        let end = Instant::now() + Duration::from_secs_f64(secs);
        for i in 0..clients {
            let (app, done) = (app.clone(), done.clone());
            let (id, pw) = account(&app, AccountKind::Technician).await;
            tasks.push(tokio::spawn(async move {
                let b = browser();
                let token = csrf(&b, &app).await;
                let from = format!("192.0.2.{}", 100 + i);
                while Instant::now() < end {
                    assert_eq!(
                        post_login(&b, &app, &token, id.as_str(), &pw, &from).await,
                        303
                    );
                    done.fetch_add(1, Ordering::Relaxed);
                }
            }));
        }
        let started = Instant::now();
        for t in tasks {
            t.await.unwrap();
        }
        let rate = done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
        println!("   full logins over HTTP ({clients} clients): {rate:.1} logins/s = {:.0}% of the hash bound", rate / bound * 100.0);
        println!();
    }

    // 2. A real user alone, then during floods.
    let alone = real_user(&app, secs).await;
    println!(
        "2. real user's login alone:               p50 {}  p95 {}",
        ms(percentile(&alone, 0.5)),
        ms(percentile(&alone, 0.95))
    );

    if run(2) {
        for (label, flood) in [
            ("unknown IDs from one address", Flood::UnknownIdsOneAddress),
            (
                "a locked ID from many addresses",
                Flood::LockedIdManyAddresses,
            ),
        ] {
            let stop = Arc::new(AtomicBool::new(false));
            let sent = Arc::new(AtomicU64::new(0));
            let victim = account(&app, AccountKind::Technician).await.0;
            let mut attackers = Vec::new();
            for a in 0..16 {
                let (app, stop, sent, victim) =
                    (app.clone(), stop.clone(), sent.clone(), victim.clone());
                attackers.push(tokio::spawn(async move {
                    let b = browser();
                    let token = csrf(&b, &app).await;
                    let mut k = 0u64;
                    while !stop.load(Ordering::Relaxed) {
                        k += 1;
                        let (id, from) = match flood {
                            Flood::UnknownIdsOneAddress => (
                                LoginId::generate(
                                    AccountKind::Technician,
                                    &mut StdRng::seed_from_u64(a * 1_000_003 + k),
                                ),
                                "203.0.113.66".to_owned(),
                            ),
                            Flood::LockedIdManyAddresses => {
                                (victim.clone(), format!("198.51.{}.{}", a, k % 250))
                            }
                        };
                        post_login(&b, &app, &token, id.as_str(), "wrong password", &from).await;
                        sent.fetch_add(1, Ordering::Relaxed);
                    }
                }));
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
            let flood_start = Instant::now();
            let sent_before = sent.load(Ordering::Relaxed);
            let during = real_user(&app, secs).await;
            let flood_rate = (sent.load(Ordering::Relaxed) - sent_before) as f64
                / flood_start.elapsed().as_secs_f64();
            stop.store(true, Ordering::Relaxed);
            for a in attackers {
                a.await.unwrap();
            }
            let slow =
                percentile(&during, 0.5).as_secs_f64() / percentile(&alone, 0.5).as_secs_f64();
            println!(
            "   during a flood of {label:<32} p50 {}  p95 {}  ({slow:.1}× alone; flood {flood_rate:.0} req/s)",
            ms(percentile(&during, 0.5)),
            ms(percentile(&during, 0.95))
        );
        }
        println!();
    }

    if run(3) {
        // 3. Many people behind one address.
        let (rate, ok, refused) = shared_address(&app, 32, secs).await;
        println!(
        "3. 32 clients logging in correctly from one address: {rate:.1} logins/s = {:.0}% of the hash bound ({ok} in, {refused} refused)",
        rate / bound * 100.0
    );
        println!();
    }

    if run(4) {
        // 4. Credential stuffing from a botnet, with returning and first-time users.
        println!("4. memory before the botnet: {}", rss());
        let stop = Arc::new(AtomicBool::new(false));
        let mut bots = Vec::new();
        for a in 0..64u64 {
            let (app, stop) = (app.clone(), stop.clone());
            bots.push(tokio::spawn(async move {
                let mut k = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    k += 1;
                    let id = LoginId::generate(
                        AccountKind::Technician,
                        &mut StdRng::seed_from_u64(a * 7_000_003 + k),
                    );
                    let from = format!("10.{}.{}.{}", a, (k / 250) % 250, k % 250);
                    login_once(&browser(), &app, id.as_str(), "password123", &from).await;
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        for (label, kind) in [
            ("returning browsers", User::Returning),
            ("first-time, script", User::FirstTimeScript),
            ("first-time, no script", User::FirstTimeNoScript),
        ] {
            let (ok, all, lat) = users_during_stuffing(&app, kind, secs.max(5.0)).await;
            println!(
            "   {label:<22} during 64 bots: {ok}/{all} in ({:.0}%), p50 {}  p99 {}  ({:.1}× alone)",
            ok as f64 / all.max(1) as f64 * 100.0,
            ms(percentile(&lat, 0.5)),
            ms(percentile(&lat, 0.99)),
            percentile(&lat, 0.99).as_secs_f64() / percentile(&alone, 0.5).as_secs_f64().max(1e-9)
        );
        }
        println!("   memory during the botnet: {}", rss());
        stop.store(true, Ordering::Relaxed);
        for b in bots {
            b.await.unwrap();
        }
        tokio::time::sleep(Duration::from_secs(35)).await;
        println!(
            "   memory 35 s after it (hashing.release_after 30 s): {}",
            rss()
        );
        println!();
    }

    if run(5) {
        // 5. A logged-in page.
        let (id, pw) = account(&app, AccountKind::Technician).await;
        let b = browser();
        let token = csrf(&b, &app).await;
        assert_eq!(
            post_login(&b, &app, &token, id.as_str(), &pw, "192.0.2.20").await,
            303
        );
        let url = format!("{}/ccus_skill/home", app.base);
        for _ in 0..200 {
            b.get(&url).send().await.unwrap().bytes().await.unwrap();
        }
        let mut lat = Vec::new();
        let end = Instant::now() + Duration::from_secs_f64(secs);
        while Instant::now() < end {
            let t = Instant::now();
            let r = b.get(&url).send().await.unwrap();
            assert_eq!(r.status(), 200);
            r.bytes().await.unwrap();
            lat.push(t.elapsed());
        }
        lat.sort();
        let mean = lat.iter().sum::<Duration>() / u32::try_from(lat.len()).unwrap_or(1);
        println!(
        "5. logged-in page (/ccus_skill/home, one client, round trip): mean {:.0} µs  p50 {:.0} µs  p99 {:.0} µs  ({} requests)",
        mean.as_secs_f64() * 1e6,
        percentile(&lat, 0.5).as_secs_f64() * 1e6,
        percentile(&lat, 0.99).as_secs_f64() * 1e6,
        lat.len()
    );
        logged_in_throughput(&app).await;
    }
    if run(6) {
        slow_connections(&app, &alone, secs).await;
    }
    if run(7) {
        ccus_size(&app, big.as_deref(), &big_password).await;
    }
}

/// This process's resident memory (Linux), for before/during/after figures.
fn rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .map(|l| l.trim_start_matches("VmRSS:").trim().to_owned())
        })
        .unwrap_or_else(|| "?".into())
}

/// Logs in as `id` from `from` with a browser that may keep a device cookie; the status.
async fn login_once(b: &reqwest::Client, app: &App, id: &str, pw: &str, from: &str) -> u16 {
    let token = csrf(b, app).await;
    post_login(b, app, &token, id, pw, from).await
}

/// Many people behind one address (an office, a carrier's NAT), all logging in correctly.
async fn shared_address(app: &Arc<App>, clients: usize, secs: f64) -> (f64, u64, u64) {
    let ok = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let mut people = Vec::new();
    for _ in 0..clients {
        people.push(account(app, AccountKind::Technician).await);
    }
    let end = Instant::now() + Duration::from_secs_f64(secs);
    let mut tasks = Vec::new();
    for (id, pw) in people {
        let (app, ok, refused) = (app.clone(), ok.clone(), refused.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < end {
                // A new browser each time: no device cookie helps.
                match login_once(&browser(), &app, id.as_str(), &pw, "203.0.113.200").await {
                    303 => ok.fetch_add(1, Ordering::Relaxed),
                    _ => refused.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    let started = Instant::now();
    for t in tasks {
        t.await.unwrap();
    }
    let (ok, refused) = (ok.load(Ordering::Relaxed), refused.load(Ordering::Relaxed));
    (ok as f64 / started.elapsed().as_secs_f64(), ok, refused)
}

/// Who logs in during the botnet.
#[derive(Clone, Copy, PartialEq, Eq)]
enum User {
    /// A browser that holds the device cookie of the ID.
    Returning,
    /// A new browser whose login page solves the proof of work (as the page's script does
    /// while the person types; the solving is not counted in the latency).
    FirstTimeScript,
    /// A new browser that posts the form without running any script.
    FirstTimeNoScript,
}

/// A login from a new browser that solves the page's challenge, if it has one; the status and
/// the time the login took without the solving.
async fn login_with_proof(
    b: &reqwest::Client,
    app: &App,
    id: &str,
    pw: &str,
    from: &str,
) -> (u16, Duration) {
    let t = Instant::now();
    let html = b
        .get(format!("{}/ccus_skill/login", app.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let got_page = t.elapsed();
    let token = ccus_testkit::csrf_in(&html);
    let proof = ccus_testkit::challenge_in(&html).map(|ch| {
        let nonce = ccus_app::challenge::solve(&ch);
        (ch.token, nonce)
    });
    let (pow_token, pow_nonce) = proof.unwrap_or_default();
    let t = Instant::now();
    let status = b
        .post(format!("{}/ccus_skill/login", app.base))
        .header("x-forwarded-for", from)
        .form(&[
            ("login_id", id),
            ("password", pw),
            ("csrf_token", token.as_str()),
            ("pow_token", pow_token.as_str()),
            ("pow_nonce", pow_nonce.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16();
    (status, got_page + t.elapsed())
}

/// People logging in once a second while a botnet stuffs credentials (every bot POST from
/// another address); returns (successes, attempts, sorted latencies).
async fn users_during_stuffing(app: &Arc<App>, kind: User, secs: f64) -> (u64, u64, Vec<Duration>) {
    let returning = kind == User::Returning;
    let mut users = Vec::new();
    for u in 0..4 {
        let (id, pw) = account(app, AccountKind::Technician).await;
        let b = browser();
        if returning {
            // An earlier login leaves the device cookie in this browser.
            assert_eq!(
                login_once(&b, app, id.as_str(), &pw, "192.0.2.30").await,
                303
            );
        }
        users.push((u, id, pw, b));
    }
    let mut tasks = Vec::new();
    let end = Instant::now() + Duration::from_secs_f64(secs);
    for (u, id, pw, b) in users {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let mut out = (0u64, 0u64, Vec::new());
            while Instant::now() < end {
                let b = if returning { b.clone() } else { browser() };
                let from = format!("192.0.2.{}", 40 + u);
                let (s, took) = if kind == User::FirstTimeScript {
                    login_with_proof(&b, &app, id.as_str(), &pw, &from).await
                } else {
                    let t = Instant::now();
                    let s = login_once(&b, &app, id.as_str(), &pw, &from).await;
                    (s, t.elapsed())
                };
                out.2.push(took);
                out.1 += 1;
                if s == 303 {
                    out.0 += 1;
                }
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            out
        }));
    }
    let (mut ok, mut all, mut lat) = (0, 0, Vec::new());
    for t in tasks {
        let (o, a, l) = t.await.unwrap();
        ok += o;
        all += a;
        lat.extend(l);
    }
    lat.sort();
    (ok, all, lat)
}

#[derive(Clone, Copy)]
enum Flood {
    UnknownIdsOneAddress,
    LockedIdManyAddresses,
}

/// Requests per second of `path` with `clients` concurrent keep-alive clients for `secs`.
async fn throughput(app: &Arc<App>, clients: &[reqwest::Client], path: &str, secs: f64) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let end = Instant::now() + Duration::from_secs_f64(secs);
    let url = format!("{}{path}", app.base);
    let mut tasks = Vec::new();
    for b in clients {
        let (b, url, done) = (b.clone(), url.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < end {
                let r = b.get(&url).send().await.unwrap();
                assert_eq!(r.status(), 200, "{url}");
                r.bytes().await.unwrap();
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let started = Instant::now();
    for t in tasks {
        t.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

/// A logged-in page against `/healthz`, both with 8 concurrent clients (each signed in).
async fn logged_in_throughput(app: &Arc<App>) {
    let mut clients = Vec::new();
    for i in 0..8 {
        let (id, pw) = account(app, AccountKind::Technician).await;
        let b = browser();
        let token = csrf(&b, app).await;
        let from = format!("192.0.2.{}", 150 + i);
        assert_eq!(
            post_login(&b, app, &token, id.as_str(), &pw, &from).await,
            303
        );
        clients.push(b);
    }
    let _ = throughput(app, &clients, "/healthz", 0.5).await;
    let health = throughput(app, &clients, "/healthz", 3.0).await;
    let home = throughput(app, &clients, "/ccus_skill/home", 3.0).await;
    println!(
        "   8 clients: /healthz {health:.0} req/s, logged-in /ccus_skill/home {home:.0} req/s ({:.2}× /healthz)",
        home / health
    );
    println!();
}

/// An attacker's connection that never completes: silent, slowloris (headers a byte at a
/// time) or a slow body; it reconnects a second after the server closes it.
async fn hold_connection(addr: String, kind: u8, stop: Arc<AtomicBool>, closed: Arc<AtomicU64>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    while !stop.load(Ordering::Relaxed) {
        let Ok(mut s) = tokio::net::TcpStream::connect(&addr).await else {
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        };
        let head: &[u8] = match kind {
            0 => b"",
            1 => b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ",
            _ => b"POST /ccus_skill/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nlogin_id=",
        };
        let _ = s.write_all(head).await;
        let mut buf = [0u8; 512];
        loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            if kind != 0 && s.write_all(b"1").await.is_err() {
                break;
            }
            match tokio::time::timeout(Duration::from_secs(1), s.read(&mut buf)).await {
                Ok(Ok(0)) | Ok(Err(_)) => break,
                _ => {}
            }
        }
        closed.fetch_add(1, Ordering::Relaxed);
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Open file descriptors of this process (client and server sockets both count here).
fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").map_or(0, |d| d.count())
}

/// 1,000 silent + 200 slowloris + 50 slow-body connections while a real user logs in and
/// `/healthz` is asked.
async fn slow_connections(app: &Arc<App>, alone: &[Duration], secs: f64) {
    let addr = app.base.trim_start_matches("http://").to_owned();
    let fds_before = open_fds();
    let stop = Arc::new(AtomicBool::new(false));
    let closed = Arc::new(AtomicU64::new(0));
    let mut holders = Vec::new();
    for (kind, n) in [(0u8, 1000), (1, 200), (2, 50)] {
        for _ in 0..n {
            holders.push(tokio::spawn(hold_connection(
                addr.clone(),
                kind,
                stop.clone(),
                closed.clone(),
            )));
        }
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let fds_during = open_fds();
    let health = tokio::spawn({
        let app = app.clone();
        async move {
            let b = browser();
            let (mut ok, mut all, mut lat) = (0u64, 0u64, Vec::new());
            let end = Instant::now() + Duration::from_secs_f64(secs.max(5.0));
            while Instant::now() < end {
                let t = Instant::now();
                all += 1;
                if let Ok(r) = b.get(format!("{}/healthz", app.base)).send().await {
                    if r.status() == 200 {
                        ok += 1;
                    }
                }
                lat.push(t.elapsed());
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            lat.sort();
            (ok, all, lat)
        }
    });
    let (id, pw) = account(app, AccountKind::Technician).await;
    let (mut ok, mut all, mut lat) = (0u64, 0u64, Vec::new());
    let end = Instant::now() + Duration::from_secs_f64(secs.max(5.0));
    while Instant::now() < end {
        // A new browser each time: a new connection has to get through.
        let t = Instant::now();
        all += 1;
        if login_once(&browser(), app, id.as_str(), &pw, "192.0.2.60").await == 303 {
            ok += 1;
        }
        lat.push(t.elapsed());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    lat.sort();
    let (h_ok, h_all, h_lat) = health.await.unwrap();
    stop.store(true, Ordering::Relaxed);
    for h in holders {
        let _ = h.await;
    }
    println!(
        "6. 1,000 silent + 200 slowloris + 50 slow-body connections (each reconnects when closed):"
    );
    println!(
        "   logins from new browsers: {ok}/{all} in, p50 {}  p99 {}  ({:.1}× alone)",
        ms(percentile(&lat, 0.5)),
        ms(percentile(&lat, 0.99)),
        percentile(&lat, 0.99).as_secs_f64() / percentile(alone, 0.5).as_secs_f64().max(1e-9)
    );
    println!(
        "   /healthz: {h_ok}/{h_all} answered 200, p50 {}  p99 {}",
        ms(percentile(&h_lat, 0.5)),
        ms(percentile(&h_lat, 0.99))
    );
    println!(
        "   open descriptors (client and server in this process): {fds_before} before, {fds_during} during; attacker connections closed by the server: {}",
        closed.load(Ordering::Relaxed)
    );
    println!();
}

/// Sorted latencies of `n` runs of `f`.
async fn timed<F, Fut>(n: usize, mut f: F) -> Vec<Duration>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut lat = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        f(i).await;
        lat.push(t.elapsed());
    }
    lat.sort();
    lat
}

fn p50_p95(lat: &[Duration]) -> String {
    format!(
        "p50 {:>8}  p95 {:>8}",
        ms(percentile(lat, 0.5)),
        ms(percentile(lat, 0.95))
    )
}

/// Page and look-up latencies on a database filled by `ccus admin generate` against the small
/// one of this run.
async fn ccus_size(small: &Arc<App>, big: Option<&str>, big_password: &str) {
    let Some(big_url) = big else {
        println!("7. CCUS-size data: skipped (run with --big URL of a database filled by `ccus admin generate`)");
        return;
    };
    let big = Arc::new(start(Some(big_url.to_owned())).await);
    println!("7. page and look-up latencies, small database vs {big_url}:");
    for (label, app, pw) in [
        ("small", small.clone(), None),
        ("CCUS-size", big.clone(), Some(big_password)),
    ] {
        let store = app.state.store();
        // Accounts to log in as and look up: the bench's own on the small database, generated
        // technicians on the big one.
        let ids = store
            .account_ids_of_kind(AccountKind::Technician, 200)
            .await
            .unwrap();
        let mut people = Vec::new();
        for id in ids.iter().step_by(10) {
            people.push(store.account_by_id(*id).await.unwrap().unwrap());
        }
        let (login_id, password) = match pw {
            Some(p) => (people[0].login_id.clone(), p.to_owned()),
            None => account(&app, AccountKind::Technician).await,
        };
        let b = browser();
        let token = csrf(&b, &app).await;
        let login = timed(20, |_| {
            let (b, app, token, login_id, password) = (
                b.clone(),
                app.clone(),
                token.clone(),
                login_id.clone(),
                password.clone(),
            );
            async move {
                assert_eq!(
                    post_login(&b, &app, &token, login_id.as_str(), &password, "192.0.2.70").await,
                    303
                );
            }
        })
        .await;
        let page = |path: &'static str| {
            let (b, app) = (b.clone(), app.clone());
            move |_| {
                let (b, url) = (b.clone(), format!("{}{path}", app.base));
                async move {
                    let r = b.get(&url).send().await.unwrap();
                    assert_eq!(r.status(), 200, "{url}");
                    r.bytes().await.unwrap();
                }
            }
        };
        let home = timed(200, page("/ccus_skill/home")).await;
        let history = timed(200, page("/ccus_skill/history")).await;
        let emails: Vec<String> = people.iter().map(|a| a.email.to_uppercase()).collect();
        let reminder = timed(200, |i| {
            let (store, email) = (store.clone(), emails[i % emails.len()].clone());
            async move {
                store.accounts_by_email(&email).await.unwrap();
            }
        })
        .await;
        let names: Vec<(String, String)> = people
            .iter()
            .map(|a| {
                (
                    a.name.clone(),
                    a.profile.birth_date.clone().unwrap_or_default(),
                )
            })
            .collect();
        let lookup = |with_birth: bool, part: fn(&str) -> String| {
            let (store, names) = (store.clone(), names.clone());
            move |i: usize| {
                let (store, (name, birth)) = (store.clone(), names[i % names.len()].clone());
                async move {
                    let q = ccus_storage::Lookup {
                        name: part(&name),
                        birth_date: if with_birth { birth } else { String::new() },
                        ..Default::default()
                    };
                    store.find_accounts(&q, 50).await.unwrap();
                }
            }
        };
        let full_name = timed(100, lookup(false, |n| n.to_owned())).await;
        let given_part = timed(
            100,
            lookup(false, |n| {
                n.split_whitespace().last().unwrap_or(n).to_owned()
            }),
        )
        .await;
        let with_birth = timed(100, lookup(true, |n| n.to_owned())).await;
        println!("   {label}:");
        println!("     login (full, HTTP)            {}", p50_p95(&login));
        println!("     home page                     {}", p50_p95(&home));
        println!("     access history page           {}", p50_p95(&history));
        println!("     ID reminder look-up (by mail) {}", p50_p95(&reminder));
        println!("     helpdesk: full name           {}", p50_p95(&full_name));
        println!(
            "     helpdesk: given name only     {}",
            p50_p95(&given_part)
        );
        println!(
            "     helpdesk: name + 生年月日     {}",
            p50_p95(&with_birth)
        );
    }
    println!();
}
