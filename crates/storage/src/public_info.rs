//! What everyone may read and every instance must honour: maintenance windows, お知らせ
//! (notices) and よくある質問 (FAQ).

use ccus_domain::Timestamp;
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::{PublicInfo, Result, Store, StoreTx};

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
    /// The maintenance window a notice announces (still scheduled), so that it can be told
    /// in the reader's language; the stored title and body are in Japanese.
    pub maintenance: Option<MaintenanceWindow>,
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
    /// For a translation: the Japanese entry it translates.
    pub translation_of: Option<i64>,
}

const FAQ_COLUMNS: &str = "id, category, question, answer_md, lang, translation_of";

/// An FAQ row (selected with [`FAQ_COLUMNS`]).
fn faq_row(r: &AnyRow) -> Result<FaqEntry> {
    Ok(FaqEntry {
        id: r.try_get("id")?,
        category: r.try_get("category")?,
        question: r.try_get("question")?,
        answer_md: r.try_get("answer_md")?,
        lang: r.try_get("lang")?,
        translation_of: r.try_get("translation_of")?,
    })
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

impl PublicInfo<&Store> {
    /// Schedules a window and publishes its notice, together.
    pub async fn schedule_maintenance(
        self,
        window: &MaintenanceWindow,
        notice_title: &str,
        notice_body: &str,
        now: Timestamp,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx
            .public_info()
            .schedule_maintenance(window, notice_title, notice_body, now)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Cancels a window (its notice is withdrawn); returns whether it existed.
    pub async fn cancel_maintenance(self, id: i64, now: Timestamp) -> Result<bool> {
        let mut tx = self.begin().await?;
        let existed = tx.public_info().cancel_maintenance(id, now).await?;
        tx.commit().await?;
        Ok(existed)
    }

    pub async fn publish_notice(self, title: &str, body_md: &str, now: Timestamp) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.public_info().publish_notice(title, body_md, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn add_faq(self, category: &str, question: &str, answer_md: &str) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx
            .public_info()
            .add_faq(category, question, answer_md)
            .await?;
        tx.commit().await?;
        Ok(id)
    }
}

impl PublicInfo<&mut StoreTx> {
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

    /// Claims a one-time seeding by name (true for the first to ask, once per database).
    async fn claim_seed(&mut self, name: &str) -> Result<bool> {
        Ok(sqlx::query(
            "INSERT INTO app_secrets (name, value) VALUES ($1, '1') ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .execute(self.conn())
        .await?
        .rows_affected()
            > 0)
    }

    /// Adds the `lang` translation of the Japanese entry `of`. `None` when `of` is not a
    /// Japanese entry or already has a translation in `lang` (a unique index decides, also
    /// between two instances adding at once).
    pub async fn add_faq_translation(
        &mut self,
        of: i64,
        lang: &str,
        category: &str,
        question: &str,
        answer_md: &str,
    ) -> Result<Option<i64>> {
        let Some(original) = sqlx::query(
            "SELECT position FROM faq_entries WHERE id = $1 AND lang = 'ja' AND translation_of IS NULL",
        )
        .bind(of)
        .fetch_optional(self.conn())
        .await?
        else {
            return Ok(None);
        };
        let position: i64 = original.try_get("position")?;
        let row = sqlx::query(
            "INSERT INTO faq_entries (category, question, answer_md, position, lang, translation_of) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (translation_of, lang) DO NOTHING RETURNING id",
        )
        .bind(category)
        .bind(question)
        .bind(answer_md)
        .bind(position)
        .bind(lang)
        .bind(of)
        .fetch_optional(self.conn())
        .await?;
        row.map(|r| Ok(r.try_get("id")?)).transpose()
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

impl PublicInfo<&Store> {
    /// The window that matters at `now`: the active one, else the next announced one (read at
    /// most once a second; see [`MaintenanceCache`]).
    pub async fn current_maintenance(self, now: Timestamp) -> Result<Option<MaintenanceWindow>> {
        if let Some(w) = self.maintenance.get(now) {
            return Ok(w);
        }
        let w = self.read_current_maintenance(now).await?;
        self.maintenance.put(now, w.clone());
        Ok(w)
    }

    async fn read_current_maintenance(self, now: Timestamp) -> Result<Option<MaintenanceWindow>> {
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
    pub async fn upcoming_maintenance(self, now: Timestamp) -> Result<Vec<MaintenanceWindow>> {
        let rows = sqlx::query(&format!(
            "SELECT {WINDOW_COLUMNS} FROM maintenance_windows WHERE cancelled_at IS NULL AND ends_at > $1 ORDER BY starts_at"
        ))
        .bind(now.0)
        .fetch_all(self.db())
        .await?;
        rows.iter().map(window_from_row).collect()
    }

    /// Published notices, newest first.
    pub async fn notices(self, now: Timestamp, limit: u32) -> Result<Vec<Notice>> {
        let rows = sqlx::query(
            "SELECT n.id AS notice_id, n.published_at AS published_at, n.title AS title, \
                    n.body_md AS body_md, w.id AS id, w.starts_at AS starts_at, \
                    w.ends_at AS ends_at, w.announce_from AS announce_from, w.message AS message \
             FROM notices n LEFT JOIN maintenance_windows w \
                  ON w.id = n.maintenance_id AND w.cancelled_at IS NULL \
             WHERE n.published_at <= $1 \
             ORDER BY n.published_at DESC, n.id DESC LIMIT $2",
        )
        .bind(now.0)
        .bind(i64::from(limit))
        .fetch_all(self.db())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Notice {
                    id: r.try_get("notice_id")?,
                    published_at: Timestamp(r.try_get("published_at")?),
                    title: r.try_get("title")?,
                    body_md: r.try_get("body_md")?,
                    maintenance: match r.try_get::<Option<i64>, _>("id")? {
                        Some(_) => Some(window_from_row(r)?),
                        None => None,
                    },
                })
            })
            .collect()
    }

    /// Fills the FAQ with `entries` (category, question, answer) in Japanese once per database:
    /// the first instance to start does it, in one transaction.
    pub async fn seed_faq(self, entries: &[(&str, &str, &str)]) -> Result<bool> {
        let mut tx = self.begin().await?;
        let claimed = tx.public_info().claim_seed("seeded:faq").await?;
        if claimed {
            for (i, (category, question, answer)) in entries.iter().enumerate() {
                sqlx::query("INSERT INTO faq_entries (category, question, answer_md, position) VALUES ($1, $2, $3, $4)")
                    .bind(*category)
                    .bind(*question)
                    .bind(*answer)
                    .bind(i64::try_from(i).unwrap_or(i64::MAX))
                    .execute(tx.conn())
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(claimed)
    }

    /// Adds the `lang` translations of seeded entries once per database and language: each
    /// `(original question, category, question, answer)` goes with the Japanese entry that has
    /// that question (the first one), and is left out where there is none.
    pub async fn seed_faq_translations(
        self,
        lang: &str,
        entries: &[(&str, &str, &str, &str)],
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let claimed = tx
            .public_info()
            .claim_seed(&format!("seeded:faq:{lang}"))
            .await?;
        if claimed {
            for (original, category, question, answer) in entries {
                let of = sqlx::query(
                    "SELECT id FROM faq_entries WHERE question = $1 AND lang = 'ja' \
                     AND translation_of IS NULL ORDER BY id LIMIT 1",
                )
                .bind(*original)
                .fetch_optional(tx.conn())
                .await?;
                if let Some(of) = of {
                    let of: i64 = of.try_get("id")?;
                    tx.public_info()
                        .add_faq_translation(of, lang, category, question, answer)
                        .await?;
                }
            }
        }
        tx.commit().await?;
        Ok(claimed)
    }

    /// The Japanese entries, in order, each with the languages it has been translated into (for
    /// the console).
    pub async fn faq_overview(self) -> Result<Vec<(FaqEntry, Vec<String>)>> {
        let entries = self.faq("ja").await?;
        let rows = sqlx::query(
            "SELECT translation_of, lang FROM faq_entries WHERE translation_of IS NOT NULL ORDER BY lang",
        )
        .fetch_all(self.db())
        .await?;
        let mut langs: std::collections::HashMap<i64, Vec<String>> = Default::default();
        for r in &rows {
            langs
                .entry(r.try_get("translation_of")?)
                .or_default()
                .push(r.try_get("lang")?);
        }
        Ok(entries
            .into_iter()
            .map(|e| {
                let l = langs.remove(&e.id).unwrap_or_default();
                (e, l)
            })
            .collect())
    }

    /// The FAQ for a reader of `lang`, in order: each Japanese entry, or its translation into
    /// `lang` where there is one.
    pub async fn faq(self, lang: &str) -> Result<Vec<FaqEntry>> {
        let rows = sqlx::query(&format!(
            "SELECT {FAQ_COLUMNS} FROM faq_entries WHERE translation_of IS NULL ORDER BY position, id"
        ))
        .fetch_all(self.db())
        .await?;
        let mut translated: std::collections::HashMap<i64, FaqEntry> = Default::default();
        if lang != "ja" {
            let rows = sqlx::query(&format!(
                "SELECT {FAQ_COLUMNS} FROM faq_entries WHERE lang = $1 AND translation_of IS NOT NULL"
            ))
            .bind(lang)
            .fetch_all(self.db())
            .await?;
            for r in &rows {
                let e = faq_row(r)?;
                if let Some(of) = e.translation_of {
                    translated.insert(of, e);
                }
            }
        }
        rows.iter()
            .map(|r| {
                let e = faq_row(r)?;
                Ok(translated.remove(&e.id).unwrap_or(e))
            })
            .collect()
    }
}

impl PublicInfo<&Store> {
    /// Counts one more arrival at a questionnaire ending.
    pub async fn count_guide_ending(self, ending: &str) -> Result<()> {
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
    pub async fn guide_endings(self) -> Result<Vec<(String, i64)>> {
        let rows =
            sqlx::query("SELECT ending, reached FROM guide_endings ORDER BY reached DESC, ending")
                .fetch_all(self.db())
                .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("ending")?, r.try_get("reached")?)))
            .collect()
    }
}
