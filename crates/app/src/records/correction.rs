//! 補正 asked for by the worker or by a company: new entry and exit times for a recorded day
//! (a touch missed at the exit, a reader's clock wrong), which whoever runs the site approves
//! or rejects with a reason — both by the end of the month after the work day, like 直接入力.
//! Until it is approved the record keeps its times; one request waits per record. A business
//! may ask for the days of workers it listed or employs; its requests and every answer are in
//! the 操作の記録.

use ccus_domain::org::{Action, Target};
use ccus_domain::records::{check_entry, EntryRefusal, RecordState};
use ccus_domain::{AccountId, Date, RecordId, SiteId, Timestamp};
use ccus_storage::{Account, PendingCorrection, Site, WorkRecord};

use crate::audit::{self, AuditAction, AuditEvent};
use crate::org::OrgContext;
use crate::records::direct::{audit_day, day_detail, time_on};
use crate::sites::{may_run, today};
use crate::{App, AppResult};

/// A 補正 as typed: the record (`YYYY-MM-DD.id`, as the form's choice says) and the times.
#[derive(Debug, Clone, Default)]
pub struct CorrectionForm {
    pub record: String,
    /// `HH:MM`, JST; one left empty stays as recorded.
    pub first_in: String,
    pub last_out: String,
}

/// How asking went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AskOutcome {
    Asked,
    /// A time is not `HH:MM`, is in the future, or neither time is given.
    InvalidTime,
    /// The end of the month after the work day (the date given) has passed.
    TooLate(Date),
    /// A request for this record is already waiting.
    AlreadyWaiting,
    /// No such record of this worker (or not one the business may ask for).
    Gone,
}

/// How answering went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerOutcome {
    Done,
    ReasonNeeded,
    TooLate(Date),
    /// Answered already, or no such request waiting on the site.
    Gone,
}

/// `YYYY-MM-DD.id` of a record, as the form's choice is made.
pub fn record_key(r: &WorkRecord) -> String {
    format!(
        "{}.{}",
        ccus_domain::profile::format_date(r.day),
        r.id.get()
    )
}

fn parse_key(s: &str) -> Option<(Date, RecordId)> {
    let (d, id) = s.trim().split_once('.')?;
    Some((
        ccus_domain::calendar::parse_iso_date(d)?,
        RecordId::new(id.parse().ok()?),
    ))
}

/// Whether a record may still be corrected today (a counted day within the deadline).
pub fn correctable(r: &WorkRecord, today: Date) -> bool {
    r.state == RecordState::Counted && check_entry(r.day, today).is_ok()
}

/// The worker asks for a 補正 of one of their own days.
pub async fn ask_own(app: &App, me: &Account, form: &CorrectionForm) -> AppResult<AskOutcome> {
    ask(app, me.id, None, form).await
}

/// A business asks for a 補正 of a day of a worker it listed that day or employs.
pub async fn ask_for(
    app: &App,
    ctx: &OrgContext,
    worker: &Account,
    form: &CorrectionForm,
) -> AppResult<AskOutcome> {
    if !ctx.may(Action::EditRoster, Target::Business) {
        return Ok(AskOutcome::Gone);
    }
    ask(app, worker.id, Some((ctx, worker)), form).await
}

async fn ask(
    app: &App,
    worker: AccountId,
    business: Option<(&OrgContext, &Account)>,
    form: &CorrectionForm,
) -> AppResult<AskOutcome> {
    let Some((day, id)) = parse_key(&form.record) else {
        return Ok(AskOutcome::Gone);
    };
    let Some(record) = app.store().records().record(day, id).await? else {
        return Ok(AskOutcome::Gone);
    };
    if record.account != worker || record.state != RecordState::Counted {
        return Ok(AskOutcome::Gone);
    }
    if let Some((ctx, t)) = business {
        let listed_by_it = app
            .store()
            .records()
            .business_of(day, id)
            .await?
            .is_some_and(|b| b == ctx.business.id);
        if !listed_by_it && t.profile.employer_id != Some(ctx.business.id) {
            return Ok(AskOutcome::Gone);
        }
    }
    let now = app.clock().now();
    if let Err(EntryRefusal::TooLate(closed)) = check_entry(day, today(now)) {
        return Ok(AskOutcome::TooLate(closed));
    }
    let Some((first_in, last_out)) = times(day, form, now) else {
        return Ok(AskOutcome::InvalidTime);
    };
    let Some(site) = app.store().sites().site_by_key(record.site).await? else {
        return Ok(AskOutcome::Gone);
    };
    let mut tx = app.store().begin_write().await?;
    let by = business.map_or(worker, |(ctx, _)| ctx.me.id);
    if !tx
        .records()
        .ask_correction(&record, first_in, last_out, by, now)
        .await?
    {
        return Ok(AskOutcome::AlreadyWaiting);
    }
    if let Some((ctx, t)) = business {
        let event = AuditEvent::new(
            AuditAction::CorrectionAsked,
            day_detail(&site, t.login_id.as_str(), day),
        )
        .on(t.id);
        audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    }
    tx.commit().await?;
    Ok(AskOutcome::Asked)
}

/// The times typed, on `day`: at least one, none in the future; an exit before the entry is
/// the next morning.
fn times(
    day: Date,
    form: &CorrectionForm,
    now: Timestamp,
) -> Option<(Option<Timestamp>, Option<Timestamp>)> {
    let first_in = time_on(day, &form.first_in).ok()?;
    let last_out = time_on(day, &form.last_out)
        .ok()?
        .map(|out| match first_in {
            Some(i) if out < i => out.plus(std::time::Duration::from_secs(86_400)),
            _ => out,
        });
    if first_in.is_none() && last_out.is_none() {
        return None;
    }
    if first_in.is_some_and(|t| t > now) || last_out.is_some_and(|t| t > now) {
        return None;
    }
    Some((first_in, last_out))
}

/// A site and its 補正 waiting, for whoever runs it; `None` for anyone else.
pub async fn waiting(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
) -> AppResult<Option<(Site, Vec<PendingCorrection>)>> {
    let Some(site) = app.store().sites().site(site_id).await? else {
        return Ok(None);
    };
    if !may_run(ctx, &site) {
        return Ok(None);
    }
    let list = app
        .store()
        .records()
        .corrections_of_site(site.key, 200)
        .await?;
    Ok(Some((site, list)))
}

/// Approves or rejects (with `reason`) a 補正 waiting on a site the person runs.
pub async fn answer(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
    id: i64,
    approve: bool,
    reason: &str,
) -> AppResult<AnswerOutcome> {
    let reason = reason.trim();
    if !approve && reason.is_empty() {
        return Ok(AnswerOutcome::ReasonNeeded);
    }
    let Some(site) = app.store().sites().site(site_id).await? else {
        return Ok(AnswerOutcome::Gone);
    };
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let Some(site) = tx
        .sites()
        .lock_site(site.key)
        .await?
        .filter(|s| may_run(ctx, s))
    else {
        return Ok(AnswerOutcome::Gone);
    };
    let Some((worker, day, _)) = tx
        .records()
        .decide_correction(site.key, id, approve, reason, ctx.me.id, now)
        .await?
    else {
        return Ok(AnswerOutcome::Gone);
    };
    // Past the deadline nothing is written (the transaction is dropped).
    if let Err(EntryRefusal::TooLate(closed)) = check_entry(day, today(now)) {
        return Ok(AnswerOutcome::TooLate(closed));
    }
    let action = if approve {
        AuditAction::CorrectionApproved
    } else {
        AuditAction::CorrectionRejected
    };
    audit_day(app, &mut tx, ctx, action, (&site, worker, day), reason, now).await?;
    tx.commit().await?;
    Ok(AnswerOutcome::Done)
}
