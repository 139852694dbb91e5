//! The services a person lets use 「CCUSでログイン」, as their page lists them, and ending one:
//! its consent, and at once every token it holds (the next refresh or userinfo call fails).

use ccus_domain::access::AccessEventKind;
use ccus_storage::{Account, ClientInfo, OidcConsent};

use crate::{App, AppResult};

/// The person's live consents, newest first.
pub async fn list(app: &App, person: &Account) -> AppResult<Vec<OidcConsent>> {
    Ok(app.store().oidc().consents_of(person.id).await?)
}

/// Ends one of the person's consents; false when it was not theirs or not live.
pub async fn revoke(
    app: &App,
    person: &Account,
    client_info: &ClientInfo,
    consent_id: i64,
) -> AppResult<bool> {
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let Some(ended) = tx.oidc().revoke_consent(consent_id, person.id, now).await? else {
        return Ok(false);
    };
    tx.history()
        .record_event(
            &person.login_id,
            AccessEventKind::ServiceRevoked,
            client_info,
            now,
        )
        .await?;
    tx.commit().await?;
    tracing::info!(
        client = ended.client.client_id,
        "a person ended a service's login"
    );
    Ok(true)
}
