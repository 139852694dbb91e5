//! Account recovery end to end over HTTP, reading the mail the file transport writes:
//! password reset, ID reminder, unlock by mail, device cookies, first-login change,
//! password and email change, and the sessions page.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use ccus_domain::{AccountKind, LoginId};
use ccus_testkit::*;

const TECH: AccountKind = AccountKind::Technician;
const BIZ: AccountKind = AccountKind::Business;
const EMAIL: &str = "someone@example.jp";
const NEW_PW: &str = "spring rain over the river";

async fn request_reset(
    app: &TestApp,
    b: &reqwest::Client,
    kind: AccountKind,
    id: &str,
    email: &str,
) -> reqwest::Response {
    let p = format!("/{}/password/forgot", kind.portal());
    app.submit(b, &p, &p, &[("login_id", id), ("email", email)])
        .await
}

async fn set_new_password(
    app: &TestApp,
    b: &reqwest::Client,
    link: &str,
    pw: &str,
    confirm: &str,
) -> reqwest::Response {
    // The token for this browser's forms, from a page that always has a form.
    let portal = link.trim_start_matches('/').split('/').next().unwrap();
    let html = app
        .get(b, &format!("/{portal}/password/forgot"))
        .await
        .text()
        .await
        .unwrap();
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let csrf = csrf_in(&html);
    let action = link.split('?').next().unwrap();
    // The headers a browser sends from the page behind the link, at their strictest.
    b.post(app.url(action))
        .header("origin", "null")
        .header("sec-fetch-site", "same-origin")
        .form(&[
            ("token", token.as_str()),
            ("password", pw),
            ("password_confirm", confirm),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_reset_end_to_end() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    // Signed in elsewhere before the reset.
    let elsewhere = app.browser();
    assert_eq!(
        app.login(&elsewhere, TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303
    );

    let b = app.browser();
    let login = app.get(&b, "/ccus_skill/login").await.text().await.unwrap();
    assert!(login.contains("パスワードをお忘れの方") && login.contains("IDをお忘れの方"));
    let r = request_reset(
        &app,
        &b,
        TECH,
        &typed_on_phone(&acct.login_id),
        "SOMEONE@example.jp",
    )
    .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains(
        "ご入力の内容が登録情報と一致する場合、パスワード再設定用のメールをお送りしました"
    ));
    let mail = app
        .wait_for_mail(EMAIL, "パスワード再設定のご案内", 1)
        .await
        .remove(0);
    assert!(mail.body.contains(&app.base), "links use the public URL");
    let link = link_in(&mail.body, "/ccus_skill/password/reset");

    let form = app.get(&b, &link).await;
    assert_eq!(form.status(), 200);
    assert_eq!(
        form.headers().get("referrer-policy").unwrap(),
        "same-origin"
    );
    let r = set_new_password(&app, &b, &link, NEW_PW, NEW_PW).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers().get("referrer-policy").unwrap(), "same-origin");
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("パスワードを再設定しました"));

    // Every other session has ended; the new password works, the old one does not.
    let r = app.get(&elsewhere, "/ccus_skill/home").await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        app.login(&app.browser(), TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        401
    );
    let c = app.browser();
    assert_eq!(
        app.login(&c, TECH, acct.login_id.as_str(), NEW_PW)
            .await
            .status(),
        303
    );
    let notice = app
        .wait_for_mail(EMAIL, "パスワード変更のお知らせ", 1)
        .await
        .remove(0);
    assert!(notice.body.contains("お心当たりのない場合"));
    let history = app
        .get(&c, "/ccus_skill/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(history.contains("パスワード再設定"));
    // The link is used up.
    let again = app.get(&b, &link).await;
    assert_eq!(again.status(), 410);
    assert!(again
        .text()
        .await
        .unwrap()
        .contains("このリンクは使えません"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_answers_the_same_whether_or_not_anything_matched() {
    let app = spawn_app().await;
    let acct = app.account(BIZ).await;
    let b = app.browser();
    let nobody = LoginId::generate(BIZ, &mut rand::thread_rng());
    let matching = request_reset(&app, &b, BIZ, acct.login_id.as_str(), EMAIL).await;
    let wrong_email =
        request_reset(&app, &b, BIZ, acct.login_id.as_str(), "other@example.jp").await;
    let unknown_id = request_reset(&app, &b, BIZ, nobody.as_str(), EMAIL).await;
    let statuses = [matching.status(), wrong_email.status(), unknown_id.status()];
    assert_eq!(statuses, [200, 200, 200]);
    let bodies = [
        matching.text().await.unwrap(),
        wrong_email.text().await.unwrap(),
        unknown_id.text().await.unwrap(),
    ];
    assert_eq!(bodies[0], bodies[1]);
    assert_eq!(bodies[0], bodies[2]);
    app.wait_for_mail(EMAIL, "パスワード再設定", 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        app.mails_to(EMAIL)
            .iter()
            .filter(|m| m.subject.contains("パスワード再設定"))
            .count(),
        1
    );
    assert!(app.mails_to("other@example.jp").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_links_expire_and_newer_links_void_older_ones() {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.recovery.token_ttl = Duration::from_secs(5 * 60);
    })
    .await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    request_reset(&app, &b, TECH, acct.login_id.as_str(), EMAIL).await;
    let first = link_in(
        &app.wait_for_mail(EMAIL, "パスワード再設定", 1).await[0].body,
        "password/reset",
    );
    request_reset(&app, &b, TECH, acct.login_id.as_str(), EMAIL).await;
    let second = link_in(
        &app.wait_for_mail(EMAIL, "パスワード再設定", 2).await[1].body,
        "password/reset",
    );
    assert_eq!(
        app.get(&b, &first).await.status(),
        410,
        "a newer link voids the older"
    );
    assert_eq!(app.get(&b, &second).await.status(), 200);
    app.clock.advance(Duration::from_secs(5 * 60));
    assert_eq!(app.get(&b, &second).await.status(), 410, "expired");
    assert_eq!(
        set_new_password(&app, &app.browser(), &first, NEW_PW, NEW_PW)
            .await
            .status(),
        410
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn of_two_simultaneous_resets_exactly_one_succeeds() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    request_reset(&app, &b, TECH, acct.login_id.as_str(), EMAIL).await;
    let link = link_in(
        &app.wait_for_mail(EMAIL, "パスワード再設定", 1).await[0].body,
        "password/reset",
    );
    let html = app.get(&b, &link).await.text().await.unwrap();
    let csrf = csrf_in(&html);
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let mut tasks = Vec::new();
    for pw in ["first new password here", "second new password here"] {
        let (b, url, csrf, token) = (
            b.clone(),
            app.url("/ccus_skill/password/reset"),
            csrf.clone(),
            token.clone(),
        );
        tasks.push(tokio::spawn(async move {
            b.post(url)
                .form(&[
                    ("token", token.as_str()),
                    ("password", pw),
                    ("password_confirm", pw),
                    ("csrf_token", csrf.as_str()),
                ])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    let mut s = Vec::new();
    for t in tasks {
        s.push(t.await.unwrap());
    }
    s.sort_unstable();
    assert_eq!(s, vec![200, 410]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_passwords_are_checked_and_the_reason_is_given() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    request_reset(&app, &b, TECH, acct.login_id.as_str(), EMAIL).await;
    let link = link_in(
        &app.wait_for_mail(EMAIL, "パスワード再設定", 1).await[0].body,
        "password/reset",
    );
    let cases = [
        ("short", "short", "8文字以上"),
        ("password1234", "password1234", "よく使われていて"),
        ("ｂａｓｅｂａｌｌ", "ｂａｓｅｂａｌｌ", "よく使われていて"),
        (acct.login_id.as_str(), acct.login_id.as_str(), "IDを含める"),
        ("my ccus password", "my ccus password", "「ccus」"),
        (NEW_PW, "something else entirely", "一致しません"),
    ];
    for (pw, confirm, reason) in cases {
        let r = set_new_password(&app, &b, &link, pw, confirm).await;
        assert_eq!(r.status(), 422, "{pw}");
        assert!(r.text().await.unwrap().contains(reason), "{pw}: {reason}");
    }
    // The link still works after refusals.
    assert_eq!(
        set_new_password(&app, &b, &link, NEW_PW, NEW_PW)
            .await
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn id_reminder_mails_every_id_of_the_address_and_answers_the_same() {
    let app = spawn_app().await;
    let t = app.account(TECH).await;
    let biz = app.account(BIZ).await;
    let b = app.browser();
    let r = app
        .submit(
            &b,
            "/ccus_owner/id/forgot",
            "/ccus_owner/id/forgot",
            &[("email", "Someone@Example.jp")],
        )
        .await;
    assert_eq!(r.status(), 200);
    let known = r.text().await.unwrap();
    let r = app
        .submit(
            &b,
            "/ccus_owner/id/forgot",
            "/ccus_owner/id/forgot",
            &[("email", "nobody@example.jp")],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(known, r.text().await.unwrap());
    assert!(
        known.contains("ヘルプデスク"),
        "explains the route when the address no longer works"
    );
    assert!(
        !known.contains(t.login_id.as_str()) && !known.contains(&t.login_id.grouped()),
        "never on screen"
    );
    let mail = app.wait_for_mail(EMAIL, "IDのお知らせ", 1).await.remove(0);
    assert!(
        mail.body.contains(&t.login_id.grouped()) && mail.body.contains(&biz.login_id.grouped())
    );
    assert!(mail.body.contains("/ccus_skill/login") && mail.body.contains("/ccus_owner/login"));
    assert!(app.mails_to("nobody@example.jp").is_empty());
    let bad = app
        .submit(
            &b,
            "/ccus_owner/id/forgot",
            "/ccus_owner/id/forgot",
            &[("email", "not an address")],
        )
        .await;
    assert_eq!(bad.status(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lock_mails_a_link_that_lifts_it() {
    let app = spawn_app().await;
    let acct = app.account(BIZ).await;
    let b = app.browser();
    // Half a minute past a whole minute: page and mail must round the end the same way.
    app.clock.advance(Duration::from_secs(30));
    for _ in 0..5 {
        app.login(&b, BIZ, acct.login_id.as_str(), "wrong").await;
    }
    let locked = app
        .login(&b, BIZ, acct.login_id.as_str(), &acct.password)
        .await;
    assert_eq!(locked.status(), 423);
    let locked = locked.text().await.unwrap();
    let mail = app
        .wait_for_mail(EMAIL, "アカウントがロックされました", 1)
        .await
        .remove(0);
    let until = app
        .state
        .store_for_tools()
        .guards()
        .guard_state(acct.login_id.as_str())
        .await
        .unwrap()
        .locked_until
        .unwrap()
        .jst_not_before();
    assert!(locked.contains(&until), "{until} on the page");
    assert!(mail.body.contains(&until), "{until} in the mail");
    assert!(mail.body.contains("127.0.0.1"), "says from where");
    assert!(mail.body.contains("パスワードを再設定"));
    let link = link_in(&mail.body, "/ccus_owner/unlock");
    // Opening the link changes nothing (mail scanners open links); the button does.
    let page = app.get(&b, &link).await;
    assert_eq!(
        page.headers().get("referrer-policy").unwrap(),
        "same-origin"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("ロックを解除する"));
    assert_eq!(
        app.login(&b, BIZ, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        423
    );
    let token = link.split("token=").nth(1).unwrap();
    let r = b
        .post(app.url("/ccus_owner/unlock"))
        .form(&[("token", token), ("csrf_token", csrf_in(&html).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("ロックを解除しました"));
    let r = app
        .login(&b, BIZ, acct.login_id.as_str(), &acct.password)
        .await;
    assert_eq!(r.status(), 303);
    let h = app
        .get(&b, "/ccus_owner/history?page=1")
        .await
        .text()
        .await
        .unwrap();
    assert!(h.contains("メールのリンクによるロック解除"));
    assert_eq!(app.get(&b, &link).await.status(), 410, "single use");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attacker_elsewhere_cannot_lock_the_owner_out_of_a_known_browser() {
    let app = spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.trust_forwarded_for = true
    })
    .await;
    let acct = app.account(TECH).await;
    let owner = app.browser();
    let as_owner = |r: reqwest::RequestBuilder| r.header("x-forwarded-for", "198.51.100.7");
    // The owner has logged in from this browser before.
    let token = app.csrf(&owner, TECH).await;
    let form = [
        ("login_id", acct.login_id.as_str()),
        ("password", acct.password.as_str()),
        ("csrf_token", token.as_str()),
    ];
    let r = as_owner(owner.post(app.url("/ccus_skill/login")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(set_cookies(r.headers())
        .iter()
        .any(|c| c.starts_with("ccus_device=") && c.contains("Max-Age=")));
    as_owner(owner.post(app.url("/ccus_skill/logout")))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    // Someone else, from another address, keeps failing.
    let attacker = app.browser();
    let at = app.csrf(&attacker, TECH).await;
    for _ in 0..8 {
        attacker
            .post(app.url("/ccus_skill/login"))
            .header("x-forwarded-for", "203.0.113.66")
            .form(&[
                ("login_id", acct.login_id.as_str()),
                ("password", "guess"),
                ("csrf_token", at.as_str()),
            ])
            .send()
            .await
            .unwrap();
    }
    let r = attacker
        .post(app.url("/ccus_skill/login"))
        .header("x-forwarded-for", "203.0.113.66")
        .form(&[
            ("login_id", acct.login_id.as_str()),
            ("password", acct.password.as_str()),
            ("csrf_token", at.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 423, "locked for unknown browsers");
    // The owner's known browser still gets in.
    let r = as_owner(owner.post(app.url("/ccus_skill/login")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // A brand-new browser of the owner is locked like the attacker's.
    assert_eq!(
        app.login(&app.browser(), TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        423
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_login_forces_a_new_password_with_the_security_code() {
    let app = spawn_app().await;
    let acct = app
        .account_with_initial_password(TECH, "hanako@example.jp")
        .await;
    let reg = app
        .wait_for_mail("hanako@example.jp", "登録完了", 1)
        .await
        .remove(0);
    assert!(reg.body.contains(&acct.login_id.grouped()) && reg.body.contains("/ccus_skill/login"));
    assert!(
        !reg.body.contains(&acct.password),
        "the registration mail never carries the password"
    );

    let b = app.browser();
    let r = app
        .login(&b, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    assert_eq!(
        location(&r),
        "/ccus_skill/password/initial",
        "{:?}",
        r.text().await
    );
    // Nothing else opens until the password is replaced.
    let r = app.get(&b, "/ccus_skill/history").await;
    assert_eq!(location(&r), "/ccus_skill/password/initial");
    let page = "/ccus_skill/password/initial";
    let wrong = app
        .submit(
            &b,
            page,
            page,
            &[
                ("security_code", "1111"),
                ("password", NEW_PW),
                ("password_confirm", NEW_PW),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    assert!(wrong
        .text()
        .await
        .unwrap()
        .contains("本人確認番号が違います"));
    assert_eq!(
        app.state
            .store_for_tools()
            .guards()
            .guard_state(acct.login_id.as_str())
            .await
            .unwrap()
            .consecutive,
        1,
        "a wrong code counts"
    );
    let right = app
        .submit(
            &b,
            page,
            page,
            &[
                ("security_code", "２４６８"),
                ("password", NEW_PW),
                ("password_confirm", NEW_PW),
            ],
        )
        .await;
    assert_eq!(location(&right), "/ccus_skill/home?done=password");
    let home = app
        .get(&b, "/ccus_skill/home?done=password")
        .await
        .text()
        .await
        .unwrap();
    assert!(home.contains("パスワードを設定しました"));
    assert_eq!(
        app.login(&app.browser(), TECH, acct.login_id.as_str(), NEW_PW)
            .await
            .status(),
        303
    );
    assert_eq!(
        app.login(&app.browser(), TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        401
    );
    let h = app
        .get(&b, "/ccus_skill/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(h.contains("本人確認番号の誤り") && h.contains("初回パスワード設定"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_security_codes_lock_and_end_the_session() {
    let app = spawn_app().await;
    let acct = app
        .account_with_initial_password(BIZ, "lock@example.jp")
        .await;
    let b = app.browser();
    app.login(&b, BIZ, acct.login_id.as_str(), &acct.password)
        .await;
    let page = "/ccus_owner/password/initial";
    let mut last = 0;
    for _ in 0..5 {
        last = app
            .submit(
                &b,
                page,
                page,
                &[
                    ("security_code", "0000"),
                    ("password", NEW_PW),
                    ("password_confirm", NEW_PW),
                ],
            )
            .await
            .status()
            .as_u16();
    }
    assert_eq!(last, 423);
    assert_eq!(
        app.get(&b, "/ccus_owner/home").await.status(),
        303,
        "signed out"
    );
    assert_eq!(
        app.login(&app.browser(), BIZ, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        423
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_change_needs_the_code_and_ends_other_sessions() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let (b, other) = (app.browser(), app.browser());
    app.login(&b, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    app.login(&other, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    let page = "/ccus_skill/password/change";
    let r = app
        .submit(
            &b,
            page,
            page,
            &[
                ("current_password", &acct.password),
                ("security_code", "9999"),
                ("password", NEW_PW),
                ("password_confirm", NEW_PW),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("本人確認番号が違います"));
    let r = app
        .submit(
            &b,
            page,
            page,
            &[
                ("current_password", "not it"),
                ("security_code", "1234"),
                ("password", NEW_PW),
                ("password_confirm", NEW_PW),
            ],
        )
        .await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("現在のパスワードが違います"));
    let r = app
        .submit(
            &b,
            page,
            page,
            &[
                ("current_password", &acct.password),
                ("security_code", "1234"),
                ("password", NEW_PW),
                ("password_confirm", NEW_PW),
            ],
        )
        .await;
    assert_eq!(location(&r), "/ccus_skill/home?done=password");
    assert_eq!(
        app.get(&b, "/ccus_skill/home").await.status(),
        200,
        "this session stays"
    );
    assert_eq!(
        app.get(&other, "/ccus_skill/home").await.status(),
        303,
        "the others end"
    );
    app.wait_for_mail(EMAIL, "パスワード変更のお知らせ", 1)
        .await;
    assert_eq!(
        app.login(&app.browser(), TECH, acct.login_id.as_str(), NEW_PW)
            .await
            .status(),
        303
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_change_is_confirmed_from_the_new_address_and_told_to_the_old() {
    let app = spawn_app().await;
    let acct = app.account(BIZ).await;
    let b = app.browser();
    app.login(&b, BIZ, acct.login_id.as_str(), &acct.password)
        .await;
    let page = "/ccus_owner/email/change";
    let r = app
        .submit(
            &b,
            page,
            page,
            &[
                ("current_password", "wrong"),
                ("new_email", "new@example.jp"),
            ],
        )
        .await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("現在のパスワードが違います"));
    let r = app
        .submit(
            &b,
            page,
            page,
            &[
                ("current_password", &acct.password),
                ("new_email", "new@example.jp"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("確認メールを送信しました"));
    let confirm = app
        .wait_for_mail("new@example.jp", "メールアドレス変更の確認", 1)
        .await
        .remove(0);
    let link = link_in(&confirm.body, "/ccus_owner/email/confirm");
    // Not yet changed.
    assert_eq!(
        app.state
            .store_for_tools()
            .accounts()
            .account_by_login_id(&acct.login_id)
            .await
            .unwrap()
            .unwrap()
            .email,
        EMAIL
    );
    let html = app.get(&b, &link).await.text().await.unwrap();
    assert!(html.contains("new@example.jp"));
    let token = link.split("token=").nth(1).unwrap();
    let r = b
        .post(app.url("/ccus_owner/email/confirm"))
        .form(&[("token", token), ("csrf_token", csrf_in(&html).as_str())])
        .send()
        .await
        .unwrap();
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("メールアドレスを変更しました"));
    assert_eq!(
        app.state
            .store_for_tools()
            .accounts()
            .account_by_login_id(&acct.login_id)
            .await
            .unwrap()
            .unwrap()
            .email,
        "new@example.jp"
    );
    let old = app
        .wait_for_mail(EMAIL, "登録メールアドレス変更のお知らせ", 1)
        .await
        .remove(0);
    assert!(old.body.contains("お心当たりのない場合"));
    let h = app
        .get(&b, "/ccus_owner/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(h.contains("メールアドレス変更"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_page_lists_and_ends_the_others() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let (b, other) = (app.browser(), app.browser());
    app.login(&b, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    app.login(&other, TECH, acct.login_id.as_str(), &acct.password)
        .await;
    let html = app
        .get(&b, "/ccus_skill/sessions")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("（この端末）"));
    assert!(html.contains("（1件）"));
    let r = app
        .submit(
            &b,
            "/ccus_skill/sessions",
            "/ccus_skill/sessions/end-others",
            &[],
        )
        .await;
    assert_eq!(location(&r), "/ccus_skill/sessions?ended=1");
    assert_eq!(app.get(&other, "/ccus_skill/home").await.status(), 303);
    assert_eq!(app.get(&b, "/ccus_skill/home").await.status(), 200);
    let h = app
        .get(&b, "/ccus_skill/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(h.contains("ほかの端末のログインを終了"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn links_in_mail_never_come_from_the_request_host() {
    let app = spawn_app().await;
    let acct = app.account(TECH).await;
    let b = app.browser();
    let html = app
        .get(&b, "/ccus_skill/password/forgot")
        .await
        .text()
        .await
        .unwrap();
    b.post(app.url("/ccus_skill/password/forgot"))
        .header("host", "evil.example")
        .header("x-forwarded-host", "evil.example")
        .form(&[
            ("login_id", acct.login_id.as_str()),
            ("email", EMAIL),
            ("csrf_token", csrf_in(&html).as_str()),
        ])
        .send()
        .await
        .unwrap();
    let mail = app
        .wait_for_mail(EMAIL, "パスワード再設定", 1)
        .await
        .remove(0);
    assert!(!mail.body.contains("evil.example"));
    assert!(mail
        .body
        .contains(&format!("{}/ccus_skill/password/reset?token=", app.base)));
}

/// The owner logs in once in browser T, then types five wrong passwords there: T's own
/// counter locks. Returns T (the owner's mail has the lock notice).
async fn owner_locks_own_browser(app: &TestApp, acct: &Account) -> reqwest::Client {
    let t = app.browser();
    assert_eq!(
        app.login(&t, TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303
    );
    for _ in 0..5 {
        app.login(&t, TECH, acct.login_id.as_str(), "wrong password")
            .await;
    }
    assert_eq!(
        app.login(&t, TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        423,
        "the browser's own counter is locked"
    );
    t
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_unlock_also_frees_the_owners_own_browser() {
    let app = spawn_app().await;

    // 1. The link in the lock mail (a device lock is announced like any other).
    let acct = app.account(TECH).await;
    let t = owner_locks_own_browser(&app, &acct).await;
    let mail = app
        .wait_for_mail(EMAIL, "アカウントがロックされました", 1)
        .await
        .remove(0);
    let link = link_in(&mail.body, "/ccus_skill/unlock");
    let html = app.get(&t, &link).await.text().await.unwrap();
    let r = t
        .post(app.url("/ccus_skill/unlock"))
        .header("origin", app.base.as_str())
        .form(&[
            ("token", link.split("token=").nth(1).unwrap()),
            ("csrf_token", csrf_in(&html).as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        app.login(&t, TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303,
        "unlock by mail"
    );

    // 2. A password reset.
    let acct = app.account(TECH).await;
    let t = owner_locks_own_browser(&app, &acct).await;
    let b = app.browser();
    request_reset(&app, &b, TECH, acct.login_id.as_str(), EMAIL).await;
    let mail = app
        .wait_for_mail(EMAIL, "パスワード再設定のご案内", 1)
        .await
        .pop()
        .unwrap();
    let link = link_in(&mail.body, "/ccus_skill/password/reset");
    assert_eq!(
        set_new_password(&app, &b, &link, NEW_PW, NEW_PW)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.login(&t, TECH, acct.login_id.as_str(), NEW_PW)
            .await
            .status(),
        303,
        "a reset"
    );

    // 3. An operator (`ccus admin unlock` calls this).
    let acct = app.account(TECH).await;
    let t = owner_locks_own_browser(&app, &acct).await;
    let lifted = ccus_app::auth::unlock::by_operator(&app.state, &acct.login_id)
        .await
        .unwrap();
    assert_eq!(lifted.devices_were_locked, 1, "the operator is told");
    assert_eq!(
        app.login(&t, TECH, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303,
        "an operator's unlock"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_email_change_to_an_undeliverable_form_is_refused() {
    let app = spawn_app().await;
    let acct = app.account(BIZ).await;
    let b = app.browser();
    app.login(&b, BIZ, acct.login_id.as_str(), &acct.password)
        .await;
    let page = "/ccus_owner/email/change";
    for bad in ["a@[127.0.0.1]", "=?utf-8?b?dGFybw==?=@example.jp"] {
        let r = app
            .submit(
                &b,
                page,
                page,
                &[("current_password", &acct.password), ("new_email", bad)],
            )
            .await;
        assert_eq!(r.status(), 422, "{bad}");
        assert!(r
            .text()
            .await
            .unwrap()
            .contains("メールアドレスの形式をご確認ください"));
        assert!(app.mails_to(bad).is_empty(), "{bad}");
    }
}
