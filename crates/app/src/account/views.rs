//! What the pages about an account show, made for them: never the stored row, so a password
//! hash cannot reach a template.

use ccus_domain::{AccountId, AccountKind, LoginId, Timestamp};
use ccus_storage::{Account, SessionRecord};

use crate::{App, AppResult};

/// One entry of an account's アクセス履歴: when, what, and from where.
pub use ccus_storage::AccessEvent;

/// An account as look-up results, inquiry candidates and the helpdesk's account page show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSummary {
    pub id: AccountId,
    pub login_id: LoginId,
    pub kind: AccountKind,
    pub name: String,
    /// フリガナ as entered.
    pub furigana: String,
    /// 生年月日, `YYYY-MM-DD`.
    pub birth_date: Option<ccus_domain::Date>,
    pub email: String,
    /// For a technician: the business account they work for.
    pub employer_id: Option<AccountId>,
    /// The initial password has not been replaced yet.
    pub must_change_password: bool,
}

impl From<&Account> for AccountSummary {
    fn from(a: &Account) -> Self {
        AccountSummary {
            id: a.id,
            login_id: a.login_id.clone(),
            kind: a.kind(),
            name: a.name.clone(),
            furigana: a.profile.furigana.clone(),
            birth_date: a.profile.birth_date,
            email: a.email.clone(),
            employer_id: a
                .profile
                .employer_id
                .map(AccountId::get)
                .map(AccountId::new),
            must_change_password: a.must_change_password,
        }
    }
}

impl From<Account> for AccountSummary {
    fn from(a: Account) -> Self {
        AccountSummary::from(&a)
    }
}

/// One page of an account's アクセス履歴, newest first.
#[derive(Debug, Clone)]
pub struct HistoryPage {
    /// The page shown (from 1), the one asked for kept within the pages there are.
    pub page: u64,
    /// How many pages there are (at least one).
    pub pages: u64,
    /// How many entries there are in all.
    pub total: u64,
    pub events: Vec<AccessEvent>,
}

/// Page `page` (from 1) of the account's history, `per_page` entries a page.
pub async fn history_page(
    app: &App,
    account: &Account,
    page: u64,
    per_page: u64,
) -> AppResult<HistoryPage> {
    let total = app.store().history().access_history_len(account).await?;
    let pages = total.div_ceil(per_page).max(1);
    let page = page.clamp(1, pages);
    let events = app
        .store()
        .history()
        .access_history(account, (page - 1) * per_page, per_page)
        .await?;
    Ok(HistoryPage {
        page,
        pages,
        total,
        events,
    })
}

/// A browser signed in to the account, as its owner sees it.
#[derive(Debug, Clone)]
pub struct OpenSession {
    /// The session this request belongs to.
    pub current: bool,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub client_address: String,
    pub user_agent: String,
}

/// The account's open sessions, the asking one marked.
pub async fn open_sessions(app: &App, s: &SessionRecord) -> AppResult<Vec<OpenSession>> {
    Ok(app
        .store()
        .sessions()
        .sessions_of(s.account.id)
        .await?
        .into_iter()
        .map(|o| OpenSession {
            current: o.token_hash == s.token_hash,
            created_at: o.created_at,
            last_seen_at: o.last_seen_at,
            client_address: o.client_address,
            user_agent: o.user_agent,
        })
        .collect())
}
