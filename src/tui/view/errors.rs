//! Failed and given-up matches, and stubs an API error left: what went
//! wrong and how many attempts are left.
//! Sorted by what is shown: the reason, then the newest match first
//! (ARCHITECTURE.md, "The TUI").

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use super::table::{Column, ListTable};
use super::theme;
use crate::store::{ErrorRow, MAX_ATTEMPTS};
use crate::tui::format;
use crate::tui::state::app::App;

const COLUMNS: [Column; 5] = [
    Column::left("Match ID", Constraint::Length(11)),
    Column::left("Date", Constraint::Length(10)),
    Column::left("Attempts", Constraint::Length(11)),
    Column::left("Last try", Constraint::Length(10)),
    Column::left("Reason", Constraint::Fill(1)),
];

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let clock = &app.settings.clock;
    let (table_area, _) = ListTable::areas(area);
    // The reason gets what the marker, the fixed columns and the gaps leave.
    let reason_width = usize::from(table_area.width.saturating_sub(2 + 42 + 4));
    ListTable {
        columns: &COLUMNS,
        sorted: None,
        spacing: 1,
        empty: " No failed matches, no API errors.",
    }
    .render(frame, area, &app.lists.errors, |row| {
        error_row(row, clock, reason_width)
    });
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
