//! 本人確認番号 — the 4-digit security code printed on the card back. Required to change the
//! password, never to log in. Stored hashed; compared only through its hash.

use std::fmt;

use rand::Rng;

use crate::input::compact_digits;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SecurityCodeError {
    #[error("the security code must be 4 digits")]
    Malformed,
}

/// A 4-digit 本人確認番号. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SecurityCode(String);

impl SecurityCode {
    pub fn parse(raw: &str) -> Result<Self, SecurityCodeError> {
        let c = compact_digits(raw);
        if c.len() == 4 && c.bytes().all(|b| b.is_ascii_digit()) {
            Ok(SecurityCode(c))
        } else {
            Err(SecurityCodeError::Malformed)
        }
    }

    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> Self {
        SecurityCode(format!("{:04}", rng.gen_range(0..10_000u32)))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SecurityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecurityCode(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_full_width_and_rejects_others() {
        assert_eq!(SecurityCode::parse("０１２３").unwrap().expose(), "0123");
        assert!(SecurityCode::parse("123").is_err());
        assert!(SecurityCode::parse("12345").is_err());
        assert!(SecurityCode::parse("12a4").is_err());
        let g = SecurityCode::generate(&mut rand::thread_rng());
        assert_eq!(g.expose().len(), 4);
        assert!(!format!("{g:?}").contains(g.expose()));
    }
}
