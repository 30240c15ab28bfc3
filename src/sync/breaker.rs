//! The circuit breaker: after several server or transport errors in a row the
//! API is treated as down; phase 2 pauses with exponential backoff and
//! jitter, and the run ends after a bounded total wait.

use std::time::Duration;

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
    waited: Duration,
    backoff: Box<dyn Iterator<Item = Duration> + Send>,
}

/// What to do after an outage error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Keep going.
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
            waited: Duration::ZERO,
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
        if self.consecutive > 0 || self.waited > Duration::ZERO {
            self.consecutive = 0;
            self.waited = Duration::ZERO;
            self.backoff = Box::new(Self::fresh_backoff(&self.policy));
        }
    }

    /// A server or transport error.
    pub fn record_outage(&mut self) -> Verdict {
        self.consecutive += 1;
        if self.consecutive < self.policy.threshold {
            return Verdict::Continue;
        }
        if self.waited >= self.policy.give_up_after {
            return Verdict::GiveUp;
        }
        let wait = self
            .backoff
            .next()
            .unwrap_or(self.policy.max_wait)
            .min(self.policy.give_up_after - self.waited);
        self.waited += wait;
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

    #[test]
    fn opens_after_threshold_and_gives_up_after_bounded_wait() {
        let mut breaker = Breaker::new(policy());
        assert_eq!(breaker.record_outage(), Verdict::Continue);
        assert_eq!(breaker.record_outage(), Verdict::Continue);
        let mut total = Duration::ZERO;
        loop {
            match breaker.record_outage() {
                Verdict::Wait(d) => {
                    assert!(d <= Duration::from_millis(800), "{d:?}");
                    total += d;
                }
                Verdict::GiveUp => break,
                Verdict::Continue => panic!("stays open"),
            }
        }
        assert_eq!(total, Duration::from_millis(1000));
    }

    #[test]
    fn a_success_closes_it() {
        let mut breaker = Breaker::new(policy());
        breaker.record_outage();
        breaker.record_outage();
        breaker.record_success();
        assert_eq!(breaker.record_outage(), Verdict::Continue);
    }
}
