//! The login portals end to end over HTTP: input handling, no enumeration, lockout,
//! sessions and timeouts, forms and headers, access history.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use ccus_domain::{AccountKind, LoginId};
use ccus_testkit::*;

const TECH: AccountKind = AccountKind::Technician;
const BIZ: AccountKind = AccountKind::Business;

fn unknown_id(kind: AccountKind) -> LoginId {
    LoginId::generate(kind, &mut rand::thread_rng())
}

/// Bodies of two login responses, with the per-request parts (entered ID) made equal.
fn comparable(body: &str, id: &LoginId) -> String {
    body.replace(&id.grouped(), "<ID>")
        .replace(id.as_str(), "<ID>")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn technician_and_business_log_in_however_the_id_is_typed() {
    let app = spawn_app().await;
    for kind in [TECH, BIZ] {
        let acct = app.account(kind).await;
        let b = app.browser();
        let r = app
            .login(&b, kind, &typed_on_phone(&acct.login_id), &acct.password)
            .await;
        assert_eq!(r.status(), 303, "{kind}");
        assert_eq!(location(&r), format!("/{}/home", kind.portal()));
        let home = app.get(&b, &format!("/{}/home", kind.portal())).await;
        assert_eq!(home.status(), 200);
        let html = home.text().await.unwrap();
        assert!(html.contains(&acct.name));
        assert!(html.contains(&acct.login_id.grouped()));
        assert!(html.contains("アクセス履歴"));
        assert!(html.contains("ログアウト"));
    }
    // Half-width with hyphens, and full-width ASCII in the password, are the same.
    let acct = app.account(TECH).await;
    let b = app.browser();
    let hyphenated = acct.login_id.grouped().replace(' ', "-");
    let full_width_pw: String = acct
        .password
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                char::from_u32(c as u32 + 0xFEE0).unwrap()
            } else {
                c
            }
        })
        .collect();
    let r = app.login(&b, TECH, &hyphenated, &full_width_pw).await;
    assert_eq!(r.status(), 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_id_and_wrong_password_get_the_same_answer() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let nobody = unknown_id(TECH);
    let b = app.browser();
    let token = app.csrf(&b, TECH).await;
    let wrong = app
        .post_login(
            &b,
            TECH,
            acct.login_id.as_str(),
            "wrong password",
            &token,
            "",
        )
        .await;
    let unknown = app
        .post_login(&b, TECH, nobody.as_str(), "wrong password", &token, "")
        .await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), wrong.status());
    assert_eq!(set_cookies(wrong.headers()), set_cookies(unknown.headers()));
    let w = comparable(&wrong.text().await.unwrap(), &acct.login_id);
    let u = comparable(&unknown.text().await.unwrap(), &nobody);
    assert!(w.contains("IDまたはパスワードが違います"));
    assert_eq!(w, u);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typos_in_the_id_are_caught_before_any_password_check() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    let r = app.login(&b, TECH, "12345", "whatever").await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("技能者IDは14桁の数字です。入力内容をご確認ください"));
    assert!(html.contains("value=\"12345\""), "what was typed is kept");

    let mut digits: Vec<u8> = acct.login_id.as_str().bytes().collect();
    digits[5] = if digits[5] == b'9' {
        b'0'
    } else {
        digits[5] + 1
    };
    let typo = String::from_utf8(digits).unwrap();
    let r = app.login(&b, TECH, &typo, &acct.password).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("技能者IDに誤りがあります"));

    let r = app.login(&b, TECH, "", "x").await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("技能者IDを入力してください"));
    let r = app.login(&b, TECH, acct.login_id.as_str(), "").await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("パスワードを入力してください"));
    let r = app
        .login(&b, TECH, acct.login_id.as_str(), &"x".repeat(1025))
        .await;
    assert_eq!(r.status(), 422);

    // None of these counted as a failed attempt.
    let st = app
        .state
        .store_for_tools()
        .guards()
        .guard_state(acct.login_id.as_str())
        .await
        .unwrap();
    assert_eq!(st, Default::default());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_entrance_names_the_right_one_with_a_link() {
    let app = spawn_app().await;
    let acct = app.account(BIZ).await;
    let b = app.browser();
    let r = app
        .login(&b, TECH, &acct.login_id.grouped(), &acct.password)
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("入力されたIDは事業者IDです"));
    let link = format!("/ccus_owner/login?login_id={}", acct.login_id.as_str());
    assert!(html.contains(&link));
    // An ID nobody has gets the same guidance: it reveals nothing about accounts.
    let nobody = unknown_id(BIZ);
    let r = app.login(&b, TECH, nobody.as_str(), "x").await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("入力されたIDは事業者IDです"));
    // The link opens the right portal with the ID filled in; logging in there works.
    let page = app.get(&b, &link).await.text().await.unwrap();
    assert!(page.contains("事業者ログイン"));
    assert!(page.contains(&format!("value=\"{}\"", acct.login_id.as_str())));
    assert_eq!(
        app.login(&b, BIZ, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303
    );
    // Nothing was counted against the ID at the wrong entrance.
    assert_eq!(
        app.state
            .store_for_tools()
            .guards()
            .guard_state(acct.login_id.as_str())
            .await
            .unwrap()
            .consecutive,
        0
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_wrong_passwords_lock_the_id_and_all_count() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    let token = app.csrf(&b, TECH).await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let (b, token, url, id) = (
            b.clone(),
            token.clone(),
            app.url(TECH.login_path()),
            acct.login_id.as_str().to_owned(),
        );
        tasks.push(tokio::spawn(async move {
            b.post(url)
                .form(&[
                    ("login_id", id.as_str()),
                    ("password", &format!("guess {i}")),
                    ("csrf_token", &token),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let wrong = statuses.iter().filter(|s| **s == 401).count();
    let locked = statuses.iter().filter(|s| **s == 423).count();
    assert_eq!(wrong + locked, 50, "{statuses:?}");
    assert_eq!(
        wrong, 4,
        "four plain failures, the fifth locks: {statuses:?}"
    );
    let st = app
        .state
        .store_for_tools()
        .guards()
        .guard_state(acct.login_id.as_str())
        .await
        .unwrap();
    assert_eq!(st.consecutive, 5, "exactly the threshold was checked");
    assert_eq!(
        u64::from(st.consecutive) + st.refused,
        50,
        "every attempt counted"
    );

    // While locked, even the right password is refused, without a hash.
    let r = app
        .login(&b, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    assert_eq!(r.status(), 423);
    let html = r.text().await.unwrap();
    assert!(html.contains("このIDは現在ロックされています"));
    assert!(html.contains("（日本時間）以降に、自動的にロックが解除されます"));

    // After the lock ends by itself, the right password works and the count is reset.
    app.clock.advance(Duration::from_secs(30 * 60));
    let r = app
        .login(&b, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.state
            .store_for_tools()
            .guards()
            .guard_state(acct.login_id.as_str())
            .await
            .unwrap(),
        Default::default()
    );

    // The history holds every attempt: 5 failures (the last also recorded as the lock),
    // 45 + 1 refusals while locked, and the login.
    let html = app
        .get(&b, "/ccus_skill/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("全53件"), "history count");
    assert!(html.contains("ロック中のためログイン不可"));
    // Parallel requests finish in any order, so read every page.
    let mut all = String::new();
    for page in 1..=3 {
        let p = app
            .get(&b, &format!("/ccus_skill/history?page={page}"))
            .await;
        all.push_str(&p.text().await.unwrap());
    }
    assert_eq!(all.matches("ログイン失敗が続いたためロック").count(), 1);
    assert_eq!(all.matches("ログイン失敗（パスワードの誤り）").count(), 5);
    assert_eq!(all.matches("ロック中のためログイン不可").count(), 46);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lock_page_is_the_same_for_existing_and_unknown_ids() {
    let app = spawn_app().await;
    let acct = app.account(BIZ).await;
    let nobody = unknown_id(BIZ);
    let b = app.browser();
    let token = app.csrf(&b, BIZ).await;
    let mut last = Vec::new();
    for id in [&acct.login_id, &nobody] {
        let mut resp = None;
        for _ in 0..6 {
            resp = Some(
                app.post_login(&b, BIZ, id.as_str(), "wrong", &token, "")
                    .await,
            );
        }
        let r = resp.unwrap();
        assert_eq!(r.status(), 423);
        last.push(comparable(&r.text().await.unwrap(), id));
    }
    assert_eq!(last[0], last[1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_unlock_lifts_the_lock() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    for _ in 0..5 {
        app.login(&b, TECH, acct.login_id.as_str(), "wrong").await;
    }
    assert_eq!(
        app.login(&b, TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        423
    );
    let lifted = ccus_app::auth::unlock::by_operator(&app.state, &acct.login_id)
        .await
        .unwrap();
    assert!(lifted.id_was_locked);
    assert_eq!(
        app.login(&b, TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_login_gets_a_new_session() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let url: reqwest::Url = app.base.parse().unwrap();
    // A session id planted by an attacker before login.
    jar.add_cookie_str("ccus_session=planted-by-attacker; Path=/", &url);
    let b = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let first = app
        .login(&b, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    let t1 = cookie_value(first.headers(), "ccus_session").unwrap();
    assert_ne!(t1, "planted-by-attacker");
    assert_eq!(t1.len(), 43, "256-bit token, base64url");
    let second = app
        .login(&b, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    let t2 = cookie_value(second.headers(), "ccus_session").unwrap();
    assert_ne!(t1, t2);
    // Cookie attributes.
    let c = set_cookies(second.headers())
        .into_iter()
        .find(|c| c.starts_with("ccus_session="))
        .unwrap();
    assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Path=/"));
    assert!(
        !c.contains("Expires") && !c.contains("Max-Age"),
        "the server decides when it ends"
    );
    // The database holds only the hash.
    assert!(app
        .state
        .store_for_tools()
        .sessions()
        .session(&t1)
        .await
        .unwrap()
        .is_none());
    assert!(app
        .state
        .store_for_tools()
        .sessions()
        .session(&ccus_web::security::token_hash(&t2))
        .await
        .unwrap()
        .is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_timeout_says_so_and_returns_to_the_page_asked_for() {
    let app = spawn_app().await;
    let acct = app.account(BIZ).await;
    let b = app.browser();
    assert_eq!(
        app.login(&b, BIZ, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303
    );
    assert_eq!(
        app.get(&b, "/ccus_owner/history?page=1").await.status(),
        200
    );
    // Activity keeps the session alive...
    app.clock.advance(Duration::from_secs(20 * 60));
    assert_eq!(app.get(&b, "/ccus_owner/home").await.status(), 200);
    app.clock.advance(Duration::from_secs(20 * 60));
    assert_eq!(app.get(&b, "/ccus_owner/home").await.status(), 200);
    // ...thirty idle minutes end it.
    app.clock.advance(Duration::from_secs(30 * 60));
    let r = app.get(&b, "/ccus_owner/history?page=1").await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert_eq!(
        to,
        format!(
            "/ccus_owner/login?timeout=1&login_id={}&next=/ccus_owner/history%3Fpage%3D1",
            acct.login_id.as_str()
        )
    );
    let page = app.get(&b, &to).await.text().await.unwrap();
    assert!(page.contains("タイムアウトしました。お手数ですが、再度ログインしてください。"));
    let token = csrf_in(&page);
    assert!(page.contains("name=\"next\" value=\"/ccus_owner/history?page=1\""));
    let r = app
        .post_login(
            &b,
            BIZ,
            acct.login_id.as_str(),
            &acct.password,
            &token,
            "/ccus_owner/history?page=1",
        )
        .await;
    assert_eq!(location(&r), "/ccus_owner/history?page=1");
    let html = app
        .get(&b, "/ccus_owner/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("タイムアウト"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn absolute_timeout_ends_even_a_busy_session() {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.session.idle_timeout = Duration::from_secs(30 * 60);
        c.session.absolute_timeout = Duration::from_secs(60 * 60);
    })
    .await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    app.login(&b, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    for _ in 0..2 {
        app.clock.advance(Duration::from_secs(25 * 60));
        assert_eq!(app.get(&b, "/ccus_skill/home").await.status(), 200);
    }
    app.clock.advance(Duration::from_secs(10 * 60));
    let r = app.get(&b, "/ccus_skill/home").await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).contains("timeout=1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_open_redirect_after_login() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    for evil in [
        "https://evil.example/",
        "//evil.example/x",
        "/ccus_skill//evil.example",
        "/ccus_owner/home",
    ] {
        let token = app.csrf(&b, TECH).await;
        let r = app
            .post_login(
                &b,
                TECH,
                acct.login_id.as_str(),
                &acct.password,
                &token,
                evil,
            )
            .await;
        assert_eq!(location(&r), "/ccus_skill/home", "{evil}");
    }
    let r = app
        .get(&b, "/ccus_skill/login?next=https://evil.example/")
        .await
        .text()
        .await
        .unwrap();
    assert!(r.contains("name=\"next\" value=\"\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_is_normalised_before_it_becomes_a_location() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    for (next, want) in [
        // A browser resolves the dots: this would land on /evil.
        ("/ccus_skill/../../evil", "/ccus_skill/home"),
        ("/ccus_skill/%2e%2e/%2e%2e/evil", "/ccus_skill/home"),
        ("/ccus_skill/..%2f..%2fevil", "/ccus_skill/home"),
        ("/ccus_skill/../ccus_owner/home", "/ccus_skill/home"),
        ("/ccus_skill/%5C%5Cevil.example", "/ccus_skill/home"),
        (
            "/ccus_skill/x/../history?page=2",
            "/ccus_skill/history?page=2",
        ),
        // Non-ASCII never goes raw into the header.
        (
            "/ccus_skill/履歴?q=ｱ",
            "/ccus_skill/%E5%B1%A5%E6%AD%B4?q=%EF%BD%B1",
        ),
    ] {
        let token = app.csrf(&b, TECH).await;
        let r = app
            .post_login(
                &b,
                TECH,
                acct.login_id.as_str(),
                &acct.password,
                &token,
                next,
            )
            .await;
        assert_eq!(r.status(), 303, "{next}");
        let raw = r.headers().get("location").unwrap().as_bytes().to_vec();
        assert_eq!(String::from_utf8_lossy(&raw), want, "{next}");
        assert!(raw.is_ascii(), "{next}");
    }
    // The login form carries the normalised path too.
    let page = app
        .get(&b, "/ccus_skill/login?next=/ccus_skill/../../evil")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("name=\"next\" value=\"\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    let r = app
        .login(&b, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    let token = cookie_value(r.headers(), "ccus_session").unwrap();
    let home = app.get(&b, "/ccus_skill/home").await.text().await.unwrap();
    let csrf = csrf_in(&home);
    let r = b
        .post(app.url("/ccus_skill/logout"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/ccus_skill/login?logged_out=1");
    assert!(app
        .state
        .store_for_tools()
        .sessions()
        .session(&ccus_web::security::token_hash(&token))
        .await
        .unwrap()
        .is_none());
    // Replaying the old cookie does not get in.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = replay
        .get(app.url("/ccus_skill/home"))
        .header("cookie", format!("ccus_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(app
        .get(&b, "/ccus_skill/login?logged_out=1")
        .await
        .text()
        .await
        .unwrap()
        .contains("ログアウトしました"));
    // A logout is a POST: GET is not a way to log someone out.
    assert_eq!(app.get(&b, "/ccus_skill/logout").await.status(), 405);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cookie_kept_after_logout_reads_as_logged_out_not_timed_out() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    let r = app
        .login(&b, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    let token = cookie_value(r.headers(), "ccus_session").unwrap();
    let home = app.get(&b, "/ccus_skill/home").await.text().await.unwrap();
    let r = b
        .post(app.url("/ccus_skill/logout"))
        .form(&[("csrf_token", csrf_in(&home).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/ccus_skill/login?logged_out=1");
    // A browser that kept the cookie (another tab, a cached page, a replay) opens a page.
    let kept = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let r = kept
        .get(app.url("/ccus_skill/history"))
        .header("cookie", format!("ccus_session={token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert_eq!(
        to,
        "/ccus_skill/login?logged_out=1&next=/ccus_skill/history"
    );
    assert!(
        set_cookies(r.headers())
            .iter()
            .any(|c| c.starts_with("ccus_session=;")),
        "the stale cookie is dropped: {:?}",
        set_cookies(r.headers())
    );
    let page = app.get(&b, &to).await.text().await.unwrap();
    assert!(page.contains("ログアウトしました"));
    assert!(!page.contains("タイムアウト"), "not a timeout");
    // A session that really timed out still says so.
    let r = app
        .login(&b, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    assert_eq!(r.status(), 303);
    app.clock.advance(Duration::from_secs(31 * 60));
    let r = app.get(&b, "/ccus_skill/home").await;
    assert!(location(&r).starts_with("/ccus_skill/login?timeout=1"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_site_posts_are_refused() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    let token = app.csrf(&b, TECH).await;
    let form = [
        ("login_id", acct.login_id.as_str()),
        ("password", acct.password.as_str()),
        ("csrf_token", token.as_str()),
    ];
    let r = b
        .post(app.url("/ccus_skill/login"))
        .header("origin", "https://evil.example")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("この操作は受け付けられませんでした"));
    let r = b
        .post(app.url("/ccus_skill/login"))
        .header("sec-fetch-site", "cross-site")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // Without a token, or with another browser's token.
    let r = b
        .post(app.url("/ccus_skill/login"))
        .form(&form[..2])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let other = app.browser();
    let r = other
        .post(app.url("/ccus_skill/login"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // `Origin: null` from another site (a sandboxed frame, a no-referrer page elsewhere), even
    // with this browser's token, or with no Fetch Metadata to say where it came from.
    for site in [Some("cross-site"), Some("same-site"), None] {
        let mut req = b
            .post(app.url("/ccus_skill/login"))
            .header("origin", "null")
            .form(&form);
        if let Some(site) = site {
            req = req.header("sec-fetch-site", site);
        }
        assert_eq!(req.send().await.unwrap().status(), 403, "{site:?}");
    }
    // A browser's own `Origin: null` on a same-origin form (what Chromium sends from a page
    // whose referrer policy hides the origin) still needs the token ...
    let r = other
        .post(app.url("/ccus_skill/login"))
        .header("origin", "null")
        .header("sec-fetch-site", "same-origin")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // ... and with it, works.
    let r = b
        .post(app.url("/ccus_skill/login"))
        .header("origin", "null")
        .header("sec-fetch-site", "same-origin")
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // Same origin with the right token works.
    let b = app.browser();
    let token = app.csrf(&b, TECH).await;
    let r = b
        .post(app.url("/ccus_skill/login"))
        .header("origin", app.base.as_str())
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("login_id", acct.login_id.as_str()),
            ("password", acct.password.as_str()),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn security_headers_on_every_page() {
    let app = spawn_app().await;
    let b = app.browser();
    for path in [
        "/",
        "/ccus_skill/login",
        "/ccus_owner/login",
        "/no/such/page",
        "/ccus_skill/home",
    ] {
        let r = app.get(&b, path).await;
        let h = r.headers();
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"),
            "{path}"
        );
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
        assert!(h.get("referrer-policy").is_some());
        assert!(
            h.get("strict-transport-security").is_none(),
            "no HSTS over http"
        );
        assert!(h.get("x-request-id").is_some());
    }
    let r = app.get(&b, "/no/such/page").await;
    assert_eq!(r.status(), 404);
    let html = r.text().await.unwrap();
    assert!(html.contains("ページが見つかりません") && html.contains("受付番号"));

    // Under https: HSTS, and cookies with Secure and the __Host- prefix.
    let https = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.public_url = "https://ccus.example.jp".into();
    })
    .await;
    let r = https.get(&https.browser(), "/ccus_skill/login").await;
    assert!(r.headers().get("strict-transport-security").is_some());
    let c = set_cookies(r.headers());
    assert!(
        c.iter()
            .any(|c| c.starts_with("__Host-ccus_csrf=") && c.contains("; Secure")),
        "{c:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn internet_explorer_gets_a_clear_page() {
    let app = spawn_app().await;
    let ie = reqwest::Client::builder()
        .user_agent("Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko")
        .build()
        .unwrap();
    for path in ["/", "/ccus_skill/login", "/ccus_owner/login"] {
        let html = ie
            .get(app.url(path))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("<title>Internet Explorerはご利用いただけません"));
        assert!(html.contains("Google Chrome") && html.contains("Microsoft Edge"));
    }
    let msie = reqwest::Client::builder()
        .user_agent("Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1)")
        .build()
        .unwrap();
    assert!(msie
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("Internet Explorerはご利用いただけません"));
    // Current browsers get the real page.
    let html = app
        .browser()
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("<title>Internet Explorerはご利用いただけません"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn top_page_explains_both_entrances() {
    let app = spawn_app().await;
    let html = app.get(&app.browser(), "/").await.text().await.unwrap();
    assert!(
        html.contains("href=\"/ccus_skill/login\"") && html.contains("href=\"/ccus_owner/login\"")
    );
    assert!(html.contains("技能者ID（14桁）") && html.contains("事業者ID（14桁）"));
    let login = app
        .get(&app.browser(), "/ccus_skill/login")
        .await
        .text()
        .await
        .unwrap();
    assert!(login.contains("inputmode=\"numeric\"") && login.contains("autocomplete=\"username\""));
    assert!(login.contains("autocomplete=\"current-password\""));
    // The only script is the optional one that keeps a timed-out form's words.
    assert!(
        !login
            .replace("<script src=\"/static/keep.js\" defer></script>", "")
            .contains("<script"),
        "the login page works without JavaScript"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn access_history_is_paginated_newest_first() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    for _ in 0..3 {
        app.login(&b, TECH, acct.login_id.as_str(), "wrong").await;
        app.clock.advance(Duration::from_secs(1));
    }
    for _ in 0..22 {
        app.login(&b, TECH, acct.login_id.as_str(), &acct.password)
            .await;
        app.clock.advance(Duration::from_secs(1));
    }
    let p1 = app
        .get(&b, "/ccus_skill/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(p1.contains("1 / 2 ページ（全25件）"));
    assert!(p1.contains("rel=\"next\""));
    assert!(
        !p1.contains("ログイン失敗（"),
        "failures are the oldest, so on page 2"
    );
    assert!(p1.contains("Safari"));
    let p2 = app
        .get(&b, "/ccus_skill/history?page=2")
        .await
        .text()
        .await
        .unwrap();
    assert!(p2.contains("2 / 2 ページ"));
    assert_eq!(p2.matches("ログイン失敗（パスワードの誤り）").count(), 3);
    assert!(p2.contains("127.0.0.1"));
    // Nonsense page numbers are clamped.
    assert_eq!(
        app.get(&b, "/ccus_skill/history?page=abc").await.status(),
        200
    );
    assert_eq!(
        app.get(&b, "/ccus_skill/history?page=99999999999999999999")
            .await
            .status(),
        200
    );
    // The history is the account's own: a business account sees none of it.
    let other = app.account(BIZ).await;
    let b2 = app.browser();
    app.login(&b2, BIZ, other.login_id.as_str(), &other.password)
        .await;
    let h = app
        .get(&b2, "/ccus_owner/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(h.contains("全1件"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_of_one_portal_does_not_open_the_other() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    app.login(&b, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    let r = app.get(&b, "/ccus_owner/home").await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/ccus_owner/login"));
    assert!(!location(&r).contains("timeout"));
    let r = app.get(&b, "/ccus_skill/home").await;
    assert_eq!(r.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_try_many_ids() {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.lockout.address_limit = 5;
    })
    .await;
    let b = app.browser();
    let token = app.csrf(&b, TECH).await;
    for _ in 0..5 {
        let r = app
            .post_login(&b, TECH, unknown_id(TECH).as_str(), "x", &token, "")
            .await;
        assert_eq!(r.status(), 401);
    }
    let r = app
        .post_login(&b, TECH, unknown_id(TECH).as_str(), "x", &token, "")
        .await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().get("retry-after").is_some());
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("ログインの試行回数が多すぎます"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_input_gets_a_clear_4xx_page() {
    let app = spawn_app().await;
    let b = app.browser();
    let token = app.csrf(&b, TECH).await;
    // Too large.
    let big = "a".repeat(64 * 1024);
    let r = b
        .post(app.url("/ccus_skill/login"))
        .form(&[
            ("login_id", "1"),
            ("password", big.as_str()),
            ("csrf_token", token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert!(r.text().await.unwrap().contains("入力内容が大きすぎます"));
    // Invalid UTF-8 and NUL.
    let r = b
        .post(app.url("/ccus_skill/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(b"login_id=%FF%FE&password=%00&csrf_token=x".to_vec())
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
    // CR/LF and markup in the ID are shown back escaped, never interpreted.
    let r = app
        .post_login(
            &b,
            TECH,
            "<script>alert(1)</script>\r\nX: y",
            "p",
            &token,
            "",
        )
        .await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_utf8_in_a_form_is_refused_not_replaced() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    let token = app.csrf(&b, TECH).await;
    assert!(token
        .bytes()
        .all(|c| c.is_ascii_alphanumeric() || b"-_".contains(&c)));
    let post = |path: &'static str, body: Vec<u8>| {
        b.post(app.url(path))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    };
    // A password of invalid UTF-8, percent-encoded: not checked, not counted.
    let body = format!(
        "login_id={}&password=%FF%FEsecret&csrf_token={token}",
        acct.login_id.as_str()
    );
    let r = post("/ccus_skill/login", body.into_bytes()).await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("入力内容を読み取れませんでした"));
    // Raw invalid bytes in any field of a form that would otherwise answer 200.
    let mut body = format!("email=nobody%40example.jp&csrf_token={token}&note=").into_bytes();
    body.extend_from_slice(b"\xE5\xB1");
    let r = post("/ccus_skill/id/forgot", body).await.unwrap();
    assert_eq!(r.status(), 400);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("入力内容を読み取れませんでした"));
    // The same forms in valid UTF-8 are answered as usual.
    let body = format!("email=nobody%40example.jp&csrf_token={token}&note=%E5%B1%A5");
    let r = post("/ccus_skill/id/forgot", body.into_bytes())
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    // Nothing reached the login service: the ID still logs in at the first try, no failure
    // recorded.
    assert_eq!(
        app.login(&b, TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303
    );
    let history = app
        .get(&b, "/ccus_skill/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !history.contains("パスワードの誤り"),
        "no failed attempt was recorded"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_and_readiness() {
    let app = spawn_app().await;
    let b = app.browser();
    assert_eq!(app.get(&b, "/healthz").await.text().await.unwrap(), "ok");
    assert_eq!(app.get(&b, "/readyz").await.status(), 200);
    app.state.store_for_tools().close().await;
    let r = app.get(&b, "/readyz").await;
    assert_eq!(r.status(), 503);
    // With the database gone, a login answers 503 and creates nothing.
    let r = app
        .post_login(&b, TECH, unknown_id(TECH).as_str(), "x", "t", "")
        .await;
    assert!(r.status() == 403 || r.status() == 503, "{}", r.status());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_argon2_parameters_and_rehash_on_login() {
    // An account hashed with the quick test parameters...
    let url = ccus_storage::testdb::sqlite_url();
    let old = spawn_app_with(url.clone(), |_| {}).await;
    let acct = old.account(TECH).await;
    // ...logs in to an instance configured with the real defaults, and is rehashed.
    let new = spawn_app_with(url, |c| c.hashing = Default::default()).await;
    let b = new.browser();
    assert_eq!(
        new.login(&b, TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303
    );
    let stored = new
        .state
        .store_for_tools()
        .accounts()
        .credentials(&acct.login_id)
        .await
        .unwrap()
        .unwrap();
    assert!(
        stored
            .password_hash
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{}",
        stored.password_hash
    );
    assert_eq!(
        new.login(&new.browser(), TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_logins_is_refused_fast_when_hashing_is_saturated() {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.hashing = Default::default();
        c.hashing.workers = 1;
        c.hashing.max_queue = 0;
        c.hashing.queue_timeout = Duration::from_millis(10);
    })
    .await;
    let b = app.browser();
    let token = app.csrf(&b, TECH).await;
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (b, url, token) = (b.clone(), app.url(TECH.login_path()), token.clone());
        let id = unknown_id(TECH);
        tasks.push(tokio::spawn(async move {
            let r = b
                .post(url)
                .form(&[
                    ("login_id", id.as_str()),
                    ("password", "x"),
                    ("csrf_token", &token),
                ])
                .send()
                .await
                .unwrap();
            (
                r.status().as_u16(),
                r.headers().get("retry-after").is_some(),
            )
        }));
    }
    let mut busy = 0;
    for t in tasks {
        let (status, retry_after) = t.await.unwrap();
        assert!(status == 401 || status == 503, "{status}");
        if status == 503 {
            assert!(retry_after);
            busy += 1;
        }
    }
    assert!(
        busy > 0,
        "with one worker and no queue some of 16 parallel logins are refused"
    );
    // Pages that need no hash still answer.
    assert_eq!(app.get(&b, "/ccus_skill/login").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shared_address_full_of_correct_logins_is_never_limited() {
    // An office or a carrier's NAT: many people, one address, all logging in correctly.
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.lockout.address_limit = 5;
    })
    .await;
    let mut accounts = Vec::new();
    for _ in 0..30 {
        accounts.push(app.account(TECH).await);
    }
    let mut tasks = Vec::new();
    for acct in accounts {
        let (b, base) = (app.browser(), app.base.clone());
        tasks.push(tokio::spawn(async move {
            log_in_at(&b, &base, TECH, acct.login_id.as_str(), &acct.password).await
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 303, "a correct login is never limited");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn returning_browsers_pass_a_limited_address_and_refusals_do_not_extend_it() {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.lockout.address_limit = 3;
        c.lockout.address_window = Duration::from_secs(600);
    })
    .await;
    let acct = app.account(TECH).await;
    // The owner's browser, known from an earlier login.
    let owner = app.browser();
    assert_eq!(
        app.login(&owner, TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303
    );
    // Someone else at the same address fails three times: the address is limited.
    let other = app.browser();
    for _ in 0..3 {
        let r = app
            .login(&other, TECH, unknown_id(TECH).as_str(), "x")
            .await;
        assert_eq!(r.status(), 401);
    }
    let r = app
        .login(&other, TECH, unknown_id(TECH).as_str(), "x")
        .await;
    assert_eq!(r.status(), 429);
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=600).contains(&retry), "until the window ends: {retry}");
    // The owner's own browser is not held back; a browser seen for the first time is.
    assert_eq!(
        app.login(&app.browser(), TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        429
    );
    assert_eq!(
        app.login(&owner, TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303
    );
    // Refused attempts keep coming, but they do not stretch the limit past its window.
    app.clock.advance(Duration::from_secs(590));
    for _ in 0..10 {
        let r = app
            .login(&other, TECH, unknown_id(TECH).as_str(), "x")
            .await;
        assert_eq!(r.status(), 429);
    }
    app.clock.advance(Duration::from_secs(11));
    assert_eq!(
        app.login(&app.browser(), TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_overload_a_returning_browser_gets_a_worker_before_others() {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.hashing.workers = 1;
        c.hashing.max_queue = 1;
        c.hashing.queue_timeout = Duration::from_secs(10);
        c.lockout.address_limit = 1000;
    })
    .await;
    let acct = app.account(TECH).await;
    let owner = app.browser();
    assert_eq!(
        app.login(&owner, TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303
    );
    // Every worker is busy (held here), and an attempt from elsewhere fills the queue.
    let held = app.state.hasher().permit().await.unwrap();
    let (base, page) = (app.base.clone(), app.url("/ccus_skill/login"));
    let flood = tokio::spawn(async move {
        let b = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        let html = b.get(page).send().await.unwrap().text().await.unwrap();
        let token = csrf_in(&html);
        b.post(format!("{base}/ccus_skill/login"))
            .form(&[
                ("login_id", unknown_id(TECH).as_str()),
                ("password", "guess"),
                ("csrf_token", token.as_str()),
            ])
            .send()
            .await
            .unwrap()
            .status()
    });
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while app.state.hasher().waiting() != (0, 0, 1) {
        assert!(
            std::time::Instant::now() < deadline,
            "the flood attempt waits"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // A browser seen for the first time finds the queue full: 503 at once.
    let r = app
        .login(&app.browser(), TECH, acct.login_id.as_str(), &acct.password)
        .await;
    assert_eq!(r.status(), 503);
    // The owner's own browser waits in its own queue and is served first.
    let (owner_task, id, pw) = (owner.clone(), acct.login_id.clone(), acct.password.clone());
    let (base, page) = (app.base.clone(), app.url("/ccus_skill/login"));
    let returning = tokio::spawn(async move {
        let html = owner_task
            .get(page)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let token = csrf_in(&html);
        owner_task
            .post(format!("{base}/ccus_skill/login"))
            .form(&[
                ("login_id", id.as_str()),
                ("password", pw.as_str()),
                ("csrf_token", token.as_str()),
            ])
            .send()
            .await
            .unwrap()
            .status()
    });
    while app.state.hasher().waiting() != (1, 0, 1) {
        assert!(std::time::Instant::now() < deadline, "the owner waits too");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    drop(held);
    assert_eq!(returning.await.unwrap(), 303);
    assert_eq!(
        flood.await.unwrap(),
        401,
        "the other attempt is served after it"
    );
}

/// The login form with a solved challenge, as the page's script posts it.
async fn post_with_proof(
    app: &TestApp,
    b: &reqwest::Client,
    id: &str,
    pw: &str,
) -> (reqwest::StatusCode, bool) {
    let html = app.get(b, "/ccus_skill/login").await.text().await.unwrap();
    let token = csrf_in(&html);
    let Some(ch) = challenge_in(&html) else {
        return (reqwest::StatusCode::IM_A_TEAPOT, false);
    };
    let nonce = ccus_app::auth::challenge::solve(&ch);
    let r = b
        .post(app.url("/ccus_skill/login"))
        .form(&[
            ("login_id", id),
            ("password", pw),
            ("csrf_token", token.as_str()),
            ("pow_token", ch.token.as_str()),
            ("pow_nonce", nonce.as_str()),
        ])
        .send()
        .await
        .unwrap();
    (r.status(), true)
}

#[tokio::test]
async fn login_pages_ask_for_proof_of_work_only_under_pressure() {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.hashing.workers = 1;
        c.hashing.queue_timeout = Duration::from_millis(30);
        c.hashing.challenge_bits = 10;
    })
    .await;
    let b = app.browser();
    let quiet = app.get(&b, "/ccus_skill/login").await.text().await.unwrap();
    assert!(challenge_in(&quiet).is_none(), "no work while nobody waits");
    assert!(!quiet.contains("pow.js"));
    // Some attempt has to wait for the (only) worker: the portal is under pressure.
    let acct = app.account(TECH).await;
    let held = app.state.hasher().permit().await.unwrap();
    let r = app
        .login(&app.browser(), TECH, acct.login_id.as_str(), &acct.password)
        .await;
    assert_eq!(r.status(), 503);
    assert!(r.headers().get("retry-after").is_some());
    let busy = r.text().await.unwrap();
    // The busy answer is the form again: the ID kept, a clear message, a challenge.
    assert!(busy.contains("ただいまログインが大変混み合っています"));
    assert!(busy.contains(&acct.login_id.grouped()));
    assert!(challenge_in(&busy).is_some());
    drop(held);
    let pressed = app.get(&b, "/ccus_skill/login").await.text().await.unwrap();
    let ch = challenge_in(&pressed).expect("a challenge while under pressure");
    assert_eq!(ch.bits, 10);
    assert!(pressed.contains(r#"<script src="/static/pow.js" defer></script>"#));
    let js = app.get(&b, "/static/pow.js").await;
    assert_eq!(js.status(), 200);
    assert!(js.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
}

#[tokio::test]
async fn a_proof_of_work_is_honoured_once_and_a_login_never_needs_one() {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.hashing.challenge = ccus_app::config::ChallengeMode::Always;
        c.hashing.challenge_bits = 10;
    })
    .await;
    let acct = app.account(TECH).await;
    let (status, asked) =
        post_with_proof(&app, &app.browser(), acct.login_id.as_str(), &acct.password).await;
    assert!(asked);
    assert_eq!(status, 303);
    assert_eq!(app.state.challenges().accepted(), 1);
    // A form posted without the script's proof (no JavaScript) logs in all the same.
    let r = app
        .login(&app.browser(), TECH, acct.login_id.as_str(), &acct.password)
        .await;
    assert_eq!(r.status(), 303);
    // A proof replayed, or a wrong one, is not honoured, and costs nothing else.
    let b = app.browser();
    let html = app.get(&b, "/ccus_skill/login").await.text().await.unwrap();
    let ch = challenge_in(&html).unwrap();
    let nonce = ccus_app::auth::challenge::solve(&ch);
    for _ in 0..2 {
        let token = app.csrf(&b, TECH).await;
        let r = b
            .post(app.url("/ccus_skill/login"))
            .form(&[
                ("login_id", acct.login_id.as_str()),
                ("password", acct.password.as_str()),
                ("csrf_token", token.as_str()),
                ("pow_token", ch.token.as_str()),
                ("pow_nonce", nonce.as_str()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
    }
    assert_eq!(
        app.state.challenges().accepted(),
        2,
        "the replay was not honoured"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_overload_a_proof_of_work_goes_before_attempts_without_one() {
    let app = std::sync::Arc::new(
        spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
            c.hashing.workers = 1;
            c.hashing.max_queue = 4;
            c.hashing.queue_timeout = Duration::from_secs(10);
            c.hashing.challenge = ccus_app::config::ChallengeMode::Always;
            c.hashing.challenge_bits = 8;
            c.lockout.address_limit = 1000;
        })
        .await,
    );
    let acct = app.account(TECH).await;
    let held = app.state.hasher().permit().await.unwrap();
    // A flood attempt without proof waits first.
    let flood = {
        let app_base = app.base.clone();
        tokio::spawn(async move {
            let b = reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap();
            let html = b
                .get(format!("{app_base}/ccus_skill/login"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let token = csrf_in(&html);
            b.post(format!("{app_base}/ccus_skill/login"))
                .form(&[
                    ("login_id", unknown_id(TECH).as_str()),
                    ("password", "guess"),
                    ("csrf_token", token.as_str()),
                ])
                .send()
                .await
                .unwrap()
                .status()
        })
    };
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while app.state.hasher().waiting() != (0, 0, 1) {
        assert!(
            std::time::Instant::now() < deadline,
            "the flood attempt waits"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // A person in a new browser whose page solved the challenge waits in the queue ahead of
    // it (the order of the queues is proven in `ccus_app::admission`).
    let person = {
        let (app, id, pw) = (app.clone(), acct.login_id.clone(), acct.password.clone());
        tokio::spawn(async move { post_with_proof(&app, &app.browser(), id.as_str(), &pw).await })
    };
    while app.state.hasher().waiting() != (0, 1, 1) {
        assert!(
            std::time::Instant::now() < deadline,
            "the person waits in the proven queue"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    drop(held);
    assert_eq!(
        person.await.unwrap(),
        (reqwest::StatusCode::SEE_OTHER, true)
    );
    assert_eq!(flood.await.unwrap(), 401);
}
