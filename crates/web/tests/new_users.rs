//! What new users found hard, fixed and kept fixed: registration is found from the top and the
//! login pages; a refused new password, the first-login page and a maintenance notice read in
//! the reader's language; a permission refusal says what was refused; stopping a 管理者ID asks
//! for a reason and a confirmation, and roles are offered least powerful first; the access
//! history names who acted for the account; every ending of 「ログインできない方へ」 and the
//! recovery pages open the inquiry form with its category chosen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use ccus_domain::guide::{self, Answers, Entrance, Screen};
use ccus_domain::{AccountKind, LoginId};
use ccus_storage::StaffRole;
use ccus_testkit::*;

const TECH: AccountKind = AccountKind::Technician;
const BIZ: AccountKind = AccountKind::Business;

async fn app() -> TestApp {
    use base64::Engine;
    spawn_app_with(ccus_storage::testdb::sqlite_url(), |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    })
    .await
}

async fn text(app: &TestApp, b: &reqwest::Client, path: &str) -> String {
    app.get(b, path).await.text().await.unwrap()
}

/// The `href` of the first link whose text is exactly `label`.
fn href_of(html: &str, label: &str) -> String {
    let end = html
        .find(&format!(">{label}</a>"))
        .unwrap_or_else(|| panic!("no link 「{label}」"));
    let start = html[..end].rfind("href=\"").unwrap() + "href=\"".len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_is_found_from_the_top_and_the_login_pages() {
    let app = app().await;
    let b = app.browser();
    let top = text(&app, &b, "/").await;
    let apply = href_of(&top, "新規登録");
    assert_eq!(apply, "/apply");
    for login in ["/ccus_skill/login", "/ccus_owner/login"] {
        let page = text(&app, &b, login).await;
        assert_eq!(href_of(&page, "新規登録"), "/apply", "{login}");
    }
    let page = text(&app, &b, &apply).await;
    for (kind, section) in [("技能者", "#technician"), ("事業者", "#business")] {
        assert_eq!(href_of(&page, kind), section);
        let id = section.trim_start_matches('#');
        assert!(page.contains(&format!("id=\"{id}\"")), "{kind}");
    }
    assert_eq!(
        href_of(&page, "申請用IDを作成して申請を始める"),
        "/apply/start"
    );
    // In English the link still names the Japanese word people are told to look for.
    app.get(&b, "/lang/en?back=/").await;
    let top = text(&app, &b, "/").await;
    assert_eq!(href_of(&top, "New registration (新規登録)"), "/apply");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_password_and_the_first_login_read_in_english() {
    let app = app().await;
    let t = app
        .account_with_initial_password(TECH, "first@example.jp")
        .await;
    let b = app.browser();
    app.get(&b, "/lang/en?back=/").await;
    let login = text(&app, &b, "/ccus_skill/login").await;
    assert!(
        login.contains("initial password (初期パスワード)"),
        "{login}"
    );
    app.login(&b, TECH, t.login_id.as_str(), &t.password).await;
    let page = text(&app, &b, "/ccus_skill/password/initial").await;
    assert!(page.contains("本人確認番号") && page.contains("初期パスワード"));
    // A password with the ID in it is refused with the reason in English.
    let with_id = format!("x{}x", t.login_id.as_str());
    let r = app
        .submit(
            &b,
            "/ccus_skill/password/initial",
            "/ccus_skill/password/initial",
            &[
                ("security_code", "2468"),
                ("password", &with_id),
                ("password_confirm", &with_id),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("The password cannot contain your ID"),
        "{page}"
    );
    assert!(!page.contains("含めることはできません"));
    // The same in やさしい日本語.
    app.get(&b, "/lang/easy?back=/").await;
    let r = app
        .submit(
            &b,
            "/ccus_skill/password/initial",
            "/ccus_skill/password/initial",
            &[
                ("security_code", "2468"),
                ("password", "ccus-building-days"),
                ("password_confirm", "ccus-building-days"),
            ],
        )
        .await;
    let page = r.text().await.unwrap();
    assert!(
        page.contains("パスワードに「ccus」を 入れないで ください"),
        "{page}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_maintenance_notice_reads_in_the_readers_language() {
    let app = app().await;
    let now = app.state.clock().now();
    let input = |t: ccus_domain::Timestamp| {
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
    let starts = now.plus(Duration::from_secs(2 * 86_400));
    let from = input(starts);
    let to = input(now.plus(Duration::from_secs(2 * 86_400 + 3_600)));
    ccus_app::ops::operations::run(
        &app.state,
        ccus_app::ops::operations::Operator::CommandLine,
        ccus_app::ops::operations::Operation::ScheduleMaintenance {
            from,
            to,
            message: "サーバー機器の交換".into(),
        },
    )
    .await
    .unwrap();
    let b = app.browser();
    let ja = text(&app, &b, "/notices").await;
    assert!(ja.contains("メンテナンスのお知らせ"), "{ja}");
    app.get(&b, "/lang/en?back=/").await;
    let en = text(&app, &b, "/notices").await;
    assert!(en.contains("Maintenance ("), "{en}");
    assert!(en.contains(&starts.jst()), "the times as everywhere: {en}");
    assert!(en.contains("Expected to end"));
    assert!(
        en.contains("サーバー機器の交換"),
        "the operator's words as written"
    );
    assert!(!en.contains("メンテナンスのお知らせ"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ending_of_the_guide_opens_the_inquiry_with_a_category() {
    let app = app().await;
    let b = app.browser();
    for e in [Entrance::Technician, Entrance::Business, Entrance::Unknown] {
        for s in Screen::ALL {
            for m in [None, Some(true), Some(false)] {
                let a = Answers {
                    entrance: Some(e),
                    screen: Some(s),
                    mail: m,
                };
                let guide::Step::End(ending) = guide::next(&a) else {
                    continue;
                };
                let mut q = format!("/inquiry?e={}&s={}", e.as_str(), s.as_str());
                if let Some(m) = m {
                    q.push_str(if m { "&m=yes" } else { "&m=no" });
                }
                let page = text(&app, &b, &q).await;
                assert!(
                    page.contains("selected"),
                    "{ending:?}: the form opens with its category chosen"
                );
            }
        }
    }
    // The recovery pages' way to the helpdesk, by name.
    for (topic, category) in [("email", "登録メールアドレス変更"), ("id", "ID照会")] {
        let page = text(&app, &b, &format!("/inquiry?topic={topic}")).await;
        assert!(
            page.contains(&format!("value=\"{category}\" selected")),
            "{topic}"
        );
    }
    let t = app.account(TECH).await;
    let r = app
        .submit(
            &b,
            "/ccus_skill/password/forgot",
            "/ccus_skill/password/forgot",
            &[
                ("login_id", t.login_id.as_str()),
                ("email", "nobody@example.jp"),
            ],
        )
        .await;
    let page = r.text().await.unwrap();
    assert_eq!(
        href_of(
            &page,
            "ヘルプデスクに問い合わせる（登録メールアドレスが使えない場合）"
        ),
        "/inquiry?topic=email"
    );
}

/// The new person of a 「管理者IDの発行」 mail sets their password and logs in.
async fn manager_logs_in(app: &TestApp, body: &str) -> reqwest::Client {
    let start = body.find("管理者ID: ").unwrap() + "管理者ID: ".len();
    let id: String = body[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ' ')
        .filter(char::is_ascii_digit)
        .collect();
    let link = link_in(body, "/ccus_owner/password/reset");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let b = app.browser();
    let pw = "a ladder of my own";
    app.submit(
        &b,
        &link,
        "/ccus_owner/password/reset",
        &[
            ("token", &token),
            ("password", pw),
            ("password_confirm", pw),
        ],
    )
    .await;
    assert_eq!(app.login(&b, BIZ, &id, pw).await.status(), 303);
    b
}

/// The owner issues a 現場管理者 for the whole business; returns the account id and the
/// person's browser, logged in.
async fn site_manager(app: &TestApp, owner: &reqwest::Client) -> (i64, reqwest::Client) {
    let page = text(app, owner, "/ccus_owner/org").await;
    // The least powerful role is offered first, and chosen unless changed (the 代行登録担当者,
    // which may do one thing; the 現場管理者 also runs sites).
    let select = &page[page.find("id=\"member_role\"").unwrap()..];
    let first = &select[select.find("<option value=\"").unwrap() + "<option value=\"".len()..];
    assert!(first.starts_with("proxy_clerk"), "{select}");
    let r = app
        .submit(
            owner,
            "/ccus_owner/org",
            "/ccus_owner/org/members",
            &[
                ("name", "現場 次郎"),
                ("email", "site@example.jp"),
                ("role", "site_manager"),
                ("tier", "top"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let mail = app
        .wait_for_mail("site@example.jp", "管理者IDの発行", 1)
        .await;
    let b = manager_logs_in(app, &mail[0].body).await;
    let body = &mail[0].body;
    let start = body.find("管理者ID: ").unwrap() + "管理者ID: ".len();
    let id: String = body[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ' ')
        .filter(char::is_ascii_digit)
        .collect();
    let account = app
        .state
        .store_for_tools()
        .accounts()
        .account_by_login_id(&LoginId::parse(&id).unwrap())
        .await
        .unwrap()
        .unwrap();
    (account.id.get(), b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_say_what_and_why_and_stopping_asks_a_reason() {
    let app = app().await;
    let biz = app.account(BIZ).await;
    let owner = app.browser();
    app.login(&owner, BIZ, biz.login_id.as_str(), &biz.password)
        .await;
    let (member, mb) = site_manager(&app, &owner).await;

    // A 階層管理者 of one branch may not add a tier under another: the page says so, not the
    // anti-forgery words.
    for branch in ["東京支店", "大阪支店"] {
        let r = app
            .submit(
                &owner,
                "/ccus_owner/org",
                "/ccus_owner/org/tiers",
                &[("parent", "top"), ("name", branch)],
            )
            .await;
        assert_eq!(r.status(), 303, "{branch}");
    }
    let tiers = app
        .state
        .store_for_tools()
        .org()
        .org_tiers(
            app.state
                .store_for_tools()
                .accounts()
                .account_by_login_id(&biz.login_id)
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap();
    let tier_of = |name: &str| {
        tiers
            .iter()
            .find(|t| t.name == name)
            .unwrap()
            .id
            .to_string()
    };
    let (tokyo, osaka) = (tier_of("東京支店"), tier_of("大阪支店"));
    let r = app
        .submit(
            &owner,
            "/ccus_owner/org",
            "/ccus_owner/org/members",
            &[
                ("name", "支店 三郎"),
                ("email", "branch@example.jp"),
                ("role", "tier_manager"),
                ("tier", &tokyo),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let mail = app
        .wait_for_mail("branch@example.jp", "管理者IDの発行", 1)
        .await;
    let tb = manager_logs_in(&app, &mail[0].body).await;
    let r = app
        .submit(
            &tb,
            "/ccus_owner/org",
            "/ccus_owner/org/tiers",
            &[("parent", &osaka), ("name", "梅田営業所")],
        )
        .await;
    assert_eq!(r.status(), 403);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("この場所に階層を作る権限がありません"),
        "{page}"
    );
    assert!(!page.contains("別のサイトから送信された"));

    // Stopping needs a reason and the box ticked; what was typed stays.
    let path = format!("/ccus_owner/org/members/{member}");
    let stop = format!("{path}/disable");
    let r = app
        .submit(&owner, &path, &stop, &[("reason", "異動のため")])
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("チェックを入れてください") && page.contains("value=\"異動のため\""));
    let r = app
        .submit(&owner, &path, &stop, &[("reason", " "), ("confirm", "1")])
        .await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("停止する理由を入力してください"));
    assert_eq!(app.get(&mb, "/ccus_owner/home").await.status(), 200);
    let r = app
        .submit(
            &owner,
            &path,
            &stop,
            &[("reason", "異動のため"), ("confirm", "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let org = text(&app, &owner, "/ccus_owner/org").await;
    assert!(
        org.contains("理由: 異動のため"),
        "the record keeps the reason"
    );
    // The stopped person's history names who stopped them, not "business".
    let page = text(&app, &owner, &path).await;
    assert!(
        page.contains(&format!(
            "事業者の管理者 {}（{}）",
            biz.name,
            biz.login_id.grouped()
        )),
        "{page}"
    );
    assert!(!page.contains(">business<"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_history_names_the_helpdesk_when_it_acted() {
    let app = app().await;
    let t = app.account(TECH).await;
    let id = app
        .state
        .store_for_tools()
        .accounts()
        .account_by_login_id(&t.login_id)
        .await
        .unwrap()
        .unwrap()
        .id;
    let (sb, _, staff_id) = app.staff_browser_with_id(StaffRole::Operator).await;
    let account = format!("/helpdesk/accounts/{id}");
    let r = app
        .submit(
            &sb,
            &account,
            &format!("{account}/unlock"),
            &[("reason", "電話で本人確認")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let b = app.browser();
    app.login(&b, TECH, t.login_id.as_str(), &t.password).await;
    let history = text(&app, &b, "/ccus_skill/history").await;
    assert!(
        history.contains(&format!("ヘルプデスク（職員 {staff_id}）")),
        "{history}"
    );
    assert!(!history.contains(">helpdesk<"));
    app.get(&b, "/lang/en?back=/").await;
    let history = text(&app, &b, "/ccus_skill/history").await;
    assert!(history.contains(&format!("The helpdesk (staff {staff_id})")));
}
