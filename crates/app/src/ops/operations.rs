//! Operator tasks, one path for the console and the CLI: scheduling and cancelling
//! maintenance (with its お知らせ), publishing notices, adding FAQ entries — each audited in
//! the same transaction as the change.

use ccus_domain::{calendar::parse_jst, StaffId};
use ccus_storage::MaintenanceWindow;

use crate::audit::{self, Actor, AuditAction, AuditDetail, AuditEvent};
use crate::error::AppError;
use crate::i18n::{Lang, Msg};
use crate::App;

#[derive(Debug, thiserror::Error)]
pub enum OperationError {
    /// What the operator typed cannot work; the message says why.
    #[error("{0}")]
    Invalid(Said),
    /// The thing to act on does not exist; the message says which.
    #[error("{0}")]
    NotFound(Said),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<ccus_storage::StoreError> for OperationError {
    fn from(e: ccus_storage::StoreError) -> Self {
        OperationError::App(e.into())
    }
}

/// Why an operation was refused: the console puts it into the reader's language
/// ([`Said::msg`]); on the command line it reads in Japanese, then English in parentheses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Said(pub Msg);

impl Said {
    pub fn msg(&self) -> &Msg {
        &self.0
    }
}

impl From<Msg> for Said {
    fn from(m: Msg) -> Self {
        Said(m)
    }
}

impl std::fmt::Display for Said {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.0.text(Lang::Ja), self.0.text(Lang::En))
    }
}

/// A checked window with the notice that announces it.
pub struct MaintenancePlan {
    pub window: MaintenanceWindow,
    pub title: String,
    pub body: String,
}

/// Who performs an operation; every operation is audited under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operator {
    /// A supervisor in the helpdesk console (the staff row's id).
    Staff(StaffId),
    /// An operator with `ccus admin …` on the server.
    CommandLine,
}

/// An operator task.
#[derive(Debug, Clone)]
pub enum Operation {
    /// A window in JST (`2026-12-01 22:00`), with its お知らせ.
    ScheduleMaintenance {
        from: String,
        to: String,
        message: String,
    },
    CancelMaintenance {
        id: i64,
    },
    PublishNotice {
        title: String,
        body_md: String,
    },
    /// A new entry in Japanese, or (with `translates`) the `lang` translation of a Japanese one.
    AddFaq {
        category: String,
        question: String,
        answer_md: String,
        /// `ja` (or empty), `en` or `easy`.
        lang: String,
        translates: Option<i64>,
    },
}

/// What an operation did.
#[derive(Debug, Clone)]
pub enum OperationOutcome {
    Scheduled(MaintenanceWindow),
    Cancelled { id: i64 },
    Published { id: i64 },
    FaqAdded { id: i64 },
}

impl OperationOutcome {
    /// What the audit log records.
    pub fn audit_action(&self) -> AuditAction {
        match self {
            OperationOutcome::Scheduled(_) => AuditAction::MaintenanceScheduled,
            OperationOutcome::Cancelled { .. } => AuditAction::MaintenanceCancelled,
            OperationOutcome::Published { .. } => AuditAction::NoticePublished,
            OperationOutcome::FaqAdded { .. } => AuditAction::FaqAdded,
        }
    }

    /// A short name for the result (`done=` in the console).
    pub fn code(&self) -> &'static str {
        match self {
            OperationOutcome::Scheduled(_) => "maintenance",
            OperationOutcome::Cancelled { .. } => "cancel",
            OperationOutcome::Published { .. } => "notice",
            OperationOutcome::FaqAdded { .. } => "faq",
        }
    }
}

/// Performs an operation and writes its audit entry in the same transaction: the console and
/// the command line are audited alike.
pub async fn run(
    app: &App,
    by: Operator,
    op: Operation,
) -> Result<OperationOutcome, OperationError> {
    let now = app.clock().now();
    // Checked before the transaction opens, so a refusal holds no lock.
    let plan = match &op {
        Operation::ScheduleMaintenance { from, to, message } => {
            Some(plan_maintenance(app, from, to, message)?)
        }
        _ => None,
    };
    let mut tx = app.store().begin().await?;
    let (outcome, detail) = match (op, plan) {
        (Operation::ScheduleMaintenance { .. }, Some(mut plan)) => {
            plan.window.id = tx
                .public_info()
                .schedule_maintenance(&plan.window, &plan.title, &plan.body, now)
                .await?;
            let detail = AuditDetail::MaintenanceWindow {
                window: plan.window.id,
                starts_at: plan.window.starts_at.0,
                ends_at: plan.window.ends_at.0,
            };
            (OperationOutcome::Scheduled(plan.window), detail)
        }
        (Operation::ScheduleMaintenance { .. }, None) => {
            return Err(OperationError::App(AppError::Internal(
                "a maintenance window without a plan".into(),
            )))
        }
        (Operation::CancelMaintenance { id }, _) => {
            if !tx.public_info().cancel_maintenance(id, now).await? {
                return Err(OperationError::NotFound(
                    Msg::new("helpdesk-op-no-window").arg("id", id).into(),
                ));
            }
            (
                OperationOutcome::Cancelled { id },
                AuditDetail::MaintenanceCancelled { window: id },
            )
        }
        (Operation::PublishNotice { title, body_md }, _) => {
            let (title, body) = (title.trim(), body_md.trim());
            if title.is_empty() || body.is_empty() {
                return Err(OperationError::Invalid(
                    Msg::new("helpdesk-op-notice-empty").into(),
                ));
            }
            let id = tx.public_info().publish_notice(title, body, now).await?;
            (
                OperationOutcome::Published { id },
                AuditDetail::Notice {
                    notice: id,
                    title: title.to_owned(),
                },
            )
        }
        (
            Operation::AddFaq {
                category,
                question,
                answer_md,
                lang,
                translates,
            },
            _,
        ) => {
            let (c, q, a) = (category.trim(), question.trim(), answer_md.trim());
            if c.is_empty() || q.is_empty() || a.is_empty() {
                return Err(OperationError::Invalid(
                    Msg::new("helpdesk-op-faq-empty").into(),
                ));
            }
            let lang = match lang.trim() {
                "" => crate::i18n::Lang::Ja,
                code => crate::i18n::Lang::parse(code).ok_or_else(|| {
                    OperationError::Invalid(Msg::new("helpdesk-op-faq-lang").into())
                })?,
            };
            let id = match (lang, translates) {
                (crate::i18n::Lang::Ja, None) => tx.public_info().add_faq(c, q, a).await?,
                (crate::i18n::Lang::Ja, Some(_)) | (_, None) => {
                    return Err(OperationError::Invalid(
                        Msg::new("helpdesk-op-faq-translation-needs-original").into(),
                    ))
                }
                (lang, Some(of)) => tx
                    .public_info()
                    .add_faq_translation(of, lang.code(), c, q, a)
                    .await?
                    .ok_or_else(|| {
                        OperationError::Invalid(
                            Msg::new("helpdesk-op-faq-no-original").arg("id", of).into(),
                        )
                    })?,
            };
            let what = AuditDetail::Faq {
                faq: id,
                question: q.to_owned(),
                lang: lang.code().to_owned(),
                translates,
            };
            (OperationOutcome::FaqAdded { id }, what)
        }
    };
    let action = outcome.audit_action();
    let actor = match by {
        Operator::Staff(pk) => Actor::Staff { pk },
        Operator::CommandLine => Actor::Operator,
    };
    let event = AuditEvent::new(action, detail);
    audit::record(&mut tx, &actor, event.clone(), now).await?;
    tx.commit().await?;
    tracing::info!(?by, action = action.code(), detail = ?event.detail, "operation");
    Ok(outcome)
}

/// Checks a window given in JST and writes its notice; nothing is stored.
pub fn plan_maintenance(
    state: &App,
    from: &str,
    to: &str,
    message: &str,
) -> Result<MaintenancePlan, OperationError> {
    let now = state.clock().now();
    let starts_at = parse_jst(from).ok_or_else(|| {
        OperationError::Invalid(
            Msg::new("helpdesk-op-bad-from")
                .arg("value", format!("{from:?}"))
                .into(),
        )
    })?;
    let ends_at = parse_jst(to).ok_or_else(|| {
        OperationError::Invalid(
            Msg::new("helpdesk-op-bad-to")
                .arg("value", format!("{to:?}"))
                .into(),
        )
    })?;
    if ends_at <= starts_at {
        return Err(OperationError::Invalid(
            Msg::new("helpdesk-op-end-first").into(),
        ));
    }
    if ends_at <= now {
        return Err(OperationError::Invalid(Msg::new("helpdesk-op-over").into()));
    }
    let window = MaintenanceWindow {
        id: 0,
        starts_at,
        ends_at,
        announce_from: starts_at.minus(state.config().maintenance.announce_before),
        message: message.trim().chars().take(500).collect(),
    };
    // Stored in Japanese; the お知らせ page tells it in the reader's language.
    let (title, body) = maintenance_notice(Lang::Ja, &window);
    Ok(MaintenancePlan {
        window,
        title,
        body,
    })
}

/// The お知らせ of a maintenance window in `lang`: its title and Markdown body. The
/// operator's own message is added as written.
pub fn maintenance_notice(lang: Lang, window: &MaintenanceWindow) -> (String, String) {
    use crate::i18n::text_in;
    let (from, to) = (window.starts_at.jst(), window.ends_at.jst());
    let title = text_in(
        lang,
        "maintenance-notice-title",
        &[("from", &from), ("to", &to)],
    );
    let mut body = format!(
        "{}\n\n- {}\n- {}\n",
        text_in(lang, "maintenance-notice-what", &[]),
        text_in(lang, "maintenance-notice-start", &[("at", &from)]),
        text_in(lang, "maintenance-notice-end", &[("at", &to)]),
    );
    if !window.message.is_empty() {
        body.push_str(&format!("\n{}\n", window.message));
    }
    body.push_str(&format!(
        "\n{}\n",
        text_in(lang, "maintenance-notice-closing", &[])
    ));
    (title, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_reads_in_japanese_then_english_on_the_command_line() {
        let said = Said::from(Msg::new("helpdesk-op-bad-from").arg("value", "\"soon\""));
        assert_eq!(
            said.to_string(),
            "開始日時 \"soon\" を「2026-12-01 22:00」の形で入力してください \
             (Enter the start \"soon\" as a JST time like \"2026-12-01 22:00\")"
        );
        assert_eq!(
            said.msg().text(Lang::Ja),
            "開始日時 \"soon\" を「2026-12-01 22:00」の形で入力してください"
        );
    }
}
