//! 就業履歴: how a day of work becomes a record, and what people read from the records.
//! A site's 現場管理者 issues a key to each card reader (`readers.rs`); readers post touches,
//! each answered accepted, duplicate or refused with its reason (`ingest.rs`); a technician
//! reads their records, their 就業日数 and their progress toward each レベル (`worker.rs`).
//! The rules themselves (the work day, folding touches, deadlines, counting, standards) are in
//! [`ccus_domain::records`].

pub mod ingest;
pub mod readers;
pub mod worker;

use rand::RngCore;

/// How long a card is valid, in years (as the 技能者ID's registration).
pub const CARD_YEARS: i32 = 10;

/// A new card number: 16 hex digits, as a reader reads them.
pub fn new_card_number() -> String {
    let mut bytes = [0u8; 8];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode_upper(bytes)
}

/// The day a card issued on `today` expires.
pub fn card_expiry(today: ccus_domain::Date) -> ccus_domain::Date {
    today
        .replace_year(today.year() + CARD_YEARS)
        // 29 February: the day before, in a year without one.
        .or_else(|_| {
            today
                .previous_day()
                .unwrap_or(today)
                .replace_year(today.year() + CARD_YEARS)
        })
        .unwrap_or(today)
}
