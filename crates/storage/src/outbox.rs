//! The mail outbox. A mail is written here in the same transaction as the event that causes
//! it, and a delivery worker claims it, sends it and records the outcome. Claims are leases
//! marked with the worker's instance id: two workers never hold the same mail, a worker renews
//! its leases while it sends, a worker that dies mid-send releases its mail when the lease runs
//! out, and the same instance restarted releases its own claims at once.
//!
//! Before the point of no return of a delivery (the SMTP end-of-data dot, the rename of a
//! mail file) the worker records the mail as handed over (`handed_over`): such a mail is never
//! claimed again, so a worker killed after that point does not send it twice. The worker then
//! records the transport's answer: `sent`, or back to `pending` (a retry) or `failed`. A
//! hand-over whose worker died before the answer stays `handed_over` — "handed over,
//! unconfirmed" — once a worker has finished what it could ([`Outbox::settle_hand_over`]).

use std::time::Duration;

use ccus_domain::{MailId, Timestamp};
use sqlx::Row;

use crate::{Backend, Outbox, Result, Store, StoreError, StoreTx};

/// A mail to queue. Subjects and bodies are plain UTF-8 text; the recipient is an address
/// that was validated when it was stored.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// A claimed mail, ready to send.
#[derive(Debug, Clone)]
pub struct OutboxMail {
    pub id: MailId,
    pub created_at: Timestamp,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// Attempts so far, including this one.
    pub attempts: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailStatus {
    Pending,
    /// Recorded as handed over to the transport; not (yet) confirmed sent.
    HandedOver,
    Sent,
    Failed,
}

impl MailStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            MailStatus::Pending => "pending",
            MailStatus::HandedOver => "handed_over",
            MailStatus::Sent => "sent",
            MailStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            MailStatus::Pending,
            MailStatus::HandedOver,
            MailStatus::Sent,
            MailStatus::Failed,
        ]
        .into_iter()
        .find(|m| m.as_str() == s)
    }
}

/// One outbox row, as operators list it.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub id: MailId,
    pub created_at: Timestamp,
    pub to: String,
    pub subject: String,
    pub status: MailStatus,
    pub attempts: u32,
    pub last_error: Option<String>,
    /// When the mail was last recorded as handed over to its transport.
    pub handed_over_at: Option<Timestamp>,
    pub sent_at: Option<Timestamp>,
}

/// A mail recorded as handed over whose worker has not recorded the transport's answer.
#[derive(Debug, Clone)]
pub struct HandOver {
    pub id: MailId,
    /// The worker (instance id) that handed it over.
    pub by: String,
    /// The `.eml` file's name, for the file transport.
    pub mail_file: Option<String>,
}

impl Outbox<&mut StoreTx> {
    /// Queues a mail; it is sent only if the transaction commits.
    pub async fn enqueue_mail(&mut self, mail: &NewMail, now: Timestamp) -> Result<MailId> {
        let row = sqlx::query(
            "INSERT INTO mail_outbox (created_at, recipient, subject, body, next_attempt_at) VALUES ($1, $2, $3, $4, $1) RETURNING id",
        )
        .bind(now.0)
        .bind(&mail.to)
        .bind(&mail.subject)
        .bind(&mail.body)
        .fetch_one(self.conn())
        .await?;
        Ok(MailId::new(row.try_get("id")?))
    }
}

fn small(v: i64) -> u32 {
    u32::try_from(v.max(0)).unwrap_or(u32::MAX)
}

impl Outbox<&Store> {
    /// Claims up to `limit` mails that are due, for `lease`, for the worker `by` (its
    /// instance id).
    pub async fn claim_mail(
        self,
        now: Timestamp,
        lease: Duration,
        limit: u32,
        by: &str,
    ) -> Result<Vec<OutboxMail>> {
        let lock = match self.backend {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let rows = sqlx::query(&format!(
            "UPDATE mail_outbox SET claimed_until = $1, claimed_by = $4, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM mail_outbox \
                          WHERE status = 'pending' AND next_attempt_at <= $2 AND claimed_until <= $2 \
                          ORDER BY id LIMIT $3{lock}) \
             RETURNING id, created_at, recipient, subject, body, attempts"
        ))
        .bind(now.plus(lease).0)
        .bind(now.0)
        .bind(i64::from(limit))
        .bind(by)
        .fetch_all(self.db())
        .await?;
        let mut out: Vec<OutboxMail> = rows
            .iter()
            .map(|r| {
                Ok(OutboxMail {
                    id: MailId::new(r.try_get("id")?),
                    created_at: Timestamp(r.try_get("created_at")?),
                    to: r.try_get("recipient")?,
                    subject: r.try_get("subject")?,
                    body: r.try_get("body")?,
                    attempts: small(r.try_get("attempts")?),
                })
            })
            .collect::<Result<_, StoreError>>()?;
        out.sort_by_key(|m| m.id);
        Ok(out)
    }

    /// Extends every claim the worker `by` still holds to `until`; returns how many.
    pub async fn renew_mail_claims(self, by: &str, until: Timestamp) -> Result<u64> {
        let r = sqlx::query(
            "UPDATE mail_outbox SET claimed_until = $1 WHERE claimed_by = $2 AND status IN ('pending', 'handed_over') AND claimed_until > 0",
        )
        .bind(until.0)
        .bind(by)
        .execute(self.db())
        .await?;
        Ok(r.rows_affected())
    }

    /// Releases every claim of the worker `by` (a restarted instance, whose previous run may
    /// have died mid-send): the mails are due again at once. Returns how many.
    pub async fn release_mail_claims(self, by: &str) -> Result<u64> {
        let r = sqlx::query(
            "UPDATE mail_outbox SET claimed_until = 0, claimed_by = NULL WHERE claimed_by = $1 AND status = 'pending'",
        )
        .bind(by)
        .execute(self.db())
        .await?;
        Ok(r.rows_affected())
    }

    /// Records that the worker `by` is about to pass the point of no return for mail `id`
    /// (for the file transport, `mail_file` is the file it is about to publish). Returns
    /// `false`, and changes nothing, when the worker no longer holds the mail's claim (its
    /// lease lapsed and another worker took the mail over, or it was sent meanwhile): the
    /// worker must then abandon this delivery.
    ///
    /// The record must outlive the worker's process, not the database server: on PostgreSQL
    /// it is committed with `synchronous_commit` off, which answers without waiting for the
    /// WAL flush. Every moment between the commit and the worker learning of it is a moment
    /// in which the worker's death loses the mail, and the flush was most of that time. If
    /// the database server itself crashes within the flush delay the record can be lost;
    /// the mail is then sent again (at least once), never lost.
    pub async fn hand_over_mail(
        self,
        id: MailId,
        by: &str,
        now: Timestamp,
        mail_file: Option<&str>,
    ) -> Result<bool> {
        let update = sqlx::query(
            "UPDATE mail_outbox SET status = 'handed_over', handed_over_at = $1, mail_file = $2 \
             WHERE id = $3 AND claimed_by = $4 AND status = 'pending'",
        )
        .bind(now.0)
        .bind(mail_file)
        .bind(id.get())
        .bind(by);
        let n = match self.backend {
            // WAL with `synchronous = NORMAL`: a commit is already a write without a sync.
            Backend::Sqlite => update.execute(self.db()).await?.rows_affected(),
            Backend::Postgres => {
                let mut tx = self.begin().await?;
                sqlx::query("SET LOCAL synchronous_commit = off")
                    .execute(tx.conn())
                    .await?;
                let n = update.execute(tx.conn()).await?.rows_affected();
                tx.commit().await?;
                n
            }
        };
        Ok(n == 1)
    }

    /// Hand-overs whose worker has not recorded the transport's answer: those of the worker
    /// `by` (a restarted instance: its previous run is dead) and those of any worker whose
    /// claim lapsed before `now`.
    pub async fn unfinished_hand_overs(self, by: &str, now: Timestamp) -> Result<Vec<HandOver>> {
        let rows = sqlx::query(
            "SELECT id, claimed_by, mail_file FROM mail_outbox \
             WHERE status = 'handed_over' AND claimed_by IS NOT NULL \
             AND (claimed_by = $1 OR claimed_until <= $2) ORDER BY id",
        )
        .bind(by)
        .bind(now.0)
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(HandOver {
                    id: MailId::new(r.try_get("id")?),
                    by: r.try_get("claimed_by")?,
                    mail_file: r.try_get("mail_file")?,
                })
            })
            .collect()
    }

    /// Leaves a hand-over as it is — handed over, unconfirmed — with `note` saying why, and
    /// no worker's claim: nobody sends it again unless an operator resends it.
    pub async fn settle_hand_over(self, id: MailId, note: &str) -> Result<()> {
        sqlx::query(
            "UPDATE mail_outbox SET claimed_until = 0, claimed_by = NULL, last_error = $1 \
             WHERE id = $2 AND status = 'handed_over'",
        )
        .bind(note.chars().take(500).collect::<String>())
        .bind(id.get())
        .execute(self.db())
        .await?;
        Ok(())
    }

    pub async fn mark_mail_sent(self, id: MailId, now: Timestamp) -> Result<()> {
        sqlx::query("UPDATE mail_outbox SET status = 'sent', sent_at = $1, last_error = NULL, claimed_until = 0, claimed_by = NULL WHERE id = $2")
            .bind(now.0)
            .bind(id.get())
            .execute(self.db())
            .await?;
        Ok(())
    }

    /// A failed attempt: try again at `retry_at`, or give up (`retry_at` = `None`). Also
    /// after a hand-over, when the transport refused the mail at its end.
    pub async fn mark_mail_failed(
        self,
        id: MailId,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> Result<()> {
        let (status, next) = match retry_at {
            Some(t) => ("pending", t.0),
            None => ("failed", i64::MAX),
        };
        sqlx::query(
            "UPDATE mail_outbox SET status = $1, next_attempt_at = $2, last_error = $3, claimed_until = 0, claimed_by = NULL, handed_over_at = NULL, mail_file = NULL WHERE id = $4",
        )
        .bind(status)
        .bind(next)
        .bind(error.chars().take(500).collect::<String>())
        .bind(id.get())
        .execute(self.db())
        .await?;
        Ok(())
    }

    /// Queues a mail again (operator resend, e.g. of a mail handed over but unconfirmed);
    /// returns whether it exists.
    pub async fn requeue_mail(self, id: MailId, now: Timestamp) -> Result<bool> {
        let r = sqlx::query(
            "UPDATE mail_outbox SET status = 'pending', next_attempt_at = $1, attempts = 0, claimed_until = 0, claimed_by = NULL, handed_over_at = NULL, mail_file = NULL WHERE id = $2",
        )
        .bind(now.0)
        .bind(id.get())
        .execute(self.db())
        .await?;
        Ok(r.rows_affected() > 0)
    }

    /// Mails waiting to be sent (pending), and when the oldest of them was queued (metrics).
    pub async fn depth(self) -> Result<(u64, Option<Timestamp>)> {
        let r = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM mail_outbox              WHERE status = 'pending'",
        )
        .fetch_one(self.db())
        .await?;
        let n: i64 = r.try_get("n")?;
        let oldest: Option<i64> = r.try_get("oldest")?;
        Ok((u64::try_from(n).unwrap_or(0), oldest.map(Timestamp)))
    }

    /// The newest outbox rows, optionally of one status.
    pub async fn list_mail(self, status: Option<MailStatus>, limit: u32) -> Result<Vec<OutboxRow>> {
        let rows = sqlx::query(
            "SELECT id, created_at, recipient, subject, status, attempts, last_error, handed_over_at, sent_at FROM mail_outbox \
             WHERE ($1 = '' OR status = $1) ORDER BY id DESC LIMIT $2",
        )
        .bind(status.map(MailStatus::as_str).unwrap_or(""))
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                let st: String = r.try_get("status")?;
                Ok(OutboxRow {
                    id: MailId::new(r.try_get("id")?),
                    created_at: Timestamp(r.try_get("created_at")?),
                    to: r.try_get("recipient")?,
                    subject: r.try_get("subject")?,
                    status: MailStatus::parse(&st)
                        .ok_or_else(|| StoreError::Corrupt(format!("mail status {st:?}")))?,
                    attempts: small(r.try_get("attempts")?),
                    last_error: r.try_get("last_error")?,
                    handed_over_at: r
                        .try_get::<Option<i64>, _>("handed_over_at")?
                        .map(Timestamp),
                    sent_at: r.try_get::<Option<i64>, _>("sent_at")?.map(Timestamp),
                })
            })
            .collect()
    }
}
