//! "How am I doing?": the record, the streak, the last games, averages, the
//! splits by lobby, side and mode, a rolling win rate and a year of activity.
//! The numbers come from the store (`store::stats`); this only draws them.

use std::collections::HashMap;

use chrono::{DateTime, Datelike};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph};

use super::{matches, theme};
use crate::store::stats::{Overview, Record, Split, TrendMetric};
use crate::tui::state::app::App;
use crate::tui::words::{self, Label};
use crate::tui::{format, layout};

const DAY: i64 = 86_400;
/// How many games the W/L strip shows.
const STRIP_GAMES: usize = 20;
/// A year of weeks: the heatmap's span when the screen gives each week a
/// column (longer histories put several weeks in a column).
const ACTIVITY_DAYS: i64 = 53 * 7;
/// The heatmap: a title, a row per weekday, the month labels.
const HEATMAP_ROWS: u16 = 9;
/// Day letters, then one column per week of `ACTIVITY_DAYS`: beside the
/// chart, no wider than a year of weeks.
const HEATMAP_MAX_WIDTH: u16 = 2 + (ACTIVITY_DAYS / 7) as u16;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let [summary, charts, recent] = layout::overview(area, app.has_stats());
    render_recent(app, frame, recent);
    let Some(overview) = app.overview.as_ref() else {
        frame.render_widget(
            Paragraph::new(Line::styled(" Reading the statistics…", theme::dim())),
            summary,
        );
        return;
    };
    if overview.record.games == 0 {
        let text = if app.filter.applied.is_empty() {
            " No match with details yet: statistics appear as details arrive."
        } else {
            " No match with details passes the filter."
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme::dim())), summary);
        return;
    }
    let mut lines = summary_lines(overview, usize::from(summary.width));
    lines.truncate(usize::from(summary.height));
    frame.render_widget(Paragraph::new(lines), summary);
    if charts.height < 4 {
        return;
    }
    // Tall enough: the heatmap above a full-width chart; else side by side,
    // the heatmap taking the weeks that fit beside a chart of 24 columns.
    let (heat, chart) = if charts.height >= HEATMAP_ROWS + 8 {
        let [heat, chart] =
            Layout::vertical([Constraint::Length(HEATMAP_ROWS), Constraint::Min(0)]).areas(charts);
        (heat, chart)
    } else {
        let heat_width = (charts.width.saturating_sub(24)).clamp(10, HEATMAP_MAX_WIDTH);
        let [heat, chart] =
            Layout::horizontal([Constraint::Length(heat_width), Constraint::Min(0)]).areas(charts);
        (heat, chart)
    };
    render_activity(overview, app.settings.clock.now().timestamp(), frame, heat);
    render_rolling(overview, app.trend, frame, chart);
}

/// The newest matches, or while a sync runs the rows where its details are
/// arriving: the stubs among them read `No data available yet`.
fn render_recent(app: &App, frame: &mut Frame, area: Rect) {
    if area.height < 2 {
        return;
    }
    let recent = &app.recent;
    let [title, table] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let shown = recent.rows.len() as u64;
    let mut spans = if recent.following && recent.first > 0 {
        vec![
            Span::styled(
                format!(
                    " Matches {}-{} of {}",
                    recent.first + 1,
                    recent.first + shown,
                    recent.total
                ),
                theme::title(),
            ),
            Span::styled(", where details are arriving (newest first)", theme::dim()),
        ]
    } else {
        vec![
            Span::styled(" Newest matches", theme::title()),
            Span::styled(format!(", {shown} of {}", recent.total), theme::dim()),
        ]
    };
    spans.push(Span::styled("  (2: all)", theme::dim()));
    frame.render_widget(Paragraph::new(Line::from(spans)), title);
    if recent.rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                " No matches yet: they appear as the history is collected.",
                theme::dim(),
            )),
            table,
        );
        return;
    }
    matches::render_rows(app, &recent.rows, None, frame, table);
}

/// The summary's lines, `width` wide: the splits list what fits whole.
fn summary_lines(o: &Overview, width: usize) -> Vec<Line<'static>> {
    let label = |text: &str| Span::styled(format!(" {text:<9}"), theme::dim());
    let record = o.record;
    let mut first = vec![
        label("Record"),
        Span::styled(format!("{} W", record.wins), theme::win()),
        Span::raw("  "),
        Span::styled(format!("{} L", record.losses()), theme::loss()),
        Span::raw(format!("  {}", rate(record))),
        Span::styled(format!(" of {}", record.games), theme::dim()),
    ];
    if let Some(streak) = o.streak {
        let (text, style) = if streak.won {
            (format!("{} won in a row", streak.games), theme::win())
        } else {
            (format!("{} lost in a row", streak.games), theme::loss())
        };
        first.push(Span::styled("   streak ", theme::dim()));
        first.push(Span::styled(text, style));
    }
    // Games without details yet, counted from their summary (the tab row
    // says so too when it has room).
    if o.from_summaries > 0 {
        let note = format!("   {} from summaries", o.from_summaries);
        let used: usize = first.iter().map(|s| s.content.chars().count()).sum();
        if used + note.chars().count() <= width {
            first.push(Span::styled(note, theme::dim()));
        }
    }
    let mut strip = vec![label(&format!("Last {STRIP_GAMES}"))];
    // Oldest on the left, so the strip reads like a timeline.
    for &won in o.recent.iter().take(STRIP_GAMES).rev() {
        strip.push(if won {
            Span::styled("W", theme::win())
        } else {
            Span::styled("L", theme::loss())
        });
    }
    let a = o.averages;
    let averages = vec![
        label("Average"),
        Span::raw(format!(
            "{:.1}/{:.1}/{:.1} K/D/A · {:.0} GPM · {:.0} XPM · {}",
            a.kills,
            a.deaths,
            a.assists,
            a.gold_per_min,
            a.xp_per_min,
            format::match_duration(a.duration.round() as i64)
        )),
    ];
    vec![
        Line::from(first),
        Line::from(strip),
        Line::from(averages),
        split_line(label("Lobby"), &o.by_lobby, |k| k.label().into(), 4, width),
        split_line(label("Side"), &o.by_side, |k| k.label().into(), 2, width),
        split_line(
            label("Mode"),
            &o.by_mode,
            |&k| words::game_mode(k),
            3,
            width,
        ),
    ]
}

fn rate(record: Record) -> String {
    record
        .win_rate()
        .map_or_else(|| "-".into(), |r| format!("{r:.1}%"))
}

/// `Ranked 52.0% (800) · Normal ...`: at most `max` parts, and only those
/// that fit `width` whole with the `+N more` after them (never a number
/// cut in two).
fn split_line<K>(
    label: Span<'static>,
    splits: &[Split<K>],
    name: impl Fn(&K) -> String,
    max: usize,
    width: usize,
) -> Line<'static> {
    let part = |split: &Split<K>| {
        (
            format!("{} {}", name(&split.key), rate(split.record)),
            format!(" ({})", split.record.games),
        )
    };
    let more = |shown: usize| match splits.len() - shown {
        0 => String::new(),
        n => format!(" · +{n} more"),
    };
    let mut shown = 0;
    let mut used = label.content.chars().count();
    for (i, split) in splits.iter().take(max).enumerate() {
        let (text, games) = part(split);
        let sep = if i > 0 { 3 } else { 0 };
        let need = sep + text.chars().count() + games.chars().count();
        // Room for this part and for what says how many are left out.
        if used + need + more(i + 1).chars().count() > width {
            break;
        }
        used += need;
        shown += 1;
    }
    let mut spans = vec![label];
    for (i, split) in splits.iter().take(shown).enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme::dim()));
        }
        let (text, games) = part(split);
        spans.push(Span::raw(text));
        spans.push(Span::styled(games, theme::dim()));
    }
    let rest = more(shown);
    if !rest.is_empty() {
        spans.push(Span::styled(
            if shown == 0 {
                rest.trim_start_matches(" · ").to_string()
            } else {
                rest
            },
            theme::dim(),
        ));
    }
    Line::from(spans)
}

/// Games per day over the whole history: weeks as columns (newest on the
/// right, ending this week), Monday on top, month or year labels below.
/// When the history has more weeks than the screen has columns, a column
/// holds several weeks and a cell counts that weekday's games in them.
fn render_activity(o: &Overview, now: i64, frame: &mut Frame, area: Rect) {
    let Some(&(first_day, _)) = o.activity.first() else {
        return;
    };
    if area.height < HEATMAP_ROWS || area.width < 12 {
        return;
    }
    let weekday = |day: i64| {
        DateTime::from_timestamp(day * DAY, 0).map_or(0, |d| d.weekday().num_days_from_monday())
    };
    // The history's span: from its first game to its newest (a history that
    // ended years ago is not a year of empty days).
    let today = o
        .activity
        .last()
        .map_or(now, |&(day, _)| day)
        .div_euclid(DAY)
        .min(now.div_euclid(DAY));
    let first = first_day.div_euclid(DAY).min(today);
    let last_monday = today - i64::from(weekday(today));
    let room = i64::from(area.width - 2).max(1);
    // A short history still gets the weeks that fit, up to a year: the
    // days before it read as days without games.
    let history_weeks = (last_monday - (first - i64::from(weekday(first)))) / 7 + 1;
    let weeks = history_weeks.max(room.min(ACTIVITY_DAYS / 7));
    let first_monday = last_monday - (weeks - 1) * 7;
    let per_column = ((weeks + room - 1) / room).max(1);
    let columns = (weeks + per_column - 1) / per_column;
    // The oldest column's first Monday: the newest column ends this week.
    let start = last_monday - (columns * per_column - 1) * 7;
    let by_day: HashMap<i64, u64> = o
        .activity
        .iter()
        .map(|&(day, games)| (day.div_euclid(DAY), games))
        .collect();
    let cell = |column: i64, row: i64| -> u64 {
        (0..per_column)
            .map(|w| start + (column * per_column + w) * 7 + row)
            .filter(|day| *day <= today)
            .map(|day| by_day.get(&day).copied().unwrap_or(0))
            .sum()
    };
    let cells: Vec<Vec<u64>> = (0..7)
        .map(|row| (0..columns).map(|c| cell(c, row)).collect())
        .collect();
    let busiest = cells.iter().flatten().copied().max().unwrap_or(1).max(1);
    let month = |day: i64| {
        DateTime::from_timestamp(day * DAY, 0)
            .map_or_else(String::new, |d| d.format("%Y-%m").to_string())
    };
    let span = format!("{} to {}", month(first_monday.max(start)), month(today));
    let unit = if per_column == 1 {
        "Games per day".to_string()
    } else {
        format!("Games per weekday, {per_column} weeks a column")
    };
    // The title, the span and the legend; what does not fit is left out
    // whole, the legend first.
    let width = usize::from(area.width);
    let mut spans = vec![Span::styled(format!(" {unit} "), theme::title())];
    let mut used = unit.chars().count() + 2;
    let legend = format!(" · 0 to {busiest}");
    if used + span.chars().count() <= width {
        used += span.chars().count();
        spans.push(Span::styled(span, theme::dim()));
        if used + 5 + legend.chars().count() < width {
            spans.push(Span::styled(" ", theme::dim()));
            spans.push(Span::styled("·░▒▓█", theme::chart()));
            spans.push(Span::styled(legend, theme::dim()));
        }
    }
    let title = Line::from(spans);
    let names = ["M", "", "W", "", "F", "", "S"];
    let mut lines = vec![title];
    for (row, counts) in cells.iter().enumerate() {
        let mut text = String::new();
        for (column, &games) in counts.iter().enumerate() {
            let day = start + (column as i64 * per_column) * 7 + row as i64;
            text.push(if day > today {
                ' '
            } else {
                shade(games, busiest)
            });
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{:<2}", names[row]), theme::dim()),
            Span::styled(text, theme::chart()),
        ]));
    }
    lines.push(Line::styled(
        format!("  {}", month_labels(start, per_column, columns)),
        theme::dim(),
    ));
    frame.render_widget(Paragraph::new(lines), area);
}

/// Labels under the heatmap's columns: the year where one begins, then in
/// the room left the short names of the months where they begin (a column
/// of a month or more: the years only); never two labels run together.
fn month_labels(start: i64, per_column: i64, columns: i64) -> String {
    let date = |day: i64| DateTime::from_timestamp(day * DAY, 0).map(|d| d.date_naive());
    let days: Vec<_> = (0..columns)
        .filter_map(|c| date(start + c * per_column * 7).map(|d| (c as usize, d)))
        .collect();
    let mut years = Vec::new();
    let mut months = Vec::new();
    for pair in days.windows(2) {
        let ((_, before), (column, day)) = (pair[0], pair[1]);
        if before.year() != day.year() {
            years.push((column, day.format("%Y").to_string()));
        } else if before.month() != day.month() {
            months.push((column, day.format("%b").to_string()));
        }
    }
    let mut line: Vec<char> = vec![' '; columns as usize];
    let mut taken = vec![false; columns as usize + 1];
    let mut place = |column: usize, label: &str| {
        let end = column + label.chars().count();
        // A free cell before and after: labels never touch.
        let free = end < taken.len()
            && (column.saturating_sub(1)..=end).all(|c| !taken.get(c).copied().unwrap_or(false));
        if free {
            for (offset, ch) in label.chars().enumerate() {
                line[column + offset] = ch;
            }
            taken[column..end].iter_mut().for_each(|t| *t = true);
        }
    };
    for (column, label) in &years {
        place(*column, label);
    }
    if per_column < 4 {
        for (column, label) in &months {
            place(*column, label);
        }
    }
    line.into_iter().collect::<String>().trim_end().to_string()
}

/// Darker is busier: none, then four steps up to the busiest day.
fn shade(games: u64, busiest: u64) -> char {
    if games == 0 {
        return '·';
    }
    match (games * 4).div_ceil(busiest) {
        0 | 1 => '░',
        2 => '▒',
        3 => '▓',
        _ => '█',
    }
}

/// A trend over time (`t` picks the metric: win rate, K/D/A ratio, GPM,
/// XPM): each point the mean of the last `rolling_window` games (20, or
/// every game since the point before on a long history), dated below at
/// both ends and the middle, so that the labels say what is drawn.
fn render_rolling(o: &Overview, metric: TrendMetric, frame: &mut Frame, area: Rect) {
    let points: &[(i64, f64)] = match metric {
        TrendMetric::WinRate => &o.rolling,
        _ => o
            .trends
            .iter()
            .find(|t| t.metric == metric)
            .map_or(&[], |t| &t.points),
    };
    if points.len() < 2 || area.width < 20 {
        return;
    }
    let data: Vec<(f64, f64)> = points.iter().map(|&(t, v)| (t as f64, v)).collect();
    let first = points[0].0;
    let last = points[points.len() - 1].0;
    let month = |t: i64| {
        DateTime::from_timestamp(t, 0).map_or_else(String::new, |d| d.format("%Y-%m").to_string())
    };
    // The win rate on 0-100% with 50% drawn; the others between their
    // lowest and highest, labelled with those values.
    let (low, high, labels, middle_line) = match metric {
        TrendMetric::WinRate => (
            0.0,
            100.0,
            ["0%".into(), "50%".into(), "100%".into()],
            Some(50.0),
        ),
        _ => {
            let low = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
            let high = points
                .iter()
                .map(|p| p.1)
                .fold(f64::NEG_INFINITY, f64::max)
                .max(low + 0.1);
            let text = |v: f64| {
                if metric == TrendMetric::Kda {
                    format!("{v:.1}")
                } else {
                    format!("{v:.0}")
                }
            };
            (
                low,
                high,
                [text(low), text((low + high) / 2.0), text(high)],
                None,
            )
        }
    };
    let even: Vec<(f64, f64)> = middle_line
        .map(|y| vec![(first as f64, y), (last as f64, y)])
        .unwrap_or_default();
    let datasets = vec![
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme::dim())
            .data(&even),
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme::chart())
            .data(&data),
    ];
    let title = format!(
        " {}, each point the {} games before it · t: next ",
        metric.label(),
        o.rolling_window
    );
    let middle = first + (last - first) / 2;
    let chart = Chart::new(datasets)
        .block(Block::new().title(Span::styled(title, theme::title())))
        .x_axis(
            Axis::default()
                .bounds([first as f64, last.max(first + 1) as f64])
                .labels([
                    Span::raw(month(first)),
                    Span::raw(month(middle)),
                    Span::raw(month(last)),
                ])
                .style(theme::dim()),
        )
        .y_axis(
            Axis::default()
                .bounds([low, high])
                .labels(labels)
                .style(theme::dim()),
        );
    frame.render_widget(chart, area);
}
