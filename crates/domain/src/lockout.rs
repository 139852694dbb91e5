//! Lockout — when an entered ID stops accepting password attempts.
//!
//! Failures are counted per *entered* ID (existing or not), so the lock answer reveals nothing
//! about which accounts exist. Every attempt is counted *before* its password is checked
//! ("reserve, then verify"): the attempt that reaches the threshold locks the ID at once, so
//! parallel attempts can never get more than `threshold` guesses through. A success wipes the
//! state. Locks grow with each repeat (doubling) and are capped; after
//! [`LockoutPolicy::max_consecutive`] failures without a success the ID stays locked until it is
//! unlocked (NIST SP 800-63B §3.2.2: no more than 100 consecutive failed attempts).

use std::time::Duration;

use crate::clock::Timestamp;

/// The lock policy, from configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failed attempts in a row that lock the ID (`lockout.threshold`).
    pub threshold: u32,
    /// The first lock's length (`lockout.duration`); each further lock doubles it.
    pub duration: Duration,
    /// No single lock lasts longer than this.
    pub max_duration: Duration,
    /// After this many failures without a success the lock does not end by itself.
    pub max_consecutive: u32,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        LockoutPolicy {
            threshold: 5,
            duration: Duration::from_secs(30 * 60),
            max_duration: Duration::from_secs(24 * 60 * 60),
            max_consecutive: 100,
        }
    }
}

/// The stored lock state of one entered ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GuardState {
    /// Checked failures since the last lock ended (or the last success).
    pub failures: u32,
    /// Checked failures since the last success; bounded by `max_consecutive`.
    pub consecutive: u32,
    /// Locks since the last success; drives the growth of the lock time.
    pub locks: u32,
    /// The ID is locked until this time (exclusive); `None` when not locked.
    pub locked_until: Option<Timestamp>,
    /// Attempts refused without a password check because the ID was locked.
    pub refused: u64,
}

/// A lock that never ends by itself (only an unlock ends it).
pub const LOCKED_FOREVER: Timestamp = Timestamp(i64::MAX);

/// What to do with an attempt, decided before its password is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttemptDecision {
    /// Check the password. The attempt already counts as a failure; a success settles it.
    /// `locks_until` is set when this very attempt reached the threshold and locked the ID;
    /// `ticket` is the consecutive-failure count this attempt made (see
    /// [`LockoutPolicy::after_success`]).
    Proceed {
        locks_until: Option<Timestamp>,
        ticket: u32,
    },
    /// The ID is locked until `until`: refuse without checking the password.
    Locked { until: Timestamp },
}

impl GuardState {
    pub fn is_locked(&self, now: Timestamp) -> bool {
        self.locked_until.is_some_and(|u| u > now)
    }
}

impl LockoutPolicy {
    /// Reserves one attempt at `now`: returns the new state to store and the decision.
    pub fn begin_attempt(
        &self,
        state: GuardState,
        now: Timestamp,
    ) -> (GuardState, AttemptDecision) {
        let mut s = state;
        if let Some(until) = s.locked_until {
            if until > now {
                s.refused = s.refused.saturating_add(1);
                return (s, AttemptDecision::Locked { until });
            }
            // The lock has ended by itself: a fresh round of attempts, but locks keep growing.
            s.locked_until = None;
            s.failures = 0;
        }
        s.failures = s.failures.saturating_add(1);
        s.consecutive = s.consecutive.saturating_add(1);
        let mut locks_until = None;
        if s.consecutive >= self.max_consecutive {
            s.locks = s.locks.saturating_add(1);
            locks_until = Some(LOCKED_FOREVER);
        } else if s.failures >= self.threshold.max(1) {
            s.locks = s.locks.saturating_add(1);
            locks_until = Some(now.plus(self.lock_length(s.locks)));
        }
        s.locked_until = locks_until;
        let ticket = s.consecutive;
        (
            s,
            AttemptDecision::Proceed {
                locks_until,
                ticket,
            },
        )
    }

    /// The length of the `n`-th lock in a row (n ≥ 1): `duration · 2^(n-1)`, capped. Computed
    /// with saturating arithmetic so that no number of locks can overflow into a short lock.
    pub fn lock_length(&self, n: u32) -> Duration {
        let doublings = n.saturating_sub(1).min(63);
        let factor = 1u64 << doublings;
        let ms = u64::try_from(self.duration.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(ms.saturating_mul(factor)).min(self.max_duration)
    }

    /// The state after the attempt holding `ticket` succeeded. When no other attempt was
    /// counted since, everything is forgotten (`None`: nothing to store). When others were
    /// counted meanwhile (parallel guesses), only this attempt's own failure is taken back, so
    /// their failures and any lock they caused stand: a success never erases someone else's
    /// failures.
    pub fn after_success(&self, state: GuardState, ticket: u32) -> Option<GuardState> {
        if state.consecutive <= ticket {
            return None;
        }
        let mut s = state;
        s.failures = s.failures.saturating_sub(1);
        s.consecutive = s.consecutive.saturating_sub(1);
        Some(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    fn policy() -> LockoutPolicy {
        LockoutPolicy {
            threshold: 3,
            duration: 10 * MIN,
            max_duration: 24 * 60 * MIN,
            max_consecutive: 100,
        }
    }

    fn fail(p: &LockoutPolicy, s: GuardState, now: Timestamp) -> (GuardState, AttemptDecision) {
        p.begin_attempt(s, now)
    }

    #[test]
    fn locks_exactly_at_threshold() {
        let p = policy();
        let now = Timestamp(1_000_000);
        let (s, d) = fail(&p, GuardState::default(), now);
        assert_eq!(
            d,
            AttemptDecision::Proceed {
                locks_until: None,
                ticket: 1
            }
        );
        let (s, d) = fail(&p, s, now);
        assert_eq!(
            d,
            AttemptDecision::Proceed {
                locks_until: None,
                ticket: 2
            }
        );
        let (s, d) = fail(&p, s, now);
        let until = now.plus(10 * MIN);
        assert_eq!(
            d,
            AttemptDecision::Proceed {
                locks_until: Some(until),
                ticket: 3
            }
        );
        assert!(s.is_locked(now));
        let (s, d) = fail(&p, s, now);
        assert_eq!(d, AttemptDecision::Locked { until });
        assert_eq!(s.failures, 3);
        assert_eq!(s.refused, 1);
    }

    #[test]
    fn lock_ends_by_itself_and_grows_on_repeat() {
        let p = policy();
        let mut now = Timestamp(0);
        let mut s = GuardState::default();
        let mut lengths = Vec::new();
        for _ in 0..9 {
            let mut until = None;
            for _ in 0..3 {
                let (ns, d) = fail(&p, s, now);
                s = ns;
                if let AttemptDecision::Proceed {
                    locks_until: Some(u),
                    ..
                } = d
                {
                    until = Some(u);
                }
            }
            let until = until.expect("locked");
            lengths.push((until.0 - now.0) / 60_000);
            // Still locked one millisecond before the end, free at the end.
            assert!(s.is_locked(Timestamp(until.0 - 1)));
            assert!(!s.is_locked(until));
            now = until;
        }
        assert_eq!(lengths, vec![10, 20, 40, 80, 160, 320, 640, 1280, 1440]);
    }

    fn ticket(d: AttemptDecision) -> u32 {
        match d {
            AttemptDecision::Proceed { ticket, .. } => ticket,
            AttemptDecision::Locked { .. } => panic!("locked"),
        }
    }

    #[test]
    fn success_resets_everything() {
        let p = policy();
        let (s, _) = fail(&p, GuardState::default(), Timestamp(0));
        let (s, d) = fail(&p, s, Timestamp(0));
        assert_eq!(s.failures, 2);
        assert_eq!(p.after_success(s, ticket(d)), None);
    }

    #[test]
    fn success_does_not_erase_parallel_failures() {
        let p = policy();
        let now = Timestamp(0);
        // The owner's attempt is reserved first; two parallel guesses follow and lock the ID.
        let (s, mine) = fail(&p, GuardState::default(), now);
        let (s, _) = fail(&p, s, now);
        let (s, _) = fail(&p, s, now);
        assert!(s.is_locked(now));
        let after = p
            .after_success(s, ticket(mine))
            .expect("others' failures stay");
        assert_eq!(after.consecutive, 2);
        assert!(after.is_locked(now), "their lock stands");
    }

    #[test]
    fn growth_never_overflows() {
        let p = LockoutPolicy {
            duration: Duration::from_secs(u64::MAX / 2),
            ..policy()
        };
        for n in [1, 2, 30, 63, 64, 65, 1000, u32::MAX] {
            assert!(p.lock_length(n) <= p.max_duration);
            assert!(p.lock_length(n) > Duration::ZERO);
        }
        let q = policy();
        assert_eq!(q.lock_length(u32::MAX), q.max_duration);
    }

    #[test]
    fn hundred_consecutive_failures_lock_until_unlocked() {
        let p = LockoutPolicy {
            threshold: 5,
            max_consecutive: 100,
            ..policy()
        };
        let mut s = GuardState::default();
        let mut now = Timestamp(0);
        let mut checked = 0;
        loop {
            let (ns, d) = fail(&p, s, now);
            s = ns;
            match d {
                AttemptDecision::Proceed { locks_until, .. } => {
                    checked += 1;
                    if locks_until == Some(LOCKED_FOREVER) {
                        break;
                    }
                }
                AttemptDecision::Locked { until } => now = until,
            }
            assert!(checked <= 100);
        }
        assert_eq!(checked, 100);
        assert!(s.is_locked(Timestamp(i64::MAX - 1)));
    }
}
