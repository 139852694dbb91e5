//! What anyone may read without logging in: 「ログインできない方へ」, お知らせ and よくある質問.

pub mod guide;

use ccus_domain::Timestamp;

use crate::{App, AppResult};

/// Read models of the public pages: a published お知らせ and an FAQ entry (in the asked
/// language, or in Japanese where it has no translation).
pub use ccus_storage::{FaqEntry, Notice};

/// The newest published notices at `now`, at most `limit`.
pub async fn notices(app: &App, now: Timestamp, limit: u32) -> AppResult<Vec<Notice>> {
    Ok(app.store().public_info().notices(now, limit).await?)
}

/// Every FAQ entry, in `lang` where translated.
pub async fn faq(app: &App, lang: &str) -> AppResult<Vec<FaqEntry>> {
    Ok(app.store().public_info().faq(lang).await?)
}
