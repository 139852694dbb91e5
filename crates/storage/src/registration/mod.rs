//! Registration: applicants (申請用ID), their sessions, applications item by item, and the
//! screeners' 不備. The rows and how they are read are here; the reads of the pool in
//! `reads`, the writes of a transaction in `writes`.

use ccus_domain::registration::{DefectCode, PersonIdentity, Status};
use ccus_domain::{AccountId, ApplicantId, ApplicationId, DocumentId, Timestamp};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::accounts::{account_from_row, ACCOUNT_COLUMNS};
use crate::{Account, Credentials, Registrations, Result, Store, StoreError, StoreTx};

/// An application login.
#[derive(Debug, Clone)]
pub struct Applicant {
    pub id: ApplicantId,
    pub email: String,
    pub created_at: Timestamp,
    /// For 代行申請: the business (事業者ID) whose login this is; it has no password and is
    /// reached only from that business's portal.
    pub business_account_id: Option<AccountId>,
}

/// A worker's answer to a 代行申請 made for them.
#[derive(Debug, Clone)]
pub struct ApplicationConsent {
    pub application_id: ApplicationId,
    /// Where the request went (the worker's address in the application).
    pub email: String,
    pub requested_at: Timestamp,
    pub expires_at: Timestamp,
    /// `consented`, `declined`, or empty while unanswered.
    pub answer: String,
    pub answered_at: Option<Timestamp>,
}

impl ApplicationConsent {
    pub fn consented(&self) -> bool {
        self.answer == "consented"
    }
}

const CONSENT_COLUMNS: &str =
    "application_id, email, requested_at, expires_at, answer, answered_at";

fn consent_from_row(r: &AnyRow) -> Result<ApplicationConsent> {
    Ok(ApplicationConsent {
        application_id: ApplicationId::new(r.try_get("application_id")?),
        email: r.try_get("email")?,
        requested_at: Timestamp(r.try_get("requested_at")?),
        expires_at: Timestamp(r.try_get("expires_at")?),
        answer: r.try_get("answer")?,
        answered_at: r.try_get::<Option<i64>, _>("answered_at")?.map(Timestamp),
    })
}

/// An applicant's session, found by its token hash.
#[derive(Debug, Clone)]
pub struct ApplicantSession {
    pub applicant: Applicant,
    pub created_at: Timestamp,
    pub last_seen_at: Timestamp,
    /// For a business's 代行申請 login: the account (the business or one of its 管理者ID) that
    /// opened this session from its portal.
    pub opened_by: Option<AccountId>,
}

/// One application (the items are kept apart, see [`Registrations::application_fields`]).
#[derive(Debug, Clone)]
pub struct Application {
    pub id: ApplicationId,
    pub applicant_id: ApplicantId,
    /// `technician` (the only kind so far).
    pub kind: String,
    pub status: Status,
    pub person_key: String,
    pub fee_yen: i64,
    pub payment_reference: String,
    pub paid_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
    pub decided_at: Option<Timestamp>,
    pub account_id: Option<AccountId>,
    /// Why a screener refused (却下) it, as written to the applicant; empty otherwise.
    pub rejection: String,
    /// When its applicant was last warned that a returned application will be deleted.
    pub retention_warned_at: Option<Timestamp>,
}

/// A 不備 a screener raised on one item.
#[derive(Debug, Clone)]
pub struct Defect {
    pub id: i64,
    pub field: String,
    pub code: DefectCode,
    pub comment: String,
    pub raised_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
}

/// A document uploaded with an application.
#[derive(Debug, Clone)]
pub struct ApplicationDocument {
    pub id: DocumentId,
    pub application_id: ApplicationId,
    pub kind: String,
    pub stored_name: String,
    pub original_name: String,
    pub content_type: String,
    pub size: i64,
    pub uploaded_at: Timestamp,
}

const DOCUMENT_COLUMNS: &str =
    "id, application_id, kind, stored_name, original_name, content_type, size, uploaded_at";

fn document_from_row(r: &AnyRow) -> Result<ApplicationDocument> {
    Ok(ApplicationDocument {
        id: DocumentId::new(r.try_get("id")?),
        application_id: ApplicationId::new(r.try_get("application_id")?),
        kind: r.try_get("kind")?,
        stored_name: r.try_get("stored_name")?,
        original_name: r.try_get("original_name")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        uploaded_at: Timestamp(r.try_get("uploaded_at")?),
    })
}

pub(crate) const APPLICANT_COLUMNS: &str = "p.id, p.email, p.created_at, p.business_account_id";
const APPLICATION_COLUMNS: &str = "id, applicant_id, kind, status, person_key, fee_yen, \
     payment_reference, paid_at, created_at, updated_at, submitted_at, decided_at, account_id, \
     rejection, retention_warned_at";

pub(crate) fn applicant_from_row(r: &AnyRow) -> Result<Applicant> {
    Ok(Applicant {
        id: ApplicantId::new(r.try_get("id")?),
        email: r.try_get("email")?,
        created_at: Timestamp(r.try_get("created_at")?),
        business_account_id: r
            .try_get::<Option<i64>, _>("business_account_id")?
            .map(AccountId::new),
    })
}

fn application_from_row(r: &AnyRow) -> Result<Application> {
    let status: String = r.try_get("status")?;
    let opt = |name: &str| -> Result<Option<Timestamp>> {
        Ok(r.try_get::<Option<i64>, _>(name)?.map(Timestamp))
    };
    Ok(Application {
        id: ApplicationId::new(r.try_get("id")?),
        applicant_id: ApplicantId::new(r.try_get("applicant_id")?),
        kind: r.try_get("kind")?,
        status: Status::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("application status {status:?}")))?,
        person_key: r.try_get("person_key")?,
        fee_yen: r.try_get("fee_yen")?,
        payment_reference: r.try_get("payment_reference")?,
        paid_at: opt("paid_at")?,
        created_at: Timestamp(r.try_get("created_at")?),
        updated_at: Timestamp(r.try_get("updated_at")?),
        submitted_at: opt("submitted_at")?,
        decided_at: opt("decided_at")?,
        account_id: r
            .try_get::<Option<i64>, _>("account_id")?
            .map(AccountId::new),
        rejection: r.try_get("rejection")?,
        retention_warned_at: opt("retention_warned_at")?,
    })
}

/// Technicians by exact identity: `$1` name key, `$2` フリガナ key, `$3` birth date, `$4` an
/// account to leave out (0: none). Uses the index on (furigana_key, birth_date).
fn same_person_sql() -> String {
    format!(
        "SELECT {ACCOUNT_COLUMNS}, \
         (SELECT MIN(p.id) FROM applications p WHERE p.account_id = a.id) AS issued_by \
         FROM accounts a WHERE a.furigana_key = $2 AND a.birth_date = $3 AND a.name_key = $1 \
         AND a.kind = 'technician' AND a.id <> $4 ORDER BY a.id LIMIT 20"
    )
}

fn same_person_from_row(r: &AnyRow) -> Result<(Account, Option<ApplicationId>)> {
    Ok((
        account_from_row(r)?,
        r.try_get::<Option<i64>, _>("issued_by")?
            .map(ApplicationId::new),
    ))
}

fn defect_from_row(r: &AnyRow) -> Result<Defect> {
    let code: String = r.try_get("code")?;
    Ok(Defect {
        id: r.try_get("id")?,
        field: r.try_get("field")?,
        code: DefectCode::parse(&code)
            .ok_or_else(|| StoreError::Corrupt(format!("defect code {code:?}")))?,
        comment: r.try_get("comment")?,
        raised_at: Timestamp(r.try_get("raised_at")?),
        resolved_at: r.try_get::<Option<i64>, _>("resolved_at")?.map(Timestamp),
    })
}

mod reads;
mod writes;
