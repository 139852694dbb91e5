//! A worker's 就業履歴 as the helpdesk reads it, and its 補正: a record's times set right (by
//! the end of the month after the work day, like every 直接入力 and approval), or a record that
//! should never have been made (someone else's card, a day entered twice) withdrawn — at any
//! time, since a false day must not keep counting. Each needs a reason and is in the 操作の記録.

use ccus_domain::records::{check_entry, EntryRefusal};
use ccus_domain::{Date, RecordId};
use ccus_storage::{Account, Staff};

use crate::actor::clean_reason;
use crate::audit::{self, Actor, AuditAction, AuditEvent};
use crate::records::direct::{day_detail, time_on};
use crate::{App, AppResult};

/// A 補正 as typed.
#[derive(Debug, Clone)]
pub struct Correction {
    pub day: Date,
    pub record: RecordId,
    /// `HH:MM`, JST; empty for none.
    pub first_in: String,
    pub last_out: String,
    /// Withdraw the record instead (the times are then kept as they are).
    pub withdraw: bool,
}

/// How a 補正 went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorrectionOutcome {
    Done,
    NeedsReason,
    /// A time is not `HH:MM`, or the exit is before the entry's day.
    InvalidTime,
    /// The end of the month after the work day (the date given) has passed: times are kept.
    TooLate(Date),
    /// No such record of the worker.
    Gone,
}

/// Corrects one record of the worker `a`.
pub async fn correct_record(
    app: &App,
    staff: &Staff,
    a: &Account,
    c: &Correction,
    reason: &str,
) -> AppResult<CorrectionOutcome> {
    let reason = clean_reason(reason);
    if reason.is_empty() {
        return Ok(CorrectionOutcome::NeedsReason);
    }
    let now = app.clock().now();
    let Some(record) = app.store().records().record(c.day, c.record).await? else {
        return Ok(CorrectionOutcome::Gone);
    };
    if record.account != a.id {
        return Ok(CorrectionOutcome::Gone);
    }
    let (first_in, last_out) = if c.withdraw {
        (record.first_in, record.last_out)
    } else {
        if let Err(EntryRefusal::TooLate(closed)) = check_entry(c.day, crate::sites::today(now)) {
            return Ok(CorrectionOutcome::TooLate(closed));
        }
        let (Ok(first_in), Ok(last_out)) =
            (time_on(c.day, &c.first_in), time_on(c.day, &c.last_out))
        else {
            return Ok(CorrectionOutcome::InvalidTime);
        };
        // An exit before the entry was the next morning (a night shift), as when entered.
        let last_out = last_out.map(|out| match first_in {
            Some(i) if out < i => out.plus(std::time::Duration::from_secs(86_400)),
            _ => out,
        });
        if first_in.is_some_and(|t| t > now) || last_out.is_some_and(|t| t > now) {
            return Ok(CorrectionOutcome::InvalidTime);
        }
        (first_in, last_out)
    };
    let Some(site) = app.store().sites().site_by_key(record.site).await? else {
        return Ok(CorrectionOutcome::Gone);
    };
    let mut tx = app.store().begin_write().await?;
    if !tx
        .records()
        .correct(a.id, c.day, c.record, first_in, last_out, c.withdraw, now)
        .await?
    {
        return Ok(CorrectionOutcome::Gone);
    }
    let event = AuditEvent::new(
        AuditAction::RecordCorrected,
        day_detail(&site, a.login_id.as_str(), c.day),
    )
    .on(a.id)
    .because(&reason);
    audit::record(&mut tx, &Actor::Staff { pk: staff.id }, event, now).await?;
    tx.commit().await?;
    tracing::info!(staff = %staff.staff_id, account = %a.id, withdrawn = c.withdraw, "record corrected");
    Ok(CorrectionOutcome::Done)
}
