//! The sync engine against the simulator over real HTTP, on real SQLite files.
//! Each test of a `FetchError` kind is one row of README's retry table.

use crate::common::*;
use dota_sync::sim::FaultPlan;
use dota_sync::source::SourceKind;
use dota_sync::store::MAX_ATTEMPTS;
use dota_sync::sync::{RunOutcome, SyncMode};

#[tokio::test]
async fn full_steam_sync_uses_the_sequence_fallback_and_fetches_everything() {
    let sim = start(config(2, 120, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].clone();
    let (_dir, path) = db();
    let summary = run(&path, &steam(&sim), &options(account.account_id)).await;
    assert_eq!(summary.outcome, RunOutcome::Completed);
    assert_eq!(summary.ids_collected, 120);
    assert_eq!(summary.new_ids, 120);
    assert_eq!(summary.details_fetched, 120);
    assert_eq!(
        (summary.failed, summary.stubs_left, summary.history_capped),
        (0, 0, false)
    );
    // GetMatchDetails is probed, fails with 500 like the real API, and is abandoned.
    assert_eq!(requests(&sim, "GetMatchDetails"), 1, "probed once per run");

    assert_eq!(requests(&sim, "GetMatchHistoryBySequenceNum"), 120);
    assert_eq!(stored_teammates(&path), recomputed_teammates(&path));
    assert!(!stored_teammates(&path).is_empty());
}

#[tokio::test]
async fn inclusive_cursor_reaches_exactly_the_500_cap_and_reports_it() {
    let sim = start(config(2, 650, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].clone();
    let (_dir, path) = db();
    let mut opts = options(account.account_id);
    opts.mode = SyncMode::Full;
    let summary = run(&path, &steam(&sim), &opts).await;
    assert_eq!(summary.ids_collected, 500);
    assert!(summary.history_capped);
    assert_eq!(
        requests(&sim, "GetMatchHistory"),
        5,
        "100 per page, no wasted page"
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let stored: i64 = conn
        .query_row("SELECT count(*) FROM account_matches", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stored, 500);
    let newest_500: Vec<i64> = account.match_ids[..500].to_vec();
    let mut ids: Vec<i64> = conn
        .prepare("SELECT match_id FROM account_matches ORDER BY match_id DESC")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    let mut expected = newest_500;
    expected.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(ids, expected);
}

#[tokio::test]
async fn opendota_collects_the_whole_history() {
    let sim = start(config(2, 650, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].clone();
    let (_dir, path) = db();
    let mut opts = options(account.account_id);
    opts.mode = SyncMode::Full;
    // Phase 1 only matters here; fetch a few details to check the shape.
    let summary = run(&path, &opendota(&sim), &opts).await;
    assert_eq!(summary.ids_collected, 650);
    assert!(!summary.history_capped);
    assert_eq!(summary.details_fetched, 650);
    assert_eq!(requests(&sim, "od_player_matches"), 1);
    assert_eq!(stored_teammates(&path), recomputed_teammates(&path));
}

#[tokio::test]
async fn new_only_stops_at_the_first_page_with_nothing_new() {
    let sim = start(config(2, 350, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].account_id;
    let (_dir, path) = db();
    run(&path, &steam(&sim), &options(account)).await;
    let pages_before = requests(&sim, "GetMatchHistory");
    let mut opts = options(account);
    opts.new_only = true;
    let summary = run(&path, &steam(&sim), &opts).await;
    assert_eq!(requests(&sim, "GetMatchHistory") - pages_before, 1);
    assert_eq!((summary.new_ids, summary.details_fetched), (0, 0));
}

/// Runs one sync where the newest match of account 0 answers `words`;
/// returns that match's row and the summary.
async fn scripted(
    words: &[&str],
    kind: SourceKind,
) -> (
    crate::common::RowState,
    dota_sync::sync::Summary,
    dota_sync::sim::SimServer,
) {
    let plan = script(&[("account0:0".to_string(), words)]);
    let sim = start(config(2, 20, plan)).await;
    let account = sim.dataset().accounts()[0].clone();
    let (dir, path) = db();
    let source = if kind == SourceKind::Steam {
        steam(&sim)
    } else {
        opendota(&sim)
    };
    let summary = run(&path, &source, &options(account.account_id)).await;
    let state = row_state(&path, account.match_ids[0]);
    drop(dir);
    (state, summary, sim)
}

#[tokio::test]
async fn retry_table_server_error_is_recorded_but_not_counted() {
    // ARCHITECTURE.md, "Retry rules": the API being down is not the match's
    // fault: a stub stays a stub, its attempts untouched.
    let (state, summary, _sim) = scripted(&["500", "ok"], SourceKind::Steam).await;
    assert_eq!(state, (None, 0, Some("HTTP 500".into())));
    assert_eq!(
        (
            summary.failed,
            summary.server_errors,
            summary.details_fetched
        ),
        (1, 1, 19)
    );
}

#[tokio::test]
async fn retry_table_timeout_is_recorded_but_not_counted() {
    let (state, summary, _sim) = scripted(&["timeout", "ok"], SourceKind::Steam).await;
    assert_eq!(state, (None, 0, Some("timeout".into())));
    assert_eq!((summary.failed, summary.server_errors), (1, 0));
}

#[tokio::test]
async fn retry_table_connection_reset_is_recorded_but_not_counted() {
    let (state, summary, _sim) = scripted(&["reset", "ok"], SourceKind::Steam).await;
    assert_eq!((state.0, state.1), (None, 0));
    assert_eq!(state.2.as_deref(), Some("connection failed"));
    assert_eq!(summary.failed, 1);
}

#[tokio::test]
async fn retry_table_match_api_error_is_recorded() {
    let (state, _summary, _sim) = scripted(&["not_found"], SourceKind::Steam).await;
    assert_eq!(state, (Some(0), 1, Some("Match ID not found".into())));
    let (state, _summary, _sim) = scripted(&["status2"], SourceKind::Steam).await;
    assert_eq!((state.0, state.1), (Some(0), 1));
    assert!(state.2.unwrap().contains("Error retrieving match data"));
}

#[tokio::test]
async fn retry_table_wrong_match_is_recorded() {
    let (state, _summary, _sim) = scripted(&["wrong_match"], SourceKind::Steam).await;
    assert_eq!((state.0, state.1), (Some(0), 1));
    assert!(state.2.unwrap().contains("wrong match"));
}

#[tokio::test]
async fn retry_table_malformed_and_truncated_are_recorded() {
    for word in ["malformed", "truncated"] {
        let (state, _summary, _sim) = scripted(&[word], SourceKind::Steam).await;
        assert_eq!((state.0, state.1), (Some(0), 1), "{word}");
        assert!(state.2.unwrap().starts_with("malformed"), "{word}");
    }
}

#[tokio::test]
async fn retry_table_rate_limit_is_not_the_matchs_fault() {
    let (state, summary, _sim) = scripted(&["429", "429:1", "ok"], SourceKind::Steam).await;
    assert_eq!(
        state,
        (Some(1), 0, None),
        "retried in the same run, no attempt spent"
    );
    assert_eq!((summary.failed, summary.details_fetched), (0, 20));
}

#[tokio::test]
async fn retry_table_daily_limit_ends_the_run_and_keeps_stubs() {
    let (state, summary, _sim) = scripted(&["daily"], SourceKind::OpenDota).await;
    assert!(
        matches!(summary.outcome, RunOutcome::DailyLimit { .. }),
        "{:?}",
        summary.outcome
    );
    assert_eq!(
        state,
        (None, 0, None),
        "still a stub, nothing marked failed"
    );
    assert!(summary.stubs_left >= 1);
    assert_eq!(summary.failed, 0);
}

#[tokio::test]
async fn retry_table_rejected_key_stops_at_once_and_marks_nothing() {
    let mut cfg = config(2, 20, FaultPlan::default());
    cfg.required_key = Some("another-key".into());
    let sim = start(cfg).await;
    let account = sim.dataset().accounts()[0].account_id;
    let (_dir, path) = db();
    let summary = run(&path, &steam(&sim), &options(account)).await;
    match &summary.outcome {
        RunOutcome::Fatal { message } => {
            assert!(message.contains("rejected the key"), "{message}");
            assert!(!message.contains(KEY));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!((summary.ids_collected, summary.failed), (0, 0));
    assert_eq!(requests(&sim, "GetMatchHistory"), 1, "no retry of a 403");
}

#[tokio::test]
async fn retry_table_private_profile_is_fatal() {
    let sim = start(config(2, 20, FaultPlan::default())).await;
    let private = sim.dataset().private_account_id();
    let (_dir, path) = db();
    let summary = run(&path, &steam(&sim), &options(private)).await;
    match &summary.outcome {
        RunOutcome::Fatal { message } => assert!(message.contains("private"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn failing_match_is_given_up_after_three_runs_and_revived_by_retry_all() {
    let plan = script(&[("account0:0".to_string(), &["not_found"][..])]);
    let sim = start(config(2, 10, plan)).await;
    let account = sim.dataset().accounts()[0].clone();
    let target = account.match_ids[0];
    let (_dir, path) = db();
    for attempt in 1..=MAX_ATTEMPTS {
        run(&path, &steam(&sim), &options(account.account_id)).await;
        assert_eq!(row_state(&path, target).1, attempt);
    }
    let summary = run(&path, &steam(&sim), &options(account.account_id)).await;
    assert_eq!(
        row_state(&path, target).1,
        MAX_ATTEMPTS,
        "given up: not tried again"
    );
    assert_eq!((summary.given_up, summary.failed), (1, 0));

    let mut retry = options(account.account_id);
    retry.mode = SyncMode::Retry { all: false };
    let summary = run(&path, &steam(&sim), &retry).await;
    assert_eq!(summary.failed, 0, "plain retry skips given-up matches");
    retry.mode = SyncMode::Retry { all: true };
    let summary = run(&path, &steam(&sim), &retry).await;
    assert_eq!(summary.failed, 1, "--all tries it again");
    assert_eq!(row_state(&path, target).1, 1);
}

#[tokio::test]
async fn circuit_breaker_ends_the_run_when_the_api_stays_down() {
    let plan = FaultPlan {
        down: vec![dota_sync::sim::DownWindow {
            start_ms: 300,
            end_ms: 600_000,
        }],
        latency_ms: Some([5, 5]),
        ..FaultPlan::default()
    };
    let sim = start(config(2, 300, plan)).await;
    let account = sim.dataset().accounts()[0].account_id;
    let (_dir, path) = db();
    let mut opts = options(account);
    opts.rate = 100.0;
    let summary = run(&path, &opendota(&sim), &opts).await;
    assert_eq!(summary.outcome, RunOutcome::ApiDown);
    assert!(summary.stubs_left > 0);
    assert!(summary.server_errors >= 5);
    // The end names the source that was down: its host and the status.
    let host = sim.base_url().trim_start_matches("http://").to_string();
    assert_eq!(
        dota_sync::sync::down_list(&summary.down),
        format!("{host}: HTTP 503"),
        "{:?}",
        summary.down
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let stubs: i64 = conn
        .query_row(
            "SELECT count(*) FROM matches WHERE has_details IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stubs as u64, summary.stubs_left);
}

#[tokio::test]
async fn three_syncs_give_an_identical_database() {
    let sim = start(config(2, 150, FaultPlan::default())).await;
    let (a, b) = sim.dataset().shared_pair();
    let (_dir, path) = db();
    run(&path, &steam(&sim), &options(a)).await;
    run(&path, &steam(&sim), &options(b)).await;
    let first = dump(&path);
    for _ in 0..2 {
        run(&path, &steam(&sim), &options(a)).await;
        run(&path, &steam(&sim), &options(b)).await;
        assert_eq!(dump(&path), first);
    }
    assert_eq!(stored_teammates(&path), recomputed_teammates(&path));
}

#[tokio::test]
async fn shared_matches_are_stored_once_and_counted_per_account() {
    let sim = start(config(2, 150, FaultPlan::default())).await;
    let dataset = sim.dataset();
    let (a, b) = dataset.shared_pair();
    let shared: Vec<i64> = dataset
        .account(a)
        .unwrap()
        .match_ids
        .iter()
        .filter(|id| dataset.account(b).unwrap().match_ids.contains(id))
        .copied()
        .collect();
    assert!(!shared.is_empty());
    let (_dir, path) = db();
    run(&path, &steam(&sim), &options(a)).await;
    let fetched_before = requests(&sim, "GetMatchHistoryBySequenceNum");
    let summary = run(&path, &steam(&sim), &options(b)).await;
    // Shared matches already have details: only b's own ones are fetched.
    assert_eq!(summary.details_fetched, 150 - shared.len() as u64);
    assert_eq!(
        requests(&sim, "GetMatchHistoryBySequenceNum") - fetched_before,
        summary.details_fetched
    );
    let conn = rusqlite::Connection::open(&path).unwrap();
    let matches: i64 = conn
        .query_row("SELECT count(*) FROM matches", [], |r| r.get(0))
        .unwrap();
    assert_eq!(matches as usize, 300 - shared.len());
    assert_eq!(stored_teammates(&path), recomputed_teammates(&path));
}

#[tokio::test]
async fn requests_never_exceed_the_rate_in_any_second() {
    let plan = FaultPlan {
        latency_ms: Some([30, 60]),
        ..FaultPlan::default()
    };
    let sim = start(config(2, 45, plan)).await;
    let account = sim.dataset().accounts()[0].account_id;
    let (_dir, path) = db();
    let mut opts = options(account);
    opts.rate = 10.0;
    let summary = run(&path, &steam(&sim), &opts).await;
    assert_eq!(summary.details_fetched, 45);
    let stats = sim.stats();
    assert!(
        stats.peak_per_second <= 10,
        "peak {}",
        stats.peak_per_second
    );
    assert!(
        stats.peak_per_second >= 8,
        "the budget is used: peak {}",
        stats.peak_per_second
    );
}

#[tokio::test]
async fn a_stopped_run_resumes_to_the_same_database() {
    let plan = FaultPlan {
        latency_ms: Some([5, 10]),
        ..FaultPlan::default()
    };
    let sim = start(config(2, 120, plan)).await;
    let account = sim.dataset().accounts()[0].account_id;
    let (_dir, path) = db();
    let (_dir2, reference) = db();
    run(&reference, &steam(&sim), &options(account)).await;

    let store = std::sync::Arc::new(std::sync::Mutex::new(
        dota_sync::store::Store::open(&path).unwrap(),
    ));
    let (channels, mut progress) = dota_sync::sync::Channels::detached();
    let mut opts = options(account);
    opts.rate = 200.0;
    let cancel = channels.cancel.clone();
    let stopper = tokio::spawn(async move {
        loop {
            if progress.changed().await.is_err() {
                return;
            }
            if progress.borrow().fetch.processed >= 30 {
                cancel.cancel();
                return;
            }
        }
    });
    let source = steam(&sim);
    let summary = dota_sync::sync::run(std::slice::from_ref(&source), &store, &opts, &channels)
        .await
        .unwrap();
    stopper.await.unwrap();
    assert_eq!(summary.outcome, RunOutcome::Stopped);
    assert!(summary.stubs_left > 0);
    drop(store);
    run(&path, &steam(&sim), &options(account)).await;
    assert_eq!(dump(&path), dump(&reference));
}

#[tokio::test]
async fn a_match_asked_for_during_a_run_is_fetched_in_that_run_even_if_given_up() {
    let plan = script(&[(
        "account0:3".to_string(),
        &["not_found", "not_found", "not_found", "ok"][..],
    )]);
    let sim = start(config(2, 12, plan)).await;
    let account = sim.dataset().accounts()[0].clone();
    let target = account.match_ids[3];
    let (_dir, path) = db();
    for _ in 0..MAX_ATTEMPTS {
        run(&path, &steam(&sim), &options(account.account_id)).await;
    }
    assert_eq!(row_state(&path, target).1, MAX_ATTEMPTS, "given up");

    let store = std::sync::Arc::new(std::sync::Mutex::new(
        dota_sync::store::Store::open(&path).unwrap(),
    ));
    let (channels, progress) = dota_sync::sync::Channels::detached();
    channels.urgent.push(target);
    let source = steam(&sim);
    let summary = dota_sync::sync::run(
        std::slice::from_ref(&source),
        &store,
        &options(account.account_id),
        &channels,
    )
    .await
    .unwrap();
    assert_eq!(
        summary.details_fetched, 1,
        "only the revived match was pending"
    );
    assert_eq!(progress.borrow().fetch.total, 1);
    assert_eq!(row_state(&path, target), (Some(1), 0, None));
    assert!(channels.urgent.take().is_empty());
}
