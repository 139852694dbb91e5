//! Languages over HTTP: the browser's language picks the first one, the switch on every page
//! remembers the choice and returns to the page, the exact Japanese messages stay exact, and
//! the login page and its messages come in English and やさしい日本語.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_domain::AccountKind;
use ccus_testkit::*;

async fn page_in(app: &TestApp, b: &reqwest::Client, path: &str, accept: &str) -> String {
    b.get(app.url(path))
        .header("accept-language", accept)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_browser_s_language_then_the_switch_choose_the_language() {
    let app = spawn_app().await;
    let b = app.browser();
    // Japanese by default and for Japanese browsers; English for English ones.
    let ja = page_in(&app, &b, "/", "").await;
    assert!(ja.contains("<html lang=\"ja\">") && ja.contains("技能者ログインへ"));
    let en = page_in(&app, &b, "/", "en-US,en;q=0.9").await;
    assert!(en.contains("<html lang=\"en\">"));
    assert!(en.contains("Technician login") && en.contains("Construction Career Up System"));
    let vi = page_in(&app, &b, "/", "vi-VN,vi;q=0.9").await;
    assert!(
        vi.contains("技能者ログインへ"),
        "a language we do not have: Japanese"
    );

    // The switch is on every page and returns to it; the choice is remembered.
    for path in [
        "/",
        "/ccus_skill/login",
        "/ccus_owner/login",
        "/faq",
        "/help/login",
    ] {
        let page = page_in(&app, &b, path, "").await;
        assert!(page.contains("href=\"/lang/en?back="), "{path}");
        assert!(page.contains("やさしい日本語"), "{path}");
    }
    let r = app.get(&b, "/lang/easy?back=%2Fccus_skill%2Flogin").await;
    assert_eq!(location(&r), "/ccus_skill/login");
    assert!(set_cookies(r.headers())
        .iter()
        .any(|c| c.contains("ccus_lang=easy")));
    let easy = page_in(&app, &b, "/ccus_skill/login", "en").await;
    assert!(easy.contains("<html lang=\"ja\">"));
    assert!(
        easy.contains("技能者（ぎのうしゃ）の ログイン"),
        "the cookie wins over the browser"
    );
    // The way back stays on this site.
    let r = app.get(&b, "/lang/en?back=%2F%2Fevil.example%2F").await;
    assert_eq!(location(&r), "/");
    // Browsers drop tabs and newlines while reading a URL: `/\t/evil.example` would be
    // `//evil.example` to them.
    for sneaky in [
        "/%09/evil.example",
        "/%0A/evil.example",
        "/%20/evil.example",
        "/%5Cevil.example",
    ] {
        let r = app.get(&b, &format!("/lang/en?back={sneaky}")).await;
        assert_eq!(location(&r), "/", "{sneaky}");
    }
    let r = app.get(&b, "/lang/xx?back=/faq").await;
    assert_eq!(location(&r), "/faq");
}

#[tokio::test]
async fn login_messages_come_in_each_language_and_stay_exact_in_japanese() {
    let app = spawn_app().await;
    let t = app.account(AccountKind::Technician).await;
    let mut seen = Vec::new();
    for lang in ["ja", "en", "easy"] {
        let b = app.browser();
        app.get(&b, &format!("/lang/{lang}?back=/")).await;
        let r = app
            .login(
                &b,
                AccountKind::Technician,
                t.login_id.as_str(),
                "wrong password",
            )
            .await;
        assert_eq!(r.status(), 401);
        seen.push(r.text().await.unwrap());
        // The wrong entrance, in the same language.
        let r = app
            .login(&b, AccountKind::Business, t.login_id.as_str(), "x")
            .await;
        seen.push(r.text().await.unwrap());
    }
    assert!(seen[0].contains("IDまたはパスワードが違います"));
    assert!(seen[1].contains("入力されたIDは技能者IDです"));
    assert!(seen[2].contains("The ID or the password is wrong"));
    assert!(seen[2].contains("<h1>Technician login</h1>"));
    assert!(seen[3].contains("The ID you entered is a technician ID"));
    assert!(seen[4].contains("IDまたはパスワードが違います（IDか パスワードが ちがいます）"));
    assert!(seen[5].contains("書いた IDは 技能者ID（ぎのうしゃ ID）です"));
}

#[tokio::test]
async fn getting_back_in_is_explained_in_each_language() {
    let app = spawn_app().await;
    let t = app.account(AccountKind::Technician).await;
    let b = app.browser();
    app.get(&b, "/lang/en?back=/").await;
    let page = app
        .get(&b, "/ccus_skill/password/forgot")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Reset your password") && page.contains("Registered email address"));
    assert!(page.contains("Required"));
    let r = app
        .submit(
            &b,
            "/ccus_skill/password/forgot",
            "/ccus_skill/password/forgot",
            &[
                ("login_id", t.login_id.as_str()),
                ("email", "someone@example.jp"),
            ],
        )
        .await;
    let page = r.text().await.unwrap();
    assert!(
        page.contains("If what you entered matches our records"),
        "{page}"
    );
    let page = app
        .get(&b, "/ccus_skill/id/forgot")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Email me my ID"));
    let link = app.get(&b, "/ccus_skill/password/reset?token=nope").await;
    assert_eq!(link.status(), 410);
    assert!(link
        .text()
        .await
        .unwrap()
        .contains("This link cannot be used"));
    app.get(&b, "/lang/easy?back=/").await;
    let page = app
        .get(&b, "/ccus_skill/password/forgot")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("パスワードを あたらしく する"));
}

#[tokio::test]
async fn the_cannot_log_in_guide_speaks_each_language() {
    let app = spawn_app().await;
    let b = app.browser();
    app.get(&b, "/lang/en?back=/").await;
    let page = app.get(&b, "/help/login").await.text().await.unwrap();
    assert!(page.contains("Where are you trying to log in?"));
    let page = app
        .get(&b, "/help/login?e=technician&s=locked&m=yes")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Look for the unlock email") && page.contains("Cannot log in?"));
    app.get(&b, "/lang/easy?back=/").await;
    let page = app
        .get(&b, "/help/login?e=technician&s=timeout")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("もう一度 ログインして ください"));
}

#[tokio::test]
async fn mail_comes_in_the_language_of_the_last_login() {
    let app = spawn_app().await;
    let t = app.account(AccountKind::Technician).await;
    // Japanese until the account logs in in another language.
    let b = app.browser();
    app.submit(
        &b,
        "/ccus_skill/password/forgot",
        "/ccus_skill/password/forgot",
        &[
            ("login_id", t.login_id.as_str()),
            ("email", "someone@example.jp"),
        ],
    )
    .await;
    let mail = app
        .wait_for_mail("someone@example.jp", "パスワード再設定のご案内", 1)
        .await;
    assert!(mail[0].body.contains("建設 太郎 様"));
    // Logged in in English: the next mails are English.
    let en = app.browser();
    app.get(&en, "/lang/en?back=/").await;
    let r = app
        .login(
            &en,
            AccountKind::Technician,
            t.login_id.as_str(),
            &t.password,
        )
        .await;
    assert_eq!(location(&r), "/ccus_skill/home");
    app.submit(
        &en,
        "/ccus_skill/password/forgot",
        "/ccus_skill/password/forgot",
        &[
            ("login_id", t.login_id.as_str()),
            ("email", "someone@example.jp"),
        ],
    )
    .await;
    let mail = app
        .wait_for_mail("someone@example.jp", "How to reset your password", 1)
        .await;
    assert!(
        mail[0].body.starts_with("Dear 建設 太郎,"),
        "{}",
        mail[0].body
    );
    assert!(mail[0]
        .body
        .contains("Open this link and set a new password."));
    assert!(mail[0].body.contains("/ccus_skill/password/reset?token="));
    assert!(mail[0]
        .body
        .contains("Construction Career Up System (CCUS)"));
    // The ID reminder, too.
    app.submit(
        &en,
        "/ccus_skill/id/forgot",
        "/ccus_skill/id/forgot",
        &[("email", "someone@example.jp")],
    )
    .await;
    let mail = app.wait_for_mail("someone@example.jp", "Your IDs", 1).await;
    assert!(mail[0]
        .body
        .contains(&format!("- technician ID: {}", t.login_id.grouped())));
}

#[tokio::test]
async fn the_first_login_sets_a_password_in_english() {
    let app = spawn_app().await;
    let a = app
        .account_with_initial_password(AccountKind::Technician, "first@example.jp")
        .await;
    let b = app.browser();
    app.get(&b, "/lang/en?back=/").await;
    let r = app
        .login(
            &b,
            AccountKind::Technician,
            a.login_id.as_str(),
            &a.password,
        )
        .await;
    assert_eq!(location(&r), "/ccus_skill/password/initial");
    let page = app
        .get(&b, "/ccus_skill/password/initial")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Set your password (first login)"));
    assert!(
        page.contains("Security code (本人確認番号, 4 digits)")
            && page.contains("New password (again)")
    );
}

#[tokio::test]
async fn the_access_history_reads_in_english() {
    let app = spawn_app().await;
    let t = app.account(AccountKind::Technician).await;
    let b = app.browser();
    app.get(&b, "/lang/en?back=/").await;
    app.login(
        &b,
        AccountKind::Technician,
        t.login_id.as_str(),
        "wrong password",
    )
    .await;
    app.login(
        &b,
        AccountKind::Technician,
        t.login_id.as_str(),
        &t.password,
    )
    .await;
    let page = app
        .get(&b, "/ccus_skill/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h1>Access history</h1>"));
    assert!(page.contains("Login failed (wrong password)") && page.contains("Logged in"));
    assert!(page.contains("Page 1 of 1 (2 in all)"));
}

/// The value of a form's hidden field.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap() + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

#[tokio::test]
async fn the_account_pages_read_in_english() {
    // Served as localhost: passkeys need a domain name.
    let app = TestApp::builder().localhost().start().await;
    let t = app.account(AccountKind::Technician).await;
    let (b, other) = (app.browser(), app.browser());
    app.get(&b, "/lang/en?back=/").await;
    for browser in [&b, &other] {
        app.login(
            browser,
            AccountKind::Technician,
            t.login_id.as_str(),
            &t.password,
        )
        .await;
    }

    // Changing the email address: the form, its refusals and the mail sent.
    let form = "/ccus_skill/email/change";
    let page = app.get(&b, form).await.text().await.unwrap();
    assert!(page.contains("<h1>Change your registered email address</h1>"));
    assert!(page.contains("Your registered email address now: someone@example.jp"));
    assert!(page.contains("New email address") && page.contains("Send the confirmation email"));
    assert!(!page.contains("登録メールアドレス") && !page.contains("確認メール"));
    for (password, email, refusal) in [
        ("wrong", "new@example.jp", "The current password is wrong."),
        (
            t.password.as_str(),
            "someone@example.jp",
            "This is already your registered email address.",
        ),
    ] {
        let r = app
            .submit(
                &b,
                form,
                form,
                &[("current_password", password), ("new_email", email)],
            )
            .await;
        assert!(r.text().await.unwrap().contains(refusal), "{refusal}");
    }
    let r = app
        .submit(
            &b,
            form,
            form,
            &[
                ("current_password", &t.password),
                ("new_email", "new@example.jp"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("<h1>Confirmation email sent</h1>"));
    assert!(page.contains("We have sent a confirmation email to new@example.jp."));
    assert!(page.contains("The link works for") && !page.contains("確認メール"));
    let r = app.get(&b, "/ccus_skill/email/confirm?token=nope").await;
    assert_eq!(r.status(), 410);
    let page = r.text().await.unwrap();
    assert!(page.contains("A link for changing your email address works once"));
    assert!(page.contains("Log in and request the email change again"));

    // Logged-in devices.
    let page = app
        .get(&b, "/ccus_skill/sessions")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h1>Logged-in devices</h1>"));
    assert!(page.contains("Safari (this device)"));
    assert!(page.contains("Log out all other devices (1)") && page.contains("Last used"));
    assert!(!page.contains("端末"));
    let r = app
        .submit(
            &b,
            "/ccus_skill/sessions",
            "/ccus_skill/sessions/end-others",
            &[],
        )
        .await;
    let page = app.get(&b, &location(&r)).await.text().await.unwrap();
    assert!(page.contains("Your other devices were logged out (1)."));

    // Passkeys: the page, and a refusal from the application in the reader's language.
    let page = app
        .get(&b, "/ccus_skill/passkeys")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h1>Passkeys</h1>") && page.contains("No passkeys are registered."));
    assert!(page.contains("Register a passkey") && page.contains("Passkey name"));
    assert!(page.contains("data-failed=\"The passkey could not be registered. Please try again.\""));
    assert!(!page.contains("パスキーを"));
    let r = b
        .post(app.url("/ccus_skill/passkeys"))
        .form(&[
            ("csrf_token", csrf_in(&page).as_str()),
            ("ceremony", hidden(&page, "ceremony").as_str()),
            ("name", ""),
            ("credential", "{}"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("The passkey could not be registered"));
    assert!(page.contains("The passkey could not be created. Please try again."));

    // Logging out, and a session that timed out.
    let r = app
        .submit(&b, "/ccus_skill/home", "/ccus_skill/logout", &[])
        .await;
    let page = app.get(&b, &location(&r)).await.text().await.unwrap();
    assert!(page.contains("You are logged out."));
    let page = app
        .get(&b, "/ccus_skill/login?timeout=1&next=/ccus_skill/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Your session timed out."));
    assert!(page.contains("After you log in, you return to the page you were on."));
    assert!(!page.contains("自動的にログアウト"));
}

#[tokio::test]
async fn the_account_pages_read_in_easy_japanese() {
    let app = spawn_app().await;
    let t = app.account(AccountKind::Technician).await;
    let b = app.browser();
    app.get(&b, "/lang/easy?back=/").await;
    app.login(
        &b,
        AccountKind::Technician,
        t.login_id.as_str(),
        &t.password,
    )
    .await;
    let page = app
        .get(&b, "/ccus_skill/email/change")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h1>とうろくした メールアドレスを かえる</h1>"));
    assert!(page.contains("いまの メールアドレス: someone@example.jp"));
    assert!(!page.contains("転職"));
    let page = app
        .get(&b, "/ccus_skill/sessions")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Safari（この きかい）"));
    assert!(page.contains("ログインして いる きかい（ブラウザ）です。"));
    assert!(!page.contains("心当たり"));
    let page = app
        .get(&b, "/ccus_skill/passkeys")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<h2 id=\"register\">パスキーを とうろくする</h2>"));
    assert!(page.contains("この サイトの せっていでは、パスキーは つかえません"));
    assert!(page.contains("ゆびの もん・かお・がめんの ロック"));
    assert!(!page.contains("指紋"));
    let r = app
        .submit(&b, "/ccus_skill/home", "/ccus_skill/logout", &[])
        .await;
    let page = app.get(&b, &location(&r)).await.text().await.unwrap();
    assert!(page.contains("ログアウトしました。"));
}

#[tokio::test]
async fn a_locked_id_is_explained_in_each_language() {
    let app = spawn_app().await;
    let t = app.account(AccountKind::Technician).await;
    let b = app.browser();
    let mut status = 0;
    for _ in 0..5 {
        status = app
            .login(&b, AccountKind::Technician, t.login_id.as_str(), "wrong")
            .await
            .status()
            .as_u16();
    }
    assert_eq!(status, 423, "the fifth wrong password locks");
    let mut seen = Vec::new();
    for lang in ["ja", "en", "easy"] {
        app.get(&b, &format!("/lang/{lang}?back=/")).await;
        let r = app
            .login(
                &b,
                AccountKind::Technician,
                t.login_id.as_str(),
                &t.password,
            )
            .await;
        assert_eq!(r.status(), 423);
        seen.push(r.text().await.unwrap());
    }
    assert!(seen[0].contains("このIDは現在ロックされています"));
    assert!(seen[0].contains("（日本時間）以降に、自動的にロックが解除されます"));
    assert!(seen[1].contains("This ID is locked now"));
    assert!(seen[1].contains("(Japan time). Please wait until then, and log in again."));
    assert!(seen[1].contains("Cannot unlock it, for example because no email arrives?"));
    assert!(!seen[1].contains("ロック"));
    assert!(seen[2].contains("このIDは現在ロックされています（IDが ロック されて います）"));
    assert!(seen[2].contains("（日本の じかん）を すぎると、ロックは じぶんで とれます。"));
}
