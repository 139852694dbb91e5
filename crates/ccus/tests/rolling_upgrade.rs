//! A rolling upgrade on one PostgreSQL database. Two instances of the previous release (its
//! `ccus` binary, named by `CCUS_PREVIOUS_RELEASE`; `tools/upgrade/build-previous.sh` builds it
//! from the commit in `tools/upgrade/previous-release`) serve while people log in and send
//! inquiries through whichever instances are in rotation. An instance of this release starts
//! beside them — applying this release's migrations while the old ones serve — then each old
//! instance is taken out of rotation, stopped with SIGTERM and replaced by a new one, as a
//! deploy does. Nothing may be refused or lost: every request is answered as it should be,
//! every old instance exits cleanly, and every acknowledged login and inquiry is in the
//! database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ccus_domain::AccountKind;
use ccus_storage::testdb;
use ccus_testkit::{free_port, http_browser, log_in_at, send_inquiry};

const NEW: &str = env!("CARGO_BIN_EXE_ccus");
const PREVIOUS_ENV: &str = "CCUS_PREVIOUS_RELEASE";
const PW: &str = "Upgrade-Test-2026!";
const PEOPLE: usize = 4;
/// The start of a PNG file: what the inquiry form's attachment check looks for.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR rolling upgrade";

/// One `ccus serve` process.
struct Instance {
    child: Child,
    base: String,
    name: &'static str,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn command(bin: &str, db: &str, dir: &Path) -> Command {
    let mut c = Command::new(bin);
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("CCUS_DATABASE_URL", db)
        .env("CCUS_INQUIRY__ATTACHMENTS_DIR", dir.join("attachments"))
        .env("CCUS_INQUIRY__PER_ADDRESS_LIMIT", "1000000")
        .env(
            "CCUS_MAIL__URL",
            format!("file://{}", dir.join("mail").display()),
        )
        .env("CCUS_LOG", "warn");
    c
}

/// Runs a command to its end; it must succeed. Its standard output.
fn succeeded(c: &mut Command) -> Vec<u8> {
    let out = c.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{c:?}: {stderr}");
    out.stdout
}

async fn start(bin: &str, name: &'static str, db: &str, dir: &Path) -> Instance {
    let port = free_port();
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(format!("{name}.log")))
        .unwrap();
    let child = command(bin, db, dir)
        .env("CCUS_LISTEN", format!("127.0.0.1:{port}"))
        .env("CCUS_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("CCUS_MAIL__INSTANCE_ID", name)
        // Requests a person began through an instance just taken out of rotation still end
        // there; the drain serves them.
        .env("CCUS_SERVER__DRAIN_DELAY", "3s")
        .arg("serve")
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .unwrap();
    let instance = Instance {
        child,
        base: format!("http://127.0.0.1:{port}"),
        name,
    };
    // Ready when /readyz answers 200 (a new release migrates first).
    let deadline = Instant::now() + Duration::from_secs(120);
    let client = reqwest::Client::new();
    loop {
        let ready = client
            .get(format!("{}/readyz", instance.base))
            .send()
            .await
            .is_ok_and(|r| r.status() == 200);
        if ready {
            return instance;
        }
        assert!(
            Instant::now() < deadline,
            "{name} did not become ready: {}",
            std::fs::read_to_string(dir.join(format!("{name}.log"))).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// SIGTERM, then the instance must exit by itself, successfully, within 40 s.
async fn stop(mut instance: Instance) {
    let pid = instance.child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        if let Some(status) = instance.child.try_wait().unwrap() {
            assert!(status.success(), "{} exited with {status}", instance.name);
            return;
        }
        assert!(Instant::now() < deadline, "{} did not exit", instance.name);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The instances a balancer sends requests to, taken in turn.
#[derive(Default)]
struct Rotation {
    bases: Mutex<Vec<String>>,
    next: AtomicUsize,
}

impl Rotation {
    fn add(&self, i: &Instance) {
        self.bases.lock().unwrap().push(i.base.clone());
    }
    fn remove(&self, i: &Instance) {
        self.bases.lock().unwrap().retain(|b| *b != i.base);
    }
    fn pick(&self) -> String {
        let bases = self.bases.lock().unwrap();
        bases[self.next.fetch_add(1, Ordering::Relaxed) % bases.len()].clone()
    }
}

/// What the load saw.
#[derive(Default)]
struct Seen {
    logins: AtomicUsize,
    receipts: Mutex<Vec<String>>,
    failures: Mutex<Vec<String>>,
}

/// A person: logs in through one instance, opens their page through the next, then sends an
/// inquiry through another; again and again until told to stop.
async fn person(
    login_id: String,
    n: usize,
    rotation: Arc<Rotation>,
    seen: Arc<Seen>,
    stop: Arc<AtomicBool>,
) {
    let mut round = 0;
    while !stop.load(Ordering::Relaxed) {
        round += 1;
        let b = http_browser();
        let base = rotation.pick();
        let status = log_in_at(&b, &base, AccountKind::Technician, &login_id, PW).await;
        if status != 303 {
            seen.failures
                .lock()
                .unwrap()
                .push(format!("login at {base}: {status}"));
            tokio::time::sleep(Duration::from_millis(100)).await;
            continue;
        }
        seen.logins.fetch_add(1, Ordering::Relaxed);
        let base = rotation.pick();
        match b.get(format!("{base}/ccus_skill/home")).send().await {
            Ok(r) if r.status() == 200 => {}
            Ok(r) => seen
                .failures
                .lock()
                .unwrap()
                .push(format!("home at {base}: {}", r.status())),
            Err(e) => seen
                .failures
                .lock()
                .unwrap()
                .push(format!("home at {base}: {e}")),
        }
        let base = rotation.pick();
        let email = format!("upgrade-{n}-{round}@example.jp");
        match send_inquiry(&b, &base, &email, PNG).await {
            Ok(receipt) => seen.receipts.lock().unwrap().push(receipt),
            Err(e) => seen
                .failures
                .lock()
                .unwrap()
                .push(format!("inquiry at {base}: {e}")),
        }
    }
}

#[ccus_test_macros::postgres_variant(previous_release)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_previous_release_and_this_one_serve_together_through_a_rolling_upgrade() {
    let Some(db) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    let previous = std::env::var(PREVIOUS_ENV).ok().filter(|s| !s.is_empty());
    let Some(previous) = previous else {
        assert!(
            std::env::var_os("CI").is_none(),
            "{PREVIOUS_ENV} is not set, but CI is: build it with tools/upgrade/build-previous.sh"
        );
        eprintln!("skipped: {PREVIOUS_ENV} is not set");
        return;
    };
    assert!(
        Path::new(&previous).is_file(),
        "{PREVIOUS_ENV}: no file {previous}"
    );
    let dir = tempfile::tempdir().unwrap();

    // The previous release's database, and people registered on it.
    succeeded(command(&previous, &db, dir.path()).arg("migrate"));
    let mut people = Vec::new();
    for n in 0..PEOPLE {
        let out = succeeded(
            command(&previous, &db, dir.path())
                .args(["admin", "create-account", "--kind", "technician", "--json"])
                .args(["--name", &format!("更新 {n}")])
                .args(["--email", &format!("p{n}@example.jp")])
                .args(["--password", PW, "--security-code", "1234"]),
        );
        let made: serde_json::Value = serde_json::from_slice(&out).unwrap();
        people.push(made["login_id"].as_str().unwrap().to_owned());
    }

    let old_a = start(&previous, "previous-a", &db, dir.path()).await;
    let old_b = start(&previous, "previous-b", &db, dir.path()).await;
    let rotation = Arc::new(Rotation::default());
    rotation.add(&old_a);
    rotation.add(&old_b);
    let seen = Arc::new(Seen::default());
    let halt = Arc::new(AtomicBool::new(false));
    let load: Vec<_> = people
        .iter()
        .enumerate()
        .map(|(n, id)| {
            tokio::spawn(person(
                id.clone(),
                n,
                rotation.clone(),
                seen.clone(),
                halt.clone(),
            ))
        })
        .collect();
    let phase = |what: &str| {
        eprintln!(
            "{what}: {} logins, {} inquiries so far",
            seen.logins.load(Ordering::Relaxed),
            seen.receipts.lock().unwrap().len()
        );
    };
    tokio::time::sleep(Duration::from_secs(2)).await;
    phase("previous release alone");

    // The first instance of this release: it migrates while the old ones serve.
    let new_a = start(NEW, "new-a", &db, dir.path()).await;
    rotation.add(&new_a);
    tokio::time::sleep(Duration::from_secs(2)).await;
    phase("both releases");

    // Each old instance leaves the rotation, drains and stops; a new one takes its place.
    rotation.remove(&old_a);
    stop(old_a).await;
    let new_b = start(NEW, "new-b", &db, dir.path()).await;
    rotation.add(&new_b);
    tokio::time::sleep(Duration::from_secs(2)).await;
    rotation.remove(&old_b);
    stop(old_b).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    phase("this release alone");
    halt.store(true, Ordering::Relaxed);
    for task in load {
        task.await.unwrap();
    }

    let failures = seen.failures.lock().unwrap().clone();
    assert!(failures.is_empty(), "refused or failed: {failures:#?}");
    let logins = seen.logins.load(Ordering::Relaxed);
    let receipts = seen.receipts.lock().unwrap().clone();
    assert!(
        logins >= PEOPLE * 3,
        "too little load to prove anything: {logins} logins"
    );

    // Every acknowledged write is in the database.
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&db).await.unwrap();
    let stored: HashSet<String> = sqlx::query_scalar::<_, String>("SELECT receipt FROM inquiries")
        .fetch_all(&pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
    let lost: Vec<&String> = receipts.iter().filter(|r| !stored.contains(*r)).collect();
    assert!(lost.is_empty(), "acknowledged inquiries missing: {lost:?}");
    let events: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM access_events WHERE event = 'login_success'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(
        events >= i64::try_from(logins).unwrap(),
        "{logins} logins acknowledged, {events} in the access history"
    );
    pool.close().await;
    drop((new_a, new_b));
}
