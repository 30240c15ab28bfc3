//! A recent rate of completions, in fixed memory: what the progress line's
//! matches per second and ETA are computed from.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Recent completions, for the rate and the ETA: a count per tenth of a
/// second over the last ten seconds, so that memory stays the same however
/// fast matches complete (a timestamp each took ~0.5 MB at 5,000 a second).
#[derive(Default)]
pub(super) struct Throughput {
    /// `(tick, completions in it)`, oldest first; ticks count tenths of a
    /// second from `origin`.
    ticks: VecDeque<(u64, u32)>,
    origin: Option<Instant>,
}

impl Throughput {
    const TICK: Duration = Duration::from_millis(100);
    /// Ten seconds.
    const SPAN_TICKS: u64 = 100;

    fn tick(&mut self, now: Instant) -> u64 {
        let origin = *self.origin.get_or_insert(now);
        (now.saturating_duration_since(origin).as_millis() / Self::TICK.as_millis()) as u64
    }

    pub(super) fn record(&mut self, now: Instant) {
        let tick = self.tick(now);
        match self.ticks.back_mut() {
            Some((last, count)) if *last == tick => *count += 1,
            _ => self.ticks.push_back((tick, 1)),
        }
        self.trim(tick);
    }

    fn trim(&mut self, tick: u64) {
        while self
            .ticks
            .front()
            .is_some_and(|(t, _)| t + Self::SPAN_TICKS <= tick)
        {
            self.ticks.pop_front();
        }
    }

    pub(super) fn per_second(&mut self, now: Instant) -> f64 {
        let tick = self.tick(now);
        self.trim(tick);
        let (Some(origin), Some(&(first, _))) = (self.origin, self.ticks.front()) else {
            return 0.0;
        };
        let since = origin + Self::TICK * first as u32;
        let span = now.saturating_duration_since(since).as_secs_f64().max(1.0);
        let completions: u64 = self.ticks.iter().map(|&(_, n)| u64::from(n)).sum();
        completions as f64 / span
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throughput_counts_the_last_ten_seconds_in_fixed_memory() {
        let start = Instant::now();
        let mut rate = Throughput::default();
        // 50,000 completions over two seconds, evenly.
        for i in 0..50_000u32 {
            rate.record(start + Duration::from_micros(u64::from(i) * 40));
        }
        let at = start + Duration::from_secs(2);
        let per_second = rate.per_second(at);
        assert!((24_000.0..=26_000.0).contains(&per_second), "{per_second}");
        assert!(
            rate.ticks.len() <= 21,
            "one count per tenth: {}",
            rate.ticks.len()
        );
        // At 11.5 s only the burst's last 0.4 s (10,000) is within ten
        // seconds, spread over the 9.9 s since it began.
        let later = start + Duration::from_millis(11_500);
        rate.record(later);
        let per_second = rate.per_second(later);
        assert!((950.0..=1_070.0).contains(&per_second), "{per_second}");
        // Nothing for ten seconds: no rate.
        assert_eq!(rate.per_second(start + Duration::from_secs(30)), 0.0);
    }
}
