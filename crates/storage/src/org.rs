//! Business organisations: tiers and the people with a 管理者ID (each an account of its own);
//! what they did is in the audit log (`audit.rs`), scoped to the business.

use ccus_domain::org::{Role, Tier};
use ccus_domain::{AccountId, TierId, Timestamp};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::accounts::{account_from_row, ACCOUNT_COLUMNS};
use crate::{Account, Organisations, Result, Store, StoreError, StoreTx};

/// A person of a business with their own 管理者ID.
#[derive(Debug, Clone)]
pub struct Member {
    pub account: Account,
    /// The 事業者ID account of the business.
    pub business_id: AccountId,
    pub role: Role,
    pub tier_id: Option<TierId>,
    pub created_by: AccountId,
    pub created_at: Timestamp,
    pub disabled_at: Option<Timestamp>,
}

const MEMBER_COLUMNS: &str =
    "m.business_id, m.role, m.tier_id, m.created_by, m.created_at AS m_created, m.disabled_at";

fn member_from_row(r: &AnyRow) -> Result<Member> {
    let role: String = r.try_get("role")?;
    Ok(Member {
        account: account_from_row(r)?,
        business_id: AccountId::new(r.try_get("business_id")?),
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
        tier_id: r.try_get::<Option<i64>, _>("tier_id")?.map(TierId::new),
        created_by: AccountId::new(r.try_get("created_by")?),
        created_at: Timestamp(r.try_get("m_created")?),
        disabled_at: r.try_get::<Option<i64>, _>("disabled_at")?.map(Timestamp),
    })
}

fn tier_from_row(r: &AnyRow) -> Result<Tier> {
    let level: i64 = r.try_get("level")?;
    Ok(Tier {
        id: TierId::new(r.try_get("id")?),
        parent: r.try_get::<Option<i64>, _>("parent_id")?.map(TierId::new),
        level: u8::try_from(level).map_err(|_| StoreError::Corrupt(format!("level {level}")))?,
        name: r.try_get("name")?,
    })
}

impl Organisations<&Store> {
    /// The tiers of a business, top ones first.
    pub async fn org_tiers(self, business_id: AccountId) -> Result<Vec<Tier>> {
        let rows = sqlx::query(
            "SELECT id, parent_id, level, name FROM org_tiers WHERE business_id = $1 ORDER BY level, id",
        )
        .bind(business_id.get())
        .fetch_all(self.db())
        .await?;
        rows.iter().map(tier_from_row).collect()
    }

    /// The people (管理者ID) of a business, oldest first.
    pub async fn org_members(self, business_id: AccountId) -> Result<Vec<Member>> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, {MEMBER_COLUMNS} FROM org_members m \
             JOIN accounts a ON a.id = m.account_id WHERE m.business_id = $1 ORDER BY a.id"
        ))
        .bind(business_id.get())
        .fetch_all(self.db())
        .await?;
        rows.iter().map(member_from_row).collect()
    }

    /// The membership of a 管理者ID's account.
    pub async fn org_member(self, account_id: AccountId) -> Result<Option<Member>> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, {MEMBER_COLUMNS} FROM org_members m \
             JOIN accounts a ON a.id = m.account_id WHERE m.account_id = $1"
        ))
        .bind(account_id.get())
        .fetch_optional(self.db())
        .await?;
        row.map(|r| member_from_row(&r)).transpose()
    }
}

impl Organisations<&mut StoreTx> {
    pub async fn create_tier(
        &mut self,
        business_id: AccountId,
        parent: Option<i64>,
        level: u8,
        name: &str,
        now: Timestamp,
    ) -> Result<TierId> {
        let row = sqlx::query(
            "INSERT INTO org_tiers (business_id, parent_id, level, name, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(business_id.get())
        .bind(parent)
        .bind(i64::from(level))
        .bind(name)
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        Ok(TierId::new(row.try_get("id")?))
    }

    pub async fn add_member(
        &mut self,
        account_id: AccountId,
        business_id: AccountId,
        role: Role,
        tier: Option<i64>,
        created_by: AccountId,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO org_members (account_id, business_id, role, tier_id, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(account_id.get())
        .bind(business_id.get())
        .bind(role.as_str())
        .bind(tier)
        .bind(created_by.get())
        .bind(now.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Stops (`Some`) or resumes (`None`) a 管理者ID; false when it already was so.
    pub async fn set_member_disabled(
        &mut self,
        account_id: AccountId,
        disabled_at: Option<Timestamp>,
    ) -> Result<bool> {
        let sql = if disabled_at.is_some() {
            "UPDATE org_members SET disabled_at = $1 WHERE account_id = $2 AND disabled_at IS NULL"
        } else {
            "UPDATE org_members SET disabled_at = $1 WHERE account_id = $2 AND disabled_at IS NOT NULL"
        };
        let r = sqlx::query(sql)
            .bind(disabled_at.map(|t| t.0))
            .bind(account_id.get())
            .execute(self.conn())
            .await?;
        // Its sessions, and the 代行申請 sessions it opened, are read again at once.
        self.sessions_ended(crate::SessionEnd::Account(account_id.get()))
            .await?;
        Ok(r.rows_affected() == 1)
    }
}

/// A 所属 request between a business and a technician.
#[derive(Debug, Clone)]
pub struct AffiliationRequest {
    pub id: i64,
    pub technician: Account,
    pub business: Account,
    /// `requested`, `accepted`, `declined` or `withdrawn`.
    pub status: String,
    pub requested_at: Timestamp,
    pub answered_at: Option<Timestamp>,
}

const REQUEST_SELECT: &str = "SELECT r.id, r.status, r.requested_at, r.answered_at, \
     t.id AS t_id, t.login_id AS t_login_id, b.id AS b_id, b.login_id AS b_login_id \
     FROM affiliation_requests r JOIN accounts t ON t.id = r.technician_id \
     JOIN accounts b ON b.id = r.business_id";

impl Organisations<&Store> {
    async fn request_from_row(self, r: &AnyRow) -> Result<AffiliationRequest> {
        let (t, b): (i64, i64) = (r.try_get("t_id")?, r.try_get("b_id")?);
        let technician = self
            .accounts()
            .account_by_id(AccountId::new(t))
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("account {t}")))?;
        let business = self
            .accounts()
            .account_by_id(AccountId::new(b))
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("account {b}")))?;
        Ok(AffiliationRequest {
            id: r.try_get("id")?,
            technician,
            business,
            status: r.try_get("status")?,
            requested_at: Timestamp(r.try_get("requested_at")?),
            answered_at: r.try_get::<Option<i64>, _>("answered_at")?.map(Timestamp),
        })
    }

    /// Open 所属 requests to a technician, or from a business (`business = true`).
    pub async fn open_affiliation_requests(
        self,
        account_id: AccountId,
        business: bool,
    ) -> Result<Vec<AffiliationRequest>> {
        let column = if business {
            "r.business_id"
        } else {
            "r.technician_id"
        };
        let rows = sqlx::query(&format!(
            "{REQUEST_SELECT} WHERE {column} = $1 AND r.status = 'requested' ORDER BY r.id DESC LIMIT 200"
        ))
        .bind(account_id.get())
        .fetch_all(self.db())
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.request_from_row(r).await?);
        }
        Ok(out)
    }

    pub async fn affiliation_request(self, id: i64) -> Result<Option<AffiliationRequest>> {
        let row = sqlx::query(&format!("{REQUEST_SELECT} WHERE r.id = $1"))
            .bind(id)
            .fetch_optional(self.db())
            .await?;
        match row {
            Some(r) => Ok(Some(self.request_from_row(&r).await?)),
            None => Ok(None),
        }
    }

    /// The technicians whose current employer is `business_id`, by name.
    pub async fn technicians_of(self, business_id: AccountId, limit: u32) -> Result<Vec<Account>> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.employer_id = $1 ORDER BY a.id LIMIT $2"
        ))
        .bind(business_id.get())
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter().map(account_from_row).collect()
    }

    /// A technician's disclosure setting: `public` (開示) or, by default, `private` (非開示).
    pub async fn disclosure(self, account_id: AccountId) -> Result<String> {
        let row = sqlx::query("SELECT level FROM disclosures WHERE account_id = $1")
            .bind(account_id.get())
            .fetch_optional(self.db())
            .await?;
        Ok(match row {
            Some(r) => r.try_get("level")?,
            None => "private".to_owned(),
        })
    }
}

impl Organisations<&mut StoreTx> {
    /// A new 所属 request; an earlier open one between the same two is replaced.
    pub async fn request_affiliation(
        &mut self,
        technician_id: AccountId,
        business_id: AccountId,
        requested_by: AccountId,
        now: Timestamp,
    ) -> Result<i64> {
        sqlx::query(
            "UPDATE affiliation_requests SET status = 'withdrawn', answered_at = $1 \
             WHERE technician_id = $2 AND business_id = $3 AND status = 'requested'",
        )
        .bind(now.0)
        .bind(technician_id.get())
        .bind(business_id.get())
        .execute(self.conn())
        .await?;
        let row = sqlx::query(
            "INSERT INTO affiliation_requests (technician_id, business_id, requested_by, status, requested_at) \
             VALUES ($1, $2, $3, 'requested', $4) RETURNING id",
        )
        .bind(technician_id.get())
        .bind(business_id.get())
        .bind(requested_by.get())
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Answers an open request once; false when it was no longer open.
    pub async fn answer_affiliation(
        &mut self,
        id: i64,
        status: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE affiliation_requests SET status = $1, answered_at = $2 WHERE id = $3 AND status = 'requested'",
        )
        .bind(status)
        .bind(now.0)
        .bind(id)
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Sets (or clears) a technician's current employer.
    pub async fn set_employer(
        &mut self,
        technician_id: AccountId,
        business_id: Option<i64>,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query("UPDATE accounts SET employer_id = $1, updated_at = $2 WHERE id = $3")
            .bind(business_id)
            .bind(now.0)
            .bind(technician_id.get())
            .execute(self.conn())
            .await?;
        self.sessions_ended(crate::SessionEnd::Account(technician_id.get()))
            .await?;
        Ok(())
    }

    pub async fn set_disclosure(
        &mut self,
        account_id: AccountId,
        level: &str,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query("DELETE FROM disclosures WHERE account_id = $1")
            .bind(account_id.get())
            .execute(self.conn())
            .await?;
        sqlx::query("INSERT INTO disclosures (account_id, level, updated_at) VALUES ($1, $2, $3)")
            .bind(account_id.get())
            .bind(level)
            .bind(now.0)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}
