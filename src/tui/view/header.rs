//! The top line: who, from where, into which file, and what the sync is doing.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::sync::SyncState;
use crate::tui::format::short_path;
use crate::tui::state::app::App;
use crate::tui::view::theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let state = state_span(&app.progress.state, app.is_quitting());
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
    if let Some(source) = settings.source {
        spans.push(Span::styled(" · ", theme::dim()));
        spans.push(Span::raw(source.as_str()));
    }
    if let Some(label) = &settings.label {
        spans.push(Span::styled(" · ", theme::dim()));
        spans.push(Span::styled(label.clone(), theme::failed()));
    }
    spans.push(Span::styled(" · ", theme::dim()));
    let used: usize = spans.iter().map(Span::width).sum();
    let room = usize::from(left.width).saturating_sub(used + 1);
    let path = short_path(&settings.db_path, settings.home.as_deref(), room);
    spans.push(Span::styled(path, theme::dim()));

    frame.render_widget(Paragraph::new(Line::from(spans)), left);
    frame.render_widget(Paragraph::new(Line::from(state)).right_aligned(), right);
}

fn state_span(state: &SyncState, quitting: bool) -> Span<'static> {
    if quitting {
        return Span::styled("stopping… ", theme::failed());
    }
    let style = match state {
        SyncState::Collecting | SyncState::Fetching | SyncState::Done => theme::win(),
        SyncState::Paused | SyncState::ApiDown { .. } | SyncState::DailyLimit { .. } => {
            theme::failed()
        }
        SyncState::Failed(_) => theme::error(),
        SyncState::Idle | SyncState::Stopped => theme::dim(),
    };
    Span::styled(
        format!("{} ", crate::tui::format::sanitize(&state.label())),
        style,
    )
}
