//! A business letting a certified system use its own data (its sites, its 名簿, its records),
//! and ending that. Done by a 管理者ID who may [`Action::GrantSystems`]; the system then acts
//! with that person's permissions ([`super::access`]). Revoking ends the tokens the business's
//! consent made at once; a client-credentials token stops reaching the business with the grant.

use ccus_domain::api::{ClientState, Scopes};
use ccus_domain::org::{Action, Target};
use ccus_domain::GrantId;
use ccus_storage::{ApiClient, ApiGrant};

use crate::audit::{self, AuditAction, AuditDetail, AuditEvent};
use crate::org::OrgContext;
use crate::{App, AppResult};

/// The answer to granting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GrantOutcome {
    Granted(GrantId),
    /// The person may not let systems in.
    Forbidden,
    /// No client has this client_id, or it is suspended (or not certified for this portal).
    UnknownClient,
    /// A scope asked for is not one the client is registered for.
    ScopesNotAllowed,
}

/// Whether the person may grant and revoke.
pub fn may_grant(ctx: &OrgContext) -> bool {
    ctx.may(Action::GrantSystems, Target::Business)
}

/// The client a business may grant to: registered, and live on this portal.
pub async fn grantable(app: &App, client_id: &str) -> AppResult<Option<ApiClient>> {
    let client = app
        .store()
        .api()
        .client_by_client_id(client_id.trim())
        .await?;
    Ok(client.filter(|c| {
        ClientState::parse(&c.state).is_some_and(|s| s.may_get_tokens(app.config().api.sandbox))
    }))
}

/// Lets `client_id` use the business's data within `scopes` (a live grant is replaced).
pub async fn grant(
    app: &App,
    ctx: &OrgContext,
    client_id: &str,
    scopes: &Scopes,
) -> AppResult<GrantOutcome> {
    if !may_grant(ctx) {
        return Ok(GrantOutcome::Forbidden);
    }
    let Some(client) = grantable(app, client_id).await? else {
        return Ok(GrantOutcome::UnknownClient);
    };
    let allowed = Scopes::parse(&client.scopes)
        .unwrap_or_default()
        .meet(&Scopes::api());
    if scopes.is_empty() || !scopes.within(&allowed) {
        return Ok(GrantOutcome::ScopesNotAllowed);
    }
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let id = tx
        .api()
        .grant(
            ctx.business.id,
            client.id,
            &scopes.to_string(),
            ctx.me.id,
            now,
        )
        .await?;
    let event = AuditEvent::new(
        AuditAction::ApiGrantGiven,
        AuditDetail::ApiGrant {
            client_id: client.client_id.clone(),
            name: client.name.clone(),
            scopes: scopes.to_string(),
        },
    );
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    Ok(GrantOutcome::Granted(id))
}

/// Ends a grant of the business; false when it has no such live grant (or the person may not).
pub async fn revoke(app: &App, ctx: &OrgContext, grant: GrantId) -> AppResult<bool> {
    if !may_grant(ctx) {
        return Ok(false);
    }
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let Some(client) = tx
        .api()
        .revoke_grant(ctx.business.id, grant, ctx.me.id, now)
        .await?
    else {
        return Ok(false);
    };
    tx.api()
        .end_business_tokens(client, ctx.business.id)
        .await?;
    let c = app.store().api().client(client).await?;
    let event = AuditEvent::new(
        AuditAction::ApiGrantRevoked,
        AuditDetail::ApiGrant {
            client_id: c.as_ref().map(|c| c.client_id.clone()).unwrap_or_default(),
            name: c.map(|c| c.name).unwrap_or_default(),
            scopes: String::new(),
        },
    );
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// The business's live grants, newest first; `None` for a person who may not see them.
pub async fn of_business(app: &App, ctx: &OrgContext) -> AppResult<Option<Vec<ApiGrant>>> {
    if !may_grant(ctx) {
        return Ok(None);
    }
    Ok(Some(app.store().api().grants_of(ctx.business.id).await?))
}

/// The live grants made to a client (for a token a business's consent made: that business's
/// alone).
pub async fn of_client(
    app: &App,
    client: ccus_domain::ClientId,
    business: Option<ccus_domain::AccountId>,
) -> AppResult<Vec<ApiGrant>> {
    let mut list = app.store().api().grants_to(client).await?;
    if let Some(b) = business {
        list.retain(|g| g.business == b);
    }
    Ok(list)
}
