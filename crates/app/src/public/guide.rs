//! 「ログインできない方へ」 on the application side: counting how often each ending is reached
//! (nothing personal: the ending's name and a number), and the counts for supervisors, so the
//! FAQ can follow what people actually get stuck on.

use ccus_domain::guide::Ending;
use ccus_storage::{Staff, StaffRole};

use crate::{App, AppError, AppResult};

/// Counts an arrival at `ending`. A failure to count is logged and never stops the help page.
pub async fn reached(app: &App, ending: Ending) {
    if let Err(e) = app
        .store()
        .public_info()
        .count_guide_ending(ending.as_str())
        .await
    {
        tracing::warn!(error = %e, ending = ending.as_str(), "guide ending not counted");
    }
}

/// Every ending with how often it was reached, most reached first (supervisors only).
pub async fn counts(app: &App, staff: &Staff) -> AppResult<Vec<(Ending, i64)>> {
    if staff.role != StaffRole::Supervisor {
        return Err(AppError::Forbidden);
    }
    let stored = app.store().public_info().guide_endings().await?;
    let mut out: Vec<(Ending, i64)> = Ending::ALL
        .into_iter()
        .map(|e| {
            let n = stored
                .iter()
                .find(|(k, _)| k == e.as_str())
                .map_or(0, |(_, n)| *n);
            (e, n)
        })
        .collect();
    out.sort_by_key(|e| std::cmp::Reverse(e.1));
    Ok(out)
}
