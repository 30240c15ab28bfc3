//! What both phases of one run share: the writer store and how to reach it,
//! the run's context and counters, how a phase ended, and the waits every
//! phase makes. Phases import this; only `engine.rs` imports the phases.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use super::options::{Channels, SyncOptions};
use crate::source::FetchError;
use crate::store::{Store, StoreError};

/// The writer store, shared between the engine's blocking writes.
pub type SharedStore = Arc<Mutex<Store>>;

/// Runs `f` on the writer connection on a blocking thread.
pub(crate) async fn with_store<T, F>(store: &SharedStore, f: F) -> Result<T, StoreError>
where
    T: Send + 'static,
    F: FnOnce(&mut Store) -> Result<T, StoreError> + Send + 'static,
{
    let store = store.clone();
    tokio::task::spawn_blocking(move || {
        let mut guard = store.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    })
    .await
    .unwrap_or_else(|join| std::panic::resume_unwind(join.into_panic()))
}

/// Why a run could not even finish its bookkeeping.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What both phases of one run work with.
pub(crate) struct RunContext<'a, S> {
    pub sources: &'a [S],
    pub store: &'a SharedStore,
    pub options: &'a SyncOptions,
    pub channels: &'a Channels,
    pub job_id: i64,
}

/// The run's one set of counters: phase 1 adds what it listed and the
/// whole matches it saved, phase 2 its answers. Progress, the job row and
/// the summary all read them here (ARCHITECTURE.md, "Progress wording").
#[derive(Debug, Default)]
pub(crate) struct RunCounters {
    pub ids_collected: u64,
    pub new_ids: u64,
    /// Summaries saved by this run's history calls (ARCHITECTURE.md, "Summaries").
    pub summaries: u64,
    pub capped: bool,
    /// Matches phase 2 settles: its queue, the whole matches phase 1
    /// saved (answers without a call) and those asked for during the run.
    pub total: u64,
    /// Matches saved, whole ones from phase 1 included.
    pub fetched: u64,
    /// Matches whose failure was written, one per match.
    pub failed: u64,
    pub server_errors: u64,
    pub given_up: u64,
    /// Failures that were not the match's fault (its row keeps its state).
    pub uncounted: u64,
    /// Each source's counts, by source index.
    pub sources: Vec<SourceCounts>,
    /// Matches whose failure this run recorded, so that a retry asked for
    /// during the run can take it back: the counters stay one per match.
    recorded: HashMap<i64, RecordedFailure>,
    /// Sources phase 1 dropped for the run (STRATZ unavailable): phase 2
    /// does not ask them.
    pub dropped: Vec<usize>,
    /// Phase 1's soft anomaly, if any (`collect.rs`): shown once, the run goes on.
    pub history_warning: Option<String>,
    /// Why each source was last found down, by source index: phase 1's
    /// exhausted history page, then phase 2's view (which replaces it).
    /// What the "API appears down" line names.
    pub outages: std::collections::BTreeMap<usize, FetchError>,
}

/// One source's counts in a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SourceCounts {
    /// Matches saved from this source, whole ones from phase 1 included.
    pub fetched: u64,
    /// Answers that failed (not matches: a match may fail at each source).
    pub failed: u64,
}

/// How one recorded failure entered the counters, so that it can leave them.
#[derive(Debug, Clone, Copy)]
struct RecordedFailure {
    server: bool,
    given_up: bool,
    counted: bool,
}

impl RunCounters {
    /// Source `index`'s counts, room made for it.
    pub fn source(&mut self, index: usize) -> &mut SourceCounts {
        if self.sources.len() <= index {
            self.sources.resize(index + 1, SourceCounts::default());
        }
        &mut self.sources[index]
    }

    /// `saved` matches saved from source `index`.
    pub fn record_saved(&mut self, index: usize, saved: u64) {
        self.fetched += saved;
        self.source(index).fetched += saved;
    }

    /// A failure written to `match_id`'s row: `server` an API-down one,
    /// `counted` the match's own fault, `given_up` its last attempt.
    pub fn record_failure(&mut self, match_id: i64, server: bool, given_up: bool, counted: bool) {
        let failure = RecordedFailure {
            server,
            given_up: given_up && counted,
            counted,
        };
        self.failed += 1;
        self.server_errors += u64::from(failure.server);
        self.given_up += u64::from(failure.given_up);
        self.uncounted += u64::from(!failure.counted);
        self.recorded.insert(match_id, failure);
    }

    /// `match_id` asked for again during the run: a failure it had is
    /// taken back, else it is new to the total. `processed` never passes
    /// `total`.
    pub fn ask_again(&mut self, match_id: i64) {
        match self.recorded.remove(&match_id) {
            Some(failure) => {
                self.failed -= 1;
                self.uncounted -= u64::from(!failure.counted);
                self.server_errors -= u64::from(failure.server);
                self.given_up -= u64::from(failure.given_up);
            }
            None => self.total += 1,
        }
    }
}

/// How a phase ended, when not normally.
#[derive(Debug)]
pub(crate) enum PhaseEnd {
    Finished,
    Stopped,
    ApiDown,
    Fatal(FetchError),
}

pub(crate) fn next_utc_midnight() -> chrono::DateTime<chrono::Utc> {
    let tomorrow = chrono::Utc::now().date_naive() + chrono::Days::new(1);
    tomorrow
        .and_hms_opt(0, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_else(chrono::Utc::now)
}

/// Sleeps, but wakes early when the run is stopped. Returns `false` if stopped.
pub(crate) async fn sleep_unless_cancelled(cancel: &CancellationToken, wait: Duration) -> bool {
    tokio::select! {
        _ = tokio::time::sleep(wait) => true,
        _ = cancel.cancelled() => false,
    }
}

/// Sleeps until `deadline`; with none, never wakes (a `select!` arm that is
/// off until there is something to wait for).
pub(crate) async fn sleep_until(deadline: Option<tokio::time::Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_asked_for_again_leaves_every_counter_it_entered() {
        let mut counters = RunCounters {
            total: 3,
            ..RunCounters::default()
        };
        counters.record_saved(1, 1);
        counters.record_failure(7, true, false, false);
        counters.record_failure(8, false, true, true);
        assert_eq!((counters.failed, counters.server_errors), (2, 1));
        assert_eq!((counters.given_up, counters.uncounted), (1, 1));
        counters.ask_again(7);
        counters.ask_again(8);
        assert_eq!(
            (counters.failed, counters.server_errors, counters.given_up),
            (0, 0, 0)
        );
        assert_eq!((counters.uncounted, counters.total), (0, 3));
        // A match with no failure recorded is new to the total.
        counters.ask_again(9);
        assert_eq!(counters.total, 4);
        assert_eq!(counters.fetched, 1);
        assert_eq!(
            counters.sources,
            [
                SourceCounts::default(),
                SourceCounts {
                    fetched: 1,
                    failed: 0
                }
            ]
        );
    }
}
