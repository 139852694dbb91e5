//! Self-service changes of a signed-in account: the first password (with the 本人確認番号), a
//! password change, a new registered email (confirmed by a link sent to it), and ending the
//! other sessions. A wrong secret here counts under the same lockout as a wrong login, and a
//! lock ends the session.

pub mod mails;
pub mod provisioning;
mod views;

pub use views::{
    history_page, open_sessions, AccessEvent, AccountSummary, HistoryPage, OpenSession,
};

use ccus_domain::{AccessEventKind, AccountKind, Password, Timestamp};
use ccus_storage::{Account, ClientInfo, SessionRecord};

use crate::admission::Priority;
use crate::guard::{check_secret, Check};
use crate::links::{self, LinkFor, LinkPurpose, NewLink};
use crate::{App, AppResult};

/// Which of the account's own secrets is being checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnSecret {
    Password,
    /// 本人確認番号 — needed to change the password, never to log in.
    SecurityCode,
}

/// The answer to a check of one's own secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretCheck {
    Matched,
    Wrong,
    /// The ID is locked (now or by this attempt); the session has ended.
    LockedOut {
        until: Timestamp,
    },
}

/// Checks one secret of the signed-in account as a counted attempt.
async fn check_own_secret(
    app: &App,
    s: &SessionRecord,
    which: OwnSecret,
    secret: Password,
    client: &ClientInfo,
) -> AppResult<SecretCheck> {
    let (stored, failure) = match which {
        OwnSecret::Password => (
            app.store().accounts().password_hash(s.account.id).await?,
            AccessEventKind::LoginFailure,
        ),
        OwnSecret::SecurityCode => (
            Some(
                app.store()
                    .accounts()
                    .security_code_hash(s.account.id)
                    .await?,
            ),
            AccessEventKind::SecurityCodeFailure,
        ),
    };
    let key = s.account.login_id.as_str();
    // A signed-in person goes first when hashing is busy, like a returning browser.
    let stored = async { Ok(stored) };
    let until = match check_secret(app, key, secret, stored, Priority::Returning).await? {
        Check::Passed(_) => return Ok(SecretCheck::Matched),
        Check::Locked { until } => until,
        Check::Failed { locks_until } => {
            let now = app.clock().now();
            app.store()
                .history()
                .record_event(&s.account.login_id, failure, client, now)
                .await?;
            match locks_until {
                Some(until) => until,
                None => return Ok(SecretCheck::Wrong),
            }
        }
    };
    // Locked while signed in: the session ends with it.
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    tx.sessions().delete_session(&s.token_hash).await?;
    tx.history()
        .record_event(&s.account.login_id, AccessEventKind::Locked, client, now)
        .await?;
    tx.commit().await?;
    Ok(SecretCheck::LockedOut { until })
}

/// How a new password of one's own came about (for the history and the notice).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewOwnPassword {
    /// Replacing the initial password at the first login.
    Initial,
    Change,
}

/// What became of a password change (or of setting the first password).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordChange {
    /// The new password is stored; the other sessions have ended and the notice is queued.
    Changed,
    /// The current password is wrong; nothing changed.
    WrongPassword,
    /// The 本人確認番号 is wrong; nothing changed.
    WrongSecurityCode,
    /// A wrong secret locked the ID; the session has ended.
    LockedOut { until: Timestamp },
}

/// Sets the first password in place of the initial one: the 本人確認番号 is checked (a counted
/// attempt), then the new password is stored.
pub async fn set_initial_password(
    app: &App,
    s: &SessionRecord,
    security_code: Password,
    new_password: Password,
    client: &ClientInfo,
) -> AppResult<PasswordChange> {
    let checked = check_own_secret(app, s, OwnSecret::SecurityCode, security_code, client).await?;
    if let Some(refused) = refusal(checked, PasswordChange::WrongSecurityCode) {
        return Ok(refused);
    }
    set_own_password(app, s, new_password, NewOwnPassword::Initial, client).await?;
    Ok(PasswordChange::Changed)
}

/// パスワード変更: the current password and then the 本人確認番号 are checked (each a counted
/// attempt, so a lock can end the session), then the new password is stored.
pub async fn change_password(
    app: &App,
    s: &SessionRecord,
    current_password: Password,
    security_code: Password,
    new_password: Password,
    client: &ClientInfo,
) -> AppResult<PasswordChange> {
    let checked = check_own_secret(app, s, OwnSecret::Password, current_password, client).await?;
    if let Some(refused) = refusal(checked, PasswordChange::WrongPassword) {
        return Ok(refused);
    }
    let checked = check_own_secret(app, s, OwnSecret::SecurityCode, security_code, client).await?;
    if let Some(refused) = refusal(checked, PasswordChange::WrongSecurityCode) {
        return Ok(refused);
    }
    set_own_password(app, s, new_password, NewOwnPassword::Change, client).await?;
    Ok(PasswordChange::Changed)
}

/// Why a check stops the change, if it does.
fn refusal(checked: SecretCheck, wrong: PasswordChange) -> Option<PasswordChange> {
    match checked {
        SecretCheck::Matched => None,
        SecretCheck::Wrong => Some(wrong),
        SecretCheck::LockedOut { until } => Some(PasswordChange::LockedOut { until }),
    }
}

/// Stores a new password for the signed-in account: the other sessions end, and the history
/// entry and the notice mail are written with it.
async fn set_own_password(
    app: &App,
    s: &SessionRecord,
    password: Password,
    how: NewOwnPassword,
    client: &ClientInfo,
) -> AppResult<()> {
    let (event, word) = match how {
        NewOwnPassword::Initial => (
            AccessEventKind::InitialPasswordSet,
            crate::account::mails::PasswordSet::Initial,
        ),
        NewOwnPassword::Change => (
            AccessEventKind::PasswordChanged,
            crate::account::mails::PasswordSet::Changed,
        ),
    };
    let lang = crate::i18n::mail_language(app, s.account.id).await?;
    let new_hash = app.hasher().hash(password).await?;
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    tx.accounts()
        .set_password(s.account.id, &new_hash, false, now)
        .await?;
    tx.sessions()
        .delete_sessions_of(s.account.id, Some(&s.token_hash))
        .await?;
    tx.history()
        .record_event(&s.account.login_id, event, client, now)
        .await?;
    tx.outbox()
        .enqueue_mail(
            &crate::account::mails::password_changed(app, lang, &s.account, word, client, now),
            now,
        )
        .await?;
    tx.commit().await?;
    app.wake_mail();
    tracing::info!(account = %s.account.id, ?how, "own password set");
    Ok(())
}

/// What became of a request to change the registered email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailChangeRequest {
    /// The confirmation link is on its way to the new address.
    Sent,
    /// The current password is wrong; nothing was sent.
    WrongPassword,
    /// A wrong password locked the ID; the session has ended.
    LockedOut { until: Timestamp },
}

/// メールアドレス変更: the current password is checked (a counted attempt), then a confirmation
/// link is sent to `new_email` (already checked); the change happens when the link is used.
pub async fn request_email_change(
    app: &App,
    s: &SessionRecord,
    current_password: Password,
    new_email: &str,
    client: &ClientInfo,
) -> AppResult<EmailChangeRequest> {
    match check_own_secret(app, s, OwnSecret::Password, current_password, client).await? {
        SecretCheck::Matched => {}
        SecretCheck::Wrong => return Ok(EmailChangeRequest::WrongPassword),
        SecretCheck::LockedOut { until } => return Ok(EmailChangeRequest::LockedOut { until }),
    }
    let now = app.clock().now();
    let lang = crate::i18n::mail_language(app, s.account.id).await?;
    let mut tx = app.store().begin().await?;
    let link = links::mint(
        app,
        &mut tx,
        NewLink::EmailConfirm {
            account: &s.account,
            new_email,
        },
        now,
    )
    .await?;
    tx.history()
        .record_event(
            &s.account.login_id,
            AccessEventKind::EmailChangeRequested,
            client,
            now,
        )
        .await?;
    tx.outbox()
        .enqueue_mail(
            &crate::account::mails::email_confirm(lang, &s.account, new_email, &link),
            now,
        )
        .await?;
    tx.commit().await?;
    app.wake_mail();
    Ok(EmailChangeRequest::Sent)
}

/// The account and the address a confirmation link would set, while the link is usable.
pub async fn email_change_target(
    app: &App,
    kind: AccountKind,
    token: &str,
) -> AppResult<Option<(Account, String)>> {
    Ok(
        match links::peek(app, LinkPurpose::EmailConfirm(kind), token).await? {
            Some(LinkFor::NewEmail(a, new_email)) => Some((a, new_email)),
            _ => None,
        },
    )
}

/// Confirms a new registered email with the link sent to it; the old address is told. Returns
/// the new address, or `None` when the link is expired, used or unknown.
pub async fn confirm_email_change(
    app: &App,
    kind: AccountKind,
    token: &str,
    client: &ClientInfo,
) -> AppResult<Option<String>> {
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    let Some(LinkFor::NewEmail(a, new_email)) =
        links::consume(&mut tx, LinkPurpose::EmailConfirm(kind), token, now).await?
    else {
        return Ok(None);
    };
    tx.accounts().set_email(a.id, &new_email, now).await?;
    tx.history()
        .record_event(&a.login_id, AccessEventKind::EmailChanged, client, now)
        .await?;
    let lang = crate::i18n::mail_language_in(&mut tx, a.id).await?;
    tx.outbox()
        .enqueue_mail(
            &crate::account::mails::email_changed(app, lang, &a, &a.email, client, now),
            now,
        )
        .await?;
    tx.commit().await?;
    app.wake_mail();
    Ok(Some(new_email))
}

/// Ends every other session of the account; returns how many.
pub async fn end_other_sessions(
    app: &App,
    s: &SessionRecord,
    client: &ClientInfo,
) -> AppResult<u64> {
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    let n = tx
        .sessions()
        .delete_sessions_of(s.account.id, Some(&s.token_hash))
        .await?;
    tx.history()
        .record_event(
            &s.account.login_id,
            AccessEventKind::OtherSessionsEnded,
            client,
            now,
        )
        .await?;
    tx.commit().await?;
    Ok(n)
}
