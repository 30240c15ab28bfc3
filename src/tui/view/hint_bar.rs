//! The bottom line: the keys that apply here, from the keymap, as many as fit.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::sync::SyncState;
use crate::tui::input::action::{Action, View};
use crate::tui::input::keymap::{Context, bindings_for};
use crate::tui::state::app::App;
use crate::tui::view::theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    // A statistics view's summaries note, when the tab row had no room for
    // it, takes the right end and the keys get the rest.
    let note = super::tabs::note_for_hint_bar(app, area.width);
    let note_width = note.as_ref().map_or(0, |n| n.chars().count() as u16);
    let [keys, right] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(note_width)]).areas(area);
    frame.render_widget(Paragraph::new(hint_line(app, keys.width)), keys);
    if let Some(note) = note {
        frame.render_widget(Paragraph::new(Line::styled(note, theme::dim())), right);
    }
}

pub fn hint_line(app: &App, width: u16) -> Line<'static> {
    let context = app.context();
    let nothing_to_close = matches!(context, Context::List(_)) && app.filter.text.is_empty();
    let details = context == Context::Details;
    // Sideways scrolling only where some column is out of sight.
    let columns_hidden = details_columns_hidden(app, width);
    let paused = app.sync.progress.state == SyncState::Paused;
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    // The match list's bar is full at 80 columns with keys that matter more
    // there, so its `c sort` comes last: shown where the rest fits, and `?`
    // lists it, the header marks the order.
    let mut bindings: Vec<_> = bindings_for(context).collect();
    if context == Context::List(View::Matches) {
        bindings.sort_by_key(|b| b.action == Action::CycleSort);
    }
    for binding in bindings {
        let Some(mut hint) = binding.hint else {
            continue;
        };
        match binding.action {
            Action::Close if nothing_to_close => continue,
            Action::ColumnsRight if !columns_hidden => continue,
            // The details' own keys first; `?` lists these too.
            Action::StartSync | Action::TogglePause | Action::RetryAllFailed if details => {
                continue;
            }
            Action::TogglePause if paused => hint = "resume",
            _ => {}
        }
        // The first key is enough here (`q`, not `q/Ctrl-C`); `?` lists all.
        let key = match binding.label.split_once('/') {
            Some((first, _)) if !first.is_empty() => first,
            _ => binding.label,
        };
        // Key, space, hint; the two spaces after it may fall off the edge.
        let width_needed = key.chars().count() + 1 + hint.chars().count();
        if used + width_needed > usize::from(width) {
            break;
        }
        used += width_needed + 2;
        spans.push(Span::styled(key, theme::key()));
        spans.push(Span::raw(format!(" {hint}  ")));
    }
    Line::from(spans)
}

/// Whether the details on screen (a match with data) leave columns out.
fn details_columns_hidden(app: &App, width: u16) -> bool {
    let with_data = app
        .details
        .shown
        .as_ref()
        .and_then(|d| d.view.as_ref())
        .is_some_and(|v| v.has_details == Some(true));
    // The overlay's border takes a column on each side.
    with_data && super::details::columns_hidden(width.saturating_sub(2), app.details.column)
}
