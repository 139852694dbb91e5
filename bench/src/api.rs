//! Row 11, the partner API: token issuance (client credentials with a signed assertion, four
//! clients at once), reads of a granted business's data (a site's tree, its 名簿, a day's
//! records, a technician by card), and a day of touches through the API beside the same
//! touches from a reader's key — each batch 500 touches, over HTTP.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ccus_domain::SiteId;
use ccus_testkit::api::{Vendor, KEY_1};
use ccus_testkit::TestApp as App;

use crate::{p50_p95, time_days, warm_timed};

const SCOPES: &str = "sites:read roster:read touches:write records:read workers:lookup";

/// Up to `n` of the newest generated open sites with at least `min` workers on their 名簿 whose
/// period covers the last month: each with its 現場ID, its 元請's context and the cards of its
/// workers.
pub(crate) async fn busy_sites(
    app: &App,
    n: usize,
    min: usize,
) -> Vec<(SiteId, ccus_app::org::OrgContext, Vec<String>)> {
    let store = app.state.store_for_tools();
    let today = ccus_app::sites::today(app.state.clock().now());
    let mut found = Vec::new();
    for (site_id, prime) in store.sites().newest(200).await.unwrap() {
        if found.len() >= n {
            break;
        }
        let site = store.sites().site(&site_id).await.unwrap().unwrap();
        if site.records_from > today - time_days(31) {
            continue;
        }
        let mut cards = Vec::new();
        for l in store.listings().roster(site.key).await.unwrap() {
            if l.state == "listed" {
                if let Some(c) = store.records().card_of(l.technician.id).await.unwrap() {
                    cards.push(c.number);
                }
            }
        }
        if cards.len() < min {
            continue;
        }
        let prime = store
            .accounts()
            .account_by_id(prime)
            .await
            .unwrap()
            .unwrap();
        let ctx = ccus_app::org::context(&app.state, &prime)
            .await
            .unwrap()
            .unwrap();
        found.push((site_id, ctx, cards));
    }
    found
}

/// A batch of touches: `cards` touching in (or out) on `day`, numbered from `seq`.
fn batch(cards: &[String], day: time::Date, out: bool, seq: &mut i64) -> String {
    let (_, at) = ccus_testkit::sites::jst_at(day, if out { 17 } else { 8 }, 5);
    let touches: Vec<String> = cards
        .iter()
        .map(|c| {
            *seq += 1;
            format!(
                r#"{{"seq":{seq},"card":"{c}","direction":"{}","at":"{at}"}}"#,
                if out { "out" } else { "in" }
            )
        })
        .collect();
    format!(r#"{{"touches":[{}]}}"#, touches.join(","))
}

/// Posts batches of `cards` over the 30 days before today, again and again (each time new
/// numbers), to `url` for `secs` with `auth` (a reader's key or an access token) and, for the
/// API, a new `Idempotency-Key` per batch; (touches accepted, seconds taken). `seq` carries
/// the sender's numbering from one call to the next.
async fn touches_for(
    app: &App,
    url: &str,
    auth: &str,
    cards: &[String],
    secs: f64,
    seq: &mut i64,
) -> (u64, f64) {
    let today = ccus_app::sites::today(app.state.clock().now());
    let client = reqwest::Client::new();
    let mut taken = 0_u64;
    let end = Instant::now() + Duration::from_secs_f64(secs);
    let started = Instant::now();
    'outer: loop {
        for back in 1..31_i64 {
            for out in [false, true] {
                for chunk in cards.chunks(500) {
                    if Instant::now() >= end {
                        break 'outer;
                    }
                    let body = batch(chunk, today - time_days(back), out, seq);
                    let r = client
                        .post(url)
                        .bearer_auth(auth)
                        .header("content-type", "application/json")
                        .header("idempotency-key", format!("bench-{seq}"))
                        .body(body)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(r.status(), 200);
                    let text = r.text().await.unwrap();
                    taken += text.matches(r#""status":"accepted""#).count() as u64;
                }
            }
        }
    }
    (taken, started.elapsed().as_secs_f64())
}

pub async fn partner_api(app: &Arc<App>, secs: f64) {
    println!("11. The partner API:");
    let (site_id, prime, cards) = busy_sites(app, 1, 100)
        .await
        .pop()
        .expect("an open site with 100 workers");
    let vendor = Arc::new(Vendor::register(app, "ベンチ ゲート", SCOPES, &KEY_1).await);
    vendor.granted_by(app, &prime, SCOPES).await;

    // Token issuance: four clients at once, each request with its own signed assertion.
    let issued = Arc::new(AtomicU64::new(0));
    let end = Instant::now() + Duration::from_secs_f64(secs);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let (app, vendor, issued) = (app.clone(), vendor.clone(), issued.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < end {
                let r = vendor.token_response(&app, None).await;
                assert_eq!(r.status(), 200);
                issued.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let rate = issued.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
    println!("   tokens issued (4 clients, a signed assertion each): {rate:.0}/s");

    // Touches from a reader's key, then the same workers' touches through the API.
    let key = match ccus_app::records::readers::issue(&app.state, &prime, &site_id, "bench")
        .await
        .unwrap()
    {
        ccus_app::records::readers::IssueOutcome::Issued { key, .. } => key,
        other => panic!("{other:?}"),
    };
    let token = vendor.token(app).await;
    let business = prime.business.login_id.as_str().to_owned();
    let site_path = format!(
        "{}/api/v1/businesses/{business}/sites/{}",
        app.base,
        site_id.as_str()
    );
    // The reader and the API send the same workers' touches (each with its own numbering) and
    // take turns, twice, so that neither gains from going second.
    let reader_url = format!("{}/api/v1/touches", app.base);
    let api_url = format!("{site_path}/touches");
    let (mut r_seq, mut a_seq) = (0_i64, 0_i64);
    let (mut r_n, mut r_s, mut a_n, mut a_s) = (0, 0.0, 0, 0.0);
    for _ in 0..2 {
        let (n, s) = touches_for(app, &reader_url, &key, &cards, secs / 2.0, &mut r_seq).await;
        r_n += n;
        r_s += s;
        let (n, s) = touches_for(app, &api_url, &token, &cards, secs / 2.0, &mut a_seq).await;
        a_n += n;
        a_s += s;
    }
    let reader = r_n as f64 / r_s;
    let through_api = a_n as f64 / a_s;
    println!(
        "   touches ({} workers a batch): reader's key {reader:.0}/s, the API {through_api:.0}/s ({:.0}% of the reader path)",
        cards.len().min(500),
        through_api / reader * 100.0
    );

    // Reads, as a system with a token sees them: one of the 元請's own technicians' month.
    let own = app
        .state
        .store_for_tools()
        .org()
        .technicians_of(prime.business.id, 1)
        .await
        .unwrap();
    let own = own.first().map(|t| t.login_id.as_str().to_owned());
    let client = reqwest::Client::new();
    let yesterday = ccus_domain::profile::format_date(
        ccus_app::sites::today(app.state.clock().now()) - time_days(1),
    );
    for (label, path) in [
        ("a site's tree", site_path.clone()),
        ("its 名簿", format!("{site_path}/roster")),
        (
            "a day's records",
            format!("{site_path}/records?day={yesterday}"),
        ),
        (
            "a technician by card",
            format!(
                "{}/api/v1/businesses/{business}/workers?card={}",
                app.base, cards[0]
            ),
        ),
    ]
    .into_iter()
    .chain(own.map(|t| {
        (
            "a worker's records (month)",
            format!(
                "{}/api/v1/businesses/{business}/workers/{t}/records",
                app.base
            ),
        )
    })) {
        let lat = warm_timed(20, 200, |_| {
            let (client, path, token) = (client.clone(), path.clone(), token.clone());
            async move {
                let r = client.get(&path).bearer_auth(&token).send().await.unwrap();
                assert_eq!(r.status(), 200, "{path}");
                r.bytes().await.unwrap();
            }
        })
        .await;
        println!("   {label:<28}{}", p50_p95(&lat));
    }
}
