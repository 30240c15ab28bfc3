//! After phase 2: the names of the accounts due one, best-effort
//! (ARCHITECTURE.md, "Sources and limits"). Names run only once every match has
//! had its chance, so they never take the match fetches' budget; any
//! failure ends them for this run and changes nothing else of it.

use futures_util::stream::{FuturesUnordered, StreamExt};

use super::dispatch::in_flight_cap;
use super::progress::{SyncEvent, names_notice};
use super::run::{RunContext, SyncError, with_store};
use crate::source::names::PlayerName;
use crate::source::{FetchError, MatchSource};
use crate::store::NameRecord;

/// Accounts looked up per run with Steam's 100-a-call summaries: 50 calls,
/// about 13 s at Steam's default rate.
pub(crate) const STEAM_NAMES_PER_RUN: usize = 5_000;

/// Accounts looked up per run where each costs a call (OpenDota): its free
/// tier allows 60 a minute and 3,000 a day, so the 100 accounts played with
/// most, about 100 s at its keyless rate.
pub(crate) const ONE_BY_ONE_NAMES_PER_RUN: usize = 100;

/// Lookups kept before one transaction saves them.
const SAVE_EVERY: usize = 100;

/// What the names step did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NamesDone {
    /// Accounts whose lookup was saved (with a name or without).
    pub looked_up: u64,
    /// The run was stopped (Ctrl-C, SIGTERM, the TUI's stop) meanwhile.
    pub stopped: bool,
}

/// The source names come from: the one that names most accounts a call
/// (Steam with a key), else one that names any (OpenDota), else none.
fn names_source<S: MatchSource>(sources: &[S]) -> Option<&S> {
    sources
        .iter()
        .filter(|s| s.names_per_call() > 0)
        .max_by_key(|s| s.names_per_call())
}

/// Looks up the names due for the run's account and saves them. Only a
/// database failure is an error; an API failure is logged and ends names
/// for this run.
pub(crate) async fn fetch_names<S: MatchSource>(
    run: &RunContext<'_, S>,
) -> Result<NamesDone, SyncError> {
    let mut done = NamesDone::default();
    let Some(source) = names_source(run.sources) else {
        return Ok(done);
    };
    let per_call = source.names_per_call();
    let cap = if per_call > 1 {
        STEAM_NAMES_PER_RUN
    } else {
        ONE_BY_ONE_NAMES_PER_RUN
    };
    let account_id = run.options.account_id;
    let now = chrono::Utc::now().timestamp();
    let due = with_store(run.store, move |s| s.names_due(account_id, now, cap)).await?;
    if due.is_empty() || run.channels.cancel.is_cancelled() {
        return Ok(done);
    }
    let kind = source.kind();
    tracing::info!(source = %kind, accounts = due.len(), "fetching player names");
    run.channels
        .emit(SyncEvent::Notice(names_notice(due.len(), kind)));

    // As many calls in flight as phase 2 would keep for this source's rate:
    // the pacer still admits each.
    let in_flight = in_flight_cap(source.pacer().rate(), run.options.max_in_flight);
    // Filled by hand rather than with a stream adaptor: a closure there
    // makes the run's future not provably `Send` for every lifetime.
    let mut calls = due.chunks(per_call);
    let mut answers = FuturesUnordered::new();
    let mut paused = run.channels.paused.clone();
    let mut pause_alive = true;
    let mut pending: Vec<NameRecord> = Vec::new();
    let mut failure: Option<FetchError> = None;
    loop {
        if *paused.borrow_and_update() {
            // A pause during names ends them for this run: nothing more is
            // sent, and what is due is asked for next run.
            failure = Some(FetchError::NotSent);
            break;
        }
        while answers.len() < in_flight {
            let Some(accounts) = calls.next() else { break };
            answers.push(source.player_names(accounts));
        }
        tokio::select! {
            biased;
            _ = run.channels.cancel.cancelled() => {
                done.stopped = true;
                break;
            }
            changed = paused.changed(), if pause_alive => {
                // Nobody can pause a run whose pause switch is gone.
                pause_alive = changed.is_ok();
            }
            answer = answers.next() => match answer {
                None => break,
                Some(Ok(found)) => {
                    pending.extend(found.into_iter().map(record));
                    if pending.len() >= SAVE_EVERY {
                        done.looked_up += save(run, kind.as_str(), &mut pending, now).await?;
                    }
                }
                Some(Err(error)) => {
                    failure = Some(error);
                    break;
                }
            },
        }
    }
    drop(answers);
    done.looked_up += save(run, kind.as_str(), &mut pending, now).await?;
    match failure {
        // The error text is already cleaned and holds no key.
        Some(FetchError::NotSent) => {
            tracing::info!(source = %kind, "player names: paused, left for the next run")
        }
        Some(error) => {
            tracing::warn!(source = %kind, error = %error, "player names: stopped for this run")
        }
        None => {}
    }
    tracing::info!(source = %kind, looked_up = done.looked_up, "player names saved");
    Ok(done)
}

fn record(found: PlayerName) -> NameRecord {
    NameRecord {
        account_id: found.account_id,
        name: found.name,
    }
}

/// Saves what is pending in one transaction; returns how many it saved.
async fn save<S: MatchSource>(
    run: &RunContext<'_, S>,
    source: &'static str,
    pending: &mut Vec<NameRecord>,
    now: i64,
) -> Result<u64, SyncError> {
    if pending.is_empty() {
        return Ok(0);
    }
    let batch = std::mem::take(pending);
    let count = batch.len() as u64;
    with_store(run.store, move |s| s.save_names(&batch, source, now)).await?;
    Ok(count)
}
