//! Phase 2: fetch each pending match's details under the rate limit, several
//! in flight when latency would otherwise waste the budget, and apply the
//! retry rules to every outcome (README, "Retry rules").

use std::collections::{HashSet, VecDeque};
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use futures_util::stream::{FuturesUnordered, StreamExt};

use super::breaker::{Breaker, Verdict};
use super::engine::{
    Channels, PhaseEnd, RunCounters, SharedStore, SyncError, SyncOptions, with_store,
};
use super::progress::{SyncEvent, SyncState};
use crate::source::{FetchError, MatchDetails, MatchRef, MatchSource};
use crate::store::{FailureRecord, Outcome};

/// How long to hold off after a 429 that names no Retry-After.
const RATE_LIMIT_PAUSE: Duration = Duration::from_secs(2);
/// Most results written in one trip to the writer thread.
const MAX_BATCH: usize = 64;

enum Attempt {
    Done(Result<MatchDetails, FetchError>),
    /// Not sent: the run was paused, held or stopped while it waited its turn.
    NotSent,
}

/// One match: the source's pacer admits each request it sends, or refuses
/// when the gate is closed.
async fn attempt<S: MatchSource>(source: &S, wanted: MatchRef) -> (MatchRef, Attempt) {
    let result = source.match_details(wanted).await;
    if result == Err(FetchError::NotSent) {
        return (wanted, Attempt::NotSent);
    }
    let result = result.and_then(|details| {
        if details.match_id == wanted.match_id {
            Ok(details)
        } else {
            Err(FetchError::WrongMatch {
                asked: wanted.match_id,
                got: details.match_id,
            })
        }
    });
    (wanted, Attempt::Done(result))
}

/// What one result did to the row, decided on the writer thread.
enum Written {
    Saved(i64),
    Failed(i64, FetchError, Option<FailureRecord>),
}

/// Recent completions, for the rate and the ETA.
struct Throughput {
    window: VecDeque<Instant>,
}

impl Throughput {
    const SPAN: Duration = Duration::from_secs(10);

    fn record(&mut self, now: Instant, n: usize) {
        self.window.extend(std::iter::repeat_n(now, n));
        while self.window.front().is_some_and(|t| now - *t > Self::SPAN) {
            self.window.pop_front();
        }
    }

    fn per_second(&self, now: Instant) -> f64 {
        let Some(first) = self.window.front() else {
            return 0.0;
        };
        let span = (now - *first).as_secs_f64().max(1.0);
        self.window.len() as f64 / span
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn fetch_details<S: MatchSource>(
    source: &S,
    store: &SharedStore,
    options: &SyncOptions,
    channels: &Channels,
    counters: &mut RunCounters,
    queue: Vec<MatchRef>,
    job_id: i64,
) -> Result<PhaseEnd, SyncError> {
    let mut total = queue.len() as u64;
    channels.update(|p| {
        p.state = SyncState::Fetching;
        p.fetch_started = true;
        p.fetch.total = total;
        p.fetch.rate_limit = source.pacer().rate();
    });
    let pacer = source.pacer();
    let mut queue: VecDeque<MatchRef> = queue.into();
    let mut breaker = Breaker::new(options.breaker);
    let mut in_flight = FuturesUnordered::new();
    let mut in_flight_ids = HashSet::new();
    let mut paused = channels.paused.clone();
    let mut pause_alive = true;
    // To say so once the rate has recovered from a 429.
    let mut rate_before = pacer.rate();
    let mut hold_until: Option<Instant> = None;
    let mut end: Option<PhaseEnd> = None;
    let mut throughput = Throughput {
        window: VecDeque::new(),
    };
    let mut last_job_update = Instant::now();
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let max_in_flight = options.max_in_flight.max(1);

    loop {
        if end.is_none() && channels.cancel.is_cancelled() {
            end = Some(PhaseEnd::Stopped);
        }
        let now = Instant::now();
        if hold_until.is_some_and(|t| now >= t) {
            hold_until = None;
        }
        if end.is_none() {
            let added = take_urgent(
                store,
                options.account_id,
                channels,
                &mut queue,
                &in_flight_ids,
            )
            .await?;
            if added > 0 {
                total += added;
                channels.update(|p| p.fetch.total = total);
            }
        }
        let is_paused = *paused.borrow_and_update();
        let open = end.is_none() && !is_paused && hold_until.is_none();
        pacer.set_open(open);
        channels.update(|p| {
            let state = match (end.is_some(), is_paused, hold_until) {
                (true, _, _) => p.state.clone(),
                (false, true, _) => SyncState::Paused,
                (false, false, Some(t)) => SyncState::ApiDown {
                    retry_in: t.saturating_duration_since(now),
                },
                (false, false, None) => SyncState::Fetching,
            };
            p.state = state;
        });
        if open {
            while in_flight.len() < max_in_flight {
                let Some(next) = queue.pop_front() else { break };
                in_flight_ids.insert(next.match_id);
                in_flight.push(attempt(source, next));
            }
        }
        if in_flight.is_empty() && (end.is_some() || queue.is_empty()) {
            break;
        }

        let first = tokio::select! {
            Some(done) = in_flight.next(), if !in_flight.is_empty() => Some(done),
            _ = sleep_until(hold_until), if hold_until.is_some() => None,
            changed = paused.changed(), if pause_alive => {
                // Nobody can resume a run whose pause switch is gone.
                pause_alive = changed.is_ok();
                None
            }
            _ = channels.cancel.cancelled(), if end.is_none() => None,
            _ = ticker.tick() => None,
            _ = channels.urgent.added.notified(), if end.is_none() => None,
        };
        let mut batch: Vec<(MatchRef, Attempt)> = first.into_iter().collect();
        while !batch.is_empty() && batch.len() < MAX_BATCH {
            match in_flight.next().now_or_never() {
                Some(Some(done)) => batch.push(done),
                _ => break,
            }
        }

        // Sort the batch: what to save, what to record, what to put back.
        let fatal_in_batch = batch
            .iter()
            .any(|(_, a)| matches!(a, Attempt::Done(Err(e)) if e.is_fatal()));
        let mut to_write: Vec<(MatchRef, Result<MatchDetails, FetchError>)> = Vec::new();
        for (wanted, outcome) in batch {
            in_flight_ids.remove(&wanted.match_id);
            match outcome {
                Attempt::NotSent => queue.push_front(wanted),
                Attempt::Done(Err(error)) if error.is_fatal() => {
                    tracing::warn!(%error, "phase 2 ends");
                    if end.is_none() || matches!(end, Some(PhaseEnd::Stopped)) {
                        end = Some(PhaseEnd::Fatal(error));
                    }
                }
                Attempt::Done(Err(FetchError::RateLimited { retry_after, .. })) => {
                    queue.push_front(wanted);
                    let rate = pacer.slow_down();
                    let wait = retry_after.unwrap_or(RATE_LIMIT_PAUSE);
                    hold_until = Some(hold_until.map_or(now + wait, |t| t.max(now + wait)));
                    channels.update(|p| p.fetch.rate_limit = rate);
                    channels.emit(SyncEvent::Notice(format!(
                        "rate limited: slowing to {rate:.2} requests/s"
                    )));
                }
                // Once the run is ending on a fatal error, failures are not
                // the matches' fault: leave their rows alone.
                Attempt::Done(Err(_))
                    if fatal_in_batch || matches!(end, Some(PhaseEnd::Fatal(_))) => {}
                Attempt::Done(result) => to_write.push((wanted, result)),
            }
        }
        if to_write.is_empty() {
            continue;
        }
        // One transaction for the whole batch (each match whole).
        let written = with_store(store, move |s| {
            let reasons: Vec<String> = to_write
                .iter()
                .map(|(_, result)| {
                    result
                        .as_ref()
                        .err()
                        .map(FetchError::short)
                        .unwrap_or_default()
                })
                .collect();
            let outcomes: Vec<Outcome> = to_write
                .iter()
                .zip(&reasons)
                .map(|((wanted, result), reason)| match result {
                    Ok(details) => Outcome::Saved(details),
                    Err(_) => Outcome::Failed {
                        match_id: wanted.match_id,
                        reason,
                    },
                })
                .collect();
            let applied = s.apply_batch(&outcomes)?;
            Ok(to_write
                .into_iter()
                .zip(applied)
                .map(|((wanted, result), applied)| match result {
                    Ok(_) => Written::Saved(wanted.match_id),
                    Err(error) => Written::Failed(wanted.match_id, error, applied.failure()),
                })
                .collect::<Vec<_>>())
        })
        .await?;

        let now = Instant::now();
        throughput.record(now, written.len());
        for outcome in written {
            match outcome {
                Written::Saved(match_id) => {
                    counters.fetched += 1;
                    breaker.record_success();
                    pacer.record_success();
                    channels.emit(SyncEvent::MatchFetched { match_id });
                }
                Written::Failed(match_id, error, record) => {
                    counters.failed += 1;
                    if matches!(error, FetchError::Server { .. }) {
                        counters.server_errors += 1;
                    }
                    let (attempts, given_up) =
                        record.map_or((0, false), |r| (r.attempts, r.given_up));
                    if given_up {
                        counters.given_up += 1;
                    }
                    channels.emit(SyncEvent::MatchFailed {
                        match_id,
                        reason: error.short(),
                        attempts,
                        given_up,
                    });
                    if error.is_outage() {
                        match breaker.record_outage() {
                            Verdict::Continue => {}
                            Verdict::Wait(wait) => {
                                hold_until = Some(now + wait);
                                channels.emit(SyncEvent::Notice(format!(
                                    "API unreachable: pausing {} s",
                                    wait.as_secs()
                                )));
                            }
                            Verdict::GiveUp => {
                                if end.is_none() {
                                    end = Some(PhaseEnd::ApiDown);
                                }
                            }
                        }
                    } else {
                        // The API answered: it is up, whatever it said.
                        breaker.record_success();
                    }
                }
            }
        }
        let rate = pacer.rate();
        if rate > rate_before && rate >= options.rate {
            channels.emit(SyncEvent::Notice(format!(
                "rate back to {rate:.2} requests/s"
            )));
        }
        rate_before = rate;
        let processed = counters.fetched + counters.failed;
        let per_second = throughput.per_second(now);
        let remaining = total.saturating_sub(processed);
        channels.update(|p| {
            p.fetch.processed = processed;
            p.fetch.succeeded = counters.fetched;
            p.fetch.failed = counters.failed;
            p.fetch.server_errors = counters.server_errors;
            p.fetch.given_up = counters.given_up;
            p.fetch.per_second = per_second;
            p.fetch.rate_limit = pacer.rate();
            p.fetch.eta =
                (per_second > 0.0).then(|| Duration::from_secs_f64(remaining as f64 / per_second));
        });
        if now - last_job_update > Duration::from_millis(500) {
            last_job_update = now;
            let (ids, new, fetched, failed) = (
                counters.ids_collected,
                counters.new_ids,
                counters.fetched,
                counters.failed,
            );
            with_store(store, move |s| {
                s.update_job(
                    job_id,
                    "fetch",
                    ids.max(total),
                    fetched + failed,
                    new,
                    failed,
                )
            })
            .await?;
        }
    }
    pacer.set_open(true);
    Ok(end.unwrap_or(PhaseEnd::Finished))
}

/// Moves the matches an observer asked for to the front of the queue, with
/// their attempts given back. Returns how many were not queued already.
async fn take_urgent(
    store: &SharedStore,
    account_id: u32,
    channels: &Channels,
    queue: &mut VecDeque<MatchRef>,
    in_flight: &HashSet<i64>,
) -> Result<u64, SyncError> {
    let ids = channels.urgent.take();
    if ids.is_empty() {
        return Ok(0);
    }
    let revived = with_store(store, move |s| {
        let mut revived = Vec::new();
        for id in ids {
            revived.extend(s.revive(account_id, id)?);
        }
        Ok(revived)
    })
    .await?;
    let mut added = 0;
    for wanted in revived.into_iter().rev() {
        if in_flight.contains(&wanted.match_id) {
            continue;
        }
        match queue.iter().position(|m| m.match_id == wanted.match_id) {
            Some(at) => {
                queue.remove(at);
            }
            None => added += 1,
        }
        queue.push_front(wanted);
    }
    Ok(added)
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(t) => tokio::time::sleep_until(t.into()).await,
        None => std::future::pending().await,
    }
}
