//! The application state and `update`: actions and engine events in, state
//! changes, engine commands and terminal effects out. Nothing here draws or
//! touches the terminal; drawing is a pure function of `&App` (see `view/`).

use std::collections::HashMap;
use std::path::PathBuf;

use ratatui::layout::Rect;
use tokio::sync::mpsc;

use super::hero_mode::HeroMode;
use super::hero_sort::HeroSort;
use super::loader::{Loader, QueryKind, SlowAnswer, SlowQuery, SlowResult};
use super::match_list::{MatchList, WHEEL_STEP};
use super::peer_sort::PeerSort;
use super::recent::Recent;
use super::short_list::ShortList;
use crate::source::SourceKind;
use crate::store::filter::parse_query;
use crate::store::stats::{
    HeroMatchup, HeroStats, Overview, PeerStats, RecordRow, TrendMetric, WhenStats, Zone,
};
use crate::store::{Counts, ErrorRow, MatchFilter, MatchView, Store, StoreError};
use crate::sync::{Progress, RunOutcome, SyncCommand, SyncEvent, SyncState};
use crate::tui::format::{Clock, sanitize};
use crate::tui::input::action::{Action, View};
use crate::tui::input::keymap::Context;
use crate::tui::layout;
use crate::tui::words::Label as _;

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
    /// Counts, statistics and the short lists.
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
    /// Where the config file is (the first-run screen names it).
    pub config_path: Option<PathBuf>,
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
    /// The cached names of the match's players (and the tracked account).
    pub names: HashMap<i64, String>,
}

/// Columns of a details team table that can scroll away (all but the
/// hero's): the offset stops at the last one.
pub const DETAILS_COLUMNS: u16 = 10;

/// The filter typed after `/`, and the filter it reads as.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterInput {
    pub text: String,
    /// Keys go to the text.
    pub editing: bool,
    /// What every view shows: the last text that could be read.
    pub applied: MatchFilter,
    /// Why the text as typed cannot be read (one line).
    pub problem: Option<String>,
}

/// Something only the event loop can do: it owns the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Open this address in the browser, or show it when nothing opens it.
    OpenUrl(String),
    /// Put this text on the clipboard (OSC 52).
    Copy(String),
    /// Give the terminal back to the shell until resumed (Ctrl-Z).
    Suspend,
}

pub struct App {
    pub(in crate::tui) settings: AppSettings,
    store: Store,
    pub(in crate::tui) progress: Progress,
    /// The last notice from the engine or the UI itself (sanitised).
    pub(in crate::tui) notice: Option<String>,
    /// The notice a run's end left, taken down when the next run starts.
    run_summary: Option<String>,
    /// Details: how many columns after the hero's are scrolled away (kept
    /// from match to match, so `j`/`k` compare like with like).
    pub(in crate::tui) details_column: u16,
    /// The last database error (one line); the UI keeps running.
    pub(in crate::tui) error: Option<String>,
    pub(in crate::tui) view: View,
    pub(in crate::tui) help_open: bool,
    /// The help's first line shown.
    pub(in crate::tui) help_scroll: usize,
    pub(in crate::tui) details: Option<Details>,
    pub(in crate::tui) filter: FilterInput,
    pub(in crate::tui) matches: Option<MatchList>,
    pub(in crate::tui) counts: Counts,
    /// `None` until the loader first answers.
    pub(in crate::tui) overview: Option<Overview>,
    pub(in crate::tui) heroes: ShortList<HeroStats>,
    pub(in crate::tui) hero_sort: HeroSort,
    /// The Overview's trend chart (`t`).
    pub(in crate::tui) trend: TrendMetric,
    /// Heroes played, with, or against (`v`).
    pub(in crate::tui) hero_mode: HeroMode,
    /// Every hero met, as the loader answered; `matchups` is the mode's list.
    matchup_rows: Vec<HeroMatchup>,
    pub(in crate::tui) matchups: ShortList<HeroMatchup>,
    /// The matchup lists sorted by win rate (`c`), else by games.
    pub(in crate::tui) matchups_by_rate: bool,
    pub(in crate::tui) teammates: ShortList<PeerStats>,
    pub(in crate::tui) peer_sort: PeerSort,
    pub(in crate::tui) records: ShortList<RecordRow>,
    pub(in crate::tui) errors: ShortList<ErrorRow>,
    /// "When do I win"; `None` until the loader first answers.
    pub(in crate::tui) when: Option<WhenStats>,
    /// The source of the account's last sync (what the data came from).
    pub(in crate::tui) last_source: Option<String>,
    /// Rows a list shows at once (from the last screen size).
    list_page: u16,
    /// The Overview's newest matches, and how many rows it shows.
    pub(in crate::tui) recent: Recent,
    recent_page: u16,
    pub(in crate::tui) screen: Rect,
    /// Something visible changed since the last draw.
    dirty: bool,
    /// Runs the slow queries off this task; `None` on the first-run screen.
    loader: Option<Loader>,
    /// Where the loader answers, until the event loop takes it.
    results: Option<mpsc::UnboundedReceiver<SlowResult>>,
    /// The newest request of each kind not answered yet.
    outstanding: HashMap<QueryKind, u64>,
    effects: Vec<Effect>,
    /// What the engine changed since the last re-query.
    stale: Stale,
    /// Render ticks so far; paces the slow re-queries.
    ticks: u64,
    slow_due_at_tick: u64,
    quitting: bool,
    /// The database cannot be written: keys that would sync say so.
    read_only: bool,
}

impl App {
    /// Opens the database read-only, starts the loader and reads the first
    /// window of matches; the slow queries are on their way (see `settle`).
    pub fn new(settings: AppSettings) -> Result<App, StoreError> {
        let store = Store::open_read_only(&settings.db_path)?;
        let (loader, results) = match settings.account_id {
            Some(account) => {
                let (loader, results) =
                    Loader::spawn(&settings.db_path, account, SHORT_LIST_LIMIT)?;
                (Some(loader), Some(results))
            }
            None => (None, None),
        };
        let matches = settings.account_id.map(MatchList::new);
        let mut app = App {
            settings,
            store,
            progress: Progress::default(),
            notice: None,
            run_summary: None,
            details_column: 0,
            error: None,
            view: View::Overview,
            help_open: false,
            help_scroll: 0,
            details: None,
            filter: FilterInput::default(),
            matches,
            counts: Counts::default(),
            overview: None,
            heroes: ShortList::default(),
            hero_sort: HeroSort::default(),
            trend: TrendMetric::default(),
            hero_mode: HeroMode::default(),
            matchup_rows: Vec::new(),
            matchups: ShortList::default(),
            matchups_by_rate: false,
            teammates: ShortList::default(),
            peer_sort: PeerSort::default(),
            records: ShortList::default(),
            errors: ShortList::default(),
            when: None,
            last_source: None,
            list_page: 10,
            recent: Recent::default(),
            recent_page: 0,
            screen: Rect::new(0, 0, layout::MIN_WIDTH, layout::MIN_HEIGHT),
            dirty: true,
            loader,
            results,
            outstanding: HashMap::new(),
            effects: Vec::new(),
            stale: Stale::default(),
            ticks: 0,
            slow_due_at_tick: 0,
            quitting: false,
            read_only: false,
        };
        app.refresh();
        Ok(app)
    }

    /// The loader's answers, for the event loop to select on. After this,
    /// `settle` has nothing to wait on.
    pub fn take_slow_results(&mut self) -> Option<mpsc::UnboundedReceiver<SlowResult>> {
        self.results.take()
    }

    /// Waits until the loader has answered every request (tests, benches:
    /// the same path as users, waited for). Blocks the thread.
    pub fn settle(&mut self) {
        while !self.outstanding.is_empty() {
            let Some(results) = self.results.as_mut() else {
                return;
            };
            match results.blocking_recv() {
                Some(result) => self.apply_slow_result(result),
                None => return,
            }
        }
    }

    /// Whether some slow query has not been answered yet.
    pub fn is_loading(&self) -> bool {
        !self.outstanding.is_empty()
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

    pub fn overview(&self) -> Option<&Overview> {
        self.overview.as_ref()
    }

    pub fn heroes(&self) -> &[HeroStats] {
        &self.heroes.rows
    }

    pub fn teammates(&self) -> &[PeerStats] {
        &self.teammates.rows
    }

    pub fn records(&self) -> &[RecordRow] {
        &self.records.rows
    }

    pub fn errors(&self) -> &[ErrorRow] {
        &self.errors.rows
    }

    pub fn when(&self) -> Option<&WhenStats> {
        self.when.as_ref()
    }

    /// The clock "When do I win" reads hours on: the machine's time zone,
    /// or UTC under a fixed clock (tests), as every date on screen.
    pub fn zone(&self) -> Zone {
        match self.settings.clock {
            Clock::System => Zone::Local,
            Clock::Fixed(_) => Zone::Utc,
        }
    }

    pub fn counts(&self) -> Counts {
        self.counts
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

    /// What the event loop should do for the UI (open, copy, suspend).
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
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

    /// A line for the notice area from the UI itself.
    pub fn set_notice(&mut self, text: String) {
        self.notice = Some(sanitize(&text));
        self.dirty = true;
    }

    /// The database cannot be written (`status` and `export` read such a
    /// file too): the UI browses it, and the keys that would sync say why not.
    pub fn set_read_only(&mut self) {
        self.read_only = true;
        self.set_notice(self.read_only_notice());
    }

    fn read_only_notice(&self) -> String {
        // The header shows the path.
        "Read-only database: browsing only; a sync needs write access".to_string()
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

    /// The tab labels, in order: ` 2 Matches (1500) `; the counts only
    /// where the screen has room for them.
    pub fn tab_labels(&self) -> Vec<(View, String)> {
        // Both counts, else the errors' alone (what needs a look), else none.
        let fits = |labels: &Vec<(View, String)>| {
            labels.iter().map(|(_, l)| l.chars().count()).sum::<usize>()
                <= usize::from(self.screen.width)
        };
        [(true, true), (false, true)]
            .into_iter()
            .map(|(matches, errors)| self.tab_labels_with(matches, errors))
            .find(fits)
            .unwrap_or_else(|| self.tab_labels_with(false, false))
    }

    fn tab_labels_with(&self, matches: bool, errors: bool) -> Vec<(View, String)> {
        View::ALL
            .into_iter()
            .enumerate()
            .map(|(i, view)| {
                let suffix = match view {
                    View::Matches if matches => format!(" ({})", self.counts.matches),
                    View::Errors if errors => format!(" ({})", self.error_count()),
                    _ => String::new(),
                };
                (view, format!(" {} {}{suffix} ", i + 1, view.title()))
            })
            .collect()
    }

    /// Fits the lists to a new screen size.
    pub fn resize(&mut self, screen: Rect) {
        let sync_rows = self.sync_rows();
        let rows = layout::list_rows_with(screen, sync_rows);
        let recent_rows = layout::overview_recent_rows(
            layout::screen_with(screen, sync_rows).body,
            self.has_stats(),
        );
        if screen == self.screen && self.list_page == rows && self.recent_page == recent_rows {
            return;
        }
        self.screen = screen;
        self.list_page = rows;
        if self.recent_page != recent_rows {
            self.recent_page = recent_rows;
            self.reload_recent(false);
        }
        let page = self.page();
        let result = match self.matches.as_mut() {
            Some(list) => list.set_page(&self.store, self.list_page),
            None => Ok(()),
        };
        self.note_result(result);
        for scroll in [
            (&mut self.heroes.scroll, self.heroes.rows.len()),
            (&mut self.matchups.scroll, self.matchups.rows.len()),
            (&mut self.teammates.scroll, self.teammates.rows.len()),
            (&mut self.records.scroll, self.records.rows.len()),
            (&mut self.errors.scroll, self.errors.rows.len()),
        ] {
            scroll.0.follow(scroll.1, page);
        }
        self.dirty = true;
    }

    /// What the errors view lists: failures, given-up matches and the
    /// stubs an API error left.
    pub fn error_count(&self) -> u64 {
        self.counts.failed + self.counts.given_up + self.counts.api_errors
    }

    fn page(&self) -> usize {
        usize::from(self.list_page)
    }

    /// Whether the Overview has games to summarise (its layout follows).
    pub fn has_stats(&self) -> bool {
        self.overview.as_ref().is_some_and(|o| o.record.games > 0)
    }

    /// Rows the sync block takes: one line (and one for a notice) until a
    /// run starts in this session; then the whole block, with a line per
    /// source when a run draws from several.
    pub fn sync_rows(&self) -> u16 {
        if has_run(&self.progress) {
            layout::PROGRESS_HEIGHT + self.source_lines() + self.summary_lines()
        } else {
            layout::IDLE_SYNC_HEIGHT + u16::from(self.notice.is_some() || self.error.is_some())
        }
    }

    /// The sync block's `Summaries: ...` line (1) once phase 1 has brought
    /// summaries, when the screen keeps the first-screen rule with it: the
    /// body still holds the Overview's short summary and newest matches.
    pub fn summary_lines(&self) -> u16 {
        if self.progress.summaries_line().is_none() {
            return 0;
        }
        let without = layout::PROGRESS_HEIGHT + self.source_lines();
        let body = layout::screen_with(self.screen, without + 1).body.height;
        u16::from(body >= layout::FIRST_SCREEN_BODY)
    }

    /// Rows the sync block gives to per-source lines (0 with one source).
    pub fn source_lines(&self) -> u16 {
        match self.progress.sources.len() {
            0 | 1 => 0,
            n => u16::try_from(n).unwrap_or(u16::MAX),
        }
    }

    /// The Overview's newest matches, re-read when it is on screen.
    /// `from_top`: the list changed shape (see [`Recent::load`]).
    fn reload_recent(&mut self, from_top: bool) {
        let Some(account) = self.settings.account_id else {
            return;
        };
        if self.view != View::Overview || self.recent_page == 0 {
            return;
        }
        let follow = self.progress.state.is_running();
        let result = self.recent.load(
            &self.store,
            account,
            &self.filter.applied,
            self.recent_page,
            follow,
            from_top,
        );
        self.note_result(result);
        self.dirty = true;
    }

    /// A new progress snapshot from the engine.
    pub fn set_progress(&mut self, progress: Progress) {
        if progress != self.progress {
            let was_running = self.progress.state.is_running();
            // A new run: the last one's summary no longer describes it.
            if progress.state.is_running()
                && !self.progress.state.is_running()
                && self.run_summary.is_some()
                && self.notice == self.run_summary
            {
                self.notice = None;
            }
            self.progress = progress;
            self.dirty = true;
            // The block's height may have changed (a run began, a source
            // joined): the lists refit.
            self.resize(self.screen);
            if was_running != self.progress.state.is_running() {
                self.reload_recent(true);
            }
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
                self.run_summary = self.notice.clone();
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
    /// and the costly ones (counts, statistics, the short lists) at most once
    /// every `SLOW_REFRESH_TICKS`, on the loader.
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
            self.reload_recent(stale.total);
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
        self.reload_recent(true);
        self.refresh_slow();
    }

    /// The counts, the overview (whose W/L the header shows) and the view
    /// on screen: each reads every match, so they go to the loader.
    fn refresh_slow(&mut self) {
        let Some(account) = self.settings.account_id else {
            return;
        };
        match self.store.last_job(Some(account)) {
            Ok(job) => self.last_source = job.and_then(|j| j.source),
            Err(e) => self.note_error(&e),
        }
        self.request(SlowQuery::Counts);
        self.request_overview();
        self.load_view_list();
        self.dirty = true;
    }

    fn request(&mut self, query: SlowQuery) {
        if let Some(loader) = self.loader.as_mut() {
            let kind = query.kind();
            let seq = loader.request(query);
            self.outstanding.insert(kind, seq);
        }
    }

    fn request_overview(&mut self) {
        let now = self.settings.clock.now().timestamp();
        self.request(SlowQuery::Overview {
            filter: self.filter.applied.clone(),
            now,
        });
    }

    /// An answer from the loader. One older than the newest request of its
    /// kind is dropped: the newer answer is on its way.
    pub fn apply_slow_result(&mut self, result: SlowResult) {
        match self.outstanding.get(&result.kind) {
            Some(&newest) if result.seq < newest => return,
            Some(_) => {
                self.outstanding.remove(&result.kind);
            }
            None => {}
        }
        let page = self.page();
        match result.answer {
            SlowAnswer::Counts(counts) => self.counts = counts,
            SlowAnswer::Errors(rows) => self.errors.set(rows, page),
            SlowAnswer::Overview(overview) => self.overview = Some(*overview),
            SlowAnswer::Heroes(mut rows) => {
                self.hero_sort.sort(&mut rows);
                self.heroes.set(rows, page);
            }
            SlowAnswer::Teammates(mut rows) => {
                self.peer_sort.sort(&mut rows);
                self.teammates.set(rows, page);
            }
            SlowAnswer::Records(rows) => self.records.set(rows, page),
            SlowAnswer::When(when) => self.when = Some(*when),
            SlowAnswer::HeroMatchups(rows) => {
                self.matchup_rows = rows;
                self.refill_matchups();
            }
            SlowAnswer::Failed(message) => self.error = Some(message),
        }
        self.dirty = true;
    }

    /// Applies one action; returns the command for the engine, if any.
    pub fn update(&mut self, action: Action) -> Option<SyncCommand> {
        self.dirty = true;
        if self.read_only
            && matches!(
                action,
                Action::StartSync
                    | Action::TogglePause
                    | Action::RetrySelected
                    | Action::RetryAllFailed
            )
        {
            self.notice = Some(sanitize(&self.read_only_notice()));
            return None;
        }
        match action {
            Action::Quit => {
                self.quitting = true;
                self.notice = Some("Stopping the sync...".into());
                return Some(SyncCommand::Stop);
            }
            Action::StartSync => return self.start_sync(),
            Action::TogglePause => return self.toggle_pause(),
            Action::RetrySelected => {
                let id = self.target_match()?;
                self.notice = Some(format!("Retrying match {id}"));
                return Some(SyncCommand::RetryMatch(id));
            }
            Action::RetryAllFailed => return self.retry_all(),
            Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::Top
            | Action::Bottom
                if self.help_open =>
            {
                self.scroll_help(action)
            }
            Action::NextView => self.show_view(self.view.next()),
            Action::PrevView => self.show_view(self.view.prev()),
            Action::ShowView(view) => self.show_view(view),
            Action::Up | Action::Down if self.details.is_some() => {
                // In the details, j/k go to the next or previous match.
                self.move_by(if action == Action::Up { -1 } else { 1 });
                if let Some(id) = self.selected_match() {
                    self.load_details(id);
                }
            }
            Action::Up => self.move_by(-1),
            Action::Down => self.move_by(1),
            Action::ScrollUp => self.move_by(-WHEEL_STEP),
            Action::ScrollDown => self.move_by(WHEEL_STEP),
            Action::PageUp => self.page_by(-1),
            Action::PageDown => self.page_by(1),
            Action::Top => self.jump_to_end(false),
            Action::Bottom => self.jump_to_end(true),
            Action::OpenDetails => self.open_selected(),
            Action::Close => {
                if self.help_open {
                    self.help_open = false;
                } else if self.details.is_some() {
                    self.details = None;
                } else if !self.filter.text.is_empty() {
                    self.filter.text.clear();
                    self.apply_filter();
                }
            }
            Action::ToggleHelp => {
                self.help_open = !self.help_open;
                self.help_scroll = 0;
            }
            Action::StartFilter => self.filter.editing = true,
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
                self.filter.text.clear();
                self.filter.editing = false;
                self.apply_filter();
            }
            Action::CycleTrend => {
                let all = TrendMetric::ALL;
                let i = all.iter().position(|&m| m == self.trend).unwrap_or(0);
                self.trend = all[(i + 1) % all.len()];
                // Where the chart is left out, say why.
                if !self.has_stats() {
                    self.notice = Some(format!(
                        "Trend: {} (the chart appears once matches have details)",
                        self.trend.label()
                    ));
                } else if layout::overview(
                    layout::screen_with(self.screen, self.sync_rows()).body,
                    self.has_stats(),
                )[1]
                .height
                    == 0
                {
                    self.notice = Some(format!(
                        "Trend: {} (the chart needs a taller window)",
                        self.trend.label()
                    ));
                }
            }
            Action::CycleHeroMode => {
                self.hero_mode = self.hero_mode.next();
                self.load_view_list();
                self.refill_matchups();
            }
            Action::CycleSort
                if self.view == View::Heroes && self.hero_mode != HeroMode::Played =>
            {
                self.matchups_by_rate = !self.matchups_by_rate;
                self.refill_matchups();
            }
            Action::CycleSort if self.view == View::Teammates => {
                self.peer_sort = self.peer_sort.next();
                self.peer_sort.sort(&mut self.teammates.rows);
            }
            Action::CycleSort => {
                self.hero_sort = self.hero_sort.next();
                self.hero_sort.sort(&mut self.heroes.rows);
            }
            Action::OpenInBrowser => {
                let id = self.target_match()?;
                self.effects.push(Effect::OpenUrl(opendota_match_url(id)));
            }
            Action::CopyId => {
                let id = self.target_match()?;
                self.effects.push(Effect::Copy(id.to_string()));
                self.notice = Some(format!("Copied match ID {id}"));
            }
            Action::Click { column, row } => self.click(column, row),
            Action::Suspend => self.effects.push(Effect::Suspend),
            Action::ColumnsLeft => self.details_column = self.details_column.saturating_sub(1),
            Action::ColumnsRight => {
                self.details_column = (self.details_column + 1).min(DETAILS_COLUMNS - 1)
            }
        }
        None
    }

    /// Another process's sync this app is showing (it holds the lock), if
    /// a sync is running at all.
    fn other_sync(&self) -> Option<crate::store::Holder> {
        if !self.progress.state.is_running() {
            return None;
        }
        crate::store::SyncLock::holder(&self.settings.db_path)
            .filter(|h| h.pid != std::process::id())
    }

    /// `s`: starts a sync, or says why not (one runs already, here or in
    /// another process) rather than queueing a second one.
    fn start_sync(&mut self) -> Option<SyncCommand> {
        self.settings.account_id?;
        if let Some(holder) = self.other_sync() {
            self.notice = Some(format!(
                "Another process is syncing this database ({}): s and p act on it there",
                holder.describe()
            ));
            return None;
        }
        if self.progress.state == SyncState::Paused {
            self.notice = Some("The sync is paused: p resumes it".into());
            return None;
        }
        if self.progress.state.is_running() {
            self.notice = Some("A sync is running already: p pauses it, q stops it".into());
            return None;
        }
        Some(SyncCommand::Start)
    }

    /// `p`: pauses or resumes this app's sync; another process's sync is
    /// not this app's to pause.
    fn toggle_pause(&mut self) -> Option<SyncCommand> {
        if let Some(holder) = self.other_sync() {
            self.notice = Some(format!(
                "Another process is syncing this database ({}): pause it there",
                holder.describe()
            ));
            return None;
        }
        Some(SyncCommand::TogglePause)
    }

    /// Scrolls the help, within its length at this screen size.
    fn scroll_help(&mut self, action: Action) {
        let total = crate::tui::view::help::line_count(self.screen);
        // The overlay's borders take two rows.
        let page = usize::from(self.screen.height.saturating_sub(2)).max(1);
        let last = total.saturating_sub(page);
        let at = self.help_scroll.min(last);
        self.help_scroll = match action {
            Action::Up => at.saturating_sub(1),
            Action::Down => at + 1,
            Action::PageUp => at.saturating_sub(page),
            Action::PageDown => at + page,
            Action::Top => 0,
            _ => last,
        }
        .min(last);
    }

    /// The mode's matchup list from the loader's last answer, the selection
    /// kept at its index.
    fn refill_matchups(&mut self) {
        let rows = self
            .hero_mode
            .rows(&self.matchup_rows, self.matchups_by_rate);
        let page = self.page();
        self.matchups.set(rows, page);
    }

    /// `R`: every failure, given-up match and API-error stub is asked for
    /// again, now or once the running sync ends; with none, says so.
    fn retry_all(&mut self) -> Option<SyncCommand> {
        let c = self.counts;
        let failed = c.failed + c.given_up;
        if failed + c.api_errors == 0 {
            self.notice = Some("Nothing to retry: no failed matches, no API errors".into());
            return None;
        }
        let what = match (failed, c.api_errors) {
            (0, n) => plural(n, "API error"),
            (n, 0) => plural(n, "failed match"),
            (n, m) => format!(
                "{} and {}",
                plural(n, "failed match"),
                plural(m, "API error")
            ),
        };
        let when = if self.progress.state.is_running() {
            "once this sync ends"
        } else {
            "now"
        };
        self.notice = Some(format!("Retrying {what} {when}"));
        Some(SyncCommand::RetryAllFailed)
    }

    /// The match `r`, `o` and `y` act on: the one in the details, else the
    /// selected row.
    fn target_match(&self) -> Option<i64> {
        match &self.details {
            Some(details) => Some(details.match_id),
            None => self.selected_match(),
        }
    }

    /// The match selected in the current view (matches, records, errors).
    pub fn selected_match(&self) -> Option<i64> {
        match self.view {
            View::Matches => self
                .matches
                .as_ref()
                .and_then(|l| l.selected_row())
                .map(|r| r.match_id),
            View::Errors => self.errors.selected().map(|r| r.match_id),
            View::Records => self.records.selected().map(|r| r.match_id),
            View::Overview | View::Heroes | View::Teammates | View::When => None,
        }
    }

    /// Enter: a match opens its details; a hero or a player shows the
    /// matches with them.
    fn open_selected(&mut self) {
        if self.view == View::Heroes && self.hero_mode != HeroMode::Played {
            // No filter word names another player's hero: say so.
            self.notice =
                Some("Enter lists the matches of a hero you played: v shows those again".into());
            return;
        }
        let word = match self.view {
            View::Heroes => self.heroes.selected().map(|h| {
                // The hero's name, spelled so the filter line reads it back.
                let name = crate::assets::hero_name(h.hero_id).to_lowercase();
                format!("hero:{}", name.replace(' ', "_"))
            }),
            View::Teammates => self
                .teammates
                .selected()
                .map(|p| format!("with:{}", p.account_id)),
            _ => None,
        };
        if let Some(word) = word {
            let prefix = word.split(':').next().unwrap_or_default().to_string() + ":";
            let mut words: Vec<&str> = self
                .filter
                .text
                .split_whitespace()
                .filter(|w| !w.starts_with(&prefix))
                .collect();
            words.push(&word);
            self.filter.text = words.join(" ");
            self.apply_filter();
            self.show_view(View::Matches);
            return;
        }
        if let Some(id) = self.selected_match() {
            self.load_details(id);
        }
    }

    fn show_view(&mut self, view: View) {
        self.view = view;
        self.reload_recent(true);
        self.load_view_list();
    }

    /// Asks for the list of the view on screen.
    fn load_view_list(&mut self) {
        let filter = self.filter.applied.clone();
        let query = match self.view {
            View::Matches => return,
            View::Overview => return self.request_overview(),
            View::Heroes if self.hero_mode != HeroMode::Played => SlowQuery::HeroMatchups(filter),
            View::Heroes => SlowQuery::Heroes(filter),
            View::Teammates => SlowQuery::Teammates(filter),
            View::Records => SlowQuery::Records(filter),
            View::Errors => SlowQuery::Errors,
            View::When => SlowQuery::When {
                filter,
                zone: self.zone(),
            },
        };
        self.request(query);
    }

    /// The short list on screen, if the view is one.
    fn short_list(&mut self) -> Option<(&mut crate::tui::state::scroll::Scroll, usize)> {
        Some(match self.view {
            View::Heroes if self.hero_mode != HeroMode::Played => {
                (&mut self.matchups.scroll, self.matchups.rows.len())
            }
            View::Heroes => (&mut self.heroes.scroll, self.heroes.rows.len()),
            View::Teammates => (&mut self.teammates.scroll, self.teammates.rows.len()),
            View::Records => (&mut self.records.scroll, self.records.rows.len()),
            View::Errors => (&mut self.errors.scroll, self.errors.rows.len()),
            View::Matches | View::Overview | View::When => return None,
        })
    }

    fn move_by(&mut self, delta: i64) {
        let page = self.page();
        if self.view == View::Matches {
            let result = match self.matches.as_mut() {
                Some(list) => list.move_by(&self.store, delta),
                None => Ok(()),
            };
            return self.note_result(result);
        }
        if let Some((scroll, len)) = self.short_list() {
            scroll.move_by(delta as isize, len, page);
        }
    }

    fn page_by(&mut self, pages: i64) {
        if self.view == View::Matches {
            let result = match self.matches.as_mut() {
                Some(list) => list.page_by(&self.store, pages),
                None => Ok(()),
            };
            return self.note_result(result);
        }
        self.move_by(pages * i64::from(self.list_page));
    }

    fn jump_to_end(&mut self, last: bool) {
        let page = self.page();
        if self.view == View::Matches {
            let result = match self.matches.as_mut() {
                Some(list) if last => list.bottom(&self.store),
                Some(list) => list.top(&self.store),
                None => Ok(()),
            };
            return self.note_result(result);
        }
        if let Some((scroll, len)) = self.short_list() {
            if last {
                scroll.bottom(len, page);
            } else {
                scroll.top();
            }
        }
    }

    /// A click: on a tab shows it; on a list row selects it.
    fn click(&mut self, column: u16, row: u16) {
        if self.details.is_some() || self.help_open {
            return;
        }
        let screen = layout::screen_with(self.screen, self.sync_rows());
        if row == screen.tabs.y {
            let mut x = screen.tabs.x;
            for (view, label) in self.tab_labels() {
                let width = label.chars().count() as u16;
                if (x..x + width).contains(&column) {
                    return self.show_view(view);
                }
                x += width;
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
        let line = usize::from(line);
        let page = self.page();
        match self.view {
            View::Matches => {
                let result = match self.matches.as_mut() {
                    Some(list) => {
                        let target = list.offset() + line as u64;
                        let delta = target as i64 - list.selected_index() as i64;
                        if target < list.total() {
                            list.move_by(&self.store, delta)
                        } else {
                            Ok(())
                        }
                    }
                    None => Ok(()),
                };
                self.note_result(result);
            }
            View::Heroes if self.hero_mode != HeroMode::Played => self.matchups.click(line, page),
            View::Heroes => self.heroes.click(line, page),
            View::Teammates => self.teammates.click(line, page),
            View::Records => self.records.click(line, page),
            View::Errors => self.errors.click(line, page),
            View::Overview | View::When => {}
        }
    }

    /// Reads the filter line; every view shows what it keeps. Text that
    /// cannot be read leaves the last good filter in place and says why.
    fn apply_filter(&mut self) {
        let now = self.settings.clock.now().timestamp();
        let filter = match parse_query(&self.filter.text, now) {
            Ok(filter) => {
                self.filter.problem = None;
                filter
            }
            Err(problem) => {
                self.filter.problem = Some(problem.0);
                return;
            }
        };
        if filter == self.filter.applied {
            return;
        }
        self.filter.applied = filter.clone();
        let result = match self.matches.as_mut() {
            Some(list) => list.set_filter(&self.store, filter),
            None => Ok(()),
        };
        self.note_result(result);
        self.reload_recent(true);
        self.request_overview();
        self.load_view_list();
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
        let accounts: Vec<u32> = view
            .iter()
            .flat_map(|v| v.players.iter().filter_map(|p| p.account_id))
            .chain(self.settings.account_id.map(i64::from))
            .filter_map(|id| u32::try_from(id).ok())
            .collect();
        let names = match self.store.names_of(&accounts) {
            Ok(names) => names
                .into_iter()
                .map(|(id, name)| (i64::from(id), name))
                .collect(),
            Err(e) => return self.note_error(&e),
        };
        self.details = Some(Details {
            match_id,
            view,
            tracked_slot,
            names,
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

/// Whether this session has seen a run at all (the engine publishes a
/// non-idle state as soon as one starts).
pub fn has_run(progress: &Progress) -> bool {
    progress.state != SyncState::Idle || progress.collect.collected > 0
}

/// `1 failed match`, `3 failed matches`.
fn plural(n: u64, what: &str) -> String {
    match (n, what.strip_suffix("match")) {
        (1, _) => format!("1 {what}"),
        (_, Some(stem)) => format!("{n} {stem}matches"),
        (_, None) => format!("{n} {what}s"),
    }
}

/// Where OpenDota shows a match.
pub fn opendota_match_url(match_id: i64) -> String {
    format!("https://www.opendota.com/matches/{match_id}")
}

/// The one line left in the notice area when a run ends.
fn finished_notice(summary: &crate::sync::Summary) -> String {
    let how = match &summary.outcome {
        RunOutcome::Completed => "Sync complete".to_string(),
        RunOutcome::Stopped => "Sync stopped".to_string(),
        // Each host that was down and why, when the run knows; else one
        // reason, whether the API is down or the network unreachable.
        RunOutcome::ApiDown if !summary.down.is_empty() => format!(
            "Sync ended, no answer from the API ({})",
            sanitize(&crate::sync::down_list(&summary.down))
        ),
        RunOutcome::ApiDown => {
            "Sync ended, no answer from the API (down, or no network)".to_string()
        }
        RunOutcome::DailyLimit { resets_at } => format!(
            "Daily API limit reached (resets {})",
            resets_at.format("%Y-%m-%d %H:%M UTC")
        ),
        RunOutcome::Fatal { message } => format!("Sync failed: {}", sanitize(message)),
    };
    let advice = match summary.outcome {
        RunOutcome::ApiDown => "; s tries again",
        _ => "",
    };
    // No failure count here: the lines above give it as the database
    // counts it, and a second, different number would disagree with them.
    format!(
        "{how}: {} new IDs, {} details fetched, {} still without data{advice}",
        summary.new_ids, summary.details_fetched, summary.stubs_left
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
        assert_eq!(app.hero_sort, HeroSort::WinRate);
        for _ in 0..6 {
            press(&mut app, KeyCode::Char('c'));
        }
        assert_eq!(app.hero_sort, HeroSort::Games);
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
}
