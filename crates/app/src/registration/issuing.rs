//! 登録完了 and the registration card.
//!
//! - 登録完了 issues the ID. It is refused, in the same transaction as the new account, when
//!   exactly the same person ([`ccus_domain::registration::PersonIdentity`]) is registered already; two screeners issuing
//!   the same person at once are put one after the other by a lock on the person (an advisory
//!   lock on PostgreSQL; SQLite's write lock, held from the transaction's start).
//! - The card's secrets exist only in the answer to that click. If the answer is lost, the
//!   screener makes the card again while the holder has not logged in: a new initial password
//!   and 本人確認番号, the old ones void, in the account's history, the audit log and a mail.

use ccus_domain::{
    profile::format_date, AccessEventKind, AccountKind, ApplicationId, Password, SecurityCode,
};
use std::sync::{Arc, Mutex};

use ccus_domain::registration::{ApplicationKind, Field, Status};
use ccus_storage::Staff;

use super::screening::{
    identity_of, may_screen, registered_same_person, screenable_application, SamePerson,
};
use super::{load, today};
use crate::account::provisioning::{AccountRequest, CreatedAccount, ProfileRequest};
use crate::actor::clean_reason;
use crate::audit::{self, Actor, AuditAction, AuditDetail, AuditEvent};
use crate::i18n::Lang;
use crate::{App, AppError, AppResult};

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
pub async fn issue(app: &App, staff: &Staff, id: ApplicationId) -> AppResult<IssueOutcome> {
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
    let Some(applicant) = app
        .store()
        .registrations()
        .applicant(view.application.applicant_id)
        .await?
    else {
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
            application: s.application.map(ApplicationId::get),
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
    // A 一人親方 pays the lower 管理者ID利用料 from the day the ID is issued.
    let sole_proprietor =
        kind == ApplicationKind::Business && view.value(Field::SoleProprietor) == "sole";
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
    let lang = crate::registration::mails::application_language(app, &applicant, id).await?;
    let own_lang = if proxy_mail_to.is_some() {
        recorded_language(app, id).await?
    } else {
        lang
    };
    let prepared = crate::account::provisioning::prepare(app, req)
        .await
        .map_err(|e| AppError::internal(format!("issuing application {id}"), e))?
        .mail_in(own_lang);
    let staff_id = staff.id;
    let now = app.clock().now();
    // What the transaction found registered already, if it gave up for that.
    let found: Arc<Mutex<Option<SamePerson>>> = Arc::default();
    let created = crate::account::provisioning::insert_prepared(app, prepared, |tx, account| {
        let account_id = account.id;
        let issued = AuditEvent::new(
            AuditAction::RegistrationIssued,
            AuditDetail::IdIssued {
                application: id,
                id_kind: account.kind().as_str().to_owned(),
                login_id: account.login_id.as_str().to_owned(),
            },
        )
        .on(account_id);
        let proxy_mail = proxy_mail_to.as_ref().map(|to| {
            crate::registration::mails::proxy_issued(
                app,
                lang,
                to,
                id,
                &worker,
                &account.login_id.grouped(),
            )
        });
        let who = who.clone();
        let found = found.clone();
        Box::pin(async move {
            if let Some(who) = &who {
                // On SQLite the transaction holds the write lock from its start.
                tx.registrations().lock_person(&who.person_key()).await?;
                let same = tx
                    .registrations()
                    .technicians_same_as(who, Some(account_id.get()))
                    .await?;
                if let Some((account, application)) = same.into_iter().next() {
                    if let Ok(mut f) = found.lock() {
                        *f = Some(SamePerson {
                            account: account.into(),
                            application,
                        });
                    }
                    return Ok(false);
                }
            }
            if !tx.registrations().mark_issued(id, account_id, now).await? {
                return Ok(false);
            }
            if let Some(mail) = &proxy_mail {
                tx.outbox().enqueue_mail(mail, now).await?;
            }
            if sole_proprietor {
                tx.sites().set_sole_proprietor(account_id, true).await?;
            }
            audit::record(tx, &Actor::Staff { pk: staff_id }, issued, now).await?;
            Ok(true)
        })
    })
    .await
    .map_err(crate::account::provisioning::CreateError::into_app)?;
    if let Some(c) = created {
        tracing::info!(
            application = %id,
            account = %c.account.id,
            "registration issued"
        );
        return Ok(IssueOutcome::Issued(Box::new(c)));
    }
    let found = found.lock().ok().and_then(|mut f| f.take());
    match found {
        // The same application, issued by another click a moment before.
        Some(s) if s.application != Some(id) => {
            tracing::warn!(
                application = %id,
                registered = %s.account.id,
                "not issued: the same person is registered"
            );
            Ok(IssueOutcome::AlreadyRegistered {
                login_id: s.account.login_id.grouped(),
                application: s.application.map(ApplicationId::get),
            })
        }
        _ => match app.store().registrations().application(id).await? {
            Some(a) if a.status == Status::Issued => Ok(IssueOutcome::AlreadyIssued),
            _ => Ok(IssueOutcome::NotReady),
        },
    }
}

/// The language an application was last sent in (Japanese when none was recorded).
async fn recorded_language(app: &App, id: ApplicationId) -> AppResult<Lang> {
    Ok(app
        .store()
        .languages()
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
    id: ApplicationId,
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
        Some(account) if a.status == Status::Issued => {
            app.store().accounts().account_by_id(account).await?
        }
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
        .map_err(|e| AppError::internal("a generated security code", e))?;
    let code_hash = app.hasher().hash(code_as_password).await?;
    let lang = match app.store().accounts().account_language(account.id).await? {
        Some(l) => Lang::parse(&l).unwrap_or_default(),
        None => recorded_language(app, id).await?,
    };
    let client = crate::actor::as_client(staff);
    let now = app.clock().now();
    let mut tx = app.store().begin().await?;
    if !tx
        .registrations()
        .replace_initial_secrets(account.id, &password_hash, &code_hash, now)
        .await?
    {
        return Ok(ReissueOutcome::FirstLoginDone);
    }
    tx.sessions().delete_sessions_of(account.id, None).await?;
    tx.history()
        .record_event(
            &account.login_id,
            AccessEventKind::HelpdeskCardReissued,
            &client,
            now,
        )
        .await?;
    tx.outbox()
        .enqueue_mail(
            &crate::registration::mails::card_reissued(app, lang, &account),
            now,
        )
        .await?;
    audit::record(
        &mut tx,
        &Actor::Staff { pk: staff.id },
        AuditEvent::new(
            AuditAction::CardReissued,
            AuditDetail::CardReissued {
                application: id,
                id_kind: account.kind().as_str().to_owned(),
                login_id: account.login_id.as_str().to_owned(),
            },
        )
        .on(account.id)
        .because(&reason),
        now,
    )
    .await?;
    tx.commit().await?;
    app.wake_mail();
    tracing::info!(
        application = %id,
        account = %account.id,
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
    id: ApplicationId,
    created: &CreatedAccount,
) -> AppResult<CardNotice> {
    if !may_screen(staff) {
        return Err(AppError::Forbidden);
    }
    let photo = match app
        .store()
        .registrations()
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
    let pdf = ccus_documents::card_pdf::render(&ccus_documents::card_pdf::CardNotice {
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
