//! What everyone may read and every instance must honour: maintenance windows, お知らせ
//! (notices) and よくある質問 (FAQ).

use ccus_domain::Timestamp;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{Result, Store, StoreTx};

/// A scheduled maintenance window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaintenanceWindow {
    pub id: i64,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// From when the login pages show a banner about it.
    pub announce_from: Timestamp,
    pub message: String,
}

impl MaintenanceWindow {
    pub fn is_active(&self, now: Timestamp) -> bool {
        self.starts_at <= now && now < self.ends_at
    }
}

/// One お知らせ.
#[derive(Debug, Clone)]
pub struct Notice {
    pub id: i64,
    pub published_at: Timestamp,
    pub title: String,
    pub body_md: String,
}

/// One よくある質問 entry.
#[derive(Debug, Clone)]
pub struct FaqEntry {
    pub id: i64,
    pub category: String,
    pub question: String,
    pub answer_md: String,
    /// The language it is written in (`ja`, `en`, `easy`).
    pub lang: String,
}

/// An FAQ row (with `position` and `lang` selected): its position and the entry.
fn faq_row(r: &AnyRow) -> Result<(i64, FaqEntry)> {
    Ok((
        r.try_get("position")?,
        FaqEntry {
            id: r.try_get("id")?,
            category: r.try_get("category")?,
            question: r.try_get("question")?,
            answer_md: r.try_get("answer_md")?,
            lang: r.try_get("lang")?,
        },
    ))
}

fn window_from_row(r: &AnyRow) -> Result<MaintenanceWindow> {
    Ok(MaintenanceWindow {
        id: r.try_get("id")?,
        starts_at: Timestamp(r.try_get("starts_at")?),
        ends_at: Timestamp(r.try_get("ends_at")?),
        announce_from: Timestamp(r.try_get("announce_from")?),
        message: r.try_get("message")?,
    })
}

const WINDOW_COLUMNS: &str = "id, starts_at, ends_at, announce_from, message";

impl Store {
    /// Schedules a window and publishes its notice, together.
    pub async fn schedule_maintenance(
        &self,
        window: &MaintenanceWindow,
        notice_title: &str,
        notice_body: &str,
        now: Timestamp,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx
            .schedule_maintenance(window, notice_title, notice_body, now)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Cancels a window (its notice is withdrawn); returns whether it existed.
    pub async fn cancel_maintenance(&self, id: i64, now: Timestamp) -> Result<bool> {
        let mut tx = self.begin().await?;
        let existed = tx.cancel_maintenance(id, now).await?;
        tx.commit().await?;
        Ok(existed)
    }

    pub async fn publish_notice(&self, title: &str, body_md: &str, now: Timestamp) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.publish_notice(title, body_md, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn add_faq(&self, category: &str, question: &str, answer_md: &str) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.add_faq(category, question, answer_md).await?;
        tx.commit().await?;
        Ok(id)
    }
}

impl StoreTx {
    /// Schedules a window and publishes its notice.
    pub async fn schedule_maintenance(
        &mut self,
        window: &MaintenanceWindow,
        notice_title: &str,
        notice_body: &str,
        now: Timestamp,
    ) -> Result<i64> {
        self.maintenance_changed = true;
        let row = sqlx::query(
            "INSERT INTO maintenance_windows (starts_at, ends_at, announce_from, message, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(window.starts_at.0)
        .bind(window.ends_at.0)
        .bind(window.announce_from.0)
        .bind(&window.message)
        .bind(now.0)
        .fetch_one(self.conn())
        .await?;
        let id: i64 = row.try_get("id")?;
        sqlx::query("INSERT INTO notices (published_at, title, body_md, maintenance_id) VALUES ($1, $2, $3, $4)")
            .bind(now.0)
            .bind(notice_title)
            .bind(notice_body)
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(id)
    }

    /// Cancels a window (its notice is withdrawn); returns whether it existed.
    pub async fn cancel_maintenance(&mut self, id: i64, now: Timestamp) -> Result<bool> {
        self.maintenance_changed = true;
        let r = sqlx::query("UPDATE maintenance_windows SET cancelled_at = $1 WHERE id = $2 AND cancelled_at IS NULL")
            .bind(now.0)
            .bind(id)
            .execute(self.conn())
            .await?;
        sqlx::query("DELETE FROM notices WHERE maintenance_id = $1")
            .bind(id)
            .execute(self.conn())
            .await?;
        Ok(r.rows_affected() > 0)
    }

    pub async fn publish_notice(
        &mut self,
        title: &str,
        body_md: &str,
        now: Timestamp,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO notices (published_at, title, body_md) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(now.0)
        .bind(title)
        .bind(body_md)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get("id")?)
    }

    pub async fn add_faq(
        &mut self,
        category: &str,
        question: &str,
        answer_md: &str,
    ) -> Result<i64> {
        let row = sqlx::query(
            "INSERT INTO faq_entries (category, question, answer_md, position) \
             VALUES ($1, $2, $3, (SELECT COALESCE(MAX(position), 0) + 1 FROM faq_entries)) RETURNING id",
        )
        .bind(category)
        .bind(question)
        .bind(answer_md)
        .fetch_one(self.conn())
        .await?;
        Ok(row.try_get("id")?)
    }

    /// Adds the `lang` translation of the Japanese entry `of`, in its place. `None` when `of` is
    /// not a Japanese entry or already has a translation in `lang`.
    pub async fn add_faq_translation(
        &mut self,
        of: i64,
        lang: &str,
        category: &str,
        question: &str,
        answer_md: &str,
    ) -> Result<Option<i64>> {
        let Some(original) =
            sqlx::query("SELECT position FROM faq_entries WHERE id = $1 AND lang = 'ja'")
                .bind(of)
                .fetch_optional(self.conn())
                .await?
        else {
            return Ok(None);
        };
        let position: i64 = original.try_get("position")?;
        let taken = sqlx::query("SELECT id FROM faq_entries WHERE position = $1 AND lang = $2")
            .bind(position)
            .bind(lang)
            .fetch_optional(self.conn())
            .await?
            .is_some();
        if taken {
            return Ok(None);
        }
        let row = sqlx::query(
            "INSERT INTO faq_entries (category, question, answer_md, position, lang) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(category)
        .bind(question)
        .bind(answer_md)
        .bind(position)
        .bind(lang)
        .fetch_one(self.conn())
        .await?;
        Ok(Some(row.try_get("id")?))
    }
}

/// The window that matters, as last read, for up to a second: every portal page asks, and the
/// answer changes rarely. Another instance's change is seen within that second; this
/// instance's own at once. An entry is used only while the clock has moved forward by less
/// than the same second since it was read, so a clock that jumps (tests) reads again.
#[derive(Debug, Default)]
pub(crate) struct MaintenanceCache {
    entry: std::sync::Mutex<Option<CachedWindow>>,
}

#[derive(Debug)]
struct CachedWindow {
    read_at: std::time::Instant,
    for_time: Timestamp,
    window: Option<MaintenanceWindow>,
}

const MAINTENANCE_CACHE_MS: i64 = 1_000;

impl MaintenanceCache {
    fn get(&self, now: Timestamp) -> Option<Option<MaintenanceWindow>> {
        let entry = self.entry.lock().ok()?;
        let c = entry.as_ref()?;
        let fresh = c.read_at.elapsed() < std::time::Duration::from_millis(1_000)
            && (0..MAINTENANCE_CACHE_MS).contains(&(now.0 - c.for_time.0));
        // A cached window that has ended by `now` is read again as well.
        let still = c.window.as_ref().is_none_or(|w| now < w.ends_at);
        (fresh && still).then(|| c.window.clone())
    }

    fn put(&self, now: Timestamp, window: Option<MaintenanceWindow>) {
        if let Ok(mut entry) = self.entry.lock() {
            *entry = Some(CachedWindow {
                read_at: std::time::Instant::now(),
                for_time: now,
                window,
            });
        }
    }

    pub(crate) fn forget(&self) {
        if let Ok(mut entry) = self.entry.lock() {
            *entry = None;
        }
    }
}

impl Store {
    /// The window that matters at `now`: the active one, else the next announced one (read at
    /// most once a second; see [`MaintenanceCache`]).
    pub async fn current_maintenance(&self, now: Timestamp) -> Result<Option<MaintenanceWindow>> {
        if let Some(w) = self.maintenance.get(now) {
            return Ok(w);
        }
        let w = self.read_current_maintenance(now).await?;
        self.maintenance.put(now, w.clone());
        Ok(w)
    }

    async fn read_current_maintenance(&self, now: Timestamp) -> Result<Option<MaintenanceWindow>> {
        let row = sqlx::query(&format!(
            "SELECT {WINDOW_COLUMNS} FROM maintenance_windows \
             WHERE cancelled_at IS NULL AND ends_at > $1 AND announce_from <= $1 \
             ORDER BY starts_at LIMIT 1"
        ))
        .bind(now.0)
        .fetch_optional(self.db())
        .await?;
        row.map(|r| window_from_row(&r)).transpose()
    }

    /// Windows that have not ended, soonest first.
    pub async fn upcoming_maintenance(&self, now: Timestamp) -> Result<Vec<MaintenanceWindow>> {
        let rows = sqlx::query(&format!(
            "SELECT {WINDOW_COLUMNS} FROM maintenance_windows WHERE cancelled_at IS NULL AND ends_at > $1 ORDER BY starts_at"
        ))
        .bind(now.0)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(window_from_row).collect()
    }

    /// Published notices, newest first.
    pub async fn notices(&self, now: Timestamp, limit: u32) -> Result<Vec<Notice>> {
        let rows = sqlx::query(
            "SELECT id, published_at, title, body_md FROM notices WHERE published_at <= $1 \
             ORDER BY published_at DESC, id DESC LIMIT $2",
        )
        .bind(now.0)
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Notice {
                    id: r.try_get("id")?,
                    published_at: Timestamp(r.try_get("published_at")?),
                    title: r.try_get("title")?,
                    body_md: r.try_get("body_md")?,
                })
            })
            .collect()
    }

    /// Fills the FAQ with `entries` (category, question, answer) in `lang` once per database and
    /// language: the first instance to start does it, in one transaction. An entry and its
    /// translations share their position, so a language added later lines up with the entries
    /// seeded before it.
    pub async fn seed_faq(&self, lang: &str, entries: &[(&str, &str, &str)]) -> Result<bool> {
        let mut tx = self.begin().await?;
        let claim = if lang == "ja" {
            "seeded:faq".to_owned()
        } else {
            format!("seeded:faq:{lang}")
        };
        let claimed = sqlx::query(
            "INSERT INTO app_secrets (name, value) VALUES ($1, '1') ON CONFLICT (name) DO NOTHING",
        )
        .bind(&claim)
        .execute(tx.conn())
        .await?
        .rows_affected()
            > 0;
        if claimed {
            for (i, (category, question, answer)) in entries.iter().enumerate() {
                sqlx::query("INSERT INTO faq_entries (category, question, answer_md, position, lang) VALUES ($1, $2, $3, $4, $5)")
                    .bind(*category)
                    .bind(*question)
                    .bind(*answer)
                    .bind(i64::try_from(i).unwrap_or(i64::MAX))
                    .bind(lang)
                    .execute(tx.conn())
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(claimed)
    }

    /// The Japanese entries, in order, each with the languages it has been translated into (for
    /// the console).
    pub async fn faq_overview(&self) -> Result<Vec<(FaqEntry, Vec<String>)>> {
        let rows = sqlx::query(
            "SELECT id, category, question, answer_md, position, lang FROM faq_entries \
             ORDER BY position, id",
        )
        .fetch_all(self.db())
        .await?;
        let mut out: Vec<(i64, Option<FaqEntry>, Vec<String>)> = Vec::new();
        for r in &rows {
            let (position, e) = faq_row(r)?;
            if out.last().is_none_or(|(p, _, _)| *p != position) {
                out.push((position, None, Vec::new()));
            }
            if let Some((_, ja, langs)) = out.last_mut() {
                if e.lang == "ja" {
                    *ja = Some(e);
                } else {
                    langs.push(e.lang);
                }
            }
        }
        Ok(out
            .into_iter()
            .filter_map(|(_, ja, langs)| ja.map(|e| (e, langs)))
            .collect())
    }

    /// The FAQ for a reader of `lang`, in order: each entry in that language where it has been
    /// translated, else in Japanese.
    pub async fn faq(&self, lang: &str) -> Result<Vec<FaqEntry>> {
        let rows = sqlx::query(
            "SELECT id, category, question, answer_md, position, lang FROM faq_entries \
             WHERE lang = $1 OR lang = 'ja' ORDER BY position, id",
        )
        .bind(lang)
        .fetch_all(self.db())
        .await?;
        let mut out: Vec<(i64, FaqEntry)> = Vec::with_capacity(rows.len());
        for r in &rows {
            let (position, e) = faq_row(r)?;
            match out.last_mut() {
                Some((p, prev)) if *p == position => {
                    if prev.lang != lang && e.lang == lang {
                        *prev = e;
                    }
                }
                _ => out.push((position, e)),
            }
        }
        Ok(out.into_iter().map(|(_, e)| e).collect())
    }
}

impl Store {
    /// Counts one more arrival at a questionnaire ending.
    pub async fn count_guide_ending(&self, ending: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO guide_endings (ending, reached) VALUES ($1, 1) \
             ON CONFLICT (ending) DO UPDATE SET reached = guide_endings.reached + 1",
        )
        .bind(ending)
        .execute(self.db())
        .await?;
        Ok(())
    }

    /// Every ending reached, with its count, most reached first.
    pub async fn guide_endings(&self) -> Result<Vec<(String, i64)>> {
        let rows =
            sqlx::query("SELECT ending, reached FROM guide_endings ORDER BY reached DESC, ending")
                .fetch_all(self.db())
                .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("ending")?, r.try_get("reached")?)))
            .collect()
    }
}
