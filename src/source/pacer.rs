//! The request pacer: every HTTP request a client sends is admitted here
//! first, so at most R requests start in any one-second window, bursts
//! included, whatever the client does internally (a probe and its fallback
//! are two requests). The rate drops after a 429 and recovers gradually;
//! governor does the pacing, this makes the rate adjustable at run time and
//! adds a gate the engine closes to pause or stop without sending more.

use std::num::NonZeroU32;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// The lowest rate the limiter backs off to, requests per second.
pub const MIN_RATE: f64 = 0.05;

/// Spacing margin: requests are released a little slower than 1/R apart so
/// that network jitter between our send and the server's receipt cannot
/// put R+1 arrivals into one server-side second.
const SPACING_MARGIN: f64 = 1.01;

pub struct Pacer {
    state: Mutex<PacerState>,
    /// Closed while the run is paused, held by the breaker or stopping.
    open: AtomicBool,
}

struct PacerState {
    ceiling: f64,
    rate: f64,
    limiter: Arc<DefaultDirectRateLimiter>,
    successes_since_change: u32,
}

impl PacerState {
    fn new(rate: f64) -> PacerState {
        let rate = if rate.is_finite() && rate > 0.0 {
            rate
        } else {
            f64::INFINITY
        };
        PacerState {
            ceiling: rate,
            rate,
            limiter: limiter_for(if rate.is_finite() { rate } else { 1.0 }),
            successes_since_change: 0,
        }
    }
}

fn limiter_for(rate: f64) -> Arc<DefaultDirectRateLimiter> {
    let period = Duration::from_secs_f64(SPACING_MARGIN / rate.max(MIN_RATE));
    // Burst of one: evenly spaced requests, so no window can hold more than R.
    let quota = Quota::with_period(period)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(NonZeroU32::MIN);
    Arc::new(RateLimiter::direct(quota))
}

impl Pacer {
    /// `rate`: requests per second; `f64::INFINITY` or 0 disables pacing.
    pub fn new(rate: f64) -> Pacer {
        Pacer {
            state: Mutex::new(PacerState::new(rate)),
            open: AtomicBool::new(true),
        }
    }

    /// A fresh run: this ceiling, the gate open.
    pub fn reset(&self, rate: f64) {
        *self.lock() = PacerState::new(rate);
        self.set_open(true);
    }

    /// Opens or closes the gate; requests waiting for their turn see it.
    pub fn set_open(&self, open: bool) {
        self.open.store(open, Ordering::SeqCst);
    }

    pub fn rate(&self) -> f64 {
        self.lock().rate
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PacerState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Waits until one more request may start; `false` when the gate is
    /// closed, before or after the wait: the request must not be sent.
    pub async fn admit(&self) -> bool {
        if !self.open.load(Ordering::SeqCst) {
            return false;
        }
        let (rate, limiter) = {
            let state = self.lock();
            (state.rate, state.limiter.clone())
        };
        if rate.is_finite() {
            limiter.until_ready().await;
        }
        self.open.load(Ordering::SeqCst)
    }

    /// A 429: halve the rate (never below `MIN_RATE`). Returns the new rate.
    pub fn slow_down(&self) -> f64 {
        let mut state = self.lock();
        let current = if state.rate.is_finite() {
            state.rate
        } else {
            50.0
        };
        let rate = (current / 2.0).max(MIN_RATE);
        state.rate = rate;
        state.limiter = limiter_for(rate);
        state.successes_since_change = 0;
        rate
    }

    /// A success: after a run of them, creep back up by a quarter toward the ceiling.
    pub fn record_success(&self) {
        let mut state = self.lock();
        if state.rate >= state.ceiling {
            return;
        }
        state.successes_since_change += 1;
        // About three seconds of successes at the current rate per step up.
        let needed = (state.rate * 3.0).ceil().max(5.0) as u32;
        if state.successes_since_change >= needed {
            let rate = (state.rate * 1.25).min(state.ceiling);
            state.rate = rate;
            state.limiter = limiter_for(if rate.is_finite() { rate } else { 1.0 });
            state.successes_since_change = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_closed_gate_admits_nothing() {
        let pacer = Pacer::new(1000.0);
        pacer.set_open(false);
        assert!(!pacer.admit().await);
        pacer.reset(5.0);
        assert!(pacer.admit().await);
    }

    #[test]
    fn slowing_down_halves_and_recovers_to_the_ceiling() {
        let pacer = Pacer::new(8.0);
        assert_eq!(pacer.slow_down(), 4.0);
        assert_eq!(pacer.slow_down(), 2.0);
        for _ in 0..10_000 {
            pacer.record_success();
        }
        assert_eq!(pacer.rate(), 8.0);
    }

    #[test]
    fn never_below_the_floor() {
        let pacer = Pacer::new(0.1);
        for _ in 0..10 {
            pacer.slow_down();
        }
        assert_eq!(pacer.rate(), MIN_RATE);
    }

    #[tokio::test]
    async fn spaces_requests_evenly() {
        let pacer = Pacer::new(20.0);
        let start = std::time::Instant::now();
        for _ in 0..11 {
            assert!(pacer.admit().await);
        }
        // 11 requests at 20/s: the 11th cannot start before 0.5 s.
        assert!(
            start.elapsed() >= Duration::from_millis(495),
            "{:?}",
            start.elapsed()
        );
    }
}
