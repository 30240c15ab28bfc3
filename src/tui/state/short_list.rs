//! A short list held whole in memory (heroes, teammates, records, errors:
//! each read with a limit) with its selection and scroll position.

use super::scroll::Scroll;

#[derive(Debug, Clone, PartialEq)]
pub struct ShortList<T> {
    pub rows: Vec<T>,
    pub scroll: Scroll,
}

impl<T> Default for ShortList<T> {
    fn default() -> Self {
        ShortList {
            rows: Vec::new(),
            scroll: Scroll::default(),
        }
    }
}

impl<T> ShortList<T> {
    /// New rows; the selection stays at its index, within the list.
    pub fn set(&mut self, rows: Vec<T>, page: usize) {
        self.rows = rows;
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

    pub fn move_by(&mut self, delta: isize, page: usize) {
        self.scroll.move_by(delta, self.rows.len(), page);
    }

    pub fn jump(&mut self, last: bool, page: usize) {
        if last {
            self.scroll.bottom(self.rows.len(), page);
        } else {
            self.scroll.top();
        }
    }

    /// Selects the row shown `line` rows below the first visible one.
    pub fn click(&mut self, line: usize, page: usize) {
        let index = self.scroll.offset + line;
        if index < self.rows.len() {
            self.scroll.selected = index;
            self.scroll.follow(self.rows.len(), page);
        }
    }
}
