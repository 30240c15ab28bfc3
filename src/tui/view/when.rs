//! "When do I win?": the record by day of the week beside the record by
//! hour of the day, in the player's local time (UTC under a fixed clock).
//! Hours are grouped (2, 3, 4 or 6 to a row) when the screen is too short
//! for 24 rows. The numbers come from the store (`store::stats::WhenStats`).

use chrono::{Local, Offset};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme;
use crate::store::stats::{Record, Zone};
use crate::tui::state::app::App;

const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
/// Label, games and win rate before the bar.
const FIXED: usize = 6 + 7 + 8;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let Some(when) = app.when.as_ref() else {
        frame.render_widget(
            Paragraph::new(Line::styled(" Reading the statistics…", theme::dim())),
            area,
        );
        return;
    };
    let games: u64 = when.by_weekday.iter().map(|r| r.games).sum();
    let zone = match app.zone() {
        Zone::Utc => "UTC".to_string(),
        Zone::Local => {
            let offset = Local::now().offset().fix().local_minus_utc();
            format!(
                "local (UTC{}{:02}:{:02})",
                if offset < 0 { '-' } else { '+' },
                offset.abs() / 3_600,
                offset.abs() % 3_600 / 60
            )
        }
    };
    let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(" When do I win", theme::title()),
            Span::styled(
                format!(" · by start time, {zone} · {games} games · │ 50%"),
                theme::dim(),
            ),
        ])),
        title,
    );
    if games == 0 {
        let text = if app.filter.applied.is_empty() {
            " No match with details yet: the hours appear as details arrive."
        } else {
            " No match with details passes the filter."
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme::dim())), body);
        return;
    }
    // Side by side; on a wide screen each table no wider than it reads well.
    let half = (body.width * 45 / 100).min(64);
    let [days, hours] =
        Layout::horizontal([Constraint::Length(half), Constraint::Max(70)]).areas(body);
    let day_rows: Vec<(String, Record)> = DAYS
        .iter()
        .zip(when.by_weekday)
        .map(|(day, record)| (day.to_string(), record))
        .collect();
    frame.render_widget(Paragraph::new(table("Day", &day_rows, days.width)), days);
    let per_row = hours_per_row(hours.height.saturating_sub(1));
    let hour_rows: Vec<(String, Record)> = (0..24)
        .step_by(per_row)
        .map(|first| {
            let mut record = Record::default();
            for r in &when.by_hour[first..first + per_row] {
                record.games += r.games;
                record.wins += r.wins;
            }
            let label = if per_row == 1 {
                format!("{first:02}h")
            } else {
                format!("{first:02}-{:02}", first + per_row)
            };
            (label, record)
        })
        .collect();
    frame.render_widget(
        Paragraph::new(table("Hour", &hour_rows, hours.width)),
        hours,
    );
}

/// The fewest hours to a row that fit `rows` rows (1, 2, 3, 4 or 6).
fn hours_per_row(rows: u16) -> usize {
    [1, 2, 3, 4, 6]
        .into_iter()
        .find(|n| 24 / n <= usize::from(rows))
        .unwrap_or(6)
}

/// A header, then a row per bucket: label, games, win rate, and a bar of
/// the win rate (the middle of the bar is 50%).
fn table(label: &str, rows: &[(String, Record)], width: u16) -> Vec<Line<'static>> {
    let bar_width = usize::from(width).saturating_sub(FIXED + 2).min(40);
    let mut lines = vec![Line::styled(
        format!(" {label:<5}{:>7}{:>8}", "Games", "Win%"),
        theme::column_header(),
    )];
    for (label, record) in rows {
        let mut spans = vec![Span::raw(format!(" {label:<5}{:>7}", record.games))];
        match record.win_rate() {
            None => spans.push(Span::styled(format!("{:>8}", "-"), theme::dim())),
            Some(rate) => {
                let style = if rate >= 50.0 {
                    theme::win()
                } else {
                    theme::loss()
                };
                spans.push(Span::styled(format!("{rate:>7.1}%"), style));
                spans.push(Span::raw("  "));
                spans.push(Span::styled(bar(rate, bar_width), style));
            }
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// `rate` percent of `width` cells in eighths, a `│` marking 50% where the
/// bar does not reach it.
fn bar(rate: f64, width: usize) -> String {
    if width == 0 {
        return String::new();
    }
    let eighths = (rate.clamp(0.0, 100.0) / 100.0 * (width * 8) as f64).round() as usize;
    let mut text: String = "█".repeat(eighths / 8);
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    text.push_str(PARTS[eighths % 8]);
    let half = width / 2;
    let len = text.chars().count();
    if len <= half {
        text.push_str(&" ".repeat(half - len));
        text.push('│');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_mark_half_and_hours_group_to_fit() {
        assert_eq!(bar(100.0, 4), "████");
        assert_eq!(bar(25.0, 4), "█ │");
        assert_eq!(bar(0.0, 4), "  │");
        assert_eq!(hours_per_row(24), 1);
        assert_eq!(hours_per_row(12), 2);
        assert_eq!(hours_per_row(9), 3);
        assert_eq!(hours_per_row(3), 6);
    }
}
