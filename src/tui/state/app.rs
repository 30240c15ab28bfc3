//! The application state and `update`: actions and engine events in, state
//! changes, engine commands and terminal effects out. Nothing here draws or
//! touches the terminal; drawing is a pure function of `&App` (see `view/`).
//!
//! `App` routes: each concern is a sub-state that owns its fields (the sync
//! block, the slow reads, the lists, the details, the filter, the help);
//! `App` holds what they share (the store, the view, the screen) and what
//! the statistics tabs show. Keeping it current (engine events, ticks,
//! the loader's answers) is `refresh.rs`; what views read, `app_access.rs`.

use ratatui::layout::Rect;

use super::details_pane::DetailsPane;
use super::filter_line::FilterInput;
use super::help::HelpState;
use super::lists::Lists;
use super::match_list::WHEEL_STEP;
use super::recent::Recent;
use super::slow_reads::SlowReads;
use super::sync_panel::SyncPanel;
use super::tab_labels::tab_at;
use crate::store::stats::{Overview, TrendMetric, WhenStats};
use crate::store::{Counts, Store, StoreError};
use crate::sync::SyncCommand;
use crate::tui::input::action::{Action, View};
use crate::tui::layout;
use crate::tui::words::Label as _;

pub use super::details_pane::{DETAILS_COLUMNS, Details};
pub use super::effect::{Effect, opendota_match_url};
pub use super::settings::AppSettings;
pub use super::slow_reads::{SHORT_LIST_LIMIT, SLOW_REFRESH_TICKS};
pub use super::sync_panel::has_run;

pub struct App {
    pub(in crate::tui) settings: AppSettings,
    pub(super) store: Store,
    pub(in crate::tui) sync: SyncPanel,
    pub(super) slow: SlowReads,
    pub(in crate::tui) view: View,
    pub(in crate::tui) help: HelpState,
    pub(in crate::tui) details: DetailsPane,
    pub(in crate::tui) filter: FilterInput,
    pub(in crate::tui) lists: Lists,
    pub(in crate::tui) counts: Counts,
    /// `None` until the loader first answers.
    pub(in crate::tui) overview: Option<Overview>,
    /// The Overview's trend chart (`t`).
    pub(in crate::tui) trend: TrendMetric,
    /// "When do I win"; `None` until the loader first answers.
    pub(in crate::tui) when: Option<WhenStats>,
    /// The Overview's newest matches.
    pub(in crate::tui) recent: Recent,
    pub(in crate::tui) screen: Rect,
    /// Something visible changed since the last draw.
    pub(super) dirty: bool,
    pub(super) effects: Vec<Effect>,
    pub(super) quitting: bool,
}

impl App {
    /// Opens the database read-only, starts the loader and reads the first
    /// window of matches; the slow queries are on their way (see `settle`).
    pub fn new(settings: AppSettings) -> Result<App, StoreError> {
        let store = Store::open_read_only(&settings.db_path)?;
        let slow = SlowReads::start(&settings.db_path, settings.account_id)?;
        let mut app = App {
            lists: Lists::new(settings.account_id),
            settings,
            store,
            sync: SyncPanel::default(),
            slow,
            view: View::Overview,
            help: HelpState::default(),
            details: DetailsPane::default(),
            filter: FilterInput::default(),
            counts: Counts::default(),
            overview: None,
            trend: TrendMetric::default(),
            when: None,
            recent: Recent::default(),
            screen: Rect::new(0, 0, layout::MIN_WIDTH, layout::MIN_HEIGHT),
            dirty: true,
            effects: Vec::new(),
            quitting: false,
        };
        app.refresh();
        Ok(app)
    }

    /// Applies one action, routed to the sub-state that owns it; returns
    /// the command for the engine, if any.
    pub fn update(&mut self, action: Action) -> Option<SyncCommand> {
        self.dirty = true;
        if self.sync.refuses(action) {
            return None;
        }
        let db_path = &self.settings.db_path;
        match action {
            Action::Quit => {
                self.quitting = true;
                return Some(self.sync.quit());
            }
            Action::StartSync => {
                self.settings.account_id?;
                return self.sync.start(db_path);
            }
            Action::TogglePause => return self.sync.toggle_pause(db_path),
            Action::RetrySelected => return Some(self.sync.retry(self.target_match()?)),
            Action::RetryAllFailed => return self.sync.retry_all(self.counts),
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
                if self.help.open =>
            {
                self.help.scroll_by(action, self.screen)
            }
            Action::NextView => self.show_view(self.view.next()),
            Action::PrevView => self.show_view(self.view.prev()),
            Action::ShowView(view) => self.show_view(view),
            Action::Up | Action::Down if self.details.is_open() => {
                // In the details, j/k go to the next or previous match.
                self.navigate(action);
                if let Some(id) = self.selected_match() {
                    self.load_details(id);
                }
            }
            Action::Up
            | Action::Down
            | Action::ScrollUp
            | Action::ScrollDown
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom => self.navigate(action),
            Action::OpenDetails => self.open_selected(),
            Action::Close if self.help.open => self.help.open = false,
            Action::Close if self.details.is_open() => self.details.close(),
            Action::Close if !self.filter.text.is_empty() => {
                self.filter.text.clear();
                self.apply_filter();
            }
            Action::Close => {}
            Action::ToggleHelp => self.help.toggle(),
            Action::StartFilter
            | Action::FilterInput(_)
            | Action::FilterBackspace
            | Action::FilterAccept
            | Action::FilterClear => {
                if self.filter.edit(action) {
                    self.apply_filter();
                }
            }
            Action::CycleTrend => self.cycle_trend(),
            Action::CycleHeroMode => {
                self.lists.cycle_hero_mode();
                self.load_view_list();
            }
            Action::CycleSort => {
                let result = self.lists.cycle_sort(self.view, &self.store);
                self.note_result(result);
            }
            Action::OpenInBrowser => {
                let url = opendota_match_url(self.target_match()?);
                self.effects.push(Effect::OpenUrl(url));
            }
            Action::CopyId => {
                let id = self.target_match()?;
                self.effects.push(Effect::Copy(id.to_string()));
                self.sync.notice = Some(format!("Copied match ID {id}"));
            }
            Action::Click { column, row } => self.click(column, row),
            Action::Suspend => self.effects.push(Effect::Suspend),
            Action::ColumnsLeft => self.details.scroll_columns(false),
            Action::ColumnsRight => self.details.scroll_columns(true),
        }
        None
    }

    /// Moves through the list on screen, whichever it is.
    fn navigate(&mut self, action: Action) {
        let Some(list) = self.lists.current(self.view) else {
            return;
        };
        let store = &self.store;
        let result = match action {
            Action::Up => list.move_by(store, -1),
            Action::Down => list.move_by(store, 1),
            Action::ScrollUp => list.move_by(store, -WHEEL_STEP),
            Action::ScrollDown => list.move_by(store, WHEEL_STEP),
            Action::PageUp => list.page_by(store, -1),
            Action::PageDown => list.page_by(store, 1),
            Action::Top => list.top(store),
            _ => list.bottom(store),
        };
        self.note_result(result);
    }

    /// A click: on a tab shows it; on a list row selects it.
    fn click(&mut self, column: u16, row: u16) {
        if self.details.is_open() || self.help.open {
            return;
        }
        let screen = layout::screen_with(self.screen, self.sync_rows());
        if row == screen.tabs.y {
            let labels = self.tab_labels();
            if let Some(view) = tab_at(&labels, column.checked_sub(screen.tabs.x)) {
                self.show_view(view);
            }
            return;
        }
        // The first body row is the column header.
        let Some(line) = row.checked_sub(screen.body.y + 1) else {
            return;
        };
        if row >= screen.body.y + screen.body.height {
            return;
        }
        if let Some(list) = self.lists.current(self.view) {
            let result = list.click(&self.store, usize::from(line));
            self.note_result(result);
        }
    }

    /// Enter: a match opens its details; a hero or a player shows the
    /// matches with them.
    fn open_selected(&mut self) {
        match self.lists.drill_word(self.view) {
            Err(why) => self.sync.notice = Some(why.into()),
            Ok(Some(word)) => {
                self.filter.replace_word(&word);
                self.apply_filter();
                self.show_view(View::Matches);
            }
            Ok(None) => {
                if let Some(id) = self.selected_match() {
                    self.load_details(id);
                }
            }
        }
    }

    /// `t`: the next metric; where the chart is left out, says why.
    fn cycle_trend(&mut self) {
        let all = TrendMetric::ALL;
        let i = all.iter().position(|&m| m == self.trend).unwrap_or(0);
        self.trend = all[(i + 1) % all.len()];
        let body = layout::screen_with(self.screen, self.sync_rows()).body;
        let why = if !self.has_stats() {
            "the chart appears once matches have details"
        } else if layout::overview(body, true)[1].height == 0 {
            "the chart needs a taller window"
        } else {
            return;
        };
        self.sync.notice = Some(format!("Trend: {} ({why})", self.trend.label()));
    }

    /// The match `r`, `o` and `y` act on: the one in the details, else the
    /// selected row.
    fn target_match(&self) -> Option<i64> {
        self.details.match_id().or_else(|| self.selected_match())
    }

    pub(super) fn note_result(&mut self, result: Result<(), StoreError>) {
        if let Err(e) = result {
            self.note_error(&e);
        }
    }

    pub(super) fn note_error(&mut self, error: &StoreError) {
        self.sync.note_error(error);
        self.dirty = true;
    }
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
