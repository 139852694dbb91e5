//! A business's own 就業履歴 pages: the days workers were listed under it, month by month (each
//! worker shown as far as their disclosure setting allows: [`name_shown`]); its own workers'
//! (所属) 未配置 touches — a card touched at a site where no 名簿 held the worker — placed once
//! the worker is on the site's 名簿, within the same deadline as 直接入力; one of its own
//! workers' records and card, and that card reported lost.

use ccus_domain::org::{Action, Target};
use ccus_domain::records::{check_entry, month_span, EntryRefusal};
use ccus_domain::site::SiteState;
use ccus_domain::{AccessEventKind, AccountKind, Date, LoginId, RecordId, SiteId};
use ccus_storage::{Account, ClientInfo, UnplacedDay, WorkRecord};

use crate::audit::{self, AuditAction, AuditDetail, AuditEvent};
use crate::error::AppError;
use crate::org::affiliation::{name_shown, Disclosure};
use crate::org::OrgContext;
use crate::records::direct::day_detail;
use crate::records::worker::{my_records, MyRecords};
use crate::sites::today;
use crate::{App, AppResult};

/// Records on one page of the business's month.
pub const PAGE: u32 = 200;

/// A record under the business, with the worker as the business may see them.
#[derive(Debug, Clone)]
pub struct BusinessRow {
    pub record: WorkRecord,
    pub worker_login_id: String,
    /// `None` where the worker's disclosure setting hides it.
    pub worker_name: Option<String>,
    /// The business's own worker (所属): their page is open to it.
    pub own: bool,
}

/// What the business's records page shows.
#[derive(Debug, Clone)]
pub struct BusinessMonth {
    pub month: Date,
    pub previous: Date,
    pub next: Option<Date>,
    pub rows: Vec<BusinessRow>,
    /// The keyset of the next page of the month, when there is one.
    pub more: Option<(Date, RecordId)>,
    /// The 未配置 days of its own workers that may still be placed.
    pub unplaced: Vec<UnplacedDay>,
    pub may_place: bool,
}

/// The first work day whose touches may still be placed (or entered by hand) today: the first
/// of last month.
fn placeable_since(today: Date) -> Date {
    let (this_month, _) = month_span(today);
    month_span(this_month.previous_day().unwrap_or(this_month)).0
}

/// The records made under the business in the month `month` falls in (this month when
/// `None`), a page at a time.
pub async fn month(
    app: &App,
    ctx: &OrgContext,
    month: Option<Date>,
    after: Option<(Date, RecordId)>,
) -> AppResult<BusinessMonth> {
    if !ctx.may(Action::ViewTechnicians, Target::Business) {
        return Err(AppError::Forbidden);
    }
    let today = today(app.clock().now());
    let (this_month, _) = month_span(today);
    let (first, last) = month_span(month.unwrap_or(today).min(today));
    let b = ctx.business.id;
    let mut found = app
        .store()
        .records()
        .business_records(b, first, last, after, PAGE + 1)
        .await?;
    let more = if found.len() > PAGE as usize {
        found.truncate(PAGE as usize);
        found.last().map(|r| (r.record.day, r.record.id))
    } else {
        None
    };
    let rows = found
        .into_iter()
        .map(|r| {
            let shown = name_shown(b, r.worker_employer, Disclosure::parse(&r.disclosure));
            BusinessRow {
                worker_login_id: r.worker_login_id,
                worker_name: shown.then_some(r.worker_name),
                own: r.worker_employer == Some(b),
                record: r.record,
            }
        })
        .collect();
    let unplaced = app
        .store()
        .records()
        .unplaced_of_employer(b, placeable_since(today), 200)
        .await?;
    Ok(BusinessMonth {
        month: first,
        previous: month_span(first.previous_day().unwrap_or(first)).0,
        next: (first < this_month).then(|| month_span(last.next_day().unwrap_or(last)).0),
        rows,
        more,
        unplaced,
        may_place: ctx.may(Action::EditRoster, Target::Business),
    })
}

/// One of the business's own workers (所属), found by 技能者ID.
async fn own_worker(app: &App, ctx: &OrgContext, login_id: &str) -> AppResult<Option<Account>> {
    let Ok(id) = LoginId::parse(login_id) else {
        return Ok(None);
    };
    if id.kind() != AccountKind::Technician {
        return Ok(None);
    }
    Ok(app
        .store()
        .accounts()
        .account_by_login_id(&id)
        .await?
        .filter(|t| t.profile.employer_id == Some(ctx.business.id)))
}

/// One of the business's own workers' records page (their employer sees all of it); `None`
/// for anyone who is not its own worker.
pub async fn worker(
    app: &App,
    ctx: &OrgContext,
    login_id: &str,
    month: Option<Date>,
) -> AppResult<Option<(Account, MyRecords)>> {
    if !ctx.may(Action::ViewTechnicians, Target::Business) {
        return Err(AppError::Forbidden);
    }
    let Some(t) = own_worker(app, ctx, login_id).await? else {
        return Ok(None);
    };
    let v = my_records(app, &t, month).await?;
    Ok(Some((t, v)))
}

/// How placing a worker's 未配置 day went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlaceOutcome {
    /// This many touches are in the worker's record of the day now.
    Placed(usize),
    /// The worker is on no 名簿 of the site yet: list them first.
    NotListed,
    /// The end of the month after the work day (the date given) has passed.
    TooLate(Date),
    Closed,
    /// Nothing of that day is waiting (placed already, or none).
    Nothing,
    Forbidden,
}

/// Places a worker's 未配置 touches of `day` at a site: each is folded into the worker's record
/// of the day with the 名簿 line that holds now (the one the employer has just made), and the
/// record counts like any touched day.
pub async fn place(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
    login_id: &str,
    day: Date,
) -> AppResult<PlaceOutcome> {
    if !ctx.may(Action::EditRoster, Target::Business) {
        return Ok(PlaceOutcome::Forbidden);
    }
    let Some(worker) = own_worker(app, ctx, login_id).await? else {
        return Ok(PlaceOutcome::Nothing);
    };
    let now = app.clock().now();
    if let Err(EntryRefusal::TooLate(closed)) = check_entry(day, today(now)) {
        return Ok(PlaceOutcome::TooLate(closed));
    }
    let Some(site) = app.store().sites().site(site_id).await? else {
        return Ok(PlaceOutcome::Nothing);
    };
    let mut tx = app.store().begin_write().await?;
    let Some(site) = tx.sites().lock_site(site.key).await? else {
        return Ok(PlaceOutcome::Nothing);
    };
    let touches: Vec<_> = tx
        .records()
        .unplaced_touches(worker.id, site.key, day)
        .await?
        .into_iter()
        .filter(|t| t.day == day)
        .collect();
    let Some(first) = touches.first() else {
        return Ok(PlaceOutcome::Nothing);
    };
    if site.state != SiteState::Open {
        return Ok(PlaceOutcome::Closed);
    }
    let Some(roster) = tx
        .records()
        .roster_at(site.key, worker.id, first.at)
        .await?
    else {
        return Ok(PlaceOutcome::NotListed);
    };
    for t in &touches {
        tx.records()
            .fold_touch(
                worker.id,
                site.key,
                t.day,
                t.direction,
                t.at,
                t.reader,
                &roster,
                now,
            )
            .await?;
        tx.records().mark_placed(t.reader, t.seq, now).await?;
    }
    let event = AuditEvent::new(
        AuditAction::RecordPlaced,
        day_detail(&site, worker.login_id.as_str(), day),
    )
    .on(worker.id);
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    Ok(PlaceOutcome::Placed(touches.len()))
}

/// The employer reports one of its own workers' card lost, from `client`: it stops at once,
/// and the report is in the worker's アクセス履歴 and the business's 操作の記録. `None` for a
/// worker who is not its own; false when no card was in use.
pub async fn report_card_lost(
    app: &App,
    ctx: &OrgContext,
    login_id: &str,
    client: &ClientInfo,
) -> AppResult<Option<bool>> {
    if !ctx.may(Action::ManageAffiliations, Target::Business) {
        return Err(AppError::Forbidden);
    }
    let Some(worker) = own_worker(app, ctx, login_id).await? else {
        return Ok(None);
    };
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let Some(number) = super::cards::stop_lost(&mut tx, worker.id, "business", now).await? else {
        return Ok(Some(false));
    };
    tx.history()
        .record_event(
            &worker.login_id,
            AccessEventKind::CardReportedLost,
            client,
            now,
        )
        .await?;
    let event = AuditEvent::new(
        AuditAction::CardReportedLost,
        AuditDetail::Card {
            login_id: worker.login_id.as_str().to_owned(),
            number,
        },
    )
    .on(worker.id);
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    tracing::info!(account = %worker.id, "card reported lost by the employer");
    Ok(Some(true))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn touches_of_last_month_may_still_be_placed() {
        assert_eq!(
            placeable_since(date!(2026 - 12 - 07)),
            date!(2026 - 11 - 01)
        );
        assert_eq!(
            placeable_since(date!(2027 - 01 - 31)),
            date!(2026 - 12 - 01)
        );
        assert_eq!(
            placeable_since(date!(2027 - 03 - 01)),
            date!(2027 - 02 - 01)
        );
    }
}
