//! A site as one business on it sees it: its 現場情報 and contracts, the whole 施工体制 (every
//! company on a site sees the chain it works in), who must act where a place waits, and the
//! 作業員名簿 of its own place and the places below it — each worker shown as far as the
//! disclosure rule allows ([`crate::org::affiliation::seen_by`]): the employer sees them, any
//! other business only what the worker chose to show, and only while they are on the 名簿.

use std::collections::HashSet;

use ccus_domain::org::{Action, Target};
use ccus_domain::site::{PlacementState, Tree};
use ccus_domain::{AccountId, PlacementId, SiteId};
use ccus_storage::{Contract, ListingFields, Party, Placement, Site};

use crate::org::affiliation::{seen_by, Disclosure, SeenTechnician};
use crate::org::OrgContext;
use crate::{App, AppResult};

use super::may_run;

/// A worker on a 名簿, as the reader may see them.
#[derive(Debug, Clone)]
pub struct WorkerView {
    pub listing: ccus_domain::ListingId,
    pub seen: SeenTechnician,
    pub fields: ListingFields,
    /// Waiting for the worker's consent (a worker not of the company's own).
    pub asked: bool,
}

/// One company's place, as the reader sees it.
#[derive(Debug, Clone)]
pub struct PlaceView {
    pub place: Placement,
    /// 0 for the 元請, 1 for a 一次, …
    pub depth: usize,
    /// The company above.
    pub upper: Option<Party>,
    /// The reader may ask companies onto the site under this place.
    pub may_invite: bool,
    /// The reader may withdraw this place (its upper tier, or the 元請's runner).
    pub may_cancel: bool,
    /// The reader answers this 要請.
    pub may_answer: bool,
    /// The reader may list workers under this place.
    pub may_list: bool,
    /// The reader sees this place's 名簿.
    pub shows_roster: bool,
    pub workers: Vec<WorkerView>,
}

/// A site, as one business on it sees it.
#[derive(Debug, Clone)]
pub struct SiteView {
    pub site: Site,
    pub contracts: Vec<Contract>,
    /// The reader runs the site as its 元請.
    pub runs: bool,
    /// The reader's business's own place.
    pub my_place: Option<PlacementId>,
    /// Every live place, in tree order.
    pub places: Vec<PlaceView>,
}

impl SiteView {
    pub fn place(&self, id: PlacementId) -> Option<&PlaceView> {
        self.places.iter().find(|p| p.place.id == id)
    }
}

/// The companies the reader's business may act for under a 代理手続き 合意 (it is their upper
/// tier and they agreed).
pub(crate) async fn proxied(app: &App, business: AccountId) -> AppResult<HashSet<AccountId>> {
    Ok(app
        .store()
        .placements()
        .agreements_of(business)
        .await?
        .into_iter()
        .filter(|g| g.state == "active" && g.proxy && g.upper.id == business)
        .map(|g| g.lower.id)
        .collect())
}

/// Whether the reader's business acts for `place`: it is the place's company, or that
/// company's upper tier on the site with a 代理手続き 合意.
pub(crate) fn acts_for(
    business: AccountId,
    proxied: &HashSet<AccountId>,
    tree: &[Placement],
    place: &Placement,
) -> bool {
    if place.business.id == business {
        return true;
    }
    let upper = place
        .parent
        .and_then(|p| tree.iter().find(|t| t.id == p))
        .map(|p| p.business.id);
    upper == Some(business) && proxied.contains(&place.business.id)
}

/// A site for a business on it (or for its 元請's runner); `None` when the business is not on
/// it.
pub async fn view(app: &App, ctx: &OrgContext, site_id: &SiteId) -> AppResult<Option<SiteView>> {
    let Some(site) = app.store().sites().site(site_id).await? else {
        return Ok(None);
    };
    let all = app.store().placements().tree(site.key).await?;
    let tree = Tree::new(all.iter().map(Placement::node).collect());
    let business = ctx.business.id;
    let runs = may_run(ctx, &site);
    let mine = tree.place_of(business).map(|n| n.id);
    if mine.is_none() && !runs {
        return Ok(None);
    }
    let proxied = proxied(app, business).await?;
    let open = site.state == ccus_domain::site::SiteState::Open;
    let can_answer = ctx.may(Action::AnswerRequests, Target::Business);
    let can_list = ctx.may(Action::EditRoster, Target::Business);
    // The places whose 名簿 the reader sees: its own and every one below it (all for the 元請).
    let mut visible: HashSet<PlacementId> = HashSet::new();
    if let Some(m) = mine {
        visible.insert(m);
        visible.extend(tree.below(m).iter().map(|n| n.id));
    }
    let roster = app.store().listings().roster(site.key).await?;
    let mut places = Vec::new();
    for (depth, node) in tree.ordered() {
        let Some(place) = all.iter().find(|p| p.id == node.id) else {
            continue;
        };
        let upper = place
            .parent
            .and_then(|p| all.iter().find(|t| t.id == p))
            .map(|p| p.business.clone());
        let active = place.state == PlacementState::Active;
        let for_it = acts_for(business, &proxied, &all, place);
        let for_upper = place
            .parent
            .and_then(|p| all.iter().find(|t| t.id == p))
            .is_some_and(|u| acts_for(business, &proxied, &all, u));
        let under_prime = place
            .parent
            .and_then(|p| all.iter().find(|t| t.id == p))
            .is_some_and(|u| u.parent.is_none());
        let shows_roster = visible.contains(&place.id);
        let workers = if shows_roster {
            roster
                .iter()
                .filter(|l| l.placement == place.id)
                .map(|l| WorkerView {
                    listing: l.id,
                    seen: seen_by(business, &l.technician, Disclosure::parse(&l.disclosure)),
                    fields: l.fields.clone(),
                    asked: l.state == "asked",
                })
                .collect()
        } else {
            Vec::new()
        };
        places.push(PlaceView {
            depth,
            upper,
            // The 元請's own place is the site's runner's to extend.
            may_invite: open
                && active
                && if place.parent.is_none() {
                    runs
                } else {
                    can_answer && for_it
                },
            may_cancel: open
                && place.parent.is_some()
                && (runs || (can_answer && for_upper && !under_prime)),
            // Only the company itself answers a 要請 to it.
            may_answer: open
                && place.state == PlacementState::Requested
                && can_answer
                && place.business.id == business,
            may_list: open && active && can_list && for_it,
            shows_roster,
            workers,
            place: place.clone(),
        });
    }
    let contracts = app.store().sites().contracts(site.key).await?;
    Ok(Some(SiteView {
        site,
        contracts,
        runs,
        my_place: mine,
        places,
    }))
}
