//! What helpdesk staff do for people, each with a reason, audited in the same transaction and
//! shown in the account's own アクセス履歴: send the ID to the registered address, lift a lock,
//! send a reset link, change the registered email (supervisors only); answer, annotate and
//! move inquiries; download attachments. Staff never choose or see a password.

use ccus_domain::{AccessEventKind, AccountKind};
use ccus_storage::Staff;

pub mod records;
pub mod sites;
mod views;
pub use views::*;

use crate::account::provisioning::valid_email;
use crate::actor::{as_client, clean_reason};
use crate::audit::{self, Actor, AuditAction, AuditDetail, AuditEvent};
use crate::auth::unlock::{self, UnlockBy};
use crate::{App, AppResult};

/// An action on an account.
#[derive(Debug, Clone)]
pub enum AccountAction {
    SendId,
    Unlock,
    SendReset,
    /// Supervisors only (separation of duties: no one person can redirect an account's mail
    /// and then send it a reset link).
    ChangeEmail {
        new_email: String,
    },
    /// Removes one passkey of the account (e.g. the owner lost the phone it was on, or does
    /// not know it). Changing the registered address removes them all.
    RemovePasskey {
        id: i64,
    },
    /// A technician's card reported lost: it stops counting at once.
    ReportCardLost,
    /// A new card with a new number (the ¥1,000 fee paid); the card in use, if any, stops.
    ReissueCard,
}

impl AccountAction {
    /// What the audit log records.
    pub fn audit_action(&self) -> AuditAction {
        match self {
            AccountAction::SendId => AuditAction::IdSent,
            AccountAction::Unlock => AuditAction::Unlocked,
            AccountAction::SendReset => AuditAction::ResetSent,
            AccountAction::ChangeEmail { .. } => AuditAction::EmailChanged,
            AccountAction::RemovePasskey { .. } => AuditAction::AccountPasskeyRemoved,
            AccountAction::ReportCardLost => AuditAction::CardReportedLost,
            AccountAction::ReissueCard => AuditAction::CardReplaced,
        }
    }
}

/// What an action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionOutcome {
    Done,
    /// The reason is missing: every action needs one.
    NeedsReason,
    /// The new address is not an email address.
    InvalidEmail,
    /// This staff member may not do this.
    NotAllowed,
    /// The passkey is not (or no longer) the account's.
    NoSuchPasskey,
    /// The account has no card in use (or is no technician).
    NoCard,
}

/// Acts on an account for a person who asked the helpdesk.
pub async fn act_on_account(
    app: &App,
    staff: &Staff,
    a: &Account,
    action: AccountAction,
    reason: &str,
) -> AppResult<ActionOutcome> {
    let reason = clean_reason(reason);
    if reason.is_empty() {
        return Ok(ActionOutcome::NeedsReason);
    }
    let now = app.clock().now();
    let client = as_client(staff);
    let audited = action.audit_action();
    let lang = crate::i18n::mail_language(app, a.id).await?;
    let mut tx = app.store().begin().await?;
    let detail = match action {
        AccountAction::SendId => {
            tx.outbox()
                .enqueue_mail(
                    &crate::recovery::mails::id_reminder(
                        app,
                        lang,
                        &a.email,
                        std::slice::from_ref(a),
                    ),
                    now,
                )
                .await?;
            tx.history()
                .record_event(&a.login_id, AccessEventKind::HelpdeskIdSent, &client, now)
                .await?;
            AuditDetail::SentTo {
                email: a.email.clone(),
            }
        }
        AccountAction::Unlock => {
            let lifted =
                unlock::lift(&mut tx, &a.login_id, UnlockBy::Helpdesk, &client, now).await?;
            AuditDetail::Unlocked {
                id_was_locked: lifted.id_was_locked,
                browsers_locked: lifted.devices_were_locked,
            }
        }
        AccountAction::SendReset => {
            crate::recovery::send_reset_link(
                app,
                &mut tx,
                a,
                crate::recovery::ResetBy::Helpdesk,
                &client,
                lang,
            )
            .await?;
            AuditDetail::SentTo {
                email: a.email.clone(),
            }
        }
        AccountAction::ChangeEmail { new_email } => {
            if staff.role != StaffRole::Supervisor {
                return Ok(ActionOutcome::NotAllowed);
            }
            let new_email = new_email.trim().to_owned();
            if !valid_email(&new_email) {
                return Ok(ActionOutcome::InvalidEmail);
            }
            tx.accounts().set_email(a.id, &new_email, now).await?;
            // Links already sent to the old address stop working.
            crate::links::void_account_links(&mut tx, a.id.get(), now).await?;
            tx.history()
                .record_event(
                    &a.login_id,
                    AccessEventKind::HelpdeskEmailChanged,
                    &client,
                    now,
                )
                .await?;
            // The address is how the owner gets back in; whoever added a passkey while the
            // account was not in its owner's hands must not keep a way in of their own.
            let removed = crate::auth::passkeys::remove_all(&mut tx, a, &client, now).await?;
            // Both addresses are told: the old one in case this was not the owner's wish.
            tx.outbox()
                .enqueue_mail(
                    &crate::account::mails::email_changed(app, lang, a, &a.email, &client, now),
                    now,
                )
                .await?;
            tx.outbox()
                .enqueue_mail(
                    &crate::account::mails::email_changed(app, lang, a, &new_email, &client, now),
                    now,
                )
                .await?;
            AuditDetail::EmailChanged {
                old: a.email.clone(),
                new: new_email,
                passkeys_removed: removed,
            }
        }
        AccountAction::RemovePasskey { id } => {
            let owner = ccus_storage::PasskeyOwner::Account(a.id.get());
            let Some(p) = app
                .store()
                .passkeys()
                .passkeys_of(owner)
                .await?
                .into_iter()
                .find(|p| p.id == id)
            else {
                return Ok(ActionOutcome::NoSuchPasskey);
            };
            if !tx.passkeys().remove_passkey(owner, id).await? {
                return Ok(ActionOutcome::NoSuchPasskey);
            }
            tx.history()
                .record_event(
                    &a.login_id,
                    AccessEventKind::HelpdeskPasskeyRemoved,
                    &client,
                    now,
                )
                .await?;
            tx.outbox()
                .enqueue_mail(
                    &crate::auth::mails::passkey_changed(
                        app, lang, a, &p.name, false, &client, now,
                    ),
                    now,
                )
                .await?;
            AuditDetail::Passkey { name: p.name }
        }
        AccountAction::ReportCardLost | AccountAction::ReissueCard => {
            if a.kind() != AccountKind::Technician {
                return Ok(ActionOutcome::NoCard);
            }
            let (number, kind) = if matches!(action, AccountAction::ReportCardLost) {
                let Some(n) =
                    crate::records::cards::stop_lost(&mut tx, a.id, "helpdesk", now).await?
                else {
                    return Ok(ActionOutcome::NoCard);
                };
                (n, AccessEventKind::CardReportedLost)
            } else {
                let n = crate::records::cards::replace(&mut tx, a.id, "helpdesk", now).await?;
                (n, AccessEventKind::CardReplaced)
            };
            tx.history()
                .record_event(&a.login_id, kind, &client, now)
                .await?;
            AuditDetail::Card {
                login_id: a.login_id.as_str().to_owned(),
                number,
            }
        }
    };
    let event = AuditEvent::new(audited, detail).on(a.id).because(&reason);
    audit::record(&mut tx, &Actor::Staff { pk: staff.id }, event, now).await?;
    tx.commit().await?;
    app.wake_mail();
    tracing::info!(staff = %staff.staff_id, account = %a.id, action = audited.code(), "helpdesk action");
    Ok(ActionOutcome::Done)
}

/// An action on an inquiry.
#[derive(Debug, Clone)]
pub enum InquiryAction {
    /// A new status; the staff member becomes the assignee.
    SetStatus(InquiryStatus),
    /// An internal note (never sent).
    Note(String),
    /// An answer, mailed to the inquirer.
    Reply(String),
}

/// A note or reply as stored: trimmed, control characters but line breaks removed.
pub fn clean_body(raw: &str) -> String {
    raw.trim()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(8000)
        .collect()
}

/// Acts on an inquiry. An empty note or reply does nothing (and says so by returning false).
pub async fn act_on_inquiry(
    app: &App,
    staff: &Staff,
    q: &Inquiry,
    action: InquiryAction,
) -> AppResult<bool> {
    let now = app.clock().now();
    let actor = Actor::Staff { pk: staff.id };
    let receipt = q.receipt.clone();
    let reply_lang = match &action {
        InquiryAction::Reply(_) => crate::inquiries::mails::inquiry_language(app, q.id).await?,
        _ => crate::i18n::Lang::Ja,
    };
    let mut tx = app.store().begin().await?;
    match action {
        InquiryAction::SetStatus(status) => {
            tx.inquiries()
                .set_inquiry_status(q.id, status, Some(staff.id.get()), now)
                .await?;
            let detail = AuditDetail::InquiryStatus {
                receipt,
                status: status.as_str().to_owned(),
            };
            let event = AuditEvent::new(AuditAction::InquiryStatusChanged, detail);
            audit::record(&mut tx, &actor, event, now).await?;
        }
        InquiryAction::Note(body) | InquiryAction::Reply(body) if clean_body(&body).is_empty() => {
            return Ok(false);
        }
        InquiryAction::Note(body) => {
            tx.inquiries()
                .add_inquiry_note(q.id, staff.id, "note", &clean_body(&body), now)
                .await?;
            let detail = AuditDetail::Inquiry { receipt };
            let event = AuditEvent::new(AuditAction::InquiryNoteAdded, detail);
            audit::record(&mut tx, &actor, event, now).await?;
        }
        InquiryAction::Reply(body) => {
            let body = clean_body(&body);
            tx.inquiries()
                .add_inquiry_note(q.id, staff.id, "reply", &body, now)
                .await?;
            tx.outbox()
                .enqueue_mail(
                    &crate::inquiries::mails::inquiry_reply(
                        reply_lang, &q.email, &q.receipt, &body,
                    ),
                    now,
                )
                .await?;
            if q.status == InquiryStatus::New || q.status == InquiryStatus::InProgress {
                tx.inquiries()
                    .set_inquiry_status(q.id, InquiryStatus::Waiting, Some(staff.id.get()), now)
                    .await?;
            }
            let detail = AuditDetail::InquiryReply {
                receipt,
                email: q.email.clone(),
            };
            let event = AuditEvent::new(AuditAction::InquiryReplied, detail);
            audit::record(&mut tx, &actor, event, now).await?;
        }
    }
    tx.commit().await?;
    app.wake_mail();
    Ok(true)
}

/// Records that a staff member downloads an attachment (before the bytes are sent).
pub async fn record_download(app: &App, staff: &Staff, f: &InquiryFile) -> AppResult<()> {
    let mut tx = app.store().begin().await?;
    let detail = AuditDetail::InquiryFile {
        file: f.id,
        name: f.original_name.clone(),
    };
    audit::record(
        &mut tx,
        &Actor::Staff { pk: staff.id },
        AuditEvent::new(AuditAction::AttachmentDownloaded, detail),
        app.clock().now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
