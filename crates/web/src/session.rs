//! Who is asking: the client (address and browser), the portal a path belongs to, and the
//! signed-in session, with server-side idle and absolute timeouts.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method};
use axum::response::{IntoResponse, Redirect, Response};
use ccus_domain::AccountKind;
use ccus_storage::{ClientInfo, SessionRecord};

use ccus_app::login::{self, Resumed};

use crate::error::WebError;
use crate::middleware::CsrfCookie;
use crate::security::SESSION_COOKIE;
use crate::AppState;

pub use ccus_app::login::TOUCH_INTERVAL;

/// The client address and browser of a request.
pub struct Client(pub ClientInfo);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".into());
        let address = if state.config().trust_forwarded_for {
            // The trusted proxy appends the address it saw: the last entry of the last
            // header line is the only one a client cannot forge.
            parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .next_back()
                .and_then(|v| v.rsplit(',').next())
                .and_then(parse_forwarded_ip)
                .unwrap_or(peer)
        } else {
            peer
        };
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
            .unwrap_or_default();
        // Never let a header's control characters into logs or pages.
        let user_agent: String = user_agent
            .chars()
            .filter(|c| !c.is_control())
            .take(400)
            .collect();
        Ok(Client(ClientInfo {
            address,
            user_agent,
        }))
    }
}

/// An address from `X-Forwarded-For`, with any port or brackets removed.
fn parse_forwarded_ip(raw: &str) -> Option<String> {
    let t = raw.trim();
    if let Ok(ip) = t.parse::<IpAddr>() {
        return Some(ip.to_string());
    }
    if let Ok(sa) = t.parse::<SocketAddr>() {
        return Some(sa.ip().to_string());
    }
    let unbracketed = t.trim_start_matches('[').split(']').next().unwrap_or("");
    unbracketed.parse::<IpAddr>().ok().map(|ip| ip.to_string())
}

/// The portal (技能者 or 事業者) named by the first segment of the path.
pub struct Portal(pub AccountKind);

impl<S: Send + Sync> FromRequestParts<S> for Portal {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let first = parts
            .uri
            .path()
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or("");
        AccountKind::from_portal(first)
            .map(Portal)
            .ok_or(WebError::NotFound)
    }
}

/// The anti-forgery token for this browser's forms.
pub struct CsrfToken(pub String);

impl FromRequestParts<AppState> for CsrfToken {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let cookie = parts
            .extensions
            .get::<CsrfCookie>()
            .ok_or_else(|| WebError::Internal("anti-forgery layer missing".into()))?;
        Ok(CsrfToken(state.csrf().token_for(&cookie.0)))
    }
}

/// Checks a submitted anti-forgery token against the browser's cookie.
pub fn check_csrf(
    state: &AppState,
    parts_cookie: Option<&CsrfCookie>,
    submitted: &str,
) -> Result<(), WebError> {
    if state
        .csrf()
        .verify(parts_cookie.map(|c| c.0.as_str()), submitted)
    {
        Ok(())
    } else {
        Err(WebError::Forbidden("anti-forgery token missing or invalid"))
    }
}

/// A signed-in session of the portal the path belongs to. When there is none, the request is
/// answered with a redirect to that portal's login page (with 「タイムアウトしました」 when a
/// session has just ended), remembering the page that was asked for.
pub struct SignedIn {
    pub session: SessionRecord,
    pub kind: AccountKind,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Portal(kind) = Portal::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        // Only a GET can be replayed after logging in again.
        let wanted = if parts.method == Method::GET {
            parts.uri.path_and_query().map(|p| p.as_str().to_owned())
        } else {
            None
        };
        let to_login = |timed_out: bool| login_redirect(state, kind, wanted.as_deref(), timed_out);
        let Some(token) = state.cookies().get(&parts.headers, SESSION_COOKIE) else {
            return Err(to_login(false));
        };
        let Client(client) = match Client::from_request_parts(parts, state).await {
            Ok(c) => c,
            Err(never) => match never {},
        };
        let session = match login::resume_session(state, &token, &client)
            .await
            .map_err(|e| WebError::from(e).into_response())?
        {
            Resumed::Active(s) => *s,
            Resumed::TimedOut => return Err(to_login(true)),
        };
        if session.account.kind() != kind {
            // Signed in at the other portal: this portal needs its own login.
            return Err(to_login(false));
        }
        // An initial password must be replaced before anything else.
        let initial = format!("/{}/password/initial", kind.portal());
        if session.account.must_change_password && parts.uri.path() != initial {
            return Err(Redirect::to(&initial).into_response());
        }
        Ok(SignedIn { session, kind })
    }
}

fn login_redirect(
    state: &AppState,
    kind: AccountKind,
    wanted: Option<&str>,
    timed_out: bool,
) -> Response {
    let mut url = kind.login_path().to_owned();
    let mut sep = '?';
    if timed_out {
        url.push_str("?timeout=1");
        sep = '&';
    }
    if let Some(next) = wanted.and_then(|w| safe_next(kind, w)) {
        url.push(sep);
        url.push_str("next=");
        url.push_str(&percent_encode(&next));
    }
    let mut resp = Redirect::to(&url).into_response();
    if timed_out {
        resp.headers_mut()
            .append(header::SET_COOKIE, state.cookies().clear(SESSION_COOKIE));
    }
    resp
}

/// Accepts a return path only when it is a page of the same portal on this site: it must
/// start with `/ccus_skill/` (or `/ccus_owner/`), and contain no `//`, backslash, control
/// character or scheme, so it can never send the user to another site.
pub fn safe_next(kind: AccountKind, next: &str) -> Option<String> {
    let prefix = format!("/{}/", kind.portal());
    let ok = next.len() <= 512
        && next.starts_with(&prefix)
        && !next.contains("//")
        && !next.contains('\\')
        && !next.contains("/login")
        && !next.contains("/logout")
        && !next.chars().any(|c| c.is_control() || c.is_whitespace());
    ok.then(|| next.to_owned())
}

/// Percent-encodes everything but unreserved characters and `/`.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A `Set-Cookie` header value that ends the browser's session cookie.
pub fn clear_session_cookie(state: &AppState) -> HeaderValue {
    state.cookies().clear(SESSION_COOKIE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_the_same_portal() {
        let k = AccountKind::Technician;
        assert_eq!(
            safe_next(k, "/ccus_skill/history?page=2").as_deref(),
            Some("/ccus_skill/history?page=2")
        );
        for bad in [
            "https://evil.example/",
            "//evil.example/",
            "/ccus_skill//evil.example",
            "/ccus_skill/\\evil",
            "/ccus_owner/home",
            "/ccus_skill/login",
            "/ccus_skill/x\r\nSet-Cookie: a=b",
            "ccus_skill/home",
        ] {
            assert_eq!(safe_next(k, bad), None, "{bad}");
        }
    }

    #[test]
    fn encoding() {
        assert_eq!(
            percent_encode("/ccus_skill/history?page=2"),
            "/ccus_skill/history%3Fpage%3D2"
        );
    }
}
