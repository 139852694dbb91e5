//! What a service learns of the person, as they allowed it (the scopes of their consent):
//!
//! | scope | claim | value |
//! |---|---|---|
//! | `openid` | `sub` | a subject of this service's own (pairwise: services cannot match people) |
//! | `profile` | `name` | 氏名 |
//! | `ccus_id` | `ccus_technician_id` | 技能者ID (14 digits) |
//! | `affiliation` | `ccus_affiliation` | `{"business_id", "name"}` of the 所属事業者 (left out when none) |
//! | `level` | `ccus_levels` | per 職種 worked in: the highest レベル its counted days reach |
//!
//! The same claims are in the ID token and at userinfo.

use ccus_domain::api::{Scope, Scopes};
use ccus_storage::OidcConsent;
use serde_json::{json, Map, Value};

use crate::error::AppError;
use crate::{App, AppResult};

/// The person's claims that `scopes` allow (without `sub`).
pub async fn of_person(
    app: &App,
    consent: &OidcConsent,
    scopes: &Scopes,
) -> AppResult<Map<String, Value>> {
    let mut out = Map::new();
    let wants_more = [
        Scope::Profile,
        Scope::TechnicianId,
        Scope::Affiliation,
        Scope::Level,
    ]
    .iter()
    .any(|s| scopes.contains(*s));
    if !wants_more {
        return Ok(out);
    }
    let store = app.store();
    let person = store
        .accounts()
        .account_by_id(consent.account)
        .await?
        .ok_or_else(|| AppError::Internal(format!("consent {} names no account", consent.id)))?;
    if scopes.contains(Scope::Profile) {
        out.insert("name".into(), json!(person.name));
    }
    if scopes.contains(Scope::TechnicianId) {
        out.insert("ccus_technician_id".into(), json!(person.login_id.as_str()));
    }
    if scopes.contains(Scope::Affiliation) {
        let employer = match person.profile.employer_id {
            Some(id) => store.accounts().account_by_id(id).await?,
            None => None,
        };
        // A claim without a value is left out (OpenID Connect Core §5.3.2), never null.
        if let Some(b) = employer {
            out.insert(
                "ccus_affiliation".into(),
                json!({ "business_id": b.login_id.as_str(), "name": b.name }),
            );
        }
    }
    if scopes.contains(Scope::Level) {
        let mine = crate::records::worker::my_records(app, &person, None).await?;
        let levels: Vec<Value> = mine
            .trades
            .iter()
            .filter(|t| !t.trade.is_empty())
            .map(|t| {
                let level = t
                    .levels
                    .iter()
                    .filter(|l| l.days_reached())
                    .map(|l| l.level)
                    .max()
                    .unwrap_or(1);
                json!({ "trade": t.trade, "level": level, "days": t.count.days })
            })
            .collect();
        out.insert("ccus_levels".into(), Value::Array(levels));
    }
    Ok(out)
}

/// Userinfo (OpenID Connect Core §5.3) for a live access token of the login: `sub` and the
/// claims allowed; `None` for any other token.
pub async fn userinfo(app: &App, access_token: &str) -> AppResult<Option<Map<String, Value>>> {
    if !access_token.starts_with(super::ACCESS_PREFIX) {
        return Ok(None);
    }
    let now = app.clock().now();
    let hash = crate::tokens::token_hash(access_token);
    let Some(consent) = app.store().oidc().access(&hash, now).await? else {
        return Ok(None);
    };
    // A suspended service's tokens stop at once.
    let live = ccus_domain::api::ClientState::parse(&consent.client.state)
        .is_some_and(|s| s.may_get_tokens(app.config().api.sandbox));
    if !live {
        return Ok(None);
    }
    let scopes = Scopes::parse(&consent.scopes).unwrap_or_default();
    let mut out = Map::new();
    out.insert("sub".into(), json!(consent.subject));
    out.extend(of_person(app, &consent, &scopes).await?);
    Ok(Some(out))
}
