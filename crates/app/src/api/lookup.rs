//! Finding a technician by card number, for a system acting for a business: only a worker on a
//! 名簿 the business sees (its own place's, or those below it) on one of its sites, and only as
//! much of them as the business is shown ([`crate::org::affiliation::seen_by`]). A card of
//! anyone else is answered as unknown — the API is no way to find out who holds a card.

use ccus_domain::SiteId;

use crate::org::affiliation::SeenTechnician;
use crate::org::OrgContext;
use crate::records::ingest::normalise_card;
use crate::sites;
use crate::{App, AppResult};

/// A technician found by card, as the business sees them, with the sites where it does.
#[derive(Debug, Clone)]
pub struct FoundWorker {
    pub seen: SeenTechnician,
    pub sites: Vec<SiteId>,
}

/// The worker holding `card` (a card in use), if the business sees them on a site.
pub async fn by_card(app: &App, ctx: &OrgContext, card: &str) -> AppResult<Option<FoundWorker>> {
    let Some(number) = normalise_card(card) else {
        return Ok(None);
    };
    let Some(card) = app.store().records().card(&number).await? else {
        return Ok(None);
    };
    if card.state != "active" {
        return Ok(None);
    }
    let listed = app
        .store()
        .listings()
        .sites_of_technician(card.account, 200)
        .await?;
    let mut found: Option<SeenTechnician> = None;
    let mut sites = Vec::new();
    for line in listed.iter().filter(|l| l.state == "listed") {
        let Some(v) = sites::view(app, ctx, &line.site.site_id).await? else {
            continue;
        };
        let seen = v
            .places
            .iter()
            .filter(|p| p.shows_roster)
            .flat_map(|p| p.workers.iter())
            .find(|w| w.listing == line.listing)
            .map(|w| w.seen.clone());
        if let Some(seen) = seen {
            sites.push(line.site.site_id.clone());
            found.get_or_insert(seen);
        }
    }
    Ok(found.map(|seen| FoundWorker { seen, sites }))
}
