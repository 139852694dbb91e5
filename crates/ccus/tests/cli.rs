//! The `ccus` binary as an operator uses it: configuration errors, admin commands, demo,
//! and two `ccus serve` processes on one PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ccus_testkit::{csrf_in, free_port, http_browser};

const BIN: &str = env!("CARGO_BIN_EXE_ccus");

fn ccus(dir: &std::path::Path, db: &str) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("CCUS_DATABASE_URL", db)
        .env("CCUS_LOG", "warn");
    c
}

fn sqlite_in(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}/ccus.db", dir.path().display())
}

#[test]
fn create_account_prints_json_with_generated_secrets_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .args([
            "admin",
            "create-account",
            "--kind",
            "technician",
            "--name",
            "建設 太郎",
            "--email",
            "taro@example.jp",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = v["login_id"].as_str().unwrap();
    assert_eq!(id.len(), 14);
    assert!(id.starts_with('1'));
    assert_eq!(v["kind"], "technician");
    assert_eq!(v["initial_password"].as_str().unwrap().len(), 16);
    assert_eq!(v["security_code"].as_str().unwrap().len(), 4);

    // Given secrets are not echoed.
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .args([
            "admin",
            "create-account",
            "--kind",
            "business",
            "--name",
            "見本建設",
            "--email",
            "b@example.jp",
            "--password",
            "a long enough password",
            "--security-code",
            "０１２３",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["kind"], "business");
    assert!(v["login_id"].as_str().unwrap().starts_with('2'));
    assert!(v.get("initial_password").is_none() && v.get("security_code").is_none());

    // Look-up data: a technician linked to the business just created.
    let biz_id = v["login_id"].as_str().unwrap().to_owned();
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .args([
            "admin",
            "create-account",
            "--kind",
            "technician",
            "--name",
            "建設 次郎",
            "--email",
            "jiro@example.jp",
            "--furigana",
            "ケンセツ ジロウ",
            "--birth-date",
            "1990/4/1",
            "--employer",
            &biz_id,
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for bad in [
        ["--furigana", "建設"],
        ["--birth-date", "1990-02-30"],
        ["--employer", "12345"],
    ] {
        let out = ccus(dir.path(), &sqlite_in(&dir))
            .args([
                "admin",
                "create-account",
                "--kind",
                "technician",
                "--name",
                "x",
                "--email",
                "x@example.jp",
                bad[0],
                bad[1],
            ])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{bad:?}");
    }

    // Bad input is refused with a message.
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .args([
            "admin",
            "create-account",
            "--kind",
            "business",
            "--name",
            "x",
            "--email",
            "not-an-email",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a valid email"));

    // The 登録完了 mails wait in the outbox for a running server; operators can see them.
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .args(["admin", "mail", "list"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(
        list.lines().filter(|l| l.contains("pending")).count(),
        3,
        "{list}"
    );
    assert!(list.contains("taro@example.jp") && list.contains("登録完了"));
    let first_id = list.split_whitespace().next().unwrap().to_owned();
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .args(["admin", "mail", "resend", &first_id])
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .args(["admin", "mail", "resend", "99999"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .args(["admin", "mail", "list", "--status", "failed"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("the outbox is empty"));

    // Unlock takes the ID however it is typed.
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .args(["admin", "unlock", &format!("{} {}", &id[..7], &id[7..])])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .args(["admin", "unlock", "123"])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn bad_configuration_stops_startup_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .env("CCUS_LOCKOUT__THRESHOLD", "many")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("lockout.threshold"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Every section can be set from the environment (a section missing from the loader's list
    // would be ignored silently).
    for (var, key) in [
        ("CCUS_SESSION__IDLE_TIMEOUT", "session.idle_timeout"),
        ("CCUS_HASHING__WORKERS", "hashing.workers"),
        ("CCUS_MAIL__MAX_ATTEMPTS", "mail.max_attempts"),
        ("CCUS_RECOVERY__TOKEN_TTL", "recovery.token_ttl"),
        (
            "CCUS_MAINTENANCE__ANNOUNCE_BEFORE",
            "maintenance.announce_before",
        ),
        ("CCUS_STAFF__IDLE_TIMEOUT", "staff.idle_timeout"),
        ("CCUS_INQUIRY__MAX_FILES", "inquiry.max_files"),
        ("CCUS_SERVER__MAX_CONNECTIONS", "server.max_connections"),
        ("CCUS_HISTORY__RETENTION", "history.retention"),
        ("CCUS_DATABASE__QUERY_TIMEOUT", "database.query_timeout"),
    ] {
        let out = ccus(dir.path(), &sqlite_in(&dir))
            .env(var, "not a value")
            .arg("migrate")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains(key), "{var}: {err}");
    }

    let toml = dir.path().join("ccus.toml");
    std::fs::write(&toml, "[session]\nidle_timeout = \"half an hour\"\n").unwrap();
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .arg("--config")
        .arg(&toml)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("session.idle_timeout"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    std::fs::write(
        &toml,
        "[session]\nidle_timeout = \"4s\"\nabsolute_timeout = \"12h\"\n",
    )
    .unwrap();
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .arg("--config")
        .arg(&toml)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = ccus(dir.path(), "mysql://nope")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("database_url"));
}

#[test]
fn migrate_creates_the_database_and_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = ccus(dir.path(), "sqlite://./data/nested/ccus.db")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("data/nested/ccus.db").exists());
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_ready(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("server on {port} did not start");
}

async fn login(b: &reqwest::Client, base: &str, path: &str, id: &str, pw: &str) -> u16 {
    // A server that has just started may answer 503 with Retry-After for a moment (its
    // database breaker after a slow first write on a loaded machine); a person tries again.
    let mut tries = 0;
    let html = loop {
        let r = b.get(format!("{base}{path}")).send().await.unwrap();
        if r.status() == reqwest::StatusCode::SERVICE_UNAVAILABLE && tries < 20 {
            tries += 1;
            tokio::time::sleep(Duration::from_millis(500)).await;
            continue;
        }
        break r.text().await.unwrap();
    };
    let token = csrf_in(&html);
    b.post(format!("{base}{path}"))
        .form(&[("login_id", id), ("password", pw), ("csrf_token", &token)])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_prints_accounts_that_can_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut child = ccus(dir.path(), "sqlite://unused.db")
        .env("CCUS_LISTEN", format!("127.0.0.1:{port}"))
        .env("CCUS_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .args(["demo", "--data-dir", "demo"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _server = Server(child);
    let mut ids = Vec::new();
    let mut passwords = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        let t = line.trim();
        if let Some(v) = t.strip_prefix("ID") {
            ids.push(v.trim().to_owned());
        }
        if let Some(v) = t.strip_prefix("パスワード") {
            passwords.push(v.trim().to_owned());
        }
        if t.starts_with("Open ") {
            break;
        }
    }
    assert_eq!(ids.len(), 2);
    wait_ready(port);
    let base = format!("http://127.0.0.1:{port}");
    assert_eq!(
        login(
            &http_browser(),
            &base,
            "/ccus_skill/login",
            &ids[0],
            &passwords[0]
        )
        .await,
        303
    );
    assert_eq!(
        login(
            &http_browser(),
            &base,
            "/ccus_owner/login",
            &ids[1],
            &passwords[1]
        )
        .await,
        303
    );
    assert!(dir.path().join("demo/ccus.db").exists());

    // A second demo on the same folder — on another port, or on the same one — refuses before
    // touching anything, and the running demo keeps its accounts.
    for second_port in [free_port(), port] {
        let out = ccus(dir.path(), "sqlite://unused.db")
            .env("CCUS_LISTEN", format!("127.0.0.1:{second_port}"))
            .args(["demo", "--data-dir", "demo"])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stdout.contains("パスワード"),
            "no new credentials: {stdout}"
        );
        assert!(stderr.contains("another demo is running"), "{stderr}");
    }
    // A second demo in its own folder on the busy port says the port is taken.
    let out = ccus(dir.path(), "sqlite://unused.db")
        .env("CCUS_LISTEN", format!("127.0.0.1:{port}"))
        .args(["demo", "--data-dir", "demo2"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen on"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("パスワード"));
    assert_eq!(
        login(
            &http_browser(),
            &base,
            "/ccus_skill/login",
            &ids[0],
            &passwords[0]
        )
        .await,
        303,
        "the running demo still has its database"
    );
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_serve_processes_on_one_postgres_share_locks_and_sessions() {
    let Some(db) = ccus_storage::testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV);
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = ccus(dir.path(), &db)
        .args([
            "admin",
            "create-account",
            "--kind",
            "business",
            "--name",
            "見本建設",
            "--email",
            "b@example.jp",
            "--password",
            "office password for bench",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = v["login_id"].as_str().unwrap().to_owned();
    let pw = "office password for bench".to_owned();

    let (p1, p2) = (free_port(), free_port());
    let start = |port: u16| {
        Server(
            ccus(dir.path(), &db)
                .env("CCUS_LISTEN", format!("127.0.0.1:{port}"))
                .env("CCUS_PUBLIC_URL", "http://127.0.0.1")
                .arg("serve")
                .stdout(Stdio::null())
                .spawn()
                .unwrap(),
        )
    };
    let (_s1, _s2) = (start(p1), start(p2));
    wait_ready(p1);
    wait_ready(p2);
    let (u1, u2) = (
        format!("http://127.0.0.1:{p1}"),
        format!("http://127.0.0.1:{p2}"),
    );
    let b = http_browser();
    for i in 0..4 {
        let base = if i % 2 == 0 { &u1 } else { &u2 };
        assert_eq!(
            login(&b, base, "/ccus_owner/login", &id, "wrong").await,
            401
        );
    }
    assert_eq!(login(&b, &u2, "/ccus_owner/login", &id, "wrong").await, 423);
    assert_eq!(
        login(&b, &u1, "/ccus_owner/login", &id, &pw).await,
        423,
        "locked on the other process too"
    );
    let out = ccus(dir.path(), &db)
        .args(["admin", "unlock", &id])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("ロックを解除しました"));
    assert_eq!(login(&b, &u2, "/ccus_owner/login", &id, &pw).await, 303);
    // The session made by process 2 opens pages on process 1 (cookies ignore the port).
    let r = b.get(format!("{u1}/ccus_owner/home")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("見本建設"));
    let history = b
        .get(format!("{u1}/ccus_owner/history"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(history.contains("ロック解除"));
}

#[test]
fn operators_schedule_maintenance_and_write_notices_and_faq() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_in(&dir);
    let run = |args: &[&str]| ccus(dir.path(), &db).args(args).output().unwrap();
    let out = run(&[
        "admin",
        "maintenance",
        "schedule",
        "--from",
        "2099-12-01 22:00",
        "--to",
        "2099-12-02 06:00",
        "--message",
        "サーバー更新",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["admin", "maintenance", "list"]);
    let list = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        list.contains("2099年12月1日 22:00") && list.contains("サーバー更新"),
        "{list}"
    );
    let id = list.split_whitespace().next().unwrap().to_owned();
    let bad = run(&[
        "admin",
        "maintenance",
        "schedule",
        "--from",
        "2099-12-02 06:00",
        "--to",
        "2099-12-01 22:00",
    ]);
    assert!(!bad.status.success());
    let bad = run(&[
        "admin",
        "maintenance",
        "schedule",
        "--from",
        "soon",
        "--to",
        "later",
    ]);
    assert!(String::from_utf8_lossy(&bad.stderr).contains("JST"));
    assert!(run(&["admin", "maintenance", "cancel", &id])
        .status
        .success());
    assert!(
        String::from_utf8_lossy(&run(&["admin", "maintenance", "list"]).stdout)
            .contains("no maintenance")
    );
    assert!(run(&[
        "admin",
        "notice",
        "publish",
        "--title",
        "新機能",
        "--body",
        "**お知らせ**"
    ])
    .status
    .success());
    assert!(run(&[
        "admin",
        "faq",
        "add",
        "--category",
        "その他",
        "--question",
        "質問",
        "--answer",
        "答え"
    ])
    .status
    .success());
    let translated = run(&[
        "admin",
        "faq",
        "add",
        "--category",
        "Other",
        "--question",
        "A question",
        "--answer",
        "An answer",
        "--lang",
        "en",
    ]);
    assert!(
        !translated.status.success(),
        "a translation needs its original"
    );
    assert!(String::from_utf8_lossy(&translated.stderr).contains("with its number"));
    // Every operation from the command line is in the audit log, like the console's.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let entries = rt.block_on(async {
        let store = ccus_storage::Store::connect(&db).await.unwrap();
        store
            .audit()
            .audit_entries(ccus_storage::AuditScope::Helpdesk, 50)
            .await
            .unwrap()
    });
    let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
    for a in [
        "operations-maintenance",
        "operations-cancel",
        "operations-notice",
        "operations-faq",
    ] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    assert!(entries
        .iter()
        .all(|e| e.actor_kind == "operator" && e.staff_id.is_none() && e.data.is_some()));
    // A refused operation leaves no entry.
    assert_eq!(entries.len(), 4);
}

#[test]
fn create_staff_prints_the_staff_id_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .args([
            "admin",
            "create-staff",
            "--name",
            "窓口 一郎",
            "--email",
            "desk@example.jp",
            "--role",
            "supervisor",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains("職員ID: S") && text.contains("初期パスワード"),
        "{text}"
    );
    assert!(
        text.contains("staff.totp_key"),
        "reminds that the key is needed"
    );
    let bad = ccus(dir.path(), &sqlite_in(&dir))
        .args([
            "admin",
            "create-staff",
            "--name",
            "x",
            "--email",
            "nope",
            "--role",
            "operator",
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    // A password that breaks the rules is a clear refusal, not an internal error.
    let short = ccus(dir.path(), &sqlite_in(&dir))
        .args([
            "admin",
            "create-staff",
            "--name",
            "窓口 二郎",
            "--email",
            "desk2@example.jp",
            "--role",
            "operator",
            "--password",
            "short",
        ])
        .output()
        .unwrap();
    assert!(!short.status.success());
    let err = String::from_utf8_lossy(&short.stderr);
    assert!(err.contains("at least 8 characters"), "{err}");
    assert!(!err.contains("internal"), "{err}");
}

#[test]
fn generate_fills_the_database_with_accounts_and_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_in(&dir);
    let out = ccus(dir.path(), &db)
        .args([
            "admin",
            "generate",
            "--technicians",
            "300",
            "--businesses",
            "30",
            "--events-per-account",
            "2",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains("generated 330 accounts and 660 history rows"),
        "{text}"
    );
    let id = text
        .split("技能者ID ")
        .nth(1)
        .unwrap()
        .split(" with")
        .next()
        .unwrap()
        .to_owned();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = ccus_storage::Store::connect(&db).await.unwrap();
        let login_id = ccus_domain::LoginId::parse(&id).unwrap();
        let a = store
            .accounts()
            .account_by_login_id(&login_id)
            .await
            .unwrap()
            .unwrap();
        assert!(!a.profile.furigana.is_empty() && a.profile.birth_date.is_some());
        assert_eq!(store.history().access_history_len(&a).await.unwrap(), 2);
    });

    // Sites over them: the newest open with their trees and 名簿, the rest closed.
    let out = ccus(dir.path(), &db)
        .args(["admin", "generate-sites", "--sites", "40", "--open", "10"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("generated 40 sites, "), "{text}");
    rt.block_on(async {
        let store = ccus_storage::Store::connect(&db).await.unwrap();
        let open = store.sites().newest(100).await.unwrap();
        assert_eq!(open.len(), 10);
        for (site_id, prime) in open {
            let site = store.sites().site(&site_id).await.unwrap().unwrap();
            assert_eq!(site.prime.id, prime);
            let tree = store.placements().tree(site.key).await.unwrap();
            assert!((5..=30).contains(&tree.len()), "{}", tree.len());
            let t = ccus_domain::site::Tree::new(tree.iter().map(|p| p.node()).collect());
            assert_eq!(t.ordered().len(), tree.len(), "every place is in the tree");
            let roster = store.listings().roster(site.key).await.unwrap();
            assert!(!roster.is_empty() && roster.len() <= 500);
        }
    });
}

#[test]
fn import_registered_creates_accounts_and_prints_the_card_secrets_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = sqlite_in(&dir);
    let file = dir.path().join("people.csv");
    std::fs::write(
        &file,
        "name,furigana,birth_date,email,employer\n\
         田中 一郎,タナカ イチロウ,1988-07-15,ichiro@example.jp,\n\
         \"山田, 花子\",ヤマダ ハナコ,1990/1/2,hanako@example.jp,\n\
         壊れた 行,カナ,not a date,x@example.jp,\n",
    )
    .unwrap();
    let run = || {
        ccus(dir.path(), &db)
            .args(["admin", "import-registered", "--file"])
            .arg(&file)
            .output()
            .unwrap()
    };
    let out = run();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "login_id,name,initial_password,security_code");
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[2].contains("\"山田, 花子\""));
    let first: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(first[0].len(), 14);
    assert_eq!(first[3].len(), 4);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains("line 4") && err.contains("2 accounts created, 1 skipped"),
        "{err}"
    );
    // The same file again: everyone is registered already.
    let again = run();
    let err = String::from_utf8_lossy(&again.stderr).into_owned();
    assert!(
        err.contains("registered already") && err.contains("0 accounts created"),
        "{err}"
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = ccus_storage::Store::connect(&db).await.unwrap();
        let id = ccus_domain::LoginId::parse(first[0]).unwrap();
        let a = store
            .accounts()
            .account_by_login_id(&id)
            .await
            .unwrap()
            .unwrap();
        assert!(
            a.must_change_password,
            "the card's password is replaced at first login"
        );
        assert_eq!(
            a.profile
                .birth_date
                .map(ccus_domain::profile::format_date)
                .as_deref(),
            Some("1988-07-15")
        );
    });
}

/// `check-config` says what is wrong before the portal starts: a mail address that cannot
/// send, naming its key, makes it fail; a usable configuration passes with its warnings.
#[test]
fn check_config_names_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .env("CCUS_MAIL__URL", "carrier-pigeon://loft")
        .arg("check-config")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("mail.url"), "{text}");
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .arg("check-config")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("staff.totp_key"), "a warning: {text}");
    // A value out of range is refused while loading, naming its key.
    let out = ccus(dir.path(), &sqlite_in(&dir))
        .env("CCUS_RECORDS__TOUCH_RETENTION", "1d")
        .arg("check-config")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("records.touch_retention"));
}
