//! Phase 2: fetch each pending match's details from every source at once,
//! each under its own pacer, and apply the retry rules to every answer.
//!
//! This is the thin loop that does I/O: it sends what [`Dispatch`] hands
//! each source, feeds the answers back, passes the row changes to the
//! [`Writer`] thread (so requests stay in flight while a batch commits) and
//! publishes progress. Every decision is `Dispatch`'s.

use std::time::{Duration, Instant};

use futures_util::stream::{FuturesUnordered, StreamExt};

use super::dispatch::in_flight_cap;
use super::dispatch::{Dispatch, Effects, RowChange, Standing, Task};
use super::progress::{SourceState, SyncEvent, SyncState};
use super::run::{
    PhaseEnd, RunContext, RunCounters, SyncError, next_utc_midnight, sleep_until, with_store,
};
use super::throughput::Throughput;
use super::writer::{Write, Writer, Written};
use crate::source::{BatchOutcomes, FetchError, MatchDetails, MatchRef, MatchSource, validate};

/// What one call carries: a match, or a batch for a source that serves
/// several a call.
enum Work {
    One(Task),
    Batch(Vec<Task>),
}

/// The answer to one call.
enum Answer {
    One(Task, Result<MatchDetails, FetchError>),
    Batch(Vec<Task>, Result<BatchOutcomes, FetchError>),
}

/// One call: the source's pacer admits each request it sends, or refuses
/// when the gate is closed (`NotSent`). A wrong or impossible match is a
/// failure of the match's own, in a batch as alone.
async fn attempt<S: MatchSource>(source: &S, index: usize, work: Work) -> (usize, Answer) {
    let answer = match work {
        Work::One(task) => {
            let wanted = task.wanted;
            let result = source
                .match_details(wanted)
                .await
                .and_then(|details| validate::checked_answer(wanted.match_id, details));
            Answer::One(task, result)
        }
        Work::Batch(tasks) => {
            let wanted: Vec<MatchRef> = tasks.iter().map(|t| t.wanted).collect();
            let result = source.match_batch(&wanted).await.map(|outcomes| {
                outcomes
                    .into_iter()
                    .map(|(id, outcome)| {
                        (id, outcome.and_then(|d| validate::checked_answer(id, d)))
                    })
                    .collect()
            });
            Answer::Batch(tasks, result)
        }
    };
    (index, answer)
}

/// Whether a failed answer counts in the source's `failed` count.
fn tallied(error: &FetchError) -> bool {
    !matches!(
        error,
        FetchError::NotSent | FetchError::RateLimited { .. } | FetchError::StratzUnavailable { .. }
    )
}

/// How fast answers are written, per source and overall, for the progress
/// lines; the counts themselves are the run's ([`RunCounters`]).
struct Rates {
    sources: Vec<Throughput>,
    all: Throughput,
    started: Instant,
}

pub(crate) async fn fetch_details<S: MatchSource>(
    run: &RunContext<'_, S>,
    counters: &mut RunCounters,
    queue: Vec<MatchRef>,
) -> Result<PhaseEnd, SyncError> {
    let sources = run.sources;
    let channels = run.channels;
    let options = run.options;
    // Whole matches phase 1 saved (all the run has fetched so far) count
    // as this phase's answers.
    counters.total = queue.len() as u64 + counters.fetched;
    let mut rates = Rates {
        sources: (0..sources.len()).map(|_| Throughput::default()).collect(),
        all: Throughput::default(),
        started: Instant::now(),
    };
    let mut dispatch = Dispatch::new(queue, sources.len(), options.breaker);
    for &source in &counters.dropped {
        dispatch.set_down(source);
    }
    let mut writer = Writer::start(
        run.store.clone(),
        sources.iter().map(|s| s.kind()).collect(),
        options.max_unwritten,
    );
    let can_serve = |i: usize, m: &MatchRef| sources[i].can_serve(m);
    channels.update(|p| {
        p.state = SyncState::Fetching;
        p.fetch_started = true;
        p.fetch.total = counters.total;
        p.fetch.rate_limit = sources.iter().map(|s| s.pacer().rate()).sum();
    });

    let mut in_flight = FuturesUnordered::new();
    let mut paused = channels.paused.clone();
    let mut pause_alive = true;
    let mut end: Option<PhaseEnd> = None;
    let mut last_job_update = Instant::now();
    let mut ticker = tokio::time::interval(Duration::from_secs(1));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut writer_alive = true;

    loop {
        if end.is_none() && channels.cancel.is_cancelled() {
            end = Some(PhaseEnd::Stopped);
        }
        let now = Instant::now();
        let next_hold_end = dispatch.expire_holds(now);
        if end.is_none() {
            take_urgent(run, &mut dispatch, counters).await?;
        }
        let is_paused = *paused.borrow_and_update();
        let mut can_send_more = false;
        for (i, source) in sources.iter().enumerate() {
            let open = end.is_none()
                && !is_paused
                && dispatch.standing(i) == Standing::Live
                && dispatch.hold(i).is_none();
            source.set_open(open);
            if !open {
                can_send_more |= end.is_none() && dispatch.standing(i) == Standing::Live;
                continue;
            }
            // The cap counts calls: a batch is one.
            let cap = in_flight_cap(source.pacer().rate(), options.max_in_flight);
            let batch = source.batch_size();
            // Writes first: what is fetched must not pile up in memory.
            while dispatch.in_flight(i) < cap && !writer.is_behind() {
                let work = if batch > 1 {
                    let tasks = dispatch.take_batch_for(i, batch, |m| source.can_serve(m));
                    if tasks.is_empty() {
                        break;
                    }
                    Work::Batch(tasks)
                } else {
                    let Some(task) = dispatch.take_for(i, |m| source.can_serve(m)) else {
                        break;
                    };
                    Work::One(task)
                };
                in_flight.push(attempt(source, i, work));
            }
            // Held back by the writer, not done: wait for it to catch up.
            can_send_more |= dispatch.in_flight(i) > 0 || writer.is_behind();
        }
        publish(
            run,
            counters,
            &dispatch,
            &mut rates,
            is_paused,
            end.is_some(),
            now,
        );
        if in_flight.is_empty() {
            if end.is_none() && dispatch.all_out() {
                end = Some(
                    if (0..sources.len()).all(|i| dispatch.standing(i) == Standing::OutOfCalls) {
                        PhaseEnd::Fatal(FetchError::RateLimited {
                            retry_after: None,
                            daily: true,
                        })
                    } else {
                        PhaseEnd::ApiDown
                    },
                );
            }
            if end.is_some() || !can_send_more {
                break;
            }
        }

        tokio::select! {
            Some((i, answer)) = in_flight.next(), if !in_flight.is_empty() => {
                let effects = match answer {
                    Answer::One(task, result) => {
                        if result.as_ref().is_err_and(tallied) {
                            counters.source(i).failed += 1;
                        }
                        dispatch.on_answer(i, task, result, Instant::now(), &can_serve)
                    }
                    Answer::Batch(tasks, result) => {
                        counters.source(i).failed += match &result {
                            Ok(outcomes) => outcomes
                                .iter()
                                .filter(|(_, o)| o.as_ref().is_err_and(tallied))
                                .count() as u64,
                            Err(error) if tallied(error) => tasks.len() as u64,
                            Err(_) => 0,
                        };
                        dispatch.on_batch_answer(i, tasks, result, Instant::now(), &can_serve)
                    }
                };
                apply(run, &writer, &mut end, effects, i);
            }
            done = writer.done.recv(), if writer_alive => match done {
                Some(done) => record_written(run, counters, &mut rates, done?),
                None => writer_alive = false,
            },
            _ = sleep_until(next_hold_end.map(Into::into)), if next_hold_end.is_some() => {}
            changed = paused.changed(), if pause_alive => {
                // Nobody can resume a run whose pause switch is gone.
                pause_alive = changed.is_ok();
            }
            _ = channels.cancel.cancelled(), if end.is_none() => {}
            _ = ticker.tick() => {}
            _ = channels.urgent.added.notified(), if end.is_none() => {}
        }
        if last_job_update.elapsed() > Duration::from_millis(500) {
            last_job_update = Instant::now();
            writer.send(job_write(run, counters));
        }
    }
    // What no source will try any more keeps its row, or gets the "API is
    // down" one if a source failed it.
    for (wanted, change) in dispatch.settle_rest(&can_serve) {
        if !matches!(end, Some(PhaseEnd::Fatal(_))) {
            writer.send(Write::Row { wanted, change });
        }
    }
    writer.send(job_write(run, counters));
    writer.finish().await;
    while let Some(done) = writer.done.recv().await {
        record_written(run, counters, &mut rates, done?);
    }
    for source in sources {
        source.set_open(true);
    }
    publish(
        run,
        counters,
        &dispatch,
        &mut rates,
        false,
        true,
        Instant::now(),
    );
    // Phase 2 has the last word on who is down: a source phase 1 found
    // down and that answered since is not named.
    counters.outages = (0..sources.len())
        .filter_map(|i| dispatch.last_outage(i).map(|e| (i, e.clone())))
        .collect();
    Ok(end.unwrap_or(PhaseEnd::Finished))
}

/// Carries out what one answer asked for.
fn apply<S: MatchSource>(
    run: &RunContext<'_, S>,
    writer: &Writer,
    end: &mut Option<PhaseEnd>,
    effects: Effects,
    source: usize,
) {
    let kind = run.sources[source].kind();
    if effects.slow_down {
        let rate = run.sources[source].slow_down();
        run.channels.emit(SyncEvent::Notice(format!(
            "{kind}: slowing to {rate:.2} requests/s"
        )));
    }
    for notice in effects.notices {
        run.channels
            .emit(SyncEvent::Notice(format!("{kind}: {notice}")));
    }
    if let Some(error) = effects.fatal {
        tracing::warn!(%error, source = %kind, "phase 2 ends");
        if end.is_none() || matches!(end, Some(PhaseEnd::Stopped)) {
            *end = Some(PhaseEnd::Fatal(error));
        }
    }
    for (wanted, change) in effects.rows {
        // Once the run is ending on a fatal error, failures are not the
        // matches' fault: leave their rows alone.
        if matches!(end, Some(PhaseEnd::Fatal(_))) && !matches!(change, RowChange::Save(..)) {
            continue;
        }
        writer.send(Write::Row { wanted, change });
    }
}

fn record_written<S: MatchSource>(
    run: &RunContext<'_, S>,
    counters: &mut RunCounters,
    rates: &mut Rates,
    written: Vec<Written>,
) {
    let now = Instant::now();
    for outcome in written {
        rates.all.record(now);
        match outcome {
            Written::Saved { match_id, source } => {
                counters.record_saved(source, 1);
                rates.sources[source].record(now);
                run.sources[source].pacer().record_success();
                run.channels.emit(SyncEvent::MatchFetched { match_id });
            }
            Written::Failed {
                match_id,
                error,
                counted,
                attempts,
                given_up,
            } => {
                let server = matches!(error, FetchError::Server { .. });
                counters.record_failure(match_id, server, given_up, counted);
                run.channels.emit(SyncEvent::MatchFailed {
                    match_id,
                    reason: error.short(),
                    attempts,
                    given_up: given_up && counted,
                });
            }
        }
    }
}

/// Publishes the run's progress and one line per source.
fn publish<S: MatchSource>(
    run: &RunContext<'_, S>,
    counters: &RunCounters,
    dispatch: &Dispatch,
    rates: &mut Rates,
    paused: bool,
    ending: bool,
    now: Instant,
) {
    let total = counters.total;
    let processed = counters.fetched + counters.failed;
    let per_second = rates.all.per_second(now);
    let remaining = total.saturating_sub(processed);
    let sources: Vec<_> = run
        .sources
        .iter()
        .enumerate()
        .map(|(i, source)| {
            let state = match (dispatch.standing(i), dispatch.hold(i)) {
                (Standing::Down, _) => SourceState::Down,
                (Standing::OutOfCalls, _) => SourceState::OutOfCalls {
                    until: next_utc_midnight(),
                },
                _ if ending => SourceState::Finished,
                (Standing::Live, Some(hold)) => SourceState::Paused {
                    retry_in: hold.until.saturating_duration_since(now),
                },
                (Standing::Live, None) => SourceState::Running,
            };
            let counts = counters.sources.get(i).copied().unwrap_or_default();
            super::progress::SourceProgress {
                kind: source.kind(),
                state,
                per_second: rates.sources[i].per_second(now),
                rate_limit: source.pacer().rate(),
                requests: source.pacer().admitted(),
                fetched: counts.fetched,
                failed: counts.failed,
            }
        })
        .collect();
    // The run's state: the worst of its live sources' holds.
    let hold = (0..run.sources.len())
        .filter_map(|i| dispatch.hold(i))
        .min_by_key(|h| h.until);
    let all_held = (0..run.sources.len())
        .filter(|&i| dispatch.standing(i) == Standing::Live)
        .all(|i| dispatch.hold(i).is_some());
    run.channels.update(|p| {
        if !ending {
            p.state = match hold {
                _ if paused => SyncState::Paused,
                Some(hold) if all_held => {
                    let retry_in = hold.until.saturating_duration_since(now);
                    if hold.rate_limited {
                        SyncState::RateLimited { retry_in }
                    } else {
                        SyncState::ApiDown { retry_in }
                    }
                }
                _ => SyncState::Fetching,
            };
        }
        p.fetch.total = total;
        p.fetch.processed = processed;
        p.fetch.succeeded = counters.fetched;
        p.fetch.failed = counters.failed;
        p.fetch.server_errors = counters.server_errors;
        p.fetch.given_up = counters.given_up;
        p.fetch.uncounted = counters.uncounted;
        p.fetch.per_second = per_second;
        p.fetch.elapsed = now.saturating_duration_since(rates.started);
        p.fetch.rate_limit = sources.iter().map(|s| s.rate_limit).sum();
        p.fetch.eta = (per_second > 0.0 && !paused)
            .then(|| Duration::from_secs_f64(remaining as f64 / per_second));
        p.sources = sources;
    });
}

fn job_write<S: MatchSource>(run: &RunContext<'_, S>, counters: &RunCounters) -> Write {
    Write::Job {
        job_id: run.job_id,
        total: counters.ids_collected.max(counters.total),
        processed: counters.fetched + counters.failed,
        new: counters.new_ids,
        failed: counters.failed,
    }
}

/// Moves the matches an observer asked for to the front of the queue, with
/// their attempts given back, and counts the new ones in the total. A match
/// that already failed in this run is not new: its failure is taken back
/// instead, so `processed` never passes `total`.
async fn take_urgent<S: MatchSource>(
    run: &RunContext<'_, S>,
    dispatch: &mut Dispatch,
    counters: &mut RunCounters,
) -> Result<(), SyncError> {
    let ids = run.channels.urgent.take();
    if ids.is_empty() {
        return Ok(());
    }
    let account_id = run.options.account_id;
    let revived = with_store(run.store, move |s| {
        let mut revived = Vec::new();
        for id in ids {
            revived.extend(s.revive(account_id, id)?);
        }
        Ok(revived)
    })
    .await?;
    for wanted in revived.into_iter().rev() {
        if dispatch.push_urgent(wanted) {
            counters.ask_again(wanted.match_id);
        }
    }
    Ok(())
}
