//! 現場: a site of its 元請, its contracts (契約情報 with 工事情報), and finding a business's
//! sites by 現場ID, name or address and period, a page at a time (keyset, newest first).

use ccus_domain::calendar::parse_iso_date;
use ccus_domain::profile::format_date;
use ccus_domain::site::{OrderKind, SiteState, WorkKind};
use ccus_domain::{AccountId, Date, LoginId, PlacementId, SiteId, SiteKey, TierId, Timestamp};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{replicas, Result, Sites, Store, StoreError, StoreTx};

/// A business as a site's pages name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Party {
    pub id: AccountId,
    pub login_id: LoginId,
    pub name: String,
}

/// A registered 現場.
#[derive(Debug, Clone)]
pub struct Site {
    pub key: SiteKey,
    pub site_id: SiteId,
    /// The 元請.
    pub prime: Party,
    /// The 元請's tier the site belongs to (`None`: the business as a whole).
    pub tier_id: Option<TierId>,
    /// The 現場管理者 (a 管理者ID of the 元請, or its 事業者ID).
    pub manager: Party,
    pub name: String,
    pub order_kind: OrderKind,
    /// 就業履歴蓄積期間.
    pub records_from: Date,
    pub records_to: Date,
    /// Whether hazardous substances are handled on the site.
    pub hazardous: bool,
    pub state: SiteState,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub closed_at: Option<Timestamp>,
}

/// One contract a site carries: 契約情報 and its 工事情報, every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contract {
    /// 0 for one not yet stored.
    pub id: i64,
    /// 施工場所.
    pub address: String,
    /// 発注者名.
    pub client_name: String,
    /// 受注形態.
    pub contract_form: String,
    /// 契約工期.
    pub period_from: Option<Date>,
    pub period_to: Option<Date>,
    /// 工事の種類.
    pub work_kind: Option<WorkKind>,
    /// 工種.
    pub work_type: String,
    /// 規模.
    pub scale: String,
}

/// What registering or editing a site writes.
#[derive(Debug, Clone)]
pub struct SiteFields {
    pub name: String,
    /// The name folded for search.
    pub name_key: String,
    /// Every contract's address folded for search, one per line.
    pub address_key: String,
    pub manager_id: AccountId,
    pub order_kind: OrderKind,
    pub records_from: Date,
    pub records_to: Date,
    pub hazardous: bool,
}

/// A site as a business's list shows it, with where the business stands on it.
#[derive(Debug, Clone)]
pub struct SiteListRow {
    pub site: Site,
    pub my_place: PlacementId,
    /// `requested` or `active`.
    pub my_state: String,
}

/// What a business's site list is filtered by; every part optional.
#[derive(Debug, Clone, Default)]
pub struct SiteQuery {
    pub site_id: Option<SiteId>,
    /// Folded text that the name or an address contains.
    pub text: Option<String>,
    /// Sites whose 就業履歴蓄積期間 overlaps this one.
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Only open (or only closed) sites.
    pub state: Option<SiteState>,
    /// The keyset: sites registered before this one.
    pub before: Option<SiteKey>,
    pub limit: u32,
}

pub(crate) const SITE_COLUMNS: &str = "s.id AS site_key, s.site_id AS site_site_id, \
     s.tier_id AS site_tier_id, s.name AS site_name, s.order_kind AS site_order_kind, \
     s.records_from AS site_records_from, s.records_to AS site_records_to, \
     s.hazardous AS site_hazardous, s.state AS site_state, s.created_at AS site_created_at, \
     s.updated_at AS site_updated_at, s.closed_at AS site_closed_at, \
     pr.id AS prime_id, pr.login_id AS prime_login_id, pr.name AS prime_name, \
     mg.id AS manager_id, mg.login_id AS manager_login_id, mg.name AS manager_name";

pub(crate) const SITE_JOINS: &str =
    "JOIN accounts pr ON pr.id = s.prime_id JOIN accounts mg ON mg.id = s.manager_id";

pub(crate) fn date_from(s: &str) -> Result<Date> {
    parse_iso_date(s).ok_or_else(|| StoreError::Corrupt(format!("date {s:?}")))
}

pub(crate) fn opt_date_from(s: Option<String>) -> Result<Option<Date>> {
    s.as_deref().map(date_from).transpose()
}

pub(crate) fn party_from(r: &AnyRow, prefix: &str) -> Result<Party> {
    let login: String = r.try_get(format!("{prefix}_login_id").as_str())?;
    Ok(Party {
        id: AccountId::new(r.try_get(format!("{prefix}_id").as_str())?),
        login_id: LoginId::parse(&login)
            .map_err(|e| StoreError::Corrupt(format!("login id {login:?}: {e}")))?,
        name: r.try_get(format!("{prefix}_name").as_str())?,
    })
}

pub(crate) fn site_from_row(r: &AnyRow) -> Result<Site> {
    let sid: String = r.try_get("site_site_id")?;
    let order: String = r.try_get("site_order_kind")?;
    let state: String = r.try_get("site_state")?;
    Ok(Site {
        key: SiteKey::new(r.try_get("site_key")?),
        site_id: SiteId::parse(&sid)
            .map_err(|e| StoreError::Corrupt(format!("site id {sid:?}: {e}")))?,
        prime: party_from(r, "prime")?,
        tier_id: r
            .try_get::<Option<i64>, _>("site_tier_id")?
            .map(TierId::new),
        manager: party_from(r, "manager")?,
        name: r.try_get("site_name")?,
        order_kind: OrderKind::parse(&order)
            .ok_or_else(|| StoreError::Corrupt(format!("order kind {order:?}")))?,
        records_from: date_from(&r.try_get::<String, _>("site_records_from")?)?,
        records_to: date_from(&r.try_get::<String, _>("site_records_to")?)?,
        hazardous: r.try_get::<i64, _>("site_hazardous")? != 0,
        state: SiteState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("site state {state:?}")))?,
        created_at: Timestamp(r.try_get("site_created_at")?),
        updated_at: Timestamp(r.try_get("site_updated_at")?),
        closed_at: r
            .try_get::<Option<i64>, _>("site_closed_at")?
            .map(Timestamp),
    })
}

fn contract_from_row(r: &AnyRow) -> Result<Contract> {
    let kind: Option<String> = r.try_get("work_kind")?;
    Ok(Contract {
        id: r.try_get("id")?,
        address: r.try_get("address")?,
        client_name: r.try_get("client_name")?,
        contract_form: r.try_get("contract_form")?,
        period_from: opt_date_from(r.try_get("period_from")?)?,
        period_to: opt_date_from(r.try_get("period_to")?)?,
        work_kind: kind
            .map(|k| WorkKind::parse(&k).ok_or_else(|| StoreError::Corrupt(format!("{k:?}"))))
            .transpose()?,
        work_type: r.try_get("work_type")?,
        scale: r.try_get("scale")?,
    })
}

/// `%text%` for LIKE, with LIKE's own characters taken literally.
pub(crate) fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

impl Sites<&Store> {
    /// A site by its 現場ID.
    pub async fn site(self, site_id: &SiteId) -> Result<Option<Site>> {
        let row = sqlx::query(&format!(
            "SELECT {SITE_COLUMNS} FROM sites s {SITE_JOINS} WHERE s.site_id = $1"
        ))
        .bind(site_id.as_str())
        .fetch_optional(self.db())
        .await?;
        row.map(|r| site_from_row(&r)).transpose()
    }

    /// A site by its row.
    pub async fn site_by_key(self, key: SiteKey) -> Result<Option<Site>> {
        let row = sqlx::query(&format!(
            "SELECT {SITE_COLUMNS} FROM sites s {SITE_JOINS} WHERE s.id = $1"
        ))
        .bind(key.get())
        .fetch_optional(self.db())
        .await?;
        row.map(|r| site_from_row(&r)).transpose()
    }

    /// The contracts a site carries, in the order they were added.
    pub async fn contracts(self, key: SiteKey) -> Result<Vec<Contract>> {
        let rows = sqlx::query(
            "SELECT id, address, client_name, contract_form, period_from, period_to, work_kind, \
             work_type, scale FROM site_contracts WHERE site_id = $1 ORDER BY id",
        )
        .bind(key.get())
        .fetch_all(self.db())
        .await?;
        rows.iter().map(contract_from_row).collect()
    }

    /// The sites a business is on (as 元請 or in its tree, asked or approved), newest first.
    pub async fn sites_of(self, business: AccountId, q: &SiteQuery) -> Result<Vec<SiteListRow>> {
        let mut sql = format!(
            "SELECT {SITE_COLUMNS}, p.id AS my_place, p.state AS my_state \
             FROM site_placements p JOIN sites s ON s.id = p.site_id {SITE_JOINS} \
             WHERE p.business_id = $1 AND p.state IN ('requested', 'active')"
        );
        let mut n = 1;
        let mut next = |sql: &mut String, clause: &str| {
            n += 1;
            sql.push_str(&clause.replace('?', &format!("${n}")));
        };
        if q.site_id.is_some() {
            next(&mut sql, " AND s.site_id = ?");
        }
        if q.text.is_some() {
            next(&mut sql, " AND (s.name_key LIKE ? ESCAPE '\\'");
            next(&mut sql, " OR s.address_key LIKE ? ESCAPE '\\')");
        }
        if q.to.is_some() {
            next(&mut sql, " AND s.records_from <= ?");
        }
        if q.from.is_some() {
            next(&mut sql, " AND s.records_to >= ?");
        }
        if q.state.is_some() {
            next(&mut sql, " AND s.state = ?");
        }
        if q.before.is_some() {
            next(&mut sql, " AND p.site_id < ?");
        }
        next(&mut sql, " ORDER BY p.site_id DESC LIMIT ?");
        let rows = replicas::read!(self, |db| {
            let mut query = sqlx::query(&sql).bind(business.get());
            if let Some(id) = &q.site_id {
                query = query.bind(id.as_str().to_owned());
            }
            if let Some(t) = &q.text {
                let p = like_pattern(t);
                query = query.bind(p.clone()).bind(p);
            }
            if let Some(to) = q.to {
                query = query.bind(format_date(to));
            }
            if let Some(from) = q.from {
                query = query.bind(format_date(from));
            }
            if let Some(s) = q.state {
                query = query.bind(s.as_str());
            }
            if let Some(b) = q.before {
                query = query.bind(b.get());
            }
            query.bind(i64::from(q.limit)).fetch_all(db).await
        })?;
        rows.iter()
            .map(|r| {
                Ok(SiteListRow {
                    site: site_from_row(r)?,
                    my_place: PlacementId::new(r.try_get("my_place")?),
                    my_state: r.try_get("my_state")?,
                })
            })
            .collect()
    }

    /// The open sites a business runs as 元請 (for its fees), counted.
    pub async fn open_sites_of_prime(self, prime: AccountId) -> Result<i64> {
        let row =
            sqlx::query("SELECT COUNT(*) AS n FROM sites WHERE prime_id = $1 AND state = 'open'")
                .bind(prime.get())
                .fetch_one(self.db())
                .await?;
        Ok(row.try_get("n")?)
    }

    /// Whether a business is one person (一人親方), who pays the lower 管理者ID利用料.
    pub async fn is_sole_proprietor(self, business: AccountId) -> Result<bool> {
        let row = sqlx::query("SELECT sole_proprietor FROM accounts WHERE id = $1")
            .bind(business.get())
            .fetch_optional(self.db())
            .await?;
        Ok(match row {
            Some(r) => r.try_get::<i64, _>("sole_proprietor")? != 0,
            None => false,
        })
    }

    /// Every fee as data: (kind, applies from, yen).
    pub async fn fees(self) -> Result<Vec<(String, Date, i64)>> {
        let rows = sqlx::query(
            "SELECT kind, applies_from, amount_yen FROM fees ORDER BY kind, applies_from",
        )
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("kind")?,
                    date_from(&r.try_get::<String, _>("applies_from")?)?,
                    r.try_get("amount_yen")?,
                ))
            })
            .collect()
    }
}

impl Sites<&mut StoreTx> {
    /// Records that a business is one person (一人親方), as its application said at issue.
    pub async fn set_sole_proprietor(&mut self, business: AccountId, sole: bool) -> Result<()> {
        sqlx::query("UPDATE accounts SET sole_proprietor = $1 WHERE id = $2")
            .bind(i64::from(sole))
            .bind(business.get())
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Registers a site. [`StoreError::Conflict`] when the 現場ID is taken (the caller draws
    /// another).
    pub async fn create_site(
        &mut self,
        site_id: &SiteId,
        prime: AccountId,
        tier: Option<TierId>,
        f: &SiteFields,
        created_by: AccountId,
        now: Timestamp,
    ) -> Result<SiteKey> {
        let row = sqlx::query(
            "INSERT INTO sites (site_id, prime_id, tier_id, manager_id, name, name_key, address_key, \
             order_kind, records_from, records_to, hazardous, state, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', $12, $13, $13) RETURNING id",
        )
        .bind(site_id.as_str())
        .bind(prime.get())
        .bind(tier.map(TierId::get))
        .bind(f.manager_id.get())
        .bind(f.name.as_str())
        .bind(f.name_key.as_str())
        .bind(f.address_key.as_str())
        .bind(f.order_kind.as_str())
        .bind(format_date(f.records_from))
        .bind(format_date(f.records_to))
        .bind(i64::from(f.hazardous))
        .bind(created_by.get())
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        Ok(SiteKey::new(row.try_get("id")?))
    }

    /// Rewrites a site's 現場情報.
    pub async fn update_site(
        &mut self,
        key: SiteKey,
        f: &SiteFields,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE sites SET manager_id = $1, name = $2, name_key = $3, address_key = $4, \
             order_kind = $5, records_from = $6, records_to = $7, hazardous = $8, updated_at = $9 \
             WHERE id = $10",
        )
        .bind(f.manager_id.get())
        .bind(f.name.as_str())
        .bind(f.name_key.as_str())
        .bind(f.address_key.as_str())
        .bind(f.order_kind.as_str())
        .bind(format_date(f.records_from))
        .bind(format_date(f.records_to))
        .bind(i64::from(f.hazardous))
        .bind(now.0)
        .bind(key.get())
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Replaces a site's contracts.
    pub async fn set_contracts(
        &mut self,
        key: SiteKey,
        contracts: &[Contract],
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query("DELETE FROM site_contracts WHERE site_id = $1")
            .bind(key.get())
            .execute(self.conn())
            .await?;
        for c in contracts {
            sqlx::query(
                "INSERT INTO site_contracts (site_id, address, client_name, contract_form, \
                 period_from, period_to, work_kind, work_type, scale, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(key.get())
            .bind(c.address.as_str())
            .bind(c.client_name.as_str())
            .bind(c.contract_form.as_str())
            .bind(c.period_from.map(format_date))
            .bind(c.period_to.map(format_date))
            .bind(c.work_kind.map(WorkKind::as_str))
            .bind(c.work_type.as_str())
            .bind(c.scale.as_str())
            .bind(now.0)
            .execute(self.conn())
            .await?;
        }
        Ok(())
    }

    /// Takes the site's turn: every change to a site's tree or state starts here, so that
    /// concurrent changes of one site happen one after the other (a row lock on PostgreSQL;
    /// SQLite's writer lock already orders them). The site as it now stands, or `None`.
    pub async fn lock_site(&mut self, key: SiteKey) -> Result<Option<Site>> {
        let r = sqlx::query("UPDATE sites SET tree_version = tree_version + 1 WHERE id = $1")
            .bind(key.get())
            .execute(self.conn())
            .await?;
        if r.rows_affected() == 0 {
            return Ok(None);
        }
        let row = sqlx::query(&format!(
            "SELECT {SITE_COLUMNS} FROM sites s {SITE_JOINS} WHERE s.id = $1"
        ))
        .bind(key.get())
        .fetch_one(self.conn())
        .await?;
        Ok(Some(site_from_row(&row)?))
    }

    /// Closes (`Some`) or re-opens (`None`) a site.
    pub async fn set_site_closed(
        &mut self,
        key: SiteKey,
        closed_at: Option<Timestamp>,
        now: Timestamp,
    ) -> Result<()> {
        let state = if closed_at.is_some() {
            SiteState::Closed
        } else {
            SiteState::Open
        };
        sqlx::query("UPDATE sites SET state = $1, closed_at = $2, updated_at = $3 WHERE id = $4")
            .bind(state.as_str())
            .bind(closed_at.map(|t| t.0))
            .bind(now.0)
            .bind(key.get())
            .execute(self.conn())
            .await?;
        Ok(())
    }
}
