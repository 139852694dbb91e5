//! `ccus admin api-conformance` against a portal in sandbox mode: a business with a site and
//! its own worker on the 名簿 grants a sandbox client with a secret and a certified client
//! with a key; a second business grants the first client `sites:read` on a site of its own.
//! Every item passes for both clients (with the worker's card), the items that need a card
//! are skipped without one, and a wrong secret fails the run — on SQLite and, when
//! configured, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};
use std::time::Duration;

use ccus_app::api::clients::{self, ClientKeys, ClientOutcome, NewClient};
use ccus_app::audit::Actor;
use ccus_app::sites::roster::{self, RosterOutcome, WorkerForm};
use ccus_domain::{AccountKind, Clock, SystemClock};
use ccus_storage::testdb;
use ccus_testkit::api::{Vendor, KEY_1};
use ccus_testkit::sites::{card_of, ctx, new_site, person, root, site_from};
use ccus_testkit::TestApp;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_ccus");
const ALL: &str =
    "sites:read sites:write roster:read roster:write touches:write records:read workers:lookup";

/// Every item of the suite, in the order it runs them.
const ITEMS: &[&str] = &[
    "openapi.document",
    "token.client_credentials",
    "token.scope_narrowed",
    "token.invalid_client",
    "token.unsupported_grant_type",
    "token.invalid_scope",
    "introspect.active",
    "introspect.inactive",
    "introspect.unproved",
    "revoke.token",
    "api.no_token",
    "api.unknown_token",
    "grants.list",
    "api.insufficient_scope",
    "problem.shape",
    "sites.list",
    "sites.cursor_malformed",
    "sites.get",
    "sites.foreign_site",
    "sites.foreign_business",
    "roster.read",
    "idempotency.key_missing",
    "touches.post",
    "idempotency.replayed",
    "idempotency.key_reused",
    "touches.duplicate",
    "touches.too_many",
    "roster.write",
    "places.write",
    "workers.lookup",
    "workers.lookup_unknown",
    "records.day",
    "records.day_malformed",
    "records.cursor_malformed",
    "workers.records",
    "workers.records_month_malformed",
];

/// The suite, run as a vendor runs it, against `app`.
async fn suite(app: &TestApp, args: Vec<String>) -> Output {
    // The suite dates its touch by the real clock; the portal's clock is moved up to it.
    let lag = SystemClock.now().0 - app.clock.now().0;
    if lag > 0 {
        app.clock
            .advance(Duration::from_millis(u64::try_from(lag).unwrap()));
    }
    let mut all = vec![
        "admin".to_owned(),
        "api-conformance".to_owned(),
        app.base.clone(),
    ];
    all.extend(args);
    tokio::task::spawn_blocking(move || {
        Command::new(BIN)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("CCUS_LOG", "warn")
            .args(all)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| (*s).to_owned()).collect()
}

/// The items of a `--json` run, as (id, result, reason).
fn items(out: &Output) -> Vec<(String, String, String)> {
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["id"].as_str().unwrap().to_owned(),
                i["result"].as_str().unwrap().to_owned(),
                i["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn assert_all_pass(out: &Output) {
    let items = items(out);
    let ids: Vec<&str> = items.iter().map(|(id, _, _)| id.as_str()).collect();
    assert_eq!(ids, ITEMS);
    let not_passed: Vec<_> = items.iter().filter(|(_, r, _)| r != "pass").collect();
    assert!(
        not_passed.is_empty(),
        "{not_passed:#?}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success());
}

async fn conformance(app: TestApp) {
    let today = ccus_domain::calendar::jst_datetime(app.clock.now())
        .unwrap()
        .date();
    let prime_id = person(
        &app,
        AccountKind::Business,
        "株式会社 適合建設",
        "prime@example.jp",
        None,
    )
    .await;
    let other_id = person(
        &app,
        AccountKind::Business,
        "有限会社 別現場工業",
        "other@example.jp",
        None,
    )
    .await;
    let worker_id = person(
        &app,
        AccountKind::Technician,
        "建設 太郎",
        "worker@example.jp",
        Some(&prime_id),
    )
    .await;
    let prime = ctx(&app, &prime_id).await;
    let other = ctx(&app, &other_id).await;
    // Its 就業履歴蓄積期間 from yesterday: a touch before 04:00 counts for the day before.
    let site = site_from(&app, &prime, "適合試験現場", today.previous_day().unwrap()).await;
    new_site(&app, &other, "別の会社の現場").await;
    let top = root(&app, &site, &prime).await;
    let form = WorkerForm {
        login_id: worker_id.as_str().into(),
        trade: "carpenter".into(),
        position: "foreman".into(),
        ..WorkerForm::default()
    };
    assert_eq!(
        roster::add_worker(&app.state, &prime, &site, top, &form)
            .await
            .unwrap(),
        RosterOutcome::Listed
    );
    let card = card_of(&app, &worker_id).await;

    // A system with a secret, still in the sandbox (as `ccus demo`'s 見本ゲート).
    let new = NewClient {
        name: "適合ゲート".into(),
        vendor: "適合システム 株式会社".into(),
        contact: "api@vendor.example".into(),
        scopes: ALL.into(),
        keys: ClientKeys::Secret,
        redirect_uris: String::new(),
    };
    let ClientOutcome::Done {
        client,
        secret: Some(secret),
    } = clients::register(&app.state, &Actor::Operator, &new)
        .await
        .unwrap()
    else {
        panic!("the client was refused");
    };
    let with_secret = Vendor {
        client_id: client.client_id.clone(),
        key: &KEY_1,
    };
    with_secret.granted_by(&app, &prime, ALL).await;
    with_secret.granted_by(&app, &other, "sites:read").await;
    // A certified system signing with a key.
    let with_key = Vendor::register(&app, "鍵ゲート", ALL, &KEY_1).await;
    with_key.granted_by(&app, &prime, ALL).await;
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("private.pem");
    std::fs::write(&key_file, KEY_1.private_pem()).unwrap();

    // The secret client, as the docs show it: one line per item, all PASS, and a summary.
    let out = suite(
        &app,
        strings(&[
            "--client-id",
            &client.client_id,
            "--secret",
            &secret,
            "--card",
            &card,
        ]),
    )
    .await;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for id in ITEMS {
        assert!(text.contains(&format!("PASS  {id}\n")), "{id}:\n{text}");
    }
    assert!(
        !text
            .lines()
            .any(|l| l.starts_with("FAIL") || l.starts_with("SKIP")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "business {}, site {}",
            prime_id.as_str(),
            site.as_str()
        )),
        "the business with every scope and its open site are chosen:\n{text}"
    );
    assert!(text.contains(&format!("{} passed, 0 failed, 0 skipped", ITEMS.len())));

    // Run again (a vendor reruns it): new touch numbers and keys, every item passes again.
    let out = suite(
        &app,
        strings(&[
            "--client-id",
            &client.client_id,
            "--secret",
            &secret,
            "--card",
            &card,
            "--json",
        ]),
    )
    .await;
    assert_all_pass(&out);

    // The key client, with the business and site named.
    let out = suite(
        &app,
        strings(&[
            "--client-id",
            &with_key.client_id,
            "--key-file",
            key_file.to_str().unwrap(),
            "--kid",
            KEY_1.kid,
            "--business",
            &prime_id.grouped(),
            "--site",
            site.as_str(),
            "--card",
            &card,
            "--json",
        ]),
    )
    .await;
    assert_all_pass(&out);

    // Without a card, only what needs an accepted touch is skipped, with why; a skip does
    // not fail the run, and is not counted as a pass.
    let out = suite(
        &app,
        strings(&[
            "--client-id",
            &client.client_id,
            "--secret",
            &secret,
            "--json",
        ]),
    )
    .await;
    assert!(out.status.success());
    let skipped: Vec<(String, String)> = items(&out)
        .into_iter()
        .filter(|(_, r, _)| r != "pass")
        .map(|(id, r, why)| {
            assert_eq!(r, "skip", "{id}: {why}");
            assert!(why.contains("--card"), "{id}: {why}");
            (id, why)
        })
        .collect();
    let ids: Vec<&str> = skipped.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["touches.duplicate", "workers.lookup"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["skipped"], 2);
    assert_eq!(v["passed"], ITEMS.len() - 2);

    // A wrong secret: the token item fails, so does the run.
    let out = suite(
        &app,
        strings(&[
            "--client-id",
            &client.client_id,
            "--secret",
            "ccuss_wrong",
            "--card",
            &card,
        ]),
    )
    .await;
    assert!(!out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("FAIL  token.client_credentials — expected 200, got 401"),
        "{text}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("items failed"));
}

async fn sandbox(url: String) -> TestApp {
    TestApp::builder()
        .database(url)
        .config(|c| c.api.sandbox = true)
        .start()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sandbox_passes_the_conformance_suite_on_sqlite() {
    conformance(sandbox(testdb::sqlite_url()).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sandbox_passes_the_conformance_suite_on_postgres() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    conformance(sandbox(url).await).await;
}
