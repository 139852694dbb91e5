//! The helpdesk and a site: staff see a site by its 現場ID — its facts, its whole 施工体制 and
//! every 名簿 line (staff see what the registry holds; they never act as a business) — and can
//! correct a wrong link: move a company's place (with everything below it) under another
//! company on the site, with a reason, audited in the helpdesk's log.

use ccus_domain::site::{PlacementState, Tree};
use ccus_domain::{PlacementId, SiteId};
use ccus_storage::{Contract, Listing, Placement, Site, Staff};

use crate::actor::clean_reason;
use crate::audit::{self, Actor, AuditAction, AuditDetail, AuditEvent};
use crate::{App, AppResult};

/// A site as staff see it.
#[derive(Debug, Clone)]
pub struct StaffSiteView {
    pub site: Site,
    pub contracts: Vec<Contract>,
    /// Every live place in tree order, with its depth.
    pub places: Vec<(usize, Placement)>,
    pub roster: Vec<Listing>,
}

pub async fn site(app: &App, site_id: &SiteId) -> AppResult<Option<StaffSiteView>> {
    let Some(site) = app.store().sites().site(site_id).await? else {
        return Ok(None);
    };
    let all = app.store().placements().tree(site.key).await?;
    let tree = Tree::new(all.iter().map(Placement::node).collect());
    let places = tree
        .ordered()
        .into_iter()
        .filter_map(|(d, n)| all.iter().find(|p| p.id == n.id).map(|p| (d, p.clone())))
        .collect();
    Ok(Some(StaffSiteView {
        contracts: app.store().sites().contracts(site.key).await?,
        roster: app.store().listings().roster(site.key).await?,
        places,
        site,
    }))
}

/// What a correction did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorrectionOutcome {
    Moved,
    NeedsReason,
    /// The new upper tier is the place itself or below it, not active, or not on the site.
    Impossible,
    NotFound,
}

/// Moves `place` (and everything below it) under `new_parent` on the same site.
pub async fn move_place(
    app: &App,
    staff: &Staff,
    site_id: &SiteId,
    place: PlacementId,
    new_parent: PlacementId,
    reason: &str,
) -> AppResult<CorrectionOutcome> {
    let reason = clean_reason(reason);
    if reason.is_empty() {
        return Ok(CorrectionOutcome::NeedsReason);
    }
    let Some(site) = app.store().sites().site(site_id).await? else {
        return Ok(CorrectionOutcome::NotFound);
    };
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    if tx.sites().lock_site(site.key).await?.is_none() {
        return Ok(CorrectionOutcome::NotFound);
    }
    let all = tx.placements().tree_in(site.key).await?;
    let tree = Tree::new(all.iter().map(Placement::node).collect());
    let (Some(moved), Some(to)) = (
        all.iter().find(|p| p.id == place && p.state.is_live()),
        all.iter()
            .find(|p| p.id == new_parent && p.state == PlacementState::Active),
    ) else {
        return Ok(CorrectionOutcome::Impossible);
    };
    let below: Vec<PlacementId> = tree.below(place).iter().map(|n| n.id).collect();
    if moved.parent.is_none() || to.id == place || below.contains(&to.id) {
        return Ok(CorrectionOutcome::Impossible);
    }
    // The moved branch must still fit under its new upper tier.
    let height = below
        .iter()
        .map(|n| tree.depth(*n).saturating_sub(tree.depth(place)))
        .max()
        .unwrap_or(0);
    if tree.depth(new_parent) + 1 + height > ccus_domain::site::MAX_DEPTH {
        return Ok(CorrectionOutcome::Impossible);
    }
    let from = moved
        .parent
        .and_then(|p| all.iter().find(|t| t.id == p))
        .map(|p| p.business.login_id.as_str().to_owned())
        .unwrap_or_default();
    tx.placements().set_parent(place, new_parent).await?;
    let detail = AuditDetail::SiteMoved {
        site_id: site_id.as_str().to_owned(),
        business_id: moved.business.login_id.as_str().to_owned(),
        from,
        to: to.business.login_id.as_str().to_owned(),
    };
    let event = AuditEvent::new(AuditAction::SiteCorrected, detail)
        .on(moved.business.id)
        .because(&reason);
    audit::record(&mut tx, &Actor::Staff { pk: staff.id }, event, now).await?;
    tx.commit().await?;
    tracing::info!(staff = %staff.staff_id, site = %site_id, "site tree corrected");
    Ok(CorrectionOutcome::Moved)
}
