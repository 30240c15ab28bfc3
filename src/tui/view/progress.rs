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
use crate::tui::state::app::{App, has_run};
use crate::tui::view::theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if !has_run(&app.sync.progress) {
        return render_idle(app, frame, area);
    }
    let block = Block::bordered().title(Span::styled(" Sync ", theme::title()));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let summary = usize::from(app.summary_lines());
    let all = Layout::vertical(vec![
        Constraint::Length(1);
        5 + summary + usize::from(app.source_lines())
    ])
    .split(inner);

    let progress = &app.sync.progress;
    frame.render_widget(Paragraph::new(phase1_line(progress)), all[0]);
    // `Summaries: ...` on its own line under phase 1's, when it fits.
    if let (1, Some(line)) = (summary, progress.summaries_line()) {
        frame.render_widget(Paragraph::new(Line::styled(line, theme::win())), all[1]);
    }
    let rows = &all[summary..];
    frame.render_widget(phase2_gauge(progress), rows[1]);
    frame.render_widget(Paragraph::new(stats_line(progress)), rows[2]);
    let lines = usize::from(app.source_lines());
    // Paused or over, a source's last rate would be stale: its state instead.
    let paused = progress.state == SyncState::Paused;
    let over = !progress.state.is_running();
    for (source, row) in progress.sources.iter().take(lines).zip(&rows[3..3 + lines]) {
        frame.render_widget(
            Paragraph::new(source_line(source, paused, over, row.width)),
            *row,
        );
    }
    frame.render_widget(
        Paragraph::new(database_line(app, rows[3 + lines].width)),
        rows[3 + lines],
    );
    frame.render_widget(
        Paragraph::new(notice_line(app, rows[4 + lines].width)),
        rows[4 + lines],
    );
}

/// One source of a several-source run: its rate, counts and state; while
/// the run is paused (or over), `paused` (or its end state) in place of a
/// stale rate.
/// One source's line. The STRATZ credit must show whole, so where the line
/// would not fit `width` the rate loses its `matches` (`2.0/s`).
fn source_line(source: &SourceProgress, paused: bool, over: bool, width: u16) -> Line<'static> {
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
    let credit_width = if source.kind == SourceKind::Stratz {
        2 + STRATZ_CREDIT.chars().count()
    } else {
        0
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
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    if used + credit_width > usize::from(width) && spans[1].content.ends_with(" matches/s") {
        let short = spans[1].content.replace(" matches/s", "/s");
        spans[1] = Span::raw(short);
    }
    if source.kind == SourceKind::Stratz {
        spans.extend([sep(), Span::styled(STRATZ_CREDIT, theme::dim())]);
    }
    Line::from(spans)
}

/// Before any run: one line, `Sync idle` (the hint bar says `s sync`) and what
/// the database holds, then the notice if there is one. The rows go to the
/// lists.
fn render_idle(app: &App, frame: &mut Frame, area: Rect) {
    let mut spans = vec![
        Span::styled(" Sync ", theme::title()),
        Span::styled("idle · ", theme::dim()),
    ];
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    let room = usize::from(area.width).saturating_sub(used);
    spans.extend(database_line(app, room as u16).spans);
    let [line, notice] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    frame.render_widget(Paragraph::new(Line::from(spans)), line);
    frame.render_widget(Paragraph::new(notice_line(app, notice.width)), notice);
}

fn phase1_line(progress: &Progress) -> Line<'static> {
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
    let short = format!(
        "In database: {} · {} detailed · {} no data · {} failed · {} given up",
        c.matches, c.detailed, c.stubs, c.failed, c.given_up
    );
    let fits = |text: &String| text.chars().count() <= usize::from(width);
    let text = if fits(&full) {
        full
    } else if fits(&short) {
        short
    } else {
        let shorter = format!(
            "{} matches · {} detailed · {} no data · {} failed · {} given up",
            c.matches, c.detailed, c.stubs, c.failed, c.given_up
        );
        if fits(&shorter) {
            shorter
        } else {
            format!(
                "{} · {} detailed · {} no data · {} failed · {} given up",
                c.matches, c.detailed, c.stubs, c.failed, c.given_up
            )
        }
    };
    Line::styled(text, theme::dim())
}

/// The last problem reading the database, else the last notice, fitted
/// to `width`: a notice ending in advice (`...; s tries again`) keeps the
/// advice and shortens what comes before it.
fn notice_line(app: &App, width: u16) -> Line<'static> {
    let width = usize::from(width);
    if let Some(error) = &app.sync.error {
        return Line::styled(fit_keeping_advice(error, width), theme::error());
    }
    match &app.sync.notice {
        Some(notice) => Line::from(vec![
            Span::styled("› ", theme::dim()),
            Span::raw(fit_keeping_advice(notice, width.saturating_sub(2))),
        ]),
        None => Line::default(),
    }
}

/// `text` in `width` columns; where it must be cut, the part after the
/// last `; ` (what to do) stays whole and the part before it ends in `…`.
fn fit_keeping_advice(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    match text.rsplit_once("; ") {
        Some((what, advice)) if advice.chars().count() + 4 < width => {
            let room = width - advice.chars().count() - 2;
            format!("{}; {advice}", format::ellipsize(what, room))
        }
        _ => format::ellipsize(text, width),
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
