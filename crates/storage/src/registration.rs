//! Registration: applicants (申請用ID), their sessions, applications item by item, and the
//! screeners' 不備.

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

impl Registrations<&Store> {
    /// The address a confirmation link is for, while it is unused and unexpired.
    pub async fn peek_applicant_token(
        self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<String>> {
        let row = sqlx::query(
            "SELECT email FROM applicant_tokens \
             WHERE token_hash = $1 AND purpose = 'create' AND used_at IS NULL AND expires_at > $2",
        )
        .bind(token_hash)
        .bind(now.0)
        .fetch_optional(self.db())
        .await?;
        row.map(|r| Ok(r.try_get("email")?)).transpose()
    }

    /// An application login with the hash of its password, for logging in.
    pub async fn applicant_credentials(
        self,
        email_key: &str,
    ) -> Result<Option<Credentials<Applicant>>> {
        let row = sqlx::query(&format!(
            "SELECT {APPLICANT_COLUMNS}, p.password_hash AS password_hash FROM applicants p \
             WHERE p.email_key = $1"
        ))
        .bind(email_key)
        .fetch_optional(self.db())
        .await?;
        row.map(|r| {
            Ok(Credentials {
                holder: applicant_from_row(&r)?,
                password_hash: r.try_get("password_hash")?,
            })
        })
        .transpose()
    }

    pub async fn applicant_by_email_key(self, email_key: &str) -> Result<Option<Applicant>> {
        let row = sqlx::query(&format!(
            "SELECT {APPLICANT_COLUMNS} FROM applicants p WHERE p.email_key = $1"
        ))
        .bind(email_key)
        .fetch_optional(self.db())
        .await?;
        row.map(|r| applicant_from_row(&r)).transpose()
    }

    /// The 代行申請 login of a business, if it has made one.
    pub async fn proxy_applicant(
        self,
        business_account_id: AccountId,
    ) -> Result<Option<Applicant>> {
        let row = sqlx::query(&format!(
            "SELECT {APPLICANT_COLUMNS} FROM applicants p WHERE p.business_account_id = $1"
        ))
        .bind(business_account_id.get())
        .fetch_optional(self.db())
        .await?;
        row.map(|r| applicant_from_row(&r)).transpose()
    }

    /// The consent asked for a 代行申請, if any.
    pub async fn application_consent(
        self,
        id: ApplicationId,
    ) -> Result<Option<ApplicationConsent>> {
        let row = sqlx::query(&format!(
            "SELECT {CONSENT_COLUMNS} FROM application_consents WHERE application_id = $1"
        ))
        .bind(id.get())
        .fetch_optional(self.db())
        .await?;
        row.map(|r| consent_from_row(&r)).transpose()
    }

    /// The consent a mailed link is for, by the hash of its token.
    pub async fn consent_by_token(self, token_hash: &str) -> Result<Option<ApplicationConsent>> {
        let row = sqlx::query(&format!(
            "SELECT {CONSENT_COLUMNS} FROM application_consents WHERE token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(self.db())
        .await?;
        row.map(|r| consent_from_row(&r)).transpose()
    }

    pub async fn applicant(self, id: ApplicantId) -> Result<Option<Applicant>> {
        let row = sqlx::query(&format!(
            "SELECT {APPLICANT_COLUMNS} FROM applicants p WHERE p.id = $1"
        ))
        .bind(id.get())
        .fetch_optional(self.db())
        .await?;
        row.map(|r| applicant_from_row(&r)).transpose()
    }

    pub async fn create_applicant_session(
        self,
        token_hash: &str,
        applicant_id: ApplicantId,
        opened_by: Option<i64>,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO applicant_sessions (token_hash, applicant_id, created_at, last_seen_at, opened_by) \
             VALUES ($1, $2, $3, $3, $4)",
        )
        .bind(token_hash)
        .bind(applicant_id.get())
        .bind(now.0)
        .bind(opened_by)
        .execute(self.db())
        .await?;
        Ok(())
    }

    pub async fn applicant_session(self, token_hash: &str) -> Result<Option<ApplicantSession>> {
        let row = sqlx::query(&format!(
            "SELECT {APPLICANT_COLUMNS}, s.created_at AS s_created, s.last_seen_at AS s_seen, \
                    s.opened_by AS s_opened_by \
             FROM applicant_sessions s JOIN applicants p ON p.id = s.applicant_id WHERE s.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(self.db())
        .await?;
        row.map(|r| {
            Ok(ApplicantSession {
                applicant: applicant_from_row(&r)?,
                created_at: Timestamp(r.try_get("s_created")?),
                last_seen_at: Timestamp(r.try_get("s_seen")?),
                opened_by: r
                    .try_get::<Option<i64>, _>("s_opened_by")?
                    .map(AccountId::new),
            })
        })
        .transpose()
    }

    pub async fn touch_applicant_session(self, token_hash: &str, now: Timestamp) -> Result<()> {
        sqlx::query("UPDATE applicant_sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now.0)
            .bind(token_hash)
            .execute(self.db())
            .await?;
        Ok(())
    }

    /// Ends one applicant session; whether it was still there.
    pub async fn delete_applicant_session(self, token_hash: &str) -> Result<bool> {
        let r = sqlx::query("DELETE FROM applicant_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.db())
            .await?;
        let removed = r.rows_affected() > 0;
        if removed {
            self.sessions_ended(crate::SessionEnd::Token(token_hash.to_owned()))
                .await?;
        }
        Ok(removed)
    }

    pub async fn application(self, id: ApplicationId) -> Result<Option<Application>> {
        let row = sqlx::query(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM applications WHERE id = $1"
        ))
        .bind(id.get())
        .fetch_optional(self.db())
        .await?;
        row.map(|r| application_from_row(&r)).transpose()
    }

    /// An applicant's applications, newest first.
    pub async fn applications_of(self, applicant_id: ApplicantId) -> Result<Vec<Application>> {
        let rows = sqlx::query(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM applications WHERE applicant_id = $1 ORDER BY id DESC"
        ))
        .bind(applicant_id.get())
        .fetch_all(self.db())
        .await?;
        rows.iter().map(application_from_row).collect()
    }

    /// Applications in `status`, longest waiting first.
    pub async fn applications_in(self, status: Status, limit: u32) -> Result<Vec<Application>> {
        let rows = sqlx::query(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM applications WHERE status = $1 \
             ORDER BY COALESCE(submitted_at, created_at), id LIMIT $2"
        ))
        .bind(status.as_str())
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter().map(application_from_row).collect()
    }

    /// The items of an application: (field key, value).
    pub async fn application_fields(self, id: ApplicationId) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT field, value FROM application_fields WHERE application_id = $1 ORDER BY field",
        )
        .bind(id.get())
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("field")?, r.try_get("value")?)))
            .collect()
    }

    /// Every 不備 of an application, open ones first, newest first.
    pub async fn application_defects(self, id: ApplicationId) -> Result<Vec<Defect>> {
        let rows = sqlx::query(
            "SELECT id, field, code, comment, raised_at, resolved_at FROM application_defects \
             WHERE application_id = $1 ORDER BY (resolved_at IS NOT NULL), id DESC",
        )
        .bind(id.get())
        .fetch_all(self.db())
        .await?;
        rows.iter().map(defect_from_row).collect()
    }

    /// Registered people with the same person key (フリガナ folded + 生年月日).
    pub async fn accounts_of_person(
        self,
        furigana_key: &str,
        birth_date: &str,
    ) -> Result<Vec<Account>> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.furigana_key = $1 AND a.birth_date = $2 ORDER BY a.id LIMIT 20"
        ))
        .bind(furigana_key)
        .bind(birth_date)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(account_from_row).collect()
    }

    /// Registered technicians who are exactly this person (see
    /// [`ccus_domain::registration::PersonIdentity`]), other than `except`, each with the
    /// application that issued it (none for one imported or created otherwise).
    pub async fn technicians_same_as(
        self,
        who: &PersonIdentity,
        except: Option<i64>,
    ) -> Result<Vec<(Account, Option<ApplicationId>)>> {
        let rows = sqlx::query(&same_person_sql())
            .bind(&who.name_key)
            .bind(&who.furigana_key)
            .bind(&who.birth_date)
            .bind(except.unwrap_or(0))
            .fetch_all(self.db())
            .await?;
        rows.iter().map(same_person_from_row).collect()
    }

    /// Other applications under way or issued for the same person key.
    pub async fn applications_of_person(
        self,
        person_key: &str,
        except: ApplicationId,
    ) -> Result<Vec<Application>> {
        let rows = sqlx::query(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM applications WHERE person_key = $1 AND id <> $2 \
             AND status IN ('submitted', 'returned', 'approved', 'issued') ORDER BY id LIMIT 20"
        ))
        .bind(person_key)
        .bind(except.get())
        .fetch_all(self.db())
        .await?;
        rows.iter().map(application_from_row).collect()
    }
}

impl Registrations<&Store> {
    /// Deletes drafts untouched since `drafts_before`, closed applications decided before
    /// `closed_before`, and returned ones (不備) not sent again that were returned before
    /// `returned_before` and whose applicant was warned of it (after that return) before
    /// `warned_before` — with their items, 不備 and documents. Returns how many applications
    /// went and the stored names of their documents' files (for the caller to remove).
    pub async fn delete_stale_applications(
        self,
        drafts_before: Timestamp,
        closed_before: Timestamp,
        returned_before: Timestamp,
        warned_before: Timestamp,
    ) -> Result<(u64, Vec<String>)> {
        // It reads the files' names before it deletes: a write transaction from the start.
        let mut tx = self.begin_write().await?;
        let stale = "SELECT id FROM applications WHERE (status = 'draft' AND updated_at < $1) \
                     OR (status = 'closed' AND COALESCE(decided_at, updated_at) < $2) \
                     OR (status = 'returned' AND decided_at < $3 \
                         AND retention_warned_at >= decided_at AND retention_warned_at < $4)";
        let files: Vec<String> = sqlx::query(&format!(
            "SELECT stored_name FROM application_documents WHERE application_id IN ({stale})"
        ))
        .bind(drafts_before.0)
        .bind(closed_before.0)
        .bind(returned_before.0)
        .bind(warned_before.0)
        .fetch_all(tx.conn())
        .await?
        .iter()
        .map(|r| r.try_get("stored_name"))
        .collect::<std::result::Result<_, _>>()?;
        for name in &files {
            sqlx::query("DELETE FROM attachment_blobs WHERE stored_name = $1")
                .bind(name)
                .execute(tx.conn())
                .await?;
        }
        for table in [
            "application_fields",
            "application_defects",
            "application_documents",
            "application_consents",
        ] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE application_id IN ({stale})"
            ))
            .bind(drafts_before.0)
            .bind(closed_before.0)
            .bind(returned_before.0)
            .bind(warned_before.0)
            .execute(tx.conn())
            .await?;
        }
        let r = sqlx::query(&format!("DELETE FROM applications WHERE id IN ({stale})"))
            .bind(drafts_before.0)
            .bind(closed_before.0)
            .bind(returned_before.0)
            .bind(warned_before.0)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok((r.rows_affected(), files))
    }

    /// Returned applications (不備) returned before `returned_before` whose applicant has not
    /// been warned since, longest waiting first: they are deleted soon unless sent again.
    pub async fn returned_to_warn(
        self,
        returned_before: Timestamp,
        limit: u32,
    ) -> Result<Vec<Application>> {
        let rows = sqlx::query(&format!(
            "SELECT {APPLICATION_COLUMNS} FROM applications WHERE status = 'returned' \
             AND decided_at < $1 \
             AND (retention_warned_at IS NULL OR retention_warned_at < decided_at) \
             ORDER BY decided_at, id LIMIT $2"
        ))
        .bind(returned_before.0)
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter().map(application_from_row).collect()
    }

    /// The documents of an application, oldest first.
    pub async fn application_documents(
        self,
        id: ApplicationId,
    ) -> Result<Vec<ApplicationDocument>> {
        let rows = sqlx::query(&format!(
            "SELECT {DOCUMENT_COLUMNS} FROM application_documents WHERE application_id = $1 ORDER BY id"
        ))
        .bind(id.get())
        .fetch_all(self.db())
        .await?;
        rows.iter().map(document_from_row).collect()
    }

    pub async fn application_document(self, id: DocumentId) -> Result<Option<ApplicationDocument>> {
        let row = sqlx::query(&format!(
            "SELECT {DOCUMENT_COLUMNS} FROM application_documents WHERE id = $1"
        ))
        .bind(id.get())
        .fetch_optional(self.db())
        .await?;
        row.map(|r| document_from_row(&r)).transpose()
    }
}

impl Registrations<&mut StoreTx> {
    /// Ends the 代行申請 sessions a person opened (they were stopped).
    pub async fn delete_applicant_sessions_opened_by(
        &mut self,
        account_id: AccountId,
    ) -> Result<u64> {
        let r = sqlx::query("DELETE FROM applicant_sessions WHERE opened_by = $1")
            .bind(account_id.get())
            .execute(self.conn())
            .await?;
        self.sessions_ended(crate::SessionEnd::Account(account_id.get()))
            .await?;
        Ok(r.rows_affected())
    }

    /// Remembers a confirmation link for `email` (by the hash of its token).
    pub async fn create_applicant_token(
        &mut self,
        token_hash: &str,
        email: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO applicant_tokens (token_hash, email, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(email)
        .bind(now.0)
        .bind(expires_at.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Uses up a confirmation link; the address it was for, if it was still good.
    pub async fn consume_applicant_token(
        &mut self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<String>> {
        let row = sqlx::query(
            "UPDATE applicant_tokens SET used_at = $1 \
             WHERE token_hash = $2 AND purpose = 'create' AND used_at IS NULL AND expires_at > $1 \
             RETURNING email",
        )
        .bind(now.0)
        .bind(token_hash)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| Ok(r.try_get("email")?)).transpose()
    }

    /// A new application login; `Conflict` when the address already has one.
    pub async fn create_applicant(
        &mut self,
        email: &str,
        email_key: &str,
        password_hash: &str,
        now: Timestamp,
    ) -> Result<ApplicantId> {
        let row = sqlx::query(
            "INSERT INTO applicants (email, email_key, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(email)
        .bind(email_key)
        .bind(password_hash)
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        Ok(ApplicantId::new(row.try_get("id")?))
    }

    /// Makes the 代行申請 login of a business: no password, an address key no email can have.
    pub async fn create_proxy_applicant(
        &mut self,
        business_account_id: AccountId,
        email: &str,
        now: Timestamp,
    ) -> Result<ApplicantId> {
        let row = sqlx::query(
            "INSERT INTO applicants (email, email_key, password_hash, created_at, business_account_id) \
             VALUES ($1, $2, '', $3, $4) RETURNING id",
        )
        .bind(email)
        .bind(format!("#business-{business_account_id}"))
        .bind(now.0)
        .bind(business_account_id.get())
        .fetch_one(self.conn())
        .await?;
        Ok(ApplicantId::new(row.try_get("id")?))
    }

    /// Asks (again) for a worker's consent to a 代行申請; an earlier request stops working.
    pub async fn request_consent(
        &mut self,
        id: ApplicationId,
        token_hash: &str,
        email: &str,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        sqlx::query("DELETE FROM application_consents WHERE application_id = $1")
            .bind(id.get())
            .execute(self.conn())
            .await?;
        sqlx::query(
            "INSERT INTO application_consents (application_id, token_hash, email, requested_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.get())
        .bind(token_hash)
        .bind(email)
        .bind(now.0)
        .bind(expires_at.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Records the worker's answer (`consented` or `declined`) once, while the link is valid.
    pub async fn answer_consent(
        &mut self,
        token_hash: &str,
        answer: &str,
        from: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE application_consents SET answer = $1, answered_at = $2, answered_from = $3 \
             WHERE token_hash = $4 AND answer = '' AND expires_at > $2",
        )
        .bind(answer)
        .bind(now.0)
        .bind(from)
        .bind(token_hash)
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Forgets the consent of a 代行申請 (the person it named was changed).
    pub async fn clear_consent(&mut self, id: ApplicationId) -> Result<()> {
        sqlx::query("DELETE FROM application_consents WHERE application_id = $1")
            .bind(id.get())
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn create_application(
        &mut self,
        applicant_id: ApplicantId,
        kind: &str,
        now: Timestamp,
    ) -> Result<ApplicationId> {
        let row = sqlx::query(
            "INSERT INTO applications (applicant_id, kind, status, created_at, updated_at) \
             VALUES ($1, $2, 'draft', $3, $3) RETURNING id",
        )
        .bind(applicant_id.get())
        .bind(kind)
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        Ok(ApplicationId::new(row.try_get("id")?))
    }

    /// Sets items of an application (an empty value removes the item).
    pub async fn set_application_fields(
        &mut self,
        id: i64,
        fields: &[(&str, String)],
        now: Timestamp,
    ) -> Result<()> {
        for (field, value) in fields {
            sqlx::query("DELETE FROM application_fields WHERE application_id = $1 AND field = $2")
                .bind(id)
                .bind(*field)
                .execute(self.conn())
                .await?;
            if !value.is_empty() {
                sqlx::query(
                    "INSERT INTO application_fields (application_id, field, value) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(*field)
                .bind(value)
                .execute(self.conn())
                .await?;
            }
        }
        sqlx::query("UPDATE applications SET updated_at = $1 WHERE id = $2")
            .bind(now.0)
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Moves an application from `from` to `to`; false when it was not in `from` (someone
    /// else moved it first).
    pub async fn move_application(
        &mut self,
        id: ApplicationId,
        from: Status,
        to: Status,
        now: Timestamp,
    ) -> Result<bool> {
        let (submitted, decided) = match to {
            Status::Submitted => (true, false),
            Status::Returned | Status::Approved | Status::Closed => (false, true),
            _ => (false, false),
        };
        let r = sqlx::query(
            "UPDATE applications SET status = $1, updated_at = $2, \
             submitted_at = CASE WHEN $3 = 1 THEN $2 ELSE submitted_at END, \
             decided_at = CASE WHEN $4 = 1 THEN $2 ELSE decided_at END \
             WHERE id = $5 AND status = $6",
        )
        .bind(to.as_str())
        .bind(now.0)
        .bind(i64::from(submitted))
        .bind(i64::from(decided))
        .bind(id.get())
        .bind(from.as_str())
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Records who the application is about and what it costs (at 申請).
    pub async fn set_application_terms(
        &mut self,
        id: ApplicationId,
        person_key: &str,
        fee_yen: i64,
    ) -> Result<()> {
        sqlx::query("UPDATE applications SET person_key = $1, fee_yen = $2 WHERE id = $3")
            .bind(person_key)
            .bind(fee_yen)
            .bind(id.get())
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn add_defect(
        &mut self,
        id: ApplicationId,
        field: &str,
        code: DefectCode,
        comment: &str,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO application_defects (application_id, field, code, comment, raised_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.get())
        .bind(field)
        .bind(code.as_str())
        .bind(comment)
        .bind(now.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Marks every open 不備 of an application resolved (on resubmission).
    pub async fn resolve_defects(&mut self, id: ApplicationId, now: Timestamp) -> Result<u64> {
        let r = sqlx::query(
            "UPDATE application_defects SET resolved_at = $1 WHERE application_id = $2 AND resolved_at IS NULL",
        )
        .bind(now.0)
        .bind(id.get())
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected())
    }

    /// Records a document of an application (its file already stored under `stored_name`).
    #[allow(clippy::too_many_arguments)]
    pub async fn add_application_document(
        &mut self,
        id: ApplicationId,
        kind: &str,
        stored_name: &str,
        original_name: &str,
        content_type: &str,
        size: i64,
        now: Timestamp,
    ) -> Result<DocumentId> {
        let row = sqlx::query(
            "INSERT INTO application_documents (application_id, kind, stored_name, original_name, content_type, size, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(id.get())
        .bind(kind)
        .bind(stored_name)
        .bind(original_name)
        .bind(content_type)
        .bind(size)
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        Ok(DocumentId::new(row.try_get("id")?))
    }

    /// Records the registration fee as received (bank transfer reference).
    pub async fn record_payment(
        &mut self,
        id: ApplicationId,
        reference: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE applications SET payment_reference = $1, paid_at = $2, updated_at = $2 \
             WHERE id = $3 AND status = 'approved' AND paid_at IS NULL",
        )
        .bind(reference)
        .bind(now.0)
        .bind(id.get())
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// 登録完了: links the issued account; false unless the application was approved and paid.
    pub async fn mark_issued(
        &mut self,
        id: ApplicationId,
        account_id: AccountId,
        now: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE applications SET status = 'issued', account_id = $1, decided_at = $2, updated_at = $2 \
             WHERE id = $3 AND status = 'approved' AND paid_at IS NOT NULL",
        )
        .bind(account_id.get())
        .bind(now.0)
        .bind(id.get())
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Holds, until the transaction ends, the right to register the person of `person_key`,
    /// so that two transactions registering the same person run one after the other and the
    /// second sees the first's account. On PostgreSQL a transaction-level advisory lock; on
    /// SQLite nothing more is needed in a transaction from [`Store::begin_write`] (or one that
    /// has written already): it holds the database's only write lock.
    pub async fn lock_person(&mut self, person_key: &str) -> Result<()> {
        use sha2::{Digest, Sha256};
        if self.tx.backend_name() != <sqlx::Postgres as sqlx::Database>::NAME {
            return Ok(());
        }
        let digest = Sha256::digest(format!("person:{person_key}").as_bytes());
        let mut key = [0u8; 8];
        key.copy_from_slice(&digest[..8]);
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(i64::from_be_bytes(key))
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// [`Registrations::technicians_same_as`] in this transaction (it sees the transaction's own
    /// writes and, after [`Registrations::lock_person`], every committed registration of the person).
    pub async fn technicians_same_as(
        &mut self,
        who: &PersonIdentity,
        except: Option<i64>,
    ) -> Result<Vec<(Account, Option<ApplicationId>)>> {
        let rows = sqlx::query(&same_person_sql())
            .bind(&who.name_key)
            .bind(&who.furigana_key)
            .bind(&who.birth_date)
            .bind(except.unwrap_or(0))
            .fetch_all(self.conn())
            .await?;
        rows.iter().map(same_person_from_row).collect()
    }

    /// 却下: a screener refuses an application that is waiting for screening, returned or
    /// approved; `reason` is what the applicant is told. False when it was in none of those.
    pub async fn reject_application(
        &mut self,
        id: ApplicationId,
        reason: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE applications SET status = 'closed', rejection = $1, decided_at = $2, updated_at = $2 \
             WHERE id = $3 AND status IN ('submitted', 'returned', 'approved')",
        )
        .bind(reason)
        .bind(now.0)
        .bind(id.get())
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Claims the warning before a returned application is deleted: true once for each return
    /// (the time it was returned is `returned_at`), so two instances never both mail it.
    pub async fn claim_retention_warning(
        &mut self,
        id: ApplicationId,
        returned_at: Timestamp,
        now: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE applications SET retention_warned_at = $1 \
             WHERE id = $2 AND status = 'returned' AND decided_at = $3 \
             AND (retention_warned_at IS NULL OR retention_warned_at < decided_at)",
        )
        .bind(now.0)
        .bind(id.get())
        .bind(returned_at.0)
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// A new registration card for an account still on its initial password: the initial
    /// password's and 本人確認番号's hashes are replaced. False once the holder has set a
    /// password of their own (the first login is done), or for another account.
    pub async fn replace_initial_secrets(
        &mut self,
        account_id: AccountId,
        password_hash: &str,
        security_code_hash: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE accounts SET password_hash = $1, security_code_hash = $2, updated_at = $3 \
             WHERE id = $4 AND must_change_password = 1",
        )
        .bind(password_hash)
        .bind(security_code_hash)
        .bind(now.0)
        .bind(account_id.get())
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }
}
