//! What the engine tells its observers (TUI, headless printer), and what
//! they can ask of it. The engine never draws; observers never fetch.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::source::SourceKind;

/// What the sync is doing now.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SyncState {
    /// No run in progress (none started yet, or the last one ended).
    #[default]
    Idle,
    /// Phase 1: paging through the match history.
    Collecting,
    /// Phase 2: fetching details.
    Fetching,
    /// Paused by the user; in-flight requests finish, no new ones start.
    Paused,
    /// The circuit breaker is open: several server or transport errors in a row.
    ApiDown { retry_in: Duration },
    /// The API answered 429: holding off as it asked (or for a backoff).
    RateLimited { retry_in: Duration },
    /// The API's daily quota is used up; stubs are kept for the next run.
    DailyLimit { resets_at: DateTime<Utc> },
    /// The run ended normally.
    Done,
    /// The user stopped the run.
    Stopped,
    /// The run ended on a fatal error (one line, safe to show).
    Failed(String),
}

impl SyncState {
    /// A short label for the header.
    pub fn label(&self) -> String {
        match self {
            SyncState::Idle => "idle".into(),
            SyncState::Collecting => "collecting".into(),
            SyncState::Fetching => "fetching".into(),
            SyncState::Paused => "paused".into(),
            SyncState::ApiDown { retry_in } => {
                format!("API down, retrying in {} s", retry_in.as_secs().max(1))
            }
            SyncState::RateLimited { retry_in } => {
                format!("rate limited, resuming in {}", wait_text(*retry_in))
            }
            SyncState::DailyLimit { resets_at } => format!(
                "daily limit reached, resets {}",
                resets_at.format("%Y-%m-%d %H:%M UTC")
            ),
            SyncState::Done => "done".into(),
            SyncState::Stopped => "stopped".into(),
            // The message itself is long; observers show it as a notice.
            SyncState::Failed(_) => "failed".into(),
        }
    }

    pub fn is_running(&self) -> bool {
        matches!(
            self,
            SyncState::Collecting
                | SyncState::Fetching
                | SyncState::Paused
                | SyncState::ApiDown { .. }
                | SyncState::RateLimited { .. }
        )
    }
}

/// A wait as a person reads it: `40 s`, `3 min 20 s`.
pub fn wait_text(wait: Duration) -> String {
    let secs = wait.as_secs().max(1);
    match secs {
        0..60 => format!("{secs} s"),
        _ if secs.is_multiple_of(60) => format!("{} min", secs / 60),
        _ => format!("{} min {} s", secs / 60, secs % 60),
    }
}

/// Phase 1's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CollectProgress {
    /// IDs seen so far this run.
    pub collected: u64,
    /// Of those, new to the database for this account.
    pub new: u64,
    /// Summaries (the player's own line of a match) the history brought
    /// and saved this run (ARCHITECTURE.md, "Summaries").
    pub summaries: u64,
    /// Paging has ended: `collected` is the total.
    pub done: bool,
    /// The source would not page past its cap (Steam: 500 most recent).
    pub capped: bool,
}

/// Phase 2's counters.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FetchProgress {
    /// Matches this run set out to fetch.
    pub total: u64,
    /// Attempted so far (succeeded + failed).
    pub processed: u64,
    pub succeeded: u64,
    pub failed: u64,
    /// Of the failures, server (5xx) errors.
    pub server_errors: u64,
    /// Failures that used up a match's last attempt.
    pub given_up: u64,
    /// Of the failures, those not the match's fault (the API down, a
    /// timeout): its row keeps its state, and the database counts it as
    /// without data rather than failed.
    pub uncounted: u64,
    /// Recent throughput, matches per second.
    pub per_second: f64,
    /// Time left at the recent throughput.
    pub eta: Option<Duration>,
    /// The request rate currently allowed (lowered after a 429).
    pub rate_limit: f64,
    /// Time since phase 2 began (a finished run: how long it took).
    pub elapsed: Duration,
}

impl FetchProgress {
    /// Matches settled per second over the whole of phase 2.
    pub fn average_per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.processed as f64 / secs
        } else {
            0.0
        }
    }
}

/// What one source is doing in a run.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SourceState {
    #[default]
    Running,
    /// Holding off (a 429, or its circuit breaker open) for this long.
    Paused { retry_in: Duration },
    /// Its breaker gave up: out of this run.
    Down,
    /// Its daily calls are spent until this time (OpenDota: 00:00 UTC).
    OutOfCalls { until: DateTime<Utc> },
    /// The run has ended.
    Finished,
}

impl SourceState {
    pub fn label(&self) -> String {
        match self {
            SourceState::Running => "running".into(),
            SourceState::Paused { retry_in } => format!("paused for {}", wait_text(*retry_in)),
            SourceState::Down => "down".into(),
            SourceState::OutOfCalls { until } => {
                format!("out of calls until {}", until.format("%H:%M UTC"))
            }
            SourceState::Finished => "done".into(),
        }
    }
}

/// One source's line of phase 2.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceProgress {
    pub kind: SourceKind,
    pub state: SourceState,
    /// Details fetched per second lately.
    pub per_second: f64,
    /// The request rate allowed now (lowered after a 429).
    pub rate_limit: f64,
    /// Requests sent this run.
    pub requests: u64,
    pub fetched: u64,
    pub failed: u64,
}

impl SourceProgress {
    /// `steam     1.9/s (limit 2.0)  fetched 120  failed 3  running`
    pub fn line(&self) -> String {
        format!(
            "{:<9} {:.1}/s (limit {})  fetched {}  failed {}  {}",
            self.kind.as_str(),
            self.per_second,
            rate_text(self.rate_limit),
            self.fetched,
            self.failed,
            self.state.label()
        )
    }
}

fn rate_text(rate: f64) -> String {
    if rate.is_finite() {
        format!("{rate:.1}")
    } else {
        "none".into()
    }
}

/// The latest snapshot of a run, published on a `watch` channel.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Progress {
    pub account_id: u32,
    pub source: Option<SourceKind>,
    pub state: SyncState,
    pub collect: CollectProgress,
    pub fetch: FetchProgress,
    /// Whether phase 2 has begun in this run.
    pub fetch_started: bool,
    /// One line per source of the run, in the order they were given.
    pub sources: Vec<SourceProgress>,
}

impl Progress {
    /// `Collecting match IDs: 450/?` while paging, `450/450` once the total is known.
    pub fn collect_line(&self) -> String {
        if self.collect.done {
            format!(
                "Collecting match IDs: {}/{}",
                self.collect.collected, self.collect.collected
            )
        } else {
            format!("Collecting match IDs: {}/?", self.collect.collected)
        }
    }

    /// `Summaries: 4980 of 5000 matches (statistics ready)`, once the
    /// history call has brought summaries and phase 1 is over.
    pub fn summaries_line(&self) -> Option<String> {
        (self.collect.done && self.collect.summaries > 0).then(|| {
            format!(
                "Summaries: {} of {} matches (statistics ready)",
                self.collect.summaries, self.collect.collected
            )
        })
    }

    /// `Fetching match details: 230/450`.
    pub fn fetch_line(&self) -> String {
        format!(
            "Fetching match details: {}/{}",
            self.fetch.processed, self.fetch.total
        )
    }
}

/// The notice when names are looked up after phase 2:
/// `Fetching player names: 120 accounts from steam`.
pub fn names_notice(accounts: usize, source: SourceKind) -> String {
    format!("Fetching player names: {accounts} accounts from {source}")
}

/// Discrete things that happened, sent on an `mpsc` channel so observers can
/// refresh what changed.
#[derive(Debug, Clone, PartialEq)]
pub enum SyncEvent {
    /// A page of stubs was saved.
    StubsSaved { count: usize, new: usize },
    /// A match's details were saved.
    MatchFetched { match_id: i64 },
    /// A fetch failed and was recorded on the row.
    MatchFailed {
        match_id: i64,
        reason: String,
        attempts: i64,
        given_up: bool,
    },
    /// A run ended; the summary says how.
    Finished(Box<super::Summary>),
    /// Something worth a line in the status bar (API down, rate lowered...).
    Notice(String),
}

/// What an observer can ask the engine to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncCommand {
    /// Run both phases (no-op while a run is going).
    Start,
    /// Pause or resume phase 2.
    TogglePause,
    /// Give one match its attempts back and fetch it now.
    RetryMatch(i64),
    /// Give every failed match of the account its attempts back and fetch them.
    RetryAllFailed,
    /// Finish what is in flight and end the run.
    Stop,
}
