//! `ccus admin api-conformance`: the partner API's certification test, run by a vendor against
//! a portal (normally the sandbox, `ccus demo`) with its own client. It calls every `/api/v1`
//! endpoint and the OAuth endpoints as docs/api.md describes them, checks the refusals and the
//! idempotency rules, and prints one line per item: PASS, FAIL (with why) or SKIP (only for an
//! item that cannot apply, with why; never counted as a pass).
//!
//! It is an HTTP client and nothing more — no database, no configuration — so it judges a
//! portal exactly as a vendor's system meets it. The items live by area: tokens in [`oauth`],
//! reads and refusals in [`resources`], writes and `Idempotency-Key` in [`writes`]; the
//! client's proof and the shape of answers in [`http`]. What it writes is chosen to be
//! harmless in a sandbox (docs/api.md §7 lists it).

mod http;
mod oauth;
mod resources;
mod writes;

use std::path::PathBuf;

use anyhow::Result;
use serde_json::{json, Value};

use http::{Portal, Proof, Token};

/// The partner API's scopes (docs/api.md §2).
const API_SCOPES: &[&str] = &[
    "sites:read",
    "sites:write",
    "roster:read",
    "roster:write",
    "touches:write",
    "records:read",
    "workers:lookup",
];

/// `ccus admin api-conformance`'s arguments.
#[derive(clap::Args)]
pub(crate) struct ConformanceArgs {
    /// The portal's address, as its public_url names it (assertions are addressed to
    /// URL/oauth/token), e.g. http://127.0.0.1:8080 for `ccus demo`.
    url: String,
    /// The client's client_id (ccusc_…).
    #[arg(long)]
    client_id: String,
    /// The client's secret (ccuss_…), for a client registered with one.
    #[arg(
        long,
        env = "CCUS_API_CLIENT_SECRET",
        hide_env_values = true,
        required_unless_present = "key_file",
        conflicts_with = "key_file"
    )]
    secret: Option<String>,
    /// The private key (PEM) the client signs its assertions with (private_key_jwt).
    #[arg(long)]
    key_file: Option<PathBuf>,
    /// The key's `kid`, when the client's key set holds several keys.
    #[arg(long, requires = "key_file")]
    kid: Option<String>,
    /// The key's algorithm: ES256, RS256, PS256, EdDSA, …
    #[arg(long, default_value = "ES256", requires = "key_file")]
    alg: String,
    /// The 事業者ID to act for (by default: the granting business with the most scopes and
    /// an open site it runs).
    #[arg(long)]
    business: Option<String>,
    /// The 現場ID to use (by default: the business's newest open site it runs).
    #[arg(long)]
    site: Option<String>,
    /// The card of a worker on the site's 作業員名簿: a touch with it is accepted, and is a
    /// duplicate when sent again. Without it, the items that need an accepted touch are
    /// skipped.
    #[arg(long)]
    card: Option<String>,
    /// Print one JSON object instead of lines.
    #[arg(long)]
    json: bool,
}

/// Why an item did not pass.
pub(super) enum Miss {
    Fail(String),
    /// The item cannot apply to this client, grant or site.
    Skip(String),
}

impl From<reqwest::Error> for Miss {
    fn from(e: reqwest::Error) -> Miss {
        // The error's chain says what failed (connection refused, timed out, …).
        let mut why = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            why.push_str(": ");
            why.push_str(&s.to_string());
            source = s.source();
        }
        Miss::Fail(format!("request failed: {why}"))
    }
}

/// An item's outcome.
pub(super) type Check = Result<(), Miss>;

/// Fails with `why` unless `ok`.
pub(super) fn ensure(ok: bool, why: impl FnOnce() -> String) -> Check {
    if ok {
        Ok(())
    } else {
        Err(Miss::Fail(why()))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Pass,
    Fail,
    Skip,
}

impl Verdict {
    fn label(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Fail => "FAIL",
            Verdict::Skip => "SKIP",
        }
    }
}

struct Item {
    id: &'static str,
    verdict: Verdict,
    reason: String,
}

/// The items as they are decided: printed at once as lines, or kept for one JSON object.
struct Report {
    items: Vec<Item>,
    json: bool,
}

impl Report {
    fn add(&mut self, id: &'static str, check: Check) {
        let (verdict, reason) = match check {
            Ok(()) => (Verdict::Pass, String::new()),
            Err(Miss::Fail(why)) => (Verdict::Fail, why),
            Err(Miss::Skip(why)) => (Verdict::Skip, why),
        };
        if !self.json {
            if reason.is_empty() {
                say(&format!("{}  {id}", verdict.label()));
            } else {
                say(&format!("{}  {id} — {reason}", verdict.label()));
            }
        }
        self.items.push(Item {
            id,
            verdict,
            reason,
        });
    }

    fn count(&self, v: Verdict) -> usize {
        self.items.iter().filter(|i| i.verdict == v).count()
    }
}

/// The business and site the suite acts on.
pub(super) struct Target {
    /// 事業者ID.
    pub business: String,
    /// The scopes the business granted (empty when it is not among the grants).
    pub granted: Vec<String>,
    pub site: Option<Site>,
    /// Why there is no site, when there is none.
    pub no_site: String,
}

pub(super) struct Site {
    /// 現場ID.
    pub id: String,
    pub open: bool,
    /// The business is the site's 元請 (it runs the site: touches and records).
    pub runs: bool,
}

/// What an accepted touch left for the items after it.
pub(super) struct Touched {
    /// The work day the portal counted it for (`YYYY-MM-DD`).
    pub work_day: String,
    /// Whether it was accepted (sent with `--card`), not refused.
    pub accepted: bool,
}

/// The suite's state, item after item.
pub(super) struct Suite {
    portal: Portal,
    report: Report,
    /// A token for every registered scope, once `token.client_credentials` passed.
    token: Option<Token>,
    target: Option<Target>,
    /// Why there is no target, when there is none.
    no_target: String,
    args_business: Option<String>,
    args_site: Option<String>,
    card: Option<String>,
    /// A card that is nobody's, for touches that must be refused.
    unknown_card: String,
    /// This run's number: touches are numbered from it and idempotency keys carry it, so
    /// that a run never reuses an earlier run's.
    run: i64,
    touched: Option<Touched>,
    /// The technician the card belongs to, once looked up.
    card_holder: Option<String>,
    /// A site of another granting business that the chosen one is not on.
    other_site: Option<String>,
    /// The first answer to the touch batch (status and body), to compare its replay with.
    first_touch: Option<(u16, Value)>,
}

impl Suite {
    /// The token, or why an item needing one cannot run.
    fn token(&self) -> Result<&Token, Miss> {
        self.token.as_ref().ok_or_else(|| {
            Miss::Fail("not run: no access token (see token.client_credentials)".into())
        })
    }

    /// The token and target for an item needing `scope`; a skip when the client or the
    /// business does not have it.
    fn need(&self, scope: &str) -> Result<(&Token, &Target), Miss> {
        let token = self.token()?;
        let Some(target) = &self.target else {
            return Err(Miss::Skip(self.no_target.clone()));
        };
        if !token.scopes.iter().any(|s| s == scope) {
            return Err(Miss::Skip(format!(
                "the client is not registered for {scope}"
            )));
        }
        if !target.granted.iter().any(|s| s == scope) {
            return Err(Miss::Skip(format!(
                "business {} did not grant {scope}",
                target.business
            )));
        }
        Ok((token, target))
    }

    /// As [`Suite::need`], with the site.
    fn need_site(&self, scope: &str) -> Result<(&Token, &Target, &Site), Miss> {
        let (token, target) = self.need(scope)?;
        match &target.site {
            Some(site) => Ok((token, target, site)),
            None => Err(Miss::Skip(target.no_site.clone())),
        }
    }

    /// As [`Suite::need_site`], for a site the business runs and that is open (touches).
    fn need_running_site(&self, scope: &str) -> Result<(&Token, &Target, &Site), Miss> {
        let (token, target, site) = self.need_site(scope)?;
        if !site.runs || !site.open {
            return Err(Miss::Skip(format!(
                "site {} is not an open site business {} runs (its 元請)",
                site.id, target.business
            )));
        }
        Ok((token, target, site))
    }

    /// `/api/v1/businesses/{b}`.
    fn business_path(target: &Target) -> String {
        format!("/api/v1/businesses/{}", target.business)
    }

    /// `/api/v1/businesses/{b}/sites/{s}`.
    fn site_path(target: &Target, site: &Site) -> String {
        format!("{}/sites/{}", Self::business_path(target), site.id)
    }

    /// An idempotency key of this run.
    fn key(&self, what: &str) -> String {
        format!("conformance-{}-{what}", self.run)
    }
}

/// A line on standard output; a reader that went away (`| head`) is not an error here.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// A card number as a reader sends it: 16 hex digits (spaces and hyphens dropped).
fn card_number(typed: &str) -> Result<String> {
    let n: String = typed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if n.len() != 16 || !n.chars().all(|c| c.is_ascii_hexdigit()) {
        anyhow::bail!("--card must be a card number of 16 hex digits, not {typed:?}");
    }
    Ok(n)
}

/// Runs the suite; an error when an item failed.
pub(crate) async fn run(args: ConformanceArgs) -> Result<()> {
    let proof = match (&args.secret, &args.key_file) {
        (Some(secret), None) => Proof::Secret(secret.clone()),
        (None, Some(path)) => Proof::from_key_file(path, &args.alg, args.kid.clone())?,
        _ => anyhow::bail!("give either --secret or --key-file"),
    };
    let card = args.card.as_deref().map(card_number).transpose()?;
    let portal = Portal::new(&args.url, args.client_id.clone(), proof)?;
    // A portal that cannot be reached is one error, not a failure of every item.
    if let Err(Miss::Fail(why) | Miss::Skip(why)) = portal
        .call(
            reqwest::Method::GET,
            "/api/v1/openapi.json",
            None,
            None,
            None,
        )
        .await
    {
        anyhow::bail!("cannot reach {}: {why}", portal.base);
    }
    if !args.json {
        say(&format!(
            "Partner API conformance: {} as {} ({})",
            portal.base,
            portal.client_id,
            portal.proof().describe()
        ));
    }
    let run = ccus_domain::Clock::now(&ccus_domain::SystemClock).0;
    let mut suite = Suite {
        portal,
        report: Report {
            items: Vec::new(),
            json: args.json,
        },
        token: None,
        target: None,
        no_target: "not run: no business chosen (see grants.list)".into(),
        args_business: args.business,
        args_site: args.site,
        card,
        unknown_card: resources::nobodys_card(),
        run,
        touched: None,
        card_holder: None,
        other_site: None,
        first_touch: None,
    };
    suite.run_all().await;
    let report = &suite.report;
    let (passed, failed, skipped) = (
        report.count(Verdict::Pass),
        report.count(Verdict::Fail),
        report.count(Verdict::Skip),
    );
    if args.json {
        let items: Vec<Value> = report
            .items
            .iter()
            .map(|i| {
                json!({
                    "id": i.id,
                    "result": i.verdict.label().to_ascii_lowercase(),
                    "reason": i.reason,
                })
            })
            .collect();
        let out = json!({
            "portal": suite.portal.base,
            "client_id": suite.portal.client_id,
            "business": suite.target.as_ref().map(|t| t.business.clone()),
            "site": suite.target.as_ref().and_then(|t| t.site.as_ref()).map(|s| s.id.clone()),
            "items": items,
            "passed": passed,
            "failed": failed,
            "skipped": skipped,
        });
        println!("{out}");
    } else {
        if let Some(t) = &suite.target {
            let site = t.site.as_ref().map_or("none", |s| s.id.as_str());
            println!("business {}, site {site}", t.business);
        }
        println!(
            "合格 {passed}、不合格 {failed}、対象外 {skipped}（計 {}）",
            report.items.len()
        );
        println!("{passed} passed, {failed} failed, {skipped} skipped (SKIP is not a pass)");
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {} items failed", report.items.len());
    }
    Ok(())
}

impl Suite {
    /// Every item, in an order where each finds what the ones before it left.
    async fn run_all(&mut self) {
        let r = self.openapi().await;
        self.report.add("openapi.document", r);

        // Tokens, introspection, revocation (oauth.rs).
        let r = self.client_credentials().await;
        self.report.add("token.client_credentials", r);
        let r = self.narrowed_scope().await;
        self.report.add("token.scope_narrowed", r);
        let r = self.invalid_client().await;
        self.report.add("token.invalid_client", r);
        let r = self.unsupported_grant_type().await;
        self.report.add("token.unsupported_grant_type", r);
        let r = self.invalid_scope().await;
        self.report.add("token.invalid_scope", r);
        let r = self.introspect_active().await;
        self.report.add("introspect.active", r);
        let r = self.introspect_inactive().await;
        self.report.add("introspect.inactive", r);
        let r = self.introspect_unproved().await;
        self.report.add("introspect.unproved", r);
        let r = self.revoke().await;
        self.report.add("revoke.token", r);

        // Bearer tokens and refusals on /api/v1 (resources.rs).
        let r = self.no_token().await;
        self.report.add("api.no_token", r);
        let r = self.unknown_token().await;
        self.report.add("api.unknown_token", r);
        let r = self.grants().await;
        self.report.add("grants.list", r);
        let r = self.insufficient_scope().await;
        self.report.add("api.insufficient_scope", r);
        let r = self.problem_shape().await;
        self.report.add("problem.shape", r);
        let r = self.sites_list().await;
        self.report.add("sites.list", r);
        let r = self.sites_cursor_malformed().await;
        self.report.add("sites.cursor_malformed", r);
        let r = self.site().await;
        self.report.add("sites.get", r);
        let r = self.foreign_site().await;
        self.report.add("sites.foreign_site", r);
        let r = self.foreign_business().await;
        self.report.add("sites.foreign_business", r);
        let r = self.roster_read().await;
        self.report.add("roster.read", r);

        // Writes and Idempotency-Key (writes.rs).
        let r = self.key_missing().await;
        self.report.add("idempotency.key_missing", r);
        let r = self.touches_post().await;
        self.report.add("touches.post", r);
        let r = self.replayed().await;
        self.report.add("idempotency.replayed", r);
        let r = self.key_reused().await;
        self.report.add("idempotency.key_reused", r);
        let r = self.touches_duplicate().await;
        self.report.add("touches.duplicate", r);
        let r = self.touches_too_many().await;
        self.report.add("touches.too_many", r);
        let r = self.roster_write().await;
        self.report.add("roster.write", r);
        let r = self.places_write().await;
        self.report.add("places.write", r);

        // Reads of what the writes left (resources.rs).
        let r = self.lookup().await;
        self.report.add("workers.lookup", r);
        let r = self.lookup_unknown().await;
        self.report.add("workers.lookup_unknown", r);
        let r = self.records_day().await;
        self.report.add("records.day", r);
        let r = self.records_day_malformed().await;
        self.report.add("records.day_malformed", r);
        let r = self.records_cursor_malformed().await;
        self.report.add("records.cursor_malformed", r);
        let r = self.worker_records().await;
        self.report.add("workers.records", r);
        let r = self.worker_records_month_malformed().await;
        self.report.add("workers.records_month_malformed", r);
    }
}

#[cfg(test)]
mod tests {
    use super::card_number;

    #[test]
    fn a_card_is_sixteen_hex_digits_however_typed() {
        assert_eq!(
            card_number("4e76 7333-93f8 149b").ok().as_deref(),
            Some("4E76733393F8149B")
        );
        assert!(card_number("").is_err());
        assert!(card_number("4E76733393F8149").is_err());
        assert!(card_number("4E76733393F8149G").is_err());
    }
}
