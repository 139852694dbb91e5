//! kill -9 while mail is being delivered. The real `ccus serve` drains an outbox of several
//! hundred mails (more are queued meanwhile, so its commits wait for the database's writer
//! like in production) and is killed with SIGKILL at a random moment after it began to send,
//! then restarted, again and again; a last run drains what is left. Every mail is then counted
//! where it arrived — by a counting SMTP server, or among the `.eml` files — by its
//! Message-ID, which names its outbox row.
//!
//! What must hold: no mail is missing unless the outbox shows it as handed over but
//! unconfirmed, and fewer than 0.5 % of the mails arrived twice. The figures are printed;
//! the long runs (`--ignored`) are the ones recorded in `docs/benchmarks.md`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_domain::MailId;
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ccus_storage::{MailStatus, NewMail, Store};
use ccus_testkit::free_port;
use rand::Rng;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const BIN: &str = env!("CARGO_BIN_EXE_ccus");

#[derive(Clone, Copy, Debug)]
enum Via {
    Smtp,
    Files,
}

/// How the delivering process is stopped.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Stop {
    /// SIGKILL: a crash.
    Kill,
    /// SIGTERM: a deploy or a restart by the service manager.
    Term,
}

/// Counts every message an SMTP server accepted (its final dot was received), by outbox id.
/// A connection that ends before the dot delivers nothing, as with any SMTP server.
#[derive(Clone, Default)]
struct CountingSmtp {
    by_mail: Arc<Mutex<HashMap<i64, usize>>>,
    total: Arc<AtomicUsize>,
}

impl CountingSmtp {
    async fn start() -> (CountingSmtp, u16) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = CountingSmtp::default();
        let s = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let s = s.clone();
                tokio::spawn(async move {
                    let (r, mut w) = stream.into_split();
                    let mut r = BufReader::new(r);
                    let _ = w.write_all(b"220 count.test ESMTP\r\n").await;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        let cmd = line.trim_end().to_ascii_uppercase();
                        let reply: &[u8] = if cmd.starts_with("EHLO") {
                            b"250-count.test\r\n250 8BITMIME\r\n"
                        } else if cmd.starts_with("DATA") {
                            let _ = w.write_all(b"354 go ahead\r\n").await;
                            let mut id = None;
                            loop {
                                line.clear();
                                if r.read_line(&mut line).await.unwrap_or(0) == 0 {
                                    return; // cut off before the dot: nothing delivered
                                }
                                if line == ".\r\n" {
                                    break;
                                }
                                if id.is_none() {
                                    id = outbox_id(&line);
                                }
                            }
                            if let Some(id) = id {
                                *s.by_mail.lock().unwrap().entry(id).or_default() += 1;
                            }
                            s.total.fetch_add(1, Ordering::SeqCst);
                            b"250 queued\r\n"
                        } else if cmd.starts_with("QUIT") {
                            let _ = w.write_all(b"221 bye\r\n").await;
                            return;
                        } else {
                            b"250 OK\r\n"
                        };
                        if w.write_all(reply).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        (server, port)
    }
}

/// The outbox id in a `Message-ID: <ccus-outbox-ID-CREATED@domain>` header line.
fn outbox_id(line: &str) -> Option<i64> {
    let (name, value) = line.split_once(':')?;
    if !name.eq_ignore_ascii_case("message-id") {
        return None;
    }
    let rest = value.trim().strip_prefix("<ccus-outbox-")?;
    rest.split('-').next()?.parse().ok()
}

fn eml_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                .collect()
        })
        .unwrap_or_default()
}

fn count_files(dir: &std::path::Path) -> HashMap<i64, usize> {
    let mut by_mail = HashMap::new();
    for p in eml_files(dir) {
        let raw = std::fs::read_to_string(&p).unwrap();
        let id = raw
            .split("\r\n")
            .find_map(outbox_id)
            .unwrap_or_else(|| panic!("no Message-ID in {}", p.display()));
        *by_mail.entry(id).or_default() += 1;
    }
    by_mail
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[derive(Debug)]
struct Figures {
    mails: usize,
    stop: Stop,
    kills: usize,
    duplicated: usize,
    lost: usize,
    unconfirmed: usize,
    seconds: f64,
}

async fn enqueue(store: &Store, n: usize, from: usize) -> Vec<MailId> {
    let mut ids = Vec::with_capacity(n);
    for i in from..from + n {
        let mut tx = store.begin().await.unwrap();
        let id = tx
            .outbox()
            .enqueue_mail(
                &NewMail {
                    to: format!("user{i}@example.jp"),
                    subject: format!("【CCUS】お知らせ {i}"),
                    body: format!("建設 太郎 様\n{i} 通目のお知らせです。\n"),
                },
                ccus_domain::Timestamp(1_700_000_000_000 + i as i64),
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        ids.push(id);
    }
    ids
}

/// Queues `mails` mails (half before the first start, half while it runs), kills the
/// delivering process `kills` times at random moments while it sends, lets a last run drain
/// the outbox, and counts what arrived.
async fn crash_run(via: Via, stop: Stop, db: String, mails: usize, kills: usize) -> Figures {
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let mail_dir = dir.path().join("mail");
    let store = Store::connect(&db).await.unwrap();
    store.migrate().await.unwrap();
    let smtp = match via {
        Via::Smtp => Some(CountingSmtp::start().await),
        Via::Files => None,
    };
    let url = match &smtp {
        Some((_, port)) => format!("smtp://127.0.0.1:{port}?tls=none"),
        None => format!("file://{}", mail_dir.display()),
    };
    let delivered = || match &smtp {
        Some((s, _)) => s.total.load(Ordering::SeqCst),
        None => eml_files(&mail_dir).len(),
    };
    let spawn = || {
        let port = free_port();
        Killed(
            Command::new(BIN)
                .current_dir(dir.path())
                .env_clear()
                .env("PATH", std::env::var("PATH").unwrap_or_default())
                .env("CCUS_DATABASE_URL", &db)
                .env(
                    "CCUS_LOG",
                    std::env::var("CRASH_LOG").unwrap_or("error".into()),
                )
                .env("CCUS_LISTEN", format!("127.0.0.1:{port}"))
                .env("CCUS_PUBLIC_URL", "http://127.0.0.1")
                .env("CCUS_MAIL__URL", &url)
                .env("CCUS_MAIL__INSTANCE_ID", "crash-test")
                // Stops at once on SIGTERM: the test measures the mail, not the balancer's delay.
                .env("CCUS_SERVER__DRAIN_DELAY", "0s")
                .env("CCUS_MAIL__POLL_INTERVAL", "50ms")
                .env("CCUS_MAIL__LEASE", "5s")
                .arg("serve")
                .stdout(Stdio::null())
                .stderr(
                    std::fs::OpenOptions::new()
                        .create(true)
                        .append(true)
                        .open(dir.path().join("child.log"))
                        .map(Stdio::from)
                        .unwrap_or(Stdio::null()),
                )
                .spawn()
                .unwrap(),
        )
    };

    let first = mails / 2;
    let mut ids = enqueue(&store, first, 0).await;
    let mut queued = first;
    // Aim to spread the kills over the drain: the pause before each kill is drawn so that
    // about the same number of mails goes out between kills, from the rate seen so far.
    let mut rate_per_ms = 0.2f64;
    let mut done = 0;
    for k in 0..kills {
        // The other half is queued in bursts while the process delivers: its commits then
        // wait for the writer like they do under load.
        let burst = ((mails - first) / kills).min(mails - queued);
        let writer = {
            let store = store.clone();
            let from = queued;
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for i in 0..burst {
                    ids.extend(enqueue(&store, 1, from + i).await);
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
                ids
            })
        };
        queued += burst;
        let before = delivered();
        let pending = store
            .outbox()
            .list_mail(Some(MailStatus::Pending), 100_000)
            .await
            .unwrap()
            .len()
            + burst;
        let child = spawn();
        let deadline = Instant::now() + Duration::from_secs(20);
        while delivered() == before {
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(dir.path().join("child.log")).unwrap_or_default();
                let tail: String = log.lines().rev().take(30).collect::<Vec<_>>().join("\n");
                panic!("no delivery after a restart; the last lines the process wrote:\n{tail}");
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let began = Instant::now();
        let per_kill = pending as f64 / (kills - k) as f64;
        let span_ms = (2.0 * per_kill / rate_per_ms).clamp(2.0, 400.0);
        let pause = rand::thread_rng().gen_range(0.0..span_ms);
        tokio::time::sleep(Duration::from_micros((pause * 1000.0) as u64)).await;
        if stop == Stop::Term {
            let pid = child.0.id().to_string();
            Command::new("kill").args(["-TERM", &pid]).status().unwrap();
            let deadline = Instant::now() + Duration::from_secs(30);
            let mut child = child;
            while child.0.try_wait().unwrap().is_none() {
                assert!(Instant::now() < deadline, "no exit after SIGTERM");
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        } else {
            drop(child); // SIGKILL
        }
        let ms = began.elapsed().as_secs_f64() * 1000.0;
        let got = delivered().saturating_sub(before) as f64;
        if ms > 1.0 && got > 0.0 {
            rate_per_ms = 0.5 * rate_per_ms + 0.5 * (got / ms);
        }
        ids.extend(writer.await.unwrap());
        done = k + 1;
    }
    ids.extend(enqueue(&store, mails - queued, queued).await);

    // A last run drains the outbox.
    let _last = spawn();
    let deadline =
        Instant::now() + Duration::from_secs(60) + Duration::from_millis(20) * mails as u32;
    loop {
        let rows = store.outbox().list_mail(None, 100_000).await.unwrap();
        let open = rows
            .iter()
            .filter(|r| r.status.as_str() == "pending")
            .count();
        if rows.len() == mails && open == 0 {
            break;
        }
        assert!(Instant::now() < deadline, "{open} mails still pending");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Let a mail sent just now be counted by the server.
    tokio::time::sleep(Duration::from_millis(200)).await;

    let by_mail = match &smtp {
        Some((s, _)) => s.by_mail.lock().unwrap().clone(),
        None => count_files(&mail_dir),
    };
    let rows = store.outbox().list_mail(None, 100_000).await.unwrap();
    let status: HashMap<MailId, &str> = rows.iter().map(|r| (r.id, r.status.as_str())).collect();
    let mut figures = Figures {
        mails,
        stop,
        kills: done,
        duplicated: 0,
        lost: 0,
        unconfirmed: rows
            .iter()
            .filter(|r| r.status.as_str() == "handed_over")
            .count(),
        seconds: 0.0,
    };
    assert_eq!(ids.len(), mails);
    for id in &ids {
        match by_mail.get(&id.get()).copied().unwrap_or(0) {
            0 => {
                figures.lost += 1;
                assert_eq!(
                    status.get(id).copied(),
                    Some("handed_over"),
                    "mail {id} never arrived and the outbox does not say it may be lost"
                );
            }
            1 => {}
            _ => figures.duplicated += 1,
        }
    }
    assert!(
        by_mail
            .keys()
            .all(|id| status.contains_key(&MailId::new(*id))),
        "a mail that is not in the outbox arrived"
    );
    // An operator sees the unconfirmed ones.
    let out = Command::new(BIN)
        .current_dir(dir.path())
        .env_clear()
        .env("CCUS_DATABASE_URL", &db)
        .args([
            "admin",
            "mail",
            "list",
            "--status",
            "handed-over",
            "--limit",
            "10000",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.contains("handed_over") && l.contains("unconfirmed"))
        .count();
    assert_eq!(listed, figures.unconfirmed);
    store.close().await;
    figures.seconds = started.elapsed().as_secs_f64();
    figures
}

fn report(name: &str, f: &Figures) {
    let pct = |n: usize| 100.0 * n as f64 / f.mails as f64;
    eprintln!(
        "{name}: {} mails, {} {}, {} duplicated ({:.2} %), {} lost ({:.2} %), \
         {} handed over but unconfirmed, {:.1} s",
        f.mails,
        f.kills,
        match f.stop {
            Stop::Kill => "kills -9",
            Stop::Term => "SIGTERMs",
        },
        f.duplicated,
        pct(f.duplicated),
        f.lost,
        pct(f.lost),
        f.unconfirmed,
        f.seconds
    );
}

fn check(name: &str, f: &Figures) {
    report(name, f);
    assert!(
        (f.duplicated as f64) < 0.005 * f.mails as f64,
        "{} of {} mails arrived twice",
        f.duplicated,
        f.mails
    );
}

fn sqlite_in_tmp() -> String {
    ccus_storage::testdb::sqlite_url()
}

const MAILS: usize = 300;
const KILLS: usize = 15;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_sending_over_smtp_sqlite() {
    let f = crash_run(Via::Smtp, Stop::Kill, sqlite_in_tmp(), MAILS, KILLS).await;
    check("smtp, sqlite", &f);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_writing_files_sqlite() {
    let f = crash_run(Via::Files, Stop::Kill, sqlite_in_tmp(), MAILS, KILLS).await;
    check("files, sqlite", &f);
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_sending_over_smtp_postgres() {
    let Some(db) = ccus_storage::testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV);
        return;
    };
    let f = crash_run(Via::Smtp, Stop::Kill, db, MAILS, KILLS).await;
    check("smtp, postgres", &f);
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_while_writing_files_postgres() {
    let Some(db) = ccus_storage::testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV);
        return;
    };
    let f = crash_run(Via::Files, Stop::Kill, db, MAILS, KILLS).await;
    check("files, postgres", &f);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stopped_with_sigterm_while_sending_nothing_is_lost_doubled_or_unconfirmed() {
    let f = crash_run(Via::Smtp, Stop::Term, sqlite_in_tmp(), 200, 10).await;
    check("smtp, sqlite, SIGTERM", &f);
    assert_eq!((f.duplicated, f.lost, f.unconfirmed), (0, 0, 0));
}

const LONG_MAILS: usize = 1500;
const LONG_KILLS: usize = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long run (about a minute per database and transport), recorded in docs/benchmarks.md"]
async fn long_run_forty_kills_on_each_database_and_transport() {
    let mut dbs = vec![("sqlite", sqlite_in_tmp(), sqlite_in_tmp())];
    if let (Some(a), Some(b)) = (
        ccus_storage::testdb::postgres_url().await,
        ccus_storage::testdb::postgres_url().await,
    ) {
        dbs.push(("postgres", a, b));
    }
    for (name, a, b) in dbs {
        let f = crash_run(Via::Smtp, Stop::Kill, a, LONG_MAILS, LONG_KILLS).await;
        check(&format!("smtp, {name}"), &f);
        let f = crash_run(Via::Files, Stop::Kill, b, LONG_MAILS, LONG_KILLS).await;
        check(&format!("files, {name}"), &f);
    }
}
