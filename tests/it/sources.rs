//! Syncs from every source at once, against the simulator behaving like
//! today's APIs (ARCHITECTURE.md, "Retry rules", "Phase 1 with several sources"): the
//! union of the histories, both sources busy within their own rates, a
//! match one source cannot serve served by the other, the row changed once.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::*;
use dota_sync::sim::{FaultPlan, OpenDotaLimits, SimConfig, SimServer};
use dota_sync::source::{AnySource, SourceConfig, SourceKind};
use dota_sync::store::Store;
use dota_sync::sync::{self, Channels, RunOutcome, Summary, SyncOptions};

/// The world as it is: Steam's newest 500, Immortal Draft left out of its
/// sequence endpoint, a few matches OpenDota lacks.
fn today(matches: usize, faults: FaultPlan) -> SimConfig {
    SimConfig {
        seed: 11,
        accounts: 2,
        matches_per_account: matches,
        faults,
        ..SimConfig::default()
    }
}

fn both(sim: &SimServer) -> Vec<AnySource> {
    vec![steam(sim), opendota(sim)]
}

fn two_source_options(account_id: u32, steam_rate: f64, opendota_rate: f64) -> SyncOptions {
    let mut options = options(account_id);
    options.source_rates = vec![
        (SourceKind::Steam, steam_rate),
        (SourceKind::OpenDota, opendota_rate),
    ];
    options
}

async fn run_all(db: &std::path::Path, sources: &[AnySource], options: &SyncOptions) -> Summary {
    let store = Arc::new(Mutex::new(Store::open(db).unwrap()));
    let (channels, _progress) = Channels::detached();
    sync::run(sources, &store, options, &channels)
        .await
        .unwrap()
}

fn column(db: &std::path::Path, sql: &str) -> Vec<(i64, Option<i64>, i64, Option<String>)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn.prepare(sql).unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[tokio::test]
async fn the_union_of_both_histories_is_fetched_by_both_sources_at_once() {
    let sim = start(today(700, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].clone();
    let (_dir, path) = db();
    let options = two_source_options(account.account_id, 40.0, 60.0);
    let summary = run_all(&path, &both(&sim), &options).await;
    assert_eq!(summary.outcome, RunOutcome::Completed);

    // Phase 1: Steam lists the newest 500, OpenDota all but what it lacks;
    // together, every match.
    let lacked = account
        .match_ids
        .iter()
        .filter(|&&id| sim.opendota_lacks(id))
        .count();
    assert!(lacked > 0, "the world has matches OpenDota lacks");
    let newest_500: std::collections::HashSet<i64> =
        account.match_ids.iter().take(500).copied().collect();
    let missing_from_both = account
        .match_ids
        .iter()
        .filter(|id| !newest_500.contains(id) && sim.opendota_lacks(**id))
        .count();
    assert_eq!(
        summary.ids_collected as usize,
        account.match_ids.len() - missing_from_both
    );
    assert!(
        !summary.history_capped,
        "OpenDota listed more than Steam's 500"
    );
    assert_eq!(summary.source, "steam,opendota");

    // Phase 2: every match fetched; both sources did some of the work,
    // at the same time, each within its own rate.
    assert_eq!(summary.details_fetched, summary.ids_collected);
    let stats = sim.stats();
    let (steam_api, opendota_api) = (&stats.by_api["steam"], &stats.by_api["opendota"]);
    assert!(
        steam_api.requests > 50 && opendota_api.requests > 50,
        "{stats:?}"
    );
    assert!(
        steam_api.first_ms < opendota_api.last_ms && opendota_api.first_ms < steam_api.last_ms,
        "the sources worked side by side: {stats:?}"
    );
    assert!(steam_api.peak_per_second <= 40, "{stats:?}");
    assert!(opendota_api.peak_per_second <= 60, "{stats:?}");
    let by_source = column(
        &path,
        "SELECT count(*), NULL, 0, details_source FROM matches GROUP BY details_source ORDER BY 4",
    );
    let names: Vec<_> = by_source.iter().map(|r| r.3.clone()).collect();
    assert_eq!(names, [Some("opendota".into()), Some("steam".into())]);
    assert_eq!(summary.sources.len(), 2);
    assert_eq!(
        summary
            .sources
            .iter()
            .map(|s| s.details_fetched)
            .sum::<u64>(),
        summary.details_fetched
    );
    assert_eq!(stored_teammates(&path), recomputed_teammates(&path));
}

#[tokio::test]
async fn a_match_steam_returns_wrong_is_served_by_opendota_uncounted() {
    let sim = start(today(300, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].clone();
    let immortal: Vec<i64> = sim
        .dataset()
        .immortal_draft_ids()
        .into_iter()
        .filter(|id| account.match_ids.contains(id))
        .collect();
    assert!(!immortal.is_empty());
    let (_dir, path) = db();
    // Steam alone: Immortal Draft matches come back wrong and count.
    let steam_only = run_all(&path, &[steam(&sim)], &options(account.account_id)).await;
    assert!(steam_only.failed >= immortal.len() as u64);
    assert_eq!(row_state(&path, immortal[0]).1, 1);

    // Both: OpenDota serves them; the attempts Steam used are kept, none added.
    let (_dir2, path2) = db();
    let summary = run_all(
        &path2,
        &both(&sim),
        &two_source_options(account.account_id, 500.0, 500.0),
    )
    .await;
    assert_eq!(summary.outcome, RunOutcome::Completed);
    for id in &immortal {
        let (has_details, retry_count, error) = row_state(&path2, *id);
        assert_eq!(
            (has_details, retry_count, error),
            (Some(1), 0, None),
            "match {id}"
        );
    }
    let sources = column(
        &path2,
        &format!(
            "SELECT match_id, has_details, retry_count, details_source FROM matches WHERE match_id = {}",
            immortal[0]
        ),
    );
    assert_eq!(sources[0].3.as_deref(), Some("opendota"));
}

#[tokio::test]
async fn a_match_neither_source_has_counts_once_per_run() {
    let sim = start(today(
        60,
        script(&[("account0:0".to_string(), &["not_found"][..])]),
    ))
    .await;
    let account = sim.dataset().accounts()[0].clone();
    let target = account.match_ids[0];
    let (_dir, path) = db();
    let options = two_source_options(account.account_id, 500.0, 500.0);
    for run in 1..=2 {
        let summary = run_all(&path, &both(&sim), &options).await;
        assert_eq!(summary.outcome, RunOutcome::Completed);
        let (has_details, retry_count, error) = row_state(&path, target);
        assert_eq!((has_details, retry_count), (Some(0), run), "run {run}");
        assert!(error.is_some());
    }
}

#[tokio::test]
async fn opendota_out_of_calls_mid_run_drops_out_and_steam_finishes() {
    let plan = FaultPlan {
        opendota_limits: Some(OpenDotaLimits {
            per_day: 40,
            ..OpenDotaLimits::default()
        }),
        ..FaultPlan::default()
    };
    let mut config = today(300, plan);
    config.faults.sequence_skips_immortal_draft = false;
    config.faults.opendota_lacks = 0.0;
    let sim = start(config).await;
    let account = sim.dataset().accounts()[0].clone();
    let (_dir, path) = db();
    // OpenDota without a key: the daily quota applies.
    let opendota_config = SourceConfig::new(SourceKind::OpenDota, Some(sim.base_url()), None);
    let sources = vec![steam(&sim), AnySource::new(&opendota_config).unwrap()];
    let summary = run_all(
        &path,
        &sources,
        &two_source_options(account.account_id, 300.0, 300.0),
    )
    .await;
    assert_eq!(summary.outcome, RunOutcome::Completed, "{summary:?}");
    assert_eq!(summary.details_fetched, 300);
    assert_eq!(summary.stubs_left, 0);
    let opendota = &summary.sources[1];
    // Requests already in flight when the quota ran out may meet a 429;
    // no more go after it.
    let in_flight = options(0).max_in_flight as u64;
    assert!(opendota.requests <= 40 + in_flight, "{opendota:?}");
    assert!(summary.sources[0].details_fetched > opendota.details_fetched);
    // OpenDota's `-Day` header said so first: at most the requests then in
    // flight met a 429.
    let limited = sim
        .stats()
        .by_endpoint
        .values()
        .flat_map(|outcomes| outcomes.iter())
        .filter(|(outcome, _)| outcome.contains("daily"))
        .map(|(_, n)| *n)
        .sum::<u64>();
    assert!(limited <= in_flight, "{:?}", sim.stats());
}

#[tokio::test]
async fn an_empty_opendota_history_is_a_private_profile() {
    let sim = start(today(20, FaultPlan::default())).await;
    let private = sim.dataset().private_account_id();
    let (_dir, path) = db();
    let summary = run_all(&path, &[opendota(&sim)], &options(private)).await;
    match summary.outcome {
        RunOutcome::Fatal { message } => assert!(message.contains("private"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_down_source_is_not_counted_and_the_other_finishes() {
    let mut config = today(120, FaultPlan::default());
    config.faults.sequence_skips_immortal_draft = false;
    let sim = start(config).await;
    let account = sim.dataset().accounts()[0].clone();
    let (_dir, path) = db();
    // OpenDota's address refuses every connection: it is down all run.
    let mut down = SourceConfig::new(
        SourceKind::OpenDota,
        Some("http://127.0.0.1:9".into()),
        None,
    );
    down.connect_timeout = Duration::from_millis(200);
    let sources = vec![steam(&sim), AnySource::new(&down).unwrap()];
    let summary = run_all(
        &path,
        &sources,
        &two_source_options(account.account_id, 500.0, 500.0),
    )
    .await;
    assert_eq!(summary.outcome, RunOutcome::Completed, "{summary:?}");
    assert_eq!(summary.details_fetched, summary.ids_collected);
    assert_eq!(summary.sources[1].details_fetched, 0);
    let counted = column(
        &path,
        "SELECT match_id, has_details, retry_count, fetch_error FROM matches WHERE retry_count > 0",
    );
    assert!(counted.is_empty(), "{counted:?}");
}

/// A TUI's controller on a database another process is syncing starts no
/// run of its own: it follows that one's progress from the database.
#[tokio::test]
async fn the_tui_follows_another_process_sync_instead_of_starting_one() {
    follows_another_process(true).await;
}

/// An idle TUI notices another process's sync by itself and shows it.
#[tokio::test]
async fn an_idle_tui_follows_another_process_sync_unasked() {
    follows_another_process(false).await;
}

async fn follows_another_process(press_s: bool) {
    use dota_sync::sync::{SyncCommand, SyncEvent, SyncState, controller};
    let sim = start(config(2, 200, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].account_id;
    let (dir, path) = db();
    Store::open(&path).unwrap();
    let mut headless = std::process::Command::new(env!("CARGO_BIN_EXE_dota-sync"))
        .args([
            "--db",
            path.to_str().unwrap(),
            "sync",
            "--account",
            &account.to_string(),
        ])
        .args([
            "--source",
            "steam",
            "--api-base",
            &sim.base_url(),
            "--rate",
            "40",
        ])
        .env("DOTA_SYNC_CONFIG", dir.path().join("config.toml"))
        .env("DOTA_SYNC_LOG", dir.path().join("log"))
        .env("STEAM_API_KEY", KEY)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Until the headless sync holds the lock.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while dota_sync::store::SyncLock::holder(&path).is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "the headless sync started"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let store = Arc::new(Mutex::new(Store::open(&path).unwrap()));
    let mut handle = controller::spawn(Arc::new(vec![steam(&sim)]), store, options(account), None);
    if press_s {
        handle.commands.send(SyncCommand::Start).unwrap();
    }
    let mut followed = false;
    let mut saw_progress = 0;
    let mut reloads = 0;
    let waited = tokio::time::timeout(Duration::from_secs(30), async {
        loop {
            tokio::select! {
                Some(event) = handle.events.recv() => match event {
                    SyncEvent::Notice(text) if text.contains("following") => followed = true,
                    SyncEvent::Notice(text) if text.contains("has ended") => break,
                    SyncEvent::StubsSaved { .. } => reloads += 1,
                    _ => {}
                },
                Ok(()) = handle.progress.changed() => {
                    let p = handle.progress.borrow().clone();
                    if p.state == SyncState::Fetching && p.fetch.processed > 0 {
                        saw_progress += 1;
                    }
                }
            }
        }
    })
    .await;
    assert!(
        waited.is_ok(),
        "the other sync ended and the follower saw it"
    );
    let status = headless.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(
        followed && saw_progress > 0 && reloads > 0,
        "{followed} {saw_progress} {reloads}"
    );
    // The follower itself sent nothing: every request was the headless run's.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let jobs: i64 = conn
        .query_row("SELECT count(*) FROM sync_jobs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(jobs, 1, "no second run was started");
}

/// With no rate limit the API outruns the writer: requests wait for it
/// (memory stays bounded) and the run still fetches everything.
#[tokio::test]
async fn an_api_faster_than_the_writer_is_waited_for_not_dropped() {
    let sim = start(config(2, 1_500, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].account_id;
    let (_dir, path) = db();
    let mut options = two_source_options(account, f64::INFINITY, f64::INFINITY);
    // The writer is "behind" at once: every request waits for it.
    options.max_unwritten = 1;
    let summary = run_all(&path, &both(&sim), &options).await;
    assert_eq!(summary.outcome, RunOutcome::Completed);
    assert_eq!(summary.details_fetched, 1_500);
    assert_eq!(summary.stubs_left, 0);
}

/// `auto_sync`: the controller syncs again by itself after a completed run.
#[tokio::test]
async fn auto_sync_runs_again_after_its_interval() {
    use dota_sync::sync::{SyncCommand, SyncEvent, controller};
    let sim = start(config(2, 30, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].account_id;
    let (_dir, path) = db();
    let store = Arc::new(Mutex::new(Store::open(&path).unwrap()));
    let mut options = options(account);
    options.resync_every = Some(Duration::from_millis(300));
    let mut handle = controller::spawn(Arc::new(vec![steam(&sim)]), store, options, None);
    handle.commands.send(SyncCommand::Start).unwrap();
    let mut summaries = Vec::new();
    tokio::time::timeout(Duration::from_secs(20), async {
        while summaries.len() < 2 {
            if let Some(SyncEvent::Finished(summary)) = handle.events.recv().await {
                summaries.push(summary);
            }
        }
    })
    .await
    .expect("a second pass came by itself");
    assert_eq!(summaries[0].details_fetched, 30);
    // The second pass looked for new matches only: nothing new, nothing to fetch.
    assert_eq!((summaries[1].new_ids, summaries[1].details_fetched), (0, 0));
    handle.task.abort();
}
