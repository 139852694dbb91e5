//! Tiers and 管理者ID: creating them and acting on a person (role, place, stop, resume, reset link, unlock).

use super::*;
use ccus_domain::{AccountId, TierId};

/// A name typed into a form, trimmed; the keys say what is wrong when it is empty or longer
/// than `max` characters.
pub(super) fn clean_name(
    raw: &str,
    empty: &'static str,
    too_long: &'static str,
    max: usize,
) -> Result<String, Msg> {
    let name: String = raw.trim().to_owned();
    if name.is_empty() {
        return Err(Msg::new(empty));
    }
    if name.chars().count() > max || name.chars().any(char::is_control) {
        return Err(Msg::new(too_long).arg("max", max));
    }
    Ok(name)
}

/// Adds a tier under `parent` (the top level for `None`).
pub async fn create_tier(
    app: &App,
    ctx: &OrgContext,
    parent: Option<TierId>,
    name: &str,
) -> AppResult<OrgOutcome> {
    if !ctx.may(Action::CreateTier, Target::Place(parent)) {
        return Ok(OrgOutcome::Forbidden);
    }
    let level = match parent {
        None => 1,
        Some(p) => match ctx.tier(p) {
            Some(t) if t.level < MAX_TIER_LEVEL => t.level + 1,
            Some(_) => return Ok(OrgOutcome::Invalid(Msg::new("org-tier-too-deep"))),
            None => return Ok(OrgOutcome::Forbidden),
        },
    };
    let name = match clean_name(name, "org-tier-name-empty", "org-tier-name-too-long", 50) {
        Ok(n) => n,
        Err(e) => return Ok(OrgOutcome::Invalid(e)),
    };
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    tx.org()
        .create_tier(ctx.business.id, parent.map(TierId::get), level, &name, now)
        .await?;
    let detail = AuditDetail::Tier {
        level,
        name: name.clone(),
        parent: ctx.audit_place(parent.map(TierId::get)),
    };
    let event = AuditEvent::new(AuditAction::TierCreated, detail);
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    tracing::info!(business = %ctx.business.id, level, "tier created");
    Ok(OrgOutcome::Done)
}

/// A 管理者ID just issued: its ID and its 本人確認番号, shown once to the person who issued it
/// (to hand over). The password is chosen by the new person from the mailed link.
#[derive(Debug, Clone)]
pub struct NewMember {
    pub account: Account,
    pub security_code: String,
}

/// Issues a 管理者ID for a person (name, email, role, tier) and mails them the link to choose
/// their password.
pub async fn create_member(
    app: &App,
    ctx: &OrgContext,
    name: &str,
    email: &str,
    role: Role,
    tier: Option<TierId>,
) -> AppResult<Result<NewMember, OrgOutcome>> {
    // A 階層管理者 administers a tier: said at the form, before any permission question.
    if role == Role::TierManager && tier.is_none() && Role::MEMBER.contains(&role) {
        return Ok(Err(OrgOutcome::Invalid(Msg::new(
            "org-tier-manager-needs-tier",
        ))));
    }
    if !Role::MEMBER.contains(&role)
        || tier.is_some_and(|t| ctx.tier(t).is_none())
        || !ctx.may(
            Action::CreateMember,
            Target::Member {
                account_id: None,
                role,
                tier,
            },
        )
    {
        return Ok(Err(OrgOutcome::Forbidden));
    }
    let name = match clean_name(name, "org-name-empty", "org-name-too-long", 100) {
        Ok(n) => n,
        Err(e) => return Ok(Err(OrgOutcome::Invalid(e))),
    };
    let email = email.trim().to_owned();
    if !crate::account::provisioning::valid_email(&email) {
        return Ok(Err(OrgOutcome::Invalid(Msg::new("org-email-invalid"))));
    }
    let req = AccountRequest {
        kind: AccountKind::Business,
        name,
        email,
        password: None,
        security_code: None,
        // Nobody knows the generated password: the person sets theirs from the mailed link.
        must_change_password: true,
        profile: ProfileRequest::default(),
    };
    let prepared = crate::account::provisioning::prepare(app, req)
        .await
        .map_err(|e| AppError::internal("issuing a 管理者ID", e))?
        .into_manager();
    let now = app.clock().now();
    let (business_id, me_id) = (ctx.business.id, ctx.me.id);
    let actor = ctx.audit_actor();
    let business_name = ctx.business.name.clone();
    let place = ctx.audit_place(tier.map(TierId::get));
    // The new person has logged in nowhere yet: the invitation is in the issuer's language.
    let lang = crate::i18n::mail_language(app, ctx.me.id).await?;
    let created = crate::account::provisioning::insert_prepared(app, prepared, |tx, account| {
        // The future owns what it uses: the closure runs again if the drawn ID was taken.
        let (app, account, business_name) = (app.clone(), account.clone(), business_name.clone());
        let account_id = account.id;
        let issued = AuditEvent::new(
            AuditAction::MemberIssued,
            AuditDetail::MemberIssued {
                name: account.name.clone(),
                login_id: account.login_id.as_str().to_owned(),
                role: role.as_str().to_owned(),
                place: place.clone(),
            },
        )
        .on(account_id);
        let actor = actor.clone();
        Box::pin(async move {
            tx.org()
                .add_member(
                    account_id,
                    business_id,
                    role,
                    tier.map(TierId::get),
                    me_id,
                    now,
                )
                .await?;
            let link =
                crate::links::mint(&app, tx, crate::links::NewLink::Invite(&account), now).await?;
            let invitation = crate::org::mails::member_invitation(
                &app,
                lang,
                &account,
                &business_name,
                role,
                &link,
            );
            tx.outbox().enqueue_mail(&invitation, now).await?;
            audit::record(tx, &actor, issued, now).await?;
            Ok(true)
        })
    })
    .await
    .map_err(crate::account::provisioning::CreateError::into_app)?;
    let Some(created) = created else {
        return Err(AppError::Internal("a 管理者ID was not written".into()));
    };
    tracing::info!(
        business = %business_id,
        account = %created.account.id,
        "管理者ID issued"
    );
    Ok(Ok(NewMember {
        security_code: created
            .security_code
            .as_ref()
            .map(|c| c.expose().to_owned())
            .unwrap_or_default(),
        account: created.account,
    }))
}

/// Self-service on one person of the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberAction {
    /// 利用停止: ends their sessions and links; logging in is refused until resumed.
    Disable,
    /// 利用再開.
    Enable,
    /// A reset link to their registered address.
    SendReset,
    /// Lifts every lock of their ID.
    Unlock,
}

impl MemberAction {
    pub fn parse(s: &str) -> Option<MemberAction> {
        match s {
            "disable" => Some(MemberAction::Disable),
            "enable" => Some(MemberAction::Enable),
            "reset" => Some(MemberAction::SendReset),
            "unlock" => Some(MemberAction::Unlock),
            _ => None,
        }
    }
    pub fn permission(self) -> Action {
        match self {
            MemberAction::Disable | MemberAction::Enable => Action::DisableMember,
            MemberAction::SendReset => Action::SendReset,
            MemberAction::Unlock => Action::Unlock,
        }
    }
    fn audit(self) -> AuditAction {
        match self {
            MemberAction::Disable => AuditAction::MemberDisabled,
            MemberAction::Enable => AuditAction::MemberEnabled,
            MemberAction::SendReset => AuditAction::MemberResetSent,
            MemberAction::Unlock => AuditAction::MemberUnlocked,
        }
    }
}

/// Does `action` to the person with `account_id`, if the actor may.
/// Acts on a person of the business. Stopping (利用停止) needs a reason, which the record
/// keeps; the other actions take none (`reason` is ignored).
pub async fn act_on_member(
    app: &App,
    ctx: &OrgContext,
    account_id: AccountId,
    action: MemberAction,
    reason: &str,
) -> AppResult<OrgOutcome> {
    let Some(m) = ctx.member(account_id) else {
        return Ok(OrgOutcome::Forbidden);
    };
    if !ctx.may_member(action.permission(), m) {
        return Ok(OrgOutcome::Forbidden);
    }
    let reason = crate::actor::clean_reason(reason);
    if action == MemberAction::Disable && reason.is_empty() {
        return Ok(OrgOutcome::Invalid(Msg::new("org-stop-needs-reason")));
    }
    let a = &m.account;
    let client = ctx.as_client();
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    match action {
        MemberAction::Disable => {
            if !tx.org().set_member_disabled(a.id, Some(now)).await? {
                return Ok(OrgOutcome::Done);
            }
            tx.sessions().delete_sessions_of(a.id, None).await?;
            tx.registrations()
                .delete_applicant_sessions_opened_by(a.id)
                .await?;
            crate::links::void_account_links(&mut tx, a.id.get(), now).await?;
            tx.history()
                .record_event(&a.login_id, AccessEventKind::OrgDisabled, &client, now)
                .await?;
        }
        MemberAction::Enable => {
            if !tx.org().set_member_disabled(a.id, None).await? {
                return Ok(OrgOutcome::Done);
            }
            tx.history()
                .record_event(&a.login_id, AccessEventKind::OrgEnabled, &client, now)
                .await?;
        }
        MemberAction::SendReset => {
            if m.disabled_at.is_some() {
                return Ok(OrgOutcome::Invalid(Msg::new("org-member-stopped")));
            }
            let by = format!("{}（{}）", ctx.me.name, ctx.me.login_id.grouped());
            let lang = crate::i18n::mail_language(app, a.id).await?;
            crate::recovery::send_reset_link(
                app,
                &mut tx,
                a,
                crate::recovery::ResetBy::Organisation(&by),
                &client,
                lang,
            )
            .await?;
        }
        MemberAction::Unlock => {
            unlock::lift(&mut tx, &a.login_id, UnlockBy::Organisation, &client, now).await?;
        }
    }
    let detail = AuditDetail::Person {
        name: a.name.clone(),
        login_id: a.login_id.as_str().to_owned(),
    };
    // Only stopping asks for a reason; the record keeps it.
    let mut event = AuditEvent::new(action.audit(), detail).on(a.id);
    if action == MemberAction::Disable {
        event = event.because(&reason);
    }
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    app.wake_mail();
    tracing::info!(
        business = %ctx.business.id,
        account = %a.id,
        ?action,
        "organisation action"
    );
    Ok(OrgOutcome::Done)
}
