//! The state every request of the simulator shares: the dataset, the
//! answer cache, the running fault plan and the counters.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::body_cache::BodyCache;
use super::dataset::Dataset;
use super::fault_state::{FaultState, NamesScript};
use super::faults::DetailOutcome;
use super::stats::StatsRecorder;
use super::stratz_state::StratzState;

/// Shared by every request.
pub(crate) struct SimState {
    pub dataset: Arc<Dataset>,
    pub bodies: BodyCache,
    pub required_key: Option<String>,
    pub get_match_details_works: bool,
    pub history_cap: usize,
    /// From the fault plan, fixed for the server's life.
    pub sequence_skips_immortal_draft: bool,
    pub opendota_lacks: f64,
    /// How player-name requests are answered, and how many came so far.
    pub names: NamesScript,
    /// STRATZ's plan and windows (`stratz_routes`).
    pub stratz: StratzState,
    pub(super) faults: Mutex<FaultState>,
    pub(super) stats: Mutex<StatsRecorder>,
}

/// A poisoned lock only means another request panicked mid-update; the
/// counters are still usable, so carry on with them.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SimState {
    /// The outcome for a detail request, and how long a timeout hangs.
    pub(crate) fn detail_outcome(&self, match_id: Option<i64>) -> (DetailOutcome, Duration) {
        let mut faults = lock(&self.faults);
        (faults.detail_outcome(match_id), faults.timeout())
    }

    /// How long a simulated timeout hangs.
    pub(crate) fn timeout(&self) -> Duration {
        lock(&self.faults).timeout()
    }

    /// Counts a request served outside [`handle`] (STRATZ's `POST /graphql`).
    pub(crate) fn count_arrival(&self, endpoint: &'static str, api: &'static str) {
        lock(&self.stats).arrived(Instant::now(), endpoint, api);
    }

    pub(crate) fn count_finished(&self, endpoint: &str, outcome: &str) {
        lock(&self.stats).finished(endpoint, outcome);
    }

    /// Whether OpenDota has no such match (see `FaultPlan::opendota_lacks`).
    pub(crate) fn opendota_lacks(&self, match_id: i64) -> bool {
        self.dataset
            .lacked_by_opendota(match_id, self.opendota_lacks)
    }
}
