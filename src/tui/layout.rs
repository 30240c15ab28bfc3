//! Where each region goes. Shared by `App::resize` (which needs the list
//! height to page) and the renderer, so the two always agree.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the screen shows only a "terminal too small" notice.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Rows of the sync progress block, borders included.
pub const PROGRESS_HEIGHT: u16 = 7;
/// Rows of the sync block before any run of this session: one line saying
/// so beside what the database holds (a notice adds one below it).
pub const IDLE_SYNC_HEIGHT: u16 = 1;

/// The Overview's summary text: in full, or its first three lines when the
/// screen is short.
pub const SUMMARY_ROWS: u16 = 6;
pub const SUMMARY_ROWS_SHORT: u16 = 3;
/// The Overview's newest matches: a title, the column header and at least
/// this many rows, before the charts get any room.
pub const RECENT_MIN_ROWS: u16 = 4;
/// The least body under which the first screen still shows the Overview's
/// short summary and its newest matches (title, header, rows): an optional
/// line of the sync block is drawn only when this much is left.
pub const FIRST_SCREEN_BODY: u16 = SUMMARY_ROWS_SHORT + RECENT_MIN_ROWS + 2;
/// Rows the Overview's charts need to be worth drawing, and the most they take.
pub const CHARTS_MIN: u16 = 9;
pub const CHARTS_MAX: u16 = 18;

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

/// The screen under a full sync block of one source.
pub fn screen(area: Rect) -> Screen {
    screen_with(area, PROGRESS_HEIGHT)
}

/// [`screen`] with a sync block of `sync_rows` rows (see
/// `App::sync_rows`: one line when idle, one more per source when a run
/// draws from several).
pub fn screen_with(area: Rect, sync_rows: u16) -> Screen {
    let [header, progress, tabs, body, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(sync_rows),
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
    list_rows_with(area, PROGRESS_HEIGHT)
}

/// [`list_rows`] under a sync block of `sync_rows` rows.
pub fn list_rows_with(area: Rect, sync_rows: u16) -> u16 {
    screen_with(area, sync_rows)
        .body
        .height
        .saturating_sub(1)
        .max(1)
}

/// The Overview's regions, top to bottom: the summary, the charts (height
/// 0 when they do not fit) and the newest matches. The newest matches come
/// before the charts: they are the product's promise (ARCHITECTURE.md, "Progress
/// wording"), visible on the first screen at every size from 80x24.
///
/// `stats`: some game has details. Without, the summary is one line (it
/// says so) and no chart is drawn: the rows go to the matches.
pub fn overview(body: Rect, stats: bool) -> [Rect; 3] {
    let recent_min = RECENT_MIN_ROWS + 2;
    if !stats {
        return Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(0),
            Constraint::Min(0),
        ])
        .areas(body);
    }
    let summary = if body.height >= SUMMARY_ROWS + recent_min {
        SUMMARY_ROWS
    } else {
        SUMMARY_ROWS_SHORT
    };
    let spare = body.height.saturating_sub(summary + recent_min);
    // Charts take what is left over a minimum list, but not the whole
    // screen: a tall one gives the list the rest.
    let charts = if spare >= CHARTS_MIN {
        (spare).min(CHARTS_MAX)
    } else {
        0
    };
    Layout::vertical([
        Constraint::Length(summary),
        Constraint::Length(charts),
        Constraint::Min(0),
    ])
    .areas(body)
}

/// Rows of matches the Overview's list shows (its title and column header
/// excluded).
pub fn overview_recent_rows(body: Rect, stats: bool) -> u16 {
    overview(body, stats)[2].height.saturating_sub(2)
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
