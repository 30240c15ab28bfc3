//! What a run is asked to do (`SyncOptions`, `SyncMode`) and how its
//! observers hear from it and steer it (`Channels`, `Urgent`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use super::breaker::BreakerPolicy;
use super::progress::{Progress, SyncEvent};
use crate::source::SourceKind;

/// What a run does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncMode {
    /// Phase 1, then phase 2 over stubs and failures with attempts left.
    Full,
    /// Phase 2 over failures only (`retry`); `all` also gives given-up
    /// matches their attempts back first.
    Retry { all: bool },
    /// Phase 2 over these matches only (the TUI's `r`).
    Matches(Vec<i64>),
    /// Phase 2 over stubs and failures with attempts left, without paging
    /// the history first (benchmarks, and resuming a known list).
    DetailsOnly,
}

/// How a run behaves.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    pub account_id: u32,
    pub mode: SyncMode,
    /// At most this many requests in any one-second window, per source.
    pub rate: f64,
    /// Rates set for one source apart (`--rate steam=2,opendota=1`).
    pub source_rates: Vec<(SourceKind, f64)>,
    /// Stop phase 1 at the first page that brings nothing new.
    pub new_only: bool,
    /// Requests in flight at once, so that latency does not waste the rate.
    pub max_in_flight: usize,
    /// Finished matches waiting for the writer past which no request is
    /// sent: a fast API cannot pile bodies up in memory.
    pub max_unwritten: usize,
    pub breaker: BreakerPolicy,
    /// For the TUI's controller (the `auto_sync` setting): after a run that
    /// completes, sync again, new matches only, this long later.
    pub resync_every: Option<Duration>,
}

impl SyncOptions {
    pub fn new(account_id: u32, rate: f64) -> SyncOptions {
        SyncOptions {
            account_id,
            mode: SyncMode::Full,
            rate,
            source_rates: Vec::new(),
            new_only: false,
            max_in_flight: 8,
            max_unwritten: 32,
            resync_every: None,
            breaker: BreakerPolicy::default(),
        }
    }
}

impl SyncOptions {
    /// The rate for one source: its own if set, else the common one.
    pub fn rate_for(&self, kind: SourceKind) -> f64 {
        self.source_rates
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(self.rate, |(_, rate)| *rate)
    }
}

/// How observers hear from a run and steer it.
#[derive(Clone)]
pub struct Channels {
    pub progress: watch::Sender<Progress>,
    pub events: Option<mpsc::UnboundedSender<SyncEvent>>,
    /// Stop: finish what is in flight, start nothing new.
    pub cancel: CancellationToken,
    /// `true` while paused.
    pub paused: watch::Receiver<bool>,
    /// Matches to fetch next, added while the run goes (the TUI's `r`).
    pub urgent: Arc<Urgent>,
}

/// Match IDs an observer wants fetched now, ahead of the queue. Phase 2 takes
/// them as it goes; what a run leaves behind, its owner runs next.
#[derive(Debug, Default)]
pub struct Urgent {
    ids: Mutex<Vec<i64>>,
    pub(crate) added: tokio::sync::Notify,
}

impl Urgent {
    pub fn push(&self, match_id: i64) {
        let mut ids = self.ids.lock().unwrap_or_else(|p| p.into_inner());
        if !ids.contains(&match_id) {
            ids.push(match_id);
        }
        drop(ids);
        self.added.notify_one();
    }

    /// Everything pushed so far, oldest first.
    pub fn take(&self) -> Vec<i64> {
        std::mem::take(&mut *self.ids.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Channels {
    /// Channels nobody listens to (tests, benches).
    pub fn detached() -> (Channels, watch::Receiver<Progress>) {
        let (progress, progress_rx) = watch::channel(Progress::default());
        let (_pause_tx, paused) = watch::channel(false);
        (
            Channels {
                progress,
                events: None,
                cancel: CancellationToken::new(),
                paused,
                urgent: Arc::default(),
            },
            progress_rx,
        )
    }

    pub(crate) fn emit(&self, event: SyncEvent) {
        if let Some(events) = &self.events {
            let _ = events.send(event);
        }
    }

    pub(crate) fn update(&self, f: impl FnOnce(&mut Progress)) {
        self.progress.send_modify(f);
    }
}
