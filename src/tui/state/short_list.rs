//! A short list held whole in memory (heroes, teammates, records, errors:
//! each read with a limit) with its selection and scroll position.

use super::list_state::ListState;
use super::scroll::Scroll;
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct ShortList<T> {
    pub rows: Vec<T>,
    pub scroll: Scroll,
    /// Rows shown at once.
    page: usize,
}

impl<T> Default for ShortList<T> {
    fn default() -> Self {
        ShortList {
            rows: Vec::new(),
            scroll: Scroll::default(),
            page: 10,
        }
    }
}

impl<T> ShortList<T> {
    /// New rows; the selection stays at its index, within the list.
    pub fn set(&mut self, rows: Vec<T>, page: usize) {
        self.rows = rows;
        self.page = page;
        self.scroll.follow(self.rows.len(), page);
    }

    pub fn selected(&self) -> Option<&T> {
        self.rows.get(self.scroll.selected)
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

impl<T> ListState for ShortList<T> {
    fn total(&self) -> u64 {
        self.rows.len() as u64
    }

    fn selected_index(&self) -> u64 {
        self.scroll.selected as u64
    }

    fn offset(&self) -> u64 {
        self.scroll.offset as u64
    }

    fn page(&self) -> u64 {
        self.page as u64
    }

    fn select(&mut self, _: &Store, index: u64) -> Result<(), StoreError> {
        self.scroll.selected = usize::try_from(index).unwrap_or(usize::MAX);
        self.scroll.follow(self.rows.len(), self.page);
        Ok(())
    }

    fn set_page(&mut self, _: &Store, rows: u16) -> Result<(), StoreError> {
        self.page = usize::from(rows);
        self.scroll.follow(self.rows.len(), self.page);
        Ok(())
    }
}
