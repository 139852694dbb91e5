//! The partner API's refusals as RFC 9457 problem details: a stable `code` a program branches
//! on, a `title` and `detail` in the request's language, the request id as `instance`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::PROBLEM_JSON;
use crate::i18n;
use crate::request_id::current_request_id;

/// A refusal of the partner API.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub status: StatusCode,
    /// The catalog key of the title and detail (`api-problem-<code>`), and the `code`.
    pub code: &'static str,
    /// What the detail says beyond the catalog's words (the field at fault), if anything.
    pub extra: Option<String>,
    pub retry_after: Option<u64>,
    /// Answered with `WWW-Authenticate: Bearer` and this error (RFC 6750 §3.1).
    pub bearer_error: Option<&'static str>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str) -> Problem {
        Problem {
            status,
            code,
            extra: None,
            retry_after: None,
            bearer_error: None,
        }
    }

    pub fn with(mut self, extra: impl Into<String>) -> Problem {
        self.extra = Some(extra.into());
        self
    }

    /// 401: no token, or one that is not live.
    pub fn unauthenticated() -> Problem {
        let mut p = Problem::new(StatusCode::UNAUTHORIZED, "invalid-token");
        p.bearer_error = Some("invalid_token");
        p
    }

    /// 403: the token lacks the scope (RFC 6750's `insufficient_scope`).
    pub fn insufficient_scope(scope: &str) -> Problem {
        let mut p = Problem::new(StatusCode::FORBIDDEN, "insufficient-scope").with(scope);
        p.bearer_error = Some("insufficient_scope");
        p
    }

    /// 404: not there, or not the caller's to see (answered alike).
    pub fn not_found() -> Problem {
        Problem::new(StatusCode::NOT_FOUND, "not-found")
    }

    pub fn invalid(extra: impl Into<String>) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, "invalid-request").with(extra)
    }

    pub fn rate_limited(retry_after: u64) -> Problem {
        let mut p = Problem::new(StatusCode::TOO_MANY_REQUESTS, "rate-limited");
        p.retry_after = Some(retry_after);
        p
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let key = format!("api-problem-{}", self.code);
        let mut detail = i18n::t(&format!("{key}-detail"));
        if let Some(extra) = &self.extra {
            detail.push_str(" (");
            detail.push_str(extra);
            detail.push(')');
        }
        let request_id = current_request_id();
        tracing::info!(
            request_id,
            status = self.status.as_u16(),
            code = self.code,
            "API call refused"
        );
        let body = serde_json::json!({
            "type": format!("/problems/{}", self.code),
            "title": i18n::t(&key),
            "status": self.status.as_u16(),
            "detail": detail,
            "instance": request_id,
            "code": self.code,
        });
        let mut resp = (
            self.status,
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            ],
            body.to_string(),
        )
            .into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if let Some(error) = self.bearer_error {
            if let Ok(v) =
                HeaderValue::from_str(&format!("Bearer realm=\"ccus\", error=\"{error}\""))
            {
                resp.headers_mut().insert(header::WWW_AUTHENTICATE, v);
            }
        }
        resp
    }
}
