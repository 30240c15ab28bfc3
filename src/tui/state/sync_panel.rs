//! The sync block's state: the engine's progress, the notice line, the
//! last database error, and what the sync keys (`s`, `p`, `r`, `R`) answer,
//! including "not here" (read-only, another process's sync, nothing to retry).

use std::path::Path;

use ratatui::layout::Rect;

use crate::store::{Counts, StoreError};
use crate::sync::{Progress, RunOutcome, Summary, SyncCommand, SyncState};
use crate::tui::format::sanitize;
use crate::tui::input::action::Action;
use crate::tui::layout;

#[derive(Debug, Default)]
pub struct SyncPanel {
    pub progress: Progress,
    /// The last notice from the engine or the UI itself (sanitised).
    pub notice: Option<String>,
    /// The notice a run's end left, taken down when the next run starts.
    run_summary: Option<String>,
    /// The last database error (one line); the UI keeps running.
    pub error: Option<String>,
    /// The source of the account's last sync (what the data came from).
    pub last_source: Option<String>,
    /// The database cannot be written: keys that would sync say so.
    read_only: bool,
}

impl SyncPanel {
    /// A line from outside (the engine, a file): sanitised.
    pub fn say(&mut self, text: &str) {
        self.notice = Some(sanitize(text));
    }

    pub fn note_error(&mut self, error: &StoreError) {
        self.error = Some(sanitize(&error.to_string()));
    }

    pub fn set_read_only(&mut self) {
        self.read_only = true;
        self.say(READ_ONLY);
    }

    /// Whether `action` would sync a database that cannot be written; if
    /// so the notice says why not.
    pub fn refuses(&mut self, action: Action) -> bool {
        let syncs = matches!(
            action,
            Action::StartSync
                | Action::TogglePause
                | Action::RetrySelected
                | Action::RetryAllFailed
        );
        if self.read_only && syncs {
            self.say(READ_ONLY);
        }
        self.read_only && syncs
    }

    /// A new snapshot; `None` when nothing changed, else whether a run
    /// started or ended with it.
    pub fn set_progress(&mut self, progress: Progress) -> Option<bool> {
        if progress == self.progress {
            return None;
        }
        let was_running = self.progress.state.is_running();
        // A new run: the last one's summary no longer describes it.
        if progress.state.is_running()
            && !was_running
            && self.run_summary.is_some()
            && self.notice == self.run_summary
        {
            self.notice = None;
        }
        self.progress = progress;
        Some(was_running != self.progress.state.is_running())
    }

    /// A run ended: its one line stays until the next run starts.
    pub fn finished(&mut self, summary: &Summary) {
        self.notice = Some(finished_notice(summary));
        self.run_summary = self.notice.clone();
    }

    pub fn quit(&mut self) -> SyncCommand {
        self.notice = Some("Stopping the sync...".into());
        SyncCommand::Stop
    }

    /// `s`: starts a sync, or says why not (one runs already, here or in
    /// another process) rather than queueing a second one.
    pub fn start(&mut self, db_path: &Path) -> Option<SyncCommand> {
        if let Some(holder) = self.other_sync(db_path) {
            self.notice = Some(format!(
                "Another process is syncing this database ({}): s and p act on it there",
                holder.describe()
            ));
            return None;
        }
        if self.progress.state == SyncState::Paused {
            self.notice = Some("The sync is paused: p resumes it".into());
            return None;
        }
        if self.progress.state.is_running() {
            self.notice = Some("A sync is running already: p pauses it, q stops it".into());
            return None;
        }
        Some(SyncCommand::Start)
    }

    /// `p`: pauses or resumes this app's sync; another process's sync is
    /// not this app's to pause.
    pub fn toggle_pause(&mut self, db_path: &Path) -> Option<SyncCommand> {
        if let Some(holder) = self.other_sync(db_path) {
            self.notice = Some(format!(
                "Another process is syncing this database ({}): pause it there",
                holder.describe()
            ));
            return None;
        }
        Some(SyncCommand::TogglePause)
    }

    /// `r` on a match.
    pub fn retry(&mut self, match_id: i64) -> SyncCommand {
        self.notice = Some(format!("Retrying match {match_id}"));
        SyncCommand::RetryMatch(match_id)
    }

    /// `R`: every failure, given-up match and API-error stub is asked for
    /// again, now or once the running sync ends; with none, says so.
    pub fn retry_all(&mut self, c: Counts) -> Option<SyncCommand> {
        let failed = c.failed + c.given_up;
        if failed + c.api_errors == 0 {
            self.notice = Some("Nothing to retry: no failed matches, no API errors".into());
            return None;
        }
        let what = match (failed, c.api_errors) {
            (0, n) => plural(n, "API error"),
            (n, 0) => plural(n, "failed match"),
            (n, m) => format!(
                "{} and {}",
                plural(n, "failed match"),
                plural(m, "API error")
            ),
        };
        let when = if self.progress.state.is_running() {
            "once this sync ends"
        } else {
            "now"
        };
        self.notice = Some(format!("Retrying {what} {when}"));
        Some(SyncCommand::RetryAllFailed)
    }

    /// Another process's sync this app is showing (it holds the lock), if
    /// a sync is running at all.
    fn other_sync(&self, db_path: &Path) -> Option<crate::store::Holder> {
        if !self.progress.state.is_running() {
            return None;
        }
        crate::store::SyncLock::holder(db_path).filter(|h| h.pid != std::process::id())
    }

    /// Rows the block takes on `screen`: one line (and one for a notice)
    /// until a run starts in this session; then the whole block, with a
    /// line per source when a run draws from several.
    pub fn rows(&self, screen: Rect) -> u16 {
        if has_run(&self.progress) {
            layout::PROGRESS_HEIGHT + self.source_lines() + self.summary_lines(screen)
        } else {
            layout::IDLE_SYNC_HEIGHT + u16::from(self.notice.is_some() || self.error.is_some())
        }
    }

    /// The block's `Summaries: ...` line (1) once phase 1 has brought
    /// summaries, when the screen keeps the first-screen rule with it: the
    /// body still holds the Overview's short summary and newest matches.
    pub fn summary_lines(&self, screen: Rect) -> u16 {
        if self.progress.summaries_line().is_none() {
            return 0;
        }
        let without = layout::PROGRESS_HEIGHT + self.source_lines();
        let body = layout::screen_with(screen, without + 1).body.height;
        u16::from(body >= layout::FIRST_SCREEN_BODY)
    }

    /// Rows given to per-source lines (0 with one source).
    pub fn source_lines(&self) -> u16 {
        match self.progress.sources.len() {
            0 | 1 => 0,
            n => u16::try_from(n).unwrap_or(u16::MAX),
        }
    }
}

// The header shows the path.
const READ_ONLY: &str = "Read-only database: browsing only; a sync needs write access";

/// Whether this session has seen a run at all (the engine publishes a
/// non-idle state as soon as one starts).
pub fn has_run(progress: &Progress) -> bool {
    progress.state != SyncState::Idle || progress.collect.collected > 0
}

/// `1 failed match`, `3 failed matches`.
fn plural(n: u64, what: &str) -> String {
    match (n, what.strip_suffix("match")) {
        (1, _) => format!("1 {what}"),
        (_, Some(stem)) => format!("{n} {stem}matches"),
        (_, None) => format!("{n} {what}s"),
    }
}

/// The one line left in the notice area when a run ends.
fn finished_notice(summary: &Summary) -> String {
    let how = match &summary.outcome {
        RunOutcome::Completed => "Sync complete".to_string(),
        RunOutcome::Stopped => "Sync stopped".to_string(),
        // Each host that was down and why, when the run knows; else one
        // reason, whether the API is down or the network unreachable.
        RunOutcome::ApiDown if !summary.down.is_empty() => format!(
            "Sync ended, no answer from the API ({})",
            sanitize(&crate::sync::down_list(&summary.down))
        ),
        RunOutcome::ApiDown => {
            "Sync ended, no answer from the API (down, or no network)".to_string()
        }
        RunOutcome::DailyLimit { resets_at } => format!(
            "Daily API limit reached (resets {})",
            resets_at.format("%Y-%m-%d %H:%M UTC")
        ),
        RunOutcome::Fatal { message } => format!("Sync failed: {}", sanitize(message)),
    };
    let advice = match summary.outcome {
        RunOutcome::ApiDown => "; s tries again",
        _ => "",
    };
    // No failure count here: the lines above give it as the database
    // counts it, and a second, different number would disagree with them.
    format!(
        "{how}: {} new IDs, {} details fetched, {} still without data{advice}",
        summary.new_ids, summary.details_fetched, summary.stubs_left
    )
}
