//! A call to `/api/v1`: who is calling (the bearer token's client, its scopes), whether it may
//! call now (its rate), and as whom it acts.
//!
//! A call about a business's data names the business (its 事業者ID). It acts with the
//! permissions of the 管理者ID who granted the client that business's data, as they are now
//! (a person stopped or moved takes the API's reach with them), within both the grant's and the
//! token's scopes — so the API answers at most what that person sees on the business's pages,
//! and writes are recorded as the client's in the business's 操作の記録.

use ccus_domain::api::{Scope, Scopes};
use ccus_domain::{AccountId, GuardKey, LoginId};
use ccus_storage::ApiClient;

use crate::org::{self, OrgContext};
use crate::tokens::token_hash;
use crate::{App, AppResult};

use super::tokens::live;
use super::TOKEN_PREFIX;

/// The client behind a call.
#[derive(Debug, Clone)]
pub struct Caller {
    pub client: ApiClient,
    pub scopes: Scopes,
    /// The business whose consent made the token: it may act for that business alone.
    pub business: Option<AccountId>,
}

/// Who a bearer token says is calling.
#[derive(Debug, Clone)]
pub enum CallerOutcome {
    Caller(Box<Caller>),
    /// No live token (unknown, expired, revoked, or its client suspended).
    Unauthenticated,
    /// The client has made too many calls this minute.
    RateLimited {
        retry_after: u64,
    },
}

/// The client a call's bearer token belongs to, its call counted.
pub async fn authenticate(app: &App, bearer: &str) -> AppResult<CallerOutcome> {
    if !bearer.starts_with(TOKEN_PREFIX) || bearer.len() > 100 {
        return Ok(CallerOutcome::Unauthenticated);
    }
    let now = app.clock().now();
    let Some(row) = app.store().api().token(&token_hash(bearer), now).await? else {
        return Ok(CallerOutcome::Unauthenticated);
    };
    if !live(&row.client, app) {
        return Ok(CallerOutcome::Unauthenticated);
    }
    let window = std::time::Duration::from_secs(60);
    let key = GuardKey::ApiClient(row.client.id.get()).to_string();
    // A lost count harms nothing: its commit need not wait for the disk.
    let hits = app
        .store()
        .guards()
        .hit_window_unsynced(&key, window, now)
        .await?;
    if hits > app.config().api.calls_per_minute {
        let (_, ends) = app.store().guards().window_count(&key, window, now).await?;
        let wait = u64::try_from((ends.0 - now.0).max(1000) / 1000).unwrap_or(60);
        return Ok(CallerOutcome::RateLimited { retry_after: wait });
    }
    Ok(CallerOutcome::Caller(Box::new(Caller {
        scopes: Scopes::parse(&row.scopes).unwrap_or_default(),
        client: row.client,
        business: row.business,
    })))
}

/// As whom a call acts for a business.
#[derive(Debug)]
pub enum Acting {
    /// The grant's maker's context, acting through the client.
    As(Box<OrgContext>),
    /// The token lacks the scope the call needs.
    MissingScope,
    /// The business is unknown, did not grant this client (or not this scope), or the person
    /// who granted it can no longer act: all answered alike.
    NoGrant,
}

impl Caller {
    pub fn has(&self, scope: Scope) -> bool {
        self.scopes.contains(scope)
    }

    /// The context of a call for the business `business` that needs `scope`.
    pub async fn acting_for(
        &self,
        app: &App,
        business: &LoginId,
        scope: Scope,
    ) -> AppResult<Acting> {
        if !self.has(scope) {
            return Ok(Acting::MissingScope);
        }
        let Some((account, scopes, by)) = app
            .store()
            .api()
            .grant_by_login(business, self.client.id)
            .await?
        else {
            return Ok(Acting::NoGrant);
        };
        if self.business.is_some_and(|b| b != account) {
            return Ok(Acting::NoGrant);
        }
        if !Scopes::parse(&scopes).unwrap_or_default().contains(scope) {
            return Ok(Acting::NoGrant);
        }
        let Some(granter) = app.store().accounts().account_by_id(by).await? else {
            return Ok(Acting::NoGrant);
        };
        let Some(ctx) = org::context(app, &granter).await? else {
            return Ok(Acting::NoGrant);
        };
        if ctx.business.id != account {
            return Ok(Acting::NoGrant);
        }
        Ok(Acting::As(Box::new(ctx.through_client(self.client.id))))
    }
}
