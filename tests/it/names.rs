//! Player names after phase 2 (ARCHITECTURE.md, "Sources and limits"): fetched
//! from each source into `player_names`, at most daily, best-effort (a
//! failing names endpoint changes nothing else of the run), stored clean,
//! never with the key; a stop during names is prompt.

use std::path::Path;
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::*;
use dota_sync::sim::{FaultPlan, SimServer};
use dota_sync::source::{AnySource, SourceKind};
use dota_sync::store::Store;
use dota_sync::sync::{self, Channels, RunOutcome, SyncEvent};

/// `(account_id, name, source)` of every row, by account.
fn names_rows(db: &Path) -> Vec<(u32, Option<String>, String)> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare("SELECT account_id, name, source FROM player_names ORDER BY account_id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Every account the tracked one met, itself included, most games first
/// (ties: smaller ID), as recomputed from the players.
fn met_accounts(db: &Path, account_id: u32) -> Vec<u32> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT p.account_id FROM account_matches am
               JOIN match_players p ON p.match_id = am.match_id
              WHERE am.account_id = ?1 AND p.account_id IS NOT NULL AND p.account_id != ?1
              GROUP BY p.account_id ORDER BY count(*) DESC, p.account_id",
        )
        .unwrap();
    let others: Vec<u32> = stmt
        .query_map([account_id], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    std::iter::once(account_id).chain(others).collect()
}

fn names_plan(words: &[&str]) -> FaultPlan {
    FaultPlan {
        names: words.iter().map(|w| w.to_string()).collect(),
        ..FaultPlan::default()
    }
}

#[tokio::test]
async fn steam_fills_every_name_in_calls_of_100_and_not_again_within_a_day() {
    let sim = start(config(2, 120, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].account_id;
    let (_dir, path) = db();
    let summary = run(&path, &steam(&sim), &options(account)).await;
    assert_eq!(summary.outcome, RunOutcome::Completed);
    let met = met_accounts(&path, account);
    assert!(
        met.len() > 200,
        "{} accounts: enough for several calls",
        met.len()
    );
    assert_eq!(summary.names_fetched, met.len() as u64);
    assert_eq!(
        requests(&sim, "GetPlayerSummaries"),
        met.len().div_ceil(100) as u64
    );
    let rows = names_rows(&path);
    let mut expected = met.clone();
    expected.sort_unstable();
    assert_eq!(
        rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        expected,
        "one row per account met"
    );
    assert!(rows.iter().all(|r| r.2 == "steam"));
    // Some accounts have no name, some a non-ASCII one; the tracked one has one.
    let named = rows.iter().filter(|r| r.1.is_some()).count();
    assert!(named > 0 && named < rows.len(), "{named} of {}", rows.len());
    assert!(
        rows.iter()
            .any(|r| r.1.as_ref().is_some_and(|n| !n.is_ascii()))
    );
    let store = Store::open_read_only(&path).unwrap();
    let names = store.names_of(&[account]).unwrap();
    assert!(names.contains_key(&account), "{names:?}");

    // Within a day: no name call at all.
    let again = run(&path, &steam(&sim), &options(account)).await;
    assert_eq!(again.outcome, RunOutcome::Completed);
    assert_eq!(again.names_fetched, 0);
    assert_eq!(
        requests(&sim, "GetPlayerSummaries"),
        met.len().div_ceil(100) as u64
    );

    // A day later (the rows aged by hand) they are all due again.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE player_names SET fetched_at = fetched_at - 86401",
        [],
    )
    .unwrap();
    let later = run(&path, &steam(&sim), &options(account)).await;
    assert_eq!(later.names_fetched, met.len() as u64);
}

#[tokio::test]
async fn opendota_names_one_call_each_for_the_100_most_met() {
    let sim = start(config(2, 120, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].account_id;
    let (_dir, path) = db();
    let summary = run(&path, &opendota(&sim), &options(account)).await;
    assert_eq!(summary.outcome, RunOutcome::Completed);
    assert_eq!(summary.names_fetched, 100);
    assert_eq!(requests(&sim, "od_player"), 100);
    let rows = names_rows(&path);
    let mut top: Vec<u32> = met_accounts(&path, account)[..100].to_vec();
    top.sort_unstable();
    assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), top);
    assert!(rows.iter().all(|r| r.2 == "opendota"));
    assert!(rows.iter().any(|r| r.1.is_none()) && rows.iter().any(|r| r.1.is_some()));
    // The next run asks for the next 100.
    let next = run(&path, &opendota(&sim), &options(account)).await;
    assert_eq!(next.names_fetched, 100);
    assert_eq!(names_rows(&path).len(), 200);
}

#[tokio::test]
async fn with_both_sources_steam_names_them() {
    let sim = start(config(2, 60, FaultPlan::default())).await;
    let account = sim.dataset().accounts()[0].account_id;
    let (_dir, path) = db();
    let store = Arc::new(Mutex::new(Store::open(&path).unwrap()));
    let (channels, _progress) = Channels::detached();
    let sources = [opendota(&sim), steam(&sim)];
    let summary = sync::run(&sources, &store, &options(account), &channels)
        .await
        .unwrap();
    assert_eq!(summary.outcome, RunOutcome::Completed);
    assert!(summary.names_fetched > 100, "{summary:?}");
    assert_eq!(requests(&sim, "od_player"), 0);
    assert!(names_rows(&path).iter().all(|r| r.2 == "steam"));
}

/// A run against a names endpoint answering `words` ends as a run against
/// a healthy one does, with the same rows, and saves no name.
async fn failing_names_change_nothing(kind: SourceKind, words: &[&str]) {
    let source = |sim: &SimServer| match kind {
        SourceKind::Steam => steam(sim),
        SourceKind::OpenDota => opendota(sim),
        SourceKind::Stratz => unreachable!("STRATZ serves no names"),
    };
    let healthy = start(config(2, 40, FaultPlan::default())).await;
    let account = healthy.dataset().accounts()[0].account_id;
    let (_a, reference) = db();
    let expected = run(&reference, &source(&healthy), &options(account)).await;

    let failing = start(config(2, 40, names_plan(words))).await;
    let (_b, path) = db();
    let summary = run(&path, &source(&failing), &options(account)).await;
    assert_eq!(summary.outcome, expected.outcome, "{words:?}");
    assert_eq!(
        (summary.details_fetched, summary.failed, summary.stubs_left),
        (
            expected.details_fetched,
            expected.failed,
            expected.stubs_left
        ),
        "{words:?}"
    );
    assert_eq!(dump(&path), dump(&reference), "{words:?}");
    assert_eq!(summary.names_fetched, 0, "{words:?}");
    assert!(names_rows(&path).is_empty(), "{words:?}");
    // One failed call ends names for the run.
    let endpoint = match kind {
        SourceKind::Steam => "GetPlayerSummaries",
        SourceKind::OpenDota => "od_player",
        SourceKind::Stratz => unreachable!("STRATZ serves no names"),
    };
    assert!(requests(&failing, endpoint) >= 1, "{words:?}");
    assert!(
        requests(&failing, endpoint) <= options(account).max_in_flight as u64,
        "{words:?}: {}",
        requests(&failing, endpoint)
    );
}

#[tokio::test]
async fn a_failing_steam_names_endpoint_changes_nothing_else() {
    for words in [
        &["500"][..],
        &["429"],
        &["malformed"],
        &["truncated"],
        &["403"],
    ] {
        failing_names_change_nothing(SourceKind::Steam, words).await;
    }
}

#[tokio::test]
async fn a_failing_opendota_names_endpoint_changes_nothing_else() {
    for words in [&["503"][..], &["429:1"], &["malformed"], &["daily"]] {
        failing_names_change_nothing(SourceKind::OpenDota, words).await;
    }
}

#[tokio::test]
async fn names_failing_half_way_keep_what_was_saved() {
    let sim = start(config(2, 120, names_plan(&["ok", "500"]))).await;
    let account = sim.dataset().accounts()[0].account_id;
    let (_dir, path) = db();
    let mut opts = options(account);
    // One call at a time, so exactly the first one succeeds.
    opts.max_in_flight = 1;
    let summary = run(&path, &steam(&sim), &opts).await;
    assert_eq!(summary.outcome, RunOutcome::Completed);
    assert_eq!(summary.names_fetched, 100);
    assert_eq!(names_rows(&path).len(), 100);
    assert_eq!(requests(&sim, "GetPlayerSummaries"), 2);
}

/// Nothing a server could use to drive a terminal or forge a line.
fn assert_clean(name: &str) {
    assert!(!name.chars().any(char::is_control), "{name:?}");
    assert!(
        !name
            .chars()
            .any(|c| matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')),
        "{name:?}"
    );
    assert!(name.chars().count() <= 64, "{name:?}");
    assert!(!name.contains(KEY), "{name:?}");
}

#[tokio::test]
async fn hostile_names_are_stored_clean_and_without_the_key() {
    for kind in [SourceKind::Steam, SourceKind::OpenDota] {
        let sim = start(config(2, 30, names_plan(&["hostile"]))).await;
        let account = sim.dataset().accounts()[0].account_id;
        let (_dir, path) = db();
        let source: AnySource = match kind {
            SourceKind::Steam => steam(&sim),
            SourceKind::OpenDota => opendota(&sim),
            SourceKind::Stratz => unreachable!("STRATZ serves no names"),
        };
        let summary = run(&path, &source, &options(account)).await;
        assert_eq!(summary.outcome, RunOutcome::Completed);
        let rows = names_rows(&path);
        assert!(!rows.is_empty());
        for (account_id, name, _) in &rows {
            let name = name.as_deref().expect("every hostile account has a name");
            assert_clean(name);
            // The text survives, minus what made it hostile.
            assert!(name.contains(&format!("Evil{account_id}")), "{name:?}");
            assert!(name.contains("<redacted>"), "{name:?}");
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn run_binary(env: &Env, args: Vec<String>) -> Output {
    let mut cmd = env.command(&args.iter().map(String::as_str).collect::<Vec<_>>());
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_binary_reports_names_and_never_shows_the_key() {
    let sim = start(config(2, 40, names_plan(&["hostile"]))).await;
    let env = Env::new();
    let account = sim.dataset().accounts()[0].account_id.to_string();
    let args = |json: bool| {
        let mut args: Vec<String> = ["sync", "--account", &account, "--api-base"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend([sim.base_url(), "--rate".into(), "500".into()]);
        if json {
            args.push("--json".into());
        }
        args
    };
    let out = run_binary(&env, args(true)).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let summary: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let looked_up = summary["names_fetched"].as_u64().unwrap();
    assert!(looked_up > 0, "{summary}");
    assert!(
        text(&out.stderr).contains(&format!("player names: {looked_up} accounts looked up")),
        "{}",
        text(&out.stderr)
    );
    for output in [&out.stdout, &out.stderr] {
        assert!(!text(output).contains(KEY));
        assert!(!text(output).contains("Evil"), "names are not printed");
    }
    let rows = names_rows(&env.db());
    assert_eq!(rows.len() as u64, looked_up);
    for (_, name, _) in &rows {
        assert_clean(name.as_deref().unwrap());
    }
    for path in [env.db(), env.db().with_extension("db-wal"), env.log()] {
        if let Ok(bytes) = std::fs::read(&path) {
            assert!(!text(&bytes).contains(KEY), "{}", path.display());
        }
    }

    // A names endpoint that fails: the same exit code, no summary line.
    let failing = start(config(2, 40, names_plan(&["500"]))).await;
    let env = Env::new();
    let mut args = args(false);
    args[4] = failing.base_url();
    let out = run_binary(&env, args).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        !text(&out.stderr).contains("player names"),
        "{}",
        text(&out.stderr)
    );
    assert!(!text(&out.stderr).contains(KEY));
    assert!(names_rows(&env.db()).is_empty());
}

#[tokio::test]
async fn a_stop_during_names_is_prompt() {
    // Every names call hangs for 20 s; the client would wait 30 s.
    let plan = FaultPlan {
        timeout_ms: 20_000,
        ..names_plan(&["timeout"])
    };
    let sim = start(config(2, 20, plan)).await;
    let account = sim.dataset().accounts()[0].account_id;
    let (_dir, path) = db();
    let mut source_config = source_config(&sim, SourceKind::Steam);
    source_config.timeout = Duration::from_secs(30);
    let source = AnySource::new(&source_config).unwrap();
    let store = Arc::new(Mutex::new(Store::open(&path).unwrap()));
    let (mut channels, _progress) = Channels::detached();
    let (events, mut received) = tokio::sync::mpsc::unbounded_channel();
    channels.events = Some(events);
    let cancel = channels.cancel.clone();
    let options = options(account);
    let run = tokio::spawn(async move {
        sync::run(std::slice::from_ref(&source), &store, &options, &channels).await
    });
    loop {
        match received.recv().await {
            Some(SyncEvent::Notice(notice)) if notice.starts_with("Fetching player names") => {
                break;
            }
            Some(_) => {}
            None => panic!("the run ended before names"),
        }
    }
    // Let the first call reach the server and hang there.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let asked = Instant::now();
    cancel.cancel();
    let summary = tokio::time::timeout(Duration::from_secs(2), run)
        .await
        .expect("stopped within 2 s")
        .unwrap()
        .unwrap();
    assert!(asked.elapsed() < Duration::from_secs(2));
    assert_eq!(summary.outcome, RunOutcome::Stopped);
    assert_eq!(summary.details_fetched, 20, "phase 2 was over");
    assert_eq!(summary.names_fetched, 0);
}
