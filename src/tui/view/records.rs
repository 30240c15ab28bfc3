//! The account's best games: most kills, deaths, assists, GPM, XPM, hero
//! damage, last hits, the longest and shortest game. Each row is a match:
//! Enter opens it, `o` shows it on OpenDota.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row};

use super::table::{self, Column, ListTable};
use super::theme;
use crate::assets;
use crate::store::stats::{RecordKind, RecordRow};
use crate::tui::format::{self, Clock};
use crate::tui::state::app::App;
use crate::tui::words::Label as _;

const COLUMNS: [Column; 6] = [
    Column::left("Record", Constraint::Length(16)),
    Column::right("Value", Constraint::Length(6)),
    Column::left("Hero", Constraint::Length(19)),
    Column::left("W/L", Constraint::Length(3)),
    // Ten digits, and room for a full date and its `summary` at 80 columns.
    Column::left("Match ID", Constraint::Length(10)),
    Column::left("Date", Constraint::Fill(1)),
];

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let clock = &app.settings.clock;
    ListTable {
        columns: &COLUMNS,
        sorted: None,
        spacing: 1,
        empty: if app.is_loading() {
            " Reading the statistics…"
        } else {
            " No records yet: they appear as match details arrive."
        },
    }
    .render(frame, area, &app.lists.records, |r| record_row(r, clock));
}

fn record_row(r: &RecordRow, clock: &Clock) -> Row<'static> {
    let value = match r.kind {
        RecordKind::LongestGame | RecordKind::ShortestGame => format::match_duration(r.value),
        RecordKind::HeroDamage => format::compact(r.value),
        _ => r.value.to_string(),
    };
    let hero = r.hero_id.map_or_else(
        || "-".into(),
        |id| format::ellipsize(&assets::hero_name(id), 19),
    );
    let result = if r.won {
        Span::styled("W", theme::win())
    } else {
        Span::styled("L", theme::loss())
    };
    Row::new([
        Cell::from(r.kind.label()),
        table::right(value),
        Cell::from(hero),
        Cell::from(result),
        Cell::from(r.match_id.to_string()),
        Cell::from(if r.from_summary {
            // A game without details yet: the value is its summary's.
            Line::from(vec![
                Span::raw(format::when(r.start_time, clock)),
                Span::styled(" summary", theme::dim()),
            ])
        } else {
            Line::from(format::when(r.start_time, clock))
        }),
    ])
}
