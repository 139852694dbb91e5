//! お問い合わせ: inquiries from the form, their attachments (metadata only; the bytes live in
//! a file store), and the helpdesk's notes and replies.

use ccus_domain::calendar::parse_iso_date;
use ccus_domain::profile::format_date;
use ccus_domain::{Date, InquiryId, StaffId, Timestamp};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{Inquiries, Result, Store, StoreError, StoreTx};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InquiryStatus {
    /// 新規
    New,
    /// 対応中
    InProgress,
    /// 回答待ち (waiting for the inquirer)
    Waiting,
    /// 完了
    Done,
}

impl InquiryStatus {
    pub const ALL: [InquiryStatus; 4] = [
        InquiryStatus::New,
        InquiryStatus::InProgress,
        InquiryStatus::Waiting,
        InquiryStatus::Done,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InquiryStatus::New => "new",
            InquiryStatus::InProgress => "in_progress",
            InquiryStatus::Waiting => "waiting",
            InquiryStatus::Done => "done",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
    pub fn label_ja(self) -> &'static str {
        match self {
            InquiryStatus::New => "新規",
            InquiryStatus::InProgress => "対応中",
            InquiryStatus::Waiting => "回答待ち",
            InquiryStatus::Done => "完了",
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewInquiry {
    pub receipt: String,
    pub due_date: Date,
    pub category: String,
    pub login_id: String,
    pub name: String,
    pub furigana: String,
    pub birth_date: String,
    pub employer: String,
    pub email: String,
    pub phone: String,
    pub message: String,
    pub client_address: String,
}

#[derive(Debug, Clone)]
pub struct NewInquiryFile {
    pub stored_name: String,
    pub original_name: String,
    pub content_type: String,
    pub size: u64,
}

#[derive(Debug, Clone)]
pub struct Inquiry {
    pub id: InquiryId,
    pub receipt: String,
    pub received_at: Timestamp,
    pub due_date: Date,
    pub category: String,
    pub login_id: String,
    pub name: String,
    pub furigana: String,
    pub birth_date: String,
    pub employer: String,
    pub email: String,
    pub phone: String,
    pub message: String,
    pub status: InquiryStatus,
    pub assignee: Option<String>,
}

#[derive(Debug, Clone)]
pub struct InquiryFile {
    pub id: i64,
    pub inquiry_id: InquiryId,
    pub stored_name: String,
    pub original_name: String,
    pub content_type: String,
    pub size: u64,
}

#[derive(Debug, Clone)]
pub struct InquiryNote {
    pub at: Timestamp,
    pub staff: String,
    pub kind: String,
    pub body: String,
}

/// The columns of an inquiry (alias `q`) and its assignee's name (staff alias `s`), read by
/// [`inquiry_from_row`]; both tables have a `name`, so every column is aliased.
const COLUMNS: &str = "q.id AS id, q.receipt AS receipt, q.received_at AS received_at, q.due_date AS due_date, \
                       q.category AS category, q.login_id AS login_id, q.name AS name, q.furigana AS furigana, \
                       q.birth_date AS birth_date, q.employer AS employer, q.email AS email, q.phone AS phone, \
                       q.message AS message, q.status AS status, s.name AS assignee";

fn inquiry_from_row(r: &AnyRow) -> Result<Inquiry> {
    let status: String = r.try_get("status")?;
    Ok(Inquiry {
        id: InquiryId::new(r.try_get("id")?),
        receipt: r.try_get("receipt")?,
        received_at: Timestamp(r.try_get("received_at")?),
        due_date: {
            let s: String = r.try_get("due_date")?;
            parse_iso_date(&s).ok_or_else(|| StoreError::Corrupt(format!("due date {s:?}")))?
        },
        category: r.try_get("category")?,
        login_id: r.try_get("login_id")?,
        name: r.try_get("name")?,
        furigana: r.try_get("furigana")?,
        birth_date: r.try_get("birth_date")?,
        employer: r.try_get("employer")?,
        email: r.try_get("email")?,
        phone: r.try_get("phone")?,
        message: r.try_get("message")?,
        status: InquiryStatus::parse(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("inquiry status {status:?}")))?,
        assignee: r.try_get("assignee")?,
    })
}

impl Inquiries<&mut StoreTx> {
    /// Retention: deletes up to `batch` inquiries closed before `before`, with their notes,
    /// files (the stored files go with the orphan sweep) and language; how many.
    pub async fn delete_closed(&mut self, before: Timestamp, batch: u32) -> Result<u64> {
        let ids: Vec<i64> = sqlx::query(
            "SELECT id FROM inquiries WHERE status = 'done' AND closed_at < $1 \
             ORDER BY closed_at LIMIT $2",
        )
        .bind(before.0)
        .bind(i64::from(batch))
        .fetch_all(self.conn())
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>("id"))
        .collect::<std::result::Result<_, _>>()?;
        for id in &ids {
            for sql in [
                "DELETE FROM inquiry_files WHERE inquiry_id = $1",
                "DELETE FROM inquiry_notes WHERE inquiry_id = $1",
                "DELETE FROM inquiry_languages WHERE inquiry_id = $1",
                "DELETE FROM inquiries WHERE id = $1",
            ] {
                sqlx::query(sql).bind(*id).execute(self.conn()).await?;
            }
        }
        Ok(ids.len() as u64)
    }

    /// Stores an inquiry and its files' metadata; returns its id.
    pub async fn create_inquiry(
        &mut self,
        q: &NewInquiry,
        files: &[NewInquiryFile],
        now: Timestamp,
    ) -> Result<InquiryId> {
        let row = sqlx::query(
            "INSERT INTO inquiries (receipt, received_at, due_date, category, login_id, name, furigana, birth_date, employer, email, phone, message, client_address) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(&q.receipt)
        .bind(now.0)
        .bind(format_date(q.due_date))
        .bind(&q.category)
        .bind(&q.login_id)
        .bind(&q.name)
        .bind(&q.furigana)
        .bind(&q.birth_date)
        .bind(&q.employer)
        .bind(&q.email)
        .bind(&q.phone)
        .bind(&q.message)
        .bind(&q.client_address)
        .fetch_one(self.conn())
        .await?;
        let id: i64 = row.try_get("id")?;
        for f in files {
            sqlx::query(
                "INSERT INTO inquiry_files (inquiry_id, stored_name, original_name, content_type, size) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(&f.stored_name)
            .bind(&f.original_name)
            .bind(&f.content_type)
            .bind(i64::try_from(f.size).unwrap_or(i64::MAX))
            .execute(self.conn())
            .await?;
        }
        Ok(InquiryId::new(id))
    }

    pub async fn set_inquiry_status(
        &mut self,
        id: InquiryId,
        status: InquiryStatus,
        assignee_pk: Option<i64>,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE inquiries SET status = $1, assignee_pk = COALESCE($2, assignee_pk), closed_at = CASE WHEN $1 = 'done' THEN $3 ELSE NULL END WHERE id = $4",
        )
        .bind(status.as_str())
        .bind(assignee_pk)
        .bind(now.0)
        .bind(id.get())
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Keeps an attachment's bytes in the database, in the same transaction as its inquiry, so
    /// that every instance on the database can read it.
    pub async fn put_attachment_bytes(&mut self, stored_name: &str, bytes: &[u8]) -> Result<()> {
        sqlx::query("INSERT INTO attachment_blobs (stored_name, bytes) VALUES ($1, $2)")
            .bind(stored_name)
            .bind(bytes.to_vec())
            .execute(self.conn())
            .await?;
        Ok(())
    }

    pub async fn add_inquiry_note(
        &mut self,
        id: InquiryId,
        staff_pk: StaffId,
        kind: &str,
        body: &str,
        now: Timestamp,
    ) -> Result<()> {
        sqlx::query("INSERT INTO inquiry_notes (inquiry_id, at, staff_pk, kind, body) VALUES ($1, $2, $3, $4, $5)")
            .bind(id.get())
            .bind(now.0)
            .bind(staff_pk.get())
            .bind(kind)
            .bind(body)
            .execute(self.conn())
            .await?;
        Ok(())
    }
}

impl Inquiries<&Store> {
    /// The queue: open inquiries (or those of one status), oldest due first.
    pub async fn list(self, status: Option<InquiryStatus>, limit: u32) -> Result<Vec<Inquiry>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM inquiries q LEFT JOIN staff s ON s.id = q.assignee_pk \
             WHERE ($1 = '' AND q.status <> 'done') OR q.status = $1 ORDER BY q.due_date, q.id LIMIT $2"
        ))
        .bind(status.map(InquiryStatus::as_str).unwrap_or(""))
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter().map(inquiry_from_row).collect()
    }

    pub async fn inquiry(self, id: InquiryId) -> Result<Option<Inquiry>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM inquiries q LEFT JOIN staff s ON s.id = q.assignee_pk WHERE q.id = $1"))
            .bind(id.get())
            .fetch_optional(self.db())
            .await?;
        row.map(|r| inquiry_from_row(&r)).transpose()
    }

    pub async fn inquiry_files(self, inquiry_id: InquiryId) -> Result<Vec<InquiryFile>> {
        let rows = sqlx::query(
            "SELECT id, inquiry_id, stored_name, original_name, content_type, size FROM inquiry_files WHERE inquiry_id = $1 ORDER BY id",
        )
        .bind(inquiry_id.get())
        .fetch_all(self.db())
        .await?;
        rows.iter().map(file_from_row).collect()
    }

    pub async fn inquiry_file(self, id: i64) -> Result<Option<InquiryFile>> {
        let row = sqlx::query("SELECT id, inquiry_id, stored_name, original_name, content_type, size FROM inquiry_files WHERE id = $1")
            .bind(id)
            .fetch_optional(self.db())
            .await?;
        row.map(|r| file_from_row(&r)).transpose()
    }

    /// The bytes of an attachment kept in the database (see
    /// [`Inquiries::put_attachment_bytes`]), if they are there.
    pub async fn attachment_bytes(self, stored_name: &str) -> Result<Option<Vec<u8>>> {
        let row = sqlx::query("SELECT bytes FROM attachment_blobs WHERE stored_name = $1")
            .bind(stored_name)
            .fetch_optional(self.db())
            .await?;
        row.map(|r| Ok(r.try_get::<Vec<u8>, _>("bytes")?))
            .transpose()
    }

    /// Every stored file name (to find files no inquiry or application refers to).
    pub async fn all_stored_file_names(self) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT stored_name FROM inquiry_files UNION ALL SELECT stored_name FROM application_documents",
        )
            .fetch_all(self.db())
            .await?;
        rows.iter().map(|r| Ok(r.try_get("stored_name")?)).collect()
    }

    pub async fn inquiry_notes(self, inquiry_id: InquiryId) -> Result<Vec<InquiryNote>> {
        let rows = sqlx::query(
            "SELECT n.at AS at, s.name AS staff_name, n.kind AS kind, n.body AS body FROM inquiry_notes n JOIN staff s ON s.id = n.staff_pk WHERE n.inquiry_id = $1 ORDER BY n.at, n.id",
        )
        .bind(inquiry_id.get())
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(InquiryNote {
                    at: Timestamp(r.try_get("at")?),
                    staff: r.try_get("staff_name")?,
                    kind: r.try_get("kind")?,
                    body: r.try_get("body")?,
                })
            })
            .collect()
    }
}

fn file_from_row(r: &AnyRow) -> Result<InquiryFile> {
    let size: i64 = r.try_get("size")?;
    Ok(InquiryFile {
        id: r.try_get("id")?,
        inquiry_id: InquiryId::new(r.try_get("inquiry_id")?),
        stored_name: r.try_get("stored_name")?,
        original_name: r.try_get("original_name")?,
        content_type: r.try_get("content_type")?,
        size: u64::try_from(size).unwrap_or(0),
    })
}
