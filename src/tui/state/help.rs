//! The help overlay: open or not, and how far it is scrolled.

use ratatui::layout::Rect;

use crate::tui::input::action::Action;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HelpState {
    pub open: bool,
    /// The first line shown.
    pub scroll: usize,
}

impl HelpState {
    pub fn toggle(&mut self) {
        self.open = !self.open;
        self.scroll = 0;
    }

    /// Scrolls the help, within its length at this screen size.
    pub fn scroll_by(&mut self, action: Action, screen: Rect) {
        let total = crate::tui::view::help::line_count(screen);
        // The overlay's borders take two rows.
        let page = usize::from(screen.height.saturating_sub(2)).max(1);
        let last = total.saturating_sub(page);
        let at = self.scroll.min(last);
        self.scroll = match action {
            Action::Up => at.saturating_sub(1),
            Action::Down => at + 1,
            Action::PageUp => at.saturating_sub(page),
            Action::PageDown => at + page,
            Action::Top => 0,
            _ => last,
        }
        .min(last);
    }
}
