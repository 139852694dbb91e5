//! The consent page of the authorization-code flow for a business
//! (`/ccus_owner/oauth/authorize`): a system sends a 管理者ID here, the login comes first when
//! needed (the portal's own, with everything that goes with it), then the person sees the
//! system, its maker and what it asks for, and allows or refuses. The decisions are
//! [`ccus_app::api::consent`]'s.

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ccus_app::api::consent::{self, AuthorizeRequest, Checked, Decided};
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::forms::{lenient_query, CheckedForm};
use crate::pages::html;
use crate::present::Notice;
use crate::security::CsrfCookie;
use crate::session::{CsrfToken, SignedIn};
use crate::sites::Reader;
use crate::{i18n, AppState};

use super::systems::scope_words;
use super::views::ConsentPage;

/// The parameters of an authorization request, from the query or the consent form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct Params {
    response_type: String,
    client_id: String,
    redirect_uri: String,
    scope: String,
    state: String,
    code_challenge: String,
    code_challenge_method: String,
    /// The person's answer (`allow` or anything else).
    decision: String,
}

impl Params {
    fn request(&self) -> AuthorizeRequest {
        AuthorizeRequest {
            response_type: self.response_type.clone(),
            client_id: self.client_id.clone(),
            redirect_uri: self.redirect_uri.clone(),
            scope: self.scope.clone(),
            state: self.state.clone(),
            code_challenge: self.code_challenge.clone(),
            code_challenge_method: self.code_challenge_method.clone(),
        }
    }
}

/// A request that cannot go back to the system: told to the person.
fn stopped(r: &Reader, key: &str) -> WebResult<Response> {
    let page = ConsentPage {
        chrome: r.chrome(&i18n::t("consent-title")),
        notice: Some(Notice::new("error", i18n::t(key))),
        system: None,
        scopes: Vec::new(),
        business: r.ctx.business.name.clone(),
        fields: Vec::new(),
        may_grant: false,
        csrf_token: r.csrf.clone(),
    };
    html(StatusCode::BAD_REQUEST, &page)
}

/// `GET /ccus_owner/oauth/authorize?response_type=code&client_id=…&redirect_uri=…&scope=…
/// &state=…&code_challenge=…&code_challenge_method=S256`.
pub(super) async fn page(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let p: Params = lenient_query(&uri);
    let req = p.request();
    let (client, scopes) = match consent::check(&r.state, &req).await? {
        Checked::Ask { client, scopes } => (client, scopes),
        Checked::Stop(s) => return stopped(&r, s.key()),
        Checked::Back(url) => return Ok(Redirect::to(&url).into_response()),
    };
    let may_grant = ccus_app::api::grants::may_grant(&r.ctx);
    let target = req.redirect_uri.clone();
    let fields = vec![
        ("response_type", req.response_type),
        ("client_id", req.client_id),
        ("redirect_uri", req.redirect_uri),
        ("scope", scopes.to_string()),
        ("state", req.state),
        ("code_challenge", req.code_challenge),
        ("code_challenge_method", req.code_challenge_method),
    ];
    let page = ConsentPage {
        chrome: r.chrome(&i18n::t("consent-title")),
        notice: (!may_grant).then(|| Notice::new("warning", i18n::t("consent-may-not"))),
        system: Some((client.name.clone(), client.vendor.clone())),
        scopes: scopes.iter().map(scope_words).collect(),
        business: r.ctx.business.name.clone(),
        fields,
        may_grant,
        csrf_token: r.csrf.clone(),
    };
    Ok(crate::middleware::sends_forms_to(
        html(StatusCode::OK, &page)?,
        &target,
    ))
}

/// `POST /ccus_owner/oauth/authorize`: the request's parameters and `decision`.
pub(super) async fn decide(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(p): CheckedForm<Params>,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let allow = p.decision == "allow";
    match consent::decide(&r.state, &r.ctx, &p.request(), allow).await? {
        // The system's own address, checked against what it registered.
        Decided::Back(url) => Ok(Redirect::to(&url).into_response()),
        Decided::Stop(s) => stopped(&r, s.key()),
        Decided::Forbidden => Err(WebError::NotPermitted("consent-may-not")),
    }
}
