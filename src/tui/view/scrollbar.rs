//! The vertical scrollbar beside a list, sized to the whole list (not the
//! rows loaded) and hidden when everything fits.

use std::ops::Range;

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

/// The rows of a short in-memory list that fit in `table_area` below its
/// header, as ratatui would scroll them to keep the selection in view. Only
/// these are built into the table: a list of thousands (Teammates) built
/// whole cost 4.6 ms a frame.
pub fn window(scroll: Scroll, len: usize, table_area: Rect) -> Range<usize> {
    let page = usize::from(table_area.height.saturating_sub(1)).max(1);
    let mut first = scroll.offset.min(scroll.selected);
    if scroll.selected >= first + page {
        first = scroll.selected + 1 - page;
    }
    let first = first.min(len);
    first..(first + page).min(len)
}

/// A short in-memory list (errors, teammates): the table of the rows in
/// [`window`] with its selection, and beside it a scrollbar of the whole
/// list that starts below the header row.
pub fn render_list(
    frame: &mut Frame,
    table: Table<'_>,
    table_area: Rect,
    bar_area: Rect,
    scroll: Scroll,
    len: usize,
) {
    let shown = window(scroll, len, table_area);
    let mut state = TableState::new()
        .with_offset(0)
        .with_selected(scroll.selected.checked_sub(shown.start));
    frame.render_stateful_widget(table, table_area, &mut state);
    let bar_area = Rect {
        y: bar_area.y + 1,
        height: bar_area.height.saturating_sub(1),
        ..bar_area
    };
    let page = u64::from(table_area.height.saturating_sub(1));
    render(frame, bar_area, len as u64, page, shown.start as u64);
}

#[cfg(test)]
mod window_tests {
    use super::*;

    fn area(height: u16) -> Rect {
        Rect::new(0, 0, 40, height)
    }

    #[test]
    fn the_window_is_the_page_the_selection_is_on() {
        // 10 rows below the header.
        let at = |selected, offset| window(Scroll { selected, offset }, 1_000, area(11));
        assert_eq!(at(0, 0), 0..10);
        assert_eq!(at(15, 8), 8..18);
        // A selection past the page (the terminal shrank): scrolled to it.
        assert_eq!(at(40, 8), 31..41);
        // A selection above the offset: the page starts at it.
        assert_eq!(at(3, 8), 3..13);
        // The end of the list, and a list shorter than the page.
        assert_eq!(at(999, 995), 995..1_000);
        assert_eq!(
            window(
                Scroll {
                    selected: 2,
                    offset: 0
                },
                4,
                area(11)
            ),
            0..4
        );
        assert_eq!(window(Scroll::default(), 0, area(11)), 0..0);
    }
}
