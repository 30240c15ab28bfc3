//! One run of the sync: phase 1 then phase 2 (or phase 2 alone for a retry),
//! with a `sync_jobs` row kept current.

use super::options::{Channels, SyncMode, SyncOptions};
use super::outcome::{
    DownSource, RunOutcome, SourceSummary, Summary, api_down_message, sources_label,
};
use super::progress::{Progress, SyncEvent, SyncState};
use super::run::{
    PhaseEnd, RunContext, RunCounters, SharedStore, SyncError, next_utc_midnight, with_store,
};
use super::{collect, fetch, names};
use crate::source::{FetchError, MatchSource};
use crate::store::{JobStatus, Pending};

/// Runs one sync to its end, drawing from every source in `sources` at
/// once. Fetch failures are in the summary's outcome; only a database
/// failure is an `Err`.
pub async fn run<S: MatchSource>(
    sources: &[S],
    store: &SharedStore,
    options: &SyncOptions,
    channels: &Channels,
) -> Result<Summary, SyncError> {
    assert!(!sources.is_empty(), "a run needs a source");
    let account_id = options.account_id;
    let label = sources_label(sources);
    let first_phase = if options.mode == SyncMode::Full {
        "collect"
    } else {
        "fetch"
    };
    let job_label = label.clone();
    let job_id = with_store(store, move |s| {
        s.start_job(account_id, &job_label, first_phase)
    })
    .await?;
    channels.update(|p| {
        // A run without phase 1 keeps showing the last collection's counts.
        let collect = if options.mode == SyncMode::Full {
            Default::default()
        } else {
            p.collect
        };
        *p = Progress {
            account_id,
            source: Some(sources[0].kind()),
            collect,
            state: if options.mode == SyncMode::Full {
                SyncState::Collecting
            } else {
                SyncState::Fetching
            },
            ..Progress::default()
        }
    });

    for source in sources {
        source.reset(options.rate_for(source.kind()));
    }
    let context = RunContext {
        sources,
        store,
        options,
        channels,
        job_id,
    };
    let mut counters = RunCounters::default();
    let mut end = PhaseEnd::Finished;

    if options.mode == SyncMode::Full {
        end = collect::collect_ids(&context, &mut counters).await?;
    }
    if let SyncMode::Retry { all: true } = options.mode {
        with_store(store, move |s| s.reset_attempts(account_id, None)).await?;
    }
    if matches!(end, PhaseEnd::Finished) {
        let queue = match &options.mode {
            SyncMode::Full | SyncMode::DetailsOnly => {
                with_store(store, move |s| s.pending(account_id, Pending::Due)).await?
            }
            SyncMode::Retry { all } => {
                let all = *all;
                with_store(store, move |s| {
                    s.pending(account_id, Pending::Failed { given_up: all })
                })
                .await?
            }
            SyncMode::Matches(ids) => {
                let ids = ids.clone();
                with_store(store, move |s| {
                    for id in &ids {
                        s.reset_attempts(account_id, Some(*id))?;
                    }
                    let pending = s.pending(account_id, Pending::WithoutDetails)?;
                    Ok(pending
                        .into_iter()
                        .filter(|m| ids.contains(&m.match_id))
                        .collect())
                })
                .await?
            }
        };
        end = fetch::fetch_details(&context, &mut counters, queue).await?;
    }
    // Names after phase 2, so that they never take the matches' budget, and
    // only after a full run that ended well (ARCHITECTURE.md, "Sources and limits").
    let mut names_fetched = 0;
    if matches!(end, PhaseEnd::Finished) && options.mode == SyncMode::Full {
        let done = names::fetch_names(&context).await?;
        names_fetched = done.looked_up;
        if done.stopped {
            end = PhaseEnd::Stopped;
        }
    }

    let counts = with_store(store, move |s| s.counts(Some(account_id))).await?;
    let outcome = match end {
        PhaseEnd::Finished => RunOutcome::Completed,
        PhaseEnd::Stopped => RunOutcome::Stopped,
        PhaseEnd::ApiDown => RunOutcome::ApiDown,
        PhaseEnd::Fatal(FetchError::RateLimited { daily: true, .. }) => RunOutcome::DailyLimit {
            resets_at: next_utc_midnight(),
        },
        // Ends the run only when STRATZ was its last source.
        PhaseEnd::Fatal(FetchError::StratzUnavailable { reason }) => RunOutcome::Fatal {
            message: reason.message_alone(),
        },
        PhaseEnd::Fatal(error) => RunOutcome::Fatal {
            message: error.to_string(),
        },
    };
    // A source nothing was counted for (phase 2 did not run) has zeros.
    let per_source = |i: usize| counters.sources.get(i).copied().unwrap_or_default();
    // Named only when the run ended for it: each source found down, by
    // its host (the kind's name when it has none).
    let down: Vec<DownSource> = if outcome == RunOutcome::ApiDown {
        counters
            .outages
            .iter()
            .filter_map(|(&i, error)| {
                let source = sources.get(i)?;
                Some(DownSource {
                    source: source.kind(),
                    host: source
                        .host()
                        .unwrap_or_else(|| source.kind().as_str().to_string()),
                    cause: error.down_cause(),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let summary = Summary {
        account_id,
        source: label,
        ids_collected: counters.ids_collected,
        new_ids: counters.new_ids,
        summaries: counters.summaries,
        details_fetched: counters.fetched,
        failed: counters.failed,
        server_errors: counters.server_errors,
        given_up: counts.given_up,
        stubs_left: counts.stubs,
        history_capped: counters.capped,
        history_warning: counters.history_warning.clone(),
        outcome: outcome.clone(),
        names_fetched,
        sources: sources
            .iter()
            .enumerate()
            .map(|(i, source)| {
                let rate = source.pacer().rate();
                SourceSummary {
                    source: source.kind(),
                    requests: source.pacer().admitted(),
                    details_fetched: per_source(i).fetched,
                    failed: per_source(i).failed,
                    rate: rate.is_finite().then_some(rate),
                }
            })
            .collect(),
        down: down.clone(),
    };
    let (status, message, state) = match &outcome {
        RunOutcome::Completed => (JobStatus::Completed, None, SyncState::Done),
        RunOutcome::Stopped => (JobStatus::Stopped, None, SyncState::Stopped),
        RunOutcome::ApiDown => {
            let m = api_down_message(counts.stubs, &down);
            (JobStatus::Failed, Some(m.clone()), SyncState::Failed(m))
        }
        RunOutcome::DailyLimit { resets_at } => (
            JobStatus::Failed,
            Some(format!("daily API limit reached; resets at {resets_at}")),
            SyncState::DailyLimit {
                resets_at: *resets_at,
            },
        ),
        RunOutcome::Fatal { message } => (
            JobStatus::Failed,
            Some(message.clone()),
            SyncState::Failed(message.clone()),
        ),
    };
    let processed = counters.fetched + counters.failed;
    let (ids, new, failed) = (counters.ids_collected, counters.new_ids, counters.failed);
    with_store(store, move |s| {
        s.update_job(job_id, "done", ids.max(processed), processed, new, failed)?;
        s.finish_job(job_id, status, message.as_deref())
    })
    .await?;
    channels.update(|p| p.state = state);
    channels.emit(SyncEvent::Finished(Box::new(summary.clone())));
    Ok(summary)
}
