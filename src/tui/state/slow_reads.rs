//! Slow-read bookkeeping: which loader requests are still unanswered (an
//! older answer than the newest request of its kind is dropped), what the
//! engine's writes made stale, and the pace of re-reading it (the visible
//! rows at most once a tick, the whole-account reads every
//! `SLOW_REFRESH_TICKS`).

use std::collections::HashMap;
use std::path::Path;

use tokio::sync::mpsc;

use super::loader::{Loader, QueryKind, SlowQuery, SlowResult};
use crate::store::StoreError;

/// How many rows the errors and teammates views read: enough to browse,
/// bounded so a pathological database cannot stall the UI.
pub const SHORT_LIST_LIMIT: usize = 2_000;

/// Ticks (of 100 ms in the event loop) between two re-reads of the counts
/// and the short lists while the engine keeps writing.
pub const SLOW_REFRESH_TICKS: u64 = 10;

/// What needs re-reading after engine events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stale {
    /// Matches were added: the total and positions changed.
    pub total: bool,
    /// Matches changed in place: only the rows loaded.
    pub rows: bool,
    /// Counts, statistics and the short lists.
    pub slow: bool,
}

/// What a tick should re-read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// The rows on screen; `Some(true)` when the list changed shape.
    pub rows: Option<bool>,
    /// The slow queries.
    pub slow: bool,
}

#[derive(Default)]
pub struct SlowReads {
    /// Runs the slow queries off the UI task; `None` on the first-run screen.
    loader: Option<Loader>,
    /// Where the loader answers, until the event loop takes it.
    results: Option<mpsc::UnboundedReceiver<SlowResult>>,
    /// The newest request of each kind not answered yet.
    outstanding: HashMap<QueryKind, u64>,
    stale: Stale,
    /// Render ticks so far; paces the slow re-queries.
    ticks: u64,
    due_at_tick: u64,
}

impl SlowReads {
    /// Starts the loader for `account` (none on the first-run screen).
    pub fn start(db_path: &Path, account: Option<u32>) -> Result<SlowReads, StoreError> {
        let mut reads = SlowReads::default();
        if let Some(account) = account {
            let (loader, results) = Loader::spawn(db_path, account, SHORT_LIST_LIMIT)?;
            reads.loader = Some(loader);
            reads.results = Some(results);
        }
        Ok(reads)
    }

    pub fn request(&mut self, query: SlowQuery) {
        if let Some(loader) = self.loader.as_mut() {
            let kind = query.kind();
            let seq = loader.request(query);
            self.outstanding.insert(kind, seq);
        }
    }

    pub fn take_results(&mut self) -> Option<mpsc::UnboundedReceiver<SlowResult>> {
        self.results.take()
    }

    /// The next answer while some request is unanswered (blocks the
    /// thread); `None` when none is, or the event loop took the answers.
    pub fn wait(&mut self) -> Option<SlowResult> {
        if self.outstanding.is_empty() {
            return None;
        }
        self.results.as_mut()?.blocking_recv()
    }

    pub fn is_loading(&self) -> bool {
        !self.outstanding.is_empty()
    }

    /// Whether to apply `result`: not when a newer request of its kind is
    /// on its way.
    pub fn accept(&mut self, result: &SlowResult) -> bool {
        match self.outstanding.get(&result.kind) {
            Some(&newest) if result.seq < newest => false,
            Some(_) => {
                self.outstanding.remove(&result.kind);
                true
            }
            None => true,
        }
    }

    /// Notes what the engine changed; re-read on the next tick.
    pub fn mark(&mut self, total: bool, rows: bool) {
        self.stale.total |= total;
        self.stale.rows |= rows;
        self.stale.slow = true;
    }

    /// A run ended: everything is re-read on the next tick.
    pub fn mark_everything(&mut self) {
        self.stale = Stale {
            total: true,
            rows: true,
            slow: true,
        };
        self.due_at_tick = self.ticks;
    }

    /// Everything was just re-read.
    pub fn clear(&mut self) {
        self.stale = Stale::default();
    }

    pub fn has_stale(&self) -> bool {
        self.stale != Stale::default()
    }

    /// One tick: what is due now, taken off the stale marks.
    pub fn tick(&mut self) -> Due {
        self.ticks += 1;
        let rows = (self.stale.total || self.stale.rows).then_some(self.stale.total);
        self.stale.total = false;
        self.stale.rows = false;
        let slow = self.stale.slow && self.ticks >= self.due_at_tick;
        if slow {
            self.stale.slow = false;
            self.due_at_tick = self.ticks + SLOW_REFRESH_TICKS;
        }
        Due { rows, slow }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::state::loader::{QueryKind, SlowAnswer};

    fn answer(kind: QueryKind, seq: u64) -> SlowResult {
        SlowResult {
            kind,
            seq,
            answer: SlowAnswer::Failed(String::new()),
        }
    }

    #[test]
    fn an_answer_older_than_the_newest_request_is_dropped() {
        let mut reads = SlowReads::default();
        reads.outstanding.insert(QueryKind::Heroes, 5);
        assert!(!reads.accept(&answer(QueryKind::Heroes, 4)));
        assert!(reads.is_loading());
        assert!(reads.accept(&answer(QueryKind::Heroes, 5)));
        assert!(!reads.is_loading());
        // Nothing asked (the event loop's own refresh): applied.
        assert!(reads.accept(&answer(QueryKind::Counts, 1)));
    }

    #[test]
    fn rows_are_due_every_tick_the_slow_reads_every_few() {
        let mut reads = SlowReads::default();
        assert_eq!(
            reads.tick(),
            Due {
                rows: None,
                slow: false
            }
        );
        reads.mark(true, false);
        assert_eq!(
            reads.tick(),
            Due {
                rows: Some(true),
                slow: true
            }
        );
        reads.mark(false, true);
        assert_eq!(
            reads.tick(),
            Due {
                rows: Some(false),
                slow: false
            }
        );
        assert!(reads.has_stale(), "the slow reads wait their turn");
        for _ in 0..SLOW_REFRESH_TICKS - 2 {
            assert!(!reads.tick().slow);
        }
        assert!(reads.tick().slow);
        assert!(!reads.has_stale());
        // A run's end: everything, at once.
        reads.mark_everything();
        assert_eq!(
            reads.tick(),
            Due {
                rows: Some(true),
                slow: true
            }
        );
    }
}
