//! The metrics as an operator's Prometheus reads them, on their own address: a flood of wrong
//! passwords from one address shows as wrong passwords, then as throttled logins; a mail
//! outage shows as failed deliveries and a growing outbox; requests are counted by route, never
//! by raw path. The exposition passes `promtool check metrics` (Debian's `prometheus`
//! package; required under CI).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_domain::AccountKind;
use ccus_testkit::*;

const TECH: AccountKind = AccountKind::Technician;

/// The value of one sample (`name{labels}`), 0 when absent.
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| {
            let (k, v) = l.rsplit_once(' ')?;
            (k == series).then(|| v.parse().ok())?
        })
        .unwrap_or(0.0)
}

async fn scrape(base: &str) -> String {
    let r = reqwest::get(format!("{base}/metrics")).await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    r.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_flood_and_a_mail_outage_show_as_they_happen() {
    // Mail goes to a port where nothing listens: every delivery fails.
    let app = TestApp::builder()
        .config(|c| {
            c.lockout.address_limit = 5;
            c.mail.url = "smtp://127.0.0.1:9".into();
        })
        .allow_failed_mail()
        .start()
        .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(ccus_web::serve_metrics(listener, app.state.clone()));

    let before = scrape(&base).await;
    promtool_checks(&before);
    let wrong = r#"ccus_logins_total{entrance="ccus_skill",outcome="wrong_password"}"#;
    let throttled = r#"ccus_logins_total{entrance="ccus_skill",outcome="throttled"}"#;
    assert_eq!(sample(&before, wrong), 0.0);

    // A flood of wrong passwords from one address.
    let worker = app.account(TECH).await;
    let b = app.browser();
    for _ in 0..8 {
        app.login(
            &b,
            TECH,
            worker.login_id.as_str(),
            "not the password at all",
        )
        .await;
    }
    let during = scrape(&base).await;
    let locked = r#"ccus_logins_total{entrance="ccus_skill",outcome="locked"}"#;
    assert!(
        sample(&during, wrong) + sample(&during, locked) >= 5.0,
        "{during}"
    );
    assert!(sample(&during, throttled) >= 1.0, "{during}");
    let login_posts =
        r#"ccus_http_requests_total{route="/{portal}/login",method="POST",status="303"}"#;
    assert!(
        during.contains("route=\"/ccus_skill/login\"") || sample(&during, login_posts) > 0.0,
        "requests by route: {during}"
    );
    assert!(
        !during.contains("not the password"),
        "nothing typed is a label"
    );

    // A mail outage: a reset request queues a mail that cannot be delivered.
    let other = app.browser();
    let p = "/ccus_skill/password/forgot";
    app.submit(
        &other,
        p,
        p,
        &[
            ("login_id", worker.login_id.as_str()),
            ("email", "someone@example.jp"),
        ],
    )
    .await;
    let failures = r#"ccus_mail_failures_total{kind="retry"}"#;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let after = loop {
        let now = scrape(&base).await;
        if sample(&now, failures) >= 1.0 {
            break now;
        }
        assert!(std::time::Instant::now() < deadline, "{now}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert!(sample(&after, "ccus_mail_outbox_depth") >= 1.0, "{after}");
    assert_eq!(sample(&after, "ccus_metrics_database_up"), 1.0);
    assert!(sample(&after, "ccus_sessions_active") >= 0.0);
    // An unknown path is one series, not one per path.
    reqwest::get(app.url("/no/such/page/123")).await.unwrap();
    reqwest::get(app.url("/no/such/page/456")).await.unwrap();
    let last = scrape(&base).await;
    assert!(!last.contains("/no/such/page"), "{last}");
    assert!(last.contains("route=\"unmatched\""), "{last}");
    promtool_checks(&last);
}
