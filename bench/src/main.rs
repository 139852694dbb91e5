//! `cargo run --release -p ccus-bench [-- --seconds N]`
//!
//! Runs the real application (SQLite in a temporary folder, real TCP on 127.0.0.1) in this
//! process and prints figures:
//! 1. the Argon2id bound — how many hashes per second this machine can do with the configured
//!    parameters on all cores — and how close full logins over HTTP come to it;
//! 2. a real user's login time alone, and while a flood of bad logins runs (unknown IDs from
//!    one address; a locked ID hammered from many addresses);
//! 3. the cost of a logged-in page.
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

    // 3. A logged-in page.
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
        "3. logged-in page (/ccus_skill/home, one client, round trip): mean {:.0} µs  p50 {:.0} µs  p99 {:.0} µs  ({} requests)",
        mean.as_secs_f64() * 1e6,
        percentile(&lat, 0.5).as_secs_f64() * 1e6,
        percentile(&lat, 0.99).as_secs_f64() * 1e6,
        lat.len()
    );
}

#[derive(Clone, Copy)]
enum Flood {
    UnknownIdsOneAddress,
    LockedIdManyAddresses,
}
