//! 登録審査: what screeners see and decide.
//!
//! - Only an application that was sent (申請) is a screener's to see; a draft, even one
//!   withdrawn before it was ever sent, is its applicant's alone.
//! - Every decision needs its reason and is audited: approve (the fee is asked for), return
//!   with 不備 per item, refuse (却下, the reason is what the applicant is told); the fee is
//!   recorded with the transfer's reference.
//! - 登録完了 issues the ID. It is refused, in the same transaction as the new account, when
//!   exactly the same person ([`PersonIdentity`]) is registered already; on PostgreSQL two
//!   screeners issuing at once are put one after the other by a lock on the person.
//! - The card's secrets exist only in the answer to that click. If the answer is lost, the
//!   screener makes the card again while the holder has not logged in: a new initial password
//!   and 本人確認番号, the old ones void, in the account's history, the audit log and a mail.
//! - A returned application not sent again is deleted `registration.returned_retention`
//!   after it was returned; its applicant is warned `registration.returned_warning` before.

use std::sync::{Arc, Mutex};

use ccus_domain::profile::{format_date, parse_birth_date};
use ccus_domain::registration::{
    field_problem, person_key, ApplicationKind, DefectCode, Field, PersonIdentity, Status,
};
use ccus_domain::{AccessEventKind, AccountKind, Password, SecurityCode, Timestamp};
use ccus_storage::{Account, Application, Staff, StaffRole};

use super::{fee_of, field_problem_msg, load, today, ApplicationView};
use crate::accounts::{self, AccountRequest, CreatedAccount, ProfileRequest};
use crate::helpdesk::clean_reason;
use crate::i18n::{Lang, Msg};
use crate::{mails, App, AppError, AppResult};

/// Whether a staff member screens applications.
pub fn may_screen(staff: &Staff) -> bool {
    matches!(staff.role, StaffRole::Screener | StaffRole::Supervisor)
}

/// Whether screeners may see an application at all: once it was sent.
fn screenable(a: &Application) -> bool {
    a.submitted_at.is_some()
}

async fn screenable_application(app: &App, id: i64) -> AppResult<Option<Application>> {
    Ok(app.store().application(id).await?.filter(screenable))
}

/// Whether application `id` is there for screeners (it exists and was sent); anything else
/// reads as not found, on every page and action of the console.
pub async fn may_see(app: &App, staff: &Staff, id: i64) -> AppResult<bool> {
    if !may_screen(staff) {
        return Err(AppError::Forbidden);
    }
    Ok(screenable_application(app, id).await?.is_some())
}

/// Who a technician's application is about, when its 氏名, フリガナ and 生年月日 tell it.
fn identity_of(view: &ApplicationView) -> Option<PersonIdentity> {
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
    match app.store().applicant(view.application.applicant_id).await? {
        Some(applicant) => mails::application_language(app, &applicant, view.application.id).await,
        None => Ok(Lang::default()),
    }
}

/// A registered technician who is exactly the person of an application.
#[derive(Debug, Clone)]
pub struct SamePerson {
    pub account: Account,
    /// The application that issued it, if it came from one.
    pub application: Option<i64>,
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
        for a in app.store().applications_in(status, 200).await? {
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
    pub registered_lookalikes: Vec<Account>,
    pub other_applications: Vec<Application>,
    /// Registered technicians who are exactly this person: it can be neither approved nor
    /// issued.
    pub same_person_registered: Vec<SamePerson>,
    /// Other applications under way for exactly this person: only one of them can be issued.
    pub same_person_applications: Vec<i64>,
    /// For an issued application: the account it made.
    pub issued_account: Option<Account>,
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
async fn registered_same_person(
    app: &App,
    view: &ApplicationView,
    except: Option<i64>,
) -> AppResult<Vec<SamePerson>> {
    let Some(who) = identity_of(view) else {
        return Ok(Vec::new());
    };
    Ok(app
        .store()
        .technicians_same_as(&who, except)
        .await?
        .into_iter()
        .map(|(account, application)| SamePerson {
            account,
            application,
        })
        .collect())
}

pub async fn screening_view(app: &App, staff: &Staff, id: i64) -> AppResult<Option<ScreeningView>> {
    if !may_screen(staff) {
        return Err(AppError::Forbidden);
    }
    let Some(a) = screenable_application(app, id).await? else {
        return Ok(None);
    };
    let view = load(app, a).await?;
    let applicant_email = app
        .store()
        .applicant(view.application.applicant_id)
        .await?
        .map(|p| p.email)
        .unwrap_or_default();
    let language = reader_language(app, &view).await?;
    let own_account = view.application.account_id;
    let same_person_registered = registered_same_person(app, &view, own_account).await?;
    let registered_lookalikes = if view.kind() == ApplicationKind::Technician {
        app.store()
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
            .collect()
    } else {
        Vec::new()
    };
    let other_applications = if view.application.person_key.is_empty() {
        Vec::new()
    } else {
        app.store()
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
            let fields = app.store().application_fields(o.id).await?;
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
        Some(account) if view.application.status == Status::Issued => {
            app.store().account_by_id(account).await?
        }
        _ => None,
    };
    let deleted_after = returned_deleted_after(app, &view.application);
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
    id: i64,
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
    let Some(applicant) = app.store().applicant(a.applicant_id).await? else {
        return Ok(DecideOutcome::Stale);
    };
    if !problems.is_empty() {
        return Ok(DecideOutcome::Invalid(problems));
    }
    let now = app.clock().now();
    let lang = mails::application_language(app, &applicant, id).await?;
    if matches!(decision, Decision::Approve) {
        let view = load(app, a.clone()).await?;
        if let Some(s) = registered_same_person(app, &view, None)
            .await?
            .into_iter()
            .next()
        {
            return Ok(DecideOutcome::AlreadyRegistered {
                login_id: s.account.login_id.grouped(),
                application: s.application,
            });
        }
    }
    let mut tx = app.store().begin().await?;
    match decision {
        Decision::Approve => {
            if !tx
                .move_application(id, Status::Submitted, Status::Approved, now)
                .await?
            {
                return Ok(DecideOutcome::Stale);
            }
            tx.enqueue_mail(
                &mails::application_approved(app, lang, &applicant.email, id, a.fee_yen),
                now,
            )
            .await?;
            tx.audit(
                staff.id,
                "registration-approve",
                None,
                &reason,
                &format!("申請番号 {id}"),
                now,
            )
            .await?;
        }
        Decision::Return(defects) => {
            if !tx
                .move_application(id, Status::Submitted, Status::Returned, now)
                .await?
            {
                return Ok(DecideOutcome::Stale);
            }
            for (f, code, comment) in &defects {
                tx.add_defect(id, f.key(), *code, comment.trim(), now)
                    .await?;
            }
            let deleted_after = now.plus(app.config().registration.returned_retention);
            tx.enqueue_mail(
                &mails::application_returned(
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
            let detail = defects
                .iter()
                .map(|(f, c, _)| format!("{}: {}", f.label_ja(), c.label_ja()))
                .collect::<Vec<_>>()
                .join("、");
            tx.audit(
                staff.id,
                "registration-return",
                None,
                &reason,
                &format!("申請番号 {id}（{detail}）"),
                now,
            )
            .await?;
        }
        Decision::Reject => {
            if !tx.reject_application(id, &reason, now).await? {
                return Ok(DecideOutcome::Stale);
            }
            tx.enqueue_mail(
                &mails::application_rejected(app, lang, &applicant.email, id, &reason),
                now,
            )
            .await?;
            tx.audit(
                staff.id,
                "registration-reject",
                None,
                &reason,
                &format!("申請番号 {id}"),
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
    id: i64,
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
    let old = view.value(field);
    let mut tx = app.store().begin().await?;
    tx.set_application_fields(id, &[(field.key(), value.clone())], now)
        .await?;
    let key = match view.kind() {
        ApplicationKind::Technician => person_key(&all(Field::Furigana), &all(Field::BirthDate)),
        ApplicationKind::Business => String::new(),
    };
    tx.set_application_terms(id, &key, fee_of(view.kind(), &all).unwrap_or(0))
        .await?;
    tx.audit(
        staff.id,
        "registration-correct",
        None,
        &reason,
        &format!("申請番号 {id}: {} 「{old}」→「{value}」", field.label_ja()),
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
    id: i64,
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
    if !tx.record_payment(id, &reference, now).await? {
        return Ok(PaymentOutcome::Stale);
    }
    tx.audit(
        staff.id,
        "registration-paid",
        None,
        &reference,
        &format!("申請番号 {id}（振込 {reference}）"),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(PaymentOutcome::Recorded)
}

#[derive(Debug)]
pub enum IssueOutcome {
    /// The ID, with the card's secrets (shown this once).
    Issued(Box<CreatedAccount>),
    /// Issued already (by an earlier click whose answer may have been lost, or by another
    /// screener): the card can be made again.
    AlreadyIssued,
    /// Exactly this person is registered already; nothing was created.
    AlreadyRegistered {
        login_id: String,
        application: Option<i64>,
    },
    /// Not approved and paid.
    NotReady,
}

/// 登録完了: issues the ID of an approved, paid application, with an initial password and a
/// 本人確認番号 (returned once, for the card notice). The account, the application's link to
/// it, the 登録完了 mail and the audit entry are written together — after checking, in the
/// same transaction and under a lock on the person, that the same person is not registered.
pub async fn issue(app: &App, staff: &Staff, id: i64) -> AppResult<IssueOutcome> {
    if !may_screen(staff) {
        return Err(AppError::Forbidden);
    }
    let Some(a) = screenable_application(app, id).await? else {
        return Ok(IssueOutcome::NotReady);
    };
    if a.status == Status::Issued {
        return Ok(IssueOutcome::AlreadyIssued);
    }
    if a.status != Status::Approved || a.paid_at.is_none() {
        return Ok(IssueOutcome::NotReady);
    }
    let view = load(app, a).await?;
    let Some(applicant) = app.store().applicant(view.application.applicant_id).await? else {
        return Ok(IssueOutcome::NotReady);
    };
    let who = identity_of(&view);
    // Said at once when it is plain already; the transaction below decides.
    if let Some(s) = registered_same_person(app, &view, None)
        .await?
        .into_iter()
        .next()
    {
        return Ok(IssueOutcome::AlreadyRegistered {
            login_id: s.account.login_id.grouped(),
            application: s.application,
        });
    }
    let kind = view.kind();
    let profile = match kind {
        ApplicationKind::Technician => ProfileRequest {
            furigana: view.value(Field::Furigana),
            birth_date: Some(view.value(Field::BirthDate)),
            employer: Some(view.value(Field::Employer)).filter(|e| !e.is_empty()),
        },
        ApplicationKind::Business => ProfileRequest {
            furigana: view.value(Field::CompanyFurigana),
            birth_date: None,
            employer: None,
        },
    };
    // The person's own address: for a 代行申請 the worker's, so the login is theirs alone.
    let email = match kind {
        ApplicationKind::Technician => view.person_email(&applicant.email),
        ApplicationKind::Business => applicant.email.clone(),
    };
    let proxy_mail_to = view.business.as_ref().map(|_| applicant.email.clone());
    let worker = view.display_name();
    let req = AccountRequest {
        kind: kind.account_kind(),
        name: view.display_name(),
        email,
        password: None,
        security_code: None,
        must_change_password: true,
        profile,
    };
    // The 登録完了 mail is in the language the person applied in. For a 代行申請 the business's
    // mail is in the business's language, and the worker's in the language the application was
    // sent in, as the consent request was (the clerk chose it for their worker).
    let lang = mails::application_language(app, &applicant, id).await?;
    let own_lang = if proxy_mail_to.is_some() {
        recorded_language(app, id).await?
    } else {
        lang
    };
    let prepared = accounts::prepare(app, req)
        .await
        .map_err(|e| AppError::Internal(format!("issuing application {id}: {e}")))?
        .mail_in(own_lang);
    let staff_id = staff.id;
    let now = app.clock().now();
    // What the transaction found registered already, if it gave up for that.
    let found: Arc<Mutex<Option<SamePerson>>> = Arc::default();
    let created = accounts::insert_prepared(app, prepared, |tx, account| {
        let account_id = account.id;
        let login_id = format!(
            "{}ID {}",
            account.kind().label_ja(),
            account.login_id.grouped()
        );
        let proxy_mail = proxy_mail_to
            .as_ref()
            .map(|to| mails::proxy_issued(app, lang, to, id, &worker, &account.login_id.grouped()));
        let who = who.clone();
        let found = found.clone();
        Box::pin(async move {
            if let Some(who) = &who {
                // On SQLite the transaction holds the write lock from its start.
                tx.lock_person(&who.person_key()).await?;
                let same = tx.technicians_same_as(who, Some(account_id)).await?;
                if let Some((account, application)) = same.into_iter().next() {
                    if let Ok(mut f) = found.lock() {
                        *f = Some(SamePerson {
                            account,
                            application,
                        });
                    }
                    return Ok(false);
                }
            }
            if !tx.mark_issued(id, account_id, now).await? {
                return Ok(false);
            }
            if let Some(mail) = &proxy_mail {
                tx.enqueue_mail(mail, now).await?;
            }
            tx.audit(
                staff_id,
                "registration-issue",
                Some(account_id),
                "",
                &format!("申請番号 {id} → {login_id}"),
                now,
            )
            .await?;
            Ok(true)
        })
    })
    .await
    .map_err(accounts::CreateError::into_app)?;
    if let Some(c) = created {
        tracing::info!(
            application = id,
            account = c.account.id,
            "registration issued"
        );
        return Ok(IssueOutcome::Issued(Box::new(c)));
    }
    let found = found.lock().ok().and_then(|mut f| f.take());
    match found {
        // The same application, issued by another click a moment before.
        Some(s) if s.application != Some(id) => {
            tracing::warn!(
                application = id,
                registered = s.account.id,
                "not issued: the same person is registered"
            );
            Ok(IssueOutcome::AlreadyRegistered {
                login_id: s.account.login_id.grouped(),
                application: s.application,
            })
        }
        _ => match app.store().application(id).await? {
            Some(a) if a.status == Status::Issued => Ok(IssueOutcome::AlreadyIssued),
            _ => Ok(IssueOutcome::NotReady),
        },
    }
}

/// The language an application was last sent in (Japanese when none was recorded).
async fn recorded_language(app: &App, id: i64) -> AppResult<Lang> {
    Ok(app
        .store()
        .application_language(id)
        .await?
        .and_then(|c| Lang::parse(&c))
        .unwrap_or_default())
}

#[derive(Debug)]
pub enum ReissueOutcome {
    /// The new card's secrets (shown this once); the old ones no longer work.
    Reissued(Box<CreatedAccount>),
    /// A new card is a staff action on an account: it needs its reason.
    NeedsReason,
    /// The application has not issued an ID.
    NotIssued,
    /// The holder has logged in and chosen their own password: the card's secrets are of no
    /// use any more, and a new card would not change theirs.
    FirstLoginDone,
}

/// Makes the card of an issued application again, for a card that was lost before it reached
/// its holder (the answer to the issue click never arrived, the print failed, the mail went
/// astray): a new initial password and 本人確認番号 replace the old ones in one transaction,
/// with the account's sessions ended, its アクセス履歴, the audit log and a mail to the
/// registered address. Refused once the holder has replaced the initial password.
pub async fn reissue_card(
    app: &App,
    staff: &Staff,
    id: i64,
    reason: &str,
) -> AppResult<ReissueOutcome> {
    if !may_screen(staff) {
        return Err(AppError::Forbidden);
    }
    let reason = clean_reason(reason);
    let Some(a) = screenable_application(app, id).await? else {
        return Ok(ReissueOutcome::NotIssued);
    };
    let account = match a.account_id {
        Some(account) if a.status == Status::Issued => app.store().account_by_id(account).await?,
        _ => None,
    };
    let Some(account) = account else {
        return Ok(ReissueOutcome::NotIssued);
    };
    if !account.must_change_password {
        return Ok(ReissueOutcome::FirstLoginDone);
    }
    if reason.is_empty() {
        return Ok(ReissueOutcome::NeedsReason);
    }
    let password = Password::generate_initial(&mut rand::thread_rng());
    let code = SecurityCode::generate(&mut rand::thread_rng());
    let password_hash = app.hasher().hash(password.clone()).await?;
    let code_as_password = Password::parse(code.expose())
        .map_err(|e| AppError::Internal(format!("a generated security code: {e}")))?;
    let code_hash = app.hasher().hash(code_as_password).await?;
    let lang = match app.store().account_language(account.id).await? {
        Some(l) => Lang::parse(&l).unwrap_or_default(),
        None => recorded_language(app, id).await?,
    };
    let client = crate::helpdesk::as_client(staff);
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    if !tx
        .replace_initial_secrets(account.id, &password_hash, &code_hash, now)
        .await?
    {
        return Ok(ReissueOutcome::FirstLoginDone);
    }
    tx.delete_sessions_of(account.id, None).await?;
    tx.record_event(
        &account.login_id,
        AccessEventKind::HelpdeskCardReissued,
        &client,
        now,
    )
    .await?;
    tx.enqueue_mail(&mails::card_reissued(app, lang, &account), now)
        .await?;
    tx.audit(
        staff.id,
        "registration-reissue",
        Some(account.id),
        &reason,
        &format!(
            "申請番号 {id} → {}ID {}: 初期パスワードと本人確認番号を新しくした（以前のものは無効）",
            account.kind().label_ja(),
            account.login_id.grouped()
        ),
        now,
    )
    .await?;
    tx.commit().await?;
    app.wake_mail();
    tracing::info!(
        application = id,
        account = account.id,
        "registration card made again"
    );
    Ok(ReissueOutcome::Reissued(Box::new(CreatedAccount {
        account,
        initial_password: Some(password),
        security_code: Some(code),
    })))
}

/// The card notice of an issued registration: its dates and the printable PDF.
#[derive(Debug, Clone)]
pub struct CardNotice {
    /// YYYY-MM-DD, in Japan.
    pub issued: String,
    pub expires: String,
    pub pdf: Vec<u8>,
}

/// Makes the card notice (登録のお知らせ) of an account issued from application `id`: ID,
/// name, face photo, initial password, the 本人確認番号 under a seal, the date of registration
/// and the expiry (10 years for a technician, 5 for a business; a card made again keeps them).
/// The secrets exist only in the result.
pub async fn card_notice(
    app: &App,
    staff: &Staff,
    id: i64,
    created: &CreatedAccount,
) -> AppResult<CardNotice> {
    if !may_screen(staff) {
        return Err(AppError::Forbidden);
    }
    let photo = match app
        .store()
        .application_documents(id)
        .await?
        .into_iter()
        .find(|d| d.kind == "photo")
    {
        Some(d) => crate::attachments::read_stored(app, &d.stored_name).await?,
        None => None,
    };
    let account = &created.account;
    let kind = account.kind();
    let years: i32 = match kind {
        AccountKind::Technician => 10,
        AccountKind::Business => 5,
    };
    let issued = today(account.created_at);
    let expires = issued
        .replace_year(issued.year() + years)
        .or_else(|_| (issued + time::Duration::days(1)).replace_year(issued.year() + years))
        .map(|d| d - time::Duration::days(1))
        .unwrap_or(issued);
    let (issued, expires) = (format_date(issued), format_date(expires));
    let password = created
        .initial_password
        .as_ref()
        .map(|p| p.expose().to_owned())
        .unwrap_or_default();
    let code = created
        .security_code
        .as_ref()
        .map(|c| c.expose().to_owned())
        .unwrap_or_default();
    let pdf = ccus_domain::card_pdf::render(&ccus_domain::card_pdf::CardNotice {
        kind_label: kind.label_ja(),
        name: &account.name,
        furigana: &account.profile.furigana,
        login_id: &account.login_id.grouped(),
        initial_password: &password,
        security_code: &code,
        issued: &issued,
        expires: &expires,
        photo: photo.as_deref(),
    });
    Ok(CardNotice {
        issued,
        expires,
        pdf,
    })
}

// ---- returned applications ------------------------------------------------------------------

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
    for a in app.store().returned_to_warn(due_from, 200).await? {
        let Some(returned_at) = a.decided_at else {
            continue;
        };
        let Some(applicant) = app.store().applicant(a.applicant_id).await? else {
            continue;
        };
        let lang = mails::application_language(app, &applicant, a.id).await?;
        // Never sooner than the warning period from now, however late the warning is.
        let deleted_after = returned_at
            .plus(cfg.returned_retention)
            .max(now.plus(cfg.returned_warning));
        let mut tx = app.store().begin().await?;
        if !tx.claim_retention_warning(a.id, returned_at, now).await? {
            continue;
        }
        tx.enqueue_mail(
            &mails::returned_expiring(app, lang, &applicant.email, a.id, deleted_after),
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
