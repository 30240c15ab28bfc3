//! What the views, the event loop and the tests read of the App (and the
//! few flags they set): each a line over the sub-state that owns it.

use tokio::sync::mpsc;

use super::app::{App, Effect};
use super::loader::SlowResult;
use super::match_list::MatchList;
use super::tab_labels::tab_labels;
use crate::store::stats::{HeroStats, Overview, PeerStats, RecordRow, WhenStats, Zone};
use crate::store::{Counts, ErrorRow};
use crate::sync::Progress;
use crate::tui::format::{Clock, sanitize};
use crate::tui::input::action::View;
use crate::tui::input::keymap::Context;
use crate::tui::state::details_pane::Details;
use crate::tui::state::filter_line::FilterInput;

impl App {
    /// The loader's answers, for the event loop to select on. After this,
    /// `settle` has nothing to wait on.
    pub fn take_slow_results(&mut self) -> Option<mpsc::UnboundedReceiver<SlowResult>> {
        self.slow.take_results()
    }

    /// Whether some slow query has not been answered yet.
    pub fn is_loading(&self) -> bool {
        self.slow.is_loading()
    }

    pub fn account_id(&self) -> Option<u32> {
        self.settings.account_id
    }

    pub fn view(&self) -> View {
        self.view
    }

    pub fn progress(&self) -> &Progress {
        &self.sync.progress
    }

    pub fn matches(&self) -> Option<&MatchList> {
        self.lists.matches.as_ref()
    }

    pub fn details(&self) -> Option<&Details> {
        self.details.shown.as_ref()
    }

    pub fn filter(&self) -> &FilterInput {
        &self.filter
    }

    pub fn overview(&self) -> Option<&Overview> {
        self.overview.as_ref()
    }

    pub fn heroes(&self) -> &[HeroStats] {
        &self.lists.heroes.rows
    }

    pub fn teammates(&self) -> &[PeerStats] {
        &self.lists.teammates.rows
    }

    pub fn records(&self) -> &[RecordRow] {
        &self.lists.records.rows
    }

    pub fn errors(&self) -> &[ErrorRow] {
        &self.lists.errors.rows
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
        self.help.open
    }

    pub fn notice(&self) -> Option<&str> {
        self.sync.notice.as_deref()
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
        self.dirty || self.slow.has_stale()
    }

    /// Marks that a redraw is needed (the clock moved relative times...).
    pub fn mark_dirty(&mut self) {
        self.dirty = true;
    }

    /// Called after a draw.
    pub fn mark_drawn(&mut self) {
        self.dirty = false;
    }

    /// A line for the notice area from the UI itself.
    pub fn set_notice(&mut self, text: String) {
        self.sync.notice = Some(sanitize(&text));
        self.dirty = true;
    }

    /// The database cannot be written (`status` and `export` read such a
    /// file too): the UI browses it, and the keys that would sync say why not.
    pub fn set_read_only(&mut self) {
        self.sync.set_read_only();
        self.dirty = true;
    }

    /// Where keys go now.
    pub fn context(&self) -> Context {
        if self.settings.account_id.is_none() {
            Context::FirstRun
        } else if self.help.open {
            Context::Help
        } else if self.filter.editing {
            Context::Filter
        } else if self.details.is_open() {
            Context::Details
        } else {
            Context::List(self.view)
        }
    }

    /// The tab labels, in order, with the counts the screen has room for.
    pub fn tab_labels(&self) -> Vec<(View, String)> {
        tab_labels(self.counts.matches, self.error_count(), self.screen.width)
    }

    /// What the errors view lists: failures, given-up matches and the
    /// stubs an API error left.
    pub fn error_count(&self) -> u64 {
        self.counts.failed + self.counts.given_up + self.counts.api_errors
    }

    /// Whether the Overview has games to summarise (its layout follows).
    pub fn has_stats(&self) -> bool {
        self.overview.as_ref().is_some_and(|o| o.record.games > 0)
    }

    /// Rows the sync block takes (see [`SyncPanel::rows`]).
    ///
    /// [`SyncPanel::rows`]: super::sync_panel::SyncPanel::rows
    pub fn sync_rows(&self) -> u16 {
        self.sync.rows(self.screen)
    }

    pub fn summary_lines(&self) -> u16 {
        self.sync.summary_lines(self.screen)
    }

    pub fn source_lines(&self) -> u16 {
        self.sync.source_lines()
    }

    /// The match selected in the current view (matches, records, errors).
    pub fn selected_match(&self) -> Option<i64> {
        self.lists.selected_match(self.view)
    }
}
