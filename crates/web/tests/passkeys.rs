//! Passkeys over HTTP: the options a browser gets (relying party, user verification,
//! discoverable credentials, the account's own passkeys excluded), single-use and expiring
//! ceremonies, answers that cannot be used, and a site without a domain name offering none —
//! on SQLite and, when configured, PostgreSQL (where a ceremony begun on one instance is
//! finished on another). A real authenticator answers in the browser journey (19).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use ccus_domain::AccountKind;
use ccus_testkit::*;

const TECH: AccountKind = AccountKind::Technician;

fn json_in(html: &str, id: &str) -> serde_json::Value {
    let marker = format!("id=\"{id}\">");
    let start = html.find(&marker).unwrap() + marker.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

fn field(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap() + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

async fn passkeys(app: TestApp) {
    let t = app.account(TECH).await;
    let b = app.browser();
    app.login(&b, TECH, t.login_id.as_str(), &t.password).await;

    // Registration options: this site, user verification required, a discoverable credential
    // preferred, the account named by its ID.
    let page = app.get(&b, "/ccus_skill/passkeys").await;
    assert_eq!(page.headers()["cache-control"], "no-store");
    let page = page.text().await.unwrap();
    let options = json_in(&page, "passkey_options");
    let pk = &options["publicKey"];
    assert_eq!(pk["rp"]["id"], "localhost");
    assert_eq!(pk["user"]["name"], t.login_id.as_str());
    assert_eq!(pk["authenticatorSelection"]["userVerification"], "required");
    assert_eq!(pk["authenticatorSelection"]["residentKey"], "preferred");
    assert!(pk["challenge"].as_str().unwrap().len() >= 43);

    // An answer that is not a credential is refused, and the challenge is used up by it.
    let ceremony = field(&page, "ceremony");
    let form = |c: &str| {
        vec![
            ("ceremony", c.to_owned()),
            ("name", "x".to_owned()),
            ("credential", "{}".to_owned()),
        ]
    };
    let send = |c: String| {
        let (app, b) = (&app, &b);
        async move {
            let f = form(&c);
            let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.submit(b, "/ccus_skill/passkeys", "/ccus_skill/passkeys", &f)
                .await
        }
    };
    let r = send(ceremony.clone()).await;
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("パスキーを作成できませんでした"));
    let r = send(ceremony).await;
    assert_eq!(r.status(), 422);
    assert!(
        r.text().await.unwrap().contains("時間がたったため"),
        "single use"
    );
    // A challenge expires.
    let page = app
        .get(&b, "/ccus_skill/passkeys")
        .await
        .text()
        .await
        .unwrap();
    let ceremony = field(&page, "ceremony");
    app.clock.advance(Duration::from_secs(6 * 60));
    let r = send(ceremony).await;
    assert!(
        r.text().await.unwrap().contains("時間がたったため"),
        "expired"
    );
    let id = app
        .state
        .store_for_tools()
        .accounts()
        .account_by_login_id(&t.login_id)
        .await
        .unwrap()
        .unwrap()
        .id;
    assert!(app
        .state
        .store_for_tools()
        .passkeys()
        .passkeys_of(ccus_storage::PasskeyOwner::Account(id.get()))
        .await
        .unwrap()
        .is_empty());

    // Login options: discoverable (no credentials listed), for this site, single use.
    let anon = app.browser();
    let login = app
        .get(&anon, "/ccus_skill/login")
        .await
        .text()
        .await
        .unwrap();
    assert!(login.contains("autocomplete=\"username webauthn\""));
    assert!(login.contains("id=\"passkey_form\""));
    let r = app.get(&anon, "/ccus_skill/passkey/options").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let o: serde_json::Value = r.json().await.unwrap();
    assert_eq!(o["publicKey"]["rpId"], "localhost");
    assert_eq!(o["publicKey"]["userVerification"], "required");
    assert!(o["publicKey"]["allowCredentials"]
        .as_array()
        .is_none_or(|a| a.is_empty()));
    let ceremony = o["ceremony"].as_str().unwrap().to_owned();
    let bogus = r#"{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"authenticatorData":"AAAA","clientDataJSON":"AAAA","signature":"AAAA","userHandle":null}}"#;
    for _ in 0..2 {
        let r = app
            .submit(
                &anon,
                "/ccus_skill/login",
                "/ccus_skill/passkey/login",
                &[("ceremony", &ceremony), ("credential", bogus)],
            )
            .await;
        assert_eq!(r.status(), 401);
        let page = r.text().await.unwrap();
        assert!(page.contains("パスキーでログインできませんでした"));
        assert!(
            page.contains("data-autofill=\"off\""),
            "not tried again by itself"
        );
    }
    // Without the anti-forgery token, nothing is looked at.
    let r = anon
        .post(app.url("/ccus_skill/passkey/login"))
        .form(&[("ceremony", ceremony.as_str()), ("credential", bogus)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passkey_ceremonies_are_for_this_site_single_use_and_expire_on_sqlite() {
    passkeys(TestApp::builder().localhost().start().await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn passkey_ceremonies_are_for_this_site_single_use_and_expire_on_postgres() {
    let Some(url) = ccus_storage::testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV);
        return;
    };
    passkeys(TestApp::builder().database(url).localhost().start().await).await;
}

#[tokio::test]
async fn a_site_without_a_domain_name_offers_no_passkeys() {
    let app = spawn_app().await;
    let b = app.browser();
    let login = app.get(&b, "/ccus_skill/login").await.text().await.unwrap();
    assert!(!login.contains("passkey_form"));
    assert!(login.contains("autocomplete=\"username\""));
    assert_eq!(
        app.get(&b, "/ccus_skill/passkey/options").await.status(),
        404
    );
    let t = app.account(TECH).await;
    app.login(&b, TECH, t.login_id.as_str(), &t.password).await;
    let page = app
        .get(&b, "/ccus_skill/passkeys")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("パスキーを使えません"));
}

/// A login challenge begun on one instance is answered on another (the ceremony is in the
/// shared database), once.
#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ceremony_begun_on_one_instance_is_finished_on_another() {
    let Some(url) = ccus_storage::testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", ccus_storage::testdb::POSTGRES_ENV);
        return;
    };
    let a = TestApp::builder()
        .database(url.clone())
        .localhost()
        .start()
        .await;
    let b = TestApp::builder().database(url).localhost().start().await;
    let browser = a.browser();
    let o: serde_json::Value = a
        .get(&browser, "/ccus_skill/passkey/options")
        .await
        .json()
        .await
        .unwrap();
    let ceremony = o["ceremony"].as_str().unwrap();
    let hash = ccus_app::tokens::token_hash(ceremony);
    let now = b.state.clock().now();
    assert!(
        b.state
            .store_for_tools()
            .passkeys()
            .take_ceremony(&hash, "login", now)
            .await
            .unwrap()
            .is_some(),
        "the other instance finds it"
    );
    assert!(
        a.state
            .store_for_tools()
            .passkeys()
            .take_ceremony(&hash, "login", now)
            .await
            .unwrap()
            .is_none(),
        "and it is gone for both"
    );
}

/// Staff: a passkey answers the second factor only for that staff member's own passkeys; a
/// bogus answer is "wrong" like a wrong code, and the code keeps working.
#[tokio::test]
async fn a_staff_passkey_is_a_second_factor_only() {
    use base64::Engine;
    let app = TestApp::builder()
        .localhost()
        .config(|c| {
            c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        })
        .start()
        .await;
    let (staff, _) = app.staff_browser(ccus_storage::StaffRole::Operator).await;
    let page = app
        .get(&staff, "/helpdesk/passkeys")
        .await
        .text()
        .await
        .unwrap();
    let options = json_in(&page, "passkey_options");
    assert_eq!(options["publicKey"]["rp"]["id"], "localhost");
    assert!(options["publicKey"]["user"]["name"]
        .as_str()
        .unwrap()
        .starts_with('S'));
    let anon = app.browser();
    let login = app
        .get(&anon, "/helpdesk/login")
        .await
        .text()
        .await
        .unwrap();
    assert!(login.contains("data-options=\"/helpdesk/passkey/options\""));
    let o: serde_json::Value = app
        .get(&anon, "/helpdesk/passkey/options")
        .await
        .json()
        .await
        .unwrap();
    let ceremony = o["ceremony"].as_str().unwrap();
    let bogus = r#"{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"authenticatorData":"AAAA","clientDataJSON":"AAAA","signature":"AAAA","userHandle":"AAAA"}}"#;
    let (staff_id, _) = ccus_app::account::provisioning::create_staff(
        &app.state,
        "窓口 一郎",
        "madoguchi@example.jp",
        ccus_storage::StaffRole::Operator,
        Some("helpdesk desk password".into()),
    )
    .await
    .unwrap();
    let r = app
        .submit(
            &anon,
            "/helpdesk/login",
            "/helpdesk/login",
            &[
                ("staff_id", staff_id.as_str()),
                ("password", "helpdesk desk password"),
                ("code", ""),
                ("ceremony", ceremony),
                ("credential", bogus),
            ],
        )
        .await;
    assert_eq!(r.status(), 401);
}
