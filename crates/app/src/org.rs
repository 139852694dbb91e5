//! A business's own organisation, run by the business itself: tiers, a 管理者ID for each person
//! (their own password, lockout, sessions, access history and recovery, like every account),
//! and self-service on those people — stop or resume an ID, send a reset link to its registered
//! address, lift a lock, read its access history. Every action is checked against the
//! permission table ([`ccus_domain::org::PERMISSIONS`]) here, written with its entry in the
//! person's アクセス履歴 and the business's 操作の記録 in one transaction. Nobody sets another
//! person's password: a new person chooses theirs from the link mailed to them.

use ccus_domain::org::{may, scope, Action, Actor, Role, Target, Tier, Tiers, MAX_TIER_LEVEL};
use ccus_domain::{AccessEventKind, AccountKind};
use ccus_storage::{AccessEvent, Account, ClientInfo, Member, OrgAuditEntry, TokenPurpose};

use crate::accounts::{self, AccountRequest, ProfileRequest};
use crate::tokens::{random_token, token_hash};
use crate::unlock::{self, UnlockBy};
use crate::{mails, App, AppError, AppResult};

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

    pub fn member(&self, account_id: i64) -> Option<&Member> {
        self.members.iter().find(|m| m.account.id == account_id)
    }

    pub fn tier(&self, id: i64) -> Option<&Tier> {
        self.tiers.iter().find(|t| t.id == id)
    }

    /// 第N階層「name」, or 事業者全体 for none.
    pub fn place_label(&self, tier: Option<i64>) -> String {
        match tier.and_then(|t| self.tier(t)) {
            Some(t) => format!("第{}階層「{}」", t.level, t.name),
            None => "事業者全体".to_owned(),
        }
    }

    fn target(m: &Member) -> Target {
        Target::Member {
            account_id: Some(m.account.id),
            role: m.role,
            tier: m.tier_id,
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
    pub fn tier_places(&self) -> Vec<(Option<i64>, String)> {
        let mut out = Vec::new();
        if self.may(Action::CreateTier, Target::Place(None)) {
            out.push((None, "事業者全体の下（第1階層）".to_owned()));
        }
        for t in &self.tiers {
            if t.level < MAX_TIER_LEVEL && self.may(Action::CreateTier, Target::Place(Some(t.id))) {
                out.push((
                    Some(t.id),
                    format!(
                        "{}の下（第{}階層）",
                        self.place_label(Some(t.id)),
                        t.level + 1
                    ),
                ));
            }
        }
        out
    }

    /// Where the actor may place a new person of some role: (tier, label).
    pub fn member_places(&self) -> Vec<(Option<i64>, String)> {
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
                out.push((tier, self.place_label(tier)));
            }
        }
        out
    }

    /// How the actor appears in a person's アクセス履歴.
    fn as_client(&self) -> ClientInfo {
        ClientInfo {
            address: "business".into(),
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
    let Some(m) = app.store().org_member(me.id).await? else {
        return Ok(None);
    };
    if m.disabled_at.is_some() {
        return Ok(None);
    }
    let Some(business) = app.store().account_by_id(m.business_id).await? else {
        return Ok(None);
    };
    Ok(Some(Standing {
        business,
        actor: Actor {
            account_id: me.id,
            role: m.role,
            tier: m.tier_id,
        },
    }))
}

/// 第N階層「name」 of a standing's tier, or 事業者全体.
pub async fn place_of(app: &App, standing: &Standing) -> AppResult<String> {
    let Some(tier) = standing.actor.tier else {
        return Ok("事業者全体".to_owned());
    };
    Ok(app
        .store()
        .org_tiers(standing.business.id)
        .await?
        .into_iter()
        .find(|t| t.id == tier)
        .map_or_else(
            || "事業者全体".to_owned(),
            |t| format!("第{}階層「{}」", t.level, t.name),
        ))
}

/// The organisation context of a signed-in business login (its standing, with every tier and
/// person of the business); `None` for a technician or a stopped 管理者ID.
pub async fn context(app: &App, me: &Account) -> AppResult<Option<OrgContext>> {
    let Some(Standing { business, actor }) = standing(app, me).await? else {
        return Ok(None);
    };
    let tiers = app.store().org_tiers(business.id).await?;
    let members = app.store().org_members(business.id).await?;
    Ok(Some(OrgContext {
        tree: Tiers::new(&tiers),
        business,
        me: me.clone(),
        actor,
        tiers,
        members,
    }))
}

/// Whether a 管理者ID may log in now: it belongs to a business and is not stopped.
pub async fn member_active(app: &App, account: &Account) -> AppResult<bool> {
    if !account.login_id.is_manager() {
        return Ok(true);
    }
    Ok(matches!(
        app.store().org_member(account.id).await?,
        Some(m) if m.disabled_at.is_none()
    ))
}

/// What an organisation action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgOutcome {
    Done,
    /// Not allowed by the permission table (or not of this business).
    Forbidden,
    /// The input cannot be used; why (to show next to it).
    Invalid(String),
}

fn clean_name(raw: &str, what: &str, max: usize) -> Result<String, String> {
    let name: String = raw.trim().to_owned();
    if name.is_empty() {
        return Err(format!("{what}を入力してください。"));
    }
    if name.chars().count() > max || name.chars().any(char::is_control) {
        return Err(format!("{what}は{max}文字以内で入力してください。"));
    }
    Ok(name)
}

/// Adds a tier under `parent` (the top level for `None`).
pub async fn create_tier(
    app: &App,
    ctx: &OrgContext,
    parent: Option<i64>,
    name: &str,
) -> AppResult<OrgOutcome> {
    if !ctx.may(Action::CreateTier, Target::Place(parent)) {
        return Ok(OrgOutcome::Forbidden);
    }
    let level = match parent {
        None => 1,
        Some(p) => match ctx.tier(p) {
            Some(t) if t.level < MAX_TIER_LEVEL => t.level + 1,
            Some(_) => return Ok(OrgOutcome::Invalid("階層は第3階層までです。".into())),
            None => return Ok(OrgOutcome::Forbidden),
        },
    };
    let name = match clean_name(name, "階層の名前", 50) {
        Ok(n) => n,
        Err(e) => return Ok(OrgOutcome::Invalid(e)),
    };
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    tx.create_tier(ctx.business.id, parent, level, &name, now)
        .await?;
    tx.org_audit(
        ctx.business.id,
        ctx.me.id,
        "階層の作成",
        None,
        &format!("第{level}階層「{name}」（{}の下）", ctx.place_label(parent)),
        now,
    )
    .await?;
    tx.commit().await?;
    tracing::info!(business = ctx.business.id, level, "tier created");
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
    tier: Option<i64>,
) -> AppResult<Result<NewMember, OrgOutcome>> {
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
    if role == Role::TierManager && tier.is_none() {
        return Ok(Err(OrgOutcome::Invalid(
            "階層管理者は、管理する階層を選んでください。".into(),
        )));
    }
    let name = match clean_name(name, "氏名", 100) {
        Ok(n) => n,
        Err(e) => return Ok(Err(OrgOutcome::Invalid(e))),
    };
    let email = email.trim().to_owned();
    if !accounts::valid_email(&email) {
        return Ok(Err(OrgOutcome::Invalid(
            "メールアドレスの形式が正しくありません。".into(),
        )));
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
    let prepared = accounts::prepare(app, req)
        .await
        .map_err(|e| AppError::Internal(format!("issuing a 管理者ID: {e}")))?
        .into_manager();
    let now = app.clock().now();
    let token = random_token();
    let ttl = app.config().recovery.token_ttl;
    let (business_id, me_id) = (ctx.business.id, ctx.me.id);
    let business_name = ctx.business.name.clone();
    let place = ctx.place_label(tier);
    // The new person has logged in nowhere yet: the invitation is in the issuer's language.
    let lang = crate::i18n::mail_language(app, ctx.me.id).await?;
    let created = accounts::insert_prepared(app, prepared, |tx, account| {
        let invitation = mails::member_invitation(app, lang, account, &business_name, role, &token);
        let hash = token_hash(&token);
        let account_id = account.id;
        let detail = format!(
            "{}（{}）を{}として{}に発行",
            account.name,
            account.login_id.grouped(),
            role.label_ja(),
            place
        );
        Box::pin(async move {
            tx.add_member(account_id, business_id, role, tier, me_id, now)
                .await?;
            tx.create_token(
                &hash,
                TokenPurpose::Reset,
                account_id,
                None,
                now,
                now.plus(ttl),
            )
            .await?;
            tx.enqueue_mail(&invitation, now).await?;
            tx.org_audit(
                business_id,
                me_id,
                "管理者IDの発行",
                Some(account_id),
                &detail,
                now,
            )
            .await?;
            Ok(true)
        })
    })
    .await
    .map_err(accounts::CreateError::into_app)?;
    let Some(created) = created else {
        return Err(AppError::Internal("a 管理者ID was not written".into()));
    };
    tracing::info!(
        business = business_id,
        account = created.account.id,
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
    fn label_ja(self) -> &'static str {
        match self {
            MemberAction::Disable => "利用停止",
            MemberAction::Enable => "利用再開",
            MemberAction::SendReset => "パスワード再設定メールの送信",
            MemberAction::Unlock => "ロック解除",
        }
    }
}

/// Does `action` to the person with `account_id`, if the actor may.
pub async fn act_on_member(
    app: &App,
    ctx: &OrgContext,
    account_id: i64,
    action: MemberAction,
) -> AppResult<OrgOutcome> {
    let Some(m) = ctx.member(account_id) else {
        return Ok(OrgOutcome::Forbidden);
    };
    if !ctx.may_member(action.permission(), m) {
        return Ok(OrgOutcome::Forbidden);
    }
    let a = &m.account;
    let client = ctx.as_client();
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    match action {
        MemberAction::Disable => {
            if !tx.set_member_disabled(a.id, Some(now)).await? {
                return Ok(OrgOutcome::Done);
            }
            tx.delete_sessions_of(a.id, None).await?;
            tx.void_tokens(a.id, now).await?;
            tx.record_event(&a.login_id, AccessEventKind::OrgDisabled, &client, now)
                .await?;
        }
        MemberAction::Enable => {
            if !tx.set_member_disabled(a.id, None).await? {
                return Ok(OrgOutcome::Done);
            }
            tx.record_event(&a.login_id, AccessEventKind::OrgEnabled, &client, now)
                .await?;
        }
        MemberAction::SendReset => {
            if m.disabled_at.is_some() {
                return Ok(OrgOutcome::Invalid(
                    "利用停止中の管理者IDです。先に利用を再開してください。".into(),
                ));
            }
            let token = random_token();
            tx.create_token(
                &token_hash(&token),
                TokenPurpose::Reset,
                a.id,
                None,
                now,
                now.plus(app.config().recovery.token_ttl),
            )
            .await?;
            let by = format!("{}（{}）", ctx.me.name, ctx.me.login_id.grouped());
            let lang = crate::i18n::mail_language(app, a.id).await?;
            tx.enqueue_mail(
                &mails::reset_link_from_org(app, lang, a, &token, &by, now),
                now,
            )
            .await?;
            tx.record_event(&a.login_id, AccessEventKind::OrgResetSent, &client, now)
                .await?;
        }
        MemberAction::Unlock => {
            unlock::lift(&mut tx, &a.login_id, UnlockBy::Organisation, &client, now).await?;
        }
    }
    tx.org_audit(
        ctx.business.id,
        ctx.me.id,
        action.label_ja(),
        Some(a.id),
        &format!("{}（{}）", a.name, a.login_id.grouped()),
        now,
    )
    .await?;
    tx.commit().await?;
    app.wake_mail();
    tracing::info!(
        business = ctx.business.id,
        account = a.id,
        ?action,
        "organisation action"
    );
    Ok(OrgOutcome::Done)
}

/// A person's page: who they are, and their latest access history (the look is audited).
pub struct MemberView {
    pub member: Member,
    pub history: Vec<AccessEvent>,
    pub locked: bool,
}

pub async fn member_view(
    app: &App,
    ctx: &OrgContext,
    account_id: i64,
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
        tx.org_audit(
            ctx.business.id,
            ctx.me.id,
            "アクセス履歴の閲覧",
            Some(m.account.id),
            &format!("{}（{}）", m.account.name, m.account.login_id.grouped()),
            now,
        )
        .await?;
        tx.commit().await?;
        app.store().access_history(&m.account, 0, 50).await?
    } else {
        Vec::new()
    };
    let now = app.clock().now();
    let guard = app.store().guard_state(m.account.login_id.as_str()).await?;
    let devices = app.store().device_locks(&m.account.login_id, now).await?;
    let locked = guard.locked_until.is_some_and(|u| u > now) || devices.count > 0;
    Ok(Some(MemberView {
        member: m.clone(),
        history,
        locked,
    }))
}

/// The business's 操作の記録 (its 事業者責任者 only).
pub async fn audit(app: &App, ctx: &OrgContext) -> AppResult<Vec<OrgAuditEntry>> {
    if ctx.role() != Role::Owner {
        return Err(AppError::Forbidden);
    }
    Ok(app.store().org_audit(ctx.business.id, 100).await?)
}

/// One place of a business as the helpdesk lists it: (level, place label, people as
/// (account id, line)).
pub type HelpdeskPlace = (u8, String, Vec<(i64, String)>);

/// A business's organisation as the helpdesk sees it from one account: the tree (tiers, then
/// people) of a 事業者ID, or, for a 管理者ID, where the person sits.
#[derive(Debug, Clone, Default)]
pub struct HelpdeskOrg {
    /// (level, place label, people as (account id, line)), depth first; empty for a technician.
    pub tree: Vec<HelpdeskPlace>,
    /// For a 管理者ID: its business, role, tier and state.
    pub membership: Option<(i64, String)>,
}

pub async fn for_helpdesk(app: &App, a: &Account) -> AppResult<HelpdeskOrg> {
    if a.kind() != AccountKind::Business {
        return Ok(HelpdeskOrg::default());
    }
    let ctx = if a.login_id.is_manager() {
        let Some(m) = app.store().org_member(a.id).await? else {
            return Ok(HelpdeskOrg::default());
        };
        let Some(b) = app.store().account_by_id(m.business_id).await? else {
            return Ok(HelpdeskOrg::default());
        };
        let tiers = app.store().org_tiers(b.id).await?;
        let label = tiers
            .iter()
            .find(|t| Some(t.id) == m.tier_id)
            .map_or("事業者全体".to_owned(), |t| {
                format!("第{}階層「{}」", t.level, t.name)
            });
        let state = if m.disabled_at.is_some() {
            "利用停止中"
        } else {
            "利用中"
        };
        return Ok(HelpdeskOrg {
            tree: Vec::new(),
            membership: Some((
                b.id,
                format!(
                    "{}（事業者ID {}）の{}・{}（{}）",
                    b.name,
                    b.login_id.grouped(),
                    m.role.label_ja(),
                    label,
                    state
                ),
            )),
        });
    } else {
        match context(app, a).await? {
            Some(c) => c,
            None => return Ok(HelpdeskOrg::default()),
        }
    };
    let line = |m: &Member| {
        format!(
            "{}（管理者ID {}、{}{}）",
            m.account.name,
            m.account.login_id.grouped(),
            m.role.label_ja(),
            if m.disabled_at.is_some() {
                "、利用停止中"
            } else {
                ""
            }
        )
    };
    let people = |tier: Option<i64>| -> Vec<(i64, String)> {
        ctx.members
            .iter()
            .filter(|m| m.tier_id == tier)
            .map(|m| (m.account.id, line(m)))
            .collect()
    };
    let mut tree = vec![(0, "事業者全体".to_owned(), people(None))];
    fn walk(
        ctx: &OrgContext,
        parent: Option<i64>,
        people: &dyn Fn(Option<i64>) -> Vec<(i64, String)>,
        out: &mut Vec<HelpdeskPlace>,
    ) {
        for t in ctx.tiers.iter().filter(|t| t.parent == parent) {
            out.push((t.level, ctx.place_label(Some(t.id)), people(Some(t.id))));
            walk(ctx, Some(t.id), people, out);
        }
    }
    walk(&ctx, None, &people, &mut tree);
    Ok(HelpdeskOrg {
        tree,
        membership: None,
    })
}
