//! Fills a database with sites at CCUS size for measurements, over the businesses and
//! technicians `generate` made: sites of every period (most closed, the newest open), each
//! with its 施工体制 (5–30 companies in a tree under the 元請 on an open site, a few on a
//! closed one) and its 作業員名簿 (20–500 workers on an open site). The newest companies in a
//! tree may still wait for their 承認. Reproducible from a seed; written in large batches of
//! literal rows (the fastest path the database driver offers both databases).

use std::time::{Duration, Instant};

use ccus_domain::sample_names::{SURNAMES, TRADES as NAME_TRADES};
use ccus_domain::site::{Position, TRADES};
use ccus_domain::{AccountKind, SiteId};
use ccus_storage::generated::{GeneratedListing, GeneratedPlacement, GeneratedSite, SiteBatch};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::{App, AppError, AppResult};

/// What to generate.
#[derive(Debug, Clone)]
pub struct SiteSpec {
    /// Every site, over the years.
    pub sites: u64,
    /// Of which this many are open (the newest).
    pub open: u64,
    pub seed: u64,
}

/// What was generated, and how fast.
#[derive(Debug, Clone)]
pub struct GeneratedSites {
    pub sites: u64,
    pub placements: u64,
    pub listings: u64,
    pub elapsed: Duration,
}

impl GeneratedSites {
    pub fn rows(&self) -> u64 {
        self.sites + self.placements + self.listings
    }
    pub fn rows_per_second(&self) -> f64 {
        self.rows() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// Sites per batch (each batch one transaction).
const SITES_PER_BATCH: u64 = 500;

fn pick<T: Copy>(rng: &mut StdRng, list: &[T]) -> T {
    list[rng.gen_range(0..list.len())]
}

const PLACES: &[&str] = &[
    "東京都新宿区西新宿",
    "大阪府大阪市北区梅田",
    "愛知県名古屋市中村区名駅",
    "福岡県福岡市博多区博多駅前",
    "北海道札幌市中央区北五条西",
    "宮城県仙台市青葉区中央",
    "広島県広島市中区基町",
    "神奈川県横浜市西区みなとみらい",
];
const WORKS: &[&str] = &[
    "ビル新築工事",
    "マンション新築工事",
    "道路改良工事",
    "橋梁補修工事",
    "庁舎改修工事",
    "河川護岸工事",
    "物流倉庫新築工事",
    "電気設備更新工事",
];

/// Generates `spec` into the application's database; needs businesses and technicians.
pub async fn generate_sites(app: &App, spec: &SiteSpec) -> AppResult<GeneratedSites> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let store = app.store();
    let businesses = store
        .accounts()
        .account_ids_of_kind(AccountKind::Business, 2_000_000)
        .await?;
    let technicians = store
        .accounts()
        .account_ids_of_kind(AccountKind::Technician, 5_000_000)
        .await?;
    if businesses.len() < 5 || technicians.len() < 20 {
        return Err(AppError::Internal(
            "generate businesses and technicians first (at least 5 and 20)".into(),
        ));
    }
    let now = app.clock().now();
    let today = crate::sites::today(now);
    let (mut site_key, mut place_key, mut listing_key) = store.sites().next_keys().await?;
    let mut done = GeneratedSites {
        sites: 0,
        placements: 0,
        listings: 0,
        elapsed: Duration::ZERO,
    };
    let closed = spec.sites.saturating_sub(spec.open);
    // 現場ID are drawn from 10^12: at millions of sites two draws meet now and then.
    let mut drawn: std::collections::HashSet<SiteId> = store
        .sites()
        .all_site_ids()
        .await?
        .iter()
        .filter_map(|s| SiteId::parse(s).ok())
        .collect();
    // Into empty tables the secondary indexes are built once, at the end.
    let deferred = store.sites().defer_generated_indexes().await?;
    let mut n = 0;
    while n < spec.sites {
        let mut batch = SiteBatch::default();
        for _ in 0..SITES_PER_BATCH.min(spec.sites - n) {
            let open = n >= closed;
            // Closed sites ended over the last ten years; open ones run around today.
            let (from, to) = if open {
                let from = today - time::Duration::days(rng.gen_range(0..700));
                (from, today + time::Duration::days(rng.gen_range(30..900)))
            } else {
                let age = (closed - n) as i64 * 3650 / closed.max(1) as i64;
                let to = today - time::Duration::days(age + rng.gen_range(1..60));
                (to - time::Duration::days(rng.gen_range(60..900)), to)
            };
            let prime = pick(&mut rng, &businesses);
            site_key += 1;
            let (s, _) = pick(&mut rng, SURNAMES);
            let (t, _) = pick(&mut rng, NAME_TRADES);
            batch.sites.push(GeneratedSite {
                key: site_key,
                site_id: loop {
                    let id = SiteId::generate(&mut rng);
                    if drawn.insert(id.clone()) {
                        break id;
                    }
                },
                prime,
                name: format!("{s}{t}{}（{}）", pick(&mut rng, WORKS), site_key),
                address: format!(
                    "{}{}-{}",
                    pick(&mut rng, PLACES),
                    rng.gen_range(1..9),
                    rng.gen_range(1..30)
                ),
                public: rng.gen_bool(0.3),
                records_from: from,
                records_to: to,
                hazardous: rng.gen_bool(0.1),
                open,
            });
            // The tree: the 元請, then each company under an earlier one (upper tiers more
            // often), at most four tiers deep.
            let companies = if open {
                rng.gen_range(5..=30)
            } else {
                rng.gen_range(2..=5)
            }
            .min(businesses.len());
            let mut tree: Vec<(i64, usize)> = Vec::with_capacity(companies);
            let mut chosen = std::collections::HashSet::new();
            chosen.insert(prime);
            for c in 0..companies {
                place_key += 1;
                let (parent, depth) = if c == 0 {
                    (None, 0)
                } else {
                    let upper = rng.gen_range(0..tree.len().min(1 + c / 2));
                    let (p, d) = tree[upper];
                    if d >= 4 {
                        (Some(tree[0].0), 1)
                    } else {
                        (Some(p), d + 1)
                    }
                };
                let business = if c == 0 {
                    prime
                } else {
                    loop {
                        let b = pick(&mut rng, &businesses);
                        if chosen.insert(b) {
                            break b;
                        }
                    }
                };
                // The last companies of an open site may still wait for their 承認.
                let requested = open && c > 0 && c + 2 >= companies && rng.gen_bool(0.3);
                batch.placements.push(GeneratedPlacement {
                    key: place_key,
                    site: site_key,
                    business,
                    parent,
                    requested,
                });
                if !requested {
                    tree.push((place_key, depth));
                }
            }
            let workers = if open {
                rng.gen_range(20..=500)
            } else {
                rng.gen_range(5..=20)
            };
            let mut listed = std::collections::HashSet::new();
            for _ in 0..workers {
                let t = pick(&mut rng, &technicians);
                if !listed.insert(t) {
                    continue;
                }
                listing_key += 1;
                let (place, _) = tree[rng.gen_range(0..tree.len())];
                batch.listings.push(GeneratedListing {
                    key: listing_key,
                    site: site_key,
                    place,
                    technician: t,
                    added_by: prime,
                    trade: pick(&mut rng, TRADES),
                    position: match rng.gen_range(0..20) {
                        0 => Position::Foreman,
                        1 | 2 => Position::Leader,
                        3 => Position::Apprentice,
                        _ => Position::Worker,
                    },
                });
            }
            n += 1;
        }
        done.sites += batch.sites.len() as u64;
        done.placements += batch.placements.len() as u64;
        done.listings += batch.listings.len() as u64;
        if let Err(e) = store.sites().insert_generated(&batch, now).await {
            // A failed run leaves the indexes it put off built again.
            if deferred {
                let _ = store.sites().after_generated().await;
            }
            return Err(e.into());
        }
        if n % (SITES_PER_BATCH * 20) == 0 {
            tracing::info!(
                sites = done.sites,
                rows = done.rows(),
                rows_per_second = (done.rows() as f64 / started.elapsed().as_secs_f64()).round(),
                "generating sites"
            );
        }
    }
    store.sites().after_generated().await?;
    done.elapsed = started.elapsed();
    Ok(done)
}
