//! 現場 and 施工体制 for a business at `/ccus_owner/sites`: the site list with its search,
//! registering and editing a site, one site with its tree and 名簿 (asking companies, answering,
//! withdrawing, listing workers, patterns), what waits for the business, 事業者間合意 and fees;
//! the technician's own sites at `/ccus_skill/sites` (`technician.rs`), and the helpdesk's view
//! (`helpdesk.rs`). Every decision is the application layer's ([`ccus_app::sites`]).

mod chain;
mod form;
mod helpdesk;
pub(crate) mod labels;
mod site;
mod technician;
pub mod views;

use std::collections::HashMap;

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Extension, Router};
use ccus_app::org::OrgContext;
use ccus_app::sites;
use ccus_app::sites::tiers;
use ccus_domain::org::Action;
use ccus_domain::site::SiteState;
use ccus_domain::{AccountKind, SiteId};
use serde::Deserialize;

use crate::error::{WebError, WebResult};
use crate::forms::lenient_query;
use crate::pages::html;
use crate::present::{chrome, Notice};
use crate::security::CsrfCookie;
use crate::session::SignedIn;
use crate::{i18n, AppState};

use labels::*;
use views::*;

pub(crate) fn routes() -> Router<AppState> {
    let b = AccountKind::Business.portal();
    Router::new()
        .route(&format!("/{b}/sites"), get(list))
        .route(
            &format!("/{b}/sites/new"),
            get(form::new_form).post(form::register),
        )
        .route(&format!("/{b}/sites/pending"), get(chain::pending))
        .route(&format!("/{b}/sites/{{site}}"), get(site::page))
        .route(
            &format!("/{b}/sites/{{site}}/edit"),
            get(form::edit_form).post(form::edit),
        )
        .route(
            &format!("/{b}/sites/{{site}}/{{step}}"),
            post(form::open_or_close),
        )
        .route(
            &format!("/{b}/sites/{{site}}/places/{{place}}/invite"),
            post(site::invite),
        )
        .route(
            &format!("/{b}/sites/{{site}}/places/{{place}}/workers"),
            post(site::add_worker),
        )
        .route(
            &format!("/{b}/sites/{{site}}/places/{{place}}/pattern"),
            post(site::apply_pattern),
        )
        .route(
            &format!("/{b}/sites/{{site}}/places/{{place}}/answer/{{step}}"),
            post(site::answer),
        )
        .route(
            &format!("/{b}/sites/{{site}}/workers/{{listing}}/remove"),
            post(site::remove_worker),
        )
        .route(
            &format!("/{b}/sites/{{site}}/patterns"),
            post(site::save_pattern),
        )
        .route(
            &format!("/{b}/sites/{{site}}/patterns/{{pattern}}/delete"),
            post(site::delete_pattern),
        )
        .route(
            &format!("/{b}/agreements"),
            get(chain::agreements).post(chain::offer),
        )
        .route(
            &format!("/{b}/agreements/{{id}}/{{step}}"),
            post(chain::step),
        )
        .route(&format!("/{b}/fees"), get(chain::fees))
        .merge(technician::routes())
        .merge(helpdesk::routes())
}

/// A business reading a sites page: its organisation, and what the page's frame needs.
pub(crate) struct Reader {
    pub(crate) state: AppState,
    pub(crate) signed_in: SignedIn,
    pub(crate) csrf_cookie: Option<Extension<CsrfCookie>>,
    pub(crate) csrf: String,
    pub(crate) ctx: OrgContext,
}

impl Reader {
    /// The reader of a request, or 404 for anyone who is not of a business on sites.
    pub(crate) async fn new(
        state: AppState,
        signed_in: SignedIn,
        csrf_cookie: Option<Extension<CsrfCookie>>,
        csrf: String,
    ) -> WebResult<Reader> {
        let ctx = context(&state, &signed_in).await?;
        Ok(Reader {
            state,
            signed_in,
            csrf_cookie,
            csrf,
            ctx,
        })
    }

    /// The frame of a page titled `title`.
    pub(crate) fn chrome(&self, title: &str) -> crate::present::Chrome {
        chrome(
            &self.state,
            title,
            self.signed_in.kind,
            &self.signed_in.session,
            &self.csrf_cookie,
        )
    }
}

/// The signed-in business login's organisation, or 404 for anyone who is not of a business.
pub(crate) async fn context(state: &AppState, signed_in: &SignedIn) -> WebResult<OrgContext> {
    match ccus_app::org::context(state, &signed_in.session.account).await? {
        Some(ctx) if ctx.can(Action::AnswerRequests) || ctx.can(Action::RunSites) => Ok(ctx),
        _ => Err(WebError::NotFound),
    }
}

/// A 現場ID from the address, or 404.
pub(crate) fn site_id(raw: &str) -> WebResult<SiteId> {
    SiteId::parse(raw).map_err(|_| WebError::NotFound)
}

pub(crate) fn site_path(id: &SiteId) -> String {
    format!("/ccus_owner/sites/{}", id.as_str())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ListQuery {
    q: String,
    from: String,
    to: String,
    state: String,
    before: String,
    done: String,
}

async fn list(
    State(state): State<AppState>,
    signed_in: SignedIn,
    csrf_cookie: Option<Extension<CsrfCookie>>,
    uri: Uri,
) -> WebResult<Response> {
    let ctx = context(&state, &signed_in).await?;
    let q: ListQuery = lenient_query(&uri);
    let form = sites::SearchForm {
        q: q.q.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
        state: q.state.clone(),
        before: q.before.clone(),
    };
    let found = sites::list(&state, &ctx, &form).await?;
    let pending = tiers::pending(&state, &ctx).await?;
    let errors = field_errors(&found.errors);
    let mut search = vec![
        Input::new("q", i18n::t("sites-search-q"), "text")
            .optional()
            .value(&q.q)
            .hint(i18n::t("sites-search-q-hint")),
        Input::new("from", i18n::t("sites-search-from"), "date")
            .optional()
            .value(&q.from),
        Input::new("to", i18n::t("sites-search-to"), "date")
            .optional()
            .value(&q.to),
        Input::new("state", i18n::t("sites-search-state"), "select")
            .optional()
            .options(vec![
                (String::new(), i18n::t("sites-search-state-any")),
                ("open".into(), i18n::t("site-state-open")),
                ("closed".into(), i18n::t("site-state-closed")),
            ])
            .value(&q.state),
    ];
    for i in &mut search {
        i.error = errors.get(&i.name).cloned();
    }
    let searched = !(q.q.is_empty() && q.from.is_empty() && q.to.is_empty() && q.state.is_empty());
    let next = found.next.map(|k| {
        let before = k.to_string();
        let query = serde_urlencoded::to_string([
            ("q", q.q.as_str()),
            ("from", q.from.as_str()),
            ("to", q.to.as_str()),
            ("state", q.state.as_str()),
            ("before", before.as_str()),
        ])
        .unwrap_or_default();
        format!("/ccus_owner/sites?{query}")
    });
    let notice = match q.done.as_str() {
        "closed" => Some(Notice::new("success", i18n::t("sites-closed-done"))),
        _ => None,
    };
    let page = SitesPage {
        chrome: chrome(
            &state,
            &i18n::t("sites-title"),
            signed_in.kind,
            &signed_in.session,
            &csrf_cookie,
        ),
        notice,
        search,
        rows: found
            .rows
            .iter()
            .map(|r| SiteRow {
                site_id: r.site.site_id.as_str().to_owned(),
                grouped: r.site.site_id.grouped(),
                name: r.site.name.clone(),
                prime: r.site.prime.name.clone(),
                period: period(r.site.records_from, r.site.records_to),
                state: site_state(r.site.state),
                standing: if r.site.prime.id == ctx.business.id {
                    i18n::t("sites-standing-prime")
                } else if r.my_state == "requested" {
                    i18n::t("sites-standing-asked")
                } else {
                    i18n::t("sites-standing-on")
                },
                waiting: r.my_state == "requested",
            })
            .collect(),
        searched,
        next,
        may_register: sites::may_register(&ctx),
        pending: pending.to_answer.len() + pending.offers.len(),
    };
    html(StatusCode::OK, &page)
}

/// Field errors by the form's field name, in the page's language.
pub(crate) fn field_errors(errors: &sites::FieldErrors) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for (f, m) in errors {
        out.entry(f.clone()).or_insert_with(|| i18n::msg(m));
    }
    out
}

/// The site's state, the period and the other words many sites pages show.
pub(crate) fn site_state(s: SiteState) -> String {
    i18n::t(match s {
        SiteState::Open => "site-state-open",
        SiteState::Closed => "site-state-closed",
    })
}
