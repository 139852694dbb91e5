//! The log of a whole journey, in JSON lines at the debug level: every line parses, every line
//! written while a request was handled names that request's id, and no secret is anywhere in
//! it — not the password typed (right or wrong), the session cookie, the anti-forgery token,
//! the mailed reset link's token, the new password, a client secret, an access token, a login
//! code, an ID token or a refresh token.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex, OnceLock};

use ccus_domain::AccountKind;
use ccus_testkit::*;
use ccus_web::logging::{subscriber, LogFormat};
use serde_json::Value;

const TECH: AccountKind = AccountKind::Technician;
const REDIRECT: &str = "http://127.0.0.1:9/signed-in";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

/// The value of a cookie a response sets.
fn cookie_value(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            let (n, rest) = v.split_once('=')?;
            (n == name).then(|| rest.split(';').next().unwrap_or("").to_owned())
        })
        .filter(|v| !v.is_empty())
}

fn param(url: &str, name: &str) -> Option<String> {
    let q = url.split_once('?').map_or("", |(_, q)| q);
    serde_urlencoded::from_str::<Vec<(String, String)>>(q)
        .unwrap()
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_journey_s_log_holds_no_secret_and_each_request_s_lines_name_it() {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    let captured = CAPTURED
        .get_or_init(|| {
            let c = Captured::default();
            tracing::subscriber::set_global_default(subscriber(
                LogFormat::Json,
                tracing_subscriber::EnvFilter::new("debug"),
                c.clone(),
                false,
            ))
            .expect("the only subscriber of this test binary");
            c
        })
        .clone();
    let app = TestApp::builder().system_clock().start().await;
    let mut secrets: Vec<String> = Vec::new();

    // A login with a wrong password, then the right one.
    let worker = app.account(TECH).await;
    secrets.push(worker.password.clone());
    let b = app.browser();
    let wrong = "wrong horse battery 9";
    secrets.push(wrong.into());
    app.login(&b, TECH, worker.login_id.as_str(), wrong).await;
    secrets.push(app.csrf(&b, TECH).await);
    let r = app
        .login(&b, TECH, worker.login_id.as_str(), &worker.password)
        .await;
    assert_eq!(r.status(), 303);
    secrets.push(cookie_value(&r, "ccus_session").expect("a session cookie"));

    // A password reset by mail.
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
    let mail = app
        .wait_for_mail("someone@example.jp", "パスワード再設定のご案内", 1)
        .await
        .remove(0);
    let link = link_in(&mail.body, "/ccus_skill/password/reset");
    let token = link.split("token=").nth(1).unwrap().to_owned();
    secrets.push(token.clone());
    let new_pw = "a brand new passphrase 7";
    secrets.push(new_pw.into());
    app.get(&other, &link).await;
    let r = app
        .submit(
            &other,
            p,
            link.split('?').next().unwrap(),
            &[
                ("token", &token),
                ("password", new_pw),
                ("password_confirm", new_pw),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);

    // 「CCUSでログイン」: a service with a secret, a code, tokens.
    let (client_id, secret) =
        ccus_testkit::api::client_with_secret(&app, "ログ確認サービス", "openid profile", REDIRECT)
            .await;
    secrets.push(secret.clone());
    let b = app.browser();
    app.login(&b, TECH, worker.login_id.as_str(), new_pw).await;
    let verifier = "v".repeat(43) + "erifier-of-the-log-test";
    secrets.push(verifier.clone());
    let challenge = {
        use base64::Engine;
        use sha2::Digest;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(sha2::Sha256::digest(verifier.as_bytes()))
    };
    let authorize = format!(
        "/ccus_skill/oauth/authorize?response_type=code&client_id={}&redirect_uri={}\
         &scope=openid%20profile&state=st&nonce=nn&code_challenge={challenge}\
         &code_challenge_method=S256",
        client_id, "http%3A%2F%2F127.0.0.1%3A9%2Fsigned-in"
    );
    let r = app
        .submit(
            &b,
            &authorize,
            "/ccus_skill/oauth/authorize",
            &[
                ("response_type", "code"),
                ("client_id", &client_id),
                ("redirect_uri", REDIRECT),
                ("scope", "openid profile"),
                ("state", "st"),
                ("nonce", "nn"),
                ("code_challenge", &challenge),
                ("code_challenge_method", "S256"),
                ("decision", "allow"),
            ],
        )
        .await;
    let code = param(&location(&r), "code").expect("a code");
    secrets.push(code.clone());
    let tokens: Value = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client_id, Some(&secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for k in ["access_token", "refresh_token", "id_token"] {
        secrets.push(tokens[k].as_str().expect(k).to_owned());
    }
    let refreshed = reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client_id, Some(&secret))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", tokens["refresh_token"].as_str().unwrap()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), 200);
    let userinfo = reqwest::Client::new()
        .get(app.url("/oauth/userinfo"))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(userinfo.status(), 200);
    // A wrong secret is logged as a failed proof, never as the secret.
    let wrong_secret = "ccuss_not-the-right-secret-at-all";
    secrets.push(wrong_secret.into());
    reqwest::Client::new()
        .post(app.url("/oauth/token"))
        .basic_auth(&client_id, Some(wrong_secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.lines().count() > 20, "{log}");
    let mut in_requests = 0;
    for line in log.lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        if v["span"]["name"] == "request" {
            in_requests += 1;
            let id = v["span"]["request_id"].as_str().unwrap_or_default();
            assert_eq!(id.len(), 16, "{line}");
        }
    }
    assert!(in_requests > 10, "request lines carry their span: {log}");
    for s in &secrets {
        assert!(s.len() >= 8, "{s}");
        assert!(!log.contains(s.as_str()), "the log holds a secret: {s}");
    }
}
