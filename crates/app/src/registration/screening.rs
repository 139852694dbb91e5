//! 登録審査: what screeners see and decide.
//!
//! - Only an application that was sent (申請) is a screener's to see; a draft, even one
//!   withdrawn before it was ever sent, is its applicant's alone.
//! - Every decision needs its reason and is audited: approve (the fee is asked for), return
//!   with 不備 per item, refuse (却下, the reason is what the applicant is told), correct an
//!   item on a document's evidence; the fee is recorded with the transfer's reference.
//! - The screener sees the language the applicant reads, and who else looks like — or is
//!   exactly ([`PersonIdentity`]) — the same person. Exactly the same person registered
//!   already stops approval here and 登録完了 in [`super::issuing`].

use ccus_domain::profile::{format_date, parse_birth_date};
use ccus_domain::registration::{
    field_problem, person_key, ApplicationKind, DefectCode, Field, PersonIdentity, Status,
};
use ccus_domain::{AccountId, ApplicationId, Timestamp};
use ccus_storage::{Application, Staff, StaffRole};

use super::{fee_of, field_problem_msg, load, today, ApplicationView};
use crate::account::AccountSummary;
use crate::actor::clean_reason;
use crate::audit::{self, Actor, AuditAction, AuditDetail, AuditEvent, DefectRef};
use crate::i18n::{Lang, Msg};
use crate::{App, AppError, AppResult};

/// Whether a staff member screens applications.
pub fn may_screen(staff: &Staff) -> bool {
    matches!(staff.role, StaffRole::Screener | StaffRole::Supervisor)
}

/// Whether screeners may see an application at all: once it was sent.
fn screenable(a: &Application) -> bool {
    a.submitted_at.is_some()
}

pub(super) async fn screenable_application(
    app: &App,
    id: ApplicationId,
) -> AppResult<Option<Application>> {
    Ok(app
        .store()
        .registrations()
        .application(id)
        .await?
        .filter(screenable))
}

/// Whether application `id` is there for screeners (it exists and was sent); anything else
/// reads as not found, on every page and action of the console.
pub async fn may_see(app: &App, staff: &Staff, id: ApplicationId) -> AppResult<bool> {
    if !may_screen(staff) {
        return Err(AppError::Forbidden);
    }
    Ok(screenable_application(app, id).await?.is_some())
}

/// Who a technician's application is about, when its 氏名, フリガナ and 生年月日 tell it.
pub(super) fn identity_of(view: &ApplicationView) -> Option<PersonIdentity> {
    match view.kind() {
        ApplicationKind::Technician => PersonIdentity::of(
            &view.value(Field::Name),
            &view.value(Field::Furigana),
            &view.value(Field::BirthDate),
        ),
        ApplicationKind::Business => None,
    }
}

/// The language the applicant reads the screening's mails in: the 不備 codes reach them in it,
/// the screener's comment as written.
async fn reader_language(app: &App, view: &ApplicationView) -> AppResult<Lang> {
    match app
        .store()
        .registrations()
        .applicant(view.application.applicant_id)
        .await?
    {
        Some(applicant) => {
            crate::registration::mails::application_language(app, &applicant, view.application.id)
                .await
        }
        None => Ok(Lang::default()),
    }
}

/// A registered technician who is exactly the person of an application.
#[derive(Debug, Clone)]
pub struct SamePerson {
    pub account: AccountSummary,
    /// The application that issued it, if it came from one.
    pub application: Option<ApplicationId>,
}

/// An application in the screeners' queue.
#[derive(Debug, Clone)]
pub struct QueueEntry {
    pub view: ApplicationView,
    /// The language its applicant reads.
    pub language: Lang,
}

pub async fn screening_queue(app: &App, staff: &Staff) -> AppResult<Vec<QueueEntry>> {
    if !may_screen(staff) {
        return Err(AppError::Forbidden);
    }
    let mut out = Vec::new();
    for status in [Status::Submitted, Status::Approved] {
        for a in app
            .store()
            .registrations()
            .applications_in(status, 200)
            .await?
        {
            if !screenable(&a) {
                continue;
            }
            let view = load(app, a).await?;
            let language = reader_language(app, &view).await?;
            out.push(QueueEntry { view, language });
        }
    }
    Ok(out)
}

/// An application as a screener sees it: with the registered people and other applications
/// that look like the same person.
#[derive(Debug, Clone)]
pub struct ScreeningView {
    pub view: ApplicationView,
    pub applicant_email: String,
    /// The language its applicant reads the 不備 and the mails in.
    pub language: Lang,
    /// Registered people with the same フリガナ and 生年月日 but another 氏名 (maybe the same
    /// person: the screener checks the documents).
    pub registered_lookalikes: Vec<AccountSummary>,
    pub other_applications: Vec<Application>,
    /// Registered technicians who are exactly this person: it can be neither approved nor
    /// issued.
    pub same_person_registered: Vec<SamePerson>,
    /// Other applications under way for exactly this person: only one of them can be issued.
    pub same_person_applications: Vec<ApplicationId>,
    /// For an issued application: the account it made.
    pub issued_account: Option<AccountSummary>,
    /// For a returned application: when it is deleted unless sent again.
    pub deleted_after: Option<Timestamp>,
}

impl ScreeningView {
    /// Whether the card of an issued application can be made again: its holder has not yet
    /// replaced the initial password.
    pub fn card_reissuable(&self) -> bool {
        self.issued_account
            .as_ref()
            .is_some_and(|a| a.must_change_password)
    }
}

/// Registered technicians who are exactly the person of `view`, other than `except`.
pub(super) async fn registered_same_person(
    app: &App,
    view: &ApplicationView,
    except: Option<i64>,
) -> AppResult<Vec<SamePerson>> {
    let Some(who) = identity_of(view) else {
        return Ok(Vec::new());
    };
    Ok(app
        .store()
        .registrations()
        .technicians_same_as(&who, except)
        .await?
        .into_iter()
        .map(|(account, application)| SamePerson {
            account: account.into(),
            application,
        })
        .collect())
}

pub async fn screening_view(
    app: &App,
    staff: &Staff,
    id: ApplicationId,
) -> AppResult<Option<ScreeningView>> {
    if !may_screen(staff) {
        return Err(AppError::Forbidden);
    }
    let Some(a) = screenable_application(app, id).await? else {
        return Ok(None);
    };
    let view = load(app, a).await?;
    let applicant_email = app
        .store()
        .registrations()
        .applicant(view.application.applicant_id)
        .await?
        .map(|p| p.email)
        .unwrap_or_default();
    let language = reader_language(app, &view).await?;
    let own_account = view.application.account_id;
    let same_person_registered =
        registered_same_person(app, &view, own_account.map(AccountId::get)).await?;
    let registered_lookalikes = if view.kind() == ApplicationKind::Technician {
        app.store()
            .registrations()
            .accounts_of_person(
                &ccus_domain::profile::search_key(&view.value(Field::Furigana)),
                &view.value(Field::BirthDate),
            )
            .await?
            .into_iter()
            .filter(|a| {
                Some(a.id) != own_account
                    && !same_person_registered.iter().any(|s| s.account.id == a.id)
            })
            .map(AccountSummary::from)
            .collect()
    } else {
        Vec::new()
    };
    let other_applications = if view.application.person_key.is_empty() {
        Vec::new()
    } else {
        app.store()
            .registrations()
            .applications_of_person(&view.application.person_key, id)
            .await?
    };
    let mut same_person_applications = Vec::new();
    if let Some(who) = identity_of(&view) {
        for o in &other_applications {
            if !matches!(
                o.status,
                Status::Submitted | Status::Returned | Status::Approved
            ) {
                continue;
            }
            let fields = app.store().registrations().application_fields(o.id).await?;
            let get = |f: Field| {
                fields
                    .iter()
                    .find(|(k, _)| k == f.key())
                    .map(|(_, v)| v.as_str())
                    .unwrap_or("")
            };
            if PersonIdentity::of(
                get(Field::Name),
                get(Field::Furigana),
                get(Field::BirthDate),
            )
            .as_ref()
                == Some(&who)
            {
                same_person_applications.push(o.id);
            }
        }
    }
    let issued_account = match own_account {
        Some(account) if view.application.status == Status::Issued => app
            .store()
            .accounts()
            .account_by_id(account)
            .await?
            .map(AccountSummary::from),
        _ => None,
    };
    let deleted_after = super::returned_deleted_after(app, &view.application);
    Ok(Some(ScreeningView {
        view,
        applicant_email,
        language,
        registered_lookalikes,
        other_applications,
        same_person_registered,
        same_person_applications,
        issued_account,
        deleted_after,
    }))
}

/// A screener's decision.
#[derive(Debug, Clone)]
pub enum Decision {
    Approve,
    /// 不備: (item, code, comment) for each item to fix.
    Return(Vec<(Field, DefectCode, String)>),
    /// 却下: refused for good; the reason is told to the applicant.
    Reject,
}

/// Something a decision lacks, to be said next to its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionProblem {
    /// Every decision is recorded with its reason.
    NeedsReason,
    /// 不備 names no item.
    NoItems,
    /// 「その他」 says nothing by itself: the applicant needs the screener's words.
    NeedsComment(Field),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecideOutcome {
    Done,
    Invalid(Vec<DecisionProblem>),
    /// Exactly this person is registered already: approving would ask for a fee for an ID
    /// that cannot be issued.
    AlreadyRegistered {
        login_id: String,
        application: Option<i64>,
    },
    /// The application is no longer where this decision applies (another screener acted).
    Stale,
}

/// Approves, returns or refuses an application. Each needs a reason (kept in the audit log; for
/// a refusal also mailed to the applicant).
pub async fn decide(
    app: &App,
    staff: &Staff,
    id: ApplicationId,
    decision: Decision,
    reason: &str,
) -> AppResult<DecideOutcome> {
    if !may_screen(staff) {
        return Err(AppError::Forbidden);
    }
    let reason = clean_reason(reason);
    let mut problems = Vec::new();
    if let Decision::Return(defects) = &decision {
        if defects.is_empty() {
            problems.push(DecisionProblem::NoItems);
        }
        problems.extend(
            defects
                .iter()
                .filter(|(_, code, comment)| {
                    *code == DefectCode::Other && comment.trim().is_empty()
                })
                .map(|(f, _, _)| DecisionProblem::NeedsComment(*f)),
        );
    }
    if reason.is_empty() {
        problems.push(DecisionProblem::NeedsReason);
    }
    let Some(a) = screenable_application(app, id).await? else {
        return Ok(DecideOutcome::Stale);
    };
    let Some(applicant) = app
        .store()
        .registrations()
        .applicant(a.applicant_id)
        .await?
    else {
        return Ok(DecideOutcome::Stale);
    };
    if !problems.is_empty() {
        return Ok(DecideOutcome::Invalid(problems));
    }
    let now = app.clock().now();
    let lang = crate::registration::mails::application_language(app, &applicant, id).await?;
    if matches!(decision, Decision::Approve) {
        let view = load(app, a.clone()).await?;
        if let Some(s) = registered_same_person(app, &view, None)
            .await?
            .into_iter()
            .next()
        {
            return Ok(DecideOutcome::AlreadyRegistered {
                login_id: s.account.login_id.grouped(),
                application: s.application.map(ApplicationId::get),
            });
        }
    }
    let mut tx = app.store().begin().await?;
    match decision {
        Decision::Approve => {
            if !tx
                .registrations()
                .move_application(id, Status::Submitted, Status::Approved, now)
                .await?
            {
                return Ok(DecideOutcome::Stale);
            }
            tx.outbox()
                .enqueue_mail(
                    &crate::registration::mails::application_approved(
                        app,
                        lang,
                        &applicant.email,
                        id,
                        a.fee_yen,
                    ),
                    now,
                )
                .await?;
            audit::record(
                &mut tx,
                &Actor::Staff { pk: staff.id },
                AuditEvent::new(
                    AuditAction::ApplicationApproved,
                    AuditDetail::Application { application: id },
                )
                .because(&reason),
                now,
            )
            .await?;
        }
        Decision::Return(defects) => {
            if !tx
                .registrations()
                .move_application(id, Status::Submitted, Status::Returned, now)
                .await?
            {
                return Ok(DecideOutcome::Stale);
            }
            for (f, code, comment) in &defects {
                tx.registrations()
                    .add_defect(id, f.key(), *code, comment.trim(), now)
                    .await?;
            }
            let deleted_after = now.plus(app.config().registration.returned_retention);
            tx.outbox()
                .enqueue_mail(
                    &crate::registration::mails::application_returned(
                        app,
                        lang,
                        &applicant.email,
                        id,
                        &defects,
                        deleted_after,
                    ),
                    now,
                )
                .await?;
            let defects = defects
                .iter()
                .map(|(f, c, _)| DefectRef {
                    field: f.key().to_owned(),
                    code: c.as_str().to_owned(),
                })
                .collect();
            audit::record(
                &mut tx,
                &Actor::Staff { pk: staff.id },
                AuditEvent::new(
                    AuditAction::ApplicationReturned,
                    AuditDetail::Returned {
                        application: id,
                        defects,
                    },
                )
                .because(&reason),
                now,
            )
            .await?;
        }
        Decision::Reject => {
            if !tx
                .registrations()
                .reject_application(id, &reason, now)
                .await?
            {
                return Ok(DecideOutcome::Stale);
            }
            tx.outbox()
                .enqueue_mail(
                    &crate::registration::mails::application_rejected(
                        app,
                        lang,
                        &applicant.email,
                        id,
                        &reason,
                    ),
                    now,
                )
                .await?;
            audit::record(
                &mut tx,
                &Actor::Staff { pk: staff.id },
                AuditEvent::new(
                    AuditAction::ApplicationRejected,
                    AuditDetail::Application { application: id },
                )
                .because(&reason),
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;
    app.wake_mail();
    Ok(DecideOutcome::Done)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorrectOutcome {
    Corrected,
    /// The new value is not valid for the item; why.
    Invalid(Msg),
    /// A correction needs a reason (the document that proves the value).
    NoReason,
    /// The application is not waiting for screening.
    NotWaiting,
}

/// A screener corrects a trivial defect themselves when a document proves the right value; the
/// old and new values and the reason are recorded.
pub async fn correct_item(
    app: &App,
    staff: &Staff,
    id: ApplicationId,
    field: Field,
    value: &str,
    reason: &str,
) -> AppResult<CorrectOutcome> {
    if !may_screen(staff) {
        return Err(AppError::Forbidden);
    }
    let reason = clean_reason(reason);
    let Some(a) = screenable_application(app, id).await? else {
        return Ok(CorrectOutcome::NotWaiting);
    };
    if a.status != Status::Submitted {
        return Ok(CorrectOutcome::NotWaiting);
    }
    let view = load(app, a).await?;
    if !view.kind().fields().contains(&field) {
        return Ok(CorrectOutcome::Invalid(Msg::new(
            "helpdesk-correct-not-an-item",
        )));
    }
    let mut merged = view.values.clone();
    let value = match field {
        Field::BirthDate => parse_birth_date(value.trim())
            .map(format_date)
            .unwrap_or_else(|| value.trim().to_owned()),
        _ => value.trim().to_owned(),
    };
    merged.insert(field, value.clone());
    let all = |f: Field| merged.get(&f).cloned().unwrap_or_default();
    let now = app.clock().now();
    if let Some(p) = field_problem(field, &value, &all, today(now), true) {
        return Ok(CorrectOutcome::Invalid(field_problem_msg(field, p)));
    }
    if reason.is_empty() {
        return Ok(CorrectOutcome::NoReason);
    }
    // The fee follows the corrected items; a correction that leaves it unknown (a company
    // without a usable 資本金) is refused rather than recorded as ¥0.
    let Some(fee) = fee_of(view.kind(), &all) else {
        return Ok(CorrectOutcome::Invalid(Msg::new(
            "helpdesk-correct-fee-unknown",
        )));
    };
    let old = view.value(field);
    let mut tx = app.store().begin().await?;
    tx.registrations()
        .set_application_fields(id.get(), &[(field.key(), value.clone())], now)
        .await?;
    let key = match view.kind() {
        ApplicationKind::Technician => person_key(&all(Field::Furigana), &all(Field::BirthDate)),
        ApplicationKind::Business => String::new(),
    };
    tx.registrations()
        .set_application_terms(id, &key, fee)
        .await?;
    audit::record(
        &mut tx,
        &Actor::Staff { pk: staff.id },
        AuditEvent::new(
            AuditAction::ApplicationCorrected,
            AuditDetail::Corrected {
                application: id,
                field: field.key().to_owned(),
                old,
                new: value,
            },
        )
        .because(&reason),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(CorrectOutcome::Corrected)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentOutcome {
    Recorded,
    /// The transfer's reference is what the payment is recorded with.
    NeedsReference,
    /// Not approved, or paid already.
    Stale,
}

/// Records the registration fee as received (the bank transfer's reference).
pub async fn record_payment(
    app: &App,
    staff: &Staff,
    id: ApplicationId,
    reference: &str,
) -> AppResult<PaymentOutcome> {
    if !may_screen(staff) {
        return Err(AppError::Forbidden);
    }
    let reference = clean_reason(reference);
    if reference.is_empty() || reference.chars().count() > 100 {
        return Ok(PaymentOutcome::NeedsReference);
    }
    if screenable_application(app, id).await?.is_none() {
        return Ok(PaymentOutcome::Stale);
    }
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    if !tx
        .registrations()
        .record_payment(id, &reference, now)
        .await?
    {
        return Ok(PaymentOutcome::Stale);
    }
    audit::record(
        &mut tx,
        &Actor::Staff { pk: staff.id },
        AuditEvent::new(
            AuditAction::FeePaid,
            AuditDetail::Payment {
                application: id,
                reference: reference.clone(),
            },
        )
        .because(&reference),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(PaymentOutcome::Recorded)
}
