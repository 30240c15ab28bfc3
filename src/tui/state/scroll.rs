//! Selection and scroll position of a short list held whole in memory
//! (errors, teammates: both read with a limit).

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    pub selected: usize,
    pub offset: usize,
}

impl Scroll {
    /// Moves by `delta` rows within `len`, keeping the selection within a page.
    pub fn move_by(&mut self, delta: isize, len: usize, page: usize) {
        if len == 0 {
            *self = Scroll::default();
            return;
        }
        self.selected = self.selected.saturating_add_signed(delta).min(len - 1);
        self.follow(len, page);
    }

    pub fn top(&mut self) {
        *self = Scroll::default();
    }

    pub fn bottom(&mut self, len: usize, page: usize) {
        self.selected = len.saturating_sub(1);
        self.follow(len, page);
    }

    /// Keeps the selection on screen and the page full when it can be.
    pub fn follow(&mut self, len: usize, page: usize) {
        let page = page.max(1);
        self.selected = self.selected.min(len.saturating_sub(1));
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + page {
            self.offset = self.selected + 1 - page;
        }
        self.offset = self.offset.min(len.saturating_sub(page));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stays_within_the_list_and_the_page() {
        let mut s = Scroll::default();
        s.move_by(-1, 10, 4);
        assert_eq!(s, Scroll::default());
        s.move_by(5, 10, 4);
        assert_eq!((s.selected, s.offset), (5, 2));
        s.move_by(100, 10, 4);
        assert_eq!((s.selected, s.offset), (9, 6));
        s.move_by(-7, 10, 4);
        assert_eq!((s.selected, s.offset), (2, 2));
        s.bottom(10, 4);
        assert_eq!((s.selected, s.offset), (9, 6));
        s.follow(3, 4);
        assert_eq!((s.selected, s.offset), (2, 0));
        s.move_by(1, 0, 4);
        assert_eq!(s, Scroll::default());
    }
}
