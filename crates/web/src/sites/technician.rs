//! 就業する現場 at `/ccus_skill/sites`: the sites where the technician is on a company's
//! 作業員名簿, and the companies that ask them to be (they consent or decline).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use ccus_app::sites::roster;
use ccus_domain::site::SiteState;
use ccus_domain::{AccountKind, ListingId};
use serde::Deserialize;

use super::labels::{period, position, trade};
use super::views::{MySiteRow, MySitesPage};
use crate::error::{WebError, WebResult};
use crate::forms::{lenient_query, CheckedForm};
use crate::pages::html;
use crate::present::{chrome, Notice};
use crate::security::CsrfCookie;
use crate::session::{CsrfToken, SignedIn};
use crate::{i18n, AppState};

pub(super) fn routes() -> axum::Router<AppState> {
    let t = AccountKind::Technician.portal();
    Router::new()
        .route(&format!("/{t}/sites"), get(page))
        .route(&format!("/{t}/sites/{{listing}}/{{answer}}"), post(answer))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: String,
}

async fn page(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    if signed_in.kind != AccountKind::Technician {
        return Err(WebError::NotFound);
    }
    let q: DoneQuery = lenient_query(&uri);
    let rows = roster::my_sites(&state, &signed_in.session.account).await?;
    let notice = match q.done.as_str() {
        "accept" => Some(Notice::new("success", i18n::t("my-sites-accepted"))),
        "decline" => Some(Notice::new("success", i18n::t("my-sites-declined"))),
        _ => None,
    };
    let page = MySitesPage {
        chrome: chrome(
            &state,
            &i18n::t("my-sites-title"),
            signed_in.kind,
            &signed_in.session,
            &csrf_cookie,
        ),
        notice,
        rows: rows
            .iter()
            .map(|r| MySiteRow {
                listing: r.listing.get(),
                grouped: r.site.site_id.grouped(),
                name: r.site.name.clone(),
                prime: r.site.prime.name.clone(),
                company: crate::org::business_line(&r.company.name, &r.company.login_id),
                period: period(r.site.records_from, r.site.records_to),
                trade: trade(&r.fields.trade),
                position: position(r.fields.position),
                asked: r.state == "asked",
                closed: r.site.state == SiteState::Closed,
            })
            .collect(),
        csrf_token: csrf,
    };
    html(StatusCode::OK, &page)
}

async fn answer(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path((listing, answer)): Path<(ListingId, String)>,
    CheckedForm(_): CheckedForm<HashMap<String, String>>,
) -> WebResult<Response> {
    if signed_in.kind != AccountKind::Technician {
        return Err(WebError::NotFound);
    }
    let accept = match answer.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return Err(WebError::NotFound),
    };
    let done =
        if roster::answer_listing(&state, &signed_in.session.account, listing, accept).await? {
            format!("?done={answer}")
        } else {
            String::new()
        };
    Ok(Redirect::to(&format!("/ccus_skill/sites{done}")).into_response())
}
