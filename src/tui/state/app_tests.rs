//! The App driven as the event loop drives it: keys in, commands, state
//! and effects out, over a real database and the real loader.

use chrono::DateTime;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::*;
use crate::source::{HistoryEntry, MatchDetails, PlayerDetails};
use crate::sync::SyncEvent;
use crate::tui::format::Clock;
use crate::tui::handle_terminal_event;
use crate::tui::input::keymap::Context;
use crate::tui::state::hero_sort::HeroSort;

const ACCOUNT: u32 = 7;

fn entry(id: i64) -> HistoryEntry {
    HistoryEntry {
        match_id: id,
        match_seq_num: Some(id),
        start_time: Some(1_700_000_000 + id),
        lobby_type: Some(7),
        player_slot: Some(1),
        hero_id: Some(id % 3 + 1),
    }
}

fn details(id: i64) -> MatchDetails {
    let players = (0..10)
        .map(|i| {
            let slot = if i < 5 { i } else { 128 + i - 5 };
            PlayerDetails {
                player_slot: slot,
                account_id: Some(if slot == 1 {
                    i64::from(ACCOUNT)
                } else {
                    100 + i
                }),
                hero_id: Some(i + 1),
                kills: Some(i),
                ..PlayerDetails::default()
            }
        })
        .collect();
    MatchDetails {
        match_id: id,
        match_seq_num: Some(id),
        start_time: Some(1_700_000_000 + id),
        duration: Some(2_000),
        game_mode: Some(22),
        lobby_type: Some(7),
        radiant_win: Some(true),
        radiant_score: Some(30),
        dire_score: Some(20),
        players,
        raw_json: "{}".into(),
    }
}

/// 50 matches 1..=50: 1..=10 detailed, 11 failed, 12 given up, the rest stubs.
fn app_with_data(account: Option<u32>) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.db");
    let mut store = Store::open(&path).unwrap();
    let entries: Vec<HistoryEntry> = (1..=50).map(entry).collect();
    store.save_stubs(ACCOUNT, &entries).unwrap();
    for id in 1..=10 {
        store.save_details(&details(id)).unwrap();
    }
    store.record_failure(11, "HTTP 500").unwrap();
    for _ in 0..MAX_ATTEMPTS {
        store.record_failure(12, "Match ID not found").unwrap();
    }
    drop(store);
    let mut app = App::new(AppSettings {
        db_path: path,
        account_id: account,
        source: None,
        label: None,
        clock: Clock::Fixed(DateTime::from_timestamp(1_700_000_100, 0).unwrap()),
        home: None,
        config_path: None,
    })
    .unwrap();
    app.settle();
    if account.is_some() {
        // Most tests browse the match list.
        press(&mut app, KeyCode::Char('2'));
        app.settle();
    }
    (dir, app)
}

use crate::store::MAX_ATTEMPTS;
use crate::store::stats::RecordKind;

fn press(app: &mut App, code: KeyCode) -> Option<SyncCommand> {
    let event = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    handle_terminal_event(app, &event)
}

fn selected(app: &App) -> Option<i64> {
    app.selected_match()
}

#[test]
fn actions_send_the_right_commands() {
    let (_dir, mut app) = app_with_data(Some(ACCOUNT));
    app.resize(Rect::new(0, 0, 80, 24));
    assert_eq!(
        press(&mut app, KeyCode::Char('s')),
        Some(SyncCommand::Start)
    );
    assert_eq!(
        press(&mut app, KeyCode::Char('p')),
        Some(SyncCommand::TogglePause)
    );
    assert_eq!(
        press(&mut app, KeyCode::Char('R')),
        Some(SyncCommand::RetryAllFailed)
    );
    // The newest match is 50.
    assert_eq!(
        press(&mut app, KeyCode::Char('r')),
        Some(SyncCommand::RetryMatch(50))
    );
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(
        press(&mut app, KeyCode::Char('r')),
        Some(SyncCommand::RetryMatch(49))
    );
    assert!(!app.is_quitting());
    assert_eq!(press(&mut app, KeyCode::Char('q')), Some(SyncCommand::Stop));
    assert!(app.is_quitting());
}

#[test]
fn key_releases_are_ignored() {
    let (_dir, mut app) = app_with_data(Some(ACCOUNT));
    let mut release = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    assert_eq!(handle_terminal_event(&mut app, &Event::Key(release)), None);
    assert!(!app.is_quitting());
}

#[test]
fn views_switch_with_tab_and_numbers() {
    let (_dir, mut app) = app_with_data(Some(ACCOUNT));
    assert_eq!(app.view(), View::Matches);
    press(&mut app, KeyCode::Tab);
    app.settle();
    assert_eq!(app.view(), View::Heroes);
    // The details say hero 2 for every detailed match.
    assert_eq!(app.heroes().len(), 1);
    assert_eq!(app.heroes()[0].hero_id, 2);
    assert_eq!(app.heroes()[0].record.games, 10);
    press(&mut app, KeyCode::Char('l'));
    app.settle();
    assert_eq!(app.view(), View::Teammates);
    let radiant: Vec<_> = app
        .teammates()
        .iter()
        .filter(|p| p.with.games > 0)
        .collect();
    assert_eq!(radiant.len(), 4, "the four Radiant teammates");
    assert_eq!(radiant[0].with.games, 10);
    assert_eq!(app.teammates().len(), 9, "and the five on Dire");
    assert!(app.teammates()[4..].iter().all(|p| p.against.games == 10));
    press(&mut app, KeyCode::Char(']'));
    app.settle();
    assert_eq!(app.view(), View::Records);
    // The fixture's players have kills and durations, nothing else.
    let kinds: Vec<RecordKind> = app.records().iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        [
            RecordKind::Kills,
            RecordKind::LongestGame,
            RecordKind::ShortestGame
        ]
    );
    press(&mut app, KeyCode::Tab);
    app.settle();
    assert_eq!(app.view(), View::Errors);
    // Most recently attempted first: both failures are loaded.
    assert_eq!(app.errors().len(), 2);
    press(&mut app, KeyCode::Tab);
    app.settle();
    assert_eq!(app.view(), View::When);
    // "When do I win": the ten detailed games, all at the same hour.
    let when = app.when().unwrap();
    assert_eq!(when.by_weekday.iter().map(|r| r.games).sum::<u64>(), 10);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.view(), View::Overview);
    press(&mut app, KeyCode::Char('h'));
    assert_eq!(app.view(), View::When);
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.view(), View::Errors);
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.view(), View::Records);
    press(&mut app, KeyCode::Char('6'));
    app.settle();
    assert_eq!(app.view(), View::Errors);
    // In the errors view, r retries the selected failure.
    let first_error = app.errors()[0].match_id;
    assert_eq!(
        press(&mut app, KeyCode::Char('r')),
        Some(SyncCommand::RetryMatch(first_error))
    );
    press(&mut app, KeyCode::Char('1'));
    app.settle();
    assert_eq!(app.view(), View::Overview);
    let overview = app.overview().unwrap();
    assert_eq!(overview.record.games, 10);
    assert_eq!(overview.record.wins, 10, "slot 1 is Radiant, Radiant won");
}

#[test]
fn enter_on_a_teammate_lists_the_matches_together() {
    let (_dir, mut app) = app_with_data(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('4'));
    app.settle();
    let mate = app.teammates()[0].account_id;
    press(&mut app, KeyCode::Enter);
    app.settle();
    assert_eq!(app.view(), View::Matches);
    assert_eq!(app.filter().text, format!("with:{mate}"));
    assert_eq!(app.matches().unwrap().total(), 10);
    assert_eq!(app.overview().unwrap().record.games, 10);
    // Esc clears it: every match again.
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.matches().unwrap().total(), 50);
}

#[test]
fn a_filter_that_cannot_be_read_keeps_the_last_good_one() {
    let (_dir, mut app) = app_with_data(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('/'));
    for c in "side:radiant".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    assert_eq!(app.filter().problem, None);
    assert_eq!(app.matches().unwrap().total(), 50);
    press(&mut app, KeyCode::Char('s'));
    assert!(
        app.filter()
            .problem
            .as_deref()
            .unwrap()
            .contains("radiant or dire")
    );
    assert_eq!(
        app.filter().applied.side,
        Some(crate::store::filter::Side::Radiant)
    );
    assert_eq!(app.matches().unwrap().total(), 50);
}

#[test]
fn clearing_the_filter_keeps_the_selected_match() {
    let (_dir, mut app) = app_with_data(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Char('A'));
    press(&mut app, KeyCode::Char('x'));
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::Enter);
    // Axe: 49, 46, 43, ...; pick the third.
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(selected(&app), Some(43));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.matches().unwrap().total(), 50);
    assert_eq!(selected(&app), Some(43));
}

#[test]
fn open_and_copy_ask_the_event_loop() {
    let (_dir, mut app) = app_with_data(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('o'));
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(
        app.take_effects(),
        vec![
            Effect::OpenUrl("https://www.opendota.com/matches/50".into()),
            Effect::Copy("50".into())
        ]
    );
}

#[test]
fn heroes_sort_cycles_through_the_columns() {
    let (_dir, mut app) = app_with_data(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('3'));
    app.settle();
    let games: Vec<u64> = app.heroes().iter().map(|h| h.record.games).collect();
    assert!(games.windows(2).all(|w| w[0] >= w[1]));
    press(&mut app, KeyCode::Char('c'));
    assert_eq!(app.lists.hero_sort, HeroSort::WinRate);
    for _ in 0..6 {
        press(&mut app, KeyCode::Char('c'));
    }
    assert_eq!(app.lists.hero_sort, HeroSort::Games);
}

#[test]
fn a_click_selects_a_tab_or_a_row() {
    let (_dir, mut app) = app_with_data(Some(ACCOUNT));
    app.resize(Rect::new(0, 0, 80, 24));
    let screen = layout::screen_with(Rect::new(0, 0, 80, 24), app.sync_rows());
    // The third row of the list (below the column header).
    app.update(Action::Click {
        column: 5,
        row: screen.body.y + 3,
    });
    assert_eq!(selected(&app), Some(48));
    // " 1 Overview " is 12 wide, " 2 Matches (50) " 16: column 30 is in Heroes.
    app.update(Action::Click {
        column: 30,
        row: screen.tabs.y,
    });
    assert_eq!(app.view(), View::Heroes);
}

#[test]
fn navigation_moves_the_selection_through_the_whole_list() {
    let (_dir, mut app) = app_with_data(Some(ACCOUNT));
    app.resize(Rect::new(0, 0, 80, 24));
    let page = i64::from(layout::list_rows_with(
        Rect::new(0, 0, 80, 24),
        app.sync_rows(),
    ));
    assert_eq!(selected(&app), Some(50));
    press(&mut app, KeyCode::Up);
    assert_eq!(selected(&app), Some(50), "stays at the top edge");
    press(&mut app, KeyCode::PageDown);
    assert_eq!(selected(&app), Some(50 - page));
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(selected(&app), Some(1));
    press(&mut app, KeyCode::Down);
    assert_eq!(selected(&app), Some(1), "stays at the bottom edge");
    press(&mut app, KeyCode::PageUp);
    assert_eq!(selected(&app), Some(1 + page));
    press(&mut app, KeyCode::Home);
    assert_eq!(selected(&app), Some(50));
    press(&mut app, KeyCode::End);
    assert_eq!(selected(&app), Some(1));
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(selected(&app), Some(50));
    let wheel = Event::Mouse(crossterm::event::MouseEvent {
        kind: crossterm::event::MouseEventKind::ScrollDown,
        column: 0,
        row: 0,
        modifiers: KeyModifiers::NONE,
    });
    handle_terminal_event(&mut app, &wheel);
    assert_eq!(selected(&app), Some(47));
}

#[test]
fn the_filter_edits_live_and_esc_clears_it() {
    let (_dir, mut app) = app_with_data(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('/'));
    assert_eq!(app.context(), Context::Filter);
    // Letters are text while filtering, not commands.
    for c in "Axe".chars() {
        assert_eq!(press(&mut app, KeyCode::Char(c)), None);
    }
    assert!(!app.is_quitting());
    assert_eq!(app.filter().text, "Axe");
    let list = app.matches().unwrap();
    // hero_id = id % 3 + 1 == 2: ids 1, 4, ..., 49 (17 matches).
    assert_eq!(list.total(), 17);
    assert_eq!(selected(&app), Some(49));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.context(), Context::List(View::Matches));
    assert_eq!(app.filter().text, "Axe", "Enter keeps the filter");
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(selected(&app), Some(46));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.filter().text, "");
    assert_eq!(app.matches().unwrap().total(), 50);

    // A match ID prefix; Backspace widens it again; Esc drops it.
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Char('4'));
    press(&mut app, KeyCode::Char('2'));
    assert_eq!(app.matches().unwrap().total(), 1);
    press(&mut app, KeyCode::Backspace);
    // 4 and 40..=49.
    assert_eq!(app.matches().unwrap().total(), 11);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::List(View::Matches));
    assert_eq!(app.matches().unwrap().total(), 50);
}

#[test]
fn details_open_on_enter_and_close_on_esc() {
    let (_dir, mut app) = app_with_data(Some(ACCOUNT));
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::Enter);
    let details = app.details().unwrap();
    assert_eq!(details.match_id, 1);
    assert_eq!(details.tracked_slot, Some(1));
    assert_eq!(details.view.as_ref().unwrap().players.len(), 10);
    assert_eq!(app.context(), Context::Details);
    // k and j go to the previous and next match; r retries the one shown.
    press(&mut app, KeyCode::Char('k'));
    assert_eq!(app.details().unwrap().match_id, 2);
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.details().unwrap().match_id, 1);
    assert_eq!(
        press(&mut app, KeyCode::Char('r')),
        Some(SyncCommand::RetryMatch(1))
    );
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(app.context(), Context::Help);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.context(), Context::Details);
    press(&mut app, KeyCode::Esc);
    assert!(app.details().is_none());
}

#[test]
fn engine_events_are_coalesced_into_one_requery_per_tick() {
    let (dir, mut app) = app_with_data(Some(ACCOUNT));
    app.resize(Rect::new(0, 0, 80, 24));
    app.mark_drawn();
    assert!(!app.tick(), "an idle app has nothing to draw");
    // The engine writes on its own connection.
    let mut writer = Store::open(&dir.path().join("app.db")).unwrap();
    writer.save_details(&details(50)).unwrap();
    writer.save_stubs(ACCOUNT, &[entry(51)]).unwrap();
    let before = app.matches().unwrap().queries();
    app.handle_sync_event(SyncEvent::MatchFetched { match_id: 50 });
    app.handle_sync_event(SyncEvent::StubsSaved { count: 1, new: 1 });
    assert_eq!(app.matches().unwrap().queries(), before, "no query yet");
    assert!(app.tick());
    app.settle();
    let after = app.matches().unwrap().queries();
    assert!(after > before && after - before <= 4, "{before} -> {after}");
    let list = app.matches().unwrap();
    assert_eq!(list.total(), 51);
    // The selection stays on match 50, now second.
    assert_eq!(selected(&app), Some(50));
    assert_eq!(app.counts.detailed, 11);
    app.mark_drawn();
    assert!(!app.tick());
    assert_eq!(app.matches().unwrap().queries(), after);

    // A fetch only changes rows in place: one query by key, no count.
    writer.save_details(&details(49)).unwrap();
    app.handle_sync_event(SyncEvent::MatchFetched { match_id: 49 });
    app.handle_sync_event(SyncEvent::MatchFetched { match_id: 49 });
    assert!(app.tick());
    assert_eq!(app.matches().unwrap().queries(), after + 1);
    let row49 = app
        .matches()
        .unwrap()
        .visible_rows()
        .iter()
        .find(|r| r.match_id == 49)
        .cloned()
        .unwrap();
    assert_eq!(row49.has_details, Some(true));
    // The counts over every match wait for the slow cadence.
    assert_eq!(app.counts.detailed, 11);
    for _ in 0..SLOW_REFRESH_TICKS {
        app.tick();
    }
    app.settle();
    assert_eq!(app.counts.detailed, 12);
}

#[test]
fn notices_are_sanitised() {
    let (_dir, mut app) = app_with_data(Some(ACCOUNT));
    app.handle_sync_event(SyncEvent::Notice("rate lowered\u{1b}[2J\nto 1/s".into()));
    assert_eq!(app.notice(), Some("rate lowered to 1/s"));
}

#[test]
fn first_run_only_quits() {
    let (_dir, mut app) = app_with_data(None);
    assert_eq!(app.context(), Context::FirstRun);
    assert_eq!(press(&mut app, KeyCode::Char('s')), None);
    assert_eq!(press(&mut app, KeyCode::Char('q')), Some(SyncCommand::Stop));
}
