//! The sync block: both phases in the public wording, a gauge for phase 2,
//! throughput and this run's counters, one line per source, what the
//! database holds (always shown), and the last notice.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Gauge, Paragraph};

use crate::source::SourceKind;
use crate::source::stratz::CREDIT as STRATZ_CREDIT;
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
        5 + usize::from(app.source_lines)
    ])
    .split(inner);

    let progress = &app.progress;
    frame.render_widget(Paragraph::new(phase1_line(progress)), rows[0]);
    frame.render_widget(phase2_gauge(progress), rows[1]);
    frame.render_widget(Paragraph::new(stats_line(progress)), rows[2]);
    let lines = usize::from(app.source_lines);
    // Paused or over, a source's last rate would be stale: its state instead.
    let paused = progress.state == SyncState::Paused;
    let over = !progress.state.is_running();
    for (source, row) in progress.sources.iter().take(lines).zip(&rows[3..3 + lines]) {
        frame.render_widget(Paragraph::new(source_line(source, paused, over)), *row);
    }
    frame.render_widget(
        Paragraph::new(database_line(app, rows[3 + lines].width)),
        rows[3 + lines],
    );
    frame.render_widget(Paragraph::new(notice_line(app)), rows[4 + lines]);
}

/// One source of a several-source run: its rate, counts and state; while
/// the run is paused (or over), `paused` (or its end state) in place of a
/// stale rate.
fn source_line(source: &SourceProgress, paused: bool, over: bool) -> Line<'static> {
    let state_style = match source.state {
        SourceState::Running | SourceState::Finished => theme::win(),
        SourceState::Paused { .. } => theme::failed(),
        SourceState::Down | SourceState::OutOfCalls { .. } => theme::error(),
    };
    let sep = || Span::styled("  ", theme::dim());
    let (rate, state, state_style) = if paused && source.state == SourceState::Running {
        (Span::styled("paused", theme::failed()), None, state_style)
    } else if over {
        (
            Span::styled(source.state.label(), state_style),
            None,
            state_style,
        )
    } else {
        (
            Span::raw(format::rate(source.per_second)),
            Some(source.state.label()),
            state_style,
        )
    };
    let mut spans = vec![
        Span::styled(format!("{:<9}", source.kind.as_str()), theme::title()),
        rate,
        sep(),
        Span::styled(format!("{} fetched", source.fetched), theme::win()),
        sep(),
        Span::styled(format!("{} failed", source.failed), theme::failed()),
    ];
    if let Some(state) = state {
        spans.extend([sep(), Span::styled(state, state_style)]);
    }
    if source.kind == SourceKind::Stratz {
        spans.extend([sep(), Span::styled(STRATZ_CREDIT, theme::dim())]);
    }
    Line::from(spans)
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
    // Without a line per source, the credit STRATZ asks for goes here.
    if progress.sources.len() <= 1 && progress.source == Some(SourceKind::Stratz) {
        spans.push(Span::styled(format!("  {STRATZ_CREDIT}"), theme::dim()));
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

/// How fast, and how long: the recent rate and an ETA while fetching;
/// `paused` (no stale rate or ETA) while paused; once the run is over, how
/// long phase 2 took and its average rate. Then this run's counters, one
/// per match (a retry during the run replaces the match's failure).
fn stats_line(progress: &Progress) -> Line<'static> {
    let fetch = &progress.fetch;
    let sep = || Span::styled("  ", theme::dim());
    let mut spans = match &progress.state {
        _ if !progress.fetch_started => vec![
            Span::raw("0.0/s"),
            sep(),
            Span::styled("ETA ", theme::dim()),
            Span::raw("-"),
        ],
        SyncState::Paused => vec![Span::styled("paused", theme::failed())],
        state if state.is_running() => vec![
            // `/s`, not `matches/s`: with the counters the line must fit 80 columns.
            Span::raw(format!("{:.1}/s", finite(fetch.per_second))),
            sep(),
            Span::styled("ETA ", theme::dim()),
            Span::raw(fetch.eta.map_or_else(|| "-".into(), format::eta)),
        ],
        _ => vec![
            Span::styled("took ", theme::dim()),
            Span::raw(format::eta(fetch.elapsed)),
            Span::styled(", avg ", theme::dim()),
            // Short: with the counters it must fit 80 columns.
            Span::raw(format!("{:.1}/s", finite(fetch.average_per_second()))),
        ],
    };
    let comma = || Span::styled(", ", theme::dim());
    // Failed as the database counts it (the match's own fault); failures
    // of the API leave the row as it was and are named apart.
    let counted = fetch.failed.saturating_sub(fetch.uncounted);
    spans.extend([
        sep(),
        Span::styled("run: ", theme::dim()),
        Span::styled(format!("{} ok", fetch.succeeded), theme::win()),
        comma(),
        Span::styled(format!("{counted} failed"), theme::failed()),
    ]);
    if fetch.uncounted > 0 {
        spans.extend([
            comma(),
            Span::styled(
                match fetch.uncounted {
                    1 => "1 API error".to_string(),
                    n => format!("{n} API errors"),
                },
                theme::failed(),
            ),
        ]);
    }
    spans.extend([
        comma(),
        Span::styled(format!("{} given up", fetch.given_up), theme::given_up()),
    ]);
    Line::from(spans)
}

/// What the database holds for the account: the same counts as the tabs',
/// in fewer words when the full ones do not fit.
fn database_line(app: &App, width: u16) -> Line<'static> {
    let c = app.counts;
    let full = format!(
        "In database: {} matches, {} detailed, {} without data, {} failed, {} given up",
        c.matches, c.detailed, c.stubs, c.failed, c.given_up
    );
    let text = if full.chars().count() <= usize::from(width) {
        full
    } else {
        format!(
            "In database: {} · {} detailed · {} no data · {} failed · {} given up",
            c.matches, c.detailed, c.stubs, c.failed, c.given_up
        )
    };
    Line::styled(text, theme::dim())
}

/// The last problem reading the database, else the last notice.
fn notice_line(app: &App) -> Line<'static> {
    if let Some(error) = &app.error {
        return Line::styled(error.clone(), theme::error());
    }
    match &app.notice {
        Some(notice) => Line::from(vec![
            Span::styled("› ", theme::dim()),
            Span::raw(notice.clone()),
        ]),
        None => Line::default(),
    }
}

/// A rate to print: NaN or infinite (nothing measured yet) reads 0.
fn finite(rate: f64) -> f64 {
    if rate.is_finite() && rate > 0.0 {
        rate
    } else {
        0.0
    }
}
