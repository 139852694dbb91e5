//! The one way a lock is lifted, whoever lifts it: the owner through the link in the lock
//! mail, a password reset, the helpdesk console, or an operator with `ccus admin unlock`.
//! It always lifts every counter of the ID — the ID's own and those of the browsers in which
//! the owner has logged in (device cookies) — so no path leaves the owner's own browser
//! locked, and it records who lifted it in the account's アクセス履歴.

use ccus_domain::{AccessEventKind, LoginId, Timestamp};
use ccus_storage::{ClientInfo, LiftedLocks, StoreTx};

/// Who lifts the lock; decides the entry in the アクセス履歴.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnlockBy {
    /// The owner, with the link from the lock mail.
    OwnerByMail,
    /// A password reset: the reset's own history entry says what happened.
    PasswordReset,
    /// Helpdesk staff in the console (audited by the caller in the same transaction).
    Helpdesk,
    /// An operator on the command line.
    Operator,
    /// The person's own business (its 事業者責任者 or a 階層管理者), audited by the caller.
    Organisation,
}

impl UnlockBy {
    fn event(self) -> Option<AccessEventKind> {
        match self {
            UnlockBy::OwnerByMail => Some(AccessEventKind::UnlockedByMail),
            UnlockBy::PasswordReset => None,
            UnlockBy::Helpdesk => Some(AccessEventKind::HelpdeskUnlocked),
            UnlockBy::Operator => Some(AccessEventKind::Unlocked),
            UnlockBy::Organisation => Some(AccessEventKind::OrgUnlocked),
        }
    }
}

/// Lifts every lock of `login_id` inside `tx` and records it. Says what was locked.
pub async fn lift(
    tx: &mut StoreTx,
    login_id: &LoginId,
    by: UnlockBy,
    client: &ClientInfo,
    now: Timestamp,
) -> Result<LiftedLocks, ccus_storage::StoreError> {
    let lifted = tx.guards().lift_locks(login_id, now).await?;
    if let Some(event) = by.event() {
        tx.history()
            .record_event(login_id, event, client, now)
            .await?;
    }
    Ok(lifted)
}

/// `ccus admin unlock`: an operator lifts every lock of an ID from the command line.
pub async fn by_operator(app: &crate::App, login_id: &LoginId) -> crate::AppResult<LiftedLocks> {
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    let lifted = lift(
        &mut tx,
        login_id,
        UnlockBy::Operator,
        &ClientInfo {
            address: "operator".into(),
            user_agent: "ccus admin unlock".into(),
        },
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(login_id = %login_id.as_str(), ?lifted, "unlocked by an operator");
    Ok(lifted)
}
