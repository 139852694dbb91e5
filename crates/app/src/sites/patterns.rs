//! Patterns that save re-entering the same chain or the same crew: a 施工体制パターン keeps the
//! companies a business asks onto its sites (its direct lower tiers), a 作業員名簿パターン its
//! workers with their 職種, 立場 and the rest. Applying one goes through the same 要請 and 名簿
//! rules as typing each in (so a company under a 合意 is placed at once, the others asked).

use ccus_domain::org::{Action, Target};
use ccus_domain::site::Position;
use ccus_domain::{PatternId, PlacementId, SiteId};
use ccus_storage::Pattern;
use serde::{Deserialize, Serialize};

use crate::audit::{self, AuditAction, AuditDetail, AuditEvent};
use crate::i18n::Msg;
use crate::org::OrgContext;
use crate::sites::roster::{self, RosterOutcome, WorkerForm};
use crate::sites::tiers::{self, InviteOutcome};
use crate::sites::view::view;
use crate::{App, AppResult};

/// Which kind of pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternKind {
    /// 施工体制パターン.
    Tiers,
    /// 作業員名簿パターン.
    Roster,
}

impl PatternKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PatternKind::Tiers => "tiers",
            PatternKind::Roster => "roster",
        }
    }
    /// What the permission table calls using this kind of pattern.
    pub fn action(self) -> Action {
        match self {
            PatternKind::Tiers => Action::AnswerRequests,
            PatternKind::Roster => Action::EditRoster,
        }
    }
    pub fn parse(s: &str) -> Option<PatternKind> {
        [PatternKind::Tiers, PatternKind::Roster]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// A worker as a 作業員名簿パターン keeps them.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct SavedWorker {
    login_id: String,
    trade: String,
    work: String,
    position: String,
    hazardous: bool,
    health_check: Option<String>,
    qualifications: String,
}

/// The business's patterns of a kind.
pub async fn patterns(app: &App, ctx: &OrgContext, kind: PatternKind) -> AppResult<Vec<Pattern>> {
    Ok(app
        .store()
        .listings()
        .patterns(ctx.business.id, kind.as_str())
        .await?)
}

/// What saving a pattern did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveOutcome {
    /// Saved with this many entries.
    Saved(usize),
    /// Nothing to save, or a name that cannot be used; why.
    Refused(Msg),
    NotFound,
}

/// Saves what the business has under its place on a site as a pattern named `name`
/// (replacing one of the same name).
pub async fn save(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
    kind: PatternKind,
    name: &str,
) -> AppResult<SaveOutcome> {
    if !ctx.may(kind.action(), Target::Business) {
        return Ok(SaveOutcome::NotFound);
    }
    let name = name.trim();
    if name.is_empty() {
        return Ok(SaveOutcome::Refused(Msg::new("site-pattern-name-empty")));
    }
    if name.chars().count() > 50 || name.chars().any(char::is_control) {
        return Ok(SaveOutcome::Refused(
            Msg::new("site-error-too-long").arg("max", 50),
        ));
    }
    let Some(v) = view(app, ctx, site_id).await? else {
        return Ok(SaveOutcome::NotFound);
    };
    let Some(mine) = v.my_place.and_then(|p| v.place(p)) else {
        return Ok(SaveOutcome::NotFound);
    };
    let (body, n) = match kind {
        PatternKind::Tiers => {
            let ids: Vec<String> = v
                .places
                .iter()
                .filter(|p| p.place.parent == Some(mine.place.id))
                .map(|p| p.place.business.login_id.as_str().to_owned())
                .collect();
            (serde_json::to_string(&ids), ids.len())
        }
        PatternKind::Roster => {
            let workers: Vec<SavedWorker> = mine
                .workers
                .iter()
                .filter(|w| !w.asked)
                .map(|w| SavedWorker {
                    login_id: w.seen.login_id.replace(' ', ""),
                    trade: w.fields.trade.clone(),
                    work: w.fields.work.clone(),
                    position: w.fields.position.as_str().to_owned(),
                    hazardous: w.fields.hazardous,
                    health_check: w.fields.health_check.map(ccus_domain::profile::format_date),
                    qualifications: w.fields.qualifications.clone(),
                })
                .collect();
            (serde_json::to_string(&workers), workers.len())
        }
    };
    let body = body.map_err(|e| crate::AppError::Internal(format!("pattern: {e}")))?;
    if n == 0 {
        return Ok(SaveOutcome::Refused(Msg::new("site-pattern-nothing")));
    }
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    tx.listings()
        .save_pattern(ctx.business.id, kind.as_str(), name, &body, ctx.me.id, now)
        .await?;
    let event = AuditEvent::new(
        AuditAction::PatternSaved,
        AuditDetail::Pattern {
            pattern: kind.as_str().to_owned(),
            name: name.to_owned(),
            entries: n as u64,
        },
    );
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    Ok(SaveOutcome::Saved(n))
}

/// What applying a pattern did, entry by entry: (the ID it names, what happened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Applied {
    Invite(InviteOutcome),
    Worker(RosterOutcome),
}

/// Applies a saved pattern to the business's place on a site: asks each company (施工体制) or
/// lists each worker (名簿) as if typed in.
pub async fn apply(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
    place: PlacementId,
    id: PatternId,
) -> AppResult<Option<Vec<(String, Applied)>>> {
    let mut found = None;
    for kind in [PatternKind::Tiers, PatternKind::Roster] {
        if let Some(p) = patterns(app, ctx, kind)
            .await?
            .into_iter()
            .find(|p| p.id == id)
        {
            found = Some((kind, p));
        }
    }
    let Some((kind, pattern)) = found else {
        return Ok(None);
    };
    let mut out = Vec::new();
    match kind {
        PatternKind::Tiers => {
            let ids: Vec<String> = serde_json::from_str(&pattern.body).unwrap_or_default();
            for id in ids {
                let r = tiers::invite(app, ctx, site_id, place, &id).await?;
                out.push((id, Applied::Invite(r)));
            }
        }
        PatternKind::Roster => {
            let workers: Vec<SavedWorker> = serde_json::from_str(&pattern.body).unwrap_or_default();
            for w in workers {
                let form = WorkerForm {
                    login_id: w.login_id.clone(),
                    trade: w.trade,
                    work: w.work,
                    position: Position::parse(&w.position)
                        .map_or_else(String::new, |p| p.as_str().to_owned()),
                    hazardous: if w.hazardous { "yes" } else { "no" }.to_owned(),
                    health_check: w.health_check.unwrap_or_default(),
                    qualifications: w.qualifications,
                };
                let r = roster::add_worker(app, ctx, site_id, place, &form).await?;
                out.push((w.login_id, Applied::Worker(r)));
            }
        }
    }
    Ok(Some(out))
}

/// Deletes one of the business's patterns; false when it has none of that id.
pub async fn delete(app: &App, ctx: &OrgContext, id: PatternId) -> AppResult<bool> {
    if !ctx.may(Action::AnswerRequests, Target::Business)
        && !ctx.may(Action::EditRoster, Target::Business)
    {
        return Ok(false);
    }
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let done = tx.listings().delete_pattern(ctx.business.id, id).await?;
    if done {
        let event = AuditEvent::new(AuditAction::PatternDeleted, AuditDetail::Nothing);
        audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
        tx.commit().await?;
    }
    Ok(done)
}
