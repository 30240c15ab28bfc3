//! The one list trait: what every list on screen (the match list read in
//! windows, the short lists held whole) has in common, so moving, paging,
//! jumping and clicking are written once, here.
//!
//! Lists read by key need the store to move (a window may need re-reading);
//! lists in memory ignore it.

use crate::store::{Store, StoreError};

pub trait ListState {
    /// Rows in the list.
    fn total(&self) -> u64;
    /// Absolute index of the selected row.
    fn selected_index(&self) -> u64;
    /// Absolute index of the first row shown.
    fn offset(&self) -> u64;
    /// Rows shown at once.
    fn page(&self) -> u64;
    /// Selects row `index` (within the list), the view following it.
    fn select(&mut self, store: &Store, index: u64) -> Result<(), StoreError>;
    /// Shows `rows` rows at once, the selection kept on screen.
    fn set_page(&mut self, store: &Store, rows: u16) -> Result<(), StoreError>;

    /// The first row.
    fn top(&mut self, store: &Store) -> Result<(), StoreError> {
        self.select(store, 0)
    }

    /// The last row.
    fn bottom(&mut self, store: &Store) -> Result<(), StoreError> {
        self.select(store, self.total().saturating_sub(1))
    }

    /// Moves the selection by `delta` rows, stopping at either end.
    fn move_by(&mut self, store: &Store, delta: i64) -> Result<(), StoreError> {
        let Some(last) = self.total().checked_sub(1) else {
            return Ok(());
        };
        let index = self.selected_index().saturating_add_signed(delta).min(last);
        self.select(store, index)
    }

    /// Moves a page (a list read in windows also scrolls the view by one).
    fn page_by(&mut self, store: &Store, pages: i64) -> Result<(), StoreError> {
        let rows = i64::try_from(self.page()).unwrap_or(i64::MAX);
        self.move_by(store, pages.saturating_mul(rows))
    }

    /// Selects the row shown `line` rows below the first one shown, if any.
    fn click(&mut self, store: &Store, line: usize) -> Result<(), StoreError> {
        let index = self.offset() + line as u64;
        if index < self.total() {
            self.select(store, index)?;
        }
        Ok(())
    }
}
