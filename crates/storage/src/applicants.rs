//! The applicant's side of registration beyond making an application: ログアウト remembered,
//! the password reset of an application login (its mailed links), and the counts the limits
//! on applications and documents are checked against.
//!
//! The counts are read inside the transaction that adds, after a first statement that writes
//! the row they belong to: on PostgreSQL that takes the row's lock and on SQLite the database's
//! write lock, so two requests at once cannot both pass a limit.

use ccus_domain::{ApplicantId, ApplicationId, Timestamp};
use sqlx::Row;

use crate::registration::{applicant_from_row, APPLICANT_COLUMNS};
use crate::{Applicant, Applicants, Result, Store, StoreTx};

/// An application that still holds the applicant's place: not issued, withdrawn or refused.
const OPEN_STATUSES: &str = "('draft', 'submitted', 'returned', 'approved')";

impl Applicants<&Store> {
    /// The application login a password-reset link is for, while the link is usable. Opening
    /// a link changes nothing (mail scanners open links).
    pub async fn peek_applicant_reset(
        self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<Applicant>> {
        let row = sqlx::query(&format!(
            "SELECT {APPLICANT_COLUMNS} FROM applicant_tokens t JOIN applicants p ON p.id = t.applicant_id \
             WHERE t.token_hash = $1 AND t.purpose = 'reset' AND t.used_at IS NULL AND t.expires_at > $2"
        ))
        .bind(token_hash)
        .bind(now.0)
        .fetch_optional(self.db())
        .await?;
        row.map(|r| applicant_from_row(&r)).transpose()
    }

    /// How many documents an application has.
    pub async fn document_count(self, application_id: ApplicationId) -> Result<u64> {
        let row = sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM application_documents WHERE application_id = $1",
        )
        .bind(application_id.get())
        .fetch_one(self.db())
        .await?;
        let n: i64 = row.try_get("n")?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

impl Applicants<&mut StoreTx> {
    /// A password-reset link for an application login; the login's earlier reset links stop
    /// working.
    pub async fn create_applicant_reset(
        &mut self,
        token_hash: &str,
        applicant: &Applicant,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE applicant_tokens SET used_at = $1 \
             WHERE applicant_id = $2 AND purpose = 'reset' AND used_at IS NULL",
        )
        .bind(now.0)
        .bind(applicant.id.get())
        .execute(self.conn())
        .await?;
        sqlx::query(
            "INSERT INTO applicant_tokens (token_hash, email, created_at, expires_at, purpose, applicant_id) \
             VALUES ($1, $2, $3, $4, 'reset', $5)",
        )
        .bind(token_hash)
        .bind(&applicant.email)
        .bind(now.0)
        .bind(expires_at.0)
        .bind(applicant.id.get())
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Uses up a password-reset link; the application login it is for, if it was still usable.
    /// Of two uses at once, one gets it.
    pub async fn consume_applicant_reset(
        &mut self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<Option<Applicant>> {
        let row = sqlx::query(
            "UPDATE applicant_tokens SET used_at = $1 \
             WHERE token_hash = $2 AND purpose = 'reset' AND used_at IS NULL AND expires_at > $1 \
             RETURNING applicant_id",
        )
        .bind(now.0)
        .bind(token_hash)
        .fetch_optional(self.conn())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let id: Option<i64> = row.try_get("applicant_id")?;
        let Some(id) = id else {
            return Ok(None);
        };
        let row = sqlx::query(&format!(
            "SELECT {APPLICANT_COLUMNS} FROM applicants p WHERE p.id = $1"
        ))
        .bind(id)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| applicant_from_row(&r)).transpose()
    }

    /// Sets the password of an application login.
    pub async fn set_applicant_password(
        &mut self,
        id: ApplicantId,
        password_hash: &str,
    ) -> Result<()> {
        sqlx::query("UPDATE applicants SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id.get())
            .execute(self.conn())
            .await?;
        self.sessions_ended(crate::SessionEnd::Applicant(id.get()))
            .await?;
        Ok(())
    }

    /// Ends every session of an application login; returns how many.
    pub async fn end_applicant_sessions(&mut self, applicant_id: ApplicantId) -> Result<u64> {
        let r = sqlx::query("DELETE FROM applicant_sessions WHERE applicant_id = $1")
            .bind(applicant_id.get())
            .execute(self.conn())
            .await?;
        self.sessions_ended(crate::SessionEnd::Applicant(applicant_id.get()))
            .await?;
        Ok(r.rows_affected())
    }

    /// Ends an applicant's session by ログアウト: removes it and remembers (by hash only, with
    /// the portals' logouts) that it was logged out; returns whether it existed.
    pub async fn log_out_applicant_session(
        &mut self,
        token_hash: &str,
        now: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query("DELETE FROM applicant_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.conn())
            .await?;
        if r.rows_affected() == 0 {
            return Ok(false);
        }
        crate::sessions::remember_logged_out(self.conn(), token_hash, now).await?;
        self.sessions_ended(crate::SessionEnd::Token(token_hash.to_owned()))
            .await?;
        Ok(true)
    }

    /// Takes the lock of an application login's row (a write that changes nothing), so that
    /// what is counted next cannot change before this transaction ends.
    pub async fn lock_applicant(&mut self, applicant_id: ApplicantId) -> Result<bool> {
        let r = sqlx::query("UPDATE applicants SET created_at = created_at WHERE id = $1")
            .bind(applicant_id.get())
            .execute(self.conn())
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// How many of an applicant's applications are open (draft, sent, returned or approved).
    pub async fn open_applications_of(&mut self, applicant_id: ApplicantId) -> Result<u64> {
        let row = sqlx::query(&format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM applications \
             WHERE applicant_id = $1 AND status IN {OPEN_STATUSES}"
        ))
        .bind(applicant_id.get())
        .fetch_one(self.conn())
        .await?;
        let n: i64 = row.try_get("n")?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// Marks an application changed now and takes its row's lock, while the applicant may
    /// still change it (a draft, or returned with 不備); false when it may not.
    pub async fn touch_editable_application(
        &mut self,
        id: ApplicationId,
        now: Timestamp,
    ) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE applications SET updated_at = $1 WHERE id = $2 AND status IN ('draft', 'returned')",
        )
        .bind(now.0)
        .bind(id.get())
        .execute(self.conn())
        .await?;
        Ok(r.rows_affected() == 1)
    }

    /// How many documents an application has: (of `kind`, in all).
    pub async fn document_counts(
        &mut self,
        application_id: ApplicationId,
        kind: &str,
    ) -> Result<(u64, u64)> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(CASE WHEN kind = $2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS of_kind, \
                    CAST(COUNT(*) AS BIGINT) AS total \
             FROM application_documents WHERE application_id = $1",
        )
        .bind(application_id.get())
        .bind(kind)
        .fetch_one(self.conn())
        .await?;
        let of_kind: i64 = row.try_get("of_kind")?;
        let total: i64 = row.try_get("total")?;
        Ok((
            u64::try_from(of_kind).unwrap_or(0),
            u64::try_from(total).unwrap_or(0),
        ))
    }
}
