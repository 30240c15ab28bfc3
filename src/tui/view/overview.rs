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
use crate::store::stats::{ACTIVITY_DAYS, Overview, Record, Split};
use crate::tui::state::app::App;
use crate::tui::{format, layout};

const DAY: i64 = 86_400;
/// The heatmap: a title and a row per weekday.
const HEATMAP_ROWS: u16 = 8;
/// Day letters, then one column per week of `ACTIVITY_DAYS`.
const HEATMAP_MAX_WIDTH: u16 = 2 + (ACTIVITY_DAYS / 7) as u16;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let [summary, charts, recent] = layout::overview(area);
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
    let mut lines = summary_lines(overview);
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
    render_rolling(overview, frame, chart);
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

fn summary_lines(o: &Overview) -> Vec<Line<'static>> {
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
    let mut strip = vec![label("Last 20")];
    // Oldest on the left, so the strip reads like a timeline.
    for &won in o.recent.iter().rev() {
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
        split_line(label("Lobby"), &o.by_lobby, 4),
        split_line(label("Side"), &o.by_side, 2),
        split_line(label("Mode"), &o.by_mode, 3),
    ]
}

fn rate(record: Record) -> String {
    record
        .win_rate()
        .map_or_else(|| "-".into(), |r| format!("{r:.1}%"))
}

/// `Ranked 52.0% (800) · Normal ...`, at most `max` parts.
fn split_line(label: Span<'static>, splits: &[Split], max: usize) -> Line<'static> {
    let mut spans = vec![label];
    for (i, split) in splits.iter().take(max).enumerate() {
        if i > 0 {
            spans.push(Span::styled(" · ", theme::dim()));
        }
        spans.push(Span::raw(format!("{} {}", split.label, rate(split.record))));
        spans.push(Span::styled(
            format!(" ({})", split.record.games),
            theme::dim(),
        ));
    }
    if splits.len() > max {
        spans.push(Span::styled(
            format!(" · +{} more", splits.len() - max),
            theme::dim(),
        ));
    }
    Line::from(spans)
}

/// Games per day: weeks as columns (newest on the right), Monday on top.
fn render_activity(o: &Overview, now: i64, frame: &mut Frame, area: Rect) {
    let block = Block::new().title(Span::styled(" Games per day ", theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height < 7 || inner.width < 4 {
        return;
    }
    let by_day: HashMap<i64, u64> = o.activity.iter().copied().collect();
    let busiest = by_day.values().copied().max().unwrap_or(1).max(1);
    let today = now.div_euclid(DAY);
    let weekday = |day: i64| {
        DateTime::from_timestamp(day * DAY, 0).map_or(0, |d| d.weekday().num_days_from_monday())
    };
    let weeks = i64::from(inner.width.min(HEATMAP_MAX_WIDTH) - 2);
    // The Monday of the oldest week shown.
    let first_monday = today - i64::from(weekday(today)) - (weeks - 1) * 7;
    let names = ["M", "", "W", "", "F", "", "S"];
    let lines: Vec<Line> = (0..7)
        .map(|row| {
            let mut spans = vec![Span::styled(format!("{:<2}", names[row]), theme::dim())];
            let mut text = String::new();
            for week in 0..weeks {
                let day = first_monday + week * 7 + row as i64;
                text.push(if day > today {
                    ' '
                } else {
                    shade(by_day.get(&(day * DAY)).copied().unwrap_or(0), busiest)
                });
            }
            spans.push(Span::styled(text, theme::chart()));
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
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

/// The win rate of the last 20 games, over time.
fn render_rolling(o: &Overview, frame: &mut Frame, area: Rect) {
    if o.rolling.len() < 2 || area.width < 20 {
        return;
    }
    let points: Vec<(f64, f64)> = o
        .rolling
        .iter()
        .map(|&(t, rate)| (t as f64, rate))
        .collect();
    let first = o.rolling[0].0;
    let last = o.rolling[o.rolling.len() - 1].0;
    let day = |t: i64| {
        DateTime::from_timestamp(t, 0).map_or_else(String::new, |d| d.format("%Y-%m").to_string())
    };
    let even = vec![(first as f64, 50.0), (last as f64, 50.0)];
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
            .data(&points),
    ];
    let chart = Chart::new(datasets)
        .block(Block::new().title(Span::styled(" Win rate, last 20 games ", theme::title())))
        .x_axis(
            Axis::default()
                .bounds([first as f64, last.max(first + 1) as f64])
                .labels([Span::raw(day(first)), Span::raw(day(last))])
                .style(theme::dim()),
        )
        .y_axis(
            Axis::default()
                .bounds([0.0, 100.0])
                .labels(["0%", "50%", "100%"])
                .style(theme::dim()),
        );
    frame.render_widget(chart, area);
}
