//! How the suite talks to a portal: the client's proof (a secret, or client assertions signed
//! with `jsonwebtoken` from the vendor's private key), token requests, API calls, and the
//! checks every refusal must pass (RFC 6749 §5.2 errors, RFC 9457 problem details).

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::header::{HeaderMap, CACHE_CONTROL, CONTENT_TYPE, WWW_AUTHENTICATE};
use reqwest::Method;
use serde_json::{json, Value};

use super::Miss;

/// `client_assertion_type` of a JWT client assertion (RFC 7523).
const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// How long a client assertion is valid: well under the portal's ten minutes.
const ASSERTION_LIFETIME_S: i64 = 120;

/// How the client proves who it is.
pub(super) enum Proof {
    /// A client secret, sent by HTTP Basic.
    Secret(String),
    /// A private key signing client assertions (`private_key_jwt`).
    Key {
        key: Box<EncodingKey>,
        alg: Algorithm,
        kid: Option<String>,
    },
}

impl Proof {
    /// The private key in a PEM file, for `alg`.
    pub(super) fn from_key_file(path: &Path, alg: &str, kid: Option<String>) -> Result<Proof> {
        let alg: Algorithm = alg
            .parse()
            .map_err(|_| anyhow::anyhow!("unknown --alg {alg}"))?;
        let pem = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let key = match alg {
            Algorithm::ES256 | Algorithm::ES384 => EncodingKey::from_ec_pem(&pem),
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => EncodingKey::from_rsa_pem(&pem),
            Algorithm::EdDSA => EncodingKey::from_ed_pem(&pem),
            _ => anyhow::bail!("--alg {alg:?} is not a public-key algorithm"),
        }
        .with_context(|| format!("{} is not a {alg:?} private key in PEM", path.display()))?;
        Ok(Proof::Key {
            key: Box::new(key),
            alg,
            kid,
        })
    }

    pub(super) fn describe(&self) -> &'static str {
        match self {
            Proof::Secret(_) => "client secret (HTTP Basic)",
            Proof::Key { .. } => "private_key_jwt",
        }
    }
}

/// A portal's answer, read whole.
pub(super) struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
    /// The body as JSON (`Null` when it is not JSON).
    pub json: Value,
}

impl Answer {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// A string field of the JSON body.
    pub fn str(&self, field: &str) -> Option<&str> {
        self.json.get(field).and_then(Value::as_str)
    }

    /// Fails unless the status is `status`.
    pub fn expect(&self, status: u16) -> Result<(), Miss> {
        if self.status == status {
            Ok(())
        } else {
            Err(Miss::Fail(format!(
                "expected {status}, got {} {}",
                self.status,
                self.brief()
            )))
        }
    }

    /// The start of the body, for a reason.
    pub fn brief(&self) -> String {
        let one_line: String = self
            .text
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(160)
            .collect();
        one_line
    }

    /// Fails unless this is an RFC 9457 problem with `status` and `code`: the problem media
    /// type, and `code`, `title`, `detail`, `instance` and a matching `status` in the body.
    pub fn expect_problem(&self, status: u16, code: &str) -> Result<(), Miss> {
        self.expect(status)?;
        if !self
            .header(CONTENT_TYPE.as_str())
            .starts_with("application/problem+json")
        {
            return Err(Miss::Fail(format!(
                "Content-Type is {:?}, not application/problem+json",
                self.header(CONTENT_TYPE.as_str())
            )));
        }
        if self.str("code") != Some(code) {
            return Err(Miss::Fail(format!(
                "expected code {code:?}, got {}",
                self.brief()
            )));
        }
        for field in ["title", "detail", "instance"] {
            if self.str(field).is_none_or(|v| v.trim().is_empty()) {
                return Err(Miss::Fail(format!("the problem has no {field}")));
            }
        }
        if self.json.get("status").and_then(Value::as_u64) != Some(u64::from(status)) {
            return Err(Miss::Fail(format!("the problem's status is not {status}")));
        }
        Ok(())
    }

    /// Fails unless this is an OAuth error (RFC 6749 §5.2) with `status` and `error`.
    pub fn expect_oauth_error(&self, status: u16, error: &str) -> Result<(), Miss> {
        if self.status != status || self.str("error") != Some(error) {
            return Err(Miss::Fail(format!(
                "expected {status} {error}, got {} {}",
                self.status,
                self.brief()
            )));
        }
        Ok(())
    }

    /// Fails unless the answer may not be cached (RFC 6749 §5.1).
    pub fn expect_no_store(&self) -> Result<(), Miss> {
        if self
            .header(CACHE_CONTROL.as_str())
            .to_ascii_lowercase()
            .contains("no-store")
        {
            Ok(())
        } else {
            Err(Miss::Fail("Cache-Control: no-store is missing".into()))
        }
    }

    /// Fails unless `WWW-Authenticate` is a Bearer challenge naming `error` (RFC 6750 §3).
    pub fn expect_bearer_challenge(&self, error: &str) -> Result<(), Miss> {
        let v = self.header(WWW_AUTHENTICATE.as_str());
        if v.to_ascii_lowercase().starts_with("bearer") && v.contains(&format!("error=\"{error}\""))
        {
            Ok(())
        } else {
            Err(Miss::Fail(format!(
                "WWW-Authenticate is {v:?}, not a Bearer challenge with error=\"{error}\""
            )))
        }
    }
}

/// A token the portal issued, with the scopes it carries.
#[derive(Clone)]
pub(super) struct Token {
    pub access_token: String,
    pub scopes: Vec<String>,
}

/// The portal as one client sees it.
pub(super) struct Portal {
    pub base: String,
    pub client_id: String,
    proof: Proof,
    http: reqwest::Client,
}

impl Portal {
    pub fn new(base: &str, client_id: String, proof: Proof) -> Result<Portal> {
        let base = base.trim_end_matches('/').to_owned();
        if !base.starts_with("http://") && !base.starts_with("https://") {
            anyhow::bail!("the portal's address must start with http:// or https://: {base}");
        }
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            // An API call is answered where it is sent; a redirect is itself a finding.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("ccus-api-conformance/", env!("CARGO_PKG_VERSION")))
            .build()
            .context("cannot make an HTTP client")?;
        Ok(Portal {
            base,
            client_id,
            proof,
            http,
        })
    }

    pub fn proof(&self) -> &Proof {
        &self.proof
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The address an assertion's `aud` names: the token endpoint.
    pub fn token_endpoint(&self) -> String {
        self.url("/oauth/token")
    }

    /// A client assertion for `aud`, with a fresh `jti`; `None` for a client with a secret.
    pub fn assertion_for(&self, aud: &str) -> Result<Option<String>, Miss> {
        let Proof::Key { key, alg, kid } = &self.proof else {
            return Ok(None);
        };
        let now = ccus_domain::Clock::now(&ccus_domain::SystemClock).0 / 1000;
        let claims = json!({
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": aud,
            "iat": now,
            "exp": now + ASSERTION_LIFETIME_S,
            "jti": format!("{:032x}", rand::random::<u128>()),
        });
        let mut header = Header::new(*alg);
        header.kid.clone_from(kid);
        jsonwebtoken::encode(&header, &claims, key)
            .map(Some)
            .map_err(|e| Miss::Fail(format!("cannot sign a client assertion: {e}")))
    }

    /// A form POST to an OAuth endpoint with the client's proof: HTTP Basic for a secret, a
    /// fresh client assertion for a key.
    pub async fn oauth(&self, path: &str, fields: &[(&str, &str)]) -> Result<Answer, Miss> {
        let assertion = self.assertion_for(&self.token_endpoint())?;
        self.oauth_with(path, fields, self.proof_fields(assertion.as_deref()))
            .await
    }

    /// The form fields and header that prove the client, given an assertion (key clients).
    pub fn proof_fields(&self, assertion: Option<&str>) -> ProofFields {
        match (&self.proof, assertion) {
            (Proof::Secret(secret), _) => ProofFields::Basic {
                id: self.client_id.clone(),
                secret: secret.clone(),
            },
            (Proof::Key { .. }, Some(a)) => ProofFields::Form(vec![
                ("client_assertion_type".into(), JWT_BEARER.into()),
                ("client_assertion".into(), a.to_owned()),
            ]),
            (Proof::Key { .. }, None) => ProofFields::None,
        }
    }

    /// A form POST to an OAuth endpoint with the given proof.
    pub async fn oauth_with(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        proof: ProofFields,
    ) -> Result<Answer, Miss> {
        let mut form: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let mut req = self.http.post(self.url(path));
        match proof {
            ProofFields::Basic { id, secret } => {
                req = req.basic_auth(form_encode(&id), Some(form_encode(&secret)));
            }
            ProofFields::Form(extra) => form.extend(extra),
            ProofFields::None => {}
        }
        read(req.form(&form).send().await?).await
    }

    /// A client-credentials token, for `scope` (every registered scope when `None`).
    pub async fn token(&self, scope: Option<&str>) -> Result<(Answer, Option<Token>), Miss> {
        let mut fields = vec![("grant_type", "client_credentials")];
        if let Some(s) = scope {
            fields.push(("scope", s));
        }
        let a = self.oauth("/oauth/token", &fields).await?;
        let token = match (a.status, a.str("access_token")) {
            (200, Some(t)) => Some(Token {
                access_token: t.to_owned(),
                scopes: a
                    .str("scope")
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
            }),
            _ => None,
        };
        Ok((a, token))
    }

    /// An API call with `token` (none: no `Authorization` at all).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        key: Option<&str>,
        body: Option<&Value>,
    ) -> Result<Answer, Miss> {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        read(req.send().await?).await
    }

    /// `GET path` with `token`.
    pub async fn get(&self, path: &str, token: &str) -> Result<Answer, Miss> {
        self.call(Method::GET, path, Some(token), None, None).await
    }

    /// `GET path` with `token` and an `Accept-Language`.
    pub async fn get_in(&self, path: &str, token: &str, lang: &str) -> Result<Answer, Miss> {
        let r = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .header("Accept-Language", lang)
            .send()
            .await?;
        read(r).await
    }

    /// `POST path` with `token`, an `Idempotency-Key` (if any) and a JSON body.
    pub async fn post(
        &self,
        path: &str,
        token: &str,
        key: Option<&str>,
        body: &Value,
    ) -> Result<Answer, Miss> {
        self.call(Method::POST, path, Some(token), key, Some(body))
            .await
    }
}

/// How a request proves the client.
pub(super) enum ProofFields {
    /// HTTP Basic with these credentials.
    Basic {
        id: String,
        secret: String,
    },
    /// Form fields (a client assertion).
    Form(Vec<(String, String)>),
    None,
}

/// `application/x-www-form-urlencoded` encoding of one value: unreserved characters as they
/// are, every other byte as `%XX` (which every decoder reads back). HTTP Basic credentials are
/// encoded so before base64 (RFC 6749 §2.3.1).
fn form_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn read(r: reqwest::Response) -> Result<Answer, Miss> {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await?;
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Ok(Answer {
        status,
        headers,
        text,
        json,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_form_encoded() {
        assert_eq!(form_encode("ccuss_x-y.z~"), "ccuss_x-y.z~");
        assert_eq!(form_encode("a b:c/é"), "a%20b%3Ac%2F%C3%A9");
    }
}
