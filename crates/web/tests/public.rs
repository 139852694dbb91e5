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
        .store_for_tools()
        .public_info()
        .public_info()
        .publish_notice("古いお知らせ", "前の内容", now)
        .await
        .unwrap();
    app.clock.advance(Duration::from_secs(60));
    let later = ccus_domain::Clock::now(app.state.clock());
    app.state
        .store_for_tools()
        .public_info()
        .public_info()
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
        .store_for_tools()
        .public_info()
        .public_info()
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
        .store_for_tools()
        .public_info()
        .public_info()
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
    let a = spawn_app_with(url, |_| {}).await;
    let b = a.second_instance(|_| {}).await;
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maintenance_on_two_instances_sharing_sqlite() {
    let (a, b) = pair(testdb::sqlite_url()).await;
    maintenance_before_during_after(a, b).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maintenance_on_two_instances_sharing_postgres() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    let (a, b) = pair(url).await;
    maintenance_before_during_after(a, b).await;
}

/// A browser that has chosen `lang` with the switch.
async fn browser_in(app: &TestApp, lang: &str) -> reqwest::Client {
    let b = app.browser();
    app.get(&b, &format!("/lang/{lang}?back=/")).await;
    b
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_pages_speak_english_and_easy_japanese() {
    let app = spawn_app().await;
    let en = browser_in(&app, "en").await;
    let page = |b: reqwest::Client, path: &'static str| {
        let url = app.url(path);
        async move { b.get(url).send().await.unwrap().text().await.unwrap() }
    };

    let notices = page(en.clone(), "/notices").await;
    assert!(notices.contains("<h1>Notices</h1>") && notices.contains("There are no notices now."));
    assert!(!notices.contains("現在、お知らせはありません"));

    let faq = page(en.clone(), "/faq").await;
    assert!(faq.contains("<title>Frequently asked questions |"));
    assert!(faq.contains("<h1>Frequently asked questions</h1>"));
    assert!(faq.contains(">Search</button>"));
    assert!(
        faq.contains("I forgot my password") && !faq.contains("パスワードを忘れました"),
        "the first entries are translated"
    );
    assert!(!faq.contains("Some questions are not translated yet"));
    let found = page(en.clone(), "/faq?q=PASSWORD%20forgot").await;
    assert!(found.contains("I forgot my password") && !found.contains("I forgot my ID"));
    assert!(!faq.contains("解決しない場合は") && !faq.contains("質問を検索"));
    let none = page(en.clone(), "/faq?q=zzzz").await;
    assert!(none.contains("Results for “zzzz”: 0") && none.contains("No question matched."));
    assert!(!none.contains("該当する質問が見つかりませんでした"));

    let support = page(en.clone(), "/support").await;
    assert!(support.contains("<h1>Contact us</h1>"));
    assert!(support.contains("Hours: weekdays 9:00–17:00 Japan time"));
    assert!(support.contains("href=\"/inquiry\">contact form</a>"));
    // (The helpdesk's contact line is configuration, written by the operator.)
    assert!(!support.contains("電話窓口") && !support.contains("ただいま受付"));

    let r = app.get(&en, "/no-such-page").await;
    assert_eq!(r.status(), 404);
    let missing = r.text().await.unwrap();
    assert!(missing.contains("<h1>Page not found</h1>"));
    assert!(missing.contains("Reference number (受付番号): <span class=\"mono\">"));
    assert!(missing.contains(">Home page</a>"));
    assert!(!missing.contains("ページが見つかりません"));

    let easy = browser_in(&app, "easy").await;
    let faq = page(easy.clone(), "/faq").await;
    assert!(faq.contains("<h1>よくある しつもん</h1>"));
    assert!(faq.contains("パスワードを わすれました") && !faq.contains("パスワードを忘れました"));
    let support = page(easy.clone(), "/support").await;
    assert!(support.contains("<h1>といあわせ</h1>") && support.contains("<h2>でんわ</h2>"));
    let missing = page(easy.clone(), "/no-such-page").await;
    assert!(missing.contains("<h1>ページが ありません</h1>"));
    assert!(missing.contains("受付番号（うけつけ ばんごう）"));

    // Japanese stays as it was, without the note about the entries' language.
    let ja = page(app.browser(), "/faq").await;
    assert!(ja.contains("<h1>よくある質問</h1>") && !ja.contains("日本語でのみ"));

    // An entry the staff add in Japanese shows in Japanese, marked so, until it is translated.
    app.state
        .store_for_tools()
        .public_info()
        .public_info()
        .add_faq("その他", "追加した質問", "追加した答え")
        .await
        .unwrap();
    let faq = page(en.clone(), "/faq").await;
    assert!(faq.contains("Some questions are not translated yet"));
    assert!(faq.contains("lang=\"ja\"") && faq.contains("追加した質問"));

    // Internet Explorer is told in the language it asks for.
    let ie = reqwest::Client::builder()
        .user_agent("Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko")
        .build()
        .unwrap();
    let html = ie
        .get(app.url("/"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<title>Internet Explorer cannot be used |"));
    assert!(html.contains("<strong>Microsoft Edge</strong> (it comes with Windows)"));
    assert!(!html.contains("ご利用いただけません"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_phone_window_is_explained_in_english() {
    let clock = Arc::new(ManualClock::at(parse_jst("2026-11-23 10:00").unwrap()));
    let app = spawn_app_on(testdb::sqlite_url(), clock, |_| {}).await;
    let en = browser_in(&app, "en").await;
    let html = app.get(&en, "/support").await.text().await.unwrap();
    assert!(
        html.contains(
            "The line is closed now (today is a national holiday: 勤労感謝の日). \
             It opens again at 2026-11-24 9:00 (Japan time)."
        ),
        "{html}"
    );
    let easy = browser_in(&app, "easy").await;
    let html = app.get(&easy, "/support").await.text().await.unwrap();
    assert!(
        html.contains("（きょうは 勤労感謝の日）。つぎは 2026年11月24日 9:00 から うけつけます。")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maintenance_is_announced_in_the_reader_s_language() {
    let app = spawn_app().await;
    let now = ccus_domain::Clock::now(app.state.clock());
    let window = MaintenanceWindow {
        id: 0,
        starts_at: now.plus(Duration::from_secs(3600)),
        ends_at: now.plus(Duration::from_secs(2 * 3600)),
        announce_from: now.minus(Duration::from_secs(60)),
        message: "データベースの更新作業".into(),
    };
    app.state
        .store_for_tools()
        .public_info()
        .public_info()
        .schedule_maintenance(&window, "メンテナンスのお知らせ", "本文", now)
        .await
        .unwrap();
    let en = browser_in(&app, "en").await;
    let easy = browser_in(&app, "easy").await;
    let top = app.get(&en, "/").await.text().await.unwrap();
    assert!(top.contains(&format!(
        "Maintenance notice: from {} to {} (Japan time) you cannot log in.",
        window.starts_at.jst(),
        window.ends_at.jst()
    )));
    let top = app.get(&easy, "/").await.text().await.unwrap();
    assert!(top.contains("メンテナンス（てんけん）の おしらせ:"));

    app.clock.advance(Duration::from_secs(3600));
    let r = app.get(&en, "/ccus_skill/login").await;
    assert_eq!(r.status(), 503);
    let html = r.text().await.unwrap();
    assert!(html.contains("<h1>The system is under maintenance now</h1>"));
    assert!(html.contains(&format!(
        "It is planned to end at {} (Japan time).",
        window.ends_at.jst()
    )));
    assert!(
        html.contains("データベースの更新作業"),
        "the staff's words stay"
    );
    assert!(html.contains(">See the notices</a>") && !html.contains("ただいまメンテナンス中です"));
    let r = app.get(&easy, "/ccus_owner/login").await;
    assert_eq!(r.status(), 503);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("<h1>いま メンテナンス（てんけん）ちゅうです</h1>"));
}
