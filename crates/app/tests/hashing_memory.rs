//! The hashing workers' Argon2 memory is given back after every quiet period, not only after
//! the first: once the system allocator had unmapped one area, it used to keep every later
//! one (two workers × 19 MiB stayed resident after the second flood of logins).
//!
//! Alone in its own test binary, so that the process's resident memory is this test's.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use ccus_app::config::HashingConfig;
use ccus_app::hashing::Hasher;
use ccus_domain::Password;

/// This process's resident memory, in KiB (Linux).
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

async fn quiet(h: &Hasher) {
    while h.memory_held() > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn argon2_memory_is_given_back_after_every_quiet_period() {
    let h = Arc::new(
        Hasher::new(&HashingConfig {
            // The production memory, one pass to keep the test quick.
            memory_kib: 19456,
            iterations: 1,
            workers: 2,
            release_after: Duration::from_millis(200),
            ..HashingConfig::default()
        })
        .unwrap(),
    );
    // The dummy hash made at start has been unmapped: from here on, the allocator's threshold
    // for giving an area a mapping of its own is as high as it goes.
    quiet(&h).await;
    let resting = rss_kib();
    let mut seen = Vec::new();
    for _ in 0..3 {
        let mut floods = Vec::new();
        for i in 0..8 {
            let h = h.clone();
            floods.push(tokio::spawn(async move {
                h.hash(Password::parse(&format!("flood password {i}")).unwrap())
                    .await
                    .unwrap()
            }));
        }
        let mut during = 0;
        for f in floods {
            f.await.unwrap();
            during = during.max(rss_kib());
        }
        quiet(&h).await;
        seen.push((during, rss_kib()));
    }
    for (n, (during, after)) in seen.iter().enumerate() {
        assert!(
            *during > resting + 19 * 1024,
            "flood {}: the areas were in use ({during} KiB, resting {resting} KiB)",
            n + 1
        );
        assert!(
            *after < resting + 8 * 1024,
            "flood {}: {after} KiB after the quiet period, resting {resting} KiB (all: {seen:?})",
            n + 1
        );
    }
}
