//! Technicians' IC cards: the number recorded when the ID is made (`account::provisioning`),
//! a card reported lost — by the worker on their 就業履歴 page, or by the helpdesk — which stops
//! counting at once (its touches are refused `card_stopped`), and a new card with a new number
//! issued by the helpdesk once the ¥1,000 fee is paid. Each is in the audit log.

use ccus_domain::{AccessEventKind, AccountId, AccountKind, Timestamp};
use ccus_storage::{Account, Card, ClientInfo, StoreTx};

use crate::error::AppError;
use crate::{App, AppResult};

/// The fee for a new card, in yen (shown to the helpdesk; the portal takes no payment).
pub const REISSUE_FEE_YEN: i64 = 1_000;

/// Days before its expiry from which the records page reminds the worker to renew.
pub const RENEWAL_REMINDER_DAYS: i64 = 90;

/// A technician's card in use.
pub async fn card_of(app: &App, account: AccountId) -> AppResult<Option<Card>> {
    Ok(app.store().records().card_of(account).await?)
}

/// Stops the card in use as lost; its number, or `None` when none was in use.
pub(crate) async fn stop_lost(
    tx: &mut StoreTx,
    account: AccountId,
    by: &str,
    now: Timestamp,
) -> AppResult<Option<String>> {
    Ok(tx.records().stop_card(account, "lost", by, now).await?)
}

/// A new card for `account` (the one in use, if any, is replaced); the new number.
pub(crate) async fn replace(
    tx: &mut StoreTx,
    account: AccountId,
    by: &str,
    now: Timestamp,
) -> AppResult<String> {
    tx.records().stop_card(account, "replaced", by, now).await?;
    let number = crate::tokens::new_card_number();
    let today = crate::sites::today(now);
    tx.records()
        .add_card(
            account,
            &number,
            ccus_domain::records::card_expiry(today),
            now,
        )
        .await?;
    Ok(number)
}

/// The worker reports their own card lost, from `client`; it is in their アクセス履歴. False
/// when no card was in use.
pub async fn report_own_lost(app: &App, me: &Account, client: &ClientInfo) -> AppResult<bool> {
    if me.kind() != AccountKind::Technician {
        return Err(AppError::Forbidden);
    }
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    if stop_lost(&mut tx, me.id, "technician", now)
        .await?
        .is_none()
    {
        return Ok(false);
    }
    tx.history()
        .record_event(&me.login_id, AccessEventKind::CardReportedLost, client, now)
        .await?;
    tx.commit().await?;
    tracing::info!(account = %me.id, "card reported lost by its holder");
    Ok(true)
}
