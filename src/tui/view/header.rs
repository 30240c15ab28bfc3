//! The top line: who, from where, into which file, and what the sync is doing.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::sync::SyncState;
use crate::tui::format::{sanitize, short_path};
use crate::tui::state::app::App;
use crate::tui::view::theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let state = state_span(&app.sync.progress.state, app.is_quitting());
    let state_width = (state.width() as u16 + 1).min(area.width / 2);
    let [left, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(state_width)]).areas(area);

    let settings = &app.settings;
    let account = settings
        .account_id
        .map_or_else(|| "no account".to_string(), |id| format!("account {id}"));
    let mut spans = vec![
        Span::styled(" dota-sync ", theme::title()),
        Span::raw(" "),
        Span::raw(account),
    ];
    // What the data came from: the last sync's source, else the configured one.
    let source = app
        .sync
        .last_source
        .clone()
        .or_else(|| settings.source.map(|s| s.as_str().to_string()));
    if let Some(source) = source {
        spans.push(Span::styled(" · ", theme::dim()));
        spans.push(Span::raw(source));
    }
    if let Some(label) = &settings.label {
        spans.push(Span::styled(" · ", theme::dim()));
        spans.push(Span::styled(label.clone(), theme::failed()));
    }
    spans.push(Span::styled(" · ", theme::dim()));
    if app.filter.editing || !app.filter.text.is_empty() {
        spans.extend(filter_spans(app));
    } else {
        let used: usize = spans.iter().map(Span::width).sum();
        let room = usize::from(left.width).saturating_sub(used + 1);
        let path = short_path(&settings.db_path, settings.home.as_deref(), room);
        spans.push(Span::styled(path, theme::dim()));
    }

    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    frame.render_widget(Paragraph::new(Line::from(state)).right_aligned(), right);
}

/// The filter as typed (with a cursor while typing), then the W/L of the
/// matches it keeps, or why it cannot be read.
fn filter_spans(app: &App) -> Vec<Span<'static>> {
    let filter = &app.filter;
    let mut spans = vec![
        Span::styled("/", theme::key()),
        Span::raw(sanitize(&filter.text)),
    ];
    if filter.editing {
        // A block cursor: the real one stays hidden while the TUI is up.
        spans.push(Span::styled("█", theme::key()));
    }
    spans.push(Span::raw("  "));
    if let Some(problem) = &filter.problem {
        spans.push(Span::styled(sanitize(problem), theme::error()));
        return spans;
    }
    match app.overview.as_ref().map(|o| o.record) {
        Some(record) if record.games > 0 => {
            spans.push(Span::styled(format!("{}W", record.wins), theme::win()));
            spans.push(Span::raw(" "));
            spans.push(Span::styled(format!("{}L", record.losses()), theme::loss()));
            spans.push(Span::styled(
                format!(
                    " {}",
                    crate::tui::format::win_rate(record.wins as i64, record.games as i64)
                ),
                theme::dim(),
            ));
        }
        Some(_) => spans.push(Span::styled("no games", theme::dim())),
        None => spans.push(Span::styled("…", theme::dim())),
    }
    spans
}

fn state_span(state: &SyncState, quitting: bool) -> Span<'static> {
    if quitting {
        return Span::styled("stopping… ", theme::failed());
    }
    let style = match state {
        SyncState::Collecting | SyncState::Fetching | SyncState::Done => theme::win(),
        SyncState::Paused
        | SyncState::ApiDown { .. }
        | SyncState::RateLimited { .. }
        | SyncState::DailyLimit { .. } => theme::failed(),
        SyncState::Failed(_) => theme::error(),
        SyncState::Idle | SyncState::Stopped => theme::dim(),
    };
    Span::styled(
        format!("{} ", crate::tui::format::sanitize(&state.label())),
        style,
    )
}
