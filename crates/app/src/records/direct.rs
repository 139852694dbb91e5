//! 直接入力: a day with no touch (a forgotten card, a broken reader, a 名簿 made late) entered
//! by the worker or by the company that lists them on the site's 名簿, and approved or rejected
//! by whoever runs the site. Entering and deciding are both refused after the end of the month
//! after the work day ([`ccus_domain::records::check_entry`]), with the date it closed. A
//! business's entries and every decision are in the 操作の記録.

use ccus_domain::records::{check_entry, EntryRefusal};
use ccus_domain::site::SiteState;
use ccus_domain::{AccountKind, Date, LoginId, RecordId, SiteId, Timestamp};
use ccus_storage::{Account, PendingRecord, Site};

use crate::audit::{self, AuditAction, AuditDetail, AuditEvent};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::org::OrgContext;
use crate::sites::{may_run, today, FieldErrors};
use crate::{App, AppResult};

/// A day entered by hand, as typed.
#[derive(Debug, Clone, Default)]
pub struct EntryForm {
    /// The 現場ID.
    pub site: String,
    /// The worker's 技能者ID (a business's entry; the worker's own is theirs).
    pub login_id: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `HH:MM`, JST; either may be left empty.
    pub first_in: String,
    pub last_out: String,
}

/// The answer to an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryOutcome {
    /// Waiting for the site's approval.
    Entered,
    /// Field by field, what to fix.
    Invalid(FieldErrors),
    /// The end of the month after the work day (the date given) has passed.
    TooLate(Date),
    /// The worker already has a record of that day at the site (or one waiting).
    AlreadyRecorded,
    /// The worker was on none of the entering company's 名簿 lines of the site that day (for
    /// the worker: on no 名簿 of the site).
    NotListed,
    /// The site is closed.
    Closed,
}

/// The answer to a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecideOutcome {
    Done,
    /// A rejection says why.
    ReasonNeeded,
    TooLate(Date),
    /// Decided already, or no such record waiting.
    Gone,
}

fn err(field: &str, key: &'static str) -> (String, Msg) {
    (field.to_owned(), Msg::new(key))
}

/// `HH:MM` (full-width digits and `：` accepted) on `day`, JST.
pub(crate) fn time_on(day: Date, raw: &str) -> Result<Option<Timestamp>, ()> {
    let t = ccus_domain::input::nfkc(raw.trim());
    if t.is_empty() {
        return Ok(None);
    }
    let (h, m) = t.split_once(':').ok_or(())?;
    let (h, m): (u8, u8) = (
        h.trim().parse().map_err(|_| ())?,
        m.trim().parse().map_err(|_| ())?,
    );
    let time = time::Time::from_hms(h, m, 0).map_err(|_| ())?;
    let at = time::PrimitiveDateTime::new(day, time)
        .assume_offset(time::UtcOffset::from_hms(9, 0, 0).map_err(|_| ())?);
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000)
        .map(|ms| Some(Timestamp(ms)))
        .map_err(|_| ())
}

/// What a form says, checked field by field: the site, the day and the two times.
struct Typed {
    site: Site,
    day: Date,
    first_in: Option<Timestamp>,
    last_out: Option<Timestamp>,
}

async fn read_form(app: &App, form: &EntryForm) -> AppResult<Result<Typed, FieldErrors>> {
    let mut errors = FieldErrors::new();
    let site = match SiteId::parse(&form.site) {
        Ok(id) => app.store().sites().site(&id).await?,
        Err(_) => None,
    };
    if site.is_none() {
        errors.push(err("site", "direct-error-site"));
    }
    let day = crate::sites::date(&form.day, "day", true, &mut errors);
    let (mut first_in, mut last_out) = (None, None);
    if let Some(day) = day {
        match time_on(day, &form.first_in) {
            Ok(t) => first_in = t,
            Err(()) => errors.push(err("first_in", "direct-error-time")),
        }
        match time_on(day, &form.last_out) {
            // An exit before the entry was the next morning (a night shift).
            Ok(t) => {
                last_out = t.map(|out| match first_in {
                    Some(i) if out < i => out.plus(std::time::Duration::from_secs(86_400)),
                    _ => out,
                })
            }
            Err(()) => errors.push(err("last_out", "direct-error-time")),
        }
    }
    match (site, day) {
        (Some(site), Some(day)) if errors.is_empty() => {
            if day < site.records_from || day > site.records_to {
                errors.push(err("day", "direct-error-period"));
                return Ok(Err(errors));
            }
            Ok(Ok(Typed {
                site,
                day,
                first_in,
                last_out,
            }))
        }
        _ => Ok(Err(errors)),
    }
}

/// The worker enters a day of their own.
pub async fn enter_own(app: &App, me: &Account, form: &EntryForm) -> AppResult<EntryOutcome> {
    if me.kind() != AccountKind::Technician {
        return Err(AppError::Forbidden);
    }
    enter(app, me.id, me.id, None, form).await
}

/// A business enters a day of a worker on its own 名簿 of the site (the site's runner, of any
/// worker on the site).
pub async fn enter_for(app: &App, ctx: &OrgContext, form: &EntryForm) -> AppResult<EntryOutcome> {
    let worker = match LoginId::parse(&form.login_id) {
        Ok(id) if id.kind() == AccountKind::Technician => {
            app.store().accounts().account_by_login_id(&id).await?
        }
        _ => None,
    };
    let Some(worker) = worker else {
        return Ok(EntryOutcome::Invalid(vec![err(
            "login_id",
            "direct-error-worker",
        )]));
    };
    enter(app, worker.id, ctx.me.id, Some(ctx), form).await
}

async fn enter(
    app: &App,
    worker: ccus_domain::AccountId,
    by: ccus_domain::AccountId,
    business: Option<&OrgContext>,
    form: &EntryForm,
) -> AppResult<EntryOutcome> {
    let typed = match read_form(app, form).await? {
        Ok(t) => t,
        Err(e) => return Ok(EntryOutcome::Invalid(e)),
    };
    let now = app.clock().now();
    match check_entry(typed.day, today(now)) {
        Ok(()) => {}
        Err(EntryRefusal::InFuture) => {
            return Ok(EntryOutcome::Invalid(vec![err(
                "day",
                "direct-error-future",
            )]))
        }
        Err(EntryRefusal::TooLate(closed)) => return Ok(EntryOutcome::TooLate(closed)),
    }
    if typed.first_in.is_some_and(|t| t > now) || typed.last_out.is_some_and(|t| t > now) {
        return Ok(EntryOutcome::Invalid(vec![err(
            "day",
            "direct-error-future",
        )]));
    }
    let mut tx = app.store().begin_write().await?;
    let Some(site) = tx.sites().lock_site(typed.site.key).await? else {
        return Ok(EntryOutcome::Closed);
    };
    if site.state == SiteState::Closed {
        return Ok(EntryOutcome::Closed);
    }
    // The 名簿 as it was that day (its noon when no time was typed).
    let at = typed.first_in.or(noon(typed.day)).unwrap_or(now);
    let Some(roster) = tx.records().roster_at(site.key, worker, at).await? else {
        return Ok(EntryOutcome::NotListed);
    };
    if let Some(ctx) = business {
        if roster.business != ctx.business.id && !may_run(ctx, &site) {
            return Ok(EntryOutcome::NotListed);
        }
    }
    if !tx
        .records()
        .add_direct(
            worker,
            site.key,
            typed.day,
            typed.first_in,
            typed.last_out,
            &roster,
            by,
            now,
        )
        .await?
    {
        return Ok(EntryOutcome::AlreadyRecorded);
    }
    if let Some(ctx) = business {
        let login_id = app
            .store()
            .accounts()
            .account_by_id(worker)
            .await?
            .map(|a| a.login_id.as_str().to_owned())
            .unwrap_or_default();
        let event = AuditEvent::new(
            AuditAction::RecordEntered,
            day_detail(&site, &login_id, typed.day),
        );
        audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    }
    tx.commit().await?;
    Ok(EntryOutcome::Entered)
}

pub(crate) fn day_detail(site: &Site, login_id: &str, day: Date) -> AuditDetail {
    AuditDetail::WorkDay {
        site_id: site.site_id.as_str().to_owned(),
        name: site.name.clone(),
        login_id: login_id.to_owned(),
        day: ccus_domain::profile::format_date(day),
    }
}

/// Noon of `day` in Japan.
pub(crate) fn noon(day: Date) -> Option<Timestamp> {
    time_on(day, "12:00").ok().flatten()
}

/// A site and its records waiting for approval, for whoever runs it; `None` for anyone else.
pub async fn pending(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
) -> AppResult<Option<(Site, Vec<PendingRecord>)>> {
    let Some(site) = app.store().sites().site(site_id).await? else {
        return Ok(None);
    };
    if !may_run(ctx, &site) {
        return Ok(None);
    }
    let list = app.store().records().pending_of_site(site.key, 200).await?;
    Ok(Some((site, list)))
}

/// Approves or rejects (with `reason`) a record waiting on a site the person runs.
pub async fn decide(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
    day: Date,
    id: RecordId,
    approve: bool,
    reason: &str,
) -> AppResult<DecideOutcome> {
    let reason = reason.trim();
    if !approve && reason.is_empty() {
        return Ok(DecideOutcome::ReasonNeeded);
    }
    let now = app.clock().now();
    if let Err(EntryRefusal::TooLate(closed)) = check_entry(day, today(now)) {
        return Ok(DecideOutcome::TooLate(closed));
    }
    let Some(site) = app.store().sites().site(site_id).await? else {
        return Ok(DecideOutcome::Gone);
    };
    let mut tx = app.store().begin_write().await?;
    let Some(site) = tx
        .sites()
        .lock_site(site.key)
        .await?
        .filter(|s| may_run(ctx, s))
    else {
        return Ok(DecideOutcome::Gone);
    };
    let Some(worker) = tx
        .records()
        .decide(site.key, day, id, approve, reason, ctx.me.id, now)
        .await?
    else {
        return Ok(DecideOutcome::Gone);
    };
    let action = if approve {
        AuditAction::RecordApproved
    } else {
        AuditAction::RecordRejected
    };
    audit_day(app, &mut tx, ctx, action, (&site, worker, day), reason, now).await?;
    tx.commit().await?;
    Ok(DecideOutcome::Done)
}

/// Audits a site's answer about a worker's day (with its reason), in the answer's transaction.
pub(crate) async fn audit_day(
    app: &App,
    tx: &mut ccus_storage::StoreTx,
    ctx: &OrgContext,
    action: AuditAction,
    (site, worker, day): (&Site, ccus_domain::AccountId, Date),
    reason: &str,
    now: Timestamp,
) -> AppResult<()> {
    let login_id = app
        .store()
        .accounts()
        .account_by_id(worker)
        .await?
        .map(|a| a.login_id.as_str().to_owned())
        .unwrap_or_default();
    let mut event = AuditEvent::new(action, day_detail(site, &login_id, day)).on(worker);
    event.reason = reason.to_owned();
    audit::record(tx, &ctx.audit_actor(), event, now).await?;
    Ok(())
}
