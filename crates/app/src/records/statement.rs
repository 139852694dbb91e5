//! What the 元請 reads from its sites' records: who was on a site on a day, and the monthly
//! 現場利用料 statement — ¥10 (the `fees` table's rate for the month) per counted record,
//! billed to the 元請 alone — per site with its records, and over all its sites.

use std::collections::BTreeMap;

use ccus_domain::org::{Action, Target};
use ccus_domain::records::month_span;
use ccus_domain::{Date, SiteId};
use ccus_storage::Site;
/// A counted record as a site's day view and statement list it.
pub use ccus_storage::SiteRecordRow;

use crate::org::OrgContext;
use crate::sites::fees::{fee_on, SITE_USE_PER_PERSON_DAY};
use crate::sites::may_run;
use crate::{App, AppResult};

/// A site's counted records over some days, with their count per company and the fee.
#[derive(Debug, Clone)]
pub struct SiteStatement {
    pub site: Site,
    pub from: Date,
    pub to: Date,
    pub rows: Vec<SiteRecordRow>,
    /// (company, records), by company.
    pub per_company: Vec<(String, i64)>,
    pub records: i64,
    /// Yen per record in the month.
    pub rate: i64,
    pub total_yen: i64,
}

/// The records of `site_id` from `from` to `to`, for whoever runs it; `None` for anyone else.
async fn of_site(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
    from: Date,
    to: Date,
) -> AppResult<Option<SiteStatement>> {
    let Some(site) = app.store().sites().site(site_id).await? else {
        return Ok(None);
    };
    if !may_run(ctx, &site) {
        return Ok(None);
    }
    let rows = app
        .store()
        .records()
        .site_records(site.key, from, to)
        .await?;
    let mut per: BTreeMap<String, i64> = BTreeMap::new();
    for r in &rows {
        *per.entry(r.company.clone()).or_default() += 1;
    }
    let fees = app.store().sites().fees().await?;
    let rate = fee_on(&fees, SITE_USE_PER_PERSON_DAY, from).unwrap_or(0);
    let records = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    Ok(Some(SiteStatement {
        site,
        from,
        to,
        per_company: per.into_iter().collect(),
        records,
        rate,
        total_yen: records.saturating_mul(rate),
        rows,
    }))
}

/// Who was on the site on `day` (its records that day).
pub async fn day(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
    day: Date,
) -> AppResult<Option<SiteStatement>> {
    of_site(app, ctx, site_id, day, day).await
}

/// The month `month` falls in, on one site.
pub async fn month(
    app: &App,
    ctx: &OrgContext,
    site_id: &SiteId,
    month: Date,
) -> AppResult<Option<SiteStatement>> {
    let (from, to) = month_span(month);
    of_site(app, ctx, site_id, from, to).await
}

/// One site's line in the month's total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteTotal {
    pub site_id: String,
    pub name: String,
    pub records: i64,
    pub yen: i64,
}

/// The month over every site the business runs as 元請 (with records that month): the lines,
/// the records, the rate and the sum. `None` for a person who does not run all its sites
/// (a 現場管理者 reads the statements of its own sites, one by one).
pub async fn prime_month(
    app: &App,
    ctx: &OrgContext,
    month: Date,
) -> AppResult<Option<PrimeMonth>> {
    if !ctx.may(Action::RunSites, Target::Business) {
        return Ok(None);
    }
    let (from, to) = month_span(month);
    let fees = app.store().sites().fees().await?;
    let rate = fee_on(&fees, SITE_USE_PER_PERSON_DAY, from).unwrap_or(0);
    let lines: Vec<SiteTotal> = app
        .store()
        .records()
        .prime_counts(ctx.business.id, from, to)
        .await?
        .into_iter()
        .map(|(_, site_id, name, records)| SiteTotal {
            site_id,
            name,
            records,
            yen: records.saturating_mul(rate),
        })
        .collect();
    let records: i64 = lines.iter().map(|l| l.records).sum();
    Ok(Some(PrimeMonth {
        month: from,
        lines,
        records,
        rate,
        total_yen: records.saturating_mul(rate),
    }))
}

/// A 元請's month over all its sites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrimeMonth {
    pub month: Date,
    pub lines: Vec<SiteTotal>,
    pub records: i64,
    pub rate: i64,
    pub total_yen: i64,
}
