//! How the App keeps what is on screen current: engine events and
//! progress, the render tick, the loader's answers and the requests that
//! ask for them. What is stale and when it is due is `SlowReads`'; this is
//! where the answers land in the sub-states that show them.

use ratatui::layout::Rect;

use super::app::App;
use super::loader::{SlowAnswer, SlowQuery, SlowResult};
use crate::sync::{Progress, SyncEvent};
use crate::tui::input::action::View;
use crate::tui::layout;

impl App {
    /// Fits the lists to a new screen size.
    pub fn resize(&mut self, screen: Rect) {
        let sync_rows = self.sync.rows(screen);
        let rows = layout::list_rows_with(screen, sync_rows);
        let body = layout::screen_with(screen, sync_rows).body;
        let recent_rows = layout::overview_recent_rows(body, self.has_stats());
        if (screen, rows, recent_rows) == (self.screen, self.lists.page(), self.recent.page) {
            return;
        }
        self.screen = screen;
        if self.recent.page != recent_rows {
            self.recent.page = recent_rows;
            self.reload_recent(false);
        }
        let result = self.lists.set_page(&self.store, rows);
        self.note_result(result);
        self.dirty = true;
    }

    /// Waits until the loader has answered every request (tests, benches:
    /// the same path as users, waited for). Blocks the thread.
    pub fn settle(&mut self) {
        while let Some(result) = self.slow.wait() {
            self.apply_slow_result(result);
        }
    }

    /// The Overview's newest matches, re-read when it is on screen.
    /// `from_top`: the list changed shape (see [`Recent::load`]).
    pub(super) fn reload_recent(&mut self, from_top: bool) {
        let Some(account) = self.settings.account_id else {
            return;
        };
        if self.view != View::Overview || self.recent.page == 0 {
            return;
        }
        let follow = self.sync.progress.state.is_running();
        let (filter, rows) = (&self.filter.applied, self.recent.page);
        let result = self
            .recent
            .load(&self.store, account, filter, rows, follow, from_top);
        self.note_result(result);
        self.dirty = true;
    }

    /// A new progress snapshot from the engine.
    pub fn set_progress(&mut self, progress: Progress) {
        let Some(started_or_ended) = self.sync.set_progress(progress) else {
            return;
        };
        self.dirty = true;
        // The block's height may have changed (a run began, a source
        // joined): the lists refit.
        self.resize(self.screen);
        if started_or_ended {
            self.reload_recent(true);
        }
    }

    /// A discrete event from the engine. Database changes are only noted
    /// here; the re-query happens once per tick however many arrive.
    pub fn handle_sync_event(&mut self, event: SyncEvent) {
        match event {
            // New IDs change the total and shift positions.
            SyncEvent::StubsSaved { .. } => self.slow.mark(true, false),
            // A fetch changes rows in place; the list keeps its shape.
            SyncEvent::MatchFetched { .. } | SyncEvent::MatchFailed { .. } => {
                self.slow.mark(false, true)
            }
            SyncEvent::Notice(text) => {
                self.sync.say(&text);
                self.dirty = true;
            }
            SyncEvent::Finished(summary) => {
                self.sync.finished(&summary);
                self.slow.mark_everything();
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
        let due = self.slow.tick();
        if let Some(reshaped) = due.rows {
            let result = match self.lists.matches.as_mut() {
                Some(list) if reshaped => list.reload(&self.store),
                Some(list) => list.reread_rows(&self.store),
                None => Ok(()),
            };
            self.note_result(result);
            self.reload_details();
            self.reload_recent(reshaped);
            self.dirty = true;
        }
        if due.slow {
            self.refresh_slow();
        }
        self.dirty
    }

    /// Re-reads everything on screen from the database.
    pub fn refresh(&mut self) {
        self.slow.clear();
        self.dirty = true;
        let result = match self.lists.matches.as_mut() {
            Some(list) => list.reload(&self.store),
            None => Ok(()),
        };
        self.note_result(result);
        self.reload_details();
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
            Ok(job) => self.sync.last_source = job.and_then(|j| j.source),
            Err(e) => self.note_error(&e),
        }
        self.slow.request(SlowQuery::Counts);
        self.request_overview();
        self.load_view_list();
        self.dirty = true;
    }

    pub(super) fn request_overview(&mut self) {
        let now = self.settings.clock.now().timestamp();
        let filter = self.filter.applied.clone();
        self.slow.request(SlowQuery::Overview { filter, now });
    }

    /// An answer from the loader. One older than the newest request of its
    /// kind is dropped: the newer answer is on its way.
    pub fn apply_slow_result(&mut self, result: SlowResult) {
        if !self.slow.accept(&result) {
            return;
        }
        match result.answer {
            SlowAnswer::Counts(counts) => self.counts = counts,
            SlowAnswer::Overview(overview) => self.overview = Some(*overview),
            SlowAnswer::When(when) => self.when = Some(*when),
            SlowAnswer::Failed(message) => self.sync.error = Some(message),
            list => self.lists.apply(list),
        }
        self.dirty = true;
    }

    /// Asks for the list of the view on screen.
    pub(super) fn load_view_list(&mut self) {
        let filter = self.filter.applied.clone();
        match self.view {
            View::Overview => self.request_overview(),
            View::When => {
                let zone = self.zone();
                self.slow.request(SlowQuery::When { filter, zone });
            }
            view => {
                if let Some(query) = self.lists.query(view, filter) {
                    self.slow.request(query);
                }
            }
        }
    }

    /// Shows `match_id` in the details overlay.
    pub(super) fn load_details(&mut self, match_id: i64) {
        let account = self.settings.account_id;
        let result = self.details.load(&self.store, account, match_id);
        self.note_result(result);
    }

    fn reload_details(&mut self) {
        if let Some(id) = self.details.match_id() {
            self.load_details(id);
        }
    }

    pub(super) fn show_view(&mut self, view: View) {
        self.view = view;
        self.reload_recent(true);
        self.load_view_list();
    }

    /// Reads the filter line; every view shows what it keeps.
    pub(super) fn apply_filter(&mut self) {
        let now = self.settings.clock.now().timestamp();
        let Some(filter) = self.filter.read(now) else {
            return;
        };
        let result = match self.lists.matches.as_mut() {
            Some(list) => list.set_filter(&self.store, filter),
            None => Ok(()),
        };
        self.note_result(result);
        self.reload_recent(true);
        self.request_overview();
        self.load_view_list();
    }
}
