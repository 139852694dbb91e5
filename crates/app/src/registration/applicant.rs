//! The application login (申請用ID): the confirmation mail, the password, logging in, the session and ログアウト.

use super::*;

/// The answer to 申請用IDの作成; says nothing about whether the address already had one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartOutcome {
    Sent,
    InvalidEmail,
    TooMany,
}

/// Starts an application login for `email`: a confirmation link, or (when the address has one
/// already) a mail saying so. The same answer, no sooner than `recovery.response_floor`.
pub async fn start(
    app: &App,
    email: &str,
    client: &ClientInfo,
    lang: crate::i18n::Lang,
) -> AppResult<StartOutcome> {
    let begun = Instant::now();
    let email = email.trim();
    if !crate::account::provisioning::valid_email(email) {
        return Ok(StartOutcome::InvalidEmail);
    }
    let cfg = &app.config().recovery;
    let now = app.clock().now();
    if crate::recovery::address_over_limit(app, client).await? {
        return Ok(StartOutcome::TooMany);
    }
    let per_email = GuardKey::applicant_start(email).to_string();
    let email_ok = app
        .store()
        .guards()
        .hit_window(&per_email, cfg.window, now)
        .await?
        <= cfg.per_account_limit;
    if email_ok {
        let key = email.to_lowercase();
        let exists = app
            .store()
            .registrations()
            .applicant_by_email_key(&key)
            .await?
            .is_some();
        let mut tx = app.store().begin().await?;
        let mail = if exists {
            crate::registration::mails::applicant_exists(app, lang, email)
        } else {
            let link = links::mint(app, &mut tx, NewLink::ApplicantConfirm { email }, now).await?;
            crate::registration::mails::applicant_confirm(lang, email, &link)
        };
        tx.outbox().enqueue_mail(&mail, now).await?;
        tx.commit().await?;
        app.wake_mail();
    }
    tokio::time::sleep_until((begun + cfg.response_floor).into()).await;
    Ok(StartOutcome::Sent)
}

/// The address a confirmation link is for, while it can be used.
pub async fn peek(app: &App, token: &str) -> AppResult<Option<String>> {
    Ok(
        match links::peek(app, LinkPurpose::ApplicantConfirm, token).await? {
            Some(LinkFor::NewApplicant(email)) => Some(email),
            _ => None,
        },
    )
}

#[derive(Debug)]
pub enum ConfirmOutcome {
    /// Created and signed in: the session token for the cookie.
    Created { session_token: String },
    /// The link is used, expired or unknown.
    BadLink,
    /// The password cannot be used; the reason to show.
    Password(Msg),
}

/// Makes the application login of a confirmation link with the chosen password.
pub async fn confirm(app: &App, token: &str, password: &str) -> AppResult<ConfirmOutcome> {
    let now = app.clock().now();
    let Some(email) = peek(app, token).await? else {
        return Ok(ConfirmOutcome::BadLink);
    };
    let password = match Password::parse(password) {
        Ok(p) => p,
        Err(_) => return Ok(ConfirmOutcome::Password(Msg::new("password-empty"))),
    };
    let ctx = PasswordContext {
        login_id: "",
        name: "",
        email: &email,
    };
    if let Err(v) = ccus_domain::password_policy::check(&password, &ctx) {
        return Ok(ConfirmOutcome::Password(policy_msg(&v)));
    }
    let password_hash = app.hasher().hash(password).await?;
    let mut tx = app.store().begin().await?;
    let Some(LinkFor::NewApplicant(email)) =
        links::consume(&mut tx, LinkPurpose::ApplicantConfirm, token, now).await?
    else {
        return Ok(ConfirmOutcome::BadLink);
    };
    let id = match tx
        .registrations()
        .create_applicant(&email, &email.to_lowercase(), &password_hash, now)
        .await
    {
        Ok(id) => id,
        // Two links for one address: the first one used made the login.
        Err(StoreError::Conflict) => return Ok(ConfirmOutcome::BadLink),
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    let session_token = random_token();
    app.store()
        .registrations()
        .create_applicant_session(&token_hash(&session_token), id, None, now)
        .await?;
    tracing::info!(applicant = %id, "application login created");
    Ok(ConfirmOutcome::Created { session_token })
}

/// Why a new password was refused, for the page.
pub(super) fn policy_msg(v: &PolicyViolation) -> Msg {
    use ccus_domain::password_policy::{MAX_CHARS, MIN_CHARS};
    match v {
        PolicyViolation::TooShort => Msg::new("apply-password-too-short").arg("min", MIN_CHARS),
        PolicyViolation::TooLong => Msg::new("apply-password-too-long").arg("max", MAX_CHARS),
        PolicyViolation::Common => Msg::new("apply-password-common"),
        // The application login has only an email address, and the service's own words.
        PolicyViolation::Context(ContextWord::Service(word)) => {
            Msg::new("apply-password-has-word").arg("word", *word)
        }
        PolicyViolation::Context(_) => Msg::new("apply-password-has-email"),
    }
}
