//! What operators do: maintenance windows, お知らせ and FAQ (always audited), and generated data
//! at CCUS size.

pub mod faq_seed;
pub mod generate;
pub mod generate_records;
pub mod generate_sites;
pub mod operations;

use ccus_domain::Timestamp;

use crate::{App, AppResult};

/// Read models of the operations pages: a maintenance window (メンテナンス) and an FAQ entry.
/// Plain rows with nothing secret in them.
pub use ccus_storage::{FaqEntry, MaintenanceWindow};

/// What the operations console shows: the maintenance windows to come (and one under way),
/// and every FAQ entry with the languages it is translated into.
#[derive(Debug, Clone)]
pub struct Console {
    pub windows: Vec<MaintenanceWindow>,
    pub faq: Vec<(FaqEntry, Vec<String>)>,
}

/// The operations console's contents at `now`.
pub async fn console(app: &App, now: Timestamp) -> AppResult<Console> {
    Ok(Console {
        windows: app.store().public_info().upcoming_maintenance(now).await?,
        faq: app.store().public_info().faq_overview().await?,
    })
}

/// The maintenance window that matters at `now`: under way, or announced.
pub async fn current_maintenance(
    app: &App,
    now: Timestamp,
) -> AppResult<Option<MaintenanceWindow>> {
    Ok(app.store().public_info().current_maintenance(now).await?)
}

/// The instance can serve: the database answers.
pub async fn ready(app: &App) -> AppResult<()> {
    Ok(app.store().ping().await?)
}
