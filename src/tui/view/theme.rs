//! Colours and emphasis, in one place so the views agree.

use ratatui::style::{Color, Modifier, Style};

pub fn win() -> Style {
    Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
}

pub fn loss() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

/// A failed fetch that will be retried.
pub fn failed() -> Style {
    Style::new().fg(Color::Yellow)
}

/// A match given up after its last attempt.
pub fn given_up() -> Style {
    Style::new().fg(Color::Red)
}

/// Secondary text: stubs, labels.
pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn column_header() -> Style {
    Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
}

pub fn selected_row() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

/// The tracked player in the details.
pub fn tracked_player() -> Style {
    Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD)
}

pub fn key() -> Style {
    Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
}

pub fn error() -> Style {
    Style::new().fg(Color::Red)
}

pub fn radiant() -> Style {
    Style::new().fg(Color::Green).add_modifier(Modifier::BOLD)
}

pub fn dire() -> Style {
    Style::new().fg(Color::Red).add_modifier(Modifier::BOLD)
}

pub fn active_tab() -> Style {
    Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
}
