//! The language a request without an account was made in (an inquiry, an application), so
//! that the mails answering it later are in that language. An account's own language is in
//! `accounts` ([`Accounts::account_language`]).

use ccus_domain::{ApplicationId, InquiryId, Timestamp};
use sqlx::Row;

use crate::{Languages, Result, Store, StoreTx};

impl Languages<&mut StoreTx> {
    /// Records the language an inquiry was sent in (with the inquiry).
    pub async fn set_inquiry_language(&mut self, inquiry_id: InquiryId, lang: &str) -> Result<()> {
        sqlx::query("INSERT INTO inquiry_languages (inquiry_id, lang) VALUES ($1, $2)")
            .bind(inquiry_id.get())
            .bind(lang)
            .execute(self.conn())
            .await?;
        Ok(())
    }

    /// Records the language an application was sent in; the last sending wins.
    pub async fn set_application_language(
        &mut self,
        application_id: ApplicationId,
        lang: &str,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO application_languages (application_id, lang, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (application_id) DO UPDATE SET lang = excluded.lang, updated_at = excluded.updated_at",
        )
        .bind(application_id.get())
        .bind(lang)
        .bind(now.0)
        .execute(self.conn())
        .await?;
        Ok(())
    }
}

impl Languages<&Store> {
    /// The language an inquiry was sent in, if it was recorded.
    pub async fn inquiry_language(self, inquiry_id: InquiryId) -> Result<Option<String>> {
        let row = sqlx::query("SELECT lang FROM inquiry_languages WHERE inquiry_id = $1")
            .bind(inquiry_id.get())
            .fetch_optional(self.db())
            .await?;
        row.map(|r| Ok(r.try_get("lang")?)).transpose()
    }

    /// The language an application was last sent in, if it was recorded.
    pub async fn application_language(
        self,
        application_id: ApplicationId,
    ) -> Result<Option<String>> {
        let row = sqlx::query("SELECT lang FROM application_languages WHERE application_id = $1")
            .bind(application_id.get())
            .fetch_optional(self.db())
            .await?;
        row.map(|r| Ok(r.try_get("lang")?)).transpose()
    }
}
