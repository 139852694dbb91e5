//! What the registration repository writes inside a transaction.

use super::*;

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
