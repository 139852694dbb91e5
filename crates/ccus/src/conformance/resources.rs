//! The read items and the refusals of `/api/v1`: bearer tokens, grants (and the choice of a
//! business and site from them), sites, the 施工体制, the 名簿, a day's records, a worker by
//! card and a month of a worker's records; problem details for each refusal.

use ccus_domain::{AccountKind, LoginId, SiteId};
use reqwest::Method;
use serde_json::Value;

use super::http::Answer;
use super::oauth::prefixed;
use super::{ensure, Check, Miss, Site, Suite, Target, API_SCOPES};

/// A business that granted the client (its 事業者ID) and the scopes it granted.
type Grant = (String, Vec<String>);

/// The most pages of a business's sites read when looking for a site.
const MAX_SITE_PAGES: usize = 20;

/// A cursor no portal issues (`*` is not in base64url).
const BAD_CURSOR: &str = "not*a*cursor";

/// A business ID that is almost surely nobody's (random among 10^12).
pub(super) fn nobodys_business() -> String {
    LoginId::generate(AccountKind::Business, &mut rand::thread_rng())
        .as_str()
        .to_owned()
}

/// A technician ID that is almost surely nobody's.
pub(super) fn nobodys_technician() -> String {
    LoginId::generate(AccountKind::Technician, &mut rand::thread_rng())
        .as_str()
        .to_owned()
}

/// A card number that is almost surely nobody's (random among 16^16).
pub(super) fn nobodys_card() -> String {
    format!("{:016X}", rand::random::<u64>())
}

/// An ID as the portal writes it (14 digits, spaces and hyphens dropped).
fn compact(id: &str) -> String {
    id.chars().filter(char::is_ascii_digit).collect()
}

/// A string field of a JSON object.
fn text<'a>(v: &'a Value, field: &str) -> Option<&'a str> {
    v.get(field).and_then(Value::as_str)
}

/// The array `field` of an answer, or a failure naming it.
fn array<'a>(a: &'a Answer, field: &str) -> Result<&'a Vec<Value>, Miss> {
    a.json
        .get(field)
        .and_then(Value::as_array)
        .ok_or_else(|| Miss::Fail(format!("no {field} array: {}", a.brief())))
}

/// Fails unless every object in `list` has the string fields `fields`.
fn fields(list: &[Value], what: &str, fields: &[&str]) -> Check {
    for item in list {
        for f in fields {
            ensure(text(item, f).is_some(), || {
                format!("a {what} has no {f}: {item}")
            })?;
        }
    }
    Ok(())
}

/// A site in a list, and how well it suits the suite: an open site the business runs with
/// its place active is best.
fn rank(business: &str, s: &Value) -> (u8, Site) {
    let open = text(s, "state") == Some("open");
    let runs = s["prime"]["business_id"].as_str() == Some(business);
    let active = text(s, "place_state") == Some("active");
    let score = match (open, runs, active) {
        (true, true, true) => 3,
        (true, _, true) => 2,
        _ => 1,
    };
    (
        score,
        Site {
            id: text(s, "site_id").unwrap_or_default().to_owned(),
            open,
            runs,
        },
    )
}

impl Suite {
    /// `/api/v1/businesses/{b}/sites`, page after page.
    async fn all_sites(&self, token: &str, business: &str) -> Result<Vec<Value>, Miss> {
        let mut sites = Vec::new();
        let mut cursor: Option<String> = None;
        for _ in 0..MAX_SITE_PAGES {
            let mut path = format!("/api/v1/businesses/{business}/sites");
            if let Some(c) = &cursor {
                path.push_str(&format!("?cursor={c}"));
            }
            let a = self.portal.get(&path, token).await?;
            a.expect(200)?;
            sites.extend(array(&a, "sites")?.iter().cloned());
            match a.str("next_cursor") {
                Some(c) if !c.is_empty() => cursor = Some(c.to_owned()),
                _ => break,
            }
        }
        Ok(sites)
    }

    /// Chooses the business among `chosen` (the granting one with the most API scopes and a
    /// fitting site) and its site (the one named, or the best-fitting one); and a site of
    /// another granting business (`all`) that this one is not on.
    async fn choose(&mut self, chosen: &[Grant], all: &[Grant]) {
        let Some(token) = self.token.clone() else {
            return;
        };
        let can_list = |granted: &[String]| {
            token.scopes.iter().any(|s| s == "sites:read")
                && granted.iter().any(|s| s == "sites:read")
        };
        let mut candidates: Vec<&Grant> = chosen.iter().collect();
        candidates.sort_by_key(|(_, scopes)| {
            std::cmp::Reverse(
                scopes
                    .iter()
                    .filter(|s| API_SCOPES.contains(&s.as_str()))
                    .count(),
            )
        });
        let mut best: Option<(u8, Target, Vec<Value>)> = None;
        for (business, granted) in candidates {
            let mut target = Target {
                business: business.clone(),
                granted: granted.clone(),
                site: None,
                no_site: String::new(),
            };
            let mut score = 0;
            let mut sites = Vec::new();
            if !can_list(granted) {
                target.no_site = format!(
                    "no site can be found without sites:read for business {business} (name \
                     one with --site)"
                );
            } else {
                match self.all_sites(&token.access_token, business).await {
                    Ok(list) => {
                        // The first of the best: the newest.
                        for s in &list {
                            let (rank, site) = rank(business, s);
                            if rank > score {
                                score = rank;
                                target.site = Some(site);
                            }
                        }
                        if target.site.is_none() {
                            target.no_site = format!("business {business} is on no site");
                        }
                        sites = list;
                    }
                    Err(Miss::Fail(why) | Miss::Skip(why)) => {
                        target.no_site = format!("the sites of business {business}: {why}");
                    }
                }
            }
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, target, sites));
            }
            if score == 3 {
                break;
            }
        }
        let Some((_, mut target, own_sites)) = best else {
            return;
        };
        if let Some(named) = &self.args_site {
            let id = compact(named);
            let seen = own_sites
                .iter()
                .find(|s| text(s, "site_id") == Some(id.as_str()))
                .map(|s| rank(&target.business, s).1);
            // A site not in the list is used as named: its items then say what the portal
            // answers for it.
            target.site = Some(seen.unwrap_or(Site {
                id,
                open: true,
                runs: true,
            }));
        }
        let own: Vec<&str> = own_sites
            .iter()
            .filter_map(|s| text(s, "site_id"))
            .collect();
        for (business, granted) in all {
            if *business == target.business || !can_list(granted) {
                continue;
            }
            let Ok(theirs) = self.all_sites(&token.access_token, business).await else {
                continue;
            };
            if let Some(s) = theirs
                .iter()
                .filter_map(|s| text(s, "site_id"))
                .find(|s| !own.contains(s))
            {
                self.other_site = Some(s.to_owned());
                break;
            }
        }
        self.target = Some(target);
    }

    /// No `Authorization`: 401 `invalid-token` with a Bearer challenge.
    pub(super) async fn no_token(&mut self) -> Check {
        let a = self
            .portal
            .call(Method::GET, "/api/v1/grants", None, None, None)
            .await?;
        a.expect_problem(401, "invalid-token")?;
        a.expect_bearer_challenge("invalid_token")
    }

    /// A token the portal never issued: 401 `invalid-token`.
    pub(super) async fn unknown_token(&mut self) -> Check {
        let a = self
            .portal
            .get("/api/v1/grants", "ccusa_conformance_never_issued")
            .await?;
        a.expect_problem(401, "invalid-token")?;
        a.expect_bearer_challenge("invalid_token")
    }

    /// `GET /api/v1/grants`: the businesses that let the client in; the suite's business and
    /// site are chosen from them.
    pub(super) async fn grants(&mut self) -> Check {
        let token = self.token()?.access_token.clone();
        let a = self.portal.get("/api/v1/grants", &token).await?;
        a.expect(200)?;
        let list = array(&a, "grants")?;
        fields(
            list,
            "grant",
            &["business_id", "business_name", "scopes", "granted_at"],
        )?;
        let grants: Vec<Grant> = list
            .iter()
            .map(|g| {
                (
                    text(g, "business_id").unwrap_or_default().to_owned(),
                    text(g, "scopes")
                        .unwrap_or_default()
                        .split_whitespace()
                        .map(str::to_owned)
                        .collect(),
                )
            })
            .collect();
        let chosen: Vec<Grant> = match &self.args_business {
            Some(named) => {
                let id = compact(named);
                let found: Vec<_> = grants.iter().filter(|(b, _)| *b == id).cloned().collect();
                if found.is_empty() {
                    self.no_target = format!("business {id} has not granted this client");
                    return Err(Miss::Fail(format!(
                        "business {id} (--business) is not among the grants"
                    )));
                }
                found
            }
            None => grants.clone(),
        };
        if chosen.is_empty() {
            self.no_target = "no business has granted this client (a business allows it on \
                              its 連携システム page, /ccus_owner/systems)"
                .into();
            return Ok(());
        }
        self.choose(&chosen, &grants).await;
        Ok(())
    }

    /// A token without the scope an endpoint needs: 403 `insufficient-scope` with a Bearer
    /// challenge.
    pub(super) async fn insufficient_scope(&mut self) -> Check {
        let token = self.token()?;
        let api: Vec<&String> = token
            .scopes
            .iter()
            .filter(|s| API_SCOPES.contains(&s.as_str()))
            .collect();
        let [first, ..] = api.as_slice() else {
            return Err(Miss::Fail("the token carries no API scope".into()));
        };
        if api.len() < 2 {
            return Err(Miss::Skip(format!(
                "the client is registered for one API scope only ({first})"
            )));
        }
        let first = (*first).clone();
        let business = self
            .target
            .as_ref()
            .map_or_else(nobodys_business, |t| t.business.clone());
        // An endpoint needing a scope other than the one the narrow token has.
        let path = if first == "sites:read" {
            format!(
                "/api/v1/businesses/{business}/workers?card={}",
                nobodys_card()
            )
        } else {
            format!("/api/v1/businesses/{business}/sites")
        };
        let (a, narrow) = self.portal.token(Some(&first)).await?;
        a.expect(200)
            .map_err(|m| prefixed(&format!("a token for {first}"), m))?;
        let Some(narrow) = narrow else {
            return Err(Miss::Fail("no access_token".into()));
        };
        let a = self.portal.get(&path, &narrow.access_token).await?;
        a.expect_problem(403, "insufficient-scope")?;
        a.expect_bearer_challenge("insufficient_scope")
    }

    /// A refusal in full: the problem media type, `type`, `title`, `status`, `detail`,
    /// `instance` and `code` — here for a business that did not grant the client, asked in
    /// English.
    pub(super) async fn problem_shape(&mut self) -> Check {
        let token = self.token()?;
        if !token.scopes.iter().any(|s| s == "sites:read") {
            return Err(Miss::Skip(
                "the client is not registered for sites:read".into(),
            ));
        }
        let path = format!("/api/v1/businesses/{}/sites", nobodys_business());
        let a = self.portal.get_in(&path, &token.access_token, "en").await?;
        a.expect_problem(404, "not-found")?;
        ensure(a.str("type").is_some_and(|t| !t.is_empty()), || {
            "the problem has no type".into()
        })
    }

    /// The business's sites, every page; `state=open` gives open ones only.
    pub(super) async fn sites_list(&mut self) -> Check {
        let (token, target) = self.need("sites:read")?;
        let path = format!("{}/sites", Self::business_path(target));
        let a = self.portal.get(&path, &token.access_token).await?;
        a.expect(200)?;
        let sites = array(&a, "sites")?;
        fields(
            sites,
            "site",
            &[
                "site_id",
                "name",
                "state",
                "order_kind",
                "records_from",
                "records_to",
                "place_state",
            ],
        )?;
        ensure(
            sites.iter().all(|s| s["prime"]["business_id"].is_string()),
            || "a site has no prime.business_id".into(),
        )?;
        ensure(
            a.json
                .get("next_cursor")
                .is_some_and(|c| c.is_null() || c.is_string()),
            || "next_cursor is neither a cursor nor null".into(),
        )?;
        if let Some(c) = a.str("next_cursor") {
            let next = self
                .portal
                .get(&format!("{path}?cursor={c}"), &token.access_token)
                .await?;
            next.expect(200).map_err(|m| prefixed("the next page", m))?;
        }
        let open = self
            .portal
            .get(&format!("{path}?state=open"), &token.access_token)
            .await?;
        open.expect(200).map_err(|m| prefixed("state=open", m))?;
        ensure(
            array(&open, "sites")?
                .iter()
                .all(|s| text(s, "state") == Some("open")),
            || "state=open lists a site that is not open".into(),
        )
    }

    /// A cursor the portal never issued: 400 `invalid-request`.
    pub(super) async fn sites_cursor_malformed(&mut self) -> Check {
        let (token, target) = self.need("sites:read")?;
        let path = format!("{}/sites?cursor={BAD_CURSOR}", Self::business_path(target));
        let a = self.portal.get(&path, &token.access_token).await?;
        a.expect_problem(400, "invalid-request")
    }

    /// A site with its 現場情報 and 施工体制.
    pub(super) async fn site(&mut self) -> Check {
        let (token, target, site) = self.need_site("sites:read")?;
        let a = self
            .portal
            .get(&Self::site_path(target, site), &token.access_token)
            .await?;
        a.expect(200)?;
        ensure(a.str("site_id") == Some(site.id.as_str()), || {
            format!("site_id is not {}: {}", site.id, a.brief())
        })?;
        fields(
            std::slice::from_ref(&a.json),
            "site",
            &["name", "state", "order_kind", "records_from", "records_to"],
        )?;
        ensure(a.json["prime"]["business_id"].is_string(), || {
            "the site has no prime.business_id".into()
        })?;
        let places = array(&a, "places")?;
        ensure(!places.is_empty(), || "the 施工体制 has no place".into())?;
        for p in places {
            ensure(
                p["place_id"].is_i64()
                    && p["company"]["business_id"].is_string()
                    && p["depth"].is_u64()
                    && p["state"].is_string(),
                || format!("a place lacks place_id, company, depth or state: {p}"),
            )?;
        }
        Ok(())
    }

    /// A site of another business (one the business is not on): 404, as if it did not exist.
    pub(super) async fn foreign_site(&mut self) -> Check {
        let (token, target) = self.need("sites:read")?;
        let other = self.other_site.clone().unwrap_or_else(|| {
            SiteId::generate(&mut rand::thread_rng())
                .as_str()
                .to_owned()
        });
        let path = format!("{}/sites/{other}", Self::business_path(target));
        let a = self.portal.get(&path, &token.access_token).await?;
        a.expect_problem(404, "not-found")?;
        let roster = self
            .portal
            .get(&format!("{path}/roster"), &token.access_token)
            .await?;
        if token.scopes.iter().any(|s| s == "roster:read") {
            roster
                .expect_problem(404, "not-found")
                .map_err(|m| prefixed("its 名簿", m))?;
        }
        Ok(())
    }

    /// A business that did not grant the client: 404.
    pub(super) async fn foreign_business(&mut self) -> Check {
        let token = self.token()?;
        if !token.scopes.iter().any(|s| s == "sites:read") {
            return Err(Miss::Skip(
                "the client is not registered for sites:read".into(),
            ));
        }
        let path = format!("/api/v1/businesses/{}/sites", nobodys_business());
        let a = self.portal.get(&path, &token.access_token).await?;
        a.expect_problem(404, "not-found")
    }

    /// The 名簿 the business sees on the site.
    pub(super) async fn roster_read(&mut self) -> Check {
        let (token, target, site) = self.need_site("roster:read")?;
        let path = format!("{}/roster", Self::site_path(target, site));
        let a = self.portal.get(&path, &token.access_token).await?;
        a.expect(200)?;
        for p in array(&a, "places")? {
            ensure(
                p["place_id"].is_i64() && p["company"]["business_id"].is_string(),
                || format!("a place lacks place_id or company: {p}"),
            )?;
            let workers = p["workers"]
                .as_array()
                .ok_or_else(|| Miss::Fail(format!("a place has no workers array: {p}")))?;
            fields(workers, "worker", &["technician_id", "trade", "position"])?;
            ensure(
                workers.iter().all(|w| w["consent_pending"].is_boolean()),
                || "a worker has no consent_pending".into(),
            )?;
        }
        Ok(())
    }

    /// The technicians on the site's 名簿, for the items that need one.
    async fn roster_technicians(&self) -> Vec<String> {
        let Ok((token, target, site)) = self.need_site("roster:read") else {
            return Vec::new();
        };
        let path = format!("{}/roster", Self::site_path(target, site));
        let Ok(a) = self.portal.get(&path, &token.access_token).await else {
            return Vec::new();
        };
        a.json["places"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|p| p["workers"].as_array().into_iter().flatten())
            .filter_map(|w| text(w, "technician_id").map(str::to_owned))
            .collect()
    }

    /// The work day the items about records read: the touch's, or today's.
    fn day(&self) -> String {
        match &self.touched {
            Some(t) => t.work_day.clone(),
            None => super::writes::today(),
        }
    }

    /// A day's records on the site; with `--card`, the card's worker once.
    pub(super) async fn records_day(&mut self) -> Check {
        let (token, target, site) = self.need_site("records:read")?;
        if !site.runs {
            return Err(Miss::Skip(format!(
                "business {} does not run site {} (records are read by its 元請)",
                target.business, site.id
            )));
        }
        let day = self.day();
        let path = format!("{}/records?day={day}", Self::site_path(target, site));
        let a = self.portal.get(&path, &token.access_token).await?;
        a.expect(200)?;
        ensure(a.str("day") == Some(day.as_str()), || {
            format!("day is not {day}: {}", a.brief())
        })?;
        let records = array(&a, "records")?;
        fields(
            records,
            "record",
            &["technician_id", "company", "trade", "source"],
        )?;
        if let (Some(holder), Some(t)) = (&self.card_holder, &self.touched) {
            if t.accepted {
                let theirs: Vec<&Value> = records
                    .iter()
                    .filter(|r| text(r, "technician_id") == Some(holder.as_str()))
                    .collect();
                ensure(theirs.len() == 1, || {
                    format!(
                        "the card's worker {holder} has {} records on {day}, not one",
                        theirs.len()
                    )
                })?;
                ensure(theirs[0]["first_in"].is_string(), || {
                    "the accepted entry touch left no first_in".into()
                })?;
            }
        }
        Ok(())
    }

    /// `day=yesterday`: 400 `invalid-request`.
    pub(super) async fn records_day_malformed(&mut self) -> Check {
        let (token, target, site) = self.need_site("records:read")?;
        let path = format!("{}/records?day=yesterday", Self::site_path(target, site));
        let a = self.portal.get(&path, &token.access_token).await?;
        a.expect_problem(400, "invalid-request")
    }

    /// A records cursor the portal never issued: 400 `invalid-request`.
    pub(super) async fn records_cursor_malformed(&mut self) -> Check {
        let (token, target, site) = self.need_site("records:read")?;
        let path = format!(
            "{}/records?day={}&cursor={BAD_CURSOR}",
            Self::site_path(target, site),
            self.day()
        );
        let a = self.portal.get(&path, &token.access_token).await?;
        a.expect_problem(400, "invalid-request")
    }

    /// The worker holding `--card`, found on the business's sites (this site among them).
    pub(super) async fn lookup(&mut self) -> Check {
        let (token, target) = self.need("workers:lookup")?;
        let Some(card) = &self.card else {
            return Err(Miss::Skip(
                "no --card given: a worker is found only by the card of one on the business's \
                 sites"
                    .into(),
            ));
        };
        let path = format!("{}/workers?card={card}", Self::business_path(target));
        let a = self.portal.get(&path, &token.access_token).await?;
        a.expect(200)?;
        let Some(holder) = a.str("technician_id").map(str::to_owned) else {
            return Err(Miss::Fail(format!("no technician_id: {}", a.brief())));
        };
        let sites = array(&a, "site_ids")?;
        if let Some(site) = &target.site {
            ensure(
                sites.iter().any(|s| s.as_str() == Some(site.id.as_str())),
                || format!("site_ids does not hold site {}: {}", site.id, a.brief()),
            )?;
        }
        self.card_holder = Some(holder);
        Ok(())
    }

    /// A card that is nobody's: 404 `not-found`.
    pub(super) async fn lookup_unknown(&mut self) -> Check {
        let (token, target) = self.need("workers:lookup")?;
        let path = format!(
            "{}/workers?card={}",
            Self::business_path(target),
            nobodys_card()
        );
        let a = self.portal.get(&path, &token.access_token).await?;
        a.expect_problem(404, "not-found")
    }

    /// A month of records of one of the business's own technicians: the card's worker, or one
    /// on the site's 名簿; the accepted touch's day among them.
    pub(super) async fn worker_records(&mut self) -> Check {
        let (token, target) = self.need("records:read")?;
        let day = self.day();
        let month = &day[..day.len().min(7)];
        let mut candidates: Vec<String> = self.card_holder.iter().cloned().collect();
        for t in self.roster_technicians().await {
            if !candidates.contains(&t) {
                candidates.push(t);
            }
        }
        for t in candidates.iter().take(10) {
            let path = format!(
                "{}/workers/{t}/records?month={month}",
                Self::business_path(target)
            );
            let a = self.portal.get(&path, &token.access_token).await?;
            if a.status == 404 {
                continue;
            }
            a.expect(200)?;
            ensure(a.str("technician_id") == Some(t.as_str()), || {
                format!("technician_id is not {t}: {}", a.brief())
            })?;
            ensure(a.str("month") == Some(month), || {
                format!("month is not {month}: {}", a.brief())
            })?;
            ensure(
                a.json["month_days"].is_u64() && a.json["total_days"].is_u64(),
                || "month_days or total_days is not a count".into(),
            )?;
            let records = array(&a, "records")?;
            fields(records, "record", &["day", "site_id", "source", "state"])?;
            let touched_here = self.touched.as_ref().is_some_and(|x| x.accepted)
                && self.card_holder.as_deref() == Some(t.as_str());
            if touched_here {
                ensure(
                    records.iter().any(|r| text(r, "day") == Some(day.as_str())),
                    || format!("the accepted touch's day {day} is not among the records"),
                )?;
            }
            return Ok(());
        }
        Err(Miss::Skip(format!(
            "no technician of business {} was found (on the site's 名簿 or by --card): a \
             month of records is read only for the business's own technicians",
            target.business
        )))
    }

    /// `month=2026-13`: 400 `invalid-request`.
    pub(super) async fn worker_records_month_malformed(&mut self) -> Check {
        let (token, target) = self.need("records:read")?;
        let t = self.card_holder.clone().unwrap_or_else(nobodys_technician);
        let path = format!(
            "{}/workers/{t}/records?month=2026-13",
            Self::business_path(target)
        );
        let a = self.portal.get(&path, &token.access_token).await?;
        a.expect_problem(400, "invalid-request")
    }
}
