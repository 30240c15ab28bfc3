//! Snapshots of every view in its interesting states, rendered into a
//! `TestBackend` from a real (temporary) database. Time is fixed and shown
//! in UTC so that the text is the same on every machine and every day.

use std::time::Duration;

use crate::builders::{history_entry, match_details, ten_players};
use chrono::DateTime;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use dota_sync::source::{HistoryEntry, MatchDetails, PlayerDetails};
use dota_sync::store::{MAX_ATTEMPTS, Store};
use dota_sync::sync::{CollectProgress, FetchProgress, Progress, SyncState};
use dota_sync::tui::{App, AppSettings, Clock, draw, handle_terminal_event};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

const ACCOUNT: u32 = 123_456_789;
/// 2026-03-10 12:00:00 UTC.
const NOW: i64 = 1_773_144_000;
const HOUR: i64 = 3_600;
const DAY: i64 = 86_400;

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn db_path(&self) -> std::path::PathBuf {
        self.dir.path().join("dota-sync.db")
    }

    /// The app on the matches tab, the loader's answers in.
    fn app(&self, account: Option<u32>) -> App {
        let mut app = self.app_on_start(account);
        if account.is_some() {
            press(&mut app, KeyCode::Char('2'));
        }
        app
    }

    /// The app as it opens (on the overview), the loader's answers in.
    fn app_on_start(&self, account: Option<u32>) -> App {
        let mut app = App::new(AppSettings {
            db_path: self.db_path(),
            account_id: account,
            source: Some(dota_sync::source::SourceKind::Steam),
            label: None,
            clock: Clock::Fixed(DateTime::from_timestamp(NOW, 0).unwrap()),
            // Shows the database as `~/dota-sync.db` whatever the temp dir is.
            home: Some(self.dir.path().to_path_buf()),
            config_path: Some(self.dir.path().join("config.toml")),
        })
        .unwrap();
        app.settle();
        app
    }
}

fn entry(match_id: i64, start_time: i64, slot: i64, hero: i64) -> HistoryEntry {
    history_entry(match_id, match_id + 1_000, start_time, slot, hero)
}

/// Ten players; the tracked account in `tracked_slot`, named unless `anonymous`.
fn details(
    match_id: i64,
    start_time: i64,
    tracked_slot: i64,
    anonymous: bool,
    radiant_win: bool,
) -> MatchDetails {
    let players = ten_players(|i, slot| {
        let account_id = if slot == tracked_slot {
            Some(if anonymous {
                4_294_967_295
            } else {
                i64::from(ACCOUNT)
            })
        } else if i == 3 {
            None // a bot
        } else {
            Some(1_000 + i * 11)
        };
        PlayerDetails {
            player_slot: slot,
            account_id,
            hero_id: Some(i * 7 + 1),
            kills: Some(i + 2),
            deaths: Some(10 - i),
            assists: Some(i * 2),
            last_hits: Some(100 + i * 20),
            denies: Some(i),
            gold_per_min: Some(400 + i * 25),
            xp_per_min: Some(500 + i * 20),
            hero_damage: Some(9_000 + i * 2_500),
            tower_damage: Some(1_000),
            hero_healing: Some(0),
            level: Some(20 + i),
            net_worth: Some(12_000 + i * 1_100),
            items: [Some(1), Some(63), Some(0), Some(116), None, Some(48)],
            backpack: [Some(0), None, None],
            item_neutral: Some(300 + i),
        }
    });
    MatchDetails {
        duration: Some(42 * 60 + 7),
        radiant_score: Some(35),
        dire_score: Some(28),
        ..match_details(match_id, match_id + 1_000, start_time, radiant_win, players)
    }
}

/// A database with each kind of row, newest first:
/// 8000000010 stub (5 min ago), ...09 won (3 h ago), ...08 failed 2/3
/// (yesterday), ...07 given up 3/3, ...06 lost with the tracked player
/// anonymous, then older detailed matches and stubs.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Fixture { dir };
    let mut store = Store::open(&fixture.db_path()).unwrap();
    let base = 8_000_000_000;
    let starts = [
        (10, NOW - 5 * 60, 1, 11),
        (9, NOW - 3 * HOUR, 1, 22),
        (8, NOW - 20 * HOUR, 2, 33),
        (7, NOW - 9 * DAY, 3, 44),
        (6, NOW - 10 * DAY, 130, 55),
        (5, NOW - 11 * DAY, 1, 66),
        (4, NOW - 12 * DAY, 129, 77),
        (3, NOW - 13 * DAY, 1, 88),
        (2, NOW - 14 * DAY, 1, 99),
        (1, NOW - 15 * DAY, 1, 100),
    ];
    let entries: Vec<HistoryEntry> = starts
        .iter()
        .map(|&(n, t, slot, hero)| entry(base + n, t, slot, hero))
        .collect();
    store.save_stubs(ACCOUNT, &entries).unwrap();
    store
        .save_details(&details(base + 9, NOW - 3 * HOUR, 1, false, true))
        .unwrap();
    store
        .save_details(&details(base + 6, NOW - 10 * DAY, 130, true, true))
        .unwrap();
    store
        .save_details(&details(base + 5, NOW - 11 * DAY, 1, false, false))
        .unwrap();
    store
        .save_details(&details(base + 4, NOW - 12 * DAY, 129, false, true))
        .unwrap();
    for _ in 0..2 {
        store
            .record_failure(base + 8, "HTTP 500 Internal Server Error")
            .unwrap();
    }
    for _ in 0..MAX_ATTEMPTS {
        store
            .record_failure(base + 7, "Match ID not found\u{1b}[31m\n(in progress?)")
            .unwrap();
    }
    // The engine stamps attempts with the real time; pin them for stable text.
    store
        .connection()
        .execute(
            "UPDATE matches SET last_fetch_attempt = CASE match_id
                 WHEN ?1 THEN '2026-03-10T11:50:00Z' ELSE '2026-03-09T08:00:00Z' END
              WHERE has_details = 0",
            [base + 8],
        )
        .unwrap();
    fixture
}

fn render(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    draw(&mut terminal, app).unwrap();
    terminal
}

/// The buffer as plain text, one line per row, trailing spaces trimmed.
fn text(terminal: &Terminal<TestBackend>) -> String {
    buffer_text(terminal.backend().buffer())
}

fn buffer_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut line = String::new();
        for x in 0..area.width {
            line.push_str(buffer[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// One key, then the loader's answers to what it asked.
fn press(app: &mut App, code: KeyCode) {
    let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    handle_terminal_event(app, &event);
    app.settle();
}

fn collecting() -> Progress {
    Progress {
        account_id: ACCOUNT,
        source: Some(dota_sync::source::SourceKind::Steam),
        state: SyncState::Collecting,
        collect: CollectProgress {
            collected: 450,
            new: 440,
            done: false,
            capped: false,
        },
        fetch: FetchProgress::default(),
        fetch_started: false,
        sources: Vec::new(),
    }
}

fn fetching() -> Progress {
    Progress {
        state: SyncState::Fetching,
        collect: CollectProgress {
            collected: 450,
            new: 440,
            done: true,
            capped: true,
        },
        fetch: FetchProgress {
            total: 450,
            processed: 230,
            succeeded: 225,
            failed: 5,
            server_errors: 3,
            given_up: 1,
            per_second: 2.44,
            eta: Some(Duration::from_secs(90)),
            rate_limit: 4.0,
        },
        fetch_started: true,
        ..collecting()
    }
}

/// Finds the cell of the first occurrence of `needle` on the row holding `row_text`.
fn cell_color(terminal: &Terminal<TestBackend>, row_text: &str, needle: &str) -> Option<Color> {
    let buffer = terminal.backend().buffer();
    let text = buffer_text(buffer);
    let (y, line) = text
        .lines()
        .enumerate()
        .find(|(_, line)| line.contains(row_text))?;
    let byte = line.find(needle)?;
    let x = line[..byte].chars().count() as u16;
    buffer[(x, y as u16)].fg.into()
}

#[test]
fn phase_one_collecting_ids() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    app.set_progress(collecting());
    let terminal = render(&mut app, 80, 24);
    let screen = text(&terminal);
    assert!(screen.contains("Collecting match IDs: 450/?"));
    insta::assert_snapshot!("phase1_80x24", screen);
}

#[test]
fn phase_two_fetching_details() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    app.set_progress(fetching());
    let terminal = render(&mut app, 80, 24);
    let screen = text(&terminal);
    assert!(screen.contains("Collecting match IDs: 450/450"));
    assert!(screen.contains("Fetching match details: 230/450"));
    insta::assert_snapshot!("phase2_80x24", screen);
    let terminal = render(&mut app, 120, 40);
    insta::assert_snapshot!("phase2_120x40", text(&terminal));
}

#[test]
fn a_two_source_run_shows_a_line_per_source_and_keeps_the_list_in_view() {
    use dota_sync::source::SourceKind;
    use dota_sync::sync::{SourceProgress, SourceState};
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    let mut progress = fetching();
    progress.sources = vec![
        SourceProgress {
            kind: SourceKind::Steam,
            state: SourceState::Running,
            per_second: 1.9,
            rate_limit: 2.0,
            requests: 120,
            fetched: 100,
            failed: 12,
        },
        SourceProgress {
            kind: SourceKind::OpenDota,
            state: SourceState::Paused {
                retry_in: std::time::Duration::from_secs(40),
            },
            per_second: 0.9,
            rate_limit: 1.0,
            requests: 118,
            fetched: 118,
            failed: 0,
        },
    ];
    app.set_progress(progress);
    let terminal = render(&mut app, 80, 24);
    let screen = text(&terminal);
    let lines: Vec<&str> = screen.lines().collect();
    let steam = lines
        .iter()
        .position(|l| l.contains("steam") && l.contains("100 fetched"));
    let opendota = lines
        .iter()
        .position(|l| l.contains("opendota") && l.contains("paused for 40 s"));
    assert!(steam.is_some() && opendota.is_some(), "{screen}");
    // Both lines sit in the sync block, above the tabs, and the list still shows.
    let tabs = lines.iter().position(|l| l.contains("Overview")).unwrap();
    assert!(opendota.unwrap() < tabs, "{screen}");
    assert!(
        screen.contains("Fetching match details: 230/450"),
        "{screen}"
    );
    insta::assert_snapshot!("two_sources_80x24", screen);
}

#[test]
fn match_rows_show_stubs_failures_and_results() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    let terminal = render(&mut app, 80, 24);
    let screen = text(&terminal);
    let row = |id: &str| {
        screen
            .lines()
            .find(|l| l.contains(id))
            .unwrap_or_else(|| panic!("no row {id} in\n{screen}"))
            .to_string()
    };
    assert!(row("8000000010").contains("5 min ago"));
    assert!(row("8000000010").contains("No data available yet"));
    assert!(row("8000000009").contains("3 h ago"));
    assert!(row("8000000009").contains("42:07"));
    assert!(row("8000000008").contains("yesterday"));
    assert!(row("8000000008").contains("Fetch failed (2/3): HTTP 500"));
    assert!(row("8000000007").contains("2026-03-01"));
    assert!(row("8000000007").contains("Gave up (3/3): Match ID not found (i…"));
    assert!(
        !screen.contains('\u{1b}'),
        "control characters reach the screen"
    );
    insta::assert_snapshot!("matches_80x24", screen);
}

#[test]
fn wins_and_losses_are_coloured() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    let terminal = render(&mut app, 80, 24);
    let screen = text(&terminal);
    let line_of = |id: &str| screen.lines().position(|l| l.contains(id)).unwrap() as u16;
    let buffer = terminal.backend().buffer();
    let result_x = |y: u16| {
        let line: Vec<&str> = (0..80).map(|x| buffer[(x, y)].symbol()).collect();
        // The W/L letter is the first cell of the result column.
        let header_y = screen.lines().position(|l| l.contains("W/L")).unwrap() as u16;
        let header: Vec<&str> = (0..80).map(|x| buffer[(x, header_y)].symbol()).collect();
        let x = header
            .windows(3)
            .position(|w| w == ["W", "/", "L"])
            .unwrap() as u16;
        (line[x as usize].to_string(), buffer[(x, y)].fg)
    };
    assert_eq!(result_x(line_of("8000000009")), ("W".into(), Color::Green));
    assert_eq!(result_x(line_of("8000000005")), ("L".into(), Color::Red));
}

#[test]
fn wide_matches_view() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    let terminal = render(&mut app, 120, 40);
    insta::assert_snapshot!("matches_120x40", text(&terminal));
}

#[test]
fn errors_view() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('6'));
    let terminal = render(&mut app, 80, 24);
    let screen = text(&terminal);
    assert!(screen.contains("3/3 gave up"));
    assert!(screen.contains("2/3"));
    insta::assert_snapshot!("errors_80x24", screen);
    let terminal = render(&mut app, 120, 40);
    insta::assert_snapshot!("errors_120x40", text(&terminal));
}

#[test]
fn teammates_view() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('4'));
    let terminal = render(&mut app, 80, 24);
    insta::assert_snapshot!("teammates_80x24", text(&terminal));
}

#[test]
fn details_of_a_stub() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    press(&mut app, KeyCode::Enter);
    let terminal = render(&mut app, 80, 24);
    let screen = text(&terminal);
    assert!(screen.contains("Match 8000000010"));
    assert!(screen.contains("No data available yet"));
    insta::assert_snapshot!("details_stub_80x24", screen);
}

#[test]
fn details_of_a_given_up_match() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, KeyCode::Enter);
    let terminal = render(&mut app, 80, 24);
    let screen = text(&terminal);
    assert!(screen.contains("Match 8000000007"));
    assert!(screen.contains("3/3 (given up"));
    insta::assert_snapshot!("details_given_up_80x24", screen);
}

#[test]
fn details_of_a_full_match() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    let terminal = render(&mut app, 80, 24);
    let screen = text(&terminal);
    assert!(screen.contains("Radiant victory"));
    assert!(screen.contains("Anonymous"), "the bot has no account");
    insta::assert_snapshot!("details_full_80x24", screen);
    // The tracked player (slot 1: hero 8) is named in the details and highlighted.
    assert_eq!(
        cell_color(&terminal, "Juggernaut", "Juggernaut"),
        Some(Color::Yellow)
    );
    assert_ne!(
        cell_color(&terminal, "Anti-Mage", "Anti-Mage"),
        Some(Color::Yellow)
    );
    let terminal = render(&mut app, 120, 40);
    insta::assert_snapshot!("details_full_120x40", text(&terminal));
}

#[test]
fn details_highlight_an_anonymous_tracked_player_by_slot() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    for _ in 0..4 {
        press(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, KeyCode::Enter);
    let terminal = render(&mut app, 80, 24);
    let screen = text(&terminal);
    assert!(screen.contains("Match 8000000006"));
    // Slot 130 is the third Dire player: hero #8*7+1... the 8th player, hero 50.
    assert_eq!(
        cell_color(&terminal, "Dazzle", "Dazzle"),
        Some(Color::Yellow)
    );
    assert_ne!(
        cell_color(&terminal, "Death Prophet", "Death Prophet"),
        Some(Color::Yellow)
    );
    // The match hides the account, but it is the tracked one: named, marked.
    let row = screen.lines().find(|l| l.contains("Dazzle")).unwrap();
    assert!(
        row.contains("▶Dazzle") && row.contains("123456789"),
        "{row}"
    );
    // Radiant won, the tracked player was Dire: the result reads as a loss.
    assert_eq!(
        cell_color(&terminal, "Radiant victory ·", "Radiant victory"),
        Some(Color::Red)
    );
}

#[test]
fn help_overlay() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('?'));
    let terminal = render(&mut app, 80, 24);
    let screen = text(&terminal);
    assert!(screen.contains("Retry all failed matches"));
    insta::assert_snapshot!("help_80x24", screen);
}

#[test]
fn filter_being_typed() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('/'));
    for c in "80000000".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    let terminal = render(&mut app, 80, 24);
    insta::assert_snapshot!("filter_80x24", text(&terminal));
}

#[test]
fn too_small() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    let terminal = render(&mut app, 60, 20);
    let screen = text(&terminal);
    assert!(screen.contains("Terminal too small"));
    insta::assert_snapshot!("too_small_60x20", screen);
}

#[test]
fn first_run() {
    let fixture = fixture();
    let mut app = fixture.app(None);
    let terminal = render(&mut app, 80, 24);
    let screen = text(&terminal);
    assert!(screen.contains("dota-sync sync --account <ID>"));
    assert!(screen.contains("dota-sync demo"));
    insta::assert_snapshot!("first_run_80x24", screen);
}

#[test]
fn empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Fixture { dir };
    Store::open(&fixture.db_path()).unwrap();
    let mut app = fixture.app(Some(ACCOUNT));
    let terminal = render(&mut app, 80, 24);
    insta::assert_snapshot!("empty_80x24", text(&terminal));
}

#[test]
fn long_list_scrolled_with_a_scrollbar() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Fixture { dir };
    let mut store = Store::open(&fixture.db_path()).unwrap();
    let entries: Vec<HistoryEntry> = (1..=200)
        .map(|n| entry(7_000_000_000 + n, NOW - (201 - n) * DAY, 1, n % 100 + 1))
        .collect();
    store.save_stubs(ACCOUNT, &entries).unwrap();
    drop(store);
    let mut app = fixture.app(Some(ACCOUNT));
    // The first frame tells the list how many rows a page holds.
    render(&mut app, 80, 24);
    press(&mut app, KeyCode::PageDown);
    press(&mut app, KeyCode::PageDown);
    press(&mut app, KeyCode::Down);
    let terminal = render(&mut app, 80, 24);
    let screen = text(&terminal);
    // 14 rows a page: two pages and one row down is the 29th newest.
    let selected = screen.lines().find(|l| l.starts_with('▶')).unwrap();
    assert!(selected.contains("7000000171"), "{selected}");
    insta::assert_snapshot!("long_list_80x24", screen);
    press(&mut app, KeyCode::End);
    let terminal = render(&mut app, 80, 24);
    let screen = text(&terminal);
    let selected = screen.lines().find(|l| l.starts_with('▶')).unwrap();
    assert!(selected.contains("7000000001"), "{selected}");
    insta::assert_snapshot!("long_list_end_80x24", screen);
}

/// Every cell's foreground and background: what `NO_COLOR` must leave empty.
fn colours_used(terminal: &Terminal<TestBackend>) -> Vec<(u16, u16, Color, Color)> {
    let buffer = terminal.backend().buffer();
    let mut used = Vec::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            if cell.fg != Color::Reset || cell.bg != Color::Reset {
                used.push((x, y, cell.fg, cell.bg));
            }
        }
    }
    used
}

/// The text, then one line per run of cells with the same emphasis (bold,
/// reverse...): what a snapshot under `NO_COLOR` has to show.
fn text_and_emphasis(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let mut out = text(terminal);
    out.push_str("--- emphasis (row: columns modifiers)\n");
    for y in 0..buffer.area.height {
        let mut x = 0;
        while x < buffer.area.width {
            let modifier = buffer[(x, y)].modifier;
            let start = x;
            while x < buffer.area.width && buffer[(x, y)].modifier == modifier {
                x += 1;
            }
            if !modifier.is_empty() {
                out.push_str(&format!("{y}: {start}..{x} {modifier:?}\n"));
            }
        }
    }
    out
}

/// A tab drawn wide and at 80x24, with colours and under `NO_COLOR`.
fn snapshot_tab(app: &mut App, name: &str) {
    let wide = render(app, 120, 40);
    insta::assert_snapshot!(format!("{name}_120x40"), text(&wide));
    let small = render(app, 80, 24);
    insta::assert_snapshot!(format!("{name}_80x24"), text(&small));
    dota_sync::tui::set_monochrome(true);
    let plain = render(app, 80, 24);
    dota_sync::tui::set_monochrome(false);
    assert_eq!(colours_used(&plain), [], "NO_COLOR draws without colours");
    assert_eq!(text(&plain), text(&small), "the same text either way");
    insta::assert_snapshot!(format!("{name}_80x24_no_color"), text_and_emphasis(&plain));
}

#[test]
fn overview_tab() {
    let fixture = fixture();
    let mut app = fixture.app_on_start(Some(ACCOUNT));
    assert_eq!(app.view(), dota_sync::tui::View::Overview);
    let screen = text(&render(&mut app, 120, 40));
    // 9 won; 6 (anonymous, slot 130), 5 and 4 lost: 1 W, 3 L.
    assert!(screen.contains("1 W  3 L  25.0% of 4"), "{screen}");
    assert!(screen.contains("1 won in a row"), "{screen}");
    assert!(screen.contains("LLLW"), "oldest first: {screen}");
    assert!(screen.contains("Radiant 50.0% (2)"), "{screen}");
    assert!(screen.contains("Dire 0.0% (2)"), "{screen}");
    snapshot_tab(&mut app, "overview");
}

#[test]
fn heroes_tab() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('3'));
    let screen = text(&render(&mut app, 120, 40));
    let juggernaut = screen
        .lines()
        .find(|l| l.contains("Juggernaut"))
        .unwrap_or_else(|| panic!("{screen}"));
    // Matches 9 (won) and 5 (lost), both at slot 1: hero 8.
    assert!(juggernaut.contains(" 2 "), "{juggernaut}");
    assert!(juggernaut.contains("50.0"), "{juggernaut}");
    assert!(screen.contains("Games▼"));
    snapshot_tab(&mut app, "heroes");
    press(&mut app, KeyCode::Char('c'));
    let screen = text(&render(&mut app, 120, 40));
    assert!(screen.contains("Win %▼"), "{screen}");
    let first_row = screen.lines().find(|l| l.starts_with('▶')).unwrap();
    assert!(
        first_row.contains("Juggernaut"),
        "best win rate first: {first_row}"
    );
}

#[test]
fn records_tab() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('5'));
    let screen = text(&render(&mut app, 120, 40));
    for title in ["Most kills", "Most assists", "Highest GPM", "Longest game"] {
        assert!(screen.contains(title), "{title}: {screen}");
    }
    snapshot_tab(&mut app, "records");
    // Enter opens the record's match.
    press(&mut app, KeyCode::Enter);
    assert!(app.details().is_some());
}

#[test]
fn teammates_tab_with_and_against() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('4'));
    snapshot_tab(&mut app, "teammates_extended");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.view(), dota_sync::tui::View::Matches);
    let screen = text(&render(&mut app, 80, 24));
    assert!(screen.contains("/with:1000"), "{screen}");
}

#[test]
fn a_filter_narrows_every_tab_and_the_header_shows_its_record() {
    let fixture = fixture();
    let mut app = fixture.app_on_start(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('/'));
    for c in "dire".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    let screen = text(&render(&mut app, 80, 24));
    assert!(screen.contains("/dire  0W 2L 0%"), "{screen}");
    assert!(screen.contains("0 W  2 L  0.0% of 2"), "{screen}");
    insta::assert_snapshot!("overview_filtered_80x24", screen);
}

#[test]
fn under_no_color_the_selection_and_the_tab_stay_reversed_to_the_edge() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    dota_sync::tui::set_monochrome(true);
    let terminal = render(&mut app, 80, 24);
    dota_sync::tui::set_monochrome(false);
    let emphasis = text_and_emphasis(&terminal);
    let screen = text(&terminal);
    let selected_y = screen.lines().position(|l| l.starts_with('▶')).unwrap();
    // The selected row is reversed from the marker to the scrollbar.
    assert!(
        emphasis.contains(&format!("{selected_y}: 0..79 REVERSED")),
        "{emphasis}"
    );
    insta::assert_snapshot!("matches_80x24_no_color", emphasis);
}
