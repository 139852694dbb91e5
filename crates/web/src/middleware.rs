//! Layers every request passes through: a request id for logs and error pages, security
//! headers, refusal of cross-site form posts, the Internet Explorer page, and the
//! anti-forgery cookie.

use crate::present::UnsupportedBrowserPage;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use rand::RngCore;
use tracing::Instrument;

use crate::error::WebError;
use crate::security::{random_token, CSRF_COOKIE};
use crate::AppState;

use crate::request_id::REQUEST_ID;

static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Counts each request by its route (the matched path, so that no raw path makes a series of
/// its own), method and status, and times it.
pub async fn count(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = req.method().clone();
    let started = std::time::Instant::now();
    let resp = next.run(req).await;
    let m = state.metrics();
    let status = resp.status().as_u16().to_string();
    m.requests.inc(&[&route, method.as_str(), &status]);
    m.request_seconds.observe(&[&route], started.elapsed());
    resp
}

/// Gives each request an id, logs it, and returns it in `X-Request-Id`.
pub async fn request_id(req: Request, next: Next) -> Response {
    let mut bytes = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let id = hex::encode(bytes);
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.uri().path());
    let started = std::time::Instant::now();
    let mut resp = REQUEST_ID
        .scope(id.clone(), next.run(req))
        .instrument(span.clone())
        .await;
    let elapsed_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
    tracing::debug!(parent: &span, status = resp.status().as_u16(), elapsed_us, "done");
    if let Ok(v) = HeaderValue::from_str(&id) {
        resp.headers_mut().insert(X_REQUEST_ID.clone(), v);
    }
    resp
}

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; \
                   frame-ancestors 'none'";

/// The policy of a page whose form's answer sends the browser on to `redirect_uri` (a
/// registered address of a connected system): the same, with that address's origin allowed as
/// a form target — browsers apply `form-action` to the redirect after a form, too.
fn csp_sending_forms_to(redirect_uri: &str) -> Option<HeaderValue> {
    let origin = match redirect_uri.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            format!("{scheme}://{host}")
        }
        // A custom scheme (an app's): the scheme alone.
        None => format!("{}:", redirect_uri.split(':').next().unwrap_or("")),
    };
    let safe = origin
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b".-+:/[]_".contains(&b));
    if !safe || origin.len() < 3 {
        return None;
    }
    HeaderValue::from_str(&CSP.replace(
        "form-action 'self'",
        &format!("form-action 'self' {origin}"),
    ))
    .ok()
}

/// A consent page: its form's answer goes on to the system's registered address.
pub(crate) fn sends_forms_to(mut resp: Response, redirect_uri: &str) -> Response {
    if let Some(csp) = csp_sending_forms_to(redirect_uri) {
        resp.headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    resp
}

/// Security headers on every response.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    // A page that sends a form on to another site (a consent page) sets its own.
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CSP));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("same-origin"));
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    if !is_static {
        h.entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    if state.config().is_https() {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    resp
}

/// Refuses state-changing requests that a browser says come from another site, before any
/// work is done. The anti-forgery token is what actually guards every form (it is checked
/// on every POST); this is a second, cheaper line:
///
/// - `Sec-Fetch-Site: cross-site` or `same-site` (a sibling host) is refused;
/// - an `Origin` that is neither our public origin nor the host the request was sent to is
///   refused;
/// - `Origin: null` is what browsers send for a same-origin form on a page whose referrer
///   policy hides the origin (and for sandboxed or file pages). It proves nothing either way,
///   so it is accepted only when the browser also says `Sec-Fetch-Site: same-origin` (or
///   `none`, a navigation the user started); a cross-site `null` carries
///   `Sec-Fetch-Site: cross-site` in every browser that sends Fetch Metadata.
pub async fn same_origin_posts(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    match post_origin_verdict(req.headers(), state.config().public_origin()) {
        Ok(()) => next.run(req).await,
        Err(why) => WebError::Forgery(why).into_response(),
    }
}

/// The origin checks of [`same_origin_posts`], on headers alone.
pub(crate) fn post_origin_verdict(
    headers: &axum::http::HeaderMap,
    public_origin: &str,
) -> Result<(), &'static str> {
    let fetch_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    match fetch_site.as_deref() {
        Some("cross-site") => return Err("Sec-Fetch-Site: cross-site"),
        Some("same-site") => return Err("Sec-Fetch-Site: same-site"),
        _ => {}
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().unwrap_or("").trim();
    if origin == "null" {
        return match fetch_site.as_deref() {
            Some("same-origin") | Some("none") => Ok(()),
            _ => Err("Origin: null without Sec-Fetch-Site: same-origin"),
        };
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("");
    if origin == public_origin || (!host.is_empty() && origin_host == host) {
        Ok(())
    } else {
        Err("cross-origin POST")
    }
}

/// Internet Explorer cannot run this site safely; it gets one clear page instead.
pub async fn unsupported_browser(req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let exempt = path.starts_with("/static/") || path == "/healthz" || path == "/readyz";
    let is_ie = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ua| ua.contains("MSIE ") || ua.contains("Trident/"));
    if is_ie && !exempt {
        return match askama::Template::render(&UnsupportedBrowserPage::default()) {
            // 200, not an error status: IE replaces short error pages with its own.
            Ok(body) => (StatusCode::OK, Html(body)).into_response(),
            Err(e) => WebError::from(e).into_response(),
        };
    }
    next.run(req).await
}

pub use crate::security::CsrfCookie;

/// Makes sure every browser has an anti-forgery cookie; handlers read it from the request's
/// extensions to put the matching token in their forms.
pub async fn csrf_cookie(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let existing = state.cookies().get(req.headers(), CSRF_COOKIE);
    let (value, is_new) = match existing {
        Some(v) => (v, false),
        None => (random_token(), true),
    };
    req.extensions_mut().insert(CsrfCookie(value.clone()));
    let mut resp = next.run(req).await;
    if is_new {
        resp.headers_mut()
            .append(header::SET_COOKIE, state.cookies().set(CSRF_COOKIE, &value));
    }
    resp
}

/// Marks a browser that has just changed something, so that its next pages show the change.
const CHANGED_COOKIE: &str = "ccus_changed";

/// With read replicas configured, the pages after a person's own change read from the primary:
/// a change (any request but GET or HEAD) answered without error sets a cookie that lasts a
/// moment longer than a replica may lag (`database.replica_max_lag`), and while a browser
/// holds it every read of its requests goes to the primary. Others read from the replicas.
pub async fn own_changes_fresh(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let db = &state.app().config().database;
    if db.replicas.is_empty() {
        return next.run(req).await;
    }
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD);
    let recent = state.cookies().get(req.headers(), CHANGED_COOKIE).is_some();
    let mut resp = if changes || recent {
        ccus_app::on_primary(next.run(req)).await
    } else {
        next.run(req).await
    };
    if changes && (resp.status().is_success() || resp.status().is_redirection()) {
        let secs = db.replica_max_lag.as_secs_f64().ceil() as u64 + 1;
        resp.headers_mut().append(
            header::SET_COOKIE,
            state.cookies().set_persistent(CHANGED_COOKIE, "1", secs),
        );
    }
    resp
}

/// The maintenance window that matters for this request (active, or announced), for banners.
#[derive(Debug, Clone)]
pub struct Maintenance(pub ccus_app::ops::MaintenanceWindow);

impl Maintenance {
    /// The banner text for pages.
    pub fn banner(&self, now: ccus_domain::Timestamp) -> String {
        let w = &self.0;
        if w.is_active(now) {
            crate::i18n::ta(
                "public-maintenance-banner-active",
                &[("end", &w.ends_at.jst())],
            )
        } else {
            crate::i18n::ta(
                "public-maintenance-banner-planned",
                &[("start", &w.starts_at.jst()), ("end", &w.ends_at.jst())],
            )
        }
    }
}

/// Maintenance windows live in the database, so every instance honours them. During a window
/// the portals (login, logged-in and recovery pages) answer 503 with Retry-After and the end
/// time; health checks, static files and the public information pages keep working.
pub async fn maintenance(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let portal = path.starts_with("/ccus_skill") || path.starts_with("/ccus_owner");
    if !(portal || path == "/" || path == "/notices") {
        return next.run(req).await;
    }
    let now = state.clock().now();
    let window = match ccus_app::ops::current_maintenance(&state, now).await {
        Ok(w) => w,
        // Fail closed for the portals; the public pages can do without a banner.
        Err(e) if portal => return WebError::from(e).into_response(),
        Err(_) => None,
    };
    if let Some(w) = window {
        if portal && w.is_active(now) {
            let secs = u64::try_from((w.ends_at.0 - now.0).max(1000) / 1000).unwrap_or(1);
            return WebError::Maintenance {
                ends: w.ends_at.jst(),
                message: w.message,
                retry_after: secs,
            }
            .into_response();
        }
        req.extensions_mut().insert(Maintenance(w));
    }
    next.run(req).await
}

/// The language of the request: the switch's cookie, else the browser's `Accept-Language`,
/// else Japanese; held for the whole answer ([`crate::i18n`]).
pub async fn language(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let lang = state
        .cookies()
        .get(req.headers(), crate::i18n::LANG_COOKIE)
        .and_then(|c| crate::i18n::Lang::parse(&c))
        .unwrap_or_else(|| {
            crate::i18n::Lang::from_accept_language(
                req.headers()
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or(""),
            )
        });
    let path = req
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned());
    crate::i18n::scope(crate::i18n::Current { lang, path }, next.run(req)).await
}

#[cfg(test)]
mod tests {
    use super::post_origin_verdict;
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    const ORIGIN: &str = "https://ccus.example.jp";

    #[test]
    fn browsers_own_same_origin_posts_pass() {
        for h in [
            headers(&[("origin", ORIGIN), ("sec-fetch-site", "same-origin")]),
            // A token page under a referrer policy that hides the origin, as Chromium sends it.
            headers(&[("origin", "null"), ("sec-fetch-site", "same-origin")]),
            headers(&[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8080"),
            ]),
            // Clients without Origin or Fetch Metadata rely on the anti-forgery token alone.
            headers(&[]),
        ] {
            assert_eq!(post_origin_verdict(&h, ORIGIN), Ok(()), "{h:?}");
        }
    }

    #[test]
    fn other_sites_are_refused() {
        for h in [
            headers(&[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ]),
            headers(&[("origin", "https://evil.example")]),
            headers(&[("origin", "null"), ("sec-fetch-site", "cross-site")]),
            headers(&[("origin", "null")]),
            headers(&[("sec-fetch-site", "same-site")]),
            headers(&[("origin", "https://ccus.example.jp.evil.example")]),
            headers(&[("origin", "")]),
        ] {
            assert!(post_origin_verdict(&h, ORIGIN).is_err(), "{h:?}");
        }
    }
}
