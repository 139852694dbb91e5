//! The OAuth 2.0 items: the OpenAPI document, client-credentials tokens and their refusals
//! (RFC 6749 §5.2), introspection (RFC 7662) and revocation (RFC 7009).

use serde_json::Value;

use super::http::ProofFields;
use super::{ensure, Check, Miss, Suite, API_SCOPES};

/// The paths docs/api.md §5 lists, with every parameter written `{}`.
const DOCUMENTED_PATHS: &[&str] = &[
    "/api/v1/grants",
    "/api/v1/businesses/{}/sites",
    "/api/v1/businesses/{}/sites/{}",
    "/api/v1/businesses/{}/sites/{}/places",
    "/api/v1/businesses/{}/sites/{}/roster",
    "/api/v1/businesses/{}/sites/{}/touches",
    "/api/v1/businesses/{}/sites/{}/records",
    "/api/v1/businesses/{}/workers",
    "/api/v1/businesses/{}/workers/{}/records",
];

/// A path template with its parameters' names left out.
fn shape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

impl Suite {
    /// `GET /api/v1/openapi.json`: an OpenAPI 3.1 document with every endpoint and the bearer
    /// scheme.
    pub(super) async fn openapi(&mut self) -> Check {
        let a = self
            .portal
            .call(
                reqwest::Method::GET,
                "/api/v1/openapi.json",
                None,
                None,
                None,
            )
            .await?;
        a.expect(200)?;
        let version = a.str("openapi").unwrap_or_default();
        ensure(version.starts_with("3.1"), || {
            format!("\"openapi\" is {version:?}, not 3.1.x")
        })?;
        let paths: Vec<String> = a
            .json
            .get("paths")
            .and_then(Value::as_object)
            .map(|m| m.keys().map(|k| shape(k)).collect())
            .unwrap_or_default();
        let missing: Vec<&str> = DOCUMENTED_PATHS
            .iter()
            .copied()
            .filter(|p| !paths.iter().any(|q| q == p))
            .collect();
        ensure(missing.is_empty(), || {
            format!("the document lacks {}", missing.join(", "))
        })?;
        let schemes = &a.json["components"]["securitySchemes"];
        ensure(
            schemes
                .as_object()
                .is_some_and(|m| m.values().any(|s| s["scheme"] == "bearer")),
            || "no bearer security scheme".into(),
        )
    }

    /// `POST /oauth/token` with `grant_type=client_credentials` and the client's proof.
    pub(super) async fn client_credentials(&mut self) -> Check {
        let (a, token) = self.portal.token(None).await?;
        a.expect(200)?;
        a.expect_no_store()?;
        ensure(
            a.str("token_type")
                .is_some_and(|t| t.eq_ignore_ascii_case("bearer")),
            || format!("token_type is not Bearer: {}", a.brief()),
        )?;
        ensure(
            a.json
                .get("expires_in")
                .and_then(Value::as_u64)
                .is_some_and(|s| s > 0),
            || "expires_in is not a positive number of seconds".into(),
        )?;
        let Some(token) = token else {
            return Err(Miss::Fail("no access_token".into()));
        };
        ensure(
            token
                .scopes
                .iter()
                .any(|s| API_SCOPES.contains(&s.as_str())),
            || format!("the token carries no API scope: {:?}", token.scopes),
        )?;
        self.token = Some(token);
        Ok(())
    }

    /// A token asked for one scope carries that scope alone.
    pub(super) async fn narrowed_scope(&mut self) -> Check {
        let token = self.token()?;
        let Some(scope) = token
            .scopes
            .iter()
            .find(|s| API_SCOPES.contains(&s.as_str()))
            .cloned()
        else {
            return Err(Miss::Fail("the token carries no API scope".into()));
        };
        let (a, narrow) = self.portal.token(Some(&scope)).await?;
        a.expect(200)?;
        let got = narrow.map(|t| t.scopes).unwrap_or_default();
        ensure(got == [scope.clone()], || {
            format!("asked for {scope}, the token carries {got:?}")
        })
    }

    /// No proof, a wrong proof, and (for a key) an assertion sent twice: `invalid_client`.
    pub(super) async fn invalid_client(&mut self) -> Check {
        let grant = [("grant_type", "client_credentials")];
        let a = self
            .portal
            .oauth_with("/oauth/token", &grant, ProofFields::None)
            .await?;
        a.expect_oauth_error(401, "invalid_client")
            .map_err(|m| prefixed("without any proof", m))?;
        match self.portal.proof() {
            super::http::Proof::Secret(secret) => {
                let wrong = ProofFields::Basic {
                    id: self.portal.client_id.clone(),
                    secret: format!("{secret}-wrong"),
                };
                let a = self
                    .portal
                    .oauth_with("/oauth/token", &grant, wrong)
                    .await?;
                a.expect_oauth_error(401, "invalid_client")
                    .map_err(|m| prefixed("with a wrong secret", m))?;
                ensure(!a.header("www-authenticate").is_empty(), || {
                    "a refused HTTP Basic proof has no WWW-Authenticate (RFC 6749 §5.2)".into()
                })?;
            }
            super::http::Proof::Key { .. } => {
                let elsewhere = self
                    .portal
                    .assertion_for("https://conformance.invalid/oauth/token")?;
                let proof = self.portal.proof_fields(elsewhere.as_deref());
                let a = self
                    .portal
                    .oauth_with("/oauth/token", &grant, proof)
                    .await?;
                a.expect_oauth_error(401, "invalid_client")
                    .map_err(|m| prefixed("with an assertion for another audience", m))?;
                let once = self.portal.assertion_for(&self.portal.token_endpoint())?;
                let first = self
                    .portal
                    .oauth_with(
                        "/oauth/token",
                        &grant,
                        self.portal.proof_fields(once.as_deref()),
                    )
                    .await?;
                first
                    .expect(200)
                    .map_err(|m| prefixed("with a fresh assertion", m))?;
                let again = self
                    .portal
                    .oauth_with(
                        "/oauth/token",
                        &grant,
                        self.portal.proof_fields(once.as_deref()),
                    )
                    .await?;
                again
                    .expect_oauth_error(401, "invalid_client")
                    .map_err(|m| prefixed("with the same assertion again (jti)", m))?;
            }
        }
        Ok(())
    }

    /// A grant type the portal does not know: `unsupported_grant_type`.
    pub(super) async fn unsupported_grant_type(&mut self) -> Check {
        let a = self
            .portal
            .oauth(
                "/oauth/token",
                &[
                    ("grant_type", "password"),
                    ("username", "conformance"),
                    ("password", "conformance"),
                ],
            )
            .await?;
        a.expect_oauth_error(400, "unsupported_grant_type")
    }

    /// A scope the client is not registered for (or, for a client with every API scope, one
    /// that does not exist): `invalid_scope`.
    pub(super) async fn invalid_scope(&mut self) -> Check {
        let token = self.token()?;
        let lacking = API_SCOPES
            .iter()
            .find(|s| !token.scopes.iter().any(|t| t == *s))
            .copied()
            .unwrap_or("conformance:unknown");
        let (a, _) = self.portal.token(Some(lacking)).await?;
        a.expect_oauth_error(400, "invalid_scope")
            .map_err(|m| prefixed(&format!("asking for {lacking}"), m))
    }

    /// The client's own token, introspected: active, its client and scopes.
    pub(super) async fn introspect_active(&mut self) -> Check {
        let token = self.token()?.clone();
        let a = self
            .portal
            .oauth("/oauth/introspect", &[("token", &token.access_token)])
            .await?;
        a.expect(200)?;
        ensure(a.json.get("active") == Some(&Value::Bool(true)), || {
            format!("the token is not active: {}", a.brief())
        })?;
        ensure(
            a.str("client_id") == Some(self.portal.client_id.as_str()),
            || format!("client_id is not this client's: {}", a.brief()),
        )?;
        let scopes: Vec<&str> = a.str("scope").unwrap_or_default().split(' ').collect();
        ensure(
            token.scopes.iter().all(|s| scopes.contains(&s.as_str())),
            || format!("scope differs from the token's: {}", a.brief()),
        )?;
        let (exp, iat) = (
            a.json.get("exp").and_then(Value::as_i64),
            a.json.get("iat").and_then(Value::as_i64),
        );
        ensure(matches!((exp, iat), (Some(e), Some(i)) if e > i), || {
            format!("exp and iat are not times: {}", a.brief())
        })
    }

    /// A token the portal never issued, introspected: not active, and nothing more said.
    pub(super) async fn introspect_inactive(&mut self) -> Check {
        self.token()?;
        let a = self
            .portal
            .oauth(
                "/oauth/introspect",
                &[("token", "ccusa_conformance_never_issued")],
            )
            .await?;
        a.expect(200)?;
        ensure(a.json.get("active") == Some(&Value::Bool(false)), || {
            format!("an unknown token is not answered inactive: {}", a.brief())
        })?;
        ensure(a.json.get("client_id").is_none(), || {
            "an inactive token's answer names a client".into()
        })
    }

    /// Introspection without the client's proof: `invalid_client`.
    pub(super) async fn introspect_unproved(&mut self) -> Check {
        let token = self.token()?.access_token.clone();
        let a = self
            .portal
            .oauth_with("/oauth/introspect", &[("token", &token)], ProofFields::None)
            .await?;
        a.expect_oauth_error(401, "invalid_client")
    }

    /// A token revoked by its client stops at once: 401 on the API, inactive when
    /// introspected.
    pub(super) async fn revoke(&mut self) -> Check {
        self.token()?;
        let (a, fresh) = self.portal.token(None).await?;
        a.expect(200)
            .map_err(|m| prefixed("getting a token to revoke", m))?;
        let Some(fresh) = fresh else {
            return Err(Miss::Fail("no access_token to revoke".into()));
        };
        let before = self
            .portal
            .get("/api/v1/grants", &fresh.access_token)
            .await?;
        before
            .expect(200)
            .map_err(|m| prefixed("before revoking", m))?;
        let a = self
            .portal
            .oauth("/oauth/revoke", &[("token", &fresh.access_token)])
            .await?;
        a.expect(200)?;
        let after = self
            .portal
            .get("/api/v1/grants", &fresh.access_token)
            .await?;
        after
            .expect_problem(401, "invalid-token")
            .map_err(|m| prefixed("the revoked token still works", m))?;
        let a = self
            .portal
            .oauth("/oauth/introspect", &[("token", &fresh.access_token)])
            .await?;
        ensure(a.json.get("active") == Some(&Value::Bool(false)), || {
            format!("the revoked token is introspected active: {}", a.brief())
        })
    }
}

/// A miss with what was being done.
pub(super) fn prefixed(what: &str, m: Miss) -> Miss {
    match m {
        Miss::Fail(why) => Miss::Fail(format!("{what}: {why}")),
        Miss::Skip(why) => Miss::Skip(why),
    }
}

#[cfg(test)]
mod tests {
    use super::shape;

    #[test]
    fn parameter_names_are_left_out_of_paths() {
        assert_eq!(
            shape("/api/v1/businesses/{business_id}/sites/{site_id}"),
            "/api/v1/businesses/{}/sites/{}"
        );
        assert_eq!(shape("/api/v1/grants"), "/api/v1/grants");
    }
}
