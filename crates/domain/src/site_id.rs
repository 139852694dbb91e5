//! The 現場ID: the 14 digits a site is given when its 元請 registers it. Typed the way login IDs
//! are (full-width digits, spaces and hyphens accepted and dropped) and checked by the same
//! Damm check digit, so a mistyped digit or two swapped digits are caught before any look-up.
//! Its first digit is 7, which no login ID starts with: a login ID typed where a 現場ID is asked
//! for (or the other way round) is told apart instead of looking like a typo.

use std::fmt;

use rand::Rng;

use crate::input::compact_digits;
use crate::login_id::damm_interim;

/// How many digits a 現場ID has.
pub const SITE_ID_LEN: usize = 14;

/// The first digit of every 現場ID.
const SITE_DIGIT: u8 = 7;

/// Why a typed 現場ID is not one. Each has its own message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SiteIdError {
    #[error("the 現場ID is empty")]
    Empty,
    #[error("the 現場ID must be 14 digits")]
    Malformed,
    #[error("the 現場ID's check digit does not match")]
    CheckDigit,
    #[error("this is a login ID, not a 現場ID")]
    LoginId,
}

/// A 現場ID in canonical form: 14 ASCII digits, the first 7, the last the check digit. Made only
/// by [`SiteId::parse`] or [`SiteId::generate`].
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SiteId(String);

impl SiteId {
    /// Parses a 現場ID however it was typed.
    pub fn parse(raw: &str) -> Result<Self, SiteIdError> {
        let compact = compact_digits(raw);
        if compact.is_empty() {
            return Err(SiteIdError::Empty);
        }
        if compact.len() != SITE_ID_LEN || !compact.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SiteIdError::Malformed);
        }
        let digits: Vec<u8> = compact.bytes().map(|b| b - b'0').collect();
        if damm_interim(&digits) != 0 {
            return Err(SiteIdError::CheckDigit);
        }
        if digits[0] != SITE_DIGIT {
            return Err(if crate::LoginId::parse(&compact).is_ok() {
                SiteIdError::LoginId
            } else {
                SiteIdError::CheckDigit
            });
        }
        Ok(SiteId(compact))
    }

    /// A new random 現場ID. Uniqueness is the caller's (the database's unique key); with 10^12
    /// of them a collision is rare and simply drawn again.
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> Self {
        let mut digits = Vec::with_capacity(SITE_ID_LEN);
        digits.push(SITE_DIGIT);
        for _ in 0..SITE_ID_LEN - 2 {
            digits.push(rng.gen_range(0..10u8));
        }
        digits.push(damm_interim(&digits));
        SiteId(digits.iter().map(|d| char::from(b'0' + d)).collect())
    }

    /// The canonical 14 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Grouped for reading: `7123 4567 8901 23`.
    pub fn grouped(&self) -> String {
        let mut out = String::with_capacity(SITE_ID_LEN + 3);
        for (i, c) in self.0.chars().enumerate() {
            if i > 0 && i % 4 == 0 {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }
}

impl fmt::Display for SiteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.grouped())
    }
}

impl fmt::Debug for SiteId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SiteId({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AccountKind, LoginId};
    use proptest::prelude::*;
    use rand::SeedableRng;

    #[test]
    fn a_generated_id_parses_however_it_is_typed() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for _ in 0..200 {
            let id = SiteId::generate(&mut rng);
            assert_eq!(id.as_str().len(), SITE_ID_LEN);
            assert!(id.as_str().starts_with('7'));
            assert_eq!(SiteId::parse(id.as_str()), Ok(id.clone()));
            assert_eq!(SiteId::parse(&id.grouped()), Ok(id.clone()));
            let wide: String = id
                .as_str()
                .chars()
                .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap())
                .collect();
            assert_eq!(SiteId::parse(&format!(" {wide} ")), Ok(id.clone()));
            let dashed = format!("{}-{}", &id.as_str()[..7], &id.as_str()[7..]);
            assert_eq!(SiteId::parse(&dashed), Ok(id));
        }
    }

    #[test]
    fn empty_short_and_lettered_input_is_told_apart() {
        assert_eq!(SiteId::parse("  "), Err(SiteIdError::Empty));
        assert_eq!(SiteId::parse("7123"), Err(SiteIdError::Malformed));
        assert_eq!(SiteId::parse("71234567890abc"), Err(SiteIdError::Malformed));
    }

    #[test]
    fn a_login_id_is_not_a_site_id() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        for kind in AccountKind::ALL {
            let login = LoginId::generate(kind, &mut rng);
            assert_eq!(SiteId::parse(login.as_str()), Err(SiteIdError::LoginId));
            assert!(LoginId::parse(SiteId::generate(&mut rng).as_str()).is_err());
        }
        let manager = LoginId::generate_manager(&mut rng);
        assert_eq!(SiteId::parse(manager.as_str()), Err(SiteIdError::LoginId));
    }

    proptest! {
        /// One wrong digit, or two neighbours swapped, is always caught.
        #[test]
        fn single_typos_and_swaps_are_caught(seed in any::<u64>(), at in 0usize..SITE_ID_LEN, to in 0u8..10) {
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            let id = SiteId::generate(&mut rng);
            let mut digits: Vec<u8> = id.as_str().bytes().map(|b| b - b'0').collect();
            if digits[at] != to {
                digits[at] = to;
                let typed: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
                prop_assert!(SiteId::parse(&typed).is_err());
            }
            let mut swapped: Vec<u8> = id.as_str().bytes().map(|b| b - b'0').collect();
            let i = at.min(SITE_ID_LEN - 2);
            if swapped[i] != swapped[i + 1] {
                swapped.swap(i, i + 1);
                let typed: String = swapped.iter().map(|d| char::from(b'0' + d)).collect();
                prop_assert!(SiteId::parse(&typed).is_err());
            }
        }
    }
}
