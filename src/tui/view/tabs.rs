//! The view tabs, with counts, and the filter being typed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::state::app::App;
use crate::tui::view::theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let filter = filter_line(app);
    let filter_width = filter.width() as u16;
    let [tabs, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(filter_width)]).areas(area);

    let mut spans = Vec::new();
    for (view, label) in app.tab_labels() {
        let style = if view == app.view {
            theme::active_tab()
        } else {
            ratatui::style::Style::new()
        };
        spans.push(Span::styled(label, style));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), tabs);
    frame.render_widget(Paragraph::new(filter), right);
}

/// While typing: the text and a cursor (the W/L of what it keeps is in
/// the header).
fn filter_line(app: &App) -> Line<'static> {
    let filter = &app.filter;
    if !filter.editing {
        return Line::default();
    }
    let shown = app.matches.as_ref().map_or(0, |l| l.total());
    Line::from(vec![Span::styled(
        format!("{shown} matches "),
        theme::dim(),
    )])
}
