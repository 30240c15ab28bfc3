//! The view tabs, with counts, and the filter being typed.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::input::action::View;
use crate::tui::state::app::App;
use crate::tui::view::theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let filter = filter_line(app);
    let filter_width = filter.width() as u16;
    let [tabs, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(filter_width)]).areas(area);

    let mut spans = Vec::new();
    for (i, view) in View::ALL.into_iter().enumerate() {
        let label = format!(" {} {}{} ", i + 1, view.title(), count_suffix(app, view));
        let style = if view == app.view {
            theme::active_tab()
        } else {
            ratatui::style::Style::new()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), tabs);
    frame.render_widget(Paragraph::new(filter), right);
}

fn count_suffix(app: &App, view: View) -> String {
    match view {
        View::Matches => format!(" ({})", app.counts.matches),
        View::Errors => format!(" ({})", app.counts.failed + app.counts.given_up),
        View::Teammates => String::new(),
    }
}

fn filter_line(app: &App) -> Line<'static> {
    let filter = &app.filter;
    if !filter.editing && filter.text.is_empty() {
        return Line::default();
    }
    let shown = app.matches.as_ref().map_or(0, |l| l.total());
    let mut spans = vec![
        Span::styled("filter ", theme::dim()),
        Span::styled("/", theme::key()),
        Span::raw(filter.text.clone()),
    ];
    if filter.editing {
        // A block cursor: the real one stays hidden while the TUI is up.
        spans.push(Span::styled("█", theme::key()));
    }
    spans.push(Span::styled(format!("  {shown} shown "), theme::dim()));
    Line::from(spans)
}
