//! Getting back in ends every other way in, and every session re-checks its person: a password
//! reset (by mail, from the helpdesk or the business) and the helpdesk's change of the
//! registered address remove the account's passkeys; the console lists passkeys and removes
//! one with a reason; a stopped 代行登録担当者 loses its 代行申請 session; a stopped staff
//! member is signed out and cannot sign in; failed staff logins and staff logouts are in the
//! audit log; after a timeout the login page offers the ID again and a form sent too late comes
//! back to its page — on SQLite and, when configured, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_domain::{org::Role, AccountId, AccountKind, LoginId};
use std::time::Duration;

use ccus_storage::{PasskeyOwner, StaffRole};
use ccus_testkit::*;

const TECH: AccountKind = AccountKind::Technician;
const BIZ: AccountKind = AccountKind::Business;
const EMAIL: &str = "someone@example.jp";
const NEW_PW: &str = "spring rain over the river";

async fn app_on(url: String) -> TestApp {
    use base64::Engine;
    spawn_app_with(url, |c| {
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    })
    .await
}

/// Runs `test` on SQLite, and on PostgreSQL when a server is configured.
macro_rules! on_both {
    ($sqlite:ident, $postgres:ident, $body:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $sqlite() {
            $body(app_on(ccus_storage::testdb::sqlite_url()).await).await;
        }
        #[ccus_test_macros::postgres_variant]
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $postgres() {
            let Some(url) = ccus_storage::testdb::postgres_url().await else {
                eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV);
                return;
            };
            $body(app_on(url).await).await;
        }
    };
}

async fn account_id(app: &TestApp, id: &LoginId) -> i64 {
    app.state
        .store_for_tools()
        .accounts()
        .account_by_login_id(id)
        .await
        .unwrap()
        .unwrap()
        .id
        .get()
}

/// Registers a passkey for an account as the passkey page would (the credential itself is
/// opaque to these tests).
async fn add_passkey(app: &TestApp, account: i64, name: &str) -> i64 {
    let mut tx = app.state.store_for_tools().begin().await.unwrap();
    let id = tx
        .passkeys()
        .add_passkey(
            PasskeyOwner::Account(account),
            name,
            &format!("cred-{name}"),
            "{}",
            app.state.clock().now(),
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    id
}

async fn passkey_names(app: &TestApp, account: i64) -> Vec<String> {
    app.state
        .store_for_tools()
        .passkeys()
        .passkeys_of(PasskeyOwner::Account(account))
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect()
}

/// パスワードをお忘れの方 → the mailed link → a new password; returns the page shown after.
/// `nth` counts the reset mails this address will have had, this one included.
async fn reset_by_mail(app: &TestApp, kind: AccountKind, id: &LoginId, nth: usize) -> String {
    let b = app.browser();
    let forgot = format!("/{}/password/forgot", kind.portal());
    app.submit(
        &b,
        &forgot,
        &forgot,
        &[("login_id", id.as_str()), ("email", EMAIL)],
    )
    .await;
    let mail = app
        .wait_for_mail(EMAIL, "パスワード再設定のご案内", nth)
        .await;
    let link = link_in(&mail[nth - 1].body, "/password/reset");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let r = app
        .submit(
            &b,
            &link,
            &format!("/{}/password/reset", kind.portal()),
            &[
                ("token", &token),
                ("password", NEW_PW),
                ("password_confirm", NEW_PW),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    r.text().await.unwrap()
}

async fn a_reset_removes_every_passkey(app: TestApp) {
    let t = app.account(TECH).await;
    let id = account_id(&app, &t.login_id).await;
    add_passkey(&app, id, "iPhone").await;
    add_passkey(&app, id, "見知らぬ端末").await;
    let page = reset_by_mail(&app, TECH, &t.login_id, 1).await;
    assert!(
        page.contains("登録されていたパスキー（2件）も、安全のため削除しました"),
        "{page}"
    );
    assert!(passkey_names(&app, id).await.is_empty());
    // The owner is told by mail, and the history says so.
    let mail = app
        .wait_for_mail(EMAIL, "パスワード変更のお知らせ", 1)
        .await;
    assert!(
        mail[0]
            .body
            .contains("登録されていたパスキー（2件）は、安全のため削除しました"),
        "{}",
        mail[0].body
    );
    let b = app.browser();
    app.login(&b, TECH, t.login_id.as_str(), NEW_PW).await;
    let history = app
        .get(&b, "/ccus_skill/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(history.contains("パスキーをすべて削除（パスワード再設定などのため）"));

    // Without passkeys nothing is said about them.
    let page = reset_by_mail(&app, TECH, &t.login_id, 2).await;
    assert!(!page.contains("パスキー"), "{page}");
}
on_both!(
    a_reset_removes_every_passkey_on_sqlite,
    a_reset_removes_every_passkey_on_postgres,
    a_reset_removes_every_passkey
);

async fn the_helpdesk_removes_passkeys(app: TestApp) {
    let t = app.account(TECH).await;
    let id = account_id(&app, &t.login_id).await;
    let lost = add_passkey(&app, id, "なくしたスマホ").await;
    add_passkey(&app, id, "自宅のパソコン").await;
    let (sb, _) = app.staff_browser(StaffRole::Supervisor).await;
    let account_page = format!("/helpdesk/accounts/{id}");
    let page = app.get(&sb, &account_page).await.text().await.unwrap();
    assert!(page.contains("なくしたスマホ") && page.contains("自宅のパソコン"));

    // A reason is needed.
    let action = format!("{account_page}/passkey-remove");
    let lost_s = lost.to_string();
    let r = app
        .submit(
            &sb,
            &account_page,
            &action,
            &[("passkey", &lost_s), ("reason", "  ")],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert_eq!(passkey_names(&app, id).await.len(), 2);
    let r = app
        .submit(
            &sb,
            &account_page,
            &action,
            &[
                ("passkey", &lost_s),
                ("reason", "本人から電話: スマホを紛失"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(passkey_names(&app, id).await, vec!["自宅のパソコン"]);
    // Removed once: a second try says so.
    let r = app
        .submit(
            &sb,
            &account_page,
            &action,
            &[("passkey", &lost_s), ("reason", "二度目")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let audit = app.get(&sb, "/helpdesk/audit").await.text().await.unwrap();
    assert!(audit.contains("パスキーを削除") && audit.contains("本人から電話: スマホを紛失"));
    app.wait_for_mail(EMAIL, "パスキー", 1).await;

    // Changing the registered address removes the rest.
    let r = app
        .submit(
            &sb,
            &account_page,
            &format!("{account_page}/email"),
            &[
                ("new_email", "new-address@example.jp"),
                ("reason", "本人確認書類で確認"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert!(passkey_names(&app, id).await.is_empty());
    let audit = app.get(&sb, "/helpdesk/audit").await.text().await.unwrap();
    assert!(audit.contains("（削除したパスキー: 1）"), "{audit}");
}
on_both!(
    the_helpdesk_removes_passkeys_on_sqlite,
    the_helpdesk_removes_passkeys_on_postgres,
    the_helpdesk_removes_passkeys
);

// ---- 代行申請 of a person who was stopped -----------------------------------------------------

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

/// The business's owner issues a 管理者ID of `role` for the whole business; the person sets
/// their password from the mail and logs in. Returns (their browser, their account id).
async fn manager(app: &TestApp, owner: &reqwest::Client, role: Role) -> (reqwest::Client, i64) {
    let email = "clerk@example.jp";
    let page = app
        .get(owner, "/ccus_owner/org")
        .await
        .text()
        .await
        .unwrap();
    // The business itself is the first place offered.
    let at = page.find("name=\"tier\"").unwrap();
    let start = page[at..].find("value=\"").unwrap() + at + "value=\"".len();
    let tier = page[start..start + page[start..].find('"').unwrap()].to_owned();
    let r = app
        .submit(
            owner,
            "/ccus_owner/org",
            "/ccus_owner/org/members",
            &[
                ("name", "代行 担当"),
                ("email", email),
                ("role", role.as_str()),
                ("tier", &tier),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let mail = app.wait_for_mail(email, "管理者IDの発行", 1).await;
    let id = manager_id_in(&mail[0].body);
    let link = link_in(&mail[0].body, "/ccus_owner/password/reset");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    let b = app.browser();
    app.submit(
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
    let r = app.login(&b, BIZ, &id, PW).await;
    assert_eq!(r.status(), 303, "the new person logs in");
    let login_id = LoginId::parse(&id).unwrap();
    (b, account_id(app, &login_id).await)
}

async fn a_stopped_clerk_loses_its_proxy_session(app: TestApp) {
    let biz = app.account(BIZ).await;
    let owner = app.browser();
    app.login(&owner, BIZ, biz.login_id.as_str(), &biz.password)
        .await;
    let (clerk, clerk_id) = manager(&app, &owner, Role::ProxyClerk).await;
    // The clerk opens the business's 代行申請 and starts an application.
    let r = app
        .submit(&clerk, "/ccus_owner/proxy", "/ccus_owner/proxy", &[])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(app.get(&clerk, "/apply/home").await.status(), 200);

    // The owner stops the clerk: every session of theirs ends, the 代行申請 one included.
    let member = format!("/ccus_owner/org/members/{clerk_id}");
    let r = app
        .submit(
            &owner,
            &member,
            &format!("{member}/disable"),
            &[("reason", "退職のため"), ("confirm", "1")],
        )
        .await;
    assert_eq!(location(&r), format!("{member}?done=disable"));
    let r = app.get(&clerk, "/apply/home").await;
    assert_eq!(r.status(), 303, "the 代行申請 session is over");
    assert!(location(&r).starts_with("/apply/login"));
    let r = app
        .submit(
            &clerk,
            "/apply/login",
            "/apply/new",
            &[("kind", "technician")],
        )
        .await;
    assert_ne!(r.status(), 200);
    assert_eq!(app.get(&clerk, "/ccus_owner/home").await.status(), 303);
}
on_both!(
    a_stopped_clerk_loses_its_proxy_session_on_sqlite,
    a_stopped_clerk_loses_its_proxy_session_on_postgres,
    a_stopped_clerk_loses_its_proxy_session
);

/// A 代行申請 session opened before the person lost the role is refused too: the check is of
/// the person now, at every request (here the membership is stopped behind the pages' back).
async fn a_proxy_session_checks_its_opener_at_every_request(app: TestApp) {
    let biz = app.account(BIZ).await;
    let owner = app.browser();
    app.login(&owner, BIZ, biz.login_id.as_str(), &biz.password)
        .await;
    let (clerk, clerk_id) = manager(&app, &owner, Role::ProxyClerk).await;
    app.submit(&clerk, "/ccus_owner/proxy", "/ccus_owner/proxy", &[])
        .await;
    assert_eq!(app.get(&clerk, "/apply/home").await.status(), 200);
    let mut tx = app.state.store_for_tools().begin().await.unwrap();
    tx.org()
        .set_member_disabled(AccountId::new(clerk_id), Some(app.state.clock().now()))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(app.get(&clerk, "/apply/home").await.status(), 303);
    // Its portal session too, with the reason.
    let r = app.get(&clerk, "/ccus_owner/home").await;
    assert!(location(&r).contains("stopped=1"), "{}", location(&r));
    let page = app.get(&clerk, &location(&r)).await.text().await.unwrap();
    assert!(page.contains("この管理者IDは利用停止中です"));
}
on_both!(
    a_proxy_session_checks_its_opener_on_sqlite,
    a_proxy_session_checks_its_opener_on_postgres,
    a_proxy_session_checks_its_opener_at_every_request
);

// ---- staff ------------------------------------------------------------------------------------

async fn staff_sign_in_refusals_and_logouts_are_audited(app: TestApp) {
    let (sb, _, staff_id) = app.staff_browser_with_id(StaffRole::Supervisor).await;
    // A wrong password for a real staff ID, and a staff ID nobody has.
    let other = app.browser();
    for id in [staff_id.as_str(), "S0000001"] {
        let r = app
            .submit(
                &other,
                "/helpdesk/login",
                "/helpdesk/login",
                &[
                    ("staff_id", id),
                    ("password", "not the password"),
                    ("code", "000000"),
                ],
            )
            .await;
        assert_eq!(r.status(), 401);
    }
    let audit = app.get(&sb, "/helpdesk/audit").await.text().await.unwrap();
    assert_eq!(audit.matches(">ログインに失敗</td>").count(), 2, "{audit}");
    assert!(audit.contains("（パスワード違い）") && audit.contains("（該当する職員IDなし）"));
    assert!(audit.contains("S0000001（該当する職員なし）"));

    // Logging out is recorded once, even when sent twice.
    let home = app.get(&sb, "/helpdesk").await.text().await.unwrap();
    let token = csrf_in(&home);
    for _ in 0..2 {
        let r = sb
            .post(app.url("/helpdesk/logout"))
            .form(&[("csrf_token", token.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
    }
    let (sb2, _) = app.staff_browser(StaffRole::Supervisor).await;
    let audit = app.get(&sb2, "/helpdesk/audit").await.text().await.unwrap();
    assert_eq!(audit.matches(">ログアウト</td>").count(), 1, "{audit}");
}
on_both!(
    staff_refusals_and_logouts_are_audited_on_sqlite,
    staff_refusals_and_logouts_are_audited_on_postgres,
    staff_sign_in_refusals_and_logouts_are_audited
);

async fn a_stopped_staff_member_is_signed_out(app: TestApp) {
    let (sb, secret, staff_id) = app.staff_browser_with_id(StaffRole::Operator).await;
    assert_eq!(app.get(&sb, "/helpdesk").await.status(), 200);
    assert_eq!(
        ccus_app::auth::staff::set_disabled(&app.state, &staff_id, true)
            .await
            .unwrap(),
        Some(true)
    );
    let r = app.get(&sb, "/helpdesk").await;
    assert_eq!(location(&r), "/helpdesk/login");
    // The right password and code now say the ID is stopped; nothing else does.
    app.clock.advance(Duration::from_secs(60));
    let code = format!(
        "{:06}",
        ccus_domain::totp::code_at(&secret, ccus_domain::totp::step_of(app.state.clock().now()))
    );
    let b = app.browser();
    let r = app
        .submit(
            &b,
            "/helpdesk/login",
            "/helpdesk/login",
            &[
                ("staff_id", staff_id.as_str()),
                ("password", "helpdesk desk password"),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("この職員IDは利用停止中です"));
    // Resumed, the member signs in again.
    assert_eq!(
        ccus_app::auth::staff::set_disabled(&app.state, &staff_id, false)
            .await
            .unwrap(),
        Some(true)
    );
    app.clock.advance(Duration::from_secs(60));
    let code = format!(
        "{:06}",
        ccus_domain::totp::code_at(&secret, ccus_domain::totp::step_of(app.state.clock().now()))
    );
    let r = app
        .submit(
            &b,
            "/helpdesk/login",
            "/helpdesk/login",
            &[
                ("staff_id", staff_id.as_str()),
                ("password", "helpdesk desk password"),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(location(&r), "/helpdesk");
}
on_both!(
    a_stopped_staff_member_is_signed_out_on_sqlite,
    a_stopped_staff_member_is_signed_out_on_postgres,
    a_stopped_staff_member_is_signed_out
);

// ---- timeouts -----------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_timeout_the_id_is_offered_again_and_a_late_form_returns_to_its_page() {
    let app = spawn_app().await;
    let t = app.account(TECH).await;
    let b = app.browser();
    app.login(&b, TECH, t.login_id.as_str(), &t.password).await;
    let page = app
        .get(&b, "/ccus_skill/email/change")
        .await
        .text()
        .await
        .unwrap();
    let token = csrf_in(&page);
    assert!(page.contains("data-keep"), "the form keeps what is typed");
    app.clock.advance(Duration::from_secs(31 * 60));
    // The form is sent after the session ended: back to the login page, which offers the ID,
    // and after logging in, to the form's page.
    let r = b
        .post(app.url("/ccus_skill/email/change"))
        .header("referer", app.url("/ccus_skill/email/change"))
        .form(&[("new_email", "new@example.jp"), ("csrf_token", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert_eq!(
        to,
        format!(
            "/ccus_skill/login?timeout=1&login_id={}&next=/ccus_skill/email/change",
            t.login_id.as_str()
        )
    );
    let login = app.get(&b, &to).await.text().await.unwrap();
    assert!(login.contains("タイムアウトしました"));
    assert!(
        login.contains(&format!("value=\"{}\"", t.login_id.grouped()))
            || login.contains(&format!("value=\"{}\"", t.login_id.as_str())),
        "{login}"
    );
    let r = app
        .post_login(
            &b,
            TECH,
            t.login_id.as_str(),
            &t.password,
            &csrf_in(&login),
            "/ccus_skill/email/change",
        )
        .await;
    assert_eq!(location(&r), "/ccus_skill/email/change");
    // A referer from another site is not followed.
    app.clock.advance(Duration::from_secs(31 * 60));
    let r = b
        .post(app.url("/ccus_skill/email/change"))
        .header("referer", "https://evil.example/ccus_skill/email/change")
        .form(&[("new_email", "new@example.jp"), ("csrf_token", &token)])
        .send()
        .await
        .unwrap();
    assert!(!location(&r).contains("next="), "{}", location(&r));
}
