//! A business's organisation: the 事業者責任者 (the 事業者ID holder), optional tiers (第1–第3階層:
//! branch → office → section) and the people with their own 管理者ID, each with a role. What a
//! role may do is data ([`PERMISSIONS`]: role × action → scope), checked by [`may`] in the
//! application layer before every action; the README's table is this one.

use crate::ids::{AccountId, TierId};
use std::collections::HashMap;

/// The deepest tier (第3階層).
pub const MAX_TIER_LEVEL: u8 = 3;

/// A person's role in a business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// 事業者責任者: the 事業者ID holder; full authority over the business.
    Owner,
    /// 階層管理者: administers its tier and everything below it.
    TierManager,
    /// 現場管理者: works with its sites and their workers; creates no tiers or users.
    SiteManager,
    /// 代行登録担当者: files 代行申請 for workers.
    ProxyClerk,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Owner,
        Role::TierManager,
        Role::SiteManager,
        Role::ProxyClerk,
    ];
    /// The roles a 管理者ID can have (the owner is the 事業者ID itself).
    pub const MEMBER: [Role; 3] = [Role::TierManager, Role::SiteManager, Role::ProxyClerk];

    /// How much a role may do: the number of actions the permission table gives it. Forms
    /// that offer roles list the least powerful first, so that nobody is given more than
    /// needed by leaving the default.
    pub fn power(self) -> usize {
        PERMISSIONS.iter().filter(|(r, _, _)| *r == self).count()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::TierManager => "tier_manager",
            Role::SiteManager => "site_manager",
            Role::ProxyClerk => "proxy_clerk",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Role::Owner => "事業者責任者",
            Role::TierManager => "階層管理者",
            Role::SiteManager => "現場管理者",
            Role::ProxyClerk => "代行登録担当者",
        }
    }
}

/// Something a person in a business does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See the tiers and the people (管理者ID) in them.
    ViewOrganisation,
    /// Add a tier.
    CreateTier,
    /// Issue a 管理者ID.
    CreateMember,
    /// Stop (or resume) a person's 管理者ID.
    DisableMember,
    /// Send a person a reset link to their registered address.
    SendReset,
    /// Lift a person's lock.
    Unlock,
    /// Read a person's access history.
    ViewHistory,
    /// File a 代行申請 for a worker.
    ProxyApply,
    /// Ask a technician to link to the business (所属), or end the link.
    ManageAffiliations,
    /// See the business's technicians (as far as each one's disclosure allows).
    ViewTechnicians,
    /// Register a 現場 as its 元請.
    RegisterSites,
    /// Run a 現場 of the business as its 元請: edit, close and re-open it, build its tree.
    RunSites,
    /// Answer a 要請 onto a site, ask the business's own lower tiers, and make 事業者間合意.
    AnswerRequests,
    /// Edit the business's 作業員名簿 on its sites.
    EditRoster,
    /// Let a certified system (連携システム) use the business's data through the partner API,
    /// and revoke it. The system acts with the permissions of the person who let it.
    GrantSystems,
}

impl Action {
    pub const ALL: [Action; 15] = [
        Action::ViewOrganisation,
        Action::CreateTier,
        Action::CreateMember,
        Action::DisableMember,
        Action::SendReset,
        Action::Unlock,
        Action::ViewHistory,
        Action::ProxyApply,
        Action::ManageAffiliations,
        Action::ViewTechnicians,
        Action::RegisterSites,
        Action::RunSites,
        Action::AnswerRequests,
        Action::EditRoster,
        Action::GrantSystems,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Action::ViewOrganisation => "view_organisation",
            Action::CreateTier => "create_tier",
            Action::CreateMember => "create_member",
            Action::DisableMember => "disable_member",
            Action::SendReset => "send_reset",
            Action::Unlock => "unlock",
            Action::ViewHistory => "view_history",
            Action::ProxyApply => "proxy_apply",
            Action::ManageAffiliations => "manage_affiliations",
            Action::ViewTechnicians => "view_technicians",
            Action::RegisterSites => "register_sites",
            Action::RunSites => "run_sites",
            Action::AnswerRequests => "answer_requests",
            Action::EditRoster => "edit_roster",
            Action::GrantSystems => "grant_systems",
        }
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            Action::ViewOrganisation => "組織と管理者IDを見る",
            Action::CreateTier => "階層を作る",
            Action::CreateMember => "管理者IDを発行する",
            Action::DisableMember => "管理者IDを利用停止・再開する",
            Action::SendReset => "パスワード再設定メールを送る",
            Action::Unlock => "ロックを解除する",
            Action::ViewHistory => "アクセス履歴を見る",
            Action::ProxyApply => "技能者の代行申請",
            Action::ManageAffiliations => "所属の依頼・終了",
            Action::ViewTechnicians => "所属技能者を見る",
            Action::RegisterSites => "現場を登録する",
            Action::RunSites => "元請として現場を運営する",
            Action::AnswerRequests => "施工体制の要請・承認・合意",
            Action::EditRoster => "作業員名簿を編集する",
            Action::GrantSystems => "連携システムに利用を許可する",
        }
    }
}

/// How far a permission reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The whole business.
    Business,
    /// The person's own tier and every tier below it.
    Subtree,
    /// The sites that name the person as their 現場管理者.
    Assigned,
}

impl Scope {
    pub fn label_ja(self) -> &'static str {
        match self {
            Scope::Business => "事業者全体",
            Scope::Subtree => "自分の階層とその下",
            Scope::Assigned => "担当する現場",
        }
    }
}

/// Who may do what, and how far. Anything not listed is forbidden.
pub const PERMISSIONS: &[(Role, Action, Scope)] = &[
    (Role::Owner, Action::ViewOrganisation, Scope::Business),
    (Role::Owner, Action::CreateTier, Scope::Business),
    (Role::Owner, Action::CreateMember, Scope::Business),
    (Role::Owner, Action::DisableMember, Scope::Business),
    (Role::Owner, Action::SendReset, Scope::Business),
    (Role::Owner, Action::Unlock, Scope::Business),
    (Role::Owner, Action::ViewHistory, Scope::Business),
    (Role::Owner, Action::ProxyApply, Scope::Business),
    (Role::Owner, Action::ManageAffiliations, Scope::Business),
    (Role::Owner, Action::ViewTechnicians, Scope::Business),
    (Role::TierManager, Action::ViewOrganisation, Scope::Subtree),
    (Role::TierManager, Action::CreateTier, Scope::Subtree),
    (Role::TierManager, Action::CreateMember, Scope::Subtree),
    (Role::TierManager, Action::DisableMember, Scope::Subtree),
    (Role::TierManager, Action::SendReset, Scope::Subtree),
    (Role::TierManager, Action::Unlock, Scope::Subtree),
    (Role::TierManager, Action::ViewHistory, Scope::Subtree),
    (
        Role::TierManager,
        Action::ManageAffiliations,
        Scope::Business,
    ),
    (Role::TierManager, Action::ViewTechnicians, Scope::Business),
    (Role::SiteManager, Action::ViewTechnicians, Scope::Business),
    (Role::ProxyClerk, Action::ProxyApply, Scope::Business),
    (Role::Owner, Action::RegisterSites, Scope::Business),
    (Role::Owner, Action::RunSites, Scope::Business),
    (Role::Owner, Action::AnswerRequests, Scope::Business),
    (Role::Owner, Action::EditRoster, Scope::Business),
    (Role::TierManager, Action::RegisterSites, Scope::Subtree),
    (Role::TierManager, Action::RunSites, Scope::Subtree),
    (Role::TierManager, Action::AnswerRequests, Scope::Business),
    (Role::TierManager, Action::EditRoster, Scope::Business),
    (Role::SiteManager, Action::RunSites, Scope::Assigned),
    (Role::SiteManager, Action::AnswerRequests, Scope::Business),
    (Role::SiteManager, Action::EditRoster, Scope::Business),
    (Role::Owner, Action::GrantSystems, Scope::Business),
    (Role::TierManager, Action::GrantSystems, Scope::Business),
];

/// The scope of `role` for `action`, if it may do it at all.
pub fn scope(role: Role, action: Action) -> Option<Scope> {
    PERMISSIONS
        .iter()
        .find(|(r, a, _)| *r == role && *a == action)
        .map(|(_, _, s)| *s)
}

/// A tier of a business.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tier {
    pub id: TierId,
    pub parent: Option<TierId>,
    /// 1–3.
    pub level: u8,
    pub name: String,
}

/// Who acts: a role, the tier it sits in (for a 階層管理者), and its account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub account_id: AccountId,
    pub role: Role,
    pub tier: Option<TierId>,
}

/// What an action is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The business as a whole (its technicians, its 代行申請).
    Business,
    /// A place in the organisation: under a tier, or at the top (`None`), e.g. for a new tier.
    Place(Option<TierId>),
    /// A site of the business (as its 元請): the tier it belongs to and its 現場管理者.
    Site {
        tier: Option<TierId>,
        manager: AccountId,
    },
    /// A person (or a new one: no account yet), by role and tier.
    Member {
        account_id: Option<AccountId>,
        role: Role,
        tier: Option<TierId>,
    },
}

/// The tiers of one business, to answer "is this tier under that one".
#[derive(Debug, Clone, Default)]
pub struct Tiers {
    parent: HashMap<TierId, Option<TierId>>,
}

impl Tiers {
    pub fn new(tiers: &[Tier]) -> Tiers {
        Tiers {
            parent: tiers.iter().map(|t| (t.id, t.parent)).collect(),
        }
    }

    /// Whether `tier` is `top` or lies below it (a tier of another business never does).
    pub fn within(&self, top: TierId, tier: TierId) -> bool {
        let mut at = Some(tier);
        // Bounded: a corrupt cycle cannot loop forever.
        for _ in 0..=usize::from(MAX_TIER_LEVEL) + 1 {
            match at {
                Some(t) if t == top => return true,
                Some(t) => at = self.parent.get(&t).copied().flatten(),
                None => return false,
            }
        }
        false
    }
}

/// Whether `actor` may do `action` to `target`, by [`PERMISSIONS`] and the tiers.
///
/// A 階層管理者 reaches places in its own tier and below, and people below its tier or in its
/// own tier who are not themselves 階層管理者 of it. Nobody stops their own 管理者ID.
pub fn may(actor: &Actor, action: Action, target: Target, tiers: &Tiers) -> bool {
    let Some(scope) = scope(actor.role, action) else {
        return false;
    };
    if let Target::Member {
        account_id: Some(id),
        ..
    } = target
    {
        if id == actor.account_id && action == Action::DisableMember {
            return false;
        }
    }
    match scope {
        Scope::Business => true,
        Scope::Assigned => {
            matches!(target, Target::Site { manager, .. } if manager == actor.account_id)
        }
        Scope::Subtree => {
            let Some(own) = actor.tier else {
                return false;
            };
            match target {
                Target::Business => false,
                Target::Place(None) => false,
                Target::Place(Some(t)) => tiers.within(own, t),
                Target::Site { tier: None, .. } => false,
                Target::Site { tier: Some(t), .. } => tiers.within(own, t),
                Target::Member { tier: None, .. } => false,
                Target::Member {
                    tier: Some(t),
                    role,
                    ..
                } => {
                    if t == own {
                        role != Role::TierManager && role != Role::Owner
                    } else {
                        tiers.within(own, t)
                    }
                }
            }
        }
    }
}

/// The permission table in Markdown, as the README shows it.
pub fn permission_table_markdown() -> String {
    let mut out = String::from("| 操作 |");
    for r in Role::ALL {
        out.push_str(&format!(" {} |", r.label_ja()));
    }
    out.push_str("\n|---|");
    for _ in Role::ALL {
        out.push_str("---|");
    }
    out.push('\n');
    for a in Action::ALL {
        out.push_str(&format!("| {} |", a.label_ja()));
        for r in Role::ALL {
            let cell = scope(r, a).map_or("—", Scope::label_ja);
            out.push_str(&format!(" {cell} |"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Branch 1 → office 2 → section 3; branch 4.
    fn tiers() -> Tiers {
        let t = |id, parent, level| Tier {
            id,
            parent,
            level,
            name: String::new(),
        };
        Tiers::new(&[
            t(TierId::new(1), None, 1),
            t(TierId::new(2), Some(TierId::new(1)), 2),
            t(TierId::new(3), Some(TierId::new(2)), 3),
            t(TierId::new(4), None, 1),
        ])
    }

    fn member(account: i64, role: Role, tier: Option<i64>) -> Target {
        Target::Member {
            account_id: Some(AccountId::new(account)),
            role,
            tier: tier.map(TierId::new),
        }
    }

    #[test]
    fn the_owner_may_do_everything_in_the_table_but_stop_nobody_who_is_itself() {
        let owner = Actor {
            account_id: AccountId::new(1),
            role: Role::Owner,
            tier: None,
        };
        for a in Action::ALL {
            assert!(may(&owner, a, Target::Business, &tiers()), "{a:?}");
        }
        assert!(may(
            &owner,
            Action::DisableMember,
            member(9, Role::TierManager, Some(1)),
            &tiers()
        ));
    }

    #[test]
    fn a_tier_manager_reaches_its_subtree_only() {
        let office = Actor {
            account_id: AccountId::new(20),
            role: Role::TierManager,
            tier: Some(TierId::new(2)),
        };
        let t = tiers();
        assert!(may(
            &office,
            Action::CreateTier,
            Target::Place(Some(TierId::new(2))),
            &t
        ));
        assert!(may(
            &office,
            Action::CreateTier,
            Target::Place(Some(TierId::new(3))),
            &t
        ));
        assert!(!may(
            &office,
            Action::CreateTier,
            Target::Place(Some(TierId::new(1))),
            &t
        ));
        assert!(!may(
            &office,
            Action::CreateTier,
            Target::Place(Some(TierId::new(4))),
            &t
        ));
        assert!(!may(&office, Action::CreateTier, Target::Place(None), &t));
        assert!(may(
            &office,
            Action::Unlock,
            member(30, Role::SiteManager, Some(3)),
            &t
        ));
        assert!(may(
            &office,
            Action::Unlock,
            member(31, Role::TierManager, Some(3)),
            &t
        ));
        assert!(may(
            &office,
            Action::Unlock,
            member(32, Role::SiteManager, Some(2)),
            &t
        ));
        assert!(!may(
            &office,
            Action::Unlock,
            member(33, Role::TierManager, Some(2)),
            &t
        ));
        assert!(!may(
            &office,
            Action::Unlock,
            member(10, Role::TierManager, Some(1)),
            &t
        ));
        assert!(!may(
            &office,
            Action::Unlock,
            member(40, Role::SiteManager, Some(4)),
            &t
        ));
        assert!(!may(
            &office,
            Action::Unlock,
            member(41, Role::SiteManager, None),
            &t
        ));
        assert!(!may(
            &office,
            Action::DisableMember,
            member(20, Role::TierManager, Some(2)),
            &t
        ));
        assert!(!may(&office, Action::ProxyApply, Target::Business, &t));
    }

    #[test]
    fn every_pair_outside_the_table_is_forbidden_whatever_the_target() {
        let t = tiers();
        let targets = [
            Target::Business,
            Target::Place(None),
            Target::Place(Some(TierId::new(3))),
            member(99, Role::SiteManager, Some(3)),
            member(99, Role::SiteManager, None),
        ];
        for role in Role::ALL {
            for action in Action::ALL {
                if scope(role, action).is_some() {
                    continue;
                }
                let actor = Actor {
                    account_id: AccountId::new(5),
                    role,
                    tier: Some(TierId::new(1)),
                };
                for target in targets {
                    assert!(
                        !may(&actor, action, target, &t),
                        "{role:?} {action:?} {target:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn sites_are_run_by_scope_the_owner_all_a_tier_its_subtree_a_manager_its_own() {
        let t = tiers();
        let site = |tier: Option<i64>, manager: i64| Target::Site {
            tier: tier.map(TierId::new),
            manager: AccountId::new(manager),
        };
        let actor = |role, tier: Option<i64>| Actor {
            account_id: AccountId::new(7),
            role,
            tier: tier.map(TierId::new),
        };
        let owner = actor(Role::Owner, None);
        let office = actor(Role::TierManager, Some(2));
        let runner = actor(Role::SiteManager, Some(1));
        let clerk = actor(Role::ProxyClerk, None);
        assert!(may(&owner, Action::RunSites, site(None, 1), &t));
        assert!(may(&office, Action::RunSites, site(Some(3), 1), &t));
        assert!(!may(&office, Action::RunSites, site(Some(1), 1), &t));
        assert!(!may(&office, Action::RunSites, site(None, 7), &t));
        assert!(may(&runner, Action::RunSites, site(Some(4), 7), &t));
        assert!(!may(&runner, Action::RunSites, site(Some(1), 8), &t));
        assert!(!may(&runner, Action::RegisterSites, Target::Business, &t));
        assert!(may(&runner, Action::EditRoster, Target::Business, &t));
        assert!(!may(&clerk, Action::EditRoster, Target::Business, &t));
        assert!(!may(&clerk, Action::RunSites, site(None, 7), &t));
    }

    #[test]
    fn a_cycle_in_corrupt_data_ends() {
        let t = Tiers::new(&[
            Tier {
                id: TierId::new(1),
                parent: Some(TierId::new(2)),
                level: 1,
                name: String::new(),
            },
            Tier {
                id: TierId::new(2),
                parent: Some(TierId::new(1)),
                level: 2,
                name: String::new(),
            },
        ]);
        assert!(!t.within(TierId::new(7), TierId::new(1)));
    }

    #[test]
    fn the_readme_shows_this_table() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md"))
                .unwrap_or_default();
        assert!(
            readme.contains(&permission_table_markdown()),
            "README.md must contain:\n{}",
            permission_table_markdown()
        );
    }
}
