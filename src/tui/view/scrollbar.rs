//! The vertical scrollbar beside a list, sized to the whole list (not the
//! rows loaded) and hidden when everything fits.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState, Table, TableState};

use crate::tui::state::scroll::Scroll;

/// `total` rows, `page` of them on screen starting at absolute row `offset`.
pub fn render(frame: &mut Frame, area: Rect, total: u64, page: u64, offset: u64) {
    if total <= page || page == 0 {
        return;
    }
    // ratatui counts scroll positions: the first visible row ranges over
    // 0..=total-page, which makes the thumb page/total of the track.
    let positions = usize::try_from(total - page + 1).unwrap_or(usize::MAX);
    let mut state = ScrollbarState::new(positions)
        .position(usize::try_from(offset).unwrap_or(usize::MAX))
        .viewport_content_length(usize::try_from(page).unwrap_or(usize::MAX));
    frame.render_stateful_widget(
        Scrollbar::new(ScrollbarOrientation::VerticalRight),
        area,
        &mut state,
    );
}

/// A short in-memory list (errors, teammates): the table with its selection,
/// and beside it a scrollbar that starts below the header row.
pub fn render_list(
    frame: &mut Frame,
    table: Table<'_>,
    table_area: Rect,
    bar_area: Rect,
    scroll: Scroll,
    len: usize,
) {
    let mut state = TableState::new()
        .with_offset(scroll.offset)
        .with_selected(Some(scroll.selected));
    frame.render_stateful_widget(table, table_area, &mut state);
    let bar_area = Rect {
        y: bar_area.y + 1,
        height: bar_area.height.saturating_sub(1),
        ..bar_area
    };
    let page = u64::from(table_area.height.saturating_sub(1));
    render(frame, bar_area, len as u64, page, scroll.offset as u64);
}
