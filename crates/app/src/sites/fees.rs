//! What a business will owe, from fees kept as data with the dates they apply from (the
//! `fees` table): 管理者ID利用料 per ID that exists in the year (¥11,400; ¥2,400 for a
//! business that is one person, 一人親方), and 現場利用料 billed to the 元請 alone per
//! person-day of records on its sites (¥10). The portal takes no payment; it shows the sums.

use ccus_domain::{Date, Timestamp};
use time::Month;

use crate::org::OrgContext;
use crate::{App, AppResult};

/// A fee's kind as the table names it.
pub const MANAGER_ID_PER_YEAR: &str = "manager_id_per_year";
pub const MANAGER_ID_PER_YEAR_SOLE: &str = "manager_id_per_year_sole";
pub const SITE_USE_PER_PERSON_DAY: &str = "site_use_per_person_day";

/// The amount of `kind` that applies on `on`: the latest one from on or before that day.
pub fn fee_on(fees: &[(String, Date, i64)], kind: &str, on: Date) -> Option<i64> {
    fees.iter()
        .filter(|(k, from, _)| k == kind && *from <= on)
        .max_by_key(|(_, from, _)| *from)
        .map(|(_, _, yen)| *yen)
}

/// A business's fees for a year (April to March, CCUS's fiscal year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeStatement {
    /// The fiscal year (2026 = 2026-04-01 to 2027-03-31).
    pub year: i32,
    /// The IDs that exist in the year: the 事業者ID and every 管理者ID issued before its end.
    pub ids: i64,
    pub per_id: i64,
    pub sole_proprietor: bool,
    pub id_total: i64,
    /// 現場利用料 per person-day, on the sites the business runs as 元請.
    pub per_person_day: i64,
    /// The open sites it runs as 元請.
    pub open_sites: i64,
}

/// The first day of fiscal year `year`.
fn fiscal_start(year: i32) -> Date {
    Date::from_calendar_date(year, Month::April, 1).unwrap_or(Date::MIN)
}

/// The fiscal year a day is in.
pub fn fiscal_year(on: Date) -> i32 {
    if on.month() as u8 >= 4 {
        on.year()
    } else {
        on.year() - 1
    }
}

pub async fn statement(app: &App, ctx: &OrgContext, year: i32) -> AppResult<FeeStatement> {
    let fees = app.store().sites().fees().await?;
    let start = fiscal_start(year);
    let end = fiscal_start(year + 1);
    let end_ts = end
        .midnight()
        .assume_offset(time::macros::offset!(+9))
        .unix_timestamp();
    let sole = app
        .store()
        .sites()
        .is_sole_proprietor(ctx.business.id)
        .await?;
    let kind = if sole {
        MANAGER_ID_PER_YEAR_SOLE
    } else {
        MANAGER_ID_PER_YEAR
    };
    let per_id = fee_on(&fees, kind, start).unwrap_or(0);
    let ids = 1 + ctx
        .members
        .iter()
        .filter(|m| m.created_at < Timestamp(end_ts))
        .count() as i64;
    Ok(FeeStatement {
        year,
        ids,
        per_id,
        sole_proprietor: sole,
        id_total: ids * per_id,
        per_person_day: fee_on(&fees, SITE_USE_PER_PERSON_DAY, start).unwrap_or(0),
        open_sites: app
            .store()
            .sites()
            .open_sites_of_prime(ctx.business.id)
            .await?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_fee_applies_from_its_date_until_the_next() {
        let fees = vec![
            (
                MANAGER_ID_PER_YEAR.to_owned(),
                date!(2019 - 04 - 01),
                11_400,
            ),
            (
                MANAGER_ID_PER_YEAR.to_owned(),
                date!(2027 - 04 - 01),
                12_000,
            ),
        ];
        assert_eq!(
            fee_on(&fees, MANAGER_ID_PER_YEAR, date!(2019 - 03 - 31)),
            None
        );
        assert_eq!(
            fee_on(&fees, MANAGER_ID_PER_YEAR, date!(2026 - 12 - 06)),
            Some(11_400)
        );
        assert_eq!(
            fee_on(&fees, MANAGER_ID_PER_YEAR, date!(2027 - 04 - 01)),
            Some(12_000)
        );
        assert_eq!(fiscal_year(date!(2027 - 03 - 31)), 2026);
        assert_eq!(fiscal_year(date!(2027 - 04 - 01)), 2027);
    }
}
