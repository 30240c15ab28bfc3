//! Per hero: games, wins, win rate (with a bar), K/D/A, GPM, XPM, last
//! played; `c` cycles the sort, and the sorted column is marked.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::{scrollbar, theme};
use crate::assets;
use crate::store::stats::HeroStats;
use crate::tui::format::{self, Clock};
use crate::tui::state::app::App;

/// Cells of the win-rate bar.
const BAR: usize = 10;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let [table_area, bar_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    if app.heroes.is_empty() {
        let text = if app.is_loading() {
            " Reading the statistics…"
        } else {
            " No hero played in a match with details (that the filter keeps)."
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme::dim())), table_area);
        return;
    }
    let wide = area.width >= 100;
    let sort = app.hero_sort;
    let title = |name: &'static str, right: bool| {
        let text = if sort.column() == name {
            format!("{name}▼")
        } else {
            name.to_string()
        };
        let line = Line::from(text);
        Cell::from(if right { line.right_aligned() } else { line })
    };
    let mut header = vec![
        title("Hero", false),
        title("Games", true),
        title("Win %", true),
    ];
    if wide {
        header.push(Cell::from(""));
    }
    header.extend([
        title("K/D/A", true),
        title("GPM", true),
        title("XPM", true),
        title("Last played", false),
    ]);
    let clock = &app.settings.clock;
    let rows = app.heroes.rows[scrollbar::window(app.heroes.scroll, app.heroes.len(), table_area)]
        .iter()
        .map(|h| hero_row(h, clock, wide));
    let mut widths = vec![
        Constraint::Length(19),
        Constraint::Length(6),
        Constraint::Length(6),
    ];
    if wide {
        widths.push(Constraint::Length(BAR as u16));
    }
    widths.extend([
        Constraint::Length(14),
        Constraint::Length(4),
        Constraint::Length(4),
        Constraint::Fill(1),
    ]);
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme::column_header()))
        .row_highlight_style(theme::selected_row())
        .highlight_symbol("▶ ");
    scrollbar::render_list(
        frame,
        table,
        table_area,
        bar_area,
        app.heroes.scroll,
        app.heroes.len(),
    );
}

fn hero_row(h: &HeroStats, clock: &Clock, wide: bool) -> Row<'static> {
    let rate = h.record.win_rate().unwrap_or(0.0);
    let right = |text: String| Cell::from(Line::from(text).right_aligned());
    let mut cells = vec![
        Cell::from(format::ellipsize(&assets::hero_name(h.hero_id), 19)),
        right(h.record.games.to_string()),
        right(format!("{rate:.1}")),
    ];
    if wide {
        cells.push(Cell::from(win_bar(rate)));
    }
    cells.extend([
        right(format!("{:.1}/{:.1}/{:.1}", h.kills, h.deaths, h.assists)),
        right(format!("{:.0}", h.gold_per_min)),
        right(format!("{:.0}", h.xp_per_min)),
        Cell::from(format::when(h.last_played, clock)),
    ]);
    Row::new(cells)
}

/// The win rate as a bar of `BAR` cells, in eighths.
fn win_bar(rate: f64) -> Line<'static> {
    let eighths = ((rate / 100.0) * (BAR * 8) as f64).round() as usize;
    let full = eighths / 8;
    let partial = eighths % 8;
    let mut text = "█".repeat(full.min(BAR));
    if full < BAR && partial > 0 {
        text.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][partial - 1]);
    }
    let style = if rate >= 50.0 {
        theme::win()
    } else {
        theme::loss()
    };
    Line::from(Span::styled(text, style))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_grows_with_the_rate() {
        let width = |r: f64| win_bar(r).width();
        assert_eq!(width(0.0), 0);
        assert_eq!(width(100.0), BAR);
        assert_eq!(width(50.0), BAR / 2);
        assert!(width(55.0) > width(50.0));
    }
}
