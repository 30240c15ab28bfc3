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
    /// (ARCHITECTURE.md, "Sources and limits").
    pub names_fetched: u64,
    /// One entry per source of the run.
    pub sources: Vec<SourceSummary>,
    /// When the run ended as "API appears down": each source found down,
    /// its host and why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub down: Vec<DownSource>,
}

/// A source a run found down: where it was and what happened, in words
/// built from the transport's kind or the HTTP status only, so no URL,
/// key or server text is in them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DownSource {
    pub source: SourceKind,
    /// `api.opendota.com`, or `127.0.0.1:8080` for a base with a port.
    pub host: String,
    /// `connection refused`, `DNS lookup failed`, `timed out`, `HTTP 503`...
    pub cause: String,
}

/// `host: cause; host: cause`, for the lines that end a run. Sources
/// behind one base (`--api-base`) that failed alike are named once.
pub fn down_list(down: &[DownSource]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for part in down.iter().map(|d| format!("{}: {}", d.host, d.cause)) {
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    parts.join("; ")
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

/// The one line shown when the breaker gives up, naming each source that
/// was down (its host and why) after the public wording.
pub fn api_down_message(stubs_left: u64, down: &[DownSource]) -> String {
    let line = format!("API appears down: {stubs_left} matches are still stubs; run again later");
    if down.is_empty() {
        line
    } else {
        format!("{line} ({})", down_list(down))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_down_line_keeps_its_start_and_names_each_host_and_cause() {
        assert_eq!(
            api_down_message(3, &[]),
            "API appears down: 3 matches are still stubs; run again later"
        );
        let down = [
            DownSource {
                source: SourceKind::OpenDota,
                host: "api.opendota.com".into(),
                cause: "connection refused".into(),
            },
            DownSource {
                source: SourceKind::Steam,
                host: "api.steampowered.com".into(),
                cause: "DNS lookup failed".into(),
            },
        ];
        assert_eq!(
            api_down_message(3, &down),
            "API appears down: 3 matches are still stubs; run again later \
             (api.opendota.com: connection refused; api.steampowered.com: DNS lookup failed)"
        );
        let same = [down[0].clone(), down[0].clone()];
        assert_eq!(down_list(&same), "api.opendota.com: connection refused");
    }
}
