//! What the registration repository reads over the pool.

use super::*;

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
