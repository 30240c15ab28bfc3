//! The match list: newest first, one row per match, built only for the rows
//! on screen (the window holds a few screens; the total can be 100,000).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

use super::{scrollbar, theme};
use crate::assets;
use crate::store::{MAX_ATTEMPTS, MatchListRow};
use crate::tui::format::{self, Clock};
use crate::tui::state::app::App;

/// Wide enough for a lobby type after the mode.
const WIDE: u16 = 110;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(list) = app.matches.as_ref() else {
        return;
    };
    let [table_area, bar_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    if list.total() == 0 {
        render_empty(app, frame, table_area);
        return;
    }
    let wide = area.width >= WIDE;
    let hero_width = if wide { 20 } else { 16 };
    // What the result column gets: the rest after the marker, the fixed
    // columns and the spaces between them; long reasons end with `…`.
    let result_width = usize::from(
        table_area
            .width
            .saturating_sub(2 + 11 + 10 + hero_width + 3),
    );
    let rows: Vec<Row> = list
        .visible_rows()
        .iter()
        .map(|row| match_row(row, &app.settings.clock, wide, hero_width, result_width))
        .collect();
    let header = Row::new([
        Cell::from("Match ID"),
        Cell::from("Date"),
        Cell::from("Hero"),
        Cell::from(outcome_header(wide)),
    ])
    .style(theme::column_header());
    let table = Table::new(
        rows,
        [
            Constraint::Length(11),
            Constraint::Length(10),
            Constraint::Length(hero_width),
            Constraint::Fill(1),
        ],
    )
    .header(header)
    .row_highlight_style(theme::selected_row())
    .highlight_symbol("▶ ");
    let selected_line = list.selected_index().saturating_sub(list.offset()) as usize;
    let mut state = TableState::new().with_selected(Some(selected_line));
    frame.render_stateful_widget(table, table_area, &mut state);

    // The header row sits above the rows the bar scrolls.
    let bar_area = Rect {
        y: bar_area.y + 1,
        height: bar_area.height.saturating_sub(1),
        ..bar_area
    };
    let page = u64::from(table_area.height.saturating_sub(1));
    scrollbar::render(frame, bar_area, list.total(), page, list.offset());
}

fn render_empty(app: &App, frame: &mut Frame, area: Rect) {
    let text = if app.filter.text.is_empty() {
        Line::from(vec![
            Span::styled(" No matches yet. Press ", theme::dim()),
            Span::styled("s", theme::key()),
            Span::styled(" to collect this account's match history.", theme::dim()),
        ])
    } else {
        Line::styled(
            format!(
                " No match has a hero or an ID like \"{}\".",
                format::sanitize(&app.filter.text)
            ),
            theme::dim(),
        )
    };
    frame.render_widget(Paragraph::new(text), area);
}

/// The header of the combined result column, aligned with [`outcome`].
fn outcome_header(wide: bool) -> String {
    let mut text = format!("{:<4}{:<9}{:>6}  {}", "W/L", "K/D/A", "Time", "Mode");
    if wide {
        text = format!("{text:<40}Lobby");
    }
    text
}

fn match_row(
    row: &MatchListRow,
    clock: &Clock,
    wide: bool,
    hero_width: u16,
    result_width: usize,
) -> Row<'static> {
    let hero = row.hero_id.map_or_else(
        || "-".to_string(),
        |id| format::ellipsize(&assets::hero_name(id), usize::from(hero_width)),
    );
    Row::new([
        Cell::from(row.match_id.to_string()),
        Cell::from(format::when(row.start_time, clock)),
        Cell::from(hero),
        Cell::from(outcome(row, wide, result_width)),
    ])
}

/// W/L, K/D/A, duration and mode; or why the match has no data yet.
fn outcome(row: &MatchListRow, wide: bool, width: usize) -> Line<'static> {
    match row.has_details {
        None => Line::styled("No data available yet", theme::dim()),
        Some(false) => {
            let line = fetch_problem(row);
            let style = line.style;
            Line::styled(format::ellipsize(&line.to_string(), width), style)
        }
        Some(true) => {
            let (wl, style) = match row.won() {
                Some(true) => ("W", theme::win()),
                Some(false) => ("L", theme::loss()),
                None => ("-", theme::dim()),
            };
            let kda = format!(
                "{}/{}/{}",
                format::opt(row.kills),
                format::opt(row.deaths),
                format::opt(row.assists)
            );
            let duration = row
                .duration
                .map_or_else(|| "-".into(), format::match_duration);
            let mode = row
                .game_mode
                .map_or_else(|| "-".into(), |m| assets::game_mode_name(m).into_owned());
            let mut rest = format!("{:<9}{:>6}  {}", kda, duration, mode);
            if wide {
                let lobby = row
                    .lobby_type
                    .map_or_else(String::new, |l| assets::lobby_type_name(l).into_owned());
                rest = format!("{rest:<36}{lobby}");
            }
            Line::from(vec![
                Span::styled(format!("{wl:<4}"), style),
                Span::raw(rest),
            ])
        }
    }
}

/// `Fetch failed (2/3): <reason>` or, after the last attempt,
/// `Gave up (3/3): <reason>`.
pub fn fetch_problem(row: &MatchListRow) -> Line<'static> {
    let reason = row
        .fetch_error
        .as_deref()
        .map_or_else(|| "unknown error".into(), format::sanitize);
    if row.given_up() {
        Line::styled(
            format!("Gave up ({}/{MAX_ATTEMPTS}): {reason}", row.retry_count),
            theme::given_up(),
        )
    } else {
        Line::styled(
            format!(
                "Fetch failed ({}/{MAX_ATTEMPTS}): {reason}",
                row.retry_count
            ),
            theme::failed(),
        )
    }
}
