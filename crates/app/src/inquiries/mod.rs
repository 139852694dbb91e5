//! お問い合わせ: an inquiry with its attachments is received whole or not at all, with a
//! receipt number, a due date by the Japanese business calendar and a receipt mail.
//!
//! The form (and the streaming of attachments into [`crate::attachments::Upload`]s, with their
//! limits) is the front end's; this takes checked fields and finished uploads: files go to
//! their final names (fsync'd), the inquiry and its file rows are committed in one
//! transaction with the receipt mail, and only then are the files kept.

pub mod mails;

use ccus_domain::{calendar, profile, AddressBucket, GuardKey};
use ccus_storage::{ClientInfo, NewInquiry, NewInquiryFile, StoreError};
use rand::Rng;

use crate::attachments::{self, FileStore, Upload};
use crate::{App, AppError, AppResult};

/// A kind of inquiry: the words stored with it (what the helpdesk reads, and what the form
/// sends), and the catalog key of the label a person reads on the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Category {
    pub stored: &'static str,
    pub key: &'static str,
}

/// The kinds of inquiry, in the form's order.
pub const CATEGORIES: &[Category] = &[
    Category {
        stored: "ID照会",
        key: "public-category-id",
    },
    Category {
        stored: "パスワード・ロック",
        key: "public-category-password",
    },
    Category {
        stored: "登録メールアドレス変更",
        key: "public-category-email",
    },
    Category {
        stored: "その他",
        key: "public-category-other",
    },
];

/// The kind of inquiry stored as `stored`, if it is one of ours.
pub fn category(stored: &str) -> Option<Category> {
    CATEGORIES.iter().copied().find(|c| c.stored == stored)
}

/// The checked fields of an inquiry.
#[derive(Debug, Clone, Default)]
pub struct InquiryInput {
    pub category: String,
    /// Normalised 14 digits, or empty.
    pub login_id: String,
    pub name: String,
    pub furigana: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    pub employer: String,
    pub email: String,
    pub phone: String,
    pub message: String,
    /// What the person already tried in 「ログインできない方へ」, a line each, for the staff.
    pub tried: Vec<crate::i18n::Msg>,
}

/// What became of an inquiry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    Received {
        receipt: String,
        due_date: String,
    },
    /// Too many inquiries from this address in the last hour; nothing was stored.
    TooMany,
}

/// Receives an inquiry with its attachments.
pub async fn submit(
    app: &App,
    input: InquiryInput,
    uploads: Vec<Upload>,
    client: &ClientInfo,
    lang: crate::i18n::Lang,
) -> AppResult<Submitted> {
    let cfg = &app.config().inquiry;
    let now = app.clock().now();
    let key = GuardKey::Inquiry(AddressBucket::of(&client.address)).to_string();
    if app
        .store()
        .guards()
        .hit_window(&key, std::time::Duration::from_secs(3600), now)
        .await?
        > cfg.per_address_limit
    {
        return Ok(Submitted::TooMany);
    }
    let store = FileStore::new(&cfg.attachments_dir);
    let mut stored = Vec::with_capacity(uploads.len());
    for u in uploads {
        stored.push(
            u.store(&store)
                .map_err(|e| AppError::unavailable("attachment storage", e))?,
        );
    }
    let day = calendar::jst_datetime(now)
        .map(|d| d.date())
        .map(|d| format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day()))
        .unwrap_or_default();
    let make_receipt = || {
        format!(
            "Q{day}-{:08}",
            rand::thread_rng().gen_range(0..100_000_000u32)
        )
    };
    let due = calendar::due_date(now, cfg.due_business_days)
        .ok_or_else(|| AppError::Internal("the due date of an inquiry is out of range".into()))?;
    let due_date = profile::format_date(due);
    let mut new = NewInquiry {
        receipt: make_receipt(),
        due_date: due,
        category: input.category,
        login_id: input.login_id,
        name: input.name.chars().take(100).collect(),
        furigana: input.furigana.chars().take(100).collect(),
        birth_date: input.birth_date,
        employer: input.employer.chars().take(200).collect(),
        email: input.email,
        phone: input.phone.chars().take(40).collect(),
        message: if input.tried.is_empty() {
            input.message
        } else {
            // Kept in the staff's working language (Japanese), above the person's words.
            let ja = crate::i18n::Lang::Ja;
            format!(
                "{}\n{}\n\n{}",
                crate::i18n::text_in(ja, "inquiry-tried-heading", &[]),
                input
                    .tried
                    .iter()
                    .map(|t| crate::i18n::text_in(
                        ja,
                        "inquiry-tried-line",
                        &[("line", &t.text(ja))]
                    ))
                    .collect::<Vec<_>>()
                    .join("\n"),
                input.message
            )
        },
        client_address: client.address.clone(),
    };
    let files: Vec<NewInquiryFile> = stored
        .iter()
        .map(|s| NewInquiryFile {
            stored_name: s.name.clone(),
            original_name: s.original_name.clone(),
            content_type: s.file_type.content_type().to_owned(),
            size: s.size,
        })
        .collect();
    // Receipt numbers are random; on the rare collision draw again (a fresh transaction, as a
    // failed statement ends one on PostgreSQL).
    let mut attempts = 0;
    loop {
        attempts += 1;
        let mut tx = app.store().begin().await?;
        match tx.inquiries().create_inquiry(&new, &files, now).await {
            Ok(inquiry_id) => {
                tx.languages()
                    .set_inquiry_language(inquiry_id, lang.code())
                    .await?;
                if attachments::shared(app) {
                    for f in &stored {
                        let bytes = f
                            .bytes()
                            .map_err(|e| AppError::unavailable("attachment storage", e))?;
                        tx.inquiries().put_attachment_bytes(&f.name, &bytes).await?;
                    }
                }
                tx.outbox()
                    .enqueue_mail(
                        &crate::inquiries::mails::inquiry_received(
                            app,
                            lang,
                            &new.email,
                            &new.receipt,
                            &new.category,
                            &due_date,
                        ),
                        now,
                    )
                    .await?;
                tx.commit().await?;
                break;
            }
            Err(StoreError::Conflict) if attempts < 5 => {
                drop(tx);
                new.receipt = make_receipt();
            }
            Err(e) => return Err(e.into()),
        }
    }
    for s in stored {
        s.keep();
    }
    app.wake_mail();
    tracing::info!(receipt = %new.receipt, files = files.len(), "inquiry received");
    Ok(Submitted::Received {
        receipt: new.receipt,
        due_date,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{text_in, Lang};

    #[test]
    fn every_category_reads_in_japanese_as_it_is_stored() {
        for c in CATEGORIES {
            assert_eq!(text_in(Lang::Ja, c.key, &[]), c.stored);
            assert_eq!(category(c.stored), Some(*c));
            for lang in [Lang::En, Lang::Easy] {
                assert_ne!(text_in(lang, c.key, &[]), c.key);
            }
        }
        assert_eq!(category("ほかの種類"), None);
    }
}
