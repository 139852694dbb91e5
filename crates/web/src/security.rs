//! Secrets that travel to the browser: session tokens, anti-forgery tokens and the cookies
//! that carry them. The browser only ever holds random values; the database only their hashes.

use axum::http::{header, HeaderMap, HeaderValue};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub use ccus_app::tokens::{random_key_base64, random_token, token_hash};

/// Names and attributes of our cookies. Under https they get `Secure` and the `__Host-`
/// prefix (which also pins them to our host and to `Path=/`).
#[derive(Debug, Clone)]
pub struct Cookies {
    secure: bool,
}

pub const SESSION_COOKIE: &str = "ccus_session";
pub const CSRF_COOKIE: &str = "ccus_csrf";
/// Marks a browser in which an ID has logged in before (OWASP "device cookies").
pub const DEVICE_COOKIE: &str = "ccus_device";

/// How long a device cookie is kept by the browser.
pub const DEVICE_COOKIE_MAX_AGE_SECS: u64 = 400 * 24 * 60 * 60;

impl Cookies {
    pub fn new(secure: bool) -> Self {
        Cookies { secure }
    }

    pub fn name(&self, base: &str) -> String {
        if self.secure {
            format!("__Host-{base}")
        } else {
            base.to_owned()
        }
    }

    /// `Set-Cookie` for a browser-session cookie (no expiry: the server decides when it ends).
    pub fn set(&self, base: &str, value: &str) -> HeaderValue {
        self.header(format!(
            "{}={value}; Path=/; HttpOnly; SameSite=Lax",
            self.name(base)
        ))
    }

    /// `Set-Cookie` for a cookie the browser keeps for `max_age_secs`.
    pub fn set_persistent(&self, base: &str, value: &str, max_age_secs: u64) -> HeaderValue {
        self.header(format!(
            "{}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}",
            self.name(base)
        ))
    }

    /// `Set-Cookie` that removes a cookie.
    pub fn clear(&self, base: &str) -> HeaderValue {
        self.header(format!(
            "{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0",
            self.name(base)
        ))
    }

    fn header(&self, mut s: String) -> HeaderValue {
        if self.secure {
            s.push_str("; Secure");
        }
        // Names are fixed and values are base64url, so this is always a valid header value.
        HeaderValue::from_str(&s).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    /// The value of cookie `base` in the request, if any.
    pub fn get(&self, headers: &HeaderMap, base: &str) -> Option<String> {
        read_cookie(headers, &self.name(base))
    }

    /// The name of a cookie kept to a part of the site (`Path` other than `/`): under https
    /// it gets the `__Secure-` prefix (`__Host-` requires `Path=/`).
    fn scoped_name(&self, base: &str) -> String {
        if self.secure {
            format!("__Secure-{base}")
        } else {
            base.to_owned()
        }
    }

    /// `Set-Cookie` for a cookie sent only to `path` and only by same-site requests (the staff
    /// console's); `max_age` 0 removes it, `None` keeps it for the browser session.
    pub fn set_scoped(
        &self,
        base: &str,
        value: &str,
        path: &str,
        max_age: Option<u64>,
    ) -> HeaderValue {
        let mut s = format!(
            "{}={value}; Path={path}; HttpOnly; SameSite=Strict",
            self.scoped_name(base)
        );
        if let Some(m) = max_age {
            s.push_str(&format!("; Max-Age={m}"));
        }
        self.header(s)
    }

    /// The value of a cookie set by [`Cookies::set_scoped`], if any.
    pub fn get_scoped(&self, headers: &HeaderMap, base: &str) -> Option<String> {
        read_cookie(headers, &self.scoped_name(base))
    }
}

/// The value of the cookie `name` in a request: bounded, never empty.
fn read_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// Anti-forgery tokens, double-submit style: the browser holds a random cookie, and every
/// form carries an HMAC of it under a server secret shared by all instances. A cross-site
/// page can neither read the cookie nor compute the HMAC.
#[derive(Clone)]
pub struct Csrf {
    key: Vec<u8>,
}

impl Csrf {
    pub fn new(key: Vec<u8>) -> Self {
        Csrf { key }
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC accepts keys of any length.
        match Hmac::<Sha256>::new_from_slice(&self.key) {
            Ok(m) => m,
            Err(_) => unreachable!("HMAC takes any key length"),
        }
    }

    /// The form token for a browser's anti-forgery cookie.
    pub fn token_for(&self, cookie: &str) -> String {
        let mut m = self.mac();
        m.update(b"ccus-csrf:");
        m.update(cookie.as_bytes());
        URL_SAFE_NO_PAD.encode(m.finalize().into_bytes())
    }

    /// Checks a submitted form token against the browser's cookie, in constant time.
    pub fn verify(&self, cookie: Option<&str>, submitted: &str) -> bool {
        let (Some(cookie), Ok(given)) = (cookie, URL_SAFE_NO_PAD.decode(submitted.trim())) else {
            return false;
        };
        let mut m = self.mac();
        m.update(b"ccus-csrf:");
        m.update(cookie.as_bytes());
        m.verify_slice(&given).is_ok()
    }
}

/// The browser's anti-forgery cookie value, made on first visit.
#[derive(Debug, Clone)]
pub struct CsrfCookie(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_round_trip() {
        let c = Csrf::new(b"secret".to_vec());
        let tok = c.token_for("cookie-a");
        assert!(c.verify(Some("cookie-a"), &tok));
        assert!(!c.verify(Some("cookie-b"), &tok));
        assert!(!c.verify(None, &tok));
        assert!(!c.verify(Some("cookie-a"), "garbage!"));
        assert!(!Csrf::new(b"other".to_vec()).verify(Some("cookie-a"), &tok));
    }

    #[test]
    fn scoped_cookies_keep_to_their_path() {
        let c = Cookies::new(true);
        let v = c.set_scoped("ccus_staff", "abc", "/helpdesk", None);
        let s = v.to_str().unwrap();
        assert!(s.starts_with("__Secure-ccus_staff=abc; Path=/helpdesk; HttpOnly; SameSite=Strict"));
        assert!(s.ends_with("; Secure"));
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("__Secure-ccus_staff=abc"),
        );
        assert_eq!(c.get_scoped(&h, "ccus_staff").as_deref(), Some("abc"));
        let plain = Cookies::new(false).set_scoped("ccus_staff", "x", "/helpdesk", Some(0));
        assert_eq!(
            plain.to_str().unwrap(),
            "ccus_staff=x; Path=/helpdesk; HttpOnly; SameSite=Strict; Max-Age=0"
        );
    }

    #[test]
    fn secure_cookies_use_host_prefix() {
        let c = Cookies::new(true);
        let v = c.set(SESSION_COOKIE, "abc");
        let s = v.to_str().unwrap();
        assert!(s.starts_with("__Host-ccus_session=abc; Path=/; HttpOnly; SameSite=Lax"));
        assert!(s.ends_with("; Secure"));
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("x=1; __Host-ccus_session=abc"),
        );
        assert_eq!(c.get(&h, SESSION_COOKIE).as_deref(), Some("abc"));
        assert_eq!(Cookies::new(false).get(&h, SESSION_COOKIE), None);
    }
}
