//! Operator tasks shared by the console and the CLI: scheduling maintenance (with its
//! お知らせ), publishing notices, adding FAQ entries.

use ccus_domain::calendar::parse_jst;
use ccus_storage::MaintenanceWindow;

use crate::error::WebError;
use crate::AppState;

#[derive(Debug, thiserror::Error)]
pub enum OperationError {
    /// What the operator typed cannot work; the message says why (Japanese and English).
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Web(#[from] WebError),
}

impl From<ccus_storage::StoreError> for OperationError {
    fn from(e: ccus_storage::StoreError) -> Self {
        OperationError::Web(e.into())
    }
}

/// A checked window with the notice that announces it.
pub struct MaintenancePlan {
    pub window: MaintenanceWindow,
    pub title: String,
    pub body: String,
}

/// Schedules a window from JST times like `2026-12-01 22:00`, and publishes its notice.
pub async fn schedule_maintenance(
    state: &AppState,
    from: &str,
    to: &str,
    message: &str,
) -> Result<MaintenanceWindow, OperationError> {
    let mut plan = plan_maintenance(state, from, to, message)?;
    let now = state.clock().now();
    plan.window.id = state
        .store()
        .schedule_maintenance(&plan.window, &plan.title, &plan.body, now)
        .await?;
    Ok(plan.window)
}

/// Checks a window given in JST and writes its notice; nothing is stored.
pub fn plan_maintenance(
    state: &AppState,
    from: &str,
    to: &str,
    message: &str,
) -> Result<MaintenancePlan, OperationError> {
    let now = state.clock().now();
    let starts_at = parse_jst(from).ok_or_else(|| {
        OperationError::Invalid(format!(
            "開始日時 {from:?} を「2026-12-01 22:00」の形で入力してください (a JST time like \"2026-12-01 22:00\")"
        ))
    })?;
    let ends_at = parse_jst(to).ok_or_else(|| {
        OperationError::Invalid(format!(
            "終了日時 {to:?} を「2026-12-02 06:00」の形で入力してください (a JST time like \"2026-12-02 06:00\")"
        ))
    })?;
    if ends_at <= starts_at {
        return Err(OperationError::Invalid(
            "終了は開始より後にしてください (the window must end after it starts)".into(),
        ));
    }
    if ends_at <= now {
        return Err(OperationError::Invalid(
            "この時間帯はすでに終わっています (the window is already over)".into(),
        ));
    }
    let window = MaintenanceWindow {
        id: 0,
        starts_at,
        ends_at,
        announce_from: starts_at.minus(state.config().maintenance.announce_before),
        message: message.trim().chars().take(500).collect(),
    };
    let title = format!(
        "メンテナンスのお知らせ（{}〜{}）",
        starts_at.jst(),
        ends_at.jst()
    );
    let mut body = format!(
        "次の時間帯はシステムのメンテナンスのため、ログインやパスワードの再設定などがご利用いただけません。\n\n- 開始: {}（日本時間）\n- 終了予定: {}（日本時間）\n",
        starts_at.jst(),
        ends_at.jst()
    );
    if !window.message.is_empty() {
        body.push_str(&format!("\n{}\n", window.message));
    }
    body.push_str("\nご不便をおかけしますが、ご理解のほどよろしくお願いいたします。\n");
    Ok(MaintenancePlan {
        window,
        title,
        body,
    })
}
