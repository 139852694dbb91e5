//! Checking a secret (a password or a 本人確認番号) under the lockout rules: a hashing worker
//! first (so a busy refusal never counts), then the attempt is counted, then the hash is
//! checked, then the attempt is settled. One mechanism for login, first login, password change,
//! email change and staff login, so every wrong secret counts the same way.

use std::future::Future;

use ccus_domain::{AttemptDecision, Password, Timestamp};

use crate::admission::Priority;
use crate::error::AppResult;
use crate::hashing::Verified;
use crate::App;

pub enum Check {
    /// The secret matched (and the stored hash may want a rehash).
    Passed(Verified),
    /// Wrong (or no account). `locks_until` is set when this failure locked the key.
    Failed { locks_until: Option<Timestamp> },
    /// Locked until then; nothing was checked.
    Locked { until: Timestamp },
}

/// The outcome of the first of two factors.
pub enum FirstFactor {
    /// The secret matched, but the attempt is not settled: until
    /// `settle_success(key, policy, ticket)` it counts as a failure (`locks_until` is set if it
    /// locked the key).
    Matched {
        ticket: u32,
        locks_until: Option<Timestamp>,
    },
    /// Wrong, or locked: as for a single factor.
    Refused(Check),
}

enum Attempt {
    Locked(Timestamp),
    Checked {
        verified: Verified,
        ticket: u32,
        locks_until: Option<Timestamp>,
    },
}

/// Counts one attempt on `key` and checks `secret` against the hash `stored` yields (or the
/// dummy hash). `stored` is only looked up when the key is not locked, so a refusal of a
/// locked key does the same work whether or not an account exists.
async fn attempt(
    state: &App,
    key: &str,
    secret: Password,
    stored: impl Future<Output = AppResult<Option<String>>>,
    priority: Priority,
) -> AppResult<Attempt> {
    let store = state.store();
    let now = state.clock().now();
    // A locked key is refused without waiting for a hashing worker, so a flood against locked
    // IDs never queues in front of real users.
    let mut reserved = None;
    if store.guards().guard_state(key).await?.is_locked(now) {
        match store
            .guards()
            .begin_attempt(key, state.policy(), now)
            .await?
        {
            AttemptDecision::Locked { until } => return Ok(Attempt::Locked(until)),
            // The lock ended between the two reads: this attempt is counted and goes on.
            AttemptDecision::Proceed {
                locks_until,
                ticket,
            } => reserved = Some((locks_until, ticket)),
        }
    }
    // Otherwise a worker first, so that an attempt refused as busy never counts.
    let permit = state.hasher().permit_for(priority).await?;
    let (locks_until, ticket) = match reserved {
        Some(r) => r,
        None => match store
            .guards()
            .begin_attempt(key, state.policy(), now)
            .await?
        {
            AttemptDecision::Locked { until } => return Ok(Attempt::Locked(until)),
            AttemptDecision::Proceed {
                locks_until,
                ticket,
            } => (locks_until, ticket),
        },
    };
    let verified = permit.verify(secret, stored.await?).await?;
    Ok(Attempt::Checked {
        verified,
        ticket,
        locks_until,
    })
}

/// Checks `secret` against `stored` (or the dummy hash when `None`) as one attempt on `key`.
/// `priority` decides the place in the queue when every hashing worker is busy.
pub async fn check_secret(
    state: &App,
    key: &str,
    secret: Password,
    stored: impl Future<Output = AppResult<Option<String>>>,
    priority: Priority,
) -> AppResult<Check> {
    Ok(
        match check_secret_unsettled(state, key, secret, stored, priority).await? {
            Unsettled::Passed { verified, settle } => {
                let mut tx = state.store().begin().await?;
                settle.settle(state, &mut tx).await?;
                tx.commit().await?;
                Check::Passed(verified)
            }
            Unsettled::Failed { locks_until } => Check::Failed { locks_until },
            Unsettled::Locked { until } => Check::Locked { until },
        },
    )
}

/// [`check_secret`] whose success is written by the caller, in the transaction that acts on
/// it (a login's session): one write instead of two, and until it commits the attempt counts
/// as a failure, so a session that could not be written leaves no success behind.
pub enum Unsettled {
    Passed {
        verified: Verified,
        settle: Settle,
    },
    /// As [`Check::Failed`].
    Failed {
        locks_until: Option<Timestamp>,
    },
    /// As [`Check::Locked`].
    Locked {
        until: Timestamp,
    },
}

/// The success of one attempt, to be written with [`Settle::settle`].
#[must_use = "until it is settled, the attempt counts as a failure"]
pub struct Settle {
    key: String,
    ticket: u32,
}

impl Settle {
    pub async fn settle(
        self,
        state: &App,
        tx: &mut ccus_storage::StoreTx,
    ) -> Result<(), ccus_storage::StoreError> {
        tx.guards()
            .settle_success(&self.key, state.policy(), self.ticket)
            .await
    }
}

/// See [`Unsettled`].
pub async fn check_secret_unsettled(
    state: &App,
    key: &str,
    secret: Password,
    stored: impl Future<Output = AppResult<Option<String>>>,
    priority: Priority,
) -> AppResult<Unsettled> {
    Ok(match attempt(state, key, secret, stored, priority).await? {
        Attempt::Locked(until) => Unsettled::Locked { until },
        Attempt::Checked {
            verified, ticket, ..
        } if verified.matches => Unsettled::Passed {
            verified,
            settle: Settle {
                key: key.to_owned(),
                ticket,
            },
        },
        Attempt::Checked { locks_until, .. } => Unsettled::Failed { locks_until },
    })
}

/// Like [`check_secret`] for the first of two factors: a match is not settled.
pub async fn check_first_factor(
    state: &App,
    key: &str,
    secret: Password,
    stored: impl Future<Output = AppResult<Option<String>>>,
) -> AppResult<FirstFactor> {
    Ok(
        match attempt(state, key, secret, stored, Priority::Normal).await? {
            Attempt::Locked(until) => FirstFactor::Refused(Check::Locked { until }),
            Attempt::Checked {
                verified,
                ticket,
                locks_until,
            } if verified.matches => FirstFactor::Matched {
                ticket,
                locks_until,
            },
            Attempt::Checked { locks_until, .. } => {
                FirstFactor::Refused(Check::Failed { locks_until })
            }
        },
    )
}
