//! `POST /api/v1/touches`: a card reader's batch of touches.
//!
//! ```text
//! Authorization: Bearer ccusr_…
//! {"touches": [{"seq": 41, "card": "0123456789ABCDEF", "direction": "in",
//!               "at": "2026-12-07T07:58:12+09:00"}, …]}
//! ```
//!
//! answered `200` with one result per touch, in the order sent:
//!
//! ```text
//! {"results": [{"seq": 41, "status": "accepted", "work_day": "2026-12-07"},
//!              {"seq": 42, "status": "duplicate"},
//!              {"seq": 43, "status": "refused", "reason": "unknown_card"}]}
//! ```
//!
//! An unknown or revoked key is `401` (`WWW-Authenticate: Bearer`), a body that is not such
//! JSON `400`, more than 500 touches `413`, all as RFC 9457 problem details.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use ccus_app::records::ingest::{self, IngestOutcome, TouchAnswer, TouchIn};
use serde::{Deserialize, Serialize};

use crate::error::{WebError, WebResult};
use crate::AppState;

/// A batch of touches (a reader's, or a partner system's on a site).
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Batch {
    /// At most 500.
    touches: Vec<TouchJson>,
}

/// One touch.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub(crate) struct TouchJson {
    /// The sender's own number for the touch, rising and never reused: the same number is the
    /// same touch.
    seq: i64,
    /// The card number read (16 hex digits; spaces and hyphens ignored).
    card: String,
    /// `in` or `out`.
    direction: String,
    /// When it was touched, RFC 3339 (`2026-12-07T07:58:12+09:00`).
    at: String,
}

/// Each touch's answer, in the order sent.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct Results {
    results: Vec<ResultJson>,
}

/// A touch's answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub(crate) struct ResultJson {
    seq: i64,
    /// `accepted`, `duplicate` or `refused`.
    status: &'static str,
    /// The work day the touch counted for (accepted touches).
    #[serde(skip_serializing_if = "Option::is_none")]
    work_day: Option<String>,
    /// Why it was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
}

impl Batch {
    /// The batch as the ingest takes it.
    pub(crate) fn touches(self) -> Vec<TouchIn> {
        self.touches
            .into_iter()
            .map(|t| TouchIn {
                seq: t.seq,
                card: t.card,
                direction: t.direction,
                at: t.at,
            })
            .collect()
    }
}

impl Results {
    /// The answers of an ingest, for JSON.
    pub(crate) fn of(answers: Vec<(i64, TouchAnswer)>) -> Results {
        let results = answers
            .into_iter()
            .map(|(seq, a)| match a {
                TouchAnswer::Accepted { day } => ResultJson {
                    seq,
                    status: "accepted",
                    work_day: Some(ccus_domain::profile::format_date(day)),
                    reason: None,
                },
                TouchAnswer::Duplicate => ResultJson {
                    seq,
                    status: "duplicate",
                    work_day: None,
                    reason: None,
                },
                TouchAnswer::Refused(why) => ResultJson {
                    seq,
                    status: "refused",
                    work_day: None,
                    reason: Some(why.code()),
                },
            })
            .collect();
        Results { results }
    }
}

/// The bearer token of a request.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

pub(super) async fn touches(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> WebResult<Response> {
    let Some(key) = bearer(&headers) else {
        return Err(WebError::Unauthenticated("api-reader-key-missing"));
    };
    let body = body.map_err(|e| WebError::BadRequest {
        status: e.status(),
        detail: e.body_text(),
    })?;
    let batch: Batch = serde_json::from_slice(&body).map_err(|e| WebError::BadRequest {
        status: StatusCode::BAD_REQUEST,
        detail: format!("the batch: {e}"),
    })?;
    match ingest::ingest(&state, key, &batch.touches()).await? {
        IngestOutcome::UnknownKey => Err(WebError::Unauthenticated("api-reader-key-unknown")),
        IngestOutcome::TooMany => Err(WebError::BadRequest {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            detail: format!("more than {} touches in one batch", ingest::MAX_BATCH),
        }),
        IngestOutcome::Answered(answers) => Ok((
            StatusCode::OK,
            [(header::CACHE_CONTROL, "no-store")],
            axum::Json(Results::of(answers)),
        )
            .into_response()),
    }
}
