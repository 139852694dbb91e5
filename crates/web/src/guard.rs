//! Checking a secret (a password or a 本人確認番号) under the lockout rules: a hashing worker
//! first (so a busy refusal never counts), then the attempt is counted, then the hash is
//! checked, then the attempt is settled. One mechanism for login, first login, password change
//! and email change, so every wrong secret counts the same way.

use ccus_domain::{AttemptDecision, Password, Timestamp};

use crate::error::WebResult;
use crate::hashing::Verified;
use crate::AppState;

pub(crate) enum Check {
    /// The secret matched (and the stored hash may want a rehash).
    Passed(Verified),
    /// Wrong (or no account). `locks_until` is set when this failure locked the key.
    Failed { locks_until: Option<Timestamp> },
    /// Locked until then; nothing was checked.
    Locked { until: Timestamp },
}

/// Checks `secret` against `stored` (or the dummy hash when `None`) as one attempt on `key`.
pub(crate) async fn check_secret(
    state: &AppState,
    key: &str,
    secret: Password,
    stored: Option<String>,
) -> WebResult<Check> {
    let permit = state.hasher().permit().await?;
    let now = state.clock().now();
    let (locks_until, ticket) = match state
        .store()
        .begin_attempt(key, state.policy(), now)
        .await?
    {
        AttemptDecision::Locked { until } => return Ok(Check::Locked { until }),
        AttemptDecision::Proceed {
            locks_until,
            ticket,
        } => (locks_until, ticket),
    };
    let verified = permit.verify(secret, stored).await?;
    if verified.matches {
        state
            .store()
            .settle_success(key, state.policy(), ticket)
            .await?;
        Ok(Check::Passed(verified))
    } else {
        Ok(Check::Failed { locks_until })
    }
}
