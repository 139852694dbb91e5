//! Fills a database to CCUS size for measurements: businesses and technicians with realistic
//! Japanese names, フリガナ, birth dates, employers and addresses, and their access history.
//! Businesses are registered among the technicians, as in a real registry. Everything is
//! random but reproducible from a seed. Every generated account shares one
//! password (hashed once), so load tests can log in as any of them.

use std::time::{Duration, Instant};

use ccus_domain::sample_names::{GIVEN, SURNAMES, TRADES};
use ccus_domain::{AccessEventKind, AccountKind, LoginId, Password, Timestamp};
use ccus_storage::{ClientInfo, NewAccount, Profile};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::{App, AppResult};

/// What to generate.
#[derive(Debug, Clone)]
pub struct Spec {
    pub technicians: u64,
    pub businesses: u64,
    pub events_per_account: u32,
    pub seed: u64,
    /// The password every generated account gets.
    pub password: String,
}

/// What was generated, and how fast.
#[derive(Debug, Clone)]
pub struct Generated {
    pub accounts: u64,
    pub events: u64,
    pub elapsed: Duration,
    /// A generated technician's ID, to log in with.
    pub sample_technician: Option<LoginId>,
}

impl Generated {
    pub fn rows_per_second(&self) -> f64 {
        (self.accounts + self.events) as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

const BROWSERS: &[&str] = &[
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36 Edg/130.0",
];

/// Rows written per batch (one transaction each).
const BATCH: usize = 20_000;

fn pick<T: Copy>(rng: &mut StdRng, list: &[T]) -> T {
    list[rng.gen_range(0..list.len())]
}

/// Generates `spec` into the application's database.
pub async fn generate(app: &App, spec: &Spec) -> AppResult<Generated> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let now = app.clock().now();
    let password = Password::parse(&spec.password)
        .map_err(|e| crate::AppError::internal("generate password", e))?;
    let password_hash = app.hasher().hash(password).await?;
    let code = Password::parse("0000").map_err(|e| crate::AppError::Internal(e.to_string()))?;
    let security_code_hash = app.hasher().hash(code).await?;
    let base = |login_id: LoginId, name: String, email: String, profile: Profile| NewAccount {
        login_id,
        name,
        email,
        password_hash: password_hash.clone(),
        security_code_hash: security_code_hash.clone(),
        must_change_password: false,
        profile,
    };
    let mut accounts = 0;
    let mut events = 0;
    let three_years = 3 * 365 * 24 * 60 * 60 * 1000_i64;
    // Registered before their history starts, so all of it shows in アクセス履歴.
    let registered = Timestamp(now.0 - three_years - 24 * 60 * 60 * 1000);
    let history = |rng: &mut StdRng, ids: &[LoginId]| {
        let mut rows = Vec::with_capacity(ids.len() * spec.events_per_account as usize);
        for id in ids {
            for _ in 0..spec.events_per_account {
                let kind = match rng.gen_range(0..10) {
                    0 => AccessEventKind::LoginFailure,
                    1 => AccessEventKind::Logout,
                    _ => AccessEventKind::LoginSuccess,
                };
                // Addresses from the documentation ranges (RFC 5737).
                let client = ClientInfo {
                    address: format!(
                        "{}.{}",
                        pick(rng, &["192.0.2", "198.51.100", "203.0.113"]),
                        rng.gen_range(1..255)
                    ),
                    user_agent: pick(rng, BROWSERS).to_owned(),
                };
                let at = Timestamp(now.0 - rng.gen_range(0..three_years));
                rows.push((id.clone(), kind, client, at));
            }
        }
        rows
    };

    // A business of index `n`.
    let business = |rng: &mut StdRng, n: u64| {
        let (s, sk) = pick(rng, SURNAMES);
        let (t, tk) = pick(rng, TRADES);
        base(
            LoginId::generate(AccountKind::Business, rng),
            format!("株式会社 {s}{t}"),
            format!("office{n}@example.jp"),
            Profile {
                furigana: format!("カブシキガイシャ {sk}{tk}"),
                ..Profile::default()
            },
        )
    };
    // A tenth of the businesses first, so the first technicians can name an employer; the rest
    // are registered among the technicians, as registrations come in over the years (so ids of
    // both kinds are mixed, as in a real registry).
    let first = spec.businesses.div_ceil(10);
    let mut next_business = 0;
    let mut batch = Vec::with_capacity(BATCH);
    for n in 0..first {
        batch.push(business(&mut rng, n));
        if batch.len() == BATCH || n + 1 == first {
            accounts += app
                .store()
                .accounts()
                .insert_accounts_bulk(&batch, registered)
                .await?;
            let ids: Vec<LoginId> = batch.iter().map(|a| a.login_id.clone()).collect();
            events += app
                .store()
                .history()
                .insert_events_bulk(&history(&mut rng, &ids))
                .await?;
            batch.clear();
        }
    }
    next_business = next_business.max(first);
    let employers = app
        .store()
        .accounts()
        .account_ids_of_kind(AccountKind::Business, 1_000_000)
        .await?;
    let mut sample = None;
    for n in 0..spec.technicians {
        let (s, sk) = pick(&mut rng, SURNAMES);
        let (g, gk) = pick(&mut rng, GIVEN);
        let birth = format!(
            "{:04}-{:02}-{:02}",
            rng.gen_range(1950..2006),
            rng.gen_range(1..13),
            rng.gen_range(1..29)
        );
        let employer_id = (!employers.is_empty() && rng.gen_range(0..10) < 9)
            .then(|| employers[rng.gen_range(0..employers.len())]);
        let id = LoginId::generate(AccountKind::Technician, &mut rng);
        sample.get_or_insert_with(|| id.clone());
        batch.push(base(
            id,
            format!("{s} {g}"),
            format!("worker{n}@example.jp"),
            Profile {
                furigana: format!("{sk} {gk}"),
                birth_date: ccus_domain::profile::parse_birth_date(&birth),
                employer_id,
            },
        ));
        if batch.len() == BATCH || n + 1 == spec.technicians {
            // The businesses registered meanwhile, in proportion.
            let due = first + (spec.businesses - first) * (n + 1) / spec.technicians;
            let businesses: Vec<NewAccount> = (next_business..due)
                .map(|b| business(&mut rng, b))
                .collect();
            next_business = due;
            if !businesses.is_empty() {
                accounts += app
                    .store()
                    .accounts()
                    .insert_accounts_bulk(&businesses, registered)
                    .await?;
                let ids: Vec<LoginId> = businesses.iter().map(|a| a.login_id.clone()).collect();
                events += app
                    .store()
                    .history()
                    .insert_events_bulk(&history(&mut rng, &ids))
                    .await?;
            }
            accounts += app
                .store()
                .accounts()
                .insert_accounts_bulk(&batch, registered)
                .await?;
            let ids: Vec<LoginId> = batch.iter().map(|a| a.login_id.clone()).collect();
            events += app
                .store()
                .history()
                .insert_events_bulk(&history(&mut rng, &ids))
                .await?;
            batch.clear();
            if accounts % (BATCH as u64 * 10) < BATCH as u64 {
                tracing::info!(
                    accounts,
                    events,
                    rows_per_second = ((accounts + events) as f64
                        / started.elapsed().as_secs_f64().max(1e-9))
                    .round(),
                    "generating"
                );
            }
        }
    }
    // Without technicians, the remaining businesses all at once.
    let rest: Vec<NewAccount> = (next_business..spec.businesses)
        .map(|b| business(&mut rng, b))
        .collect();
    for chunk in rest.chunks(BATCH) {
        accounts += app
            .store()
            .accounts()
            .insert_accounts_bulk(chunk, registered)
            .await?;
        let ids: Vec<LoginId> = chunk.iter().map(|a| a.login_id.clone()).collect();
        events += app
            .store()
            .history()
            .insert_events_bulk(&history(&mut rng, &ids))
            .await?;
    }
    Ok(Generated {
        accounts,
        events,
        elapsed: started.elapsed(),
        sample_technician: sample,
    })
}
