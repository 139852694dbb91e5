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
use ccus_storage::{Card, NewTouch, ReaderAuth};
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

/// Takes a batch from the reader holding `key`.
pub async fn ingest(app: &App, key: &str, batch: &[TouchIn]) -> AppResult<IngestOutcome> {
    let Some(reader) = reader(app, key).await? else {
        return Ok(IngestOutcome::UnknownKey);
    };
    if batch.len() > MAX_BATCH {
        return Ok(IngestOutcome::TooMany);
    }
    let now = app.clock().now();
    // Read first: each distinct card once.
    let mut cards: HashMap<String, Option<Card>> = HashMap::new();
    for t in batch {
        if let Some(n) = normalise_card(&t.card) {
            if let std::collections::hash_map::Entry::Vacant(slot) = cards.entry(n) {
                let card = app.store().records().card(slot.key()).await?;
                slot.insert(card);
            }
        }
    }
    let mut tx = app.store().begin_write().await?;
    let mut answers = Vec::with_capacity(batch.len());
    for t in batch {
        let card_number = normalise_card(&t.card);
        let direction = Direction::parse(t.direction.trim());
        let at = parse_time(&t.at);
        let (Some(card_number), Some(direction), Some(at)) = (card_number, direction, at) else {
            // Nothing of it can be kept as a touch; a second sending answers the same.
            answers.push((t.seq, TouchAnswer::Refused(TouchRefusal::Malformed)));
            continue;
        };
        let card = cards.get(&card_number).cloned().flatten();
        let (outcome, day) = match judge(&reader, card.as_ref(), at, now) {
            Ok((day, account)) => {
                let roster = tx.records().roster_at(reader.site, account, at).await?;
                (
                    roster
                        .map(|r| (r, day, account))
                        .ok_or(TouchRefusal::NotListed),
                    Some(day),
                )
            }
            Err((why, day)) => (Err(why), day),
        };
        let new = NewTouch {
            reader: reader.id,
            seq: t.seq,
            card_number,
            direction,
            touched_at: at,
            outcome: match &outcome {
                Ok(_) => "accepted".to_owned(),
                Err(why) => why.code().to_owned(),
            },
            account: card.as_ref().map(|c| c.account),
            site: reader.site,
            work_day: day,
        };
        if !tx.records().add_touch(&new, now).await? {
            // Sent before: a touch taken then is a duplicate now; one refused then is refused
            // again for its first reason (a reader never reads a refusal as taken).
            let first = tx.records().touch_outcome(reader.id, t.seq).await?;
            let answer = match first.as_deref().and_then(TouchRefusal::parse) {
                Some(why) => TouchAnswer::Refused(why),
                None => TouchAnswer::Duplicate,
            };
            answers.push((t.seq, answer));
            continue;
        }
        match outcome {
            Ok((roster, day, account)) => {
                tx.records()
                    .fold_touch(
                        account,
                        reader.site,
                        day,
                        direction,
                        at,
                        reader.id,
                        &roster,
                        now,
                    )
                    .await?;
                answers.push((t.seq, TouchAnswer::Accepted { day }));
            }
            Err(why) => answers.push((t.seq, TouchAnswer::Refused(why))),
        }
    }
    tx.records().reader_seen(reader.id, now).await?;
    tx.commit().await?;
    Ok(IngestOutcome::Answered(answers))
}

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
