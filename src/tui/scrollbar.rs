//! The vertical scrollbar beside a list, sized to the whole list (not the
//! rows loaded) and hidden when everything fits.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState};

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
