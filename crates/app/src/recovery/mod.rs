//! Getting back in without the helpdesk: パスワードをお忘れの方 (a reset link by mail),
//! IDをお忘れの方 (every ID of an address by mail), and the unlock link of the lock mail.
//!
//! Enumeration safety and equal timing live here: a request is answered the same way, and no
//! sooner than `recovery.response_floor`, whether or not anything matched; limits per address
//! and per ID (or email) apply, and past the per-ID limit nothing more is sent while the answer
//! stays the same.

pub mod mails;

use std::time::Instant;

use ccus_domain::{
    AccessEventKind, AccountKind, AddressBucket, GuardKey, LoginId, Password, PasswordContext,
    PolicyViolation,
};
use ccus_storage::{Account, ClientInfo, StoreTx};

use crate::auth::unlock::{self, UnlockBy};
use crate::i18n::Msg;
use crate::links::{self, LinkFor, LinkPurpose, NewLink};
use crate::{App, AppResult};

/// The answer to a recovery request. Deliberately says nothing about whether anything matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestOutcome {
    /// Received (mail sent if, and only if, the details matched).
    Received,
    /// Too many requests from this address; nothing was looked at.
    TooMany,
}

/// Counts a recovery request against `key`; true when over `limit` in the window.
/// Counts one request from `client`'s address for any mailed-link or reminder form (the
/// recovery forms and the application login's start and reset); true once the address is over
/// `recovery.per_address_limit` in its window.
pub(crate) async fn address_over_limit(app: &App, client: &ClientInfo) -> AppResult<bool> {
    let address = GuardKey::RecoveryAddress(AddressBucket::of(&client.address));
    over_limit(app, &address, app.config().recovery.per_address_limit).await
}

async fn over_limit(app: &App, key: &GuardKey, limit: u64) -> AppResult<bool> {
    let now = app.clock().now();
    Ok(app
        .store()
        .guards()
        .hit_window(&key.to_string(), app.config().recovery.window, now)
        .await?
        > limit)
}

/// Holds the answer until the response floor has passed since `start`.
async fn answer_after(app: &App, start: Instant) {
    let floor = app.config().recovery.response_floor;
    tokio::time::sleep_until((start + floor).into()).await;
}

/// パスワードをお忘れの方: when `login_id` has an account with `email`, a reset link goes to it.
pub async fn request_reset(
    app: &App,
    login_id: &LoginId,
    email: &str,
    client: &ClientInfo,
) -> AppResult<RequestOutcome> {
    let start = Instant::now();
    let cfg = &app.config().recovery;
    if address_over_limit(app, client).await? {
        return Ok(RequestOutcome::TooMany);
    }
    let id_ok = !over_limit(
        app,
        &GuardKey::Reset(login_id.clone()),
        cfg.per_account_limit,
    )
    .await?;
    let account = app.store().accounts().account_by_login_id(login_id).await?;
    if let Some(a) = account.filter(|a| id_ok && a.email.eq_ignore_ascii_case(email.trim())) {
        let lang = crate::i18n::mail_language(app, a.id).await?;
        let mut tx = app.store().begin().await?;
        send_reset_link(app, &mut tx, &a, ResetBy::Owner, client, lang).await?;
        tx.commit().await?;
        app.wake_mail();
    }
    answer_after(app, start).await;
    Ok(RequestOutcome::Received)
}

/// IDをお忘れの方: every ID registered with `email` goes to that address.
pub async fn remind_ids(app: &App, email: &str, client: &ClientInfo) -> AppResult<RequestOutcome> {
    let start = Instant::now();
    let cfg = &app.config().recovery;
    if address_over_limit(app, client).await? {
        return Ok(RequestOutcome::TooMany);
    }
    let email = email.trim();
    let email_ok = !over_limit(app, &GuardKey::reminder(email), cfg.per_account_limit).await?;
    let accounts = app.store().recovery().accounts_by_email(email).await?;
    if email_ok && !accounts.is_empty() {
        let now = app.clock().now();
        let lang = crate::i18n::mail_language(app, accounts[0].id).await?;
        let mut tx = app.store().begin().await?;
        tx.outbox()
            .enqueue_mail(
                &crate::recovery::mails::id_reminder(app, lang, &accounts[0].email, &accounts),
                now,
            )
            .await?;
        tx.commit().await?;
        app.wake_mail();
    }
    answer_after(app, start).await;
    Ok(RequestOutcome::Received)
}

/// Why a new password was not taken (reset, change, first login: one rule).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewPasswordError {
    Empty,
    /// Against the policy; [`policy_msg`] says why.
    Policy(PolicyViolation),
    /// The confirmation differs.
    Mismatch,
}

/// Why a new password was refused, in words for the page (any language).
pub fn policy_msg(v: &PolicyViolation) -> Msg {
    use ccus_domain::password_policy::{ContextWord, MAX_CHARS, MIN_CHARS};
    match v {
        PolicyViolation::TooShort => Msg::new("policy-too-short").arg("min", MIN_CHARS),
        PolicyViolation::TooLong => Msg::new("policy-too-long").arg("max", MAX_CHARS),
        PolicyViolation::Common => Msg::new("policy-common"),
        PolicyViolation::Context(ContextWord::Id) => Msg::new("policy-has-id"),
        PolicyViolation::Context(ContextWord::Name) => Msg::new("policy-has-name"),
        PolicyViolation::Context(ContextWord::Email) => Msg::new("policy-has-email"),
        PolicyViolation::Context(ContextWord::Service(w)) => {
            Msg::new("policy-has-word").arg("word", *w)
        }
    }
}

/// Checks a new password and its confirmation against the policy.
pub fn check_new_password(
    password: &str,
    confirm: &str,
    ctx: &PasswordContext<'_>,
) -> Result<Password, NewPasswordError> {
    let p = match Password::parse(password) {
        Ok(p) => p,
        Err(ccus_domain::PasswordError::Empty) => return Err(NewPasswordError::Empty),
        Err(ccus_domain::PasswordError::TooLong) => {
            return Err(NewPasswordError::Policy(PolicyViolation::TooLong))
        }
    };
    ccus_domain::password_policy::check(&p, ctx).map_err(NewPasswordError::Policy)?;
    if Password::parse(confirm).ok().as_ref() != Some(&p) {
        return Err(NewPasswordError::Mismatch);
    }
    Ok(p)
}

/// The account a mailed reset or unlock link (of its portal, in `purpose`) belongs to, while
/// it is usable. Opening a link changes nothing (mail scanners open links).
pub async fn link_target(
    app: &App,
    token: &str,
    purpose: LinkPurpose,
) -> AppResult<Option<Account>> {
    Ok(match links::peek(app, purpose, token).await? {
        Some(LinkFor::Account(a)) => Some(a),
        _ => None,
    })
}

/// What a reset did.
#[derive(Debug)]
pub enum ResetOutcome {
    /// The new password is set, every session ended, every lock lifted, every passkey
    /// removed (how many: the second field), the owner told.
    Done(Account, u64),
    /// The new password was refused; the link is still usable.
    Refused(Account, NewPasswordError),
    /// The link is expired, used or unknown (or of the other portal).
    LinkUnusable,
}

/// Sets a new password with the link from the reset mail.
pub async fn reset_password(
    app: &App,
    kind: AccountKind,
    token: &str,
    password: &str,
    confirm: &str,
    client: &ClientInfo,
) -> AppResult<ResetOutcome> {
    let Some(a) = link_target(app, token, LinkPurpose::Reset(kind)).await? else {
        return Ok(ResetOutcome::LinkUnusable);
    };
    let ctx = PasswordContext {
        login_id: a.login_id.as_str(),
        name: &a.name,
        email: &a.email,
    };
    let password = match check_new_password(password, confirm, &ctx) {
        Ok(p) => p,
        Err(e) => return Ok(ResetOutcome::Refused(a, e)),
    };
    let new_hash = app.hasher().hash(password).await?;
    let now = app.clock().now();
    let lang = crate::i18n::mail_language(app, a.id).await?;
    // Using the token, the new password, the end of every session, the end of every lock,
    // the history entry and the notice: all or nothing. Of two simultaneous submits one wins.
    let mut tx = app.store().begin().await?;
    let Some(LinkFor::Account(a)) =
        links::consume(&mut tx, LinkPurpose::Reset(kind), token, now).await?
    else {
        return Ok(ResetOutcome::LinkUnusable);
    };
    tx.accounts()
        .set_password(a.id, &new_hash, false, now)
        .await?;
    tx.sessions().delete_sessions_of(a.id, None).await?;
    unlock::lift(&mut tx, &a.login_id, UnlockBy::PasswordReset, client, now).await?;
    tx.history()
        .record_event(&a.login_id, AccessEventKind::PasswordReset, client, now)
        .await?;
    // Whoever could get in before — a passkey someone added while they had the account
    // included — cannot after getting back in this way. The owner registers theirs again.
    let passkeys_removed = crate::auth::passkeys::remove_all(&mut tx, &a, client, now).await?;
    tx.outbox()
        .enqueue_mail(
            &crate::account::mails::password_changed(
                app,
                lang,
                &a,
                crate::account::mails::PasswordSet::Reset { passkeys_removed },
                client,
                now,
            ),
            now,
        )
        .await?;
    tx.commit().await?;
    app.wake_mail();
    tracing::info!(account = %a.id, passkeys_removed, "password reset");
    Ok(ResetOutcome::Done(a, passkeys_removed))
}

/// Lifts every lock of the account with the link from the lock mail (it does not log in).
/// `None` when the link is expired, used or unknown.
pub async fn unlock_by_link(
    app: &App,
    kind: AccountKind,
    token: &str,
    client: &ClientInfo,
) -> AppResult<Option<Account>> {
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    let Some(LinkFor::Account(a)) =
        links::consume(&mut tx, LinkPurpose::Unlock(kind), token, now).await?
    else {
        return Ok(None);
    };
    unlock::lift(&mut tx, &a.login_id, UnlockBy::OwnerByMail, client, now).await?;
    tx.commit().await?;
    tracing::info!(account = %a.id, "unlocked by mail link");
    Ok(Some(a))
}
/// Who asked for a password-reset link: the owner (the form), the helpdesk after an inquiry,
/// or the person's own business (named as the mail shows it).
pub enum ResetBy<'a> {
    Owner,
    Helpdesk,
    Organisation(&'a str),
}

/// Sends a password-reset link to an account, in the caller's transaction: a single-use link
/// ([`LinkPurpose::Reset`], minted by [`links::mint`]), the mail saying who asked, and the entry in the
/// account's access history. Every path that sends a reset link comes here.
pub(crate) async fn send_reset_link(
    app: &App,
    tx: &mut StoreTx,
    a: &Account,
    by: ResetBy<'_>,
    client: &ClientInfo,
    lang: crate::i18n::Lang,
) -> AppResult<()> {
    let now = app.clock().now();
    let link = links::mint(app, tx, NewLink::Reset(a), now).await?;
    let (mail, event) = match by {
        ResetBy::Owner => (
            mails::reset_link(lang, a, &link, client, now),
            AccessEventKind::PasswordResetRequested,
        ),
        ResetBy::Helpdesk => (
            mails::reset_link_from_helpdesk(lang, a, &link, now),
            AccessEventKind::HelpdeskResetSent,
        ),
        ResetBy::Organisation(who) => (
            mails::reset_link_from_org(lang, a, &link, who, now),
            AccessEventKind::OrgResetSent,
        ),
    };
    tx.outbox().enqueue_mail(&mail, now).await?;
    tx.history()
        .record_event(&a.login_id, event, client, now)
        .await?;
    Ok(())
}
