//! Shown when no account is configured: how to set one, and the demo.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::tui::format::short_path;
use crate::tui::layout::centered;
use crate::tui::state::app::App;
use crate::tui::view::theme;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let settings = &app.settings;
    let file = settings.config_path.as_deref().map_or_else(
        || "the config file".to_string(),
        |p| short_path(p, settings.home.as_deref(), 60),
    );
    let command = |text: &'static str| Line::styled(format!("    {text}"), theme::key());
    let lines = vec![
        Line::styled("No account is set yet.", theme::title()),
        Line::default(),
        Line::from("Tell dota-sync whose matches to copy, either on the command line:"),
        command("dota-sync sync --account <ID>"),
        Line::from(format!("or in the config file, {file}:")),
        command("account = 86745912"),
        Line::default(),
        Line::styled(
            "<ID> can be a 32-bit account ID, a SteamID64, [U:1:N], STEAM_0:Y:Z or a Steam profile URL.",
            theme::dim(),
        ),
        Line::styled(
            "Steam needs an API key in STEAM_API_KEY; OpenDota needs none (--source opendota).",
            theme::dim(),
        ),
        Line::default(),
        Line::from("To look around first, try the built-in simulator (offline, no key):"),
        command("dota-sync demo"),
        Line::default(),
        Line::from(vec![
            Span::raw("Press "),
            Span::styled("q", theme::key()),
            Span::raw(" to quit."),
        ]),
    ];
    let popup = centered(area, 76, lines.len() as u16 + 4);
    let block = Block::bordered()
        .title(Span::styled(" Welcome to dota-sync ", theme::title()))
        .padding(ratatui::widgets::Padding::horizontal(1));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        popup,
    );
}
