//! Failed and given-up matches, and stubs an API error left: what went
//! wrong and how many attempts are left.
//! Sorted by what is shown: the reason, then the newest match first
//! (ARCHITECTURE.md, "The TUI").

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::{scrollbar, theme};
use crate::store::{ErrorRow, MAX_ATTEMPTS};
use crate::tui::format;
use crate::tui::state::app::App;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let [table_area, bar_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    if app.lists.errors.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                " No failed matches, no API errors.",
                theme::dim(),
            )),
            table_area,
        );
        return;
    }
    let clock = &app.settings.clock;
    // The reason gets what the marker, the fixed columns and the gaps leave.
    let reason_width = usize::from(table_area.width.saturating_sub(2 + 42 + 4));
    let rows = app.lists.errors.rows
        [scrollbar::window(app.lists.errors.scroll, app.lists.errors.len(), table_area)]
    .iter()
    .map(|row| error_row(row, clock, reason_width));
    let header = Row::new(["Match ID", "Date", "Attempts", "Last try", "Reason"])
        .style(theme::column_header());
    let table = Table::new(
        rows,
        [
            Constraint::Length(11),
            Constraint::Length(10),
            Constraint::Length(11),
            Constraint::Length(10),
            Constraint::Fill(1),
        ],
    )
    .header(header)
    .row_highlight_style(theme::selected_row())
    .highlight_symbol("▶ ");
    scrollbar::render_list(
        frame,
        table,
        table_area,
        bar_area,
        app.lists.errors.scroll,
        app.lists.errors.len(),
    );
}

fn error_row(row: &ErrorRow, clock: &format::Clock, reason_width: usize) -> Row<'static> {
    let (attempts, style) = if row.api_error {
        ("API error".to_string(), theme::failed())
    } else if row.given_up() {
        (
            format!("{}/{MAX_ATTEMPTS} gave up", row.retry_count),
            theme::given_up(),
        )
    } else {
        (
            format!("{}/{MAX_ATTEMPTS}", row.retry_count),
            theme::failed(),
        )
    };
    let date = row
        .start_time
        .map_or_else(|| "unknown".into(), |t| format::when(t, clock));
    let last = row
        .last_fetch_attempt
        .as_deref()
        .map_or_else(|| "-".into(), |t| format::attempt_when(t, clock));
    let mut reason = row
        .fetch_error
        .as_deref()
        .map_or_else(|| "unknown error".into(), format::sanitize);
    // Nothing was counted: the row is still a stub (ARCHITECTURE.md, "Retry
    // rules"), and says so where the line has room.
    const AGAIN: &str = ", will be tried again";
    if row.api_error && reason.chars().count() + AGAIN.len() <= reason_width {
        reason.push_str(AGAIN);
    }
    Row::new([
        Cell::from(row.match_id.to_string()),
        Cell::from(date),
        Cell::from(Span::styled(attempts, style)),
        Cell::from(last),
        Cell::from(reason),
    ])
}
