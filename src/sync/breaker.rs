//! The circuit breaker: after several server or transport errors in a row the
//! API is treated as down; phase 2 pauses with exponential backoff and
//! jitter, and the run ends after a bounded total wait.

use std::time::{Duration, Instant};

use backon::{BackoffBuilder, ExponentialBuilder};

/// When the breaker trips and how long it waits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BreakerPolicy {
    /// Consecutive outage errors that open the breaker.
    pub threshold: u32,
    pub first_wait: Duration,
    pub max_wait: Duration,
    /// Total time to wait for the API before ending the run.
    pub give_up_after: Duration,
}

impl Default for BreakerPolicy {
    fn default() -> Self {
        BreakerPolicy {
            threshold: 5,
            first_wait: Duration::from_secs(5),
            max_wait: Duration::from_secs(120),
            give_up_after: Duration::from_secs(15 * 60),
        }
    }
}

pub struct Breaker {
    policy: BreakerPolicy,
    consecutive: u32,
    /// While open: when sending may start again. Failures of requests that
    /// were already in flight when it opened add no further wait.
    open_until: Option<Instant>,
    /// When it first opened since the API last answered: the give-up clock
    /// is wall time from here, however many failures arrive meanwhile.
    down_since: Option<Instant>,
    backoff: Box<dyn Iterator<Item = Duration> + Send>,
}

/// What to do after an outage error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Keep going (or keep to the wait already in force).
    Continue,
    /// Open: wait this long before sending more.
    Wait(Duration),
    /// Waited long enough: end the run.
    GiveUp,
}

impl Breaker {
    pub fn new(policy: BreakerPolicy) -> Breaker {
        Breaker {
            policy,
            consecutive: 0,
            open_until: None,
            down_since: None,
            backoff: Box::new(Self::fresh_backoff(&policy)),
        }
    }

    fn fresh_backoff(policy: &BreakerPolicy) -> impl Iterator<Item = Duration> + Send + use<> {
        ExponentialBuilder::default()
            .with_min_delay(policy.first_wait)
            .with_max_delay(policy.max_wait)
            .with_factor(2.0)
            .with_jitter()
            .without_max_times()
            .build()
    }

    /// A request succeeded (or failed for a reason of its own): the API is up.
    pub fn record_success(&mut self) {
        if self.consecutive > 0 || self.down_since.is_some() {
            self.consecutive = 0;
            self.open_until = None;
            self.down_since = None;
            self.backoff = Box::new(Self::fresh_backoff(&self.policy));
        }
    }

    /// A server or transport error (or a 429: a source that only ever
    /// answers 429 is as unusable as one that is down), seen at `now`.
    pub fn record_outage(&mut self, now: Instant) -> Verdict {
        self.consecutive += 1;
        if self.open_until.is_some_and(|until| now < until) {
            return Verdict::Continue;
        }
        if self.consecutive < self.policy.threshold {
            return Verdict::Continue;
        }
        let down_since = *self.down_since.get_or_insert(now);
        let down_for = now.saturating_duration_since(down_since);
        if down_for >= self.policy.give_up_after {
            return Verdict::GiveUp;
        }
        let wait = self
            .backoff
            .next()
            .unwrap_or(self.policy.max_wait)
            .min(self.policy.give_up_after - down_for);
        self.open_until = now.checked_add(wait);
        // Each further error after the wait re-opens at once.
        self.consecutive = self.policy.threshold - 1;
        Verdict::Wait(wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> BreakerPolicy {
        BreakerPolicy {
            threshold: 3,
            first_wait: Duration::from_millis(100),
            max_wait: Duration::from_millis(400),
            give_up_after: Duration::from_millis(1000),
        }
    }

    /// Drives the breaker as phase 2 does: after each wait, the next
    /// outage comes when the wait is over.
    #[test]
    fn opens_after_threshold_and_gives_up_after_bounded_wall_time() {
        let start = Instant::now();
        let mut now = start;
        let mut breaker = Breaker::new(policy());
        assert_eq!(breaker.record_outage(now), Verdict::Continue);
        assert_eq!(breaker.record_outage(now), Verdict::Continue);
        let mut total = Duration::ZERO;
        loop {
            match breaker.record_outage(now) {
                Verdict::Wait(d) => {
                    assert!(d <= Duration::from_millis(800), "{d:?}");
                    total += d;
                    now += d;
                }
                Verdict::GiveUp => break,
                Verdict::Continue => panic!("stays open"),
            }
        }
        assert_eq!(total, Duration::from_millis(1000));
        assert_eq!(now - start, Duration::from_millis(1000));
    }

    #[test]
    fn failures_during_a_wait_add_nothing() {
        // The old bug: 8 requests in flight failing together each added their
        // backoff, so the breaker "waited" 15 minutes in a few real ones.
        let start = Instant::now();
        let mut breaker = Breaker::new(policy());
        breaker.record_outage(start);
        breaker.record_outage(start);
        let Verdict::Wait(first) = breaker.record_outage(start) else {
            panic!("opens at the threshold");
        };
        for _ in 0..20 {
            assert_eq!(breaker.record_outage(start), Verdict::Continue);
        }
        // After the wait, the next failure re-opens with the next backoff,
        // and give-up still needs the full wall time.
        let later = start + first;
        assert!(matches!(breaker.record_outage(later), Verdict::Wait(_)));
        assert_ne!(
            breaker.record_outage(start + Duration::from_millis(999)),
            Verdict::GiveUp
        );
        assert_eq!(
            breaker.record_outage(start + Duration::from_millis(1000)),
            Verdict::GiveUp
        );
    }

    #[test]
    fn a_success_closes_it() {
        let now = Instant::now();
        let mut breaker = Breaker::new(policy());
        breaker.record_outage(now);
        breaker.record_outage(now);
        breaker.record_success();
        assert_eq!(breaker.record_outage(now), Verdict::Continue);
    }
}
