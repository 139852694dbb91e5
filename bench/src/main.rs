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
//! 5. the cost of a logged-in page;
//! 6. real users while attackers hold connections: silent, slowloris and slow-body ones, then
//!    trickling bodies (a login announcing 100,000 bytes, a byte every 20 s) past the cap;
//! 7. page and look-up latencies on a database of CCUS size (with `--big`);
//! 8. memory over three login floods with idle gaps;
//! 9. a site's page, the pending page and the site search at CCUS size (with `--big`);
//! 10. 就業履歴: card touches over HTTP (touches/s, memory), a worker's records page, a site's
//!     day with 1,000 workers and its month's statement (page, CSV, PDF) for 1,000 workers ×
//!     30 days — on the small database and the big one;
//! 11. the partner API (`api.rs`): tokens issued per second, touches through the API beside a
//!     reader's key, and a system's reads of a granted business's data.
//!
//! With `--replica URL` (PostgreSQL), the reads that may lag a moment go to that streaming
//! replica of `--database` (`database.replicas`); row 10 then says how many it answered.
//!
//! With `--no-session-cache` every request reads its session from the database (the
//! per-instance session cache off), to compare with the default.
//!
//! Every "× alone" compares a percentile with the same percentile measured without the
//! attack (p50 with p50, p99 with p99). Client and server share the machine's cores, so every
//! figure includes the client's work.
// A measuring harness: any failure should stop it loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ccus_app::account::provisioning::{create_account, AccountRequest};
use ccus_app::Config;
use ccus_domain::{AccountKind, LoginId, Password};
use rand::rngs::StdRng;
use rand::SeedableRng;

use ccus_testkit::TestApp as App;

mod api;

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
            // Row 11 measures the API itself, not its per-client limits.
            c.api.calls_per_minute = u64::MAX / 2;
            // `--no-session-cache`: every request reads its session from the database (as
            // before the per-instance cache), for comparison.
            if std::env::args().any(|a| a == "--no-session-cache") {
                c.session.cache_ttl = std::time::Duration::ZERO;
            }
            // `--replica URL`: reads that may lag go to this streaming replica of `--database`.
            if let Some(url) = arg_value("--replica") {
                c.database.replicas = vec![url];
            }
        })
        .start()
        .await
}

/// The value given after `name` on the command line.
fn arg_value(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// With `--replica`: the reads the replica answered and those the primary took, so far.
fn replica_reads(app: &App) -> Option<(u64, u64)> {
    let (replicas, on_primary) = app.state.store_for_tools().replica_stats();
    (!replicas.is_empty()).then(|| (replicas.iter().map(|r| r.reads).sum(), on_primary))
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
    csrf_at(b, app, "/ccus_skill/login").await
}

/// The anti-forgery token of the form at `path`.
async fn csrf_at(b: &reqwest::Client, app: &App, path: &str) -> String {
    let html = b
        .get(format!("{}{path}", app.base))
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

/// `p50 X (N×)  p99 Y (M×)`: each percentile of `during` and its ratio to the same percentile
/// of `alone`.
fn against(during: &[Duration], alone: &[Duration], ps: &[f64]) -> String {
    ps.iter()
        .map(|&p| {
            let d = percentile(during, p);
            let a = percentile(alone, p);
            format!(
                "p{:.0} {} ({:.1}×)",
                p * 100.0,
                ms(d),
                d.as_secs_f64() / a.as_secs_f64().max(1e-9)
            )
        })
        .collect::<Vec<_>>()
        .join("  ")
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

    // 1. The hash bound: every core hashing through the pool for 3 s (a short sequential
    // sample swings by ±15 % on a shared machine; this is what logins compete with).
    let hashed = Arc::new(AtomicU64::new(0));
    let t = Instant::now();
    let until = t + Duration::from_secs(3);
    let mut hashers = Vec::new();
    for _ in 0..cores {
        let (state, hashed) = (app.state.clone(), hashed.clone());
        hashers.push(tokio::spawn(async move {
            while Instant::now() < until {
                state
                    .hasher()
                    .hash(Password::parse("bench password 123").unwrap())
                    .await
                    .unwrap();
                hashed.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for h in hashers {
        h.await.unwrap();
    }
    let n = hashed.load(Ordering::Relaxed).max(1);
    let bound = n as f64 / t.elapsed().as_secs_f64();
    let per_hash = Duration::from_secs_f64(cores as f64 / bound);
    println!(
        "1. Argon2id hash: {} each on one core ({n} hashes on {cores} cores in 3 s) → bound {bound:.1} logins/s",
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
            println!(
                "   during a flood of {label:<32} {}  (× alone; flood {flood_rate:.0} req/s)",
                against(&during, &alone, &[0.5, 0.95])
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
        // 4. Credential stuffing from a botnet, with returning and first-time users, each
        // kind measured alone first.
        let kinds = [
            ("returning browsers", User::Returning),
            ("first-time, script", User::FirstTimeScript),
            ("first-time, no script", User::FirstTimeNoScript),
        ];
        let mut alone_by_kind = Vec::new();
        for (_, kind) in kinds {
            alone_by_kind.push(users_logging_in(&app, kind, secs.max(5.0)).await.2);
        }
        println!("4. memory before the botnet: {}", rss());
        let bots = Bots::start(&app, 64, 7_000_003);
        tokio::time::sleep(Duration::from_millis(500)).await;
        for ((label, kind), alone) in kinds.into_iter().zip(&alone_by_kind) {
            let (ok, all, lat) = users_logging_in(&app, kind, secs.max(5.0)).await;
            println!(
                "   {label:<22} alone p50 {}  p99 {}; during 64 bots: {ok}/{all} in ({:.0}%), {}",
                ms(percentile(alone, 0.5)),
                ms(percentile(alone, 0.99)),
                ok as f64 / all.max(1) as f64 * 100.0,
                against(&lat, alone, &[0.5, 0.99])
            );
        }
        println!("   memory during the botnet: {}", rss());
        bots.stop().await;
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
        slow_connections(&app, secs).await;
    }
    if run(7) {
        ccus_size(&app, big.as_deref(), &big_password).await;
    }
    if run(8) {
        three_floods(&app, secs).await;
    }
    if run(9) {
        sites_at_size(&app, big.as_deref(), &big_password).await;
    }
    if run(10) {
        records_at_size(&app, big.as_deref(), &big_password, secs).await;
    }
    if run(11) {
        if app
            .state
            .store_for_tools()
            .sites()
            .newest(1)
            .await
            .unwrap()
            .is_empty()
        {
            fill_small(&app, &big_password).await;
        }
        api::partner_api(&app, secs).await;
    }
}

/// Bots stuffing credentials: each posts a login for a random ID from a new browser and
/// another address, again and again, until stopped.
struct Bots {
    stop: Arc<AtomicBool>,
    sent: Arc<AtomicU64>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Bots {
    fn start(app: &Arc<App>, n: u64, seed: u64) -> Bots {
        let stop = Arc::new(AtomicBool::new(false));
        let sent = Arc::new(AtomicU64::new(0));
        let mut tasks = Vec::new();
        for a in 0..n {
            let (app, stop, sent) = (app.clone(), stop.clone(), sent.clone());
            tasks.push(tokio::spawn(async move {
                let mut k = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    k += 1;
                    let id = LoginId::generate(
                        AccountKind::Technician,
                        &mut StdRng::seed_from_u64(a * seed + k),
                    );
                    let from = format!("10.{}.{}.{}", a, (k / 250) % 250, k % 250);
                    login_once(&browser(), &app, id.as_str(), "password123", &from).await;
                    sent.fetch_add(1, Ordering::Relaxed);
                }
            }));
        }
        Bots { stop, sent, tasks }
    }

    /// Stops them; how many logins they sent.
    async fn stop(self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.tasks {
            t.await.unwrap();
        }
        self.sent.load(Ordering::Relaxed)
    }
}

/// This process's resident memory in kB.
fn rss_kb() -> u64 {
    rss().trim_end_matches("kB").trim().parse().unwrap_or(0)
}

/// Three login floods (64 bots, every attempt a full Argon2 check) with idle gaps longer than
/// `hashing.release_after`: the process's memory before, at its peak during, and after each.
async fn three_floods(app: &Arc<App>, secs: f64) {
    let release = app.state.config().hashing.release_after;
    let gap = release + Duration::from_secs(5);
    println!(
        "8. three login floods of {:.0} s (64 bots, unknown IDs from many addresses), {} s apart (hashing.release_after {} s), RSS:",
        secs.max(5.0),
        gap.as_secs(),
        release.as_secs()
    );
    for n in 1..=3u64 {
        let before = rss_kb();
        let bots = Bots::start(app, 64, 11_000_003 * n);
        let started = Instant::now();
        let mut peak = 0;
        while started.elapsed().as_secs_f64() < secs.max(5.0) {
            tokio::time::sleep(Duration::from_millis(250)).await;
            peak = peak.max(rss_kb());
        }
        let sent = bots.stop().await;
        tokio::time::sleep(gap).await;
        println!(
            "   flood {n}: before {:.1} MB  during (peak) {:.1} MB  {} s after {:.1} MB  ({sent} logins)",
            before as f64 / 1024.0,
            peak as f64 / 1024.0,
            gap.as_secs(),
            rss_kb() as f64 / 1024.0
        );
    }
    println!();
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
        let nonce = ccus_app::auth::challenge::solve(&ch);
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

/// People of one kind logging in once a second (alone, or while a botnet stuffs
/// credentials); returns (successes, attempts, sorted latencies).
async fn users_logging_in(app: &Arc<App>, kind: User, secs: f64) -> (u64, u64, Vec<Duration>) {
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

/// What an attacker's connection does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hold {
    /// Connects and says nothing.
    Silent,
    /// Sends headers a byte a second, never ending them.
    Slowloris,
    /// A login announcing 100,000 bytes, its body sent a byte at a time every `every`.
    SlowBody { every: Duration },
}

/// An attacker's connection that never completes a request; it reconnects a second after the
/// server closes it.
async fn hold_connection(addr: String, kind: Hold, stop: Arc<AtomicBool>, closed: Arc<AtomicU64>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let every = match kind {
        Hold::SlowBody { every } => every,
        _ => Duration::from_secs(1),
    };
    while !stop.load(Ordering::Relaxed) {
        let Ok(mut s) = tokio::net::TcpStream::connect(&addr).await else {
            tokio::time::sleep(Duration::from_secs(1)).await;
            continue;
        };
        let head: &[u8] = match kind {
            Hold::Silent => b"",
            Hold::Slowloris => b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ",
            Hold::SlowBody { .. } => b"POST /ccus_skill/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nlogin_id=",
        };
        let _ = s.write_all(head).await;
        let mut buf = [0u8; 512];
        let mut next_byte = Instant::now() + every;
        loop {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            if kind != Hold::Silent && Instant::now() >= next_byte {
                if s.write_all(b"1").await.is_err() {
                    break;
                }
                next_byte += every;
            }
            // Wakes at least once a second to see whether to stop.
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

/// What real people got for `secs`: logins from new browsers (every 200 ms), `/healthz`
/// (every 50 ms) and the top page from a new browser (every 200 ms).
struct People {
    logins: (u64, u64, Vec<Duration>),
    health: (u64, u64, Vec<Duration>),
    page: (u64, u64, Vec<Duration>),
}

async fn real_people(app: &Arc<App>, id: &LoginId, pw: &str, secs: f64) -> People {
    /// Runs `f` every `pause` for `secs`; (answered as hoped, attempts, sorted latencies).
    async fn repeat<F, Fut>(secs: f64, pause: Duration, f: F) -> (u64, u64, Vec<Duration>)
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let (mut ok, mut all, mut lat) = (0u64, 0u64, Vec::new());
        let end = Instant::now() + Duration::from_secs_f64(secs);
        while Instant::now() < end {
            let t = Instant::now();
            all += 1;
            if f().await {
                ok += 1;
            }
            lat.push(t.elapsed());
            tokio::time::sleep(pause).await;
        }
        lat.sort();
        (ok, all, lat)
    }
    let get = |path: &'static str, b: reqwest::Client| {
        let url = format!("{}{path}", app.base);
        async move {
            match b.get(url).send().await {
                Ok(r) => r.status() == 200 && r.bytes().await.is_ok(),
                Err(_) => false,
            }
        }
    };
    let health_client = browser();
    let (logins, health, page) = tokio::join!(
        repeat(secs, Duration::from_millis(200), || async {
            // A new browser each time: a new connection has to get through.
            login_once(&browser(), app, id.as_str(), pw, "192.0.2.60").await == 303
        }),
        repeat(secs, Duration::from_millis(50), || get(
            "/healthz",
            health_client.clone()
        )),
        repeat(secs, Duration::from_millis(200), || get("/", browser())),
    );
    People {
        logins,
        health,
        page,
    }
}

fn print_people(during: &People, alone: &People) {
    for (label, d, a) in [
        ("logins from new browsers", &during.logins, &alone.logins),
        ("/healthz", &during.health, &alone.health),
        ("top page, new browsers", &during.page, &alone.page),
    ] {
        println!(
            "   {label:<25} {}/{} answered, {}  (× alone)",
            d.0,
            d.1,
            against(&d.2, &a.2, &[0.5, 0.99])
        );
    }
}

/// Real people while attackers hold connections: first 1,000 silent + 200 slowloris + 50
/// slow-body connections, then 1,000 bodies trickling as the outside probe did (a byte every
/// 20 s) — both more than `server.max_connections` — each reconnecting when closed.
async fn slow_connections(app: &Arc<App>, secs: f64) {
    let addr = app.base.trim_start_matches("http://").to_owned();
    let (id, pw) = account(app, AccountKind::Technician).await;
    let secs = secs.max(5.0);
    let alone = real_people(app, &id, &pw, secs).await;
    println!("6. real people alone:");
    for (label, a) in [
        ("logins from new browsers", &alone.logins),
        ("/healthz", &alone.health),
        ("top page, new browsers", &alone.page),
    ] {
        println!(
            "   {label:<25} {}/{} answered, p50 {}  p99 {}",
            a.0,
            a.1,
            ms(percentile(&a.2, 0.5)),
            ms(percentile(&a.2, 0.99))
        );
    }
    let rules = &app.state.config().server;
    // The trickle runs past the grace period, so that both making room and the rate rule act.
    let trickle_secs = secs.max(rules.body_grace.as_secs_f64() * 2.5);
    for (title, attackers, run_secs) in [
        (
            "1,000 silent + 200 slowloris + 50 slow-body connections".to_owned(),
            vec![
                (Hold::Silent, 1000),
                (Hold::Slowloris, 200),
                (
                    Hold::SlowBody {
                        every: Duration::from_secs(1),
                    },
                    50,
                ),
            ],
            secs,
        ),
        (
            format!(
                "1,000 bodies trickling a byte every 20 s (cap {}; grace {} s, min {} B/s)",
                rules.max_connections,
                rules.body_grace.as_secs(),
                rules.body_min_rate
            ),
            vec![(
                Hold::SlowBody {
                    every: Duration::from_secs(20),
                },
                1000,
            )],
            trickle_secs,
        ),
    ] {
        let fds_before = open_fds();
        let stop = Arc::new(AtomicBool::new(false));
        let closed = Arc::new(AtomicU64::new(0));
        let mut holders = Vec::new();
        for (kind, n) in attackers {
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
        let during = real_people(app, &id, &pw, run_secs).await;
        stop.store(true, Ordering::Relaxed);
        for h in holders {
            let _ = h.await;
        }
        println!("   {title}, each reconnecting when closed, for {run_secs:.0} s:");
        print_people(&during, &alone);
        println!(
            "   open descriptors (client and server in this process): {fds_before} before, {fds_during} during; attacker connections closed by the server: {}",
            closed.load(Ordering::Relaxed)
        );
    }
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
        let store = app.state.store_for_tools();
        // Accounts to log in as and look up: the bench's own on the small database, generated
        // technicians on the big one.
        let ids = store
            .accounts()
            .account_ids_of_kind(AccountKind::Technician, 200)
            .await
            .unwrap();
        let mut people = Vec::new();
        for id in ids.iter().step_by(10) {
            people.push(store.accounts().account_by_id(*id).await.unwrap().unwrap());
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
                store.recovery().accounts_by_email(&email).await.unwrap();
            }
        })
        .await;
        let names: Vec<(String, String)> = people
            .iter()
            .map(|a| {
                (
                    a.name.clone(),
                    a.profile
                        .birth_date
                        .map(ccus_domain::profile::format_date)
                        .unwrap_or_default(),
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
                    store.lookup().find_accounts(&q, 50).await.unwrap();
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

/// A browser logged in at the business entrance.
async fn business_logged_in(
    app: &App,
    login_id: &str,
    password: &str,
    from: &str,
) -> reqwest::Client {
    let b = browser();
    let token = csrf_at(&b, app, "/ccus_owner/login").await;
    let r = b
        .post(format!("{}/ccus_owner/login", app.base))
        .header("x-forwarded-for", from)
        .form(&[
            ("login_id", login_id),
            ("password", password),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303, "the business logs in");
    b
}

/// The small database's own few businesses, technicians and sites (every generated account with
/// `password`).
async fn fill_small(small: &App, password: &str) {
    ccus_app::ops::generate::generate(
        &small.state,
        &ccus_app::ops::generate::Spec {
            technicians: 2000,
            businesses: 100,
            events_per_account: 1,
            seed: 8,
            password: password.to_owned(),
        },
    )
    .await
    .unwrap();
    ccus_app::ops::generate_sites::generate_sites(
        &small.state,
        &ccus_app::ops::generate_sites::SiteSpec {
            sites: 200,
            open: 50,
            seed: 8,
        },
    )
    .await
    .unwrap();
}

/// A site's page (tree and 名簿), a business's pending page and the site search, as the 元請 of
/// a generated open site sees them: on the small database (a few sites generated into it) and
/// on the big one (`ccus admin generate` then `generate-sites`).
async fn sites_at_size(small: &Arc<App>, big: Option<&str>, big_password: &str) {
    fill_small(small, big_password).await;
    let mut apps = vec![("small", small.clone())];
    match big {
        Some(url) => apps.push(("CCUS-size", Arc::new(start(Some(url.to_owned())).await))),
        None => println!(
            "9. sites at CCUS size: the big database skipped (run with --big URL of a database filled by `ccus admin generate` and `generate-sites`)"
        ),
    }
    println!("9. sites: a site's tree and 名簿, the pending page, the site search (as its 元請):");
    for (label, app) in apps {
        let store = app.state.store_for_tools();
        let newest = store.sites().newest(20).await.unwrap();
        let Some((site_id, prime)) = newest.first().cloned() else {
            println!("   {label}: no open site");
            continue;
        };
        let prime = store
            .accounts()
            .account_by_id(prime)
            .await
            .unwrap()
            .unwrap();
        let b = business_logged_in(&app, prime.login_id.as_str(), big_password, "192.0.2.80").await;
        let page = |path: String| {
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
        let site_path = format!("/ccus_owner/sites/{}", site_id.as_str());
        let (places, lines) = {
            let s = store.sites().site(&site_id).await.unwrap().unwrap();
            (
                store.placements().tree(s.key).await.unwrap().len(),
                store.listings().roster(s.key).await.unwrap().len(),
            )
        };
        let site = timed(100, page(site_path)).await;
        let pending = timed(200, page("/ccus_owner/sites/pending".into())).await;
        let list = timed(100, page("/ccus_owner/sites".into())).await;
        let by_id = timed(
            100,
            page(format!("/ccus_owner/sites?q={}", site_id.as_str())),
        )
        .await;
        let by_name = timed(100, page("/ccus_owner/sites?q=%E5%B7%A5%E4%BA%8B".into())).await;
        println!("   {label}:");
        println!(
            "     site page ({places} companies, {lines} workers) {}",
            p50_p95(&site)
        );
        println!("     pending page                  {}", p50_p95(&pending));
        println!("     site list (first page)        {}", p50_p95(&list));
        println!("     search by 現場ID              {}", p50_p95(&by_id));
        println!("     search by name (「工事」)      {}", p50_p95(&by_name));
    }
    println!();
}

/// A site of `prime`'s registered for the measurements, its 就業履歴蓄積期間 from `from`.
async fn bench_site(
    app: &App,
    prime: &ccus_app::org::OrgContext,
    name: &str,
    from: ccus_domain::Date,
) -> ccus_domain::SiteId {
    ccus_testkit::sites::site_from(app, prime, name, from).await
}

/// 就業履歴 as the people who use it see them, on the small database (records generated into
/// it here) and on the big one (`generate`, `generate-sites`, `generate-records`): card
/// touches posted by readers of the newest open sites, a worker's records page, and a site
/// of 1,000 workers × the 30 days of last month — its day view and its month's statement.
async fn records_at_size(small: &Arc<App>, big: Option<&str>, password: &str, secs: f64) {
    use ccus_app::ops::generate_records::{generate_records, RecordSpec};
    use ccus_storage::generated_records::GeneratedRecord;
    // Row 9 fills the small database with businesses, technicians and sites; run alone, this
    // row does it itself.
    if small
        .state
        .store_for_tools()
        .sites()
        .newest(1)
        .await
        .unwrap()
        .is_empty()
    {
        fill_small(small, password).await;
    }
    let (n, _) = small
        .state
        .store_for_tools()
        .records()
        .count_and_last_id()
        .await
        .unwrap();
    if n == 0 {
        generate_records(
            &small.state,
            &RecordSpec {
                records: 200_000,
                years: 10,
                seed: 8,
            },
        )
        .await
        .unwrap();
    }
    let mut apps = vec![("small", small.clone())];
    match big {
        Some(url) => apps.push(("CCUS-size", Arc::new(start(Some(url.to_owned())).await))),
        None => println!(
            "10. 就業履歴 at CCUS size: the big database skipped (run with --big URL of a database filled by `generate`, `generate-sites` and `generate-records`)"
        ),
    }
    println!("10. 就業履歴: touches over HTTP, a worker's page, a site's day and month (1,000 workers × 30 days):");
    for (label, app) in apps {
        let store = app.state.store_for_tools();
        let records = store.records().approximate_count().await.unwrap();
        let now = app.state.clock().now();
        let today = ccus_app::sites::today(now);
        let (this_month, _) = ccus_domain::records::month_span(today);
        let (last_first, last_last) =
            ccus_domain::records::month_span(this_month.previous_day().unwrap());
        // Readers on the newest open sites whose period covers the last 30 days, each with the
        // cards of the workers on its 名簿.
        let mut readers: Vec<(String, Vec<String>)> = Vec::new();
        for (site_id, ctx, cards) in api::busy_sites(&app, 4, 20).await {
            match ccus_app::records::readers::issue(&app.state, &ctx, &site_id, "bench")
                .await
                .unwrap()
            {
                ccus_app::records::readers::IssueOutcome::Issued { key, .. } => {
                    readers.push((key, cards))
                }
                other => panic!("{other:?}"),
            }
        }
        // Touches: each reader walks the last 30 days × its workers, an entry then an exit,
        // 500 to a batch, for `secs`.
        let rss_before = rss_kb();
        let taken = Arc::new(AtomicU64::new(0));
        let refused = Arc::new(AtomicU64::new(0));
        let end = Instant::now() + Duration::from_secs_f64(secs.max(5.0));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for (key, cards) in readers.clone() {
            let (app, taken, refused) = (app.clone(), taken.clone(), refused.clone());
            tasks.push(tokio::spawn(async move {
                let client = reqwest::Client::new();
                let mut seq = 0_i64;
                let mut peak = Duration::ZERO;
                'outer: for back in 1..31_i64 {
                    let day = today - time_days(back);
                    for out in [false, true] {
                        for chunk in cards.chunks(500) {
                            if Instant::now() >= end {
                                break 'outer;
                            }
                            let (_, at) = ccus_testkit::sites::jst_at(
                                day,
                                if out { 17 } else { 8 },
                                (seq % 60) as u8,
                            );
                            let touches: Vec<String> = chunk
                                .iter()
                                .map(|c| {
                                    seq += 1;
                                    format!(
                                        r#"{{"seq":{seq},"card":"{c}","direction":"{}","at":"{at}"}}"#,
                                        if out { "out" } else { "in" }
                                    )
                                })
                                .collect();
                            let body = format!(r#"{{"touches":[{}]}}"#, touches.join(","));
                            let t = Instant::now();
                            let r = client
                                .post(format!("{}/api/v1/touches", app.base))
                                .bearer_auth(&key)
                                .header("content-type", "application/json")
                                .body(body)
                                .send()
                                .await
                                .unwrap();
                            assert_eq!(r.status(), 200);
                            let text = r.text().await.unwrap();
                            peak = peak.max(t.elapsed());
                            let ok = text.matches(r#""status":"accepted""#).count() as u64;
                            taken.fetch_add(ok, Ordering::Relaxed);
                            refused.fetch_add(chunk.len() as u64 - ok, Ordering::Relaxed);
                        }
                    }
                }
                peak
            }));
        }
        let mut peak = Duration::ZERO;
        for t in tasks {
            peak = peak.max(t.await.unwrap());
        }
        let took = started.elapsed().as_secs_f64();
        let (ok, no) = (
            taken.load(Ordering::Relaxed),
            refused.load(Ordering::Relaxed),
        );
        let rss_after = rss_kb();

        // The fixture: a site of 1,000 workers, every day of last month.
        let (prime_site, prime) = store.sites().newest(1).await.unwrap().pop().unwrap();
        let _ = prime_site;
        let prime = store
            .accounts()
            .account_by_id(prime)
            .await
            .unwrap()
            .unwrap();
        let ctx = ccus_app::org::context(&app.state, &prime)
            .await
            .unwrap()
            .unwrap();
        let site_id = bench_site(&app, &ctx, "ベンチ 千人現場", last_first - time_days(10)).await;
        let site = store.sites().site(&site_id).await.unwrap().unwrap();
        let workers = store
            .accounts()
            .account_ids_of_kind(AccountKind::Technician, 1000)
            .await
            .unwrap();
        let days = (last_last - last_first).whole_days() + 1;
        let mut id = store
            .records()
            .reserve_ids(days * workers.len() as i64)
            .await
            .unwrap()
            - 1;
        let mut loader = app
            .state
            .store_for_tools()
            .record_loader(false)
            .await
            .unwrap();
        let mut day = last_first;
        while day <= last_last {
            let rows: Vec<GeneratedRecord> = workers
                .iter()
                .map(|w| {
                    id += 1;
                    GeneratedRecord {
                        id,
                        account: *w,
                        site: site.key.get(),
                        day,
                        source: "touch",
                        first_in: ccus_testkit::sites::jst_at(day, 8, 0).0 .0,
                        last_out: ccus_testkit::sites::jst_at(day, 17, 30).0 .0,
                        business: prime.id,
                        trade: "tobi",
                        position: "worker",
                    }
                })
                .collect();
            loader.load(&rows, now).await.unwrap();
            day = day.next_day().unwrap();
        }
        loader.finish().await.unwrap();

        // The 元請 logs in and reads the site; a worker reads their own page.
        let b = business_logged_in(&app, prime.login_id.as_str(), password, "192.0.2.90").await;
        // A generated worker of the fixture (the bench's own accounts have another password).
        let w = browser();
        let mut worker = None;
        for id in workers.iter().rev().take(20) {
            let a = store.accounts().account_by_id(*id).await.unwrap().unwrap();
            let token = csrf(&w, &app).await;
            if post_login(
                &w,
                &app,
                &token,
                a.login_id.as_str(),
                password,
                "192.0.2.91",
            )
            .await
                == 303
            {
                worker = Some(a);
                break;
            }
        }
        let worker = worker.expect("a generated worker logs in");
        let get = |b: &reqwest::Client, path: String| {
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
        let month = format!(
            "{:04}-{:02}",
            last_first.year(),
            u8::from(last_first.month())
        );
        let mid = ccus_domain::profile::format_date(last_first + time_days(14));
        let base = format!("/ccus_owner/sites/{}", site_id.as_str());
        let replica_before = replica_reads(&app);
        let cold = timed(100, get(&w, "/ccus_skill/records".into())).await;
        let mine = warm_timed(100, 200, get(&w, "/ccus_skill/records".into())).await;
        let mine_last = warm_timed(
            100,
            200,
            get(&w, format!("/ccus_skill/records?month={month}")),
        )
        .await;
        let day_view = warm_timed(100, 100, get(&b, format!("{base}/day?day={mid}"))).await;
        let statement = warm_timed(2, 20, get(&b, format!("{base}/statement?month={month}"))).await;
        let csv = warm_timed(
            2,
            10,
            get(&b, format!("{base}/statement.csv?month={month}")),
        )
        .await;
        let pdf = warm_timed(1, 5, get(&b, format!("{base}/statement.pdf?month={month}"))).await;
        let days = store.records().counted_days(worker.id).await.unwrap().len();
        println!("   {label} ({records} records):");
        println!(
            "     touches over HTTP ({} readers, 500 a batch) {:.0}/s ({ok} accepted, {no} refused in {took:.1} s; slowest batch {}; memory {} → {} kB)",
            readers.len(),
            (ok + no) as f64 / took.max(1e-9),
            ms(peak),
            rss_before,
            rss_after
        );
        println!(
            "     worker's records page, its first 100 {}",
            p50_p95(&cold)
        );
        println!(
            "     worker's records page ({days} days) {}",
            p50_p95(&mine)
        );
        println!("     worker's page, last month     {}", p50_p95(&mine_last));
        println!("     site's day (1,000 workers)    {}", p50_p95(&day_view));
        println!("     month's statement page        {}", p50_p95(&statement));
        println!("     statement CSV (30,000 rows)   {}", p50_p95(&csv));
        println!("     statement PDF                 {}", p50_p95(&pdf));
        if let (Some((r0, p0)), Some((r1, p1))) = (replica_before, replica_reads(&app)) {
            println!(
                "     reads that may lag: {} answered by the replica, {} sent to the primary for want of a fresh one",
                r1 - r0,
                p1 - p0
            );
        }
    }
    println!();
}

/// `timed`, after `warm` untimed calls. On PostgreSQL each of the pool's 16 connections
/// prepares a page's statements once and, on their sixth run, plans them once for any value
/// (over every month partition of the records: tens of milliseconds, once); the steady cost of
/// a page comes after that.
async fn warm_timed<F, Fut>(warm: usize, n: usize, mut f: F) -> Vec<Duration>
where
    F: FnMut(usize) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for i in 0..warm {
        f(i).await;
    }
    timed(n, f).await
}

fn time_days(n: i64) -> time::Duration {
    time::Duration::days(n)
}
