//! Password hashing on a bounded pool. Argon2id is deliberately expensive, so hashing runs
//! on a fixed set of worker threads, one per core; logins beyond that wait in a short queue,
//! and when the queue is full or the wait too long they are refused at once (503 with
//! Retry-After) instead of starving every other page of CPU.
//!
//! Each worker allocates its Argon2 memory (19 MiB with the default parameters) when it gets
//! work and reuses it for every hash: memory stays at workers × Argon2 memory however many
//! logins come, instead of growing with every thread the runtime ever used (the allocator
//! keeps freed blocks of short-lived threads in their own arenas). A worker that has been idle
//! for `hashing.release_after` gives its memory back, so a quiet server returns to its
//! resting size, after every quiet period: each area is reserved large enough that the system
//! allocator maps it on its own and unmaps it whole when it is dropped (see
//! [`AREA_RESERVE_BYTES`]).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use ccus_domain::Password;
use rand::rngs::OsRng;

use crate::admission::{Admission, Permit, Priority};
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

/// Work for a hashing worker: runs with the worker's own Argon2 memory and hands the permit
/// back, so that the worker is idle again before another request may take the permit.
type Job = Box<dyn FnOnce(&mut Vec<Block>) -> Permit + Send>;

pub struct Hasher {
    params: Params,
    /// One permit per worker, given out by class when all are busy.
    admission: Arc<Admission>,
    /// Workers waiting for a job. There are always at least as many as free permits: a worker
    /// is back here before the permit of its last job is released.
    idle: Arc<Mutex<Vec<mpsc::Sender<Job>>>>,
    /// How many Argon2 memory areas were ever allocated.
    allocations: Arc<AtomicUsize>,
    /// How many workers hold an Argon2 memory area right now.
    held: Arc<AtomicUsize>,
    /// A hash of a random password, checked when an ID has no account so that unknown IDs
    /// take as long as wrong passwords.
    dummy_hash: String,
    /// Admission decisions by class, and how long admitted attempts waited (the metrics).
    admissions: crate::metrics::Counters,
    waits: crate::metrics::Histogram,
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
        let allocations = Arc::new(AtomicUsize::new(0));
        let held = Arc::new(AtomicUsize::new(0));
        let idle: Arc<Mutex<Vec<mpsc::Sender<Job>>>> = Arc::new(Mutex::new(Vec::new()));
        for n in 0..workers {
            let (tx, rx) = mpsc::channel::<Job>();
            idle.lock()
                .map_err(|_| HashError::Failed("hashing workers poisoned".into()))?
                .push(tx.clone());
            let worker = Worker {
                blocks: params.block_count(),
                release_after: cfg.release_after,
                allocations: allocations.clone(),
                held: held.clone(),
                idle: idle.clone(),
                me: tx,
            };
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || worker.run(rx))
                .map_err(|e| HashError::Failed(format!("cannot start a hashing worker: {e}")))?;
        }
        let mut h = Hasher {
            params,
            admission: Admission::new(workers, cfg.max_queue, cfg.queue_timeout),
            idle,
            allocations,
            held,
            dummy_hash: String::new(),
            admissions: crate::metrics::Counters::new(&["class", "decision"]),
            waits: crate::metrics::Histogram::new(crate::metrics::DURATION_BOUNDS),
        };
        // The dummy hash is made on a worker too, so no memory area of another size is ever
        // allocated and freed.
        let random: [u8; 16] = rand::random();
        let dummy =
            Password::parse(&hex::encode(random)).map_err(|e| HashError::Failed(e.to_string()))?;
        let permit = h
            .admission
            .try_acquire()
            .ok_or_else(|| HashError::Failed("no hashing worker at start".into()))?;
        let params = h.params.clone();
        let (done, result) = mpsc::channel();
        h.dispatch(Box::new(move |memory| {
            let _ = done.send(hash_with(&params, &dummy, memory));
            permit
        }))?;
        h.dummy_hash = result
            .recv()
            .map_err(|_| HashError::Failed("a hashing worker stopped".into()))??;
        Ok(h)
    }

    /// Hands a job to an idle worker (the caller holds a permit, so one is idle).
    fn dispatch(&self, job: Job) -> Result<(), HashError> {
        let worker = self
            .idle
            .lock()
            .map_err(|_| HashError::Failed("hashing workers poisoned".into()))?
            .pop()
            .ok_or_else(|| HashError::Failed("no idle hashing worker".into()))?;
        worker
            .send(job)
            .map_err(|_| HashError::Failed("a hashing worker stopped".into()))
    }

    /// Hashes a new password (PHC string).
    pub async fn hash(&self, password: Password) -> Result<String, HashError> {
        let params = self.params.clone();
        self.permit()
            .await?
            .run(move |memory| hash_with(&params, &password, memory))
            .await?
    }

    /// How many Argon2 memory areas have been allocated since start.
    pub fn memory_allocations(&self) -> usize {
        self.allocations.load(Ordering::SeqCst)
    }

    /// How many workers hold an Argon2 memory area now (none after a quiet period).
    pub fn memory_held(&self) -> usize {
        self.held.load(Ordering::SeqCst)
    }

    /// Waits for a free hashing worker as an ordinary attempt (see [`Hasher::permit_for`]).
    pub async fn permit(&self) -> Result<HashPermit<'_>, HashError> {
        self.permit_for(Priority::Normal).await
    }

    /// Waits for a free hashing worker: at once when one is idle, else in the bounded queue of
    /// `priority` for a bounded time (returning browsers first). Taken *before* a login attempt
    /// is counted, so that an attempt refused as busy never counts against the ID. A place
    /// is given back however the wait ends — also when the client goes away.
    pub async fn permit_for(&self, priority: Priority) -> Result<HashPermit<'_>, HashError> {
        let class = match priority {
            Priority::Returning => "returning",
            Priority::Proven => "proven",
            Priority::Normal => "other",
        };
        let started = std::time::Instant::now();
        let permit = match self.admission.acquire(priority).await {
            Ok(p) => p,
            Err(_) => {
                self.admissions.inc(&[class, "refused"]);
                return Err(HashError::Busy);
            }
        };
        let waited = started.elapsed();
        let decision = if waited < std::time::Duration::from_millis(1) {
            "immediate"
        } else {
            "queued"
        };
        self.admissions.inc(&[class, decision]);
        self.waits.observe(waited);
        Ok(HashPermit {
            hasher: self,
            permit,
        })
    }

    /// Admission decisions so far, by class and decision (the metrics).
    pub fn admissions(&self) -> &crate::metrics::Counters {
        &self.admissions
    }

    /// How long admitted attempts waited for a worker (the metrics).
    pub fn wait_histogram(&self) -> &crate::metrics::Histogram {
        &self.waits
    }

    /// How many attempts wait for a worker: (returning browsers, proven work, others).
    pub fn waiting(&self) -> (usize, usize, usize) {
        self.admission.waiting()
    }

    /// True when some attempt had to wait for a worker within the last `hold`.
    pub fn under_pressure(&self, hold: std::time::Duration) -> bool {
        self.admission.under_pressure(hold)
    }
}

/// A reserved hashing worker.
pub struct HashPermit<'a> {
    hasher: &'a Hasher,
    permit: Permit,
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
        let allocations = self.hasher.allocations.clone();
        let v = self
            .run(move |memory| verify_with(&params, &password, &phc, memory, &allocations))
            .await??;
        Ok(Verified {
            matches: v.matches && is_real,
            needs_rehash: v.needs_rehash && is_real,
        })
    }

    /// Runs `work` on a hashing worker with its memory, holding the permit until it is done.
    async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, HashError> {
        let permit = self.permit;
        let (done, result) = tokio::sync::oneshot::channel();
        self.hasher.dispatch(Box::new(move |memory| {
            let _ = done.send(work(memory));
            permit
        }))?;
        result
            .await
            .map_err(|_| HashError::Failed("a hashing worker stopped".into()))
    }
}

/// One hashing thread with its Argon2 memory.
struct Worker {
    blocks: usize,
    release_after: Duration,
    allocations: Arc<AtomicUsize>,
    held: Arc<AtomicUsize>,
    idle: Arc<Mutex<Vec<mpsc::Sender<Job>>>>,
    /// How this worker is reached, put back on the idle list after each job.
    me: mpsc::Sender<Job>,
}

impl Worker {
    fn run(self, jobs: mpsc::Receiver<Job>) {
        let mut memory: Vec<Block> = Vec::new();
        loop {
            let job = if memory.is_empty() {
                jobs.recv()
                    .map_err(|_| mpsc::RecvTimeoutError::Disconnected)
            } else {
                jobs.recv_timeout(self.release_after)
            };
            match job {
                Ok(job) => {
                    if memory.is_empty() {
                        memory = argon2_area(self.blocks);
                        self.allocations.fetch_add(1, Ordering::SeqCst);
                        self.held.fetch_add(1, Ordering::SeqCst);
                    }
                    let permit = job(&mut memory);
                    // Idle again before the permit is free for the next request.
                    match self.idle.lock() {
                        Ok(mut idle) => idle.push(self.me.clone()),
                        Err(_) => return,
                    }
                    drop(permit);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    // Quiet for a while: give the memory back.
                    memory = Vec::new();
                    self.held.fetch_sub(1, Ordering::SeqCst);
                }
                // The hasher is gone.
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}

/// Reserved for every Argon2 memory area, at least: more than the largest size for which the
/// system allocator (glibc) may stop giving an area a mapping of its own.
///
/// glibc serves a large allocation with its own `mmap` and unmaps it when freed, but freeing
/// such a mapping of up to 32 MiB raises its threshold to that size. After the first quiet
/// period, the next 19 MiB areas would come from the workers' heaps, which are never trimmed
/// by that much: two areas (38 MiB) stayed resident after every later flood. Reserving more
/// than 32 MiB keeps every area a mapping of its own, given back whole; only the pages Argon2
/// writes (the area's length) become resident. Other allocators map areas this large on their
/// own as well.
const AREA_RESERVE_BYTES: usize = 32 * 1024 * 1024 + 64 * 1024;

/// An Argon2 memory area of `blocks` blocks that is given back to the system when dropped
/// (see [`AREA_RESERVE_BYTES`]).
fn argon2_area(blocks: usize) -> Vec<Block> {
    let reserve = AREA_RESERVE_BYTES.div_ceil(std::mem::size_of::<Block>());
    let mut area = Vec::with_capacity(blocks.max(reserve));
    area.resize(blocks, Block::default());
    area
}

fn err(e: impl std::fmt::Display) -> HashError {
    HashError::Failed(e.to_string())
}

fn hash_with(
    params: &Params,
    password: &Password,
    memory: &mut [Block],
) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_raw = salt.as_salt().decode_b64(&mut salt_bytes).map_err(err)?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(password.expose().as_bytes(), salt_raw, &mut out, memory)
        .map_err(err)?;
    let phc = PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(params).map_err(err)?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(err)?),
    };
    Ok(phc.to_string())
}

fn verify_with(
    params: &Params,
    password: &Password,
    phc: &str,
    memory: &mut [Block],
    allocations: &AtomicUsize,
) -> Result<Verified, HashError> {
    let parsed =
        PasswordHash::new(phc).map_err(|e| HashError::Failed(format!("stored hash: {e}")))?;
    // Verification takes the algorithm and parameters from the stored hash itself.
    let matches = match (&parsed.hash, &parsed.salt) {
        (Some(expected), Some(salt)) => {
            let algorithm = Algorithm::try_from(parsed.algorithm).map_err(err)?;
            let version = parsed
                .version
                .map(Version::try_from)
                .transpose()
                .map_err(err)?
                .unwrap_or_default();
            let mut stored = Params::try_from(&parsed).map_err(err)?;
            stored = argon2::ParamsBuilder::new()
                .m_cost(stored.m_cost())
                .t_cost(stored.t_cost())
                .p_cost(stored.p_cost())
                .output_len(expected.len())
                .build()
                .map_err(err)?;
            let mut salt_bytes = [0u8; 64];
            let salt_raw = salt.decode_b64(&mut salt_bytes).map_err(err)?;
            let mut out = vec![0u8; expected.len()];
            let argon = Argon2::new(algorithm, version, stored.clone());
            // A hash made with more memory than configured now (rare, and rehashed at once)
            // needs a larger area for this one check.
            let mut larger;
            let area: &mut [Block] = if stored.block_count() <= memory.len() {
                memory
            } else {
                allocations.fetch_add(1, Ordering::SeqCst);
                larger = argon2_area(stored.block_count());
                &mut larger
            };
            argon
                .hash_password_into_with_memory(
                    password.expose().as_bytes(),
                    salt_raw,
                    &mut out,
                    area,
                )
                .map_err(err)?;
            // `Output` compares in constant time.
            Output::new(&out).map_err(err)? == *expected
        }
        _ => false,
    };
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn workers_reuse_their_memory() {
        let h = Arc::new(
            Hasher::new(&HashingConfig {
                workers: 2,
                max_queue: 100,
                ..cheap()
            })
            .unwrap(),
        );
        let mut tasks = Vec::new();
        for i in 0..40 {
            let h = h.clone();
            tasks.push(tokio::spawn(async move {
                let pw = Password::parse(&format!("password number {i}")).unwrap();
                let phc = h.hash(pw.clone()).await.unwrap();
                h.permit()
                    .await
                    .unwrap()
                    .verify(pw, Some(phc))
                    .await
                    .unwrap()
            }));
        }
        for t in tasks {
            assert!(t.await.unwrap().matches);
        }
        // Two workers, two memory areas — after 80 hashes (and the dummy hash).
        assert_eq!(h.memory_allocations(), 2);
        assert!(h.memory_held() <= 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn idle_workers_give_their_memory_back() {
        let h = Hasher::new(&HashingConfig {
            workers: 2,
            release_after: Duration::from_millis(100),
            ..cheap()
        })
        .unwrap();
        let pw = Password::parse("correct horse").unwrap();
        let phc = h.hash(pw.clone()).await.unwrap();
        assert!(h.memory_held() >= 1);
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(h.memory_held(), 0, "a quiet server holds no Argon2 memory");
        // And works again afterwards.
        let v = h
            .permit()
            .await
            .unwrap()
            .verify(pw, Some(phc))
            .await
            .unwrap();
        assert!(v.matches);
    }

    #[tokio::test]
    async fn hashes_are_standard_phc_strings_both_ways() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let h = Hasher::new(&cheap()).unwrap();
        let pw = Password::parse("correct horse").unwrap();
        // Ours verify with the reference implementation...
        let ours = h.hash(pw.clone()).await.unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"correct horse", &parsed)
            .is_ok());
        // ...and the reference implementation's (stored before) verify with ours.
        let params = Params::new(1024, 1, 1, None).unwrap();
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(b"correct horse", &salt)
            .unwrap()
            .to_string();
        let v = h
            .permit()
            .await
            .unwrap()
            .verify(pw, Some(theirs))
            .await
            .unwrap();
        assert!(v.matches && !v.needs_rehash);
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
        assert_eq!(h.waiting(), (0, 0, 0));
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
        assert_eq!(h.waiting(), (0, 0, 0));
        drop(held);
        // ...does not keep the queue full.
        assert!(h.permit().await.is_ok());
    }
}
