//! Passwords as typed: NFKC-normalised (so full-width ASCII typed on a phone equals the
//! half-width form), never truncated, never printed.

use std::fmt;

use rand::Rng;

use crate::input::nfkc;

/// Anything longer than this (in bytes, before normalisation) is refused before hashing, so a
/// megabyte "password" cannot be used to burn CPU.
pub const MAX_PASSWORD_BYTES: usize = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PasswordError {
    #[error("the password is empty")]
    Empty,
    #[error("the password is longer than {MAX_PASSWORD_BYTES} bytes")]
    TooLong,
}

/// A password in normalised form. `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Normalises a password as typed. Surrounding whitespace is kept: it may be part of it.
    pub fn parse(raw: &str) -> Result<Self, PasswordError> {
        if raw.len() > MAX_PASSWORD_BYTES {
            return Err(PasswordError::TooLong);
        }
        if raw.is_empty() {
            return Err(PasswordError::Empty);
        }
        let normalised = nfkc(raw);
        if normalised.len() > MAX_PASSWORD_BYTES * 4 {
            // NFKC can expand a few code points a lot; still bounded, but refuse pathological input.
            return Err(PasswordError::TooLong);
        }
        Ok(Password(normalised))
    }

    /// A random initial password for a new account: 16 characters from an alphabet without
    /// look-alikes (no 0/O, 1/l/I), about 90 bits.
    pub fn generate_initial<R: Rng + ?Sized>(rng: &mut R) -> Self {
        const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let s: String = (0..16)
            .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
            .collect();
        Password(s)
    }

    /// The normalised bytes, for hashing only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn full_width_ascii_equals_half_width() {
        let a = Password::parse("Ｐａｓｓｗｏｒｄ１２３！").unwrap();
        let b = Password::parse("Password123!").unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn never_truncated_and_bounded() {
        let long = "a".repeat(MAX_PASSWORD_BYTES);
        assert_eq!(
            Password::parse(&long).unwrap().expose().len(),
            MAX_PASSWORD_BYTES
        );
        assert_eq!(
            Password::parse(&"a".repeat(MAX_PASSWORD_BYTES + 1)),
            Err(PasswordError::TooLong)
        );
        assert_eq!(Password::parse(""), Err(PasswordError::Empty));
    }

    #[test]
    fn debug_does_not_leak() {
        let p = Password::parse("secret-value").unwrap();
        assert!(!format!("{p:?}").contains("secret"));
    }

    #[test]
    fn initial_passwords_are_long_and_distinct() {
        let mut rng = rand::thread_rng();
        let a = Password::generate_initial(&mut rng);
        let b = Password::generate_initial(&mut rng);
        assert_eq!(a.expose().len(), 16);
        assert_ne!(a, b);
    }

    proptest! {
        #[test]
        fn normalisation_is_idempotent(s in "\\PC{1,40}") {
            let once = Password::parse(&s).unwrap();
            let twice = Password::parse(once.expose()).unwrap();
            prop_assert_eq!(once, twice);
        }
    }
}
