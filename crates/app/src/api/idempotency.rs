//! `Idempotency-Key` on every write of the partner API: a client that did not hear an answer
//! (a time-out, a dropped connection) sends the same request with the same key, and gets the
//! first answer again instead of a second write.
//!
//! The first request with a key claims it (in the database, so every instance sees it) and
//! keeps its answer when done; the same key with another request (another method, path or
//! body) is refused, as is a key whose first request is still being answered. A first request
//! that failed before it was answered (the database went away) gives its key back, so the retry
//! runs; one cut off with its instance is taken over by a retry after two minutes. Answers are kept `api.idempotency_retention` (a day by default).

use ccus_domain::ClientId;
use ccus_storage::IdempotencyClaim;
use sha2::{Digest, Sha256};

use crate::{App, AppResult};

/// A first request unanswered this long is taken to have been cut off (its instance stopped);
/// the next request with its key runs in its place.
const ABANDONED_AFTER: std::time::Duration = std::time::Duration::from_secs(120);

/// What a write with a key should do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begin {
    /// The key is new: do the write, then [`finish`].
    First,
    /// The key's first request was answered so: answer the same.
    Replay { status: u16, body: String },
    /// The key's first request is still being answered.
    InProgress,
    /// The key was used for another request.
    Mismatch,
}

/// Whether a key can be one: 1 to 200 visible ASCII characters.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= 200 && key.bytes().all(|b| b.is_ascii_graphic())
}

/// A request's fingerprint: its method, path and body.
pub fn fingerprint(method: &str, path: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(method.as_bytes());
    h.update([0]);
    h.update(path.as_bytes());
    h.update([0]);
    h.update(body);
    hex::encode(h.finalize())
}

pub async fn begin(app: &App, client: ClientId, key: &str, fingerprint: &str) -> AppResult<Begin> {
    let now = app.clock().now();
    let stale = now.minus(ABANDONED_AFTER);
    let claim = app
        .store()
        .api()
        .claim_key(client, key, fingerprint, now, stale)
        .await?;
    Ok(match claim {
        IdempotencyClaim::First => Begin::First,
        IdempotencyClaim::InProgress { request_hash }
        | IdempotencyClaim::Answered { request_hash, .. }
            if request_hash != fingerprint =>
        {
            Begin::Mismatch
        }
        IdempotencyClaim::InProgress { .. } => Begin::InProgress,
        IdempotencyClaim::Answered { status, body, .. } => Begin::Replay { status, body },
    })
}

/// Keeps the answer to a key's first request.
pub async fn finish(
    app: &App,
    client: ClientId,
    key: &str,
    status: u16,
    body: &str,
) -> AppResult<()> {
    Ok(app
        .store()
        .api()
        .keep_answer(client, key, status, body)
        .await?)
}

/// Gives a key back: its first request failed before it was answered.
pub async fn abandon(app: &App, client: ClientId, key: &str) -> AppResult<()> {
    Ok(app.store().api().release_key(client, key).await?)
}
