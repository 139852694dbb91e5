//! The helpdesk console: staff login with a TOTP code (enrolled by QR at first login, wrong
//! codes counted toward lockout), look-up by kana however it is typed, the actions on an
//! account with their notices, the audit trail, and the console during maintenance.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use base64::Engine;
use ccus_app::account::provisioning::{create_account, AccountRequest, ProfileRequest};
use ccus_domain::{totp, AccountKind};
use ccus_storage::StaffRole;
use ccus_testkit::*;

const STAFF_PW: &str = "helpdesk desk password";

async fn app() -> TestApp {
    spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    })
    .await
}

async fn staff(app: &TestApp, role: StaffRole) -> String {
    ccus_app::account::provisioning::create_staff(
        &app.state,
        "窓口 一郎",
        "desk@example.jp",
        role,
        Some(STAFF_PW.into()),
    )
    .await
    .unwrap()
    .0
}

async fn staff_login(
    app: &TestApp,
    b: &reqwest::Client,
    id: &str,
    pw: &str,
    code: &str,
) -> reqwest::Response {
    app.submit(
        b,
        "/helpdesk/login",
        "/helpdesk/login",
        &[("staff_id", id), ("password", pw), ("code", code)],
    )
    .await
}

fn code_now(app: &TestApp, secret: &[u8]) -> String {
    format!(
        "{:06}",
        totp::code_at(secret, totp::step_of(app.state.clock().now()))
    )
}

/// Logs a new staff member in and enrols their authenticator; returns the secret.
async fn enrolled(app: &TestApp, b: &reqwest::Client, id: &str) -> Vec<u8> {
    let r = staff_login(app, b, id, STAFF_PW, "").await;
    assert_eq!(location(&r), "/helpdesk/enroll");
    assert_eq!(
        location(&app.get(b, "/helpdesk").await),
        "/helpdesk/enroll",
        "nothing else before enrolment"
    );
    let page = app.get(b, "/helpdesk/enroll").await.text().await.unwrap();
    assert!(page.contains("<svg"), "a QR code");
    let start = page.find("<span class=\"mono\">").unwrap() + "<span class=\"mono\">".len();
    let end = page[start..].find('<').unwrap() + start;
    let secret = totp::base32_decode(&page[start..end]).unwrap();
    let wrong = app
        .submit(
            b,
            "/helpdesk/enroll",
            "/helpdesk/enroll",
            &[("code", "000000")],
        )
        .await;
    assert_eq!(location(&wrong), "/helpdesk/enroll?wrong=1");
    let ok = app
        .submit(
            b,
            "/helpdesk/enroll",
            "/helpdesk/enroll",
            &[("code", code_now(app, &secret).as_str())],
        )
        .await;
    assert_eq!(location(&ok), "/helpdesk?enrolled=1");
    secret
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_login_needs_the_totp_code_and_wrong_codes_lock() {
    let app = app().await;
    let id = staff(&app, StaffRole::Operator).await;
    let b = app.browser();
    let secret = enrolled(&app, &b, &id).await;
    let r = app.get(&b, "/helpdesk").await;
    assert_eq!(r.status(), 200);
    let c = set_cookies(r.headers());
    assert!(
        c.is_empty() || c.iter().all(|c| !c.starts_with("ccus_staff")),
        "{c:?}"
    );

    // A new browser: the password alone is not enough, and a used code does not work twice.
    app.clock.advance(Duration::from_secs(60));
    let other = app.browser();
    assert_eq!(
        staff_login(&app, &other, &id, STAFF_PW, "").await.status(),
        401
    );
    let code = code_now(&app, &secret);
    let r = staff_login(&app, &other, &id, STAFF_PW, &code).await;
    assert_eq!(location(&r), "/helpdesk");
    assert!(set_cookies(r.headers())
        .iter()
        .any(|c| c.starts_with("ccus_staff=") && c.contains("Path=/helpdesk")));
    assert_eq!(
        staff_login(&app, &app.browser(), &id, STAFF_PW, &code)
            .await
            .status(),
        401,
        "no replay"
    );

    // Wrong codes count toward the staff lockout.
    let mut last = 0;
    for _ in 0..5 {
        last = staff_login(&app, &app.browser(), &id, STAFF_PW, "123456")
            .await
            .status()
            .as_u16();
    }
    assert_eq!(last, 423);
    app.clock.advance(Duration::from_secs(30));
    let code = code_now(&app, &secret);
    assert_eq!(
        staff_login(&app, &app.browser(), &id, STAFF_PW, &code)
            .await
            .status(),
        423,
        "locked even with the right code"
    );
    // A member of the public's session opens nothing here.
    assert_eq!(
        location(&app.get(&app.browser(), "/helpdesk").await),
        "/helpdesk/login"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookup_by_kana_and_actions_on_an_account_are_audited_and_told() {
    let app = app().await;
    let supervisor = staff(&app, StaffRole::Supervisor).await;
    let b = app.browser();
    enrolled(&app, &b, &supervisor).await;
    let company = create_account(
        &app.state,
        AccountRequest {
            kind: AccountKind::Business,
            name: "株式会社 見本建設".into(),
            email: "office@example.jp".into(),
            password: Some("company password here".into()),
            security_code: Some("1111".into()),
            must_change_password: false,
            profile: ProfileRequest {
                furigana: "ミホンケンセツ".into(),
                ..Default::default()
            },
        },
    )
    .await
    .unwrap();
    let worker = create_account(
        &app.state,
        AccountRequest {
            kind: AccountKind::Technician,
            name: "建設 太郎".into(),
            email: "old-job@example.jp".into(),
            password: Some("worker password here".into()),
            security_code: Some("2222".into()),
            must_change_password: false,
            profile: ProfileRequest {
                furigana: "ケンセツ タロウ".into(),
                birth_date: Some("1985-04-01".into()),
                employer: Some(company.account.login_id.as_str().into()),
            },
        },
    )
    .await
    .unwrap()
    .account;

    // Look-up by kana, typed in half-width without the space, with birth date and employer.
    let r = b
        .get(app.url("/helpdesk"))
        .query(&[
            ("name", "ｹﾝｾﾂﾀﾛｳ"),
            ("birth_date", "１９８５/４/１"),
            ("employer", "みほん"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let link = format!("/helpdesk/accounts/{}", worker.id);
    assert!(
        r.contains(&link) && r.contains(&worker.login_id.grouped()),
        "{r}"
    );
    let page = app.get(&b, &link).await.text().await.unwrap();
    assert!(page.contains("株式会社 見本建設") && page.contains("1985-04-01"));

    // Lock the account, then act on it.
    for _ in 0..5 {
        app.login(
            &app.browser(),
            AccountKind::Technician,
            worker.login_id.as_str(),
            "wrong",
        )
        .await;
    }
    let act = |action: &'static str, extra: Vec<(&'static str, &'static str)>| {
        let (app_url, b, link) = (app.url(""), b.clone(), link.clone());
        async move {
            let html = b
                .get(format!("{app_url}{link}"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let mut form = extra;
            let token = csrf_in(&html);
            form.push(("reason", "お問い合わせ #42: 運転免許証で本人確認"));
            let mut f: Vec<(&str, &str)> = form.clone();
            f.push(("csrf_token", token.as_str()));
            b.post(format!("{app_url}{link}/{action}"))
                .form(&f)
                .send()
                .await
                .unwrap()
        }
    };
    // A reason is required.
    let html = app.get(&b, &link).await.text().await.unwrap();
    let r = b
        .post(app.url(&format!("{link}/unlock")))
        .form(&[("reason", " "), ("csrf_token", csrf_in(&html).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(
        location(&act("unlock", vec![]).await),
        format!("{link}?done=unlock")
    );
    assert_eq!(
        app.login(
            &app.browser(),
            AccountKind::Technician,
            worker.login_id.as_str(),
            "worker password here"
        )
        .await
        .status(),
        303
    );
    act("send-id", vec![]).await;
    let mail = app
        .wait_for_mail("old-job@example.jp", "IDのお知らせ", 1)
        .await
        .remove(0);
    assert!(mail.body.contains(&worker.login_id.grouped()));
    act("email", vec![("new_email", "new-phone@example.jp")]).await;
    app.wait_for_mail("old-job@example.jp", "登録メールアドレス変更のお知らせ", 1)
        .await;
    app.wait_for_mail(
        "new-phone@example.jp",
        "登録メールアドレス変更のお知らせ",
        1,
    )
    .await;
    act("reset", vec![]).await;
    let reset = app
        .wait_for_mail("new-phone@example.jp", "パスワード再設定のご案内", 1)
        .await
        .remove(0);
    // The person asked the helpdesk, not the reset form: the mail says so.
    assert!(reset
        .body
        .contains("ヘルプデスクへのお問い合わせにもとづき"));
    assert!(!reset.body.contains("お申し込みを受け付けました"));

    // Found by its ID too, typed as on a phone; a typo is caught by the check digit.
    let found = b
        .get(app.url("/helpdesk"))
        .query(&[("login_id", typed_on_phone(&worker.login_id).as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        found.contains(&link) && found.contains("候補（1件）"),
        "{found}"
    );
    let mut typo = worker.login_id.as_str().as_bytes().to_vec();
    typo[5] = if typo[5] == b'9' { b'0' } else { typo[5] + 1 };
    let typo = String::from_utf8(typo).unwrap();
    let miss = b
        .get(app.url("/helpdesk"))
        .query(&[("login_id", typo.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(miss.contains("確認用の数字が合いません") && !miss.contains(&link));

    // The audit trail has who, what, which account and why.
    let audit = app.get(&b, "/helpdesk/audit").await.text().await.unwrap();
    // Read in Japanese, never as internal codes.
    for action in [
        "ロック解除",
        "IDを登録メールアドレスへ送付",
        "登録メールアドレスを変更",
        "パスワード再設定メールを送付",
    ] {
        assert!(audit.contains(&format!(">{action}<")), "{action}");
    }
    assert!(!audit.contains(">send-id<"));
    assert!(
        audit.contains("お問い合わせ #42")
            && audit.contains("窓口 一郎")
            && audit.contains(worker.login_id.as_str())
    );
    assert!(
        audit.contains("old-job@example.jp → new-phone@example.jp"),
        "{audit}"
    );

    // The account holder sees that the helpdesk acted.
    let me = app.browser();
    app.login(
        &me,
        AccountKind::Technician,
        worker.login_id.as_str(),
        "worker password here",
    )
    .await;
    let history = app
        .get(&me, "/ccus_skill/history")
        .await
        .text()
        .await
        .unwrap();
    for label in [
        "ヘルプデスクがロックを解除",
        "ヘルプデスクがIDを登録メールアドレスへ送信",
        "ヘルプデスクが登録メールアドレスを変更",
        "ヘルプデスクがパスワード再設定メールを送信",
    ] {
        assert!(history.contains(label), "{label}");
    }

    // Operators cannot read the audit log.
    let operator = staff(&app, StaffRole::Operator).await;
    let ob = app.browser();
    enrolled(&app, &ob, &operator).await;
    assert_eq!(app.get(&ob, "/helpdesk/audit").await.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_login_works_during_maintenance() {
    let app = app().await;
    let id = staff(&app, StaffRole::Operator).await;
    let now = app.state.clock().now();
    let window = ccus_storage::MaintenanceWindow {
        id: 0,
        starts_at: now.minus(Duration::from_secs(60)),
        ends_at: now.plus(Duration::from_secs(3600)),
        announce_from: now.minus(Duration::from_secs(60)),
        message: String::new(),
    };
    app.state
        .store_for_tools()
        .public_info()
        .schedule_maintenance(&window, "メンテナンス", "本文", now)
        .await
        .unwrap();
    assert_eq!(
        app.get(&app.browser(), "/ccus_skill/login").await.status(),
        503
    );
    let b = app.browser();
    assert_eq!(app.get(&b, "/helpdesk/login").await.status(), 200);
    enrolled(&app, &b, &id).await;
    assert_eq!(app.get(&b, "/helpdesk").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_key_the_console_is_closed() {
    let app = spawn_app().await;
    let r = app.get(&app.browser(), "/helpdesk/login").await;
    assert_eq!(r.status(), 503);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervisors_schedule_maintenance_and_write_notices_and_faq_in_the_console() {
    let app = app().await;
    let id = staff(&app, StaffRole::Supervisor).await;
    let b = app.browser();
    enrolled(&app, &b, &id).await;
    let ops = "/helpdesk/operations";
    // Times in JST, starting an hour from now.
    let fmt = |t: ccus_domain::Timestamp| {
        let d = ccus_domain::calendar::jst_datetime(t).unwrap();
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            d.year(),
            u8::from(d.month()),
            d.day(),
            d.hour(),
            d.minute()
        )
    };
    let now = app.state.clock().now();
    let (from, to) = (
        fmt(now.plus(Duration::from_secs(3600))),
        fmt(now.plus(Duration::from_secs(3 * 3600))),
    );
    let r = app
        .submit(
            &b,
            ops,
            "/helpdesk/operations/maintenance",
            &[("from", &from), ("to", &to), ("message", "サーバー更新")],
        )
        .await;
    assert_eq!(location(&r), "/helpdesk/operations?done=maintenance");
    let login = app
        .get(&app.browser(), "/ccus_skill/login")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        login.contains("メンテナンスのお知らせ:"),
        "banner before the window"
    );
    assert!(app
        .get(&app.browser(), "/notices")
        .await
        .text()
        .await
        .unwrap()
        .contains("サーバー更新"));
    let bad = app
        .submit(
            &b,
            ops,
            "/helpdesk/operations/maintenance",
            &[
                ("from", "someday"),
                ("to", &to),
                ("message", "サーバー移設"),
            ],
        )
        .await;
    // Refused with the reason, and nothing typed is lost.
    assert_eq!(bad.status(), 422);
    let page = bad.text().await.unwrap();
    assert!(
        page.contains("「2026-12-01 22:00」の形で入力してください"),
        "{page}"
    );
    assert!(page.contains("value=\"someday\"") && page.contains("value=\"サーバー移設\""));
    let r = app
        .submit(
            &b,
            ops,
            "/helpdesk/operations/notice",
            &[
                ("title", "システム更新のお知らせ"),
                ("body", "**新機能**を追加しました"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/helpdesk/operations?done=notice");
    assert!(app
        .get(&app.browser(), "/notices")
        .await
        .text()
        .await
        .unwrap()
        .contains("<strong>新機能</strong>"));
    app.submit(
        &b,
        ops,
        "/helpdesk/operations/faq",
        &[
            ("category", "その他"),
            ("question", "領収書は出ますか"),
            ("answer", "出ません"),
        ],
    )
    .await;
    assert!(app
        .get(&app.browser(), "/faq")
        .await
        .text()
        .await
        .unwrap()
        .contains("領収書は出ますか"));
    // Its English translation goes in its place for English readers; the list says so.
    let id = app
        .state
        .store_for_tools()
        .public_info()
        .faq_overview()
        .await
        .unwrap()
        .into_iter()
        .find(|(e, _)| e.question == "領収書は出ますか")
        .unwrap()
        .0
        .id;
    let page = app.get(&b, ops).await.text().await.unwrap();
    assert!(page.contains("なし（日本語で表示）"));
    let translate = |of: String, lang: &'static str| {
        let (app, b) = (&app, &b);
        async move {
            app.submit(
                b,
                ops,
                "/helpdesk/operations/faq",
                &[
                    ("category", "Other"),
                    ("question", "Do I get a receipt?"),
                    ("answer", "No."),
                    ("lang", lang),
                    ("translates", &of),
                ],
            )
            .await
        }
    };
    let r = translate(id.to_string(), "en").await;
    assert_eq!(location(&r), "/helpdesk/operations?done=faq");
    let en = app.browser();
    app.get(&en, "/lang/en?back=/").await;
    let faq = app.get(&en, "/faq").await.text().await.unwrap();
    assert!(faq.contains("Do I get a receipt?") && !faq.contains("領収書は出ますか"));
    let page = app.get(&b, ops).await.text().await.unwrap();
    assert!(page.contains(">English</td>"), "{page}");
    // A second English one, an unknown number, or English without a number is refused.
    for (of, lang) in [
        (id.to_string(), "en"),
        ("99999".into(), "easy"),
        (String::new(), "en"),
        ("x1".into(), "en"),
    ] {
        let r = translate(of.clone(), lang).await;
        assert_eq!(r.status(), 422, "{of} {lang}");
        let page = r.text().await.unwrap();
        assert!(page.contains("Do I get a receipt?") && page.contains(">No.</textarea>"));
        assert!(
            page.contains(&format!("value=\"{lang}\" selected")),
            "{lang}"
        );
    }
    // Cancel the window from the console.
    let page = app.get(&b, ops).await.text().await.unwrap();
    let w = app
        .state
        .store_for_tools()
        .public_info()
        .upcoming_maintenance(now)
        .await
        .unwrap()
        .remove(0);
    let r = b
        .post(app.url(&format!("/helpdesk/operations/maintenance/{}/cancel", w.id)))
        .form(&[("csrf_token", csrf_in(&page).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(location(&r), "/helpdesk/operations?done=cancel");
    assert!(!app
        .get(&app.browser(), "/ccus_skill/login")
        .await
        .text()
        .await
        .unwrap()
        .contains("メンテナンスのお知らせ:"));
    let audit = app.get(&b, "/helpdesk/audit").await.text().await.unwrap();
    assert!(
        audit.contains("メンテナンスを予定")
            && audit.contains("メンテナンスを取り消し")
            && audit.contains("お知らせを掲載")
    );
    // Operators cannot.
    let op = staff(&app, StaffRole::Operator).await;
    let ob = app.browser();
    enrolled(&app, &ob, &op).await;
    assert_eq!(app.get(&ob, ops).await.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_only_session_cannot_reach_an_enrolled_secret() {
    let app = app().await;
    let id = staff(&app, StaffRole::Operator).await;
    // PC A: password only, then interrupted before enrolment.
    let pc_a = app.browser();
    assert_eq!(
        location(&staff_login(&app, &pc_a, &id, STAFF_PW, "").await),
        "/helpdesk/enroll"
    );
    // PC B: enrols.
    let pc_b = app.browser();
    enrolled(&app, &pc_b, &id).await;
    // PC A's half session is over: no secret, no console.
    let r = app.get(&pc_a, "/helpdesk/enroll").await;
    assert_eq!(location(&r), "/helpdesk/login");
    assert_eq!(
        location(&app.get(&pc_a, "/helpdesk").await),
        "/helpdesk/login"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_supervisors_change_emails_and_old_links_stop_working() {
    let app = app().await;
    let acct = app.account(AccountKind::Technician).await;
    let a = app
        .state
        .store_for_tools()
        .accounts()
        .account_by_login_id(&acct.login_id)
        .await
        .unwrap()
        .unwrap();
    // A reset link already sent to the old address.
    let b = app.browser();
    app.submit(
        &b,
        "/ccus_skill/password/forgot",
        "/ccus_skill/password/forgot",
        &[
            ("login_id", acct.login_id.as_str()),
            ("email", "someone@example.jp"),
        ],
    )
    .await;
    let link = link_in(
        &app.wait_for_mail("someone@example.jp", "パスワード再設定", 1)
            .await[0]
            .body,
        "/ccus_skill/password/reset",
    );
    let page = format!("/helpdesk/accounts/{}", a.id);
    let action = format!("{page}/email");
    let op = staff(&app, StaffRole::Operator).await;
    let ob = app.browser();
    enrolled(&app, &ob, &op).await;
    let r = app
        .submit(
            &ob,
            &page,
            &action,
            &[("new_email", "new@example.jp"), ("reason", "依頼")],
        )
        .await;
    assert_eq!(r.status(), 403);
    let sup = staff(&app, StaffRole::Supervisor).await;
    let sb = app.browser();
    enrolled(&app, &sb, &sup).await;
    let r = app
        .submit(
            &sb,
            &page,
            &action,
            &[("new_email", "new@example.jp"), ("reason", "本人確認済み")],
        )
        .await;
    assert_eq!(location(&r), format!("{page}?done=email"));
    assert_eq!(
        app.get(&b, &link).await.status(),
        410,
        "the link sent to the old address no longer works"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_generated_staff_password_is_replaced_before_any_work() {
    let app = app().await;
    let (id, initial) = ccus_app::account::provisioning::create_staff(
        &app.state,
        "新人 三郎",
        "new@example.jp",
        StaffRole::Operator,
        None,
    )
    .await
    .unwrap();
    let initial = initial.unwrap();
    let b = app.browser();
    assert_eq!(
        location(&staff_login(&app, &b, &id, &initial, "").await),
        "/helpdesk/enroll"
    );
    let page = app.get(&b, "/helpdesk/enroll").await.text().await.unwrap();
    let start = page.find("<span class=\"mono\">").unwrap() + "<span class=\"mono\">".len();
    let end = page[start..].find('<').unwrap() + start;
    let secret = totp::base32_decode(&page[start..end]).unwrap();
    app.submit(
        &b,
        "/helpdesk/enroll",
        "/helpdesk/enroll",
        &[("code", code_now(&app, &secret).as_str())],
    )
    .await;
    assert_eq!(
        location(&app.get(&b, "/helpdesk").await),
        "/helpdesk/password"
    );
    let p = "/helpdesk/password";
    let weak = app
        .submit(
            &b,
            p,
            p,
            &[
                ("password", "password123"),
                ("password_confirm", "password123"),
            ],
        )
        .await;
    assert_eq!(weak.status(), 422);
    let r = app
        .submit(
            &b,
            p,
            p,
            &[
                ("password", "quiet river stones"),
                ("password_confirm", "quiet river stones"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/helpdesk");
    assert_eq!(app.get(&b, "/helpdesk").await.status(), 200);
    // The initial password no longer works.
    app.clock.advance(Duration::from_secs(60));
    let code = code_now(&app, &secret);
    assert_eq!(
        staff_login(&app, &app.browser(), &id, &initial, &code)
            .await
            .status(),
        401
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_pages_have_the_staff_frame() {
    let app = app().await;
    let id = staff(&app, StaffRole::Operator).await;
    let b = app.browser();
    // The login page: the code is optional (left empty at the first login) and says so.
    let login = app.get(&b, "/helpdesk/login").await.text().await.unwrap();
    assert!(login.contains("CCUS ヘルプデスク"));
    assert!(login.contains("初めてログインするときは空欄のままにしてください"));
    let code_field = login.split("id=\"code\"").nth(1).unwrap();
    assert!(!code_field.split('>').next().unwrap().contains("required"));
    assert!(!login.contains("技能者ログイン</a>"), "no public footer");
    enrolled(&app, &b, &id).await;
    for path in ["/helpdesk", "/helpdesk/inquiries"] {
        let page = app.get(&b, path).await.text().await.unwrap();
        assert!(
            page.contains("窓口 一郎") && page.contains(&id),
            "{path}: who"
        );
        assert!(
            page.contains("action=\"/helpdesk/logout\""),
            "{path}: ログアウト"
        );
        assert!(page.contains("お問い合わせ一覧"), "{path}: menu");
        assert!(
            !page.contains("/audit"),
            "{path}: operators have no audit menu"
        );
        assert!(
            !page.contains("技能者ログイン</a>"),
            "{path}: no public footer"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_shows_and_lifts_a_lock_of_the_owners_own_browser() {
    let app = app().await;
    let acct = app.account(AccountKind::Technician).await;
    let tech = AccountKind::Technician;
    // The owner's browser T: logged in before, then five wrong passwords there.
    let t = app.browser();
    assert_eq!(
        app.login(&t, tech, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303
    );
    for _ in 0..5 {
        app.login(&t, tech, acct.login_id.as_str(), "wrong").await;
    }
    assert_eq!(
        app.login(&t, tech, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        423
    );
    let id = staff(&app, StaffRole::Operator).await;
    let b = app.browser();
    enrolled(&app, &b, &id).await;
    let found = b
        .get(app.url("/helpdesk"))
        .query(&[("login_id", acct.login_id.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let start = found.find("/helpdesk/accounts/").unwrap();
    let end = found[start..].find('"').unwrap() + start;
    let link = found[start..end].to_owned();
    let page = app.get(&b, &link).await.text().await.unwrap();
    assert!(page.contains("ブラウザ 1 台がロック中"), "{page}");
    let r = b
        .post(app.url(&format!("{link}/unlock")))
        .form(&[
            ("reason", "お問い合わせ: 本人から電話"),
            ("csrf_token", csrf_in(&page).as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let page = app.get(&b, &link).await.text().await.unwrap();
    assert!(!page.contains("台がロック中"));
    assert_eq!(
        app.login(&t, tech, acct.login_id.as_str(), &acct.password)
            .await
            .status(),
        303,
        "the owner's browser is free again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_member_switches_to_english_and_reads_the_console_in_english() {
    let app = app().await;
    let acct = app.account(AccountKind::Technician).await;
    let id = staff(&app, StaffRole::Supervisor).await;
    let b = app.browser();
    // The login page has the switch too, before anyone signs in.
    let login = app.get(&b, "/helpdesk/login").await.text().await.unwrap();
    assert!(login.contains("href=\"/lang/en?back=") && login.contains("lang-switch"));
    enrolled(&app, &b, &id).await;
    let home = app.get(&b, "/helpdesk").await.text().await.unwrap();
    assert!(home.contains("アカウントを探す") && home.contains("href=\"/lang/en?back="));

    let r = app.get(&b, "/lang/en?back=%2Fhelpdesk").await;
    assert_eq!(location(&r), "/helpdesk");
    let home = app.get(&b, "/helpdesk").await.text().await.unwrap();
    assert!(home.contains("<html lang=\"en\">"));
    for en in [
        "CCUS Helpdesk",
        "Find an account",
        "Inquiries",
        "Audit log",
        "Log out",
        "Every action is recorded with its reason.",
    ] {
        assert!(home.contains(en), "{en} in {home}");
    }
    for ja in [
        "アカウントを探す",
        "お問い合わせ一覧",
        "ログアウト",
        "操作はすべて理由とともに記録されます",
    ] {
        assert!(!home.contains(ja), "{ja} left in English");
    }

    // An account found by its ID, with its kind and the actions in English.
    let found = b
        .get(app.url("/helpdesk"))
        .query(&[("login_id", acct.login_id.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(found.contains("Matches (1)") && found.contains("Technician"));
    let start = found.find("/helpdesk/accounts/").unwrap();
    let end = found[start..].find('"').unwrap() + start;
    let page = app.get(&b, &found[start..end]).await.text().await.unwrap();
    assert!(
        page.contains("Send the ID to the registered email address")
            && page.contains("Not locked (0 failures in a row)")
            && page.contains("Recent access history"),
        "{page}"
    );
    assert!(!page.contains("ロックを解除する") && !page.contains("登録メールアドレス"));

    // The queue, the audit log and the operations, with a refusal in English.
    let queue = app
        .get(&b, "/helpdesk/inquiries")
        .await
        .text()
        .await
        .unwrap();
    assert!(queue.contains("Receipt no.") && queue.contains("No inquiries here."));
    let audit = app.get(&b, "/helpdesk/audit").await.text().await.unwrap();
    assert!(audit.contains(">Logged in<") && !audit.contains(">ログイン<"));
    let ops = "/helpdesk/operations";
    let bad = app
        .submit(
            &b,
            ops,
            "/helpdesk/operations/maintenance",
            &[("from", "someday"), ("to", "later")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let page = bad.text().await.unwrap();
    assert!(
        page.contains("Enter the start &quot;someday&quot; as a JST time")
            || page.contains("Enter the start &#34;someday&#34; as a JST time"),
        "{page}"
    );
    assert!(page.contains("Schedule maintenance") && !page.contains("開始日時"));

    // A wrong login reads in English too.
    let other = app.browser();
    app.get(&other, "/lang/en?back=/").await;
    let r = staff_login(&app, &other, &id, "not the password", "123456").await;
    assert_eq!(r.status(), 401);
    let page = r.text().await.unwrap();
    assert!(page.contains("The staff ID, password or code is wrong") && page.contains("Staff ID"));

    // やさしい日本語.
    app.get(&b, "/lang/easy?back=/helpdesk").await;
    let home = app.get(&b, "/helpdesk").await.text().await.unwrap();
    assert!(home.contains("<html lang=\"ja\">") && home.contains("アカウントを さがす"));
    assert!(!home.contains("Find an account"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_logout_ends_the_session_and_is_audited_once() {
    let app = app().await;
    let id = staff(&app, StaffRole::Operator).await;
    let b = app.browser();
    enrolled(&app, &b, &id).await;
    assert_eq!(app.get(&b, "/helpdesk").await.status(), 200);
    let r = app
        .submit(&b, "/helpdesk", "/helpdesk/logout", &[("code", "")])
        .await;
    assert_eq!(location(&r), "/helpdesk/login");
    assert_eq!(
        location(&app.get(&b, "/helpdesk").await),
        "/helpdesk/login",
        "the session has ended"
    );
    let log = ccus_app::audit::helpdesk_log(&app.state, 50).await.unwrap();
    assert_eq!(
        log.iter()
            .filter(|e| e.is(ccus_app::audit::AuditAction::StaffLogout))
            .count(),
        1,
        "{:?}",
        log.iter().map(|e| &e.action).collect::<Vec<_>>()
    );
}
