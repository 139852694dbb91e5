//! In a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`), driven
//! over the W3C WebDriver protocol, logs in on both portals at phone width (390×844) and at
//! desktop width, and saves screenshots of the login and home pages to `artifacts/browser/`
//! (or `$CCUS_ARTIFACTS_DIR`). Without a browser on the machine the test says it was skipped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use ccus_domain::AccountKind;
use common::*;
use serde_json::{json, Value};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find(env: &str, default: &str) -> Option<PathBuf> {
    let p = PathBuf::from(std::env::var(env).unwrap_or_else(|_| default.to_owned()));
    p.exists().then_some(p)
}

struct Driver {
    child: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    async fn start(path: &std::path::Path) -> Driver {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let d = Driver {
            child,
            base: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(r) = d.http.get(format!("{}/status", d.base)).send().await {
                if r.status().is_success() {
                    break;
                }
            }
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        d
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let v: Value = req.send().await.unwrap().json().await.unwrap();
        if v["value"].get("error").is_some() {
            panic!("webdriver {path}: {}", v["value"]);
        }
        v["value"].clone()
    }

    async fn session(
        &self,
        chromium: &std::path::Path,
        width: u32,
        height: u32,
        phone: bool,
        profile: &std::path::Path,
    ) -> Session<'_> {
        let mut opts = json!({
            "binary": chromium.to_string_lossy(),
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--disable-quic", "--no-first-run", "--disable-component-update",
                "--disable-sync", format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", profile.display()),
            ],
        });
        if phone {
            opts["mobileEmulation"] = json!({
                "deviceMetrics": { "width": width, "height": height, "pixelRatio": 2.0, "touch": true },
                "userAgent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36",
            });
        }
        let v = self
            .call(
                reqwest::Method::POST,
                "/session",
                Some(json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": opts}}})),
            )
            .await;
        Session {
            driver: self,
            id: v["sessionId"].as_str().unwrap().to_owned(),
        }
    }
}

struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

impl Session<'_> {
    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        self.driver
            .call(method, &format!("/session/{}{path}", self.id), body)
            .await
    }
    async fn go(&self, url: &str) {
        self.call(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
    }
    async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }
    async fn source(&self) -> String {
        self.call(reqwest::Method::GET, "/source", None)
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }
    async fn element(&self, css: &str) -> String {
        let v = self
            .call(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        v[ELEMENT].as_str().unwrap().to_owned()
    }
    async fn type_into(&self, css: &str, text: &str) {
        let e = self.element(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        )
        .await;
    }
    async fn click(&self, css: &str) {
        let e = self.element(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{e}/click"),
            Some(json!({})),
        )
        .await;
    }
    async fn screenshot(&self, to: &std::path::Path) {
        let b64 = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap())
            .unwrap();
        std::fs::write(to, png).unwrap();
    }
    async fn script(&self, js: &str) -> Value {
        self.call(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({ "script": js, "args": [] })),
        )
        .await
    }
    async fn close(self) {
        self.call(reqwest::Method::DELETE, "", None).await;
    }
}

fn artifacts() -> PathBuf {
    let dir = std::env::var("CCUS_ARTIFACTS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../artifacts"))
        .join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_in_on_both_portals_in_chromium_at_phone_and_desktop_width() {
    let (Some(chromium), Some(chromedriver)) = (
        find("CCUS_CHROMIUM", "/usr/bin/chromium"),
        find("CCUS_CHROMEDRIVER", "/usr/bin/chromedriver"),
    ) else {
        eprintln!(
            "skipped: no Chromium/ChromeDriver (install Debian's chromium and chromium-driver)"
        );
        return;
    };
    let app = spawn_app().await;
    let driver = Driver::start(&chromedriver).await;
    let out = artifacts();
    for (label, w, h, phone) in [("phone", 390, 844, true), ("desktop", 1280, 900, false)] {
        for kind in [AccountKind::Technician, AccountKind::Business] {
            let acct = app.account(kind).await;
            let profile = tempfile::tempdir().unwrap();
            let s = driver.session(&chromium, w, h, phone, profile.path()).await;
            s.go(&app.url(kind.login_path())).await;
            let src = s.source().await;
            assert!(src.contains(&format!("{}ログイン", kind.label_ja())));
            s.screenshot(&out.join(format!("{label}-{}-login.png", kind.portal())))
                .await;
            // On the phone, the ID as a Japanese keyboard types it: full-width, with spaces.
            let typed = if phone {
                typed_on_phone(&acct.login_id)
            } else {
                acct.login_id.grouped()
            };
            s.type_into("#login_id", &typed).await;
            s.type_into("#password", &acct.password).await;
            s.click("button[type=submit]").await;
            let deadline = Instant::now() + Duration::from_secs(10);
            while !s.url().await.ends_with("/home") {
                assert!(
                    Instant::now() < deadline,
                    "did not reach the home page: {}",
                    s.source().await
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            let home = s.source().await;
            assert!(home.contains(&acct.name), "{home}");
            assert!(home.contains(&acct.login_id.grouped()));
            s.screenshot(&out.join(format!("{label}-{}-home.png", kind.portal())))
                .await;
            // ログアウト from the header works in the browser too.
            s.click(".who button[type=submit]").await;
            let deadline = Instant::now() + Duration::from_secs(10);
            while !s.url().await.contains("logged_out=1") {
                assert!(Instant::now() < deadline, "logout did not complete");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            s.close().await;
        }
    }
    // The public and recovery pages at phone width: readable without sideways scrolling.
    let profile = tempfile::tempdir().unwrap();
    let s = driver
        .session(&chromium, 390, 844, true, profile.path())
        .await;
    for (name, path) in [
        ("top", "/"),
        ("forgot-password", "/ccus_skill/password/forgot"),
        ("inquiry", "/inquiry"),
        ("faq", "/faq"),
        ("support", "/support"),
    ] {
        s.go(&app.url(path)).await;
        let fits = s
            .script("return document.documentElement.scrollWidth <= window.innerWidth;")
            .await;
        assert_eq!(fits, json!(true), "{path} scrolls sideways on a phone");
        s.screenshot(&out.join(format!("phone-{name}.png"))).await;
    }
    s.close().await;
    eprintln!("screenshots in {}", out.display());
}
