//! Snapshots of every view in its interesting states, rendered into a
//! `TestBackend` from a real (temporary) database. Time is fixed and shown
//! in UTC so that the text is the same on every machine and every day.

use std::time::Duration;

use crate::builders::{history_entry, match_details, ten_players};
use chrono::DateTime;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use dota_sync::source::{HistoryEntry, MatchDetails, PlayerDetails};
use dota_sync::store::{ListOrder, MAX_ATTEMPTS, Store};
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
            ..CollectProgress::default()
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
            ..CollectProgress::default()
        },
        fetch: FetchProgress {
            total: 450,
            processed: 230,
            succeeded: 225,
            failed: 5,
            server_errors: 3,
            given_up: 1,
            uncounted: 3,
            per_second: 2.44,
            eta: Some(Duration::from_secs(90)),
            rate_limit: 4.0,
            elapsed: Duration::from_secs(94),
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

/// `c` in Matches: oldest first, then by duration, K/D/A and GPM, the
/// sorted column marked; the selected match stays selected; matches
/// without the column (stubs, failures) come last, newest first.
#[test]
fn matches_sort_by_a_key_and_mark_the_column() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    let selected = |app: &App| {
        let list = app.matches().unwrap();
        (list.order(), list.selected_row().map(|r| r.match_id))
    };
    let ids = |screen: &str| -> Vec<i64> {
        screen
            .lines()
            .filter_map(|l| l.trim_start_matches(['▶', ' ']).get(..10)?.parse().ok())
            .collect()
    };
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(selected(&app), (ListOrder::Newest, Some(8_000_000_009)));
    press(&mut app, KeyCode::Char('c'));
    assert_eq!(selected(&app), (ListOrder::Oldest, Some(8_000_000_009)));
    press(&mut app, KeyCode::Char('g'));
    let screen = text(&render(&mut app, 80, 24));
    assert!(screen.contains("Date▲"), "{screen}");
    assert_eq!(
        ids(&screen)[..3],
        [8_000_000_001, 8_000_000_002, 8_000_000_003]
    );
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('c'));
    }
    assert_eq!(selected(&app).0, ListOrder::GoldPerMin);
    press(&mut app, KeyCode::Char('g'));
    let screen = text(&render(&mut app, 80, 24));
    // GPM 400 + 25 x the player's index: slot 130 (6) 575, 129 (4) 550,
    // slot 1 (9 and 5) 425; then the rest, newest first.
    let order: Vec<i64> = [6, 4, 9, 5, 10, 8, 7, 3, 2, 1]
        .iter()
        .map(|n| 8_000_000_000 + n)
        .collect();
    assert_eq!(ids(&screen), order, "{screen}");
    assert!(screen.contains("Mode  by GPM▼"), "{screen}");
    insta::assert_snapshot!("matches_by_gpm_80x24", screen);
    let wide = text(&render(&mut app, 120, 40));
    assert!(wide.contains("GPM▼"), "{wide}");
    assert_eq!(ids(&wide), order);
    // The key is on the hint bar where the other keys leave room for it.
    assert!(wide.lines().last().unwrap().contains("c sort"), "{wide}");
    assert!(
        !screen.lines().last().unwrap().contains("c sort"),
        "{screen}"
    );
    insta::assert_snapshot!("matches_by_gpm_120x40", wide);
    // Back to newest first: unmarked, as it always was.
    press(&mut app, KeyCode::Char('c'));
    let screen = text(&render(&mut app, 80, 24));
    assert!(!screen.contains('▼') && !screen.contains('▲'), "{screen}");
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
    // 19 rows a page under the idle sync line: two pages and one row down
    // is the 40th newest.
    let selected = screen.lines().find(|l| l.starts_with('▶')).unwrap();
    assert!(selected.contains("7000000161"), "{selected}");
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
    let mate = app.teammates()[0].clone();
    assert!(
        mate.with.games > 0 && mate.against.games > 0,
        "met on both sides: {mate:?}"
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.view(), dota_sync::tui::View::Matches);
    let screen = text(&render(&mut app, 80, 24));
    assert!(screen.contains("/with:1000"), "{screen}");
    // Issue 18: the games *with* them (same team), not with and against.
    assert_eq!(app.matches().unwrap().total(), mate.with.games);
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

// The sync box (issue 10, section 3): what the database holds stays in view,
// rates and ETAs are never stale, one run's summary does not outlive it.

fn summary(outcome: dota_sync::sync::RunOutcome) -> dota_sync::sync::Summary {
    dota_sync::sync::Summary {
        account_id: ACCOUNT,
        source: "steam".into(),
        ids_collected: 450,
        new_ids: 440,
        details_fetched: 445,
        failed: 5,
        server_errors: 3,
        given_up: 1,
        stubs_left: 0,
        history_capped: true,
        history_warning: None,
        outcome,
        summaries: 0,
        sources: Vec::new(),
        names_fetched: 0,
        down: Vec::new(),
    }
}

fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle:?} in\n{screen}"))
}

#[test]
fn the_database_line_stays_when_a_notice_arrives() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    app.set_progress(fetching());
    app.handle_sync_event(dota_sync::sync::SyncEvent::Notice(
        "steam: slowing to 2.00 requests/s".into(),
    ));
    let screen = text(&render(&mut app, 80, 24));
    assert!(
        screen.contains("› steam: slowing to 2.00 requests/s"),
        "{screen}"
    );
    let counts = app.counts();
    let database = line_with(&screen, "In database:");
    assert!(
        database.contains(&format!(
            "{} matches, {} detailed, {} without data, {} failed, {} given up",
            counts.matches, counts.detailed, counts.stubs, counts.failed, counts.given_up
        )),
        "{database}"
    );
    insta::assert_snapshot!("sync_box_notice_80x24", screen);
}

#[test]
fn a_paused_run_says_paused_and_shows_no_rate_or_eta() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    app.set_progress(Progress {
        state: SyncState::Paused,
        ..fetching()
    });
    let screen = text(&render(&mut app, 80, 24));
    let stats = line_with(&screen, "run: ");
    assert!(stats.contains("paused"), "{stats}");
    assert!(!stats.contains("/s") && !stats.contains("ETA"), "{stats}");
    // A source line of a paused two-source run: paused, not its last rate.
    let steam = dota_sync::sync::SourceProgress {
        kind: dota_sync::source::SourceKind::Steam,
        state: dota_sync::sync::SourceState::Running,
        per_second: 1.9,
        rate_limit: 2.0,
        requests: 120,
        fetched: 100,
        failed: 12,
    };
    let opendota = dota_sync::sync::SourceProgress {
        kind: dota_sync::source::SourceKind::OpenDota,
        ..steam.clone()
    };
    app.set_progress(Progress {
        state: SyncState::Paused,
        sources: vec![steam, opendota],
        ..fetching()
    });
    let screen = text(&render(&mut app, 80, 24));
    assert!(!screen.contains("matches/s"), "{screen}");
    let steam_line = line_with(&screen, "│steam");
    assert!(
        steam_line.contains("paused  100 fetched  12 failed"),
        "{steam_line}"
    );
    assert!(!steam_line.contains("running"), "{steam_line}");
    // Over, each source's end state and no stale rate.
    let mut done = fetching();
    done.state = SyncState::Done;
    done.sources = app.progress().sources.clone();
    for source in &mut done.sources {
        source.state = dota_sync::sync::SourceState::Finished;
    }
    app.set_progress(done);
    let screen = text(&render(&mut app, 80, 24));
    let steam_line = line_with(&screen, "│steam");
    assert!(
        steam_line.contains("done  100 fetched  12 failed"),
        "{steam_line}"
    );
    assert!(!screen.contains("matches/s"), "{screen}");
}

#[test]
fn a_finished_run_shows_how_long_it_took_and_its_average_rate() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    let mut done = fetching();
    done.state = SyncState::Done;
    done.fetch.processed = 450;
    done.fetch.elapsed = Duration::from_secs(150);
    app.set_progress(done);
    let screen = text(&render(&mut app, 80, 24));
    let stats = line_with(&screen, "run: ");
    // 450 matches in 150 s: 3.0 a second, not the last recent rate (2.4).
    assert!(stats.contains("took 2 min 30 s, avg 3.0/s"), "{stats}");
    assert!(!stats.contains("ETA"), "{stats}");
    insta::assert_snapshot!("sync_box_done_80x24", screen);
}

#[test]
fn a_new_run_takes_down_the_last_runs_summary() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    app.set_progress(Progress {
        state: SyncState::Done,
        ..fetching()
    });
    app.handle_sync_event(dota_sync::sync::SyncEvent::Finished(Box::new(summary(
        dota_sync::sync::RunOutcome::Completed,
    ))));
    assert!(app.notice().is_some_and(|n| n.starts_with("Sync complete")));
    // The summary gives no failure count of its own: the run's line has it
    // (2 failed as the database counts them; the summary's 5 include the
    // API's 3), and the two would disagree.
    let screen = text(&render(&mut app, 120, 40));
    assert!(
        line_with(&screen, "› Sync complete")
            .trim_end_matches(['│', ' '])
            .ends_with("0 still without data")
    );
    assert!(!line_with(&screen, "› Sync complete").contains("failed"));
    assert!(line_with(&screen, "run: ").contains("2 failed"), "{screen}");
    app.set_progress(collecting());
    assert_eq!(app.notice(), None);
    let screen = text(&render(&mut app, 80, 24));
    assert!(!screen.contains("Sync complete"), "{screen}");
    // A notice of the new run itself is kept when its progress moves on.
    app.handle_sync_event(dota_sync::sync::SyncEvent::Notice(
        "rate limited: waiting 2 s".into(),
    ));
    app.set_progress(fetching());
    assert_eq!(app.notice(), Some("rate limited: waiting 2 s"));
}

#[test]
fn a_run_that_found_no_api_ends_with_one_clear_line() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    app.set_progress(Progress {
        state: SyncState::Failed("API appears down: 8 matches are still stubs".into()),
        ..collecting()
    });
    app.handle_sync_event(dota_sync::sync::SyncEvent::Finished(Box::new(summary(
        dota_sync::sync::RunOutcome::ApiDown,
    ))));
    let screen = text(&render(&mut app, 80, 24));
    let notice = app.notice().unwrap();
    assert!(
        notice.starts_with("Sync ended, no answer from the API"),
        "{notice}"
    );
    assert!(!screen.to_lowercase().contains("paused"), "{screen}");
    assert_eq!(screen.matches("API").count(), 1, "{screen}");
}

#[test]
fn a_run_that_found_no_api_names_each_host_and_why() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    let mut ended = summary(dota_sync::sync::RunOutcome::ApiDown);
    ended.down = vec![
        dota_sync::sync::DownSource {
            source: dota_sync::source::SourceKind::OpenDota,
            host: "127.0.0.1:9".into(),
            cause: "connection refused".into(),
        },
        dota_sync::sync::DownSource {
            source: dota_sync::source::SourceKind::Steam,
            host: "nowhere.invalid".into(),
            cause: "DNS lookup failed".into(),
        },
    ];
    app.handle_sync_event(dota_sync::sync::SyncEvent::Finished(Box::new(ended)));
    let notice = app.notice().unwrap();
    assert!(
        notice.starts_with(
            "Sync ended, no answer from the API \
             (127.0.0.1:9: connection refused; nowhere.invalid: DNS lookup failed)"
        ),
        "{notice}"
    );
    let screen = text(&render(&mut app, 200, 40));
    assert!(
        screen.contains("127.0.0.1:9: connection refused"),
        "{screen}"
    );
}

#[test]
fn a_rate_limit_reads_as_rate_limited_never_api_down() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    app.set_progress(Progress {
        state: SyncState::RateLimited {
            retry_in: Duration::from_secs(1),
        },
        ..fetching()
    });
    let screen = text(&render(&mut app, 80, 24));
    assert!(
        screen
            .lines()
            .next()
            .unwrap()
            .ends_with("rate limited, resuming in 1 s"),
        "{screen}"
    );
    assert!(!screen.contains("API down"), "{screen}");
}

/// Issue 10: `1501/1501` for 1,500 matches after `r`, "35 failed" beside
/// "Errors (34)". A real run against the simulator: one match fails and is
/// retried (`r`) during the run, another fails for good, a third meets a
/// server error (not the match's fault: it stays without data). The sync box's
/// numbers then agree with each other and with the database.
#[tokio::test]
async fn the_sync_box_counts_agree_with_the_database_after_failures_and_a_retry() {
    use crate::common::{config, db, options, script, start, steam};
    use dota_sync::sync::{Channels, SyncEvent};

    let plan = script(&[
        ("account0:0".to_string(), &["not_found", "ok"][..]),
        ("account0:1".to_string(), &["not_found"][..]),
        ("account0:2".to_string(), &["500"][..]),
    ]);
    let sim = start(config(1, 20, plan)).await;
    let account = sim.dataset().accounts()[0].clone();
    let (retried, failing) = (account.match_ids[0], account.match_ids[1]);
    let (_dir, path) = db();
    let store = std::sync::Arc::new(std::sync::Mutex::new(Store::open(&path).unwrap()));
    let (progress_tx, progress) = tokio::sync::watch::channel(Progress::default());
    let (events_tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let (_pause_tx, paused) = tokio::sync::watch::channel(false);
    let channels = Channels {
        progress: progress_tx,
        events: Some(events_tx),
        cancel: Default::default(),
        paused,
        urgent: Default::default(),
    };
    let urgent = channels.urgent.clone();
    let mut run_options = options(account.account_id);
    // Slow enough that the retry lands while the run still goes.
    run_options.rate = 10.0;
    let source = steam(&sim);
    let run = tokio::spawn(async move {
        dota_sync::sync::run(
            std::slice::from_ref(&source),
            &store,
            &run_options,
            &channels,
        )
        .await
        .unwrap()
    });
    let mut asked = false;
    while let Some(event) = events.recv().await {
        match event {
            SyncEvent::MatchFailed { match_id, .. } if match_id == retried && !asked => {
                asked = true;
                urgent.push(retried);
            }
            SyncEvent::Finished(_) => break,
            _ => {}
        }
    }
    let summary = run.await.unwrap();
    assert!(asked, "the retried match failed first");
    let end = progress.borrow().clone();
    let counts = Store::open(&path)
        .unwrap()
        .counts(Some(account.account_id))
        .unwrap();
    assert_eq!(counts.matches, 20);
    let db_counts = (
        counts.detailed,
        counts.stubs,
        counts.failed,
        counts.given_up,
    );
    assert_eq!(db_counts, (18, 1, 1, 0));
    assert_eq!(crate::common::row_state(&path, retried).0, Some(1));
    assert_eq!(crate::common::row_state(&path, failing).0, Some(0));
    // One per match: the retried match is counted once, as saved.
    assert_eq!(
        (end.fetch.total, end.fetch.processed),
        (counts.matches, counts.matches)
    );
    assert_eq!(end.fetch.succeeded, counts.detailed);
    // Failed as the database counts it; the API's failure (a 500) apart.
    assert_eq!(
        end.fetch.failed - end.fetch.uncounted,
        counts.failed + counts.given_up
    );
    assert_eq!(end.fetch.uncounted, counts.stubs);
    assert_eq!((summary.details_fetched, summary.failed), (18, 2));

    // And on screen, beside the Errors tab's count (the app blocks on its
    // loader, so off the runtime's thread).
    let account_id = account.account_id;
    let screen = tokio::task::spawn_blocking(move || {
        let fixture = Fixture {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::copy(&path, fixture.db_path()).unwrap();
        let mut app = fixture.app(Some(account_id));
        app.set_progress(end);
        text(&render(&mut app, 120, 40))
    })
    .await
    .unwrap();
    assert!(screen.contains("Fetching match details: 20/20"), "{screen}");
    assert!(
        screen.contains("run: 18 ok, 1 failed, 1 API error, 0 given up"),
        "{screen}"
    );
    assert!(
        screen
            .contains("In database: 20 matches, 18 detailed, 1 without data, 1 failed, 0 given up"),
        "{screen}"
    );
    // The failure and the API error's stub (issue 18: listed, not hidden).
    assert!(screen.contains("6 Errors (2)"), "{screen}");
}

/// Issue 10: the errors view sorted by the last attempt to the second but
/// showed "just now" on every row. It sorts by what it shows (the reason,
/// then the newest match), and attempts within the last minute read to
/// the second.
#[test]
fn errors_sort_by_the_reason_shown_and_recent_attempts_differ() {
    let fixture = fixture();
    let base = 8_000_000_000;
    let mut store = Store::open(&fixture.db_path()).unwrap();
    store.record_failure(base + 3, "timeout").unwrap();
    store
        .record_failure(base + 2, "HTTP 502 Bad Gateway")
        .unwrap();
    store.record_failure(base + 1, "timeout").unwrap();
    store
        .connection()
        .execute(
            "UPDATE matches SET last_fetch_attempt = CASE match_id
                 WHEN ?1 THEN '2026-03-10T11:59:55Z' ELSE '2026-03-10T11:59:20Z' END
              WHERE match_id IN (?1, ?2, ?3)",
            [base + 3, base + 2, base + 1],
        )
        .unwrap();
    drop(store);
    let mut app = fixture.app(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('6'));
    let screen = text(&render(&mut app, 120, 40));
    let order: Vec<&str> = screen
        .lines()
        .filter_map(|l| l.trim_start_matches(['▶', ' ']).split_whitespace().next())
        .filter(|w| w.starts_with("800000000"))
        .collect();
    assert_eq!(
        order,
        [
            "8000000008",
            "8000000002",
            "8000000007",
            "8000000003",
            "8000000001"
        ],
        "{screen}"
    );
    assert!(
        line_with(&screen, "8000000003").contains("5 s ago"),
        "{screen}"
    );
    assert!(
        line_with(&screen, "8000000002").contains("40 s ago"),
        "{screen}"
    );
    assert!(
        line_with(&screen, "8000000008").contains("10 min ago"),
        "{screen}"
    );
    snapshot_tab(&mut app, "errors_sorted");
}

/// Issue 10: details show level, tower damage, healing, the start time in
/// full and the items in groups; narrow, the columns scroll sideways with
/// `→`/`l` and `←`/`h` (the hero's stays), said in the hint bar.
#[test]
fn details_scroll_sideways_when_narrow_and_show_every_stat() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    let screen = text(&render(&mut app, 80, 24));
    assert!(screen.contains("3 h ago (2026-03-10 09:00)"), "{screen}");
    // Cut at 80 columns, the summary ends with `…`.
    assert!(
        line_with(&screen, "Radiant victory ·").ends_with("· s…│"),
        "{screen}"
    );
    let header = line_with(&screen, "Radiant victory  Player");
    for column in ["Lvl", "K/D/A", "GPM/XPM", "Dmg", "Twr"] {
        assert!(header.contains(column), "{header}");
    }
    assert!(!header.contains("Items"), "no room at 80 columns: {header}");
    assert!(line_with(&screen, "Juggernaut (tracked)").contains("Inventory Blink Dagger"));
    assert!(screen.contains("Neutral Mirror Shield"), "{screen}");
    assert!(
        line_with(&screen, " q quit").contains("→ columns"),
        "{screen}"
    );
    // Wide, narrow and under NO_COLOR (the tracked row: `▶` and reverse).
    snapshot_tab(&mut app, "details");

    for _ in 0..5 {
        press(&mut app, KeyCode::Right);
    }
    press(&mut app, KeyCode::Char('l'));
    let screen = text(&render(&mut app, 80, 24));
    let header = line_with(&screen, "◀Radiant victory");
    assert!(
        !header.contains("Player") && !header.contains("GPM/XPM"),
        "{header}"
    );
    assert!(header.contains("Twr") && header.contains("Heal") && header.contains("Items"));
    // The hero stays, the row is still the tracked player's; the items end in `…`.
    let own = line_with(&screen, "▶Juggernaut");
    assert!(
        own.contains("Blink Dagger") && own.trim_end_matches('│').trim_end().ends_with('…'),
        "{own}"
    );
    insta::assert_snapshot!("details_scrolled_80x24", screen);

    // `j` goes to the next match and keeps the columns; `h` goes back.
    press(&mut app, KeyCode::Char('j'));
    let screen = text(&render(&mut app, 80, 24));
    assert!(screen.contains("Match 8000000008"), "{screen}");
    for _ in 0..10 {
        press(&mut app, KeyCode::Char('h'));
    }
    press(&mut app, KeyCode::Char('k'));
    let screen = text(&render(&mut app, 80, 24));
    assert!(screen.contains("Match 8000000009"), "{screen}");
    assert!(line_with(&screen, "Radiant victory  Player").contains("Lvl"));
}

/// Issue 10: wide terminals get side, K/D/A ratio, GPM and lobby, and the
/// items where there is room for them; cut text ends with `…`.
#[test]
fn the_wider_the_terminal_the_more_match_columns() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    let screen = text(&render(&mut app, 80, 24));
    let header = line_with(&screen, "Match ID");
    assert!(
        !header.contains("Side") && !header.contains("GPM"),
        "{header}"
    );

    let screen = text(&render(&mut app, 120, 40));
    let header = line_with(&screen, "Match ID");
    for column in ["Side", "KDA", "GPM", "Lobby"] {
        assert!(header.contains(column), "{header}");
    }
    assert!(!header.contains("Items"), "no room at 120: {header}");
    // Dazzle, as Dire (slot 130): 9/3/14 is (9 + 14) / 3 = 7.7, 575 GPM.
    let dazzle = line_with(&screen, "Dazzle");
    assert!(
        dazzle.contains("L   Dire    9/3/14     7.7  42:07  575"),
        "{dazzle}"
    );

    let screen = text(&render(&mut app, 160, 40));
    assert!(line_with(&screen, "Match ID").contains("Items"));
    let row = line_with(&screen, "Dazzle");
    assert!(row.contains("Blink Dagger, Power Treads"), "{row}");
    assert!(row.trim_end().ends_with('…'), "{row}");
    insta::assert_snapshot!("matches_160x40", screen);
}

#[test]
fn cached_player_names_show_in_details_and_teammates() {
    let fixture = fixture();
    let store = Store::open(&fixture.db_path()).unwrap();
    let base = 8_000_000_000_i64;
    let named = store
        .connection()
        .execute(
            "INSERT INTO player_names (account_id, name, source, fetched_at)
             SELECT account_id, 'Mate ' || account_id, 'steam', 0 FROM match_players
              WHERE match_id = ?1 AND account_id IS NOT NULL AND account_id != ?2",
            rusqlite::params![base + 9, ACCOUNT],
        )
        .unwrap();
    assert!(named > 0);
    // A name longer than the column is cut with `…`; the tracked player's own too.
    store
        .connection()
        .execute(
            "INSERT INTO player_names VALUES (?1, 'A very long player name', 'opendota', 0)",
            [ACCOUNT],
        )
        .unwrap();
    let mate: i64 = store
        .connection()
        .query_row(
            "SELECT min(account_id) FROM match_players WHERE match_id = ?1 AND account_id != ?2",
            rusqlite::params![base + 9, ACCOUNT],
            |r| r.get(0),
        )
        .unwrap();
    drop(store);

    let mut app = fixture.app(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    let screen = text(&render(&mut app, 120, 40));
    assert!(screen.contains(&format!("Mate {mate}")), "{screen}");
    assert!(
        line_with(&screen, "▶Juggernaut").contains("A very lo…"),
        "{screen}"
    );
    assert!(screen.contains("Anonymous"), "a bot still has no name");

    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('4'));
    app.settle();
    let screen = text(&render(&mut app, 120, 40));
    assert!(screen.contains(&format!("Mate {mate}")), "{screen}");
}

/// 40 matches an hour apart, newest first: the newest 15 detailed, the
/// third newest (`...38`) left a stub by an API error, the rest stubs
/// never tried. Phase 2 is at work at the 16th newest (`...25`).
fn mid_sync_fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Fixture { dir };
    let mut store = Store::open(&fixture.db_path()).unwrap();
    let base = 8_100_000_000;
    let start = |n: i64| NOW - (41 - n) * HOUR;
    let entries: Vec<HistoryEntry> = (1..=40).map(|n| entry(base + n, start(n), 1, n)).collect();
    store.save_stubs(ACCOUNT, &entries).unwrap();
    for n in 26..=40 {
        if n == 38 {
            store
                .record_outage(base + n, "HTTP 500 (server error)")
                .unwrap();
        } else {
            store
                .save_details(&details(base + n, start(n), 1, false, n % 2 == 0))
                .unwrap();
        }
    }
    store
        .connection()
        .execute(
            "UPDATE matches SET last_fetch_attempt = '2026-03-10T11:59:30Z'
              WHERE fetch_error IS NOT NULL",
            [],
        )
        .unwrap();
    fixture
}

/// Issue 18, item 1: the first screen, with no key pressed, shows the sync
/// block and the rows where details are arriving, stubs reading `No data
/// available yet` among them, at 80x24 and wide.
#[test]
fn the_first_screen_shows_the_sync_and_the_stubs_where_details_arrive() {
    let fixture = mid_sync_fixture();
    for (width, height) in [(80, 24), (160, 50)] {
        let mut app = fixture.app_on_start(Some(ACCOUNT));
        app.set_progress(fetching());
        render(&mut app, width, height);
        let screen = text(&render(&mut app, width, height));
        assert!(
            screen.contains("Fetching match details: 230/450"),
            "{screen}"
        );
        assert!(screen.contains("Collecting match IDs"), "{screen}");
        // The last detailed matches above the frontier, stubs below it.
        assert!(
            line_with(&screen, "8100000026").contains(" W   "),
            "{screen}"
        );
        assert!(
            line_with(&screen, "8100000025").contains("No data available yet"),
            "{screen}"
        );
        assert!(screen.contains("where details are arriving"), "{screen}");
        insta::assert_snapshot!(format!("first_screen_mid_sync_{width}x{height}"), screen);
    }
    // Idle, the same place shows the newest matches, the API error among them.
    let mut app = fixture.app_on_start(Some(ACCOUNT));
    let screen = text(&render(&mut app, 80, 24));
    assert!(screen.contains("Newest matches"), "{screen}");
    assert!(screen.contains("8100000040"), "{screen}");
    // The idle sync block is one line: the list gets the rows.
    assert!(
        line_with(&screen, "Sync idle").contains("In database: 40"),
        "{screen}"
    );
    insta::assert_snapshot!("first_screen_idle_80x24", screen);
}

/// Issue 18, item 2: a stub the API failed to serve reads as such (the
/// reason, when, and that it will be tried again), not as a never-tried stub.
#[test]
fn a_stub_left_by_an_api_error_says_so() {
    let fixture = mid_sync_fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    for (width, height) in [(80, 24), (160, 40)] {
        let screen = text(&render(&mut app, width, height));
        let row = line_with(&screen, "8100000038");
        assert!(!row.contains("No data available yet"), "{row}");
        assert!(row.contains("30 s ago"), "{row}");
        if width >= 160 {
            assert!(row.contains("HTTP 500 (server error)"), "{row}");
            assert!(row.contains("will be tried again"), "{row}");
        } else {
            assert!(row.contains("API error 30 s ago, will retry"), "{row}");
        }
        insta::assert_snapshot!(format!("api_error_stub_{width}x{height}"), screen);
    }
}

/// Issue 18, items 2 and 3: `R` names what it retries, API errors
/// included, and with nothing to retry says so and asks the engine nothing.
/// The errors view lists the API-error stub, and its tab counts it, at 80
/// columns too.
#[test]
fn retry_all_names_what_it_takes_and_the_errors_tab_lists_api_errors() {
    use dota_sync::sync::SyncCommand;
    let key = |code| Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    let fixture = mid_sync_fixture();
    let mut app = fixture.app_on_start(Some(ACCOUNT));
    render(&mut app, 80, 24);
    assert_eq!(
        handle_terminal_event(&mut app, &key(KeyCode::Char('R'))),
        Some(SyncCommand::RetryAllFailed)
    );
    assert_eq!(app.notice(), Some("Retrying 1 API error now"));
    press(&mut app, KeyCode::Char('6'));
    let screen = text(&render(&mut app, 80, 24));
    assert!(screen.contains("6 Errors (1)"), "{screen}");
    assert!(
        line_with(&screen, "8100000038").contains("API error"),
        "{screen}"
    );
    insta::assert_snapshot!("errors_with_an_api_error_80x24", screen);

    let dir = tempfile::tempdir().unwrap();
    let clean = Fixture { dir };
    let mut store = Store::open(&clean.db_path()).unwrap();
    store
        .save_stubs(ACCOUNT, &[entry(8_200_000_001, NOW - HOUR, 1, 5)])
        .unwrap();
    store
        .save_details(&details(8_200_000_001, NOW - HOUR, 1, false, true))
        .unwrap();
    let mut app = clean.app_on_start(Some(ACCOUNT));
    render(&mut app, 80, 24);
    assert_eq!(
        handle_terminal_event(&mut app, &key(KeyCode::Char('R'))),
        None
    );
    let screen = text(&render(&mut app, 80, 24));
    assert!(
        screen.contains("Nothing to retry: no failed matches, no API errors"),
        "{screen}"
    );
}

/// Issue 18, item 5: the help is read whole. At 80x24 it scrolls to its
/// end, where the filter's words are; wide, no entry is cut.
#[test]
fn help_scrolls_to_the_filter_words_and_wraps_between_words() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    render(&mut app, 80, 24);
    press(&mut app, KeyCode::Char('?'));
    let top = text(&render(&mut app, 80, 24));
    assert!(!top.contains("Filter words"), "{top}");
    press(&mut app, KeyCode::Char('G'));
    let end = text(&render(&mut app, 80, 24));
    for word in [
        "Filter words",
        "hero:NAME",
        "since:WHEN",
        "with:ID",
        "NUMBER",
    ] {
        assert!(end.contains(word), "{word}:\n{end}");
    }
    insta::assert_snapshot!("help_end_80x24", end);
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(text(&render(&mut app, 80, 24)), top);

    let wide = text(&render(&mut app, 160, 50));
    assert!(
        wide.contains(
            "Filter every view (hero:am lobby:ranked since:30d win dire with:ID) (lists)"
        ),
        "{wide}"
    );
    assert!(wide.contains("Filter words"), "all of it fits: {wide}");
    insta::assert_snapshot!("help_160x50", wide);

    // `G` reaches the last line at every width: the scrolling counts the
    // lines at the width the overlay draws them.
    for width in 80..=130 {
        render(&mut app, width, 24);
        press(&mut app, KeyCode::Char('G'));
        let end = text(&render(&mut app, width, 24));
        assert!(end.contains("name a hero"), "{width}x24:\n{end}");
        press(&mut app, KeyCode::Char('g'));
    }
}

/// Issue 18, item 3: keys answer where the eye is. In the details, what
/// `y` did and a running sync show on the overlay's border; the hint bar
/// lists the details' own keys, `→ columns` only when columns are hidden,
/// and `p resume` while paused; `s` during a sync says one is running.
#[test]
fn keys_in_the_details_and_during_a_sync_answer_visibly() {
    use dota_sync::sync::SyncCommand;
    let key = |code| Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    app.set_progress(fetching());
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('y'));
    let screen = text(&render(&mut app, 80, 24));
    assert!(
        line_with(&screen, "Match 8000000009").contains("Fetching match details: 230/450"),
        "{screen}"
    );
    assert!(
        line_with(&screen, "└").contains("› Copied match ID 8000000009"),
        "{screen}"
    );
    let hints = screen.lines().last().unwrap();
    for hint in ["j next", "k prev", "o open", "y copy", "→ columns"] {
        assert!(hints.contains(hint), "{hint}: {hints}");
    }
    insta::assert_snapshot!("details_during_a_sync_80x24", screen);
    // Wide enough for every column: nothing to scroll sideways.
    let wide = text(&render(&mut app, 200, 60));
    let hints = wide.lines().last().unwrap();
    assert!(!hints.contains("columns"), "{hints}");
    insta::assert_snapshot!("details_during_a_sync_200x60", wide);

    press(&mut app, KeyCode::Esc);
    assert_eq!(
        handle_terminal_event(&mut app, &key(KeyCode::Char('s'))),
        None
    );
    assert_eq!(
        app.notice(),
        Some("A sync is running already: p pauses it, q stops it")
    );
    app.set_progress(Progress {
        state: SyncState::Paused,
        ..fetching()
    });
    let screen = text(&render(&mut app, 80, 24));
    assert!(
        screen.lines().last().unwrap().contains("p resume"),
        "{screen}"
    );
    assert_eq!(
        handle_terminal_event(&mut app, &key(KeyCode::Char('s'))),
        None
    );
    assert_eq!(app.notice(), Some("The sync is paused: p resumes it"));
    assert_eq!(
        handle_terminal_event(&mut app, &key(KeyCode::Char('p'))),
        Some(SyncCommand::TogglePause)
    );
}

/// 300 detailed matches from 2017 to 2019, none in the last year, in every
/// lobby group and several modes.
fn old_history_fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Fixture { dir };
    let mut store = Store::open(&fixture.db_path()).unwrap();
    let base = 8_300_000_000;
    // 2017-01-02 (a Monday), a game about every 3.6 days.
    let first = 1_483_315_200;
    let start = |n: i64| first + n * 313_000;
    let entries: Vec<HistoryEntry> = (0..300)
        .map(|n| entry(base + n, start(n), 1, n % 40 + 1))
        .collect();
    store.save_stubs(ACCOUNT, &entries).unwrap();
    let lobbies = [(7, 22), (0, 1), (0, 23), (1, 2), (7, 3), (0, 18)];
    for n in 0..300 {
        let (lobby, mode) = lobbies[(n % 6) as usize];
        store
            .save_details(&MatchDetails {
                lobby_type: Some(lobby),
                game_mode: Some(mode),
                radiant_score: Some(0),
                dire_score: Some(0),
                ..details(base + n, start(n), 1, false, n % 3 != 0)
            })
            .unwrap();
    }
    fixture
}

/// Issue 18, items 4 and 6: a history older than a year fills the games
/// per day (months or years labelled, a legend), the trend chart says
/// what each point is, the splits list what fits whole, a notice keeps its
/// advice, and old matches show no `score 0 - 0`.
#[test]
fn an_old_history_fills_the_charts_and_nothing_is_cut_mid_number() {
    let fixture = old_history_fixture();
    let mut app = fixture.app_on_start(Some(ACCOUNT));
    let wide = text(&render(&mut app, 200, 60));
    let heat: Vec<&str> = wide
        .lines()
        .filter(|l| l.starts_with("M ") || l.starts_with("W ") || l.starts_with("F "))
        .collect();
    assert_eq!(heat.len(), 3, "{wide}");
    assert!(
        heat.iter().all(|l| l.chars().any(|c| "░▒▓█".contains(c))),
        "{wide}"
    );
    assert!(wide.contains("Games per"), "{wide}");
    // The history's span, not a year back from today (all blank).
    assert!(wide.contains("2017-01 to 2019-12"), "{wide}");
    for year in ["2018", "2019"] {
        assert!(
            wide.lines()
                .any(|l| l.starts_with("  ") && l.contains(year)),
            "{year}: {wide}"
        );
    }
    assert!(
        wide.contains("Win rate, each point the 20 games before it"),
        "{wide}"
    );
    insta::assert_snapshot!("overview_old_history_200x60", wide);

    app.handle_sync_event(dota_sync::sync::SyncEvent::Notice(
        "Sync ended, no answer from the API (down, or no network): 0 new IDs, 0 details fetched, 12 still without data; s tries again"
            .into(),
    ));
    let small = text(&render(&mut app, 80, 24));
    for label in [" Lobby ", " Mode "] {
        let line = line_with(&small, label).trim_end();
        assert!(
            line.ends_with(')') || line.ends_with("more"),
            "cut: {line}\n{small}"
        );
    }
    assert!(
        line_with(&small, "› ")
            .trim_end()
            .ends_with("…; s tries again"),
        "{small}"
    );
    insta::assert_snapshot!("overview_old_history_80x24", small);

    // Old matches come back with both scores 0: not a score.
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    let details = text(&render(&mut app, 120, 40));
    assert!(details.contains("Match 8300000299"), "{details}");
    assert!(!details.contains("score 0 - 0"), "{details}");
}

/// Issue 18, "When do I win": tab 7 shows the record by weekday and by
/// hour (UTC under the tests' fixed clock), hours grouped to fit 80x24.
#[test]
fn when_do_i_win_by_weekday_and_hour() {
    use chrono::{Datelike, Timelike};
    let fixture = old_history_fixture();
    let mut app = fixture.app_on_start(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('7'));
    assert_eq!(app.view(), dota_sync::tui::View::When);
    // The fixture's games: 2017-01-02 00:00 UTC + n * 313,000 s; won unless n % 3 == 0.
    let starts: Vec<(chrono::DateTime<chrono::Utc>, bool)> = (0..300)
        .map(|n: i64| {
            let t = DateTime::from_timestamp(1_483_315_200 + n * 313_000, 0).unwrap();
            (t, n % 3 != 0)
        })
        .collect();
    let when = app.when().unwrap().clone();
    for (day, record) in when.by_weekday.iter().enumerate() {
        let games: Vec<_> = starts
            .iter()
            .filter(|(t, _)| t.weekday().num_days_from_monday() as usize == day)
            .collect();
        assert_eq!(record.games, games.len() as u64, "day {day}");
        assert_eq!(record.wins, games.iter().filter(|(_, w)| *w).count() as u64);
    }
    for (hour, record) in when.by_hour.iter().enumerate() {
        let games = starts
            .iter()
            .filter(|(t, _)| t.hour() as usize == hour)
            .count();
        assert_eq!(record.games, games as u64, "hour {hour}");
    }
    let small = text(&render(&mut app, 80, 24));
    assert!(
        small.contains("by start time, UTC · 300 games · │ 50%"),
        "{small}"
    );
    assert!(small.contains("00-02"), "hours grouped at 80x24: {small}");
    assert!(small.contains("6 Errors (0)"), "{small}");
    let mon = when.by_weekday[0];
    assert!(
        line_with(&small, " Mon ").contains(&format!(" Mon  {:>7}", mon.games)),
        "{small}"
    );
    insta::assert_snapshot!("when_80x24", small);
    let wide = text(&render(&mut app, 200, 60));
    assert!(wide.contains(" 23h "), "one hour a row: {wide}");
    insta::assert_snapshot!("when_200x60", wide);
}

/// Issue 18: Teammates has a sort key like Heroes: `c` cycles the
/// columns, the sorted one is marked, and the rows follow it.
#[test]
fn teammates_sort_cycles_with_c() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('4'));
    let screen = text(&render(&mut app, 80, 24));
    assert!(line_with(&screen, "Player").contains("With▼"), "{screen}");
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Char('c'));
    let screen = text(&render(&mut app, 80, 24));
    assert!(
        line_with(&screen, "Player").contains("Against▼"),
        "{screen}"
    );
    let against: Vec<u64> = app.teammates().iter().map(|p| p.against.games).collect();
    assert!(against.windows(2).all(|w| w[0] >= w[1]), "{against:?}");
    assert!(against[0] > 0);
    insta::assert_snapshot!("teammates_sorted_by_against_80x24", screen);
}

/// Issue 18, "heroes with and against": in Heroes, `v` lists the heroes on
/// the player's team, then those against them, with the player's record in
/// those games; the numbers agree with SQL over the database.
#[test]
fn heroes_with_and_against_follow_v() {
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('v'));
    let with = text(&render(&mut app, 80, 24));
    assert!(with.contains("Heroes on your team"), "{with}");
    let conn = rusqlite::Connection::open(fixture.db_path()).unwrap();
    let sql = |same: &str| -> Vec<(String, u64, u64)> {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT o.hero_id, count(*), sum(m.radiant_win = (am.player_slot < 128))
                   FROM account_matches am
                   JOIN matches m ON m.match_id = am.match_id
                   JOIN match_players o ON o.match_id = am.match_id
                  WHERE am.account_id = ?1 AND m.has_details = 1 AND m.radiant_win IS NOT NULL
                    AND o.player_slot != am.player_slot
                    AND (o.player_slot >= 128) {same} (am.player_slot >= 128)
                  GROUP BY o.hero_id ORDER BY count(*) DESC, o.hero_id"
            ))
            .unwrap();
        stmt.query_map([ACCOUNT], |r| {
            Ok((
                dota_sync::assets::hero_name(r.get(0)?).into_owned(),
                r.get::<_, i64>(1)? as u64,
                r.get::<_, i64>(2)? as u64,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    let expected = sql("=");
    assert!(!expected.is_empty());
    for (hero, games, wins) in &expected {
        let row = line_with(&with, hero);
        let rate = format!("{:.1}%", 100.0 * *wins as f64 / *games as f64);
        assert!(
            row.contains(&format!(" {games} ")) && row.contains(&rate),
            "{hero}: {row}"
        );
    }
    insta::assert_snapshot!("heroes_with_80x24", with);
    press(&mut app, KeyCode::Char('v'));
    let against = text(&render(&mut app, 120, 40));
    assert!(against.contains("Heroes against you"), "{against}");
    for (hero, games, _) in sql("<>") {
        assert!(
            line_with(&against, &hero).contains(&format!(" {games} ")),
            "{hero}"
        );
    }
    insta::assert_snapshot!("heroes_against_120x40", against);
    // Enter has no list to show for another player's hero: it says so.
    press(&mut app, KeyCode::Enter);
    assert!(app.notice().unwrap().contains("a hero you played"));
    press(&mut app, KeyCode::Char('v'));
    assert!(text(&render(&mut app, 80, 24)).contains("Games▼"));
}

/// Issue 18, item 3: while another process syncs this database (it holds
/// the lock; the TUI shows its progress), `s` and `p` are not queued to
/// start a paused run of their own later: they say where to act.
#[test]
fn s_and_p_while_another_process_syncs_say_so_and_queue_nothing() {
    use std::io::Write;
    let fixture = fixture();
    let mut app = fixture.app(Some(ACCOUNT));
    // Another process's lock: an exclusive lock on its own open file
    // description, with a PID that is not ours.
    let lock_path = dota_sync::store::lock_path(&fixture.db_path());
    let mut lock = std::fs::File::create(&lock_path).unwrap();
    lock.write_all(b"{\"pid\":1,\"since\":\"2026-03-10T11:00:00Z\"}\n")
        .unwrap();
    lock.lock().unwrap();
    app.set_progress(fetching());
    let key = |code| Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    for (c, says) in [('s', "s and p act on it there"), ('p', "pause it there")] {
        assert_eq!(
            handle_terminal_event(&mut app, &key(KeyCode::Char(c))),
            None
        );
        let notice = app.notice().unwrap();
        assert!(
            notice.contains("Another process is syncing this database (PID 1"),
            "{notice}"
        );
        assert!(notice.contains(says), "{notice}");
    }
    // Once it is over, `s` starts a run here again.
    drop(lock);
    app.set_progress(Progress {
        state: SyncState::Done,
        ..fetching()
    });
    assert_eq!(
        handle_terminal_event(&mut app, &key(KeyCode::Char('s'))),
        Some(dota_sync::sync::SyncCommand::Start)
    );
}

/// Issue 18, trends: `t` on the Overview moves the chart to the next
/// metric (K/D/A ratio, GPM, XPM, back to the win rate), its title and
/// axis saying which.
#[test]
fn t_cycles_the_trend_chart() {
    let fixture = old_history_fixture();
    let mut app = fixture.app_on_start(Some(ACCOUNT));
    let titles = [
        "Win rate, each point the 20 games before it",
        "K/D/A ratio, each point the 20 games before it",
        "GPM, each point the 20 games before it",
        "XPM, each point the 20 games before it",
        "Win rate, each point the 20 games before it",
    ];
    for (i, title) in titles.iter().enumerate() {
        let screen = text(&render(&mut app, 200, 60));
        assert!(screen.contains(title), "{title}: {screen}");
        if i == 2 {
            // The fixture's GPM is 425 in every game: the axis says so.
            assert!(screen.contains("425"), "{screen}");
            insta::assert_snapshot!("overview_trend_gpm_200x60", screen);
        }
        press(&mut app, KeyCode::Char('t'));
    }
    // At 80x24 the chart does not fit: `t` says so rather than nothing.
    render(&mut app, 80, 24);
    press(&mut app, KeyCode::Char('t'));
    assert!(
        app.notice()
            .unwrap()
            .contains("the chart needs a taller window"),
        "{:?}",
        app.notice()
    );
}

/// Phase 1 of a first sync: no details yet, so the summary is one line and
/// the rows go to the stubs being collected (at 80x24, 9 of them).
#[test]
fn before_any_details_the_first_screen_is_mostly_stubs() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Fixture { dir };
    let mut store = Store::open(&fixture.db_path()).unwrap();
    let entries: Vec<HistoryEntry> = (1..=40)
        .map(|n| entry(8_400_000_000 + n, NOW - (41 - n) * HOUR, 1, n))
        .collect();
    store.save_stubs(ACCOUNT, &entries).unwrap();
    let mut app = fixture.app_on_start(Some(ACCOUNT));
    app.set_progress(collecting());
    render(&mut app, 80, 24);
    let screen = text(&render(&mut app, 80, 24));
    assert!(screen.contains("Collecting match IDs: 450/?"), "{screen}");
    assert!(screen.contains("No match with details yet"), "{screen}");
    let stubs = screen.matches("No data available yet").count();
    assert!(stubs >= 9, "{stubs} stub rows:\n{screen}");
    insta::assert_snapshot!("first_screen_phase1_80x24", screen);
}
