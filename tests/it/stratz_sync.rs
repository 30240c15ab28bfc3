//! STRATZ as a source of real syncs against the simulator (ARCHITECTURE.md,
//! "Sources and limits"): a whole history from STRATZ alone in a few dozen calls, equal
//! to what another source gives; the three sources together; each way
//! STRATZ fails, one line and nothing lost; its rate windows kept; the
//! token in no byte the run leaves behind or sends elsewhere.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::*;
use dota_sync::sim::{FaultPlan, SimConfig, SimServer, StratzLimits, StratzPlan};
use dota_sync::source::stratz::{StratzClient, config as stratz_config};
use dota_sync::source::{AnySource, ApiKey, SourceConfig, SourceKind};
use dota_sync::store::Store;
use dota_sync::sync::{self, Channels, RunOutcome, Summary, SyncEvent, SyncOptions};

const TOKEN: &str = "STRATZTOKEN-sync-0123456789";

/// `(match_id, match_seq_num, has_details, details_source)`.
type StoredMatch = (i64, Option<i64>, Option<i64>, Option<String>);

fn with_plan(matches: usize, plan: StratzPlan) -> SimConfig {
    let faults = FaultPlan {
        stratz: plan,
        ..FaultPlan::default()
    };
    SimConfig {
        get_match_details_works: true,
        ..config(2, matches, faults)
    }
}

fn stratz(sim: &SimServer) -> AnySource {
    let mut config =
        SourceConfig::new(SourceKind::Stratz, Some(sim.base_url()), ApiKey::new(TOKEN));
    config.timeout = Duration::from_secs(5);
    config.connect_timeout = Duration::from_secs(2);
    AnySource::new(&config).unwrap()
}

fn graphql_calls(sim: &SimServer) -> u64 {
    requests(sim, "graphql")
}

fn graphql_outcomes(sim: &SimServer, outcome: &str) -> u64 {
    sim.stats()
        .by_endpoint
        .get("graphql")
        .and_then(|outcomes| outcomes.get(outcome).copied())
        .unwrap_or(0)
}

/// One run from `sources`; its summary and every notice line it emitted.
async fn run_all(
    db: &Path,
    sources: Vec<AnySource>,
    options: &SyncOptions,
) -> (Summary, Vec<String>) {
    let store = Arc::new(Mutex::new(Store::open(db).unwrap()));
    let (mut channels, _progress) = Channels::detached();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    channels.events = Some(tx);
    let summary = sync::run(&sources, &store, options, &channels)
        .await
        .unwrap();
    drop(channels);
    let mut notices = Vec::new();
    while let Ok(event) = rx.try_recv() {
        if let SyncEvent::Notice(line) = event {
            notices.push(line);
        }
    }
    (summary, notices)
}

fn query_i64(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// What a match's details say, whichever source gave them: the row's
/// columns but the scores (STRATZ does not send them), every player's line
/// (anonymous ones NULL) and which account played which match. (A STRATZ
/// history entry knows the tracked player's slot only where its details
/// show them, so the slots of `account_matches` are not compared.)
fn details_dump(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let queries = [
        "SELECT match_id, match_seq_num, has_details, retry_count, start_time, duration,
                game_mode, lobby_type, radiant_win FROM matches ORDER BY match_id",
        "SELECT account_id, match_id FROM account_matches ORDER BY account_id, match_id",
        "SELECT * FROM match_players ORDER BY match_id, player_slot",
    ];
    crate::common::dump_queries(&conn, &queries)
}

#[tokio::test]
async fn stratz_alone_syncs_a_whole_history_in_a_few_dozen_calls_equal_to_the_truth() {
    let sim = start(with_plan(2_500, StratzPlan::default())).await;
    let account = sim.dataset().accounts()[0].clone();
    let (_dir, db) = crate::common::db();
    let (summary, notices) = run_all(&db, vec![stratz(&sim)], &options(account.account_id)).await;
    assert_eq!(summary.outcome, RunOutcome::Completed, "{notices:?}");
    assert!(graphql_calls(&sim) <= 30, "{} calls", graphql_calls(&sim));
    let listed = account.match_ids.len() as i64;
    assert_eq!(query_i64(&db, "SELECT count(*) FROM matches"), listed);
    assert_eq!(
        query_i64(
            &db,
            "SELECT count(*) FROM matches WHERE has_details = 1 AND details_source = 'stratz'"
        ),
        listed,
        "every match detailed from the history pages"
    );
    assert_eq!(summary.details_fetched, listed as u64);
    assert_eq!(summary.sources[0].details_fetched, listed as u64);
    assert_eq!(
        query_i64(
            &db,
            "SELECT count(*) FROM matches WHERE NOT json_valid(raw_data)"
        ),
        0
    );
    // Teammates counted once, as the players and links imply.
    assert_eq!(recomputed_teammates(&db), stored_teammates(&db));

    // The truth: the same history synced from OpenDota, match by match.
    let (_dir2, reference) = crate::common::db();
    let summary = run(&reference, &opendota(&sim), &options(account.account_id)).await;
    assert_eq!(summary.outcome, RunOutcome::Completed);
    let (ours, theirs) = (details_dump(&db), details_dump(&reference));
    let first = ours.lines().zip(theirs.lines()).position(|(a, b)| a != b);
    assert!(
        first.is_none() && ours.len() == theirs.len(),
        "first difference at line {first:?}: {:?} / {:?}",
        first.map(|i| ours.lines().nth(i)),
        first.map(|i| theirs.lines().nth(i))
    );
}

#[tokio::test]
async fn three_sources_save_the_union_each_match_from_a_source_that_has_it() {
    let plan = StratzPlan {
        lacks: 0.3,
        ..StratzPlan::default()
    };
    let mut config = with_plan(600, plan);
    config.faults.opendota_lacks = 0.2;
    config.faults.sequence_skips_immortal_draft = true;
    config.get_match_details_works = false;
    let sim = start(config).await;
    let account = sim.dataset().accounts()[0].clone();
    // What each source lists: Steam its newest 500, STRATZ and OpenDota
    // what they have.
    let client = StratzClient::new(&stratz_config(
        Some(sim.base_url()),
        ApiKey::new(TOKEN).unwrap(),
    ))
    .unwrap();
    client.reset(1_000.0);
    let mut on_stratz = HashSet::new();
    for skip in (0..).step_by(100) {
        let page = client.page_at(account.account_id, skip).await.unwrap();
        on_stratz.extend(page.entries.iter().map(|e| e.match_id));
        if page.listed < 100 {
            break;
        }
    }
    let mut union: Vec<i64> = account
        .match_ids
        .iter()
        .enumerate()
        .filter(|(i, id)| *i < 500 || on_stratz.contains(*id) || !sim.opendota_lacks(**id))
        .map(|(_, id)| *id)
        .collect();
    union.sort_unstable();
    assert!(
        union.len() < account.match_ids.len(),
        "some match nobody lists"
    );

    let (_dir, db) = crate::common::db();
    let sources = vec![steam(&sim), stratz(&sim), opendota(&sim)];
    let (summary, notices) = run_all(&db, sources, &options(account.account_id)).await;
    assert_eq!(summary.outcome, RunOutcome::Completed, "{notices:?}");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let rows: Vec<StoredMatch> = conn
        .prepare(
            "SELECT match_id, match_seq_num, has_details, details_source
               FROM matches ORDER BY match_id",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // The union of the three histories, every match of it detailed.
    let stored: Vec<i64> = rows.iter().map(|row| row.0).collect();
    assert_eq!(stored, union);
    assert!(rows.iter().all(|row| row.2 == Some(1)), "nothing lost");
    let mut served = HashMap::new();
    for (id, seq, _, source) in &rows {
        // Every sequence number kept, STRATZ's past Steam's newest 500
        // too, so Steam's sequence endpoint could serve any of them.
        let truth = sim.dataset().match_json(*id).unwrap()["match_seq_num"].as_i64();
        assert_eq!(*seq, truth, "{id}");
        let source = source.as_deref().unwrap_or("none");
        *served.entry(source.to_string()).or_insert(0) += 1;
        match source {
            "stratz" => assert!(on_stratz.contains(id), "{id} from STRATZ, which lacks it"),
            "opendota" => assert!(
                !sim.opendota_lacks(*id),
                "{id} from OpenDota, which lacks it"
            ),
            "steam" => assert!(!sim.dataset().is_immortal_draft(*id), "{id}"),
            other => panic!("{id} from {other}"),
        }
    }
    for source in ["stratz", "opendota", "steam"] {
        assert!(served.get(source).is_some_and(|n| *n > 0), "{served:?}");
    }
    assert_eq!(recomputed_teammates(&db), stored_teammates(&db));
}

/// STRATZ beside OpenDota under `plan`: the run completes from OpenDota,
/// every match detailed, with the lines that mention STRATZ.
async fn stratz_fault_beside_opendota(plan: StratzPlan) -> Vec<String> {
    let sim = start(with_plan(250, plan)).await;
    let account = sim.dataset().accounts()[0].clone();
    let (_dir, db) = crate::common::db();
    let sources = vec![stratz(&sim), opendota(&sim)];
    let (summary, notices) = run_all(&db, sources, &options(account.account_id)).await;
    assert_eq!(summary.outcome, RunOutcome::Completed, "{notices:?}");
    assert_eq!(
        query_i64(&db, "SELECT count(*) FROM matches WHERE has_details = 1"),
        account.match_ids.len() as i64,
        "nothing lost: {notices:?}"
    );
    assert_eq!(
        query_i64(&db, "SELECT count(*) FROM matches WHERE retry_count > 0"),
        0,
        "no match blamed"
    );
    notices
        .into_iter()
        .filter(|line| line.to_lowercase().contains("stratz"))
        .collect()
}

#[tokio::test]
async fn each_stratz_failure_is_one_line_and_loses_nothing() {
    let challenge = stratz_fault_beside_opendota(StratzPlan {
        challenge: true,
        ..StratzPlan::default()
    })
    .await;
    assert_eq!(challenge.len(), 1, "{challenge:?}");
    assert!(
        challenge[0].contains("STRATZ blocked this connection with a browser check"),
        "{challenge:?}"
    );

    let rejected = stratz_fault_beside_opendota(StratzPlan {
        reject_token: true,
        ..StratzPlan::default()
    })
    .await;
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert!(
        rejected[0].contains("STRATZ rejected the token"),
        "{rejected:?}"
    );

    let private = stratz_fault_beside_opendota(StratzPlan {
        private_player: true,
        ..StratzPlan::default()
    })
    .await;
    assert_eq!(private.len(), 1, "{private:?}");
    assert!(
        private[0].contains("STRATZ has no public match history"),
        "{private:?}"
    );

    // One GraphQL `errors` answer: the page is asked again, one line.
    let errors = stratz_fault_beside_opendota(StratzPlan {
        failed_calls: 1,
        ..StratzPlan::default()
    })
    .await;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("STRATZ:"), "{errors:?}");
}

#[tokio::test]
async fn stratz_alone_and_blocked_ends_the_run_with_its_line() {
    let sim = start(with_plan(
        50,
        StratzPlan {
            challenge: true,
            ..StratzPlan::default()
        },
    ))
    .await;
    let account = sim.dataset().accounts()[0].clone();
    let (_dir, db) = crate::common::db();
    let (summary, notices) = run_all(&db, vec![stratz(&sim)], &options(account.account_id)).await;
    let RunOutcome::Fatal { message } = &summary.outcome else {
        panic!("{:?}", summary.outcome);
    };
    assert_eq!(
        message,
        "STRATZ blocked this connection with a browser check"
    );
    assert!(notices.is_empty(), "{notices:?}");
}

#[tokio::test]
async fn a_tight_rate_limit_is_kept_with_at_most_two_429s() {
    let plan = StratzPlan {
        lacks: 0.3,
        limits: Some(StratzLimits {
            per_second: 3,
            ..StratzLimits::default()
        }),
        ..StratzPlan::default()
    };
    let sim = start(with_plan(600, plan)).await;
    let account = sim.dataset().accounts()[0].clone();
    let (_dir, db) = crate::common::db();
    let mut options = options(account.account_id);
    // STRATZ at its default start rate, as a real run would be.
    // OpenDota slow enough that STRATZ gets batches of its own in phase 2.
    options.source_rates = vec![
        (SourceKind::Stratz, dota_sync::source::stratz::DEFAULT_RATE),
        (SourceKind::OpenDota, 20.0),
    ];
    let (summary, notices) = run_all(&db, vec![stratz(&sim), opendota(&sim)], &options).await;
    assert_eq!(summary.outcome, RunOutcome::Completed, "{notices:?}");
    // Pages and batches both: what STRATZ lacks was asked by ID.
    assert!(graphql_calls(&sim) > 10, "{}", graphql_calls(&sim));
    assert!(
        graphql_outcomes(&sim, "429") <= 2,
        "{:?}",
        sim.stats().by_endpoint
    );
    assert_eq!(
        query_i64(&db, "SELECT count(*) FROM matches WHERE has_details = 1"),
        account.match_ids.len() as i64
    );
}

/// A TCP forwarder to `target` that keeps every byte its clients send.
async fn recording_proxy(target: std::net::SocketAddr) -> (String, Arc<Mutex<Vec<u8>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let keep = seen.clone();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let keep = keep.clone();
            tokio::spawn(async move {
                let Ok(server) = tokio::net::TcpStream::connect(target).await else {
                    return;
                };
                let (mut from_client, mut to_client) = client.into_split();
                let (mut from_server, mut to_server) = server.into_split();
                let upstream = async {
                    let mut buf = vec![0; 16 * 1024];
                    while let Ok(n) = from_client.read(&mut buf).await {
                        if n == 0 || to_server.write_all(&buf[..n]).await.is_err() {
                            break;
                        }
                        keep.lock().unwrap().extend_from_slice(&buf[..n]);
                    }
                    let _ = to_server.shutdown().await;
                };
                let downstream = tokio::io::copy(&mut from_server, &mut to_client);
                let _ = tokio::join!(upstream, downstream);
            });
        }
    });
    (base, seen)
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_is_in_no_byte_of_the_database_log_output_or_other_hosts_requests() {
    let sim = start(with_plan(
        300,
        StratzPlan {
            lacks: 0.3,
            ..StratzPlan::default()
        },
    ))
    .await;
    let account = sim.dataset().accounts()[0].account_id.to_string();
    let (others, seen) = recording_proxy(sim.addr()).await;
    let env = Env::new();
    let mut cmd = env.command(&[
        "sync",
        "--account",
        &account,
        "--source",
        "steam,stratz,opendota",
        "--steam-api-base",
        &others,
        "--opendota-api-base",
        &others,
        "--stratz-api-base",
        &sim.base_url(),
        "--rate",
        "200",
    ]);
    cmd.env("STRATZ_API_TOKEN", TOKEN);
    let output = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("Data provided by STRATZ"), "{stderr}");
    assert!(!contains(&output.stdout, TOKEN) && !contains(&output.stderr, TOKEN));
    let others_saw = seen.lock().unwrap().clone();
    // The proxy did see the other sources' calls, and their key.
    assert!(contains(&others_saw, KEY), "the recorder saw nothing");
    assert!(
        !contains(&others_saw, TOKEN),
        "the token went to another host"
    );
    let db = env.db();
    let mut files = vec![db.clone(), env.log()];
    for suffix in ["-wal", "-shm", "-journal"] {
        files.push(db.with_file_name(format!("sync.db{suffix}")));
    }
    let mut read = 0;
    for file in files {
        if let Ok(bytes) = std::fs::read(&file) {
            read += 1;
            assert!(!contains(&bytes, TOKEN), "the token is in {file:?}");
        }
    }
    assert!(read >= 2, "the database and the log exist");
    // Every match detailed, STRATZ among the sources that served them.
    assert_eq!(
        query_i64(
            &db,
            "SELECT count(*) FROM matches WHERE has_details IS NOT 1"
        ),
        0
    );
    assert!(
        query_i64(
            &db,
            "SELECT count(*) FROM matches WHERE details_source = 'stratz'"
        ) > 0
    );
}

#[test]
fn stratz_named_without_a_token_is_one_line_and_exit_2() {
    let env = Env::new();
    let output = env
        .command(&["sync", "--account", "86745912", "--source", "stratz"])
        .env_remove("STRATZ_API_TOKEN")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("stratz.com/api"), "{stderr}");
    assert!(stderr.contains("STRATZ_API_TOKEN"), "{stderr}");
}

/// The TUI over a database holding one match STRATZ detailed and one from
/// Steam, fixed at a known time.
fn tui_over_stratz_match(dir: &tempfile::TempDir) -> dota_sync::tui::App {
    use crate::builders::{history_entry, match_details, ten_players};
    use dota_sync::source::PlayerDetails;
    use dota_sync::tui::{App, AppSettings, Clock};
    const ACCOUNT: u32 = 123_456_789;
    const NOW: i64 = 1_773_144_000;
    let db = dir.path().join("dota-sync.db");
    let mut store = Store::open(&db).unwrap();
    let players = || {
        ten_players(|i, slot| PlayerDetails {
            account_id: Some(if slot == 0 {
                i64::from(ACCOUNT)
            } else {
                1_000 + i
            }),
            hero_id: Some(i + 1),
            ..PlayerDetails::default()
        })
    };
    store
        .save_stubs(
            ACCOUNT,
            &[
                history_entry(9_000_000_002, 1, NOW - 3_600, 0, 1),
                history_entry(9_000_000_001, 2, NOW - 7_200, 0, 1),
            ],
        )
        .unwrap();
    let newest = match_details(9_000_000_002, 1, NOW - 3_600, true, players());
    store.save_whole(&[newest], "stratz").unwrap();
    let older = match_details(9_000_000_001, 2, NOW - 7_200, true, players());
    store.save_whole(&[older], "steam").unwrap();
    let mut app = App::new(AppSettings {
        db_path: db,
        account_id: Some(ACCOUNT),
        source: Some(SourceKind::Stratz),
        label: None,
        clock: Clock::Fixed(chrono::DateTime::from_timestamp(NOW, 0).unwrap()),
        home: Some(dir.path().to_path_buf()),
        config_path: Some(dir.path().join("config.toml")),
    })
    .unwrap();
    app.settle();
    app
}

fn screen(app: &mut dota_sync::tui::App) -> String {
    screen_at(app, 100, 30)
}

fn screen_at(app: &mut dota_sync::tui::App, width: u16, height: u16) -> String {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height)).unwrap();
    dota_sync::tui::draw(&mut terminal, app).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

fn press(app: &mut dota_sync::tui::App, code: crossterm::event::KeyCode) {
    use crossterm::event::{Event, KeyEvent, KeyModifiers};
    let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    dota_sync::tui::handle_terminal_event(app, &event);
    app.settle();
}

#[test]
fn the_tui_credits_stratz_wherever_its_data_shows() {
    use crossterm::event::KeyCode;
    use dota_sync::sync::{Progress, SourceProgress, SourceState, SyncState};
    const CREDIT: &str = "Data provided by STRATZ";
    let dir = tempfile::tempdir().unwrap();
    let mut app = tui_over_stratz_match(&dir);

    // A run from STRATZ alone: the credit on the sync block's first line.
    app.set_progress(Progress {
        source: Some(SourceKind::Stratz),
        state: SyncState::Collecting,
        ..Progress::default()
    });
    let text = screen(&mut app);
    assert_eq!(text.matches(CREDIT).count(), 1, "{text}");
    // Several sources: on STRATZ's own line, and only there.
    let line = |kind| SourceProgress {
        kind,
        state: SourceState::Running,
        per_second: 1.0,
        rate_limit: 5.0,
        requests: 3,
        fetched: 100,
        failed: 0,
    };
    app.set_progress(Progress {
        source: Some(SourceKind::Steam),
        state: SyncState::Fetching,
        fetch_started: true,
        sources: vec![line(SourceKind::Steam), line(SourceKind::Stratz)],
        ..Progress::default()
    });
    let text = screen(&mut app);
    let credited: Vec<&str> = text.lines().filter(|l| l.contains(CREDIT)).collect();
    assert_eq!(credited.len(), 1, "{text}");
    assert!(credited[0].contains("stratz"), "{text}");
    // Whole at 80 columns too, with counts as large as a real history's.
    let busy = SourceProgress {
        fetched: 4_894,
        failed: 120,
        ..line(SourceKind::Stratz)
    };
    app.set_progress(Progress {
        source: Some(SourceKind::Steam),
        state: SyncState::Fetching,
        fetch_started: true,
        sources: vec![line(SourceKind::Steam), busy],
        ..Progress::default()
    });
    let text = screen_at(&mut app, 80, 24);
    assert_eq!(text.matches(CREDIT).count(), 1, "{text}");

    // A run from Steam alone credits nobody; STRATZ's match details do.
    app.set_progress(Progress {
        source: Some(SourceKind::Steam),
        state: SyncState::Done,
        ..Progress::default()
    });
    press(&mut app, KeyCode::Char('2'));
    assert!(!screen(&mut app).contains(CREDIT));
    press(&mut app, KeyCode::Enter);
    let text = screen(&mut app);
    assert!(text.contains("Match 9000000002"), "{text}");
    assert!(text.contains(CREDIT), "{text}");
    // Steam's match does not.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    let text = screen(&mut app);
    assert!(text.contains("Match 9000000001"), "{text}");
    assert!(!text.contains(CREDIT), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_with_stratz_alone_blocked_exits_1_with_one_line() {
    for (plan, says) in [
        (
            StratzPlan {
                challenge: true,
                ..StratzPlan::default()
            },
            "STRATZ blocked this connection with a browser check",
        ),
        (
            StratzPlan {
                reject_token: true,
                ..StratzPlan::default()
            },
            "STRATZ rejected the token (HTTP 401); check STRATZ_API_TOKEN",
        ),
    ] {
        let sim = start(with_plan(30, plan)).await;
        let account = sim.dataset().accounts()[0].account_id.to_string();
        let env = Env::new();
        let mut cmd = env.command(&[
            "sync",
            "--account",
            &account,
            "--source",
            "stratz",
            "--api-base",
            &sim.base_url(),
        ]);
        cmd.env("STRATZ_API_TOKEN", TOKEN);
        let output = tokio::task::spawn_blocking(move || cmd.output().unwrap())
            .await
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).to_string();
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert_eq!(stderr.trim_end(), format!("dota-sync: {says}"));
    }
}
