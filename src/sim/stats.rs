//! Request counters: per endpoint and outcome, and the busiest second.

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// A snapshot of what the simulator has served since it started.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct SimStats {
    /// Requests received, all endpoints (not counting `/sim/stats`).
    pub total: u64,
    /// Endpoint name -> outcome ("ok", "500", "429", "timeout", ...) -> count.
    pub by_endpoint: BTreeMap<String, BTreeMap<String, u64>>,
    /// Most requests that arrived within any half-open window `[t, t+1s)`.
    pub peak_per_second: u64,
}

/// Keeps `SimStats` up to date as requests arrive and finish.
#[derive(Debug, Default)]
pub(crate) struct StatsRecorder {
    stats: SimStats,
    /// Arrival times within the last second, oldest first.
    recent: VecDeque<Instant>,
}

impl StatsRecorder {
    /// Counts a request arriving at `now` (callers pass non-decreasing times).
    pub(crate) fn arrived(&mut self, now: Instant) {
        self.stats.total += 1;
        // The busiest window can always be taken to end at an arrival: count
        // the arrivals in (now - 1s, now], i.e. drop those a full second old.
        while self
            .recent
            .front()
            .is_some_and(|first| now.saturating_duration_since(*first) >= Duration::from_secs(1))
        {
            self.recent.pop_front();
        }
        self.recent.push_back(now);
        self.stats.peak_per_second = self.stats.peak_per_second.max(self.recent.len() as u64);
    }

    pub(crate) fn finished(&mut self, endpoint: &str, outcome: &str) {
        *self
            .stats
            .by_endpoint
            .entry(endpoint.to_string())
            .or_default()
            .entry(outcome.to_string())
            .or_default() += 1;
    }

    pub(crate) fn snapshot(&self) -> SimStats {
        self.stats.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_counts_a_half_open_second() {
        let start = Instant::now();
        let mut recorder = StatsRecorder::default();
        for millis in [0, 100, 999, 1_000, 1_500] {
            recorder.arrived(start + Duration::from_millis(millis));
        }
        // [0, 1000) holds 3; [999, 1999) holds 999, 1000, 1500 = 3 as well; 1000 is not in [0, 1000).
        assert_eq!(recorder.snapshot().peak_per_second, 3);
        recorder.arrived(start + Duration::from_millis(1_600));
        assert_eq!(recorder.snapshot().peak_per_second, 4);
        assert_eq!(recorder.snapshot().total, 6);
    }

    #[test]
    fn outcomes_are_counted_per_endpoint() {
        let mut recorder = StatsRecorder::default();
        recorder.finished("od_match", "ok");
        recorder.finished("od_match", "ok");
        recorder.finished("od_match", "429");
        let stats = recorder.snapshot();
        assert_eq!(stats.by_endpoint["od_match"]["ok"], 2);
        assert_eq!(stats.by_endpoint["od_match"]["429"], 1);
    }
}
