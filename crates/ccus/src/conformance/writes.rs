//! The write items and `Idempotency-Key`: a touch batch sent without a key, with a key, again
//! with the same key (the first answer, replayed, nothing written twice), with the same key
//! and another body (422), again under a new key (`duplicate`), and too large (413); a worker
//! listed, and a company asked onto the site.
//!
//! What is written is harmless in a sandbox: one entry touch a minute ago (with `--card`, the
//! card's worker gets — or keeps — a record for that work day; without it the touch is of a
//! card that is nobody's and is refused), the client's own reader on the site that the first
//! batch makes, a 名簿 listing of a technician ID that is nobody's (answered `asked`, nothing
//! kept), and the business asked onto its own site (refused, nothing kept).

use ccus_domain::{Clock, SystemClock, Timestamp};
use serde_json::{json, Value};

use super::oauth::prefixed;
use super::resources::nobodys_technician;
use super::{ensure, Check, Miss, Suite, Touched};

/// How long before now the suite's touch is dated: inside the portal's clock skew either way.
const TOUCH_AGO_MS: i64 = 60_000;

/// The most touches a batch may carry (docs/api.md §5).
const MAX_BATCH: usize = 500;

/// Today's work day in Japan, `YYYY-MM-DD`.
pub(super) fn today() -> String {
    work_day(SystemClock.now())
}

fn work_day(t: Timestamp) -> String {
    ccus_domain::records::work_day(t)
        .map(ccus_domain::profile::format_date)
        .unwrap_or_default()
}

impl Suite {
    /// The suite's one touch: an entry a minute ago, numbered by this run.
    fn batch(&self, seq: i64) -> Value {
        let at = Timestamp(self.run - TOUCH_AGO_MS).rfc3339_jst();
        let card = self
            .card
            .clone()
            .unwrap_or_else(|| self.unknown_card.clone());
        json!({"touches": [{"seq": seq, "card": card, "direction": "in", "at": at}]})
    }

    fn touches_path(&self) -> Result<(String, String), Miss> {
        let (token, target, site) = self.need_running_site("touches:write")?;
        Ok((
            token.access_token.clone(),
            format!("{}/touches", Self::site_path(target, site)),
        ))
    }

    /// A write without `Idempotency-Key`: 400 `idempotency-key-missing`.
    pub(super) async fn key_missing(&mut self) -> Check {
        let (token, path) = self.touches_path()?;
        let a = self
            .portal
            .post(&path, &token, None, &self.batch(self.run))
            .await?;
        a.expect_problem(400, "idempotency-key-missing")
    }

    /// The batch with a key: each touch answered; with `--card` the touch is accepted with its
    /// work day, without it refused as `unknown_card`.
    pub(super) async fn touches_post(&mut self) -> Check {
        let (token, path) = self.touches_path()?;
        let key = self.key("touch");
        let a = self
            .portal
            .post(&path, &token, Some(&key), &self.batch(self.run))
            .await?;
        a.expect(200)?;
        ensure(a.header("idempotent-replayed").is_empty(), || {
            "a first answer says Idempotent-Replayed".into()
        })?;
        self.first_touch = Some((a.status, a.json.clone()));
        let results = a.json["results"]
            .as_array()
            .ok_or_else(|| Miss::Fail(format!("no results array: {}", a.brief())))?;
        let [r] = results.as_slice() else {
            return Err(Miss::Fail(format!(
                "one touch sent, {} answered",
                results.len()
            )));
        };
        ensure(r["seq"].as_i64() == Some(self.run), || {
            format!("the answer's seq is not the touch's: {r}")
        })?;
        let status = r["status"].as_str().unwrap_or_default();
        if self.card.is_some() {
            let Some(day) = r["work_day"].as_str() else {
                return Err(Miss::Fail(format!(
                    "the --card touch was not accepted with a work_day: {r} (is the card's \
                     worker on the site's 名簿?)"
                )));
            };
            ensure(status == "accepted", || {
                format!("the --card touch was not accepted: {r}")
            })?;
            self.touched = Some(Touched {
                work_day: day.to_owned(),
                accepted: true,
            });
        } else {
            ensure(status == "refused" && r["reason"] == "unknown_card", || {
                format!("a card that is nobody's was not refused as unknown_card: {r}")
            })?;
            self.touched = Some(Touched {
                work_day: work_day(Timestamp(self.run - TOUCH_AGO_MS)),
                accepted: false,
            });
        }
        Ok(())
    }

    /// The same batch with the same key: the first answer again, `Idempotent-Replayed: true`
    /// (an accepted touch is still answered `accepted`, so the batch was not taken again).
    pub(super) async fn replayed(&mut self) -> Check {
        let (token, path) = self.touches_path()?;
        let Some((status, first)) = self.first_touch.clone() else {
            return Err(Miss::Fail("not run: touches.post was not answered".into()));
        };
        let key = self.key("touch");
        let a = self
            .portal
            .post(&path, &token, Some(&key), &self.batch(self.run))
            .await?;
        ensure(a.status == status && a.json == first, || {
            format!(
                "the replay differs from the first answer ({status} {first}): {} {}",
                a.status,
                a.brief()
            )
        })?;
        ensure(a.header("idempotent-replayed") == "true", || {
            "the replay has no Idempotent-Replayed: true".into()
        })
    }

    /// The same key with another body: 422 `idempotency-key-reused`.
    pub(super) async fn key_reused(&mut self) -> Check {
        let (token, path) = self.touches_path()?;
        let key = self.key("touch");
        let a = self
            .portal
            .post(&path, &token, Some(&key), &self.batch(self.run + 1))
            .await?;
        a.expect_problem(422, "idempotency-key-reused")
    }

    /// The same touches under a new key: `duplicate` (the touch's `seq` was taken once).
    pub(super) async fn touches_duplicate(&mut self) -> Check {
        let (token, path) = self.touches_path()?;
        if self.card.is_none() {
            return Err(Miss::Skip(
                "no --card given: only an accepted touch comes back as duplicate".into(),
            ));
        }
        if !self.touched.as_ref().is_some_and(|t| t.accepted) {
            return Err(Miss::Fail(
                "not run: touches.post did not accept the touch".into(),
            ));
        }
        let key = self.key("touch-again");
        let a = self
            .portal
            .post(&path, &token, Some(&key), &self.batch(self.run))
            .await?;
        a.expect(200)?;
        let r = &a.json["results"][0];
        ensure(r["status"] == "duplicate", || {
            format!("the touch sent again is not a duplicate: {}", a.brief())
        })?;
        ensure(r["seq"].as_i64() == Some(self.run), || {
            format!("the answer's seq is not the touch's: {r}")
        })
    }

    /// A batch of 501 touches: 413 `too-many-touches`, nothing taken.
    pub(super) async fn touches_too_many(&mut self) -> Check {
        let (token, path) = self.touches_path()?;
        let at = Timestamp(self.run - TOUCH_AGO_MS).rfc3339_jst();
        let touches: Vec<Value> = (0..=MAX_BATCH)
            .map(|i| {
                json!({"seq": self.run + 1000 + i64::try_from(i).unwrap_or_default(),
                       "card": self.unknown_card, "direction": "in", "at": at})
            })
            .collect();
        let key = self.key("too-many");
        let a = self
            .portal
            .post(&path, &token, Some(&key), &json!({ "touches": touches }))
            .await?;
        a.expect_problem(413, "too-many-touches")
    }

    /// A technician ID that is nobody's, listed on the business's 名簿: `201 asked` (the
    /// answer for any worker not the business's own), nothing kept.
    pub(super) async fn roster_write(&mut self) -> Check {
        let (token, target, site) = self.need_site("roster:write")?;
        if !site.open {
            return Err(Miss::Skip(format!("site {} is closed", site.id)));
        }
        let path = format!("{}/roster", Self::site_path(target, site));
        let body = json!({
            "technician_id": nobodys_technician(),
            "trade": "carpenter",
            "position": "worker",
        });
        let token = token.access_token.clone();
        let a = self.portal.post(&path, &token, None, &body).await?;
        a.expect_problem(400, "idempotency-key-missing")
            .map_err(|m| prefixed("without Idempotency-Key", m))?;
        let key = self.key("roster");
        let a = self.portal.post(&path, &token, Some(&key), &body).await?;
        a.expect(201)?;
        ensure(a.str("outcome") == Some("asked"), || {
            format!("expected outcome asked, got {}", a.brief())
        })
    }

    /// The business asked onto its own site: 422 `refused`, with the reason.
    pub(super) async fn places_write(&mut self) -> Check {
        let (token, target, site) = self.need_site("sites:write")?;
        if !site.open {
            return Err(Miss::Skip(format!("site {} is closed", site.id)));
        }
        let path = format!("{}/places", Self::site_path(target, site));
        let body = json!({ "business_id": target.business });
        let key = self.key("place");
        let a = self
            .portal
            .post(&path, &token.access_token, Some(&key), &body)
            .await?;
        a.expect_problem(422, "refused")
    }
}
