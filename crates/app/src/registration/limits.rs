//! What one application login may hold and send: open applications, documents per kind and per
//! application, and uploads per hour (`registration.*` in the configuration). An application
//! login is made from any email address, so without these one person could fill the disk: one
//! draft once took 69 documents of up to 5 MB in seconds.
//!
//! The upload count lives in the database (one window per application login, as the other
//! counters of [`GuardKey`]), so every instance counts the same uploads. The counts of
//! applications and documents are taken inside the transaction that adds one, after it has
//! locked the row they belong to, so requests at the same moment cannot pass a limit together.

use ccus_domain::{ApplicationId, GuardKey, Timestamp};
use std::time::Duration;

use ccus_storage::{Applicant, StoreTx};

use crate::{App, AppResult};

/// Face photos one application may carry: one is used, a few more let a person replace a
/// photo that came out badly.
pub const MAX_PHOTOS: u64 = 3;

/// Why an upload was refused by a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadLimit {
    /// The application has `max` documents of this kind already.
    OfKind { max: u64 },
    /// The application has `max` documents in all already.
    InAll { max: u64 },
    /// Past `registration.upload_limit` uploads in the window: try again in `minutes`.
    TooFast { minutes: u64 },
}

/// Documents of `kind` one application may carry.
pub fn max_of_kind(app: &App, kind: &str) -> u64 {
    let per_kind = app.config().registration.max_documents_per_kind;
    if kind == "photo" {
        per_kind.min(MAX_PHOTOS)
    } else {
        per_kind
    }
}

/// Whole minutes from `now` to `until`, at least one.
fn minutes_until(now: Timestamp, until: Timestamp) -> u64 {
    let ms = u64::try_from(until.0.saturating_sub(now.0)).unwrap_or(0);
    Duration::from_millis(ms).as_secs().div_ceil(60).max(1)
}

/// Whether an upload could be taken now, read before its bytes are stored (nothing is
/// counted): a refusal here saves writing a file that would be refused anyway.
pub async fn before_upload(
    app: &App,
    applicant: &Applicant,
    application_id: ApplicationId,
) -> AppResult<Option<UploadLimit>> {
    let cfg = &app.config().registration;
    let now = app.clock().now();
    let key = GuardKey::ApplicantUploads(applicant.id.get()).to_string();
    let (count, ends) = app
        .store()
        .guards()
        .window_count(&key, cfg.upload_window, now)
        .await?;
    if count >= cfg.upload_limit {
        return Ok(Some(UploadLimit::TooFast {
            minutes: minutes_until(now, ends),
        }));
    }
    if app
        .store()
        .applicants()
        .document_count(application_id)
        .await?
        >= cfg.max_documents
    {
        return Ok(Some(UploadLimit::InAll {
            max: cfg.max_documents,
        }));
    }
    Ok(None)
}

/// Counts one upload of the applicant; a refusal when it is past the limit of the window.
pub async fn count_upload(app: &App, applicant: &Applicant) -> AppResult<Option<UploadLimit>> {
    let cfg = &app.config().registration;
    let now = app.clock().now();
    let key = GuardKey::ApplicantUploads(applicant.id.get()).to_string();
    if app
        .store()
        .guards()
        .hit_window(&key, cfg.upload_window, now)
        .await?
        <= cfg.upload_limit
    {
        return Ok(None);
    }
    let (_, ends) = app
        .store()
        .guards()
        .window_count(&key, cfg.upload_window, now)
        .await?;
    Ok(Some(UploadLimit::TooFast {
        minutes: minutes_until(now, ends),
    }))
}

/// Inside the transaction that records a document, after the application's row is locked:
/// whether one more of `kind` fits.
pub async fn document_fits(
    app: &App,
    tx: &mut StoreTx,
    application_id: ApplicationId,
    kind: &str,
) -> AppResult<Option<UploadLimit>> {
    let (of_kind, total) = tx
        .applicants()
        .document_counts(application_id, kind)
        .await?;
    let max = max_of_kind(app, kind);
    if of_kind >= max {
        return Ok(Some(UploadLimit::OfKind { max }));
    }
    let max = app.config().registration.max_documents;
    if total >= max {
        return Ok(Some(UploadLimit::InAll { max }));
    }
    Ok(None)
}

/// Open applications an application login may hold: a person's own, or a business's
/// 代行申請 login (one application per worker).
pub fn max_open_applications(app: &App, applicant: &Applicant) -> u64 {
    let cfg = &app.config().registration;
    if applicant.business_account_id.is_some() {
        cfg.max_open_proxy_applications
    } else {
        cfg.max_open_applications
    }
}
