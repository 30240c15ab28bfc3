//! The account's best games: most kills, deaths, assists, GPM, XPM, hero
//! damage, last hits, the longest and shortest game. Each row is a match:
//! Enter opens it, `o` shows it on OpenDota.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::{scrollbar, theme};
use crate::assets;
use crate::store::stats::{RecordKind, RecordRow};
use crate::tui::format::{self, Clock};
use crate::tui::state::app::App;
use crate::tui::words::Label as _;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let [table_area, bar_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    if app.records.is_empty() {
        let text = if app.is_loading() {
            " Reading the statistics…"
        } else {
            " No records yet: they appear as match details arrive."
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme::dim())), table_area);
        return;
    }
    let clock = &app.settings.clock;
    let rows = app.records.rows
        [scrollbar::window(app.records.scroll, app.records.len(), table_area)]
    .iter()
    .map(|r| record_row(r, clock));
    let header = Row::new([
        Cell::from("Record"),
        Cell::from(Line::from("Value").right_aligned()),
        Cell::from("Hero"),
        Cell::from("W/L"),
        Cell::from("Match ID"),
        Cell::from("Date"),
    ])
    .style(theme::column_header());
    let table = Table::new(
        rows,
        [
            Constraint::Length(16),
            Constraint::Length(7),
            Constraint::Length(19),
            Constraint::Length(3),
            Constraint::Length(11),
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
        app.records.scroll,
        app.records.len(),
    );
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
        Cell::from(Line::from(value).right_aligned()),
        Cell::from(hero),
        Cell::from(result),
        Cell::from(r.match_id.to_string()),
        Cell::from(if r.from_summary {
            // A game without details yet: the value is its summary's.
            Line::from(vec![
                Span::raw(format::when(r.start_time, clock)),
                Span::styled("  summary", theme::dim()),
            ])
        } else {
            Line::from(format::when(r.start_time, clock))
        }),
    ])
}
