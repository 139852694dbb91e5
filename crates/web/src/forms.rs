//! Reading forms: every POST's anti-forgery check before the handler runs, bodies that are
//! refused as a Japanese page rather than plain text, and queries read leniently.

use crate::error::WebError;
use crate::AppState;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde::Deserialize;

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
            .get::<crate::security::CsrfCookie>()
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
            .get::<crate::security::CsrfCookie>()
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

/// Query parameters, read leniently: an unreadable query is treated as empty.
pub(crate) fn lenient_query<T: DeserializeOwned + Default>(uri: &axum::http::Uri) -> T {
    axum::extract::Query::<T>::try_from_uri(uri)
        .map(|q| q.0)
        .unwrap_or_default()
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
/// A console form with one code (a TOTP code, or nothing but the anti-forgery token).
pub(crate) struct CodeForm {
    pub csrf_token: String,
    pub code: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
/// What a console page was sent back with: what was done, the inquiry being handled.
pub(crate) struct DoneQuery {
    pub(crate) done: String,
    /// The inquiry being handled, when the account was opened from it.
    pub(crate) inquiry: String,
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
