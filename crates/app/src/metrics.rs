//! The portal's metrics, in Prometheus's text format (0.0.4), served on their own address
//! (`metrics.listen`, off by default and never on the public port).
//!
//! Counters and histograms are kept by this instance since it started (Prometheus adds the
//! instances up); gauges are read at scrape time — from the database for what all instances
//! share (the mail outbox, active sessions), from this instance for what is its own (the hash
//! queue, the connection pool, the breaker). docs/operations.md lists every metric and the
//! alerts in deploy/prometheus/.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use crate::App;

/// Bounds of request and wait durations, in seconds.
pub const DURATION_BOUNDS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// A histogram whose buckets are counted without a lock.
#[derive(Debug)]
pub struct Histogram {
    bounds: &'static [f64],
    buckets: Vec<AtomicU64>,
    sum_micros: AtomicU64,
    count: AtomicU64,
}

impl Histogram {
    pub fn new(bounds: &'static [f64]) -> Histogram {
        Histogram {
            bounds,
            buckets: bounds.iter().map(|_| AtomicU64::new(0)).collect(),
            sum_micros: AtomicU64::new(0),
            count: AtomicU64::new(0),
        }
    }

    pub fn observe(&self, d: Duration) {
        let secs = d.as_secs_f64();
        for (b, bound) in self.buckets.iter().zip(self.bounds) {
            if secs <= *bound {
                b.fetch_add(1, Ordering::Relaxed);
            }
        }
        let micros = u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
        self.sum_micros.fetch_add(micros, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
    }

    fn render(&self, out: &mut Exposition, name: &str, labels: &[(&str, &str)]) {
        for (b, bound) in self.buckets.iter().zip(self.bounds) {
            let le = bound.to_string();
            let mut l = labels.to_vec();
            l.push(("le", &le));
            out.sample(
                &format!("{name}_bucket"),
                &l,
                b.load(Ordering::Relaxed) as f64,
            );
        }
        let mut l = labels.to_vec();
        l.push(("le", "+Inf"));
        let count = self.count.load(Ordering::Relaxed) as f64;
        out.sample(&format!("{name}_bucket"), &l, count);
        let sum = self.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        out.sample(&format!("{name}_sum"), labels, sum);
        out.sample(&format!("{name}_count"), labels, count);
    }
}

/// The key under which the series of these label values is kept.
fn label_key(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

/// Each label's name with its value, as a sample is written.
fn label_pairs<'a>(
    labels: &'static [&'static str],
    values: &'a [String],
) -> Vec<(&'static str, &'a str)> {
    labels
        .iter()
        .copied()
        .zip(values.iter().map(String::as_str))
        .collect()
}

/// Counters by label values.
#[derive(Debug)]
pub struct Counters {
    labels: &'static [&'static str],
    values: Mutex<BTreeMap<Vec<String>, u64>>,
}

impl Counters {
    pub const fn new(labels: &'static [&'static str]) -> Counters {
        Counters {
            labels,
            values: Mutex::new(BTreeMap::new()),
        }
    }

    /// Adds one to the counter of these label values (in the order of the labels).
    pub fn inc(&self, values: &[&str]) {
        self.add(values, 1);
    }

    /// Adds `n` to the counter of these label values.
    pub fn add(&self, values: &[&str], n: u64) {
        let key = label_key(values);
        if let Ok(mut m) = self.values.lock() {
            *m.entry(key).or_default() += n;
        }
    }

    fn render(&self, out: &mut Exposition, name: &str) {
        let Ok(m) = self.values.lock() else {
            return;
        };
        for (values, n) in m.iter() {
            let l = label_pairs(self.labels, values);
            out.sample(name, &l, *n as f64);
        }
    }
}

/// Histograms by label values.
#[derive(Debug)]
pub struct Histograms {
    labels: &'static [&'static str],
    values: Mutex<BTreeMap<Vec<String>, std::sync::Arc<Histogram>>>,
}

impl Histograms {
    pub const fn new(labels: &'static [&'static str]) -> Histograms {
        Histograms {
            labels,
            values: Mutex::new(BTreeMap::new()),
        }
    }

    pub fn observe(&self, values: &[&str], d: Duration) {
        let key = label_key(values);
        let h = match self.values.lock() {
            Ok(mut m) => m
                .entry(key)
                .or_insert_with(|| std::sync::Arc::new(Histogram::new(DURATION_BOUNDS)))
                .clone(),
            Err(_) => return,
        };
        h.observe(d);
    }

    fn render(&self, out: &mut Exposition, name: &str) {
        let Ok(m) = self.values.lock() else {
            return;
        };
        for (values, h) in m.iter() {
            let l = label_pairs(self.labels, values);
            h.render(out, name, &l);
        }
    }
}

/// What this instance counts.
#[derive(Debug)]
pub struct Metrics {
    /// Requests by route (the matched path, never the raw one), method and status.
    pub requests: Counters,
    pub request_seconds: Histograms,
    /// Password logins by entrance (`ccus_skill`, `ccus_owner`) and outcome.
    pub logins: Counters,
    /// Touches by outcome (`accepted`, `duplicate`, or the refusal's reason).
    pub touches: Counters,
    /// This instance's mail deliveries.
    pub mail: std::sync::Arc<ccus_mail::DeliveryStats>,
    /// Rows the clean-up removed past their retention, by what they were.
    pub retention_removed: Counters,
    /// When this instance's clean-up last finished its retention steps without an error (Unix
    /// seconds; 0 before the first).
    pub cleanup_finished: std::sync::atomic::AtomicI64,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            requests: Counters::new(&["route", "method", "status"]),
            request_seconds: Histograms::new(&["route"]),
            logins: Counters::new(&["entrance", "outcome"]),
            touches: Counters::new(&["outcome"]),
            mail: std::sync::Arc::default(),
            retention_removed: Counters::new(&["what"]),
            cleanup_finished: std::sync::atomic::AtomicI64::new(0),
        }
    }
}

/// A text exposition being written.
struct Exposition(String);

fn escape(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

impl Exposition {
    fn family(&mut self, name: &str, kind: &str, help: &str) {
        let _ = writeln!(self.0, "# HELP {name} {help}");
        let _ = writeln!(self.0, "# TYPE {name} {kind}");
    }

    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        self.0.push_str(name);
        if !labels.is_empty() {
            self.0.push('{');
            for (i, (k, v)) in labels.iter().enumerate() {
                if i > 0 {
                    self.0.push(',');
                }
                let _ = write!(self.0, "{k}=\"{}\"", escape(v));
            }
            self.0.push('}');
        }
        if value.is_infinite() {
            // The exposition format spells infinity this way; Rust would print `inf`.
            let _ = writeln!(self.0, " {}Inf", if value > 0.0 { '+' } else { '-' });
        } else {
            let _ = writeln!(self.0, " {value}");
        }
    }

    fn gauge(&mut self, name: &str, help: &str, value: f64) {
        self.family(name, "gauge", help);
        self.sample(name, &[], value);
    }
}

/// The whole exposition. Gauges the database could not give (it is down) are left out, and
/// `ccus_metrics_database_up` says so.
pub async fn render(app: &App) -> String {
    let m = app.metrics();
    let mut out = Exposition(String::with_capacity(8 * 1024));
    out.family(
        "ccus_http_requests_total",
        "counter",
        "Requests answered, by route, method and status.",
    );
    m.requests.render(&mut out, "ccus_http_requests_total");
    out.family(
        "ccus_http_request_duration_seconds",
        "histogram",
        "Time to answer a request, by route.",
    );
    m.request_seconds
        .render(&mut out, "ccus_http_request_duration_seconds");
    out.family(
        "ccus_logins_total",
        "counter",
        "Password logins by entrance and outcome (success, wrong_password, locked, throttled, busy, disabled).",
    );
    m.logins.render(&mut out, "ccus_logins_total");
    out.family(
        "ccus_touches_total",
        "counter",
        "Touches from readers and the partner API, by outcome.",
    );
    m.touches.render(&mut out, "ccus_touches_total");
    out.family(
        "ccus_mail_failures_total",
        "counter",
        "Failed mail deliveries: retry (tried again later) or gave_up.",
    );
    let load = |c: &AtomicU64| c.load(Ordering::Relaxed) as f64;
    out.sample(
        "ccus_mail_failures_total",
        &[("kind", "retry")],
        load(&m.mail.retried),
    );
    out.sample(
        "ccus_mail_failures_total",
        &[("kind", "gave_up")],
        load(&m.mail.gave_up),
    );
    out.family("ccus_mail_sent_total", "counter", "Mails delivered.");
    out.sample("ccus_mail_sent_total", &[], load(&m.mail.sent));

    // The hash queue and admission (this instance).
    let hasher = app.hasher();
    let (returning, proven, others) = hasher.waiting();
    out.family(
        "ccus_hash_queue_depth",
        "gauge",
        "Logins waiting for a password-hashing worker, by class.",
    );
    for (class, n) in [
        ("returning", returning),
        ("proven", proven),
        ("other", others),
    ] {
        out.sample("ccus_hash_queue_depth", &[("class", class)], n as f64);
    }
    out.family(
        "ccus_admission_total",
        "counter",
        "Admission to password hashing: immediate, queued (then served) or refused (busy), by class.",
    );
    hasher.admissions().render(&mut out, "ccus_admission_total");
    out.family(
        "ccus_hash_wait_seconds",
        "histogram",
        "Time a login waited for a hashing worker.",
    );
    hasher
        .wait_histogram()
        .render(&mut out, "ccus_hash_wait_seconds", &[]);

    // Retention: the periods in force, what the clean-up removed, and when it last finished.
    out.family(
        "ccus_retention_period_seconds",
        "gauge",
        "How long each kind of record is kept before the clean-up removes it.",
    );
    let cfg = app.config();
    for (what, period) in [
        ("access_history", cfg.history.retention),
        ("touches", cfg.records.touch_retention),
        ("closed_inquiries", cfg.inquiry.closed_retention),
        ("draft_applications", cfg.registration.draft_retention),
        ("closed_applications", cfg.registration.closed_retention),
        ("returned_applications", cfg.registration.returned_retention),
    ] {
        out.sample(
            "ccus_retention_period_seconds",
            &[("what", what)],
            period.as_secs_f64(),
        );
    }
    out.family(
        "ccus_retention_removed_total",
        "counter",
        "Rows this instance's clean-up removed past their retention.",
    );
    m.retention_removed
        .render(&mut out, "ccus_retention_removed_total");
    out.gauge(
        "ccus_retention_last_success_timestamp_seconds",
        "When this instance's clean-up last finished its retention steps without an error (0: not yet).",
        m.cleanup_finished
            .load(std::sync::atomic::Ordering::Relaxed) as f64,
    );

    // The database as this instance sees it.
    let (size, idle, budget) = app.store().db_stats();
    out.family(
        "ccus_db_pool_connections",
        "gauge",
        "Pooled database connections, by state.",
    );
    let busy = (size as usize).saturating_sub(idle);
    out.sample(
        "ccus_db_pool_connections",
        &[("state", "busy")],
        busy as f64,
    );
    out.sample(
        "ccus_db_pool_connections",
        &[("state", "idle")],
        idle as f64,
    );
    out.family(
        "ccus_db_call_timeouts_total",
        "counter",
        "Database calls that did not answer within the budget.",
    );
    out.sample("ccus_db_call_timeouts_total", &[], budget.timeouts as f64);
    out.family(
        "ccus_db_calls_refused_total",
        "counter",
        "Database calls refused at once while the breaker was open.",
    );
    out.sample("ccus_db_calls_refused_total", &[], budget.refused as f64);
    out.gauge(
        "ccus_db_breaker_open",
        "1 while the database breaker is open (calls refused at once).",
        if budget.open { 1.0 } else { 0.0 },
    );
    let (replicas, to_primary) = app.store().replica_stats();
    if !replicas.is_empty() {
        out.family(
            "ccus_db_replica_fresh",
            "gauge",
            "1 while a read replica is within database.replica_max_lag and takes reads.",
        );
        for r in &replicas {
            let fresh = if r.fresh { 1.0 } else { 0.0 };
            out.sample("ccus_db_replica_fresh", &[("replica", &r.name)], fresh);
        }
        out.family(
            "ccus_db_replica_lag_seconds",
            "gauge",
            "The most a replica's data lags the primary's, as last sampled (+Inf while it does \
             not answer or does not follow the primary).",
        );
        for r in &replicas {
            let lag = r.lag.map_or(f64::INFINITY, |l| l.as_secs_f64());
            out.sample("ccus_db_replica_lag_seconds", &[("replica", &r.name)], lag);
        }
        out.family(
            "ccus_db_replica_reads_total",
            "counter",
            "Reads a replica answered (served) or failed (then answered by the primary).",
        );
        for r in &replicas {
            for (outcome, n) in [("served", r.reads), ("failed", r.failures)] {
                out.sample(
                    "ccus_db_replica_reads_total",
                    &[("replica", &r.name), ("outcome", outcome)],
                    n as f64,
                );
            }
        }
        out.family(
            "ccus_db_replica_reads_on_primary_total",
            "counter",
            "Reads that could go to a replica and went to the primary, none being fresh.",
        );
        out.sample(
            "ccus_db_replica_reads_on_primary_total",
            &[],
            to_primary as f64,
        );
    }

    // What all instances share, from the database.
    let now = app.clock().now();
    let shared = async {
        let (depth, oldest) = app.store().outbox().depth().await?;
        let since = now.minus(app.config().session.idle_timeout);
        let sessions = app.store().sessions().count_active(since).await?;
        Ok::<_, ccus_storage::StoreError>((depth, oldest, sessions))
    };
    match shared.await {
        Ok((depth, oldest, sessions)) => {
            out.gauge(
                "ccus_metrics_database_up",
                "1 when the database answered this scrape.",
                1.0,
            );
            out.gauge(
                "ccus_mail_outbox_depth",
                "Mails waiting in the outbox (all instances).",
                depth as f64,
            );
            let age = oldest.map_or(0.0, |t| ((now.0 - t.0).max(0) as f64) / 1000.0);
            out.gauge(
                "ccus_mail_outbox_oldest_seconds",
                "Age of the oldest mail waiting in the outbox.",
                age,
            );
            out.gauge(
                "ccus_sessions_active",
                "Sessions used within the idle timeout (all instances).",
                sessions as f64,
            );
        }
        Err(e) => {
            tracing::warn!(error = %e, "metrics: the database did not answer");
            out.gauge(
                "ccus_metrics_database_up",
                "1 when the database answered this scrape.",
                0.0,
            );
        }
    }
    out.0
}
