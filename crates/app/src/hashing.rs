//! Password hashing on a bounded pool. Argon2id is deliberately expensive, so hashing runs
//! on blocking threads, at most one per core at a time; logins beyond that wait in a short
//! queue, and when the queue is full or the wait too long they are refused at once (503 with
//! Retry-After) instead of starving every other page of CPU.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use ccus_domain::Password;
use rand::rngs::OsRng;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::HashingConfig;

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Too many hashes are waiting; the caller answers 503.
    #[error("password hashing is busy")]
    Busy,
    #[error("password hashing failed: {0}")]
    Failed(String),
}

/// The result of checking a password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub matches: bool,
    /// The stored hash uses other parameters than the configured ones.
    pub needs_rehash: bool,
}

pub struct Hasher {
    params: Params,
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_queue: usize,
    queue_timeout: Duration,
    /// A hash of a random password, checked when an ID has no account so that unknown IDs
    /// take as long as wrong passwords.
    dummy_hash: String,
}

impl Hasher {
    pub fn new(cfg: &HashingConfig) -> Result<Hasher, HashError> {
        let params = Params::new(cfg.memory_kib, cfg.iterations, cfg.parallelism, None)
            .map_err(|e| HashError::Failed(e.to_string()))?;
        let workers = if cfg.workers == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            cfg.workers
        };
        let mut h = Hasher {
            params,
            permits: Arc::new(Semaphore::new(workers)),
            waiting: AtomicUsize::new(0),
            max_queue: cfg.max_queue,
            queue_timeout: cfg.queue_timeout,
            dummy_hash: String::new(),
        };
        let random: [u8; 16] = rand::random();
        let dummy =
            Password::parse(&hex::encode(random)).map_err(|e| HashError::Failed(e.to_string()))?;
        h.dummy_hash = hash_with(&h.params, &dummy)?;
        Ok(h)
    }

    /// Hashes a new password (PHC string).
    pub async fn hash(&self, password: Password) -> Result<String, HashError> {
        let params = self.params.clone();
        self.permit()
            .await?
            .run(move || hash_with(&params, &password))
            .await?
    }

    /// Waits for a free hashing worker: at once when one is idle, else in a bounded queue for
    /// a bounded time. Taken *before* a login attempt is counted, so that an attempt refused
    /// as busy never counts against the ID.
    pub async fn permit(&self) -> Result<HashPermit<'_>, HashError> {
        let permit = match self.permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                // The place in the queue is given back however this wait ends — also when
                // the request is dropped because the client went away.
                let place = QueuePlace::take(&self.waiting);
                if place.ahead >= self.max_queue {
                    return Err(HashError::Busy);
                }
                let p =
                    tokio::time::timeout(self.queue_timeout, self.permits.clone().acquire_owned())
                        .await;
                drop(place);
                match p {
                    Ok(Ok(p)) => p,
                    _ => return Err(HashError::Busy),
                }
            }
        };
        Ok(HashPermit {
            hasher: self,
            permit,
        })
    }
}

/// A place in the hashing queue, released on drop.
struct QueuePlace<'a> {
    waiting: &'a AtomicUsize,
    /// How many were waiting before this one.
    ahead: usize,
}

impl<'a> QueuePlace<'a> {
    fn take(waiting: &'a AtomicUsize) -> Self {
        let ahead = waiting.fetch_add(1, Ordering::SeqCst);
        QueuePlace { waiting, ahead }
    }
}

impl Drop for QueuePlace<'_> {
    fn drop(&mut self) {
        self.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A reserved hashing worker.
pub struct HashPermit<'a> {
    hasher: &'a Hasher,
    permit: OwnedSemaphorePermit,
}

impl HashPermit<'_> {
    /// Checks `password` against `stored`, or against the dummy hash when there is no account
    /// (the result is then always "no match", after the same amount of work).
    pub async fn verify(
        self,
        password: Password,
        stored: Option<String>,
    ) -> Result<Verified, HashError> {
        let is_real = stored.is_some();
        let phc = stored.unwrap_or_else(|| self.hasher.dummy_hash.clone());
        let params = self.hasher.params.clone();
        let v = self
            .run(move || verify_with(&params, &password, &phc))
            .await??;
        Ok(Verified {
            matches: v.matches && is_real,
            needs_rehash: v.needs_rehash && is_real,
        })
    }

    /// Runs `work` on a blocking thread, holding the worker until it is done.
    async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = self.permit;
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(|e| HashError::Failed(e.to_string()))
    }
}

fn argon(params: &Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
}

fn hash_with(params: &Params, password: &Password) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    argon(params)
        .hash_password(password.expose().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| HashError::Failed(e.to_string()))
}

fn verify_with(params: &Params, password: &Password, phc: &str) -> Result<Verified, HashError> {
    let parsed =
        PasswordHash::new(phc).map_err(|e| HashError::Failed(format!("stored hash: {e}")))?;
    // Verification takes the algorithm and parameters from the stored hash itself.
    let matches = Argon2::default()
        .verify_password(password.expose().as_bytes(), &parsed)
        .is_ok();
    let needs_rehash = match Params::try_from(&parsed) {
        Ok(p) => {
            parsed.algorithm != argon2::ARGON2ID_IDENT
                || p.m_cost() != params.m_cost()
                || p.t_cost() != params.t_cost()
                || p.p_cost() != params.p_cost()
        }
        Err(_) => true,
    };
    Ok(Verified {
        matches,
        needs_rehash,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> HashingConfig {
        HashingConfig {
            memory_kib: 1024,
            iterations: 1,
            ..HashingConfig::default()
        }
    }

    #[tokio::test]
    async fn hash_and_verify() {
        let h = Hasher::new(&cheap()).unwrap();
        let pw = Password::parse("correct horse").unwrap();
        let phc = h.hash(pw.clone()).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"));
        let ok = h
            .permit()
            .await
            .unwrap()
            .verify(pw, Some(phc.clone()))
            .await
            .unwrap();
        assert_eq!(
            ok,
            Verified {
                matches: true,
                needs_rehash: false
            }
        );
        let bad = h
            .permit()
            .await
            .unwrap()
            .verify(Password::parse("wrong").unwrap(), Some(phc))
            .await
            .unwrap();
        assert!(!bad.matches);
        // No account: never a match, even for the dummy's own password.
        let none = h
            .permit()
            .await
            .unwrap()
            .verify(Password::parse("x").unwrap(), None)
            .await
            .unwrap();
        assert!(!none.matches);
    }

    #[tokio::test]
    async fn detects_old_parameters() {
        let old = Hasher::new(&cheap()).unwrap();
        let pw = Password::parse("correct horse").unwrap();
        let phc = old.hash(pw.clone()).await.unwrap();
        let new = Hasher::new(&HashingConfig {
            memory_kib: 2048,
            ..cheap()
        })
        .unwrap();
        let v = new
            .permit()
            .await
            .unwrap()
            .verify(pw, Some(phc))
            .await
            .unwrap();
        assert_eq!(
            v,
            Verified {
                matches: true,
                needs_rehash: true
            }
        );
    }

    #[tokio::test]
    async fn full_queue_is_refused_fast() {
        let h = Arc::new(
            Hasher::new(&HashingConfig {
                workers: 1,
                max_queue: 0,
                queue_timeout: Duration::from_millis(50),
                ..cheap()
            })
            .unwrap(),
        );
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let h = h.clone();
            tasks.push(tokio::spawn(async move {
                h.permit()
                    .await?
                    .verify(Password::parse("x").unwrap(), None)
                    .await
            }));
        }
        let mut busy = 0;
        for t in tasks {
            if matches!(t.await.unwrap(), Err(HashError::Busy)) {
                busy += 1;
            }
        }
        assert!(
            busy > 0,
            "some attempts must be refused when the queue is full"
        );
        assert_eq!(h.waiting.load(Ordering::SeqCst), 0);
    }

    #[tokio::test]
    async fn a_cancelled_wait_gives_its_place_back() {
        let h = Hasher::new(&HashingConfig {
            workers: 1,
            max_queue: 1,
            queue_timeout: Duration::from_secs(10),
            ..cheap()
        })
        .unwrap();
        let held = h.permit().await.unwrap();
        // A waiter whose request is dropped (the client went away)...
        let _ = tokio::time::timeout(Duration::from_millis(20), h.permit()).await;
        assert_eq!(h.waiting.load(Ordering::SeqCst), 0);
        drop(held);
        // ...does not keep the queue full.
        assert!(h.permit().await.is_ok());
    }
}
