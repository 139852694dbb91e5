//! The audit log of every actor (`audit_log`): the helpdesk's own entries and each business's
//! 操作の記録, told apart by `business_id`. Storage keeps columns only — who acted (by kind and
//! key), on which account, the action's code, the reason and the detail as JSON text; what
//! they mean is the application's typed audit model (`ccus_app::audit`).

use ccus_domain::{AccountId, ClientId, StaffId, Timestamp};
use sqlx::Row;

use crate::{Audits, Result, Store, StoreTx};

/// An entry to write, as columns.
#[derive(Debug, Clone, Default)]
pub struct NewAuditEntry {
    /// `staff`, `operator`, `member`, `client`, `unrecognised` (the application's actor kinds).
    pub actor_kind: String,
    pub staff_pk: Option<StaffId>,
    /// The partner-API client that acted (for the business whose grant it used).
    pub actor_client_id: Option<ClientId>,
    pub actor_account_id: Option<AccountId>,
    /// Words that name an actor with no row of its own (a staff ID that matched nobody).
    pub actor_label: String,
    /// The business whose 操作の記録 this is; `None` for the helpdesk's log.
    pub business_id: Option<AccountId>,
    /// The account acted on.
    pub subject_account_id: Option<AccountId>,
    /// The action's stable code.
    pub action: String,
    pub reason: String,
    /// The structured detail (JSON text).
    pub data: String,
}

/// Whose log to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditScope {
    /// The helpdesk's log: staff, the command line and anyone refused at its sign-in.
    Helpdesk,
    /// One business's 操作の記録 (its 事業者ID account).
    Business(AccountId),
}

/// An entry as stored, with the names of the people it points at.
#[derive(Debug, Clone)]
pub struct StoredAuditEntry {
    pub at: Timestamp,
    pub actor_kind: String,
    pub actor_label: String,
    pub staff_id: Option<String>,
    pub staff_name: Option<String>,
    pub actor_login_id: Option<String>,
    pub actor_name: Option<String>,
    /// The partner-API client that acted, by its name and vendor.
    pub client_name: Option<String>,
    pub client_vendor: Option<String>,
    pub subject_login_id: Option<String>,
    pub action: String,
    pub reason: String,
    /// The words an entry written before the structured detail recorded.
    pub recorded: String,
    /// The structured detail; `None` for an entry written before it.
    pub data: Option<String>,
}

const SELECT: &str = "SELECT l.at AS at, l.actor_kind AS actor_kind, l.actor AS actor_label, \
     s.staff_id AS staff_id, s.name AS staff_name, x.login_id AS actor_login_id, \
     x.name AS actor_name, c.name AS client_name, c.vendor AS client_vendor, \
     a.login_id AS subject_login_id, l.action AS action, \
     l.reason AS reason, l.detail AS recorded, l.data AS data \
     FROM audit_log l LEFT JOIN staff s ON s.id = l.staff_pk \
     LEFT JOIN api_clients c ON c.id = l.actor_client_id \
     LEFT JOIN accounts x ON x.id = l.actor_account_id \
     LEFT JOIN accounts a ON a.id = l.account_id";

impl Audits<&Store> {
    /// The newest entries of one log.
    pub async fn audit_entries(
        self,
        scope: AuditScope,
        limit: u32,
    ) -> Result<Vec<StoredAuditEntry>> {
        let rows = match scope {
            AuditScope::Helpdesk => {
                sqlx::query(&format!(
                    "{SELECT} WHERE l.business_id IS NULL ORDER BY l.at DESC, l.id DESC LIMIT $1"
                ))
                .bind(i64::from(limit))
                .fetch_all(self.db())
                .await?
            }
            AuditScope::Business(business_id) => {
                sqlx::query(&format!(
                    "{SELECT} WHERE l.business_id = $1 ORDER BY l.at DESC, l.id DESC LIMIT $2"
                ))
                .bind(business_id.get())
                .bind(i64::from(limit))
                .fetch_all(self.db())
                .await?
            }
        };
        rows.iter()
            .map(|r| {
                Ok(StoredAuditEntry {
                    at: Timestamp(r.try_get("at")?),
                    actor_kind: r.try_get("actor_kind")?,
                    actor_label: r.try_get("actor_label")?,
                    staff_id: r.try_get("staff_id")?,
                    staff_name: r.try_get("staff_name")?,
                    actor_login_id: r.try_get("actor_login_id")?,
                    actor_name: r.try_get("actor_name")?,
                    client_name: r.try_get("client_name")?,
                    client_vendor: r.try_get("client_vendor")?,
                    subject_login_id: r.try_get("subject_login_id")?,
                    action: r.try_get("action")?,
                    reason: r.try_get("reason")?,
                    recorded: r.try_get("recorded")?,
                    data: r.try_get("data")?,
                })
            })
            .collect()
    }
}

impl Audits<&mut StoreTx> {
    /// Writes an audit entry, in the same transaction as the action it records.
    pub async fn record_audit(&mut self, e: &NewAuditEntry, now: Timestamp) -> Result<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_kind, staff_pk, actor_account_id, actor, \
             business_id, account_id, action, reason, detail, data, actor_client_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', $10, $11)",
        )
        .bind(now.0)
        .bind(&e.actor_kind)
        .bind(e.staff_pk.map(StaffId::get))
        .bind(e.actor_account_id.map(AccountId::get))
        .bind(&e.actor_label)
        .bind(e.business_id.map(AccountId::get))
        .bind(e.subject_account_id.map(AccountId::get))
        .bind(&e.action)
        .bind(&e.reason)
        .bind(&e.data)
        .bind(e.actor_client_id.map(ClientId::get))
        .execute(self.conn())
        .await?;
        Ok(())
    }
}
