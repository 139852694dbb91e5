//! 代行申請: a business applies for its worker, who consents by mail.

use super::*;
use ccus_domain::ApplicationId;

// ---- 代行申請 -----------------------------------------------------------------------------------

/// The document kind of a 代行申請同意書.
pub const PROXY_CONSENT_DOCUMENT: &str = "proxy_consent";

/// Opens the 代行申請 login of the business of a signed-in person (made on first use; it has no
/// password and is reached only this way), returning a session token for it. `None` for anyone
/// the permission table does not let file 代行申請 (a technician, a 現場管理者…).
pub async fn proxy_session(app: &App, me: &Account) -> AppResult<Option<String>> {
    let Some(standing) = crate::org::standing(app, me).await? else {
        return Ok(None);
    };
    if !standing.may_for_business(ccus_domain::org::Action::ProxyApply) {
        return Ok(None);
    }
    let business = &standing.business;
    let now = app.clock().now();
    let applicant_id = match app
        .store()
        .registrations()
        .proxy_applicant(business.id)
        .await?
    {
        Some(a) => a.id,
        None => {
            let mut tx = app.store().begin().await?;
            match tx
                .registrations()
                .create_proxy_applicant(business.id, &business.email, now)
                .await
            {
                Ok(id) => {
                    tx.commit().await?;
                    id
                }
                // Made at the same moment by another request.
                Err(StoreError::Conflict) => {
                    drop(tx);
                    match app
                        .store()
                        .registrations()
                        .proxy_applicant(business.id)
                        .await?
                    {
                        Some(a) => a.id,
                        None => return Err(AppError::Unavailable("proxy applicant".into())),
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let token = random_token();
    app.store()
        .registrations()
        .create_applicant_session(&token_hash(&token), applicant_id, Some(me.id.get()), now)
        .await?;
    Ok(Some(token))
}

/// The business a 代行申請 login applies for.
pub async fn proxy_business(app: &App, applicant: &Applicant) -> AppResult<Option<Account>> {
    match applicant.business_account_id {
        Some(b) => Ok(app.store().accounts().account_by_id(b).await?),
        None => Ok(None),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsentRequestOutcome {
    Sent,
    /// Not a 代行申請, or no longer editable.
    NotPossible,
    /// An item the request needs is missing or unusable; why.
    Incomplete(Field, Msg),
    TooMany,
}

/// Mails the worker of a 代行申請 a link to consent (or not); an earlier link stops working.
pub async fn request_consent(
    app: &App,
    applicant: &Applicant,
    id: ApplicationId,
    lang: crate::i18n::Lang,
) -> AppResult<ConsentRequestOutcome> {
    let Some(view) = own(app, applicant, id).await? else {
        return Ok(ConsentRequestOutcome::NotPossible);
    };
    let Some(business) = &view.business else {
        return Ok(ConsentRequestOutcome::NotPossible);
    };
    if !view.application.status.editable() {
        return Ok(ConsentRequestOutcome::NotPossible);
    }
    let email = view.value(Field::Email);
    let own = business_addresses(app, business).await?;
    if let Some(why) = proxy_email_problem(&email, &own) {
        return Ok(ConsentRequestOutcome::Incomplete(Field::Email, why));
    }
    // The worker consents to an application that names them; changing these asks again.
    let name = view.value(Field::Name);
    if let Some(f) = [Field::Name, Field::Furigana, Field::BirthDate]
        .into_iter()
        .find(|f| view.value(*f).trim().is_empty())
    {
        return Ok(ConsentRequestOutcome::Incomplete(
            f,
            Msg::new("apply-problem-consent-needs-person"),
        ));
    }
    let cfg = &app.config().recovery;
    let now = app.clock().now();
    if app
        .store()
        .guards()
        .hit_window(
            &GuardKey::ConsentRequest(id.get()).to_string(),
            cfg.window,
            now,
        )
        .await?
        > cfg.per_account_limit
    {
        return Ok(ConsentRequestOutcome::TooMany);
    }
    let mut tx = app.store().begin().await?;
    let link = links::mint(
        app,
        &mut tx,
        NewLink::Consent {
            application_id: id.get(),
            email: &email,
        },
        now,
    )
    .await?;
    tx.outbox()
        .enqueue_mail(
            &crate::registration::mails::consent_request(
                lang,
                &email,
                &name,
                &business.name,
                &link,
            ),
            now,
        )
        .await?;
    tx.commit().await?;
    app.wake_mail();
    tracing::info!(application = %id, "consent requested");
    Ok(ConsentRequestOutcome::Sent)
}

/// An address as the mailbox it reaches: lower case, without a `+tag` (`Office+W@Example.jp`
/// and `office@example.jp` reach the same person).
pub(super) fn mailbox(email: &str) -> String {
    let email = email.trim().to_lowercase();
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let local = local.split('+').next().unwrap_or(local);
            format!("{local}@{domain}")
        }
        None => email,
    }
}

/// The addresses of a business and of each of its 管理者ID: none can be a worker's own.
pub(super) async fn business_addresses(app: &App, business: &Account) -> AppResult<Vec<String>> {
    let mut out = vec![business.email.clone()];
    out.extend(
        app.store()
            .org()
            .org_members(business.id)
            .await?
            .into_iter()
            .map(|m| m.account.email),
    );
    Ok(out)
}

/// Why an address cannot be the worker's own in a 代行申請, if it cannot: missing, not an
/// address, or (once case and `+tag` are set aside) one of the business's own addresses.
pub(super) fn proxy_email_problem(email: &str, business_addresses: &[String]) -> Option<Msg> {
    let email = email.trim();
    if email.is_empty() {
        return Some(Msg::new("apply-problem-proxy-email-missing"));
    }
    if !crate::account::provisioning::valid_email(email) {
        return Some(Msg::new("apply-problem-email"));
    }
    let mine = mailbox(email);
    if business_addresses.iter().any(|b| mailbox(b) == mine) {
        return Some(Msg::new("apply-problem-proxy-email-business"));
    }
    None
}

/// A consent request as the worker sees it from the mailed link.
#[derive(Debug, Clone)]
pub struct ConsentView {
    pub business_name: String,
    pub business_id: String,
    pub view: ApplicationView,
    pub consent: ApplicationConsent,
    /// Whether it can still be answered: the link is unanswered and unexpired (or it would not
    /// be shown), and the application can still change.
    pub open: bool,
}

/// The 代行申請 a consent link is for, while the link can be answered.
pub async fn consent_request(app: &App, token: &str) -> AppResult<Option<ConsentView>> {
    let Some(LinkFor::Consent(consent)) = links::peek(app, LinkPurpose::Consent, token).await?
    else {
        return Ok(None);
    };
    let Some(a) = app
        .store()
        .registrations()
        .application(consent.application_id)
        .await?
    else {
        return Ok(None);
    };
    let view = load(app, a).await?;
    let Some(business) = view.business.clone() else {
        return Ok(None);
    };
    let open = view.application.status.editable();
    Ok(Some(ConsentView {
        business_name: business.name.clone(),
        business_id: business.login_id.grouped(),
        view,
        consent,
        open,
    }))
}

/// The worker answers a consent request; false when the link can no longer be answered. The
/// business is told either way.
pub async fn answer_consent(
    app: &App,
    token: &str,
    consented: bool,
    client: &ClientInfo,
) -> AppResult<bool> {
    let Some(cv) = consent_request(app, token).await? else {
        return Ok(false);
    };
    if !cv.open {
        return Ok(false);
    }
    let Some(applicant) = app
        .store()
        .registrations()
        .applicant(cv.view.application.applicant_id)
        .await?
    else {
        return Ok(false);
    };
    let now = app.clock().now();
    let answer = if consented { "consented" } else { "declined" };
    let lang =
        crate::registration::mails::application_language(app, &applicant, cv.view.application.id)
            .await?;
    let mut tx = app.store().begin().await?;
    if !links::consume_consent(&mut tx, token, answer, &client.address, now).await? {
        return Ok(false);
    }
    tx.outbox()
        .enqueue_mail(
            &crate::registration::mails::consent_answered(
                app,
                lang,
                &applicant.email,
                cv.view.application.id,
                &cv.view.value(Field::Name),
                consented,
            ),
            now,
        )
        .await?;
    tx.commit().await?;
    app.wake_mail();
    tracing::info!(
        application = %cv.view.application.id,
        answer,
        "consent answered"
    );
    Ok(true)
}
