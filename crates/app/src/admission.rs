//! Who gets a hashing worker when all are busy. Under a flood (credential stuffing from a
//! botnet), a browser in which the entered ID has logged in before goes first; then attempts
//! that carry solved proof of work (the login page's script solves one while the person types,
//! only while the portal is under pressure); everyone else waits in arrival order. The class
//! depends only on the browser's device cookie and the proof, never on whether the entered ID
//! has an account, so waiting times reveal nothing about accounts.
//!
//! Each class has a queue of at most `max_queue` places and a waiter gives up after
//! `queue_timeout`; past either the caller answers 503. A permit is handed directly to the next
//! waiter when it is released, so no newcomer can overtake the queue.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

/// The class of a waiting attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Priority {
    /// A browser that holds a device cookie for the entered ID (or a signed-in person).
    Returning,
    /// An attempt that carries a solved proof-of-work challenge.
    Proven,
    /// Anyone else.
    Normal,
}

/// Why no permit was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// The queue of this class is full, or the wait was too long.
    Busy,
}

struct State {
    free: usize,
    returning: VecDeque<oneshot::Sender<Permit>>,
    proven: VecDeque<oneshot::Sender<Permit>>,
    normal: VecDeque<oneshot::Sender<Permit>>,
    /// When an attempt last had to wait (every worker busy).
    last_wait: Option<Instant>,
}

/// A fixed number of permits, given out by class.
pub struct Admission {
    state: Mutex<State>,
    max_queue: usize,
    queue_timeout: Duration,
}

/// One permit; returned (to the next waiter, or to the pool) when dropped.
pub struct Permit {
    /// `None` once disarmed (a permit that never left the pool).
    admission: Option<Arc<Admission>>,
}

impl std::fmt::Debug for Permit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Permit")
    }
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Some(a) = self.admission.take() {
            a.release();
        }
    }
}

impl Admission {
    pub fn new(permits: usize, max_queue: usize, queue_timeout: Duration) -> Arc<Admission> {
        Arc::new(Admission {
            state: Mutex::new(State {
                free: permits,
                returning: VecDeque::new(),
                proven: VecDeque::new(),
                normal: VecDeque::new(),
                last_wait: None,
            }),
            max_queue,
            queue_timeout,
        })
    }

    /// A permit at once when one is free and nobody waits.
    pub fn try_acquire(self: &Arc<Self>) -> Option<Permit> {
        let mut s = self.state.lock().ok()?;
        if s.free > 0 {
            s.free -= 1;
            Some(Permit {
                admission: Some(self.clone()),
            })
        } else {
            None
        }
    }

    /// Waits for a permit in the queue of `priority`.
    pub async fn acquire(self: &Arc<Self>, priority: Priority) -> Result<Permit, Refused> {
        let rx = {
            let Ok(mut s) = self.state.lock() else {
                return Err(Refused::Busy);
            };
            if s.free > 0 {
                s.free -= 1;
                return Ok(Permit {
                    admission: Some(self.clone()),
                });
            }
            s.last_wait = Some(Instant::now());
            // Waiters whose requests went away leave dead places; clear them before counting.
            s.returning.retain(|t| !t.is_closed());
            s.proven.retain(|t| !t.is_closed());
            s.normal.retain(|t| !t.is_closed());
            let queue = match priority {
                Priority::Returning => &mut s.returning,
                Priority::Proven => &mut s.proven,
                Priority::Normal => &mut s.normal,
            };
            if queue.len() >= self.max_queue {
                return Err(Refused::Busy);
            }
            let (tx, rx) = oneshot::channel();
            queue.push_back(tx);
            rx
        };
        match tokio::time::timeout(self.queue_timeout, rx).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(Refused::Busy),
        }
    }

    /// How many wait, by class: (returning, proven, others).
    pub fn waiting(&self) -> (usize, usize, usize) {
        let live =
            |q: &VecDeque<oneshot::Sender<Permit>>| q.iter().filter(|t| !t.is_closed()).count();
        self.state
            .lock()
            .map(|s| (live(&s.returning), live(&s.proven), live(&s.normal)))
            .unwrap_or((0, 0, 0))
    }

    /// True when an attempt had to wait for a worker within the last `hold`: the portal is
    /// under pressure, and new login pages ask for proof of work.
    pub fn under_pressure(&self, hold: Duration) -> bool {
        self.state
            .lock()
            .map(|s| s.last_wait.is_some_and(|t| t.elapsed() < hold))
            .unwrap_or(true)
    }

    fn release(self: &Arc<Self>) {
        let Ok(mut s) = self.state.lock() else {
            return;
        };
        loop {
            let next = s
                .returning
                .pop_front()
                .or_else(|| s.proven.pop_front())
                .or_else(|| s.normal.pop_front());
            let Some(next) = next else {
                s.free += 1;
                return;
            };
            let permit = Permit {
                admission: Some(self.clone()),
            };
            match next.send(permit) {
                Ok(()) => return,
                // That waiter went away: the permit comes back; disarm it (its release would
                // run again under this lock) and try the next waiter.
                Err(mut permit) => {
                    permit.admission = None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn returning_browsers_are_served_first() {
        let a = Admission::new(1, 10, Duration::from_secs(5));
        let held = a.try_acquire().unwrap();
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for (name, p) in [
            ("normal-1", Priority::Normal),
            ("proven", Priority::Proven),
            ("normal-2", Priority::Normal),
            ("returning", Priority::Returning),
        ] {
            let (a, order) = (a.clone(), order.clone());
            tasks.push(tokio::spawn(async move {
                let permit = a.acquire(p).await.unwrap();
                order.lock().unwrap().push(name);
                tokio::time::sleep(Duration::from_millis(5)).await;
                drop(permit);
            }));
            // Arrival order is the order above.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        drop(held);
        for t in tasks {
            t.await.unwrap();
        }
        assert_eq!(
            *order.lock().unwrap(),
            vec!["returning", "proven", "normal-1", "normal-2"]
        );
    }

    #[tokio::test]
    async fn a_full_queue_of_others_does_not_keep_returning_browsers_out() {
        let a = Admission::new(1, 2, Duration::from_secs(5));
        let held = a.try_acquire().unwrap();
        let w1 = tokio::spawn({
            let a = a.clone();
            async move { a.acquire(Priority::Normal).await.map(drop) }
        });
        let w2 = tokio::spawn({
            let a = a.clone();
            async move { a.acquire(Priority::Normal).await.map(drop) }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(a.acquire(Priority::Normal).await.err(), Some(Refused::Busy));
        let r = tokio::spawn({
            let a = a.clone();
            async move { a.acquire(Priority::Returning).await.map(drop) }
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert_eq!(a.waiting(), (1, 0, 2));
        drop(held);
        assert!(r.await.unwrap().is_ok());
        assert!(w1.await.unwrap().is_ok() && w2.await.unwrap().is_ok());
        assert_eq!(a.waiting(), (0, 0, 0));
    }

    #[tokio::test]
    async fn a_waiter_that_left_loses_nothing() {
        let a = Admission::new(1, 10, Duration::from_secs(5));
        let held = a.try_acquire().unwrap();
        // A waiter whose request is dropped (the client went away)...
        let _ = tokio::time::timeout(Duration::from_millis(20), a.acquire(Priority::Normal)).await;
        drop(held);
        // ...neither holds a place nor swallows the permit.
        assert_eq!(a.waiting(), (0, 0, 0));
        assert!(a.try_acquire().is_some());
    }

    #[tokio::test]
    async fn pressure_is_felt_only_after_a_wait() {
        let a = Admission::new(1, 10, Duration::from_millis(20));
        let held = a.try_acquire().unwrap();
        assert!(!a.under_pressure(Duration::from_secs(60)));
        let _ = a.acquire(Priority::Normal).await;
        assert!(a.under_pressure(Duration::from_secs(60)));
        assert!(!a.under_pressure(Duration::ZERO));
        drop(held);
    }

    #[tokio::test]
    async fn a_long_wait_is_refused() {
        let a = Admission::new(1, 10, Duration::from_millis(30));
        let _held = a.try_acquire().unwrap();
        assert_eq!(
            a.acquire(Priority::Returning).await.err(),
            Some(Refused::Busy)
        );
    }
}
