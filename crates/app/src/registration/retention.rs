//! How long a returned application (不備) that is not sent again is kept: it is deleted
//! `registration.returned_retention` after it was returned, and its applicant is warned by mail
//! `registration.returned_warning` before — never deleted sooner than that long after the
//! warning. The deletion itself is in the periodic clean-up
//! ([`ccus_storage::Registrations::delete_stale_applications`]).

use ccus_domain::{registration::Status, Timestamp};
use ccus_storage::Application;

use crate::{App, AppResult};

/// When a returned application is deleted unless it is sent again: `returned_retention` after
/// it was returned, and never sooner than `returned_warning` after its applicant was warned.
/// `None` for an application that is not returned.
pub fn returned_deleted_after(app: &App, a: &Application) -> Option<Timestamp> {
    if a.status != Status::Returned {
        return None;
    }
    let cfg = &app.config().registration;
    let returned_at = a.decided_at?;
    let by_return = returned_at.plus(cfg.returned_retention);
    let by_warning = a
        .retention_warned_at
        .filter(|w| *w >= returned_at)
        .map(|w| w.plus(cfg.returned_warning));
    Some(by_warning.map_or(by_return, |w| w.max(by_return)))
}

/// Mails the applicants of returned applications that are due to be deleted within
/// `registration.returned_warning` (once per return, on one instance only). Returns how many
/// were warned. The deletion itself is in the periodic clean-up.
pub async fn warn_before_deleting_returned(app: &App) -> AppResult<u64> {
    let cfg = &app.config().registration;
    let now = app.clock().now();
    let due_from = now.minus(cfg.returned_retention.saturating_sub(cfg.returned_warning));
    let mut warned = 0;
    for a in app
        .store()
        .registrations()
        .returned_to_warn(due_from, 200)
        .await?
    {
        let Some(returned_at) = a.decided_at else {
            continue;
        };
        let Some(applicant) = app
            .store()
            .registrations()
            .applicant(a.applicant_id)
            .await?
        else {
            continue;
        };
        let lang = crate::registration::mails::application_language(app, &applicant, a.id).await?;
        // Never sooner than the warning period from now, however late the warning is.
        let deleted_after = returned_at
            .plus(cfg.returned_retention)
            .max(now.plus(cfg.returned_warning));
        let mut tx = app.store().begin().await?;
        if !tx
            .registrations()
            .claim_retention_warning(a.id, returned_at, now)
            .await?
        {
            continue;
        }
        tx.outbox()
            .enqueue_mail(
                &crate::registration::mails::returned_expiring(
                    app,
                    lang,
                    &applicant.email,
                    a.id,
                    deleted_after,
                ),
                now,
            )
            .await?;
        tx.commit().await?;
        warned += 1;
    }
    if warned > 0 {
        app.wake_mail();
    }
    Ok(warned)
}
