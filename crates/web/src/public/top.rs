//! Pages anyone can see: the top page, the stylesheet, health checks, and the 404 page.

use crate::present::Chrome;
use crate::public::views::TopPage;
use askama::Template;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;

use crate::error::{WebError, WebResult};
use crate::AppState;

const STYLESHEET: &str = include_str!("../../static/ccus.css");
/// The login page's proof of work while the portal is busy (the only script).
const POW_SCRIPT: &str = include_str!("../../static/pow.js");
const PASSKEY_SCRIPT: &str = include_str!("../../static/passkey.js");
/// Keeps what was typed into a form when the session ends while it is filled in.
const KEEP_SCRIPT: &str = include_str!("../../static/keep.js");

pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(top))
        .route("/static/ccus.css", get(stylesheet))
        .route("/lang/{code}", get(switch_language))
        .route("/static/pow.js", get(pow_script))
        .route("/static/passkey.js", get(passkey_script))
        .route("/static/keep.js", get(keep_script))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route(
            "/ccus_skill",
            get(|| async { Redirect::to("/ccus_skill/home") }),
        )
        .route(
            "/ccus_skill/",
            get(|| async { Redirect::to("/ccus_skill/home") }),
        )
        .route(
            "/ccus_owner",
            get(|| async { Redirect::to("/ccus_owner/home") }),
        )
        .route(
            "/ccus_owner/",
            get(|| async { Redirect::to("/ccus_owner/home") }),
        )
        .fallback(|| async { WebError::NotFound })
}

async fn top(
    State(state): State<AppState>,
    maintenance: Option<axum::Extension<crate::middleware::Maintenance>>,
) -> WebResult<Html<String>> {
    let mut chrome = Chrome::titled(crate::i18n::t("top-title"));
    chrome.banner = maintenance.map(|m| m.0.banner(state.clock().now()));
    Ok(Html(TopPage { chrome }.render()?))
}

async fn passkey_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        PASSKEY_SCRIPT,
    )
        .into_response()
}

async fn keep_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        KEEP_SCRIPT,
    )
        .into_response()
}

async fn pow_script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        POW_SCRIPT,
    )
        .into_response()
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The process can serve: it is not stopping, and the database answers.
async fn readyz(State(state): State<AppState>) -> Response {
    if state.draining() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(
                header::RETRY_AFTER,
                crate::error::RETRY_AFTER_SECS.to_string(),
            )],
            "draining",
        )
            .into_response();
    }
    match ccus_app::ops::ready(&state).await {
        Ok(()) => "ok".into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                [(
                    header::RETRY_AFTER,
                    crate::error::RETRY_AFTER_SECS.to_string(),
                )],
                "database unavailable",
            )
                .into_response()
        }
    }
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct BackQuery {
    back: String,
}

/// The language switch: remembers the choice (a year) and returns to the page it was on. Someone
/// logged in who picks a language picks it for their mail too — only by a click on one of our
/// own pages (Fetch Metadata `same-origin`), never by a link from another site.
async fn switch_language(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    crate::session::Client(client): crate::session::Client,
) -> Response {
    let q: BackQuery = crate::forms::lenient_query(&uri);
    // Only a path of this site: no scheme, no `//host`, and nothing a browser drops or rewrites
    // while reading a URL (backslashes, whitespace, control characters).
    let back = if q.back.starts_with('/')
        && !q.back.starts_with("//")
        && !q
            .back
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
    {
        q.back
    } else {
        "/".to_owned()
    };
    let mut resp = axum::response::Redirect::to(&back).into_response();
    if let Some(lang) = crate::i18n::Lang::parse(&code) {
        resp.headers_mut().append(
            header::SET_COOKIE,
            state
                .cookies()
                .set_persistent(crate::i18n::LANG_COOKIE, lang.code(), 365 * 24 * 3600),
        );
        let ours = headers
            .get("sec-fetch-site")
            .is_some_and(|v| v.as_bytes() == b"same-origin");
        if let (true, Some(token)) = (
            ours,
            state
                .cookies()
                .get(&headers, crate::security::SESSION_COOKIE),
        ) {
            match ccus_app::auth::login::resume_session(&state, &token, &client).await {
                Ok(ccus_app::auth::login::Resumed::Active(s)) => {
                    ccus_app::i18n::remember(&state, s.account.id, lang).await;
                }
                Ok(_) => {}
                // The switch still works; the mail keeps the language it had.
                Err(e) => tracing::warn!(error = %e, "language switch: session not read"),
            }
        }
    }
    resp
}
