//! How long the helpdesk's account look-up takes at CCUS size. Ignored by default (it fills a
//! database with hundreds of thousands of accounts); run it in release:
//!
//! ```text
//! CCUS_LOOKUP_ROWS=2000000 cargo test --release -p ccus-storage --test lookup_scale -- --ignored --nocapture
//! ```
//!
//! `CCUS_LOOKUP_URL` names the database to use (default: a new SQLite file); a database that
//! already holds accounts is not filled again, so one filled database can be measured many
//! times. Prints p50 and p95 per kind of look-up; asserts nothing about the times.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use ccus_domain::{AccountKind, LoginId, Timestamp};
use ccus_storage::{testdb, DbTimeouts, Lookup, NewAccount, Profile, Store};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use ccus_domain::sample_names::{GIVEN, SURNAMES, TRADES};

fn pick<T: Copy>(rng: &mut StdRng, list: &[T]) -> T {
    list[rng.gen_range(0..list.len())]
}

fn account(login_id: LoginId, name: String, email: String, profile: Profile) -> NewAccount {
    NewAccount {
        login_id,
        name,
        email,
        password_hash: "$argon2id$dummy".into(),
        security_code_hash: "$argon2id$code".into(),
        must_change_password: false,
        profile,
    }
}

/// Businesses (one in twenty accounts) first, then technicians, most with an employer.
async fn fill(store: &Store, rows: u64) {
    const BATCH: usize = 20_000;
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(7);
    let now = Timestamp(1_795_566_600_000);
    let businesses = (rows / 20).max(1);
    let mut batch = Vec::with_capacity(BATCH);
    for n in 0..businesses {
        let (s, sk) = pick(&mut rng, SURNAMES);
        let (t, tk) = pick(&mut rng, TRADES);
        batch.push(account(
            LoginId::generate(AccountKind::Business, &mut rng),
            format!("株式会社 {s}{t}"),
            format!("office{n}@example.jp"),
            Profile {
                furigana: format!("カブシキガイシャ {sk}{tk}"),
                ..Profile::default()
            },
        ));
        if batch.len() == BATCH || n + 1 == businesses {
            store
                .accounts()
                .insert_accounts_bulk(&batch, now)
                .await
                .unwrap();
            batch.clear();
        }
    }
    let employers = store
        .accounts()
        .account_ids_of_kind(AccountKind::Business, u32::MAX)
        .await
        .unwrap();
    let technicians = rows - businesses;
    for n in 0..technicians {
        let (s, sk) = pick(&mut rng, SURNAMES);
        let (g, gk) = pick(&mut rng, GIVEN);
        let birth = format!(
            "{:04}-{:02}-{:02}",
            rng.gen_range(1950..2006),
            rng.gen_range(1..13),
            rng.gen_range(1..29)
        );
        let employer_id =
            (rng.gen_range(0..10) < 9).then(|| employers[rng.gen_range(0..employers.len())]);
        batch.push(account(
            LoginId::generate(AccountKind::Technician, &mut rng),
            format!("{s} {g}"),
            format!("worker{n}@example.jp"),
            Profile {
                furigana: format!("{sk} {gk}"),
                birth_date: ccus_domain::profile::parse_birth_date(&birth),
                employer_id,
            },
        ));
        if batch.len() == BATCH || n + 1 == technicians {
            store
                .accounts()
                .insert_accounts_bulk(&batch, now)
                .await
                .unwrap();
            batch.clear();
        }
    }
    println!("filled {rows} accounts in {:.1?}", started.elapsed());
}

fn lookup(name: &str, birth_date: &str, employer: &str, email: &str) -> Lookup {
    Lookup {
        name: name.into(),
        birth_date: birth_date.into(),
        employer: employer.into(),
        email: email.into(),
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "fills a large database; run by hand in release"]
async fn lookup_times_at_scale() {
    let url = std::env::var("CCUS_LOOKUP_URL").unwrap_or_else(|_| testdb::sqlite_url());
    let rows: u64 = std::env::var("CCUS_LOOKUP_ROWS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(500_000);
    // Slow look-ups are measured, not cut short.
    let timeouts = DbTimeouts {
        query: Duration::from_secs(600),
        ..DbTimeouts::default()
    };
    let store = Store::connect_with(&url, timeouts).await.unwrap();
    let started = Instant::now();
    store.migrate().await.unwrap();
    println!("migrated in {:.1?}", started.elapsed());
    if store
        .accounts()
        .account_ids_of_kind(AccountKind::Technician, 1)
        .await
        .unwrap()
        .is_empty()
    {
        fill(&store, rows).await;
    }
    let cases = [
        ("full name (4 chars)", lookup("田中 太郎", "", "", "")),
        ("full name, katakana", lookup("ﾀﾅｶ ﾀﾛｳ", "", "", "")),
        (
            "every business's name",
            lookup("かぶしきがいしゃ", "", "", ""),
        ),
        ("surname (2 chars)", lookup("田中", "", "", "")),
        ("given name, kana (3 chars)", lookup("タロウ", "", "", "")),
        ("given name (1 char)", lookup("誠", "", "", "")),
        ("no such name", lookup("存在しない名前", "", "", "")),
        (
            "name + birth date",
            lookup("田中太郎", "1985-04-01", "", ""),
        ),
        ("surname + birth date", lookup("田中", "1985-04-01", "", "")),
        ("birth date", lookup("", "1985-04-01", "", "")),
        ("employer", lookup("", "", "田中建設", "")),
        ("employer (no such)", lookup("", "", "存在しない会社", "")),
        ("employer (every business)", lookup("", "", "株式会社", "")),
        (
            "name + employer",
            lookup("たなかたろう", "", "やまだこうむてん", ""),
        ),
        ("email", lookup("", "", "", "worker12345@example.jp")),
    ];
    let mut all = Vec::new();
    for (label, q) in &cases {
        // Once to warm the cache, then measured.
        let found = store.lookup().find_accounts(q, 50).await.unwrap().len();
        let mut times = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            store.lookup().find_accounts(q, 50).await.unwrap();
            times.push(t.elapsed());
        }
        times.sort();
        println!(
            "{label:<28} {found:>3} found  p50 {:>9.2?}  p95 {:>9.2?}",
            percentile(&times, 0.5),
            percentile(&times, 0.95)
        );
        all.extend(times);
    }
    all.sort();
    println!(
        "all look-ups: p50 {:.2?}  p95 {:.2?}",
        percentile(&all, 0.5),
        percentile(&all, 0.95)
    );
    store.close().await;
}
