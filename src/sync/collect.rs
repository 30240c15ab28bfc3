//! Phase 1: page through the account's match history and save every ID as
//! a stub, one transaction per page. A history read as it streams in
//! (OpenDota's, with each match's summary) is saved a batch of rows at a
//! time as it arrives, each summary in the transaction of its stub.
//!
//! A server decides how long the history is, so paging is bounded here
//! (ARCHITECTURE.md, "Hostile servers and files"), trusting the IDs it sends over the
//! counts beside them (ARCHITECTURE.md, "Hostile servers and files"): a page
//! with nothing new ends paging, whatever `results_remaining` says; the new
//! IDs of a history with a total are bounded by Steam's 500-match cap (or
//! the total, when larger), so pages that repeat or a total of 0 cost
//! nothing. Passing that bound is a soft anomaly: one warning, phase 1 ends
//! and phase 2 runs on what was saved. Only a cursor that fails to go down,
//! or a history past [`MAX_HISTORY_IDS`], ends the run with one line; what
//! was saved stays.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::options::{Channels, SyncOptions};
use super::progress::{SyncEvent, wait_text};
use super::run::{
    PhaseEnd, RunContext, RunCounters, SyncError, sleep_unless_cancelled, with_store,
};
use super::whole;
use crate::source::{
    FetchError, HistoryCursor, HistoryPage, HistoryRow, MatchSource, RowSender, validate,
};

/// Attempts at one page before the API is called down.
const PAGE_ATTEMPTS: u32 = 6;

/// Attempts at one page that the API answered with an error of its own
/// (a 4xx, `status 2`, a malformed body): a server that means it will not
/// change its mind after a long backoff.
const PAGE_ATTEMPTS_ANSWERED: u32 = 3;

/// More matches than any player has played (the most active accounts have
/// a few tens of thousands): a history past this is a broken server's.
pub const MAX_HISTORY_IDS: usize = 100_000;

/// The most matches Steam's history lists: its newest 500.
const STEAM_HISTORY_CAP: u64 = 500;

/// Slack over a history's bound, for matches played while we page: one
/// Steam page.
const PAGING_SLACK: u64 = 100;

/// How many distinct IDs a history with `total` may list before its paging
/// is an anomaly: Steam's cap, or the total when that is larger (a server
/// may count more than it can list, never list more than it counts), plus
/// [`PAGING_SLACK`]. A total of 0 is not believed over the IDs.
fn new_id_bound(total: u64) -> usize {
    let bound = total.clamp(STEAM_HISTORY_CAP, MAX_HISTORY_IDS as u64) + PAGING_SLACK;
    usize::try_from(bound).unwrap_or(usize::MAX)
}

/// Why paging stopped early: the one line the run ends with.
fn inconsistent(reason: String, kept: usize) -> PhaseEnd {
    PhaseEnd::Fatal(FetchError::Malformed {
        reason: format!(
            "the match history cannot be trusted: {reason}; the {kept} match IDs saved so far are kept"
        ),
    })
}

/// Phase 1 over every source of the run, one after the other: the union
/// of their histories, each page in one transaction. A source that is down,
/// out of calls or lists nothing drops out while another lists matches.
pub(crate) async fn collect_ids<S: MatchSource>(
    run: &RunContext<'_, S>,
    counters: &mut RunCounters,
) -> Result<PhaseEnd, SyncError> {
    let mut seen = HashSet::new();
    let mut listed = Vec::new();
    let mut dropped: Option<PhaseEnd> = None;
    for (index, source) in run.sources.iter().enumerate() {
        let mut capped = false;
        let mut count = 0;
        let end = collect_from(run, index, &mut seen, counters, &mut count, &mut capped).await?;
        listed.push((count, capped));
        match end {
            PhaseEnd::Finished => {}
            PhaseEnd::Stopped => return Ok(PhaseEnd::Stopped),
            // STRATZ blocked, its token rejected or no profile there: its
            // own line, and it sits out phase 2 as well.
            PhaseEnd::Fatal(FetchError::StratzUnavailable { reason }) if run.sources.len() > 1 => {
                tracing::warn!(reason = %reason.message(), "STRATZ drops out of the run");
                run.channels.emit(SyncEvent::Notice(reason.message()));
                counters.dropped.push(index);
                dropped = Some(end);
            }
            // With another source in the run, these end only this source's part.
            PhaseEnd::ApiDown
            | PhaseEnd::Fatal(FetchError::NoHistory)
            | PhaseEnd::Fatal(FetchError::RateLimited { daily: true, .. })
                if run.sources.len() > 1 =>
            {
                let why = match &end {
                    PhaseEnd::ApiDown => match counters.outages.get(&index) {
                        Some(error) => format!("the API appears down: {}", error.down_cause()),
                        None => "the API appears down".to_string(),
                    },
                    PhaseEnd::Fatal(error) => error.to_string(),
                    _ => unreachable!(),
                };
                run.channels.emit(SyncEvent::Notice(format!(
                    "{}: no match IDs from this source ({why}); going on with the others",
                    source.kind()
                )));
                dropped = Some(end);
            }
            end => return Ok(end),
        }
    }
    if seen.is_empty()
        && let Some(end) = dropped
    {
        // Every source failed or listed nothing.
        return Ok(end);
    }
    // A capped history (Steam's newest 500) matters only if no other source
    // listed more.
    let most = listed.iter().map(|(count, _)| *count).max().unwrap_or(0);
    counters.capped = listed
        .iter()
        .any(|(count, capped)| *capped && *count >= most);
    run.channels.update(|p| {
        p.collect.done = true;
        p.collect.capped = counters.capped;
    });
    Ok(PhaseEnd::Finished)
}

/// Pages through the history of the source at `index`. `seen`: the IDs of
/// the run so far, every source's; `listed`: how many this source listed.
/// Matches a page brings whole (STRATZ's) are saved as their details once
/// the page's stubs are.
async fn collect_from<S: MatchSource>(
    run: &RunContext<'_, S>,
    index: usize,
    seen: &mut HashSet<i64>,
    counters: &mut RunCounters,
    listed: &mut usize,
    capped: &mut bool,
) -> Result<PhaseEnd, SyncError> {
    let (options, channels) = (run.options, run.channels);
    let source = &run.sources[index];
    let account_id = options.account_id;
    let mut cursor = None;
    let mut here = HashSet::new();
    let mut first_page = true;
    // Set by the first page's total, when it has one (OpenDota's whole
    // history comes in one page, without).
    let mut max_ids: Option<usize> = None;
    loop {
        if channels.cancel.is_cancelled() {
            return Ok(PhaseEnd::Stopped);
        }
        // A source that streams its page (OpenDota's whole history) sends
        // its rows while the rest arrives: each batch is saved as it comes.
        let (rows, mut received) = mpsc::channel(2);
        let mut down = None;
        let fetched = {
            let fetch = fetch_page(
                source, account_id, cursor, options, channels, &rows, &mut down,
            );
            tokio::pin!(fetch);
            loop {
                tokio::select! {
                    // A stop ends a long history at once; what was saved stays.
                    () = channels.cancel.cancelled() => return Ok(PhaseEnd::Stopped),
                    Some(batch) = received.recv() => {
                        if let Err(end) = save_rows(run, source, batch, seen, &mut here, counters, listed).await? {
                            return Ok(end);
                        }
                    }
                    fetched = &mut fetch => break fetched,
                }
            }
        };
        drop(rows);
        // What was read before the page ended (or failed) is saved too.
        while let Some(batch) = received.recv().await {
            if let Err(end) =
                save_rows(run, source, batch, seen, &mut here, counters, listed).await?
            {
                return Ok(end);
            }
        }
        let mut page = match fetched {
            Ok(page) => page,
            Err(end) => {
                if let (PhaseEnd::ApiDown, Some(error)) = (&end, down) {
                    counters.outages.insert(index, error);
                }
                return Ok(end);
            }
        };
        *capped |= page.capped;
        if std::mem::take(&mut first_page) {
            max_ids = page.total.map(new_id_bound);
        }
        let rows = page.entries.iter().cloned().map(HistoryRow::stub).collect();
        let new = match save_rows(run, source, rows, seen, &mut here, counters, listed).await? {
            Ok(Some(new)) => new,
            // Empty page, or one that repeats what this source sent: the
            // history has ended.
            Ok(None) => break,
            Err(end) => return Ok(end),
        };
        let whole = std::mem::take(&mut page.whole);
        if !whole.is_empty() {
            whole::save_whole(run, index, whole, counters).await?;
        }
        let page_capped = *capped;
        channels.update(|p| p.collect.capped |= page_capped && run.sources.len() == 1);
        if options.new_only && new == 0 {
            break;
        }
        let Some(next) = page.next else { break };
        if let (Some(HistoryCursor::StartAtMatchId(before)), HistoryCursor::StartAtMatchId(now)) =
            (cursor, next)
            && now >= before
        {
            return Ok(inconsistent(
                format!("its paging cursor went from {before} up to {now}"),
                seen.len(),
            ));
        }
        if let Some(max) = max_ids
            && here.len() >= max
        {
            let warning = format!(
                "{}'s match history kept paging past the {max} matches it can hold; \
                 going on with the {} IDs listed",
                source.kind(),
                here.len()
            );
            tracing::warn!("{warning}");
            channels.emit(SyncEvent::Notice(warning.clone()));
            counters.history_warning = Some(warning);
            break;
        }
        cursor = Some(next);
    }
    Ok(PhaseEnd::Finished)
}

/// Saves one batch of a source's history rows: the stubs new to the run and
/// the summaries of the rows new from this source, in one transaction.
/// Answers how many were new to the account (`None`: nothing in the batch
/// was new from this source), or how phase 1 ends when the history
/// cannot be trusted. `here`: this source's IDs so far; `seen`: the run's.
async fn save_rows<S: MatchSource>(
    run: &RunContext<'_, S>,
    source: &S,
    rows: Vec<HistoryRow>,
    seen: &mut HashSet<i64>,
    here: &mut HashSet<i64>,
    counters: &mut RunCounters,
    listed: &mut usize,
) -> Result<Result<Option<u64>, PhaseEnd>, SyncError> {
    let (store, channels, job_id) = (run.store, run.channels, run.job_id);
    let account_id = run.options.account_id;
    let count = rows.len();
    let skipped = rows
        .iter()
        .filter(|row| !validate::is_valid_entry(&row.entry))
        .count();
    if skipped > 0 {
        tracing::warn!(skipped, "history entries without a valid match ID skipped");
    }
    let fresh_here: Vec<HistoryRow> = rows
        .into_iter()
        .filter(|row| validate::is_valid_entry(&row.entry) && here.insert(row.entry.match_id))
        .collect();
    *listed = here.len();
    if fresh_here.is_empty() {
        return Ok(Ok(None));
    }
    // Another source's page may have saved it already; a Steam entry's
    // sequence number is kept either way (the store keeps the first).
    let mut unseen = Vec::new();
    let mut summaries = Vec::new();
    for row in fresh_here {
        if seen.insert(row.entry.match_id) {
            unseen.push(row.entry);
        }
        summaries.extend(row.summary);
    }
    if seen.len() > MAX_HISTORY_IDS {
        return Ok(Err(inconsistent(
            format!("it lists more than {MAX_HISTORY_IDS} matches"),
            seen.len() - unseen.len(),
        )));
    }
    let saved_summaries = summaries.len() as u64;
    let new = if unseen.is_empty() && summaries.is_empty() {
        0
    } else {
        let kind = source.kind().as_str();
        with_store(store, move |s| {
            s.save_stubs_and_summaries(account_id, &unseen, kind, &summaries)
        })
        .await? as u64
    };
    counters.ids_collected = seen.len() as u64;
    counters.new_ids += new;
    counters.summaries += saved_summaries;
    let (collected, total_new, summaries) =
        (counters.ids_collected, counters.new_ids, counters.summaries);
    with_store(store, move |s| {
        s.update_job(job_id, "collect", collected, 0, total_new, 0)
    })
    .await?;
    channels.update(|p| {
        p.collect.collected = collected;
        p.collect.new = total_new;
        p.collect.summaries = summaries;
    });
    channels.emit(SyncEvent::StubsSaved {
        count,
        new: new as usize,
    });
    Ok(Ok(Some(new)))
}

/// One page, retried through transient errors and rate limits.
async fn fetch_page<S: MatchSource>(
    source: &S,
    account_id: u32,
    cursor: Option<HistoryCursor>,
    options: &SyncOptions,
    channels: &Channels,
    rows: &RowSender,
    down: &mut Option<FetchError>,
) -> Result<HistoryPage, PhaseEnd> {
    let mut failures = 0;
    // However the failures mix, one page waits no longer than the breaker
    // would for phase 2 before the run ends as "API down".
    let started = Instant::now();
    let give_up_after = options.breaker.give_up_after;
    loop {
        if channels.cancel.is_cancelled() {
            return Err(PhaseEnd::Stopped);
        }
        let error = match source.history_page_streamed(account_id, cursor, rows).await {
            Ok(page) => return Ok(page),
            Err(FetchError::NotSent) => return Err(PhaseEnd::Stopped),
            Err(error) => error,
        };
        if error.is_fatal() {
            return Err(PhaseEnd::Fatal(error));
        }
        // What an "API appears down" end names for this source.
        *down = Some(error.clone());
        failures += 1;
        let wait = match &error {
            FetchError::RateLimited { .. } if failures >= PAGE_ATTEMPTS * 4 => {
                return Err(PhaseEnd::ApiDown);
            }
            FetchError::RateLimited { retry_after, .. } => {
                source.pacer().slow_down();
                retry_after.unwrap_or(Duration::from_secs(2 << failures.min(5)))
            }
            _ if failures >= PAGE_ATTEMPTS
                || (!error.is_outage() && failures >= PAGE_ATTEMPTS_ANSWERED) =>
            {
                return Err(if error.is_outage() {
                    PhaseEnd::ApiDown
                } else {
                    PhaseEnd::Fatal(error)
                });
            }
            _ => Duration::from_millis(250 << failures.min(6)),
        };
        if started.elapsed() + wait > give_up_after {
            return Err(PhaseEnd::ApiDown);
        }
        tracing::warn!(%error, attempt = failures, "history page failed; retrying");
        channels.emit(SyncEvent::Notice(format!(
            "history page failed ({}); retrying in {}",
            error.short(),
            wait_text(wait)
        )));
        if !sleep_unless_cancelled(&channels.cancel, wait).await {
            return Err(PhaseEnd::Stopped);
        }
    }
}
