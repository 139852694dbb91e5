//! Logging in with an ID and a password, for both portals: the per-address limit, the
//! browser's own counter when the owner has logged in from it before (device cookies), the
//! lock decision, the password check against the real or a dummy hash (so an unknown ID costs
//! the same), a rehash when the parameters changed, the new session, the access history and —
//! when an attempt locks — the unlock mail, all in one place.
//!
//! Enumeration safety lives here: an unknown ID is counted, recorded and answered exactly like
//! a wrong password ([`LoginOutcome::Refused`]), and a lock is reported the same whether or
//! not the ID has an account.

use std::time::Duration;

use ccus_domain::{AccessEventKind, AddressBucket, GuardKey, LoginId, Password, Timestamp};
use ccus_storage::{Account, ClientInfo};

use crate::admission::Priority;
use crate::auth::session_cache::CachedSession;
use crate::auth::sessions::{self, Kind, Outcome, Principal, Standing};
use crate::guard::{check_secret_unsettled, Settle, Unsettled};
use crate::i18n::Lang;
use crate::tokens::{random_token, token_hash};
use crate::{App, AppError, AppResult};

/// One login attempt, as the front end received it. The ID is already parsed (and so
/// normalised and checked by its check digit).
pub struct LoginRequest<'a> {
    pub login_id: &'a LoginId,
    pub password: Password,
    pub client: &'a ClientInfo,
    /// The device token the browser holds, if any.
    pub device_token: Option<&'a str>,
    /// The session token the browser held before; the login ends that session.
    pub previous_session: Option<&'a str>,
    /// The attempt carried a solved proof-of-work challenge (see [`crate::auth::challenge`]).
    pub proven_work: bool,
    /// The language the page was in: the account's mail follows it.
    pub language: Lang,
}

/// What happened.
#[derive(Debug)]
pub enum LoginOutcome {
    /// A new session. Give the browser `session_token`, and `new_device_token` when set.
    LoggedIn(Box<LoggedIn>),
    /// 「IDまたはパスワードが違います」 — the same whether or not the ID exists.
    Refused,
    /// Locked until then (nothing was checked, or this attempt locked it).
    Locked { until: Timestamp },
    /// Too many attempts from this address; the caller asks the client to wait.
    RateLimited { retry_after: Duration },
    /// The right password for a 管理者ID its business has stopped (told only after the
    /// password matched, so it reveals nothing to anyone without it).
    Disabled,
}

#[derive(Debug)]
pub struct LoggedIn {
    pub account: Account,
    pub session_token: String,
    /// A device token to remember this browser by, when it did not have one for this ID.
    pub new_device_token: Option<String>,
    /// The password is an initial one: only the change page may open.
    pub must_change_password: bool,
}

/// Logs in (or refuses), recording everything in the access history, and counting the
/// outcome by entrance for the metrics.
pub async fn log_in(app: &App, req: LoginRequest<'_>) -> AppResult<LoginOutcome> {
    let entrance = req.login_id.kind().portal();
    let outcome = attempt(app, req).await;
    let word = match &outcome {
        Ok(LoginOutcome::LoggedIn(_)) => "success",
        Ok(LoginOutcome::Refused) => "wrong_password",
        Ok(LoginOutcome::Locked { .. }) => "locked",
        Ok(LoginOutcome::RateLimited { .. }) => "throttled",
        Ok(LoginOutcome::Disabled) => "disabled",
        Err(crate::AppError::Hash(crate::hashing::HashError::Busy)) => "busy",
        Err(_) => "error",
    };
    app.metrics().logins.inc(&[entrance, word]);
    outcome
}

async fn attempt(app: &App, req: LoginRequest<'_>) -> AppResult<LoginOutcome> {
    let store = app.store();
    let now = app.clock().now();
    let limits = &app.config().lockout;
    let LoginRequest {
        login_id,
        password,
        client,
        device_token,
        previous_session,
        proven_work,
        language,
    } = req;

    // A browser in which this ID has logged in before has its own failure count, so
    // someone failing elsewhere cannot lock the owner out of it (OWASP device cookies).
    let device = device_token.map(token_hash);
    let trusted = match &device {
        Some(h) => store.recovery().device_login_id(h).await?.as_deref() == Some(login_id.as_str()),
        None => false,
    };
    let key = match (&device, trusted) {
        (Some(h), true) => GuardKey::Device(h.clone()),
        _ => GuardKey::LoginId(login_id.clone()),
    }
    .to_string();

    // One address cannot try thousands of IDs. Only failures count, so an office or a
    // carrier's NAT full of people logging in correctly is never limited; a returning browser
    // is not held back by failures of others at its address; and a refused attempt is not
    // counted, so the limit ends with its window. Shared across instances (the database).
    let bucket = AddressBucket::of(&client.address);
    let address_key = GuardKey::LoginAddress(bucket.clone()).to_string();
    let (failures, window_ends) = store
        .guards()
        .window_count(&address_key, limits.address_window, now)
        .await?;
    if failures >= limits.address_limit && !trusted {
        let refused_key = GuardKey::LoginAddressRefused(bucket).to_string();
        if store
            .guards()
            .hit_window(&refused_key, limits.address_window, now)
            .await?
            == 1
        {
            // Once per window, so a flood cannot bury the owner's history.
            store
                .history()
                .record_event(login_id, AccessEventKind::RefusedRateLimited, client, now)
                .await?;
        }
        tracing::warn!(address = %client.address, "login refused: too many failures from this address");
        let left = u64::try_from(window_ends.0.saturating_sub(now.0)).unwrap_or(0);
        return Ok(LoginOutcome::RateLimited {
            retry_after: Duration::from_millis(left).max(Duration::from_secs(1)),
        });
    }

    // The account is read only once the key is known not to be locked: a refusal of a locked
    // ID then does the same work whether or not the ID has an account.
    // Kept for after the check, so the row is read once.
    let mut account: Option<Account> = None;
    let stored = async {
        let found = store.accounts().credentials(login_id).await?;
        Ok(found.map(|c| {
            account = Some(c.holder);
            c.password_hash
        }))
    };
    // Under overload, a browser the owner has logged in from before gets a worker first, then
    // an attempt that paid with proof of work, then everyone else in arrival order.
    let priority = if trusted {
        Priority::Returning
    } else if proven_work {
        Priority::Proven
    } else {
        Priority::Normal
    };
    let check = check_secret_unsettled(app, &key, password.clone(), stored, priority).await?;
    match check {
        Unsettled::Locked { until } => {
            store
                .history()
                .record_event(login_id, AccessEventKind::RefusedLocked, client, now)
                .await?;
            Ok(LoginOutcome::Locked { until })
        }
        Unsettled::Passed { verified, settle } => {
            let Some(account) = account else {
                return Err(AppError::Internal(
                    "a password matched without an account".into(),
                ));
            };
            if !crate::auth::login::member_active(app, &account).await? {
                store
                    .history()
                    .record_event(login_id, AccessEventKind::RefusedDisabled, client, now)
                    .await?;
                tracing::info!(account = %account.id, "login refused: 管理者ID stopped");
                return Ok(LoginOutcome::Disabled);
            }
            if verified.needs_rehash {
                match app.hasher().hash(password).await {
                    Ok(h) => {
                        store
                            .accounts()
                            .rehash_password(account.id, &h, now)
                            .await?
                    }
                    Err(e) => tracing::warn!(error = %e, "rehash postponed"),
                }
            }
            let new_device_token = (!trusted).then(random_token);
            // The success, the session, the browser remembered and the language: one write.
            let session_token = open_session(
                app,
                &account,
                client,
                previous_session,
                AccessEventKind::LoginSuccess,
                Opening {
                    settle: Some(settle),
                    new_device: new_device_token.as_deref(),
                    language: Some(language),
                },
            )
            .await?;
            tracing::info!(account = %account.id, kind = %login_id.kind(), trusted, "login");
            Ok(LoginOutcome::LoggedIn(Box::new(LoggedIn {
                must_change_password: account.must_change_password,
                account,
                session_token,
                new_device_token,
            })))
        }
        Unsettled::Failed { locks_until: None } => {
            store
                .guards()
                .hit_window(&address_key, limits.address_window, now)
                .await?;
            store
                .history()
                .record_event(login_id, AccessEventKind::LoginFailure, client, now)
                .await?;
            Ok(LoginOutcome::Refused)
        }
        Unsettled::Failed {
            locks_until: Some(until),
        } => {
            store
                .guards()
                .hit_window(&address_key, limits.address_window, now)
                .await?;
            let lang = match &account {
                Some(a) => crate::i18n::mail_language(app, a.id).await?,
                None => crate::i18n::Lang::Ja,
            };
            // The failure, the lock and the owner's unlock mail stand or fall together. The
            // owner is told also when their own browser locked: the mail's link lifts that
            // lock as well.
            let mut tx = store.begin().await?;
            tx.history()
                .record_event(login_id, AccessEventKind::LoginFailure, client, now)
                .await?;
            tx.history()
                .record_event(login_id, AccessEventKind::Locked, client, now)
                .await?;
            if let Some(a) = &account {
                let link =
                    crate::links::mint(app, &mut tx, crate::links::NewLink::Unlock(a), now).await?;
                tx.outbox()
                    .enqueue_mail(
                        &crate::auth::mails::locked(app, lang, a, until, &link, client, now),
                        now,
                    )
                    .await?;
            }
            tx.commit().await?;
            if account.is_some() {
                app.wake_mail();
            }
            tracing::warn!(address = %client.address, "ID locked after repeated failures");
            Ok(LoginOutcome::Locked { until })
        }
    }
}

/// What else a login writes with its new session.
#[derive(Default)]
pub(crate) struct Opening<'a> {
    /// The password attempt's success.
    pub settle: Option<Settle>,
    /// A new device token to remember the browser by.
    pub new_device: Option<&'a str>,
    /// The page's language, for the account's mail.
    pub language: Option<Lang>,
}

/// Opens a new session for `account` and records how it logged in, with what `opening` adds,
/// in one transaction. Always a new session: a token planted before login is worthless after
/// it, and the session this browser had before ends with it. Returns the token for the cookie.
pub(crate) async fn open_session(
    app: &App,
    account: &Account,
    client: &ClientInfo,
    previous_session: Option<&str>,
    how: AccessEventKind,
    opening: Opening<'_>,
) -> AppResult<String> {
    let now = app.clock().now();
    let session_token = random_token();
    let mut tx = app.store().begin().await?;
    // A write first, so that on SQLite the transaction holds the write lock from its start.
    if let Some(settle) = opening.settle {
        settle.settle(app, &mut tx).await?;
    }
    if let Some(old) = previous_session {
        tx.sessions().delete_session(&token_hash(old)).await?;
    }
    tx.sessions()
        .create_session(&token_hash(&session_token), account.id, client, now)
        .await?;
    tx.history()
        .record_event(&account.login_id, how, client, now)
        .await?;
    if let Some(device) = opening.new_device {
        tx.recovery()
            .remember_device(&token_hash(device), account.login_id.as_str(), now)
            .await?;
    }
    if let Some(lang) = opening.language {
        tx.accounts()
            .set_account_language(account.id, lang.code(), now)
            .await?;
    }
    tx.commit().await?;
    Ok(session_token)
}

/// A browser's session, looked up for a request.
#[derive(Debug)]
pub enum Resumed {
    /// Valid; its last-seen time has been kept up to date.
    Active(Box<ccus_storage::SessionRecord>),
    /// It has just ended by the idle or absolute timeout (recorded once in the history), or
    /// the server had already ended it: 「タイムアウトしました」. The ID is known when the
    /// session was still on record, so the login page can offer it again.
    TimedOut(Option<LoginId>),
    /// It was ended by ログアウト (a browser that kept the cookie, or a replay): not a timeout.
    LoggedOut,
    /// The account is a 管理者ID its business has stopped (利用停止): the session has ended.
    Stopped,
}

/// How often "last seen" is written for a busy session, by default (`session.touch_interval`).
pub const TOUCH_INTERVAL: Duration = Duration::from_secs(60);

/// The sessions of accounts, for the session kernel.
pub(crate) struct AccountSessions;

impl Kind for AccountSessions {
    type Record = ccus_storage::SessionRecord;
    const PRINCIPAL: Principal = Principal::Account;

    fn to_cached(r: &Self::Record) -> CachedSession {
        CachedSession::Account(r.clone())
    }
    fn from_cached(c: CachedSession) -> Option<Self::Record> {
        match c {
            CachedSession::Account(r) => Some(r),
            _ => None,
        }
    }
    fn touched(r: &mut Self::Record, now: Timestamp) {
        r.last_seen_at = now;
    }

    async fn load(app: &App, hash: &str) -> AppResult<Option<Self::Record>> {
        Ok(app.store().sessions().session(hash).await?)
    }
    fn times(r: &Self::Record) -> (Timestamp, Timestamp) {
        (r.created_at, r.last_seen_at)
    }
    async fn standing(_app: &App, r: &Self::Record) -> AppResult<Standing> {
        // Stopping a 管理者ID ends its sessions; this also holds for one made in the same
        // moment, or left over from before.
        Ok(if r.stopped {
            Standing::Stopped
        } else {
            Standing::Allowed
        })
    }
    async fn end(app: &App, hash: &str) -> AppResult<bool> {
        Ok(app.store().sessions().delete_session(hash).await?)
    }
    async fn touch(app: &App, hash: &str, now: Timestamp) -> AppResult<()> {
        Ok(app.store().sessions().touch_session(hash, now).await?)
    }
    async fn record_timeout(
        app: &App,
        r: &Self::Record,
        client: &ClientInfo,
        now: Timestamp,
    ) -> AppResult<()> {
        app.store()
            .history()
            .record_event(&r.account.login_id, AccessEventKind::Timeout, client, now)
            .await?;
        Ok(())
    }
    async fn logged_out(app: &App, hash: &str) -> AppResult<bool> {
        Ok(app.store().sessions().ended_by_logout(hash).await?)
    }
    async fn log_out(
        app: &App,
        hash: &str,
        r: &Self::Record,
        client: &ClientInfo,
    ) -> AppResult<bool> {
        let now = app.clock().now();
        // Remembered (by hash) so that the same cookie coming back reads as logged out; the
        // end and its entry in the history stand or fall together.
        let mut tx = app.store().begin().await?;
        let ended = tx.sessions().log_out_session(hash, now).await?;
        if ended {
            tx.history()
                .record_event(&r.account.login_id, AccessEventKind::Logout, client, now)
                .await?;
        }
        tx.commit().await?;
        Ok(ended)
    }
}

/// Looks up the session behind a browser's session token and enforces its timeouts on the
/// server. A token whose session was ended by ログアウト reads as logged out; any other
/// unknown token counts as timed out: the browser holds a session the server no longer has
/// (ended and cleaned up).
pub async fn resume_session(app: &App, token: &str, client: &ClientInfo) -> AppResult<Resumed> {
    Ok(
        match sessions::resume::<AccountSessions>(app, token, client).await? {
            Outcome::Active(s) => Resumed::Active(Box::new(s)),
            Outcome::TimedOut(s) => Resumed::TimedOut(Some(s.account.login_id)),
            Outcome::Unknown { logged_out: true } => Resumed::LoggedOut,
            Outcome::Unknown { logged_out: false } => Resumed::TimedOut(None),
            Outcome::Stopped(_) | Outcome::NotAllowed(_) => Resumed::Stopped,
        },
    )
}

/// Ends the session behind a browser's token (ログアウト). Recorded once, even on a double click.
pub async fn log_out(app: &App, token: &str, client: &ClientInfo) -> AppResult<()> {
    sessions::log_out::<AccountSessions>(app, token, client).await
}

/// Whether a 管理者ID may log in now: it belongs to a business and is not stopped.
pub async fn member_active(app: &App, account: &Account) -> AppResult<bool> {
    if !account.login_id.is_manager() {
        return Ok(true);
    }
    Ok(matches!(
        app.store().org().org_member(account.id).await?,
        Some(m) if m.disabled_at.is_none()
    ))
}
