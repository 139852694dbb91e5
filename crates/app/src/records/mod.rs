//! 就業履歴: how a day of work becomes a record, and what people read from the records.
//! A site's 現場管理者 issues a key to each card reader (`readers.rs`); readers post touches,
//! each answered accepted, duplicate or refused with its reason (`ingest.rs`); a technician
//! reads their records, their 就業日数 and their progress toward each レベル (`worker.rs`); a
//! day with no touch is entered by hand and approved by the site (`direct.rs`); the 元請 reads
//! who was on a site on a day and the monthly 現場利用料 statement (`statement.rs`).
//! The rules themselves (the work day, folding touches, deadlines, counting, standards) are in
//! [`ccus_domain::records`].

pub mod business;
pub mod cards;
pub mod correction;
pub mod direct;
pub mod ingest;
pub mod readers;
pub mod statement;
pub mod worker;
