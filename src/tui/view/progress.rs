//! The sync block: both phases in the public wording, a gauge for phase 2,
//! throughput, counters and the last notice.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Gauge, Paragraph};

use crate::sync::{Progress, SourceProgress, SourceState, SyncState};
use crate::tui::format;
use crate::tui::state::app::App;
use crate::tui::view::theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let block = Block::bordered().title(Span::styled(" Sync ", theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let rows = Layout::vertical(vec![
        Constraint::Length(1);
        4 + usize::from(app.source_lines)
    ])
    .split(inner);

    let progress = &app.progress;
    frame.render_widget(Paragraph::new(phase1_line(progress)), rows[0]);
    frame.render_widget(phase2_gauge(progress), rows[1]);
    frame.render_widget(Paragraph::new(stats_line(progress)), rows[2]);
    let lines = usize::from(app.source_lines);
    for (source, row) in progress.sources.iter().take(lines).zip(&rows[3..3 + lines]) {
        frame.render_widget(Paragraph::new(source_line(source)), *row);
    }
    frame.render_widget(Paragraph::new(notice_line(app)), rows[3 + lines]);
}

/// One source of a several-source run: its rate, counts and state.
fn source_line(source: &SourceProgress) -> Line<'static> {
    let state_style = match source.state {
        SourceState::Running | SourceState::Finished => theme::win(),
        SourceState::Paused { .. } => theme::failed(),
        SourceState::Down | SourceState::OutOfCalls { .. } => theme::error(),
    };
    let sep = || Span::styled("  ", theme::dim());
    Line::from(vec![
        Span::styled(format!("{:<9}", source.kind.as_str()), theme::title()),
        Span::raw(format::rate(source.per_second)),
        sep(),
        Span::styled(format!("{} fetched", source.fetched), theme::win()),
        sep(),
        Span::styled(format!("{} failed", source.failed), theme::failed()),
        sep(),
        Span::styled(source.state.label(), state_style),
    ])
}

/// Whether this session has seen a run at all (the engine publishes a
/// non-idle state as soon as one starts).
fn has_run(progress: &Progress) -> bool {
    progress.state != SyncState::Idle || progress.collect.collected > 0
}

fn phase1_line(progress: &Progress) -> Line<'static> {
    if !has_run(progress) {
        return Line::from(vec![
            Span::styled("No sync running. Press ", theme::dim()),
            Span::styled("s", theme::key()),
            Span::styled(" to start one.", theme::dim()),
        ]);
    }
    let mut spans = vec![Span::raw(progress.collect_line())];
    if progress.collect.new > 0 {
        spans.push(Span::styled(
            format!("  ({} new)", progress.collect.new),
            theme::dim(),
        ));
    }
    if progress.collect.capped {
        spans.push(Span::styled("  (Steam cap: 500 newest)", theme::dim()));
    }
    Line::from(spans)
}

fn phase2_gauge(progress: &Progress) -> Gauge<'static> {
    let fetch = &progress.fetch;
    let ratio = if fetch.total > 0 {
        (fetch.processed as f64 / fetch.total as f64).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let label = if progress.fetch_started {
        progress.fetch_line()
    } else {
        "Fetching match details: not started".to_string()
    };
    Gauge::default()
        .ratio(ratio)
        .label(label)
        .gauge_style(theme::win())
        .use_unicode(true)
}

fn stats_line(progress: &Progress) -> Line<'static> {
    let fetch = &progress.fetch;
    let eta = match fetch.eta {
        Some(left) if progress.fetch_started => format::eta(left),
        _ => "-".into(),
    };
    let sep = || Span::styled("  ", theme::dim());
    Line::from(vec![
        Span::raw(format::rate(fetch.per_second)),
        sep(),
        Span::styled("ETA ", theme::dim()),
        Span::raw(eta),
        sep(),
        Span::styled(format!("{} ok", fetch.succeeded), theme::win()),
        sep(),
        Span::styled(format!("{} failed", fetch.failed), theme::failed()),
        Span::styled(
            format!(" ({} server errors)", fetch.server_errors),
            theme::dim(),
        ),
        sep(),
        Span::styled(format!("{} given up", fetch.given_up), theme::given_up()),
    ])
}

/// The last problem reading the database, else the last notice, else what
/// the database holds.
fn notice_line(app: &App) -> Line<'static> {
    if let Some(error) = &app.error {
        return Line::styled(error.clone(), theme::error());
    }
    if let Some(notice) = &app.notice {
        return Line::from(vec![
            Span::styled("› ", theme::dim()),
            Span::raw(notice.clone()),
        ]);
    }
    let c = app.counts;
    Line::styled(
        format!(
            "In database: {} matches, {} detailed, {} without data, {} failed, {} given up",
            c.matches, c.detailed, c.stubs, c.failed, c.given_up
        ),
        theme::dim(),
    )
}
