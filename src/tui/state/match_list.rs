//! The match list's position and its window of rows.
//!
//! A list can hold 100,000 matches, so it is never loaded whole: the state
//! keeps the total, the selected row and the first visible row as absolute
//! indexes, and a window of about three screens of rows queried by key
//! (never by a large OFFSET) around what is visible. Moving within the window
//! costs nothing; moving past its edges re-anchors it on the nearest known key.
//! Every order (`c`: newest first, oldest first, by a column) is such a key.

use super::list_state::ListState;
use crate::store::{
    ListFilter, ListOrder, MatchListRow, Store, StoreError, WindowAnchor, WindowKey,
};

/// Screens read on each side of the view in a column order. Each read
/// there sorts the whole (filtered) list, tens of milliseconds at 100,000
/// matches whatever the window's size, so the window is wider and read
/// more rarely; by time, a read is a short index range and one screen will do.
const COLUMN_ORDER_SCREENS: u64 = 6;

/// How many rows the mouse wheel moves.
pub const WHEEL_STEP: i64 = 3;

#[derive(Debug, Clone)]
pub struct MatchList {
    account_id: u32,
    filter: ListFilter,
    order: ListOrder,
    /// Rows in the (filtered) list.
    total: u64,
    /// Absolute index of the selected row (0 = newest).
    selected: u64,
    /// Absolute index of the first visible row.
    offset: u64,
    /// Rows the screen shows at once.
    page: u64,
    /// Rows `window_start..window_start + window.len()` of the list.
    window: Vec<MatchListRow>,
    window_start: u64,
    /// Queries made since creation: lets tests check that moving within the
    /// window does not touch the database.
    queries: u64,
}

impl MatchList {
    pub fn new(account_id: u32) -> MatchList {
        MatchList {
            account_id,
            filter: ListFilter::none(),
            order: ListOrder::default(),
            total: 0,
            selected: 0,
            offset: 0,
            page: 10,
            window: Vec::new(),
            window_start: 0,
            queries: 0,
        }
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    pub fn selected_index(&self) -> u64 {
        self.selected
    }

    pub fn offset(&self) -> u64 {
        self.offset
    }

    pub fn filter(&self) -> &ListFilter {
        &self.filter
    }

    pub fn order(&self) -> ListOrder {
        self.order
    }

    pub fn window_len(&self) -> usize {
        self.window.len()
    }

    pub fn queries(&self) -> u64 {
        self.queries
    }

    fn window_end(&self) -> u64 {
        self.window_start + self.window.len() as u64
    }

    fn row_at(&self, index: u64) -> Option<&MatchListRow> {
        let local = index.checked_sub(self.window_start)?;
        self.window.get(usize::try_from(local).ok()?)
    }

    pub fn selected_row(&self) -> Option<&MatchListRow> {
        self.row_at(self.selected)
    }

    /// The rows on screen, from `offset()`, at most one page.
    pub fn visible_rows(&self) -> &[MatchListRow] {
        let start = self.offset.saturating_sub(self.window_start) as usize;
        let start = start.min(self.window.len());
        let end = (start + self.page as usize).min(self.window.len());
        &self.window[start..end]
    }

    /// Re-reads the total and the window, keeping the selected match selected
    /// (its index may shift as new matches arrive) on the same screen line.
    pub fn reload(&mut self, store: &Store) -> Result<(), StoreError> {
        let line = self.selected.saturating_sub(self.offset);
        let anchor = self.selected_row().map(MatchListRow::key);
        self.total = store.match_count(self.account_id, &self.filter)?;
        self.queries += 1;
        self.window.clear();
        if self.total == 0 {
            self.selected = 0;
            self.offset = 0;
            return Ok(());
        }
        let anchor = match anchor {
            Some(key) => {
                let position =
                    store.match_position_in(self.account_id, &self.filter, self.order, key)?;
                self.queries += 1;
                self.selected = position.min(self.total - 1);
                Some((key, position))
            }
            None => {
                self.selected = self.selected.min(self.total - 1);
                None
            }
        };
        self.offset = self.selected.saturating_sub(line);
        self.clamp_offset();
        self.fill_window(store, anchor)
    }

    /// Re-reads the rows loaded, in place: for changes that do not add or
    /// remove matches (a fetch succeeded or failed). One query, by key.
    pub fn reread_rows(&mut self, store: &Store) -> Result<(), StoreError> {
        let Some(first) = self.window.first().map(MatchListRow::key) else {
            return self.reload(store);
        };
        let len = self.window.len() as u64;
        self.window = self.query(store, WindowAnchor::AtOrOlder(first), len)?;
        Ok(())
    }

    /// Shows only the rows `filter` keeps. The selected match stays
    /// selected when the new filter keeps it (clearing a filter, say);
    /// otherwise the nearest match in time is.
    pub fn set_filter(&mut self, store: &Store, filter: ListFilter) -> Result<(), StoreError> {
        let anchor = self.selected_row().map(MatchListRow::key);
        self.filter = filter;
        self.reposition(store, anchor)
    }

    /// Lists the rows in `order`, the selected match still selected.
    pub fn set_order(&mut self, store: &Store, order: ListOrder) -> Result<(), StoreError> {
        let anchor = match self.selected_row() {
            // Its place in the new order: its key there.
            Some(row) => store.list_key(self.account_id, order, row.match_id)?,
            None => None,
        };
        self.queries += 1;
        self.order = order;
        self.reposition(store, anchor)
    }

    /// Re-reads the list from scratch, selecting the row at or after
    /// `anchor` (a key in the current order and filter) on the middle line.
    fn reposition(&mut self, store: &Store, anchor: Option<WindowKey>) -> Result<(), StoreError> {
        self.window.clear();
        self.total = store.match_count(self.account_id, &self.filter)?;
        self.queries += 1;
        self.selected = 0;
        self.offset = 0;
        if self.total == 0 {
            return Ok(());
        }
        let anchor = match anchor {
            Some(key) => {
                let position =
                    store.match_position_in(self.account_id, &self.filter, self.order, key)?;
                self.queries += 1;
                self.selected = position.min(self.total - 1);
                // The selection on the middle line, where there is room.
                self.offset = self.selected.saturating_sub(self.page / 2);
                Some((key, position))
            }
            None => None,
        };
        self.clamp_offset();
        self.fill_window(store, anchor)
    }

    /// Keeps the selection on screen.
    fn follow_selection(&mut self) {
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + self.page {
            self.offset = self.selected + 1 - self.page;
        }
        self.clamp_offset();
    }

    fn clamp_offset(&mut self) {
        let max_offset = self.total.saturating_sub(self.page);
        self.offset = self.offset.min(max_offset).min(self.selected);
        if self.selected >= self.offset + self.page {
            self.offset = self.selected + 1 - self.page;
        }
    }

    /// Re-anchors the window when the visible rows are not all in it.
    fn ensure_window(&mut self, store: &Store) -> Result<(), StoreError> {
        let needed_end = (self.offset + self.page).min(self.total);
        if self.offset >= self.window_start && needed_end <= self.window_end() {
            return Ok(());
        }
        let anchor = if self.window.is_empty() {
            None
        } else {
            // The known row nearest to the view: the least to read from it.
            let index = self.offset.clamp(self.window_start, self.window_end() - 1);
            self.row_at(index).map(|row| (row.key(), index))
        };
        self.fill_window(store, anchor)
    }

    /// Loads one screen before the view, the view and one screen after it.
    fn fill_window(
        &mut self,
        store: &Store,
        anchor: Option<(WindowKey, u64)>,
    ) -> Result<(), StoreError> {
        let (mut lo, mut hi) = self.wanted_range();
        if lo > 0 && anchor.is_none() {
            // Nothing known to anchor on (the window was lost): start over
            // from the newest rather than read every row up to the selection.
            self.selected = 0;
            self.offset = 0;
            (lo, hi) = self.wanted_range();
        }
        let (rows, start) = match anchor {
            Some((key, at)) if lo > 0 => {
                // What the window already holds is not read again: paging
                // on re-anchors at its edge, so one side is usually known.
                let newer = match self.known_rows(lo, at) {
                    Some(rows) => rows,
                    None if at > lo => self.query(store, WindowAnchor::NewerThan(key), at - lo)?,
                    None => Vec::new(),
                };
                let older = match self.known_rows(at, hi) {
                    Some(rows) => rows,
                    None if hi > at => self.query(store, WindowAnchor::AtOrOlder(key), hi - at)?,
                    None => Vec::new(),
                };
                let start = at - newer.len() as u64;
                let mut rows = newer;
                rows.extend(older);
                (rows, start)
            }
            _ => (self.query(store, WindowAnchor::Newest, hi)?, 0),
        };
        // Keep only lo..hi: an anchor outside it brought rows we do not need.
        let skip = lo.saturating_sub(start) as usize;
        let take = (hi - lo) as usize;
        self.window = rows.into_iter().skip(skip).take(take).collect();
        self.window_start = start.max(lo);
        Ok(())
    }

    /// Rows `from..to` of the list, if the window holds them all.
    fn known_rows(&self, from: u64, to: u64) -> Option<Vec<MatchListRow>> {
        if from >= to || from < self.window_start || to > self.window_end() {
            return None;
        }
        let first = (from - self.window_start) as usize;
        Some(self.window[first..first + (to - from) as usize].to_vec())
    }

    /// One screen before the view to one screen after it, within the list;
    /// in a column order, [`COLUMN_ORDER_SCREENS`] each side.
    fn wanted_range(&self) -> (u64, u64) {
        let margin = if self.order.by_column() {
            self.page * COLUMN_ORDER_SCREENS
        } else {
            self.page
        };
        let lo = self.offset.saturating_sub(margin);
        let hi = (self.offset + self.page + margin).min(self.total);
        (lo, hi)
    }

    fn query(
        &mut self,
        store: &Store,
        anchor: WindowAnchor,
        limit: u64,
    ) -> Result<Vec<MatchListRow>, StoreError> {
        self.queries += 1;
        store.match_window_in(
            self.account_id,
            &self.filter,
            self.order,
            anchor,
            limit as usize,
        )
    }
}

impl ListState for MatchList {
    fn total(&self) -> u64 {
        self.total
    }

    fn selected_index(&self) -> u64 {
        self.selected
    }

    fn offset(&self) -> u64 {
        self.offset
    }

    fn page(&self) -> u64 {
        self.page
    }

    fn select(&mut self, store: &Store, index: u64) -> Result<(), StoreError> {
        if self.total == 0 {
            return Ok(());
        }
        self.selected = index.min(self.total - 1);
        self.follow_selection();
        self.ensure_window(store)
    }

    /// Tells the list how many rows fit on screen.
    fn set_page(&mut self, store: &Store, rows: u16) -> Result<(), StoreError> {
        let rows = u64::from(rows.max(1));
        if rows == self.page {
            return Ok(());
        }
        self.page = rows;
        self.follow_selection();
        self.ensure_window(store)
    }

    /// Moves a page, scrolling the view with the selection.
    fn page_by(&mut self, store: &Store, pages: i64) -> Result<(), StoreError> {
        if self.total == 0 {
            return Ok(());
        }
        let delta = pages.saturating_mul(self.page as i64);
        self.selected = self
            .selected
            .saturating_add_signed(delta)
            .min(self.total - 1);
        self.offset = self.offset.saturating_add_signed(delta);
        self.clamp_offset();
        self.ensure_window(store)
    }

    /// The first match: the list is re-read from its start.
    fn top(&mut self, store: &Store) -> Result<(), StoreError> {
        self.selected = 0;
        self.offset = 0;
        self.window.clear();
        self.reload(store)
    }

    /// The last match: the window is read from the other end, by key.
    fn bottom(&mut self, store: &Store) -> Result<(), StoreError> {
        self.total = store.match_count(self.account_id, &self.filter)?;
        self.queries += 1;
        self.window.clear();
        if self.total == 0 {
            self.selected = 0;
            self.offset = 0;
            return Ok(());
        }
        self.selected = self.total - 1;
        self.offset = self.total.saturating_sub(self.page);
        let limit = (self.page * 2).min(self.total);
        self.window = self.query(store, WindowAnchor::Oldest, limit)?;
        self.window_start = self.total - self.window.len() as u64;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::HistoryEntry;

    const ACCOUNT: u32 = 42;

    /// A store with `n` stubs; match `i` (1-based) started at `1000 + i`, so
    /// the newest is `n` and index `k` of the list is match `n - k`.
    fn store_with(n: i64) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.db")).unwrap();
        let entries: Vec<HistoryEntry> = (1..=n)
            .map(|i| HistoryEntry {
                match_id: i,
                match_seq_num: Some(i),
                start_time: Some(1000 + i),
                lobby_type: Some(0),
                player_slot: Some(0),
                hero_id: Some(i % 5 + 1),
            })
            .collect();
        store.save_stubs(ACCOUNT, &entries).unwrap();
        (dir, store)
    }

    fn list(store: &Store, page: u16) -> MatchList {
        let mut list = MatchList::new(ACCOUNT);
        list.set_page(store, page).unwrap();
        list.reload(store).unwrap();
        list
    }

    fn selected_id(list: &MatchList) -> i64 {
        list.selected_row().unwrap().match_id
    }

    /// The window must hold consecutive list rows at the right indexes.
    fn assert_window_consistent(list: &MatchList, n: i64) {
        for (i, row) in list.window.iter().enumerate() {
            assert_eq!(row.match_id, n - (list.window_start as i64 + i as i64));
        }
        assert!(list.window.len() as u64 <= list.page * 3);
        let visible = list.visible_rows();
        assert_eq!(
            visible.len() as u64,
            list.page.min(list.total - list.offset)
        );
        assert!(list.selected >= list.offset && list.selected < list.offset + list.page);
    }

    #[test]
    fn starts_at_the_newest_with_a_bounded_window() {
        let (_dir, store) = store_with(1000);
        let list = list(&store, 10);
        assert_eq!(list.total(), 1000);
        assert_eq!(selected_id(&list), 1000);
        assert_eq!(list.window_len(), 20);
        assert_window_consistent(&list, 1000);
    }

    #[test]
    fn moving_inside_the_window_reads_nothing() {
        let (_dir, store) = store_with(1000);
        let mut list = list(&store, 10);
        let before = list.queries();
        for _ in 0..9 {
            list.move_by(&store, 1).unwrap();
        }
        assert_eq!(list.queries(), before);
        assert_eq!(selected_id(&list), 991);
    }

    #[test]
    fn moving_past_the_window_edge_reanchors_by_key() {
        let (_dir, store) = store_with(1000);
        let mut list = list(&store, 10);
        for step in 1..=250 {
            list.move_by(&store, 1).unwrap();
            assert_eq!(selected_id(&list), 1000 - step);
            assert_window_consistent(&list, 1000);
        }
        for step in 1..=250 {
            list.move_by(&store, -1).unwrap();
            assert_eq!(selected_id(&list), 750 + step);
            assert_window_consistent(&list, 1000);
        }
        // Stays at the top.
        list.move_by(&store, -1).unwrap();
        assert_eq!(selected_id(&list), 1000);
    }

    #[test]
    fn pages_and_ends() {
        let (_dir, store) = store_with(1000);
        let mut list = list(&store, 10);
        list.page_by(&store, 1).unwrap();
        assert_eq!(list.selected_index(), 10);
        assert_eq!(list.offset(), 10);
        for _ in 0..5 {
            list.page_by(&store, 1).unwrap();
            assert_window_consistent(&list, 1000);
        }
        assert_eq!(selected_id(&list), 1000 - 60);
        list.bottom(&store).unwrap();
        assert_eq!(list.selected_index(), 999);
        assert_eq!(selected_id(&list), 1);
        assert_eq!(list.offset(), 990);
        assert_window_consistent(&list, 1000);
        list.page_by(&store, 1).unwrap();
        assert_eq!(
            selected_id(&list),
            1,
            "paging past the end stays on the last row"
        );
        list.page_by(&store, -1).unwrap();
        assert_eq!(list.selected_index(), 989);
        assert_window_consistent(&list, 1000);
        for _ in 0..30 {
            list.page_by(&store, -1).unwrap();
            assert_window_consistent(&list, 1000);
        }
        assert_eq!(list.selected_index(), 689);
        list.top(&store).unwrap();
        assert_eq!(selected_id(&list), 1000);
        list.page_by(&store, -1).unwrap();
        assert_eq!(selected_id(&list), 1000);
    }

    #[test]
    fn short_lists_and_empty_lists() {
        let (_dir, store) = store_with(3);
        let mut list = list(&store, 10);
        assert_eq!(list.visible_rows().len(), 3);
        list.page_by(&store, 1).unwrap();
        assert_eq!(selected_id(&list), 1);
        list.bottom(&store).unwrap();
        assert_eq!(list.offset(), 0);

        let (_dir, empty) = store_with(0);
        let mut list = list_for_empty(&empty);
        list.move_by(&empty, 1).unwrap();
        list.page_by(&empty, 1).unwrap();
        list.bottom(&empty).unwrap();
        assert!(list.selected_row().is_none());
        assert!(list.visible_rows().is_empty());
    }

    fn list_for_empty(store: &Store) -> MatchList {
        list(store, 10)
    }

    #[test]
    fn reload_keeps_the_selected_match_when_newer_ones_arrive() {
        let (_dir, mut store) = store_with(100);
        let mut list = list(&store, 10);
        list.move_by(&store, 5).unwrap();
        assert_eq!(selected_id(&list), 95);
        let newer: Vec<HistoryEntry> = (101..=103)
            .map(|i| HistoryEntry {
                match_id: i,
                match_seq_num: None,
                start_time: Some(1000 + i),
                lobby_type: None,
                player_slot: Some(0),
                hero_id: Some(1),
            })
            .collect();
        store.save_stubs(ACCOUNT, &newer).unwrap();
        list.reload(&store).unwrap();
        assert_eq!(list.total(), 103);
        assert_eq!(selected_id(&list), 95);
        assert_eq!(list.selected_index(), 8);
        assert_window_consistent(&list, 103);
    }

    #[test]
    fn a_filter_keeps_the_selection_where_it_was_in_time() {
        let (_dir, store) = store_with(100);
        let mut list = list(&store, 10);
        list.move_by(&store, 30).unwrap();
        assert_eq!(selected_id(&list), 70);
        list.set_filter(&store, ListFilter::new("hero", vec![2]))
            .unwrap();
        assert_eq!(list.total(), 20);
        // Hero 2: 96, 91, ..., 71, then 66: the next older match.
        assert_eq!(list.selected_index(), 6);
        assert_eq!(selected_id(&list), 66);
        assert!(list.visible_rows().iter().all(|r| r.hero_id == Some(2)));
        let visible = list.visible_rows();
        assert_eq!(visible.len(), 10);
        assert_eq!(
            visible[0].match_id - visible[9].match_id,
            45,
            "consecutive rows"
        );
        assert!(list.selected >= list.offset && list.selected < list.offset + list.page);
        list.set_filter(&store, ListFilter::new("10", vec![]))
            .unwrap();
        // 100 and 10.
        assert_eq!(list.total(), 2);
        assert_eq!(selected_id(&list), 10);
        // Clearing the filter keeps match 10 selected.
        list.set_filter(&store, ListFilter::none()).unwrap();
        assert_eq!(list.total(), 100);
        assert_eq!(selected_id(&list), 10);
        assert_window_consistent(&list, 100);
    }

    #[test]
    fn a_bigger_screen_widens_the_window() {
        let (_dir, store) = store_with(1000);
        let mut list = list(&store, 10);
        list.move_by(&store, 15).unwrap();
        list.set_page(&store, 40).unwrap();
        assert_eq!(list.visible_rows().len(), 40);
        assert_window_consistent(&list, 1000);
        assert_eq!(selected_id(&list), 985);
    }

    #[test]
    fn paging_reads_only_the_rows_the_window_lacks() {
        let (_dir, store) = store_with(1000);
        let mut list = list(&store, 10);
        let before = list.queries();
        for _ in 0..20 {
            list.page_by(&store, 1).unwrap();
            assert_window_consistent(&list, 1000);
        }
        // A re-anchor finds the rows above the new view in the window
        // already: it reads the rows below only, one query (it was two).
        assert_eq!(list.queries() - before, 10, "a read every other page");
        assert_eq!(selected_id(&list), 800);
    }

    #[test]
    fn another_order_keeps_the_selected_match_and_pages_by_key() {
        // Stubs only: every column order is the time order, stubs being
        // equal; oldest first is the list reversed.
        let (_dir, store) = store_with(1000);
        let mut list = list(&store, 10);
        list.move_by(&store, 300).unwrap();
        assert_eq!(selected_id(&list), 700);
        let before = list.queries();
        list.set_order(&store, ListOrder::Oldest).unwrap();
        assert!(list.queries() - before <= 5, "a few queries by key");
        assert_eq!(selected_id(&list), 700);
        assert_eq!(list.selected_index(), 699);
        for (i, row) in list.window.iter().enumerate() {
            assert_eq!(row.match_id, list.window_start as i64 + i as i64 + 1);
        }
        list.page_by(&store, 3).unwrap();
        assert_eq!(selected_id(&list), 730);
        list.bottom(&store).unwrap();
        assert_eq!(selected_id(&list), 1000);
        list.set_order(&store, ListOrder::GoldPerMin).unwrap();
        assert_eq!(selected_id(&list), 1000);
        assert_eq!(list.selected_index(), 0);
        list.set_order(&store, ListOrder::Newest).unwrap();
        assert_eq!(selected_id(&list), 1000);
        assert_window_consistent(&list, 1000);
    }
}
