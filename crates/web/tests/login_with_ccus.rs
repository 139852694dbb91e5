//! 「CCUSでログイン」 end to end, with a real relying party (the `openidconnect` crate): an
//! operator registers the service; it discovers the portal, sends a technician's browser to log
//! in and consent, exchanges the code, checks the ID token (signature by the published key,
//! nonce, audience) and reads userinfo with the agreed claims; refresh tokens rotate and a used
//! one sent again ends that login; the next login goes straight back; the person ends the
//! service on their 連携サービス page and its tokens stop; RP-initiated logout ends the portal
//! session — on SQLite and, when configured, PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ccus_domain::AccountKind;
use ccus_storage::testdb;
use ccus_testkit::*;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, RedirectUrl, Scope, TokenResponse,
};
use serde_json::Value;

const TECH: AccountKind = AccountKind::Technician;
const REDIRECT: &str = "http://127.0.0.1:9/signed-in";

/// Registers and certifies a service for the login; its client_id and secret.
async fn relying_party(app: &TestApp, scopes: &str) -> (String, String) {
    ccus_testkit::api::client_with_secret(app, "安全書類サービス", scopes, REDIRECT).await
}

/// The query parameters of a URL.
fn query(url: &str) -> Vec<(String, String)> {
    let q = url.split_once('?').map_or("", |(_, q)| q);
    serde_urlencoded::from_str(q).unwrap()
}

fn param(url: &str, name: &str) -> Option<String> {
    query(url)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The relying party's HTTP client: no redirects followed (as the crate advises).
fn rp_http() -> openidconnect::reqwest::Client {
    openidconnect::reqwest::Client::builder()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

type Rp = CoreClient<
    openidconnect::EndpointSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointNotSet,
    openidconnect::EndpointMaybeSet,
    openidconnect::EndpointMaybeSet,
>;

/// A login the worker allowed before: straight back with a code, exchanged; the tokens.
async fn login_again(
    app: &TestApp,
    b: &reqwest::Client,
    rp: &Rp,
    http: &openidconnect::reqwest::Client,
) -> openidconnect::core::CoreTokenResponse {
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (auth_url, _, nonce) = rp
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".into()))
        .set_pkce_challenge(challenge)
        .url();
    let path = format!("{}?{}", auth_url.path(), auth_url.query().unwrap());
    let r = app.get(b, &path).await;
    assert_eq!(r.status(), 303);
    let code = param(&location(&r), "code").expect("straight back with a code");
    let tokens = rp
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(http)
        .await
        .expect("another login");
    tokens
        .id_token()
        .unwrap()
        .claims(&rp.id_token_verifier(), &nonce)
        .expect("a valid ID token");
    tokens
}

async fn the_login(app: TestApp) {
    let (client_id, secret) = relying_party(&app, "openid profile ccus_id affiliation level").await;
    let worker = app.account(TECH).await;
    let b = app.browser();
    let r = app
        .login(&b, TECH, worker.login_id.as_str(), &worker.password)
        .await;
    assert_eq!(r.status(), 303);

    // The service discovers the portal.
    let http = rp_http();
    let issuer = IssuerUrl::new(app.state.config().public_url.clone()).unwrap();
    let meta = CoreProviderMetadata::discover_async(issuer, &http)
        .await
        .expect("discovery");
    let rp = CoreClient::from_provider_metadata(
        meta,
        ClientId::new(client_id.clone()),
        Some(ClientSecret::new(secret.clone())),
    )
    .set_redirect_uri(RedirectUrl::new(REDIRECT.into()).unwrap());

    // It sends the worker's browser to log in; the worker sees the service and allows it.
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (auth_url, csrf, nonce) = rp
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("ccus_id".into()))
        .add_scope(Scope::new("affiliation".into()))
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    let page_path = format!(
        "{}?{}",
        auth_url.path(),
        auth_url.query().unwrap_or_default()
    );
    let page = app.get(&b, &page_path).await;
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        csp.contains("form-action 'self' http://127.0.0.1:9"),
        "{csp}"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("安全書類サービス"), "{html}");
    assert!(html.contains("技能者ID"), "{html}");
    let mut fields: Vec<(String, String)> = query(&page_path);
    fields.retain(|(k, _)| k != "prompt");
    fields.push(("decision".into(), "allow".into()));
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = app
        .submit(&b, &page_path, "/ccus_skill/oauth/authorize", &fields)
        .await;
    assert_eq!(r.status(), 303);
    let back = location(&r);
    assert!(back.starts_with(REDIRECT), "{back}");
    assert_eq!(
        param(&back, "state").as_deref(),
        Some(csrf.secret().as_str())
    );
    let code = param(&back, "code").unwrap();

    // It exchanges the code and checks the ID token as any relying party does.
    let tokens = rp
        .exchange_code(AuthorizationCode::new(code.clone()))
        .unwrap()
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .expect("code exchange");
    let id_token = tokens.id_token().expect("an ID token").clone();
    let claims = id_token
        .claims(&rp.id_token_verifier(), &nonce)
        .expect("a valid ID token");
    let subject = claims.subject().as_str().to_owned();
    assert_ne!(subject, worker.login_id.as_str(), "a pairwise subject");
    let name = claims.name().and_then(|n| n.get(None)).map(|n| n.as_str());
    assert_eq!(name, Some(worker.name.as_str()));

    // Userinfo: the agreed claims, and nothing it did not ask for (level).
    let info: CoreUserInfoClaims = rp
        .user_info(tokens.access_token().clone(), None)
        .unwrap()
        .request_async(&http)
        .await
        .expect("userinfo");
    assert_eq!(info.subject().as_str(), subject);
    let raw: Value = reqwest::Client::new()
        .get(app.url("/oauth/userinfo"))
        .bearer_auth(tokens.access_token().secret())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw["ccus_technician_id"], worker.login_id.as_str());
    assert_eq!(raw["name"], worker.name.as_str());
    // Affiliated with no business: the claim is left out, never null.
    assert!(
        raw.get("ccus_affiliation").is_none_or(Value::is_object),
        "{raw}"
    );
    assert!(raw.get("ccus_levels").is_none(), "{raw}");
    // Its access token is no key to the partner API.
    let api = reqwest::Client::new()
        .get(app.url("/api/v1/grants"))
        .bearer_auth(tokens.access_token().secret())
        .send()
        .await
        .unwrap();
    assert_eq!(api.status(), 401);

    // The code works once; sent again, it ends what it gave.
    let again = rp
        .exchange_code(AuthorizationCode::new(code))
        .unwrap()
        .set_pkce_verifier(openidconnect::PkceCodeVerifier::new("x".repeat(43)))
        .request_async(&http)
        .await;
    assert!(again.is_err());
    let info = reqwest::Client::new()
        .get(app.url("/oauth/userinfo"))
        .bearer_auth(tokens.access_token().secret())
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), 401);

    // Allowed before: the next login goes straight back with a code.
    let tokens = login_again(&app, &b, &rp, &http).await;

    // Refresh tokens rotate; a used one sent again ends that login.
    let first_refresh = tokens.refresh_token().expect("a refresh token").clone();
    let refreshed = rp
        .exchange_refresh_token(&first_refresh)
        .unwrap()
        .request_async(&http)
        .await
        .expect("refresh");
    let second_refresh = refreshed.refresh_token().unwrap().clone();
    assert_ne!(second_refresh.secret(), first_refresh.secret());
    refreshed
        .id_token()
        .expect("a new ID token")
        .claims(&rp.id_token_verifier(), |_: Option<&Nonce>| Ok(()))
        .expect("valid");
    let reused = rp
        .exchange_refresh_token(&first_refresh)
        .unwrap()
        .request_async(&http)
        .await;
    assert!(reused.is_err(), "a used refresh token is refused");
    let after = rp
        .exchange_refresh_token(&second_refresh)
        .unwrap()
        .request_async(&http)
        .await;
    assert!(after.is_err(), "the whole family ended");
    let history = app
        .get(&b, "/ccus_skill/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(history.contains("不正な再利用を検知"), "{history}");
    assert!(history.contains("「CCUSでログイン」で連携サービスにログイン"));

    let tokens = login_again(&app, &b, &rp, &http).await;
    let id_token = tokens.id_token().unwrap().clone();

    // A suspended service's tokens end at once: certified again, it needs a new login.
    let userinfo_status = |token: String| {
        let url = app.url("/oauth/userinfo");
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for (state, want) in [
        (ccus_domain::api::ClientState::Suspended, 401),
        (ccus_domain::api::ClientState::Certified, 401),
    ] {
        ccus_app::api::clients::change(
            &app.state,
            &ccus_app::audit::Actor::Operator,
            &client_id,
            &ccus_app::api::clients::ClientChange::State(state),
        )
        .await
        .unwrap();
        let status = userinfo_status(tokens.access_token().secret().clone()).await;
        assert_eq!(status, want, "{state:?}");
    }

    // The worker ends the service on their page: its tokens stop at once.
    let services = app
        .get(&b, "/ccus_skill/services")
        .await
        .text()
        .await
        .unwrap();
    assert!(services.contains("安全書類サービス"), "{services}");
    let id = services
        .split("/ccus_skill/services/")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap()
        .to_owned();
    let r = app
        .submit(
            &b,
            "/ccus_skill/services",
            &format!("/ccus_skill/services/{id}/revoke"),
            &[],
        )
        .await;
    assert_eq!(location(&r), "/ccus_skill/services?done=revoked");
    let info = reqwest::Client::new()
        .get(app.url("/oauth/userinfo"))
        .bearer_auth(tokens.access_token().secret())
        .send()
        .await
        .unwrap();
    assert_eq!(info.status(), 401);
    let refresh = rp
        .exchange_refresh_token(tokens.refresh_token().unwrap())
        .unwrap()
        .request_async(&http)
        .await;
    assert!(refresh.is_err());
    let history = app
        .get(&b, "/ccus_skill/history")
        .await
        .text()
        .await
        .unwrap();
    assert!(history.contains("連携サービスの許可を取り消し"));

    // RP-initiated logout with the ID token ends the portal session and goes back.
    let hint = id_token.to_string();
    let logout = format!(
        "/oauth/logout?id_token_hint={hint}&post_logout_redirect_uri={}&state=bye",
        "http%3A%2F%2F127.0.0.1%3A9%2Fsigned-in"
    );
    let r = app.get(&b, &logout).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("{REDIRECT}?state=bye"));
    let home = app.get(&b, "/ccus_skill/home").await;
    assert_eq!(home.status(), 303, "the portal session ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_logs_a_technician_in_with_ccus_on_sqlite() {
    the_login(TestApp::builder().system_clock().start().await).await;
}

#[ccus_test_macros::postgres_variant]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_logs_a_technician_in_with_ccus_on_postgres() {
    let Some(url) = testdb::postgres_url().await else {
        eprintln!("skipped: {} is not set", testdb::POSTGRES_ENV);
        return;
    };
    the_login(
        TestApp::builder()
            .system_clock()
            .database(url)
            .start()
            .await,
    )
    .await;
}

/// A request the portal must not follow: an unknown service, an address it did not register,
/// no PKCE, no `openid`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_login_requests_are_stopped_or_sent_back_with_an_error() {
    let app = TestApp::builder().system_clock().start().await;
    let (client_id, _) = relying_party(&app, "openid profile").await;
    let worker = app.account(TECH).await;
    let b = app.browser();
    app.login(&b, TECH, worker.login_id.as_str(), &worker.password)
        .await;
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let base = format!(
        "/ccus_skill/oauth/authorize?response_type=code&state=s1&code_challenge_method=S256\
         &code_challenge={challenge}"
    );
    let redirect = "http%3A%2F%2F127.0.0.1%3A9%2Fsigned-in";
    // Unknown client, or an address it did not register: told here, never followed.
    let r = app
        .get(
            &b,
            &format!("{base}&client_id=ccusc_nobody&redirect_uri={redirect}&scope=openid"),
        )
        .await;
    assert_eq!(r.status(), 400);
    let r = app
        .get(
            &b,
            &format!(
                "{base}&client_id={client_id}&redirect_uri=https%3A%2F%2Fevil.example%2F\
                 &scope=openid"
            ),
        )
        .await;
    assert_eq!(r.status(), 400);
    assert!(r.text().await.unwrap().contains("戻り先"));
    // No openid: back to the service with invalid_scope.
    let r = app
        .get(
            &b,
            &format!("{base}&client_id={client_id}&redirect_uri={redirect}&scope=profile"),
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        param(&location(&r), "error").as_deref(),
        Some("invalid_scope")
    );
    // No PKCE: invalid_request.
    let r = app
        .get(
            &b,
            &format!(
                "/ccus_skill/oauth/authorize?response_type=code&state=s1&client_id={client_id}\
                 &redirect_uri={redirect}&scope=openid"
            ),
        )
        .await;
    assert_eq!(
        param(&location(&r), "error").as_deref(),
        Some("invalid_request")
    );
    // prompt=none without a consent: consent_required; not signed in: login_required.
    let silent =
        format!("{base}&client_id={client_id}&redirect_uri={redirect}&scope=openid&prompt=none");
    let r = app.get(&b, &silent).await;
    assert_eq!(
        param(&location(&r), "error").as_deref(),
        Some("consent_required")
    );
    let r = app.get(&app.browser(), &silent).await;
    assert_eq!(
        param(&location(&r), "error").as_deref(),
        Some("login_required")
    );
    // The published key set: the public half only.
    let jwks: Value = reqwest::get(app.url("/oauth/jwks"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["alg"], "RS256");
    assert!(jwks["keys"][0].get("d").is_none(), "no private part");
}

/// A person not signed in comes back to the service's request after the portal's login, also
/// when the request is long (a signed `state`) and names its `redirect_uri` unencoded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_survives_the_portal_s_login() {
    let app = TestApp::builder().system_clock().start().await;
    let (client_id, _) = relying_party(&app, "openid profile").await;
    let worker = app.account(TECH).await;
    let b = app.browser();
    let state = "s".repeat(700);
    let request = format!(
        "/ccus_skill/oauth/authorize?response_type=code&client_id={client_id}\
         &redirect_uri={REDIRECT}&scope=openid%20profile&state={state}&nonce=n1\
         &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
    );
    let r = app.get(&b, &request).await;
    assert_eq!(r.status(), 303);
    let to_login = location(&r);
    let next = param(&to_login, "next")
        .unwrap_or_else(|| panic!("the request is kept for after the login: {to_login}"));
    let token = app.csrf(&b, TECH).await;
    let r = app
        .post_login(
            &b,
            TECH,
            worker.login_id.as_str(),
            &worker.password,
            &token,
            &next,
        )
        .await;
    assert_eq!(r.status(), 303);
    let back = location(&r);
    assert!(back.starts_with("/ccus_skill/oauth/authorize?"), "{back}");
    let page = app.get(&b, &back).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("安全書類サービス"), "{html}");
    assert!(html.contains(&state), "the state goes on with the form");
}
