//! The match list: newest first (`c`: oldest first, or by duration, K/D/A,
//! GPM, marked in the header), one row per match, built only for the rows
//! on screen (the window holds a few screens; the total can be 100,000).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, HighlightSpacing, Paragraph, Row, Table, TableState};

use super::{scrollbar, theme};
use crate::assets;
use crate::store::{ListOrder, MAX_ATTEMPTS, MatchListRow, SummaryLine};
use crate::tui::format::{self, Clock};
use crate::tui::state::app::App;

/// Wide enough for side, KDA ratio, GPM and lobby type.
const WIDE: u16 = 110;
/// A wide result column: what comes before the items, and the least room
/// worth giving them (else they are left out, header and all).
const WIDE_FIXED: usize = 70;
const MIN_ITEMS: usize = 16;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(list) = app.lists.matches.as_ref() else {
        return;
    };
    let [table_area, bar_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(1)]).areas(area);
    if list.total() == 0 {
        render_empty(app, frame, table_area);
        return;
    }
    let selected_line = list.selected_index().saturating_sub(list.offset()) as usize;
    let rows = list.visible_rows();
    render_rows_in(
        app,
        rows,
        Some(selected_line),
        list.order(),
        frame,
        table_area,
    );

    // The header row sits above the rows the bar scrolls.
    let bar_area = Rect {
        y: bar_area.y + 1,
        height: bar_area.height.saturating_sub(1),
        ..bar_area
    };
    let page = u64::from(table_area.height.saturating_sub(1));
    scrollbar::render(frame, bar_area, list.total(), page, list.offset());
}

/// Rows of the match list under its column header, `selected` marked.
/// The Overview's newest matches use it too.
pub(super) fn render_rows(
    app: &App,
    rows: &[MatchListRow],
    selected: Option<usize>,
    frame: &mut Frame,
    area: Rect,
) {
    render_rows_in(app, rows, selected, ListOrder::Newest, frame, area);
}

/// [`render_rows`] in `order`, marked on its column (newest first, the
/// order of every list of matches, is not).
fn render_rows_in(
    app: &App,
    rows: &[MatchListRow],
    selected: Option<usize>,
    order: ListOrder,
    frame: &mut Frame,
    area: Rect,
) {
    let wide = area.width >= WIDE;
    let hero_width = if wide { 20 } else { 16 };
    // What the result column gets: the rest after the marker, the fixed
    // columns and the spaces between them; long reasons end with `…`.
    let result_width = usize::from(area.width.saturating_sub(2 + 11 + 10 + hero_width + 3));
    let rows: Vec<Row> = rows
        .iter()
        .map(|row| match_row(row, &app.settings.clock, wide, hero_width, result_width))
        .collect();
    let date = if order == ListOrder::Oldest {
        "Date▲"
    } else {
        "Date"
    };
    let header = Row::new([
        Cell::from("Match ID"),
        Cell::from(date),
        Cell::from("Hero"),
        Cell::from(outcome_header(wide, result_width, order)),
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
    .highlight_symbol("▶ ")
    .highlight_spacing(HighlightSpacing::Always);
    let mut state = TableState::new().with_selected(selected);
    frame.render_stateful_widget(table, area, &mut state);
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

/// The header of the combined result column, aligned with [`outcome`],
/// the sorted column marked; where a narrow screen has no such column,
/// the header says what the rows are sorted by.
fn outcome_header(wide: bool, width: usize, order: ListOrder) -> String {
    let mark = |name: &'static str, by: ListOrder| {
        if order == by {
            format!("{name}▼")
        } else {
            name.to_string()
        }
    };
    let time = mark("Time", ListOrder::Duration);
    if wide {
        let items = if width >= WIDE_FIXED + MIN_ITEMS {
            "Items"
        } else {
            ""
        };
        let (kda, gpm) = (
            mark("KDA", ListOrder::Kda),
            mark("GPM", ListOrder::GoldPerMin),
        );
        return format!(
            "{:<4}{:<8}{:<9}{kda:>5}{time:>7}{gpm:>5}  {:<18}{:<12}{items}",
            "W/L", "Side", "K/D/A", "Mode", "Lobby"
        );
    }
    let kda = mark("K/D/A", ListOrder::Kda);
    let by = if order == ListOrder::GoldPerMin {
        "  by GPM▼"
    } else {
        ""
    };
    format!("{:<4}{kda:<9}{time:>6}  Mode{by}", "W/L")
}

/// (kills + assists) / deaths, deaths counted as at least one.
fn kda_ratio(row: &MatchListRow) -> String {
    match (row.kills, row.deaths, row.assists) {
        (Some(k), Some(d), Some(a)) => format!("{:.1}", (k + a) as f64 / d.max(1) as f64),
        _ => "-".into(),
    }
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
        Cell::from(outcome(row, clock, wide, result_width)),
    ])
}

/// W/L, K/D/A, duration and mode; or why the match has no data yet.
fn outcome(row: &MatchListRow, clock: &Clock, wide: bool, width: usize) -> Line<'static> {
    match row.has_details {
        None => match &row.fetch_error {
            None => match &row.summary {
                None => Line::styled("No data available yet", theme::dim()),
                Some(summary) => with_summary(summary, width),
            },
            Some(reason) => with_summary_after(api_error(row, reason, clock, width), row, width),
        },
        Some(false) => {
            let line = fetch_problem(row);
            let style = line.style;
            let line = Line::styled(format::ellipsize(&line.to_string(), width), style);
            with_summary_after(line, row, width)
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
            let rest = if wide {
                let side = match row.player_slot {
                    Some(slot) if crate::source::model::is_radiant_slot(slot) => "Radiant",
                    Some(_) => "Dire",
                    None => "-",
                };
                let lobby = row
                    .lobby_type
                    .map_or_else(String::new, |l| assets::lobby_type_name(l).into_owned());
                let gpm = format::opt(row.gold_per_min);
                let text = format!(
                    "{side:<8}{kda:<9}{:>5}{duration:>7}{gpm:>5}  {:<18}{:<12}",
                    kda_ratio(row),
                    format::ellipsize(&mode, 17),
                    format::ellipsize(&lobby, 11),
                );
                let items: Vec<_> = row
                    .items
                    .iter()
                    .flatten()
                    .map(|&id| assets::item_name(id))
                    .filter(|name| !name.is_empty())
                    .collect();
                let room = width.saturating_sub(4 + text.chars().count());
                if room >= MIN_ITEMS {
                    format!("{text}{}", format::ellipsize(&items.join(", "), room))
                } else {
                    text.trim_end().to_string()
                }
            } else {
                format::ellipsize(
                    &format!("{kda:<9}{duration:>6}  {mode}"),
                    width.saturating_sub(4),
                )
            };
            Line::from(vec![
                Span::styled(format!("{wl:<4}"), style),
                Span::raw(rest),
            ])
        }
    }
}

/// A stub with a summary: still `No data available yet`, then what the
/// summary knows, dimmed and marked `summary` (`sum` where the column is
/// too narrow), so it is never taken for details.
fn with_summary(summary: &SummaryLine, width: usize) -> Line<'static> {
    const STUB: &str = "No data available yet · ";
    let (wl, style) = result_of(summary.won);
    let kda = format!(" {}", summary_kda(summary));
    let fits = |marker: &str| STUB.chars().count() + marker.len() + 1 + kda.len() <= width;
    let marker = if fits("summary ") { "summary " } else { "sum " };
    let faint = theme::dim().add_modifier(Modifier::ITALIC);
    Line::from(vec![
        Span::styled(STUB, theme::dim()),
        Span::styled(marker, faint),
        Span::styled(wl, style.add_modifier(Modifier::DIM)),
        Span::styled(kda, faint),
    ])
}

/// A failed stub's line, then what its summary knows where the whole of
/// both fits: the failure comes first, the summary never cuts it.
fn with_summary_after(line: Line<'static>, row: &MatchListRow, width: usize) -> Line<'static> {
    let Some(summary) = &row.summary else {
        return line;
    };
    let (wl, style) = result_of(summary.won);
    let kda = format!(" {}", summary_kda(summary));
    let marker = " · summary";
    if line.width() + marker.chars().count() + 1 + wl.len() + kda.len() > width {
        return line;
    }
    let faint = theme::dim().add_modifier(Modifier::ITALIC);
    // The failure's style moves onto its own spans, so the summary's
    // spans do not inherit it.
    let Line {
        style: line_style,
        mut spans,
        ..
    } = line;
    for span in &mut spans {
        span.style = line_style.patch(span.style);
    }
    spans.push(Span::styled(marker, faint));
    spans.push(Span::styled(
        format!(" {wl}"),
        style.add_modifier(Modifier::DIM),
    ));
    spans.push(Span::styled(kda, faint));
    Line::from(spans)
}

fn result_of(won: Option<bool>) -> (&'static str, Style) {
    match won {
        Some(true) => ("W", theme::win()),
        Some(false) => ("L", theme::loss()),
        None => ("-", theme::dim()),
    }
}

fn summary_kda(summary: &SummaryLine) -> String {
    format!(
        "{}/{}/{}",
        format::opt(summary.kills),
        format::opt(summary.deaths),
        format::opt(summary.assists)
    )
}

/// A stub the API failed to serve (5xx, no answer): its row stays a stub,
/// nothing is counted, and the next sync asks again (ARCHITECTURE.md, "Retry
/// rules"). The reason and when, then that promise; in fewer words where
/// the full line would lose its end.
fn api_error(row: &MatchListRow, reason: &str, clock: &Clock, width: usize) -> Line<'static> {
    let when = row
        .last_fetch_attempt
        .as_deref()
        .map_or_else(|| "earlier".into(), |t| format::attempt_when(t, clock));
    let full = format!(
        "No data yet: {}, tried {when}, will be tried again",
        format::sanitize(reason)
    );
    let text = if full.chars().count() <= width {
        full
    } else {
        format::ellipsize(&format!("API error {when}, will retry"), width)
    };
    Line::styled(text, theme::failed())
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
