//! 操作の記録: what a business's administrators did, as typed actions and details, told in the reader's language.

use super::*;
use ccus_domain::TierId;

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

pub(super) fn stored_place(place: &AuditPlace) -> String {
    match place {
        Some((level, name)) => format!("第{level}階層「{name}」"),
        None => "事業者全体".to_owned(),
    }
}

pub(super) fn read_place(s: &str) -> Option<AuditPlace> {
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
pub(super) fn read_person(s: &str) -> Option<(String, String)> {
    let (name, id) = s.strip_suffix('）')?.rsplit_once('（')?;
    Some((name.to_owned(), id.to_owned()))
}

impl AuditDetail {
    pub(super) fn place_of(ctx: &OrgContext, tier: Option<TierId>) -> AuditPlace {
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
