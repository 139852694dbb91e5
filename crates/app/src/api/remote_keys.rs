//! Key sets a client publishes at its own address (`jwks_url`) instead of registering them:
//! fetched when first needed and kept by each instance for five minutes. An assertion naming a
//! `kid` the kept set lacks fetches the set again (the vendor rotated its key) — at most once
//! every half minute per address, so that nobody makes the portal fetch at will. A fetch that
//! fails keeps the set already held; with none held, the assertion is not proved.
//!
//! A fetch is bounded: five seconds, no redirects, 64 KiB; the set must pass the same checks as
//! a registered one (public keys only, of kinds the portal verifies).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::JwkSet;

/// How long a fetched set is used without asking again.
const FRESH_FOR: Duration = Duration::from_secs(5 * 60);

/// The least time between two fetches of one address for an unknown `kid`.
const REFETCH_GAP: Duration = Duration::from_secs(30);

/// The largest key set read.
const MAX_BYTES: usize = 64 * 1024;

#[derive(Clone)]
struct Held {
    set: Arc<JwkSet>,
    fetched: Instant,
}

/// The key sets this instance fetched, by address.
pub struct RemoteKeys {
    http: Option<reqwest::Client>,
    held: Mutex<HashMap<String, Held>>,
}

impl Default for RemoteKeys {
    fn default() -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(5))
            .connect_timeout(Duration::from_secs(3))
            .build()
            .map_err(|e| tracing::error!(error = %e, "no HTTP client for key sets"))
            .ok();
        RemoteKeys {
            http,
            held: Mutex::new(HashMap::new()),
        }
    }
}

impl RemoteKeys {
    fn get_held(&self, url: &str) -> Option<Held> {
        self.held.lock().ok()?.get(url).cloned()
    }

    /// The set published at `url`, holding `kid` when one is named and the publisher has it.
    pub async fn key_set(&self, url: &str, kid: Option<&str>) -> Result<Arc<JwkSet>, String> {
        let held = self.get_held(url);
        if let Some(h) = &held {
            let has_kid = kid.is_none_or(|k| h.set.find(k).is_some());
            let age = h.fetched.elapsed();
            if (has_kid && age < FRESH_FOR) || (!has_kid && age < REFETCH_GAP) {
                return Ok(h.set.clone());
            }
        }
        match self.fetch(url).await {
            Ok(set) => {
                let set = Arc::new(set);
                if let Ok(mut map) = self.held.lock() {
                    map.insert(
                        url.to_owned(),
                        Held {
                            set: set.clone(),
                            fetched: Instant::now(),
                        },
                    );
                }
                Ok(set)
            }
            Err(why) => {
                tracing::warn!(url, why, "a client's key set could not be fetched");
                held.map(|h| h.set).ok_or(why)
            }
        }
    }

    async fn fetch(&self, url: &str) -> Result<JwkSet, String> {
        let http = self.http.as_ref().ok_or("no HTTP client")?;
        let mut resp = http.get(url).send().await.map_err(|e| e.to_string())?;
        if !resp.status().is_success() {
            return Err(format!("answered {}", resp.status()));
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| e.to_string())? {
            body.extend_from_slice(&chunk);
            if body.len() > MAX_BYTES {
                return Err("larger than 64 KiB".into());
            }
        }
        let text = String::from_utf8(body).map_err(|_| "not UTF-8".to_owned())?;
        let checked = super::clients::check_jwks(&text).map_err(|p| p.to_string())?;
        serde_json::from_str(&checked).map_err(|e| e.to_string())
    }
}
