//! Business organisations: tiers, the people with a 管理者ID (each an account of its own) and
//! what they did to each other.

use ccus_domain::org::{Role, Tier};
use ccus_domain::Timestamp;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::accounts::{account_from_row, ACCOUNT_COLUMNS};
use crate::{Account, Result, Store, StoreError, StoreTx};

/// A person of a business with their own 管理者ID.
#[derive(Debug, Clone)]
pub struct Member {
    pub account: Account,
    /// The 事業者ID account of the business.
    pub business_id: i64,
    pub role: Role,
    pub tier_id: Option<i64>,
    pub created_by: i64,
    pub created_at: Timestamp,
    pub disabled_at: Option<Timestamp>,
}

/// One entry of a business's 操作の記録.
#[derive(Debug, Clone)]
pub struct OrgAuditEntry {
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
    pub at: Timestamp,
}

const MEMBER_COLUMNS: &str =
    "m.business_id, m.role, m.tier_id, m.created_by, m.created_at AS m_created, m.disabled_at";

fn member_from_row(r: &AnyRow) -> Result<Member> {
    let role: String = r.try_get("role")?;
    Ok(Member {
        account: account_from_row(r)?,
        business_id: r.try_get("business_id")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role:?}")))?,
        tier_id: r.try_get("tier_id")?,
        created_by: r.try_get("created_by")?,
        created_at: Timestamp(r.try_get("m_created")?),
        disabled_at: r.try_get::<Option<i64>, _>("disabled_at")?.map(Timestamp),
    })
}

fn tier_from_row(r: &AnyRow) -> Result<Tier> {
    let level: i64 = r.try_get("level")?;
    Ok(Tier {
        id: r.try_get("id")?,
        parent: r.try_get("parent_id")?,
        level: u8::try_from(level).map_err(|_| StoreError::Corrupt(format!("level {level}")))?,
        name: r.try_get("name")?,
    })
}

impl Store {
    /// The tiers of a business, top ones first.
    pub async fn org_tiers(&self, business_id: i64) -> Result<Vec<Tier>> {
        let rows = sqlx::query(
            "SELECT id, parent_id, level, name FROM org_tiers WHERE business_id = $1 ORDER BY level, id",
        )
        .bind(business_id)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(tier_from_row).collect()
    }

    /// The people (管理者ID) of a business, oldest first.
    pub async fn org_members(&self, business_id: i64) -> Result<Vec<Member>> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, {MEMBER_COLUMNS} FROM org_members m \
             JOIN accounts a ON a.id = m.account_id WHERE m.business_id = $1 ORDER BY a.id"
        ))
        .bind(business_id)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(member_from_row).collect()
    }

    /// The membership of a 管理者ID's account.
    pub async fn org_member(&self, account_id: i64) -> Result<Option<Member>> {
        let row = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS}, {MEMBER_COLUMNS} FROM org_members m \
             JOIN accounts a ON a.id = m.account_id WHERE m.account_id = $1"
        ))
        .bind(account_id)
        .fetch_optional(self.db())
        .await?;
        row.map(|r| member_from_row(&r)).transpose()
    }

    /// A business's 操作の記録, newest first.
    pub async fn org_audit(&self, business_id: i64, limit: u32) -> Result<Vec<OrgAuditEntry>> {
        let rows = sqlx::query(
            "SELECT x.login_id AS actor, x.name AS actor_name, o.action, \
                    COALESCE(t.login_id, '') AS target, COALESCE(t.name, '') AS target_name, o.detail, o.at \
             FROM org_audit o JOIN accounts x ON x.id = o.actor_id \
             LEFT JOIN accounts t ON t.id = o.target_id \
             WHERE o.business_id = $1 ORDER BY o.at DESC, o.id DESC LIMIT $2",
        )
        .bind(business_id)
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                let actor: String = r.try_get("actor")?;
                let actor_name: String = r.try_get("actor_name")?;
                let target: String = r.try_get("target")?;
                let target_name: String = r.try_get("target_name")?;
                Ok(OrgAuditEntry {
                    actor: format!("{actor_name}（{actor}）"),
                    action: r.try_get("action")?,
                    target: if target.is_empty() {
                        String::new()
                    } else {
                        format!("{target_name}（{target}）")
                    },
                    detail: r.try_get("detail")?,
                    at: Timestamp(r.try_get("at")?),
                })
            })
            .collect()
    }
}

impl StoreTx {
    pub async fn create_tier(
        &mut self,
        business_id: i64,
        parent: Option<i64>,
        level: u8,
        name: &str,
        now: Timestamp,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO org_tiers (business_id, parent_id, level, name, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(business_id)
        .bind(parent)
        .bind(i64::from(level))
        .bind(name)
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get("id")?)
    }

    pub async fn add_member(
        &mut self,
        account_id: i64,
        business_id: i64,
        role: Role,
        tier: Option<i64>,
        created_by: i64,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO org_members (account_id, business_id, role, tier_id, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(account_id)
        .bind(business_id)
        .bind(role.as_str())
        .bind(tier)
        .bind(created_by)
        .bind(now.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Stops (`Some`) or resumes (`None`) a 管理者ID; false when it already was so.
    pub async fn set_member_disabled(
        &mut self,
        account_id: i64,
        disabled_at: Option<Timestamp>,
    ) -> Result<bool> {
        let sql = if disabled_at.is_some() {
            "UPDATE org_members SET disabled_at = $1 WHERE account_id = $2 AND disabled_at IS NULL"
        } else {
            "UPDATE org_members SET disabled_at = $1 WHERE account_id = $2 AND disabled_at IS NOT NULL"
        };
        let r = sqlx::query(sql)
            .bind(disabled_at.map(|t| t.0))
            .bind(account_id)
            .execute(self.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }

    pub async fn org_audit(
        &mut self,
        business_id: i64,
        actor_id: i64,
        action: &str,
        target_id: Option<i64>,
        detail: &str,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO org_audit (business_id, actor_id, action, target_id, detail, at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(business_id)
        .bind(actor_id)
        .bind(action)
        .bind(target_id)
        .bind(detail)
        .bind(now.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
