//! The one place where a failure becomes an answer. Every refusal and failure is a
//! [`WebError`]: its status, its catalog keys ([`WebError::key`]) and its `Retry-After` are
//! decided here once, and it is answered in one of two forms:
//!
//! - for browsers, the Japanese (or chosen language's) page with the request id, as always;
//! - for clients that ask for JSON — an `Accept` that prefers `application/problem+json` or
//!   `application/json` to `text/html`, or any path under `/api/` — an RFC 9457
//!   `application/problem+json` body with the same status and headers, the same words, and the
//!   message key as `code`.
//!
//! Users get a plain explanation and the request id; the cause goes to the log with the same id,
//! as its whole chain of sources, never to the page or the JSON.

use std::borrow::Cow;

use crate::present::ErrorPage;
use askama::Template;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use ccus_app::error::StoreError;

use crate::request_id::current_request_id;
use crate::AppState;
use ccus_app::hashing::HashError;
use ccus_app::AppError;

pub use ccus_app::error::Cause;

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
    /// A machine client (a card reader) without valid credentials; the catalog key says
    /// which. Answered 401 with `WWW-Authenticate: Bearer`.
    #[error("unauthenticated: {0}")]
    Unauthenticated(&'static str),
    /// The request itself is malformed (bad form encoding, invalid UTF-8, too large…).
    #[error("bad request ({status}): {detail}")]
    BadRequest { status: StatusCode, detail: String },
    /// A maintenance window is on: the portals answer 503 until it ends (`ends`, JST, as
    /// shown), with the operators' `message` and `Retry-After` in seconds.
    #[error("maintenance until {ends}")]
    Maintenance {
        ends: String,
        message: String,
        retry_after: u64,
    },
    /// A dependency is down or overloaded; try again shortly.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A dependency is down or overloaded because of `source`; try again shortly.
    #[error("unavailable: {what}")]
    DependencyFailed {
        what: Cow<'static, str>,
        #[source]
        source: Cause,
    },
    #[error("internal error: {0}")]
    Internal(String),
    /// Something that must not happen, caused by `source`.
    #[error("internal error: {what}")]
    Failed {
        what: Cow<'static, str>,
        #[source]
        source: Cause,
    },
    /// A service failed (storage, hashing, a dependency); temporary failures answer 503.
    #[error(transparent)]
    App(AppError),
    #[error("template")]
    Template(#[from] askama::Error),
}

impl WebError {
    /// `what` is unavailable because of `source` (503).
    pub fn unavailable(what: impl Into<Cow<'static, str>>, source: impl Into<Cause>) -> Self {
        WebError::DependencyFailed {
            what: what.into(),
            source: source.into(),
        }
    }

    /// `what` failed because of `source` (500).
    pub fn internal(what: impl Into<Cow<'static, str>>, source: impl Into<Cause>) -> Self {
        WebError::Failed {
            what: what.into(),
            source: source.into(),
        }
    }

    /// The status of the answer, the same for the page and for problem+json.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            WebError::Forgery(_) | WebError::NotPermitted(_) => StatusCode::FORBIDDEN,
            WebError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            WebError::BadRequest { status, .. } if *status == StatusCode::PAYLOAD_TOO_LARGE => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            WebError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            WebError::Maintenance { .. }
            | WebError::Unavailable(_)
            | WebError::DependencyFailed { .. } => StatusCode::SERVICE_UNAVAILABLE,
            WebError::App(e) if e.is_temporary() => StatusCode::SERVICE_UNAVAILABLE,
            WebError::App(_)
            | WebError::Internal(_)
            | WebError::Failed { .. }
            | WebError::Template(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The catalog keys of the title and of the message: `(title, message)`.
    fn keys(&self) -> (&'static str, &'static str) {
        match self {
            WebError::Maintenance { .. } => ("public-maintenance-title", "public-maintenance-ends"),
            WebError::Forgery(_) => ("public-error-forbidden-title", "public-error-forbidden"),
            WebError::NotPermitted(why) => ("public-error-not-permitted-title", why),
            WebError::Unauthenticated(why) => ("api-unauthenticated-title", why),
            _ => match self.status() {
                StatusCode::NOT_FOUND => ("public-error-not-found-title", "public-error-not-found"),
                StatusCode::METHOD_NOT_ALLOWED => {
                    ("public-error-method-title", "public-error-method")
                }
                StatusCode::PAYLOAD_TOO_LARGE => {
                    ("public-error-too-large-title", "public-error-too-large")
                }
                StatusCode::BAD_REQUEST => {
                    ("public-error-unreadable-title", "public-error-unreadable")
                }
                StatusCode::SERVICE_UNAVAILABLE => ("public-error-busy-title", "public-error-busy"),
                _ => ("public-error-internal-title", "public-error-internal"),
            },
        }
    }

    /// The catalog key of what the reader is told: the refusal's own key for
    /// [`WebError::NotPermitted`], else the kind of failure. It is the problem's `code`.
    pub fn key(&self) -> &'static str {
        self.keys().1
    }

    /// The catalog key of the page's title (and the problem's `title`).
    pub fn title_key(&self) -> &'static str {
        self.keys().0
    }

    /// Seconds the client is asked to wait (`Retry-After`), for a 503.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            WebError::Maintenance { retry_after, .. } => Some(*retry_after),
            _ if self.status() == StatusCode::SERVICE_UNAVAILABLE => Some(RETRY_AFTER_SECS),
            _ => None,
        }
    }

    /// The title and the message in the request's language.
    fn words(&self) -> (String, String) {
        let (title, message) = self.keys();
        let message = match self {
            WebError::Maintenance { ends, .. } => crate::i18n::ta(message, &[("end", ends)]),
            _ => crate::i18n::t(message),
        };
        (crate::i18n::t(title), message)
    }

    /// One log line with the request id, the status, the key and the whole cause chain.
    /// Failures of ours are errors, unavailable dependencies warnings, refusals information.
    fn log(&self, request_id: &str) {
        let status = self.status().as_u16();
        let code = self.key();
        let cause = loggable(&ccus_app::error::chain(self));
        match self {
            WebError::Maintenance { .. } => {
                tracing::debug!(request_id, status, code, "maintenance")
            }
            _ if status == 503 => {
                tracing::warn!(request_id, status, code, error = %cause, "dependency unavailable")
            }
            _ if status >= 500 => {
                tracing::error!(request_id, status, code, error = %cause, "request failed")
            }
            _ => tracing::info!(request_id, status, code, error = %cause, "request refused"),
        }
    }

    /// The page for browsers.
    fn page(&self, request_id: &str) -> Response {
        let (title, message) = self.words();
        let body = match self {
            WebError::Maintenance { message: said, .. } => maintenance_page(&title, message, said),
            _ => ErrorPage::new(&title, &message, request_id).render(),
        };
        let body = body.unwrap_or_else(|_| {
            crate::i18n::ta(
                "public-error-fallback",
                &[("title", &title), ("id", request_id)],
            )
        });
        (self.status(), Html(body)).into_response()
    }

    /// The RFC 9457 problem details for clients that asked for JSON.
    fn problem(&self, request_id: &str, format: &Format) -> Response {
        let (title, mut detail) = self.words();
        if let WebError::Maintenance { message, .. } = self {
            if !message.is_empty() {
                detail.push('\n');
                detail.push_str(message);
            }
        }
        let code = self.key();
        let instance = if request_id == "-" {
            format.path.clone()
        } else {
            request_id.to_owned()
        };
        let mut body = serde_json::json!({
            "type": format!("{}/problems/{code}", format.origin),
            "title": title,
            "status": self.status().as_u16(),
            "detail": detail,
            "instance": instance,
            "code": code,
        });
        if let (Some(secs), Some(map)) = (self.retry_after(), body.as_object_mut()) {
            map.insert("retry_after".into(), secs.into());
        }
        (
            self.status(),
            [(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON))],
            body.to_string(),
        )
            .into_response()
    }
}

/// The operators' maintenance page: when it ends, their message, and where to read more.
fn maintenance_page(title: &str, ends: String, said: &str) -> askama::Result<String> {
    use crate::i18n::t;
    use crate::present::{Chrome, Link, MessagePage, Notice};
    let mut notice = Notice::new("warning", ends);
    if !said.is_empty() {
        notice = notice.line(said.to_owned());
    }
    let page = MessagePage {
        chrome: Chrome::titled(title),
        heading: t("public-maintenance-heading"),
        notice: Some(notice),
        lines: vec![t("public-maintenance-line")],
        links: vec![
            Link::new("/notices", t("public-maintenance-notices")),
            Link::new("/faq", t("public-faq-title")),
        ],
    };
    page.render()
}

/// A cause chain made safe for one log line: no line breaks (a logged input cannot forge a
/// line), and no password inside a URL (`postgres://user:secret@host` → `user:***@host`).
fn loggable(chain: &str) -> String {
    let mut out = String::with_capacity(chain.len());
    let mut rest = chain;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        let authority_end = after
            .find(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace())
            .unwrap_or(after.len());
        let authority = &after[..authority_end];
        match authority.rfind('@') {
            Some(userinfo_end) => {
                let userinfo = &authority[..userinfo_end];
                match userinfo.split_once(':') {
                    Some((user, _secret)) => {
                        out.push_str(user);
                        out.push_str(":***");
                    }
                    None => out.push_str(userinfo),
                }
                out.push_str(&authority[userinfo_end..]);
            }
            None => out.push_str(authority),
        }
        rest = &after[authority_end..];
    }
    out.push_str(rest);
    out.replace('\r', "\\r").replace('\n', "\\n")
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> Self {
        WebError::App(AppError::Store(e))
    }
}

impl From<HashError> for WebError {
    fn from(e: HashError) -> Self {
        WebError::App(AppError::Hash(e))
    }
}

impl From<AppError> for WebError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Forbidden => WebError::NotPermitted("public-refused-role"),
            other => WebError::App(other),
        }
    }
}

/// Seconds a client is asked to wait before retrying after a 503.
pub const RETRY_AFTER_SECS: u64 = 5;

/// The media type of RFC 9457 problem details.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// How the request wants its errors: decided once per request by [`negotiate`].
#[derive(Debug, Clone)]
struct Format {
    problem: bool,
    /// The request's path, the problem's `instance` when there is no request id.
    path: String,
    /// Our public origin, the base of a problem's `type`.
    origin: String,
}

tokio::task_local! {
    static FORMAT: Format;
}

/// Records, for the whole request, whether an error is answered as a page or as
/// problem+json ([`prefers_problem`]).
pub async fn negotiate(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let format = Format {
        problem: prefers_problem(req.headers(), req.uri().path()),
        path: req.uri().path().to_owned(),
        origin: state.config().public_origin().to_owned(),
    };
    FORMAT.scope(format, next.run(req)).await
}

/// True when the client prefers problem+json to a page: any path under `/api/`, or an
/// `Accept` whose most preferred of `application/problem+json`, `application/json` and
/// `text/html` (by quality, then by order) is one of the JSON types. No `Accept`, `*/*` and
/// anything else get the page.
pub(crate) fn prefers_problem(headers: &HeaderMap, path: &str) -> bool {
    if path.starts_with("/api/") {
        return true;
    }
    let mut ranges: Vec<(String, f32)> = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|range| {
            let mut parts = range.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
                .map_or(Some(1.0), |(_, v)| v.trim().parse::<f32>().ok())?;
            matches!(
                media.as_str(),
                "application/problem+json" | "application/json" | "text/html"
            )
            .then_some((media, q))
        })
        .filter(|(_, q)| *q > 0.0)
        .collect();
    // Stable: among equal qualities the order the client wrote decides.
    ranges.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranges
        .first()
        .is_some_and(|(media, _)| media != "text/html")
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let request_id = current_request_id();
        self.log(&request_id);
        let mut resp = match FORMAT.try_with(Clone::clone) {
            Ok(format) if format.problem => self.problem(&request_id, &format),
            _ => self.page(&request_id),
        };
        if let Some(secs) = self.retry_after() {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        if let WebError::Unauthenticated(_) = self {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"ccus\""),
            );
        }
        resp
    }
}

pub type WebResult<T> = Result<T, WebError>;

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use std::sync::{Arc, Mutex};

    fn accept(value: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_static(value));
        h
    }

    #[test]
    fn browsers_get_pages_and_json_clients_get_problems() {
        let page = [
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "text/html, application/json",
            "*/*",
            "application/json;q=0.5, text/html",
            "application/problem+json;q=0, text/html;q=0.1",
            "",
        ];
        for a in page {
            assert!(!prefers_problem(&accept(a), "/ccus_skill/login"), "{a}");
        }
        assert!(!prefers_problem(&HeaderMap::new(), "/ccus_skill/login"));
        let problem = [
            "application/problem+json",
            "application/json",
            "application/json, text/html",
            "Application/Problem+JSON; charset=utf-8, text/html",
            "text/html;q=0.5, application/json",
            "*/*, application/json",
        ];
        for a in problem {
            assert!(prefers_problem(&accept(a), "/ccus_skill/login"), "{a}");
        }
        // The partner API answers problems whatever the client asks for.
        assert!(prefers_problem(&accept("text/html"), "/api/v1/workers"));
        assert!(prefers_problem(&HeaderMap::new(), "/api/v1/workers"));
        assert!(!prefers_problem(&HeaderMap::new(), "/apis"));
    }

    fn format(problem: bool) -> Format {
        Format {
            problem,
            path: "/ccus_skill/home".into(),
            origin: "https://ccus.example.jp".into(),
        }
    }

    async fn answer(e: WebError, problem: bool) -> (StatusCode, HeaderMap, String) {
        let resp = FORMAT.sync_scope(format(problem), || e.into_response());
        let (parts, body) = resp.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
        (
            parts.status,
            parts.headers,
            String::from_utf8(bytes.to_vec()).unwrap(),
        )
    }

    fn every_kind() -> Vec<(WebError, u16, &'static str, Option<u64>)> {
        vec![
            (WebError::NotFound, 404, "public-error-not-found", None),
            (WebError::MethodNotAllowed, 405, "public-error-method", None),
            (
                WebError::Forgery("cross-origin POST"),
                403,
                "public-error-forbidden",
                None,
            ),
            (
                WebError::NotPermitted("org-refused-tier"),
                403,
                "org-refused-tier",
                None,
            ),
            (
                WebError::BadRequest {
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    detail: "length limit".into(),
                },
                413,
                "public-error-too-large",
                None,
            ),
            (
                WebError::BadRequest {
                    status: StatusCode::BAD_REQUEST,
                    detail: "invalid UTF-8".into(),
                },
                400,
                "public-error-unreadable",
                None,
            ),
            (
                WebError::Maintenance {
                    ends: "2025/04/01 06:00".into(),
                    message: "定期点検".into(),
                    retry_after: 3600,
                },
                503,
                "public-maintenance-ends",
                Some(3600),
            ),
            (
                WebError::Unavailable("queue full".into()),
                503,
                "public-error-busy",
                Some(RETRY_AFTER_SECS),
            ),
            (
                WebError::unavailable("attachment storage", std::io::Error::other("disk full")),
                503,
                "public-error-busy",
                Some(RETRY_AFTER_SECS),
            ),
            (
                WebError::from(HashError::Busy),
                503,
                "public-error-busy",
                Some(RETRY_AFTER_SECS),
            ),
            (
                WebError::from(StoreError::Unavailable(sqlx::Error::PoolTimedOut)),
                503,
                "public-error-busy",
                Some(RETRY_AFTER_SECS),
            ),
            (
                WebError::from(StoreError::Conflict),
                500,
                "public-error-internal",
                None,
            ),
            (
                WebError::Internal("layer missing".into()),
                500,
                "public-error-internal",
                None,
            ),
            (
                WebError::internal("QR code", std::io::Error::other("too long")),
                500,
                "public-error-internal",
                None,
            ),
            (
                WebError::from(AppError::Forbidden),
                403,
                "public-refused-role",
                None,
            ),
        ]
    }

    #[tokio::test]
    async fn every_kind_is_a_problem_with_its_status_key_and_words() {
        for (e, status, code, retry) in every_kind() {
            let title = crate::i18n::t(e.title_key());
            let what = e.to_string();
            let (got, headers, body) = answer(e, true).await;
            assert_eq!(got.as_u16(), status, "{what}");
            assert_eq!(headers[header::CONTENT_TYPE], PROBLEM_JSON, "{what}");
            let p: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(p["status"], status, "{what}");
            assert_eq!(p["code"], code, "{what}");
            assert_eq!(
                p["type"],
                format!("https://ccus.example.jp/problems/{code}"),
                "{what}"
            );
            assert_eq!(p["title"], title, "{what}");
            assert!(!title.is_empty() && title != p["code"], "{what}");
            let detail = p["detail"].as_str().unwrap();
            assert!(!detail.is_empty() && !detail.contains(code), "{what}");
            // Outside a request there is no request id: the path names the occurrence.
            assert_eq!(p["instance"], "/ccus_skill/home", "{what}");
            assert_eq!(p["retry_after"].as_u64(), retry, "{what}");
            assert_eq!(
                headers.get(header::RETRY_AFTER).map(|v| v
                    .to_str()
                    .unwrap()
                    .parse::<u64>()
                    .unwrap()),
                retry,
                "{what}"
            );
            // No cause reaches the client.
            for secret in [
                "disk full",
                "too long",
                "layer missing",
                "queue full",
                "UTF-8",
            ] {
                assert!(!body.contains(secret), "{what}: {body}");
            }
        }
    }

    #[tokio::test]
    async fn pages_keep_their_status_headers_and_words() {
        for (e, status, _, retry) in every_kind() {
            let (title, message) = e.words();
            let what = e.to_string();
            let (got, headers, body) = answer(e, false).await;
            assert_eq!(got.as_u16(), status, "{what}");
            assert!(
                headers[header::CONTENT_TYPE]
                    .to_str()
                    .unwrap()
                    .starts_with("text/html"),
                "{what}"
            );
            assert!(body.contains(&title) && body.contains(&message), "{what}");
            assert_eq!(headers.contains_key(header::RETRY_AFTER), retry.is_some());
        }
    }

    #[test]
    fn the_log_line_cannot_be_split_and_hides_url_passwords() {
        assert_eq!(
            loggable("storage: connect postgres://ccus:hunter2@db:5432/ccus?x=1: refused"),
            "storage: connect postgres://ccus:***@db:5432/ccus?x=1: refused"
        );
        assert_eq!(
            loggable("sqlite://data/ccus.db and https://user@host/ and a://b:c@d"),
            "sqlite://data/ccus.db and https://user@host/ and a://b:***@d"
        );
        assert_eq!(loggable("a\r\nforged line"), "a\\r\\nforged line");
    }

    /// Everything the log receives while a test runs.
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

    /// A storage failure answered 500 and one answered 503 through the request-id layer: the
    /// log has the request id and the whole cause chain (without the URL's password), the
    /// page has the request id and none of the chain.
    #[tokio::test]
    async fn the_cause_chain_goes_to_the_log_and_not_to_the_page() {
        use axum::routing::get;
        use tower::ServiceExt;

        // The process-wide subscriber, not a thread-scoped one: tracing caches whether a
        // call site is wanted, and a test on another thread that reaches the same call site
        // first (with no subscriber of its own) would otherwise mark it unwanted for this one.
        static CAPTURED: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
        let captured = CAPTURED
            .get_or_init(|| {
                let captured = Captured::default();
                let subscriber = tracing_subscriber::fmt()
                    .with_writer(captured.clone())
                    .with_ansi(false)
                    .with_max_level(tracing::Level::INFO)
                    .finish();
                tracing::subscriber::set_global_default(subscriber)
                    .expect("no other test sets the global subscriber");
                captured
            })
            .clone();

        let app = axum::Router::new()
            .route(
                "/broken",
                get(|| async {
                    Err::<(), _>(WebError::from(AppError::Store(StoreError::BadUrl(
                        "postgres://ccus:hunter2@db/ccus".into(),
                    ))))
                }),
            )
            .route(
                "/down",
                get(|| async {
                    Err::<(), _>(WebError::from(StoreError::Unavailable(
                        sqlx::Error::PoolTimedOut,
                    )))
                }),
            )
            .layer(axum::middleware::from_fn(crate::middleware::request_id));

        for (path, status, cause) in [
            ("/broken", 500, "unsupported database URL"),
            (
                "/down",
                503,
                &*format!("database unavailable: {}", sqlx::Error::PoolTimedOut),
            ),
        ] {
            let before = captured.0.lock().unwrap().len();
            let resp = app
                .clone()
                .oneshot(
                    axum::http::Request::get(path)
                        .body(axum::body::Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            assert_eq!(resp.status().as_u16(), status);
            let id = resp.headers()["x-request-id"].to_str().unwrap().to_owned();
            let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .unwrap();
            let page = String::from_utf8(bytes.to_vec()).unwrap();
            // Only this request's lines: other tests may log at the same time.
            let log = String::from_utf8(captured.0.lock().unwrap()[before..].to_vec())
                .unwrap()
                .lines()
                .filter(|line| line.contains(&id))
                .collect::<Vec<_>>()
                .join("\n");

            assert!(log.contains(&format!("request_id=\"{id}\"")), "{log}");
            assert!(log.contains(&format!("status={status}")), "{log}");
            assert!(log.contains("error=storage: "), "{log}");
            assert!(log.contains(cause), "{log}");
            assert!(!log.contains("hunter2"), "no password in the log: {log}");
            assert!(page.contains(&id), "the page shows the request id");
            for internal in ["storage", "unsupported", "postgres", "hunter2", "pool"] {
                assert!(!page.contains(internal), "{internal} on the page: {page}");
            }
        }
    }
}
