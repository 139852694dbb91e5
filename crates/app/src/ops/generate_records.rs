//! Fills a database with 就業履歴 at CCUS size for measurements, over the technicians and
//! sites `generate` and `generate-sites` made: `records` records over the last `years` years,
//! more each month as the system grew (the newest month holds about twice the average), six
//! days a week. On each work day a different slice of the workers works; a worker stays on one
//! site for a quarter (one of the sites whose 就業履歴蓄積期間 overlaps the month, about twenty
//! workers to a site a day), under their employer, in their one 職種, arriving between 07:30
//! and 08:30 and leaving between 16:30 and 18:30; one record in fifty was entered by hand.
//!
//! Written a day at a time in date order, so that each load fills one month's partition; on an
//! empty PostgreSQL table the secondary indexes are built once at the end (and also when the
//! run fails half-way, so that the table is whole again; `TRUNCATE work_records` before trying
//! again). Reproducible from a seed; refuses a table that already holds records (the generated
//! ids would meet them).

use std::time::{Duration, Instant};

use ccus_domain::records::month_span;
use ccus_domain::site::TRADES;
use ccus_domain::{AccountKind, Date};
use ccus_storage::generated_records::{GeneratedRecord, SitePeriod};
use time::Weekday;

use crate::{App, AppError, AppResult};

/// What to generate.
#[derive(Debug, Clone)]
pub struct RecordSpec {
    pub records: u64,
    /// Over this many years up to yesterday.
    pub years: u32,
    pub seed: u64,
}

/// What was generated, and how fast.
#[derive(Debug, Clone)]
pub struct GeneratedRecords {
    pub records: u64,
    pub days: u64,
    /// Loading the rows, and all of it (with the indexes built at the end).
    pub loading: Duration,
    pub elapsed: Duration,
}

impl GeneratedRecords {
    pub fn rows_per_second(&self) -> f64 {
        self.records as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
    pub fn loading_rows_per_second(&self) -> f64 {
        self.records as f64 / self.loading.as_secs_f64().max(1e-9)
    }
}

/// The longest history generated.
const MAX_YEARS: u32 = 30;

/// Workers on one site on one day, on average.
const WORKERS_PER_SITE: u64 = 20;

/// A mixing of two numbers (splitmix64's finaliser): the same inputs, the same draw.
fn mix(a: u64, b: u64) -> u64 {
    let mut z = a
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(b)
        .wrapping_add(0x632B_E59B_D9B5_E6D5);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A stride through `n` workers that meets each once (a prime that does not divide `n`).
fn stride_for(n: u64) -> u64 {
    [1_000_003_u64, 998_244_353, 2_147_483_647, 4_294_967_291]
        .into_iter()
        .find(|p| !n.is_multiple_of(*p))
        .unwrap_or(1)
}

/// The months from `first` to `last` (their first days).
fn months(first: Date, last: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let mut m = month_span(first).0;
    while m <= last {
        out.push(m);
        let (_, end) = month_span(m);
        match end.next_day() {
            Some(d) => m = d,
            None => break,
        }
    }
    out
}

/// Milliseconds of `day` at `minutes` after midnight, JST.
fn jst_ms(day: Date, minutes: u64) -> i64 {
    let midnight = day.midnight().assume_offset(time::macros::offset!(+9));
    (midnight.unix_timestamp() + minutes as i64 * 60) * 1000
}

const POSITIONS: [(&str, u64); 3] = [("foreman", 8), ("leader", 18), ("worker", 100)];

/// Generates `spec` into the application's database; needs technicians, businesses and sites.
pub async fn generate_records(app: &App, spec: &RecordSpec) -> AppResult<GeneratedRecords> {
    let started = Instant::now();
    let store = app.store();
    let (existing, _) = store.records().count_and_last_id().await?;
    if existing > 0 {
        return Err(AppError::Internal(format!(
            "work_records already holds {existing} records: generate into a database without any"
        )));
    }
    let workers = store.records().technicians_with_employer().await?;
    let businesses = store
        .accounts()
        .account_ids_of_kind(AccountKind::Business, 2_000_000)
        .await?;
    let sites: Vec<SitePeriod> = store.records().site_periods().await?;
    if workers.len() < 20 || businesses.is_empty() || sites.is_empty() {
        return Err(AppError::Internal(
            "generate technicians, businesses and sites first".into(),
        ));
    }
    let now = app.clock().now();
    let today = crate::sites::today(now);
    let last = today.previous_day().unwrap_or(today);
    let first = last - time::Duration::days(i64::from(spec.years.clamp(1, MAX_YEARS)) * 365);
    let months = months(first, last);
    let weights: Vec<u64> = (1..=months.len() as u64).collect();
    let weight_sum: u64 = weights.iter().sum();
    let w = workers.len() as u64;
    let stride = stride_for(w);
    let mut loader = store.record_loader(true).await?;
    let mut id = 0_i64;
    let mut done = GeneratedRecords {
        records: 0,
        days: 0,
        loading: Duration::ZERO,
        elapsed: Duration::ZERO,
    };
    // Should a load fail half-way, the indexes put off are still built before the error is
    // told, so that the table is whole (if not complete).
    let loaded: AppResult<()> = async {
        let mut assigned = 0_u64;
        let mut batch: Vec<GeneratedRecord> = Vec::new();
        for (m, (month, weight)) in months.iter().zip(&weights).enumerate() {
            // The month's share, the last month taking what rounding left.
            let share = if m + 1 == months.len() {
                spec.records.saturating_sub(assigned)
            } else {
                u64::try_from(
                    u128::from(spec.records) * u128::from(*weight) / u128::from(weight_sum),
                )
                .unwrap_or(u64::MAX)
            };
            assigned += share;
            let (from, to) = month_span(*month);
            let days: Vec<Date> = std::iter::successors(Some(from.max(first)), |d| d.next_day())
                .take_while(|d| *d <= to.min(last))
                .filter(|d| d.weekday() != Weekday::Sunday)
                .collect();
            if days.is_empty() || share == 0 {
                continue;
            }
            // The sites open this month (any site, should none be).
            let mut pool: Vec<i64> = sites
                .iter()
                .filter(|s| s.from <= to && s.to >= from)
                .map(|s| s.key)
                .collect();
            if pool.is_empty() {
                pool = sites.iter().map(|s| s.key).collect();
            }
            let per_day = share / days.len() as u64;
            let extra = share % days.len() as u64;
            let busy = (per_day / WORKERS_PER_SITE).clamp(1, pool.len() as u64);
            let quarter = (month.year() as u64) * 4 + u64::from(u8::from(month.month()) - 1) / 3;
            let rotate = mix(spec.seed, quarter) % pool.len() as u64;
            for (d, day) in days.iter().enumerate() {
                let n = (per_day + u64::from((d as u64) < extra)).min(w);
                // The same workers all week: the week's offset into the stride.
                let week = (day.to_julian_day() / 7) as u64;
                let offset = mix(spec.seed, week) % w;
                batch.clear();
                for i in 0..n {
                    let k = ((offset + i * stride % w) % w) as usize;
                    let (account, employer) = workers[k];
                    let who = account.get() as u64;
                    let slot = (rotate + mix(who, quarter) % busy) % pool.len() as u64;
                    let site = pool[slot as usize];
                    let business = employer.unwrap_or_else(|| {
                        businesses[(mix(who, 1) % businesses.len() as u64) as usize]
                    });
                    let roll = mix(who, 2) % 100;
                    let position = POSITIONS
                        .iter()
                        .find(|(_, upto)| roll < *upto)
                        .map_or("worker", |(p, _)| *p);
                    let daily = mix(who, day.to_julian_day() as u64);
                    id += 1;
                    batch.push(GeneratedRecord {
                        id,
                        account,
                        site,
                        day: *day,
                        source: if daily.is_multiple_of(50) {
                            "direct"
                        } else {
                            "touch"
                        },
                        first_in: jst_ms(*day, 450 + daily % 60),
                        last_out: jst_ms(*day, 990 + (daily >> 8) % 120),
                        business,
                        trade: TRADES[(mix(who, 3) % TRADES.len() as u64) as usize],
                        position,
                    });
                }
                loader.load(&batch, now).await?;
                done.records += batch.len() as u64;
                done.days += 1;
            }
            tracing::info!(
                month = %ccus_domain::profile::format_date(*month),
                records = done.records,
                rate = done.records as f64 / started.elapsed().as_secs_f64().max(1e-9),
                "generated records"
            );
        }
        Ok(())
    }
    .await;
    done.loading = started.elapsed();
    let finished = loader.finish().await;
    loaded?;
    finished?;
    done.elapsed = started.elapsed();
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stride_meets_every_worker_once() {
        for n in [20_u64, 97, 1_000, 1_000_003 * 2] {
            let s = stride_for(n);
            let take = n.min(5_000);
            let seen: std::collections::HashSet<u64> =
                (0..take).map(|i| (7 + i * s % n) % n).collect();
            assert_eq!(seen.len() as u64, take, "n = {n}");
        }
    }

    #[test]
    fn months_run_from_the_first_to_the_last() {
        use time::macros::date;
        let m = months(date!(2016 - 12 - 07), date!(2017 - 02 - 01));
        assert_eq!(
            m,
            vec![
                date!(2016 - 12 - 01),
                date!(2017 - 01 - 01),
                date!(2017 - 02 - 01)
            ]
        );
    }
}
