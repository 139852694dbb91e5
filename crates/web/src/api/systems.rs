//! 連携システム, a business's page about the systems it lets use its data
//! (`/ccus_owner/systems`): the grants in force with who made them and what they reach, the
//! way to end one, and letting a new system in — by its client ID, shown with its name, maker
//! and the scopes it asks for before anything is granted. For a person who may
//! [`ccus_domain::org::Action::GrantSystems`]; anyone else gets 404.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ccus_app::api::grants::{self, GrantOutcome};
use ccus_domain::api::{Scope, Scopes};
use ccus_domain::GrantId;
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::forms::{lenient_query, CheckedForm};
use crate::pages::html;
use crate::present::Notice;
use crate::security::CsrfCookie;
use crate::session::{CsrfToken, SignedIn};
use crate::sites::Reader;
use crate::{i18n, AppState};

use super::views::{GrantRow, ScopeChoice, SystemsPage};

/// The words of a scope, in the reader's language.
pub(crate) fn scope_words(scope: Scope) -> String {
    i18n::t(&format!("api-scope-{}", scope.code().replace(':', "-")))
}

fn scope_list(list: &str) -> String {
    Scopes::parse(list)
        .unwrap_or_default()
        .iter()
        .map(scope_words)
        .collect::<Vec<_>>()
        .join(&i18n::t("audit-list-separator"))
}

async fn reader(
    state: AppState,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    csrf: String,
) -> WebResult<Reader> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    if !grants::may_grant(&r.ctx) {
        return Err(WebError::NotFound);
    }
    Ok(r)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PageQuery {
    done: String,
    client_id: String,
}

async fn page_of(r: &Reader, q: &PageQuery) -> WebResult<SystemsPage> {
    let list = grants::of_business(&r.state, &r.ctx)
        .await?
        .ok_or(WebError::NotFound)?;
    let rows = list
        .iter()
        .map(|g| GrantRow {
            id: g.id.get(),
            system: g.client_name.clone(),
            vendor: g.vendor.clone(),
            scopes: scope_list(&g.scopes),
            granted_by: crate::present::labels::paren(&g.granted_by_name, &g.granted_by_login),
            granted_at: g.granted_at.jst(),
        })
        .collect();
    let mut page = SystemsPage {
        chrome: r.chrome(&i18n::t("systems-title")),
        notice: None,
        rows,
        client_id: q.client_id.trim().to_owned(),
        client_error: None,
        found: None,
        choices: Vec::new(),
        csrf_token: r.csrf.clone(),
    };
    if !page.client_id.is_empty() {
        match grants::grantable(&r.state, &page.client_id).await? {
            Some(c) => {
                page.found = Some((c.name.clone(), c.vendor.clone()));
                page.choices = Scopes::parse(&c.scopes)
                    .unwrap_or_default()
                    .meet(&Scopes::api())
                    .iter()
                    .map(|s| ScopeChoice {
                        code: s.code(),
                        label: scope_words(s),
                    })
                    .collect();
            }
            None => page.client_error = Some(i18n::t("systems-unknown")),
        }
    }
    Ok(page)
}

/// `GET /ccus_owner/systems` (with `?client_id=` to look a system up before granting).
pub(super) async fn page(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let r = reader(state, signed_in, csrf_cookie, csrf).await?;
    let q: PageQuery = lenient_query(&uri);
    let mut page = page_of(&r, &q).await?;
    page.notice = match q.done.as_str() {
        "granted" => Some(Notice::new("success", i18n::t("systems-granted"))),
        "revoked" => Some(Notice::new("success", i18n::t("systems-revoked"))),
        "gone" => Some(Notice::new("warning", i18n::t("systems-gone"))),
        _ => None,
    };
    let status = if page.client_error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    html(status, &page)
}

/// `POST /ccus_owner/systems`: `client_id` and one field per scope granted (named by its code).
pub(super) async fn grant(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let r = reader(state, signed_in, csrf_cookie, csrf).await?;
    let client_id = form.get("client_id").cloned().unwrap_or_default();
    let scopes = Scopes::of(
        &form
            .keys()
            .filter_map(|k| Scope::parse(k))
            .collect::<Vec<_>>(),
    );
    let q = PageQuery {
        client_id: client_id.clone(),
        ..PageQuery::default()
    };
    let refused = match grants::grant(&r.state, &r.ctx, &client_id, &scopes).await? {
        GrantOutcome::Granted(_) => {
            return Ok(Redirect::to("/ccus_owner/systems?done=granted").into_response())
        }
        GrantOutcome::ScopesNotAllowed => "systems-choose-scopes",
        GrantOutcome::UnknownClient => "systems-unknown",
        GrantOutcome::Forbidden => return Err(WebError::NotFound),
    };
    let mut page = page_of(&r, &q).await?;
    page.notice = Some(Notice::new("error", i18n::t(refused)));
    html(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /ccus_owner/systems/{grant}/revoke`.
pub(super) async fn revoke(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(id): Path<i64>,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let r = reader(state, signed_in, csrf_cookie, csrf).await?;
    let done = if grants::revoke(&r.state, &r.ctx, GrantId::new(id)).await? {
        "revoked"
    } else {
        "gone"
    };
    Ok(Redirect::to(&format!("/ccus_owner/systems?done={done}")).into_response())
}
