//! A site in the console at `/helpdesk/sites`: found by its 現場ID, shown with its whole
//! 施工体制 and every 名簿 line, and a wrong link corrected with a reason (audited).

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use ccus_app::helpdesk::sites::{self as staff_sites, CorrectionOutcome};
use ccus_domain::site::PlacementState;
use ccus_domain::{PlacementId, SiteId};
use serde::Deserialize;

use super::labels::*;
use super::site::facts;
use super::views::{HelpdeskSite, HelpdeskSitePage, PlaceRow, WorkerRow};
use crate::error::WebResult;
use crate::forms::{lenient_query, CheckedForm};
use crate::pages::html;
use crate::present::Notice;
use crate::session::{CsrfToken, StaffIn};
use crate::{i18n, AppState};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/helpdesk/sites", get(page))
        .route("/helpdesk/sites/correct", post(correct))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SiteQuery {
    site_id: String,
    done: String,
}

async fn site_view(
    state: &AppState,
    typed: &str,
) -> WebResult<(Option<HelpdeskSite>, Option<String>)> {
    if typed.trim().is_empty() {
        return Ok((None, None));
    }
    let id = match SiteId::parse(typed) {
        Ok(id) => id,
        Err(e) => return Ok((None, Some(i18n::msg(&ccus_app::sites::site_id_error(e))))),
    };
    let Some(v) = staff_sites::site(state, &id).await? else {
        return Ok((None, Some(i18n::t("helpdesk-site-not-found"))));
    };
    let places = v
        .places
        .iter()
        .map(|(depth, p)| PlaceRow {
            id: p.id.get(),
            depth: *depth,
            tier: tier(*depth),
            company: crate::org::business_line(&p.business.name, &p.business.login_id),
            state: place_state(p.state),
            requested: p.state == PlacementState::Requested,
            waiting_on: None,
            via: via(p.via),
            may_answer: false,
            may_cancel: false,
            invite: None,
            add_worker: None,
            shows_roster: true,
            workers: v
                .roster
                .iter()
                .filter(|l| l.placement == p.id)
                .map(|l| WorkerRow {
                    id: l.id.get(),
                    login_id: l.technician.login_id.grouped(),
                    name: l.technician.name.clone(),
                    trade: trade(&l.fields.trade),
                    position: position(l.fields.position),
                    work: l.fields.work.clone(),
                    hazardous: yes_no(l.fields.hazardous),
                    qualifications: l.fields.qualifications.clone(),
                    basis: String::new(),
                    asked: l.state == "asked",
                })
                .collect(),
            may_edit_workers: false,
            patterns: Vec::new(),
        })
        .collect();
    let choices = v
        .places
        .iter()
        .map(|(depth, p)| {
            (
                p.id.to_string(),
                format!("{} {}", tier(*depth), p.business.name),
            )
        })
        .collect();
    Ok((
        Some(HelpdeskSite {
            site_id: v.site.site_id.as_str().to_owned(),
            grouped: v.site.site_id.grouped(),
            name: v.site.name.clone(),
            facts: facts(&v.site),
            places,
            choices,
            correction_error: None,
        }),
        None,
    ))
}

async fn page(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    uri: Uri,
) -> WebResult<Response> {
    let q: SiteQuery = lenient_query(&uri);
    let (site, error) = site_view(&state, &q.site_id).await?;
    let page = HelpdeskSitePage {
        chrome: staff.chrome(&i18n::t("helpdesk-nav-sites"), &csrf),
        notice: (q.done == "moved").then(|| Notice::new("success", i18n::t("helpdesk-site-moved"))),
        typed: q.site_id,
        error,
        site,
        csrf_token: csrf,
    };
    html(StatusCode::OK, &page)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CorrectForm {
    site_id: String,
    place: String,
    parent: String,
    reason: String,
}

async fn correct(
    State(state): State<AppState>,
    staff: StaffIn,
    CsrfToken(csrf): CsrfToken,
    CheckedForm(form): CheckedForm<CorrectForm>,
) -> WebResult<Response> {
    let id = SiteId::parse(&form.site_id).map_err(|_| crate::error::WebError::NotFound)?;
    let place: Option<PlacementId> = form.place.trim().parse().ok();
    let parent: Option<PlacementId> = form.parent.trim().parse().ok();
    let outcome = match (place, parent) {
        (Some(p), Some(to)) => {
            staff_sites::move_place(&state, &staff.session.staff, &id, p, to, &form.reason).await?
        }
        _ => CorrectionOutcome::Impossible,
    };
    let why = match outcome {
        CorrectionOutcome::Moved => {
            return Ok(Redirect::to(&format!(
                "/helpdesk/sites?site_id={}&done=moved",
                id.as_str()
            ))
            .into_response())
        }
        CorrectionOutcome::NeedsReason => i18n::t("helpdesk-needs-reason"),
        CorrectionOutcome::Impossible => i18n::t("helpdesk-site-move-impossible"),
        CorrectionOutcome::NotFound => i18n::t("helpdesk-site-not-found"),
    };
    let (mut site, error) = site_view(&state, id.as_str()).await?;
    if let Some(s) = &mut site {
        s.correction_error = Some(why);
    }
    let page = HelpdeskSitePage {
        chrome: staff.chrome(&i18n::t("helpdesk-nav-sites"), &csrf),
        notice: Some(Notice::new("error", i18n::t("helpdesk-check-input"))),
        typed: id.as_str().to_owned(),
        error,
        site,
        csrf_token: csrf,
    };
    html(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
