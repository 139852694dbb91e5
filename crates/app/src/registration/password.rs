//! パスワードをお忘れの方 for an application login (申請用ID = an email address): a reset link by
//! mail, as the portals' reset works. The request is answered the same way, and no sooner than
//! `recovery.response_floor`, whether or not the address has an application login; it is
//! limited per client address and per address asked for. The link is 256-bit random, kept
//! hashed, single use, valid `recovery.token_ttl`, and a newer one voids the older
//! ([`LinkPurpose::ApplicantReset`] in [`crate::links`]). Setting the
//! new password ends every session of the login, lifts its lock and tells the address.
//!
//! A business's 代行申請 login has no password (it is opened from the business's portal): its
//! address key is not an email address, so no request ever finds it.

use std::time::Instant;

use ccus_domain::{GuardKey, PasswordContext};
use ccus_storage::{Applicant, ClientInfo};

use crate::i18n::{Lang, Msg};
use crate::links::{self, LinkFor, LinkPurpose, NewLink};
use crate::recovery::{check_new_password, NewPasswordError};
use crate::{App, AppResult};

/// The answer to a reset request; says nothing about whether the address has a login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResetRequestOutcome {
    /// Received (a link was mailed if, and only if, the address has an application login).
    Received,
    /// Not an email address (said whatever the address).
    InvalidEmail,
    /// Too many requests from this client address; nothing was looked at.
    TooMany,
}

/// Asks for a reset link for the application login of `email`.
pub async fn request_reset(
    app: &App,
    email: &str,
    client: &ClientInfo,
    lang: Lang,
) -> AppResult<ResetRequestOutcome> {
    let begun = Instant::now();
    let email = email.trim();
    if !crate::account::provisioning::valid_email(email) {
        return Ok(ResetRequestOutcome::InvalidEmail);
    }
    let cfg = &app.config().recovery;
    let now = app.clock().now();
    if crate::recovery::address_over_limit(app, client).await? {
        return Ok(ResetRequestOutcome::TooMany);
    }
    let key = email.to_lowercase();
    let per_email = GuardKey::ApplicantReset(key.clone()).to_string();
    let email_ok = app
        .store()
        .guards()
        .hit_window(&per_email, cfg.window, now)
        .await?
        <= cfg.per_account_limit;
    let applicant = app
        .store()
        .registrations()
        .applicant_by_email_key(&key)
        .await?
        .filter(|a| a.business_account_id.is_none());
    if let Some(a) = applicant.filter(|_| email_ok) {
        let mut tx = app.store().begin().await?;
        let link = links::mint(app, &mut tx, NewLink::ApplicantReset(&a), now).await?;
        tx.outbox()
            .enqueue_mail(
                &crate::registration::mails::applicant_reset_link(lang, &a.email, &link),
                now,
            )
            .await?;
        tx.commit().await?;
        app.wake_mail();
        tracing::info!(applicant = %a.id, "application password reset requested");
    }
    tokio::time::sleep_until((begun + cfg.response_floor).into()).await;
    Ok(ResetRequestOutcome::Received)
}

/// The application login a reset link is for, while the link is usable (opening it changes
/// nothing).
pub async fn reset_target(app: &App, token: &str) -> AppResult<Option<Applicant>> {
    Ok(
        match links::peek(app, LinkPurpose::ApplicantReset, token).await? {
            Some(LinkFor::Applicant(a)) => Some(a),
            _ => None,
        },
    )
}

/// What a reset did.
#[derive(Debug)]
pub enum ResetOutcome {
    /// The new password is set, every session of the login ended, its lock lifted, the
    /// address told.
    Done(Applicant),
    /// The new password was refused (why, for the field named); the link is still usable.
    Refused {
        applicant: Applicant,
        field: &'static str,
        why: Msg,
    },
    /// The link is expired, used or unknown.
    LinkUnusable,
}

/// Sets a new application password with the link from the reset mail.
pub async fn reset_password(
    app: &App,
    token: &str,
    password: &str,
    confirm: &str,
    client: &ClientInfo,
    lang: Lang,
) -> AppResult<ResetOutcome> {
    let Some(applicant) = reset_target(app, token).await? else {
        return Ok(ResetOutcome::LinkUnusable);
    };
    let ctx = PasswordContext {
        login_id: "",
        name: "",
        email: &applicant.email,
    };
    let password = match check_new_password(password, confirm, &ctx) {
        Ok(p) => p,
        Err(e) => {
            let (field, why) = match e {
                NewPasswordError::Empty => ("password", Msg::new("new-password-empty")),
                NewPasswordError::Policy(v) => ("password", super::policy_msg(&v)),
                NewPasswordError::Mismatch => ("password_confirm", Msg::new("password-mismatch")),
            };
            return Ok(ResetOutcome::Refused {
                applicant,
                field,
                why,
            });
        }
    };
    let new_hash = app.hasher().hash(password).await?;
    let now = app.clock().now();
    // The link used, the password, the end of every session and of the lock, and the notice:
    // all or nothing. Of two submits at once, one wins.
    let mut tx = app.store().begin().await?;
    let Some(LinkFor::Applicant(a)) =
        links::consume(&mut tx, LinkPurpose::ApplicantReset, token, now).await?
    else {
        return Ok(ResetOutcome::LinkUnusable);
    };
    tx.applicants()
        .set_applicant_password(a.id, &new_hash)
        .await?;
    tx.applicants().end_applicant_sessions(a.id).await?;
    tx.guards()
        .clear_guard(&super::login_guard(&a.email))
        .await?;
    tx.outbox()
        .enqueue_mail(
            &crate::registration::mails::applicant_password_changed(
                app, lang, &a.email, client, now,
            ),
            now,
        )
        .await?;
    tx.commit().await?;
    app.wake_mail();
    tracing::info!(applicant = %a.id, "application password reset");
    Ok(ResetOutcome::Done(a))
}
