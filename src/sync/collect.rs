//! Phase 1: page through the account's match history and save every ID as
//! a stub, one transaction per page.

use std::collections::HashSet;
use std::time::Duration;

use super::engine::{
    Channels, PhaseEnd, RunCounters, SharedStore, SyncError, SyncOptions, sleep_unless_cancelled,
    with_store,
};
use super::progress::SyncEvent;
use crate::source::{FetchError, HistoryPage, MatchSource};

/// Attempts at one page before the API is called down.
const PAGE_ATTEMPTS: u32 = 6;

pub(crate) async fn collect_ids<S: MatchSource>(
    source: &S,
    store: &SharedStore,
    options: &SyncOptions,
    channels: &Channels,
    counters: &mut RunCounters,
    job_id: i64,
) -> Result<PhaseEnd, SyncError> {
    let account_id = options.account_id;
    let mut cursor = None;
    let mut seen = HashSet::new();
    loop {
        if channels.cancel.is_cancelled() {
            return Ok(PhaseEnd::Stopped);
        }
        let page = match fetch_page(source, account_id, cursor, channels).await {
            Ok(page) => page,
            Err(end) => return Ok(end),
        };
        counters.capped |= page.capped;
        let unseen: Vec<_> = page
            .entries
            .iter()
            .filter(|e| seen.insert(e.match_id))
            .cloned()
            .collect();
        if unseen.is_empty() {
            // Empty page, or one that repeats what we have: the history has ended.
            break;
        }
        let new = with_store(store, move |s| s.save_stubs(account_id, &unseen)).await? as u64;
        counters.ids_collected = seen.len() as u64;
        counters.new_ids += new;
        let (collected, total_new) = (counters.ids_collected, counters.new_ids);
        with_store(store, move |s| {
            s.update_job(job_id, "collect", collected, 0, total_new, 0)
        })
        .await?;
        channels.update(|p| {
            p.collect.collected = collected;
            p.collect.new = total_new;
            p.collect.capped |= page.capped;
        });
        channels.emit(SyncEvent::StubsSaved {
            count: page.entries.len(),
            new: new as usize,
        });
        if options.new_only && new == 0 {
            break;
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    channels.update(|p| p.collect.done = true);
    Ok(PhaseEnd::Finished)
}

/// One page, retried through transient errors and rate limits.
async fn fetch_page<S: MatchSource>(
    source: &S,
    account_id: u32,
    cursor: Option<crate::source::HistoryCursor>,
    channels: &Channels,
) -> Result<HistoryPage, PhaseEnd> {
    let mut failures = 0;
    loop {
        if channels.cancel.is_cancelled() {
            return Err(PhaseEnd::Stopped);
        }
        let error = match source.history_page(account_id, cursor).await {
            Ok(page) => return Ok(page),
            Err(FetchError::NotSent) => return Err(PhaseEnd::Stopped),
            Err(error) => error,
        };
        if error.is_fatal() {
            return Err(PhaseEnd::Fatal(error));
        }
        failures += 1;
        let wait = match &error {
            FetchError::RateLimited { .. } if failures >= PAGE_ATTEMPTS * 4 => {
                return Err(PhaseEnd::ApiDown);
            }
            FetchError::RateLimited { retry_after, .. } => {
                source.pacer().slow_down();
                retry_after.unwrap_or(Duration::from_secs(2 << failures.min(5)))
            }
            _ if failures >= PAGE_ATTEMPTS => {
                return Err(if error.is_outage() {
                    PhaseEnd::ApiDown
                } else {
                    PhaseEnd::Fatal(error)
                });
            }
            _ => Duration::from_millis(250 << failures.min(6)),
        };
        tracing::warn!(%error, attempt = failures, "history page failed; retrying");
        channels.emit(SyncEvent::Notice(format!(
            "history page failed ({}); retrying in {} s",
            error.short(),
            wait.as_secs_f64().ceil()
        )));
        if !sleep_unless_cancelled(&channels.cancel, wait).await {
            return Err(PhaseEnd::Stopped);
        }
    }
}
