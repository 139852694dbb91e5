//! 施工体制: a company asks another onto a site under its own place (要請), which takes effect
//! when that company approves (承認) — or at once where the two have a 事業者間合意; the asked
//! company may decline (辞退), and the upper tier (or the 元請) may withdraw a place (取消),
//! which takes every place below it off the site too. Each change takes the site's turn
//! first, so that of two companies asking the same company onto one site, or an approval
//! meeting a withdrawal, exactly one wins and the other is told what happened.
//!
//! 事業者間合意: one business offers, the other accepts, either ends it. With 代理手続き the
//! upper tier may also act for the lower one on its sites (ask its lower tiers, edit its 名簿).

use ccus_domain::org::{Action, Target};
use ccus_domain::site::{InviteRefusal, PlacementState, Tree, Via};
use ccus_domain::{AccountId, AccountKind, AgreementId, LoginId, PlacementId, SiteId};
use ccus_storage::{Account, StoreError};
/// A 事業者間合意, and a 要請 waiting for an answer with its site and the company that asked.
pub use ccus_storage::{Agreement, OpenRequest};

use crate::audit::{self, AuditAction, AuditDetail, AuditEvent};
use crate::i18n::{mail_language, Msg};
use crate::org::OrgContext;
use crate::sites::mails;
use crate::sites::may_run;
use crate::sites::view::{acts_for, proxied};
use crate::{App, AppResult};

/// What asking a company onto a site did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InviteOutcome {
    /// 要請 sent; the company answers.
    Requested {
        company: String,
    },
    /// On the site at once, under the two companies' 合意.
    Placed {
        company: String,
    },
    /// Refused, and why (nothing was written).
    Refused(Msg),
    /// The site is closed: nobody joins it until its 元請 re-opens it.
    Closed,
    Forbidden,
    NotFound,
}

/// A typed 事業者ID as a registered business: the account, or what is wrong with it.
pub(crate) async fn business_by_id(app: &App, typed: &str) -> AppResult<Result<Account, Msg>> {
    let id = match LoginId::parse(typed) {
        Ok(id) => id,
        Err(ccus_domain::LoginIdError::Empty) => return Ok(Err(Msg::new("site-error-required"))),
        Err(_) => return Ok(Err(Msg::new("site-business-malformed"))),
    };
    if id.kind() != AccountKind::Business || id.is_manager() {
        return Ok(Err(Msg::new("site-business-not-business")));
    }
    match app.store().accounts().account_by_login_id(&id).await? {
        Some(a) => Ok(Ok(a)),
        None => Ok(Err(Msg::new("site-business-unknown"))),
    }
}

fn party_detail(site_id: &SiteId, site_name: &str, company: &ccus_storage::Party) -> AuditDetail {
    AuditDetail::SitePlacement {
        site_id: site_id.as_str().to_owned(),
        name: site_name.to_owned(),
        business_id: company.login_id.as_str().to_owned(),
        business_name: company.name.clone(),
    }
}

fn refusal(r: InviteRefusal, names: impl Fn(AccountId) -> String) -> Msg {
    match r {
        InviteRefusal::NotYourPlace => Msg::new("site-refused-not-your-place"),
        InviteRefusal::NotYetApproved => Msg::new("site-refused-not-approved"),
        InviteRefusal::Itself => Msg::new("site-refused-itself"),
        InviteRefusal::AboveInChain => Msg::new("site-refused-above"),
        InviteRefusal::AlreadyOnSite { by, state } => Msg::new(match state {
            PlacementState::Requested => "site-refused-already-asked",
            _ => "site-refused-already-on",
        })
        .arg("by", names(by)),
        InviteRefusal::TooDeep => Msg::new("site-refused-too-deep"),
    }
}

/// Asks the company with 事業者ID `typed` onto the site under the place `under` (the reader's
/// own place, or one it acts for by 代理手続き; the 元請's place for the site's runner).
pub async fn invite(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
    under: PlacementId,
    typed: &str,
) -> AppResult<InviteOutcome> {
    let Some(site) = app.store().sites().site(site_id).await? else {
        return Ok(InviteOutcome::NotFound);
    };
    let invitee = match business_by_id(app, typed).await? {
        Ok(a) => a,
        Err(why) => return Ok(InviteOutcome::Refused(why)),
    };
    if !crate::sites::may_mail(app, ctx).await? {
        return Ok(InviteOutcome::Refused(Msg::new("site-too-many")));
    }
    let proxied = proxied(app, ctx.business.id).await?;
    let lang = mail_language(app, invitee.id).await?;
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let Some(site) = tx.sites().lock_site(site.key).await? else {
        return Ok(InviteOutcome::NotFound);
    };
    let all = tx.placements().tree_in(site.key).await?;
    let Some(place) = all.iter().find(|p| p.id == under).cloned() else {
        return Ok(InviteOutcome::NotFound);
    };
    let allowed = if place.parent.is_none() {
        may_run(ctx, &site)
    } else {
        ctx.may(Action::AnswerRequests, Target::Business)
            && acts_for(ctx.business.id, &proxied, &all, &place)
    };
    if !allowed {
        return Ok(InviteOutcome::Forbidden);
    }
    if site.state != ccus_domain::site::SiteState::Open {
        return Ok(InviteOutcome::Closed);
    }
    let tree = Tree::new(all.iter().map(ccus_storage::Placement::node).collect());
    if let Err(r) = tree.check_invite(under, place.business.id, invitee.id) {
        let name_of = |id: AccountId| {
            all.iter()
                .find(|p| p.business.id == id)
                .map(|p| p.business.name.clone())
                .unwrap_or_default()
        };
        return Ok(InviteOutcome::Refused(refusal(r, name_of)));
    }
    let agreed = tx
        .placements()
        .active_agreement(place.business.id, invitee.id)
        .await?
        .is_some();
    let by_proxy = place.business.id != ctx.business.id;
    let (state, via) = match (agreed, by_proxy) {
        (true, false) => (PlacementState::Active, Via::Agreement),
        (true, true) => (PlacementState::Active, Via::Proxy),
        (false, _) => (PlacementState::Requested, Via::Request),
    };
    match tx
        .placements()
        .place(
            site.key,
            invitee.id,
            Some(under),
            state,
            via,
            Some(ctx.me.id),
            now,
        )
        .await
    {
        Ok(_) => {}
        // The site's turn makes this unreachable; the index still decides if it ever is not.
        Err(StoreError::Conflict) => {
            return Ok(InviteOutcome::Refused(
                Msg::new("site-refused-already-on").arg("by", ""),
            ))
        }
        Err(e) => return Err(e.into()),
    }
    let at_once = state == PlacementState::Active;
    tx.outbox()
        .enqueue_mail(
            &mails::placement_requested(app, lang, &invitee, &site, &place.business.name, at_once),
            now,
        )
        .await?;
    let company = ccus_storage::Party {
        id: invitee.id,
        login_id: invitee.login_id.clone(),
        name: invitee.name.clone(),
    };
    let action = if at_once {
        AuditAction::PlacementAdded
    } else {
        AuditAction::PlacementRequested
    };
    let event = AuditEvent::new(action, party_detail(site_id, &site.name, &company)).on(invitee.id);
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    app.wake_mail();
    Ok(if at_once {
        InviteOutcome::Placed {
            company: invitee.name,
        }
    } else {
        InviteOutcome::Requested {
            company: invitee.name,
        }
    })
}

/// What answering a 要請, or withdrawing a place, did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerOutcome {
    Approved,
    Declined,
    Cancelled,
    /// The site is closed: its tree stays as it is until the 元請 re-opens it.
    Closed,
    /// It was no longer open: withdrawn by the upper tier, closed with its site, or already
    /// answered.
    NoLongerOpen,
    Forbidden,
    NotFound,
}

/// 承認 (`accept`) or 辞退 of a 要請 to the reader's business.
pub async fn answer(
    app: &App,
    ctx: &OrgContext,
    place_id: PlacementId,
    accept: bool,
) -> AppResult<AnswerOutcome> {
    let Some(place) = app.store().placements().placement(place_id).await? else {
        return Ok(AnswerOutcome::NotFound);
    };
    if place.business.id != ctx.business.id {
        return Ok(AnswerOutcome::NotFound);
    }
    if !ctx.may(Action::AnswerRequests, Target::Business) {
        return Ok(AnswerOutcome::Forbidden);
    }
    let tree = app.store().placements().tree(place.site).await?;
    let upper = place
        .parent
        .and_then(|p| tree.iter().find(|t| t.id == p))
        .map(|p| p.business.id);
    let upper_account = match upper {
        Some(u) => app.store().accounts().account_by_id(u).await?,
        None => None,
    };
    let lang = match &upper_account {
        Some(u) => mail_language(app, u.id).await?,
        None => crate::i18n::Lang::Ja,
    };
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let Some(site) = tx.sites().lock_site(place.site).await? else {
        return Ok(AnswerOutcome::NotFound);
    };
    let to = if accept {
        PlacementState::Active
    } else {
        PlacementState::Declined
    };
    let moved = tx
        .placements()
        .set_state(
            &[place_id],
            &[PlacementState::Requested],
            to,
            Some(ctx.me.id),
            now,
        )
        .await?;
    if moved == 0 {
        return Ok(AnswerOutcome::NoLongerOpen);
    }
    if let Some(u) = &upper_account {
        tx.outbox()
            .enqueue_mail(
                &mails::placement_answered(app, lang, u, &site, &ctx.business.name, accept),
                now,
            )
            .await?;
    }
    let action = if accept {
        AuditAction::PlacementApproved
    } else {
        AuditAction::PlacementDeclined
    };
    let event = AuditEvent::new(
        action,
        party_detail(&site.site_id, &site.name, &place.business),
    );
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    app.wake_mail();
    Ok(if accept {
        AnswerOutcome::Approved
    } else {
        AnswerOutcome::Declined
    })
}

/// 取消: the upper tier (or one acting for it, or the site's runner) takes a place off the
/// site — a 要請 not yet answered, or a company on it — with every place below it and their
/// 名簿 lines. Its company is told.
pub async fn cancel(
    app: &App,
    ctx: &OrgContext,
    place_id: PlacementId,
) -> AppResult<AnswerOutcome> {
    let Some(place) = app.store().placements().placement(place_id).await? else {
        return Ok(AnswerOutcome::NotFound);
    };
    let Some(site) = app.store().sites().site_by_key(place.site).await? else {
        return Ok(AnswerOutcome::NotFound);
    };
    let proxied = proxied(app, ctx.business.id).await?;
    let company = app
        .store()
        .accounts()
        .account_by_id(place.business.id)
        .await?;
    let lang = match &company {
        Some(c) => mail_language(app, c.id).await?,
        None => crate::i18n::Lang::Ja,
    };
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let Some(site) = tx.sites().lock_site(site.key).await? else {
        return Ok(AnswerOutcome::NotFound);
    };
    let all = tx.placements().tree_in(site.key).await?;
    let Some(place) = all.iter().find(|p| p.id == place_id).cloned() else {
        return Ok(AnswerOutcome::NotFound);
    };
    let Some(parent) = place.parent.and_then(|p| all.iter().find(|t| t.id == p)) else {
        // The 元請's own place is the site itself: closed, never withdrawn.
        return Ok(AnswerOutcome::Forbidden);
    };
    // Under the 元請's own place only the site's runner acts (as it alone asks there).
    let allowed = may_run(ctx, &site)
        || (parent.parent.is_some()
            && ctx.may(Action::AnswerRequests, Target::Business)
            && acts_for(ctx.business.id, &proxied, &all, parent));
    if !allowed {
        return Ok(AnswerOutcome::Forbidden);
    }
    if site.state != ccus_domain::site::SiteState::Open {
        return Ok(AnswerOutcome::Closed);
    }
    if !place.state.is_live() {
        return Ok(AnswerOutcome::NoLongerOpen);
    }
    let tree = Tree::new(all.iter().map(ccus_storage::Placement::node).collect());
    let mut ids = vec![place.id];
    ids.extend(tree.below(place.id).iter().map(|n| n.id));
    tx.placements()
        .set_state(
            &ids,
            &[PlacementState::Requested, PlacementState::Active],
            PlacementState::Cancelled,
            Some(ctx.me.id),
            now,
        )
        .await?;
    tx.listings().remove_under(&ids, now).await?;
    if let Some(c) = &company {
        tx.outbox()
            .enqueue_mail(
                &mails::placement_cancelled(app, lang, c, &site, &ctx.business.name),
                now,
            )
            .await?;
    }
    let event = AuditEvent::new(
        AuditAction::PlacementCancelled,
        party_detail(&site.site_id, &site.name, &place.business),
    )
    .on(place.business.id);
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    app.wake_mail();
    Ok(AnswerOutcome::Cancelled)
}

/// What a business has to do, and what it waits for.
#[derive(Debug, Clone)]
pub struct Pending {
    /// 要請 to the business: until it answers, it cannot list workers or ask its own lower
    /// tiers on those sites.
    pub to_answer: Vec<OpenRequest>,
    /// 要請 the business sent that wait for the other company.
    pub waiting: Vec<OpenRequest>,
    /// 合意 offered to the business.
    pub offers: Vec<Agreement>,
}

/// How many of each the pending page shows.
const PENDING_LIMIT: u32 = 100;

pub async fn pending(app: &App, ctx: &OrgContext) -> AppResult<Pending> {
    let b = ctx.business.id;
    let placements = app.store().placements();
    Ok(Pending {
        to_answer: placements.open_requests(b, true, PENDING_LIMIT).await?,
        waiting: placements.open_requests(b, false, PENDING_LIMIT).await?,
        offers: placements
            .agreements_of(b)
            .await?
            .into_iter()
            .filter(|g| g.state == "offered" && g.offered_by_business != b)
            .collect(),
    })
}

/// What an agreement action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgreementOutcome {
    Done,
    Refused(Msg),
    /// Already answered, ended or withdrawn.
    NoLongerOpen,
    Forbidden,
    NotFound,
}

fn agreement_detail(other: &Account, proxy: bool) -> AuditDetail {
    AuditDetail::Agreement {
        business_id: other.login_id.as_str().to_owned(),
        business_name: other.name.clone(),
        proxy,
    }
}

/// Offers a 事業者間合意 to the business with 事業者ID `typed`: the reader's business as its
/// upper tier (`we_are_upper`) or as its lower tier; `proxy` adds 代理手続き.
pub async fn offer_agreement(
    app: &App,
    ctx: &OrgContext,
    typed: &str,
    we_are_upper: bool,
    proxy: bool,
) -> AppResult<AgreementOutcome> {
    if !ctx.may(Action::AnswerRequests, Target::Business) {
        return Ok(AgreementOutcome::Forbidden);
    }
    let other = match business_by_id(app, typed).await? {
        Ok(a) => a,
        Err(why) => return Ok(AgreementOutcome::Refused(why)),
    };
    if other.id == ctx.business.id {
        return Ok(AgreementOutcome::Refused(Msg::new("site-refused-itself")));
    }
    if !crate::sites::may_mail(app, ctx).await? {
        return Ok(AgreementOutcome::Refused(Msg::new("site-too-many")));
    }
    let (upper, lower) = if we_are_upper {
        (ctx.business.id, other.id)
    } else {
        (other.id, ctx.business.id)
    };
    let lang = mail_language(app, other.id).await?;
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    match tx
        .placements()
        .offer_agreement(upper, lower, proxy, ctx.business.id, ctx.me.id, now)
        .await
    {
        Ok(_) => {}
        Err(StoreError::Conflict) => {
            return Ok(AgreementOutcome::Refused(Msg::new("site-agreement-exists")))
        }
        Err(e) => return Err(e.into()),
    }
    tx.outbox()
        .enqueue_mail(
            &mails::agreement_offered(app, lang, &other, &ctx.business.name, !we_are_upper, proxy),
            now,
        )
        .await?;
    let event = AuditEvent::new(
        AuditAction::AgreementOffered,
        agreement_detail(&other, proxy),
    )
    .on(other.id);
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    app.wake_mail();
    Ok(AgreementOutcome::Done)
}

/// The business's agreements, live ones and the latest others.
pub async fn agreements(app: &App, ctx: &OrgContext) -> AppResult<Vec<Agreement>> {
    Ok(app
        .store()
        .placements()
        .agreements_of(ctx.business.id)
        .await?)
}

/// What to do to an agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgreementStep {
    /// The side it was offered to accepts.
    Accept,
    /// The side it was offered to declines.
    Decline,
    /// Either side ends a live one (the side that offered withdraws an offer). Places made
    /// under it stay; new ones need 要請 again.
    End,
}

pub async fn step_agreement(
    app: &App,
    ctx: &OrgContext,
    id: AgreementId,
    step: AgreementStep,
) -> AppResult<AgreementOutcome> {
    if !ctx.may(Action::AnswerRequests, Target::Business) {
        return Ok(AgreementOutcome::Forbidden);
    }
    let Some(g) = app.store().placements().agreement(id).await? else {
        return Ok(AgreementOutcome::NotFound);
    };
    let b = ctx.business.id;
    if g.upper.id != b && g.lower.id != b {
        return Ok(AgreementOutcome::NotFound);
    }
    let offered_to_us = g.offered_by_business != b;
    let (from, to, action) = match step {
        AgreementStep::Accept if offered_to_us => {
            ("offered", "active", AuditAction::AgreementAccepted)
        }
        AgreementStep::Decline if offered_to_us => {
            ("offered", "declined", AuditAction::AgreementDeclined)
        }
        AgreementStep::End if g.state == "offered" && !offered_to_us => {
            ("offered", "withdrawn", AuditAction::AgreementEnded)
        }
        AgreementStep::End => ("active", "ended", AuditAction::AgreementEnded),
        _ => return Ok(AgreementOutcome::Forbidden),
    };
    let other_id = if g.upper.id == b {
        g.lower.id
    } else {
        g.upper.id
    };
    let Some(other) = app.store().accounts().account_by_id(other_id).await? else {
        return Ok(AgreementOutcome::NotFound);
    };
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    if !tx
        .placements()
        .set_agreement_state(id, from, to, ctx.me.id, now)
        .await?
    {
        return Ok(AgreementOutcome::NoLongerOpen);
    }
    let event = AuditEvent::new(action, agreement_detail(&other, g.proxy)).on(other.id);
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    Ok(AgreementOutcome::Done)
}
