//! The application state and `update`: actions and engine events in, state
//! changes and engine commands out. Nothing here draws or touches the
//! terminal; drawing is a pure function of `&App` (see `ui.rs`).

use std::path::PathBuf;

use ratatui::layout::Rect;

use crate::assets;
use crate::source::SourceKind;
use crate::store::{Counts, ErrorRow, ListFilter, MatchView, Store, StoreError, TeammateRow};
use crate::sync::{Progress, RunOutcome, SyncCommand, SyncEvent};
use crate::tui::format::{Clock, sanitize};
use crate::tui::input::action::{Action, View};
use crate::tui::input::keymap::Context;
use crate::tui::layout;
use crate::tui::state::loader::{Loader, SlowQuery, SlowResult};
use crate::tui::state::match_list::{MatchList, WHEEL_STEP};
use crate::tui::state::scroll::Scroll;

/// How many rows the errors and teammates views read: enough to browse,
/// bounded so a pathological database cannot stall the UI.
pub const SHORT_LIST_LIMIT: usize = 2_000;

/// Ticks (of 100 ms in the event loop) between two re-reads of the counts
/// and the short lists while the engine keeps writing.
pub const SLOW_REFRESH_TICKS: u64 = 10;

/// What needs re-reading after engine events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Stale {
    /// Matches were added: the total and positions changed.
    total: bool,
    /// Matches changed in place: only the rows loaded.
    rows: bool,
    /// Counts and the errors/teammates lists.
    slow: bool,
}

impl Stale {
    fn everything() -> Stale {
        Stale {
            total: true,
            rows: true,
            slow: true,
        }
    }
}

/// What the App is told once, at start.
#[derive(Debug, Clone)]
pub struct AppSettings {
    pub db_path: PathBuf,
    /// `None`: the first-run screen.
    pub account_id: Option<u32>,
    pub source: Option<SourceKind>,
    /// Shown in the header, e.g. "demo".
    pub label: Option<String>,
    pub clock: Clock,
    /// Shortens the database path to `~/...` in the header.
    pub home: Option<PathBuf>,
}

/// The match the details overlay shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Details {
    pub match_id: i64,
    /// `None`: the match is not in the database (should not happen).
    pub view: Option<MatchView>,
    /// The tracked player's slot from phase 1: the only link when the
    /// details show them anonymous.
    pub tracked_slot: Option<i64>,
}

/// The filter typed after `/`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterInput {
    pub text: String,
    /// Keys go to the text.
    pub editing: bool,
}

pub struct App {
    pub(in crate::tui) settings: AppSettings,
    store: Store,
    pub(in crate::tui) progress: Progress,
    /// The last notice from the engine or the UI itself (sanitised).
    pub(in crate::tui) notice: Option<String>,
    /// The last database error (one line); the UI keeps running.
    pub(in crate::tui) error: Option<String>,
    pub(in crate::tui) view: View,
    pub(in crate::tui) help_open: bool,
    pub(in crate::tui) details: Option<Details>,
    pub(in crate::tui) filter: FilterInput,
    pub(in crate::tui) matches: Option<MatchList>,
    pub(in crate::tui) counts: Counts,
    pub(in crate::tui) errors: Vec<ErrorRow>,
    pub(in crate::tui) errors_scroll: Scroll,
    pub(in crate::tui) teammates: Vec<TeammateRow>,
    pub(in crate::tui) teammates_scroll: Scroll,
    /// Rows a list shows at once (from the last screen size).
    list_page: u16,
    pub(in crate::tui) screen: Rect,
    /// Something visible changed since the last draw.
    dirty: bool,
    /// Runs the slow queries off this task; `None`: inline.
    loader: Option<Loader>,
    /// What the engine changed since the last re-query.
    stale: Stale,
    /// Render ticks so far; paces the slow re-queries.
    ticks: u64,
    slow_due_at_tick: u64,
    quitting: bool,
}

impl App {
    /// Opens the database read-only and reads the first screen, slow
    /// queries included (tests, benches: everything is there at once).
    pub fn new(settings: AppSettings) -> Result<App, StoreError> {
        App::open(settings, None)
    }

    /// Like [`App::new`], with the slow queries sent to `loader`: the first
    /// frame is drawn without waiting for them.
    pub fn with_loader(settings: AppSettings, loader: Loader) -> Result<App, StoreError> {
        App::open(settings, Some(loader))
    }

    fn open(settings: AppSettings, loader: Option<Loader>) -> Result<App, StoreError> {
        let store = Store::open_read_only(&settings.db_path)?;
        let matches = settings.account_id.map(MatchList::new);
        let mut app = App {
            settings,
            store,
            progress: Progress::default(),
            notice: None,
            error: None,
            view: View::Matches,
            help_open: false,
            details: None,
            filter: FilterInput::default(),
            matches,
            counts: Counts::default(),
            errors: Vec::new(),
            errors_scroll: Scroll::default(),
            teammates: Vec::new(),
            teammates_scroll: Scroll::default(),
            list_page: 10,
            screen: Rect::new(0, 0, layout::MIN_WIDTH, layout::MIN_HEIGHT),
            dirty: true,
            loader,
            stale: Stale::default(),
            ticks: 0,
            slow_due_at_tick: 0,
            quitting: false,
        };
        app.refresh();
        Ok(app)
    }

    pub fn account_id(&self) -> Option<u32> {
        self.settings.account_id
    }

    pub fn view(&self) -> View {
        self.view
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    pub fn matches(&self) -> Option<&MatchList> {
        self.matches.as_ref()
    }

    pub fn details(&self) -> Option<&Details> {
        self.details.as_ref()
    }

    pub fn filter(&self) -> &FilterInput {
        &self.filter
    }

    pub fn help_open(&self) -> bool {
        self.help_open
    }

    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    pub fn is_quitting(&self) -> bool {
        self.quitting
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty
    }

    /// Whether the render tick has anything to do: a redraw, or engine
    /// changes to re-read. When not, the event loop lets the tick sleep.
    pub fn has_pending_work(&self) -> bool {
        self.dirty || self.stale != Stale::default()
    }

    /// Marks that a redraw is needed (the clock moved relative times...).
    pub fn mark_dirty(&mut self) {
        self.dirty = true;
    }

    /// Called after a draw.
    pub fn mark_drawn(&mut self) {
        self.dirty = false;
    }

    /// Where keys go now.
    pub fn context(&self) -> Context {
        if self.settings.account_id.is_none() {
            Context::FirstRun
        } else if self.help_open {
            Context::Help
        } else if self.filter.editing {
            Context::Filter
        } else if self.details.is_some() {
            Context::Details
        } else {
            Context::List(self.view)
        }
    }

    /// Fits the lists to a new screen size.
    pub fn resize(&mut self, screen: Rect) {
        if screen == self.screen && self.list_page == layout::list_rows(screen) {
            return;
        }
        self.screen = screen;
        self.list_page = layout::list_rows(screen);
        let page = usize::from(self.list_page);
        let result = match self.matches.as_mut() {
            Some(list) => list.set_page(&self.store, self.list_page),
            None => Ok(()),
        };
        self.note_result(result);
        self.errors_scroll.follow(self.errors.len(), page);
        self.teammates_scroll.follow(self.teammates.len(), page);
        self.dirty = true;
    }

    /// A new progress snapshot from the engine.
    pub fn set_progress(&mut self, progress: Progress) {
        if progress != self.progress {
            self.progress = progress;
            self.dirty = true;
        }
    }

    /// A discrete event from the engine. Database changes are only noted
    /// here; the re-query happens once per tick however many arrive.
    pub fn handle_sync_event(&mut self, event: SyncEvent) {
        match event {
            // New IDs change the total and shift positions.
            SyncEvent::StubsSaved { .. } => {
                self.stale.total = true;
                self.stale.slow = true;
            }
            // A fetch changes rows in place; the list keeps its shape.
            SyncEvent::MatchFetched { .. } | SyncEvent::MatchFailed { .. } => {
                self.stale.rows = true;
                self.stale.slow = true;
            }
            SyncEvent::Notice(text) => {
                self.notice = Some(sanitize(&text));
                self.dirty = true;
            }
            SyncEvent::Finished(summary) => {
                self.notice = Some(finished_notice(&summary));
                self.stale = Stale::everything();
                self.slow_due_at_tick = self.ticks;
                self.dirty = true;
            }
        }
    }

    /// The render tick: re-queries what the engine changed. Returns whether
    /// a redraw is due.
    ///
    /// During phase 2 a match lands every few hundred milliseconds, so the
    /// cheap re-reads (the visible window, by key) run at most once a tick,
    /// and the costly ones (counts over every match, the short lists) at
    /// most once every `SLOW_REFRESH_TICKS`.
    pub fn tick(&mut self) -> bool {
        self.ticks += 1;
        let stale = self.stale;
        if stale.total || stale.rows {
            let result = match self.matches.as_mut() {
                Some(list) if stale.total => list.reload(&self.store),
                Some(list) => list.reread_rows(&self.store),
                None => Ok(()),
            };
            self.note_result(result);
            if let Some(id) = self.details.as_ref().map(|d| d.match_id) {
                self.load_details(id);
            }
            self.stale.total = false;
            self.stale.rows = false;
            self.dirty = true;
        }
        if stale.slow && self.ticks >= self.slow_due_at_tick {
            self.refresh_slow();
            self.stale.slow = false;
            self.slow_due_at_tick = self.ticks + SLOW_REFRESH_TICKS;
        }
        self.dirty
    }

    /// Re-reads everything on screen from the database.
    pub fn refresh(&mut self) {
        self.stale = Stale::default();
        self.dirty = true;
        let result = match self.matches.as_mut() {
            Some(list) => list.reload(&self.store),
            None => Ok(()),
        };
        self.note_result(result);
        if let Some(id) = self.details.as_ref().map(|d| d.match_id) {
            self.load_details(id);
        }
        self.refresh_slow();
    }

    /// The counts and the short list on screen: each reads every match of
    /// the account, so they are throttled while a sync runs, and with a
    /// loader they run off this task.
    fn refresh_slow(&mut self) {
        if self.settings.account_id.is_none() {
            return;
        }
        if let Some(loader) = &self.loader {
            loader.request(SlowQuery::Counts);
        } else if let Some(account) = self.settings.account_id {
            let result = self.store.counts(Some(account)).map(|c| self.counts = c);
            self.note_result(result);
        }
        self.load_view_list();
        self.dirty = true;
    }

    /// An answer from the loader.
    pub fn apply_slow_result(&mut self, result: SlowResult) {
        match result {
            SlowResult::Counts(counts) => self.counts = counts,
            SlowResult::Errors(rows) => self.set_errors(rows),
            SlowResult::Teammates(rows) => self.set_teammates(rows),
            SlowResult::Failed(message) => self.error = Some(message),
        }
        self.dirty = true;
    }

    /// Applies one action; returns the command for the engine, if any.
    pub fn update(&mut self, action: Action) -> Option<SyncCommand> {
        self.dirty = true;
        match action {
            Action::Quit => {
                self.quitting = true;
                self.notice = Some("Stopping the sync...".into());
                return Some(SyncCommand::Stop);
            }
            Action::StartSync => return self.settings.account_id.map(|_| SyncCommand::Start),
            Action::TogglePause => return Some(SyncCommand::TogglePause),
            Action::RetrySelected => {
                let id = self.target_match()?;
                self.notice = Some(format!("Retrying match {id}"));
                return Some(SyncCommand::RetryMatch(id));
            }
            Action::RetryAllFailed => {
                self.notice = Some("Retrying all failed matches".into());
                return Some(SyncCommand::RetryAllFailed);
            }
            Action::NextView => self.show_view(self.view.next()),
            Action::PrevView => self.show_view(self.view.prev()),
            Action::ShowView(view) => self.show_view(view),
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::ScrollUp => self.move_by(-WHEEL_STEP),
            Action::ScrollDown => self.move_by(WHEEL_STEP),
            Action::PageUp => self.page_by(-1),
            Action::PageDown => self.page_by(1),
            Action::Top => self.jump_to_end(false),
            Action::Bottom => self.jump_to_end(true),
            Action::OpenDetails => {
                if let Some(id) = self.selected_match() {
                    self.load_details(id);
                }
            }
            Action::Close => {
                if self.help_open {
                    self.help_open = false;
                } else if self.details.is_some() {
                    self.details = None;
                } else if !self.filter.text.is_empty() {
                    self.filter = FilterInput::default();
                    self.apply_filter();
                }
            }
            Action::ToggleHelp => self.help_open = !self.help_open,
            Action::StartFilter => {
                self.view = View::Matches;
                self.filter.editing = true;
            }
            Action::FilterInput(c) => {
                self.filter.text.push(c);
                self.apply_filter();
            }
            Action::FilterBackspace => {
                self.filter.text.pop();
                self.apply_filter();
            }
            Action::FilterAccept => self.filter.editing = false,
            Action::FilterClear => {
                self.filter = FilterInput::default();
                self.apply_filter();
            }
        }
        None
    }

    /// The match `r` retries: the one in the details, else the selected row.
    fn target_match(&self) -> Option<i64> {
        match &self.details {
            Some(details) => Some(details.match_id),
            None => self.selected_match(),
        }
    }

    /// The match selected in the current view (matches or errors).
    pub fn selected_match(&self) -> Option<i64> {
        match self.view {
            View::Matches => self
                .matches
                .as_ref()
                .and_then(|l| l.selected_row())
                .map(|r| r.match_id),
            View::Errors => self
                .errors
                .get(self.errors_scroll.selected)
                .map(|r| r.match_id),
            View::Teammates => None,
        }
    }

    fn show_view(&mut self, view: View) {
        self.view = view;
        self.load_view_list();
    }

    /// Reads the errors or teammates list when that view is on screen.
    fn load_view_list(&mut self) {
        let query = match self.view {
            View::Matches => return,
            View::Errors => SlowQuery::Errors,
            View::Teammates => SlowQuery::Teammates,
        };
        if let Some(loader) = &self.loader {
            loader.request(query);
            return;
        }
        let Some(account) = self.settings.account_id else {
            return;
        };
        let result = match query {
            SlowQuery::Errors => self
                .store
                .errors(account, SHORT_LIST_LIMIT)
                .map(SlowResult::Errors),
            _ => self
                .store
                .teammates(account, SHORT_LIST_LIMIT)
                .map(SlowResult::Teammates),
        };
        match result {
            Ok(rows) => self.apply_slow_result(rows),
            Err(e) => self.note_error(&e),
        }
    }

    fn move_by(&mut self, delta: i64) {
        let page = usize::from(self.list_page);
        match self.view {
            View::Matches => {
                let result = match self.matches.as_mut() {
                    Some(list) => list.move_by(&self.store, delta),
                    None => Ok(()),
                };
                self.note_result(result);
            }
            View::Errors => self
                .errors_scroll
                .move_by(delta as isize, self.errors.len(), page),
            View::Teammates => {
                self.teammates_scroll
                    .move_by(delta as isize, self.teammates.len(), page)
            }
        }
    }

    fn page_by(&mut self, pages: i64) {
        match self.view {
            View::Matches => {
                let result = match self.matches.as_mut() {
                    Some(list) => list.page_by(&self.store, pages),
                    None => Ok(()),
                };
                self.note_result(result);
            }
            _ => self.move_by(pages * i64::from(self.list_page)),
        }
    }

    fn jump_to_end(&mut self, oldest: bool) {
        let page = usize::from(self.list_page);
        match self.view {
            View::Matches => {
                let result = match self.matches.as_mut() {
                    Some(list) if oldest => list.bottom(&self.store),
                    Some(list) => list.top(&self.store),
                    None => Ok(()),
                };
                self.note_result(result);
            }
            View::Errors if oldest => self.errors_scroll.bottom(self.errors.len(), page),
            View::Errors => self.errors_scroll.top(),
            View::Teammates if oldest => self.teammates_scroll.bottom(self.teammates.len(), page),
            View::Teammates => self.teammates_scroll.top(),
        }
    }

    fn apply_filter(&mut self) {
        let text = self.filter.text.trim();
        let filter = ListFilter::new(text, assets::heroes_matching(text));
        let result = match self.matches.as_mut() {
            Some(list) => list.set_filter(&self.store, filter),
            None => Ok(()),
        };
        self.note_result(result);
    }

    fn set_errors(&mut self, rows: Vec<ErrorRow>) {
        self.errors = rows;
        self.errors_scroll
            .follow(self.errors.len(), usize::from(self.list_page));
    }

    fn set_teammates(&mut self, rows: Vec<TeammateRow>) {
        self.teammates = rows;
        self.teammates_scroll
            .follow(self.teammates.len(), usize::from(self.list_page));
    }

    fn load_details(&mut self, match_id: i64) {
        let view = match self.store.match_view(match_id) {
            Ok(view) => view,
            Err(e) => return self.note_error(&e),
        };
        let tracked_slot = match self.settings.account_id {
            Some(account) => match self.store.tracked_slot(account, match_id) {
                Ok(slot) => slot,
                Err(e) => return self.note_error(&e),
            },
            None => None,
        };
        self.details = Some(Details {
            match_id,
            view,
            tracked_slot,
        });
    }

    fn note_result(&mut self, result: Result<(), StoreError>) {
        if let Err(e) = result {
            self.note_error(&e);
        }
    }

    fn note_error(&mut self, error: &StoreError) {
        self.error = Some(sanitize(&error.to_string()));
        self.dirty = true;
    }
}

/// The one line left in the notice area when a run ends.
fn finished_notice(summary: &crate::sync::Summary) -> String {
    let how = match &summary.outcome {
        RunOutcome::Completed => "Sync complete".to_string(),
        RunOutcome::Stopped => "Sync stopped".to_string(),
        RunOutcome::ApiDown => "Sync paused: the API is down".to_string(),
        RunOutcome::DailyLimit { resets_at } => format!(
            "Daily API limit reached (resets {})",
            resets_at.format("%Y-%m-%d %H:%M UTC")
        ),
        RunOutcome::Fatal { message } => format!("Sync failed: {}", sanitize(message)),
    };
    format!(
        "{how}: {} new IDs, {} details fetched, {} failed, {} still without data",
        summary.new_ids, summary.details_fetched, summary.failed, summary.stubs_left
    )
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

    use super::*;
    use crate::source::{HistoryEntry, MatchDetails, PlayerDetails};
    use crate::tui::handle_terminal_event;

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
        let app = App::new(AppSettings {
            db_path: path,
            account_id: account,
            source: None,
            label: None,
            clock: Clock::Fixed(DateTime::from_timestamp(1_700_000_100, 0).unwrap()),
            home: None,
        })
        .unwrap();
        (dir, app)
    }

    use crate::store::MAX_ATTEMPTS;

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
        assert_eq!(app.view(), View::Errors);
        // Most recently attempted first: both failures are loaded.
        assert_eq!(app.errors.len(), 2);
        press(&mut app, KeyCode::Tab);
        assert_eq!(app.view(), View::Teammates);
        assert_eq!(app.teammates.len(), 4, "the four Radiant teammates");
        assert_eq!(app.teammates[0].games, 10);
        press(&mut app, KeyCode::Tab);
        assert_eq!(app.view(), View::Matches);
        press(&mut app, KeyCode::BackTab);
        assert_eq!(app.view(), View::Teammates);
        press(&mut app, KeyCode::Char('2'));
        assert_eq!(app.view(), View::Errors);
        // In the errors view, r retries the selected failure.
        let first_error = app.errors[0].match_id;
        assert_eq!(
            press(&mut app, KeyCode::Char('r')),
            Some(SyncCommand::RetryMatch(first_error))
        );
        press(&mut app, KeyCode::Char('1'));
        assert_eq!(app.view(), View::Matches);
    }

    #[test]
    fn navigation_moves_the_selection_through_the_whole_list() {
        let (_dir, mut app) = app_with_data(Some(ACCOUNT));
        app.resize(Rect::new(0, 0, 80, 24));
        let page = i64::from(layout::list_rows(Rect::new(0, 0, 80, 24)));
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
        // j does nothing in the details; r retries the displayed match.
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
}
