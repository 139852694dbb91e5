//! Staff TOTP secrets are encrypted at rest (AES-256-GCM) with a key from configuration, so a
//! copy of the database alone does not give anyone the second factor.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;

pub struct SecretBox {
    cipher: Aes256Gcm,
}

impl SecretBox {
    /// From `staff.totp_key` (base64 of 32 bytes).
    pub fn from_config(key_b64: &str) -> Option<SecretBox> {
        let key = STANDARD.decode(key_b64.trim()).ok()?;
        if key.len() != 32 {
            return None;
        }
        Aes256Gcm::new_from_slice(&key)
            .ok()
            .map(|cipher| SecretBox { cipher })
    }

    /// Encrypts `secret`, bound to `owner` (the staff ID) so a value cannot be moved to
    /// another row.
    pub fn seal(&self, secret: &[u8], owner: &str) -> Option<String> {
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ct = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: secret,
                    aad: owner.as_bytes(),
                },
            )
            .ok()?;
        let mut out = nonce.to_vec();
        out.extend(ct);
        Some(STANDARD.encode(out))
    }

    pub fn open(&self, sealed: &str, owner: &str) -> Option<Vec<u8>> {
        let raw = STANDARD.decode(sealed).ok()?;
        if raw.len() < 12 {
            return None;
        }
        let (nonce, ct) = raw.split_at(12);
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: owner.as_bytes(),
                },
            )
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_and_open() {
        let key = STANDARD.encode([7u8; 32]);
        let b = SecretBox::from_config(&key).unwrap();
        let sealed = b.seal(b"secret", "S1").unwrap();
        assert!(!sealed.contains("secret"));
        assert_eq!(b.open(&sealed, "S1").unwrap(), b"secret");
        assert!(b.open(&sealed, "S2").is_none(), "bound to its owner");
        assert!(SecretBox::from_config("short").is_none());
    }
}
