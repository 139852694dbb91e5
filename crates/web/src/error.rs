//! The one place where a failure becomes a page. Users get a plain explanation in their
//! language and the request id; the cause goes to the log with the same id, never to the page.

use crate::present::ErrorPage;
use askama::Template;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use ccus_app::error::StoreError;

use crate::middleware::current_request_id;
use ccus_app::hashing::HashError;
use ccus_app::AppError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A form without a valid anti-forgery token, or a cross-site request.
    #[error("forgery: {0}")]
    Forgery(&'static str),
    /// The person may not do this (their role, their place in the business, their staff
    /// role). The catalog key says what was refused and why, in the reader's language.
    #[error("not permitted: {0}")]
    NotPermitted(&'static str),
    /// The request itself is malformed (bad form encoding, invalid UTF-8, too large…).
    #[error("bad request ({status}): {detail}")]
    BadRequest { status: StatusCode, detail: String },
    /// A dependency is down or overloaded; try again shortly.
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(_) => WebError::Unavailable(e.to_string()),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<HashError> for WebError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => WebError::Unavailable("password hashing queue full".into()),
            HashError::Failed(m) => WebError::Internal(m),
        }
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        // The whole cause chain goes to the log; the page shows none of it.
        let chain = e.chain();
        match e {
            AppError::Store(s) => s.into(),
            AppError::Hash(h) => h.into(),
            AppError::Unavailable(_) => WebError::Unavailable(chain),
            AppError::Internal(_) => WebError::Internal(chain),
            AppError::Forbidden => WebError::NotPermitted("public-refused-role"),
        }
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> Self {
        WebError::Internal(format!("template: {e}"))
    }
}

/// Seconds a client is asked to wait before retrying after a 503.
pub const RETRY_AFTER_SECS: u64 = 5;

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let request_id = current_request_id();
        let (status, key) = match &self {
            WebError::NotFound => (StatusCode::NOT_FOUND, "public-error-not-found"),
            WebError::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "public-error-method"),
            WebError::Forgery(_) => (StatusCode::FORBIDDEN, "public-error-forbidden"),
            WebError::NotPermitted(_) => (StatusCode::FORBIDDEN, "public-error-not-permitted"),
            WebError::BadRequest { status, .. } if *status == StatusCode::PAYLOAD_TOO_LARGE => {
                (StatusCode::PAYLOAD_TOO_LARGE, "public-error-too-large")
            }
            WebError::BadRequest { .. } => (StatusCode::BAD_REQUEST, "public-error-unreadable"),
            WebError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "public-error-busy"),
            WebError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "public-error-internal"),
        };
        let title = crate::i18n::t(&format!("{key}-title"));
        let message = match &self {
            WebError::NotPermitted(why) => crate::i18n::t(why),
            _ => crate::i18n::t(key),
        };
        match &self {
            WebError::Internal(_) => {
                tracing::error!(request_id = %request_id, error = %self, "request failed")
            }
            WebError::Unavailable(_) => {
                tracing::warn!(request_id = %request_id, error = %self, "dependency unavailable")
            }
            _ => tracing::info!(request_id = %request_id, error = %self, "request refused"),
        }
        let page = ErrorPage::new(&title, &message, &request_id);
        let body = page.render().unwrap_or_else(|_| {
            crate::i18n::ta(
                "public-error-fallback",
                &[("title", &title), ("id", &request_id)],
            )
        });
        let mut resp = (status, Html(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
        }
        resp
    }
}

pub type WebResult<T> = Result<T, WebError>;
