//! The request pacer: every HTTP request a client sends is admitted here
//! first, so at most R requests start in any one-second window, bursts
//! included, whatever the client does internally (a probe and its fallback
//! are two requests). The rate drops after a 429 and recovers gradually;
//! governor does the pacing, this makes the rate adjustable at run time and
//! adds a gate the engine closes to pause or stop without sending more.

use std::num::NonZeroU32;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use tokio::sync::watch;

/// The lowest rate the limiter backs off to, requests per second.
pub const MIN_RATE: f64 = 0.05;

/// Spacing margin: requests are released a little slower than 1/R apart so
/// that network jitter between our send and the server's receipt cannot
/// put R+1 arrivals into one server-side second.
const SPACING_MARGIN: f64 = 1.01;

/// 429s closer together than this are one slow-down: the requests that were
/// in flight when the first one came back say nothing new.
const SLOW_DOWN_SPACING: Duration = Duration::from_secs(1);

pub struct Pacer {
    state: Mutex<PacerState>,
    /// Closed (`false`) while the run is paused, held by the breaker or
    /// stopping; waiters wake as soon as it closes.
    open: watch::Sender<bool>,
    /// Requests are admitted in the order they asked (tokio's mutex is
    /// fair): the match first in the queue is the first sent.
    turn: tokio::sync::Mutex<()>,
    /// Requests admitted since the last reset (the run's `requests`).
    admitted: std::sync::atomic::AtomicU64,
}

struct PacerState {
    ceiling: f64,
    rate: f64,
    /// `None`: no pacing (an unlimited rate).
    limiter: Option<Arc<DefaultDirectRateLimiter>>,
    successes_since_change: u32,
    last_slow_down: Option<Instant>,
    /// No request before this (the API said its window is spent).
    not_before: Option<Instant>,
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
            limiter: limiter_for(rate),
            successes_since_change: 0,
            last_slow_down: None,
            not_before: None,
        }
    }

    /// Moves to `rate`. The new limiter starts with its one token spent, as
    /// if a request had just gone: a change of rate never frees a request,
    /// so a stream of 429s cannot turn into a stream of instant retries.
    fn set_rate(&mut self, rate: f64) {
        self.rate = rate;
        self.limiter = limiter_for(rate);
        if let Some(limiter) = &self.limiter {
            let _ = limiter.check();
        }
        self.successes_since_change = 0;
    }
}

/// A limiter releasing one request every `1.01 / rate` seconds, burst one;
/// `None` when the rate is unlimited or too high to space (sub-nanosecond).
fn limiter_for(rate: f64) -> Option<Arc<DefaultDirectRateLimiter>> {
    if !rate.is_finite() {
        return None;
    }
    let period = Duration::from_secs_f64(SPACING_MARGIN / rate.max(MIN_RATE));
    // Burst of one: evenly spaced requests, so no window can hold more than R.
    let quota = Quota::with_period(period)?.allow_burst(NonZeroU32::MIN);
    Some(Arc::new(RateLimiter::direct(quota)))
}

impl Pacer {
    /// `rate`: requests per second; `f64::INFINITY` or 0 disables pacing.
    pub fn new(rate: f64) -> Pacer {
        Pacer {
            state: Mutex::new(PacerState::new(rate)),
            open: watch::Sender::new(true),
            turn: tokio::sync::Mutex::new(()),
            admitted: std::sync::atomic::AtomicU64::new(0),
        }
    }

    /// A fresh run: this ceiling, the gate open, the count at zero.
    pub fn reset(&self, rate: f64) {
        *self.lock() = PacerState::new(rate);
        self.admitted.store(0, std::sync::atomic::Ordering::Relaxed);
        self.set_open(true);
    }

    /// Requests admitted since the last reset.
    pub fn admitted(&self) -> u64 {
        self.admitted.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Sends nothing before `at` (an API's own count says its window is
    /// spent, e.g. OpenDota's `X-Rate-Limit-Remaining-Minute: 0`).
    pub fn hold_until(&self, at: Instant) {
        let mut state = self.lock();
        if state.not_before.is_none_or(|t| t < at) {
            state.not_before = Some(at);
        }
    }

    /// Opens or closes the gate; requests waiting for their turn see it at once.
    pub fn set_open(&self, open: bool) {
        self.open.send_if_modified(|current| {
            let changed = *current != open;
            *current = open;
            changed
        });
    }

    fn is_open(&self) -> bool {
        *self.open.borrow()
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
    /// closed, before or during the wait: the request must not be sent.
    /// However slow the rate, closing the gate ends every wait at once.
    pub async fn admit(&self) -> bool {
        let mut gate = self.open.subscribe();
        if !*gate.borrow_and_update() {
            return false;
        }
        let closed = async move {
            let _ = gate.wait_for(|open| !*open).await;
        };
        tokio::pin!(closed);
        let _turn = tokio::select! {
            turn = self.turn.lock() => turn,
            _ = &mut closed => return false,
        };
        let not_before = self.lock().not_before;
        if let Some(at) = not_before.filter(|at| *at > Instant::now()) {
            tokio::select! {
                _ = tokio::time::sleep_until(at.into()) => {}
                _ = &mut closed => return false,
            }
        }
        let limiter = self.lock().limiter.clone();
        if let Some(limiter) = limiter {
            tokio::select! {
                _ = limiter.until_ready() => {}
                _ = &mut closed => return false,
            }
        }
        let open = self.is_open();
        if open {
            self.admitted
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        open
    }

    /// A 429: halve the rate (never below `MIN_RATE`), once for a burst of
    /// them. Returns the rate now in force.
    pub fn slow_down(&self) -> f64 {
        let mut state = self.lock();
        let now = Instant::now();
        if state
            .last_slow_down
            .is_some_and(|at| now.duration_since(at) < SLOW_DOWN_SPACING)
        {
            return state.rate;
        }
        let current = if state.rate.is_finite() {
            state.rate
        } else {
            50.0
        };
        let rate = (current / 2.0).max(MIN_RATE);
        state.set_rate(rate);
        state.last_slow_down = Some(now);
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
            state.set_rate(rate);
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

    /// A 429 more than a second after the last one counts as a new one.
    fn later_slow_down(pacer: &Pacer) -> f64 {
        pacer.lock().last_slow_down = None;
        pacer.slow_down()
    }

    #[test]
    fn slowing_down_halves_and_recovers_to_the_ceiling() {
        let pacer = Pacer::new(8.0);
        assert_eq!(pacer.slow_down(), 4.0);
        assert_eq!(later_slow_down(&pacer), 2.0);
        for _ in 0..10_000 {
            pacer.record_success();
        }
        assert_eq!(pacer.rate(), 8.0);
    }

    #[test]
    fn never_below_the_floor() {
        let pacer = Pacer::new(0.1);
        for _ in 0..10 {
            later_slow_down(&pacer);
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

    #[test]
    fn a_burst_of_429s_is_one_slow_down() {
        let pacer = Pacer::new(8.0);
        for _ in 0..8 {
            pacer.slow_down();
        }
        assert_eq!(pacer.rate(), 4.0);
    }

    #[tokio::test]
    async fn a_slow_down_frees_no_request() {
        // The old bug: each 429 built a limiter whose first token was free,
        // so a 429 storm with `Retry-After: 0` became an instant-retry storm.
        let pacer = Pacer::new(4.0);
        assert!(pacer.admit().await);
        let start = std::time::Instant::now();
        let mut sent = 0;
        while start.elapsed() < Duration::from_millis(600) {
            later_slow_down(&pacer);
            if tokio::time::timeout(Duration::from_millis(20), pacer.admit())
                .await
                .unwrap_or(false)
            {
                sent += 1;
            }
        }
        assert!(
            sent <= 1,
            "{sent} requests admitted in 0.6 s after slow-downs"
        );
    }

    #[tokio::test]
    async fn closing_the_gate_ends_a_slow_wait_at_once() {
        let pacer = Arc::new(Pacer::new(MIN_RATE));
        assert!(pacer.admit().await);
        let waiter = tokio::spawn({
            let pacer = Arc::clone(&pacer);
            async move { pacer.admit().await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let closed_at = std::time::Instant::now();
        pacer.set_open(false);
        let admitted = tokio::time::timeout(Duration::from_secs(1), waiter)
            .await
            .expect("the wait ends promptly")
            .unwrap();
        assert!(!admitted);
        assert!(closed_at.elapsed() < Duration::from_millis(200));
    }

    #[tokio::test]
    async fn requests_are_admitted_in_the_order_they_asked() {
        let pacer = Arc::new(Pacer::new(50.0));
        let order = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for i in 0..6 {
            let (pacer, order) = (Arc::clone(&pacer), Arc::clone(&order));
            tasks.push(tokio::spawn(async move {
                assert!(pacer.admit().await);
                order.lock().unwrap().push(i);
            }));
            // Each asks after the previous one is queued.
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![0, 1, 2, 3, 4, 5]);
    }

    #[tokio::test]
    async fn a_rate_too_high_to_space_is_unlimited_not_one_per_second() {
        let pacer = Pacer::new(1e12);
        let start = std::time::Instant::now();
        for _ in 0..100 {
            assert!(pacer.admit().await);
        }
        assert!(start.elapsed() < Duration::from_millis(500));
    }
}
