//! Proof of work for login attempts while the portal is under pressure: a cost to a bot, not to
//! a person.
//!
//! While attempts wait for a hashing worker, each login page carries a challenge: a random seed
//! with a difficulty, signed by the portal. The page's script looks for a nonce such that
//! `SHA-256(seed ":" nonce)` starts with `bits` zero bits (about `2^bits` hashes: a fraction of a
//! second in a browser, spent while the person types) and posts it with the form. A correct
//! proof gives the attempt a place ahead of attempts without one, never ahead of a returning
//! browser; an attempt without one (no script, or a page loaded before the pressure began) still
//! waits in the ordinary queue, so the form keeps working without JavaScript. A bot that wants
//! the same place must pay the hashes for every attempt.
//!
//! A challenge is used once, within `ttl`. Every instance verifies with the same key (kept in the
//! database); a used seed is remembered by the instance that saw it, so with several instances a
//! proof can be spent at most once per instance.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use ccus_domain::Timestamp;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// Seeds remembered as used at most; past this, new proofs are not honoured (they still log
/// in, in the ordinary queue) until old ones expire.
const MAX_SPENT: usize = 200_000;

/// One challenge, as the login page carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    /// The signed token posted back with the proof.
    pub token: String,
    /// What the script hashes: `seed ":" nonce`.
    pub seed: String,
    /// Leading zero bits the hash must have.
    pub bits: u8,
}

/// Issues and checks challenges.
pub struct Challenges {
    key: Vec<u8>,
    bits: u8,
    ttl: Duration,
    spent: Mutex<HashMap<String, i64>>,
    accepted: AtomicU64,
}

fn mac(key: &[u8], text: &str) -> String {
    // HMAC-SHA-256, truncated to 128 bits.
    let Ok(mut m) = Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    m.update(text.as_bytes());
    hex::encode(&m.finalize().into_bytes()[..16])
}

/// Leading zero bits of `SHA-256(seed ":" nonce)`.
pub fn work_bits(seed: &str, nonce: &str) -> u32 {
    let digest = Sha256::new()
        .chain_update(seed.as_bytes())
        .chain_update(b":")
        .chain_update(nonce.as_bytes())
        .finalize();
    let mut bits = 0;
    for byte in digest {
        if byte == 0 {
            bits += 8;
        } else {
            bits += byte.leading_zeros();
            break;
        }
    }
    bits
}

/// Finds a nonce for `challenge` (what the page's script does; used by tests and the
/// benchmark).
pub fn solve(challenge: &Challenge) -> String {
    (0u64..)
        .map(|n| n.to_string())
        .find(|n| work_bits(&challenge.seed, n) >= u32::from(challenge.bits))
        .unwrap_or_default()
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl Challenges {
    /// `key` signs the challenges (the same on every instance); `bits` is the difficulty.
    pub fn new(key: impl Into<Vec<u8>>, bits: u8, ttl: Duration) -> Challenges {
        Challenges {
            key: key.into(),
            bits: bits.min(32),
            ttl,
            spent: Mutex::new(HashMap::new()),
            accepted: AtomicU64::new(0),
        }
    }

    /// A new challenge, issued at `now`.
    pub fn issue(&self, now: Timestamp) -> Challenge {
        let seed = hex::encode(rand::random::<[u8; 16]>());
        let body = format!("{}.{}.{seed}", now.0, self.bits);
        let token = format!("{body}.{}", mac(&self.key, &body));
        Challenge {
            token,
            seed,
            bits: self.bits,
        }
    }

    /// True when `nonce` solves the challenge `token` issued by a portal with this key, not
    /// expired and not used before; it is then used up.
    pub fn redeem(&self, token: &str, nonce: &str, now: Timestamp) -> bool {
        if token.len() > 128 || nonce.is_empty() || nonce.len() > 20 {
            return false;
        }
        let Some((body, tag)) = token.rsplit_once('.') else {
            return false;
        };
        let expected = mac(&self.key, body);
        if expected.is_empty() || !constant_time_eq(&expected, tag) {
            return false;
        }
        let mut parts = body.split('.');
        let (Some(issued), Some(bits), Some(seed), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let (Ok(issued), Ok(bits)) = (issued.parse::<i64>(), bits.parse::<u32>()) else {
            return false;
        };
        let ttl = i64::try_from(self.ttl.as_millis()).unwrap_or(i64::MAX);
        let expires = issued.saturating_add(ttl);
        // Issued in the future (clock skew between instances) by more than a minute: refused.
        if now.0 >= expires || issued > now.0.saturating_add(60_000) {
            return false;
        }
        if work_bits(seed, nonce) < bits {
            return false;
        }
        let Ok(mut spent) = self.spent.lock() else {
            return false;
        };
        if spent.len() >= MAX_SPENT {
            spent.retain(|_, until| *until > now.0);
            if spent.len() >= MAX_SPENT {
                return false;
            }
        }
        if spent.insert(seed.to_owned(), expires).is_some() {
            return false;
        }
        self.accepted.fetch_add(1, Ordering::Relaxed);
        true
    }

    /// Proofs accepted since start.
    pub fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenges(bits: u8) -> Challenges {
        Challenges::new(b"test key".to_vec(), bits, Duration::from_secs(600))
    }

    #[test]
    fn a_solution_is_accepted_once() {
        let c = challenges(8);
        let now = Timestamp(1_800_000_000_000);
        let ch = c.issue(now);
        let nonce = solve(&ch);
        assert!(work_bits(&ch.seed, &nonce) >= 8);
        assert!(c.redeem(&ch.token, &nonce, now));
        assert!(!c.redeem(&ch.token, &nonce, now), "used up");
        assert_eq!(c.accepted(), 1);
    }

    #[test]
    fn wrong_forged_or_late_proofs_are_refused() {
        let c = challenges(12);
        let now = Timestamp(1_800_000_000_000);
        let ch = c.issue(now);
        let nonce = solve(&ch);
        let wrong = (0u64..)
            .map(|n| n.to_string())
            .find(|n| work_bits(&ch.seed, n) < 12)
            .unwrap();
        assert!(!c.redeem(&ch.token, &wrong, now));
        // The difficulty is signed: lowering it breaks the signature.
        let easier = ch.token.replacen(".12.", ".0.", 1);
        assert!(!c.redeem(&easier, &wrong, now));
        // Another key's challenge.
        let other = Challenges::new(b"another key".to_vec(), 12, Duration::from_secs(600));
        assert!(!other.redeem(&ch.token, &nonce, now));
        // Too late.
        assert!(!c.redeem(&ch.token, &nonce, Timestamp(now.0 + 600_000)));
        assert!(!c.redeem("", &nonce, now));
        assert!(!c.redeem(&ch.token, "", now));
        assert!(c.redeem(&ch.token, &nonce, now));
    }

    #[test]
    fn the_mac_is_hmac_sha256() {
        // RFC 4231, test case 2 (truncated to 128 bits).
        assert_eq!(
            mac(b"Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c7"
        );
    }
}
