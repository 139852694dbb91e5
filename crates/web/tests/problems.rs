//! Refusals answer as RFC 9457 problem details to clients that ask for JSON (and to anything
//! under `/api/`), and as the usual page to browsers: the same status, the same words, the
//! request id in both.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_testkit::*;

const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

/// Status, request id, content type and body of an answer.
async fn parts(r: reqwest::Response) -> (u16, String, String, String) {
    let status = r.status().as_u16();
    let header = |name: &str| {
        r.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let (id, content_type) = (header("x-request-id"), header("content-type"));
    (status, id, content_type, r.text().await.unwrap())
}

fn problem(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_without_token_is_a_problem_for_json_clients_and_a_page_for_browsers() {
    let app = spawn_app().await;
    let b = app.browser();
    // The login page gives the browser its anti-forgery cookie; the form is sent without
    // the token.
    app.get(&b, "/ccus_skill/login").await;
    let form = [("login_id", "12345678901234"), ("password", "password")];

    for accept in [
        "application/problem+json",
        "application/json, text/html;q=0.9",
    ] {
        let r = b
            .post(app.url("/ccus_skill/login"))
            .header("accept", accept)
            .form(&form)
            .send()
            .await
            .unwrap();
        let (status, id, content_type, body) = parts(r).await;
        assert_eq!(status, 403, "{accept}");
        assert_eq!(content_type, "application/problem+json", "{accept}");
        let p = problem(&body);
        assert_eq!(p["status"], 403);
        assert_eq!(p["code"], "public-error-forbidden");
        assert_eq!(p["title"], "この操作は受け付けられませんでした");
        assert!(p["detail"].as_str().unwrap().contains("画面を開き直して"));
        assert!(p["type"]
            .as_str()
            .unwrap()
            .ends_with("/problems/public-error-forbidden"));
        assert_eq!(
            p["instance"],
            id.as_str(),
            "the request id names the occurrence"
        );
        assert!(p.get("retry_after").is_none());
        assert!(!body.contains("anti-forgery"), "no cause in the answer");
    }

    let r = b
        .post(app.url("/ccus_skill/login"))
        .header("accept", BROWSER_ACCEPT)
        .form(&form)
        .send()
        .await
        .unwrap();
    let (status, id, content_type, body) = parts(r).await;
    assert_eq!(status, 403);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(body.contains("この操作は受け付けられませんでした"));
    assert!(body.contains(&id), "the page shows the request id");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_page_is_a_problem_in_the_readers_language() {
    let app = spawn_app().await;
    let b = app.browser();

    let r = b
        .get(app.url("/no-such-page"))
        .header("accept", "application/json")
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    let (status, id, content_type, body) = parts(r).await;
    assert_eq!(status, 404);
    assert_eq!(content_type, "application/problem+json");
    let p = problem(&body);
    assert_eq!(p["code"], "public-error-not-found");
    assert_eq!(p["title"], "Page not found");
    assert_eq!(p["instance"], id.as_str());

    // The partner API's paths answer problems whatever the client accepts.
    let r = b
        .get(app.url("/api/v1/nothing-yet"))
        .header("accept", BROWSER_ACCEPT)
        .send()
        .await
        .unwrap();
    let (status, _, content_type, body) = parts(r).await;
    assert_eq!(status, 404);
    assert_eq!(content_type, "application/problem+json");
    assert_eq!(problem(&body)["title"], "ページが見つかりません");

    // A browser gets the page, as before.
    let r = b
        .get(app.url("/no-such-page"))
        .header("accept", BROWSER_ACCEPT)
        .send()
        .await
        .unwrap();
    let (status, id, content_type, body) = parts(r).await;
    assert_eq!(status, 404);
    assert!(content_type.starts_with("text/html"));
    assert!(body.contains("ページが見つかりません") && body.contains(&id));
}
