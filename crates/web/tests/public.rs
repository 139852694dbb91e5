//! Public information and maintenance: お知らせ, よくある質問, お問い合わせ with the phone window,
//! and maintenance windows (banner before, 503 during, gone after) shared by instances.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use ccus_domain::calendar::parse_jst;
use ccus_domain::{AccountKind, ManualClock};
use ccus_storage::{testdb, MaintenanceWindow};
use ccus_testkit::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notices_are_newest_first_and_markdown_is_sanitised() {
    let app = spawn_app().await;
    let now = ccus_domain::Clock::now(app.state.clock());
    app.state
        .store()
        .publish_notice("古いお知らせ", "前の内容", now)
        .await
        .unwrap();
    app.clock.advance(Duration::from_secs(60));
    let later = ccus_domain::Clock::now(app.state.clock());
    app.state
        .store()
        .publish_notice(
            "新しいお知らせ",
            "**重要**です。<script>alert(1)</script> [危険](javascript:alert(1)) [FAQ](/faq)",
            later,
        )
        .await
        .unwrap();
    let html = app
        .get(&app.browser(), "/notices")
        .await
        .text()
        .await
        .unwrap();
    let (new, old) = (
        html.find("新しいお知らせ").unwrap(),
        html.find("古いお知らせ").unwrap(),
    );
    assert!(new < old, "newest first");
    assert!(html.contains("<strong>重要</strong>"));
    assert!(!html.contains("<script>alert") && !html.contains("javascript:"));
    assert!(html.contains("href=\"/faq\""));
    let top = app.get(&app.browser(), "/").await.text().await.unwrap();
    for link in ["お知らせ", "よくある質問", "お問い合わせ"] {
        assert!(top.contains(&format!(">{link}</a>")), "{link}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faq_covers_the_guide_and_search_folds_width_and_kana() {
    let app = spawn_app().await;
    let b = app.browser();
    let all = app.get(&b, "/faq").await.text().await.unwrap();
    for topic in [
        "どちらから入れば",
        "14桁",
        "パスワードを忘れました",
        "IDを忘れました",
        "メールアドレスが使えなく",
        "ロックされています",
        "タイムアウトしました",
        "ブラウザ",
        "メンテナンス",
    ] {
        assert!(all.contains(topic), "{topic}");
    }
    let search = |q: &'static str| {
        let (b, url) = (b.clone(), app.url("/faq"));
        async move {
            b.get(url)
                .query(&[("q", q)])
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let r = search("ぱすわーど").await;
    assert!(r.contains("パスワードを忘れました"));
    assert!(!r.contains("使えるブラウザは何ですか"));
    let r = search("ＩＤを 忘れ").await;
    assert!(r.contains("IDを忘れました"));
    // Several words: each must match, in kana or kanji, with any verb ending.
    let r = search("パスワード　忘れ").await;
    assert!(r.contains("パスワードを忘れました"));
    assert!(!r.contains("使えるブラウザは何ですか"));
    let r = search("ID わすれた").await;
    assert!(r.contains("IDを忘れました"));
    assert!(!r.contains("使えるブラウザは何ですか"));
    let r = search("IE").await;
    assert!(r.contains("使えるブラウザは何ですか"), "{r}");
    assert!(!r.contains("パスワードを忘れました"));
    let none = app.get(&b, "/faq?q=zzzz").await.text().await.unwrap();
    assert!(none.contains("該当する質問が見つかりませんでした"));
    // Added entries appear; seeding happens once per database.
    app.state
        .store()
        .add_faq("その他", "追加した質問", "追加した答え")
        .await
        .unwrap();
    let again = spawn_app_with(app.database_url.clone(), |_| {}).await;
    let html = again
        .get(&again.browser(), "/faq")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(html.matches("パスワードを忘れました").count(), 1);
    assert!(html.contains("追加した質問"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn support_page_says_whether_the_phone_window_is_open() {
    let cases = [
        ("2026-11-25 08:59", false),
        ("2026-11-25 09:00", true),
        ("2026-11-25 16:59", true),
        ("2026-11-25 17:00", false),
        ("2026-11-23 10:00", false),
        ("2026-12-30 10:00", false),
    ];
    for (at, open) in cases {
        let clock = Arc::new(ManualClock::at(parse_jst(at).unwrap()));
        let app = spawn_app_on(testdb::sqlite_url(), clock, |_| {}).await;
        let html = app
            .get(&app.browser(), "/support")
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(html.contains("ただいま受付中です"), open, "{at}");
        assert!(html.contains("平日 9:00〜17:00"));
        if at.starts_with("2026-11-23") {
            assert!(html.contains("勤労感謝の日") && html.contains("2026年11月24日 9:00"));
        }
        if at.starts_with("2026-12-30") {
            assert!(html.contains("2027年1月4日 9:00"));
        }
    }
}

async fn maintenance_before_during_after(a: TestApp, b: TestApp) {
    let acct = a.account(AccountKind::Technician).await;
    let signed_in = b.browser();
    assert_eq!(
        b.login(
            &signed_in,
            AccountKind::Technician,
            acct.login_id.as_str(),
            &acct.password
        )
        .await
        .status(),
        303
    );
    let now = ccus_domain::Clock::now(a.state.clock());
    let window = MaintenanceWindow {
        id: 0,
        starts_at: now.plus(Duration::from_secs(3600)),
        ends_at: now.plus(Duration::from_secs(3 * 3600)),
        announce_from: now.minus(Duration::from_secs(60)),
        message: "データベースの更新作業".into(),
    };
    a.state
        .store()
        .schedule_maintenance(&window, "メンテナンスのお知らせ", "本文", now)
        .await
        .unwrap();

    // Before: a banner on the login pages of every instance (another instance reads the
    // window again within a second); logging in still works.
    let deadline = std::time::Instant::now() + Duration::from_secs(3);
    let page = loop {
        let page = b
            .get(&b.browser(), "/ccus_owner/login")
            .await
            .text()
            .await
            .unwrap();
        if page.contains("メンテナンスのお知らせ:") || std::time::Instant::now() > deadline
        {
            break page;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(page.contains("メンテナンスのお知らせ:") && page.contains(&window.starts_at.jst()));
    assert!(b
        .get(&b.browser(), "/notices")
        .await
        .text()
        .await
        .unwrap()
        .contains("メンテナンスのお知らせ"));
    assert_eq!(b.get(&signed_in, "/ccus_skill/home").await.status(), 200);

    // During: 503 with Retry-After and the end time, on login and logged-in pages alike.
    a.clock.advance(Duration::from_secs(3600));
    for (client, path) in [
        (b.browser(), "/ccus_skill/login"),
        (signed_in.clone(), "/ccus_skill/home"),
        (b.browser(), "/ccus_owner/password/forgot"),
    ] {
        let r = b.get(&client, path).await;
        assert_eq!(r.status(), 503, "{path}");
        let retry: u64 = r
            .headers()
            .get("retry-after")
            .unwrap()
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(retry > 7000 && retry <= 7200, "{retry}");
        let html = r.text().await.unwrap();
        assert!(
            html.contains("ただいまメンテナンス中です") && html.contains(&window.ends_at.jst())
        );
        assert!(html.contains("データベースの更新作業"));
    }
    let r = b
        .browser()
        .post(b.url("/ccus_skill/login"))
        .form(&[
            ("login_id", acct.login_id.as_str()),
            ("password", acct.password.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 503, "no login during maintenance");
    for path in [
        "/healthz",
        "/static/ccus.css",
        "/faq",
        "/support",
        "/notices",
    ] {
        assert_eq!(a.get(&a.browser(), path).await.status(), 200, "{path}");
    }
    let top = a.get(&a.browser(), "/").await.text().await.unwrap();
    assert!(top.contains("ただいまメンテナンス中です"));

    // After: gone by itself, everywhere.
    a.clock.advance(Duration::from_secs(2 * 3600));
    assert_eq!(b.get(&b.browser(), "/ccus_skill/login").await.status(), 200);
    assert!(!a
        .get(&a.browser(), "/ccus_skill/login")
        .await
        .text()
        .await
        .unwrap()
        .contains("メンテナンス"));
    assert_eq!(
        a.login(
            &a.browser(),
            AccountKind::Technician,
            acct.login_id.as_str(),
            &acct.password
        )
        .await
        .status(),
        303
    );
}

async fn pair(url: String) -> (TestApp, TestApp) {
    let clock = Arc::new(ManualClock::default());
    let a = spawn_app_on(url.clone(), clock.clone(), |_| {}).await;
    let b = spawn_app_on(url, clock, |_| {}).await;
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maintenance_on_two_instances_sharing_sqlite() {
    let (a, b) = pair(testdb::sqlite_url()).await;
    maintenance_before_during_after(a, b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maintenance_on_two_instances_sharing_postgres() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    let (a, b) = pair(url).await;
    maintenance_before_during_after(a, b).await;
}
