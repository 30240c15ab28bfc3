//! Colours and emphasis, in one place so the views agree.
//!
//! Under `NO_COLOR` (https://no-color.org) every style keeps its emphasis
//! (bold, reverse, underline) and drops its colours, so nothing depends on
//! colour alone: wins and losses also read W and L, the tracked player has
//! a marker.

use std::cell::Cell;

use ratatui::style::{Color, Modifier, Style};

thread_local! {
    /// Per thread so that tests can draw both ways side by side; the UI
    /// draws on whatever thread runs it, each reading the same environment.
    static MONOCHROME: Cell<bool> = Cell::new(std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()));
}

/// Draw without colours on this thread (tests; `NO_COLOR` sets it for users).
pub fn set_monochrome(on: bool) {
    MONOCHROME.with(|m| m.set(on));
}

pub fn monochrome() -> bool {
    MONOCHROME.with(Cell::get)
}

/// `style`, without its colours under `NO_COLOR`.
fn paint(style: Style) -> Style {
    if monochrome() {
        Style {
            fg: None,
            bg: None,
            ..style
        }
    } else {
        style
    }
}

pub fn win() -> Style {
    paint(Style::new().fg(Color::Green).add_modifier(Modifier::BOLD))
}

pub fn loss() -> Style {
    paint(Style::new().fg(Color::Red).add_modifier(Modifier::BOLD))
}

/// A failed fetch that will be retried.
pub fn failed() -> Style {
    paint(Style::new().fg(Color::Yellow))
}

/// A match given up after its last attempt.
pub fn given_up() -> Style {
    paint(Style::new().fg(Color::Red))
}

/// Secondary text: stubs, labels.
pub fn dim() -> Style {
    paint(Style::new().fg(Color::DarkGray))
}

pub fn title() -> Style {
    paint(Style::new().add_modifier(Modifier::BOLD))
}

pub fn column_header() -> Style {
    paint(Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED))
}

pub fn selected_row() -> Style {
    paint(Style::new().add_modifier(Modifier::REVERSED))
}

/// The tracked player in the details.
pub fn tracked_player() -> Style {
    paint(Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD))
}

pub fn key() -> Style {
    paint(Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD))
}

pub fn error() -> Style {
    paint(Style::new().fg(Color::Red))
}

pub fn radiant() -> Style {
    paint(Style::new().fg(Color::Green).add_modifier(Modifier::BOLD))
}

pub fn dire() -> Style {
    paint(Style::new().fg(Color::Red).add_modifier(Modifier::BOLD))
}

pub fn active_tab() -> Style {
    paint(Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD))
}

/// The bars of a chart or a heatmap (a colour, or plain under `NO_COLOR`).
pub fn chart() -> Style {
    paint(Style::new().fg(Color::Cyan))
}
