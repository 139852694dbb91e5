//! Who is asking: the client (address and browser), the portal a path belongs to, and the
//! signed-in session, with server-side idle and absolute timeouts.

use crate::present::staff_chrome;
use crate::present::Chrome;
use crate::present::StaffNav;
use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method};
use axum::response::{IntoResponse, Redirect, Response};
use ccus_app::auth::{ClientInfo, SessionRecord};
use ccus_domain::AccountKind;

use ccus_app::auth::login::{self, Resumed};

use crate::error::WebError;
use crate::security::token_hash;
use crate::security::CsrfCookie;
use crate::security::SESSION_COOKIE;
use crate::AppState;

use axum::http::HeaderMap;
use ccus_app::auth::staff::StaffResumed;
use ccus_app::auth::StaffSession;
use ccus_app::helpdesk::StaffRole;

pub use ccus_app::auth::login::TOUCH_INTERVAL;

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
        Err(WebError::Forgery("anti-forgery token missing or invalid"))
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
        // After logging in again the browser comes back to the page asked for. A GET is
        // replayed as it was; a form sent after the session ended comes back to the page the
        // form was on, where the page script puts back what was typed (never a password).
        let wanted = if parts.method == Method::GET {
            parts.uri.path_and_query().map(|p| p.as_str().to_owned())
        } else {
            form_page_of(parts)
        };
        let to_login = |why: Ended| login_redirect(state, kind, wanted.as_deref(), why);
        let Some(token) = state.cookies().get(&parts.headers, SESSION_COOKIE) else {
            return Err(to_login(Ended::NoSession));
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
            Resumed::TimedOut(id) => return Err(to_login(Ended::TimedOut(id))),
            Resumed::LoggedOut => return Err(to_login(Ended::LoggedOut)),
            Resumed::Stopped => return Err(to_login(Ended::Stopped)),
        };
        if session.account.kind() != kind {
            // Signed in at the other portal: this portal needs its own login.
            return Err(to_login(Ended::NoSession));
        }
        // An initial password must be replaced before anything else.
        let initial = format!("/{}/password/initial", kind.portal());
        if session.account.must_change_password && parts.uri.path() != initial {
            return Err(Redirect::to(&initial).into_response());
        }
        Ok(SignedIn { session, kind })
    }
}

/// The page a form was sent from: the path and query of a same-origin `Referer` (browsers
/// send it under our `Referrer-Policy: same-origin`). `None` when there is none or it names
/// another host; [`safe_next`] still decides whether it may be returned to.
fn form_page_of(parts: &Parts) -> Option<String> {
    let referer = parts.headers.get(header::REFERER)?.to_str().ok()?;
    let host = parts.headers.get(header::HOST)?.to_str().ok()?;
    let rest = referer
        .strip_prefix("https://")
        .or_else(|| referer.strip_prefix("http://"))?;
    let (authority, path) = rest.split_at(rest.find('/')?);
    (authority.eq_ignore_ascii_case(host)).then(|| path.to_owned())
}

/// Why a request has no signed-in session, as the login page should tell it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ended {
    /// No session cookie, or a session of the other portal: nothing to say.
    NoSession,
    /// 「タイムアウトしました」, with the ID filled in again when it is known.
    TimedOut(Option<ccus_domain::LoginId>),
    /// The cookie's session was ended by ログアウト: 「ログアウトしました」.
    LoggedOut,
    /// The 管理者ID was stopped by its business: 「この管理者IDは利用停止中です」.
    Stopped,
}

fn login_redirect(
    state: &AppState,
    kind: AccountKind,
    wanted: Option<&str>,
    why: Ended,
) -> Response {
    let mut url = kind.login_path().to_owned();
    let mut sep = '?';
    let say = match &why {
        Ended::TimedOut(_) => Some("timeout=1"),
        Ended::LoggedOut => Some("logged_out=1"),
        Ended::Stopped => Some("stopped=1"),
        Ended::NoSession => None,
    };
    if let Some(say) = say {
        url.push(sep);
        url.push_str(say);
        sep = '&';
    }
    // Only the ID of the portal's own kind is offered (the ID is digits only).
    if let Ended::TimedOut(Some(id)) = &why {
        if id.kind() == kind {
            url.push(sep);
            url.push_str("login_id=");
            url.push_str(id.as_str());
            sep = '&';
        }
    }
    if let Some(next) = wanted.and_then(|w| safe_next(kind, w)) {
        url.push(sep);
        url.push_str("next=");
        url.push_str(&percent_encode(&next));
    }
    let mut resp = Redirect::to(&url).into_response();
    // The browser's cookie names a session that is over: drop it.
    if say.is_some() {
        resp.headers_mut()
            .append(header::SET_COOKIE, state.cookies().clear(SESSION_COOKIE));
    }
    resp
}

/// Accepts a return path only when it is a page of the same portal on this site, and gives it
/// back normalised, as plain ASCII ready for a `Location` header.
///
/// The path is split into segments, each percent-decoded; `.` and `..` are resolved the way a
/// browser resolves them. Refused: anything but an absolute path (`//`, a scheme), a backslash,
/// a control or space character, an encoded `/`, `\` or `%` (double encoding), a `..` above
/// the root, invalid UTF-8, and the login and logout pages. What is left must start with
/// `/ccus_skill/` (or `/ccus_owner/`). Non-ASCII is percent-encoded in the result.
pub fn safe_next(kind: AccountKind, next: &str) -> Option<String> {
    // Long enough for a connected service's authorization request (a signed `state`, a long
    // `redirect_uri`), which must survive the login.
    if next.len() > 2048 || next.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    // A fragment is never sent to a server; drop it.
    let next = next.split('#').next().unwrap_or("");
    let (path, query) = match next.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (next, None),
    };
    // `//` is refused in the path; in the query (a service's `redirect_uri=https://…`) every
    // `/` is encoded below, so the result never holds `//` either.
    if !path.starts_with('/') || path.contains("//") || next.contains('\\') {
        return None;
    }
    let mut segments: Vec<String> = Vec::new();
    let raw: Vec<&str> = path[1..].split('/').collect();
    let last = raw.len() - 1;
    for (i, seg) in raw.iter().enumerate() {
        let decoded = percent_decode_segment(seg)?;
        let dot = matches!(decoded.as_str(), "." | "..");
        match decoded.as_str() {
            "." => {}
            ".." => {
                segments.pop()?;
            }
            _ => {
                // An empty segment can only be the last one (a trailing slash); `//` is
                // already refused.
                if decoded.is_empty() && i != last {
                    return None;
                }
                segments.push(decoded);
            }
        }
        // `a/..` or `a/.` at the end still names a folder: keep the trailing slash.
        if i == last && dot {
            segments.push(String::new());
        }
    }
    if segments.first().map(String::as_str) != Some(kind.portal()) || segments.len() < 2 {
        return None;
    }
    if segments
        .iter()
        .skip(1)
        .any(|s| s == "login" || s == "logout")
    {
        return None;
    }
    let mut out = String::with_capacity(next.len() + 8);
    for seg in &segments {
        out.push('/');
        encode_into(&mut out, seg, PATH_SAFE);
    }
    if let Some(q) = query {
        out.push('?');
        encode_query_into(&mut out, q);
    }
    Some(out)
}

/// Characters a path segment may hold as they are (RFC 3986 `pchar` without `%`).
const PATH_SAFE: &str = "-._~!$&'()*+,;=:@";

/// Percent-decodes one path segment. `None` for a malformed escape, invalid UTF-8, or a
/// decoded `/`, `\\`, `%` or control character.
fn percent_decode_segment(seg: &str) -> Option<String> {
    let bytes = seg.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = seg.get(i + 1..i + 3)?;
            let b = u8::from_str_radix(hex, 16).ok()?;
            if !hex.bytes().all(|h| h.is_ascii_hexdigit()) {
                return None;
            }
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let s = String::from_utf8(out).ok()?;
    if s.chars()
        .any(|c| matches!(c, '/' | '\\' | '%') || c.is_control() || c.is_whitespace())
    {
        return None;
    }
    Some(s)
}

/// Appends `s`, percent-encoding every byte that is not ASCII alphanumeric or in `safe`.
fn encode_into(out: &mut String, s: &str, safe: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || (b.is_ascii() && safe.contains(char::from(b))) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

/// Appends a query as it is where it is valid, keeping its escapes (decoding them would change
/// what `&` and `=` mean); anything else, non-ASCII included, is percent-encoded.
fn encode_query_into(out: &mut String, q: &str) {
    let bytes = q.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        let valid_escape = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@?".contains(&b) || valid_escape {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
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

// ---- helpdesk staff ----------------------------------------------------------------------------

/// The staff session's cookie, scoped to `/helpdesk`.
const STAFF_COOKIE: &str = "ccus_staff";

pub fn set_staff_cookie(state: &AppState, value: &str, max_age: Option<u64>) -> HeaderValue {
    state
        .cookies()
        .set_scoped(STAFF_COOKIE, value, "/helpdesk", max_age)
}

pub fn staff_token(state: &AppState, headers: &HeaderMap) -> Option<String> {
    state.cookies().get_scoped(headers, STAFF_COOKIE)
}

/// A signed-in staff member (second factor done, unless the path is the enrolment page).
pub struct StaffIn {
    pub session: StaffSession,
    pub token_hash: String,
}

impl FromRequestParts<AppState> for StaffIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let to_login = || Redirect::to("/helpdesk/login").into_response();
        let Some(token) = staff_token(state, &parts.headers) else {
            return Err(to_login());
        };
        let hash = token_hash(&token);
        let session = match ccus_app::auth::staff::resume_session(state, &token)
            .await
            .map_err(|e| WebError::from(e).into_response())?
        {
            StaffResumed::Active(s) => *s,
            StaffResumed::TimedOut => {
                return Err(Redirect::to("/helpdesk/login?timeout=1").into_response())
            }
            StaffResumed::Ended => return Err(to_login()),
        };
        if !session.mfa_done && parts.uri.path() != "/helpdesk/enroll" {
            return Err(Redirect::to("/helpdesk/enroll").into_response());
        }
        // A password someone else chose is replaced before any work.
        if session.mfa_done
            && session.staff.must_change_password
            && parts.uri.path() != "/helpdesk/password"
        {
            return Err(Redirect::to("/helpdesk/password").into_response());
        }
        Ok(StaffIn {
            session,
            token_hash: hash,
        })
    }
}

impl StaffIn {
    /// The frame of a console page for this staff member: name, menu and ログアウト.
    pub fn chrome(&self, title: &str, csrf: &str) -> Chrome {
        let s = &self.session.staff;
        Chrome {
            staff: Some(StaffNav {
                name: s.name.clone(),
                staff_id: s.staff_id.clone(),
                supervisor: s.role == StaffRole::Supervisor,
                screener: ccus_app::registration::may_screen(s),
                csrf_token: csrf.to_owned(),
            }),
            ..staff_chrome(title)
        }
    }
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
            "/ccus_skill/../../evil",
            "/ccus_skill/../ccus_owner/home",
            "/ccus_skill/%2e%2e/%2E%2E/evil",
            "/ccus_skill/..%2fevil",
            "/ccus_skill/%2F%2Fevil.example",
            "/ccus_skill/%5Cevil",
            "/ccus_skill/%252e%252e/evil",
            "/ccus_skill/%0d%0aSet-Cookie:%20a=b",
            "/ccus_skill/%ff",
            "/ccus_skill/%zz",
            "/ccus_skill/./../login",
            "/ccus_skill/%6Cogin",
            "/ccus_skill",
            "/ccus_skill/..",
            "/./ccus_skill/.././/evil",
        ] {
            assert_eq!(safe_next(k, bad), None, "{bad}");
        }
    }

    #[test]
    fn next_is_normalised_and_ascii() {
        let k = AccountKind::Technician;
        for (given, want) in [
            ("/ccus_skill/a/../history", "/ccus_skill/history"),
            ("/ccus_skill/./history?page=2", "/ccus_skill/history?page=2"),
            ("/ccus_skill/%68istory", "/ccus_skill/history"),
            ("/ccus_skill/履歴", "/ccus_skill/%E5%B1%A5%E6%AD%B4"),
            (
                "/ccus_skill/%E5%B1%A5%E6%AD%B4",
                "/ccus_skill/%E5%B1%A5%E6%AD%B4",
            ),
            (
                "/ccus_skill/x?q=履歴&a=%26",
                "/ccus_skill/x?q=%E5%B1%A5%E6%AD%B4&a=%26",
            ),
            ("/ccus_skill/x?q=\"<>", "/ccus_skill/x?q=%22%3C%3E"),
            ("/ccus_skill/home#top", "/ccus_skill/home"),
            ("/ccus_skill/a/..", "/ccus_skill/"),
            ("/ccus_skill/", "/ccus_skill/"),
            ("/ccus_skill/?//", "/ccus_skill/?%2F%2F"),
            (
                "/ccus_skill/oauth/authorize?redirect_uri=https://a.example/cb&state=s",
                "/ccus_skill/oauth/authorize?redirect_uri=https:%2F%2Fa.example%2Fcb&state=s",
            ),
        ] {
            assert_eq!(safe_next(k, given).as_deref(), Some(want), "{given}");
        }
    }

    /// Any input: refused, or a path of this portal with no dot segment, in plain ASCII, that
    /// normalises to itself.
    fn check_next(k: AccountKind, input: &str) -> Result<(), proptest::test_runner::TestCaseError> {
        use proptest::prop_assert;
        if let Some(out) = safe_next(k, input) {
            let prefix = format!("/{}/", k.portal());
            prop_assert!(out.starts_with(&prefix), "{out}");
            prop_assert!(
                out.is_ascii() && !out.contains("//") && !out.contains('\\'),
                "{out}"
            );
            prop_assert!(
                !out.chars().any(|c| c.is_control() || c.is_whitespace()),
                "{out}"
            );
            let path = out.split('?').next().unwrap_or("");
            for seg in path.split('/') {
                let decoded = percent_decode_segment(seg);
                prop_assert!(decoded.is_some(), "{out}");
                let d = decoded.unwrap_or_default();
                prop_assert!(d != ".." && d != ".", "{out}");
            }
            prop_assert_eq_idem(k, &out)?;
        }
        Ok(())
    }

    fn prop_assert_eq_idem(
        k: AccountKind,
        out: &str,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        let again = safe_next(k, out);
        proptest::prop_assert_eq!(again.as_deref(), Some(out));
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn next_never_leaves_the_portal(input in ".{0,80}") {
            check_next(AccountKind::Technician, &input)?;
        }

        #[test]
        fn next_from_path_pieces_never_leaves_the_portal(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    "/", "..", ".", "%2e", "%2E", "%2f", "%5c", "\\", "ccus_skill", "ccus_owner",
                    "home", "login", "?", "#", "%", "%25", "履歴", "%E5%B1%A5", "%ff", "a", "&", "=",
                ]),
                0..14,
            )
        ) {
            let input: String = pieces.concat();
            check_next(AccountKind::Technician, &input)?;
            check_next(AccountKind::Technician, &format!("/ccus_skill/{input}"))?;
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
