//! Per hero: games, wins, win rate (with a bar), K/D/A, GPM, XPM, last
//! played; `c` cycles the sort, and the sorted column is marked. `v` shows
//! instead the heroes on the player's team, then against them, with the
//! player's record in those games.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

use super::{scrollbar, theme};
use crate::assets;
use crate::store::stats::HeroStats;
use crate::tui::format::{self, Clock};
use crate::tui::state::app::App;
use crate::tui::state::hero_mode::{HeroMode, MIN_GAMES};

/// Cells of the win-rate bar.
const BAR: usize = 10;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if app.lists.hero_mode != HeroMode::Played {
        return render_matchups(app, frame, area);
    }
    let [table_area, bar_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    if app.lists.heroes.is_empty() {
        let text = if app.is_loading() {
            " Reading the statistics…"
        } else {
            " No hero played in a match with details (that the filter keeps)."
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme::dim())), table_area);
        return;
    }
    let wide = area.width >= 100;
    let sort = app.lists.hero_sort;
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
    let rows = app.lists.heroes.rows
        [scrollbar::window(app.lists.heroes.scroll, app.lists.heroes.len(), table_area)]
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
        app.lists.heroes.scroll,
        app.lists.heroes.len(),
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

/// The heroes with (or against) the player: a title saying which, then
/// hero, games, the player's win rate in them, a bar.
fn render_matchups(app: &App, frame: &mut Frame, area: Rect) {
    let [title, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let [table_area, bar_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(1)]).areas(rest);
    let (what, next) = match app.lists.hero_mode {
        HeroMode::With => ("Heroes on your team", "against"),
        _ => ("Heroes against you", "played"),
    };
    let order = if app.lists.matchups_by_rate {
        format!("by your win rate ({MIN_GAMES}+ games first)")
    } else {
        "most met first".to_string()
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!(" {what}"), theme::title()),
            Span::styled(
                format!(", your record in those games, {order} · v: {next}"),
                theme::dim(),
            ),
        ])),
        title,
    );
    if app.lists.matchups.is_empty() {
        let text = if app.is_loading() {
            " Reading the statistics…"
        } else {
            " No match with details (that the filter keeps)."
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme::dim())), table_area);
        return;
    }
    let mark = |name: &'static str, marked: bool| {
        if marked {
            format!("{name}▼")
        } else {
            name.to_string()
        }
    };
    let header = Row::new([
        Cell::from("Hero"),
        Cell::from(Line::from(mark("Games", !app.lists.matchups_by_rate)).right_aligned()),
        Cell::from(Line::from(mark("Win %", app.lists.matchups_by_rate)).right_aligned()),
        Cell::from(""),
    ])
    .style(theme::column_header());
    let rows = app.lists.matchups.rows[scrollbar::window(
        app.lists.matchups.scroll,
        app.lists.matchups.len(),
        table_area,
    )]
    .iter()
    .map(|m| {
        let record = app.lists.hero_mode.side(m).unwrap_or_default();
        let rate = record.win_rate().unwrap_or(0.0);
        let style = if rate >= 50.0 {
            theme::win()
        } else {
            theme::loss()
        };
        Row::new([
            Cell::from(format::ellipsize(&assets::hero_name(m.hero_id), 20)),
            Cell::from(Line::from(record.games.to_string()).right_aligned()),
            Cell::from(Line::styled(format!("{rate:.1}%"), style).right_aligned()),
            Cell::from(win_bar(rate).style(style)),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(20),
            Constraint::Length(6),
            Constraint::Length(7),
            Constraint::Length(BAR as u16),
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
        app.lists.matchups.scroll,
        app.lists.matchups.len(),
    );
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
