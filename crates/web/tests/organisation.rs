//! 管理者ID and the business's own organisation over HTTP: tiers, a login per person chosen by
//! that person from a mailed link, lockout lifted by the tier above, a stopped ID refused, the
//! access history of each person, and every forbidden role × action pair refused — on SQLite
//! and, when configured, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_domain::org::{scope, Action, Role};
use ccus_domain::{AccountId, AccountKind, LoginId};
use ccus_testkit::*;

const BIZ: AccountKind = AccountKind::Business;

async fn app_on(url: String) -> TestApp {
    use base64::Engine;
    spawn_app_with(url, |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    })
    .await
}
const PW: &str = "a ladder of my own";

/// The ID in 「管理者ID: …」 of a mail or a page.
fn manager_id_in(text: &str) -> String {
    let start = text.find("管理者ID: ").expect("an ID") + "管理者ID: ".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ' ')
        .collect::<String>()
        .replace(' ', "")
}

/// The `value` of the `<option>` whose label contains `label`.
fn option_value(html: &str, label: &str) -> String {
    let at = html
        .find(label)
        .unwrap_or_else(|| panic!("no option {label}"));
    let before = &html[..at];
    let start = before.rfind("value=\"").unwrap() + "value=\"".len();
    before[start..start + before[start..].find('"').unwrap()].to_owned()
}

/// The body of a page a browser opens.
async fn text_of(app: &TestApp, b: &reqwest::Client, path: &str) -> String {
    app.get(b, path).await.text().await.unwrap()
}

async fn org_page(app: &TestApp, b: &reqwest::Client) -> String {
    let r = app.get(b, "/ccus_owner/org").await;
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

/// Issues a 管理者ID from the organisation page; returns its account id.
async fn issue(
    app: &TestApp,
    b: &reqwest::Client,
    name: &str,
    email: &str,
    role: Role,
    place: &str,
) -> i64 {
    let page = org_page(app, b).await;
    let tier = option_value(&page[page.find("member_tier").unwrap()..], place);
    let r = app
        .submit(
            b,
            "/ccus_owner/org",
            "/ccus_owner/org/members",
            &[
                ("name", name),
                ("email", email),
                ("role", role.as_str()),
                ("tier", &tier),
            ],
        )
        .await;
    assert_eq!(r.status(), 200, "issuing {name}");
    assert_eq!(r.headers()["cache-control"], "no-store");
    let page = r.text().await.unwrap();
    assert!(page.contains("本人確認番号（4桁）: "));
    let id = LoginId::parse(&manager_id_in(&page)).unwrap();
    assert!(id.is_manager());
    app.state
        .store_for_tools()
        .accounts()
        .account_by_login_id(&id)
        .await
        .unwrap()
        .unwrap()
        .id
        .get()
}

/// The new person opens the mailed link and chooses their password; returns their 管理者ID.
async fn set_own_password(app: &TestApp, email: &str) -> String {
    let mail = app
        .wait_for_mail(email, "管理者IDの発行のお知らせ", 1)
        .await;
    let id = manager_id_in(&mail[0].body);
    let link = link_in(&mail[0].body, "/ccus_owner/password/reset");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let b = app.browser();
    assert_eq!(app.get(&b, &link).await.status(), 200);
    let r = app
        .submit(
            &b,
            &link,
            "/ccus_owner/password/reset",
            &[
                ("token", &token),
                ("password", PW),
                ("password_confirm", PW),
            ],
        )
        .await;
    assert!(
        r.status().is_success() || r.status().is_redirection(),
        "{}",
        r.status()
    );
    id
}

async fn logged_in(app: &TestApp, id: &str) -> reqwest::Client {
    let b = app.browser();
    let r = app.login(&b, BIZ, id, PW).await;
    assert_eq!(location(&r), "/ccus_owner/home", "{id} logs in");
    b
}

async fn history_labels(app: &TestApp, account_id: i64) -> Vec<&'static str> {
    let a = app
        .state
        .store_for_tools()
        .accounts()
        .account_by_id(AccountId::new(account_id))
        .await
        .unwrap()
        .unwrap();
    app.state
        .store_for_tools()
        .history()
        .access_history(&a, 0, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind.label_ja())
        .collect()
}

async fn the_organisation(app: TestApp) {
    let owner = app.account(BIZ).await;
    let ob = app.browser();
    app.login(&ob, BIZ, &owner.login_id.to_string(), &owner.password)
        .await;
    let home = text_of(&app, &ob, "/ccus_owner/home").await;
    assert!(home.contains("href=\"/ccus_owner/org\""));

    // Two tiers: a branch and an office under it.
    let r = app
        .submit(
            &ob,
            "/ccus_owner/org",
            "/ccus_owner/org/tiers",
            &[("parent", "top"), ("name", "東京支店")],
        )
        .await;
    assert_eq!(location(&r), "/ccus_owner/org?done=tier");
    let page = org_page(&app, &ob).await;
    let branch = option_value(&page, "第1階層「東京支店」の下");
    let r = app
        .submit(
            &ob,
            "/ccus_owner/org",
            "/ccus_owner/org/tiers",
            &[("parent", &branch), ("name", "第一工事部")],
        )
        .await;
    assert_eq!(location(&r), "/ccus_owner/org?done=tier");
    // Not past the third tier, and an empty name is refused with the reason.
    let r = app
        .submit(
            &ob,
            "/ccus_owner/org",
            "/ccus_owner/org/tiers",
            &[("parent", &branch), ("name", "  ")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("階層の名前を入力してください"));

    // A 階層管理者 for the branch, a 現場管理者 in the office, a 代行登録担当者 at the top.
    let branch_mgr = issue(
        &app,
        &ob,
        "支店 一郎",
        "shiten@example.jp",
        Role::TierManager,
        "第1階層「東京支店」",
    )
    .await;
    let site = issue(
        &app,
        &ob,
        "現場 次郎",
        "genba@example.jp",
        Role::SiteManager,
        "第2階層「第一工事部」",
    )
    .await;
    let clerk = issue(
        &app,
        &ob,
        "代行 花子",
        "daikou@example.jp",
        Role::ProxyClerk,
        "事業者全体",
    )
    .await;
    // Nobody can log in before choosing a password: the generated one is known to no one,
    // and the page never showed it.
    let branch_id = set_own_password(&app, "shiten@example.jp").await;
    let site_id = set_own_password(&app, "genba@example.jp").await;
    let clerk_id = set_own_password(&app, "daikou@example.jp").await;

    // Each logs in at the 事業者 entrance with their own ID; the home says who they are.
    let sb = logged_in(&app, &site_id).await;
    let home = text_of(&app, &sb, "/ccus_owner/home").await;
    assert!(home.contains("管理者ID") && home.contains("現場管理者・第2階層「第一工事部」"));
    assert!(!home.contains("/ccus_owner/org\"") && !home.contains("/ccus_owner/proxy\""));
    let bb = logged_in(&app, &branch_id).await;
    let cb = logged_in(&app, &clerk_id).await;
    let home = text_of(&app, &cb, "/ccus_owner/home").await;
    assert!(home.contains("/ccus_owner/proxy\""));

    // A 管理者ID at the 技能者 entrance is sent to the 事業者 entrance, ID filled in.
    let r = app
        .login(&app.browser(), AccountKind::Technician, &site_id, PW)
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("入力されたIDは管理者IDです"));
    assert!(page.contains(&format!("/ccus_owner/login?login_id={site_id}")));

    // The 現場管理者 is locked by wrong passwords, and unlocked by the branch manager.
    for _ in 0..5 {
        app.login(&app.browser(), BIZ, &site_id, "not my password")
            .await;
    }
    let r = app.login(&app.browser(), BIZ, &site_id, PW).await;
    assert_eq!(r.status(), 423, "locked");
    let member_page = format!("/ccus_owner/org/members/{site}");
    let page = text_of(&app, &bb, &member_page).await;
    assert!(page.contains("ロック中") && page.contains("ロックを解除する"));
    assert!(
        page.contains("ログイン失敗が続いたためロック"),
        "its history"
    );
    let r = app
        .submit(&bb, &member_page, &format!("{member_page}/unlock"), &[])
        .await;
    assert_eq!(location(&r), format!("{member_page}?done=unlock"));
    logged_in(&app, &site_id).await;
    let labels = history_labels(&app, site).await;
    assert!(labels.contains(&"事業者の管理者がロックを解除"));
    assert!(labels.contains(&"ログイン"));

    // The branch manager reaches its subtree only.
    let r = app
        .submit(
            &bb,
            "/ccus_owner/org",
            "/ccus_owner/org/tiers",
            &[("parent", "top"), ("name", "大阪支店")],
        )
        .await;
    assert_eq!(r.status(), 403);
    for victim in [clerk, branch_mgr] {
        let r = app
            .submit(
                &bb,
                "/ccus_owner/org",
                &format!("/ccus_owner/org/members/{victim}/disable"),
                &[],
            )
            .await;
        assert_eq!(r.status(), 403, "{victim}");
        assert_eq!(
            app.get(&bb, &format!("/ccus_owner/org/members/{victim}"))
                .await
                .status(),
            404
        );
    }
    let page = org_page(&app, &bb).await;
    assert!(page.contains("現場 次郎") && !page.contains("代行 花子"));

    // The owner stops the 現場管理者: their session ends and the right password is refused.
    let r = app
        .submit(
            &ob,
            &member_page,
            &format!("{member_page}/disable"),
            &[("reason", "異動のため"), ("confirm", "1")],
        )
        .await;
    assert_eq!(location(&r), format!("{member_page}?done=disable"));
    assert_ne!(app.get(&sb, "/ccus_owner/home").await.status(), 200);
    let r = app.login(&app.browser(), BIZ, &site_id, PW).await;
    assert_eq!(r.status(), 403);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("この管理者IDは利用停止中です"));
    // A wrong password for a stopped ID says only that the password is wrong.
    let r = app
        .login(&app.browser(), BIZ, &site_id, "wrong again")
        .await;
    assert_eq!(r.status(), 401);
    app.submit(&ob, &member_page, &format!("{member_page}/enable"), &[])
        .await;
    logged_in(&app, &site_id).await;

    // A reset link from the owner goes to the person's own address, saying who sent it.
    app.submit(&ob, &member_page, &format!("{member_page}/reset"), &[])
        .await;
    let mail = app
        .wait_for_mail("genba@example.jp", "パスワード再設定のご案内", 1)
        .await;
    assert!(mail[0].body.contains("操作した方: 株式会社 見本建設"));
    assert!(mail[0].body.contains("/ccus_owner/password/reset?token="));

    let labels = history_labels(&app, site).await;
    for l in [
        "事業者の管理者が利用停止",
        "利用停止中のためログイン不可",
        "事業者の管理者が利用を再開",
        "事業者の管理者がパスワード再設定メールを送信",
    ] {
        assert!(labels.contains(&l), "{l} in {labels:?}");
    }
    // The owner's 操作の記録 names who did what to whom.
    let page = org_page(&app, &ob).await;
    for l in [
        "階層の作成",
        "管理者IDの発行",
        "ロック解除",
        "利用停止",
        "アクセス履歴の閲覧",
    ] {
        assert!(page.contains(l), "{l}");
    }
    assert!(page.contains("支店 一郎"));

    // Every role × action outside the permission table is refused over HTTP.
    let browsers = [
        (Role::TierManager, &bb),
        (Role::SiteManager, &sb),
        (Role::ProxyClerk, &cb),
    ];
    let sb = logged_in(&app, &site_id).await;
    let browsers = [browsers[0], (Role::SiteManager, &sb), browsers[2]];
    let own_tier = option_value(&org_page(&app, &bb).await, "第1階層「東京支店」の下");
    for (role, b) in browsers {
        for action in Action::ALL {
            if scope(role, action).is_some() {
                continue;
            }
            let victim = format!("/ccus_owner/org/members/{site}");
            let status = match action {
                Action::ViewOrganisation => app.get(b, "/ccus_owner/org").await.status(),
                Action::CreateTier => app
                    .submit(
                        b,
                        "/ccus_owner/home",
                        "/ccus_owner/org/tiers",
                        &[("parent", &own_tier), ("name", "x")],
                    )
                    .await
                    .status(),
                Action::CreateMember => app
                    .submit(
                        b,
                        "/ccus_owner/home",
                        "/ccus_owner/org/members",
                        &[
                            ("name", "x"),
                            ("email", "x@example.jp"),
                            ("role", "site_manager"),
                            ("tier", &own_tier),
                        ],
                    )
                    .await
                    .status(),
                Action::DisableMember | Action::SendReset | Action::Unlock => {
                    let verb = match action {
                        Action::DisableMember => "disable",
                        Action::SendReset => "reset",
                        _ => "unlock",
                    };
                    app.submit(b, "/ccus_owner/home", &format!("{victim}/{verb}"), &[])
                        .await
                        .status()
                }
                Action::ViewHistory => app.get(b, &victim).await.status(),
                Action::ProxyApply => {
                    let get = app.get(b, "/ccus_owner/proxy").await.status();
                    assert!(get == 404 || get == 403, "{role:?} GET proxy: {get}");
                    app.submit(b, "/ccus_owner/home", "/ccus_owner/proxy", &[])
                        .await
                        .status()
                }
                Action::ManageAffiliations => app
                    .submit(
                        b,
                        "/ccus_owner/home",
                        "/ccus_owner/technicians/request",
                        &[("login_id", "10000000000000")],
                    )
                    .await
                    .status(),
                Action::ViewTechnicians => app.get(b, "/ccus_owner/technicians").await.status(),
                Action::RegisterSites => {
                    let get = app.get(b, "/ccus_owner/sites/new").await.status();
                    assert!(get == 404 || get == 403, "{role:?} GET new site: {get}");
                    app.submit(
                        b,
                        "/ccus_owner/home",
                        "/ccus_owner/sites/new",
                        &[("name", "x")],
                    )
                    .await
                    .status()
                }
                Action::RunSites => app.get(b, "/ccus_owner/sites").await.status(),
                Action::AnswerRequests => app.get(b, "/ccus_owner/sites/pending").await.status(),
                Action::EditRoster => app.get(b, "/ccus_owner/agreements").await.status(),
                Action::GrantSystems => app.get(b, "/ccus_owner/systems").await.status(),
            };
            assert!(
                status == 404 || status == 403,
                "{role:?} may not {action:?}, got {status}"
            );
        }
    }
    // The 現場管理者 was never touched by the refused attempts.
    assert!(logged_in(&app, &site_id)
        .await
        .get(app.url("/ccus_owner/home"))
        .send()
        .await
        .unwrap()
        .status()
        .is_success());
    // The helpdesk sees the tree from the business, the place from a person, and acts on one
    // person with a reason (audited, in that person's history).
    let (desk, _) = app.staff_browser(ccus_storage::StaffRole::Operator).await;
    let owner_account = app
        .state
        .store_for_tools()
        .accounts()
        .account_by_login_id(&owner.login_id)
        .await
        .unwrap()
        .unwrap();
    let page = text_of(
        &app,
        &desk,
        &format!("/helpdesk/accounts/{}", owner_account.id),
    )
    .await;
    for l in [
        "組織と管理者ID",
        "第1階層「東京支店」",
        "第2階層「第一工事部」",
        "支店 一郎",
        "現場 次郎",
        "代行 花子",
    ] {
        assert!(page.contains(l), "{l}");
    }
    let page = text_of(&app, &desk, &format!("/helpdesk/accounts/{site}")).await;
    assert!(page.contains("管理者IDの所属") && page.contains("現場管理者・第2階層「第一工事部」"));
    // A member of staff reading English sees the same in English.
    desk.get(app.url("/lang/en?back=/")).send().await.unwrap();
    let page = text_of(&app, &desk, &format!("/helpdesk/accounts/{site}")).await;
    assert!(
        page.contains("Site manager of ") && page.contains("Tier 2 “第一工事部” (active)"),
        "{page}"
    );
    let page = text_of(
        &app,
        &desk,
        &format!("/helpdesk/accounts/{}", owner_account.id),
    )
    .await;
    assert!(page.contains("Tier 1 “東京支店”") && page.contains(", Site manager)"));
    desk.get(app.url("/lang/ja?back=/")).send().await.unwrap();
    let r = app
        .submit(
            &desk,
            &format!("/helpdesk/accounts/{site}"),
            &format!("/helpdesk/accounts/{site}/reset"),
            &[("reason", "お問い合わせ 2026-0001")],
        )
        .await;
    assert!(r.status().is_redirection(), "{}", r.status());
    assert!(history_labels(&app, site)
        .await
        .contains(&"ヘルプデスクがパスワード再設定メールを送信"));

    // A technician has no organisation.
    let t = app.account(AccountKind::Technician).await;
    let tb = app.browser();
    app.login(
        &tb,
        AccountKind::Technician,
        &t.login_id.to_string(),
        &t.password,
    )
    .await;
    assert_ne!(app.get(&tb, "/ccus_owner/org").await.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_business_runs_its_own_organisation_on_sqlite() {
    the_organisation(app_on(ccus_storage::testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_business_runs_its_own_organisation_on_postgres() {
    let Some(url) = ccus_storage::testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV);
        return;
    };
    the_organisation(app_on(url).await).await;
}

/// A technician with a フリガナ and a birth date, at their own address.
async fn technician(app: &TestApp, email: &str) -> (ccus_domain::LoginId, i64) {
    let created = ccus_app::account::provisioning::create_account(
        &app.state,
        ccus_app::account::provisioning::AccountRequest {
            kind: AccountKind::Technician,
            name: "山田 花子".into(),
            email: email.into(),
            password: Some(PW.into()),
            security_code: Some("1234".into()),
            must_change_password: false,
            profile: ccus_app::account::provisioning::ProfileRequest {
                furigana: "ヤマダ ハナコ".into(),
                birth_date: Some("1990-05-05".into()),
                employer: None,
            },
        },
    )
    .await
    .unwrap();
    (created.account.login_id, created.account.id.get())
}

async fn the_affiliations(app: TestApp) {
    let owner = app.account(BIZ).await;
    let ob = app.browser();
    app.login(&ob, BIZ, &owner.login_id.to_string(), &owner.password)
        .await;
    let site = issue(
        &app,
        &ob,
        "現場 次郎",
        "genba@example.jp",
        Role::SiteManager,
        "事業者全体",
    )
    .await;
    let _ = site;
    let site_id = set_own_password(&app, "genba@example.jp").await;
    let sb = logged_in(&app, &site_id).await;
    let (tid, tech) = technician(&app, "hanako@example.jp").await;

    // The business asks; until the technician answers it sees nothing but the ID it typed.
    let r = app
        .submit(
            &ob,
            "/ccus_owner/technicians",
            "/ccus_owner/technicians/request",
            &[("login_id", &tid.grouped())],
        )
        .await;
    assert_eq!(location(&r), "/ccus_owner/technicians?done=request");
    let page = text_of(&app, &ob, "/ccus_owner/technicians").await;
    assert!(page.contains(&tid.grouped()) && page.contains("本人の設定により非開示"));
    assert!(!page.contains("山田 花子") && !page.contains("1990-05-05"));
    // A 事業者ID cannot be asked.
    let r = app
        .submit(
            &ob,
            "/ccus_owner/technicians",
            "/ccus_owner/technicians/request",
            &[("login_id", &owner.login_id.to_string())],
        )
        .await;
    assert_eq!(r.status(), 422);

    // The technician approves after logging in. One request, one mail.
    app.wait_for_mail("hanako@example.jp", "所属の依頼が届きました", 1)
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let asked = app
        .mails_to("hanako@example.jp")
        .iter()
        .filter(|m| m.subject.contains("所属の依頼が届きました"))
        .count();
    assert_eq!(asked, 1, "the request is mailed once");
    let tb = app.browser();
    app.login(&tb, AccountKind::Technician, tid.as_str(), PW)
        .await;
    let home = text_of(&app, &tb, "/ccus_skill/home").await;
    assert!(home.contains("/ccus_skill/affiliation\""));
    let page = text_of(&app, &tb, "/ccus_skill/affiliation").await;
    assert!(page.contains("株式会社 見本建設") && page.contains("承認する"));
    let rid = app
        .state
        .store_for_tools()
        .org()
        .open_affiliation_requests(AccountId::new(tech), false)
        .await
        .unwrap()[0]
        .id;
    // Another technician cannot answer it.
    let (other_tid, _) = technician(&app, "other@example.jp").await;
    let xb = app.browser();
    app.login(&xb, AccountKind::Technician, other_tid.as_str(), PW)
        .await;
    let r = app
        .submit(
            &xb,
            "/ccus_skill/affiliation",
            &format!("/ccus_skill/affiliation/{rid}/accept"),
            &[],
        )
        .await;
    assert_eq!(location(&r), "/ccus_skill/affiliation");
    let r = app
        .submit(
            &tb,
            "/ccus_skill/affiliation",
            &format!("/ccus_skill/affiliation/{rid}/accept"),
            &[],
        )
        .await;
    assert_eq!(location(&r), "/ccus_skill/affiliation?done=accept");
    app.wait_for_mail("someone@example.jp", "所属技能者のお知らせ", 1)
        .await;

    // The employer sees the person; its 現場管理者 sees the list but cannot ask or end.
    let page = text_of(&app, &ob, "/ccus_owner/technicians").await;
    assert!(
        page.contains("山田 花子") && page.contains("ヤマダ ハナコ") && page.contains("1990-05-05")
    );
    let page = text_of(&app, &sb, "/ccus_owner/technicians").await;
    assert!(page.contains("山田 花子") && !page.contains("所属の依頼を送る"));
    let r = app
        .submit(
            &sb,
            "/ccus_owner/technicians",
            &format!("/ccus_owner/technicians/{tech}/end"),
            &[],
        )
        .await;
    assert_eq!(r.status(), 403);

    // Another business sees only what the technician discloses — and never the birth date.
    let other = ccus_app::account::provisioning::create_account(
        &app.state,
        ccus_app::account::provisioning::AccountRequest {
            kind: BIZ,
            name: "別の建設 株式会社".into(),
            email: "betsu@example.jp".into(),
            password: Some(PW.into()),
            security_code: Some("1234".into()),
            must_change_password: false,
            profile: Default::default(),
        },
    )
    .await
    .unwrap();
    let bb2 = app.browser();
    app.login(&bb2, BIZ, other.account.login_id.as_str(), PW)
        .await;
    app.submit(
        &bb2,
        "/ccus_owner/technicians",
        "/ccus_owner/technicians/request",
        &[("login_id", tid.as_str())],
    )
    .await;
    let page = text_of(&app, &bb2, "/ccus_owner/technicians").await;
    assert!(!page.contains("山田 花子"), "非開示 by default");
    let r = app
        .submit(
            &tb,
            "/ccus_skill/affiliation",
            "/ccus_skill/affiliation/disclosure",
            &[("level", "public")],
        )
        .await;
    assert_eq!(
        location(&r),
        "/ccus_skill/affiliation?done=disclosure#disclosure"
    );
    let page = text_of(&app, &bb2, "/ccus_owner/technicians").await;
    assert!(page.contains("山田 花子") && page.contains("本人が開示"));
    assert!(!page.contains("1990-05-05"));

    // The technician leaves; the business no longer sees them as its own.
    let r = app
        .submit(
            &tb,
            "/ccus_skill/affiliation",
            "/ccus_skill/affiliation/leave",
            &[],
        )
        .await;
    assert_eq!(location(&r), "/ccus_skill/affiliation?done=leave");
    let page = text_of(&app, &ob, "/ccus_owner/technicians").await;
    assert!(!page.contains("1990-05-05"));

    // The other business's request is accepted, then that business ends the link itself.
    let rid = app
        .state
        .store_for_tools()
        .org()
        .open_affiliation_requests(AccountId::new(tech), false)
        .await
        .unwrap()[0]
        .id;
    app.submit(
        &tb,
        "/ccus_skill/affiliation",
        &format!("/ccus_skill/affiliation/{rid}/accept"),
        &[],
    )
    .await;
    let r = app
        .submit(
            &bb2,
            "/ccus_owner/technicians",
            &format!("/ccus_owner/technicians/{tech}/end"),
            &[],
        )
        .await;
    assert_eq!(location(&r), "/ccus_owner/technicians?done=end");
    app.wait_for_mail("hanako@example.jp", "所属が終了しました", 1)
        .await;
    let page = text_of(&app, &tb, "/ccus_skill/affiliation").await;
    assert!(page.contains("所属事業者はありません"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_technician_accepts_a_request_and_the_employer_sees_only_what_the_rules_allow_on_sqlite()
{
    the_affiliations(app_on(ccus_storage::testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_technician_accepts_a_request_and_the_employer_sees_only_what_the_rules_allow_on_postgres(
) {
    let Some(url) = ccus_storage::testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV);
        return;
    };
    the_affiliations(app_on(url).await).await;
}

/// Chooses a language for a browser with the switch (remembered in the `ccus_lang` cookie).
async fn choose(app: &TestApp, b: &reqwest::Client, lang: &str) {
    let r = app.get(b, &format!("/lang/{lang}?back=/")).await;
    assert!(r.status().is_redirection(), "{}", r.status());
}

fn has_none(page: &str, japanese: &[&str], lang: &str) {
    for j in japanese {
        assert!(!page.contains(j), "{j} is still Japanese in {lang}");
    }
}

async fn the_pages_in_each_language(app: TestApp) {
    let owner = app.account(BIZ).await;
    let ob = app.browser();
    app.login(&ob, BIZ, &owner.login_id.to_string(), &owner.password)
        .await;
    app.submit(
        &ob,
        "/ccus_owner/org",
        "/ccus_owner/org/tiers",
        &[("parent", "top"), ("name", "東京支店")],
    )
    .await;
    let site = issue(
        &app,
        &ob,
        "現場 次郎",
        "genba@example.jp",
        Role::SiteManager,
        "第1階層「東京支店」",
    )
    .await;
    // The person's own menu says where they stand, in their language.
    let site_id = set_own_password(&app, "genba@example.jp").await;
    let sb = logged_in(&app, &site_id).await;
    choose(&app, &sb, "en").await;
    let home = text_of(&app, &sb, "/ccus_owner/home").await;
    assert!(home.contains("/ Site manager, Tier 1 “東京支店”"), "{home}");
    choose(&app, &sb, "easy").await;
    let home = text_of(&app, &sb, "/ccus_owner/home").await;
    assert!(home.contains("現場管理者（げんば かんりしゃ）・第1階層（だい1 かいそう）「東京支店」"));

    let org_ja = [
        "管理者IDは一人にひとつです",
        "階層を作る",
        "管理者IDを発行する",
        "操作の記録",
        "階層の作成",
        "現場管理者",
        "メニューに戻る",
    ];

    // English: the organisation, its form problems, issuing, one person.
    choose(&app, &ob, "en").await;
    let page = org_page(&app, &ob).await;
    for s in [
        "<h1>Organisation and administrator IDs</h1>",
        "Each person has their own administrator ID.",
        "Tier 1 “東京支店”",
        "Under tier 1 “東京支店” (tier 2)",
        "現場 次郎</a> (Site manager, administrator ID",
        "Record of actions",
        "Tier created",
        "Tier 1 “東京支店” (under: Whole business)",
        "Administrator ID issued",
        "as Site manager in Tier 1 “東京支店”",
    ] {
        assert!(page.contains(s), "{s} in English");
    }
    has_none(&page, &org_ja, "English");
    let r = app
        .submit(
            &ob,
            "/ccus_owner/org",
            "/ccus_owner/org/tiers",
            &[("parent", "top"), ("name", " ")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("The tier could not be created") && page.contains("Enter a tier name."));
    let r = app
        .submit(
            &ob,
            "/ccus_owner/org",
            "/ccus_owner/org/members",
            &[
                ("name", "代行 花子"),
                ("email", "daikou@example.jp"),
                ("role", Role::ProxyClerk.as_str()),
                ("tier", "top"),
            ],
        )
        .await;
    let page = r.text().await.unwrap();
    assert!(page.contains("The administrator ID for 代行 花子 was issued"));
    assert!(
        page.contains("Administrator ID (管理者ID): ")
            && page.contains("Security code (4 digits): ")
    );
    has_none(&page, &["本人確認番号（4桁）", "を発行しました"], "English");
    let member_page = format!("/ccus_owner/org/members/{site}");
    let page = text_of(&app, &ob, &member_page).await;
    for s in [
        "現場 次郎 (administrator ID)",
        "<dt>Administrator ID</dt>",
        "Site manager",
        "In use",
        "Send a password reset email",
        "Stop this ID",
        "Access history (latest 50)",
    ] {
        assert!(page.contains(s), "{s} in English");
    }
    has_none(
        &page,
        &[
            "パスワード再設定メールを送る",
            "利用を停止する",
            "アクセス履歴（最新50件）",
            "利用中",
        ],
        "English",
    );
    let r = app
        .submit(
            &ob,
            &member_page,
            &format!("{member_page}/disable"),
            &[("reason", "異動のため"), ("confirm", "1")],
        )
        .await;
    let page = text_of(&app, &ob, &location(&r)).await;
    assert!(page.contains("The ID was stopped") && page.contains("Resume this ID"));

    // やさしい日本語.
    choose(&app, &ob, "easy").await;
    let page = org_page(&app, &ob).await;
    for s in [
        "そしきと 管理者ID（かんりしゃ ID）",
        "階層（かいそう）を つくる",
        "現場管理者（げんば かんりしゃ）",
        "そうさの きろく",
    ] {
        assert!(page.contains(s), "{s} in easy Japanese");
    }
    has_none(&page, &org_ja[..5], "easy Japanese");

    // The business's technicians, and the technician's own page.
    let (tid, _) = technician(&app, "hanako@example.jp").await;
    choose(&app, &ob, "en").await;
    let r = app
        .submit(
            &ob,
            "/ccus_owner/technicians",
            "/ccus_owner/technicians/request",
            &[("login_id", "123")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert!(page.contains("A technician ID has 14 digits."));
    app.submit(
        &ob,
        "/ccus_owner/technicians",
        "/ccus_owner/technicians/request",
        &[("login_id", tid.as_str())],
    )
    .await;
    let page = text_of(&app, &ob, "/ccus_owner/technicians").await;
    for s in [
        "<h1>Our technicians</h1>",
        "Ask a technician to join",
        "Requests waiting for an answer",
        "<label for=\"technician_id\">Technician ID</label>",
        "Hidden by the technician&#39;s setting",
    ] {
        assert!(page.contains(s), "{s} in English");
    }
    has_none(
        &page,
        &["所属技能者", "所属の依頼", "本人の設定により非開示"],
        "English",
    );

    let tb = app.browser();
    app.login(&tb, AccountKind::Technician, tid.as_str(), PW)
        .await;
    choose(&app, &tb, "en").await;
    let page = text_of(&app, &tb, "/ccus_skill/affiliation").await;
    for s in [
        "<h1>Employer and disclosure</h1>",
        "You have no employer registered.",
        "<strong>株式会社 見本建設 (business ID",
        "asks to register you as one of its technicians",
        "Accept",
        "Hide (show nothing but my ID)",
    ] {
        assert!(page.contains(s), "{s} in English");
    }
    has_none(
        &page,
        &["所属事業者", "承認する", "辞退する", "開示の設定を保存する"],
        "English",
    );
    choose(&app, &tb, "easy").await;
    let page = text_of(&app, &tb, "/ccus_skill/affiliation").await;
    assert!(page.contains("はたらく 会社と じょうほうの こうかい"));
    assert!(page.contains("はい（しょうにん する）"));
    has_none(
        &page,
        &["所属事業者はありません", "承認すると"],
        "easy Japanese",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_organisation_and_employer_pages_come_in_english_and_easy_japanese() {
    the_pages_in_each_language(app_on(ccus_storage::testdb::sqlite_url()).await).await;
}
