//! A partner-API vendor for tests and benchmarks: a registered client with an EC P-256 key,
//! signing its client assertions (RFC 7523) with `jsonwebtoken`, and getting tokens.
//!
//! The two keys below exist only for tests: they sign assertions for clients registered in a
//! test's own database and are useless anywhere else.

use ccus_app::api::clients::{self, ClientKeys, ClientOutcome, NewClient};
use ccus_app::api::grants::{self, GrantOutcome};
use ccus_app::audit::Actor;
use ccus_app::org::OrgContext;
use ccus_domain::api::{ClientState, Scopes};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};

use crate::TestApp;

/// A test key pair: the private key (PKCS #8 PEM) and the public key's JWK coordinates.
pub struct TestKey {
    pub kid: &'static str,
    pem: &'static str,
    x: &'static str,
    y: &'static str,
}

pub const KEY_1: TestKey = TestKey {
    kid: "test-key-1",
    pem: "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg07/hf2h+mSs0Bywx\nT79FP/yDaMf6u70KhDKLFclStI+hRANCAAQkZW4s+1lLNy/LBRHD4n8M8tAj9/5N\nAVeRUCK96kUO7r0gCqk2Q4Exuc3Qzc+cdotJlnagjuUK0X7MVg/SPWE5\n-----END PRIVATE KEY-----\n",
    x: "JGVuLPtZSzcvywURw-J_DPLQI_f-TQFXkVAivepFDu4",
    y: "vSAKqTZDgTG5zdDNz5x2i0mWdqCO5QrRfsxWD9I9YTk",
};

pub const KEY_2: TestKey = TestKey {
    kid: "test-key-2",
    pem: "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgZGv9qWaZpscfh0E+\ngf3I2hB7hzy1FvsNyey0pc80QY2hRANCAATReTOU94+ll00qsYgYsbjWRfC6KLtj\nxYFCV7jq+HLW+505j68dxhK5wt/Zelj3aD2iId6TSJBV6/eWqESWLqxb\n-----END PRIVATE KEY-----\n",
    x: "0XkzlPePpZdNKrGIGLG41kXwuii7Y8WBQle46vhy1vs",
    y: "nTmPrx3GErnC39l6WPdoPaIh3pNIkFXr95aoRJYurFs",
};

impl TestKey {
    /// The private key, PKCS #8 PEM (for a vendor's tool that reads its key from a file).
    pub fn private_pem(&self) -> &'static str {
        self.pem
    }

    /// The public key as a JWK.
    pub fn jwk(&self) -> Value {
        json!({"kty": "EC", "crv": "P-256", "kid": self.kid, "x": self.x, "y": self.y,
               "use": "sig", "alg": "ES256"})
    }
}

/// A JWK Set of these keys' public halves, as JSON.
pub fn jwks(keys: &[&TestKey]) -> String {
    json!({"keys": keys.iter().map(|k| k.jwk()).collect::<Vec<_>>()}).to_string()
}

/// Where a test vendor's consent comes back to (nothing listens: the test reads the address).
pub const REDIRECT_URI: &str = "http://127.0.0.1:9/callback";

/// A registered client and the key it signs with.
pub struct Vendor {
    pub client_id: String,
    pub key: &'static TestKey,
}

impl Vendor {
    /// Registers a system signing with `key`, for `scopes`, and certifies it.
    pub async fn register(
        app: &TestApp,
        name: &str,
        scopes: &str,
        key: &'static TestKey,
    ) -> Vendor {
        let new = NewClient {
            name: name.into(),
            vendor: "テスト株式会社".into(),
            contact: "api@vendor.example".into(),
            scopes: scopes.into(),
            keys: ClientKeys::Jwks(jwks(&[key])),
            redirect_uris: REDIRECT_URI.into(),
        };
        let ClientOutcome::Done { client, .. } =
            clients::register(&app.state, &Actor::Operator, &new)
                .await
                .expect("register")
        else {
            panic!("the client was refused");
        };
        let change = clients::ClientChange::State(ClientState::Certified);
        clients::change(&app.state, &Actor::Operator, &client.client_id, &change)
            .await
            .expect("certify");
        Vendor {
            client_id: client.client_id,
            key,
        }
    }

    /// A client assertion for the portal's token endpoint, with a fresh `jti`.
    pub fn assertion(&self, app: &TestApp) -> String {
        self.assertion_with(
            app,
            &format!(
                "{}/oauth/token",
                app.state.config().public_url.trim_end_matches('/')
            ),
            120,
        )
    }

    /// A client assertion for `aud`, expiring `lifetime_s` seconds after the app's clock.
    pub fn assertion_with(&self, app: &TestApp, aud: &str, lifetime_s: i64) -> String {
        let now = ccus_domain::Clock::now(app.state.clock()).0 / 1000;
        let claims = json!({
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": aud,
            "iat": now,
            "exp": now + lifetime_s,
            "jti": ccus_app::tokens::random_token(),
        });
        let mut header = Header::new(Algorithm::ES256);
        header.kid = Some(self.key.kid.to_owned());
        let key = EncodingKey::from_ec_pem(self.key.pem.as_bytes()).expect("test key");
        jsonwebtoken::encode(&header, &claims, &key).expect("sign")
    }

    /// The token endpoint's answer to a client-credentials request with `scope`.
    pub async fn token_response(&self, app: &TestApp, scope: Option<&str>) -> reqwest::Response {
        let assertion = self.assertion(app);
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_assertion_type", ccus_app::api::tokens::JWT_BEARER),
            ("client_assertion", assertion.as_str()),
        ];
        if let Some(s) = scope {
            form.push(("scope", s));
        }
        reqwest::Client::new()
            .post(app.url("/oauth/token"))
            .form(&form)
            .send()
            .await
            .expect("token request")
    }

    /// An access token for every registered scope.
    pub async fn token(&self, app: &TestApp) -> String {
        let r = self.token_response(app, None).await;
        assert_eq!(r.status(), 200);
        let v: Value = r.json().await.expect("json");
        v["access_token"].as_str().expect("access_token").to_owned()
    }

    /// Lets this client use `business`'s data within `scopes`, as the person of `ctx`.
    pub async fn granted_by(&self, app: &TestApp, ctx: &OrgContext, scopes: &str) {
        let scopes = Scopes::parse(scopes).expect("scopes");
        let outcome = grants::grant(&app.state, ctx, &self.client_id, &scopes)
            .await
            .expect("grant");
        assert!(matches!(outcome, GrantOutcome::Granted(_)), "{outcome:?}");
    }
}

/// Registers and certifies a system with a client secret (a 「CCUSでログイン」 service, or a
/// partner-API system that cannot sign): its client_id and the secret.
pub async fn client_with_secret(
    app: &TestApp,
    name: &str,
    scopes: &str,
    redirect_uris: &str,
) -> (String, String) {
    let new = NewClient {
        name: name.into(),
        vendor: "テスト株式会社".into(),
        contact: "rp@vendor.example".into(),
        scopes: scopes.into(),
        keys: ClientKeys::Secret,
        redirect_uris: redirect_uris.into(),
    };
    let ClientOutcome::Done { client, secret } =
        clients::register(&app.state, &Actor::Operator, &new)
            .await
            .expect("register")
    else {
        panic!("the client was refused");
    };
    let certify = clients::ClientChange::State(ClientState::Certified);
    clients::change(&app.state, &Actor::Operator, &client.client_id, &certify)
        .await
        .expect("certify");
    (client.client_id, secret.expect("a secret"))
}
