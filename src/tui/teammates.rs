//! Players met on the account's team: games together, wins, win rate.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::app::App;
use super::format;
use super::{scrollbar, theme};
use crate::store::TeammateRow;

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
    let scroll = app.teammates_scroll;
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
    scrollbar::render(
        frame,
        bar_area,
        app.teammates.len() as u64,
        page,
        scroll.offset as u64,
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
