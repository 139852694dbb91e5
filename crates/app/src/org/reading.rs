//! What a business's pages and the console read: one person, the 操作の記録, a business as the helpdesk sees it.

use super::*;
use ccus_domain::{AccountId, TierId};

/// A person's page: who they are, and their latest access history (the look is audited).
pub struct MemberView {
    pub member: Member,
    pub history: Vec<AccessEvent>,
    pub locked: bool,
}

pub async fn member_view(
    app: &App,
    ctx: &OrgContext,
    account_id: AccountId,
) -> AppResult<Option<MemberView>> {
    let Some(m) = ctx.member(account_id) else {
        return Ok(None);
    };
    if !ctx.may_member(Action::ViewOrganisation, m) {
        return Ok(None);
    }
    let history = if ctx.may_member(Action::ViewHistory, m) {
        let now = app.clock().now();
        let mut tx = app.store().begin().await?;
        let detail = AuditDetail::Person {
            name: m.account.name.clone(),
            login_id: m.account.login_id.as_str().to_owned(),
        };
        let event = AuditEvent::new(AuditAction::MemberHistoryViewed, detail).on(m.account.id);
        audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
        tx.commit().await?;
        app.store()
            .history()
            .access_history(&m.account, 0, 50)
            .await?
    } else {
        Vec::new()
    };
    let now = app.clock().now();
    let guard = app
        .store()
        .guards()
        .guard_state(m.account.login_id.as_str())
        .await?;
    let devices = app
        .store()
        .guards()
        .device_locks(&m.account.login_id, now)
        .await?;
    let locked = guard.locked_until.is_some_and(|u| u > now) || devices.count > 0;
    Ok(Some(MemberView {
        member: m.clone(),
        history,
        locked,
    }))
}

/// The business's 操作の記録 (its 事業者責任者 only).
pub async fn audit(app: &App, ctx: &OrgContext) -> AppResult<Vec<AuditEntry>> {
    if ctx.role() != Role::Owner {
        return Err(AppError::Forbidden);
    }
    audit::business_log(app, ctx.business.id, 100).await
}

/// One place of a business as the helpdesk lists it: (level, place label, people as
/// (account id, line)).
pub type HelpdeskPlace = (u8, String, Vec<(AccountId, String)>);

/// A business's organisation as the helpdesk sees it from one account: the tree (tiers, then
/// people) of a 事業者ID, or, for a 管理者ID, where the person sits.
#[derive(Debug, Clone, Default)]
pub struct HelpdeskOrg {
    /// (level, place label, people as (account id, line)), depth first; empty for a technician.
    pub tree: Vec<HelpdeskPlace>,
    /// For a 管理者ID: its business, role, tier and state.
    pub membership: Option<(i64, String)>,
}

/// The catalog key of a role's name.
pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Owner => "org-role-owner",
        Role::TierManager => "org-role-tier-manager",
        Role::SiteManager => "org-role-site-manager",
        Role::ProxyClerk => "org-role-proxy-clerk",
    }
}

/// The organisation around `a` as the helpdesk sees it, in the staff member's language.
pub async fn for_helpdesk(app: &App, a: &Account, lang: Lang) -> AppResult<HelpdeskOrg> {
    if a.kind() != AccountKind::Business {
        return Ok(HelpdeskOrg::default());
    }
    let ctx = if a.login_id.is_manager() {
        let Some(m) = app.store().org().org_member(a.id).await? else {
            return Ok(HelpdeskOrg::default());
        };
        let Some(b) = app.store().accounts().account_by_id(m.business_id).await? else {
            return Ok(HelpdeskOrg::default());
        };
        let tiers = app.store().org().org_tiers(b.id).await?;
        let place = place_msg(
            tiers
                .iter()
                .find(|t| Some(t.id) == m.tier_id.map(TierId::get).map(TierId::new)),
        )
        .text(lang);
        let state = text_in(
            lang,
            if m.disabled_at.is_some() {
                "helpdesk-org-stopped"
            } else {
                "helpdesk-org-active"
            },
            &[],
        );
        let line = text_in(
            lang,
            "helpdesk-org-membership-line",
            &[
                ("business", &b.name),
                ("id", &b.login_id.grouped()),
                ("role", &text_in(lang, role_key(m.role), &[])),
                ("place", &place),
                ("state", &state),
            ],
        );
        return Ok(HelpdeskOrg {
            tree: Vec::new(),
            membership: Some((b.id.get(), line)),
        });
    } else {
        match context(app, a).await? {
            Some(c) => c,
            None => return Ok(HelpdeskOrg::default()),
        }
    };
    let line = |m: &Member| {
        text_in(
            lang,
            if m.disabled_at.is_some() {
                "helpdesk-org-person-stopped"
            } else {
                "helpdesk-org-person"
            },
            &[
                ("name", &m.account.name),
                ("id", &m.account.login_id.grouped()),
                ("role", &text_in(lang, role_key(m.role), &[])),
            ],
        )
    };
    let people = |tier: Option<TierId>| -> Vec<(AccountId, String)> {
        ctx.members
            .iter()
            .filter(|m| m.tier_id == tier)
            .map(|m| (m.account.id, line(m)))
            .collect()
    };
    let mut tree = vec![(0, ctx.place_msg(None).text(lang), people(None))];
    fn walk(
        ctx: &OrgContext,
        lang: Lang,
        parent: Option<TierId>,
        people: &dyn Fn(Option<TierId>) -> Vec<(AccountId, String)>,
        out: &mut Vec<HelpdeskPlace>,
    ) {
        for t in ctx
            .tiers
            .iter()
            .filter(|t| t.parent == parent.map(TierId::get).map(TierId::new))
        {
            out.push((t.level, place_msg(Some(t)).text(lang), people(Some(t.id))));
            walk(ctx, lang, Some(t.id), people, out);
        }
    }
    walk(&ctx, lang, None, &people, &mut tree);
    Ok(HelpdeskOrg {
        tree,
        membership: None,
    })
}
