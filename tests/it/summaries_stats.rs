//! Summaries in the statistics and the TUI (ARCHITECTURE.md, "Summaries"):
//! `export --what heroes|teammates` through the real binary gives the same
//! rows whether the matches have details or only summaries, and says how
//! many came from summaries; a stub with a summary reads `No data available
//! yet` beside what the summary knows; the sync block says `Summaries: ...`
//! at 80x24 and wide, the first screen still holding the newest matches.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::builders::{history_entry, match_details, ten_players};
use chrono::DateTime;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use dota_sync::source::{HistoryEntry, MatchDetails, MatchSummary, PlayerDetails, SourceKind};
use dota_sync::store::Store;
use dota_sync::store::stats::{Statistics, StatsCache};
use dota_sync::sync::{
    CollectProgress, FetchProgress, Progress, SourceProgress, SourceState, SyncState,
};
use dota_sync::tui::{App, AppSettings, Clock, draw, handle_terminal_event};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const ACCOUNT: u32 = 86_745_912;
/// 2026-03-10 12:00:00 UTC.
const NOW: i64 = 1_773_144_000;

/// One match: its entry, its details and the summary of the same match.
fn generated(n: i64) -> (HistoryEntry, MatchDetails, MatchSummary) {
    let match_id = 7_000 + n;
    let slot = [1, 130, 3, 128, 0][(n % 5) as usize];
    let hero = 1 + n % 4;
    let start = NOW - (40 - n) * 86_400;
    let players = ten_players(|i, s| PlayerDetails {
        account_id: if s == slot {
            Some(i64::from(ACCOUNT))
        } else if i == 6 {
            None // anonymous: in no one's teammates
        } else {
            Some(500 + (i + n) % 7)
        },
        hero_id: Some(if s == slot {
            hero
        } else {
            20 + (i * 3 + n) % 30
        }),
        kills: Some((n * 7 + i) % 20),
        deaths: Some((n + i) % 11),
        assists: Some((n * 3 + i) % 25),
        gold_per_min: Some(300 + (n * 37) % 500),
        xp_per_min: Some(350 + (n * 41) % 600),
        last_hits: Some(50 + n * 9),
        hero_damage: Some(5_000 + n * 900),
        ..PlayerDetails::default()
    });
    let radiant_win = n % 3 != 0;
    let me = players.iter().find(|p| p.player_slot == slot).unwrap();
    let heroes: Vec<String> = players
        .iter()
        .map(|p| match p.account_id {
            Some(a) => format!(
                r#""{}":{{"account_id":{a},"hero_id":{}}}"#,
                p.player_slot,
                p.hero_id.unwrap()
            ),
            None => format!(
                r#""{}":{{"hero_id":{}}}"#,
                p.player_slot,
                p.hero_id.unwrap()
            ),
        })
        .collect();
    let summary = MatchSummary {
        match_id,
        player_slot: Some(slot),
        radiant_win: Some(radiant_win),
        start_time: Some(start),
        duration: Some(2_400),
        game_mode: Some(22),
        lobby_type: Some(7),
        hero_id: Some(hero),
        kills: me.kills,
        deaths: me.deaths,
        assists: me.assists,
        gold_per_min: me.gold_per_min,
        xp_per_min: me.xp_per_min,
        last_hits: me.last_hits,
        hero_damage: me.hero_damage,
        heroes: Some(format!("{{{}}}", heroes.join(","))),
        ..MatchSummary::default()
    };
    let entry = history_entry(match_id, match_id, start, slot, hero);
    let details = match_details(match_id, match_id, start, radiant_win, players);
    (entry, details, summary)
}

/// 30 matches saved with details only, summaries only, or both.
fn database(dir: &Path, name: &str, summaries: bool, details: bool) -> PathBuf {
    let path = dir.join(name);
    let mut store = Store::open(&path).unwrap();
    let all: Vec<_> = (0..30).map(generated).collect();
    let entries: Vec<HistoryEntry> = all.iter().map(|g| g.0.clone()).collect();
    let saved: Vec<MatchSummary> = if summaries {
        all.iter().map(|g| g.2.clone()).collect()
    } else {
        Vec::new()
    };
    store
        .save_stubs_and_summaries(ACCOUNT, &entries, "opendota", &saved)
        .unwrap();
    if details {
        for g in &all {
            store.save_details(&g.1).unwrap();
        }
    }
    path
}

fn export(dir: &Path, db: &Path, what: &str) -> String {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_dota-sync"))
        .args(["export", "--account", &ACCOUNT.to_string(), "--what", what])
        .env("DOTA_SYNC_DB", db)
        .env("DOTA_SYNC_CONFIG", dir.join("config.toml"))
        .env("DOTA_SYNC_LOG", dir.join("log"))
        .env_remove("STEAM_API_KEY")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The CSV without its last column (`from_summaries`), and that column.
fn split_last(csv: &str) -> (Vec<String>, Vec<String>) {
    csv.lines()
        .map(|line| {
            let (rest, last) = line.rsplit_once(',').unwrap();
            (rest.to_string(), last.to_string())
        })
        .unzip()
}

#[test]
fn export_heroes_and_teammates_are_the_same_from_summaries_as_from_details() {
    let dir = tempfile::tempdir().unwrap();
    let from_details = database(dir.path(), "details.db", false, true);
    let from_summaries = database(dir.path(), "summaries.db", true, false);
    let from_both = database(dir.path(), "both.db", true, true);
    for what in ["heroes", "teammates"] {
        let (details_rows, details_counts) = split_last(&export(dir.path(), &from_details, what));
        let (summary_rows, summary_counts) = split_last(&export(dir.path(), &from_summaries, what));
        let (both_rows, both_counts) = split_last(&export(dir.path(), &from_both, what));
        assert!(details_rows.len() > 2, "{what}: {details_rows:?}");
        assert_eq!(details_counts[0], "from_summaries", "the column comes last");
        assert_eq!(
            summary_rows, details_rows,
            "{what}: summaries give the same rows"
        );
        // A match with both counts once, from its details.
        assert_eq!(both_rows, details_rows, "{what}: nothing counted twice");
        assert!(details_counts[1..].iter().all(|c| c == "0"));
        assert!(both_counts[1..].iter().all(|c| c == "0"));
        // From summaries only: every game of a row came from a summary.
        let games: Vec<u64> = summary_rows[1..]
            .iter()
            .map(|row| {
                let cells: Vec<&str> = row.split(',').collect();
                match what {
                    // hero_id,hero,games,...
                    "heroes" => cells[2].parse::<u64>().unwrap(),
                    // ...,games_with,wins_with,games_against,wins_against,last_played
                    _ => {
                        let n = cells.len();
                        cells[n - 5].parse::<u64>().unwrap() + cells[n - 3].parse::<u64>().unwrap()
                    }
                }
            })
            .collect();
        let counts: Vec<u64> = summary_counts[1..]
            .iter()
            .map(|c| c.parse().unwrap())
            .collect();
        assert_eq!(counts, games, "{what}");
    }
    // The 30 games, each once, the hero ones all from summaries.
    let heroes = export(dir.path(), &from_summaries, "heroes");
    let total: u64 = split_last(&heroes).1[1..]
        .iter()
        .map(|c| c.parse::<u64>().unwrap())
        .sum();
    assert_eq!(total, 30);
}

fn app(db: &Path, dir: &Path) -> App {
    let mut app = App::new(AppSettings {
        db_path: db.to_path_buf(),
        account_id: Some(ACCOUNT),
        source: Some(SourceKind::OpenDota),
        label: None,
        clock: Clock::Fixed(DateTime::from_timestamp(NOW, 0).unwrap()),
        home: Some(dir.to_path_buf()),
        config_path: Some(dir.join("config.toml")),
    })
    .unwrap();
    app.settle();
    app
}

fn press(app: &mut App, code: KeyCode) {
    handle_terminal_event(app, &Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    app.settle();
}

fn screen(app: &mut App, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    draw(&mut terminal, app).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let line: String = (0..width).map(|x| buffer[(x, y)].symbol()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Three stubs, newest first: one with a summary (won, 7/2/11), one with
/// a summary without a result, one without any; then a detailed match.
fn list_database(dir: &Path) -> PathBuf {
    let path = dir.join("list.db");
    let mut store = Store::open(&path).unwrap();
    let entries: Vec<HistoryEntry> = (1..=4)
        .map(|n| history_entry(9_000 + n, n, NOW - n * 3_600, 1, n))
        .collect();
    let summary = |n: i64, radiant_win: Option<bool>| MatchSummary {
        match_id: 9_000 + n,
        player_slot: Some(1),
        radiant_win,
        hero_id: Some(n),
        kills: Some(7),
        deaths: Some(2),
        assists: Some(11),
        ..MatchSummary::default()
    };
    store
        .save_stubs_and_summaries(
            ACCOUNT,
            &entries,
            "opendota",
            &[summary(1, Some(true)), summary(2, None)],
        )
        .unwrap();
    let players = ten_players(|_, s| PlayerDetails {
        account_id: (s == 1).then_some(i64::from(ACCOUNT)),
        hero_id: Some(4),
        kills: Some(1),
        deaths: Some(1),
        assists: Some(1),
        ..PlayerDetails::default()
    });
    store
        .save_details(&match_details(9_004, 4, NOW - 4 * 3_600, false, players))
        .unwrap();
    path
}

#[test]
fn a_stub_with_a_summary_reads_no_data_yet_beside_what_the_summary_knows() {
    let dir = tempfile::tempdir().unwrap();
    let db = list_database(dir.path());
    let mut app = app(&db, dir.path());
    press(&mut app, KeyCode::Char('2'));
    let narrow = screen(&mut app, 80, 24);
    let row = |text: &str, id: &str| text.lines().find(|l| l.contains(id)).unwrap().to_string();
    assert!(
        row(&narrow, "9001").ends_with("No data available yet · sum W 7/2/11"),
        "{narrow}"
    );
    assert!(row(&narrow, "9002").ends_with("No data available yet · sum - 7/2/11"));
    assert!(row(&narrow, "9003").ends_with("No data available yet"));
    insta::assert_snapshot!("stub_with_summary_80x24", narrow);
    let wide = screen(&mut app, 200, 60);
    assert!(row(&wide, "9001").ends_with("No data available yet · summary W 7/2/11"));
    insta::assert_snapshot!("stub_with_summary_200x60", wide);

    // The list's result filter reads the summary where there are no details.
    press(&mut app, KeyCode::Char('/'));
    for c in "win".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    let filtered = screen(&mut app, 80, 24);
    assert!(filtered.contains("9001"), "{filtered}");
    assert!(!filtered.contains("9002") && !filtered.contains("9004"));
    // The statistics count the summary's game with the details' one.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('1'));
    let overview = screen(&mut app, 80, 24);
    assert!(overview.contains("1 W  1 L  50.0% of 2"), "{overview}");
    assert!(overview.contains("1 from summaries"), "{overview}");
}

/// Every statistics view says how many of its games came from summaries,
/// at 80 columns too (where the tab row is full, the hint bar's right end).
#[test]
fn every_statistics_view_says_how_many_games_came_from_summaries() {
    let dir = tempfile::tempdir().unwrap();
    let db = list_database(dir.path());
    let mut app = app(&db, dir.path());
    for key in ['3', '4', '5', '7'] {
        press(&mut app, KeyCode::Char(key));
        for (width, height) in [(80, 24), (200, 60)] {
            let text = screen(&mut app, width, height);
            assert_eq!(
                text.matches("1 from summaries").count(),
                1,
                "tab {key} at {width}x{height}:\n{text}"
            );
        }
    }
}

fn phase_two(sources: &[SourceKind]) -> Progress {
    Progress {
        account_id: ACCOUNT,
        source: Some(SourceKind::OpenDota),
        state: SyncState::Fetching,
        collect: CollectProgress {
            collected: 5_000,
            new: 5_000,
            summaries: 4_980,
            done: true,
            capped: false,
        },
        fetch: FetchProgress {
            total: 5_000,
            processed: 12,
            succeeded: 12,
            ..FetchProgress::default()
        },
        fetch_started: true,
        sources: sources
            .iter()
            .map(|&kind| SourceProgress {
                kind,
                per_second: 1.0,
                fetched: 6,
                failed: 0,
                rate_limit: 1.0,
                requests: 6,
                state: SourceState::Running,
            })
            .collect(),
    }
}

#[test]
fn the_sync_block_says_summaries_at_80x24_and_wide() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path(), "s.db", true, false);
    let mut app = app(&db, dir.path());
    const LINE: &str = "Summaries: 4980 of 5000 matches (statistics ready)";
    app.set_progress(phase_two(&[]));
    let one = screen(&mut app, 80, 24);
    assert!(one.contains(LINE), "{one}");
    // The first screen keeps the newest matches in view.
    assert!(one.contains("Newest matches"), "{one}");
    insta::assert_snapshot!("summaries_line_80x24", one);
    let wide = screen(&mut app, 200, 60);
    assert!(wide.contains(LINE));
    insta::assert_snapshot!("summaries_line_200x60", wide);
    // Three sources at 80x24: still room for both.
    app.set_progress(phase_two(&[
        SourceKind::Steam,
        SourceKind::Stratz,
        SourceKind::OpenDota,
    ]));
    let three = screen(&mut app, 80, 24);
    assert!(three.contains(LINE), "{three}");
    assert!(three.contains("Newest matches"), "{three}");
    let rows: Vec<&str> = three.lines().collect();
    let at = rows.iter().position(|l| l.contains(LINE)).unwrap();
    assert!(rows[at - 1].contains("Collecting match IDs: 5000/5000"));
}

/// Migration 7 on a file of schema 6 that already holds summaries: the
/// games they give are added, exactly as a new file would have them.
#[test]
fn an_older_file_with_summaries_gains_their_games_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let db = database(dir.path(), "v6.db", true, false);
    let games = |store: &Store| -> Vec<(i64, i64, i64)> {
        let mut stmt = store
            .connection()
            .prepare("SELECT match_id, radiant_win, kills FROM account_games ORDER BY match_id")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let expected = games(&Store::open(&db).unwrap());
    assert_eq!(expected.len(), 30);
    {
        let store = Store::open(&db).unwrap();
        // As schema 6 left it: no summary rows, no column.
        store
            .connection()
            .execute_batch(
                "DELETE FROM account_games WHERE from_summary = 1;
                 ALTER TABLE account_games DROP COLUMN from_summary;
                 PRAGMA user_version = 6;",
            )
            .unwrap();
        assert!(games(&store).is_empty());
    }
    let store = Store::open(&db).unwrap();
    assert_eq!(games(&store), expected);
    let cache = StatsCache::default();
    let heroes = Statistics::new(&store, &cache)
        .hero_stats(ACCOUNT, &Default::default())
        .unwrap();
    assert_eq!(heroes.iter().map(|h| h.from_summaries).sum::<u64>(), 30);
}

/// A record whose value is a summary's says so whole at 80 columns with
/// dates printed in full (a sync's block above): the marker was cut to
/// `summ`.
#[test]
fn a_record_from_a_summary_says_so_whole_at_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let mut store = Store::open(&path).unwrap();
    // January 2015: old enough that every date prints in full.
    let start = 1_421_000_000;
    let entries: Vec<HistoryEntry> = (1..=12)
        .map(|n| history_entry(9_000 + n, n, start + n * 86_400, 1, n))
        .collect();
    let summaries: Vec<MatchSummary> = (1..=12)
        .map(|n| MatchSummary {
            match_id: 9_000 + n,
            player_slot: Some(1),
            radiant_win: Some(true),
            hero_id: Some(n),
            duration: Some(1_800 + n),
            kills: Some(n),
            deaths: Some(n),
            assists: Some(n),
            gold_per_min: Some(400 + n),
            xp_per_min: Some(500 + n),
            last_hits: Some(100 + n),
            hero_damage: Some(10_000 + n),
            ..MatchSummary::default()
        })
        .collect();
    store
        .save_stubs_and_summaries(ACCOUNT, &entries, "opendota", &summaries)
        .unwrap();
    drop(store);
    let mut app = app(&path, dir.path());
    press(&mut app, KeyCode::Char('5'));
    app.set_progress(phase_two(&[
        SourceKind::Steam,
        SourceKind::Stratz,
        SourceKind::OpenDota,
    ]));
    app.set_notice("opendota: rate limited: waiting 2 s".into());
    let text = screen(&mut app, 80, 24);
    let rows: Vec<&str> = text.lines().filter(|l| l.contains(" 2015-")).collect();
    assert!(rows.len() >= 5, "{text}");
    for row in rows {
        assert!(row.trim_end().ends_with(" summary"), "{row}\n{text}");
    }
}

/// A stub whose fetch failed, or that an API error left, still says what
/// its summary knows where the whole line fits; the failure comes first
/// and is never cut for it.
#[test]
fn a_failed_stub_shows_its_summary_after_the_failure_where_it_fits() {
    let dir = tempfile::tempdir().unwrap();
    let db = list_database(dir.path());
    let mut store = Store::open(&db).unwrap();
    store.record_failure(9_001, "HTTP 404 (not found)").unwrap();
    store
        .record_outage(9_002, "HTTP 503 (server error)")
        .unwrap();
    drop(store);
    let mut app = app(&db, dir.path());
    press(&mut app, KeyCode::Char('2'));
    let wide = screen(&mut app, 160, 40);
    let failed = wide.lines().find(|l| l.contains("9001")).unwrap();
    assert!(
        failed.contains("Fetch failed (1/3): HTTP 404 (not found) · summary W 7/2/11"),
        "{wide}"
    );
    let outage = wide.lines().find(|l| l.contains("9002")).unwrap();
    assert!(outage.contains("No data yet: HTTP 503"), "{wide}");
    assert!(
        outage.contains("will be tried again · summary - 7/2/11"),
        "{wide}"
    );
    let narrow = screen(&mut app, 80, 24);
    let failed = narrow.lines().find(|l| l.contains("9001")).unwrap();
    assert!(failed.contains("Fetch failed (1/3): HTTP 404"), "{narrow}");
    assert!(!failed.contains("summary"), "{narrow}");
}
