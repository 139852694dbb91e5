//! The test kit, shared by the web tests, the CLI tests and the benchmarks: the real
//! application on port 0 with its own fresh database (removed afterwards) and a clock the test
//! moves by hand, driven over HTTP with a cookie-keeping client — or, through [`browser`], by
//! a person at a real browser (Chromium or Firefox ESR), with [`harness`] running those tests.
// A test kit: a failure should stop the test loudly.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod api;
pub mod browser;
pub mod harness;
pub mod sites;

use std::sync::Arc;

use ccus_app::account::provisioning::{create_account, AccountRequest};
use ccus_domain::{AccountKind, LoginId, ManualClock};
use ccus_storage::{testdb, Store};
use ccus_web::{AppState, Config};
use reqwest::header::HeaderMap;

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    pub clock: Arc<ManualClock>,
    pub database_url: String,
    /// Where the file transport writes this app's mail.
    pub mail_dir: std::path::PathBuf,
    /// Where inquiry attachments are stored.
    pub attachments_dir: std::path::PathBuf,
    /// Folders this app made, removed when it is dropped.
    owned_dirs: Vec<std::path::PathBuf>,
    /// Whether a mail that ended as failed is what the test wanted.
    allow_failed_mail: bool,
}

/// Argon2 parameters that keep tests quick; one test checks the real defaults.
pub fn quick_config() -> Config {
    let mut c = Config::default();
    c.hashing.memory_kib = 1024;
    c.hashing.iterations = 1;
    c
}

/// Builds a [`TestApp`]: fresh SQLite by default, quick hashing, a clock the test moves, mail
/// to files in a fresh folder; each can be changed.
pub struct TestAppBuilder {
    config: Config,
    database_url: Option<String>,
    clock: Option<Arc<dyn ccus_domain::Clock>>,
    manual_clock: Arc<ManualClock>,
    mail_dir: std::path::PathBuf,
    attachments_dir: std::path::PathBuf,
    allow_failed_mail: bool,
    localhost: bool,
    /// Whether the mail and attachment folders belong to another instance (not removed here).
    shared_dirs: bool,
}

impl TestApp {
    pub fn builder() -> TestAppBuilder {
        let mut config = quick_config();
        let mail_dir = std::env::temp_dir().join(format!("ccus_mail_{}", rand::random::<u64>()));
        config.mail.url = format!("file://{}", mail_dir.display());
        let attachments_dir = mail_dir.with_extension("attachments");
        config.inquiry.attachments_dir = attachments_dir.display().to_string();
        config.mail.poll_interval = std::time::Duration::from_millis(50);
        config.mail.retry_base = std::time::Duration::from_millis(100);
        config.recovery.response_floor = std::time::Duration::from_millis(20);
        if harness::in_browser_suite() {
            // Two browsers render, run axe-core and take screenshots beside the portal on a
            // small CI machine: a database call can wait for the CPU longer than production's
            // budget, which would open the breaker and fail the story. The journeys check what
            // people see; the budgets have their own tests (web/tests/outage.rs, instances.rs).
            config.database.acquire_timeout = std::time::Duration::from_secs(10);
            config.database.query_timeout = std::time::Duration::from_secs(15);
        }
        // Set to the real address at start, unless a test chose one.
        config.public_url = String::new();
        TestAppBuilder {
            config,
            database_url: None,
            clock: None,
            manual_clock: Arc::new(ManualClock::default()),
            mail_dir,
            attachments_dir,
            allow_failed_mail: false,
            localhost: false,
            shared_dirs: false,
        }
    }
}

impl TestAppBuilder {
    /// Another database (e.g. a PostgreSQL one from [`testdb::postgres_url`]).
    pub fn database(mut self, url: impl Into<String>) -> Self {
        self.database_url = Some(url.into());
        self
    }
    /// Shares a manual clock (e.g. with a second instance).
    pub fn manual_clock(mut self, clock: Arc<ManualClock>) -> Self {
        self.manual_clock = clock;
        self
    }
    /// The real clock (benchmarks).
    pub fn system_clock(mut self) -> Self {
        self.clock = Some(Arc::new(ccus_domain::SystemClock));
        self
    }
    /// Changes the configuration (after the test defaults).
    pub fn config(mut self, tweak: impl FnOnce(&mut Config)) -> Self {
        tweak(&mut self.config);
        self
    }
    /// The test makes mail fail on purpose; do not complain about it on drop.
    /// Serves (and links) as `http://localhost:PORT`: passkeys need a domain name, and browsers
    /// treat localhost as a secure context.
    pub fn localhost(mut self) -> Self {
        self.localhost = true;
        self
    }

    /// Sends mail and keeps attachments where `other` does, as instances behind one SMTP relay
    /// and one shared store would: whichever instance claims a mail from the shared outbox, the
    /// test finds it in one place.
    pub fn share_folders_with(mut self, other: &TestApp) -> Self {
        self.mail_dir = other.mail_dir.clone();
        self.attachments_dir = other.attachments_dir.clone();
        self.config.mail.url = format!("file://{}", self.mail_dir.display());
        self.config.inquiry.attachments_dir = self.attachments_dir.display().to_string();
        self.shared_dirs = true;
        self
    }

    pub fn allow_failed_mail(mut self) -> Self {
        self.allow_failed_mail = true;
        self
    }

    pub async fn start(self) -> TestApp {
        let database_url = self.database_url.unwrap_or_else(testdb::sqlite_url);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut config = self.config;
        config.database_url = database_url.clone();
        config.listen = addr;
        let base = if self.localhost {
            format!("http://localhost:{}", addr.port())
        } else {
            format!("http://{addr}")
        };
        if config.public_url.is_empty() {
            config.public_url = base.clone();
        }
        let mut owned_dirs = if self.shared_dirs {
            Vec::new()
        } else {
            vec![self.mail_dir.clone(), self.attachments_dir.clone()]
        };
        if let Some(path) = database_url.strip_prefix("sqlite://") {
            let file = std::path::Path::new(path.split('?').next().unwrap_or(path));
            if let Some(dir) = file.parent() {
                if dir.starts_with(std::env::temp_dir()) && dir != std::env::temp_dir() {
                    owned_dirs.push(dir.to_path_buf());
                }
            }
        }
        let store = Store::connect_with(&database_url, config.database.timeouts())
            .await
            .unwrap();
        store.migrate().await.unwrap();
        let clock: Arc<dyn ccus_domain::Clock> = match self.clock {
            Some(c) => c,
            None => self.manual_clock.clone(),
        };
        let app = ccus_app::App::new(config, store, clock).await.unwrap();
        let state = AppState::serving(app).await.unwrap();
        tokio::spawn(ccus_web::serve(
            listener,
            state.clone(),
            std::future::pending(),
        ));
        state.spawn_mail_delivery().unwrap();
        TestApp {
            base,
            state,
            clock: self.manual_clock,
            mail_dir: self.mail_dir,
            attachments_dir: self.attachments_dir,
            database_url,
            owned_dirs,
            allow_failed_mail: self.allow_failed_mail,
        }
    }
}

pub async fn spawn_app() -> TestApp {
    TestApp::builder().start().await
}

pub async fn spawn_app_with(database_url: String, tweak: impl FnOnce(&mut Config)) -> TestApp {
    TestApp::builder()
        .database(database_url)
        .config(tweak)
        .start()
        .await
}

impl TestApp {
    /// A second instance on this one's database, clock, mail folder and attachments, with
    /// `tweak` applied to the test defaults.
    pub async fn second_instance(&self, tweak: impl FnOnce(&mut Config)) -> TestApp {
        TestApp::builder()
            .database(self.database_url.clone())
            .manual_clock(self.clock.clone())
            .config(tweak)
            .share_folders_with(self)
            .start()
            .await
    }
}

pub async fn spawn_app_on(
    database_url: String,
    clock: Arc<ManualClock>,
    tweak: impl FnOnce(&mut Config),
) -> TestApp {
    TestApp::builder()
        .database(database_url)
        .manual_clock(clock)
        .config(tweak)
        .start()
        .await
}

impl Drop for TestApp {
    /// Removes the folders the app made; and, unless the test wanted it, fails when a mail
    /// ended as failed (a mail a person never got is a bug even when every assertion passed).
    fn drop(&mut self) {
        if !std::thread::panicking() && !self.allow_failed_mail {
            if let Ok(handle) = tokio::runtime::Handle::try_current() {
                if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread {
                    let store = self.state.store_for_tools().clone();
                    let failed = tokio::task::block_in_place(|| {
                        handle.block_on(
                            store
                                .outbox()
                                .list_mail(Some(ccus_storage::MailStatus::Failed), 10),
                        )
                    });
                    if let Ok(failed) = failed {
                        assert!(
                            failed.is_empty(),
                            "mail ended as failed: {:?}",
                            failed
                                .iter()
                                .map(|m| (&m.to, &m.subject, &m.last_error))
                                .collect::<Vec<_>>()
                        );
                    }
                }
            }
        }
        for dir in &self.owned_dirs {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

pub struct Account {
    pub login_id: LoginId,
    pub password: String,
    pub name: String,
}

/// An HTTP client that behaves as a phone's browser for the tests that speak HTTP themselves:
/// keeps cookies, does not follow redirects (tests look at them).
pub fn http_browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
        .build()
        .unwrap()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A browser for this app ([`http_browser`]).
    pub fn browser(&self) -> reqwest::Client {
        http_browser()
    }

    pub async fn account(&self, kind: AccountKind) -> Account {
        let name = match kind {
            AccountKind::Technician => "建設 太郎",
            AccountKind::Business => "株式会社 見本建設",
        };
        // Setting up, not the behaviour under test: on a loaded machine an embedded database
        // may answer "unavailable" for a moment (the breaker after a slow write); try again.
        let mut tries = 0;
        let created = loop {
            match create_account(
                &self.state,
                AccountRequest {
                    kind,
                    name: name.into(),
                    email: "someone@example.jp".into(),
                    password: Some("correct horse battery".into()),
                    security_code: Some("1234".into()),
                    must_change_password: false,
                    profile: Default::default(),
                },
            )
            .await
            {
                Ok(c) => break c,
                Err(e) if tries < 20 && format!("{e:?}").contains("Unavailable") => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
                }
                Err(e) => panic!("creating a test account: {e}"),
            }
        };
        Account {
            login_id: created.account.login_id,
            password: "correct horse battery".into(),
            name: name.into(),
        }
    }

    /// Opens a login page and returns its anti-forgery token.
    pub async fn csrf(&self, b: &reqwest::Client, kind: AccountKind) -> String {
        let html = b
            .get(self.url(kind.login_path()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        csrf_in(&html)
    }

    /// Posts the login form of `kind` (opening the page first for its token).
    pub async fn login(
        &self,
        b: &reqwest::Client,
        kind: AccountKind,
        id: &str,
        pw: &str,
    ) -> reqwest::Response {
        let token = self.csrf(b, kind).await;
        self.post_login(b, kind, id, pw, &token, "").await
    }

    pub async fn post_login(
        &self,
        b: &reqwest::Client,
        kind: AccountKind,
        id: &str,
        pw: &str,
        token: &str,
        next: &str,
    ) -> reqwest::Response {
        b.post(self.url(kind.login_path()))
            .form(&[
                ("login_id", id),
                ("password", pw),
                ("csrf_token", token),
                ("next", next),
            ])
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, b: &reqwest::Client, path: &str) -> reqwest::Response {
        b.get(self.url(path)).send().await.unwrap()
    }

    /// An account whose password is an initial one (must be changed at first login).
    pub async fn account_with_initial_password(&self, kind: AccountKind, email: &str) -> Account {
        let created = create_account(
            &self.state,
            AccountRequest {
                kind,
                name: "建設 花子".into(),
                email: email.into(),
                password: None,
                security_code: Some("2468".into()),
                must_change_password: true,
                profile: Default::default(),
            },
        )
        .await
        .unwrap();
        Account {
            login_id: created.account.login_id,
            password: created.initial_password.unwrap().expose().to_owned(),
            name: "建設 花子".into(),
        }
    }

    /// Every mail written so far, oldest first.
    pub fn mails(&self) -> Vec<ccus_mail::Eml> {
        let Ok(dir) = std::fs::read_dir(&self.mail_dir) else {
            return Vec::new();
        };
        let mut files: Vec<_> = dir
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .collect();
        files.sort();
        files
            .iter()
            .map(|p| {
                ccus_mail::decode_eml(&std::fs::read_to_string(p).unwrap())
                    .expect("a readable .eml")
            })
            .collect()
    }

    /// Waits (up to 10 s) until `to` has received at least `n` mails whose subject contains
    /// `subject`; returns them, oldest first.
    pub async fn wait_for_mail(&self, to: &str, subject: &str, n: usize) -> Vec<ccus_mail::Eml> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let got: Vec<_> = self
                .mails()
                .into_iter()
                .filter(|m| m.to == to && m.subject.contains(subject))
                .collect();
            if got.len() >= n {
                return got;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "no mail 「{subject}」 to {to}; have {:?}",
                self.mails()
                    .iter()
                    .map(|m| (&m.to, &m.subject))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        }
    }

    /// The mails to `to` right now.
    pub fn mails_to(&self, to: &str) -> Vec<ccus_mail::Eml> {
        self.mails().into_iter().filter(|m| m.to == to).collect()
    }

    /// A helpdesk staff member of `role`, signed in (password, then an enrolled TOTP code) in a
    /// new browser; the app needs `staff.totp_key`. Returns the browser and the TOTP secret.
    pub async fn staff_browser(&self, role: ccus_storage::StaffRole) -> (reqwest::Client, Vec<u8>) {
        let (b, secret, _) = self.staff_browser_with_id(role).await;
        (b, secret)
    }

    /// As [`TestApp::staff_browser`], also returning the staff ID.
    pub async fn staff_browser_with_id(
        &self,
        role: ccus_storage::StaffRole,
    ) -> (reqwest::Client, Vec<u8>, String) {
        const PW: &str = "helpdesk desk password";
        let (id, _) = ccus_app::account::provisioning::create_staff(
            &self.state,
            "審査 花子",
            "screen@example.jp",
            role,
            Some(PW.into()),
        )
        .await
        .unwrap();
        let b = self.browser();
        self.submit(
            &b,
            "/helpdesk/login",
            "/helpdesk/login",
            &[("staff_id", id.as_str()), ("password", PW), ("code", "")],
        )
        .await;
        let page = self.get(&b, "/helpdesk/enroll").await.text().await.unwrap();
        let start = page.find("<span class=\"mono\">").unwrap() + "<span class=\"mono\">".len();
        let end = page[start..].find('<').unwrap() + start;
        let secret = ccus_domain::totp::base32_decode(&page[start..end]).unwrap();
        let code = format!(
            "{:06}",
            ccus_domain::totp::code_at(
                &secret,
                ccus_domain::totp::step_of(self.state.clock().now())
            )
        );
        let r = self
            .submit(
                &b,
                "/helpdesk/enroll",
                "/helpdesk/enroll",
                &[("code", code.as_str())],
            )
            .await;
        assert_eq!(location(&r), "/helpdesk?enrolled=1");
        (b, secret, id)
    }

    /// Posts a form, taking the anti-forgery token from the page at `page` first.
    pub async fn submit(
        &self,
        b: &reqwest::Client,
        page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let html = self.get(b, page).await.text().await.unwrap();
        let token = csrf_in(&html);
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        form.push(("csrf_token", token.as_str()));
        b.post(self.url(action)).form(&form).send().await.unwrap()
    }
}

/// The path and query of the first link in a mail body that contains `path`, made relative
/// (links in mail use the configured public URL).
pub fn link_in(body: &str, path: &str) -> String {
    let line = body
        .lines()
        .find(|l| l.contains(path) && l.contains("http"))
        .unwrap_or_else(|| panic!("no link to {path} in {body}"));
    let start = line.find("http").unwrap();
    let url = line[start..].trim();
    let after_scheme = url.find("://").unwrap() + 3;
    let slash = url[after_scheme..].find('/').unwrap() + after_scheme;
    url[slash..].to_owned()
}

/// Logs in as a browser does — opens the login page of `kind` at `base`, then posts the form
/// with its token — without a [`TestApp`] (for tasks spawned by a test).
pub async fn log_in_at(
    b: &reqwest::Client,
    base: &str,
    kind: AccountKind,
    id: &str,
    pw: &str,
) -> reqwest::StatusCode {
    let url = format!("{base}{}", kind.login_path());
    let html = b.get(&url).send().await.unwrap().text().await.unwrap();
    let token = csrf_in(&html);
    b.post(&url)
        .form(&[
            ("login_id", id),
            ("password", pw),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .status()
}

/// A TCP port that was free a moment ago (for a server started as a separate process).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The anti-forgery token in a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("page has a csrf_token field") + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_owned()
}

/// The value of the field or attribute `name="value"` written as `{name}="…"` in a page.
fn attribute_in(html: &str, marker: &str) -> Option<String> {
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

/// The proof-of-work challenge a login page carries, if any.
pub fn challenge_in(html: &str) -> Option<ccus_app::auth::challenge::Challenge> {
    Some(ccus_app::auth::challenge::Challenge {
        seed: attribute_in(html, "data-pow-seed=\"")?,
        bits: attribute_in(html, "data-pow-bits=\"")?.parse().ok()?,
        token: attribute_in(html, "name=\"pow_token\" value=\"")?,
    })
}

pub fn location(r: &reqwest::Response) -> String {
    r.headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}

pub fn set_cookies(h: &HeaderMap) -> Vec<String> {
    h.get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// The value of cookie `name` set by a response, if any.
pub fn cookie_value(h: &HeaderMap, name: &str) -> Option<String> {
    set_cookies(h).into_iter().find_map(|c| {
        let first = c.split(';').next()?.to_owned();
        let (k, v) = first.split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

/// Full-width digits with ideographic spaces, as typed on a Japanese phone keyboard.
pub fn typed_on_phone(id: &LoginId) -> String {
    id.grouped()
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32('０' as u32 + d).unwrap(),
            None => '　',
        })
        .collect()
}

/// Checks a metrics exposition with `promtool check metrics` (Debian's `prometheus`); without
/// promtool the check is skipped with a note, and under CI that is a failure.
pub fn promtool_checks(text: &str) {
    let Ok(mut child) = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "promtool is required under CI (Debian's prometheus package)"
        );
        eprintln!("promtool not found: the exposition was not checked by it");
        return;
    };
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "promtool: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Sends the inquiry form at `base` as a browser does (its page first, for the token), from
/// `email`, with `attachment` as a PNG file; the receipt number (受付番号) the answer shows is
/// the acknowledgement. `Err` says what came back instead.
pub async fn send_inquiry(
    b: &reqwest::Client,
    base: &str,
    email: &str,
    attachment: &[u8],
) -> Result<String, String> {
    use reqwest::multipart::{Form, Part};
    let page = b
        .get(format!("{base}/inquiry"))
        .send()
        .await
        .map_err(|e| format!("the form: {e}"))?;
    let token = csrf_in(&page.text().await.unwrap_or_default());
    let file = Part::bytes(attachment.to_vec())
        .file_name("写真.png")
        .mime_str("image/png")
        .map_err(|e| e.to_string())?;
    let form = Form::new()
        .text("csrf_token", token)
        .text("category", "その他")
        .text("login_id", "")
        .text("name", "問合 花子")
        .text("furigana", "といあわせ はなこ")
        .text("birth_date", "1985-04-01")
        .text("employer", "")
        .text("email", email.to_owned())
        .text("phone", "")
        .text("message", "問い合わせの試験です。")
        .part("files", file);
    let r = b
        .post(format!("{base}/inquiry"))
        .multipart(form)
        .send()
        .await
        .map_err(|e| format!("sending: {e}"))?;
    let status = r.status();
    let html = r.text().await.unwrap_or_default();
    let Some(at) = html.find("受付番号: ").filter(|_| status == 200) else {
        return Err(format!("answered {status} without a receipt"));
    };
    Ok(html[at + "受付番号: ".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect())
}
