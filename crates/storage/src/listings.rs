//! 作業員名簿: each company's workers on a site (a technician of its own, or another's by the
//! technician's consent), the sites a technician is listed on, and the saved patterns
//! (施工体制パターン, 作業員名簿パターン) a business reuses.

use ccus_domain::profile::format_date;
use ccus_domain::site::Position;
use ccus_domain::{AccountId, Date, ListingId, PatternId, PlacementId, SiteKey, Timestamp};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::accounts::{account_from_row, ACCOUNT_COLUMNS};
use crate::sites::{
    opt_date_from, party_from, site_from_row, Party, Site, SITE_COLUMNS, SITE_JOINS,
};
use crate::{Account, Listings, Result, Store, StoreError, StoreTx};

/// What a company writes about a worker on its 名簿.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingFields {
    /// 職種, a code of [`ccus_domain::site::TRADES`].
    pub trade: String,
    /// 作業内容.
    pub work: String,
    /// 立場.
    pub position: Position,
    /// Handles hazardous substances.
    pub hazardous: bool,
    /// The date of the last 特殊健康診断, if one is required.
    pub health_check: Option<Date>,
    /// Required 資格, as the company lists them.
    pub qualifications: String,
}

/// A worker's line on a 名簿.
#[derive(Debug, Clone)]
pub struct Listing {
    pub id: ListingId,
    pub site: SiteKey,
    pub placement: PlacementId,
    pub technician: Account,
    pub fields: ListingFields,
    /// `asked` (waiting for the technician's consent) or `listed`; `removed` and `declined`
    /// are not read back.
    pub state: String,
    pub added_at: Timestamp,
    /// The technician's disclosure setting (`public` or `private`).
    pub disclosure: String,
}

/// A site a technician is listed on (or asked to be), with the company they are listed under.
#[derive(Debug, Clone)]
pub struct ListedSite {
    pub listing: ListingId,
    pub site: Site,
    pub company: Party,
    pub fields: ListingFields,
    pub state: String,
}

/// A saved pattern: its name and body (JSON, read by the application).
#[derive(Debug, Clone)]
pub struct Pattern {
    pub id: PatternId,
    pub name: String,
    pub body: String,
    pub created_at: Timestamp,
}

const LISTING_COLUMNS: &str =
    "d.level AS disclosure, l.id AS l_id, l.site_id AS l_site, l.placement_id AS l_place, \
     l.trade, l.work, l.position, l.hazardous AS l_hazardous, l.health_check, l.qualifications, \
     l.state AS l_state, l.added_at";

fn fields_from_row(r: &AnyRow) -> Result<ListingFields> {
    let position: String = r.try_get("position")?;
    Ok(ListingFields {
        trade: r.try_get("trade")?,
        work: r.try_get("work")?,
        position: Position::parse(&position)
            .ok_or_else(|| StoreError::Corrupt(format!("position {position:?}")))?,
        hazardous: r.try_get::<i64, _>("l_hazardous")? != 0,
        health_check: opt_date_from(r.try_get("health_check")?)?,
        qualifications: r.try_get("qualifications")?,
    })
}

fn listing_from_row(r: &AnyRow) -> Result<Listing> {
    Ok(Listing {
        id: ListingId::new(r.try_get("l_id")?),
        site: SiteKey::new(r.try_get("l_site")?),
        placement: PlacementId::new(r.try_get("l_place")?),
        technician: account_from_row(r)?,
        fields: fields_from_row(r)?,
        state: r.try_get("l_state")?,
        added_at: Timestamp(r.try_get("added_at")?),
        disclosure: r
            .try_get::<Option<String>, _>("disclosure")?
            .unwrap_or_else(|| "private".to_owned()),
    })
}

impl Listings<&Store> {
    /// The live lines of a site's 名簿, by company place then by line.
    pub async fn roster(self, site: SiteKey) -> Result<Vec<Listing>> {
        let rows = sqlx::query(&format!(
            "SELECT {LISTING_COLUMNS}, {ACCOUNT_COLUMNS} FROM site_listings l \
             JOIN accounts a ON a.id = l.technician_id \
             LEFT JOIN disclosures d ON d.account_id = l.technician_id \
             WHERE l.site_id = $1 AND l.state IN ('asked', 'listed') ORDER BY l.placement_id, l.id"
        ))
        .bind(site.get())
        .fetch_all(self.db())
        .await?;
        rows.iter().map(listing_from_row).collect()
    }

    pub async fn listing(self, id: ListingId) -> Result<Option<Listing>> {
        let row = sqlx::query(&format!(
            "SELECT {LISTING_COLUMNS}, {ACCOUNT_COLUMNS} FROM site_listings l \
             JOIN accounts a ON a.id = l.technician_id \
             LEFT JOIN disclosures d ON d.account_id = l.technician_id WHERE l.id = $1"
        ))
        .bind(id.get())
        .fetch_optional(self.db())
        .await?;
        row.map(|r| listing_from_row(&r)).transpose()
    }

    /// The sites a technician is listed on or asked to be, newest first.
    pub async fn sites_of_technician(
        self,
        technician: AccountId,
        limit: u32,
    ) -> Result<Vec<ListedSite>> {
        let rows = sqlx::query(&format!(
            "SELECT {LISTING_COLUMNS}, {SITE_COLUMNS}, \
             cb.id AS cb_id, cb.login_id AS cb_login_id, cb.name AS cb_name \
             FROM site_listings l LEFT JOIN disclosures d ON d.account_id = l.technician_id \
             JOIN sites s ON s.id = l.site_id {SITE_JOINS} \
             JOIN site_placements p ON p.id = l.placement_id JOIN accounts cb ON cb.id = p.business_id \
             WHERE l.technician_id = $1 AND l.state IN ('asked', 'listed') \
             ORDER BY l.site_id DESC LIMIT $2"
        ))
        .bind(technician.get())
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ListedSite {
                    listing: ListingId::new(r.try_get("l_id")?),
                    site: site_from_row(r)?,
                    company: party_from(r, "cb")?,
                    fields: fields_from_row(r)?,
                    state: r.try_get("l_state")?,
                })
            })
            .collect()
    }

    /// A business's saved patterns of a kind (`tiers` or `roster`), by name.
    pub async fn patterns(self, business: AccountId, kind: &str) -> Result<Vec<Pattern>> {
        let rows = sqlx::query(
            "SELECT id, name, body, created_at FROM site_patterns \
             WHERE business_id = $1 AND kind = $2 ORDER BY name",
        )
        .bind(business.get())
        .bind(kind)
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Pattern {
                    id: PatternId::new(r.try_get("id")?),
                    name: r.try_get("name")?,
                    body: r.try_get("body")?,
                    created_at: Timestamp(r.try_get("created_at")?),
                })
            })
            .collect()
    }
}

impl Listings<&mut StoreTx> {
    /// A new line. [`StoreError::Conflict`] when the worker already has a live line on the
    /// site.
    #[allow(clippy::too_many_arguments)]
    pub async fn add(
        &mut self,
        site: SiteKey,
        placement: PlacementId,
        technician: AccountId,
        f: &ListingFields,
        state: &str,
        added_by: AccountId,
        now: Timestamp,
    ) -> Result<ListingId> {
        let row = sqlx::query(
            "INSERT INTO site_listings (site_id, placement_id, technician_id, trade, work, position, \
             hazardous, health_check, qualifications, state, added_by, added_at, answered_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(site.get())
        .bind(placement.get())
        .bind(technician.get())
        .bind(f.trade.as_str())
        .bind(f.work.as_str())
        .bind(f.position.as_str())
        .bind(i64::from(f.hazardous))
        .bind(f.health_check.map(format_date))
        .bind(f.qualifications.as_str())
        .bind(state)
        .bind(added_by.get())
        .bind(now.0)
        // A line listed at once (the company's own worker) counts as answered then: a removed
        // line that was ever listed is told apart from a request that never was.
        .bind((state == "listed").then_some(now.0))
        .fetch_one(self.conn())
        .await?;
        Ok(ListingId::new(row.try_get("id")?))
    }

    /// Rewrites a live line's details.
    pub async fn update(&mut self, id: ListingId, f: &ListingFields) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE site_listings SET trade = $1, work = $2, position = $3, hazardous = $4, \
             health_check = $5, qualifications = $6 WHERE id = $7 AND state IN ('asked', 'listed')",
        )
        .bind(f.trade.as_str())
        .bind(f.work.as_str())
        .bind(f.position.as_str())
        .bind(i64::from(f.hazardous))
        .bind(f.health_check.map(format_date))
        .bind(f.qualifications.as_str())
        .bind(id.get())
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Moves a line from one state to another; false when it was no longer in `from`.
    pub async fn set_state(
        &mut self,
        id: ListingId,
        from: &[&str],
        to: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let from: Vec<String> = from.iter().map(|s| format!("'{s}'")).collect();
        let r = sqlx::query(&format!(
            "UPDATE site_listings SET state = $1, \
             answered_at = CASE WHEN $1 = 'removed' THEN answered_at ELSE $2 END, \
             removed_at = CASE WHEN $1 = 'removed' THEN $2 ELSE removed_at END \
             WHERE id = $3 AND state IN ({})",
            from.join(", ")
        ))
        .bind(to)
        .bind(now.0)
        .bind(id.get())
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Withdraws every line of a site still waiting for its worker's consent (the site closed).
    pub async fn withdraw_asked(&mut self, site: SiteKey, now: Timestamp) -> Result<u64> {
        let r = sqlx::query(
            "UPDATE site_listings SET state = 'removed', removed_at = $1 \
             WHERE site_id = $2 AND state = 'asked'",
        )
        .bind(now.0)
        .bind(site.get())
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected())
    }

    /// A technician's employer as it stands inside the transaction.
    pub async fn employer_of(&mut self, technician: AccountId) -> Result<Option<AccountId>> {
        let row = sqlx::query("SELECT employer_id FROM accounts WHERE id = $1")
            .bind(technician.get())
            .fetch_optional(self.conn())
            .await?;
        Ok(match row {
            Some(r) => r
                .try_get::<Option<i64>, _>("employer_id")?
                .map(AccountId::new),
            None => None,
        })
    }

    /// Takes every live line of these places off the 名簿 (their company left the site).
    pub async fn remove_under(&mut self, places: &[PlacementId], now: Timestamp) -> Result<u64> {
        let mut n = 0;
        for p in places {
            let r = sqlx::query(
                "UPDATE site_listings SET state = 'removed', removed_at = $1 \
                 WHERE placement_id = $2 AND state IN ('asked', 'listed')",
            )
            .bind(now.0)
            .bind(p.get())
            .execute(self.conn())
            .await?;
            n += r.rows_affected();
        }
        Ok(n)
    }

    /// Saves a pattern under its name, replacing one of the same name.
    pub async fn save_pattern(
        &mut self,
        business: AccountId,
        kind: &str,
        name: &str,
        body: &str,
        by: AccountId,
        now: Timestamp,
    ) -> Result<PatternId> {
        let row = sqlx::query(
            "INSERT INTO site_patterns (business_id, kind, name, body, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (business_id, kind, name) DO UPDATE \
             SET body = excluded.body, created_by = excluded.created_by, \
             created_at = excluded.created_at RETURNING id",
        )
        .bind(business.get())
        .bind(kind)
        .bind(name)
        .bind(body)
        .bind(by.get())
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        Ok(PatternId::new(row.try_get("id")?))
    }

    /// Deletes a business's pattern; false when it has none of that id.
    pub async fn delete_pattern(&mut self, business: AccountId, id: PatternId) -> Result<bool> {
        let r = sqlx::query("DELETE FROM site_patterns WHERE business_id = $1 AND id = $2")
            .bind(business.get())
            .bind(id.get())
            .execute(self.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }
}
