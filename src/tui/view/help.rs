//! The help overlay, generated from the keymap so it cannot go stale.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Clear, Row, Table};

use crate::tui::input::keymap::{KEYMAP, Scope};
use crate::tui::layout::centered;
use crate::tui::view::theme;

pub fn render(frame: &mut Frame, area: Rect) {
    let mut rows: Vec<Row> = KEYMAP
        .iter()
        .filter(|b| b.scope != Scope::Filter)
        .map(|b| {
            Row::new([
                Cell::from(Span::styled(b.label, theme::key())),
                Cell::from(b.help),
                Cell::from(Span::styled(scope_text(b.scope), theme::dim())),
            ])
        })
        .collect();
    // The filter's own keys, on one line: letters there are text, not commands.
    let filter_keys: Vec<String> = KEYMAP
        .iter()
        .filter(|b| b.scope == Scope::Filter && b.hint.is_some())
        .map(|b| format!("{} {}", b.label, b.hint.unwrap_or_default()))
        .collect();
    rows.push(Row::new([
        Cell::from(Span::styled("typing", theme::key())),
        Cell::from(format!("In the filter: {}", filter_keys.join(", "))),
        Cell::from(Span::styled("filter", theme::dim())),
    ]));

    let height = (rows.len() as u16 + 2).min(area.height);
    let popup = centered(area, 78, height);
    frame.render_widget(Clear, popup);
    let table = Table::new(
        rows,
        [
            Constraint::Length(10),
            Constraint::Fill(1),
            Constraint::Length(24),
        ],
    )
    .block(
        Block::bordered()
            .title(Span::styled(" Keys ", theme::title()))
            .title_bottom(Line::styled(" ? or Esc to close ", theme::dim()).right_aligned()),
    );
    frame.render_widget(table, popup);
}

fn scope_text(scope: Scope) -> &'static str {
    match scope {
        Scope::Always => "everywhere",
        Scope::Lists => "lists",
        Scope::HeroesOnly => "heroes",
        Scope::MatchLists => "match lists",
        Scope::DrillLists => "heroes, teammates",
        Scope::DetailsOnly => "details",
        Scope::ListsAndDetails => "lists, details",
        Scope::MatchListsAndDetails => "match lists, details",
        Scope::Closing => "overlays",
        Scope::Filter => "filter",
    }
}
