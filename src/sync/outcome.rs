//! How a run ended and what it did: the summary `sync --json` prints.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::source::{MatchSource, SourceKind};

/// How a run ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RunOutcome {
    Completed,
    /// Stopped by the user or a signal; what finished is saved.
    Stopped,
    /// The circuit breaker gave up waiting for the API.
    ApiDown,
    /// The daily quota is used up until `resets_at`.
    DailyLimit {
        resets_at: DateTime<Utc>,
    },
    /// Key rejected, private profile...: one line, safe to show.
    Fatal {
        message: String,
    },
}

/// The end-of-run summary (`sync --json` prints it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub account_id: u32,
    /// The sources of the run, as `--source` spells them (`steam,opendota`).
    pub source: String,
    pub ids_collected: u64,
    pub new_ids: u64,
    pub details_fetched: u64,
    pub failed: u64,
    pub server_errors: u64,
    pub given_up: u64,
    pub stubs_left: u64,
    pub history_capped: bool,
    /// Why phase 1 stopped paging early though the run went on (a history
    /// whose paging outran its bound): one line for the user.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub history_warning: Option<String>,
    pub outcome: RunOutcome,
    /// Summaries (the player's line of a match) saved by this run's
    /// history call (ARCHITECTURE.md, "Summaries").
    pub summaries: u64,
    /// Accounts whose player name was looked up and saved after phase 2
    /// (ARCHITECTURE.md, "Player names").
    pub names_fetched: u64,
    /// One entry per source of the run.
    pub sources: Vec<SourceSummary>,
}

/// What one source did in a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceSummary {
    pub source: SourceKind,
    pub requests: u64,
    pub details_fetched: u64,
    pub failed: u64,
    /// The request rate in force at the end of the run (null: unlimited).
    pub rate: Option<f64>,
}

/// The sources of a run as `--source` spells them: `steam,opendota`.
pub fn sources_label<S: MatchSource>(sources: &[S]) -> String {
    sources
        .iter()
        .map(|s| s.kind().as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// The one line shown when the breaker gives up.
pub fn api_down_message(stubs_left: u64) -> String {
    format!("API appears down: {stubs_left} matches are still stubs; run again later")
}
