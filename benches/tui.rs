//! The TUI against a database of 100,000 matches: one frame of the matches
//! view at 200x50 (target: at most 2 ms, window query included), the time
//! from nothing to the first frame, and the statistics tabs (Overview,
//! Heroes, Teammates, Records, When): their first load (the loader's SQL,
//! then the frame; target 100 ms) and a frame after it (target 2 ms); the
//! store's part of the Teammates load on its own.

#[path = "../tests/support/builders.rs"]
mod builders;

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use dota_sync::source::{HistoryEntry, MatchDetails, PlayerDetails};
use dota_sync::store::Store;
use dota_sync::store::stats::{Statistics, StatsCache};
use dota_sync::sync::SyncEvent;
use dota_sync::tui::state::app::SHORT_LIST_LIMIT;
use dota_sync::tui::{App, AppSettings, Clock, draw, handle_terminal_event};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const ACCOUNT: u32 = 123_456_789;
const MATCHES: i64 = 100_000;
const BATCH: i64 = 1_000;
const NOW: i64 = 1_773_144_000;

fn entry(n: i64) -> HistoryEntry {
    builders::history_entry(
        7_000_000_000 + n,
        6_000_000_000 + n,
        NOW - (MATCHES - n) * 1_800,
        if n % 2 == 0 { 1 } else { 130 },
        n % 120 + 1,
    )
}

fn details(n: i64) -> MatchDetails {
    let e = entry(n);
    let players = builders::ten_players(|i, slot| PlayerDetails {
        account_id: Some(if Some(slot) == e.player_slot {
            i64::from(ACCOUNT)
        } else {
            10_000 + (n * 7 + i * 13) % 5_000
        }),
        hero_id: Some((n + i * 11) % 120 + 1),
        kills: Some(i),
        deaths: Some(10 - i),
        assists: Some(i * 2),
        last_hits: Some(100 + i),
        denies: Some(i),
        gold_per_min: Some(400 + i),
        xp_per_min: Some(500 + i),
        hero_damage: Some(15_000 + i),
        net_worth: Some(18_000 + i),
        items: [Some(1), Some(2), Some(3), Some(4), Some(5), Some(6)],
        ..PlayerDetails::default()
    });
    MatchDetails {
        duration: Some(2_400 + n % 900),
        dire_score: Some(25),
        ..builders::match_details(
            e.match_id,
            6_000_000_000 + n,
            NOW - (MATCHES - n) * 1_800,
            n % 3 == 0,
            players,
        )
    }
}

/// 100,000 matches: nine in ten detailed, the rest stubs.
fn build_database(path: &Path) {
    let mut store = Store::open(path).expect("open the bench database");
    for start in (1..=MATCHES).step_by(BATCH as usize) {
        let entries: Vec<HistoryEntry> = (start..start + BATCH).map(entry).collect();
        store.save_stubs(ACCOUNT, &entries).expect("save stubs");
    }
    for n in (1..=MATCHES).filter(|n| n % 10 != 0) {
        store.save_details(&details(n)).expect("save details");
    }
}

fn settings(path: &Path) -> AppSettings {
    AppSettings {
        db_path: path.to_path_buf(),
        account_id: Some(ACCOUNT),
        source: None,
        label: None,
        clock: Clock::Fixed(chrono::DateTime::from_timestamp(NOW, 0).expect("a valid time")),
        home: None,
        config_path: None,
    }
}

/// The app as the event loop builds it: slow queries on its loader thread,
/// answered before the benches start.
fn open_app(path: &Path) -> App {
    let mut app = App::new(settings(path)).expect("open the app");
    app.settle();
    app
}

fn press(app: &mut App, code: KeyCode) {
    handle_terminal_event(app, &Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temp dir");
    // DOTA_SYNC_BENCH_DB keeps the database between runs (building it takes
    // most of a minute), and leaves it for `sqlite3` to examine.
    let path: PathBuf = match std::env::var_os("DOTA_SYNC_BENCH_DB") {
        Some(kept) => PathBuf::from(kept),
        None => dir.path().join("bench.db"),
    };
    if !path.exists() {
        build_database(&path);
    }

    let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("a test terminal");
    let mut app = open_app(&path);
    draw(&mut terminal, &mut app).expect("draw");
    // Another process's commit, as a sync makes: the statistics must be read again.
    let writer = Store::open(&path).expect("open for writing");
    writer
        .connection()
        .execute_batch("CREATE TABLE IF NOT EXISTS bench_touch(n INTEGER)")
        .expect("a scratch table");
    let touch = || {
        writer
            .connection()
            .execute("INSERT INTO bench_touch VALUES (1)", [])
            .expect("a commit");
    };
    for (name, key) in [
        ("overview", '1'),
        ("heroes", '3'),
        ("teammates", '4'),
        ("records", '5'),
        ("when", '7'),
    ] {
        c.bench_function(
            &format!("{name} 200x50: first load after a commit (scan + frame)"),
            |b| {
                b.iter_batched(
                    touch,
                    |()| {
                        // Showing the tab asks the loader again; settle waits for it.
                        press(&mut app, KeyCode::Char(key));
                        app.settle();
                        draw(&mut terminal, &mut app).expect("draw");
                    },
                    BatchSize::PerIteration,
                )
            },
        );
        c.bench_function(
            &format!("{name} 200x50: switch to the tab, nothing committed (cached + frame)"),
            |b| {
                b.iter(|| {
                    press(&mut app, KeyCode::Char(key));
                    app.settle();
                    draw(&mut terminal, &mut app).expect("draw");
                })
            },
        );
        c.bench_function(&format!("{name} 200x50: draw only"), |b| {
            // On the tab even when the rows above were filtered out.
            press(&mut app, KeyCode::Char(key));
            app.settle();
            b.iter(|| {
                app.mark_dirty();
                draw(&mut terminal, &mut app).expect("draw");
            })
        });
    }
    press(&mut app, KeyCode::Char('2'));
    // Somewhere in the middle of the list, away from both ends.
    for _ in 0..500 {
        press(&mut app, KeyCode::PageDown);
    }

    c.bench_function("matches 200x50: draw only", |b| {
        b.iter(|| {
            app.mark_dirty();
            draw(&mut terminal, &mut app).expect("draw");
        })
    });
    c.bench_function("matches 200x50: page down/up + window query + draw", |b| {
        // Sweep the list back and forth so every page re-anchors the window.
        let mut key = KeyCode::PageDown;
        b.iter(|| {
            let list = app.matches().expect("an account is set");
            if list.selected_index() + 1 >= list.total() {
                key = KeyCode::PageUp;
            } else if list.selected_index() == 0 {
                key = KeyCode::PageDown;
            }
            press(&mut app, key);
            draw(&mut terminal, &mut app).expect("draw");
        })
    });
    c.bench_function(
        "matches 200x50: match fetched -> re-read window + draw",
        |b| {
            let mut id = 0;
            b.iter(|| {
                id += 1;
                app.handle_sync_event(SyncEvent::MatchFetched { match_id: id });
                app.tick();
                draw(&mut terminal, &mut app).expect("draw");
            })
        },
    );
    c.bench_function(
        "matches 200x50: stubs saved -> count + position + window + draw",
        |b| {
            b.iter(|| {
                app.handle_sync_event(SyncEvent::StubsSaved { count: 100, new: 0 });
                app.tick();
                draw(&mut terminal, &mut app).expect("draw");
            })
        },
    );
    c.bench_function("startup: open + first frame 200x50", |b| {
        b.iter(|| {
            // The loader's answers are not waited for: the frame is drawn first.
            let mut app = App::new(settings(&path)).expect("open the app");
            let mut terminal = Terminal::new(TestBackend::new(200, 50)).expect("a test terminal");
            draw(&mut terminal, &mut app).expect("draw");
            black_box(terminal);
        })
    });
    // These run on the loader thread, never inside a frame; measured for the record.
    let store = Store::open_read_only(&path).expect("open read-only");
    let cache = StatsCache::default();
    let statistics = Statistics::new(&store, &cache);
    c.bench_function("loader thread: counts over 100k matches", |b| {
        b.iter(|| black_box(store.counts(Some(ACCOUNT)).expect("counts")))
    });
    c.bench_function("loader thread: errors list", |b| {
        b.iter(|| black_box(store.errors(ACCOUNT, SHORT_LIST_LIMIT).expect("errors")))
    });
    // The store's part of a first load: the scan and the three tabs' loops.
    c.bench_function(
        "loader thread: statistics after a commit (scan + loops)",
        |b| {
            b.iter_batched(
                touch,
                |()| {
                    black_box(
                        statistics
                            .hero_stats(ACCOUNT, &Default::default())
                            .expect("heroes"),
                    )
                },
                BatchSize::PerIteration,
            )
        },
    );
    // The store's part of the Teammates tab's first load: the pass over
    // `match_lineups`, then names and "tracked" for the rows kept.
    c.bench_function(
        "loader thread: teammates after a commit (pass + lookups)",
        |b| {
            b.iter_batched(
                touch,
                |()| {
                    black_box(
                        statistics
                            .peer_stats(ACCOUNT, &Default::default(), SHORT_LIST_LIMIT)
                            .expect("teammates"),
                    )
                },
                BatchSize::PerIteration,
            )
        },
    );
}

criterion_group! {
    name = tui;
    config = Criterion::default().sample_size(30);
    targets = benches
}
criterion_main!(tui);
