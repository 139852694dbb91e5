//! In a real browser: headless Chromium (Debian's `chromium` and `chromium-driver`) and
//! Firefox ESR (`firefox-esr` with `geckodriver`), driven over the W3C WebDriver protocol, log
//! in on both portals at phone width (390×844) and at desktop width, and save screenshots of
//! the login and home pages to `artifacts/browser/<browser>/` (or `$CCUS_ARTIFACTS_DIR`).
//! Run by `ccus_testkit::harness`: without a browser on the machine the test is reported as
//! ignored, with the reason (as a failure when `CI` is set).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_domain::AccountKind;
use ccus_testkit::browser::{artifacts, Driver, SessionOptions, Tools};
use ccus_testkit::*;
use serde_json::json;

async fn log_in_on_both_portals_at_phone_and_desktop_width(tools: Tools) {
    let app = spawn_app().await;
    let driver = Driver::start(&tools).await;
    let out = artifacts().join(tools.engine.key());
    std::fs::create_dir_all(&out).unwrap();
    for (label, w, h, phone) in [("phone", 390, 844, true), ("desktop", 1280, 900, false)] {
        for kind in [AccountKind::Technician, AccountKind::Business] {
            let acct = app.account(kind).await;
            let s = driver
                .session(SessionOptions {
                    size: (w, h),
                    phone_emulation: phone,
                    ..Default::default()
                })
                .await;
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
            s.wait_for_url(&format!("/{}/home", kind.portal())).await;
            let home = s.source().await;
            assert!(home.contains(&acct.name), "{home}");
            assert!(home.contains(&acct.login_id.grouped()));
            s.screenshot(&out.join(format!("{label}-{}-home.png", kind.portal())))
                .await;
            // ログアウト from the header works in the browser too.
            s.click(".who button[type=submit]").await;
            s.wait_for_url("logged_out=1").await;
            s.close().await;
        }
    }
    // The public and recovery pages at phone width: readable without sideways scrolling.
    let s = driver
        .session(SessionOptions {
            size: (390, 844),
            phone_emulation: true,
            ..Default::default()
        })
        .await;
    for (name, path) in [
        ("top", "/"),
        ("forgot-password", "/ccus_skill/password/forgot"),
        ("inquiry", "/inquiry"),
        ("faq", "/faq"),
        ("support", "/support"),
    ] {
        s.go(&app.url(path)).await;
        let width = s
            .script("return document.documentElement.clientWidth;")
            .await;
        assert!(
            width.as_u64().is_some_and(|w| w <= 390),
            "{path}: the page is {width} px wide, not a phone's width"
        );
        let fits = s
            .script("return document.documentElement.scrollWidth <= window.innerWidth;")
            .await;
        assert_eq!(fits, json!(true), "{path} scrolls sideways on a phone");
        s.screenshot(&out.join(format!("phone-{name}.png"))).await;
    }
    s.close().await;
}

fn main() -> std::process::ExitCode {
    harness::run(
        ["browser test", "browser tests"],
        vec![harness::Case::new(
            "log_in_on_both_portals_at_phone_and_desktop_width",
            log_in_on_both_portals_at_phone_and_desktop_width,
        )],
        Vec::new(),
    )
}
