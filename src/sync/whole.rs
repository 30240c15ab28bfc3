//! Phase 1's whole matches: a source whose history pages carry every
//! player's line (STRATZ) has each such match saved as its details right
//! after the page's stubs, through the store's one save path, and counted
//! as a phase-2 answer of the run from that source: no per-match call.
//!
//! A match that fails the checks every answer gets (`checked_details`) is
//! not saved here: it stays a stub, and phase 2 asks for it by ID.

use super::progress::SyncEvent;
use super::run::{RunContext, RunCounters, SyncError, with_store};
use crate::source::{MatchDetails, MatchSource, validate};

/// Saves `whole`, from the source at `index`, and counts what was saved.
pub(crate) async fn save_whole<S: MatchSource>(
    run: &RunContext<'_, S>,
    index: usize,
    whole: Vec<MatchDetails>,
    counters: &mut RunCounters,
) -> Result<(), SyncError> {
    let total = whole.len();
    let checked: Vec<MatchDetails> = whole
        .into_iter()
        .filter_map(|details| validate::checked_details(details).ok())
        .collect();
    if checked.len() < total {
        tracing::warn!(
            skipped = total - checked.len(),
            "whole matches failed their checks; phase 2 asks for them by ID"
        );
    }
    if checked.is_empty() {
        return Ok(());
    }
    let source = run.sources[index].kind().as_str();
    let saved = with_store(run.store, move |s| s.save_whole(&checked, source)).await?;
    counters.record_saved(index, saved.len() as u64);
    for match_id in saved {
        run.channels.emit(SyncEvent::MatchFetched { match_id });
    }
    Ok(())
}
