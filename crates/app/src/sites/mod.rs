//! 現場 and 施工体制, run by the businesses on them. A 元請 registers a site (a 14-digit 現場ID,
//! its 現場情報 and any number of contracts), names its 現場管理者, and edits, closes and
//! re-opens it (`register`, `edit`, `set_closed` here). Each company on the site asks its own
//! lower tiers (要請, `tiers.rs`) — or places them at once under a standing 事業者間合意 — and
//! lists its workers (作業員名簿, `roster.rs`); reusable patterns in `patterns.rs`, fees in
//! `fees.rs`. Every action is checked against the permission table, written with its
//! 操作の記録 entry in one transaction, and ordered per site ([`ccus_storage::Sites::lock_site`])
//! so that two companies acting on one site at once both see what the other did.

pub mod fees;
pub mod mails;
pub mod patterns;
pub mod roster;
pub mod tiers;
mod view;
pub use view::*;

use ccus_domain::org::{Action, Role, Target};
use ccus_domain::profile::search_key;
use ccus_domain::site::{OrderKind, SiteState, WorkKind};
use ccus_domain::{calendar, AccountId, Date, SiteId, SiteKey, Timestamp};
/// A site, a contract it carries, and a site as a business's list shows it.
pub use ccus_storage::{Contract, Party, Site, SiteListRow};
use ccus_storage::{SiteFields, SiteQuery, StoreError};

use crate::audit::{self, AuditAction, AuditDetail, AuditEvent};
use crate::i18n::Msg;
use crate::org::OrgContext;
use crate::{App, AppResult};

/// The longest 現場名, address or free text a site's form takes, in characters.
pub const MAX_TEXT: usize = 100;
/// How many contracts one site carries at most.
pub const MAX_CONTRACTS: usize = 20;
/// A page of the site list.
pub const PAGE: u32 = 20;

/// Today in Japan.
pub fn today(now: Timestamp) -> Date {
    calendar::jst_datetime(now)
        .map(|t| t.date())
        .unwrap_or(Date::MIN)
}

/// Whether the person may register sites for their business.
pub fn may_register(ctx: &OrgContext) -> bool {
    ctx.may(Action::RegisterSites, register_target(ctx))
}

/// A new site belongs to the registrant's tier (the whole business for its 責任者).
fn register_target(ctx: &OrgContext) -> Target {
    Target::Site {
        tier: ctx.actor.tier,
        manager: ctx.me.id,
    }
}

/// Whether the person runs `site` as its 元請 (edit, close, re-open, and act anywhere in its
/// tree).
pub fn may_run(ctx: &OrgContext, site: &Site) -> bool {
    site.prime.id == ctx.business.id
        && ctx.may(
            Action::RunSites,
            Target::Site {
                tier: site.tier_id,
                manager: site.manager.id,
            },
        )
}

/// Who may be named 現場管理者 of a new site: the 事業者ID and every active 管理者ID that may
/// run sites, (id, name, the 管理者ID grouped; `None` for the 事業者ID).
pub fn manager_choices(ctx: &OrgContext) -> Vec<(AccountId, String, Option<String>)> {
    let mut out = vec![(ctx.business.id, ctx.business.name.clone(), None)];
    for m in &ctx.members {
        if m.disabled_at.is_none()
            && matches!(m.role, Role::TierManager | Role::SiteManager)
            && ccus_domain::org::scope(m.role, Action::RunSites).is_some()
        {
            out.push((
                m.account.id,
                m.account.name.clone(),
                Some(m.account.login_id.grouped()),
            ));
        }
    }
    out
}

/// A site's form as typed: 現場情報 and each contract's 契約情報 and 工事情報.
#[derive(Debug, Clone, Default)]
pub struct SiteForm {
    pub name: String,
    pub order_kind: String,
    pub records_from: String,
    pub records_to: String,
    /// `yes` or `no`.
    pub hazardous: String,
    /// The 現場管理者's account id.
    pub manager: String,
    pub contracts: Vec<ContractForm>,
}

/// One contract as typed; a contract left wholly empty is dropped.
#[derive(Debug, Clone, Default)]
pub struct ContractForm {
    pub address: String,
    pub client_name: String,
    pub contract_form: String,
    pub period_from: String,
    pub period_to: String,
    pub work_kind: String,
    pub work_type: String,
    pub scale: String,
}

impl ContractForm {
    fn is_empty(&self) -> bool {
        [
            &self.address,
            &self.client_name,
            &self.contract_form,
            &self.period_from,
            &self.period_to,
            &self.work_kind,
            &self.work_type,
            &self.scale,
        ]
        .iter()
        .all(|s| s.trim().is_empty())
    }
}

/// What is wrong with a form: the field's name (as the form names it: `name`,
/// `contract-0-period_from`, …) and why.
pub type FieldErrors = Vec<(String, Msg)>;

pub(crate) fn text(raw: &str, field: &str, required: bool, errors: &mut FieldErrors) -> String {
    let t = raw.trim().to_owned();
    if required && t.is_empty() {
        errors.push((field.to_owned(), Msg::new("site-error-required")));
    } else if t.chars().count() > MAX_TEXT || t.chars().any(char::is_control) {
        errors.push((
            field.to_owned(),
            Msg::new("site-error-too-long").arg("max", MAX_TEXT),
        ));
    }
    t
}

pub(crate) fn date(
    raw: &str,
    field: &str,
    required: bool,
    errors: &mut FieldErrors,
) -> Option<Date> {
    let t = raw.trim();
    if t.is_empty() {
        if required {
            errors.push((field.to_owned(), Msg::new("site-error-required")));
        }
        return None;
    }
    let d = calendar::parse_iso_date(&ccus_domain::input::nfkc(t).replace('/', "-"));
    if d.is_none() {
        errors.push((field.to_owned(), Msg::new("site-error-date")));
    }
    d
}

fn period(
    from: Option<Date>,
    to: Option<Date>,
    field: &str,
    errors: &mut FieldErrors,
) -> (Option<Date>, Option<Date>) {
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            errors.push((field.to_owned(), Msg::new("site-error-period")));
        }
    }
    (from, to)
}

/// Reads a site's form: its fields and contracts, or what is wrong with each field.
pub fn parse_form(
    ctx: &OrgContext,
    form: &SiteForm,
) -> Result<(SiteFields, Vec<Contract>), FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = text(&form.name, "name", true, &mut errors);
    let order_kind = OrderKind::parse(&form.order_kind);
    if order_kind.is_none() {
        errors.push(("order_kind".into(), Msg::new("site-error-choose")));
    }
    let from = date(&form.records_from, "records_from", true, &mut errors);
    let to = date(&form.records_to, "records_to", true, &mut errors);
    period(from, to, "records_to", &mut errors);
    let hazardous = match form.hazardous.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => {
            errors.push(("hazardous".into(), Msg::new("site-error-choose")));
            None
        }
    };
    let manager = form
        .manager
        .trim()
        .parse::<AccountId>()
        .ok()
        .filter(|id| manager_choices(ctx).iter().any(|(m, _, _)| m == id));
    if manager.is_none() {
        errors.push(("manager".into(), Msg::new("site-error-choose")));
    }
    let mut contracts = Vec::new();
    for (i, c) in form.contracts.iter().enumerate() {
        if c.is_empty() {
            continue;
        }
        let f = |name: &str| format!("contract-{i}-{name}");
        let work_kind = match c.work_kind.trim() {
            "" => None,
            k => {
                let w = WorkKind::parse(k);
                if w.is_none() {
                    errors.push((f("work_kind"), Msg::new("site-error-choose")));
                }
                w
            }
        };
        let from = date(&c.period_from, &f("period_from"), false, &mut errors);
        let to = date(&c.period_to, &f("period_to"), false, &mut errors);
        let (period_from, period_to) = period(from, to, &f("period_to"), &mut errors);
        contracts.push(Contract {
            id: 0,
            address: text(&c.address, &f("address"), false, &mut errors),
            client_name: text(&c.client_name, &f("client_name"), false, &mut errors),
            contract_form: text(&c.contract_form, &f("contract_form"), false, &mut errors),
            period_from,
            period_to,
            work_kind,
            work_type: text(&c.work_type, &f("work_type"), false, &mut errors),
            scale: text(&c.scale, &f("scale"), false, &mut errors),
        });
    }
    if contracts.len() > MAX_CONTRACTS {
        errors.push((
            "contracts".into(),
            Msg::new("site-error-contracts").arg("max", MAX_CONTRACTS),
        ));
    }
    match (order_kind, from, to, hazardous, manager) {
        (
            Some(order_kind),
            Some(records_from),
            Some(records_to),
            Some(hazardous),
            Some(manager),
        ) if errors.is_empty() => {
            let address_key = contracts
                .iter()
                .map(|c| search_key(&c.address))
                .filter(|a| !a.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            Ok((
                SiteFields {
                    name_key: search_key(&name),
                    name,
                    address_key,
                    manager_id: manager,
                    order_kind,
                    records_from,
                    records_to,
                    hazardous,
                },
                contracts,
            ))
        }
        _ => Err(errors),
    }
}

/// What a site action did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteOutcome {
    /// Done; the site's 現場ID.
    Done(SiteId),
    /// The form has mistakes; nothing was written.
    Invalid(FieldErrors),
    Forbidden,
    /// No such site (or not one this person may see).
    NotFound,
}

fn site_detail(site_id: &SiteId, name: &str) -> AuditDetail {
    AuditDetail::Site {
        site_id: site_id.as_str().to_owned(),
        name: name.to_owned(),
    }
}

/// 現場登録: a new site of the business, with a fresh 現場ID; the business is its 元請.
pub async fn register(app: &App, ctx: &OrgContext, form: &SiteForm) -> AppResult<SiteOutcome> {
    if !may_register(ctx) {
        return Ok(SiteOutcome::Forbidden);
    }
    let (fields, contracts) = match parse_form(ctx, form) {
        Ok(v) => v,
        Err(e) => return Ok(SiteOutcome::Invalid(e)),
    };
    let now = app.clock().now();
    // A drawn 現場ID that is taken is drawn again (one in 10^12: practically never twice).
    for _ in 0..5 {
        let site_id = SiteId::generate(&mut rand::thread_rng());
        let mut tx = app.store().begin_write().await?;
        let key = match tx
            .sites()
            .create_site(
                &site_id,
                ctx.business.id,
                ctx.actor.tier,
                &fields,
                ctx.me.id,
                now,
            )
            .await
        {
            Ok(k) => k,
            Err(StoreError::Conflict) => continue,
            Err(e) => return Err(e.into()),
        };
        tx.sites().set_contracts(key, &contracts, now).await?;
        tx.placements()
            .place(
                key,
                ctx.business.id,
                None,
                ccus_domain::site::PlacementState::Active,
                ccus_domain::site::Via::Prime,
                None,
                now,
            )
            .await?;
        let event = AuditEvent::new(
            AuditAction::SiteRegistered,
            site_detail(&site_id, &fields.name),
        );
        audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
        tx.commit().await?;
        tracing::info!(site = %site_id, business = %ctx.business.id, "site registered");
        return Ok(SiteOutcome::Done(site_id));
    }
    Err(crate::AppError::Internal("no free 現場ID".into()))
}

/// A site this business runs, if the person may run it.
async fn run_site(app: &App, ctx: &OrgContext, site_id: &SiteId) -> AppResult<Option<Site>> {
    Ok(app
        .store()
        .sites()
        .site(site_id)
        .await?
        .filter(|s| may_run(ctx, s)))
}

/// Rewrites a site's 現場情報 and contracts.
pub async fn edit(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
    form: &SiteForm,
) -> AppResult<SiteOutcome> {
    let Some(site) = run_site(app, ctx, site_id).await? else {
        return Ok(SiteOutcome::NotFound);
    };
    let (fields, contracts) = match parse_form(ctx, form) {
        Ok(v) => v,
        Err(e) => return Ok(SiteOutcome::Invalid(e)),
    };
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    match tx.sites().lock_site(site.key).await? {
        Some(s) if may_run(ctx, &s) => {}
        _ => return Ok(SiteOutcome::NotFound),
    }
    tx.sites().update_site(site.key, &fields, now).await?;
    tx.sites().set_contracts(site.key, &contracts, now).await?;
    let event = AuditEvent::new(AuditAction::SiteEdited, site_detail(site_id, &fields.name));
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    Ok(SiteOutcome::Done(site_id.clone()))
}

/// Closes (`true`) or re-opens a site. Closing withdraws every 要請 still open on it (a 承認
/// that comes later finds it withdrawn); the tree and the 名簿 stay as they are, for the
/// records already made. False when the site already was so.
pub async fn set_closed(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
    close: bool,
) -> AppResult<Option<bool>> {
    let Some(site) = run_site(app, ctx, site_id).await? else {
        return Ok(None);
    };
    let now = app.clock().now();
    let mut tx = app.store().begin_write().await?;
    let Some(site) = tx
        .sites()
        .lock_site(site.key)
        .await?
        .filter(|s| may_run(ctx, s))
    else {
        return Ok(None);
    };
    let target = if close {
        SiteState::Closed
    } else {
        SiteState::Open
    };
    if site.state == target {
        return Ok(Some(false));
    }
    tx.sites()
        .set_site_closed(site.key, close.then_some(now), now)
        .await?;
    if close {
        let open: Vec<_> = tx
            .placements()
            .tree_in(site.key)
            .await?
            .into_iter()
            .filter(|p| p.state == ccus_domain::site::PlacementState::Requested)
            .map(|p| p.id)
            .collect();
        tx.placements()
            .set_state(
                &open,
                &[ccus_domain::site::PlacementState::Requested],
                ccus_domain::site::PlacementState::Cancelled,
                Some(ctx.me.id),
                now,
            )
            .await?;
        // And the 名簿 lines still waiting for a worker's consent.
        tx.listings().withdraw_asked(site.key, now).await?;
    }
    let action = if close {
        AuditAction::SiteClosed
    } else {
        AuditAction::SiteReopened
    };
    let event = AuditEvent::new(action, site_detail(site_id, &site.name));
    audit::record(&mut tx, &ctx.audit_actor(), event, now).await?;
    tx.commit().await?;
    Ok(Some(true))
}

/// The site list's search as typed.
#[derive(Debug, Clone, Default)]
pub struct SearchForm {
    /// A 現場ID, or words of a 現場名 or an address.
    pub q: String,
    pub from: String,
    pub to: String,
    /// `open`, `closed` or empty for both.
    pub state: String,
    /// The keyset: the last site of the previous page.
    pub before: String,
}

/// A page of a business's sites.
#[derive(Debug, Clone)]
pub struct SiteList {
    pub rows: Vec<SiteListRow>,
    /// The keyset of the next page, when there is one.
    pub next: Option<SiteKey>,
    /// What was wrong with the search (nothing was searched).
    pub errors: FieldErrors,
}

/// The sites the business is on (as 元請 or in a tree), newest first, a page at a time.
pub async fn list(app: &App, ctx: &OrgContext, form: &SearchForm) -> AppResult<SiteList> {
    let mut errors = FieldErrors::new();
    let mut q = SiteQuery {
        limit: PAGE + 1,
        ..SiteQuery::default()
    };
    let typed = form.q.trim();
    if !typed.is_empty() {
        let digits = ccus_domain::input::compact_digits(typed);
        if digits.chars().all(|c| c.is_ascii_digit()) && digits.len() >= 10 {
            match SiteId::parse(typed) {
                Ok(id) => q.site_id = Some(id),
                Err(e) => errors.push(("q".into(), site_id_error(e))),
            }
        } else {
            q.text = Some(search_key(typed));
        }
    }
    q.from = date(&form.from, "from", false, &mut errors);
    q.to = date(&form.to, "to", false, &mut errors);
    period(q.from, q.to, "to", &mut errors);
    q.state = SiteState::parse(&form.state);
    q.before = form.before.trim().parse().ok().map(SiteKey::new);
    if !errors.is_empty() {
        return Ok(SiteList {
            rows: Vec::new(),
            next: None,
            errors,
        });
    }
    let mut rows = app.store().sites().sites_of(ctx.business.id, &q).await?;
    let next = if rows.len() > PAGE as usize {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| r.site.key)
    } else {
        None
    };
    Ok(SiteList { rows, next, errors })
}

/// How many mails to other businesses and workers (要請, 合意 offered, a worker asked) one
/// business may cause in the recovery window (an hour by default): far above real work, a stop
/// for a script that would mail every registered business.
const SITE_MAILS_PER_WINDOW: u64 = 2_000;

/// Counts one mail a business is about to cause; false when it has caused too many lately.
pub(crate) async fn may_mail(app: &App, ctx: &OrgContext) -> AppResult<bool> {
    let key = ccus_domain::GuardKey::SiteMail(ctx.business.id.get()).to_string();
    let window = app.config().recovery.window;
    let hits = app
        .store()
        .guards()
        .hit_window(&key, window, app.clock().now())
        .await?;
    Ok(hits <= SITE_MAILS_PER_WINDOW)
}

/// Why a typed 現場ID is not one, to show next to it.
pub fn site_id_error(e: ccus_domain::SiteIdError) -> Msg {
    use ccus_domain::SiteIdError::*;
    Msg::new(match e {
        Empty => "site-error-required",
        Malformed => "site-id-malformed",
        CheckDigit => "site-id-check-digit",
        LoginId => "site-id-is-login-id",
    })
}
