//! Stopping an instance (SIGTERM): `/readyz` answers 503 at once, while requests are still
//! served for `server.drain_delay` — a load balancer checking readiness stops sending first —
//! and then the instance stops taking connections; a request already in progress finishes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use ccus_testkit::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopping_instance_leaves_readyz_first_then_stops_taking_connections() {
    let app = TestApp::builder()
        .config(|c| c.server.drain_delay = Duration::from_millis(1500))
        .start()
        .await;
    // The instance under test: its own listener and stop signal, over the same application.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(ccus_web::serve(listener, app.state.clone(), async {
        let _ = stopped.await;
    }));
    let http = reqwest::Client::new();
    let get = |path: &'static str| {
        let http = http.clone();
        let url = format!("{base}{path}");
        async move { http.get(url).send().await }
    };
    assert_eq!(get("/readyz").await.unwrap().status(), 200);

    stop.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let ready = get("/readyz").await.unwrap();
    assert_eq!(ready.status(), 503);
    assert_eq!(ready.text().await.unwrap(), "draining");
    // Still serving during the delay.
    assert_eq!(get("/ccus_skill/login").await.unwrap().status(), 200);
    assert_eq!(get("/healthz").await.unwrap().status(), 200);

    // After the delay no new connection is taken, and the server ends.
    tokio::time::timeout(Duration::from_secs(15), server)
        .await
        .expect("the server stops after the delay")
        .unwrap()
        .unwrap();
    assert!(
        reqwest::Client::new()
            .get(format!("{base}/healthz"))
            .send()
            .await
            .is_err(),
        "no connection is taken after the drain"
    );
}
