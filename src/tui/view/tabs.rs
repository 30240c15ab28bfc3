//! The view tabs, with counts, and the filter being typed; or, on a
//! statistics view, how many of its games came from summaries.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::input::action::View;
use crate::tui::state::app::App;
use crate::tui::view::theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let mut spans = Vec::new();
    for (view, label) in app.tab_labels() {
        let style = if view == app.view {
            theme::active_tab()
        } else {
            ratatui::style::Style::new()
        };
        spans.push(Span::styled(label, style));
    }
    let labels: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    let mut filter = filter_line(app);
    if filter.spans.is_empty() {
        filter = summaries_note(app, usize::from(area.width).saturating_sub(labels));
    }
    let filter_width = filter.width() as u16;
    let [tabs, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(filter_width)]).areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)), tabs);
    frame.render_widget(Paragraph::new(filter), right);
}

/// On a statistics view whose games include some counted from their
/// summary (no details yet): `N from summaries`, if it fits beside the
/// tabs. Every statistics view counts the same games (the filter's), so
/// the Overview's count is each one's (the Overview says it in its
/// record line).
fn summaries_note(app: &App, room: usize) -> Line<'static> {
    let stats_view = matches!(
        app.view,
        View::Heroes | View::Teammates | View::Records | View::When
    );
    let count = app.overview.as_ref().map_or(0, |o| o.from_summaries);
    if !stats_view || count == 0 {
        return Line::default();
    }
    for text in [
        format!(" {count} from summaries "),
        format!(" {count} summ. "),
    ] {
        if text.chars().count() <= room {
            return Line::styled(text, theme::dim());
        }
    }
    Line::default()
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
