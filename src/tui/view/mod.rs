//! Drawing: a pure function of `&App`, one file per screen region.

mod details;
mod errors;
mod first_run;
mod header;
pub(in crate::tui) mod help;
mod heroes;
mod hint_bar;
mod matches;
mod overview;
mod progress;
mod records;
mod scrollbar;
mod table;
mod tabs;
mod teammates;
pub mod theme;
mod when;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::tui::input::action::View;
use crate::tui::layout::{self, centered};
use crate::tui::state::app::App;

pub fn render(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if layout::too_small(area) {
        render_too_small(frame, area);
        return;
    }
    if app.account_id().is_none() {
        first_run::render(app, frame, area);
        return;
    }
    let screen = layout::screen_with(area, app.sync_rows());
    header::render(app, frame, screen.header);
    progress::render(app, frame, screen.progress);
    tabs::render(app, frame, screen.tabs);
    match app.view {
        View::Matches => matches::render(app, frame, screen.body),
        View::Errors => errors::render(app, frame, screen.body),
        View::Teammates => teammates::render(app, frame, screen.body),
        View::Overview => overview::render(app, frame, screen.body),
        View::Heroes => heroes::render(app, frame, screen.body),
        View::Records => records::render(app, frame, screen.body),
        View::When => when::render(app, frame, screen.body),
    }
    hint_bar::render(app, frame, screen.hints);
    if let Some(details) = &app.details.shown {
        // Over the progress block and the list; the header and keys stay.
        let overlay = Rect {
            y: screen.progress.y,
            height: screen.hints.y - screen.progress.y,
            ..area
        };
        details::render(app, details, frame, overlay);
    }
    if app.help.open {
        help::render(frame, area, app.help.scroll);
    }
}

fn render_too_small(frame: &mut Frame, area: Rect) {
    let text = vec![
        Line::styled("Terminal too small", theme::title()),
        Line::from(format!(
            "{}x{}: dota-sync needs at least {}x{}.",
            area.width,
            area.height,
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        )),
        Line::styled("Enlarge the window, or press q to quit.", theme::dim()),
    ];
    let popup = centered(area, area.width, 3);
    frame.render_widget(
        Paragraph::new(text).centered().wrap(Wrap { trim: true }),
        popup,
    );
}
