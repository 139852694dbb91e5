//! 作業員名簿: each company on a site lists its workers under its own place — a technician of
//! its own (所属) at once, anyone else only when they consent — with 職種, 作業内容, 立場,
//! hazardous-substance handling, the 特殊健康診断 that such handling requires, and 資格. A
//! technician sees the sites they are listed on and answers the companies that ask.

use ccus_domain::org::{Action, Target};
use ccus_domain::site::{is_trade, PlacementState, Position, SiteState};
use ccus_domain::{AccountKind, ListingId, LoginId, PlacementId, SiteId};
use ccus_storage::{Account, ListedSite, ListingFields, StoreError};

use crate::audit::{self, AuditAction, AuditDetail, AuditEvent};
use crate::i18n::{mail_language, Msg};
use crate::org::OrgContext;
use crate::sites::view::{acts_for, proxied};
use crate::sites::{date, mails, text, FieldErrors};
use crate::{App, AppError, AppResult};

/// A worker's line as typed.
#[derive(Debug, Clone, Default)]
pub struct WorkerForm {
    /// The 技能者ID (only when adding).
    pub login_id: String,
    pub trade: String,
    pub work: String,
    pub position: String,
    /// `yes` or anything else for no.
    pub hazardous: String,
    pub health_check: String,
    pub qualifications: String,
}

/// Reads a worker's line, or what is wrong with each field.
pub fn parse_worker(form: &WorkerForm) -> Result<ListingFields, FieldErrors> {
    let mut errors = FieldErrors::new();
    let trade = form.trade.trim().to_owned();
    if !is_trade(&trade) {
        errors.push(("trade".into(), Msg::new("site-error-choose")));
    }
    let position = Position::parse(form.position.trim());
    if position.is_none() {
        errors.push(("position".into(), Msg::new("site-error-choose")));
    }
    let work = text(&form.work, "work", false, &mut errors);
    let qualifications = text(&form.qualifications, "qualifications", false, &mut errors);
    let hazardous = form.hazardous == "yes";
    let health_check = date(&form.health_check, "health_check", false, &mut errors);
    if hazardous && health_check.is_none() && form.health_check.trim().is_empty() {
        errors.push((
            "health_check".into(),
            Msg::new("site-worker-health-required"),
        ));
    }
    match position {
        Some(position) if errors.is_empty() => Ok(ListingFields {
            trade,
            work,
            position,
            hazardous,
            health_check,
            qualifications,
        }),
        _ => Err(errors),
    }
}

/// What listing a worker did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RosterOutcome {
    /// On the 名簿 (the company's own technician).
    Listed,
    /// Asked: a technician who is not the company's own consents first. (The same answer for
    /// an ID that is nobody's, so that the form tells no one which IDs exist.)
    Asked,
    Invalid(FieldErrors),
    /// The site is closed.
    Closed,
    Forbidden,
    NotFound,
}

fn worker_detail(site_id: &SiteId, site_name: &str, t: &Account) -> AuditDetail {
    AuditDetail::SiteWorker {
        site_id: site_id.as_str().to_owned(),
        name: site_name.to_owned(),
        login_id: t.login_id.as_str().to_owned(),
    }
}

/// Lists the technician with 技能者ID `form.login_id` under the place `place_id`.
pub async fn add_worker(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
    place_id: PlacementId,
    form: &WorkerForm,
) -> AppResult<RosterOutcome> {
    if !ctx.may(Action::EditRoster, Target::Business) {
        return Ok(RosterOutcome::Forbidden);
    }
    let Some(site) = app.store().sites().site(site_id).await? else {
        return Ok(RosterOutcome::NotFound);
    };
    let mut errors = FieldErrors::new();
    let login_id = match LoginId::parse(&form.login_id) {
        Ok(id) if id.kind() == AccountKind::Technician => Some(id),
        Ok(_) => {
            errors.push(("login_id".into(), Msg::new("site-worker-not-technician")));
            None
        }
        Err(_) => {
            errors.push(("login_id".into(), Msg::new("site-worker-malformed")));
            None
        }
    };
    let fields = match parse_worker(form) {
        Ok(f) if errors.is_empty() => f,
        Ok(_) => return Ok(RosterOutcome::Invalid(errors)),
        Err(mut e) => {
            errors.append(&mut e);
            return Ok(RosterOutcome::Invalid(errors));
        }
    };
    let Some(login_id) = login_id else {
        return Ok(RosterOutcome::Invalid(errors));
    };
    let proxied = proxied(app, ctx.business.id).await?;
    let technician = app
        .store()
        .accounts()
        .account_by_login_id(&login_id)
        .await?;
    let lang = match &technician {
        Some(t) => mail_language(app, t.id).await?,
        None => crate::i18n::Lang::Ja,
    };
    // Asking a worker mails them: counted like every mail a business causes on sites.
    if !crate::sites::may_mail(app, ctx).await? {
        return Ok(RosterOutcome::Invalid(vec![(
            "login_id".into(),
            Msg::new("site-too-many"),
        )]));
    }
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let Some(site) = tx.sites().lock_site(site.key).await? else {
        return Ok(RosterOutcome::NotFound);
    };
    let all = tx.placements().tree_in(site.key).await?;
    let Some(place) = all.iter().find(|p| p.id == place_id) else {
        return Ok(RosterOutcome::NotFound);
    };
    if !acts_for(ctx.business.id, &proxied, &all, place) || place.state != PlacementState::Active {
        return Ok(RosterOutcome::Forbidden);
    }
    if site.state != SiteState::Open {
        return Ok(RosterOutcome::Closed);
    }
    let Some(t) = technician else {
        return Ok(RosterOutcome::Asked);
    };
    // The employer as it is now, not as it was before the site's turn.
    let own = tx.listings().employer_of(t.id).await? == Some(place.business.id);
    let state = if own { "listed" } else { "asked" };
    match tx
        .listings()
        .add(site.key, place_id, t.id, &fields, state, ctx.me.id, now)
        .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict) if own => {
            return Ok(RosterOutcome::Invalid(vec![(
                "login_id".into(),
                Msg::new("site-worker-already-listed"),
            )]))
        }
        // Another company's worker: the same answer as for any ID, listed or not.
        Err(StoreError::Conflict) => return Ok(RosterOutcome::Asked),
        Err(e) => return Err(e.into()),
    }
    if !own {
        tx.outbox()
            .enqueue_mail(
                &mails::listing_asked(app, lang, &t, &site, &place.business.name),
                now,
            )
            .await?;
    }
    let event = AuditEvent::new(
        AuditAction::WorkerListed,
        worker_detail(site_id, &site.name, &t),
    )
    .on(t.id);
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    if !own {
        app.wake_mail();
    }
    Ok(if own {
        RosterOutcome::Listed
    } else {
        RosterOutcome::Asked
    })
}

/// Changes (`Some`) or removes (`None`) a worker's line.
pub async fn change_worker(
    app: &App,
    ctx: &OrgContext,
    listing_id: ListingId,
    form: Option<&WorkerForm>,
) -> AppResult<RosterOutcome> {
    if !ctx.may(Action::EditRoster, Target::Business) {
        return Ok(RosterOutcome::Forbidden);
    }
    let Some(line) = app.store().listings().listing(listing_id).await? else {
        return Ok(RosterOutcome::NotFound);
    };
    let fields = match form.map(parse_worker).transpose() {
        Ok(f) => f,
        Err(e) => return Ok(RosterOutcome::Invalid(e)),
    };
    let proxied = proxied(app, ctx.business.id).await?;
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let Some(site) = tx.sites().lock_site(line.site).await? else {
        return Ok(RosterOutcome::NotFound);
    };
    let all = tx.placements().tree_in(site.key).await?;
    let Some(place) = all.iter().find(|p| p.id == line.placement) else {
        return Ok(RosterOutcome::NotFound);
    };
    if !acts_for(ctx.business.id, &proxied, &all, place) {
        return Ok(RosterOutcome::Forbidden);
    }
    if site.state != SiteState::Open {
        return Ok(RosterOutcome::Closed);
    }
    let (done, action) = match &fields {
        Some(f) => (
            tx.listings().update(listing_id, f).await?,
            AuditAction::WorkerUpdated,
        ),
        None => (
            tx.listings()
                .set_state(listing_id, &["asked", "listed"], "removed", now)
                .await?,
            AuditAction::WorkerRemoved,
        ),
    };
    if !done {
        return Ok(RosterOutcome::NotFound);
    }
    let event = AuditEvent::new(
        action,
        worker_detail(&site.site_id, &site.name, &line.technician),
    )
    .on(line.technician.id);
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    Ok(RosterOutcome::Listed)
}

/// The sites a technician is listed on, and those where a company asks them to be.
pub async fn my_sites(app: &App, me: &Account) -> AppResult<Vec<ListedSite>> {
    if me.kind() != AccountKind::Technician {
        return Err(AppError::Forbidden);
    }
    Ok(app
        .store()
        .listings()
        .sites_of_technician(me.id, 200)
        .await?)
}

/// The technician consents to (or declines) a line a company asked for; false when it is not
/// theirs or no longer open.
pub async fn answer_listing(
    app: &App,
    me: &Account,
    listing_id: ListingId,
    accept: bool,
) -> AppResult<bool> {
    let Some(line) = app.store().listings().listing(listing_id).await? else {
        return Ok(false);
    };
    if line.technician.id != me.id || line.state != "asked" {
        return Ok(false);
    }
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    // A closed site takes no new line (closing withdrew the asked ones anyway).
    match tx.sites().lock_site(line.site).await? {
        Some(s) if s.state == SiteState::Open || !accept => {}
        _ => return Ok(false),
    }
    let to = if accept { "listed" } else { "declined" };
    let done = tx
        .listings()
        .set_state(listing_id, &["asked"], to, now)
        .await?;
    tx.commit().await?;
    Ok(done)
}
