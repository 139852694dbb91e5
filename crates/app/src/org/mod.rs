//! A business's own organisation, run by the business itself: tiers, a 管理者ID for each person
//! (their own password, lockout, sessions, access history and recovery, like every account),
//! and self-service on those people — stop or resume an ID, send a reset link to its registered
//! address, lift a lock, read its access history. Every action is checked against the
//! permission table ([`ccus_domain::org::PERMISSIONS`]) here, written with its entry in the
//! person's アクセス履歴 and the business's 操作の記録 in one transaction. Nobody sets another
//! person's password: a new person chooses theirs from the link mailed to them.

mod members;
pub use members::*;
mod reading;
pub use reading::*;

pub mod affiliation;
pub mod mails;

use ccus_domain::org::{may, scope, Action, Actor, Role, Target, Tier, Tiers, MAX_TIER_LEVEL};
use ccus_domain::{AccessEventKind, AccountId, AccountKind, ClientId, TierId};
use ccus_storage::{AccessEvent, Account, ClientInfo};

/// A person of the organisation as its pages list them: their 管理者ID, place and role.
pub use ccus_storage::Member;

use crate::account::provisioning::{AccountRequest, ProfileRequest};
use crate::audit::{self, AuditAction, AuditDetail, AuditEntry, AuditEvent, TierRef};
use crate::auth::unlock::{self, UnlockBy};
use crate::i18n::{text_in, Lang, Msg};
use crate::{App, AppError, AppResult};

/// The organisation as one signed-in person of a business sees it.
#[derive(Debug, Clone)]
pub struct OrgContext {
    /// The 事業者ID account.
    pub business: Account,
    /// The person acting.
    pub me: Account,
    pub actor: Actor,
    pub tiers: Vec<Tier>,
    pub members: Vec<Member>,
    tree: Tiers,
    /// A partner-API client acting under the grant `me` made: what is done is done with
    /// `me`'s permissions and recorded as the client's.
    client: Option<ClientId>,
}

impl OrgContext {
    pub fn role(&self) -> Role {
        self.actor.role
    }

    /// Whether the actor may do `action` at all (somewhere).
    pub fn can(&self, action: Action) -> bool {
        scope(self.actor.role, action).is_some()
    }

    pub fn may(&self, action: Action, target: Target) -> bool {
        may(&self.actor, action, target, &self.tree)
    }

    pub fn member(&self, account_id: AccountId) -> Option<&Member> {
        self.members.iter().find(|m| m.account.id == account_id)
    }

    pub fn tier(&self, id: TierId) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.id == id)
    }

    /// 第N階層「name」, or 事業者全体 for none.
    pub fn place_msg(&self, tier: Option<TierId>) -> Msg {
        place_msg(tier.and_then(|t| self.tier(t)))
    }

    /// The person acting, as the audit log names them: their entries are the business's
    /// 操作の記録.
    pub(crate) fn audit_actor(&self) -> audit::Actor {
        match self.client {
            Some(client) => audit::Actor::Client {
                client,
                business: self.business.id,
                account: self.me.id,
            },
            None => audit::Actor::Member {
                business: self.business.id,
                account: self.me.id,
            },
        }
    }

    /// The same person's context, acting through a partner-API client.
    pub fn through_client(mut self, client: ClientId) -> OrgContext {
        self.client = Some(client);
        self
    }

    /// A tier as the audit log names it; `None` for 事業者全体.
    pub(crate) fn audit_place(&self, tier: Option<i64>) -> Option<TierRef> {
        tier.and_then(|t| self.tier(TierId::new(t)))
            .map(|t| TierRef {
                level: t.level,
                name: t.name.clone(),
            })
    }

    fn target(m: &Member) -> Target {
        Target::Member {
            account_id: Some(m.account.id),
            role: m.role,
            tier: m.tier_id.map(TierId::get).map(TierId::new),
        }
    }

    /// May `action` be done to this person.
    pub fn may_member(&self, action: Action, m: &Member) -> bool {
        self.may(action, Self::target(m))
    }

    /// The people the actor sees (the whole business for its 責任者, a subtree for a 階層管理者).
    pub fn visible_members(&self) -> Vec<&Member> {
        self.members
            .iter()
            .filter(|m| self.may_member(Action::ViewOrganisation, m))
            .collect()
    }

    /// The tiers the actor sees.
    pub fn visible_tiers(&self) -> Vec<&Tier> {
        self.tiers
            .iter()
            .filter(|t| self.may(Action::ViewOrganisation, Target::Place(Some(t.id))))
            .collect()
    }

    /// Where the actor may add a tier: (parent, label), the top level first.
    pub fn tier_places(&self) -> Vec<(Option<TierId>, Msg)> {
        let mut out = Vec::new();
        if self.may(Action::CreateTier, Target::Place(None)) {
            out.push((None, Msg::new("org-tier-place-top")));
        }
        for t in &self.tiers {
            if t.level < MAX_TIER_LEVEL && self.may(Action::CreateTier, Target::Place(Some(t.id))) {
                out.push((
                    Some(t.id),
                    Msg::new("org-tier-place-under")
                        .arg("level", t.level)
                        .arg("name", &t.name)
                        .arg("next", t.level + 1),
                ));
            }
        }
        out
    }

    /// Where the actor may place a new person of some role: (tier, label).
    pub fn member_places(&self) -> Vec<(Option<TierId>, Msg)> {
        let mut out = Vec::new();
        let places = std::iter::once(None).chain(self.tiers.iter().map(|t| Some(t.id)));
        for tier in places {
            if Role::MEMBER.iter().any(|role| {
                self.may(
                    Action::CreateMember,
                    Target::Member {
                        account_id: None,
                        role: *role,
                        tier,
                    },
                )
            }) {
                out.push((tier, self.place_msg(tier.map(TierId::get).map(TierId::new))));
            }
        }
        out
    }

    /// How the actor appears in a person's アクセス履歴.
    fn as_client(&self) -> ClientInfo {
        ClientInfo {
            address: crate::i18n::BUSINESS_SOURCE.into(),
            user_agent: format!(
                "{} {}（{}）",
                self.me.login_id.label_ja(),
                self.me.login_id.grouped(),
                self.me.name
            ),
        }
    }
}

/// Where a signed-in business login stands: its business and its role (and tier), without
/// the rest of the organisation — enough for menus and single checks at the business level.
#[derive(Debug, Clone)]
pub struct Standing {
    /// The 事業者ID account.
    pub business: Account,
    pub actor: Actor,
}

impl Standing {
    /// Whether the role may do `action` at all (somewhere).
    pub fn can(&self, action: Action) -> bool {
        scope(self.actor.role, action).is_some()
    }

    /// Whether the role may do `action` for the business as a whole (no tier involved).
    pub fn may_for_business(&self, action: Action) -> bool {
        may(&self.actor, action, Target::Business, &Tiers::default())
    }
}

/// The standing of a signed-in business login; `None` for a technician or a stopped 管理者ID.
pub async fn standing(app: &App, me: &Account) -> AppResult<Option<Standing>> {
    if me.kind() != AccountKind::Business {
        return Ok(None);
    }
    if !me.login_id.is_manager() {
        return Ok(Some(Standing {
            business: me.clone(),
            actor: Actor {
                account_id: me.id,
                role: Role::Owner,
                tier: None,
            },
        }));
    }
    let Some(m) = app.store().org().org_member(me.id).await? else {
        return Ok(None);
    };
    if m.disabled_at.is_some() {
        return Ok(None);
    }
    let Some(business) = app.store().accounts().account_by_id(m.business_id).await? else {
        return Ok(None);
    };
    Ok(Some(Standing {
        business,
        actor: Actor {
            account_id: me.id,
            role: m.role,
            tier: m.tier_id.map(TierId::get).map(TierId::new),
        },
    }))
}

/// 第N階層「name」 of a tier, or 事業者全体 for none.
pub fn place_msg(tier: Option<&Tier>) -> Msg {
    match tier {
        Some(t) => Msg::new("org-place-tier")
            .arg("level", t.level)
            .arg("name", &t.name),
        None => Msg::new("org-place-business"),
    }
}

/// 第N階層「name」 of a standing's tier, or 事業者全体.
pub async fn place_of(app: &App, standing: &Standing) -> AppResult<Msg> {
    let Some(tier) = standing.actor.tier else {
        return Ok(place_msg(None));
    };
    let tiers = app.store().org().org_tiers(standing.business.id).await?;
    Ok(place_msg(tiers.iter().find(|t| t.id == tier)))
}

/// The organisation context of a signed-in business login (its standing, with every tier and
/// person of the business); `None` for a technician or a stopped 管理者ID.
pub async fn context(app: &App, me: &Account) -> AppResult<Option<OrgContext>> {
    let Some(Standing { business, actor }) = standing(app, me).await? else {
        return Ok(None);
    };
    let tiers = app.store().org().org_tiers(business.id).await?;
    let members = app.store().org().org_members(business.id).await?;
    Ok(Some(OrgContext {
        tree: Tiers::new(&tiers),
        business,
        me: me.clone(),
        actor,
        tiers,
        members,
        client: None,
    }))
}

/// What an organisation action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgOutcome {
    Done,
    /// Not allowed by the permission table (or not of this business).
    Forbidden,
    /// The input cannot be used; why (to show next to it).
    Invalid(Msg),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_read_as_before_in_japanese() {
        let t = Tier {
            id: TierId::new(1),
            parent: None,
            level: 2,
            name: "第一工事部".into(),
        };
        assert_eq!(place_msg(Some(&t)).to_string(), "第2階層「第一工事部」");
        assert_eq!(place_msg(None).to_string(), "事業者全体");
    }
}
