//! Players met in the account's matches: games and wins with them (same
//! team) and against them, last played; names where known, other tracked
//! accounts marked. Enter lists the matches played together; `c` cycles
//! the sort, and the sorted column is marked.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::table::{self, Column, ListTable};
use super::theme;
use crate::store::stats::{PeerStats, Record};
use crate::tui::format::{self, Clock};
use crate::tui::state::app::App;

const COLUMNS: [Column; 6] = [
    Column::left("Player", Constraint::Length(22)),
    Column::right("With", Constraint::Length(5)),
    Column::right("Won", Constraint::Length(5)),
    Column::right("Against", Constraint::Length(8)),
    Column::right("Won", Constraint::Length(5)),
    Column::left("Last played", Constraint::Fill(1)),
];

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let clock = &app.settings.clock;
    ListTable {
        columns: &COLUMNS,
        // The sorted column is marked (`c` cycles it).
        sorted: Some(app.lists.peer_sort.column()),
        spacing: 2,
        empty: if app.is_loading() {
            " Reading the statistics…"
        } else {
            " No teammates yet: they appear as match details arrive."
        },
    }
    .render(frame, area, &app.lists.teammates, |row| {
        peer_row(row, clock)
    });
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
    let right = table::right;
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
