//! The link-token service: every link the portal mails — a password reset, an unlock, an
//! email confirmation, a 管理者ID's invitation, a 代行申請 consent, an application login's
//! confirmation and its password reset — is minted, addressed and checked here, and nowhere
//! else.
//!
//! - **What a link is for** is a [`LinkPurpose`]; an account's link names its portal, so a
//!   link of the other portal is refused like an unknown one.
//! - **How long it lives** is [`LinkPurpose::lifetime`], the one place lifetimes are decided.
//! - **Minting** ([`mint`]) draws a 256-bit random token, stores only its hash with its expiry
//!   in the caller's transaction (with the mail it goes out in), and voids the older links the
//!   new one replaces. The token itself exists only in the mail.
//! - **The URL** is built here from the configured `public_url` ([`url`]), never from a request.
//! - **Checking**: [`peek`] looks without using anything up (mail scanners open links);
//!   [`consume`] uses a link up inside the caller's transaction, and of two uses at once exactly
//!   one gets it. A link that is unknown, used, expired, of another purpose or of the other
//!   portal is answered the same way: `None`.
//!
//! The links are kept in the tables of what they are for (`recovery_tokens` for accounts,
//! `applicant_tokens` for application logins, `application_consents` for a consent, which also
//! carries the answer); in the application, only this module mints or checks them.
//!
//! Adding a purpose: a variant of [`LinkPurpose`] (its lifetime, its path), a variant of
//! [`NewLink`] with what it is for, where it is kept and what [`LinkFor`] it opens; the
//! lifetime and URL tests below then cover it.

use ccus_domain::{AccountId, ApplicationId};
use std::time::Duration;

use ccus_domain::{AccountKind, Timestamp};
use ccus_storage::{Account, Applicant, ApplicationConsent, Store, StoreTx, TokenPurpose};

use crate::config::Config;
use crate::tokens::{random_token, token_hash};
use crate::{App, AppError, AppResult};

/// How long a consent request mailed to a worker can be answered, in days.
const CONSENT_DAYS: u64 = 14;

/// What a mailed link is for. An account's link carries the portal it opens in
/// (`/ccus_skill` or `/ccus_owner`); the others open among the application pages (`/apply`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    /// パスワード再設定: a new password for an account.
    Reset(AccountKind),
    /// A new 管理者ID's invitation: its first password is set on the reset page, so it is kept
    /// and used as a reset link (a later reset link replaces it, and it replaces an earlier one).
    Invite(AccountKind),
    /// ロック解除: the link of the lock mail.
    Unlock(AccountKind),
    /// メールアドレス変更の確認: sent to the new address.
    EmailConfirm(AccountKind),
    /// 申請用IDの作成: confirms the address of a new application login.
    ApplicantConfirm,
    /// パスワード再設定 of an application login.
    ApplicantReset,
    /// 代行申請への同意: the worker's answer to an application a business makes for them.
    Consent,
}

impl LinkPurpose {
    /// Every purpose, for each kind of account where it has one.
    pub fn all() -> Vec<LinkPurpose> {
        let mut all = Vec::new();
        for kind in AccountKind::ALL {
            all.extend([
                LinkPurpose::Reset(kind),
                LinkPurpose::Invite(kind),
                LinkPurpose::Unlock(kind),
                LinkPurpose::EmailConfirm(kind),
            ]);
        }
        all.extend([
            LinkPurpose::ApplicantConfirm,
            LinkPurpose::ApplicantReset,
            LinkPurpose::Consent,
        ]);
        all
    }

    /// How long a link of this purpose can be used after it was minted: `recovery.token_ttl`,
    /// except a consent request, which the worker has 14 days to answer.
    pub fn lifetime(self, config: &Config) -> Duration {
        match self {
            LinkPurpose::Reset(_)
            | LinkPurpose::Invite(_)
            | LinkPurpose::Unlock(_)
            | LinkPurpose::EmailConfirm(_)
            | LinkPurpose::ApplicantConfirm
            | LinkPurpose::ApplicantReset => config.recovery.token_ttl,
            LinkPurpose::Consent => Duration::from_secs(CONSENT_DAYS * 24 * 60 * 60),
        }
    }

    /// The page a link opens, below the public URL.
    fn page(self) -> String {
        match self {
            LinkPurpose::Reset(kind) | LinkPurpose::Invite(kind) => {
                format!("/{}/password/reset", kind.portal())
            }
            LinkPurpose::Unlock(kind) => format!("/{}/unlock", kind.portal()),
            LinkPurpose::EmailConfirm(kind) => format!("/{}/email/confirm", kind.portal()),
            LinkPurpose::ApplicantConfirm => "/apply/confirm".to_owned(),
            LinkPurpose::ApplicantReset => "/apply/password/reset".to_owned(),
            LinkPurpose::Consent => "/apply/consent".to_owned(),
        }
    }

    /// An account's link: the purpose it is kept under in `recovery_tokens`, and its portal.
    fn account_link(self) -> Option<(TokenPurpose, AccountKind)> {
        match self {
            LinkPurpose::Reset(kind) | LinkPurpose::Invite(kind) => {
                Some((TokenPurpose::Reset, kind))
            }
            LinkPurpose::Unlock(kind) => Some((TokenPurpose::Unlock, kind)),
            LinkPurpose::EmailConfirm(kind) => Some((TokenPurpose::EmailChange, kind)),
            LinkPurpose::ApplicantConfirm | LinkPurpose::ApplicantReset | LinkPurpose::Consent => {
                None
            }
        }
    }
}

/// A link to mint, with what it is for.
#[derive(Debug, Clone, Copy)]
pub enum NewLink<'a> {
    /// A reset link for the account; its earlier reset links (an invitation too) stop working.
    Reset(&'a Account),
    /// The invitation of a new 管理者ID (its first password).
    Invite(&'a Account),
    /// The unlock link of the lock mail; earlier unlock links stop working.
    Unlock(&'a Account),
    /// Confirms `new_email` for the account; earlier confirmation links stop working.
    EmailConfirm {
        account: &'a Account,
        new_email: &'a str,
    },
    /// Makes an application login for `email`. Earlier links for the address stay usable: the
    /// first one used makes the login, and the others then find the address taken.
    ApplicantConfirm { email: &'a str },
    /// A reset link for an application login; its earlier reset links stop working.
    ApplicantReset(&'a Applicant),
    /// Asks the worker at `email` to consent to the 代行申請 `application_id`; an earlier request
    /// for the application (and its answer) is replaced.
    Consent { application_id: i64, email: &'a str },
}

impl NewLink<'_> {
    pub fn purpose(&self) -> LinkPurpose {
        match self {
            NewLink::Reset(a) => LinkPurpose::Reset(a.kind()),
            NewLink::Invite(a) => LinkPurpose::Invite(a.kind()),
            NewLink::Unlock(a) => LinkPurpose::Unlock(a.kind()),
            NewLink::EmailConfirm { account, .. } => LinkPurpose::EmailConfirm(account.kind()),
            NewLink::ApplicantConfirm { .. } => LinkPurpose::ApplicantConfirm,
            NewLink::ApplicantReset(_) => LinkPurpose::ApplicantReset,
            NewLink::Consent { .. } => LinkPurpose::Consent,
        }
    }
}

/// A minted link, for its mail. The token is only in `url`; the database has its hash.
#[derive(Debug, Clone)]
pub struct MailedLink {
    pub purpose: LinkPurpose,
    /// The whole link, from the configured public URL.
    pub url: String,
    pub expires_at: Timestamp,
    /// How long it lives, for the mail to say.
    pub lifetime: Duration,
}

/// What a usable link is for.
#[derive(Debug, Clone)]
pub enum LinkFor {
    /// A reset, invitation or unlock link: the account.
    Account(Account),
    /// An email confirmation: the account and the address it would set.
    NewEmail(Account, String),
    /// An application login's confirmation: the address it is made for.
    NewApplicant(String),
    /// An application login's reset link: the login.
    Applicant(Applicant),
    /// A consent request, unanswered.
    Consent(ApplicationConsent),
}

/// The link of `purpose` with `token`, from the configured public URL.
pub fn url(app: &App, purpose: LinkPurpose, token: &str) -> String {
    format!("{}{}?token={token}", crate::mail::base(app), purpose.page())
}

/// Mints a link in `tx` (commit it with the mail that carries the link): a fresh 256-bit
/// token, its hash and expiry stored, the links it replaces voided.
pub async fn mint(
    app: &App,
    tx: &mut StoreTx,
    new: NewLink<'_>,
    now: Timestamp,
) -> AppResult<MailedLink> {
    let purpose = new.purpose();
    let lifetime = purpose.lifetime(app.config());
    let expires_at = now.plus(lifetime);
    let token = random_token();
    let hash = token_hash(&token);
    match new {
        NewLink::Reset(a) | NewLink::Invite(a) => {
            tx.recovery()
                .create_token(&hash, TokenPurpose::Reset, a.id, None, now, expires_at)
                .await?
        }
        NewLink::Unlock(a) => {
            tx.recovery()
                .create_token(&hash, TokenPurpose::Unlock, a.id, None, now, expires_at)
                .await?
        }
        NewLink::EmailConfirm { account, new_email } => {
            tx.recovery()
                .create_token(
                    &hash,
                    TokenPurpose::EmailChange,
                    account.id,
                    Some(new_email),
                    now,
                    expires_at,
                )
                .await?
        }
        NewLink::ApplicantConfirm { email } => {
            tx.registrations()
                .create_applicant_token(&hash, email, now, expires_at)
                .await?
        }
        NewLink::ApplicantReset(a) => {
            tx.applicants()
                .create_applicant_reset(&hash, a, now, expires_at)
                .await?
        }
        NewLink::Consent {
            application_id,
            email,
        } => {
            tx.registrations()
                .request_consent(
                    ApplicationId::new(application_id),
                    &hash,
                    email,
                    now,
                    expires_at,
                )
                .await?
        }
    }
    Ok(MailedLink {
        purpose,
        url: url(app, purpose, &token),
        expires_at,
        lifetime,
    })
}

/// What a link of `purpose` is for, while it is usable; nothing is used up (mail scanners
/// open links). `None` when it is unknown, used, expired, of another purpose or portal.
pub async fn peek(app: &App, purpose: LinkPurpose, token: &str) -> AppResult<Option<LinkFor>> {
    let now = app.clock().now();
    let store: &Store = app.store();
    let hash = token_hash(token);
    if let Some((stored, kind)) = purpose.account_link() {
        let Some(t) = store.recovery().peek_token(&hash, stored, now).await? else {
            return Ok(None);
        };
        return Ok(account_link_for(purpose, kind, t));
    }
    Ok(match purpose {
        LinkPurpose::ApplicantConfirm => store
            .registrations()
            .peek_applicant_token(&hash, now)
            .await?
            .map(LinkFor::NewApplicant),
        LinkPurpose::ApplicantReset => store
            .applicants()
            .peek_applicant_reset(&hash, now)
            .await?
            .map(LinkFor::Applicant),
        LinkPurpose::Consent => store
            .registrations()
            .consent_by_token(&hash)
            .await?
            .filter(|c| c.answer.is_empty() && c.expires_at > now)
            .map(LinkFor::Consent),
        _ => None,
    })
}

/// Uses up a link of `purpose` inside `tx`: of two uses at once exactly one gets it. On `None`
/// the caller returns without committing, so that nothing it touched changes (a link of the
/// other portal stays usable). A consent link is used by answering it: [`consume_consent`].
pub async fn consume(
    tx: &mut StoreTx,
    purpose: LinkPurpose,
    token: &str,
    now: Timestamp,
) -> AppResult<Option<LinkFor>> {
    let hash = token_hash(token);
    if let Some((stored, kind)) = purpose.account_link() {
        let Some(t) = tx.recovery().consume_token(&hash, stored, now).await? else {
            return Ok(None);
        };
        return Ok(account_link_for(purpose, kind, t));
    }
    match purpose {
        LinkPurpose::ApplicantConfirm => Ok(tx
            .registrations()
            .consume_applicant_token(&hash, now)
            .await?
            .map(LinkFor::NewApplicant)),
        LinkPurpose::ApplicantReset => Ok(tx
            .applicants()
            .consume_applicant_reset(&hash, now)
            .await?
            .map(LinkFor::Applicant)),
        _ => Err(AppError::Internal(
            "a consent link is used by answering it".into(),
        )),
    }
}

/// Uses up a consent link by recording the worker's answer (`consented` or `declined`) and
/// where it came from, inside `tx`; false when the link was already answered, expired or
/// unknown. Of two answers at once exactly one is recorded.
pub async fn consume_consent(
    tx: &mut StoreTx,
    token: &str,
    answer: &str,
    from: &str,
    now: Timestamp,
) -> AppResult<bool> {
    Ok(tx
        .registrations()
        .answer_consent(&token_hash(token), answer, from, now)
        .await?)
}

/// Voids every unused link of an account (its address changed, or it was stopped: links sent
/// before must stop working).
pub async fn void_account_links(
    tx: &mut StoreTx,
    account_id: i64,
    now: Timestamp,
) -> AppResult<u64> {
    Ok(tx
        .recovery()
        .void_tokens(AccountId::new(account_id), now)
        .await?)
}

/// An account's link as what it is for, when it belongs to the portal it was opened in.
fn account_link_for(
    purpose: LinkPurpose,
    kind: AccountKind,
    t: ccus_storage::TokenRecord,
) -> Option<LinkFor> {
    if t.account.kind() != kind {
        return None;
    }
    match purpose {
        LinkPurpose::EmailConfirm(_) => Some(LinkFor::NewEmail(t.account, t.new_email?)),
        _ => Some(LinkFor::Account(t.account)),
    }
}

#[cfg(test)]
mod tests;
