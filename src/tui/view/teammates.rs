//! Players met in the account's matches: games and wins with them (same
//! team) and against them, last played; names where known, other tracked
//! accounts marked. Enter lists the matches played together; `c` cycles
//! the sort, and the sorted column is marked.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::{scrollbar, theme};
use crate::store::stats::{PeerStats, Record};
use crate::tui::format::{self, Clock};
use crate::tui::state::app::App;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let [table_area, bar_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    if app.lists.teammates.is_empty() {
        let text = if app.is_loading() {
            " Reading the statistics…"
        } else {
            " No teammates yet: they appear as match details arrive."
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme::dim())), table_area);
        return;
    }
    let clock = &app.settings.clock;
    let rows = app.lists.teammates.rows[scrollbar::window(
        app.lists.teammates.scroll,
        app.lists.teammates.len(),
        table_area,
    )]
    .iter()
    .map(|row| peer_row(row, clock));
    // The sorted column is marked (`c` cycles it).
    let marked = app.lists.peer_sort.column();
    let title = |index: usize, text: &'static str| {
        if index == marked {
            format!("{text}▼")
        } else {
            text.to_string()
        }
    };
    let right = |index: usize, text: &'static str| {
        Cell::from(Line::from(title(index, text)).right_aligned())
    };
    let header = Row::new([
        Cell::from(title(0, "Player")),
        right(1, "With"),
        right(2, "Won"),
        right(3, "Against"),
        right(4, "Won"),
        Cell::from(title(5, "Last played")),
    ])
    .style(theme::column_header());
    let table = Table::new(
        rows,
        [
            Constraint::Length(22),
            Constraint::Length(5),
            Constraint::Length(5),
            Constraint::Length(8),
            Constraint::Length(5),
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
        app.lists.teammates.scroll,
        app.lists.teammates.len(),
    );
}

fn peer_row(row: &PeerStats, clock: &Clock) -> Row<'static> {
    let id = row.account_id.to_string();
    let who = match &row.name {
        Some(name) => format!("{} ({id})", format::sanitize(name)),
        None => id,
    };
    let mut player = vec![Span::raw(format::ellipsize(
        &who,
        if row.tracked { 20 } else { 22 },
    ))];
    if row.tracked {
        // Another account this database syncs.
        player.push(Span::styled(" ★", theme::key()));
    }
    let right = |text: String| Cell::from(Line::from(text).right_aligned());
    let rate = |r: Record| {
        if r.games == 0 {
            "-".to_string()
        } else {
            format::win_rate(r.wins as i64, r.games as i64)
        }
    };
    Row::new([
        Cell::from(Line::from(player)),
        right(row.with.games.to_string()),
        right(rate(row.with)),
        right(row.against.games.to_string()),
        right(rate(row.against)),
        Cell::from(format::when(row.last_played, clock)),
    ])
}
