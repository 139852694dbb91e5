//! The words of the sites pages' lists and states, in the page's language.

use ccus_domain::site::{OrderKind, PlacementState, Position, Via, WorkKind};
use ccus_domain::Date;

use crate::i18n;

/// 就業履歴蓄積期間 or a 契約工期: 「from 〜 to」.
pub(crate) fn period(from: Date, to: Date) -> String {
    i18n::ta(
        "site-period",
        &[
            ("from", &ccus_domain::profile::format_date(from)),
            ("to", &ccus_domain::profile::format_date(to)),
        ],
    )
}

pub(crate) fn order_kind(k: OrderKind) -> String {
    i18n::t(&format!("site-order-{}", k.as_str()))
}

pub(crate) fn work_kind(k: WorkKind) -> String {
    i18n::t(&format!("site-work-{}", k.as_str()))
}

pub(crate) fn trade(code: &str) -> String {
    i18n::t(&format!("site-trade-{code}"))
}

pub(crate) fn position(p: Position) -> String {
    i18n::t(&format!("site-position-{}", p.as_str()))
}

/// 元請, 一次, 二次, … for a depth in the tree.
pub(crate) fn tier(depth: usize) -> String {
    if depth == 0 {
        i18n::t("site-tier-prime")
    } else {
        i18n::ta("site-tier-n", &[("n", &depth.to_string())])
    }
}

pub(crate) fn place_state(s: PlacementState) -> String {
    i18n::t(&format!("site-place-{}", s.as_str()))
}

pub(crate) fn via(v: Via) -> String {
    i18n::t(&format!("site-via-{}", v.as_str()))
}

/// 有 / 無.
pub(crate) fn yes_no(b: bool) -> String {
    i18n::t(if b {
        "site-hazardous-yes"
    } else {
        "site-hazardous-no"
    })
}
