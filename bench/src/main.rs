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
async fn start() -> App {
    App::builder()
        .system_clock()
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
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let app = start().await;
    let cfg = app.state.config().hashing.clone();
    println!(
        "CCUS Portal benchmark — {cores} cores, Argon2id m={} KiB t={} p={}, {secs} s per run",
        cfg.memory_kib, cfg.iterations, cfg.parallelism
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

    // Full logins over HTTP: 2 clients per core, each its own account, for `secs`.
    let clients = cores * 2;
    let done = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    let end = Instant::now() + Duration::from_secs_f64(secs);
    let app = Arc::new(app);
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

    // 2. A real user alone, then during floods.
    let alone = real_user(&app, secs).await;
    println!(
        "2. real user's login alone:               p50 {}  p95 {}",
        ms(percentile(&alone, 0.5)),
        ms(percentile(&alone, 0.95))
    );

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
        let slow = percentile(&during, 0.5).as_secs_f64() / percentile(&alone, 0.5).as_secs_f64();
        println!(
            "   during a flood of {label:<32} p50 {}  p95 {}  ({slow:.1}× alone; flood {flood_rate:.0} req/s)",
            ms(percentile(&during, 0.5)),
            ms(percentile(&during, 0.95))
        );
    }
    println!();

    // 3. Many people behind one address.
    let (rate, ok, refused) = shared_address(&app, 32, secs).await;
    println!(
        "3. 32 clients logging in correctly from one address: {rate:.1} logins/s = {:.0}% of the hash bound ({ok} in, {refused} refused)",
        rate / bound * 100.0
    );
    println!();

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
