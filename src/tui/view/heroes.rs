//! Per hero: games, wins, win rate (with a bar), K/D/A, GPM, XPM, last
//! played; `c` cycles the sort, and the sorted column is marked. `v` shows
//! instead the heroes on the player's team, then against them, with the
//! player's record in those games.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row};

use super::table::{self, Column, ListTable};
use super::theme;
use crate::assets;
use crate::store::stats::HeroStats;
use crate::tui::format::{self, Clock};
use crate::tui::state::app::App;
use crate::tui::state::hero_mode::{HeroMode, MIN_GAMES};

/// Cells of the win-rate bar.
const BAR: usize = 10;

/// The Heroes columns; the bar (untitled) only on a wide screen.
const COLUMNS: [Column; 8] = [
    Column::left("Hero", Constraint::Length(19)),
    Column::right("Games", Constraint::Length(6)),
    Column::right("Win %", Constraint::Length(6)),
    Column::left("", Constraint::Length(BAR as u16)),
    Column::right("K/D/A", Constraint::Length(14)),
    Column::right("GPM", Constraint::Length(4)),
    Column::right("XPM", Constraint::Length(4)),
    Column::left("Last played", Constraint::Fill(1)),
];
/// Where the bar is in [`COLUMNS`].
const BAR_COLUMN: usize = 3;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if app.lists.hero_mode != HeroMode::Played {
        return render_matchups(app, frame, area);
    }
    let wide = area.width >= 100;
    let columns: Vec<Column> = COLUMNS
        .iter()
        .enumerate()
        .filter(|&(i, _)| wide || i != BAR_COLUMN)
        .map(|(_, c)| *c)
        .collect();
    let clock = &app.settings.clock;
    ListTable {
        sorted: columns
            .iter()
            .position(|c| c.title == app.lists.hero_sort.column()),
        columns: &columns,
        spacing: 1,
        empty: if app.is_loading() {
            " Reading the statistics…"
        } else {
            " No hero played in a match with details (that the filter keeps)."
        },
    }
    .render(frame, area, &app.lists.heroes, |h| hero_row(h, clock, wide));
}

fn hero_row(h: &HeroStats, clock: &Clock, wide: bool) -> Row<'static> {
    let rate = h.record.win_rate().unwrap_or(0.0);
    let right = table::right;
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
    const MATCHUP_COLUMNS: [Column; 4] = [
        Column::left("Hero", Constraint::Length(20)),
        Column::right("Games", Constraint::Length(6)),
        Column::right("Win %", Constraint::Length(7)),
        Column::left("", Constraint::Length(BAR as u16)),
    ];
    ListTable {
        columns: &MATCHUP_COLUMNS,
        sorted: Some(if app.lists.matchups_by_rate { 2 } else { 1 }),
        spacing: 2,
        empty: if app.is_loading() {
            " Reading the statistics…"
        } else {
            " No match with details (that the filter keeps)."
        },
    }
    .render(frame, rest, &app.lists.matchups, |m| {
        let record = app.lists.hero_mode.side(m).unwrap_or_default();
        let rate = record.win_rate().unwrap_or(0.0);
        let style = if rate >= 50.0 {
            theme::win()
        } else {
            theme::loss()
        };
        Row::new([
            Cell::from(format::ellipsize(&assets::hero_name(m.hero_id), 20)),
            table::right(record.games.to_string()),
            table::right(Line::styled(format!("{rate:.1}%"), style)),
            Cell::from(win_bar(rate).style(style)),
        ])
    });
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
