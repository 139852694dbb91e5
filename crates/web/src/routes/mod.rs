//! Routes in folders by area — `portal/` (both login portals, recovery, the account's own
//! changes), `public/` (top page, information, the inquiry form), `helpdesk/` (the staff
//! console) — and what they share: the form extractors (the anti-forgery check lives in
//! [`CheckedForm`]), token pages and rendering.

mod apply;
pub mod helpdesk;
mod portal;
mod public;

use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::Router;
use serde::de::DeserializeOwned;

use crate::error::WebError;
use crate::AppState;

pub(crate) fn routes(state: &AppState) -> Router<AppState> {
    public::routes(state)
        .merge(apply::routes(state))
        .merge(portal::routes())
        .merge(helpdesk::routes())
        // Set last: it applies to every route registered before it.
        .method_not_allowed_fallback(|| async { WebError::MethodNotAllowed })
}

/// A form body; anything unreadable (bad encoding, invalid UTF-8, too large) becomes a
/// Japanese error page instead of a plain-text rejection. Invalid UTF-8 — raw or
/// percent-encoded, in a name or a value — is refused, never decoded to U+FFFD.
pub(crate) struct HtmlForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for HtmlForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bad = |detail: String| WebError::BadRequest {
            status: StatusCode::BAD_REQUEST,
            detail,
        };
        if req.method() == axum::http::Method::GET || req.method() == axum::http::Method::HEAD {
            return match axum::Form::<T>::from_request(req, state).await {
                Ok(axum::Form(v)) => Ok(HtmlForm(v)),
                Err(e) => Err(bad(e.body_text())),
            };
        }
        let form_type = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|m| {
                m.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            });
        if !form_type {
            return Err(bad("not a form-urlencoded body".into()));
        }
        let body = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| WebError::BadRequest {
                status: if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    StatusCode::PAYLOAD_TOO_LARGE
                } else {
                    StatusCode::BAD_REQUEST
                },
                detail: e.body_text(),
            })?;
        if !form_is_utf8(&body) {
            return Err(bad("form body is not valid UTF-8".into()));
        }
        serde_urlencoded::from_bytes(&body)
            .map(HtmlForm)
            .map_err(|e| bad(e.to_string()))
    }
}

/// Whether every name and value of an `application/x-www-form-urlencoded` body is valid UTF-8
/// once its percent escapes are decoded (an escape that is not `%` and two hex digits stays as
/// it is, as the decoder keeps it).
pub(crate) fn form_is_utf8(body: &[u8]) -> bool {
    body.split(|b| *b == b'&').all(|pair| {
        let mut out = Vec::with_capacity(pair.len());
        let mut i = 0;
        while i < pair.len() {
            let hex = |b: Option<&u8>| b.and_then(|b| char::from(*b).to_digit(16));
            match (pair[i], hex(pair.get(i + 1)), hex(pair.get(i + 2))) {
                (b'%', Some(h), Some(l)) => {
                    // Both are below 16.
                    out.push(u8::try_from(h * 16 + l).unwrap_or(0));
                    i += 3;
                }
                (b, _, _) => {
                    out.push(b);
                    i += 1;
                }
            }
        }
        // `=` and `+` are ASCII, so checking the whole pair checks the name and the value.
        std::str::from_utf8(&out).is_ok()
    })
}

/// A form body whose anti-forgery token has been checked against the browser's cookie. Every
/// POST handler of an HTML form takes its body through this extractor, so none can forget the
/// check. An unreadable body is a 400 page (as [`HtmlForm`]); a missing or foreign token a 403.
pub(crate) struct CheckedForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CheckedForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        #[derive(Default, serde::Deserialize)]
        #[serde(default)]
        struct Token {
            csrf_token: String,
        }
        let cookie = req
            .extensions()
            .get::<crate::middleware::CsrfCookie>()
            .cloned();
        let HtmlForm(pairs) = HtmlForm::<Vec<(String, String)>>::from_request(req, state).await?;
        let encoded = serde_urlencoded::to_string(&pairs).map_err(|e| WebError::BadRequest {
            status: StatusCode::BAD_REQUEST,
            detail: e.to_string(),
        })?;
        let form: T = serde_urlencoded::from_str(&encoded).map_err(|e| WebError::BadRequest {
            status: StatusCode::BAD_REQUEST,
            detail: e.to_string(),
        })?;
        let token: Token = serde_urlencoded::from_str(&encoded).unwrap_or_default();
        crate::session::check_csrf(state, cookie.as_ref(), &token.csrf_token)?;
        Ok(CheckedForm(form))
    }
}

/// A multipart form whose anti-forgery token has been checked before any other part is read.
/// The token must be the form's first part (the pages put the hidden `csrf_token` input first,
/// and browsers send parts in the order of the page), so a forged upload is refused before a
/// byte of its file is read or stored. A missing or foreign token is a 403, as for
/// [`CheckedForm`]; the handler reads the remaining parts.
pub(crate) struct CheckedMultipart(pub axum::extract::Multipart);

/// The most bytes read of the token part.
const TOKEN_PART_BYTES: usize = 1024;

impl FromRequest<AppState> for CheckedMultipart {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let cookie = req
            .extensions()
            .get::<crate::middleware::CsrfCookie>()
            .cloned();
        let mut multipart = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|e| WebError::BadRequest {
                status: StatusCode::BAD_REQUEST,
                detail: e.body_text(),
            })?;
        let mut token = Vec::new();
        if let Ok(Some(mut first)) = multipart.next_field().await {
            if first.name() == Some("csrf_token") && first.file_name().is_none() {
                while let Ok(Some(chunk)) = first.chunk().await {
                    if token.len() + chunk.len() > TOKEN_PART_BYTES {
                        token.clear();
                        break;
                    }
                    token.extend_from_slice(&chunk);
                }
            }
        }
        let token = String::from_utf8(token).unwrap_or_default();
        crate::session::check_csrf(state, cookie.as_ref(), token.trim())?;
        Ok(CheckedMultipart(multipart))
    }
}

/// `?token=…` of a link from a mail.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct TokenQuery {
    pub token: String,
}

/// The confirmation form behind a link from a mail.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(crate) struct TokenForm {
    pub csrf_token: String,
    pub token: String,
}

/// Pages that carry a token in their address must not leak it to another site in a Referer.
///
/// `same-origin`, not `no-referrer`: under `no-referrer` browsers also hide the page's origin
/// from its own form posts (`Origin: null`), which made every form behind a mailed link look
/// cross-site. With `same-origin` other sites get no referrer at all, and our own forms keep a
/// real `Origin`. Set explicitly, so a change of the site-wide default cannot leak tokens.
pub(crate) fn token_page(mut resp: axum::response::Response) -> axum::response::Response {
    resp.headers_mut().insert(
        axum::http::header::REFERRER_POLICY,
        axum::http::HeaderValue::from_static("same-origin"),
    );
    resp
}

/// Query parameters, read leniently: an unreadable query is treated as empty.
pub(crate) fn lenient_query<T: DeserializeOwned + Default>(uri: &axum::http::Uri) -> T {
    axum::extract::Query::<T>::try_from_uri(uri)
        .map(|q| q.0)
        .unwrap_or_default()
}

/// Renders a page with a status.
pub(crate) fn html(
    status: StatusCode,
    page: &impl askama::Template,
) -> Result<axum::response::Response, WebError> {
    use axum::response::IntoResponse;
    Ok((status, axum::response::Html(page.render()?)).into_response())
}

/// The page a link from a mail opens: what will happen and one button, so that mail scanners
/// opening the link never use it up. The token never leaks in a Referer.
pub(crate) fn confirm_page(
    title: &str,
    intro: Vec<String>,
    action: String,
    csrf_token: String,
    token: &str,
    submit: &str,
) -> Result<axum::response::Response, WebError> {
    let page = crate::views::FormPage {
        chrome: crate::views::Chrome::titled(title),
        heading: title.to_owned(),
        notice: None,
        intro,
        action,
        csrf_token,
        hidden: vec![("token", token.to_owned())],
        fields: vec![],
        submit: submit.to_owned(),
        links: vec![],
        passkey: None,
    };
    Ok(token_page(html(StatusCode::OK, &page)?))
}

/// What every passkey page shows for `holder`: its passkeys, and (when passkeys can be used)
/// the registration options as JSON for the page's script with their ceremony.
pub(crate) async fn passkey_page_parts(
    state: &AppState,
    holder: ccus_app::auth::passkeys::Holder<'_>,
) -> Result<(Vec<crate::views::PasskeyRow>, Option<String>, String), WebError> {
    let rows = ccus_app::auth::passkeys::list(state, holder)
        .await?
        .into_iter()
        .map(|p| crate::views::PasskeyRow {
            id: p.id,
            name: p.name,
            created: p.created_at.jst(),
            last_used: p.last_used_at.map(|t| t.jst()).unwrap_or_default(),
        })
        .collect();
    if !ccus_app::auth::passkeys::available(state) {
        return Ok((rows, None, String::new()));
    }
    let c = ccus_app::auth::passkeys::registration_challenge(state, holder).await?;
    let json = script_json(&serde_json::json!({ "publicKey": c.options }));
    Ok((rows, Some(json), c.ceremony))
}

/// JSON that can also sit inside a `<script>` element (`<` escaped).
pub(crate) fn script_json(v: &serde_json::Value) -> String {
    v.to_string().replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::form_is_utf8;

    #[test]
    fn form_bodies_must_be_utf8() {
        assert!(form_is_utf8(b"a=1&b=%E5%B1%A5%E6%AD%B4&c=+x%zz%"));
        assert!(form_is_utf8("name=履歴".as_bytes()));
        assert!(form_is_utf8(b""));
        assert!(!form_is_utf8(b"name=%FF"));
        assert!(!form_is_utf8(b"a=1&%C3=x"));
        assert!(!form_is_utf8(b"name=\xE5\xB1"));
        assert!(!form_is_utf8(b"name=%E5%B1"), "a cut-off character");
        assert!(!form_is_utf8(b"name=%ED%A0%80"), "a surrogate");
    }
}
