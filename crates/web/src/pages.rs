//! Turning a page into a response: rendered HTML with its status, pages that carry a token
//! in their address (never cached, never sent on as a referrer), the confirm-before-acting
//! page, data for page scripts.

use axum::http::StatusCode;

use crate::error::WebError;
use crate::present::{Chrome, FormPage};

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
    let page = FormPage {
        chrome: Chrome::titled(title),
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

/// JSON that can also sit inside a `<script>` element (`<` escaped).
pub(crate) fn script_json(v: &serde_json::Value) -> String {
    v.to_string().replace('<', "\\u003c")
}
