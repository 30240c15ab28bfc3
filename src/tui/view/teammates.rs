//! Players met on the account's team: games together, wins, win rate.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::{scrollbar, theme};
use crate::store::TeammateRow;
use crate::tui::format;
use crate::tui::state::app::App;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let [table_area, bar_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    if app.teammates.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                " No teammates yet: they appear as match details arrive.",
                theme::dim(),
            )),
            table_area,
        );
        return;
    }
    let clock = &app.settings.clock;
    let rows = app.teammates.iter().map(|row| teammate_row(row, clock));
    let header = Row::new([
        Cell::from("Account"),
        Cell::from(Line::from("Games").right_aligned()),
        Cell::from(Line::from("Wins").right_aligned()),
        Cell::from(Line::from("Win rate").right_aligned()),
        Cell::from("Last played"),
    ])
    .style(theme::column_header());
    let table = Table::new(
        rows,
        [
            Constraint::Length(12),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(8),
            Constraint::Fill(1),
        ],
    )
    .column_spacing(2)
    .header(header)
    .row_highlight_style(theme::selected_row())
    .highlight_symbol("▶ ");
    scrollbar::render_list(
        frame,
        table,
        table_area,
        bar_area,
        app.teammates_scroll,
        app.teammates.len(),
    );
}

fn teammate_row(row: &TeammateRow, clock: &format::Clock) -> Row<'static> {
    let last = row
        .last_played
        .map_or_else(|| "-".into(), |t| format::when(t, clock));
    Row::new([
        Cell::from(row.other_account_id.to_string()),
        Cell::from(Line::from(row.games.to_string()).right_aligned()),
        Cell::from(Line::from(row.wins.to_string()).right_aligned()),
        Cell::from(Line::from(format::win_rate(row.wins, row.games)).right_aligned()),
        Cell::from(last),
    ])
}
