//! A person at a real browser: Debian's headless Chromium (driven by its ChromeDriver) or
//! Firefox ESR (driven by geckodriver), over the W3C WebDriver protocol. Neither browser nor
//! driver is ever downloaded: the tests use what is installed ([`Tools::find`]).
//!
//! Two layers:
//! - [`Driver`] and [`Session`]: the protocol (open a URL, find by CSS, type, click, run a
//!   script, take a screenshot, resize the window).
//! - What a person does and sees: [`Session::click_link`] and [`Session::click_button`] by
//!   their visible text, [`Session::fill`] / [`Session::select`] / [`Session::upload`] by the
//!   text of the field's `<label>`, [`Session::wait_for_text`] on the page's visible text.
//!
//! A session opened for a journey ([`Browser::person`]) also records every page it visits:
//! [`Session::step`] runs axe-core on the page (violations of impact "serious" or "critical" fail
//! the journey at [`Browser::finish`]) and saves a screenshot at desktop width (1280) and at phone
//! width (390) into `artifacts/browser/<browser>/journeys/<story>/` (or
//! `$CCUS_ARTIFACTS_DIR/browser/…`); in Firefox it saves one screenshot, unless
//! `CCUS_FIREFOX_FULL_CHECKS` is set ([`full_checks`]). A page nobody called `step` on is checked
//! automatically before the person acts on it or leaves it, so every page is covered. axe-core is
//! the pinned release vendored in `crates/testkit/vendor/axe-core`, so nothing but the browser and
//! its driver is needed.
//!
//! Which test runs in which browser, and how a test that cannot run is reported (never as
//! passed), is [`crate::harness`]'s business.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};

/// The W3C key under which an element reference travels.
pub const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
/// Whether a click on the element `arguments[0]` leads to another page (a link elsewhere or a
/// form's submit button); if so, the page is marked as being left (see `Session::settle`).
const LEAVES_JS: &str = r#"const e = arguments[0];
const a = e.closest('a[href]');
const leaves = (a !== null && !a.getAttribute('href').startsWith('#'))
  || (e.form != null && (e.type === 'submit' || e.type === 'image'));
if (leaves) { window.__ccusLeaving = true; }
return leaves;"#;

/// Window sizes of the two screenshots taken at every step.
pub const DESKTOP: (u32, u32) = (1280, 900);
pub const PHONE: (u32, u32) = (390, 844);
/// How long a person waits for a page before the test gives up.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// Internet Explorer 11's user agent.
pub const IE11: &str = "Mozilla/5.0 (Windows NT 10.0; Trident/7.0; rv:11.0) like Gecko";
/// The phones the two browsers pretend to be (with [`SessionOptions::phone_emulation`]).
const CHROME_PHONE_UA: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36";
const FIREFOX_PHONE_UA: &str =
    "Mozilla/5.0 (Android 14; Mobile; rv:153.0) Gecko/153.0 Firefox/153.0";

/// axe-core, the release pinned here and vendored in `crates/testkit/vendor/axe-core`
/// (MPL-2.0, see its README), injected into every page a journey visits.
pub const AXE_SOURCE: &str = include_str!("../vendor/axe-core/axe.min.js");
/// Its version: checked in the file's header (by the tests below) and in every page.
pub const AXE_VERSION: &str = "4.14.1";
/// Its SHA-256, as Deque publishes it for this release (`sri-history.json` in the package).
pub const AXE_SHA256: &str = "KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw=";

// ---- what this machine has ---------------------------------------------------------------------

/// A browser the tests drive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Engine {
    /// Debian's `chromium`, with `chromedriver` (package `chromium-driver`).
    Chromium,
    /// Debian's `firefox-esr`, with `geckodriver` (`cargo install geckodriver --locked`).
    Firefox,
}

impl Engine {
    pub const ALL: [Engine; 2] = [Engine::Chromium, Engine::Firefox];

    /// The first part of a test's name (`chromium::…`) and the artifacts' folder.
    pub fn key(self) -> &'static str {
        match self {
            Engine::Chromium => "chromium",
            Engine::Firefox => "firefox",
        }
    }

    /// Its name for people.
    pub fn title(self) -> &'static str {
        match self {
            Engine::Chromium => "Chromium",
            Engine::Firefox => "Firefox ESR",
        }
    }
}

/// A browser and its driver on this machine.
#[derive(Clone, Debug)]
pub struct Tools {
    pub engine: Engine,
    pub browser: PathBuf,
    pub driver: PathBuf,
}

/// `$env` when set (it must then exist), else the first of `defaults` that exists; else what
/// is missing (`what`, `where_`) and how to install it.
fn locate(env: &str, defaults: &[PathBuf], what: &str, install: &str) -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os(env).filter(|p| !p.is_empty()) {
        let p = PathBuf::from(p);
        return if p.exists() {
            Ok(p)
        } else {
            Err(format!("no {what}: {env} names {}", p.display()))
        };
    }
    defaults
        .iter()
        .find(|p| p.exists())
        .cloned()
        .ok_or_else(|| {
            let place = match defaults {
                [one] => format!("at {}", one.display()),
                _ => "on PATH or in ~/.cargo/bin".to_owned(),
            };
            format!("no {what} {place} ({install})")
        })
}

/// `name` in every folder of `PATH`, then in Cargo's `bin` folder (where `cargo install` puts
/// it).
fn on_path(name: &str) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    dirs.into_iter().map(|d| d.join(name)).collect()
}

impl Tools {
    /// This machine's browser and driver for `engine` (`$CCUS_CHROMIUM`, `$CCUS_CHROMEDRIVER`,
    /// `$CCUS_FIREFOX`, `$CCUS_GECKODRIVER` name other paths), or what is missing and how to
    /// install it. Never downloads anything.
    pub fn find(engine: Engine) -> Result<Tools, String> {
        let (browser, driver) = match engine {
            Engine::Chromium => (
                locate(
                    "CCUS_CHROMIUM",
                    &[PathBuf::from("/usr/bin/chromium")],
                    "Chromium",
                    "apt-get install chromium fonts-noto-cjk",
                ),
                locate(
                    "CCUS_CHROMEDRIVER",
                    &on_path("chromedriver"),
                    "ChromeDriver",
                    "apt-get install chromium-driver",
                ),
            ),
            Engine::Firefox => (
                locate(
                    "CCUS_FIREFOX",
                    &[PathBuf::from("/usr/bin/firefox-esr")],
                    "Firefox ESR",
                    "apt-get install firefox-esr fonts-noto-cjk",
                ),
                locate(
                    "CCUS_GECKODRIVER",
                    &on_path("geckodriver"),
                    "geckodriver",
                    "cargo install geckodriver --locked",
                ),
            ),
        };
        match (browser, driver) {
            (Ok(browser), Ok(driver)) => Ok(Tools {
                engine,
                browser,
                driver,
            }),
            (b, d) => Err([b.err(), d.err()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("; ")),
        }
    }
}

/// `artifacts/browser` of the workspace, or `$CCUS_ARTIFACTS_DIR/browser`.
pub fn artifacts() -> PathBuf {
    let dir = std::env::var("CCUS_ARTIFACTS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../artifacts"))
        .join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ---- the driver --------------------------------------------------------------------------------

/// One driver process (ChromeDriver or geckodriver). It runs in a process group of its own, so
/// that dropping it also ends every browser it started, even when a test panicked before
/// closing its sessions.
struct Process {
    child: Child,
    base: String,
}

impl Drop for Process {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Process {
    async fn start(tools: &Tools, http: &reqwest::Client) -> Process {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut cmd = Command::new(&tools.driver);
        match tools.engine {
            Engine::Chromium => cmd.arg(format!("--port={port}")),
            // Port 0 for WebDriver BiDi: several geckodrivers run side by side.
            Engine::Firefox => cmd.args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--websocket-port",
                "0",
            ]),
        };
        let child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", tools.driver.display()));
        let p = Process {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = http.get(format!("{}/status", p.base)).send().await {
                if r.status().is_success() {
                    break;
                }
            }
            assert!(
                Instant::now() < deadline,
                "{} did not start",
                tools.driver.display()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        p
    }
}

/// One WebDriver command.
async fn command(
    http: &reqwest::Client,
    base: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> Result<Value, String> {
    let mut req = http.request(method, format!("{base}{path}"));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let v: Value = req
        .send()
        .await
        .map_err(|e| e.to_string())?
        .json()
        .await
        .map_err(|e| e.to_string())?;
    if v["value"].get("error").is_some() {
        return Err(format!("webdriver {path}: {}", v["value"]));
    }
    Ok(v["value"].clone())
}

/// Opens browser windows: one ChromeDriver serves every Chromium window; geckodriver serves one
/// session at a time, so each Firefox window gets a geckodriver of its own.
pub struct Driver {
    tools: Tools,
    http: reqwest::Client,
    shared: Option<Arc<Process>>,
}

impl Driver {
    pub async fn start(tools: &Tools) -> Arc<Driver> {
        let http = reqwest::Client::new();
        let shared = match tools.engine {
            Engine::Chromium => Some(Arc::new(Process::start(tools, &http).await)),
            Engine::Firefox => None,
        };
        Arc::new(Driver {
            tools: tools.clone(),
            http,
            shared,
        })
    }

    pub fn engine(&self) -> Engine {
        self.tools.engine
    }

    /// A new browser window with a fresh profile.
    pub async fn session(self: &Arc<Self>, opts: SessionOptions) -> Session {
        let process = match &self.shared {
            Some(p) => p.clone(),
            None => Arc::new(Process::start(&self.tools, &self.http).await),
        };
        let profile = tempfile::tempdir().unwrap();
        let caps = match self.tools.engine {
            Engine::Chromium => self.chromium_capabilities(&opts, profile.path()),
            Engine::Firefox => self.firefox_capabilities(&opts, profile.path()),
        };
        let v = command(
            &self.http,
            &process.base,
            reqwest::Method::POST,
            "/session",
            Some(json!({ "capabilities": { "alwaysMatch": caps } })),
        )
        .await
        .unwrap_or_else(|e| panic!("{} did not start: {e}", self.tools.engine.title()));
        let mut s = Session {
            process,
            http: self.http.clone(),
            engine: self.tools.engine,
            id: v["sessionId"].as_str().unwrap().to_owned(),
            _profile: profile,
            closed: false,
            rec: None,
            authenticator: None,
        };
        if self.tools.engine == Engine::Firefox {
            s.set_window(opts.size).await;
        }
        if opts.authenticator {
            // The device's own authenticator: resident keys, user verification, answers at once.
            let id = s
                .call(
                    reqwest::Method::POST,
                    "/webauthn/authenticator",
                    Some(json!({
                        "protocol": "ctap2",
                        "transport": "internal",
                        "hasResidentKey": true,
                        "hasUserVerification": true,
                        "isUserVerified": true,
                        "automaticPresenceSimulation": true
                    })),
                )
                .await;
            s.authenticator = id.as_str().map(str::to_owned);
        }
        s
    }

    fn chromium_capabilities(&self, opts: &SessionOptions, profile: &Path) -> Value {
        let (w, h) = opts.size;
        let mut args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-background-networking".into(),
            "--disable-dev-shm-usage".into(),
            "--no-first-run".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--lang=ja-JP".into(),
            format!("--window-size={w},{h}"),
            format!("--user-data-dir={}", profile.display()),
        ];
        if let Some(ua) = &opts.user_agent {
            args.push(format!("--user-agent={ua}"));
        }
        // A Japanese browser: its Accept-Language picks the portal's language (headless
        // Chromium ignores `--lang` for that).
        let mut chrome = json!({
            "binary": self.tools.browser.to_string_lossy(),
            "args": args,
            "prefs": { "intl.accept_languages": "ja-JP,ja" },
        });
        if opts.phone_emulation {
            chrome["mobileEmulation"] = json!({
                "deviceMetrics": { "width": w, "height": h, "pixelRatio": 2.0, "touch": true },
                "userAgent": CHROME_PHONE_UA,
            });
        }
        json!({
            "browserName": "chrome",
            "goog:chromeOptions": chrome,
            "timeouts": { "script": 30000, "pageLoad": 30000, "implicit": 0 },
        })
    }

    fn firefox_capabilities(&self, opts: &SessionOptions, profile: &Path) -> Value {
        // Firefox keeps a window at least 500 px wide for its toolbars; a phone is narrower.
        // Headless, the toolbars are never seen: the profile's userChrome.css lifts the limit.
        let chrome = profile.join("chrome");
        std::fs::create_dir_all(&chrome).unwrap();
        std::fs::write(
            chrome.join("userChrome.css"),
            ":root { min-width: 0 !important; min-height: 0 !important; }\n",
        )
        .unwrap();
        let mut prefs = json!({
            // A Japanese browser, as for Chromium.
            "intl.accept_languages": "ja-JP,ja",
            "toolkit.legacyUserProfileCustomizations.stylesheets": true,
            // Nothing fetched by the browser itself: no updates, plug-ins or lists.
            "app.update.auto": false,
            "extensions.update.enabled": false,
            "media.gmp-manager.updateEnabled": false,
            "browser.safebrowsing.update.enabled": false,
            "browser.shell.checkDefaultBrowser": false,
            "datareporting.policy.dataSubmissionEnabled": false,
            "toolkit.telemetry.enabled": false,
        });
        if opts.phone_emulation {
            // No device emulation in Firefox: a phone's user agent and touch events, at a
            // phone's window size.
            prefs["general.useragent.override"] = json!(FIREFOX_PHONE_UA);
            prefs["dom.w3c_touch_events.enabled"] = json!(1);
        }
        if let Some(ua) = &opts.user_agent {
            prefs["general.useragent.override"] = json!(ua);
        }
        if opts.authenticator {
            // Firefox answers WebAuthn from its virtual authenticators only with its software
            // token on and USB keys off; otherwise it waits for a USB key.
            prefs["security.webauth.webauthn_enable_softtoken"] = json!(true);
            prefs["security.webauth.webauthn_enable_usbtoken"] = json!(false);
        }
        json!({
            "browserName": "firefox",
            "moz:firefoxOptions": {
                "binary": self.tools.browser.to_string_lossy(),
                "args": ["-headless", "-profile", profile.to_string_lossy()],
                "prefs": prefs,
            },
            "timeouts": { "script": 30000, "pageLoad": 30000, "implicit": 0 },
        })
    }
}

/// How a session's window looks.
#[derive(Clone, Debug)]
pub struct SessionOptions {
    pub size: (u32, u32),
    /// A phone: Chromium's mobile emulation (touch, device pixel ratio 2, a phone's user
    /// agent); in Firefox, a phone's user agent and touch events.
    pub phone_emulation: bool,
    pub user_agent: Option<String>,
    /// The device has an authenticator for passkeys (fingerprint, face or screen lock) that
    /// answers at once: WebDriver's virtual authenticator, in both browsers.
    pub authenticator: bool,
}

impl Default for SessionOptions {
    fn default() -> Self {
        SessionOptions {
            size: DESKTOP,
            phone_emulation: false,
            user_agent: None,
            authenticator: false,
        }
    }
}

// ---- journeys ------------------------------------------------------------------------------------

/// Set (to anything but empty), journeys check every page in Firefox as in Chromium.
pub const FULL_CHECKS_ENV: &str = "CCUS_FIREFOX_FULL_CHECKS";

/// Whether a journey's steps in `engine` run axe-core and the phone-width pass. In Chromium they
/// always do. In Firefox each step saves a screenshot at the window's size only, unless
/// [`FULL_CHECKS_ENV`] is set: axe-core reads the same page there, and the two checks took more
/// than half of the suite's time in Firefox. Every journey still runs to its end in both.
pub fn full_checks(engine: Engine) -> bool {
    engine == Engine::Chromium || std::env::var_os(FULL_CHECKS_ENV).is_some_and(|v| !v.is_empty())
}

/// One story's browser: a driver, and where the story's screenshots and notes go.
pub struct Browser {
    driver: Arc<Driver>,
    shared: Arc<Journal>,
    finished: bool,
}

/// What the sessions of one story write down together.
struct Journal {
    story: String,
    dir: PathBuf,
    steps: AtomicU32,
    violations: Mutex<Vec<String>>,
    notes: Mutex<Vec<String>>,
}

impl Browser {
    /// The browser of `tools` for one story; its screenshots go to
    /// `artifacts/browser/<browser>/journeys/<story>/`.
    pub async fn for_story(tools: &Tools, story: &str) -> Browser {
        let dir = artifacts()
            .join(tools.engine.key())
            .join("journeys")
            .join(story);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Browser {
            driver: Driver::start(tools).await,
            shared: Arc::new(Journal {
                story: story.to_owned(),
                dir,
                steps: AtomicU32::new(0),
                violations: Mutex::new(Vec::new()),
                notes: Mutex::new(Vec::new()),
            }),
            finished: false,
        }
    }

    /// Which browser this is.
    pub fn engine(&self) -> Engine {
        self.driver.engine()
    }

    /// A person at a desktop browser (their screenshots are named `<nn>-<who>-<step>-…`;
    /// an empty `who` leaves it out).
    pub async fn person(&self, who: &str) -> Session {
        self.person_with(who, SessionOptions::default()).await
    }

    pub async fn person_with(&self, who: &str, opts: SessionOptions) -> Session {
        let mut s = self.driver.session(opts).await;
        s.rec = Some(Recorder {
            journal: self.shared.clone(),
            who: if who.is_empty() {
                String::new()
            } else {
                format!("{who}-")
            },
        });
        s
    }

    /// Checks the pages the people are still on, closes their windows, and fails the story if
    /// axe found a serious or critical violation on any page. What was noticed on the way
    /// (axe's minor findings, pages that scroll sideways on a phone) is written to `notes.txt`
    /// beside the screenshots, and printed with `--nocapture`.
    pub async fn finish(mut self, people: Vec<Session>) {
        for p in people {
            p.close().await;
        }
        self.finished = true;
        let j = &self.shared;
        let notes = j.notes.lock().unwrap().clone();
        let summary = format!(
            "[{} in {}] {} steps, screenshots in {}",
            j.story,
            self.engine().title(),
            j.steps.load(Ordering::SeqCst),
            j.dir.display()
        );
        let text: String = notes.iter().map(|n| format!("{n}\n")).collect();
        std::fs::write(j.dir.join("notes.txt"), text).unwrap();
        if crate::harness::verbose() {
            for n in &notes {
                eprintln!("note [{}]: {n}", j.story);
            }
            eprintln!("{summary}");
        }
        let v = j.violations.lock().unwrap().clone();
        assert!(
            v.is_empty(),
            "[{}] accessibility violations (serious or critical):\n{}",
            j.story,
            v.join("\n")
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.finished && !std::thread::panicking() {
            panic!("journey {} did not call Browser::finish", self.shared.story);
        }
    }
}

struct Recorder {
    journal: Arc<Journal>,
    who: String,
}

/// One axe-core finding.
#[derive(Debug, Clone)]
pub struct Violation {
    pub id: String,
    pub impact: String,
    pub help: String,
    pub targets: Vec<String>,
}

// ---- a session -------------------------------------------------------------------------------

/// Finds a link, button or labelled field by what a person reads. Arguments: kind (`link`,
/// `button`, `field`), the text, and optionally the heading of the form or section to look in.
/// Text is matched exactly first, then as the start, then anywhere; several matches are an
/// error unless they are links to the same place. Returns `{el}` or `{problem}` (not `error`:
/// WebDriver reserves that key for its own failures).
const FIND_JS: &str = r#"
const [kind, want, scope] = arguments;
const norm = s => (s || '').replace(/\s+/g, ' ').trim();
const shown = e => {
  if (!e.isConnected || e.closest('[aria-hidden="true"]')) return false;
  const st = getComputedStyle(e);
  if (st.visibility === 'hidden' || st.display === 'none') return false;
  const r = e.getBoundingClientRect();
  return r.width > 0 && r.height > 0;
};
let root = document.body;
if (!root) return { problem: 'the page has no body yet' };
if (scope) {
  const boxes = [...document.querySelectorAll('form, section, fieldset')].filter(b => {
    const h = b.querySelector('h1, h2, h3, h4, legend');
    return h && norm(h.innerText) === scope;
  });
  if (boxes.length !== 1) return { problem: `${boxes.length} forms/sections are headed 「${scope}」` };
  root = boxes[0];
}
const pick = (cands, textOf, key) => {
  const tiers = [t => t === want, t => t.startsWith(want), t => t.includes(want)];
  for (const tier of tiers) {
    const hits = cands.filter(e => tier(textOf(e)));
    if (hits.length === 0) continue;
    if (hits.every(h => key(h) === key(hits[0]))) return { el: hits[0] };
    return { problem: `${hits.length} ${kind}s match 「${want}」: ` + hits.map(textOf).join(' | ') };
  }
  return { problem: `no ${kind} 「${want}」; the page shows: ` + cands.map(textOf).join(' | ') };
};
if (kind === 'link') {
  const links = [...root.querySelectorAll('a[href]')].filter(shown);
  return pick(links, e => norm(e.innerText), e => e.href);
}
if (kind === 'button') {
  // A <summary> opens what it summarises: to a person it is a button.
  const buttons = [...root.querySelectorAll('button, summary, input[type=submit], input[type=button]')].filter(shown);
  return pick(buttons, e => norm(e.innerText || e.value), e => e);
}
const labels = [...root.querySelectorAll('label')].filter(shown);
const found = pick(labels, e => norm(e.innerText).replace(/\s*必須$/, ''), e => e.control);
if (found.problem) return found;
if (!found.el.control) return { problem: `the label 「${norm(found.el.innerText)}」 labels nothing` };
return { el: found.el.control };
"#;

/// What [`Session::act`] does with what it found.
#[derive(Clone, Copy)]
enum Act<'a> {
    Click,
    Type(&'a str),
}

pub struct Session {
    process: Arc<Process>,
    http: reqwest::Client,
    engine: Engine,
    id: String,
    _profile: tempfile::TempDir,
    closed: bool,
    rec: Option<Recorder>,
    /// The virtual authenticator's id, when the device has one.
    authenticator: Option<String>,
}

impl Drop for Session {
    /// Ends the browser even when the test panicked (a plain blocking request: no runtime
    /// is needed in a destructor).
    fn drop(&mut self) {
        if self.closed {
            return;
        }
        let addr = self.process.base.trim_start_matches("http://").to_owned();
        if let Ok(mut s) = std::net::TcpStream::connect(&addr) {
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = write!(
                s,
                "DELETE /session/{} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                self.id
            );
            let mut sink = Vec::new();
            let _ = s.read_to_end(&mut sink);
        }
    }
}

fn el(v: &Value) -> Option<String> {
    v[ELEMENT].as_str().map(str::to_owned)
}

fn el_arg(id: &str) -> Value {
    json!({ ELEMENT: id })
}

impl Session {
    // -- protocol --

    pub async fn try_call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Result<Value, String> {
        command(
            &self.http,
            &self.process.base,
            method,
            &format!("/session/{}{path}", self.id),
            body,
        )
        .await
    }

    /// Which browser this is.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The person removes every passkey from the device itself (its authenticator forgets
    /// them), as after deleting one in the phone's settings.
    pub async fn forget_passkeys(&self) {
        let Some(id) = self.authenticator.clone() else {
            return self.fail("this device has no authenticator").await;
        };
        self.call(
            reqwest::Method::DELETE,
            &format!("/webauthn/authenticator/{id}/credentials"),
            None,
        )
        .await;
    }

    pub async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        match self.try_call(method, path, body).await {
            Ok(v) => v,
            Err(e) => self.fail(&e).await,
        }
    }

    /// Fails the test with where the browser is and what it shows.
    pub async fn fail<T>(&self, why: &str) -> T {
        let url = self
            .try_call(reqwest::Method::GET, "/url", None)
            .await
            .unwrap_or_default();
        let text = self
            .try_script(
                "return document.body ? document.body.innerText : '';",
                json!([]),
            )
            .await
            .unwrap_or_default();
        let source = self
            .try_call(reqwest::Method::GET, "/source", None)
            .await
            .unwrap_or_default();
        panic!(
            "{why}\n--- at {} ---\n--- the page shows ---\n{}\n--- page source ---\n{}",
            url.as_str().unwrap_or("?"),
            text.as_str().unwrap_or(""),
            source.as_str().unwrap_or("")
        );
    }

    pub async fn try_script(&self, js: &str, args: Value) -> Result<Value, String> {
        self.try_call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": js, "args": args })),
        )
        .await
    }

    pub async fn script(&self, js: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": js, "args": [] })),
        )
        .await
    }

    pub async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn source(&self) -> String {
        self.call(reqwest::Method::GET, "/source", None)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// The page's visible text.
    pub async fn text(&self) -> String {
        self.script("return document.body ? document.body.innerText : '';")
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// The first element matching a CSS selector.
    pub async fn element(&self, css: &str) -> String {
        let v = self
            .call(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        el(&v).unwrap()
    }

    pub async fn type_into(&self, css: &str, text: &str) {
        let e = self.element(css).await;
        self.send_keys(&e, text).await;
    }

    pub async fn click(&self, css: &str) {
        let e = self.element(css).await;
        self.click_element(&e).await;
    }

    async fn send_keys(&self, e: &str, text: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        )
        .await;
    }

    async fn click_element(&self, e: &str) {
        self.call(
            reqwest::Method::POST,
            &format!("/element/{e}/click"),
            Some(json!({})),
        )
        .await;
    }

    pub async fn screenshot(&self, to: &Path) {
        let b64 = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        std::fs::write(to, png).unwrap();
    }

    /// The whole page, not only the part in the window (Chrome's DevTools command through
    /// ChromeDriver, geckodriver's full-page screenshot); the window's part when that is not
    /// available.
    pub async fn screenshot_page(&self, to: &Path) {
        if self.engine == Engine::Firefox {
            let shot = self
                .try_call(reqwest::Method::GET, "/moz/screenshot/full", None)
                .await;
            return match shot.as_ref().ok().and_then(Value::as_str) {
                Some(b64) => std::fs::write(
                    to,
                    base64::engine::general_purpose::STANDARD
                        .decode(b64)
                        .unwrap(),
                )
                .unwrap(),
                None => self.screenshot(to).await,
            };
        }
        let cdp = |cmd: &str, params: Value| {
            self.try_call(
                reqwest::Method::POST,
                "/goog/cdp/execute",
                Some(json!({ "cmd": cmd, "params": params })),
            )
        };
        let Ok(m) = cdp("Page.getLayoutMetrics", json!({})).await else {
            return self.screenshot(to).await;
        };
        let width = m["cssLayoutViewport"]["clientWidth"]
            .as_f64()
            .unwrap_or(0.0);
        let height = m["cssContentSize"]["height"]
            .as_f64()
            .unwrap_or(0.0)
            .min(8000.0);
        if width < 1.0 || height < 1.0 {
            return self.screenshot(to).await;
        }
        let shot = cdp(
            "Page.captureScreenshot",
            json!({ "format": "png", "captureBeyondViewport": true, "optimizeForSpeed": true,
                    "clip": { "x": 0, "y": 0, "width": width, "height": height, "scale": 1 } }),
        )
        .await;
        match shot.as_ref().ok().and_then(|v| v["data"].as_str()) {
            Some(b64) => std::fs::write(
                to,
                base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .unwrap(),
            )
            .unwrap(),
            None => self.screenshot(to).await,
        }
    }

    pub async fn set_window(&self, (width, height): (u32, u32)) {
        self.call(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({ "width": width, "height": height })),
        )
        .await;
    }

    /// Ends the session (after checking the page it is on, for a journey).
    pub async fn close(mut self) {
        self.ensure_checked().await;
        let _ = self.try_call(reqwest::Method::DELETE, "", None).await;
        self.closed = true;
    }

    // -- what a person does --

    /// Opens an address (typed, or a link from a mail).
    pub async fn go(&self, url: &str) {
        self.ensure_checked().await;
        self.call(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }

    /// The browser's reload button.
    pub async fn refresh(&self) {
        self.ensure_checked().await;
        self.call(reqwest::Method::POST, "/refresh", Some(json!({})))
            .await;
    }

    async fn find(&self, kind: &str, want: &str, scope: Option<&str>) -> String {
        self.ensure_checked().await;
        let deadline = Instant::now() + PATIENCE;
        loop {
            let why = match self.try_script(FIND_JS, json!([kind, want, scope])).await {
                Ok(v) => match el(&v["el"]) {
                    Some(e) => return e,
                    None => v["problem"].as_str().unwrap_or("?").to_owned(),
                },
                Err(e) => e,
            };
            if Instant::now() > deadline {
                let place = scope.map(|s| format!(" in 「{s}」")).unwrap_or_default();
                return self
                    .fail(&format!("cannot find the {kind} 「{want}」{place}: {why}"))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the link whose visible text is (or starts with, or contains) `text`.
    pub async fn click_link(&self, text: &str) {
        self.act("link", text, None, Act::Click).await;
    }

    /// Clicks the button whose visible text is (or starts with, or contains) `text`.
    pub async fn click_button(&self, text: &str) {
        self.act("button", text, None, Act::Click).await;
    }

    /// Clicks a button of the form (or section) headed `heading`.
    pub async fn click_button_in(&self, heading: &str, text: &str) {
        self.act("button", text, Some(heading), Act::Click).await;
    }

    /// Ticks (or unticks) the checkbox labelled `label`.
    pub async fn check(&self, label: &str) {
        let e = self.find("field", label, None).await;
        self.click_element(&e).await;
    }

    /// Types into the field labelled `label` (what was there is cleared first).
    pub async fn fill(&self, label: &str, value: &str) {
        self.act("field", label, None, Act::Type(value)).await;
    }

    /// Types into a field of the form (or section) headed `heading`.
    pub async fn fill_in(&self, heading: &str, label: &str, value: &str) {
        self.act("field", label, Some(heading), Act::Type(value))
            .await;
    }

    /// Finds what the person means and acts on it. If the page is replaced in between (a
    /// submission that had not finished), it is found again on the new page.
    async fn act(&self, kind: &str, want: &str, scope: Option<&str>, what: Act<'_>) {
        let deadline = Instant::now() + PATIENCE;
        let mut leaves = false;
        loop {
            let e = self.find(kind, want, scope).await;
            let done = match what {
                Act::Click => {
                    leaves = self
                        .try_script(LEAVES_JS, json!([{ ELEMENT: e }]))
                        .await
                        .map(|v| v == json!(true))
                        .unwrap_or(true);
                    self.try_call(
                        reqwest::Method::POST,
                        &format!("/element/{e}/click"),
                        Some(json!({})),
                    )
                    .await
                }
                Act::Type(value) => {
                    match self
                        .try_call(
                            reqwest::Method::POST,
                            &format!("/element/{e}/clear"),
                            Some(json!({})),
                        )
                        .await
                    {
                        Ok(_) => {
                            self.try_call(
                                reqwest::Method::POST,
                                &format!("/element/{e}/value"),
                                Some(json!({ "text": value })),
                            )
                            .await
                        }
                        Err(e) => Err(e),
                    }
                }
            };
            match done {
                Ok(_) => break,
                Err(why) if why.contains("stale element") && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(why) => return self.fail(&why).await,
            }
        }
        if leaves {
            self.settle().await;
        }
    }

    /// After a click on a link or a form's submit button: waits (up to 5 s) for the page it
    /// leads to, so that what the person does next happens on that page and not on the one
    /// being left (a form's submission can start after the click command has returned). What
    /// stays on the page (a `<summary>` that opens a form, a plain button) is not waited for;
    /// a link to a download costs the wait.
    async fn settle(&self) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            let still = self
                .try_script(
                    "return window.__ccusLeaving === true || document.readyState !== 'complete';",
                    json!([]),
                )
                .await;
            if still == Ok(json!(false)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// What the field labelled `label` holds.
    pub async fn value_of(&self, label: &str) -> String {
        let e = self.find("field", label, None).await;
        self.call(
            reqwest::Method::GET,
            &format!("/element/{e}/property/value"),
            None,
        )
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
    }

    /// Chooses the option whose text is (or starts with) `option` in the list labelled `label`.
    pub async fn select(&self, label: &str, option: &str) {
        let list = self.find("field", label, None).await;
        let found = self
            .try_script(
                r#"const [sel, want] = arguments;
                   const norm = s => (s || '').replace(/\s+/g, ' ').trim();
                   const opts = [...sel.options];
                   return opts.find(o => norm(o.text) === want)
                       || opts.find(o => norm(o.text).startsWith(want))
                       || opts.map(o => norm(o.text)).join(' | ');"#,
                json!([el_arg(&list), option]),
            )
            .await;
        match found.as_ref().ok().and_then(el) {
            Some(o) => self.click_element(&o).await,
            None => {
                self.fail(&format!("no option 「{option}」 in 「{label}」: {found:?}"))
                    .await
            }
        }
    }

    /// Attaches a file in the file field labelled `label`.
    pub async fn upload(&self, label: &str, file: &Path) {
        let e = self.find("field", label, None).await;
        let abs = std::fs::canonicalize(file).unwrap();
        self.send_keys(&e, &abs.to_string_lossy()).await;
    }

    /// Waits (up to 10 s) until the page shows `text`.
    pub async fn wait_for_text(&self, text: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(v) = self
                .try_script(
                    "return document.body ? document.body.innerText : '';",
                    json!([]),
                )
                .await
            {
                if v.as_str().is_some_and(|t| t.contains(text)) {
                    return;
                }
            }
            if Instant::now() > deadline {
                return self
                    .fail(&format!("the page never showed 「{text}」"))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits (up to 10 s) until the address contains `part`.
    pub async fn wait_for_url(&self, part: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(v) = self.try_call(reqwest::Method::GET, "/url", None).await {
                if v.as_str().is_some_and(|u| u.contains(part)) {
                    return;
                }
            }
            if Instant::now() > deadline {
                return self
                    .fail(&format!("the address never contained {part:?}"))
                    .await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    // -- checks on every page --

    /// Runs axe-core on the page; returns every violation (of any impact).
    pub async fn axe(&self) -> Vec<Violation> {
        if self.rec.is_none() {
            return Vec::new();
        }
        let inject = format!(
            "if (typeof window.axe === 'undefined') {{\n{AXE_SOURCE}\n}}\n\
             return typeof window.axe === 'object' ? window.axe.version : typeof window.axe;"
        );
        let loaded = self.script(&inject).await;
        if loaded != json!(AXE_VERSION) {
            return self
                .fail(&format!(
                    "axe-core {AXE_VERSION} did not load (the page has {loaded})"
                ))
                .await;
        }
        let r = self
            .call(
                reqwest::Method::POST,
                "/execute/async",
                Some(json!({ "args": [], "script": r#"
                    const done = arguments[arguments.length - 1];
                    axe.run(document, { resultTypes: ['violations'] })
                      .then(r => done({
                        violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                                     targets: v.nodes.map(n => n.target.join(' ')) })) }))
                      .catch(e => done({ problem: String(e) }));"# })),
            )
            .await;
        if let Some(e) = r.get("problem") {
            return self.fail(&format!("axe.run failed: {e}")).await;
        }
        r["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| Violation {
                id: v["id"].as_str().unwrap_or_default().to_owned(),
                impact: v["impact"].as_str().unwrap_or_default().to_owned(),
                help: v["help"].as_str().unwrap_or_default().to_owned(),
                targets: v["targets"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|t| t.as_str().unwrap_or_default().to_owned())
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect()
    }

    /// A step of the journey: axe-core on the page, then a screenshot of the whole page at
    /// desktop width and one at phone width (the window is resized and restored). In Firefox
    /// only a screenshot at the window's own size is taken, unless [`FULL_CHECKS_ENV`] is set (see
    /// [`full_checks`]).
    pub async fn step(&self, name: &str) {
        let Some(rec) = &self.rec else {
            return;
        };
        let j = &rec.journal;
        let n = j.steps.fetch_add(1, Ordering::SeqCst) + 1;
        let file = |width: &str| j.dir.join(format!("{n:02}-{}{name}-{width}.png", rec.who));
        if !full_checks(self.engine) {
            self.screenshot_page(&file("page")).await;
            self.script("window.__ccusChecked = true;").await;
            return;
        }
        let url = self.url().await;
        let path = url.splitn(4, '/').nth(3).unwrap_or_default().to_owned();
        let label = format!("{}/{n:02}-{}{name} (/{path})", j.story, rec.who);
        for v in self.axe().await {
            let line = format!(
                "{label}: {} [{}] {} — {}",
                v.id,
                v.impact,
                v.help,
                v.targets.join(", ")
            );
            if v.impact == "serious" || v.impact == "critical" {
                j.violations.lock().unwrap().push(line);
            } else {
                j.notes
                    .lock()
                    .unwrap()
                    .push(format!("axe (not failing): {line}"));
            }
        }
        self.screenshot_page(&file("desktop")).await;
        self.set_window(PHONE).await;
        let sideways = self
            .script("return document.documentElement.scrollWidth > document.documentElement.clientWidth;")
            .await;
        if sideways == json!(true) {
            j.notes
                .lock()
                .unwrap()
                .push(format!("{label}: scrolls sideways at phone width"));
        }
        self.screenshot_page(&file("phone")).await;
        self.set_window(DESKTOP).await;
        self.script("window.__ccusChecked = true;").await;
    }

    /// Runs a step named after the address on a page that has not had one.
    async fn ensure_checked(&self) {
        if self.rec.is_none() {
            return;
        }
        let Ok(v) = self
            .try_script(
                "return document.readyState === 'complete' && window.__ccusChecked !== true \
                 && location.protocol.startsWith('http') ? location.pathname : null;",
                json!([]),
            )
            .await
        else {
            return;
        };
        if let Some(path) = v.as_str() {
            let name: String = path
                .trim_matches('/')
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            let name = if name.is_empty() { "top".into() } else { name };
            self.step(&format!("auto-{name}")).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    /// The vendored axe-core is the pinned release, byte for byte, with its licence header.
    #[test]
    fn the_vendored_axe_core_is_the_pinned_release() {
        let hash =
            base64::engine::general_purpose::STANDARD.encode(Sha256::digest(AXE_SOURCE.as_bytes()));
        assert_eq!(
            hash, AXE_SHA256,
            "crates/testkit/vendor/axe-core/axe.min.js changed"
        );
        let header: String = AXE_SOURCE.lines().take(6).collect::<Vec<_>>().join("\n");
        assert!(
            header.starts_with(&format!("/*! axe v{AXE_VERSION}\n")),
            "{header}"
        );
        assert!(header.contains("Mozilla Public"), "{header}");
    }
}
