//! A site's card readers at `/ccus_owner/sites/{site}/readers`: their list, a key issued for a
//! new one (shown on the answer to the click, this once), and revoking one.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use ccus_app::records::readers::{self, IssueOutcome};
use ccus_domain::site::SiteState;
use ccus_domain::ReaderId;
use serde::Deserialize;

use super::views::{ReaderRow, ReadersPage};
use crate::error::{WebError, WebResult};
use crate::forms::{lenient_query, CheckedForm};
use crate::pages::html;
use crate::present::Notice;
use crate::security::CsrfCookie;
use crate::session::{CsrfToken, SignedIn};
use crate::sites::{site_id, Reader};
use crate::{i18n, AppState};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct IssueForm {
    name: String,
}

fn path(raw: &str) -> String {
    format!("/ccus_owner/sites/{raw}/readers")
}

/// The page, with a notice, a key just issued, or the name typed back with its error.
async fn render(
    r: &Reader,
    raw: &str,
    notice: Option<Notice>,
    new_key: Option<(String, String)>,
    typed: (String, Option<String>),
) -> WebResult<ReadersPage> {
    let id = site_id(raw)?;
    let (site, list) = readers::readers(&r.state, &r.ctx, &id)
        .await?
        .ok_or(WebError::NotFound)?;
    let jst = |t: ccus_domain::Timestamp| t.jst();
    Ok(ReadersPage {
        chrome: r.chrome(&i18n::ta("readers-title", &[("site", &site.name)])),
        notice,
        site_id: id.as_str().to_owned(),
        site_name: site.name.clone(),
        closed: site.state == SiteState::Closed,
        new_key,
        name_value: typed.0,
        name_error: typed.1,
        rows: list
            .iter()
            .map(|x| ReaderRow {
                id: x.id.get(),
                name: x.name.clone(),
                hint: x.hint.clone(),
                created: jst(x.created_at),
                last_seen: x
                    .last_seen_at
                    .map(jst)
                    .unwrap_or_else(|| i18n::t("readers-never")),
                revoked: x.revoked_at.map(jst),
            })
            .collect(),
        endpoint: format!("{}/api/v1/touches", r.state.config().public_origin()),
        csrf_token: r.csrf.clone(),
    })
}

pub(super) async fn page(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(raw): Path<String>,
    uri: Uri,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let q: DoneQuery = lenient_query(&uri);
    let notice = match q.done.as_str() {
        "revoked" => Some(Notice::new("success", i18n::t("readers-revoked"))),
        "gone" => Some(Notice::new("warning", i18n::t("readers-gone"))),
        _ => None,
    };
    let p = render(&r, &raw, notice, None, (String::new(), None)).await?;
    html(StatusCode::OK, &p)
}

pub(super) async fn issue(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    Path(raw): Path<String>,
    CheckedForm(form): CheckedForm<IssueForm>,
) -> WebResult<Response> {
    let r = Reader::new(state, signed_in, csrf_cookie, csrf).await?;
    let id = site_id(&raw)?;
    match readers::issue(&r.state, &r.ctx, &id, &form.name).await? {
        IssueOutcome::Issued { key, .. } => {
            let p = render(
                &r,
                &raw,
                Some(
                    Notice::new("success", i18n::t("readers-issued"))
                        .line(i18n::t("readers-issued-line")),
                ),
                Some((form.name.trim().to_owned(), key)),
                (String::new(), None),
            )
            .await?;
            html(StatusCode::OK, &p)
        }
        IssueOutcome::Invalid(m) => {
            let p = render(
                &r,
                &raw,
                Some(Notice::new("error", i18n::t("readers-failed"))),
                None,
                (form.name.clone(), Some(i18n::msg(&m))),
            )
            .await?;
            html(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        IssueOutcome::Closed => {
            let p = render(
                &r,
                &raw,
                Some(Notice::new("warning", i18n::t("site-is-closed"))),
                None,
                (form.name.clone(), None),
            )
            .await?;
            html(StatusCode::CONFLICT, &p)
        }
        IssueOutcome::NotFound => Err(WebError::NotFound),
    }
}

pub(super) async fn revoke(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((raw, reader)): Path<(String, ReaderId)>,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    let ctx = crate::sites::context(&state, &signed_in).await?;
    let id = site_id(&raw)?;
    let done = if readers::revoke(&state, &ctx, &id, reader).await? {
        "revoked"
    } else {
        "gone"
    };
    Ok(Redirect::to(&format!("{}?done={done}", path(id.as_str()))).into_response())
}
