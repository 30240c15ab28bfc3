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
    let mut filter = filter_line(app);
    if filter.spans.is_empty() {
        filter = summaries_note(app, room_beside_tabs(app, area.width));
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
    let Some(count) = summaries_count(app) else {
        return Line::default();
    };
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

/// The games of a statistics view counted from summaries, if any.
fn summaries_count(app: &App) -> Option<u64> {
    let stats_view = matches!(
        app.view,
        View::Heroes | View::Teammates | View::Records | View::When
    );
    let count = app.overview.as_ref().map_or(0, |o| o.from_summaries);
    (stats_view && count > 0).then_some(count)
}

/// Columns left of a row `width` wide once the tab labels are drawn.
fn room_beside_tabs(app: &App, width: u16) -> usize {
    let labels: usize = app
        .tab_labels()
        .iter()
        .map(|(_, label)| label.chars().count())
        .sum();
    usize::from(width).saturating_sub(labels)
}

/// The summaries note when the tab row has no room for it (narrow
/// screens): the hint bar then gives it the right end of its line, so that
/// every statistics view says how many of its games came from summaries.
pub(super) fn note_for_hint_bar(app: &App, width: u16) -> Option<String> {
    if !filter_line(app).spans.is_empty() {
        return None;
    }
    let count = summaries_count(app)?;
    if !summaries_note(app, room_beside_tabs(app, width))
        .spans
        .is_empty()
    {
        return None;
    }
    Some(format!("{count} from summaries "))
}

/// While typing: the text and a cursor (the W/L of what it keeps is in
/// the header).
fn filter_line(app: &App) -> Line<'static> {
    let filter = &app.filter;
    if !filter.editing {
        return Line::default();
    }
    let shown = app.lists.matches.as_ref().map_or(0, |l| l.total());
    Line::from(vec![Span::styled(
        format!("{shown} matches "),
        theme::dim(),
    )])
}
