//! Touches from a site's readers. A reader authenticates with its key and posts a batch of
//! touches, each numbered by the reader (`seq`, rising, never reused); each is answered
//! accepted, duplicate (that reader already sent that number and it was taken: a batch sent
//! again after a time-out) or refused with its reason (again its first reason, when the same
//! number was refused before). Readers may hold touches offline and send them late,
//! twice and out of order: a worker's touches of one work day at one site fold into one record
//! with the first entry and the last exit whatever order they arrive in.
//!
//! What is read (the reader, the cards) is read before the batch's one transaction; what is
//! written (each touch as received, each record) is written in it, so a batch is kept whole or
//! not at all, and a batch sent again answers as before. A touch of a worker on no 名簿 of the
//! site is kept (未配置) with the worker's account, for their employer to place.

use std::collections::HashMap;

use ccus_domain::records::{check_touch_time, Direction, TouchRefusal};
use ccus_domain::{AccountId, Date, Timestamp};
use ccus_storage::{Card, FoldedTouches, NewTouch, ReaderAuth, RosterLine, RosterSnapshot};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::tokens::token_hash;
use crate::{App, AppResult};

/// The most touches one batch may carry.
pub const MAX_BATCH: usize = 500;

/// One touch as a reader sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TouchIn {
    /// The reader's own number for the touch: the same number is the same touch.
    pub seq: i64,
    /// The card number read.
    pub card: String,
    /// `in` or `out`.
    pub direction: String,
    /// When it was touched, RFC 3339 (`2026-12-07T07:58:12+09:00`).
    pub at: String,
}

/// How one touch was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TouchAnswer {
    /// Made into (or folded into) the worker's record of `day`.
    Accepted {
        day: Date,
    },
    /// The reader sent this `seq` before; nothing was changed.
    Duplicate,
    Refused(TouchRefusal),
}

/// The answer to a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestOutcome {
    /// No reader has this key, or it was revoked.
    UnknownKey,
    /// More than [`MAX_BATCH`] touches.
    TooMany,
    /// Each touch's answer, in the order sent.
    Answered(Vec<(i64, TouchAnswer)>),
}

/// The reader a key belongs to, unless revoked.
pub async fn reader(app: &App, key: &str) -> AppResult<Option<ReaderAuth>> {
    if !key.starts_with(super::readers::KEY_PREFIX) || key.len() > 100 {
        return Ok(None);
    }
    Ok(app
        .store()
        .records()
        .reader_by_key(&token_hash(key))
        .await?)
}

/// A touch's time, if it is RFC 3339.
fn parse_time(s: &str) -> Option<Timestamp> {
    let t = OffsetDateTime::parse(s.trim(), &Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000)
        .ok()
        .map(Timestamp)
}

/// A card number as printed or read: hex digits, any case, spaces and hyphens ignored.
pub fn normalise_card(s: &str) -> Option<String> {
    let n: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '-'))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (n.len() == 16 && n.chars().all(|c| c.is_ascii_hexdigit())).then_some(n)
}

/// Takes a batch from the reader holding `key`. Whatever the batch holds, it costs a handful
/// of statements: its cards in one read, the 名簿 lines of its workers in one, its touches kept
/// in one, the touches sent before looked up in one, and the records written in one (the
/// batch's touches of a worker and day folded together first).
pub async fn ingest(app: &App, key: &str, batch: &[TouchIn]) -> AppResult<IngestOutcome> {
    let Some(reader) = reader(app, key).await? else {
        return Ok(IngestOutcome::UnknownKey);
    };
    ingest_from(app, &reader, batch).await
}

/// Takes a batch from a reader already known (a key's, or a partner-API client's on a site).
pub async fn ingest_from(
    app: &App,
    reader: &ReaderAuth,
    batch: &[TouchIn],
) -> AppResult<IngestOutcome> {
    let reader = reader.clone();
    if batch.len() > MAX_BATCH {
        return Ok(IngestOutcome::TooMany);
    }
    let now = app.clock().now();
    let parsed: Vec<(Option<String>, Option<Direction>, Option<Timestamp>)> = batch
        .iter()
        .map(|t| {
            (
                normalise_card(&t.card),
                Direction::parse(t.direction.trim()),
                parse_time(&t.at),
            )
        })
        .collect();
    let mut numbers: Vec<String> = parsed.iter().filter_map(|p| p.0.clone()).collect();
    numbers.sort();
    numbers.dedup();
    let cards: HashMap<String, Card> = app
        .store()
        .records()
        .cards(&numbers)
        .await?
        .into_iter()
        .map(|c| (c.number.clone(), c))
        .collect();
    // Each touch judged on its time, the site and the card.
    let judged: Vec<Option<Judged>> = parsed
        .iter()
        .map(|(card, direction, at)| match (card, direction, at) {
            (Some(card), Some(_), Some(at)) => Some(judge(&reader, cards.get(card), *at, now)),
            _ => None,
        })
        .collect();
    let mut workers: Vec<AccountId> = judged
        .iter()
        .filter_map(|j| match j {
            Some(Ok((_, a))) => Some(*a),
            _ => None,
        })
        .collect();
    workers.sort_by_key(|a| a.get());
    workers.dedup();
    let mut tx = app.store().begin_write().await?;
    let lines = tx.records().roster_lines(reader.site, &workers).await?;
    // The answer each touch would have if it is new, and the touch as kept.
    let mut first_of: HashMap<i64, usize> = HashMap::new();
    let mut fresh: Vec<NewTouch> = Vec::new();
    let mut outcomes: Vec<Result<(RosterSnapshot, Date, AccountId), TouchRefusal>> = Vec::new();
    for (i, t) in batch.iter().enumerate() {
        let (card, direction, at) = &parsed[i];
        let outcome = match &judged[i] {
            None => Err(TouchRefusal::Malformed),
            Some(Err((why, _))) => Err(*why),
            Some(Ok((day, account))) => match at.and_then(|at| line_at(&lines, *account, at)) {
                Some(roster) => Ok((roster, *day, *account)),
                None => Err(TouchRefusal::NotListed),
            },
        };
        if first_of.contains_key(&t.seq) {
            outcomes.push(outcome);
            continue;
        }
        first_of.insert(t.seq, i);
        if let (Some(card_number), Some(direction), Some(at)) = (card, direction, at) {
            let day = match &judged[i] {
                Some(Ok((day, _))) => Some(*day),
                Some(Err((_, day))) => *day,
                None => None,
            };
            fresh.push(NewTouch {
                reader: reader.id,
                seq: t.seq,
                card_number: card_number.clone(),
                direction: *direction,
                touched_at: *at,
                outcome: match &outcome {
                    Ok(_) => "accepted".to_owned(),
                    Err(why) => why.code().to_owned(),
                },
                account: cards.get(card_number).map(|c| c.account),
                site: reader.site,
                work_day: day,
            });
        }
        outcomes.push(outcome);
    }
    let kept: std::collections::HashSet<i64> = tx
        .records()
        .add_touches(&fresh, now)
        .await?
        .into_iter()
        .collect();
    // Sent before (in an earlier batch): a touch taken then is a duplicate now; one refused
    // then is refused again for its first reason (a reader never reads a refusal as taken).
    let before: Vec<i64> = fresh
        .iter()
        .map(|t| t.seq)
        .filter(|s| !kept.contains(s))
        .collect();
    let earlier: HashMap<i64, String> = tx
        .records()
        .touch_outcomes(reader.id, &before)
        .await?
        .into_iter()
        .collect();
    let mut answers = Vec::with_capacity(batch.len());
    let mut folded: Vec<FoldedTouches> = Vec::new();
    let mut fold_at: HashMap<(AccountId, Date), usize> = HashMap::new();
    for (i, t) in batch.iter().enumerate() {
        let first = first_of.get(&t.seq).copied().unwrap_or(i);
        let repeated = first != i;
        let new_now = !repeated && kept.contains(&t.seq);
        let answer = if new_now {
            match &outcomes[i] {
                Ok((roster, day, account)) => {
                    let at = parsed[i].2.unwrap_or(now);
                    let (first_in, last_out) = match parsed[i].1 {
                        Some(Direction::In) => (Some(at), None),
                        _ => (None, Some(at)),
                    };
                    match fold_at.get(&(*account, *day)) {
                        Some(&k) => {
                            let f = &mut folded[k];
                            f.first_in = earliest(f.first_in, first_in);
                            f.last_out = latest(f.last_out, last_out);
                        }
                        None => {
                            fold_at.insert((*account, *day), folded.len());
                            folded.push(FoldedTouches {
                                account: *account,
                                day: *day,
                                first_in,
                                last_out,
                                roster: roster.clone(),
                            });
                        }
                    }
                    TouchAnswer::Accepted { day: *day }
                }
                Err(why) => TouchAnswer::Refused(*why),
            }
        } else if repeated && kept.contains(&t.seq) {
            // The same number twice in one batch: the second is the first sent again.
            match &outcomes[first] {
                Ok(_) => TouchAnswer::Duplicate,
                Err(why) => TouchAnswer::Refused(*why),
            }
        } else {
            match earlier.get(&t.seq).map(String::as_str) {
                Some(code) => match TouchRefusal::parse(code) {
                    Some(why) => TouchAnswer::Refused(why),
                    None => TouchAnswer::Duplicate,
                },
                // Never kept (unreadable): refused again, as first.
                None => match &outcomes[first] {
                    Ok(_) => TouchAnswer::Duplicate,
                    Err(why) => TouchAnswer::Refused(*why),
                },
            }
        };
        answers.push((t.seq, answer));
    }
    tx.records()
        .fold_touches(reader.site, reader.id, &folded, now)
        .await?;
    tx.records().reader_seen(reader.id, now).await?;
    tx.commit().await?;
    for (_, a) in &answers {
        let outcome = match a {
            TouchAnswer::Accepted { .. } => "accepted",
            TouchAnswer::Duplicate => "duplicate",
            TouchAnswer::Refused(why) => why.code(),
        };
        app.metrics().touches.inc(&[outcome]);
    }
    Ok(IngestOutcome::Answered(answers))
}

fn earliest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

fn latest(a: Option<Timestamp>, b: Option<Timestamp>) -> Option<Timestamp> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    }
}

/// The worker's line of the site's 名簿 that held at `at` (a worker moved from one company to
/// another is the first one's before the move); else the live one, else the last one removed
/// after that moment. (The same choice as `Records::roster_at`, made over lines read at once.)
fn line_at(lines: &[RosterLine], worker: AccountId, at: Timestamp) -> Option<RosterSnapshot> {
    lines
        .iter()
        .filter(|l| l.technician == worker)
        .filter(|l| l.state == "listed" || l.removed_at.is_some_and(|r| r >= at))
        .min_by_key(|l| {
            let held = l.added_at <= at && l.removed_at.is_none_or(|r| r >= at);
            (!held, std::cmp::Reverse(l.id))
        })
        .map(|l| l.snapshot.clone())
}

/// How a touch fared against its time, the site and the card: its work day and worker, or why
/// it is refused (with the work day when it is known).
type Judged = Result<(Date, AccountId), (TouchRefusal, Option<Date>)>;

/// Everything a touch is checked against before the 名簿: its time, the site, the card. The
/// work day is given with a refusal whenever it is known.
fn judge(
    reader: &ReaderAuth,
    card: Option<&Card>,
    at: Timestamp,
    now: Timestamp,
) -> Result<(Date, AccountId), (TouchRefusal, Option<Date>)> {
    let day = check_touch_time(at, now).map_err(|why| (why, None))?;
    if !reader.site_open {
        return Err((TouchRefusal::SiteClosed, Some(day)));
    }
    if day < reader.records_from || day > reader.records_to {
        return Err((TouchRefusal::OutsidePeriod, Some(day)));
    }
    match card {
        None => Err((TouchRefusal::UnknownCard, Some(day))),
        Some(c) if c.state != "active" => Err((TouchRefusal::CardStopped, Some(day))),
        Some(c) => Ok((day, c.account)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: i64, state: &str, added: i64, removed: Option<i64>, company: i64) -> RosterLine {
        RosterLine {
            id,
            technician: AccountId::new(7),
            state: state.to_owned(),
            added_at: Timestamp(added),
            answered_at: Some(Timestamp(added)),
            removed_at: removed.map(Timestamp),
            snapshot: RosterSnapshot {
                business: AccountId::new(company),
                trade: String::new(),
                position: String::new(),
                work: String::new(),
            },
        }
    }

    #[test]
    fn the_line_that_held_at_the_touch_wins() {
        // Listed under company 1 from 100, moved to company 2 at 200.
        let lines = [
            line(1, "removed", 100, Some(200), 1),
            line(2, "listed", 200, None, 2),
        ];
        let at = |t| line_at(&lines, AccountId::new(7), Timestamp(t)).map(|s| s.business.get());
        assert_eq!(at(150), Some(1));
        assert_eq!(at(250), Some(2));
        // Before any line: the live one.
        assert_eq!(at(50), Some(2));
        // Another worker: none.
        assert_eq!(line_at(&lines, AccountId::new(8), Timestamp(150)), None);
        // Removed for good before the touch: none.
        let gone = [line(3, "removed", 100, Some(120), 1)];
        assert_eq!(line_at(&gone, AccountId::new(7), Timestamp(150)), None);
    }

    #[test]
    fn a_batch_folds_to_the_earliest_entry_and_latest_exit() {
        let (a, b) = (Some(Timestamp(5)), Some(Timestamp(9)));
        assert_eq!(earliest(a, b), a);
        assert_eq!(earliest(None, b), b);
        assert_eq!(latest(a, b), b);
        assert_eq!(latest(a, None), a);
    }
}
