//! What the helpdesk console reads: the inquiry queue and one inquiry with its files, notes and
//! the accounts it may be about; account look-ups; an account's locks and recent history; the
//! audit log. Accounts come as [`AccountSummary`], never as the stored row.

use ccus_domain::{AccountId, GuardState, InquiryId, LoginId, Timestamp};

use crate::account::{AccessEvent, AccountSummary};
use crate::{App, AppResult};

/// Read models and criteria of the console: an inquiry (問い合わせ), its status, files and
/// notes, what accounts are looked up by, a staff member's role, an audit log entry.
pub use crate::audit::AuditEntry;
pub use ccus_storage::{
    Account, Inquiry, InquiryFile, InquiryNote, InquiryStatus, Lookup, StaffRole,
};

/// The inquiry queue: those with `status` (the open ones when `None`), at most `limit`.
pub async fn inquiry_queue(
    app: &App,
    status: Option<InquiryStatus>,
    limit: u32,
) -> AppResult<Vec<Inquiry>> {
    Ok(app.store().inquiries().list(status, limit).await?)
}

/// One inquiry.
pub async fn inquiry(app: &App, id: InquiryId) -> AppResult<Option<Inquiry>> {
    Ok(app.store().inquiries().inquiry(id).await?)
}

/// One attachment of an inquiry (its bytes are read with [`crate::attachments::read_stored`]).
pub async fn attachment(app: &App, id: i64) -> AppResult<Option<InquiryFile>> {
    Ok(app.store().inquiries().inquiry_file(id).await?)
}

/// What an inquiry's page shows besides the inquiry itself.
#[derive(Debug, Clone)]
pub struct InquiryCase {
    pub files: Vec<InquiryFile>,
    /// Accounts the inquiry may be about: the one with the given ID first, then by フリガナ
    /// (or name) and birth date, then by email.
    pub candidates: Vec<AccountSummary>,
    pub notes: Vec<InquiryNote>,
}

/// The files, candidate accounts and notes of an inquiry.
pub async fn inquiry_case(app: &App, q: &Inquiry) -> AppResult<InquiryCase> {
    let files = app.store().inquiries().inquiry_files(q.id).await?;
    let mut candidates = app
        .store()
        .lookup()
        .find_accounts(
            &Lookup {
                name: if q.furigana.is_empty() {
                    q.name.clone()
                } else {
                    q.furigana.clone()
                },
                birth_date: q.birth_date.clone(),
                ..Default::default()
            },
            10,
        )
        .await?;
    for a in app
        .store()
        .lookup()
        .find_accounts(
            &Lookup {
                email: q.email.clone(),
                ..Default::default()
            },
            10,
        )
        .await?
    {
        if !candidates.iter().any(|c| c.id == a.id) {
            candidates.push(a);
        }
    }
    if let Ok(id) = LoginId::parse(&q.login_id) {
        if let Some(a) = app.store().accounts().account_by_login_id(&id).await? {
            if !candidates.iter().any(|c| c.id == a.id) {
                candidates.insert(0, a);
            }
        }
    }
    let notes = app.store().inquiries().inquiry_notes(q.id).await?;
    Ok(InquiryCase {
        files,
        candidates: candidates.into_iter().map(AccountSummary::from).collect(),
        notes,
    })
}

/// Accounts matching a look-up, at most `limit`.
pub async fn find_accounts(app: &App, q: &Lookup, limit: u32) -> AppResult<Vec<AccountSummary>> {
    Ok(app
        .store()
        .lookup()
        .find_accounts(q, limit)
        .await?
        .into_iter()
        .map(AccountSummary::from)
        .collect())
}

/// The account with this ID, if any.
pub async fn account_by_login_id(app: &App, id: &LoginId) -> AppResult<Option<AccountSummary>> {
    Ok(app
        .store()
        .accounts()
        .account_by_login_id(id)
        .await?
        .map(AccountSummary::from))
}

/// The account staff act on (with [`crate::helpdesk::act_on_account`] and the like).
pub async fn account(app: &App, id: AccountId) -> AppResult<Option<Account>> {
    Ok(app.store().accounts().account_by_id(id).await?)
}

/// What the helpdesk's account page shows of an account besides its summary.
#[derive(Debug, Clone)]
pub struct AccountStatus {
    pub summary: AccountSummary,
    /// The ID's own failure counter and lock.
    pub guard: GuardState,
    /// Browsers of the owner locked on their own: how many, and the latest end of a lock.
    pub locked_browsers: u32,
    pub browsers_locked_until: Option<Timestamp>,
    /// For a technician: the business they work for.
    pub employer: Option<AccountSummary>,
    /// The newest entries of the アクセス履歴.
    pub history: Vec<AccessEvent>,
}

/// The locks, employer and latest `history` entries of an account at `now`.
pub async fn account_status(
    app: &App,
    a: &Account,
    now: Timestamp,
    history: u64,
) -> AppResult<AccountStatus> {
    let guard = app
        .store()
        .guards()
        .guard_state(a.login_id.as_str())
        .await?;
    let devices = app.store().guards().device_locks(&a.login_id, now).await?;
    let employer = match a.profile.employer_id {
        Some(e) => app
            .store()
            .accounts()
            .account_by_id(e)
            .await?
            .map(AccountSummary::from),
        None => None,
    };
    let history = app.store().history().access_history(a, 0, history).await?;
    Ok(AccountStatus {
        summary: AccountSummary::from(a),
        guard,
        locked_browsers: devices.count,
        browsers_locked_until: devices.latest_until,
        employer,
        history,
    })
}

/// The newest entries of the helpdesk's audit log.
pub async fn audit_log(app: &App, limit: u32) -> AppResult<Vec<AuditEntry>> {
    crate::audit::helpdesk_log(app, limit).await
}
