//! Request counters: per endpoint and outcome, per API, and the busiest
//! second of each.

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
    /// The same peak for each endpoint on its own.
    #[serde(default)]
    pub peak_per_second_by_endpoint: BTreeMap<String, u64>,
    /// Per API ("steam", "opendota"; "other" for unknown paths): how busy
    /// each source was, and when.
    #[serde(default)]
    pub by_api: BTreeMap<String, ApiStats>,
}

/// One API's share of the traffic.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct ApiStats {
    pub requests: u64,
    /// Most of this API's requests within any one-second window.
    pub peak_per_second: u64,
    /// First and last arrival, in ms since the server started: two APIs
    /// whose spans overlap were busy at the same time.
    pub first_ms: u64,
    pub last_ms: u64,
}

/// Arrival times within the last second, oldest first, and the most seen.
#[derive(Debug, Default)]
struct PeakWindow {
    recent: VecDeque<Instant>,
    peak: u64,
}

impl PeakWindow {
    /// Counts an arrival at `now` (callers pass non-decreasing times).
    fn arrived(&mut self, now: Instant) -> u64 {
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
        self.peak = self.peak.max(self.recent.len() as u64);
        self.peak
    }
}

/// Keeps `SimStats` up to date as requests arrive and finish.
#[derive(Debug)]
pub(crate) struct StatsRecorder {
    stats: SimStats,
    started: Instant,
    all: PeakWindow,
    per_endpoint: BTreeMap<&'static str, PeakWindow>,
    per_api: BTreeMap<&'static str, PeakWindow>,
}

impl Default for StatsRecorder {
    fn default() -> StatsRecorder {
        StatsRecorder::new(Instant::now())
    }
}

impl StatsRecorder {
    pub(crate) fn new(started: Instant) -> StatsRecorder {
        StatsRecorder {
            stats: SimStats::default(),
            started,
            all: PeakWindow::default(),
            per_endpoint: BTreeMap::new(),
            per_api: BTreeMap::new(),
        }
    }

    /// Counts a request to `endpoint` of `api` arriving at `now` (callers
    /// pass non-decreasing times).
    pub(crate) fn arrived(&mut self, now: Instant, endpoint: &'static str, api: &'static str) {
        self.stats.total += 1;
        self.stats.peak_per_second = self.all.arrived(now);
        let peak = self.per_endpoint.entry(endpoint).or_default().arrived(now);
        // Look up before inserting: no String is built for a known name.
        match self.stats.peak_per_second_by_endpoint.get_mut(endpoint) {
            Some(stored) => *stored = peak,
            None => {
                self.stats
                    .peak_per_second_by_endpoint
                    .insert(endpoint.to_string(), peak);
            }
        }
        let peak = self.per_api.entry(api).or_default().arrived(now);
        let at_ms = now.saturating_duration_since(self.started).as_millis() as u64;
        if !self.stats.by_api.contains_key(api) {
            let first = ApiStats {
                first_ms: at_ms,
                ..ApiStats::default()
            };
            self.stats.by_api.insert(api.to_string(), first);
        }
        if let Some(api_stats) = self.stats.by_api.get_mut(api) {
            api_stats.requests += 1;
            api_stats.peak_per_second = peak;
            api_stats.last_ms = at_ms;
        }
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
            recorder.arrived(
                start + Duration::from_millis(millis),
                "od_match",
                "opendota",
            );
        }
        // [0, 1000) holds 3; [999, 1999) holds 999, 1000, 1500 = 3 as well; 1000 is not in [0, 1000).
        assert_eq!(recorder.snapshot().peak_per_second, 3);
        recorder.arrived(start + Duration::from_millis(1_600), "od_match", "opendota");
        assert_eq!(recorder.snapshot().peak_per_second, 4);
        assert_eq!(recorder.snapshot().total, 6);
    }

    #[test]
    fn peaks_and_spans_per_endpoint_and_api() {
        let start = Instant::now();
        let mut recorder = StatsRecorder::new(start);
        let at = |ms| start + Duration::from_millis(ms);
        recorder.arrived(at(100), "GetMatchHistoryBySequenceNum", "steam");
        recorder.arrived(at(200), "od_match", "opendota");
        recorder.arrived(at(300), "od_match", "opendota");
        recorder.arrived(at(400), "GetMatchHistoryBySequenceNum", "steam");
        recorder.arrived(at(1_500), "GetMatchHistoryBySequenceNum", "steam");
        let stats = recorder.snapshot();
        assert_eq!(stats.peak_per_second, 4);
        assert_eq!(stats.peak_per_second_by_endpoint["od_match"], 2);
        assert_eq!(
            stats.peak_per_second_by_endpoint["GetMatchHistoryBySequenceNum"],
            2
        );
        let steam = &stats.by_api["steam"];
        assert_eq!(
            (
                steam.requests,
                steam.peak_per_second,
                steam.first_ms,
                steam.last_ms
            ),
            (3, 2, 100, 1_500)
        );
        let opendota = &stats.by_api["opendota"];
        assert_eq!(
            (opendota.requests, opendota.first_ms, opendota.last_ms),
            (2, 200, 300)
        );
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
