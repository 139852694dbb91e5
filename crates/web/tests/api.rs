//! The partner API over HTTP, as a vendor's system uses it: an operator registers and certifies
//! it; it proves itself with a signed client assertion and gets a token (refused for a wrong
//! key, a replayed assertion, a scope it was not registered for); a business lets it in on its
//! 連携システム page; it reads the business's sites, tree, 名簿 and records, asks a company onto
//! a site, finds a worker by card, and posts a day's touches twice with one result; the
//! business's 操作の記録 names the system; rate limits, revocation, suspension and key rotation
//! stop what they should — on SQLite and, when configured, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use ccus_app::audit::{business_log, ActorSeen, AuditAction};
use ccus_app::sites::roster::{self, RosterOutcome, WorkerForm};
use ccus_domain::AccountKind;
use ccus_storage::testdb;
use ccus_testkit::api::{jwks, Vendor, KEY_1, KEY_2};
use ccus_testkit::sites::*;
use ccus_testkit::*;
use serde_json::{json, Value};

const BIZ: AccountKind = AccountKind::Business;
const TECH: AccountKind = AccountKind::Technician;
const ALL: &str =
    "sites:read sites:write roster:read roster:write touches:write records:read workers:lookup";

async fn call(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&Value>,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let mut req = reqwest::Client::new()
        .request(method, app.url(path))
        .bearer_auth(token);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    if let Some(b) = body {
        req = req.json(b);
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap();
    (
        status,
        headers,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let (s, _, v) = call(app, reqwest::Method::GET, token, path, None, None).await;
    (s, v)
}

async fn token_error(r: reqwest::Response) -> (u16, String) {
    let status = r.status().as_u16();
    let v: Value = r.json().await.unwrap();
    (status, v["error"].as_str().unwrap_or_default().to_owned())
}

async fn partner_api(app: TestApp) {
    let today = evening(&app);
    let prime_id = person(&app, BIZ, "株式会社 元請建設", "prime@example.jp", None).await;
    let sub_id = person(&app, BIZ, "有限会社 一次工業", "sub@example.jp", None).await;
    let worker_id = person(
        &app,
        TECH,
        "建設 太郎",
        "worker@example.jp",
        Some(&prime_id),
    )
    .await;
    let prime = ctx(&app, &prime_id).await;
    let site = site_from(
        &app,
        &prime,
        "API テスト現場",
        today.previous_day().unwrap(),
    )
    .await;
    let top = root(&app, &site, &prime).await;
    let form = WorkerForm {
        login_id: worker_id.as_str().into(),
        trade: "tobi".into(),
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
    let vendor = Vendor::register(&app, "ゲート太郎", ALL, &KEY_1).await;

    // The token endpoint: a proved client gets a short-lived bearer token.
    let r = vendor.token_response(&app, None).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 600);
    assert_eq!(v["scope"], ALL);
    let token = v["access_token"].as_str().unwrap().to_owned();
    // Nobody named, another key, the same assertion twice, a scope not registered, another
    // grant type: each refused as RFC 6749 says.
    let form = |a: &str| {
        vec![
            ("grant_type".to_owned(), "client_credentials".to_owned()),
            (
                "client_assertion_type".to_owned(),
                ccus_app::api::tokens::JWT_BEARER.to_owned(),
            ),
            ("client_assertion".to_owned(), a.to_owned()),
        ]
    };
    let post = |f: Vec<(String, String)>| {
        reqwest::Client::new()
            .post(app.url("/oauth/token"))
            .form(&f)
            .send()
    };
    let r = post(vec![("grant_type".into(), "client_credentials".into())]).await;
    assert_eq!(
        token_error(r.unwrap()).await,
        (401, "invalid_client".into())
    );
    let forged = Vendor {
        client_id: vendor.client_id.clone(),
        key: &KEY_2,
    };
    let r = post(form(&forged.assertion(&app))).await.unwrap();
    assert_eq!(token_error(r).await, (401, "invalid_client".into()));
    let once = vendor.assertion(&app);
    assert_eq!(post(form(&once)).await.unwrap().status(), 200);
    let r = post(form(&once)).await.unwrap();
    assert_eq!(token_error(r).await, (401, "invalid_client".into()));
    let wrong_aud = vendor.assertion_with(&app, "https://elsewhere.example/token", 120);
    let r = post(form(&wrong_aud)).await.unwrap();
    assert_eq!(token_error(r).await, (401, "invalid_client".into()));
    let r = vendor.token_response(&app, Some("sites:read admin")).await;
    assert_eq!(token_error(r).await, (400, "invalid_scope".into()));
    let mut f = form(&vendor.assertion(&app));
    f[0].1 = "password".into();
    assert_eq!(
        token_error(post(f).await.unwrap()).await,
        (400, "unsupported_grant_type".into())
    );

    // No grant yet: the business's data is not there for the client.
    let b_path = format!("/api/v1/businesses/{}", prime_id.as_str());
    let s_path = format!("{b_path}/sites/{}", site.as_str());
    assert_eq!(get(&app, &token, &format!("{b_path}/sites")).await.0, 404);
    assert_eq!(
        get(&app, &token, "/api/v1/grants").await.1["grants"],
        json!([])
    );
    assert_eq!(get(&app, "ccusa_nothing", "/api/v1/grants").await.0, 401);

    // The business looks the system up on its page and lets it in — not to edit its 名簿.
    let owner = logged_in(&app, BIZ, &prime_id).await;
    let home = text(&app, &owner, "/ccus_owner/home").await;
    assert!(home.contains("連携システム"));
    let looked = text(
        &app,
        &owner,
        &format!("/ccus_owner/systems?client_id={}", vendor.client_id),
    )
    .await;
    assert!(
        looked.contains("「ゲート太郎」（提供: テスト株式会社）"),
        "{looked}"
    );
    assert!(looked.contains("入退場（タッチ）を送る"));
    let mut fields: Vec<(&str, &str)> = vec![("client_id", vendor.client_id.as_str())];
    for s in [
        "sites:read",
        "sites:write",
        "roster:read",
        "touches:write",
        "records:read",
        "workers:lookup",
    ] {
        fields.push((s, "yes"));
    }
    let r = app
        .submit(
            &owner,
            "/ccus_owner/systems",
            "/ccus_owner/systems",
            &fields,
        )
        .await;
    assert!(location(&r).ends_with("done=granted"), "{}", r.status());
    let page = text(&app, &owner, "/ccus_owner/systems").await;
    assert!(page.contains("ゲート太郎") && page.contains("就業履歴を見る"));
    let v = get(&app, &token, "/api/v1/grants").await.1;
    assert_eq!(v["grants"][0]["business_id"], prime_id.as_str());

    // Reading what the business sees.
    let (s, v) = get(&app, &token, &format!("{b_path}/sites")).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["sites"][0]["site_id"], site.as_str());
    assert_eq!(v["sites"][0]["place_state"], "active");
    let (s, v) = get(&app, &token, &s_path).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["places"][0]["company"]["business_id"], prime_id.as_str());
    assert_eq!(v["places"][0]["depth"], 0);
    let (_, v) = get(&app, &token, &format!("{s_path}/roster")).await;
    let w = &v["places"][0]["workers"][0];
    assert_eq!(w["technician_id"], worker_id.as_str());
    assert_eq!(w["name"], "建設 太郎");
    assert_eq!(w["trade"], "tobi");
    assert_eq!(w["position"], "foreman");
    // A scope the business did not grant is not reached, whatever the token holds.
    let listing =
        json!({"technician_id": worker_id.as_str(), "trade": "tobi", "position": "worker"});
    let (s, _, _) = call(
        &app,
        reqwest::Method::POST,
        &token,
        &format!("{s_path}/roster"),
        Some("roster-1"),
        Some(&listing),
    )
    .await;
    assert_eq!(s, 404);
    // A token without a scope is told which one it lacks.
    let narrow = vendor.token_response(&app, Some("sites:read")).await;
    let narrow = narrow.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let (s, h, v) = call(
        &app,
        reqwest::Method::GET,
        &narrow,
        &format!("{s_path}/roster"),
        None,
        None,
    )
    .await;
    assert_eq!(s, 403);
    assert_eq!(v["code"], "insufficient-scope");
    assert!(h["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("insufficient_scope"));
    assert_eq!(h["content-type"], "application/problem+json");

    // A day of touches, sent twice with the same key: one result, answered again.
    let (_, at_in) = jst_at(today, 7, 55);
    let (_, at_out) = jst_at(today, 17, 5);
    let batch = json!({"touches": [
        {"seq": 1, "card": card, "direction": "in", "at": at_in},
        {"seq": 2, "card": card, "direction": "out", "at": at_out},
        {"seq": 3, "card": "FFFFFFFFFFFFFFFF", "direction": "in", "at": at_in},
    ]});
    let t_path = format!("{s_path}/touches");
    let (s, _, v) = call(
        &app,
        reqwest::Method::POST,
        &token,
        &t_path,
        None,
        Some(&batch),
    )
    .await;
    assert_eq!(
        (s, v["code"].clone()),
        (400, json!("idempotency-key-missing"))
    );
    let (s, h, first) = call(
        &app,
        reqwest::Method::POST,
        &token,
        &t_path,
        Some("day-1"),
        Some(&batch),
    )
    .await;
    assert_eq!(s, 200, "{first}");
    assert!(h.get("idempotent-replayed").is_none());
    assert_eq!(first["results"][0]["status"], "accepted");
    assert_eq!(first["results"][1]["status"], "accepted");
    assert_eq!(first["results"][2]["reason"], "unknown_card");
    let (s, h, again) = call(
        &app,
        reqwest::Method::POST,
        &token,
        &t_path,
        Some("day-1"),
        Some(&batch),
    )
    .await;
    assert_eq!((s, &again), (200, &first));
    assert_eq!(h["idempotent-replayed"], "true");
    // The same key for another request is refused; the same touches under a new key are
    // duplicates of the first (the client's own numbering).
    let other = json!({"touches": [{"seq": 9, "card": card, "direction": "in", "at": at_in}]});
    let (s, _, v) = call(
        &app,
        reqwest::Method::POST,
        &token,
        &t_path,
        Some("day-1"),
        Some(&other),
    )
    .await;
    assert_eq!(
        (s, v["code"].clone()),
        (422, json!("idempotency-key-reused"))
    );
    let (_, _, v) = call(
        &app,
        reqwest::Method::POST,
        &token,
        &t_path,
        Some("day-1-again"),
        Some(&batch),
    )
    .await;
    assert_eq!(v["results"][0]["status"], "duplicate");

    // The day's records: one record with the first entry and the last exit.
    let day = ccus_domain::profile::format_date(today);
    let (s, v) = get(&app, &token, &format!("{s_path}/records?day={day}")).await;
    assert_eq!(s, 200, "{v}");
    let r = &v["records"][0];
    assert_eq!(v["records"].as_array().unwrap().len(), 1);
    assert_eq!(r["technician_id"], worker_id.as_str());
    assert_eq!(r["name"], "建設 太郎");
    assert_eq!(r["first_in"], at_in.as_str());
    assert_eq!(r["last_out"], at_out.as_str());
    assert_eq!(r["source"], "touch");
    assert_eq!(
        get(&app, &token, &format!("{s_path}/records?day=yesterday"))
            .await
            .0,
        400
    );

    // The employer reads its own worker's month: the day counted.
    let (s, v) = get(
        &app,
        &token,
        &format!("{b_path}/workers/{}/records", worker_id.as_str()),
    )
    .await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["records"][0]["day"], day.as_str());
    assert_eq!(v["records"][0]["state"], "counted");
    assert_eq!(v["total_days"], 1);
    let (s, _) = get(
        &app,
        &token,
        &format!(
            "{b_path}/workers/{}/records?month=2026-13",
            worker_id.as_str()
        ),
    )
    .await;
    assert_eq!(s, 400);

    // A worker found by card on the business's site; any other card is unknown.
    let (s, v) = get(&app, &token, &format!("{b_path}/workers?card={card}")).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["technician_id"], worker_id.as_str());
    assert_eq!(v["site_ids"], json!([site.as_str()]));
    let stranger = person(&app, TECH, "応援 次郎", "stranger@example.jp", None).await;
    let stranger_card = card_of(&app, &stranger).await;
    let (s, _) = get(
        &app,
        &token,
        &format!("{b_path}/workers?card={stranger_card}"),
    )
    .await;
    assert_eq!(s, 404);

    // Asking a company onto the site; asking it again is refused with the reason.
    let ask = json!({"business_id": sub_id.as_str()});
    let p_path = format!("{s_path}/places");
    let (s, _, v) = call(
        &app,
        reqwest::Method::POST,
        &token,
        &p_path,
        Some("ask-1"),
        Some(&ask),
    )
    .await;
    assert_eq!((s, v["outcome"].clone()), (201, json!("requested")), "{v}");
    let (s, _, v) = call(
        &app,
        reqwest::Method::POST,
        &token,
        &p_path,
        Some("ask-2"),
        Some(&ask),
    )
    .await;
    assert_eq!((s, v["code"].clone()), (422, json!("refused")), "{v}");

    // The business's 操作の記録 names the system, and the person whose grant it used.
    let prime_account = account(&app, &prime_id).await;
    let log = business_log(&app.state, prime_account.id, 50)
        .await
        .unwrap();
    let by_client = log
        .iter()
        .find(|e| e.is(AuditAction::PlacementRequested))
        .expect("the 要請 is in the log");
    assert!(
        matches!(&by_client.actor, ActorSeen::Client { system, .. } if system == "ゲート太郎"),
        "{:?}",
        by_client.actor
    );
    assert!(log.iter().any(|e| e.is(AuditAction::ApiGrantGiven)));
    let log_page = text(&app, &owner, "/ccus_owner/org").await;
    assert!(
        log_page.contains("連携システム「ゲート太郎」"),
        "{log_page}"
    );

    // Introspection tells the client about its own token.
    let introspect = |f: Vec<(String, String)>| {
        reqwest::Client::new()
            .post(app.url("/oauth/introspect"))
            .form(&f)
            .send()
    };
    let mut f = form(&vendor.assertion(&app));
    f.push(("token".into(), token.clone()));
    let v: Value = introspect(f).await.unwrap().json().await.unwrap();
    assert_eq!(v["active"], true);
    assert_eq!(v["client_id"], vendor.client_id.as_str());

    // Rotation: the old and the new key together, then the new one alone.
    let rotate = |keys: String| {
        let cid = vendor.client_id.clone();
        let state = app.state.clone();
        async move {
            ccus_app::api::clients::change(
                &state,
                &ccus_app::audit::Actor::Operator,
                &cid,
                &ccus_app::api::clients::ClientChange::Keys(
                    ccus_app::api::clients::ClientKeys::Jwks(keys),
                ),
            )
            .await
            .unwrap()
        }
    };
    rotate(jwks(&[&KEY_1, &KEY_2])).await;
    assert_eq!(vendor.token_response(&app, None).await.status(), 200);
    assert_eq!(forged.token_response(&app, None).await.status(), 200);
    rotate(jwks(&[&KEY_2])).await;
    assert_eq!(vendor.token_response(&app, None).await.status(), 401);
    let token = forged.token(&app).await;
    assert_eq!(get(&app, &token, &s_path).await.0, 200);

    // Revoked on the business's page: the client no longer reaches the business.
    let grant_id = {
        let page = text(&app, &owner, "/ccus_owner/systems").await;
        let at = page.find("/ccus_owner/systems/").unwrap() + "/ccus_owner/systems/".len();
        page[at..at + page[at..].find('/').unwrap()].to_owned()
    };
    let r = app
        .submit(
            &owner,
            "/ccus_owner/systems",
            &format!("/ccus_owner/systems/{grant_id}/revoke"),
            &[],
        )
        .await;
    assert!(location(&r).ends_with("done=revoked"));
    assert_eq!(get(&app, &token, &s_path).await.0, 404);

    // Suspended by an operator: its tokens stop at once, and it gets no new one.
    ccus_app::api::clients::change(
        &app.state,
        &ccus_app::audit::Actor::Operator,
        &vendor.client_id,
        &ccus_app::api::clients::ClientChange::State(ccus_domain::api::ClientState::Suspended),
    )
    .await
    .unwrap();
    assert_eq!(get(&app, &token, "/api/v1/grants").await.0, 401);
    // Its proof still holds, so it is told why: it may not get tokens.
    let r = forged.token_response(&app, None).await;
    assert_eq!(token_error(r).await, (400, "unauthorized_client".into()));
}

/// A client over its calls per minute is answered 429 with Retry-After, across the minute.
async fn rate_limit(app: TestApp) {
    let vendor = Vendor::register(&app, "連打システム", "sites:read", &KEY_1).await;
    let token = vendor.token(&app).await;
    let mut limited = None;
    for _ in 0..30 {
        let (s, h, v) = call(
            &app,
            reqwest::Method::GET,
            &token,
            "/api/v1/grants",
            None,
            None,
        )
        .await;
        if s == 429 {
            limited = Some((h, v));
            break;
        }
        assert_eq!(s, 200);
    }
    let (h, v) = limited.expect("the limit was reached");
    assert_eq!(v["code"], "rate-limited");
    let wait: u64 = h["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    app.clock.advance(std::time::Duration::from_secs(61));
    assert_eq!(get(&app, &token, "/api/v1/grants").await.0, 200);

    // Guessing at the token endpoint: after three failed proofs naming the client in a
    // minute, nothing naming it is checked until the minute ends.
    let forged = Vendor {
        client_id: vendor.client_id.clone(),
        key: &KEY_2,
    };
    for _ in 0..3 {
        let r = forged.token_response(&app, None).await;
        assert_eq!(token_error(r).await, (401, "invalid_client".into()));
    }
    let r = vendor.token_response(&app, None).await;
    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    app.clock.advance(std::time::Duration::from_secs(61));
    assert_eq!(vendor.token_response(&app, None).await.status(), 200);
}

/// The console's page of clients, for supervisors: registering one with a secret shown once,
/// suspending it; an operator of the helpdesk is refused.
async fn console(app: TestApp) {
    let (desk, _) = app.staff_browser(ccus_storage::StaffRole::Supervisor).await;
    let page = text(&app, &desk, "/helpdesk/api-clients").await;
    assert!(page.contains("登録されているシステムはありません"));
    let r = app
        .submit(
            &desk,
            "/helpdesk/api-clients",
            "/helpdesk/api-clients",
            &[
                ("name", "給与くん"),
                ("vendor", "給与システム株式会社"),
                ("contact", "dev@kyuyo.example"),
                ("records:read", "yes"),
                ("auth", "secret"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let page = r.text().await.unwrap();
    assert!(page.contains("この一度だけ表示します"), "{page}");
    let secret_at = page.find("ccuss_").unwrap();
    let secret = &page[secret_at..secret_at + page[secret_at..].find('<').unwrap()];
    let client_at = page.find("ccusc_").unwrap();
    let client_id = page[client_at..client_at + 28].to_owned();
    // A client with a secret proves itself by HTTP Basic; in the sandbox state it gets no
    // token from a live portal.
    let r = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client_id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(token_error(r).await, (400, "unauthorized_client".into()));
    let r = app
        .submit(
            &desk,
            "/helpdesk/api-clients",
            &format!("/helpdesk/api-clients/{client_id}/state"),
            &[("state", "certified")],
        )
        .await;
    assert!(location(&r).ends_with("done=state"));
    let r = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client_id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let wrong = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client_id, Some("ccuss_wrong"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    assert!(wrong.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Basic"));
    // A private key pasted as the client's keys is refused, and the keys stay as they were.
    let r = app
        .submit(
            &desk,
            "/helpdesk/api-clients",
            &format!("/helpdesk/api-clients/{client_id}/keys"),
            &[(
                "jwks",
                r#"{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b","d":"c"}]}"#,
            )],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("秘密鍵が含まれています"));
    // In the audit log.
    let audit = text(&app, &desk, "/helpdesk/audit").await;
    assert!(audit.contains("連携システムの登録") && audit.contains("state=certified"));
    // Not for a helpdesk operator.
    let (operator, _) = app.staff_browser(ccus_storage::StaffRole::Operator).await;
    assert_eq!(
        app.get(&operator, "/helpdesk/api-clients").await.status(),
        403
    );
}

/// Every endpoint × every scope: a token holding every scope but the endpoint's own is told
/// `insufficient-scope` (403), whatever else it holds; with its scope it gets past the check.
async fn every_endpoint_checks_its_scope(app: TestApp) {
    let prime_id = person(&app, BIZ, "株式会社 元請建設", "prime@example.jp", None).await;
    let prime = ctx(&app, &prime_id).await;
    let site = new_site(&app, &prime, "スコープ 確認現場").await;
    let vendor = Vendor::register(&app, "全部入り", ALL, &KEY_1).await;
    vendor.granted_by(&app, &prime, ALL).await;
    let b = format!("/api/v1/businesses/{}", prime_id.as_str());
    let s = format!("{b}/sites/{}", site.as_str());
    let endpoints: Vec<(reqwest::Method, String, &str, Option<Value>)> = vec![
        (
            reqwest::Method::GET,
            format!("{b}/sites"),
            "sites:read",
            None,
        ),
        (reqwest::Method::GET, s.clone(), "sites:read", None),
        (
            reqwest::Method::POST,
            format!("{s}/places"),
            "sites:write",
            Some(json!({"business_id": "20000000000000"})),
        ),
        (
            reqwest::Method::GET,
            format!("{s}/roster"),
            "roster:read",
            None,
        ),
        (
            reqwest::Method::POST,
            format!("{s}/roster"),
            "roster:write",
            Some(json!({"technician_id": "10000000000000", "trade": "tobi", "position": "worker"})),
        ),
        (
            reqwest::Method::POST,
            format!("{s}/touches"),
            "touches:write",
            Some(json!({"touches": []})),
        ),
        (
            reqwest::Method::GET,
            format!("{s}/records?day=2026-12-01"),
            "records:read",
            None,
        ),
        (
            reqwest::Method::GET,
            format!("{b}/workers?card=0123456789ABCDEF"),
            "workers:lookup",
            None,
        ),
        (
            reqwest::Method::GET,
            format!("{b}/workers/10000000000000/records"),
            "records:read",
            None,
        ),
    ];
    // The walk covers every operation the OpenAPI document says needs a scope.
    let doc: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let scoped: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|ops| ops.as_object().unwrap().values())
        .filter(|op| {
            op["security"][0]["bearer"]
                .as_array()
                .is_some_and(|s| !s.is_empty())
        })
        .count();
    assert_eq!(scoped, endpoints.len(), "every scoped operation is walked");
    let every: Vec<&str> = ALL.split(' ').collect();
    for (n, (method, path, needs, body)) in endpoints.iter().enumerate() {
        let others: Vec<&str> = every.iter().copied().filter(|s| s != needs).collect();
        let r = vendor.token_response(&app, Some(&others.join(" "))).await;
        let without: Value = r.json().await.unwrap();
        let without = without["access_token"].as_str().unwrap();
        let key = format!("walk-{n}");
        let (status, _, v) = call(
            &app,
            method.clone(),
            without,
            path,
            Some(&key),
            body.as_ref(),
        )
        .await;
        assert_eq!(status, 403, "{method} {path} without {needs}: {v}");
        assert_eq!(v["code"], "insufficient-scope");
        let r = vendor.token_response(&app, Some(needs)).await;
        let with: Value = r.json().await.unwrap();
        let with = with["access_token"].as_str().unwrap();
        let key = format!("walk-with-{n}");
        let (status, _, v) =
            call(&app, method.clone(), with, path, Some(&key), body.as_ref()).await;
        assert_ne!(status, 403, "{method} {path} with {needs}: {v}");
        assert_ne!(status, 401, "{method} {path} with {needs}: {v}");
    }
}

/// A business's consent by the authorization-code flow with PKCE: the login first, the
/// consent page, a code that goes back to the registered address, exchanged once with the
/// verifier for a token that reaches that business alone; refusing sends `access_denied`;
/// an address the system did not register is never followed.
async fn authorization_code(app: TestApp) {
    use ccus_testkit::api::REDIRECT_URI;
    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let prime_id = person(&app, BIZ, "株式会社 元請建設", "prime@example.jp", None).await;
    let other_id = person(&app, BIZ, "株式会社 別会社", "other@example.jp", None).await;
    let other = ctx(&app, &other_id).await;
    let vendor = Vendor::register(&app, "ゲート太郎", "sites:read records:read", &KEY_1).await;
    // Another business let the same system in already (by its page).
    vendor.granted_by(&app, &other, "sites:read").await;
    let authorize = |redirect: &str, state: &str| {
        let q = serde_urlencoded::to_string([
            ("response_type", "code"),
            ("client_id", vendor.client_id.as_str()),
            ("redirect_uri", redirect),
            ("scope", "sites:read"),
            ("state", state),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ])
        .unwrap();
        format!("/ccus_owner/oauth/authorize?{q}")
    };
    // Not logged in: the login comes first, and leads back here.
    let anonymous = app.browser();
    let r = app.get(&anonymous, &authorize(REDIRECT_URI, "s1")).await;
    assert!(r.status().is_redirection(), "{}", r.status());
    assert!(
        location(&r).starts_with("/ccus_owner/login"),
        "{}",
        location(&r)
    );
    // Logged in: the system and what it asks, in words.
    let owner = logged_in(&app, BIZ, &prime_id).await;
    let page = text(&app, &owner, &authorize(REDIRECT_URI, "s1")).await;
    assert!(
        page.contains("「ゲート太郎」（提供: テスト株式会社）"),
        "{page}"
    );
    assert!(page.contains("現場と施工体制を見る") && !page.contains("就業履歴を見る"));
    // An address the system did not register is told, not followed.
    let r = app
        .get(&owner, &authorize("https://evil.example/cb", "s1"))
        .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("安全のため"));
    // Allowed: back to the system with a code and the state.
    let fields = |decision: &'static str, state: &'static str| {
        vec![
            ("response_type", "code"),
            ("client_id", vendor.client_id.as_str()),
            ("redirect_uri", REDIRECT_URI),
            ("scope", "sites:read"),
            ("state", state),
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
            ("decision", decision),
        ]
    };
    let r = app
        .submit(
            &owner,
            &authorize(REDIRECT_URI, "s1"),
            "/ccus_owner/oauth/authorize",
            &fields("allow", "s1"),
        )
        .await;
    let back = location(&r);
    assert!(back.starts_with(&format!("{REDIRECT_URI}?code=")), "{back}");
    assert!(back.ends_with("&state=s1"));
    let code =
        back["http://127.0.0.1:9/callback?code=".len()..back.find("&state").unwrap()].to_owned();
    let exchange = |code: String, verifier: &'static str| {
        let assertion = vendor.assertion(&app);
        let url = app.url("/oauth/token");
        async move {
            reqwest::Client::new()
                .post(url)
                .form(&[
                    ("grant_type", "authorization_code"),
                    ("code", code.as_str()),
                    ("redirect_uri", REDIRECT_URI),
                    ("code_verifier", verifier),
                    ("client_assertion_type", ccus_app::api::tokens::JWT_BEARER),
                    ("client_assertion", assertion.as_str()),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    // A wrong verifier spends the code: it is used once, whoever uses it.
    let r = exchange(code.clone(), "x".repeat(43).leak()).await;
    assert_eq!(token_error(r).await, (400, "invalid_grant".into()));
    let r = exchange(code, VERIFIER).await;
    assert_eq!(token_error(r).await, (400, "invalid_grant".into()));
    // A fresh consent, exchanged right: a token for this business alone.
    let r = app
        .submit(
            &owner,
            &authorize(REDIRECT_URI, "s2"),
            "/ccus_owner/oauth/authorize",
            &fields("allow", "s2"),
        )
        .await;
    let back = location(&r);
    let code =
        back["http://127.0.0.1:9/callback?code=".len()..back.find("&state").unwrap()].to_owned();
    let r = exchange(code.clone(), VERIFIER).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["scope"], "sites:read");
    let token = v["access_token"].as_str().unwrap().to_owned();
    let grants = get(&app, &token, "/api/v1/grants").await.1;
    assert_eq!(grants["grants"].as_array().unwrap().len(), 1);
    assert_eq!(grants["grants"][0]["business_id"], prime_id.as_str());
    let elsewhere = format!("/api/v1/businesses/{}/sites", other_id.as_str());
    assert_eq!(get(&app, &token, &elsewhere).await.0, 404);
    let mine = format!("/api/v1/businesses/{}/sites", prime_id.as_str());
    assert_eq!(get(&app, &token, &mine).await.0, 200);
    let r = exchange(code, VERIFIER).await;
    assert_eq!(token_error(r).await, (400, "invalid_grant".into()));
    // Refused: back with access_denied.
    let r = app
        .submit(
            &owner,
            &authorize(REDIRECT_URI, "s3"),
            "/ccus_owner/oauth/authorize",
            &fields("deny", "s3"),
        )
        .await;
    assert_eq!(
        location(&r),
        format!("{REDIRECT_URI}?error=access_denied&state=s3")
    );
    // Revoking the grant on the business's page ends the token its consent made.
    let page = text(&app, &owner, "/ccus_owner/systems").await;
    let at = page.find("/ccus_owner/systems/").unwrap() + "/ccus_owner/systems/".len();
    let grant_id = page[at..at + page[at..].find('/').unwrap()].to_owned();
    app.submit(
        &owner,
        "/ccus_owner/systems",
        &format!("/ccus_owner/systems/{grant_id}/revoke"),
        &[],
    )
    .await;
    assert_eq!(get(&app, &token, &mine).await.0, 401);
}

/// The OpenAPI document lists every endpoint.
async fn openapi(app: TestApp) {
    let v: Value = reqwest::get(app.url("/api/v1/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(v["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = v["paths"].as_object().unwrap();
    for p in [
        "/api/v1/grants",
        "/api/v1/businesses/{business_id}/sites",
        "/api/v1/businesses/{business_id}/sites/{site_id}",
        "/api/v1/businesses/{business_id}/sites/{site_id}/places",
        "/api/v1/businesses/{business_id}/sites/{site_id}/roster",
        "/api/v1/businesses/{business_id}/sites/{site_id}/touches",
        "/api/v1/businesses/{business_id}/sites/{site_id}/records",
        "/api/v1/businesses/{business_id}/workers",
        "/api/v1/businesses/{business_id}/workers/{technician_id}/records",
    ] {
        assert!(paths.contains_key(p), "{p}");
    }
    assert!(v["components"]["securitySchemes"]["bearer"].is_object());
}

/// An app whose clients may make `calls_per_minute`, and fail three proofs a minute when
/// `strict` (sixty otherwise).
async fn app_on(url: String, calls_per_minute: u64, strict: bool) -> TestApp {
    spawn_app_with(url, move |c| {
        c.api.calls_per_minute = calls_per_minute;
        c.api.failed_proofs_per_minute = if strict { 3 } else { 60 };
        c.staff.totp_key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn supervisors_register_and_certify_systems_in_the_console() {
    console(app_on(testdb::sqlite_url(), 1000, false).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendor_s_system_uses_what_a_business_grants_on_sqlite() {
    partner_api(app_on(testdb::sqlite_url(), 1000, false).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vendor_s_system_uses_what_a_business_grants_on_postgres() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    partner_api(app_on(url, 1000, false).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_over_its_rate_waits_on_sqlite() {
    rate_limit(app_on(testdb::sqlite_url(), 10, true).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_over_its_rate_waits_on_postgres() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    rate_limit(app_on(url, 10, true).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_business_consents_by_the_authorization_code_flow_on_sqlite() {
    authorization_code(app_on(testdb::sqlite_url(), 1000, false).await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_business_consents_by_the_authorization_code_flow_on_postgres() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    authorization_code(app_on(url, 1000, false).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_needs_its_own_scope() {
    every_endpoint_checks_its_scope(app_on(testdb::sqlite_url(), 1000, false).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_every_endpoint() {
    openapi(app_on(testdb::sqlite_url(), 1000, false).await).await;
}

/// A vendor that publishes its key set at an address: the portal fetches it, and a new key
/// published there (a rotation) works without registering anything again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_set_published_at_an_address_is_fetched_and_rotates() {
    use ccus_app::api::clients::{self, ClientKeys, ClientOutcome, NewClient};
    use std::sync::{Arc, Mutex};
    let app = app_on(testdb::sqlite_url(), 1000, false).await;
    // The vendor's own server, publishing KEY_1 now.
    let published = Arc::new(Mutex::new(jwks(&[&KEY_1])));
    let served = published.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = axum::Router::new().route(
        "/jwks.json",
        axum::routing::get(move || {
            let body = served.lock().unwrap().clone();
            async move { body }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    let new = NewClient {
        name: "鍵公開ゲート".into(),
        vendor: "テスト株式会社".into(),
        contact: "api@vendor.example".into(),
        scopes: "sites:read".into(),
        keys: ClientKeys::JwksUrl(format!("http://{addr}/jwks.json")),
        redirect_uris: String::new(),
    };
    use ccus_app::audit::Actor;
    let ClientOutcome::Done { client, .. } = clients::register(&app.state, &Actor::Operator, &new)
        .await
        .unwrap()
    else {
        panic!("refused");
    };
    let certify = clients::ClientChange::State(ccus_domain::api::ClientState::Certified);
    clients::change(&app.state, &Actor::Operator, &client.client_id, &certify)
        .await
        .unwrap();
    let v1 = Vendor {
        client_id: client.client_id.clone(),
        key: &KEY_1,
    };
    assert_eq!(v1.token_response(&app, None).await.status(), 200);
    // KEY_2 is not published yet: refused.
    let v2 = Vendor {
        client_id: client.client_id.clone(),
        key: &KEY_2,
    };
    assert_eq!(v2.token_response(&app, None).await.status(), 401);
    // The vendor publishes both; after the refetch gap a KEY_2 assertion fetches the set again.
    *published.lock().unwrap() = jwks(&[&KEY_1, &KEY_2]);
    tokio::time::sleep(std::time::Duration::from_secs(31)).await;
    assert_eq!(v2.token_response(&app, None).await.status(), 200);
    // An address that is not https is refused at registration.
    let bad = NewClient {
        keys: ClientKeys::JwksUrl("http://vendor.example/jwks.json".into()),
        ..new
    };
    assert!(matches!(
        clients::register(&app.state, &Actor::Operator, &bad)
            .await
            .unwrap(),
        ClientOutcome::Refused(_)
    ));
}
