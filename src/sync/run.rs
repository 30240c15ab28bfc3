//! What both phases of one run share: the writer store and how to reach it,
//! the run's context and counters, how a phase ended, and the waits every
//! phase makes. Phases import this; only `engine.rs` imports the phases.

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

/// Per-run counters shared by both phases.
#[derive(Debug, Default)]
pub(crate) struct RunCounters {
    /// `(fetched, failed)` per source, once phase 2 is over.
    pub per_source: Vec<(u64, u64)>,
    pub ids_collected: u64,
    pub new_ids: u64,
    /// Summaries saved by this run's history calls (ARCHITECTURE.md, "Summaries").
    pub summaries: u64,
    pub capped: bool,
    pub fetched: u64,
    pub failed: u64,
    pub server_errors: u64,
    pub given_up: u64,
    /// Details saved in phase 1 from whole matches, per source index
    /// (STRATZ's pages): phase-2 answers of the run without a call.
    pub whole: Vec<u64>,
    /// Sources phase 1 dropped for the run (STRATZ unavailable): phase 2
    /// does not ask them.
    pub dropped: Vec<usize>,
    /// Phase 1's soft anomaly, if any (`collect.rs`): shown once, the run goes on.
    pub history_warning: Option<String>,
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
