//! The audit model of every actor: who acted ([`Actor`]), what they did ([`AuditAction`]), on
//! which account, why, and the detail ([`AuditDetail`]). The helpdesk's log and each business's
//! 操作の記録 are the same entries, told apart by the business they belong to.
//!
//! An entry is stored as the action's stable code and its detail as JSON — never as words that
//! would have to be read back — and put into words only when a page shows it, in its reader's
//! language (`words.rs`, keys `audit-*` in the catalogs). Entries written before this model
//! have no structured detail: their recorded words are shown as they are
//! ([`AuditDetail::Recorded`]), and an action code this version does not know is shown as
//! recorded too ([`RecordedAction::Recorded`]).
//!
//! Adding an action: a line in `actions!` below with a new code, its words `audit-<code>` in
//! every catalog (`locales/*/audit.ftl`), and — when it needs one — a new [`AuditDetail`] shape
//! with its words in `words.rs`. The tests check that every action and shape has words in
//! every language and reads back as written.

mod words;

#[cfg(test)]
mod tests;

use ccus_domain::{AccountId, ApplicationId, ClientId, StaffId, Timestamp};
use ccus_storage::{AuditScope, NewAuditEntry, StoreTx, StoredAuditEntry};
use serde::{Deserialize, Serialize};

use crate::error::AppResult;
use crate::App;

/// Who acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A helpdesk staff member (the staff row's id).
    Staff { pk: StaffId },
    /// An operator with `ccus admin …` on the server.
    Operator,
    /// Someone of a business — the 事業者ID itself or one of its 管理者ID — (the business's
    /// account and theirs). Their entries are the business's 操作の記録.
    Member {
        business: AccountId,
        account: AccountId,
    },
    /// Someone refused at the console's sign-in with a staff ID that is nobody's, as typed.
    Unrecognised { staff_id: String },
    /// A partner-API client acting for a business under the grant one of its 管理者ID made
    /// (`account`). Its entries are the business's 操作の記録, naming the system.
    Client {
        client: ClientId,
        business: AccountId,
        account: AccountId,
    },
}

impl Actor {
    /// The kind as stored.
    fn kind(&self) -> &'static str {
        match self {
            Actor::Staff { .. } => "staff",
            Actor::Operator => "operator",
            Actor::Member { .. } => "member",
            Actor::Unrecognised { .. } => "unrecognised",
            Actor::Client { .. } => "client",
        }
    }
}

macro_rules! actions {
    ($($(#[$doc:meta])* $name:ident = $code:literal,)*) => {
        /// What was done. Each action has a stable code (what is stored) and its words in the
        /// catalogs (`audit-<code>`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction {
            $($(#[$doc])* $name,)*
        }

        impl AuditAction {
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$name,)*];

            /// The stable code the log keeps.
            pub fn code(self) -> &'static str {
                match self {
                    $(AuditAction::$name => $code,)*
                }
            }
        }
    };
}

actions! {
    // The console's own sign-in.
    /// A staff member signed in.
    StaffLogin = "login",
    /// A console sign-in was refused.
    StaffLoginFailed = "login-failed",
    StaffLogout = "logout",
    /// A staff member stopped (利用停止), from the command line.
    StaffDisabled = "staff-disable",
    StaffEnabled = "staff-enable",
    /// A staff member replaced the password someone else chose.
    StaffPasswordSet = "password-set",
    StaffPasskeyAdded = "passkey-add",
    StaffPasskeyRemoved = "passkey-remove",
    // What staff do for a person.
    IdSent = "send-id",
    Unlocked = "unlock",
    ResetSent = "reset",
    EmailChanged = "email",
    AccountPasskeyRemoved = "account-passkey-remove",
    // Inquiries.
    InquiryStatusChanged = "inquiry-status",
    InquiryNoteAdded = "inquiry-note",
    InquiryReplied = "inquiry-reply",
    AttachmentDownloaded = "file-download",
    // Operations (the console and the command line alike).
    MaintenanceScheduled = "operations-maintenance",
    MaintenanceCancelled = "operations-cancel",
    NoticePublished = "operations-notice",
    FaqAdded = "operations-faq",
    // 登録審査 and 登録完了.
    ApplicationReturned = "registration-return",
    ApplicationApproved = "registration-approve",
    FeePaid = "registration-paid",
    /// 登録完了: the ID issued.
    RegistrationIssued = "registration-issue",
    DocumentOpened = "registration-document",
    /// An item corrected against the documents, without returning the application.
    ApplicationCorrected = "registration-correct",
    ApplicationRejected = "registration-reject",
    /// The card notice made again (new initial password and 本人確認番号).
    CardReissued = "registration-reissue",
    // A business's 操作の記録.
    TierCreated = "org-tier-created",
    MemberIssued = "org-member-issued",
    /// A 管理者ID stopped (利用停止); the reason is the entry's.
    MemberDisabled = "org-member-disabled",
    MemberEnabled = "org-member-enabled",
    MemberResetSent = "org-reset-sent",
    MemberUnlocked = "org-unlocked",
    MemberHistoryViewed = "org-history-viewed",
    AffiliationRequested = "org-affiliation-requested",
    AffiliationEnded = "org-affiliation-ended",
    // Sites and 施工体制 (a business's 操作の記録; the helpdesk's corrections in its log).
    SiteRegistered = "site-registered",
    SiteEdited = "site-edited",
    SiteClosed = "site-closed",
    SiteReopened = "site-reopened",
    /// 要請 sent.
    PlacementRequested = "site-requested",
    /// A company placed at once, under a 合意.
    PlacementAdded = "site-placed",
    PlacementApproved = "site-approved",
    PlacementDeclined = "site-declined",
    /// 取消: a place (and those below it) taken off a site.
    PlacementCancelled = "site-cancelled",
    AgreementOffered = "agreement-offered",
    AgreementAccepted = "agreement-accepted",
    AgreementDeclined = "agreement-declined",
    /// A 合意 ended, or an offer withdrawn.
    AgreementEnded = "agreement-ended",
    WorkerListed = "roster-listed",
    WorkerUpdated = "roster-updated",
    WorkerRemoved = "roster-removed",
    PatternSaved = "pattern-saved",
    PatternDeleted = "pattern-deleted",
    /// The helpdesk moved a company's place in a site's tree.
    SiteCorrected = "site-corrected",
    // 就業履歴.
    /// A card reader's key issued for a site.
    ReaderIssued = "reader-issued",
    ReaderRevoked = "reader-revoked",
    /// A technician's card reported lost (it stops counting at once).
    CardReportedLost = "card-lost",
    /// A new card (with a new number) issued for a technician; the old one stops.
    CardReplaced = "card-replaced",
    /// A day entered by hand (直接入力) for a worker.
    RecordEntered = "record-entered",
    RecordApproved = "record-approved",
    /// A day entered by hand rejected; the reason is the entry's.
    RecordRejected = "record-rejected",
    /// A worker's 未配置 touches of a day at a site placed by their employer.
    RecordPlaced = "record-placed",
    /// A 補正 by the helpdesk (new times, or the record withdrawn); the reason is the entry's.
    RecordCorrected = "record-corrected",
    /// A 補正 asked for by a business for a worker it listed or employs.
    CorrectionAsked = "correction-asked",
    CorrectionApproved = "correction-approved",
    /// A 補正 rejected; the reason is the entry's.
    CorrectionRejected = "correction-rejected",
    // The partner API.
    /// A system registered as a client of the partner API.
    ApiClientRegistered = "api-client-registered",
    /// A client's state, scopes, keys or secret changed.
    ApiClientChanged = "api-client-changed",
    /// A business let a client use its data.
    ApiGrantGiven = "api-grant-given",
    ApiGrantRevoked = "api-grant-revoked",
}

impl AuditAction {
    /// The action a stored code names, if this version knows it.
    pub fn from_code(code: &str) -> Option<AuditAction> {
        AuditAction::ALL.iter().copied().find(|a| a.code() == code)
    }
}

/// A tier as a detail names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierRef {
    pub level: u8,
    pub name: String,
}

/// One item of an application returned for 不備: the item's key and the reason's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefectRef {
    pub field: String,
    pub code: String,
}

/// Why a console sign-in was refused (for supervisors; the person at the form is told less).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInRefusal {
    Locked,
    WrongPasswordNowLocked,
    WrongPassword,
    NoSuchStaffId,
    WrongPasskey,
    WrongCode,
    Stopped,
}

impl SignInRefusal {
    pub const ALL: [SignInRefusal; 7] = [
        SignInRefusal::Locked,
        SignInRefusal::WrongPasswordNowLocked,
        SignInRefusal::WrongPassword,
        SignInRefusal::NoSuchStaffId,
        SignInRefusal::WrongPasskey,
        SignInRefusal::WrongCode,
        SignInRefusal::Stopped,
    ];
}

/// The detail of an entry, stored as JSON (`{"kind": "sent_to", "email": …}`). IDs are
/// stored as they are (14 digits) and grouped when shown; times as seconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditDetail {
    /// Nothing beyond the action.
    Nothing,
    /// Where a console sign-in or sign-out came from.
    Connection { address: String, user_agent: String },
    /// A refused console sign-in: from where, and why.
    SignInRefused {
        address: String,
        user_agent: String,
        why: SignInRefusal,
    },
    /// The initial password someone else chose was replaced.
    InitialPasswordReplaced,
    /// A staff member acted on, by staff ID.
    StaffMember { staff_id: String },
    /// A passkey, by its name.
    Passkey { name: String },
    /// A mail sent to the registered address.
    SentTo { email: String },
    /// A lock lifted: whether the ID was locked, and how many of the owner's browsers were.
    Unlocked {
        id_was_locked: bool,
        browsers_locked: u32,
    },
    /// The registered address changed, and the passkeys removed with it.
    EmailChanged {
        old: String,
        new: String,
        passkeys_removed: u64,
    },
    /// An inquiry, by receipt number.
    Inquiry { receipt: String },
    /// An inquiry's new status (its code).
    InquiryStatus { receipt: String, status: String },
    /// An answer mailed to the inquirer.
    InquiryReply { receipt: String, email: String },
    /// An attachment of an inquiry.
    InquiryFile { file: i64, name: String },
    /// A maintenance window (seconds since the epoch).
    MaintenanceWindow {
        window: i64,
        starts_at: i64,
        ends_at: i64,
    },
    /// A maintenance window, by number.
    MaintenanceCancelled { window: i64 },
    /// A published お知らせ.
    Notice { notice: i64, title: String },
    /// A new FAQ entry; `translates` the Japanese entry a translation (`lang`) belongs to.
    Faq {
        faq: i64,
        question: String,
        lang: String,
        translates: Option<i64>,
    },
    /// An application, by number.
    Application { application: ApplicationId },
    /// An application returned, with what it lacks.
    Returned {
        application: ApplicationId,
        defects: Vec<DefectRef>,
    },
    /// A registration fee received, by the transfer's reference.
    Payment {
        application: ApplicationId,
        reference: String,
    },
    /// 登録完了: the ID the application became (`technician` or `business`).
    IdIssued {
        application: ApplicationId,
        id_kind: String,
        login_id: String,
    },
    /// A document of an application opened: its kind and file name.
    Document {
        application: ApplicationId,
        document: String,
        name: String,
    },
    /// An item corrected: its key, the old and the new value.
    Corrected {
        application: ApplicationId,
        field: String,
        old: String,
        new: String,
    },
    /// The card notice made again for an ID (`technician` or `business`).
    CardReissued {
        application: ApplicationId,
        id_kind: String,
        login_id: String,
    },
    /// A new tier, and the one it was made under (`None`: the whole business).
    Tier {
        level: u8,
        name: String,
        parent: Option<TierRef>,
    },
    /// A 管理者ID issued: the person, their ID, role (its code) and place.
    MemberIssued {
        name: String,
        login_id: String,
        role: String,
        place: Option<TierRef>,
    },
    /// A person acted on.
    Person { name: String, login_id: String },
    /// A technician, by ID.
    Technician { login_id: String },
    /// A site, by 現場ID and name.
    Site { site_id: String, name: String },
    /// A company's place on a site.
    SitePlacement {
        site_id: String,
        name: String,
        business_id: String,
        business_name: String,
    },
    /// A worker's line on a site's 名簿.
    SiteWorker {
        site_id: String,
        name: String,
        login_id: String,
    },
    /// A 事業者間合意 with another business.
    Agreement {
        business_id: String,
        business_name: String,
        proxy: bool,
    },
    /// A saved pattern (`tiers` or `roster`).
    Pattern {
        pattern: String,
        name: String,
        entries: u64,
    },
    /// A card reader of a site: its name and the first characters of its key.
    Reader {
        site_id: String,
        name: String,
        reader: String,
        hint: String,
    },
    /// A technician's IC card, by number.
    Card { login_id: String, number: String },
    /// A worker's day on a site (a 就業履歴).
    WorkDay {
        site_id: String,
        name: String,
        login_id: String,
        day: String,
    },
    /// A place moved under another company by the helpdesk.
    SiteMoved {
        site_id: String,
        business_id: String,
        from: String,
        to: String,
    },
    /// A partner-API client, and what was set (`state=certified`, `scopes=…`, `keys`,
    /// `secret`; empty when it was registered).
    ApiClient {
        client_id: String,
        name: String,
        change: String,
    },
    /// A business's grant to a client, with the scopes granted.
    ApiGrant {
        client_id: String,
        name: String,
        scopes: String,
    },
    /// The words an entry written before details were structured keeps (or a detail this
    /// version cannot read); shown as they are. Never written.
    #[serde(skip)]
    Recorded(String),
}

impl AuditDetail {
    /// The detail as stored.
    pub fn to_json(&self) -> String {
        // Plain data: serialising it cannot fail (`Recorded` is never written).
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The detail a stored entry keeps: its JSON, else the words it recorded.
    pub fn read(data: Option<&str>, recorded: &str) -> AuditDetail {
        data.and_then(|d| serde_json::from_str(d).ok())
            .unwrap_or_else(|| AuditDetail::Recorded(recorded.to_owned()))
    }
}

/// What to record: the action, its detail, the account acted on and the reason given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    pub action: AuditAction,
    pub detail: AuditDetail,
    pub subject: Option<AccountId>,
    pub reason: String,
}

impl AuditEvent {
    pub fn new(action: AuditAction, detail: AuditDetail) -> AuditEvent {
        AuditEvent {
            action,
            detail,
            subject: None,
            reason: String::new(),
        }
    }

    /// The account acted on.
    pub fn on(mut self, account_id: AccountId) -> AuditEvent {
        self.subject = Some(account_id);
        self
    }

    /// The reason the actor gave.
    pub fn because(mut self, reason: &str) -> AuditEvent {
        self.reason = reason.to_owned();
        self
    }
}

/// Records an event, in the transaction of the action itself.
pub async fn record(
    tx: &mut StoreTx,
    actor: &Actor,
    event: AuditEvent,
    now: Timestamp,
) -> ccus_storage::Result<()> {
    let mut row = NewAuditEntry {
        actor_kind: actor.kind().to_owned(),
        subject_account_id: event.subject,
        action: event.action.code().to_owned(),
        reason: event.reason,
        data: event.detail.to_json(),
        ..NewAuditEntry::default()
    };
    match actor {
        Actor::Staff { pk } => row.staff_pk = Some(*pk),
        Actor::Operator => {}
        Actor::Member { business, account } => {
            row.business_id = Some(*business);
            row.actor_account_id = Some(*account);
        }
        Actor::Unrecognised { staff_id } => row.actor_label = staff_id.clone(),
        Actor::Client {
            client,
            business,
            account,
        } => {
            row.actor_client_id = Some(*client);
            row.business_id = Some(*business);
            row.actor_account_id = Some(*account);
        }
    }
    tx.audit().record_audit(&row, now).await
}

/// Who acted, as an entry read back names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActorSeen {
    Staff {
        staff_id: String,
        name: String,
    },
    Operator,
    Member {
        name: String,
        login_id: String,
    },
    Unrecognised {
        staff_id: String,
    },
    /// A partner-API client, under the grant of the 管理者ID named.
    Client {
        system: String,
        vendor: String,
        name: String,
        login_id: String,
    },
    /// An actor of a kind this version does not know, by the words recorded.
    Recorded(String),
}

/// An action as read back: known, or a code this version does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordedAction {
    Known(AuditAction),
    Recorded(String),
}

/// An entry as a page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: Timestamp,
    pub actor: ActorSeen,
    pub action: RecordedAction,
    /// The ID of the account acted on.
    pub subject: Option<String>,
    /// The reason given; empty when none was asked for.
    pub reason: String,
    pub detail: AuditDetail,
}

impl AuditEntry {
    fn from_stored(e: StoredAuditEntry) -> AuditEntry {
        let actor = match e.actor_kind.as_str() {
            "staff" => ActorSeen::Staff {
                staff_id: e.staff_id.unwrap_or_default(),
                name: e.staff_name.unwrap_or_default(),
            },
            "operator" => ActorSeen::Operator,
            "member" => ActorSeen::Member {
                name: e.actor_name.unwrap_or_default(),
                login_id: e.actor_login_id.unwrap_or_default(),
            },
            "unrecognised" => ActorSeen::Unrecognised {
                staff_id: e.actor_label,
            },
            "client" => ActorSeen::Client {
                system: e.client_name.unwrap_or_default(),
                vendor: e.client_vendor.unwrap_or_default(),
                name: e.actor_name.unwrap_or_default(),
                login_id: e.actor_login_id.unwrap_or_default(),
            },
            _ => ActorSeen::Recorded(e.actor_label),
        };
        AuditEntry {
            at: e.at,
            actor,
            action: AuditAction::from_code(&e.action)
                .map_or(RecordedAction::Recorded(e.action), RecordedAction::Known),
            subject: e.subject_login_id,
            reason: e.reason,
            detail: AuditDetail::read(e.data.as_deref(), &e.recorded),
        }
    }

    /// Whether this is `action`.
    pub fn is(&self, action: AuditAction) -> bool {
        self.action == RecordedAction::Known(action)
    }
}

/// The helpdesk's log (staff, the command line, refused sign-ins), newest first.
pub async fn helpdesk_log(app: &App, limit: u32) -> AppResult<Vec<AuditEntry>> {
    read(app, AuditScope::Helpdesk, limit).await
}

/// A business's 操作の記録 (its 事業者ID account), newest first.
pub async fn business_log(
    app: &App,
    business_id: AccountId,
    limit: u32,
) -> AppResult<Vec<AuditEntry>> {
    read(app, AuditScope::Business(business_id), limit).await
}

async fn read(app: &App, scope: AuditScope, limit: u32) -> AppResult<Vec<AuditEntry>> {
    Ok(app
        .store()
        .audit()
        .audit_entries(scope, limit)
        .await?
        .into_iter()
        .map(AuditEntry::from_stored)
        .collect())
}
