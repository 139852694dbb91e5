//! A business's own organisation, run by the business itself: tiers, a 管理者ID for each person
//! (their own password, lockout, sessions, access history and recovery, like every account),
//! and self-service on those people — stop or resume an ID, send a reset link to its registered
//! address, lift a lock, read its access history. Every action is checked against the
//! permission table ([`ccus_domain::org::PERMISSIONS`]) here, written with its entry in the
//! person's アクセス履歴 and the business's 操作の記録 in one transaction. Nobody sets another
//! person's password: a new person chooses theirs from the link mailed to them.

pub mod affiliation;
pub mod mails;

use ccus_domain::org::{may, scope, Action, Actor, Role, Target, Tier, Tiers, MAX_TIER_LEVEL};
use ccus_domain::{AccessEventKind, AccountKind};
use ccus_storage::{AccessEvent, Account, ClientInfo, OrgAuditEntry, TokenPurpose};

/// A person of the organisation as its pages list them: their 管理者ID, place and role.
pub use ccus_storage::Member;

use crate::account::provisioning::{AccountRequest, ProfileRequest};
use crate::auth::unlock::{self, UnlockBy};
use crate::i18n::{text_in, Lang, Msg};
use crate::tokens::{random_token, token_hash};
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
    pub fn place_msg(&self, tier: Option<i64>) -> Msg {
        place_msg(tier.and_then(|t| self.tier(t)))
    }

    /// [`Self::place_msg`] in Japanese, for the 操作の記録 and the helpdesk.
    pub fn place_label(&self, tier: Option<i64>) -> String {
        self.place_msg(tier).to_string()
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
    pub fn tier_places(&self) -> Vec<(Option<i64>, Msg)> {
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
    pub fn member_places(&self) -> Vec<(Option<i64>, Msg)> {
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
                out.push((tier, self.place_msg(tier)));
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
    let tiers = app.store().org_tiers(standing.business.id).await?;
    Ok(place_msg(tiers.iter().find(|t| t.id == tier)))
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

/// What an organisation action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgOutcome {
    Done,
    /// Not allowed by the permission table (or not of this business).
    Forbidden,
    /// The input cannot be used; why (to show next to it).
    Invalid(Msg),
}

/// What the business's 操作の記録 says was done. The record keeps the Japanese words (it is
/// data, read by the helpdesk too); a page shows them in its reader's language by [`Self::key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    TierCreated,
    MemberIssued,
    Disabled,
    Enabled,
    ResetSent,
    Unlocked,
    HistoryViewed,
    AffiliationRequested,
    AffiliationEnded,
}

impl AuditAction {
    pub const ALL: [AuditAction; 9] = [
        AuditAction::TierCreated,
        AuditAction::MemberIssued,
        AuditAction::Disabled,
        AuditAction::Enabled,
        AuditAction::ResetSent,
        AuditAction::Unlocked,
        AuditAction::HistoryViewed,
        AuditAction::AffiliationRequested,
        AuditAction::AffiliationEnded,
    ];

    /// The words the record keeps.
    pub fn stored(self) -> &'static str {
        match self {
            AuditAction::TierCreated => "階層の作成",
            AuditAction::MemberIssued => "管理者IDの発行",
            AuditAction::Disabled => "利用停止",
            AuditAction::Enabled => "利用再開",
            AuditAction::ResetSent => "パスワード再設定メールの送信",
            AuditAction::Unlocked => "ロック解除",
            AuditAction::HistoryViewed => "アクセス履歴の閲覧",
            AuditAction::AffiliationRequested => "所属の依頼",
            AuditAction::AffiliationEnded => "所属の終了",
        }
    }

    /// Its words in the catalog.
    pub fn key(self) -> &'static str {
        match self {
            AuditAction::TierCreated => "org-audit-tier-created",
            AuditAction::MemberIssued => "org-audit-member-issued",
            AuditAction::Disabled => "org-audit-disabled",
            AuditAction::Enabled => "org-audit-enabled",
            AuditAction::ResetSent => "org-audit-reset-sent",
            AuditAction::Unlocked => "org-audit-unlocked",
            AuditAction::HistoryViewed => "org-audit-history-viewed",
            AuditAction::AffiliationRequested => "org-audit-affiliation-requested",
            AuditAction::AffiliationEnded => "org-audit-affiliation-ended",
        }
    }

    /// The action a record names, if it is one of these.
    pub fn from_stored(s: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.stored() == s)
    }
}

/// A tier as a 操作の記録 detail names it: (level, name); `None` for 事業者全体.
pub type AuditPlace = Option<(u8, String)>;

/// The detail of a 操作の記録 entry. It is kept as Japanese words ([`Self::stored`]); a page
/// reads them back ([`Self::read`]) to show them in its reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditDetail {
    /// A new tier and the place it was made under.
    Tier {
        level: u8,
        name: String,
        parent: AuditPlace,
    },
    /// A 管理者ID issued: the person, their ID, role and place.
    Issued {
        name: String,
        id: String,
        role: Role,
        place: AuditPlace,
    },
    /// A person acted on: name and ID.
    Person { name: String, id: String },
    /// A person stopped (利用停止), with the reason given.
    Stopped {
        name: String,
        id: String,
        reason: String,
    },
    /// A technician, by ID only.
    Technician { id: String },
    /// Words of no known form, as recorded.
    Recorded(String),
}

fn stored_place(place: &AuditPlace) -> String {
    match place {
        Some((level, name)) => format!("第{level}階層「{name}」"),
        None => "事業者全体".to_owned(),
    }
}

fn read_place(s: &str) -> Option<AuditPlace> {
    if s == "事業者全体" {
        return Some(None);
    }
    let rest = s.strip_prefix('第')?;
    let (level, rest) = rest.split_once("階層「")?;
    Some(Some((
        level.parse().ok()?,
        rest.strip_suffix('」')?.to_owned(),
    )))
}

/// 「name（ID）」 → (name, ID).
fn read_person(s: &str) -> Option<(String, String)> {
    let (name, id) = s.strip_suffix('）')?.rsplit_once('（')?;
    Some((name.to_owned(), id.to_owned()))
}

impl AuditDetail {
    fn place_of(ctx: &OrgContext, tier: Option<i64>) -> AuditPlace {
        tier.and_then(|t| ctx.tier(t))
            .map(|t| (t.level, t.name.clone()))
    }

    /// The words the record keeps.
    pub fn stored(&self) -> String {
        match self {
            AuditDetail::Tier {
                level,
                name,
                parent,
            } => format!("第{level}階層「{name}」（{}の下）", stored_place(parent)),
            AuditDetail::Issued {
                name,
                id,
                role,
                place,
            } => format!(
                "{name}（{id}）を{}として{}に発行",
                role.label_ja(),
                stored_place(place)
            ),
            AuditDetail::Person { name, id } => format!("{name}（{id}）"),
            AuditDetail::Stopped { name, id, reason } => format!("{name}（{id}） 理由: {reason}"),
            AuditDetail::Technician { id } => format!("技能者ID {id}"),
            AuditDetail::Recorded(s) => s.clone(),
        }
    }

    /// The detail a record of `action` keeps, read back; [`AuditDetail::Recorded`] when it
    /// does not read as that action's form.
    pub fn read(action: Option<AuditAction>, stored: &str) -> AuditDetail {
        let read = || -> Option<AuditDetail> {
            match action? {
                AuditAction::TierCreated => {
                    let rest = stored.strip_prefix('第')?.strip_suffix("の下）")?;
                    let (level, rest) = rest.split_once("階層「")?;
                    let (name, parent) = match rest.strip_suffix("」（事業者全体") {
                        Some(name) => (name, None),
                        None => {
                            let (name, parent) = rest.rsplit_once("」（第")?;
                            (name, read_place(&format!("第{parent}"))?)
                        }
                    };
                    Some(AuditDetail::Tier {
                        level: level.parse().ok()?,
                        name: name.to_owned(),
                        parent,
                    })
                }
                AuditAction::MemberIssued => {
                    let rest = stored.strip_suffix("に発行")?;
                    Role::MEMBER.into_iter().find_map(|role| {
                        let (person, place) =
                            rest.rsplit_once(&format!("を{}として", role.label_ja()))?;
                        let (name, id) = read_person(person)?;
                        Some(AuditDetail::Issued {
                            name,
                            id,
                            role,
                            place: read_place(place)?,
                        })
                    })
                }
                AuditAction::Disabled if stored.contains("） 理由: ") => {
                    let (person, reason) = stored.split_once(" 理由: ")?;
                    let (name, id) = read_person(person)?;
                    Some(AuditDetail::Stopped {
                        name,
                        id,
                        reason: reason.to_owned(),
                    })
                }
                AuditAction::Disabled
                | AuditAction::Enabled
                | AuditAction::ResetSent
                | AuditAction::Unlocked
                | AuditAction::HistoryViewed => {
                    let (name, id) = read_person(stored)?;
                    Some(AuditDetail::Person { name, id })
                }
                AuditAction::AffiliationRequested | AuditAction::AffiliationEnded => {
                    Some(AuditDetail::Technician {
                        id: stored.strip_prefix("技能者ID ")?.to_owned(),
                    })
                }
            }
        };
        read()
            .filter(|d| d.stored() == stored)
            .unwrap_or_else(|| AuditDetail::Recorded(stored.to_owned()))
    }
}

/// A name typed into a form, trimmed; the keys say what is wrong when it is empty or longer
/// than `max` characters.
fn clean_name(
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
    tx.create_tier(ctx.business.id, parent, level, &name, now)
        .await?;
    tx.org_audit(
        ctx.business.id,
        ctx.me.id,
        AuditAction::TierCreated.stored(),
        None,
        &AuditDetail::Tier {
            level,
            name: name.clone(),
            parent: AuditDetail::place_of(ctx, parent),
        }
        .stored(),
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
        .map_err(|e| AppError::Internal(format!("issuing a 管理者ID: {e}")))?
        .into_manager();
    let now = app.clock().now();
    let token = random_token();
    let ttl = app.config().recovery.token_ttl;
    let (business_id, me_id) = (ctx.business.id, ctx.me.id);
    let business_name = ctx.business.name.clone();
    let place = AuditDetail::place_of(ctx, tier);
    // The new person has logged in nowhere yet: the invitation is in the issuer's language.
    let lang = crate::i18n::mail_language(app, ctx.me.id).await?;
    let created = crate::account::provisioning::insert_prepared(app, prepared, |tx, account| {
        let invitation =
            crate::org::mails::member_invitation(app, lang, account, &business_name, role, &token);
        let hash = token_hash(&token);
        let account_id = account.id;
        let detail = AuditDetail::Issued {
            name: account.name.clone(),
            id: account.login_id.grouped(),
            role,
            place: place.clone(),
        }
        .stored();
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
                AuditAction::MemberIssued.stored(),
                Some(account_id),
                &detail,
                now,
            )
            .await?;
            Ok(true)
        })
    })
    .await
    .map_err(crate::account::provisioning::CreateError::into_app)?;
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
    fn audit(self) -> AuditAction {
        match self {
            MemberAction::Disable => AuditAction::Disabled,
            MemberAction::Enable => AuditAction::Enabled,
            MemberAction::SendReset => AuditAction::ResetSent,
            MemberAction::Unlock => AuditAction::Unlocked,
        }
    }
}

/// Does `action` to the person with `account_id`, if the actor may.
/// Acts on a person of the business. Stopping (利用停止) needs a reason, which the record
/// keeps; the other actions take none (`reason` is ignored).
pub async fn act_on_member(
    app: &App,
    ctx: &OrgContext,
    account_id: i64,
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
            if !tx.set_member_disabled(a.id, Some(now)).await? {
                return Ok(OrgOutcome::Done);
            }
            tx.delete_sessions_of(a.id, None).await?;
            tx.delete_applicant_sessions_opened_by(a.id).await?;
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
    let detail = if action == MemberAction::Disable {
        AuditDetail::Stopped {
            name: a.name.clone(),
            id: a.login_id.grouped(),
            reason,
        }
    } else {
        AuditDetail::Person {
            name: a.name.clone(),
            id: a.login_id.grouped(),
        }
    };
    tx.org_audit(
        ctx.business.id,
        ctx.me.id,
        action.audit().stored(),
        Some(a.id),
        &detail.stored(),
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
            AuditAction::HistoryViewed.stored(),
            Some(m.account.id),
            &AuditDetail::Person {
                name: m.account.name.clone(),
                id: m.account.login_id.grouped(),
            }
            .stored(),
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
        let Some(m) = app.store().org_member(a.id).await? else {
            return Ok(HelpdeskOrg::default());
        };
        let Some(b) = app.store().account_by_id(m.business_id).await? else {
            return Ok(HelpdeskOrg::default());
        };
        let tiers = app.store().org_tiers(b.id).await?;
        let place = place_msg(tiers.iter().find(|t| Some(t.id) == m.tier_id)).text(lang);
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
            membership: Some((b.id, line)),
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
    let people = |tier: Option<i64>| -> Vec<(i64, String)> {
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
        parent: Option<i64>,
        people: &dyn Fn(Option<i64>) -> Vec<(i64, String)>,
        out: &mut Vec<HelpdeskPlace>,
    ) {
        for t in ctx.tiers.iter().filter(|t| t.parent == parent) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{text_in, Lang};

    #[test]
    fn the_record_s_words_are_the_catalog_s_japanese() {
        for a in AuditAction::ALL {
            assert_eq!(text_in(Lang::Ja, a.key(), &[]), a.stored(), "{a:?}");
            assert_eq!(AuditAction::from_stored(a.stored()), Some(a));
            for lang in [Lang::En, Lang::Easy] {
                assert_ne!(text_in(lang, a.key(), &[]), a.stored(), "{a:?} in {lang:?}");
            }
        }
        assert_eq!(AuditAction::from_stored("something else"), None);
    }

    #[test]
    fn a_detail_reads_back_as_it_was_written() {
        let place = |l: u8, n: &str| Some((l, n.to_owned()));
        let cases = [
            (
                AuditAction::TierCreated,
                AuditDetail::Tier {
                    level: 1,
                    name: "東京支店".into(),
                    parent: None,
                },
                "第1階層「東京支店」（事業者全体の下）",
            ),
            (
                AuditAction::TierCreated,
                AuditDetail::Tier {
                    level: 3,
                    name: "第一「工事」課".into(),
                    parent: place(2, "第一工事部"),
                },
                "第3階層「第一「工事」課」（第2階層「第一工事部」の下）",
            ),
            (
                AuditAction::MemberIssued,
                AuditDetail::Issued {
                    name: "現場 次郎".into(),
                    id: "3000 0000 0000 00".into(),
                    role: Role::SiteManager,
                    place: place(1, "東京支店"),
                },
                "現場 次郎（3000 0000 0000 00）を現場管理者として第1階層「東京支店」に発行",
            ),
            (
                AuditAction::MemberIssued,
                AuditDetail::Issued {
                    name: "代行 花子".into(),
                    id: "3000 0000 0000 01".into(),
                    role: Role::ProxyClerk,
                    place: None,
                },
                "代行 花子（3000 0000 0000 01）を代行登録担当者として事業者全体に発行",
            ),
            (
                AuditAction::Unlocked,
                AuditDetail::Person {
                    name: "現場 次郎".into(),
                    id: "3000 0000 0000 00".into(),
                },
                "現場 次郎（3000 0000 0000 00）",
            ),
            (
                AuditAction::AffiliationRequested,
                AuditDetail::Technician {
                    id: "1000 0000 0000 00".into(),
                },
                "技能者ID 1000 0000 0000 00",
            ),
        ];
        for (action, detail, words) in cases {
            assert_eq!(detail.stored(), words);
            assert_eq!(AuditDetail::read(Some(action), words), detail);
        }
        for (action, words) in [
            (
                Some(AuditAction::TierCreated),
                "第X階層「A」（事業者全体の下）",
            ),
            (Some(AuditAction::MemberIssued), "だれか"),
            (None, "現場 次郎（3000）"),
        ] {
            assert_eq!(
                AuditDetail::read(action, words),
                AuditDetail::Recorded(words.into())
            );
        }
    }

    #[test]
    fn places_read_as_before_in_japanese() {
        let t = Tier {
            id: 1,
            parent: None,
            level: 2,
            name: "第一工事部".into(),
        };
        assert_eq!(place_msg(Some(&t)).to_string(), "第2階層「第一工事部」");
        assert_eq!(place_msg(None).to_string(), "事業者全体");
    }
}
