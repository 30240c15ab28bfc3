//! One run of the sync: phase 1 then phase 2 (or phase 2 alone for a retry),
//! with a `sync_jobs` row kept current.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use super::breaker::BreakerPolicy;
use super::progress::{Progress, SyncEvent, SyncState};
use super::{RunOutcome, SourceSummary, Summary, collect, fetch, names};
use crate::source::{FetchError, MatchSource, SourceKind};
use crate::store::{JobStatus, Store, StoreError};

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
}

/// How a phase ended, when not normally.
#[derive(Debug)]
pub(crate) enum PhaseEnd {
    Finished,
    Stopped,
    ApiDown,
    Fatal(FetchError),
}

/// The sources of a run as `--source` spells them: `steam,opendota`.
pub fn sources_label<S: MatchSource>(sources: &[S]) -> String {
    sources
        .iter()
        .map(|s| s.kind().as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Runs one sync to its end, drawing from every source in `sources` at
/// once. Fetch failures are in the summary's outcome; only a database
/// failure is an `Err`.
pub async fn run<S: MatchSource>(
    sources: &[S],
    store: &SharedStore,
    options: &SyncOptions,
    channels: &Channels,
) -> Result<Summary, SyncError> {
    assert!(!sources.is_empty(), "a run needs a source");
    let account_id = options.account_id;
    let label = sources_label(sources);
    let first_phase = if options.mode == SyncMode::Full {
        "collect"
    } else {
        "fetch"
    };
    let job_label = label.clone();
    let job_id = with_store(store, move |s| {
        s.start_job(account_id, &job_label, first_phase)
    })
    .await?;
    channels.update(|p| {
        // A run without phase 1 keeps showing the last collection's counts.
        let collect = if options.mode == SyncMode::Full {
            Default::default()
        } else {
            p.collect
        };
        *p = Progress {
            account_id,
            source: Some(sources[0].kind()),
            collect,
            state: if options.mode == SyncMode::Full {
                SyncState::Collecting
            } else {
                SyncState::Fetching
            },
            ..Progress::default()
        }
    });

    for source in sources {
        source.reset(options.rate_for(source.kind()));
    }
    let context = RunContext {
        sources,
        store,
        options,
        channels,
        job_id,
    };
    let mut counters = RunCounters::default();
    let mut end = PhaseEnd::Finished;

    if options.mode == SyncMode::Full {
        end = collect::collect_ids(&context, &mut counters).await?;
    }
    if let SyncMode::Retry { all: true } = options.mode {
        with_store(store, move |s| s.reset_attempts(account_id, None)).await?;
    }
    if matches!(end, PhaseEnd::Finished) {
        let queue = match &options.mode {
            SyncMode::Full | SyncMode::DetailsOnly => {
                with_store(store, move |s| s.pending(account_id, true, false)).await?
            }
            SyncMode::Retry { all } => {
                let all = *all;
                with_store(store, move |s| s.pending(account_id, false, all)).await?
            }
            SyncMode::Matches(ids) => {
                let ids = ids.clone();
                with_store(store, move |s| {
                    for id in &ids {
                        s.reset_attempts(account_id, Some(*id))?;
                    }
                    let pending = s.pending(account_id, true, true)?;
                    Ok(pending
                        .into_iter()
                        .filter(|m| ids.contains(&m.match_id))
                        .collect())
                })
                .await?
            }
        };
        end = fetch::fetch_details(&context, &mut counters, queue).await?;
    }
    // Names after phase 2, so that they never take the matches' budget, and
    // only after a full run that ended well (ARCHITECTURE.md, "Player names").
    let mut names_fetched = 0;
    if matches!(end, PhaseEnd::Finished) && options.mode == SyncMode::Full {
        let done = names::fetch_names(&context).await?;
        names_fetched = done.looked_up;
        if done.stopped {
            end = PhaseEnd::Stopped;
        }
    }

    let counts = with_store(store, move |s| s.counts(Some(account_id))).await?;
    let outcome = match end {
        PhaseEnd::Finished => RunOutcome::Completed,
        PhaseEnd::Stopped => RunOutcome::Stopped,
        PhaseEnd::ApiDown => RunOutcome::ApiDown,
        PhaseEnd::Fatal(FetchError::RateLimited { daily: true, .. }) => RunOutcome::DailyLimit {
            resets_at: next_utc_midnight(),
        },
        PhaseEnd::Fatal(error) => RunOutcome::Fatal {
            message: error.to_string(),
        },
    };
    let per_source = |i: usize| counters.per_source.get(i).copied().unwrap_or_default();
    let summary = Summary {
        account_id,
        source: label,
        ids_collected: counters.ids_collected,
        new_ids: counters.new_ids,
        summaries: counters.summaries,
        details_fetched: counters.fetched,
        failed: counters.failed,
        server_errors: counters.server_errors,
        given_up: counts.given_up,
        stubs_left: counts.stubs,
        history_capped: counters.capped,
        outcome: outcome.clone(),
        names_fetched,
        sources: sources
            .iter()
            .enumerate()
            .map(|(i, source)| {
                let rate = source.pacer().rate();
                SourceSummary {
                    source: source.kind(),
                    requests: source.pacer().admitted(),
                    details_fetched: per_source(i).0,
                    failed: per_source(i).1,
                    rate: rate.is_finite().then_some(rate),
                }
            })
            .collect(),
    };
    let (status, message, state) = match &outcome {
        RunOutcome::Completed => (JobStatus::Completed, None, SyncState::Done),
        RunOutcome::Stopped => (JobStatus::Stopped, None, SyncState::Stopped),
        RunOutcome::ApiDown => {
            let m = api_down_message(counts.stubs);
            (JobStatus::Failed, Some(m.clone()), SyncState::Failed(m))
        }
        RunOutcome::DailyLimit { resets_at } => (
            JobStatus::Failed,
            Some(format!("daily API limit reached; resets at {resets_at}")),
            SyncState::DailyLimit {
                resets_at: *resets_at,
            },
        ),
        RunOutcome::Fatal { message } => (
            JobStatus::Failed,
            Some(message.clone()),
            SyncState::Failed(message.clone()),
        ),
    };
    let processed = counters.fetched + counters.failed;
    let (ids, new, failed) = (counters.ids_collected, counters.new_ids, counters.failed);
    with_store(store, move |s| {
        s.update_job(job_id, "done", ids.max(processed), processed, new, failed)?;
        s.finish_job(job_id, status, message.as_deref())
    })
    .await?;
    channels.update(|p| p.state = state);
    channels.emit(SyncEvent::Finished(Box::new(summary.clone())));
    Ok(summary)
}

/// The one line shown when the breaker gives up.
pub fn api_down_message(stubs_left: u64) -> String {
    format!("API appears down: {stubs_left} matches are still stubs; run again later")
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
