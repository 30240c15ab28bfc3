//! Where each region goes. Shared by `App::resize` (which needs the list
//! height to page) and the renderer, so the two always agree.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the screen shows only a "terminal too small" notice.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Rows of the sync progress block, borders included.
pub const PROGRESS_HEIGHT: u16 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    pub header: Rect,
    pub progress: Rect,
    pub tabs: Rect,
    /// The current list (or the details overlay).
    pub body: Rect,
    pub hints: Rect,
}

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

pub fn screen(area: Rect) -> Screen {
    screen_with(area, 0)
}

/// [`screen`] with `source_lines` more rows in the sync block: one per
/// source when a run draws from several.
pub fn screen_with(area: Rect, source_lines: u16) -> Screen {
    let [header, progress, tabs, body, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(PROGRESS_HEIGHT + source_lines),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    Screen {
        header,
        progress,
        tabs,
        body,
        hints,
    }
}

/// Data rows a list shows at once: the body minus its column header.
pub fn list_rows(area: Rect) -> u16 {
    list_rows_with(area, 0)
}

/// [`list_rows`] under a sync block with `source_lines` more rows.
pub fn list_rows_with(area: Rect, source_lines: u16) -> u16 {
    screen_with(area, source_lines)
        .body
        .height
        .saturating_sub(1)
        .max(1)
}

/// A rectangle of at most `width` x `height`, centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_gets_what_the_fixed_regions_leave() {
        let area = Rect::new(0, 0, 80, 24);
        let s = screen(area);
        assert_eq!(
            s.header.height + s.progress.height + s.tabs.height + s.hints.height,
            10
        );
        assert_eq!(s.body.height, 14);
        assert_eq!(list_rows(area), 13);
        assert_eq!(s.hints.y, 23);
        assert!(too_small(Rect::new(0, 0, 79, 24)));
        assert!(too_small(Rect::new(0, 0, 80, 23)));
        assert!(!too_small(area));
    }
}
