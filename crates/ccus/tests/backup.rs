//! The backup drill: a portal under write load — accounts (each with its 登録完了 mail in the
//! outbox), inquiries with attachments through the form (each with its receipt mail), and
//! touches from a site's reader (each folded into a work record) — is backed up by
//! `ccus admin backup` while the writes go on; the backup is restored by `ccus admin restore`
//! into a fresh database and folder, and a portal opened on it. Every write acknowledged before
//! the backup started is there; nothing is half-written (no account without its mail, no
//! inquiry without its files and mail, row counts as the manifest says); the restored portal
//! serves a login and an attachment download. Writes acknowledged while the backup ran may or
//! may not be in it; the drill counts them. On SQLite and, when configured, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ccus_app::account::provisioning::{create_account, AccountRequest, ProfileRequest};
use ccus_app::records::ingest::{self, IngestOutcome, TouchAnswer, TouchIn};
use ccus_app::records::readers::{self, IssueOutcome};
use ccus_app::sites::roster::{self, RosterOutcome, WorkerForm};
use ccus_domain::{AccountKind, LoginId};
use ccus_storage::{testdb, StaffRole};
use ccus_testkit::sites::{card_of, ctx, evening, jst_at, person, root, site_from, PW};
use ccus_testkit::{location, send_inquiry, TestApp};

const BIN: &str = env!("CARGO_BIN_EXE_ccus");
/// base64 of 32 bytes: the helpdesk console is open (an attachment is downloaded there).
const TOTP_KEY: &str = "CQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQk=";
const PNG_HEAD: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR";

/// A write the portal acknowledged, and when.
#[derive(Debug, Clone)]
enum Write {
    Account {
        login_id: LoginId,
        email: String,
    },
    Inquiry {
        receipt: String,
        email: String,
        bytes: Vec<u8>,
    },
    Touch {
        touch: TouchIn,
    },
}

#[derive(Default)]
struct Log {
    acked: Mutex<Vec<(Instant, Write)>>,
}

impl Log {
    fn add(&self, w: Write) {
        self.acked.lock().unwrap().push((Instant::now(), w));
    }
    fn count(&self, kind: fn(&Write) -> bool) -> usize {
        self.acked
            .lock()
            .unwrap()
            .iter()
            .filter(|(_, w)| kind(w))
            .count()
    }
}

fn ccus(args: &[&str], db: &str, attachments: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("CCUS_DATABASE_URL", db)
        .env("CCUS_INQUIRY__ATTACHMENTS_DIR", attachments)
        .env("CCUS_LOG", "warn")
        .output()
        .unwrap()
}

fn config(c: &mut ccus_app::Config) {
    c.staff.totp_key = TOTP_KEY.into();
    c.inquiry.per_address_limit = 1_000_000;
    // Five writers beside a backup on two cores: a call may wait for the CPU.
    c.database.acquire_timeout = Duration::from_secs(10);
    c.database.query_timeout = Duration::from_secs(15);
}

async fn accounts(app: Arc<TestApp>, log: Arc<Log>, stop: Arc<AtomicBool>, worker: usize) {
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let email = format!("load-{worker}-{n}@example.jp");
        let made = create_account(
            &app.state,
            AccountRequest {
                kind: AccountKind::Technician,
                name: format!("負荷 {worker}-{n}"),
                email: email.clone(),
                password: Some(PW.into()),
                security_code: Some("1234".into()),
                must_change_password: false,
                profile: ProfileRequest::default(),
            },
        )
        .await;
        if let Ok(c) = made {
            log.add(Write::Account {
                login_id: c.account.login_id,
                email,
            });
        }
    }
}

async fn inquiries(app: Arc<TestApp>, log: Arc<Log>, stop: Arc<AtomicBool>, worker: usize) {
    let b = app.browser();
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let email = format!("inq-{worker}-{n}@example.jp");
        let mut bytes = PNG_HEAD.to_vec();
        bytes.extend_from_slice(format!("attachment of {email} ").repeat(40).as_bytes());
        let Ok(receipt) = send_inquiry(&b, &app.base, &email, &bytes).await else {
            continue;
        };
        log.add(Write::Inquiry {
            receipt,
            email,
            bytes,
        });
    }
}

/// One touch a batch, numbered by the reader, over the day's working hours.
async fn touches(
    app: Arc<TestApp>,
    log: Arc<Log>,
    stop: Arc<AtomicBool>,
    key: String,
    cards: Vec<String>,
    day: ccus_domain::Date,
) {
    let mut seq = 0i64;
    while !stop.load(Ordering::Relaxed) {
        seq += 1;
        let minute = seq.rem_euclid(600);
        let (_, at) = jst_at(day, 7 + (minute / 60) as u8, (minute % 60) as u8);
        let touch = TouchIn {
            seq,
            card: cards[seq as usize % cards.len()].clone(),
            direction: if seq % 2 == 0 { "out" } else { "in" }.into(),
            at,
        };
        let Ok(IngestOutcome::Answered(answers)) =
            ingest::ingest(&app.state, &key, std::slice::from_ref(&touch)).await
        else {
            continue;
        };
        match answers.first() {
            Some((_, TouchAnswer::Accepted { .. })) => log.add(Write::Touch { touch }),
            other => panic!("touch {seq} answered {other:?}"),
        }
    }
}

/// Waits until every kind of write has been acknowledged at least `n` times.
async fn warm_up(log: &Log, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let a = log.count(|w| matches!(w, Write::Account { .. }));
        let i = log.count(|w| matches!(w, Write::Inquiry { .. }));
        let t = log.count(|w| matches!(w, Write::Touch { .. }));
        if a >= n && i >= n && t >= n {
            return;
        }
        assert!(Instant::now() < deadline, "load too slow: {a} {i} {t}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn drill(source_url: String, restore_url: String) {
    let app = TestApp::builder()
        .database(source_url.clone())
        .config(config)
        .start()
        .await;

    // A site with a reader and five workers of its 元請 on the 名簿.
    let prime_id = person(
        &app,
        AccountKind::Business,
        "訓練建設",
        "prime@example.jp",
        None,
    )
    .await;
    let prime = ctx(&app, &prime_id).await;
    let day = evening(&app);
    let site = site_from(&app, &prime, "訓練現場", day).await;
    let top = root(&app, &site, &prime).await;
    let mut cards = Vec::new();
    for i in 0..5 {
        let email = format!("worker{i}@example.jp");
        let w = person(
            &app,
            AccountKind::Technician,
            "作業 員",
            &email,
            Some(&prime_id),
        )
        .await;
        let form = WorkerForm {
            login_id: w.as_str().into(),
            trade: "carpenter".into(),
            position: "worker".into(),
            ..WorkerForm::default()
        };
        let listed = roster::add_worker(&app.state, &prime, &site, top, &form).await;
        assert_eq!(listed.unwrap(), RosterOutcome::Listed);
        cards.push(card_of(&app, &w).await);
    }
    let IssueOutcome::Issued { key, .. } = readers::issue(&app.state, &prime, &site, "正門")
        .await
        .unwrap()
    else {
        panic!("no reader key");
    };

    // The load: two writers of accounts, two of inquiries, one reader.
    let app = Arc::new(app);
    let log = Arc::new(Log::default());
    let stop = Arc::new(AtomicBool::new(false));
    let mut load = Vec::new();
    for w in 0..2 {
        load.push(tokio::spawn(accounts(
            app.clone(),
            log.clone(),
            stop.clone(),
            w,
        )));
        load.push(tokio::spawn(inquiries(
            app.clone(),
            log.clone(),
            stop.clone(),
            w,
        )));
    }
    load.push(tokio::spawn(touches(
        app.clone(),
        log.clone(),
        stop.clone(),
        key.clone(),
        cards,
        day,
    )));
    warm_up(&log, 10).await;

    // The backup, as a timer runs it, while the writes go on.
    let backups = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let out = {
        let (db, att, dest) = (
            source_url.clone(),
            app.attachments_dir.clone(),
            backups.path().display().to_string(),
        );
        tokio::task::spawn_blocking(move || {
            ccus(&["admin", "backup", &dest, "--keep", "3"], &db, &att)
        })
        .await
        .unwrap()
    };
    let finished = Instant::now();
    assert!(
        out.status.success(),
        "backup: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for task in load {
        task.await.unwrap();
    }
    let folders: Vec<PathBuf> = std::fs::read_dir(backups.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let folder = &folders[0];
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap();

    // Restore into a fresh place.
    let restored_files = tempfile::tempdir().unwrap();
    let restore = |extra: &[&str]| {
        let mut args = vec![
            "admin",
            "restore",
            folder.to_str().unwrap(),
            "--into",
            &restore_url,
            "--attachments-dir",
            restored_files.path().to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        ccus(&args, &restore_url, restored_files.path())
    };
    let out = restore(&[]);
    assert!(
        out.status.success(),
        "restore: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Not twice over data.
    let again = restore(&[]);
    assert!(!again.status.success());
    let why = String::from_utf8_lossy(&again.stderr);
    assert!(why.contains("--force"), "{why}");

    let restored = TestApp::builder()
        .database(restore_url.clone())
        .manual_clock(app.clock.clone())
        .config(|c| {
            config(c);
            c.inquiry.attachments_dir = restored_files.path().display().to_string();
        })
        .start()
        .await;
    let store = restored.state.store_for_tools().clone();
    let contents = store.contents().await.unwrap();
    for (table, n) in manifest["row_counts"].as_object().unwrap() {
        assert_eq!(
            contents.row_counts.get(table).copied(),
            n.as_i64(),
            "{table} as the manifest says"
        );
    }

    let mails: Vec<(String, String)> = store
        .outbox()
        .list_mail(None, 1_000_000)
        .await
        .unwrap()
        .into_iter()
        .map(|m| (m.to, m.subject))
        .collect();
    let mail_to = |to: &str| mails.iter().filter(|m| m.0 == to).count();
    let open = store.inquiries().list(None, 1_000_000).await.unwrap();
    let by_receipt: HashMap<&str, &ccus_storage::Inquiry> =
        open.iter().map(|q| (q.receipt.as_str(), q)).collect();

    // Each acknowledged write: is it there, and whole?
    let acked = log.acked.lock().unwrap().clone();
    let mut before = [0usize; 3];
    let mut during = [0usize; 3];
    let mut during_in = [0usize; 3];
    let mut some_account = None;
    let mut some_file = None;
    for (at, w) in &acked {
        let (kind, present) = match w {
            Write::Account { login_id, email } => {
                let found = store
                    .accounts()
                    .account_by_login_id(login_id)
                    .await
                    .unwrap()
                    .is_some();
                // The account and its 登録完了 mail were one transaction.
                assert_eq!(
                    mail_to(email),
                    usize::from(found),
                    "{email}: account and mail"
                );
                if found && *at < started {
                    some_account = Some(login_id.clone());
                }
                (0, found)
            }
            Write::Inquiry {
                receipt,
                email,
                bytes,
            } => {
                let found = by_receipt.get(receipt.as_str());
                assert_eq!(
                    mail_to(email),
                    usize::from(found.is_some()),
                    "{receipt}: inquiry and receipt mail"
                );
                if let Some(q) = found {
                    let files = store.inquiries().inquiry_files(q.id).await.unwrap();
                    assert_eq!(files.len(), 1, "{receipt}: its file row");
                    let on_disk = std::fs::read(restored_files.path().join(&files[0].stored_name));
                    assert_eq!(&on_disk.unwrap(), bytes, "{receipt}: its file, whole");
                    some_file = Some((files[0].id, bytes.clone()));
                }
                (1, found.is_some())
            }
            Write::Touch { touch } => {
                // Sent again to the restored portal: a touch it holds answers as a duplicate.
                let again = ingest::ingest(&restored.state, &key, std::slice::from_ref(touch))
                    .await
                    .unwrap();
                let IngestOutcome::Answered(a) = again else {
                    panic!("{again:?}");
                };
                (2, a[0].1 == TouchAnswer::Duplicate)
            }
        };
        if *at < started {
            before[kind] += 1;
            assert!(
                present,
                "acknowledged before the backup started, missing: {w:?}"
            );
        } else if *at <= finished {
            during[kind] += 1;
            during_in[kind] += usize::from(present);
        }
    }
    // Every inquiry in the copy has its files (not only those the drill sent).
    for q in &open {
        for f in store.inquiries().inquiry_files(q.id).await.unwrap() {
            let path = restored_files.path().join(&f.stored_name);
            assert_eq!(
                std::fs::metadata(&path).map(|m| m.len()).ok(),
                Some(f.size),
                "{}: a row's file is there",
                q.receipt
            );
        }
    }
    let names: HashSet<String> = std::fs::read_dir(restored_files.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with('.')),
        "no temporary file restored: {names:?}"
    );

    // The restored portal serves: a login, and an attachment download at the helpdesk.
    let id = some_account.expect("an account acknowledged before the backup");
    let b = restored.browser();
    let r = restored
        .login(&b, AccountKind::Technician, id.as_str(), PW)
        .await;
    assert!(location(&r).ends_with("/home"), "{id:?} logs in");
    let (file_id, bytes) = some_file.expect("an inquiry in the backup");
    let (staff, _) = restored.staff_browser(StaffRole::Supervisor).await;
    let dl = restored
        .get(&staff, &format!("/helpdesk/files/{file_id}"))
        .await;
    assert_eq!(dl.status(), 200);
    assert_eq!(dl.bytes().await.unwrap().as_ref(), bytes.as_slice());

    let total = acked.len();
    println!(
        "backup drill ({}): {total} writes acknowledged; before the backup (all present): \
         {} accounts, {} inquiries, {} touches; during it ({:.0} ms): {}/{} accounts, {}/{} \
         inquiries, {}/{} touches in the backup; {} attachments in it",
        manifest["backend"],
        before[0],
        before[1],
        before[2],
        (finished - started).as_secs_f64() * 1000.0,
        during_in[0],
        during[0],
        during_in[1],
        during[1],
        during_in[2],
        during[2],
        manifest["attachments"]
    );
    assert!(before.iter().all(|n| *n >= 10));
    drop(restored);
    drop(Arc::try_unwrap(app).ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_every_acknowledged_write_sqlite() {
    drill(testdb::sqlite_url(), testdb::sqlite_url()).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_every_acknowledged_write_postgres() {
    let Some(source) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    let target = testdb::postgres_url().await.unwrap();
    drill(source, target).await;
}

/// A backup whose files changed since it was made is refused before anything is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_backup_is_refused_and_nothing_is_restored() {
    let app = TestApp::builder().config(config).start().await;
    person(
        &app,
        AccountKind::Technician,
        "建設 太郎",
        "t@example.jp",
        None,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("copy");
    let out = ccus(
        &["admin", "backup", dest.to_str().unwrap()],
        &app.database_url,
        &app.attachments_dir,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let db = dest.join("database.sqlite");
    let mut bytes = std::fs::read(&db).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&db, bytes).unwrap();
    let target = dir.path().join("restored/ccus.db");
    let files = dir.path().join("restored/files");
    let out = ccus(
        &[
            "admin",
            "restore",
            dest.to_str().unwrap(),
            "--into",
            target.to_str().unwrap(),
            "--attachments-dir",
            files.to_str().unwrap(),
        ],
        "sqlite://unused.db",
        &files,
    );
    assert!(!out.status.success());
    let why = String::from_utf8_lossy(&out.stderr);
    assert!(
        why.contains("damaged") && why.contains("database.sqlite"),
        "{why}"
    );
    assert!(!target.exists() && !files.exists(), "nothing written");
    // Made again, the folder is refused as a destination: it holds a backup.
    let out = ccus(
        &["admin", "backup", dest.to_str().unwrap()],
        &app.database_url,
        &app.attachments_dir,
    );
    assert!(!out.status.success());
}
