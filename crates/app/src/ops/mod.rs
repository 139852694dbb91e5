//! What operators do: maintenance windows, お知らせ and FAQ (always audited), and generated data
//! at CCUS size.

pub mod faq_seed;
pub mod generate;
pub mod operations;
