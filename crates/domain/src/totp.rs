//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) for staff
//! logins, with base32 secrets as authenticator apps expect them. The codes, the base32 and the
//! `otpauth://` URI come from the `totp-rs` crate; this module keeps what is ours: a typed code
//! may carry spaces and full-width digits, it is checked against the current step and one step
//! either side, and the matching step is returned so that a code cannot be used twice.

use rand::RngCore;
use totp_rs::{Algorithm, Secret, TOTP};

use crate::clock::Timestamp;

pub const STEP_SECS: i64 = 30;
pub const DIGITS: u32 = 6;

/// A fresh 160-bit secret (the size RFC 4226 recommends).
pub fn generate_secret() -> Vec<u8> {
    let mut s = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut s);
    s
}

/// RFC 4648 base32 without padding.
pub fn base32(bytes: &[u8]) -> String {
    match Secret::Raw(bytes.to_vec()).to_encoded() {
        Secret::Encoded(s) => s,
        Secret::Raw(_) => String::new(),
    }
}

/// Decodes RFC 4648 base32 (case, spaces and padding ignored).
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let compact: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '=')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    Secret::Encoded(compact).to_bytes().ok()
}

/// The generator for one secret. Unchecked: our secrets are 160 bits, the RFC's test secret
/// too, and a staff ID never holds the `:` that the checked constructor refuses.
fn generator(secret: &[u8], issuer: Option<&str>, account: &str) -> TOTP {
    TOTP::new_unchecked(
        Algorithm::SHA1,
        DIGITS as usize,
        0,
        STEP_SECS as u64,
        secret.to_vec(),
        issuer.map(str::to_owned),
        account.to_owned(),
    )
}

/// The code for one time step (a step before 1970 has none: `u32::MAX`, which no typed code
/// matches).
pub fn code_at(secret: &[u8], step: i64) -> u32 {
    let Some(time) = u64::try_from(step)
        .ok()
        .and_then(|s| s.checked_mul(STEP_SECS as u64))
    else {
        return u32::MAX;
    };
    generator(secret, None, "")
        .generate(time)
        .parse()
        .unwrap_or(u32::MAX)
}

/// The time step of a timestamp.
pub fn step_of(t: Timestamp) -> i64 {
    t.0.div_euclid(1000 * STEP_SECS)
}

/// Checks a typed code (spaces and full-width digits allowed) against the current step and
/// one step either side. Returns the matching step; a step at or before `last_used` is refused
/// so that a code cannot be used twice.
pub fn verify(secret: &[u8], typed: &str, now: Timestamp, last_used: Option<i64>) -> Option<i64> {
    let digits = crate::input::compact_digits(typed);
    if digits.len() != DIGITS as usize || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let code: u32 = digits.parse().ok()?;
    let now_step = step_of(now);
    (now_step - 1..=now_step + 1)
        .filter(|s| last_used.is_none_or(|l| *s > l))
        .find(|s| code_at(secret, *s) == code)
}

/// The `otpauth://` URI an authenticator app reads from the QR code.
pub fn otpauth_uri(secret: &[u8], issuer: &str, account: &str) -> String {
    generator(secret, Some(issuer), account).get_url()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (8-digit codes; we compare the last 6 digits).
    #[test]
    fn rfc6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (t, code8) in [
            (59i64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
        ] {
            assert_eq!(code_at(secret, t / 30), code8 % 1_000_000, "t={t}");
        }
    }

    #[test]
    fn base32_matches_rfc4648() {
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32_decode("mzxw 6ytb oi").unwrap(), b"foobar");
    }

    #[test]
    fn verify_allows_one_step_of_drift_and_no_reuse() {
        let secret = generate_secret();
        let now = Timestamp(1_795_566_600_000);
        let step = step_of(now);
        let code = format!("{:06}", code_at(&secret, step));
        assert_eq!(verify(&secret, &code, now, None), Some(step));
        assert_eq!(verify(&secret, &code, now, Some(step)), None, "no reuse");
        let prev = format!("{:06}", code_at(&secret, step - 1));
        assert_eq!(verify(&secret, &prev, now, None), Some(step - 1));
        let old = format!("{:06}", code_at(&secret, step - 3));
        assert_eq!(verify(&secret, &old, now, None), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(verify(&secret, &spaced, now, None), Some(step));
        assert_eq!(verify(&secret, "12345", now, None), None);
        assert!(otpauth_uri(&secret, "CCUS Helpdesk", "S123456")
            .starts_with("otpauth://totp/CCUS%20Helpdesk:S123456?secret="));
    }

    #[test]
    fn the_uri_carries_the_secret_and_the_issuer() {
        let secret = b"12345678901234567890";
        let uri = otpauth_uri(secret, "CCUS Helpdesk", "S 1:2");
        assert!(
            uri.starts_with("otpauth://totp/CCUS%20Helpdesk:S%201%3A2?"),
            "{uri}"
        );
        assert!(uri.contains(&format!("secret={}", base32(secret))), "{uri}");
        assert!(uri.contains("issuer=CCUS%20Helpdesk"), "{uri}");
    }

    #[test]
    fn base32_round_trips_and_refuses_other_letters() {
        for len in 0..40usize {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            assert_eq!(base32_decode(&base32(&bytes)).unwrap(), bytes, "{len}");
        }
        assert_eq!(base32_decode("MZXW6YTBOI======").unwrap(), b"foobar");
        assert_eq!(base32_decode("MZXW1"), None, "1 is not base32");
        assert_eq!(base32_decode("MZ!W"), None);
    }

    #[test]
    fn a_step_before_1970_has_no_code() {
        let secret = generate_secret();
        assert_eq!(code_at(&secret, -1), u32::MAX);
        assert_eq!(verify(&secret, "000000", Timestamp(-60_000), None), None);
    }
}
