//! 施工体制: each company's place in a site's tree (asked, approved, declined, withdrawn), and
//! the standing 事業者間合意 between two businesses that let a place take effect at once.

use ccus_domain::site::{Node, PlacementState, Via};
use ccus_domain::{AccountId, AgreementId, PlacementId, SiteKey, Timestamp};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::sites::{party_from, site_from_row, Party, Site, SITE_COLUMNS, SITE_JOINS};
use crate::{Placements, Result, Store, StoreError, StoreTx};

/// A company's place in a site's tree.
#[derive(Debug, Clone)]
pub struct Placement {
    pub id: PlacementId,
    pub site: SiteKey,
    pub business: Party,
    /// The place above (`None` for the 元請).
    pub parent: Option<PlacementId>,
    pub state: PlacementState,
    pub via: Via,
    /// The 管理者ID (or 事業者ID) that asked; `None` for the 元請's own place.
    pub asked_by: Option<AccountId>,
    pub asked_at: Timestamp,
    pub answered_at: Option<Timestamp>,
}

impl Placement {
    /// The place as the tree's rules see it.
    pub fn node(&self) -> Node {
        Node {
            id: self.id,
            business: self.business.id,
            parent: self.parent,
            state: self.state,
        }
    }
}

/// A 要請 waiting for a business's answer, with the site and the company that asked.
#[derive(Debug, Clone)]
pub struct OpenRequest {
    pub place: Placement,
    pub site: Site,
    /// The upper tier that asked.
    pub upper: Party,
}

const PLACEMENT_COLUMNS: &str = "p.id AS p_id, p.site_id AS p_site, p.parent_id AS p_parent, \
     p.state AS p_state, p.via AS p_via, p.asked_by AS p_asked_by, p.asked_at AS p_asked_at, \
     p.answered_at AS p_answered_at, \
     pb.id AS pb_id, pb.login_id AS pb_login_id, pb.name AS pb_name";

fn placement_from_row(r: &AnyRow) -> Result<Placement> {
    let state: String = r.try_get("p_state")?;
    let via: String = r.try_get("p_via")?;
    Ok(Placement {
        id: PlacementId::new(r.try_get("p_id")?),
        site: SiteKey::new(r.try_get("p_site")?),
        business: party_from(r, "pb")?,
        parent: r
            .try_get::<Option<i64>, _>("p_parent")?
            .map(PlacementId::new),
        state: PlacementState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("placement state {state:?}")))?,
        via: Via::parse(&via).ok_or_else(|| StoreError::Corrupt(format!("via {via:?}")))?,
        asked_by: r
            .try_get::<Option<i64>, _>("p_asked_by")?
            .map(AccountId::new),
        asked_at: Timestamp(r.try_get("p_asked_at")?),
        answered_at: r.try_get::<Option<i64>, _>("p_answered_at")?.map(Timestamp),
    })
}

/// A 事業者間合意.
#[derive(Debug, Clone)]
pub struct Agreement {
    pub id: AgreementId,
    /// The business that registers the other on its sites.
    pub upper: Party,
    pub lower: Party,
    /// Whether the upper tier may also do the lower tier's steps (代理手続き).
    pub proxy: bool,
    /// `offered`, `active`, `declined`, `withdrawn` or `ended`.
    pub state: String,
    /// Which of the two offered it.
    pub offered_by_business: AccountId,
    pub offered_at: Timestamp,
    pub answered_at: Option<Timestamp>,
    pub ended_at: Option<Timestamp>,
}

const AGREEMENT_SELECT: &str = "SELECT g.id, g.proxy, g.state, g.offered_by_business, \
     g.offered_at, g.answered_at, g.ended_at, \
     u.id AS u_id, u.login_id AS u_login_id, u.name AS u_name, \
     l.id AS l_id, l.login_id AS l_login_id, l.name AS l_name \
     FROM business_agreements g JOIN accounts u ON u.id = g.upper_id \
     JOIN accounts l ON l.id = g.lower_id";

fn agreement_from_row(r: &AnyRow) -> Result<Agreement> {
    Ok(Agreement {
        id: AgreementId::new(r.try_get("id")?),
        upper: party_from(r, "u")?,
        lower: party_from(r, "l")?,
        proxy: r.try_get::<i64, _>("proxy")? != 0,
        state: r.try_get("state")?,
        offered_by_business: AccountId::new(r.try_get("offered_by_business")?),
        offered_at: Timestamp(r.try_get("offered_at")?),
        answered_at: r.try_get::<Option<i64>, _>("answered_at")?.map(Timestamp),
        ended_at: r.try_get::<Option<i64>, _>("ended_at")?.map(Timestamp),
    })
}

impl Placements<&Store> {
    /// Every place of a site's tree (live or not), oldest first.
    pub async fn tree(self, site: SiteKey) -> Result<Vec<Placement>> {
        let rows = sqlx::query(&format!(
            "SELECT {PLACEMENT_COLUMNS} FROM site_placements p \
             JOIN accounts pb ON pb.id = p.business_id WHERE p.site_id = $1 ORDER BY p.id"
        ))
        .bind(site.get())
        .fetch_all(self.db())
        .await?;
        rows.iter().map(placement_from_row).collect()
    }

    /// One place.
    pub async fn placement(self, id: PlacementId) -> Result<Option<Placement>> {
        let row = sqlx::query(&format!(
            "SELECT {PLACEMENT_COLUMNS} FROM site_placements p \
             JOIN accounts pb ON pb.id = p.business_id WHERE p.id = $1"
        ))
        .bind(id.get())
        .fetch_optional(self.db())
        .await?;
        row.map(|r| placement_from_row(&r)).transpose()
    }

    /// The 要請 a business has to answer (`to = true`) or has sent that wait for an answer
    /// (`to = false`), newest first.
    pub async fn open_requests(
        self,
        business: AccountId,
        to: bool,
        limit: u32,
    ) -> Result<Vec<OpenRequest>> {
        let filter = if to {
            "p.business_id = $1"
        } else {
            "up.business_id = $1"
        };
        let rows = sqlx::query(&format!(
            "SELECT {PLACEMENT_COLUMNS}, {SITE_COLUMNS}, \
             ub.id AS ub_id, ub.login_id AS ub_login_id, ub.name AS ub_name \
             FROM site_placements p JOIN accounts pb ON pb.id = p.business_id \
             JOIN site_placements up ON up.id = p.parent_id JOIN accounts ub ON ub.id = up.business_id \
             JOIN sites s ON s.id = p.site_id {SITE_JOINS} \
             WHERE {filter} AND p.state = 'requested' ORDER BY p.id DESC LIMIT $2"
        ))
        .bind(business.get())
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OpenRequest {
                    place: placement_from_row(r)?,
                    site: site_from_row(r)?,
                    upper: party_from(r, "ub")?,
                })
            })
            .collect()
    }

    /// The agreements a business is part of, live ones first, newest first.
    pub async fn agreements_of(self, business: AccountId) -> Result<Vec<Agreement>> {
        let rows = sqlx::query(&format!(
            "{AGREEMENT_SELECT} WHERE (g.upper_id = $1 OR g.lower_id = $1) \
             AND (g.state IN ('offered', 'active') OR g.id IN (SELECT id FROM business_agreements \
             WHERE upper_id = $1 OR lower_id = $1 ORDER BY id DESC LIMIT 20)) ORDER BY g.id DESC"
        ))
        .bind(business.get())
        .fetch_all(self.db())
        .await?;
        rows.iter().map(agreement_from_row).collect()
    }

    pub async fn agreement(self, id: AgreementId) -> Result<Option<Agreement>> {
        let row = sqlx::query(&format!("{AGREEMENT_SELECT} WHERE g.id = $1"))
            .bind(id.get())
            .fetch_optional(self.db())
            .await?;
        row.map(|r| agreement_from_row(&r)).transpose()
    }
}

impl Placements<&mut StoreTx> {
    /// Every place of a site's tree, read inside the transaction (after
    /// [`crate::Sites::lock_site`]).
    pub async fn tree_in(&mut self, site: SiteKey) -> Result<Vec<Placement>> {
        let rows = sqlx::query(&format!(
            "SELECT {PLACEMENT_COLUMNS} FROM site_placements p \
             JOIN accounts pb ON pb.id = p.business_id WHERE p.site_id = $1 ORDER BY p.id"
        ))
        .bind(site.get())
        .fetch_all(self.conn())
        .await?;
        rows.iter().map(placement_from_row).collect()
    }

    /// A new place. [`StoreError::Conflict`] when the company already holds a live place on
    /// the site.
    #[allow(clippy::too_many_arguments)]
    pub async fn place(
        &mut self,
        site: SiteKey,
        business: AccountId,
        parent: Option<PlacementId>,
        state: PlacementState,
        via: Via,
        asked_by: Option<AccountId>,
        now: Timestamp,
    ) -> Result<PlacementId> {
        let answered = (state == PlacementState::Active).then_some(now.0);
        let row = sqlx::query(
            "INSERT INTO site_placements (site_id, business_id, parent_id, state, via, asked_by, \
             asked_at, answered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(site.get())
        .bind(business.get())
        .bind(parent.map(PlacementId::get))
        .bind(state.as_str())
        .bind(via.as_str())
        .bind(asked_by.map(AccountId::get))
        .bind(now.0)
        .bind(answered)
        .fetch_one(self.conn())
        .await?;
        Ok(PlacementId::new(row.try_get("id")?))
    }

    /// Moves places from one state to another; how many moved. Only places still in `from`
    /// move, so an answer after a withdrawal (or the other way round) changes nothing.
    pub async fn set_state(
        &mut self,
        ids: &[PlacementId],
        from: &[PlacementState],
        to: PlacementState,
        by: Option<AccountId>,
        now: Timestamp,
    ) -> Result<u64> {
        let mut moved = 0;
        let from: Vec<String> = from.iter().map(|s| format!("'{}'", s.as_str())).collect();
        // A withdrawal keeps who answered and when; the audit log says who withdrew.
        let set = if to == PlacementState::Cancelled {
            "state = $1, answered_by = COALESCE(answered_by, $2), \
             answered_at = COALESCE(answered_at, $3)"
        } else {
            "state = $1, answered_by = $2, answered_at = $3"
        };
        let sql = format!(
            "UPDATE site_placements SET {set} WHERE id = $4 AND state IN ({})",
            from.join(", ")
        );
        for id in ids {
            let r = sqlx::query(&sql)
                .bind(to.as_str())
                .bind(by.map(AccountId::get))
                .bind(now.0)
                .bind(id.get())
                .execute(self.conn())
                .await?;
            moved += r.rows_affected();
        }
        Ok(moved)
    }

    /// Moves a place under another parent (a helpdesk correction).
    pub async fn set_parent(&mut self, id: PlacementId, parent: PlacementId) -> Result<()> {
        sqlx::query("UPDATE site_placements SET parent_id = $1 WHERE id = $2")
            .bind(parent.get())
            .bind(id.get())
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// The live agreement under which `upper` registers `lower`, if any.
    pub async fn active_agreement(
        &mut self,
        upper: AccountId,
        lower: AccountId,
    ) -> Result<Option<Agreement>> {
        let row = sqlx::query(&format!(
            "{AGREEMENT_SELECT} WHERE g.upper_id = $1 AND g.lower_id = $2 AND g.state = 'active'"
        ))
        .bind(upper.get())
        .bind(lower.get())
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| agreement_from_row(&r)).transpose()
    }

    /// Offers an agreement. [`StoreError::Conflict`] when one is already offered or active
    /// between the two in this direction.
    pub async fn offer_agreement(
        &mut self,
        upper: AccountId,
        lower: AccountId,
        proxy: bool,
        offered_by_business: AccountId,
        offered_by: AccountId,
        now: Timestamp,
    ) -> Result<AgreementId> {
        let row = sqlx::query(
            "INSERT INTO business_agreements (upper_id, lower_id, proxy, state, offered_by_business, \
             offered_by, offered_at) VALUES ($1, $2, $3, 'offered', $4, $5, $6) RETURNING id",
        )
        .bind(upper.get())
        .bind(lower.get())
        .bind(i64::from(proxy))
        .bind(offered_by_business.get())
        .bind(offered_by.get())
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        Ok(AgreementId::new(row.try_get("id")?))
    }

    /// Moves an agreement from one state to another; false when it was no longer in `from`.
    pub async fn set_agreement_state(
        &mut self,
        id: AgreementId,
        from: &str,
        to: &str,
        by: AccountId,
        now: Timestamp,
    ) -> Result<bool> {
        let sql = if to == "ended" {
            "UPDATE business_agreements SET state = $1, ended_by = $2, ended_at = $3 \
             WHERE id = $4 AND state = $5"
        } else {
            "UPDATE business_agreements SET state = $1, answered_by = $2, answered_at = $3 \
             WHERE id = $4 AND state = $5"
        };
        let r = sqlx::query(sql)
            .bind(to)
            .bind(by.get())
            .bind(now.0)
            .bind(id.get())
            .bind(from)
            .execute(self.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }
}
